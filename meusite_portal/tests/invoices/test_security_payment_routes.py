"""Attacks on the payment routes a customer reaches beside ours (payment, account_payment).

Each test is what a customer with an account (sign-up is open to anyone) can send with a
browser's developer tools: the stock JSON routes, with values of its choosing.
"""

import json
import re

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestPaymentRoutesAttacks(MeusiteInvoicesCommon):
    def setUp(self):
        super().setUp()
        self.invoice = make_invoices(self.env, self.customer, amount=300.00, days_ago=10, due_in=5)
        self.others = make_invoices(self.env, self.other, amount=99.00)
        self.authenticate("beatriz", "beatriz-Senha123")

    def rpc(self, route, **params):
        with mute_logger("odoo.http"):
            answer = self.url_open(route, data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": params,
            }), headers={"Content-Type": "application/json"}).json()
        return answer.get("result"), answer.get("error", {}).get("data", {}).get("message")

    def tx_values(self, **overrides):
        values = {
            "provider_id": self.transfer.id,
            "payment_method_id": self.wire_method.id,
            "token_id": None,
            "amount": None,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": self.invoice.get_portal_url(),
        }
        values.update(overrides)
        return values

    def pay_invoice(self, invoice, **overrides):
        return self.rpc(
            f"/invoice/transaction/{invoice.id}",
            access_token=invoice._portal_ensure_token(), **self.tx_values(**overrides),
        )

    def txs(self, invoices):
        return self.env["payment.transaction"].sudo().search(
            [("invoice_ids", "in", invoices.ids)]
        )

    # Class 1: a value the browser chose, rendered as a link ---------------------------------

    def test_landing_route_chosen_by_the_browser_is_not_stored(self):
        for hostile in ("javascript:alert(document.cookie)", "//evil.example/phish",
                        "https://evil.example/", " javascript:alert(1)", "/\\evil.example"):
            with self.subTest(hostile=hostile):
                self.txs(self.invoice).unlink()
                __, error = self.pay_invoice(self.invoice, landing_route=hostile)
                self.assertIsNone(error)
                tx = self.txs(self.invoice)
                self.assertEqual(tx.landing_route, "/my/invoices")
                # The stock status page renders the landing route as a link.
                page = self.url_open("/payment/status").text
                self.assertNotIn("javascript:", page)
                self.assertNotIn("evil.example", page)

    def test_a_local_landing_route_is_kept(self):
        self.pay_invoice(self.invoice, landing_route="/my/invoices/%d?x=1" % self.invoice.id)
        self.assertEqual(self.txs(self.invoice).landing_route,
                         "/my/invoices/%d?x=1" % self.invoice.id)

    # Class 4: an amount or a reference chosen by the customer --------------------------------

    def test_amount_chosen_by_the_browser_is_replaced_by_what_is_owed(self):
        result, error = self.pay_invoice(self.invoice, amount=0.01)
        self.assertIsNone(error)
        tx = self.txs(self.invoice)
        self.assertAlmostEqual(tx.amount, 300.00)
        self.assertAlmostEqual(result["amount"], 300.00)

    def test_reference_of_another_customers_invoice_is_refused(self):
        # account_payment lets the browser name "the next installment" (a reference prefix).
        __, error = self.pay_invoice(self.invoice, name_next_installment=self.others.name)
        self.assertIsNone(error)
        tx = self.txs(self.invoice)
        self.assertEqual(tx.reference, self.invoice.name)
        self.assertNotIn(self.others.name, tx.reference)

    def test_overdue_route_takes_neither_amount_nor_reference_from_the_browser(self):
        overdue = make_invoices(self.env, self.customer, amount=120.00, days_ago=40, due_in=-10)
        result, error = self.rpc(
            "/invoice/transaction/overdue", payment_reference=self.others.name,
            **self.tx_values(amount=0.01, landing_route="/my/invoices"),
        )
        self.assertIsNone(error)
        tx = self.txs(overdue)
        self.assertEqual(tx.invoice_ids, overdue)
        # What is owed today: the residual with the multa and juros of an overdue invoice.
        self.assertAlmostEqual(tx.amount, overdue._meusite_late_charge()["total"])
        self.assertGreaterEqual(tx.amount, 120.00)
        self.assertEqual(tx.reference, overdue.name)
        self.assertEqual(result["reference"], overdue.name)

    def test_batch_reference_is_ours_not_the_browsers(self):
        overdue = make_invoices(self.env, self.customer, amount=120.00, days_ago=40, due_in=-10) | \
            make_invoices(self.env, self.customer, amount=80.00, days_ago=40, due_in=-12)
        __, error = self.rpc(
            "/invoice/transaction/overdue", payment_reference=self.others.name,
            **self.tx_values(amount=0.01, landing_route="/my/invoices"),
        )
        self.assertIsNone(error)
        tx = self.env["payment.transaction"].sudo().search(
            [("partner_id", "=", self.customer.id)], order="id desc", limit=1
        )
        self.assertEqual(len(tx.invoice_ids), 2)
        self.assertAlmostEqual(tx.amount, overdue._meusite_late_charge()["total"])
        self.assertGreaterEqual(tx.amount, 200.00)
        self.assertTrue(tx.reference.startswith("BATCH/"), tx.reference)
        # No invoice of anybody's carries that number.
        self.assertFalse(self.env["account.move"].sudo().search_count(
            [("name", "=", tx.reference)]))

    def test_paid_invoice_gets_no_new_transaction(self):
        self.invoice._meusite_demo_register_payment()
        __, error = self.pay_invoice(self.invoice)
        self.assertIn(self.invoice.name, error or "")
        self.assertFalse(self.txs(self.invoice))

    def test_cancelled_invoice_gets_no_new_transaction(self):
        self.invoice.button_draft()
        self.invoice.button_cancel()
        __, error = self.pay_invoice(self.invoice)
        self.assertTrue(error)
        self.assertFalse(self.txs(self.invoice))

    def test_free_payment_with_any_reference_is_closed(self):
        # /payment/pay (no invoice) signs whatever amount the URL says for the logged-in
        # customer; /payment/transaction then takes the reference prefix from the browser.
        amount, currency = 0.01, self.brl.id
        page = self.url_open(f"/payment/pay?amount={amount}&currency_id={currency}").text
        token = re.search(r'data-access-token="([^"]+)"', page).group(1)
        before = self.env["payment.transaction"].sudo().search_count([])
        __, error = self.rpc(
            "/payment/transaction", currency_id=currency,
            partner_id=self.customer.id, access_token=token, reference_prefix=self.others.name,
            **self.tx_values(amount=amount, landing_route="/my"),
        )
        self.assertTrue(error)
        self.assertEqual(self.env["payment.transaction"].sudo().search_count([]), before)

    def test_a_validation_cannot_stand_for_a_payment(self):
        # is_validation is a key the payment routes accept from the browser: a "save my
        # card" operation of R$ 0,00 on an invoice would then wait for confirmation.
        __, error = self.pay_invoice(self.invoice, is_validation=True)
        self.assertTrue(error)
        self.assertFalse(self.txs(self.invoice))
        page = self.url_open(f"/payment/pay?amount=1&currency_id={self.brl.id}").text
        token = re.search(r'data-access-token="([^"]+)"', page).group(1)
        before = self.env["payment.transaction"].sudo().search_count([])
        __, error = self.rpc(
            "/payment/transaction", currency_id=self.brl.id, partner_id=self.customer.id,
            access_token=token, reference_prefix=self.others.name,
            **self.tx_values(amount=1.0, is_validation=True, landing_route="/my"),
        )
        self.assertTrue(error)
        self.assertEqual(self.env["payment.transaction"].sudo().search_count([]), before)
