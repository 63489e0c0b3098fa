"""Every door a visitor or a customer can reach is named in SECURITY.md.

Odoo's routing map of the test database (every installed module: ours, Odoo's, OCA's) is
read; each route open to a visitor or a portal user (auth "public", "user", "none" or
"bearer") must stand in SECURITY.md's route list, with the addon whose code answers it.
A new module or an upgrade that adds a door fails here until someone has looked at it and
named it; a door that went away fails too, so the list stays the truth. The lines of
addons this database does not have are left out: the addons install on their own.
"""

import odoo
from odoo.tests import TransactionCase, tagged

from .common import OPEN_AUTHS, documented_routes


@tagged("post_install", "-at_install")
class TestRoutesReviewed(TransactionCase):
    def modules(self):
        return sorted(self.env.registry._init_modules.union(odoo.conf.server_wide_modules))

    def registered_routes(self):
        """What ``ir.http.routing_map`` would serve for this database's modules."""
        IrHttp = self.env["ir.http"]
        routes = set()
        for url, endpoint in IrHttp._generate_routing_rules(
            self.modules(), converters=IrHttp._get_converters()
        ):
            auth = endpoint.routing.get("auth")
            if auth in OPEN_AUTHS:
                routes.add((auth, url, endpoint.__module__.split(".")[2]))
        return routes

    def test_every_open_route_is_named_in_security_md(self):
        modules = set(self.modules())
        registered = self.registered_routes()
        documented = {route for route in documented_routes() if route[2] in modules}
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
