from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, fields
from odoo.tests import HttpCase, TransactionCase, tagged

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

    def test_a_customer_whose_browser_is_elsewhere_reads_the_company_time(self):
        # Odoo gives a user its browser's time zone at the first login (the "tz" cookie):
        # a customer logging in from Lisbon still counts days and reads times as the
        # company does (what is overdue, the multa and juros, a ticket's time).
        user = make_portal_user(self.env, "lisboa", "Cliente Lisboa")
        user.tz = "Europe/Lisbon"  # what Odoo's first login from that browser writes
        self.authenticate("lisboa", "lisboa-Senha123")
        self.assertEqual(self.session.context["tz"], TZ, "every request of the session")
        self.assertEqual(user.with_user(user).env["res.users"].context_get()["tz"], TZ)
        staff = self.env.ref("base.user_admin")
        staff.tz = "Europe/Lisbon"
        self.assertEqual(staff.with_user(staff).env["res.users"].context_get()["tz"],
                         "Europe/Lisbon", "staff keep their own")


@tagged("post_install", "-at_install")
class TestSystemUserTimeZone(TransactionCase):
    """Crons run as the system user: at 22:30 in Belo Horizonte (01:30 UTC the next day)
    their "today" is the company's, so a cron's figures are the customer's page's."""

    def test_system_user_follows_the_company_time_zone(self):
        company_partner = self.env.ref("base.main_partner")
        system = self.env["res.users"].browse(SUPERUSER_ID)
        self.assertEqual(system.tz, company_partner.tz, "set at install, then by the demo")
        company_partner.tz = "America/Manaus"
        self.assertEqual(system.tz, "America/Manaus")
        self.env.ref("base.partner_admin").tz = "Europe/Lisbon"  # not the company: no change
        self.assertEqual(system.tz, "America/Manaus")

    def test_a_cron_at_night_computes_the_company_date(self):
        self.env.ref("base.main_partner").tz = TZ
        invoice = self.env.ref("meusite_portal.demo_invoice_overdue")
        customer = invoice.partner_id.user_ids[:1]
        self.assertTrue(customer, "the demo's overdue invoice belongs to a portal customer")
        # 22:30 in Belo Horizonte, twenty days after the due date: 01:30 UTC the next day.
        evening = invoice.invoice_date_due + timedelta(days=20)
        with freeze_time(datetime.combine(evening + timedelta(days=1), time(1, 30))):
            cron_env = self.env(user=SUPERUSER_ID, context={})  # what ir.cron gives a job
            self.assertEqual(fields.Date.context_today(cron_env["account.move"]), evening)
            owed = invoice.with_env(cron_env)._meusite_owed_amounts()
            self.assertTrue(owed["late"], "twenty days late: multa and juros")
            self.assertEqual(
                owed["total"], invoice.with_user(customer).sudo()._meusite_owed_amounts()["total"])
