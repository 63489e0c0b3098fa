import re
from datetime import timedelta

from lxml import html

from odoo import fields
from odoo.tests import HttpCase, tagged

from ..brand.test_customer_mail_layout import assert_company_layout
from ..common import make_portal_user

# Every English sentence of Odoo's security e-mail (mail.account_security_setting_update,
# auth_totp_mail's 2FA line), of its subjects and of the light layout it is wrapped in.
ENGLISH_WORDS = (
    "Security Update", "Dear", "Your account", "has been updated", "has been changed",
    "If this was done by you", "You can safely ignore", "If this was not done by you",
    "We suggest you start by", "Resetting Your Password", "Contact your administrator",
    "Consider", "activating Two-factor", "Your", "Kind regards", "Account",
)
ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


@tagged("post_install", "-at_install")
class TestSecurityMailLanguage(HttpCase):
    """The e-mail Odoo sends when a customer's password, login or e-mail changes is in the
    customer's language and the company's layout, whoever made the change in whatever
    language: the customer on an English browser, or staff who read English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The database shape where the acting language can differ from the customer's:
        # English installed beside Portuguese.
        cls.env["res.lang"]._activate_lang("en_US")
        cls.company = cls.env.ref("base.main_company")
        cls.company.write({"phone": "+55 31 3222-0000",
                           "email": "contato@meusiteexpresso.com.br"})
        cls.user = make_portal_user(cls.env, "seguranca", "Sara Seguranca",
                                    tz="America/Sao_Paulo")
        cls.customer = cls.user.partner_id

    def _security_mail(self):
        mails = self.env["mail.mail"].search(
            [("email_to", "ilike", "seguranca@example.com"), ("subject", "!=", False)])
        self.assertEqual(len(mails), 1, mails.mapped("subject"))
        return mails

    def assert_portuguese(self, mail, subject):
        self.assertEqual(mail.subject, subject)
        text = " ".join(html.fromstring(mail.body_html).text_content().split())
        for english in ENGLISH_WORDS:
            self.assertNotRegex(text, rf"\b{re.escape(english)}\b", text)
        self.assertIn("Olá Sara Seguranca", text)
        self.assertIn("Se isso não foi feito por você", text)
        self.assertIn("Sugerimos que comece por redefinir sua senha", text)
        # A customer has no administrator: the company, who signs, is told.
        self.assertIn("Avise-nos respondendo a este e-mail", text)
        self.assertNotIn("administrador", text)
        assert_company_layout(self, mail, self.company)
        # The time of the change in the customer's time zone (dd/mm/aaaa hh:mm).
        now = fields.Datetime.context_timestamp(
            self.user.with_context(tz="America/Sao_Paulo"), fields.Datetime.now())
        shown = {(now - timedelta(minutes=m)).strftime("%d/%m/%Y %H:%M") for m in (0, 1, 2)}
        self.assertTrue(any(s in text for s in shown), (shown, text))

    def test_a_customer_changing_the_password_on_an_english_browser(self):
        self.authenticate("seguranca", "seguranca-Senha123")
        # The browser asks for English and kept the language cookie of the login page.
        self.opener.cookies.set("frontend_lang", "en_US")
        page = self.url_open("/my/security", headers=ENGLISH_BROWSER).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open("/my/security", headers=ENGLISH_BROWSER, data={
            "csrf_token": token, "op": "password", "old": "seguranca-Senha123",
            "new1": "Nova-Senha-2026", "new2": "Nova-Senha-2026",
        })
        self.assertEqual(response.status_code, 200)
        self.assert_portuguese(self._security_mail(), "Atualização de segurança: senha alterada")
        self.authenticate("seguranca", "Nova-Senha-2026")  # the password did change

    def test_staff_in_english_changing_the_customers_login(self):
        self.env.ref("base.user_admin").lang = "en_US"
        self.authenticate("admin", "admin")
        self.make_jsonrpc_request("/web/dataset/call_kw/res.users/write", {
            "model": "res.users", "method": "write",
            "args": [self.user.ids, {"login": "sara.seguranca"}], "kwargs": {},
        })
        self.assertEqual(self.user.login, "sara.seguranca")
        self.assert_portuguese(self._security_mail(), "Atualização de segurança: login alterado")
