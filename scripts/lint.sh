#!/usr/bin/env bash
# ruff for Python style and errors, pylint-odoo for Odoo's own rules (manifests, XML, i18n),
# the translations' module lines, and the addons' README.rst against their readme/ fragments.
source "$(dirname "$0")/common.sh"
cd "$REPO"
[ -x "$VENV/bin/ruff" ] || die "no linters in $VENV: run make setup first"
say "lint: ruff"
"$VENV/bin/ruff" check .
say "lint: pylint-odoo"
PYTHONPATH="$ODOO_SRC" "$VENV/bin/pylint" --rcfile="$REPO/.pylintrc" meusite_portal meusite_moip_payment meusite_pagbank_payment meusite_helpdesk meusite_nfse meusite_test_full
say "lint: translations"
# Odoo refuses to load a catalogue whose entry lacks its "#. module:" line (a merge can
# split one): the install with pt_BR would stop there.
"$PY" - meusite_*/i18n/*.po <<'PYCHECK'
import re, sys
import polib
bad = []
for path in sys.argv[1:]:
    for entry in polib.pofile(path):
        if not entry.obsolete and not re.match(r"modules?: \w+", entry.comment or ""):
            bad.append(f"{path}:{entry.linenum}: {entry.msgid[:60]!r} has no '#. module:' line")
print("\n".join(bad) or "translations: every entry names its module")
sys.exit(1 if bad else 0)
PYCHECK
say "lint: readme"
# Each addon's README.rst is generated from its readme/*.md fragments: edit those, then
# regenerate, rather than editing README.rst by hand.
python3 scripts/readme.py --check \
    || die "an addon's README.rst is out of date with its readme/ fragments: run python3 scripts/readme.py (and commit the result)"
say "lint: tests registered"
# Odoo's runner (odoo-bin --test-tags, make test's second lane) only runs the test modules an
# addon's tests/__init__.py imports, where pytest finds every test_*.py: one left out runs
# under one runner only.
"$PY" - meusite_* <<'PYCHECK'
import re, sys
from pathlib import Path
missing = []
def reached(folder):
    init = folder / "__init__.py"
    text = init.read_text() if init.exists() else ""
    for path in sorted(folder.glob("test_*.py")):
        if not re.search(rf"^from \.+ import .*\b{path.stem}\b", text, re.M):
            missing.append(str(path))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and list(p.rglob("test_*.py"))):
        if sub.name in ("doubles", "fixtures"):
            continue
        if not re.search(rf"^from \.(?:{sub.name}\b| import .*\b{sub.name}\b)", text, re.M):
            missing.append(f"{sub}/ (not imported by {init})")
        reached(sub)
for addon in sys.argv[1:]:
    if (Path(addon) / "tests").is_dir():
        reached(Path(addon) / "tests")
print("\n".join(f"{m}: not imported by its tests/__init__.py" for m in missing)
      or "tests registered: every test module is imported for odoo-bin")
sys.exit(1 if missing else 0)
PYCHECK
