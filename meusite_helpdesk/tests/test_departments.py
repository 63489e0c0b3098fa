from lxml import etree

from odoo.modules.module import get_manifest, get_module_path
from odoo.tests import HttpCase, TransactionCase, tagged

from .common import make_portal_user

DEPARTMENTS = {
    "team_suporte": ("Suporte", "Suporte técnico"),
    "team_financeiro": ("Financeiro", "departamento financeiro"),
}


@tagged("post_install", "-at_install")
class TestDepartments(TransactionCase):
    def test_demo_departments_of_the_manual(self):
        teams = self.env["helpdesk.ticket.team"].search(
            [("show_in_portal", "=", True)], order="sequence"
        )
        pairs = [(t.name, t.meusite_portal_description) for t in teams]
        self.assertIn(("Suporte", "Suporte técnico"), pairs)
        self.assertIn(("Financeiro", "departamento financeiro"), pairs)
        suporte = self.env.ref("meusite_helpdesk.team_suporte")
        self.assertEqual(suporte.alias_name, "suporte")

    def test_departments_are_installed_data_kept_by_upgrades(self):
        """Suporte and Financeiro come with the addon, demo data or not, and an upgrade
        leaves staff's edits alone."""
        for xmlid in DEPARTMENTS:
            data = self.env["ir.model.data"].search(
                [("module", "=", "meusite_helpdesk"), ("name", "=", xmlid)]
            )
            self.assertTrue(data.noupdate, f"{xmlid}: an upgrade would overwrite staff's edits")
        # A database installed without demo data loads the manifest's "data" files only:
        # the departments, with their names and the manual's descriptions, are defined there,
        # and the demo file adds nothing they need.
        manifest = get_manifest("meusite_helpdesk")
        path = get_module_path("meusite_helpdesk")
        defined = {}
        for kind in ("data", "demo"):
            for file_name in manifest[kind]:
                if not file_name.endswith(".xml"):
                    continue
                tree = etree.parse(f"{path}/{file_name}")
                for record in tree.xpath("//record[@model='helpdesk.ticket.team']"):
                    fields = {
                        f.get("name"): (f.text or f.get("eval")) for f in record.xpath("field")
                    }
                    defined.setdefault(record.get("id"), {})[kind] = (
                        fields, bool(record.xpath("ancestor-or-self::*[@noupdate='1']"))
                    )
        for xmlid, (name, description) in DEPARTMENTS.items():
            fields, noupdate = defined[xmlid]["data"]
            self.assertTrue(noupdate, xmlid)
            self.assertEqual(
                (fields["name"], fields["meusite_portal_description"]), (name, description)
            )
            self.assertEqual(fields["show_in_portal"], "True")
            demo_fields = defined[xmlid].get("demo", ({}, False))[0]
            self.assertFalse(
                {"name", "meusite_portal_description", "show_in_portal"} & set(demo_fields)
            )


@tagged("post_install", "-at_install")
class TestDepartmentsOnTheForm(HttpCase):
    def test_abrir_ticket_offers_the_departments(self):
        make_portal_user(self.env, "deptos")
        self.authenticate("deptos", "deptos-Senha123")
        page = self.url_open("/new/ticket").text
        for name, description in DEPARTMENTS.values():
            self.assertIn(name, page)
            self.assertIn(description, page)
