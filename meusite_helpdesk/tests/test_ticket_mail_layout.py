from odoo.tests import HttpCase, tagged

from .common import HelpdeskFixture
from odoo.addons.meusite_portal.tests.brand.test_customer_mail_layout import (
    assert_company_layout,
)


@tagged("post_install", "-at_install")
class TestTicketMailLayout(HelpdeskFixture, HttpCase):
    """The ticket e-mails a customer gets (received, staff's answer) have the company's one
    layout."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()
        cls.company = cls.env.ref("base.main_company")
        cls.company.write({"phone": "+55 31 3222-0000",
                           "email": "contato@meusiteexpresso.com.br"})

    def test_staff_answer_and_received_mail(self):
        ticket = self.make_ticket(self.customer, team=self.financeiro)
        ticket._meusite_send_received_mail()
        # Queued, not sent at once: Odoo's runner (a "testing" thread) sends a notification
        # right away and deletes it; pytest-odoo queues it. Queued under both.
        ticket.with_user(self.staff_a).with_context(mail_notify_force_send=False).message_post(
            body="Segue a segunda via.", message_type="comment",
            subtype_xmlid="mail.mt_comment")
        mails = self.env["mail.mail"].search([
            ("model", "=", "helpdesk.ticket"), ("res_id", "=", ticket.id),
            ("recipient_ids", "in", self.customer.ids)])
        self.assertGreaterEqual(len(mails), 2)
        for mail in mails:
            assert_company_layout(self, mail, self.company)
