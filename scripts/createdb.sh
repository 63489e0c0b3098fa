#!/usr/bin/env bash
# createdb.sh DB — a new database with the three addons and their demo data.
source "$(dirname "$0")/common.sh"
db="${1:?usage: createdb.sh DATABASE}"
db_exists "$db" && die "database $db already exists"

say "creating database $db (accounting)"
# Created in English, Odoo's default, and Portuguese added below: a database *created* in
# pt_BR makes pt_BR the language of every user, admin and OdooBot included, and of every
# partner created later (stock tests of the modules we extend assume English there).
# Customers, the company and portal users get pt_BR from the demo data and the sign-up.
odoo_bin -d "$db" -i account --stop-after-init --no-http --log-level=warn
# The demo company bills in reais. Odoo's generic chart of accounts sets US dollars,
# and accounting's demo posts USD invoices for its own demo partners, after which the
# currency can no longer change. Those entries are of no use to this demo: remove
# them, then switch the company to BRL. (The country is set by meusite_portal's demo
# data, during installation, so that Odoo does not pull in the l10n_br localization.)
odoo_bin shell -d "$db" --no-http --log-level=warn >/dev/null <<'PY'
env["account.bank.statement.line"].search([]).unlink()
env["account.payment"].search([]).action_draft()
env["account.payment"].search([]).unlink()
moves = env["account.move"].search([])
moves.filtered(lambda m: m.state != "draft").button_draft()
moves.with_context(force_delete=True).unlink()
brl = env.ref("base.BRL")
brl.active = True
env.ref("base.main_company").currency_id = brl
env.cr.commit()
PY
say "installing $OUR_ADDONS into $db"
odoo_bin -d "$db" -i "$OUR_ADDONS" --load-language=pt_BR --stop-after-init --no-http --log-level=warn
# The demo clean-up above leaves the planner's statistics describing dead rows; fresh
# statistics keep the first big queries (billing runs, benchmarks) on sane plans.
PGOPTIONS="--client-min-messages=error" psql -d "$db" -qc "VACUUM ANALYZE"
