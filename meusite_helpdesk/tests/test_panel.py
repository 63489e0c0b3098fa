from odoo.tests import HttpCase, TransactionCase, tagged

from .common import HelpdeskFixture
from odoo.addons.meusite_portal.tests.panel.test_portal_home import PANEL_SQL_BUDGET


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


@tagged("post_install", "-at_install")
class TestTicketPanelQueries(HelpdeskFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()

    def _panel_queries(self):
        self.url_open("/my")  # warm caches (templates, assets, ACL)
        before = self.cr.sql_log_count
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before, response.text

    def test_panel_queries_do_not_grow_with_tickets(self):
        """The panel of a customer with open and closed tickets and invoices costs the same
        queries at 3 tickets as at 30, within the panel's budget (issue #18)."""
        self.authenticate("cliente", "cliente")
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        counts = {}
        for size in (3, 30):
            tickets = self.env["helpdesk.ticket"].create([{
                "name": f"Pedido {size}-{i}", "description": "<p>x</p>",
                "partner_id": self.customer.id, "team_id": self.suporte.id,
            } for i in range(size - (3 if counts else 0))])
            tickets[:-1][::2].stage_id = done
            self.env.flush_all()
            self.env.invalidate_all()
            counts[size], page = self._panel_queries()
            self.assertIn(tickets[-1].name, page, "the newest open ticket is listed")
        self.assertEqual(counts[30], counts[3],
                         f"/my: {counts[3]} queries at 3 tickets, {counts[30]} at 30")
        self.assertLessEqual(counts[3], PANEL_SQL_BUDGET)
