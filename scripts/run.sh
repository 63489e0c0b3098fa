#!/usr/bin/env bash
# make run: set up what is missing, then serve the demo database.
source "$(dirname "$0")/common.sh"
bash "$REPO/scripts/setup.sh"
DB="${DB:-meusite}"
PORT="${PORT:-8069}"

if ! db_exists "$DB"; then
    bash "$REPO/scripts/createdb.sh" "$DB"
elif ! db_ready "$DB"; then
    say "installing $OUR_ADDONS into the existing database $DB"
    odoo_bin -d "$DB" -i "$OUR_ADDONS" --stop-after-init --no-http --log-level=warn
elif [ -n "${UPDATE:-}" ]; then
    say "updating $OUR_ADDONS in $DB"
    odoo_bin -d "$DB" -u "$OUR_ADDONS" --stop-after-init --no-http --log-level=warn
fi

cat <<TXT

  Meu Site Expresso is starting on http://127.0.0.1:$PORT  (database $DB)
    Área do cliente : http://127.0.0.1:$PORT/my        login cliente / senha cliente
    Backend (staff) : http://127.0.0.1:$PORT/odoo      login admin   / senha admin
  These are demo logins: change them anywhere real. Stop with Ctrl-C.

TXT
exec "$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
    --data-dir="$DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" \
    --db_user="$PGUSER" --db_password="$PGPASSWORD" \
    -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
