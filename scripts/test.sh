#!/usr/bin/env bash
# make test: lint, then every test against a throwaway database that is dropped at the end.
#   ARGS="-k portal"  pytest arguments (make test ARGS="-k pay_invoices meusite_portal")
#   DB=name           reuse that database (created with the addons if missing, kept after);
#                     `scripts/odoo.sh -d name -u meusite_portal --stop-after-init` upgrades it
#   HTTP_PORT=8071    the port of the test server (to run two suites side by side)
#   NOLINT=1          skip the linters (inner loop only; CI always lints)
#   WORKERS=2         pytest processes side by side (pytest-xdist, each on its own copy of
#                     the database); the whole suite uses 2, a focused run (ARGS) 1
source "$(dirname "$0")/common.sh"
bash "$REPO/scripts/setup.sh"
[ -n "${NOLINT:-}" ] || bash "$REPO/scripts/lint.sh"

# The whole suite (not a focused run): the addons also install, with their demo data, into
# an English-only database of a Brazilian company (Portuguese never loaded), as into an
# existing database; NOENGLISH=1 skips it. It runs beside the test database's install (each
# keeps one core busy), its log printed when it is done.
whole=""
[ -z "${ARGS:-}" ] && [ $# -eq 0 ] && [ -z "${DB:-}" ] && whole=1
en_pid=""
if [ -n "$whole" ] && [ -z "${NOENGLISH:-}" ]; then
    en_db="meusite_test_en_$$"
    en_log="$(mktemp)"
    say "installing into an English-only database ($en_db), beside the test database"
    bash "$REPO/scripts/createdb.sh" --english-only "$en_db" >"$en_log" 2>&1 &
    en_pid=$!
fi

if [ -n "${DB:-}" ]; then
    # A kept database: the uninstall test needs its own pristine copy, made once.
    export MEUSITE_TEST_DB="$DB" MEUSITE_UNINSTALL_DB="${DB}_uninstall"
    if ! db_exists "$DB"; then
        bash "$REPO/scripts/createdb.sh" "$DB"
    fi
    if ! db_exists "$MEUSITE_UNINSTALL_DB"; then
        createdb -T "$DB" "$MEUSITE_UNINSTALL_DB"
        [ -d "$DATA_DIR/filestore/$DB" ] && cp -a "$DATA_DIR/filestore/$DB" "$DATA_DIR/filestore/$MEUSITE_UNINSTALL_DB"
    fi
else
    DB="meusite_test_$$"
    export MEUSITE_TEST_DB="$DB" MEUSITE_UNINSTALL_DB="${DB}_uninstall"
    cleanup() {
        [ -n "$en_pid" ] && kill "$en_pid" 2>/dev/null && wait "$en_pid" 2>/dev/null
        for d in "$DB" "$MEUSITE_UNINSTALL_DB" "${en_db:-}" "$DB-gw0" "$DB-gw1" "$DB-gw2" "$DB-gw3"; do
            [ -n "$d" ] || continue
            dropdb --if-exists "$d" 2>/dev/null || true
            rm -rf "$DATA_DIR/filestore/$d"
        done
    }
    trap cleanup EXIT
    bash "$REPO/scripts/createdb.sh" "$DB"
    # The uninstall test works on its own copy, taken before anything else touches the database.
    createdb -T "$DB" "$MEUSITE_UNINSTALL_DB"
    [ -d "$DATA_DIR/filestore/$DB" ] && cp -a "$DATA_DIR/filestore/$DB" "$DATA_DIR/filestore/$MEUSITE_UNINSTALL_DB"
fi

rc=0
# Before the tests, so that pytest's summary closes the output.
if [ -n "$en_pid" ]; then
    if wait "$en_pid"; then
        say "English-only database: installed"
    else
        cat "$en_log"
        say "English-only database: the install FAILED"
        rc=1
    fi
    rm -f "$en_log"
    dropdb --if-exists "$en_db" 2>/dev/null || true
    rm -rf "$DATA_DIR/filestore/$en_db"
fi

# Side by side: pytest-odoo gives each xdist worker a copy of $DB named "$DB-gwN"
# (conftest.py gives each copy its own filestore).
workers="${WORKERS:-}"
[ -z "$workers" ] && { [ -n "$whole" ] && workers=2 || workers=1; }
xdist=()
[ "$workers" -gt 1 ] && xdist=(-n "$workers" --dist loadscope)

say "pytest"
cd "$REPO"
# shellcheck disable=SC2086  # ARGS is a list of pytest arguments
PYTHONPATH="$ODOO_SRC" "$VENV/bin/pytest" \
    --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    --odoo-addons-path="$ADDONS_PATH" --odoo-extra="data-dir=$DATA_DIR" \
    --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" \
    --odoo-extra="db_user=$PGUSER" --odoo-extra="db_password=$PGPASSWORD" \
    --odoo-extra="http-port=${HTTP_PORT:-8069}" \
    --odoo-log-level=warn "${xdist[@]}" ${ARGS:-} "$@" || rc=$?

exit "$rc"
