#!/usr/bin/env bash
# Shared settings for the project's scripts. Sourced, never run.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ODOO_SRC="${ODOO_SRC:-/opt/odoo}"
VENV="${VENV:-$REPO/.venv}"
PY="$VENV/bin/python"
ODOO_CONF="$REPO/odoo.conf"
DATA_DIR="${DATA_DIR:-$REPO/.odoo-data}"
ADDONS_PATH="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$REPO"
# The addons this project ships, in install order.
OUR_ADDONS="meusite_portal,meusite_moip_payment,meusite_pagbank_payment,meusite_helpdesk,meusite_nfse"
# The test-only addon (Odoo's test_mail_full pattern): depends on the five, holds the tests
# that need several of them. make test installs and runs it; make run's demo never has it.
TEST_ADDONS="meusite_test_full"
# What our addons depend on (their manifests' "depends"): stock Odoo for comparisons.
STOCK_ADDONS="portal,account_payment,payment_custom,auth_signup,auth_totp_portal,l10n_br,base_address_extended,helpdesk_mgmt"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
export PGUSER="${PGUSER:-meusite}" PGPASSWORD="${PGPASSWORD:-meusite}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Where setup gets Odoo when $ODOO_SRC has none, as Odoo's install guide does (a shallow
# clone of the official 18.0 branch). A branch, a tag or a commit; both overridable.
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"
ODOO_GIT_REF="${ODOO_GIT_REF:-18.0}"

# Clone $ODOO_GIT_REF of $ODOO_GIT_URL into $ODOO_SRC when it holds no Odoo; then check it.
ensure_odoo_src() {
    if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
        command -v git >/dev/null || die "no Odoo at ODOO_SRC=$ODOO_SRC and no git to fetch it"
        say "fetching Odoo $ODOO_GIT_REF from $ODOO_GIT_URL into $ODOO_SRC"
        local tmp
        tmp="$(mktemp -d "${ODOO_SRC%/}.fetch.XXXXXX")" || die "cannot write next to $ODOO_SRC"
        # One commit, no history: a branch or tag by name, or a commit by its id.
        if git -C "$tmp" init -q && git -C "$tmp" remote add origin "$ODOO_GIT_URL" \
            && git -C "$tmp" fetch -q --depth 1 origin "$ODOO_GIT_REF" \
            && git -C "$tmp" -c advice.detachedHead=false checkout -q FETCH_HEAD; then
            rm -rf "$tmp/.git"
            mkdir -p "$ODOO_SRC" && cp -a "$tmp/." "$ODOO_SRC/" && rm -rf "$tmp"
        else
            rm -rf "$tmp"
            die "Odoo 18.0 source tree expected at ODOO_SRC=$ODOO_SRC (no odoo-bin there), and fetching $ODOO_GIT_REF from $ODOO_GIT_URL failed (no network?); put a clean 18.0 tree there, set ODOO_SRC, or point ODOO_GIT_URL/ODOO_GIT_REF at a reachable copy (see README)."
        fi
    fi
    check_odoo_src
}

# One clear line and a non-zero exit when the host tree is missing or not 18.0.
check_odoo_src() {
    [ -f "$ODOO_SRC/odoo-bin" ] || die "Odoo 18.0 source tree expected at ODOO_SRC=$ODOO_SRC (no odoo-bin there); put a clean 18.0 tree there or set ODOO_SRC (see README)."
    grep -qE '^version_info = \(18, 0,' "$ODOO_SRC/odoo/release.py" 2>/dev/null \
        || die "ODOO_SRC=$ODOO_SRC is not Odoo 18.0 (odoo/release.py says: $(grep -m1 '^version_info' "$ODOO_SRC/odoo/release.py" 2>/dev/null || echo 'nothing')); this project runs on Odoo 18.0 only."
}

odoo_bin() {
    local cmd=()
    # A subcommand (shell, server, ...) must come before the options.
    case "${1:-}" in -*|"") ;; *) cmd=("$1"); shift ;; esac
    "$PY" "$ODOO_SRC/odoo-bin" "${cmd[@]}" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
        --data-dir="$DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" \
        --db_user="$PGUSER" --db_password="$PGPASSWORD" "$@"
}

db_exists() {
    psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$1'" 2>/dev/null | grep -q 1
}

# A test database kept from before the test-only addon: its tests need it installed.
ensure_test_addons() {
    psql -d "$1" -tAc "SELECT 1 FROM ir_module_module WHERE name='$TEST_ADDONS' AND state='installed'" \
        2>/dev/null | grep -q 1 && return 0
    say "installing $TEST_ADDONS into $1"
    odoo_bin -d "$1" -i "$TEST_ADDONS" --stop-after-init --no-http --log-level=warn
}

db_ready() {
    psql -d "$1" -tAc "SELECT 1 FROM ir_module_module WHERE name='meusite_nfse' AND state='installed'" 2>/dev/null | grep -q 1
}
