import re

from odoo.tests import HttpCase, tagged

from ..common import make_invoices, make_portal_user


@tagged("post_install", "-at_install")
class TestPortalAccount(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A customer without invoices yet: once invoices exist, Odoo freezes the CPF/CNPJ.
        cls.customer = cls.env["res.partner"].create({
            "name": "Mariana Alves Teixeira", "email": "mariana.conta@example.com",
            "vat": "935.411.347-80", "phone": "+55 31 98765-4321", "lang": "pt_BR",
            "street_name": "Rua dos Timbiras", "street_number": "1200",
            "street_number2": "Apto 302", "street2": "Funcionários", "zip": "30140-061",
            "city": "Belo Horizonte", "state_id": cls.env.ref("base.state_br_mg").id,
            "country_id": cls.env.ref("base.br").id,
        })
        make_portal_user(cls.env, "conta", partner=cls.customer)
        cls.other = cls.env["res.partner"].create({
            "name": "Outra Cliente", "email": "outra@example.com", "vat": "111.444.777-35"})
        make_portal_user(cls.env, "outra@example.com", partner=cls.other)

    def setUp(self):
        super().setUp()
        self.authenticate("conta", "conta-Senha123")

    def form(self, **overrides):
        page = self.url_open("/my/account").text
        data = {
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "name": "Mariana Alves Teixeira",
            "email": "mariana.conta@example.com",
            "vat": "935.411.347-80",
            "phone": "(31) 91234-5678",
            "zipcode": "30140-061",
            "street_name": "Rua dos Timbiras",
            "street_number": "1200",
            "street_number2": "Apto 302",
            "street2": "Funcionários",
            "city": "Belo Horizonte",
            "state_id": str(self.env.ref("base.state_br_mg").id),
            "company_name": "",
            "country_id": str(self.env.ref("base.br").id),
        }
        data.update(overrides)
        return data

    def post(self, **overrides):
        return self.url_open("/my/account", data=self.form(**overrides))

    def test_form_shows_the_signup_fields_prefilled(self):
        page = self.url_open("/my/account").text
        for label in ("CPF ou CNPJ", "CEP", "Endereço", "Número", "Complemento", "Bairro"):
            self.assertIn(label, page)
        self.assertIn('value="Rua dos Timbiras"', page)
        self.assertIn('value="1200"', page)
        self.assertRegex(page, r'name="street_number2"[^>]*value="Apto 302"')
        self.assertRegex(page, r'name="street2"[^>]*value="Funcionários"')

    def test_update_phone_and_district(self):
        response = self.post()
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        self.assertRecordValues(self.customer, [{
            "phone": "(31) 91234-5678", "street2": "Funcionários",
            "street": "Rua dos Timbiras 1200 - Apto 302", "zip": "30140-061",
            "country_id": self.env.ref("base.br").id,
        }])

    def test_moving_sets_the_address_in_l10n_br_fields(self):
        # She moves to São Paulo: CEP, street, number, complement, bairro; the city and the
        # state are left for the CEP to give.
        response = self.post(zipcode="01310-100", street_name="Avenida Paulista",
                             street_number="1578", street_number2="Conjunto 12",
                             street2="Bela Vista", city="", state_id="")
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        self.assertRecordValues(self.customer, [{
            "street_name": "Avenida Paulista", "street_number": "1578",
            "street_number2": "Conjunto 12", "street2": "Bela Vista",
            "street": "Avenida Paulista 1578 - Conjunto 12", "zip": "01310-100",
            "city_id": self.env.ref("l10n_br.city_br_001").id, "city": "São Paulo",
            "state_id": self.env.ref("base.state_br_sp").id,
            "l10n_latam_identification_type_id": self.env.ref("l10n_br.cpf").id,
        }])

    def test_unknown_cep(self):
        self.refused("zipcode", "Não encontramos cidade para este CEP", zipcode="00000-000")

    def refused(self, field, message, **overrides):
        before = self.customer.read(["phone", "vat", "email", "street"])[0]
        response = self.post(phone="(31) 90000-0000", **overrides)
        self.assertEqual(response.status_code, 200)
        self.assertIn(message, response.text)
        self.assertRegex(response.text, rf'name="{field}"[^>]*is-invalid')
        self.assertIn('value="(31) 90000-0000"', response.text, "typed values come back")
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.read(["phone", "vat", "email", "street"])[0], before)

    def test_wrong_cpf(self):
        self.refused("vat", "CPF ou CNPJ inválido", vat="381.427.560-81")

    def test_cpf_frozen_once_invoices_exist(self):
        make_invoices(self.env, self.customer, 1)
        response = self.post(vat="529.982.247-25", phone="(31) 95555-0000")
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        self.assertEqual(self.customer.vat, "935.411.347-80")
        self.assertEqual(self.customer.phone, "(31) 95555-0000")

    def test_frozen_cpf_is_explained_in_the_customers_words(self):
        make_invoices(self.env, self.customer, 1)
        page = self.url_open("/my/account").text
        self.assertIn("o CPF/CNPJ e o país não podem mais ser alterados", page)
        # Odoo's own note: Portugal's "NIF" and a typo in its Portuguese term.
        self.assertNotIn("NIF", page)
        self.assertNotIn("ddepois", page)

    def test_missing_district(self):
        self.refused("street2", "Preencha este campo", street2="")

    def test_missing_number(self):
        self.refused("street_number", "Informe o número", street_number="")

    def test_cannot_write_another_partner(self):
        # Whatever the form carries, only the logged-in customer's record changes.
        self.post(partner_id=str(self.other.id), name="Hacker")
        self.assertEqual(self.other.name, "Outra Cliente")

    def test_foreign_contact_keeps_the_generic_form(self):
        self.customer.write({"country_id": self.env.ref("base.us").id, "vat": False})
        page = self.url_open("/my/account").text
        self.assertNotIn("Bairro", page)
        data = self.form(country_id=str(self.env.ref("base.us").id), vat="",
                         phone="+1 555 666 7788", state_id="")
        for key in ("street_name", "street_number", "street_number2"):
            data.pop(key)
        data["street"] = "1 Main Street"
        response = self.url_open("/my/account", data=data)
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        self.assertEqual(self.customer.phone, "+1 555 666 7788")
        self.assertEqual(self.customer.country_id, self.env.ref("base.us"))

    def test_fields_other_modules_add_are_kept(self):
        # account adds "Invoice sending" to this form; our checks must not drop it.
        target = "manual" if self.customer.invoice_sending_method == "email" else "email"
        response = self.post(invoice_sending_method=target)
        self.assertTrue(response.url.endswith("/my/home"), response.url)
        self.assertEqual(self.customer.invoice_sending_method, target)
        self.assertEqual(self.customer.phone, "(31) 91234-5678")
