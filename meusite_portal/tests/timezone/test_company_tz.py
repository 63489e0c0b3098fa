from datetime import datetime

from odoo.tests import HttpCase, tagged

from ..common import make_portal_user, post_signup_form

TZ = "America/Sao_Paulo"


@tagged("post_install", "-at_install")
class TestCompanyTimeZone(HttpCase):
    """Customers and staff the product creates live in the company's time zone (its
    partner's), and a customer reads every date and time in it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.partner_id.tz = TZ

    def test_demo_company_and_its_people_are_in_sao_paulo(self):
        self.assertEqual(self.env.ref("base.main_partner").tz, TZ)
        for xmlid in ("meusite_portal.demo_customer_user", "base.user_admin"):
            self.assertEqual(self.env.ref(xmlid).tz, TZ, xmlid)

    def test_sign_up_gets_the_company_time_zone(self):
        # A browser whose clock says UTC: the customer is the company's.
        post_signup_form(self)
        user = self.env["res.users"].search([("login", "=", "joana.prado@example.com")])
        self.assertTrue(user)
        self.assertEqual(user.tz, TZ)

    def test_customers_and_staff_created_get_it(self):
        partner = self.env["res.partner"].with_context(tz=False).create({"name": "Cliente Novo"})
        self.assertEqual(partner.tz, TZ)
        staff = self.env["res.users"].with_context(tz=False).create({
            "name": "Equipe Nova", "login": "equipe.nova@example.com",
            "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
        })
        self.assertEqual(staff.tz, TZ)
        invited = make_portal_user(self.env, "convidada", "Convidada Silva")
        self.assertEqual(invited.tz, TZ)

    def test_a_customer_without_time_zone_reads_the_company_time(self):
        user = make_portal_user(self.env, "semfuso", "Sem Fuso")
        user.tz = False
        self.assertEqual(user.with_user(user).env["res.users"].context_get()["tz"], TZ)
        # 14:35 UTC is 11:35 in Belo Horizonte.
        when = datetime(2026, 12, 7, 14, 35)
        self.assertEqual(
            self.env["ir.qweb.field.datetime"].with_context(tz=TZ, lang="pt_BR")
            .value_to_html(when, {"format": "HH:mm"}), "11:35")
