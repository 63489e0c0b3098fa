#!/usr/bin/env bash
# make test: lint, then every test against a throwaway database that is dropped at the end.
source "$(dirname "$0")/common.sh"
bash "$REPO/scripts/setup.sh"
bash "$REPO/scripts/lint.sh"

DB="meusite_test_$$"
export MEUSITE_TEST_DB="$DB" MEUSITE_UNINSTALL_DB="${DB}_uninstall"
cleanup() {
    for d in "$DB" "$MEUSITE_UNINSTALL_DB"; do
        dropdb --if-exists "$d" 2>/dev/null || true
        rm -rf "$DATA_DIR/filestore/$d"
    done
}
trap cleanup EXIT
bash "$REPO/scripts/createdb.sh" "$DB"
# The uninstall test works on its own copy, taken before anything else touches the database.
createdb -T "$DB" "$MEUSITE_UNINSTALL_DB"
[ -d "$DATA_DIR/filestore/$DB" ] && cp -a "$DATA_DIR/filestore/$DB" "$DATA_DIR/filestore/$MEUSITE_UNINSTALL_DB"

say "pytest"
cd "$REPO"
PYTHONPATH="$ODOO_SRC" "$VENV/bin/pytest" \
    --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    --odoo-addons-path="$ADDONS_PATH" --odoo-extra="data-dir=$DATA_DIR" \
    --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" \
    --odoo-extra="db_user=$PGUSER" --odoo-extra="db_password=$PGPASSWORD" \
    --odoo-log-level=warn "$@"
