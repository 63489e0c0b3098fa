#!/usr/bin/env bash
# make test-guards: disable each security or money guard in turn (tests/guards/guards.py)
# and check that its tests fail; exits non-zero naming every guard no test noticed.
#   DB=name        the kept database the tests run on (default meusite_guards; created with
#                  the addons if missing, kept after, as `make test DB=...`)
#   HTTP_PORT=8071 the port of the test server (default 8069; to run beside another suite)
#   GUARDS="a b*"  only these guards (names or globs); `GUARDS=... make test-guards`
#   ARGS="--no-baseline --timeout 60"   more options of tests/guards/run.py (--help)
# The mutations are applied in a temporary copy of the repository, never in this one.
source "$(dirname "$0")/common.sh"
bash "$REPO/scripts/setup.sh"
DB="${DB:-meusite_guards}"
if ! db_exists "$DB"; then
    bash "$REPO/scripts/createdb.sh" --tests "$DB"
else
    ensure_test_addons "$DB"
fi
export VENV ODOO_SRC DATA_DIR
say "test-guards on $DB"
# shellcheck disable=SC2086  # ARGS is a list of options
exec "$PY" "$REPO/tests/guards/run.py" --db "$DB" --only "${GUARDS:-}" ${ARGS:-} "$@"
