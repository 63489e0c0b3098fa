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

        # A member of Financeiro answers through XML-RPC with the chatter's composer.
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "staff_a", "equipe-ana", {})
        context = {"default_model": "helpdesk.ticket", "default_res_ids": ticket.ids,
                   "default_composition_mode": "comment"}
        composer = self.xmlrpc_object.execute_kw(
            db, uid, "equipe-ana", "mail.compose.message", "create",
            [{"body": "Estornamos a cobrança duplicada."}], {"context": context},
        )
        self.xmlrpc_object.execute_kw(
            db, uid, "equipe-ana", "mail.compose.message", "action_send_mail", [[composer]],
            {"context": context},
        )
        reply = ticket.message_ids.filtered(lambda m: "Estornamos" in (m.body or ""))
        self.assertEqual(reply.author_id, self.staff_a.partner_id)
        self.assertIn(self.customer, reply.notification_ids.res_partner_id)
        self.start_tour("/my/tickets", "meusite_helpdesk_reply_and_close", login="cliente")
        ticket.invalidate_recordset()
        self.assertTrue(ticket.closed)
