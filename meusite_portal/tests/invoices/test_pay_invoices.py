import json
import re
import time

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestPayInvoices(MeusiteInvoicesCommon):

    def setUp(self):
        super().setUp()
        self.inv_a = make_invoices(self.env, self.customer, amount=158.90, days_ago=45, due_in=-42)
        self.inv_b = make_invoices(self.env, self.customer, amount=59.90, days_ago=5, due_in=10)
        self.authenticate("beatriz", "beatriz-Senha123")

    # helpers ------------------------------------------------------------------------------

    def _post_pay(self, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/my/invoices/pay", data=data)

    def _txs(self, invoices):
        return self.env["payment.transaction"].search([("invoice_ids", "in", invoices.ids)])

    def _pay_page_context(self, response):
        """The values the payment form would send to its transaction route."""
        html = response.text
        route = re.search(r'data-transaction-route="([^"]+)"', html).group(1)
        token = re.search(r'data-access-token="([^"]+)"', html).group(1)
        reference = re.search(r'data-payment-reference="([^"]*)"', html)
        return route, token, reference and reference.group(1)

    def _create_tx(self, response):
        """Call the page's transaction route like the payment form does; return the error
        message if refused."""
        route, token, reference = self._pay_page_context(response)
        return self._jsonrpc(route, {
            "provider_id": self.transfer.id,
            "payment_method_id": self.wire_method.id,
            "token_id": None,
            "amount": 0.01,  # whatever the browser says, the invoices' residual is charged
            "flow": "redirect",
            "tokenization_requested": False,
            "landing_route": "/my/invoices",
            "is_validation": False,
            "access_token": token,
            "payment_reference": reference,
        })

    def _jsonrpc(self, route, params):
        with mute_logger("odoo.http"):
            answer = self.url_open(route, data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": params,
            }), headers={"Content-Type": "application/json"}).json()
        return answer.get("error", {}).get("data", {}).get("message")

    def _assert_refused(self, response, message):
        self.assertTrue(response.url.endswith("/my/invoices"), response.url)
        self.assertIn(message, response.text)
        self.assertNotIn("o_payment_form", response.text)

    # the happy path -----------------------------------------------------------------------

    def test_pay_selected_invoices_creates_one_transaction_for_exactly_them(self):
        other_open = make_invoices(self.env, self.customer, amount=10.0)
        response = self._post_pay(invoice_ids=[self.inv_a.id, self.inv_b.id])
        self.assertIn("o_payment_form", response.text)
        self.assertIn(self.inv_a.name, response.text)
        self.assertIn(self.inv_b.name, response.text)
        self.assertNotIn(other_open.name, response.text)
        self.assertFalse(self._txs(self.inv_a | self.inv_b), "nothing is created before paying")

        self.assertIsNone(self._create_tx(response))
        tx = self._txs(self.inv_a | self.inv_b)
        self.assertEqual(len(tx), 1)
        self.assertEqual(tx.invoice_ids, self.inv_a | self.inv_b)
        # inv_a is 42 days overdue: 158,90 + multa 3,18 (2%) + juros 2,22 (158,90 x 1% x
        # 42/30 = 2,2246); inv_b 59,90: 224,20, the server's amount, not the browser's 0,01.
        self.assertAlmostEqual(tx.amount, 224.20)
        self.assertEqual(tx.partner_id, self.customer)

    def test_pay_all_takes_every_open_invoice_not_only_overdue(self):
        paid = make_invoices(self.env, self.customer)
        paid._meusite_demo_register_payment()
        response = self._post_pay(pay_all="1")
        self.assertIsNone(self._create_tx(response))
        tx = self._txs(self.inv_a)
        self.assertEqual(tx.invoice_ids, self.inv_a | self.inv_b)

    def test_done_transaction_reconciles_each_invoice_and_staff_confirm_mails(self):
        page = self._post_pay(invoice_ids=[self.inv_a.id, self.inv_b.id])
        self.assertIsNone(self._create_tx(page))
        tx = self._txs(self.inv_a)
        tx._set_pending()
        self.assertEqual(self.inv_a._meusite_portal_status()[0], "pending")
        with self.assertRaises(AccessError):
            tx.with_user(self.customer_user).action_meusite_confirm_receipt()
        tx.with_user(self.env.ref("base.user_admin")).action_meusite_confirm_receipt()
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.payment_id)
        for invoice in self.inv_a | self.inv_b:
            self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual), invoice.name)
            self.assertEqual(
                invoice.with_context(lang="pt_BR")._meusite_portal_status()[:2], ("paid", "Paga")
            )
        mail = self.env["mail.mail"].search([("recipient_ids", "in", self.customer.ids)])
        self.assertTrue(mail)
        self.assertIn(self.inv_a.name, mail[-1].body_html)
        self.assertIn("Recebemos o seu pagamento de R$", mail[-1].body_html)

    def test_confirm_receipt_buttons_are_in_the_backend_forms(self):
        accountant = self.env.ref("base.user_admin")
        for model in ("payment.transaction", "account.move"):
            arch = self.env[model].with_user(accountant).get_views([(False, "form")])
            self.assertIn('name="action_meusite_confirm_receipt"',
                          arch["views"]["form"]["arch"], model)

    def test_staff_confirm_from_the_invoice(self):
        self.assertIsNone(self._create_tx(self._post_pay(invoice_ids=[self.inv_a.id])))
        self._txs(self.inv_a)._set_pending()
        self.inv_a.with_user(self.env.ref("base.user_admin")).action_meusite_confirm_receipt()
        self.assertEqual(self.inv_a._meusite_portal_status()[0], "paid")

    # refusals: a clear message, nothing created --------------------------------------------

    def test_refuses_another_customers_invoice_slipped_in(self):
        foreign = make_invoices(self.env, self.other)
        response = self._post_pay(invoice_ids=[self.inv_a.id, foreign.id])
        self._assert_refused(response, "não existe mais")
        self.assertNotIn(foreign.name, response.text)
        self.assertFalse(self._txs(self.inv_a | foreign))

    def test_transaction_route_refuses_tampered_selection(self):
        foreign = make_invoices(self.env, self.other)
        response = self._post_pay(invoice_ids=[self.inv_a.id])
        route, token, reference = self._pay_page_context(response)
        error = self._jsonrpc(f"{route}-{foreign.id}", {
                "provider_id": self.transfer.id, "payment_method_id": self.wire_method.id,
                "token_id": None, "flow": "redirect", "tokenization_requested": False,
                "landing_route": "/my/invoices", "is_validation": False,
                "access_token": token, "payment_reference": reference,
        })
        self.assertIn("não é mais válida", error)
        self.assertFalse(self._txs(self.inv_a | foreign))

    def test_refuses_cancelled_invoice(self):
        self.inv_b.button_cancel()
        response = self._post_pay(invoice_ids=[self.inv_a.id, self.inv_b.id])
        self._assert_refused(response, "está cancelada")

    def test_refuses_paid_invoice(self):
        self.inv_b._meusite_demo_register_payment()
        response = self._post_pay(invoice_ids=[self.inv_a.id, self.inv_b.id])
        self._assert_refused(response, "já está paga")

    def test_refuses_invoice_with_a_pending_transfer(self):
        self._pending_tx(self.inv_b)
        response = self._post_pay(invoice_ids=[self.inv_a.id, self.inv_b.id])
        self._assert_refused(response, "Aguardando confirmação")
        self.assertEqual(len(self._txs(self.inv_a)), 0)

    def test_refuses_other_currency(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        in_dollars = make_invoices(self.env, self.customer, currency=usd)
        response = self._post_pay(invoice_ids=[self.inv_a.id, in_dollars.id])
        self._assert_refused(response, "moedas diferentes")

    def test_refuses_empty_selection_and_keeps_the_list(self):
        response = self._post_pay()
        self._assert_refused(response, "Selecione ao menos uma fatura")

    def test_refused_selection_stays_checked(self):
        self.inv_b.button_cancel()
        response = self._post_pay(invoice_ids=[self.inv_a.id, self.inv_b.id])
        self.assertRegex(response.text, rf'value="{self.inv_a.id}"[^>]*checked')

    # one payment at most per invoice --------------------------------------------------------

    def test_double_submit_leaves_a_single_live_payment(self):
        page = self._post_pay(invoice_ids=[self.inv_a.id, self.inv_b.id])
        self.assertIsNone(self._create_tx(page))
        # Double click: the first attempt, still draft, is replaced by the second.
        self.assertIsNone(self._create_tx(page))
        txs = self._txs(self.inv_a)
        self.assertEqual(len(txs), 2)
        self.assertEqual(len(txs.filtered(lambda t: t.state != "cancel")), 1)
        txs.filtered(lambda t: t.state == "draft")._set_pending()
        # Second tab, after the first transfer was chosen: refused, nothing created.
        self.assertIn("Aguardando confirmação", self._create_tx(page))
        self.assertEqual(len(self._txs(self.inv_a)), 2)

    def test_concurrent_request_holding_the_invoices_is_refused(self):
        # Another request (other tab) is creating a payment for the same invoice right now.
        invoice = self.env.ref("meusite_portal.demo_invoice_overdue")
        with db_connect(self.env.cr.dbname).cursor() as other_cr:
            other_cr.execute("SELECT id FROM account_move WHERE id = %s FOR UPDATE", [invoice.id])
            # At once (NOWAIT), not after a wait for the other request: the database would
            # let this one wait longer than the test configuration's short lock_timeout.
            self.env.cr.execute("SET LOCAL lock_timeout = '30s'")
            start = time.monotonic()
            with self.assertRaisesRegex(UserError, "outra aba"):
                invoice.with_context(lang="pt_BR")._meusite_check_payable(lock=True)
            self.assertLess(time.monotonic() - start, 10)
            self.env.cr.execute("RESET lock_timeout")
            other_cr.rollback()
        # The refused request is still usable afterwards.
        self.assertEqual(invoice._meusite_check_payable(lock=True), invoice)

    def test_stock_invoice_routes_refuse_an_invoice_inside_a_pending_transfer(self):
        self._pending_tx(self.inv_a | self.inv_b)
        common = {
            "provider_id": self.transfer.id, "payment_method_id": self.wire_method.id,
            "token_id": None, "amount": 158.90, "flow": "redirect",
            "tokenization_requested": False, "landing_route": "/my/invoices",
            "is_validation": False,
        }
        error = self._jsonrpc(f"/invoice/transaction/{self.inv_a.id}", {
            **common, "access_token": self.inv_a._portal_ensure_token(),
        })
        self.assertIn("Aguardando confirmação", error)
        error = self._jsonrpc("/invoice/transaction/overdue", {
            **common, "payment_reference": "BATCH",
        })
        self.assertIn("Aguardando confirmação", error)
        self.assertEqual(len(self._txs(self.inv_a)), 1)
