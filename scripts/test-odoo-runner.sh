#!/usr/bin/env bash
# make test-odoo: every addon's tests under Odoo's own runner (`odoo-bin --test-tags`), the way
# OCA's CI and any Odoo integrator run them (make test runs the same tests under pytest-odoo).
# They run on a throwaway copy of a database holding the addons, dropped at the end.
#   DB=name          the database to copy (kept as it is); without it a fresh one is made
#                    with scripts/createdb.sh (and dropped)
#   HTTP_PORT=8069   the port of the test server (tours and HttpCase)
#   TAGS=...         --test-tags (default: every addon of ours and the test-only
#                    meusite_test_full, "/addon" each)
#   RUN_DB=name      run on that database itself, no copy (a throwaway copy its caller
#                    made and drops: make test's second lane)
# Fails on a non-zero exit of odoo-bin, on any ERROR, CRITICAL or FAIL line of its log, on
# any skipped test (a skipped tour did not run) and when no test ran. The log is kept in
# $LOG (default /tmp/test-odoo-runner-<pid>.log).
source "$(dirname "$0")/common.sh"
bash "$REPO/scripts/setup.sh"

ALL_ADDONS="$OUR_ADDONS,$TEST_ADDONS"
TAGS="${TAGS:-/${ALL_ADDONS//,/,/}}"
LOG="${LOG:-${TMPDIR:-/tmp}/test-odoo-runner-$$.log}"
copy="meusite_odoo_runner_$$"
source_db="${DB:-}"
cleanup() {
    for d in "$copy" ${fresh:-}; do
        dropdb --if-exists --force "$d" 2>/dev/null || true
        rm -rf "${DATA_DIR:?}/filestore/$d"
    done
}
trap cleanup EXIT

if [ -n "${RUN_DB:-}" ]; then
    db_exists "$RUN_DB" || die "no database $RUN_DB"
    copy="$RUN_DB"
    trap - EXIT
else
    if [ -z "$source_db" ]; then
        fresh="meusite_odoo_fresh_$$"
        bash "$REPO/scripts/createdb.sh" --tests "$fresh"
        source_db="$fresh"
    fi
    db_exists "$source_db" || die "no database $source_db"
    say "copying $source_db to $copy"
    createdb -T "$source_db" "$copy"
    [ -d "$DATA_DIR/filestore/$source_db" ] && cp -a "$DATA_DIR/filestore/$source_db" "$DATA_DIR/filestore/$copy"
    # A DB made before the test-only addon existed gets it on the copy (DB stays as it is).
    [[ ",$TAGS," == *"$TEST_ADDONS"* ]] && ensure_test_addons "$copy"
fi

# As conftest.py does for pytest: no test waits for ever on a row lock.
export PGOPTIONS="${PGOPTIONS:+$PGOPTIONS }-c lock_timeout=$(( ${MEUSITE_TEST_LOCK_TIMEOUT:-10} * 1000 ))"

say "odoo-bin --test-tags $TAGS (log: $LOG)"
start=$(date +%s)
rc=0
odoo_bin -d "$copy" --test-tags "$TAGS" --stop-after-init --http-port "${HTTP_PORT:-8069}" \
    --log-level=info 2>&1 | tee "$LOG" || rc=$?
seconds=$(( $(date +%s) - start ))

# Odoo logs a failed or erroring test at ERROR ("FAIL: ..." / "ERROR: ..."), a skipped one at
# INFO ("skipped <test> : <reason>"), and sums each phase up ("N failed, M error(s) of K
# tests", "K post-tests in ...").
# Not a test's: werkzeug closing a connection the browser opened ahead and never used.
problems=$(grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |^(FAIL|ERROR):' "$LOG" \
    | grep -vE " werkzeug: .*Request timed out: TimeoutError" || true)
skipped=$(grep -E ': skipped .+ : ' "$LOG" || true)
ran=$(grep -oE '[0-9]+ post-tests in [0-9.]+s' "$LOG" | tail -1 || true)
summary=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG" | tail -1 || true)

echo
say "Odoo runner: ${ran:-no post-tests line}; ${summary:-no failure line}; ${seconds}s"
if [ "$rc" -ne 0 ]; then
    echo "odoo-bin exited with $rc"
fi
if [ -n "$problems" ]; then
    echo "ERROR/FAIL lines:"; echo "$problems" | cut -c1-300
    rc=1
fi
if [ -n "$skipped" ]; then
    echo "Skipped tests (a skipped test did not run; they count as failures here):"
    echo "$skipped" | cut -c1-300
    rc=1
fi
if [ -z "$ran" ] || [ "${ran%% *}" = 0 ]; then
    echo "no test ran"
    rc=1
fi
exit "$rc"
