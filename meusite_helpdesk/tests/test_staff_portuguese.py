"""Staff in Portuguese (issue #25): a Portuguese member of staff reads the menus, forms and
messages we show in Portuguese (ours, and the stock/OCA terms the stock catalogues leave
untranslated, from our pt_BR.po); the demo shows this company's departments only; staff
start in the Helpdesk; the Financeiro member can confirm a bank transfer."""

from odoo import Command
from odoo.tests import tagged

from odoo.addons.meusite_portal.tests.common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestStaffPortuguese(MeusiteInvoicesCommon):
    def pt(self):
        return self.env(context=dict(self.env.context, lang="pt_BR"))

    def test_stock_and_oca_terms_staff_see_are_portuguese(self):
        env = self.pt()
        self.assertEqual(env.ref("helpdesk_mgmt.helpdesk_all_ticket_menu").name,
                         "Todos os Tickets")
        fields_ = env["ir.model.fields"]
        self.assertEqual(fields_._get("helpdesk.ticket", "notes").field_description,
                         "Notas internas")
        self.assertEqual(fields_._get("meusite.service", "company_id").field_description,
                         "Empresa")
        partner_form = env["res.partner"].get_view(view_type="form")["arch"]
        self.assertIn("Número de identificação", partner_form)
        self.assertNotIn('string="Identification Number"', partner_form)
        ticket_form = env["helpdesk.ticket"].get_view(view_type="form")["arch"]
        self.assertNotIn("Mark as duplicate", ticket_form)
        # The helpdesk dashboard's counters (helpdesk_mgmt's code terms, untranslated there).
        names = [item["name"] for item in env["helpdesk.ticket.team"].retrieve_dashboard()]
        self.assertIn("Chamados abertos", names)
        self.assertNotIn("Open Tickets", names)

    def test_demo_services_have_no_english_creation_note(self):
        for xmlid in ("demo_service_plan", "demo_service_domain", "demo_service_suspended"):
            service = self.env.ref(f"meusite_portal.{xmlid}")
            for message in service.message_ids:
                self.assertNotIn("Customer Service", message.body or "", xmlid)

    def test_the_demo_shows_our_departments_only(self):
        teams = self.env["helpdesk.ticket.team"].search([])
        self.assertEqual(set(teams.mapped("name")), {"Suporte", "Financeiro"})
        self.assertFalse(self.env["helpdesk.ticket"].search(
            [("team_id", "in", [self.env.ref(f"helpdesk_mgmt.helpdesk_team_{i}").id
                                for i in (1, 2, 3)])]))

    def test_staff_start_in_the_helpdesk(self):
        helpdesk = self.env.ref("helpdesk_mgmt.helpdesk_ticket_dashboard_action")
        for user in (self.env.ref("meusite_helpdesk.demo_staff_user"),
                     self.env.ref("base.user_admin")):
            self.assertEqual(user.action_id.id, helpdesk.id, user.login)

    def test_the_financeiro_member_confirms_a_transfer(self):
        camila = self.env.ref("meusite_helpdesk.demo_staff_user")
        self.assertIn(camila, self.env.ref("meusite_helpdesk.team_financeiro").user_ids)
        invoice = make_invoices(self.env, self.customer, amount=158.90)
        tx = self._pending_tx(invoice)
        invoice.with_user(camila).check_access("read")
        invoice.with_user(camila).action_meusite_confirm_receipt()
        self.env.invalidate_all()
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.payment_id)

    def test_a_helpdesk_only_member_cannot(self):
        # What the role is for: without invoicing access, no invoice and no confirmation.
        user = self.env["res.users"].create({
            "name": "Só Suporte", "login": "so.suporte", "lang": "pt_BR",
            "groups_id": [Command.set([self.env.ref("base.group_user").id,
                                       self.env.ref("helpdesk_mgmt.group_helpdesk_user").id])],
        })
        invoice = make_invoices(self.env, self.customer, amount=158.90)
        self.assertFalse(invoice.with_user(user).has_access("read"))
