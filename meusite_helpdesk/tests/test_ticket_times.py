from odoo.tests import HttpCase, tagged

from .common import HelpdeskFixture

TZ = "America/Sao_Paulo"


@tagged("post_install", "-at_install")
class TestTicketTimes(HelpdeskFixture, HttpCase):
    """A ticket opened at 11:35 in Belo Horizonte (14:35 UTC) says 11:35 to its customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()
        cls.env.ref("base.main_company").partner_id.tz = TZ

    def _ticket_page(self, user, password):
        ticket = self.make_ticket(user.partner_id)
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = '2026-12-07 14:35:00' WHERE id = %s",
            [ticket.id])
        ticket.invalidate_recordset(["create_date"])
        self.authenticate(user.login, password)
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertEqual(page.status_code, 200)
        return page.text

    def test_ticket_page_in_the_customer_time_zone(self):
        self.customer_user.tz = TZ
        page = self._ticket_page(self.customer_user, "cliente")
        self.assertIn("11:35", page)
        self.assertNotIn("14:35", page)

    def test_ticket_page_of_a_customer_without_time_zone_in_the_company_one(self):
        self.other_user.tz = False
        page = self._ticket_page(self.other_user, "outro-cliente")
        self.assertIn("11:35", page)
        self.assertNotIn("14:35", page)
