import re

from lxml import html

from odoo.tests import HttpCase, tagged

from ..common import make_invoices, make_portal_user, post_signup_form


def assert_company_layout(case, mail, company):
    """The company's one e-mail layout: its logo, signed by it, its contact, no Odoo."""
    body = mail.body_html
    tree = html.fromstring(body)
    case.assertIn(f"/logo.png?company={company.id}", body, mail.subject)
    signature = tree.xpath("string(//*[@class='o_meusite_mail_signature'])")
    case.assertIn(company.name, signature, mail.subject)
    case.assertIn(company.email, body, mail.subject)
    case.assertIn(company.phone, body, mail.subject)
    for odoo in ("Powered by", "Desenvolvido por", "odoo.com", "Public user",
                 "Usuário público", "#875A7B"):
        case.assertNotIn(odoo, body, mail.subject)


@tagged("post_install", "-at_install")
class TestCustomerMailLayout(HttpCase):
    """Every e-mail a customer gets has the company's layout, signed by the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.write({"primary_color": "#1f5fa8", "phone": "+55 31 3222-0000",
                           "email": "contato@meusiteexpresso.com.br"})

    def _mails(self, partner):
        return self.env["mail.mail"].search([("recipient_ids", "in", partner.ids)], order="id")

    def test_welcome_mail_is_signed_by_the_company(self):
        post_signup_form(self)
        user = self.env["res.users"].search([("login", "=", "joana.prado@example.com")])
        mail = self._mails(user.partner_id) or self.env["mail.mail"].search(
            [("email_to", "ilike", "joana.prado@example.com")])
        self.assertEqual(len(mail), 1)
        self.assertIn(self.company.name, mail.subject)
        assert_company_layout(self, mail, self.company)
        # Headed "Your account", not "Your <model>" ("Sua Usuário").
        self.assertIn("o_meusite_mail_header", mail.body_html)
        # The button in the company's colour.
        self.assertRegex(mail.body_html, r"background-color:\s*#1f5fa8")

    def test_invoice_mail_has_the_company_layout(self):
        customer = make_portal_user(self.env, "lia", "Lia Campos").partner_id
        invoice = make_invoices(self.env, customer, days_ago=0, due_in=10)
        self.env["account.move"].search([("sending_data", "!=", False)]).sending_data = False
        invoice._meusite_send_service_invoice_mail()
        self.env["account.move"]._cron_account_move_send(job_count=5)
        mail = self._mails(customer)
        self.assertEqual(len(mail), 1)
        assert_company_layout(self, mail, self.company)
        button = re.search(r"<a[^>]*>\s*Pagar fatura", mail.body_html)
        self.assertRegex(button.group(0), r"background-color:\s*#1f5fa8")
