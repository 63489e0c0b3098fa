from odoo.tests import TransactionCase, tagged

from .common import HelpdeskFixture


@tagged("post_install", "-at_install")
class TestTicketPanel(HelpdeskFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()

    def test_panel_counts_and_lists_open_tickets_of_the_customer(self):
        base = self.customer._meusite_ticket_panel()["count"]
        first = self.make_ticket(self.customer, self.financeiro, name="Boleto")
        self.make_ticket(self.customer, self.suporte, name="E-mail parado")
        done = self.make_ticket(self.customer, self.suporte, name="Resolvido")
        done.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.make_ticket(self.other, self.suporte, name="Do outro")
        panel = self.customer.with_user(self.customer_user)._meusite_ticket_panel(limit=5)
        self.assertEqual(panel["count"], base + 2)
        subjects = [row["subject"] for row in panel["rows"]]
        self.assertIn("Boleto", subjects)
        self.assertNotIn("Resolvido", subjects)
        self.assertNotIn("Do outro", subjects)
        row = next(r for r in panel["rows"] if r["subject"] == "Boleto")
        self.assertEqual(row["department"], "Financeiro")
        self.assertEqual(row["url"], f"/my/ticket/{first.id}")
        self.assertEqual(
            set(row), {"date", "department", "subject", "status", "last_update", "url"}
        )

    def test_panel_rows_respect_the_limit(self):
        for i in range(4):
            self.make_ticket(self.customer, name=f"Pedido {i}")
        panel = self.customer._meusite_ticket_panel(limit=3)
        self.assertEqual(len(panel["rows"]), 3)
        self.assertGreaterEqual(panel["count"], 4)
