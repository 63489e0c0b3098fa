import re
from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from ..common import CAPTCHA_ANSWER, known_captcha, post_signup_form
from odoo.addons.mail.models.mail_mail import MailMail

VALID_CPF = "529.982.247-25"
VALID_CNPJ = "11.222.333/0001-81"


@tagged("post_install", "-at_install")
class TestSignup(HttpCase):
    def setUp(self):
        super().setUp()
        # The visitor reads the site in Portuguese (the language cookie of the site).
        self.opener.cookies.set("frontend_lang", "pt_BR")

    def signup(self, captcha_answer=CAPTCHA_ANSWER, **overrides):
        # The form is posted in Portuguese, as the site's visitors see it, with the captcha
        # of the page answered.
        return post_signup_form(self, captcha_answer, **overrides)

    def assertSignupAnswered(self, response):
        """The one answer of an accepted sign-up form, account created or not."""
        self.assertEqual(response.status_code, 200)
        self.assertIn("/web/login?", response.url)
        self.assertIn("meusite_signup=1", response.url)
        self.assertIn("Cadastro recebido", response.text)
        self.assertNotIn("Olá,", response.text, "nobody is logged in by the form")

    def mails_to(self, email):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)]) | self.env[
            "mail.mail"
        ].sudo().search([("recipient_ids.email", "=ilike", email)])

    def counts(self):
        Users = self.env["res.users"].with_context(active_test=False)
        Partners = self.env["res.partner"].with_context(active_test=False)
        return Users.search_count([]), Partners.search_count([])

    def assertRefused(self, response, before, field, message):
        self.assertEqual(response.status_code, 200)
        self.assertIn("/web/signup", response.url)
        self.assertIn(message, response.text)
        # The message sits beside the field, and the typed values come back.
        self.assertRegex(response.text, rf'name="{field}"[^>]*is-invalid|field-{field}')
        self.assertIn('value="Rua da Bahia"', response.text)
        self.assertEqual(self.counts(), before, "nothing may be created")

    def test_signup_page_asks_for_everything(self):
        page = self.url_open("/pt_BR/web/signup").text
        for label in (
            "Nome completo",
            "CPF ou CNPJ",
            "Telefone",
            "CEP",
            "Endereço",
            "Número",
            "Complemento",
            "Bairro",
            "Cidade",
            "Estado",
            "Empresa",
        ):
            self.assertIn(label, page)
        self.assertIn("MG - Minas Gerais", page)
        self.assertNotIn("Califórnia", page)

    def test_new_customer_gets_a_complete_partner_and_logs_in(self):
        response = self.signup()
        self.assertSignupAnswered(response)
        self.assertIn('value="joana.prado@example.com"', response.text)
        self.authenticate("joana.prado@example.com", "S3nha-forte!")
        self.assertTrue(self.url_open("/my").url.endswith("/my"))
        user = self.env["res.users"].search([("login", "=", "joana.prado@example.com")])
        self.assertTrue(user._is_portal())
        partner = user.partner_id
        self.assertRecordValues(
            partner,
            [
                {
                    "name": "Joana Prado Martins",
                    "email": "joana.prado@example.com",
                    "vat": VALID_CPF,
                    "phone": "(31) 99876-5432",
                    "zip": "30130-100",
                    "street": "Rua da Bahia 1148 - Sala 3",
                    "street_name": "Rua da Bahia",
                    "street_number": "1148",
                    "street_number2": "Sala 3",
                    "street2": "Centro",
                    "city_id": self.env.ref("l10n_br.city_br_006").id,
                    "city": "Belo Horizonte",
                    "state_id": self.env.ref("base.state_br_mg").id,
                    "l10n_latam_identification_type_id": self.env.ref("l10n_br.cpf").id,
                    "country_id": self.env.ref("base.br").id,
                    "lang": "pt_BR",
                }
            ],
        )

    def test_new_customer_is_told_by_email(self):
        with patch.object(MailMail, "unlink", lambda self: None):
            self.signup()
        user = self.env["res.users"].search([("login", "=", "joana.prado@example.com")])
        self.assertTrue(
            self.env["mail.message"].search_count(
                [
                    ("message_type", "=", "email_outgoing"),
                    ("model", "=", "res.users"),
                    ("res_id", "=", user.id),
                ]
            )
        )

    def test_company_customer_with_cnpj(self):
        self.signup(vat=VALID_CNPJ, company_name="Prado Doces Ltda")
        partner = (
            self.env["res.users"].search([("login", "=", "joana.prado@example.com")]).partner_id
        )
        self.assertEqual(partner.vat, VALID_CNPJ)
        self.assertEqual(partner.l10n_latam_identification_type_id, self.env.ref("l10n_br.cnpj"))
        self.assertEqual(partner.company_name, "Prado Doces Ltda")

    def test_wrong_cpf(self):
        before = self.counts()
        self.assertRefused(self.signup(vat="529.982.247-26"), before, "vat", "CPF ou CNPJ inválido")

    def test_wrong_cnpj(self):
        before = self.counts()
        self.assertRefused(
            self.signup(vat="11.222.333/0001-80"), before, "vat", "CPF ou CNPJ inválido"
        )

    def test_missing_field(self):
        before = self.counts()
        self.assertRefused(self.signup(street2=""), before, "street2", "Preencha este campo")

    def test_missing_number(self):
        before = self.counts()
        self.assertRefused(
            self.signup(street_number=""), before, "street_number", "Informe o número (ou S/N"
        )

    def test_city_and_state_come_from_the_cep(self):
        self.assertSignupAnswered(
            self.signup(zipcode="01310-100", city="", state_id="", street_name="Avenida Paulista")
        )
        partner = (
            self.env["res.users"].search([("login", "=", "joana.prado@example.com")]).partner_id
        )
        self.assertRecordValues(
            partner,
            [
                {
                    "city_id": self.env.ref("l10n_br.city_br_001").id,
                    "city": "São Paulo",
                    "state_id": self.env.ref("base.state_br_sp").id,
                    "zip": "01310-100",
                }
            ],
        )

    def test_cep_lookup_for_the_form(self):
        # What the form's script asks while the visitor types the CEP: city and state.
        found = self.url_open("/meusite/cep/30130-100").json()
        self.assertEqual(
            found,
            {
                "city": "Belo Horizonte",
                "state": "MG",
                "state_id": self.env.ref("base.state_br_mg").id,
            },
        )
        self.assertEqual(self.url_open("/meusite/cep/00000000").json(), {})
        self.assertEqual(self.url_open("/meusite/cep/3013").json(), {})

    def test_unknown_cep(self):
        # 00000-000 is in no city's range.
        before = self.counts()
        response = self.signup(zipcode="00000-000")
        self.assertRefused(response, before, "zipcode", "Não encontramos cidade para este CEP")
        self.assertIn('value="00000-000"', response.text)

    def test_cep_of_another_city(self):
        # A CEP typo lands in São Paulo while the customer typed Belo Horizonte/MG.
        before = self.counts()
        self.assertRefused(
            self.signup(zipcode="01310-100"), before, "zipcode", "Este CEP é de São Paulo - SP"
        )

    def test_state_outside_brazil(self):
        before = self.counts()
        self.assertRefused(
            self.signup(state_id=str(self.env.ref("base.state_us_5").id)),
            before,
            "state_id",
            "Escolha um estado",
        )

    def test_email_already_registered_answers_like_a_new_one(self):
        # Attack: a stranger types a customer's e-mail to learn whether it is registered.
        before = self.counts()
        with patch.object(MailMail, "unlink", lambda self: None):
            response = self.signup(login="mariana.teixeira@example.com")
        self.assertSignupAnswered(response)
        self.assertNotIn("já está cadastrado", response.text)
        self.assertEqual(self.counts(), before, "nothing may be created")
        # The owner is told instead.
        self.assertTrue(
            self.mails_to("mariana.teixeira@example.com").filtered(
                lambda m: "Tentativa de cadastro" in (m.subject or "")
            )
        )

    def test_cpf_already_registered_answers_like_a_new_one(self):
        before = self.counts()
        for vat in ("381.427.560-80", "38142756080"):
            with self.subTest(vat=vat), patch.object(MailMail, "unlink", lambda self: None):
                response = self.signup(vat=vat, login=f"intruso{vat[:3]}@example.com")
                self.assertSignupAnswered(response)
                self.assertNotIn("já está cadastrado", response.text)
                self.assertEqual(self.counts(), before, "nothing may be created")
                self.assertFalse(self.mails_to(f"intruso{vat[:3]}@example.com"))
        self.assertTrue(self.mails_to("mariana.teixeira@example.com"))

    def test_wildcards_in_the_email_match_nobody_else(self):
        # "_" matches any one character in a LIKE pattern: mariana_teixeira@ must not be
        # taken for mariana.teixeira@ (an oracle on patterns, and a refused customer).
        before = self.counts()
        self.assertSignupAnswered(self.signup(login="mariana_teixeira@example.com"))
        self.assertEqual(self.counts()[0], before[0] + 1)
        self.assertTrue(
            self.env["res.users"].search([("login", "=", "mariana_teixeira@example.com")])
        )

    def test_cpf_of_a_contact_without_login_invites_the_contact(self):
        # The invitation is sent at once: its sender comes from the company's alias domain,
        # which this addon's dependencies do not make (meusite_helpdesk's demo does).
        if not self.env.company.alias_domain_id:
            self.env.company.alias_domain_id = self.env["mail.alias.domain"].create(
                {"name": "meusiteexpresso.example.com"})
        contact = self.env["res.partner"].create(
            {
                "name": "Paulo Registrado Antes",
                "email": "paulo.antes@example.com",
                "vat": VALID_CPF,
            }
        )
        self.assertSignupAnswered(self.signup(login="estranho@example.com"))
        self.assertFalse(self.env["res.users"].search([("login", "=", "estranho@example.com")]))
        # The owner of the CPF gets the portal invitation at the e-mail on file.
        invited = contact.with_context(active_test=False).user_ids
        self.assertEqual(invited.login, "paulo.antes@example.com")
        self.assertTrue(invited._is_portal())

    def test_registered_and_new_data_get_the_same_page(self):
        new = self.signup()  # nobody is logged in by it: the next post is a visitor's too
        taken = self.signup(login="mariana.teixeira@example.com", vat="381.427.560-80")

        def strip(text):  # noqa: E306 - the e-mail typed comes back, and the CSRF differs
            text = re.sub(r"csrf_token[^,\n]*", "", text)
            return text.replace("mariana.teixeira", "joana.prado")

        self.assertEqual(new.status_code, taken.status_code)
        self.assertEqual(strip(new.url), strip(taken.url))
        self.assertEqual(strip(new.text), strip(taken.text))

    def test_signup_without_the_captcha_creates_nothing(self):
        before = self.counts()
        response = self.signup(captcha_answer="ERRADO")
        self.assertEqual(response.status_code, 200)
        self.assertIn("não correspondem", response.text)
        self.assertIn('value="Rua da Bahia"', response.text)
        self.assertEqual(self.counts(), before)

    def test_passwords_must_match(self):
        before = self.counts()
        self.assertRefused(
            self.signup(confirm_password="outra"),
            before,
            "confirm_password",
            "As senhas não coincidem",
        )

    def test_bad_cep_and_phone(self):
        before = self.counts()
        response = self.signup(zipcode="3013", phone="9876")
        self.assertRefused(response, before, "zipcode", "CEP com 8 dígitos")
        self.assertIn("DDD", response.text)

    def test_referral_link_records_the_referrer(self):
        referrer = self.env.ref("meusite_portal.demo_customer")
        code = referrer._meusite_get_referral_code()
        self.assertNotIn(str(referrer.id), [code])
        page = self.url_open(f"/pt_BR/web/signup?ref={code}").text
        self.assertIn(f'value="{code}"', page)
        self.signup(ref=code)
        partner = (
            self.env["res.users"].search([("login", "=", "joana.prado@example.com")]).partner_id
        )
        self.assertEqual(partner.meusite_referred_by_id, referrer)
        self.assertEqual(referrer._meusite_referral_count(), 1)

    def test_guessed_referral_code_is_ignored(self):
        referrer = self.env.ref("meusite_portal.demo_customer")
        self.signup(ref=str(referrer.id))
        partner = (
            self.env["res.users"].search([("login", "=", "joana.prado@example.com")]).partner_id
        )
        self.assertFalse(partner.meusite_referred_by_id)


@tagged("post_install", "-at_install")
class TestLoginPage(HttpCase):
    def test_login_page_offers_both_paths(self):
        page = self.url_open("/pt_BR/web/login").text
        self.assertIn("Clientes cadastrados", page)
        self.assertIn("Clientes não cadastrados", page)
        self.assertIn('href="/web/signup"', page)
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("auth_signup.invitation_scope"), "b2c"
        )


@tagged("post_install", "-at_install")
class TestResetPassword(HttpCase):
    def setUp(self):
        super().setUp()
        self.opener.cookies.set("frontend_lang", "pt_BR")
        self.env["ir.config_parameter"].sudo().set_param("auth_signup.reset_password", "True")

    def reset(self, login, captcha_answer=CAPTCHA_ANSWER):
        with known_captcha():
            page = self.url_open("/web/reset_password").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        token = re.search(r'name="captcha_token" value="([^"]+)"', page).group(1)
        return self.url_open(
            "/web/reset_password",
            data={
                "login": login,
                "csrf_token": csrf,
                "captcha_token": token,
                "captcha_answer": captcha_answer,
            },
        )

    def test_unknown_and_known_logins_get_the_same_answer(self):
        # Attack: ask a reset for guessed e-mails and read which ones exist.
        sent_to = []
        Users = type(self.env["res.users"])
        with patch.object(
            Users, "action_reset_password", lambda users: sent_to.extend(users.mapped("email"))
        ):
            known = self.reset("mariana.teixeira@example.com")
            unknown = self.reset("ninguem.aqui@example.com")
        self.assertEqual(known.status_code, unknown.status_code)
        for response in (known, unknown):
            self.assertIn("Se este e-mail pertence a uma conta", response.text)
            self.assertNotIn("No account found", response.text)
            self.assertNotIn("Nenhuma conta", response.text)
        # Only the real account gets the e-mail.
        self.assertEqual(sent_to, ["mariana.teixeira@example.com"])

    def test_account_without_email_gets_the_same_answer(self):
        user = self.env.ref("meusite_portal.demo_customer_user")
        user.partner_id.email = False
        response = self.reset(user.login)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Se este e-mail pertence a uma conta", response.text)

    def test_reset_needs_the_captcha(self):
        response = self.reset("mariana.teixeira@example.com", captcha_answer="ERRADO")
        self.assertIn("não correspondem", response.text)
        self.assertNotIn("Se este e-mail pertence a uma conta", response.text)
