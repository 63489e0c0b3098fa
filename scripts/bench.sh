#!/usr/bin/env bash
# bench.sh NAME [ARGS] — run tests/bench/NAME.py against a throwaway demo database (and, for a
# bench that compares with stock Odoo, a throwaway database without our addons: --stock-db).
source "$(dirname "$0")/common.sh"
name="${1:?usage: bench.sh NAME [ARGS]  (NAME: $(cd "$REPO/tests/bench" && ls [a-z]*.py | grep -v benchenv | sed 's/\.py$//' | tr '\n' ' '))}"
shift
bash "$REPO/scripts/setup.sh"
DB="meusite_bench_$$"
STOCK_DB="${DB}_stock"
trap 'for d in "$DB" "$STOCK_DB"; do dropdb --if-exists "$d" 2>/dev/null; rm -rf "$DATA_DIR/filestore/$d"; done' EXIT
bash "$REPO/scripts/createdb.sh" "$DB" >/dev/null
stock=()
if grep -q -- "--stock-db" "$REPO/tests/bench/$name.py"; then
    bash "$REPO/scripts/createdb.sh" --stock "$STOCK_DB" >/dev/null
    stock=(--stock-db "$STOCK_DB")
fi
PYTHONPATH="$ODOO_SRC" DATA_DIR="$DATA_DIR" "$PY" "$REPO/tests/bench/$name.py" --db "$DB" "${stock[@]}" "$@"
