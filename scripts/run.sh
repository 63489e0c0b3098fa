#!/usr/bin/env bash
# make run: set up what is missing, then serve the demo database.
source "$(dirname "$0")/common.sh"
bash "$REPO/scripts/setup.sh"
DB="${DB:-meusite}"
PORT="${PORT:-8069}"

# The addons' code as last installed in $DB: when it changed (a pull, a new session),
# the database is upgraded before serving, so it never runs new code on an old schema.
code=$(cd "$REPO" && find meusite_* -type f ! -path '*/__pycache__/*' -print0 | sort -z \
       | xargs -0 sha1sum | sha1sum | cut -c1-16)
stamp="$DATA_DIR/$DB.addons-stamp"
if ! db_exists "$DB"; then
    bash "$REPO/scripts/createdb.sh" "$DB"
elif ! db_ready "$DB"; then
    say "installing $OUR_ADDONS into the existing database $DB"
    odoo_bin -d "$DB" -i "$OUR_ADDONS" --load-language=pt_BR --stop-after-init --no-http --log-level=warn
elif [ -n "${UPDATE:-}" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$code" ]; then
    say "updating $OUR_ADDONS in $DB (their code changed)"
    odoo_bin -d "$DB" -u "$OUR_ADDONS" --stop-after-init --no-http --log-level=warn
fi
echo "$code" > "$stamp"

# The offline demo pays boletos against a local double of Moip's API (the demo provider
# points at it); its simulator notifies this Odoo like Moip would.
MOIP_PORT="${MOIP_PORT:-8099}"
double_pid=""
if ! curl -s -o /dev/null "http://127.0.0.1:$MOIP_PORT/_double/config" 2>/dev/null; then
    "$PY" "$REPO/meusite_moip_payment/tests/doubles/moip_double.py" --port "$MOIP_PORT" \
        --notify-target "http://127.0.0.1:$PORT/payment/moip/webhook" \
        --notify-token 0a1b2c3d4e5f60718293a4b5c6d7e8f9 >"$DATA_DIR/moip-double.log" 2>&1 &
    double_pid=$!
fi
# The demo's domain check asks a local double of the RDAP registries (the demo parameters
# point at it; a database without demo data asks the real ones).
RDAP_PORT="${RDAP_PORT:-8096}"
rdap_pid=""
if ! curl -s -o /dev/null "http://127.0.0.1:$RDAP_PORT/dns.json" 2>/dev/null; then
    "$PY" "$REPO/meusite_portal/tests/doubles/rdap_double.py" --port "$RDAP_PORT" \
        >"$DATA_DIR/rdap-double.log" 2>&1 &
    rdap_pid=$!
fi

# Likewise PagBank's Orders API (the provider a company installing today enables): its
# notifications go to the URL each order carries, signed with the demo token.
PAGBANK_PORT="${PAGBANK_PORT:-8098}"
pagbank_pid=""
if ! curl -s -o /dev/null "http://127.0.0.1:$PAGBANK_PORT/_double/config" 2>/dev/null; then
    "$PY" "$REPO/meusite_pagbank_payment/tests/doubles/pagbank_double.py" --port "$PAGBANK_PORT" \
        --token DEMOPAGBANKTOKEN000000000000000000000000 >"$DATA_DIR/pagbank-double.log" 2>&1 &
    pagbank_pid=$!
fi
# NFS-e: a local double of the Sefin Nacional (mutual TLS with the test CA the demo's
# certificate was made by, kept in $DATA_DIR/nfse-double); the demo company issues against it.
NFSE_PORT="${NFSE_PORT:-8097}"
nfse_pid=""
if ! (exec 3<>"/dev/tcp/127.0.0.1/$NFSE_PORT") 2>/dev/null; then
    "$PY" "$REPO/meusite_nfse/tests/doubles/sefin_double.py" --port "$NFSE_PORT" \
        --state-dir "$DATA_DIR/nfse-double" >"$DATA_DIR/sefin-double.log" 2>&1 &
    nfse_pid=$!
fi
trap 'for pid in $double_pid $rdap_pid $pagbank_pid $nfse_pid; do kill "$pid" 2>/dev/null; done' EXIT

cat <<TXT

  Meu Site Expresso is starting on http://127.0.0.1:$PORT  (database $DB)
    Área do cliente : http://127.0.0.1:$PORT/my        login cliente / senha cliente
    Backend (staff) : http://127.0.0.1:$PORT/odoo      login admin   / senha admin
    PagBank (local double): http://127.0.0.1:$PAGBANK_PORT  — /pagar/<pedido> has "Simular pagamento"
    Moip (local double): http://127.0.0.1:$MOIP_PORT  — a boleto's page has "Simular pagamento"
    NFS-e (Sefin Nacional double): https://127.0.0.1:$NFSE_PORT/SefinNacional  — a paid invoice gets its NFS-e
    RDAP (local double): http://127.0.0.1:$RDAP_PORT  — the domain check: taken marianateixeira.com.br, free any other
  These are demo logins: change them anywhere real. Stop with Ctrl-C.

TXT
"$PY" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" --addons-path="$ADDONS_PATH" \
    --data-dir="$DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" \
    --db_user="$PGUSER" --db_password="$PGPASSWORD" \
    -d "$DB" --db-filter="^$DB\$" --http-port="$PORT"
