from odoo.tests import HttpCase, tagged

from ..common import make_portal_user

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


@tagged("post_install", "-at_install")
class TestEnglishDatabaseLanguage(HttpCase):
    """A database whose default language is English, with Portuguese added (an English
    company database the addons are installed into): visitors and customers still read the
    client area in Portuguese whatever their browser asks; staff keep their own language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("en_US")
        cls.env["ir.default"].set("res.partner", "lang", "en_US")
        cls.env.ref("base.user_admin").lang = "en_US"
        # A customer staff created in English (the portal wizard copies the contact's
        # language, the database's default).
        cls.english_customer = make_portal_user(cls.env, "ingles", "Ian Ingles", lang="en_US")

    def get(self, url):
        response = self.url_open(url, headers=ENGLISH_BROWSER)
        self.assertEqual(response.status_code, 200, url)
        return response

    def assert_portuguese(self, url, words, english):
        response = self.get(url)
        for word in words:
            self.assertIn(word, response.text, (url, response.url))
        for word in english:
            self.assertNotIn(word, response.text, (url, response.url))
        # No menu offering a language that never comes.
        self.assertNotIn("js_language_selector", response.text, (url, response.url))
        return response

    def test_a_visitor_reads_portuguese(self):
        self.assertEqual(self.env["ir.default"]._get("res.partner", "lang"), "en_US")
        self.assert_portuguese("/web/login", ("Senha", "Entrar"), (">Log in<", "Password"))
        self.assert_portuguese("/web/signup", ("Senha", "Confirmar senha"),
                               ("Confirm Password",))
        self.assert_portuguese("/web/reset_password", ("Redefinição de senha",),
                               ("Reset Password",))
        # The home page sends a visitor to the login page.
        self.assert_portuguese("/", ("Entrar",), (">Log in<",))

    def test_customers_read_portuguese(self):
        for login, password in (("cliente", "cliente"), ("ingles", "ingles-Senha123")):
            self.authenticate(login, password)
            # The language cookie the English login page left.
            self.opener.cookies.set("frontend_lang", "en_US")
            self.assert_portuguese("/my", ("Minha conta",), ("My Account", "Sign out"))
            self.assert_portuguese("/my/invoices", ("Minha conta",), ("My Account",))
            self.assert_portuguese("/my/security", ("Minha conta", "Senha"),
                                   ("My Account", "Change Password"))

    def test_staff_keep_their_language(self):
        self.authenticate("admin", "admin")
        page = self.get("/my").text
        self.assertIn("My Account", page)
        self.assertIn("js_language_selector", page)
        self.assertNotIn("Minha conta", page)
