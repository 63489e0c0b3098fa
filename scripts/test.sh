#!/usr/bin/env bash
# make test: lint, then every test against a throwaway database that is dropped at the end.
#   ARGS="-k portal"  pytest arguments (make test ARGS="-k pay_invoices meusite_portal")
#   DB=name           reuse that database (created with the addons if missing, kept after);
#                     `scripts/odoo.sh -d name -u meusite_portal --stop-after-init` upgrades it
#   HTTP_PORT=8071    the port of the test server (to run two suites side by side)
#   NOLINT=1          skip the linters (inner loop only; CI always lints)
#   WORKERS=2         pytest processes side by side (pytest-xdist, each on its own copy of
#                     the database)
#   ODOO_LANE=a,b:C   the addons (and addon:Class) whose tests the whole suite runs under
#                     odoo-bin beside pytest (below); empty: all under pytest
source "$(dirname "$0")/common.sh"
kill_tree() {
    local child
    for child in $(pgrep -P "$1"); do kill_tree "$child"; done
    kill "$1" 2>/dev/null || true
}
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
        bash "$REPO/scripts/createdb.sh" --tests "$DB"
    else
        ensure_test_addons "$DB"
    fi
    if ! db_exists "$MEUSITE_UNINSTALL_DB"; then
        createdb -T "$DB" "$MEUSITE_UNINSTALL_DB"
        [ -d "$DATA_DIR/filestore/$DB" ] && cp -a "$DATA_DIR/filestore/$DB" "$DATA_DIR/filestore/$MEUSITE_UNINSTALL_DB"
    fi
else
    DB="meusite_test_$$"
    export MEUSITE_TEST_DB="$DB" MEUSITE_UNINSTALL_DB="${DB}_uninstall"
    cleanup() {
        # An interrupted run: its background installs and runner go with it.
        for pid in "$en_pid" "${lane_pid:-}"; do
            [ -n "$pid" ] && kill_tree "$pid"
        done
        wait 2>/dev/null
        for d in "$DB" "$MEUSITE_UNINSTALL_DB" "${en_db:-}" "${DB}_odoo" "$DB-gw0" "$DB-gw1" "$DB-gw2" "$DB-gw3"; do
            [ -n "$d" ] || continue
            dropdb --if-exists --force "$d" 2>/dev/null || true
            rm -rf "$DATA_DIR/filestore/$d"
        done
    }
    trap cleanup EXIT
    bash "$REPO/scripts/createdb.sh" --tests "$DB"
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

# The whole suite runs in two lanes side by side (one per core): Odoo's own runner
# (`odoo-bin --test-tags`, as OCA's CI and integrators run addons) over the addons and
# classes of ODOO_LANE on a copy of the database, and pytest-odoo over the rest. Every
# addon's tests run under both runners: `make test-odoo` runs them all under odoo-bin,
# `make test ARGS=<addon>` under pytest. The default split keeps both lanes about as long
# (measured: helpdesk ~420 s, the credit property ~240 s, the rest of portal ~280 s, Moip
# and PagBank ~110 s, top-level tests ~150 s). ODOO_LANE= (empty) puts everything under pytest.
odoo_lane="${ODOO_LANE-meusite_helpdesk,meusite_nfse,meusite_test_full,meusite_portal:TestCreditProperty}"
lane_pid=""
paths=()
select=()
if [ -n "$whole" ] && [ -n "$odoo_lane" ]; then
    lane_db="${DB}_odoo"
    createdb -T "$DB" "$lane_db"
    [ -d "$DATA_DIR/filestore/$DB" ] && cp -a "$DATA_DIR/filestore/$DB" "$DATA_DIR/filestore/$lane_db"
    lane_log="$(mktemp)"
    lane_port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    say "Odoo's runner over $odoo_lane, beside pytest (its log: $lane_log)"
    RUN_DB="$lane_db" TAGS="/${odoo_lane//,/,/}" HTTP_PORT="$lane_port" LOG="$lane_log.odoo" \
        bash "$REPO/scripts/test-odoo-runner.sh" >"$lane_log" 2>&1 &
    lane_pid=$!
    # pytest takes the addons the lane does not name whole, without the classes it names.
    classes=()
    for tag in ${odoo_lane//,/ }; do
        [[ "$tag" == *:* ]] && classes+=("${tag#*:}")
    done
    for addon in ${OUR_ADDONS//,/ } ${TEST_ADDONS//,/ } tests; do
        [[ ",$odoo_lane," == *",$addon,"* ]] || paths+=("$addon")
    done
    if [ ${#classes[@]} -gt 0 ]; then
        expr="${classes[*]}"
        select=(-k "not (${expr// / or })")
    fi
fi

# WORKERS=N: pytest-odoo gives each xdist worker a copy of $DB named "$DB-gwN"
# (conftest.py gives each copy its own filestore).
xdist=()
[ "${WORKERS:-1}" -gt 1 ] && xdist=(-n "$WORKERS" --dist loadscope)

say "pytest ${paths[*]}"
cd "$REPO"
# shellcheck disable=SC2086  # ARGS is a list of pytest arguments
PYTHONPATH="$ODOO_SRC" "$VENV/bin/pytest" \
    --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http \
    --odoo-addons-path="$ADDONS_PATH" --odoo-extra="data-dir=$DATA_DIR" \
    --odoo-extra="db_host=$PGHOST" --odoo-extra="db_port=$PGPORT" \
    --odoo-extra="db_user=$PGUSER" --odoo-extra="db_password=$PGPASSWORD" \
    --odoo-extra="http-port=${HTTP_PORT:-8069}" \
    --odoo-log-level=warn "${xdist[@]}" "${select[@]}" ${ARGS:-} "${paths[@]}" "$@" || rc=$?

if [ -n "$lane_pid" ]; then
    lane_rc=0
    wait "$lane_pid" || lane_rc=$?
    lane_pid=""
    if [ "$lane_rc" -ne 0 ]; then
        # What failed, with its traceback (the whole log stays in $lane_log.odoo).
        grep -E -A25 '^(FAIL|ERROR):|^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$lane_log.odoo" \
            | grep -vE "werkzeug: .*Request timed out" | head -300 || true
        rc=1
    fi
    sed -n '/==> Odoo runner:/,$p' "$lane_log"
    say "Odoo's runner ($odoo_lane): $([ "$lane_rc" -eq 0 ] && echo passed || echo FAILED)"
fi

exit "$rc"
