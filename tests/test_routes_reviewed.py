"""Every door a visitor or a customer can reach is named in SECURITY.md.

Odoo's routing map of the test database (every installed module: ours, Odoo's, OCA's) is
read; each route open to a visitor or a portal user (auth "public", "user", "none" or
"bearer") must stand in SECURITY.md's route list, with the addon whose code answers it.
A new module or an upgrade that adds a door fails here until someone has looked at it and
named it; a door that went away fails too, so the list stays the truth.
"""

import re
from pathlib import Path

import odoo
from odoo.tests import TransactionCase, tagged

SECURITY_MD = Path(__file__).resolve().parent.parent / "SECURITY.md"
OPEN_AUTHS = ("public", "user", "none", "bearer")
LINE = re.compile(r"^(?P<auth>public|user|none|bearer)\s+(?P<rule>/\S*)\s+(?P<addon>\S+)$")


def documented_routes():
    text = SECURITY_MD.read_text(encoding="utf-8")
    block = re.search(r"<!-- routes:begin -->(.*?)<!-- routes:end -->", text, re.S)
    assert block, "SECURITY.md has no routes block"
    routes = set()
    for line in block.group(1).splitlines():
        match = LINE.match(line.strip())
        if match:
            routes.add((match["auth"], match["rule"], match["addon"]))
    return routes


@tagged("post_install", "-at_install")
class TestRoutesReviewed(TransactionCase):
    def registered_routes(self):
        """What ``ir.http.routing_map`` would serve for this database's modules."""
        IrHttp = self.env["ir.http"]
        modules = sorted(self.env.registry._init_modules.union(odoo.conf.server_wide_modules))
        routes = set()
        for url, endpoint in IrHttp._generate_routing_rules(
            modules, converters=IrHttp._get_converters()
        ):
            auth = endpoint.routing.get("auth")
            if auth in OPEN_AUTHS:
                routes.add((auth, url, endpoint.__module__.split(".")[2]))
        return routes

    def test_every_open_route_is_named_in_security_md(self):
        registered, documented = self.registered_routes(), documented_routes()
        self.assertGreater(len(registered), 100, "the routing map was not read")
        unreviewed = sorted(registered - documented)
        gone = sorted(documented - registered)
        self.assertFalse(
            unreviewed,
            "Routes open to visitors or customers that SECURITY.md does not name (review "
            "them, then add these lines to its routes block):\n"
            + "\n".join(f"{auth:<7} {rule} {addon}" for auth, rule, addon in unreviewed),
        )
        self.assertFalse(
            gone,
            "SECURITY.md names routes that no longer exist (remove them):\n"
            + "\n".join(f"{auth:<7} {rule} {addon}" for auth, rule, addon in gone),
        )
