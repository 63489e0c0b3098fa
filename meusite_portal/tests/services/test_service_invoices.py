"""Services and their invoices (issue #25): each service lists its invoices and each invoice
line names its service (the demo included); a suspended service says why and links the
invoice to pay; staff open a contact's services from its form."""

import re

from odoo.tests import HttpCase, tagged


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


@tagged("post_install", "-at_install")
class TestServiceInvoices(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env.ref("meusite_portal.demo_service_plan")
        cls.suspended = cls.env.ref("meusite_portal.demo_service_suspended")
        cls.demo_invoices = (cls.env.ref("meusite_portal.demo_invoice_paid")
                             | cls.env.ref("meusite_portal.demo_invoice_overdue")
                             | cls.env.ref("meusite_portal.demo_invoice_not_due"))

    def test_the_demo_plan_lists_its_three_monthly_invoices(self):
        self.assertEqual(self.plan.invoice_ids, self.demo_invoices)
        self.authenticate("cliente", "cliente")
        page = self.url_open(f"/my/services/{self.plan.id}").text
        self.assertNotIn("Nenhuma fatura emitida", page)
        table = re.search(r'o_meusite_service_invoices">(.*?)</table>', page, re.S).group(1)
        self.assertEqual(table.count("<tr>"), 4, "a header and three invoices")
        for invoice in self.demo_invoices:
            self.assertIn(invoice.name, table)
        statuses = re.findall(r'data-status="(\w+)"', table)
        self.assertEqual(sorted(statuses), ["open", "overdue", "paid"])
        # The breadcrumb ends with the service: the invoice list's rows do not leak into
        # account's breadcrumb (which names an "invoice" when the page has one).
        crumbs = re.search(r'<ol class="o_portal_submenu breadcrumb[^>]*>(.*?)</ol>', page, re.S)
        self.assertTrue(crumbs, "the page has its breadcrumb")
        for invoice in self.demo_invoices:
            self.assertNotIn(invoice.name, crumbs.group(1))

    def test_each_invoice_line_names_its_service(self):
        for invoice in self.demo_invoices:
            self.assertIn(self.plan.name, invoice.invoice_line_ids.name)
        self.authenticate("cliente", "cliente")
        overdue = self.env.ref("meusite_portal.demo_invoice_overdue")
        page = self.url_open(overdue.get_portal_url()).text
        service = re.search(r'o_meusite_line_service">(.*?)</small>', page, re.S).group(1)
        self.assertIn(f'href="/my/services/{self.plan.id}"', service)
        self.assertEqual(text(service), f"Serviço: {self.plan.name}")

    def test_a_suspended_service_says_why_and_links_the_invoice_to_pay(self):
        invoice = self.suspended.suspension_move_id
        self.assertTrue(invoice, "the demo's suspended service is suspended for an invoice")
        self.assertEqual(invoice.state, "posted")
        self.authenticate("cliente2", "cliente2")
        page = self.url_open(f"/my/services/{self.suspended.id}").text
        alert = re.search(r'o_meusite_service_suspended"[^>]*>(.*?)</div>\s*</div>', page,
                          re.S).group(1)
        self.assertIn("Serviço suspenso por falta de pagamento.", text(alert))
        self.assertIn(f"venceu em {invoice.invoice_date_due:%d/%m/%Y}", text(alert))
        self.assertIn(invoice.get_portal_url(), alert)
        owed = invoice._meusite_owed_amounts()
        self.assertIn(f"{owed['total']:.2f}".replace(".", ","), text(alert))
        # "Pagar esta fatura" opens the payment page of that invoice, for what it owes today.
        form = re.search(r'<form action="/my/invoices/pay" method="post"[^>]*>(.*?)</form>',
                         alert, re.S).group(1)
        self.assertIn(f'name="invoice_ids" value="{invoice.id}"', form)
        response = self.url_open("/my/invoices/pay", data=dict(re.findall(
            r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)))
        amount = float(re.search(r'data-amount="([^"]+)"', response.text).group(1))
        self.assertAlmostEqual(amount, owed["total"])

    def test_staff_open_a_contacts_services_from_its_form(self):
        customer = self.plan.partner_id
        self.assertEqual(customer.meusite_service_count, 2)
        action = customer.action_meusite_view_services()
        self.assertEqual(self.env["meusite.service"].search(action["domain"]),
                         self.plan | self.env.ref("meusite_portal.demo_service_domain"))
        arch = self.env["res.partner"].get_view(view_type="form")["arch"]
        self.assertIn('name="action_meusite_view_services"', arch)
        self.assertIn('name="meusite_service_count"', arch)
