"""The payment rules of ``payment.transaction.create``, reached without our controller.

Every invoice payment route we know fixes the amount before it creates the transaction
(``MeusitePaymentPortal._process_transaction``), so the route attacks of
test_security_payment_routes.py pass even without the model rule. The rule exists for the
route we do not know yet: a stock, OCA or upgraded route that creates the transaction in
sudo on the customer's (or a visitor's) behalf with values from the browser. These tests do
what such a route does - ``sudo().create`` with the customer as ``env.user`` - so removing
the rule from the model fails them whatever the controllers check.
"""

import json

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestPaymentModelRules(MeusiteInvoicesCommon):
    def setUp(self):
        super().setUp()
        self.invoice = make_invoices(self.env, self.customer, amount=300.00, days_ago=10, due_in=5)
        self.others = make_invoices(self.env, self.other, amount=99.00)
        self.public_user = self.env.ref("base.public_user")

    def create_as(self, user, invoices, **values):
        """A transaction created as a stock route does: in sudo, ``user`` still env.user,
        with whatever the browser sent."""
        return self.env["payment.transaction"].with_user(user).sudo().create({
            "provider_id": self.transfer.id,
            "payment_method_id": self.wire_method.id,
            "amount": 0.01,
            "currency_id": self.brl.id,
            "partner_id": invoices.partner_id[:1].id or self.customer.id,
            "reference": self.others.name,
            "invoice_ids": [Command.set(invoices.ids)],
            "landing_route": "/my/invoices",
            **values,
        })

    def test_customer_amount_is_what_is_owed_today(self):
        tx = self.create_as(self.customer_user, self.invoice)
        self.assertAlmostEqual(tx.amount, 300.00)
        # ...and the reference is the invoice's number, not another customer's.
        self.assertEqual(tx.reference, self.invoice.name)

    def test_visitor_with_an_invoice_link_pays_what_is_owed(self):
        # account_payment's /invoice/transaction/<id> runs as the public user with a token.
        tx = self.create_as(self.public_user, self.invoice, amount=1.00)
        self.assertAlmostEqual(tx.amount, 300.00)
        self.assertEqual(tx.reference, self.invoice.name)

    def test_overdue_invoice_amount_includes_multa_and_juros(self):
        overdue = make_invoices(self.env, self.customer, amount=120.00, days_ago=40, due_in=-10)
        tx = self.create_as(self.customer_user, overdue, amount=120.00)
        self.assertAlmostEqual(tx.amount, overdue._meusite_late_charge()["total"])
        self.assertGreater(tx.amount, 120.00)

    def test_several_invoices_get_their_sum_and_a_new_batch_reference(self):
        invoices = self.invoice | make_invoices(self.env, self.customer, amount=80.00)
        tx = self.create_as(self.customer_user, invoices)
        self.assertAlmostEqual(tx.amount, 380.00)
        self.assertTrue(tx.reference.startswith("BATCH/"), tx.reference)

    def test_the_amount_owed_is_kept(self):
        tx = self.create_as(self.customer_user, self.invoice, amount=300.00)
        self.assertAlmostEqual(tx.amount, 300.00)

    def test_staff_may_register_another_amount(self):
        # The rule is the customers': staff creating a transaction in the backend are trusted.
        tx = self.create_as(self.env.ref("base.user_admin"), self.invoice, amount=100.00,
                            reference="PAGAMENTO-PARCIAL")
        self.assertAlmostEqual(tx.amount, 100.00)
        self.assertEqual(tx.reference, "PAGAMENTO-PARCIAL")

    def test_paid_or_missing_invoice_is_refused(self):
        paid = make_invoices(self.env, self.customer, amount=50.00)
        paid._meusite_demo_register_payment()
        with self.assertRaisesRegex(UserError, paid.name):
            self.create_as(self.customer_user, paid)
        with self.assertRaises(UserError):
            self.create_as(self.customer_user, self.env["account.move"])

    def test_cancelled_or_draft_invoice_is_refused(self):
        cancelled = make_invoices(self.env, self.customer, amount=70.00)
        cancelled.button_draft()
        cancelled.button_cancel()
        # A draft the staff are still writing is not owed yet.
        draft = make_invoices(self.env, self.customer, amount=500.00, post=False)
        for move in cancelled | draft:
            with self.subTest(state=move.state), self.assertRaises(UserError):
                self.create_as(self.customer_user, move)

    def test_landing_route_elsewhere_is_replaced(self):
        tx = self.create_as(self.customer_user, self.invoice,
                            landing_route="javascript:alert(document.cookie)")
        self.assertEqual(tx.landing_route, "/my/invoices")
        tx.with_user(self.public_user).sudo().write({"landing_route": "//evil.example/"})
        self.assertEqual(tx.landing_route, "/my/invoices")

    def test_json_rpc_cannot_create_a_transaction(self):
        # The generic ORM door: portal users have no access right on transactions (stock),
        # so /web/dataset/call_kw cannot reach create at all.
        self.authenticate("beatriz", "beatriz-Senha123")
        before = self.env["payment.transaction"].sudo().search_count([])
        with mute_logger("odoo.http"):
            route = "/web/dataset/call_kw/payment.transaction/create"
            answer = self.url_open(route, data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "model": "payment.transaction", "method": "create", "kwargs": {},
                    "args": [{"provider_id": self.transfer.id, "amount": 0.01,
                              "currency_id": self.brl.id, "partner_id": self.customer.id,
                              "invoice_ids": [Command.set(self.invoice.ids)]}],
                },
            }), headers={"Content-Type": "application/json"}).json()
        self.assertEqual(answer["error"]["data"]["name"], "odoo.exceptions.AccessError")
        self.assertEqual(self.env["payment.transaction"].sudo().search_count([]), before)
