#!/usr/bin/env bash
# createdb.sh [--english] DB — a new database with the three addons and their demo data,
# made the way a Brazilian company's database is: the company is in Brazil (BRL) before
# Accounting is installed, so Odoo installs its Brazilian localization (l10n_br) and loads
# its chart of accounts by itself, and Portuguese (pt_BR) is the database's only language.
#   --english  English as the database's language (users, default), pt_BR beside it:
#              Odoo's stock test suites assume English (scripts/test-upstream.sh).
#   --stock    the same database without our addons: only the Odoo and OCA modules they
#              build on, for benchmarks that compare a page with stock Odoo's.
#   --english-only  English alone, Portuguese never loaded (an existing English database
#              the addons are installed into; make test checks that the install works).
#   --without-demo  no demo data, in any module (a production database).
#   --addons a,b    install these addons (and their dependencies) instead of ours: an addon's
#              tests run with only what its manifest declares (README);
#              --addons "" stops after Accounting (a template to copy for several).
#   --tests    our addons and the test-only addon meusite_test_full (make test's database;
#              `make run`'s demo database for humans never has it).
source "$(dirname "$0")/common.sh"
english=""
stock=""
english_only=""
demo=()
only=""
only_set=""
with_tests=""
while [ "${1:-}" = "--english" ] || [ "${1:-}" = "--stock" ] || [ "${1:-}" = "--english-only" ] \
    || [ "${1:-}" = "--without-demo" ] || [ "${1:-}" = "--addons" ] || [ "${1:-}" = "--tests" ]; do
    [ "$1" = "--english" ] && english=1
    [ "$1" = "--stock" ] && stock=1
    [ "$1" = "--english-only" ] && english=1 && english_only=1
    # Decided when base is installed: the modules installed later follow base.
    [ "$1" = "--without-demo" ] && demo=(--without-demo=all)
    [ "$1" = "--tests" ] && with_tests=1
    if [ "$1" = "--addons" ]; then
        [ $# -ge 2 ] || die "--addons needs a list of addons"
        only="$2"
        only_set=1
        shift
    fi
    shift
done
db="${1:?usage: createdb.sh [--english] [--english-only] [--stock] [--without-demo] [--addons a,b] [--tests] DATABASE}"
db_exists "$db" && die "database $db already exists"

# The first language loaded with base is the database's language, as when Odoo's database
# manager creates it (res.lang.install_lang): the default of new partners (and so the
# language of URLs without a /<lang>/ prefix) and the company's. With pt_BR alone, English is
# never activated: Odoo then renders every page, the login, sign-up and password pages
# included, in Portuguese whatever the browser's Accept-Language asks (odoo.tools.misc.get_lang
# keeps only an installed language).
langs="pt_BR"
[ -n "$english" ] && langs="en_US,pt_BR"
[ -n "$english_only" ] && langs="en_US"
say "creating database $db (base, $langs)"
odoo_bin -d "$db" -i base --load-language="$langs" "${demo[@]}" --stop-after-init --no-http --log-level=warn
# What Odoo's database manager does for a database created for Brazil in Portuguese
# (odoo/service/db.py _initialize_db): the company's country and currency, and the language
# of every user (staff included).
MEUSITE_ENGLISH="$english" odoo_bin shell -d "$db" --no-http --log-level=warn >/dev/null <<'PY'
import os
company = env.ref("base.main_company")
brl = env.ref("base.BRL")
brl.active = True
company.write({"country_id": env.ref("base.br").id, "currency_id": brl.id})
# No time zone: Brazil has several, and Odoo's database manager sets one only for a
# country that has a single one.
if not os.environ.get("MEUSITE_ENGLISH"):
    env["res.users"].with_context(active_test=False).search([]).write({"lang": "pt_BR"})
env.cr.commit()
PY
# The company is in Brazil: installing Accounting auto-installs l10n_br (country-specific
# auto_install) and loads its chart ("br") with BRL.
say "installing account (and the Brazilian localization) into $db"
odoo_bin -d "$db" -i account --stop-after-init --no-http --log-level=warn
addons="$OUR_ADDONS"
[ -n "$with_tests" ] && addons="$OUR_ADDONS,$TEST_ADDONS"
[ -n "$stock" ] && addons="$STOCK_ADDONS"
[ -n "$only_set" ] && addons="$only"
if [ -n "$addons" ]; then
    say "installing $addons into $db"
    odoo_bin -d "$db" -i "$addons" --stop-after-init --no-http --log-level=warn
fi
PGOPTIONS="--client-min-messages=error" psql -d "$db" -qc "VACUUM ANALYZE"
