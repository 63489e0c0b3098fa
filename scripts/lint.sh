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
say "lint: private api"
# Each addon's private_api.py promises that the Odoo internals it uses (the cursor and raw
# SQL, the ORM's query builder, grouped reads and record cache, mail's follower internals,
# the HTTP session, access-token signing, underscore names imported from Odoo) are called
# there only, each pinned by its tests/test_private_api.py. This keeps the promise: such a
# call anywhere else in an addon's code (tests and migrations apart) fails the lint.
"$PY" - meusite_* <<'PYCHECK'
import ast, sys
from pathlib import Path
# Odoo internals (ORM, cursor, cache, mail followers, HTTP session, access tokens) that
# only an addon's private_api.py may call; everything else uses the public ORM.
PRIVATE = {
    "execute", "execute_query", "fetchone", "fetchall", "fetchmany", "execute_values",
    "_search", "_fetch_query", "_determine_fields_to_fetch", "_read_group", "_field_to_sql",
    "_where_calc", "_flush_search", "_description_selection", "convert_to_cache",
    "_add_default_followers", "_get_subscription_data", "_insert_followers",
    "_add_followers", "limited_field_access_token", "sid", "cache", "current_test",
}
bad = []
for addon in sys.argv[1:]:
    for path in sorted(Path(addon).rglob("*.py")):
        rel = path.relative_to(addon).parts
        # Migrations (and their shared helpers) run once, against a known schema version.
        if rel[0] in ("tests", "migrations") or path.name in ("private_api.py",
                                                              "migration_tools.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE and (
                node.attr != "cache" or getattr(node.value, "attr", getattr(node.value, "id", "")) == "env"
            ):
                bad.append(f"{path}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("odoo"):
                bad += [f"{path}:{node.lineno}: import {alias.name}" for alias in node.names
                        if alias.name.startswith("_")]
print("\n".join(bad) or "private api: every Odoo internal is called from a private_api.py")
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
say "lint: field names"
# A field we add to a model we do not own is prefixed (meusite_portal/readme/CONTEXT.md,
# "Field names"): checked on every addon's models.
"$PY" scripts/check_field_names.py
say "lint: template language"
# Odoo's convention: templates and views are written in English and translated by
# i18n/pt_BR.po. A term (as Odoo's xml_translate splits a template, a view's arch or an
# e-mail body) with Portuguese accents is Portuguese source text coming back.
PYTHONPATH="$ODOO_SRC" "$PY" - meusite_*/ <<'PYCHECK'
import re, sys
from pathlib import Path
from lxml import etree
from odoo.tools.translate import html_translate, xml_translate
# Proper names with accents that stay as they are in English.
PROPER_NAMES = ("Brasília",)
ACCENTS = re.compile("[ãõçáéíóúâêôàÃÕÇÁÉÍÓÚÂÊÔÀ]")
def terms(translate, value):
    found = []
    translate(found.append, value)
    return found
report = {}
for addon in sys.argv[1:]:
    for path in sorted(Path(addon).rglob("*.xml")):
        if "static" in path.parts:
            continue
        root = etree.parse(str(path)).getroot()
        values = [(xml_translate, etree.tostring(t, encoding="unicode")) for t in root.iter("template")]
        for field in root.iter("field"):
            inner = "".join(etree.tostring(n, encoding="unicode") for n in field)
            if field.get("name") == "arch":
                values.append((xml_translate, inner))
            elif field.get("name") == "body_html":
                values.append((html_translate, (field.text or "") + inner))
        for translate, value in values:
            for term in terms(translate, value):
                text = term
                for name in PROPER_NAMES:
                    text = text.replace(name, "")
                if ACCENTS.search(text):
                    report.setdefault(str(path), []).append(" ".join(term.split())[:80])
for path, found in report.items():
    print(f"{path}: {len(found)} Portuguese term(s) in the source, e.g. {found[0]!r}")
print("template language: Portuguese source terms in %d file(s)" % len(report) if report
      else "template language: every template term is English (pt_BR in i18n/pt_BR.po)")
sys.exit(1 if report else 0)
PYCHECK
