"""Attacks on the customer's address: "Atualizar seus Dados" (/my/account), the CEP lookup
(/meusite/cep/<cep>) and the stock JSON-RPC route (/web/dataset/call_kw) a portal user can call
on res.partner / res.partner.bank.

Each test is what a customer with an account (sign-up is open to anyone) can send with a
browser's developer tools, through the real routes.
"""

import json
import re
from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..common import make_portal_user, post_signup_form


@tagged("post_install", "-at_install")
class TestAccountRoutesAttacks(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        brazil = cls.env.ref("base.br")
        cls.mg = cls.env.ref("base.state_br_mg")
        cls.customer = cls.env["res.partner"].create({
            "name": "Mariana Alves Teixeira", "email": "mariana.ataque@example.com",
            "vat": "935.411.347-80", "phone": "+55 31 98765-4321", "lang": "pt_BR",
            "street_name": "Rua dos Timbiras", "street_number": "1200",
            "street2": "Funcionários", "zip": "30140-061", "city": "Belo Horizonte",
            "state_id": cls.mg.id, "country_id": brazil.id,
        })
        make_portal_user(cls.env, "ataque", partner=cls.customer)
        cls.company_b = cls.env["res.partner"].create({
            "name": "Empresa B Ltda", "is_company": True, "vat": "11.222.333/0001-81",
            "street_name": "Avenida Secreta", "street_number": "99", "zip": "30130-100",
            "city": "Belo Horizonte", "state_id": cls.mg.id, "country_id": brazil.id,
        })
        cls.other = cls.env["res.partner"].create({
            "name": "Bruno Cliente B", "email": "bruno.b@example.com",
            "parent_id": cls.company_b.id, "street_name": "Avenida Secreta",
        })
        make_portal_user(cls.env, "clienteb", partner=cls.other)
        cls.company_bank = cls.env.ref("meusite_portal.demo_company_bank_account")

    def setUp(self):
        super().setUp()
        self.authenticate("ataque", "ataque-Senha123")

    def form(self, **overrides):
        page = self.url_open("/my/account").text
        data = {
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "name": "Mariana Alves Teixeira",
            "email": "mariana.ataque@example.com",
            "vat": "935.411.347-80",
            "phone": "(31) 91234-5678",
            "zipcode": "30140-061",
            "street_name": "Rua dos Timbiras",
            "street_number": "1200",
            "street_number2": "",
            "street2": "Funcionários",
            "city": "Belo Horizonte",
            "state_id": str(self.mg.id),
            "company_name": "",
            "country_id": str(self.env.ref("base.br").id),
        }
        data.update(overrides)
        return data

    def post(self, **overrides):
        with mute_logger("odoo.http"):
            return self.url_open("/my/account", data=self.form(**overrides))

    def rpc(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"):
            answer = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "model": model, "method": method, "args": list(args), "kwargs": kwargs,
                }}),
                headers={"Content-Type": "application/json"},
            ).json()
        return answer.get("result"), answer.get("error")

    # /my/account: fields of the attacker's choosing ------------------------------------------

    def test_account_refuses_relational_fields_of_choice(self):
        # Record links the form never shows: the stock check refuses unknown keys, nothing
        # is written (the customer's company, parent and city stay as they were).
        city = self.env["res.city"].search(
            [("country_id", "=", self.env.ref("base.br").id), ("name", "!=", "Belo Horizonte")],
            limit=1)
        for key, value in (
            ("partner_id", self.other.id), ("commercial_partner_id", self.company_b.id),
            ("parent_id", self.company_b.id), ("city_id", city.id), ("user_ids", 1),
            ("is_company", "1"), ("property_account_receivable_id", 1),
        ):
            with self.subTest(key=key):
                response = self.post(**{key: str(value)}, street2="Savassi")
                self.assertFalse(response.url.endswith("/my/home"), response.url)
                self.assertEqual(self.customer.street2, "Funcionários")
                self.assertFalse(self.customer.parent_id)
                self.assertEqual(self.customer.commercial_partner_id, self.customer)
        self.assertEqual(self.other.street_name, "Avenida Secreta")
        self.assertEqual(self.company_b.name, "Empresa B Ltda")

    def test_account_country_and_city_come_from_the_cep(self):
        # Another country, and a state of another country: Brazil and the CEP's city/state.
        response = self.post(country_id=str(self.env.ref("base.us").id), state_id="")
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        self.assertEqual(self.customer.country_id, self.env.ref("base.br"))
        self.assertEqual(self.customer.city_id.name, "Belo Horizonte")
        self.assertEqual(self.customer.state_id, self.mg)
        for state in (self.env.ref("base.state_us_5"), self.env.ref("base.state_br_sp")):
            with self.subTest(state=state.code):
                response = self.post(state_id=str(state.id), street2="Savassi")
                self.assertFalse(response.url.endswith("/my/home"), response.url)
                self.assertEqual(self.customer.state_id, self.mg)
        response = self.post(city="Cidade Inventada", street2="Savassi")
        self.assertFalse(response.url.endswith("/my/home"), response.url)
        self.assertEqual(self.customer.city, "Belo Horizonte")

    def test_account_odd_state_values_are_a_message_not_a_crash(self):
        # A forged <select> value: "²" passes str.isdigit() but not int(), the big one is past
        # PostgreSQL's integer range. The form answers with its message, it does not crash.
        for value in ("²", "١٢", "-1", "999999999999", "1 OR 1=1"):
            with self.subTest(value=value):
                response = self.post(state_id=value, street2="Savassi")
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.url.endswith("/my/home"), response.url)
                self.assertIn("Escolha um estado.", response.text)
                self.assertEqual(self.customer.street2, "Funcionários")

    def test_account_redirect_stays_on_the_site(self):
        for hostile in ("https://evil.example/phish", "//evil.example", "/\\evil.example",
                        "javascript:alert(1)"):
            with self.subTest(hostile=hostile):
                data = self.form(street2="Savassi", redirect=hostile)
                with mute_logger("odoo.http"):
                    response = self.url_open("/my/account", data=data, allow_redirects=False)
                self.assertEqual(response.status_code, 303)
                location = urlsplit(response.headers.get("Location", ""))
                self.assertIn(location.netloc, ("", urlsplit(self.base_url()).netloc))
                self.assertIn(location.scheme, ("", "http", "https"))
                self.assertEqual(self.customer.street2, "Savassi")
                page = self.url_open(f"/my/account?redirect={hostile}").text
                self.assertNotIn('href="javascript:', page)
                self.assertNotIn('href="//evil.example', page)

    def test_account_huge_values_are_refused(self):
        # A forged post (the form's inputs have no such size): refused with a message,
        # nothing written; the sign-up form shares the check.
        for key in ("street_name", "name", "street2"):
            with self.subTest(key=key):
                response = self.post(**{key: "Rua " + "A" * 200000})
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.url.endswith("/my/home"), response.url)
                self.assertIn("Muito longo: no máximo 200 caracteres.", response.text)
                self.assertEqual(self.customer.street_name, "Rua dos Timbiras")
                self.assertEqual(self.customer.name, "Mariana Alves Teixeira")
        # The company name input (stock) only turns red: still refused, nothing written.
        response = self.post(company_name="Empresa " + "A" * 200000)
        self.assertFalse(response.url.endswith("/my/home"), response.url)
        self.assertFalse(self.customer.company_name)
        response = self.post(street_name="Rua " + "A" * 190)
        self.assertTrue(response.url.endswith("/my/home"), response.url)

    def test_account_html_in_the_street_is_shown_as_text(self):
        hostile = '<img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a>'
        response = self.post(street_name=hostile)
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        self.assertEqual(self.customer.street_name, hostile)
        for page in ("/my/account", "/my/home"):
            with self.subTest(page=page):
                text = self.url_open(page).text
                self.assertNotIn("<img src=x", text)
                self.assertNotIn('href="javascript:', text)

    def test_signup_odd_state_values_are_a_message_not_a_crash(self):
        self.logout()
        for value in ("²", "999999999999"):
            with self.subTest(value=value), mute_logger("odoo.http"):
                response = post_signup_form(self, state_id=value)
                self.assertEqual(response.status_code, 200)
                self.assertFalse(self.env["res.users"].search(
                    [("login", "=", "joana.prado@example.com")]))

    # /web/dataset/call_kw: the stock JSON-RPC a portal user can call --------------------------

    def test_rpc_cannot_read_another_customers_address(self):
        result, error = self.rpc("res.partner", "read", [self.other.id, self.company_b.id],
                                 ["street_name", "vat"])
        self.assertIsNone(result)
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        result, error = self.rpc("res.partner", "search_read",
                                 [("street_name", "=", "Avenida Secreta")], ["name"])
        self.assertEqual(result, [])

    def test_rpc_cannot_write_a_partner_past_the_form_checks(self):
        # The address rules are in the form's check; the model itself is read-only to portal.
        for partner in (self.customer, self.other):
            with self.subTest(partner=partner.name):
                result, error = self.rpc("res.partner", "write", [partner.id],
                                         {"street_name": "Rua Hackeada", "country_id": 1})
                self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
                self.assertNotEqual(partner.street_name, "Rua Hackeada")

    def test_rpc_and_content_cannot_read_the_company_bank_account(self):
        for method, args in (("search_read", ([], ["acc_number", "meusite_branch"])),
                             ("read", ([self.company_bank.id], ["acc_number"]))):
            with self.subTest(method=method):
                result, error = self.rpc("res.partner.bank", method, *args)
                self.assertIsNone(result)
                self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        result, error = self.rpc("res.partner.bank", "create", {
            "partner_id": self.customer.id, "acc_number": "666"})
        self.assertEqual(error["data"]["name"], "odoo.exceptions.AccessError")
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/web/content/res.partner.bank/{self.company_bank.id}/acc_number")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(self.company_bank.acc_number or "-", response.text)

    # /meusite/cep/<cep>: public, hostile paths -----------------------------------------------

    def test_cep_lookup_answers_only_a_city_for_a_real_cep(self):
        self.assertEqual(self.url_open("/meusite/cep/30130-100").json()["city"],
                         "Belo Horizonte")
        hostile = (
            "30130100' OR '1'='1", "3013%' OR 1=1--", "..%2F..%2Fetc%2Fpasswd",
            "%00", "1" * 20000, "٣٠١٣٠١٠٠", "30130100%0d%0aX-Injected: 1",
            "<script>alert(1)<%2Fscript>",
        )
        for cep in hostile:
            with self.subTest(cep=cep[:40]):
                with mute_logger("odoo.http", "werkzeug"):
                    response = self.url_open(f"/meusite/cep/{cep}")
                self.assertIn(response.status_code, (200, 404, 414))
                self.assertNotIn("X-Injected", response.headers)
                if response.status_code == 200:
                    self.assertEqual(response.json(), {})
