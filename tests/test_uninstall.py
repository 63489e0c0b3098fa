"""Each addon uninstalls and leaves a database that still loads and works.

scripts/test.sh copies the freshly installed test database to $MEUSITE_UNINSTALL_DB
before any test runs; this test removes the addons one by one from that copy, in an
odoo-bin process of its own, as an admin would from the Apps menu.
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

# What an admin would look at after each uninstall, printed as one JSON line.
CHECK = """
import json
mods = env["ir.module.module"].search([("name", "like", "meusite_%")])
Data = env["ir.model.data"]
print("RESULT", json.dumps({
    "states": {m.name: m.state for m in mods},
    # What the addons extended still reads without them.
    "counts": {model: env[model].search_count([]) for model in (
        "res.partner", "account.move", "payment.provider", "payment.transaction",
        "helpdesk.ticket", "res.company", "ir.ui.view")},
    "views": {m.name: env["ir.ui.view"].search_count([("key", "=like", m.name + ".%")])
              for m in mods},
    "views_citing": {m.name: env["ir.ui.view"].search(
        [("arch_db", "like", m.name + ".")]).mapped("key") for m in mods},
    "xmlids": {m.name: sorted(set(Data.search([("module", "=", m.name)]).mapped("model")))
               for m in mods},
    "moip_fields": env["ir.model.fields"].search_count([("name", "like", "moip_%")]),
    "pagbank_fields": env["ir.model.fields"].search_count([("name", "like", "pagbank_%")]),
    "our_models": sorted(name for name in env.registry if name.startswith("meusite.")),
}))
"""

# Uninstalled in this order (each test removes one more): nothing depends on the next. The
# test-only addon first (make test's database has it; it depends on the five).
ORDER = [
    "meusite_test_full",
    "meusite_nfse", "meusite_helpdesk", "meusite_pagbank_payment", "meusite_moip_payment",
    "meusite_portal",
]

# Two odoo-bin runs of at most 600 s each: more than the project's per-test limit.
pytestmark = pytest.mark.timeout(1260)


def odoo_shell(db, script):
    result = subprocess.run(
        ["bash", str(REPO / "scripts/odoo.sh"), "shell", "-d", db, "--no-http", "--log-level=warn"],
        input=script, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.parametrize("addon", ORDER)
def test_uninstall_leaves_a_working_database(addon):
    db = os.environ.get("MEUSITE_UNINSTALL_DB")
    assert db, "run through `make test`, which prepares the database copy"
    odoo_shell(db, f"""
env["ir.module.module"].search([("name", "=", "{addon}")]).button_immediate_uninstall()
env.cr.commit()
""")
    out = odoo_shell(db, CHECK)
    assert "RESULT " in out, out[-3000:]
    result = json.loads(out.split("RESULT ", 1)[1].splitlines()[0])
    gone = ORDER[:ORDER.index(addon) + 1]
    # This addon and the ones removed before it are uninstalled (a kept database, DB=name,
    # may have had the later ones removed by an earlier run).
    for name in gone:
        # A kept database made before meusite_test_full existed has no record of it.
        assert result["states"].get(name, "uninstalled") == "uninstalled", result["states"]
    # Every model the addons extended still reads: each count is a number, and the
    # companies and views are still there.
    assert all(isinstance(count, int) for count in result["counts"].values()), result["counts"]
    assert result["counts"]["res.company"] >= 1 and result["counts"]["ir.ui.view"] > 0
    for name in gone:
        # None of its views is left, and no view left behind calls one of its templates.
        assert result["views"].get(name, 0) == 0, (name, result["views"])
        assert result["views_citing"].get(name, []) == [], (name, result["views_citing"])
        # Nothing technical of the addon is left behind (views, fields, models, menus,
        # actions, rules, crons, templates all have an external id of the addon). Odoo keeps,
        # by design, business records it may not delete: a demo customer with invoices, a
        # posted invoice, the mail alias domain in use.
        technical = [model for model in result["xmlids"].get(name, [])
                     if model.startswith("ir.") or model in ("mail.template", "res.groups")]
        assert not technical, (name, result["xmlids"][name])
    if "meusite_pagbank_payment" in gone:
        assert result["pagbank_fields"] == 0, result["pagbank_fields"]
    if "meusite_moip_payment" in gone:
        assert result["moip_fields"] == 0, result["moip_fields"]
    if result["states"]["meusite_portal"] == "uninstalled":  # every model of ours is gone
        assert result["our_models"] == [], result["our_models"]
    else:  # the portal still works without the addons built on it
        assert "meusite.service" in result["our_models"], result["our_models"]
