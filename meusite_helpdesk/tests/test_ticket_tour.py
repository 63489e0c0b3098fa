from odoo.tests import HttpCase, tagged

from .common import HelpdeskFixture, known_captcha


@tagged("post_install", "-at_install")
class TestTicketTour(HelpdeskFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()

    def test_customer_opens_follows_and_closes_a_ticket(self):
        with known_captcha():
            self.start_tour("/new/ticket", "meusite_helpdesk_open_ticket", login="cliente")
        ticket = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", self.customer.id), ("name", "=", "Boleto de dezembro em dobro")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.financeiro)
        self.assertEqual(len(ticket.attachment_ids), 2)

        # A member of Financeiro answers through XML-RPC, as the staff's tools do.
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "staff_a", "staff_a", {})
        self.xmlrpc_object.execute_kw(
            self.env.cr.dbname, uid, "staff_a", "helpdesk.ticket", "message_post",
            [[ticket.id]],
            {"body": "Estornamos a cobrança duplicada.", "message_type": "comment",
             "subtype_xmlid": "mail.mt_comment"},
        )
        self.start_tour("/my/tickets", "meusite_helpdesk_reply_and_close", login="cliente")
        ticket.invalidate_recordset()
        self.assertTrue(ticket.closed)
