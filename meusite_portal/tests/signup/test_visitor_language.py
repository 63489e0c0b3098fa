from odoo.tests import HttpCase, tagged

ENGLISH_BROWSER = {"Accept-Language": "en-US,en;q=0.9"}


@tagged("post_install", "-at_install")
class TestVisitorLanguage(HttpCase):
    """The database is Portuguese: a visitor whose browser asks for English still reads the
    login, sign-up and password pages in Portuguese, and customers' URLs have no /pt/."""

    def get(self, url, **kw):
        response = self.url_open(url, headers=ENGLISH_BROWSER, **kw)
        self.assertEqual(response.status_code, 200, url)
        return response

    def test_login_signup_and_reset_pages_are_portuguese_for_an_english_browser(self):
        for url, words in [
            ("/web/login", ("Senha", "Entrar")),
            ("/web/signup", ("Senha", "Confirmar senha")),
            ("/web/reset_password", ("Redefinição de senha",)),
        ]:
            page = self.get(url).text
            for word in words:
                self.assertIn(word, page, url)
            self.assertNotIn("Confirm Password", page, url)
            self.assertNotIn(">Log in<", page, url)

    def test_an_english_language_cookie_changes_nothing(self):
        self.opener.cookies.set("frontend_lang", "en_US")
        page = self.get("/web/login").text
        self.assertIn("Entrar", page)
        self.assertNotIn(">Log in<", page)

    def test_database_default_language_is_portuguese(self):
        self.assertEqual(self.env["ir.default"]._get("res.partner", "lang"), "pt_BR")
        self.assertEqual([code for code, _name in self.env["res.lang"].get_installed()], ["pt_BR"])
        self.assertEqual(self.env.ref("base.main_company").partner_id.lang, "pt_BR")
        # Staff too (the administrator and Odoo's demo user).
        self.assertEqual(self.env.ref("base.user_admin").lang, "pt_BR")
        self.assertEqual(self.env.ref("base.user_demo").lang, "pt_BR")

    def test_customer_urls_have_no_language_prefix(self):
        # Where Portuguese is the default language (set here: a database whose default is
        # English, with Portuguese added, prefixes every non-default language's URLs).
        self.env["ir.default"].set("res.partner", "lang", "pt_BR")
        self.authenticate("cliente", "cliente")
        for url in ("/my", "/my/invoices"):
            response = self.get(url, allow_redirects=False)
            self.assertNotIn("/pt", response.url)
            self.assertIn("Minha conta", response.text, url)
            self.assertNotIn('href="/pt/', response.text, url)
