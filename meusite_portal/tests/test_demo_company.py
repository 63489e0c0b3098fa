from stdnum.br import cpf

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoCompany(TransactionCase):
    """The demo database is the company of the manual, not Odoo's "YourCompany"."""

    def test_company_is_brazilian(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Meu Site Expresso")
        self.assertEqual(company.country_id.code, "BR")
        self.assertEqual(company.currency_id.name, "BRL")
        self.assertEqual(company.partner_id.lang, "pt_BR")

    def test_demo_customer_has_a_portal_login_and_valid_cpf(self):
        user = self.env.ref("meusite_portal.demo_customer_user")
        self.assertTrue(user._is_portal())
        self.assertEqual(user.lang, "pt_BR")
        partner = user.partner_id
        self.assertTrue(cpf.is_valid(partner.vat), partner.vat)
        self.assertEqual((partner.city, partner.state_id.code), ("Belo Horizonte", "MG"))
