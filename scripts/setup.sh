#!/usr/bin/env bash
# Installs what is missing on a Debian machine, starts PostgreSQL and builds .venv.
# Every step checks first, so a second run costs a few seconds.
source "$(dirname "$0")/common.sh"

# Debian packages first: git (to fetch Odoo when missing) is among them.

# wkhtmltopdf: Odoo prints invoices (PDF) with it.
APT_PACKAGES="git postgresql libpq-dev libldap2-dev libsasl2-dev build-essential python3-venv chromium fonts-dejavu-core wkhtmltopdf poppler-utils"
missing=""
for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || die "missing Debian packages:$missing (run as root, or install them yourself)"
    say "apt-get install$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
ensure_odoo_src

# PostgreSQL: start the first cluster (creating one if the package left none).
if ! pg_isready -q -h "$PGHOST" -p "$PGPORT"; then
    cluster=$(pg_lsclusters -h 2>/dev/null | awk 'NR==1{print $1" "$2}')
    if [ -z "$cluster" ]; then
        ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
        pg_createcluster "$ver" main >/dev/null
        cluster="$ver main"
    fi
    say "starting PostgreSQL $cluster"
    pg_ctlcluster $cluster start
    for _ in $(seq 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
fi
# Odoo refuses to connect as "postgres": a dedicated role that may create databases.
if ! psql -d postgres -tAc 'SELECT 1' >/dev/null 2>&1; then
    say "creating PostgreSQL role $PGUSER"
    as_postgres() { runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD -u PGPORT psql -q -c "$1"; }
    as_postgres "CREATE ROLE $PGUSER LOGIN CREATEDB PASSWORD '$PGPASSWORD'" 2>/dev/null \
        || as_postgres "ALTER ROLE $PGUSER LOGIN CREATEDB PASSWORD '$PGPASSWORD'"
fi

# Python environment: rebuilt only when a requirements file changed.
stamp="$VENV/.meusite-$(cat "$ODOO_SRC/requirements.txt" "$REPO/requirements.txt" "$REPO/requirements-addons.txt" | sha1sum | cut -c1-12)"
# pip warns about every package the machine's extra local indexes lack: noise, not news.
quiet_pip() { "$PY" -m pip "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
if [ ! -f "$stamp" ]; then
    say "building the Python environment in $VENV"
    [ -x "$PY" ] || python3 -m venv "$VENV"
    # cbor2 5.4.2 (Odoo's pin) only builds with setuptools<81 in its build environment.
    PIP_CONSTRAINT="$REPO/scripts/build-constraints.txt" quiet_pip install -q "cbor2==5.4.2"
    quiet_pip install -q -r "$ODOO_SRC/requirements.txt" -r "$REPO/requirements.txt"
    # OCA wheels declare a dependency on an "odoo" distribution that PyPI does not have.
    quiet_pip install -q --no-deps -r "$REPO/requirements-addons.txt"
    rm -f "$VENV"/.meusite-*
    touch "$stamp"
fi
mkdir -p "$DATA_DIR"
