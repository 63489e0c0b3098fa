"""One debt, one figure (issue #25): what a customer owes today is the same on the panel
("Total Vencido"), Minhas Faturas ("Balanço em Circulação"), the invoice page (headline and
"Total a pagar") and what "Pagar Todos" / "Pagar Selecionados" charge, with the nominal
amount and the late charge shown the same way everywhere."""

import re

from odoo import http
from odoo.tests import tagged

from ..common import MeusiteInvoicesCommon, make_invoices
from .test_late_charge import set_late_charge


def money(amount):
    return f"R$ {amount}"


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


@tagged("post_install", "-at_install")
class TestOwedToday(MeusiteInvoicesCommon):

    def setUp(self):
        super().setUp()
        set_late_charge(self.env)
        # 158,90 due 42 days ago: multa 3,18 + juros 158,90 x 1% x 42/30 = 2,2246 -> 2,22,
        # 164,30 today; and 158,90 not yet due. Owed today: 317,80 + 5,40 = 323,20.
        self.overdue = make_invoices(self.env, self.customer, amount=158.90, days_ago=45,
                                     due_in=-42)
        self.open = make_invoices(self.env, self.customer, amount=158.90, days_ago=5, due_in=10)
        self.authenticate("beatriz", "beatriz-Senha123")

    def owed_on(self, page, css):
        """The figure of ``css`` and, under it, how it is made of, as text."""
        block = re.search(
            rf'<strong class="o_meusite_owed_total\s*{css}\s*"[^>]*>(.*?)</strong>\s*'
            r'(?:<small class="[^"]*o_meusite_owed_detail">(.*?)</small>)?',
            page, re.S,
        )
        self.assertTrue(block, f"{css} shows what is owed today")
        return text(block.group(1)), text(block.group(2) or "")

    def pay_page(self, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        page = self.url_open("/my/invoices/pay", data=data).text
        return float(re.search(r'data-amount="([^"]+)"', page).group(1)), page

    def invoice_page(self, invoice):
        page = self.url_open(invoice.get_portal_url()).text
        headline = re.search(r'<h2 class="mb-0 text-break mx-auto">(.*?)</h2>', page, re.S)
        return headline.group(1), page

    def test_the_same_figure_on_every_screen(self):
        detail = f"{money('317,80')} + {money('5,40')} de multa e juros por atraso"
        panel = self.url_open("/my").text
        self.assertEqual(self.owed_on(panel, "o_meusite_overdue_total"),
                         (money("323,20"), detail),
                         "the panel's Total Vencido")
        listing = self.url_open("/my/invoices").text
        self.assertEqual(self.owed_on(listing, "o_meusite_outstanding"),
                         (money("323,20"), detail), "Minhas Faturas' Balanço em Circulação")
        amount, page = self.pay_page(pay_all="1")
        self.assertAlmostEqual(amount, 323.20, msg="Pagar Todos")
        self.assertEqual(self.owed_on(page, "")[0], money("323,20"))

    def test_one_invoice_the_same_on_its_page_and_when_paid_alone(self):
        headline, page = self.invoice_page(self.overdue)
        self.assertEqual(text(headline), money("164,30"), "the invoice page's headline")
        total = page[page.index("o_meusite_total_to_pay"):][:800]
        self.assertEqual(
            self.owed_on(total, ""),
            (money("164,30"), f"{money('158,90')} + {money('5,40')} de multa e juros por atraso"),
        )
        amount, page = self.pay_page(invoice_ids=self.overdue.ids)
        self.assertAlmostEqual(amount, 164.30, msg="Pagar Selecionados")
        # Not yet due: its nominal amount everywhere, no late charge line.
        headline, page = self.invoice_page(self.open)
        self.assertEqual(text(headline), money("158,90"))
        total = page[page.index("o_meusite_total_to_pay"):][:800]
        self.assertEqual(self.owed_on(total, ""), (money("158,90"), ""))

    def test_a_payment_awaiting_confirmation_is_left_out_and_said(self):
        self._pending_tx(self.open)
        panel = self.url_open("/my").text
        self.assertEqual(self.owed_on(panel, "o_meusite_overdue_total")[0], money("164,30"))
        listing = self.url_open("/my/invoices").text
        self.assertEqual(self.owed_on(listing, "o_meusite_outstanding")[0], money("164,30"))
        pending = re.search(r'o_meusite_owed_pending">(.*?)</small>', listing, re.S).group(1)
        self.assertIn(money("158,90"), text(pending))
        # "Pagar Todos" pays what the screens show, instead of refusing the whole lot.
        amount, __ = self.pay_page(pay_all="1")
        self.assertAlmostEqual(amount, 164.30)

    def test_the_model_figure(self):
        owed = self.env["account.move"]._meusite_owed_today(self.customer)
        self.assertEqual(
            (owed["residual"], owed["late"], owed["total"], owed["invoices"]),
            (317.80, 5.40, 323.20, self.overdue | self.open),
        )
