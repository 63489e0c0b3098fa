#!/usr/bin/env bash
# ruff for Python style and errors, pylint-odoo for Odoo's own rules (manifests, XML, i18n).
source "$(dirname "$0")/common.sh"
cd "$REPO"
[ -x "$VENV/bin/ruff" ] || die "no linters in $VENV: run make setup first"
say "lint: ruff"
"$VENV/bin/ruff" check .
say "lint: pylint-odoo"
PYTHONPATH="$ODOO_SRC" "$VENV/bin/pylint" --rcfile="$REPO/.pylintrc" meusite_portal meusite_moip_payment meusite_helpdesk
