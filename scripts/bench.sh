#!/usr/bin/env bash
# bench.sh NAME [ARGS] — run tests/bench/NAME.py against a throwaway demo database.
source "$(dirname "$0")/common.sh"
name="${1:?usage: bench.sh NAME [ARGS]  (NAME: $(cd "$REPO/tests/bench" && ls [a-z]*.py | grep -v benchenv | sed 's/\.py$//' | tr '\n' ' '))}"
shift
bash "$REPO/scripts/setup.sh"
DB="meusite_bench_$$"
trap 'dropdb --if-exists "$DB" 2>/dev/null; rm -rf "$DATA_DIR/filestore/$DB"' EXIT
bash "$REPO/scripts/createdb.sh" "$DB" >/dev/null
PYTHONPATH="$ODOO_SRC" DATA_DIR="$DATA_DIR" "$PY" "$REPO/tests/bench/$name.py" --db "$DB" "$@"
