import json
import re

from odoo import http
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..common import D, MeusiteInvoicesCommon, make_invoices

DUE = D(2031, 3, 10)


def set_late_charge(env, fee="2.0", interest="1.0"):
    """Late charges on, at the rates each test works out by hand."""
    ICP = env["ir.config_parameter"].sudo()
    ICP.set_param("meusite_portal.late_charge", "True")
    ICP.set_param("meusite_portal.late_fee_percent", fee)
    ICP.set_param("meusite_portal.late_interest_percent", interest)


@tagged("post_install", "-at_install")
class TestLateChargeAmounts(TransactionCase):
    """Multa 2% once, juros 1% a month pro rata die (1%/30 a day), each rounded to the
    centavo, on what the invoice still owes. Worked by hand in each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_late_charge(cls.env)
        cls.partner = cls.env["res.partner"].create({"name": "Carla Nunes", "lang": "pt_BR"})

    def invoice(self, amount, due=DUE):
        return make_invoices(self.env, self.partner, amount=amount, line="Hospedagem",
                             invoice_date=D(2031, 3, 1), invoice_date_due=due,
                             invoice_payment_term_id=False)

    def charge(self, move, day):
        late = move._meusite_late_charge(day)
        return late["fee"], late["interest"], late["total"], late["days"]

    def test_ten_days_late(self):
        # R$ 158,90, due 10/03, paid 20/03: 10 days.
        # multa 158,90 x 2% = 3,178 -> 3,18; juros 158,90 x 1% x 10/30 = 0,5297 -> 0,53;
        # total 158,90 + 3,18 + 0,53 = 162,61.
        self.assertEqual(self.charge(self.invoice(158.90), D(2031, 3, 20)),
                         (3.18, 0.53, 162.61, 10))

    def test_one_day_late(self):
        # R$ 59,90, 1 day: multa 1,198 -> 1,20; juros 59,90 x 1%/30 = 0,01997 -> 0,02;
        # total 61,12.
        self.assertEqual(self.charge(self.invoice(59.90), D(2031, 3, 11)),
                         (1.20, 0.02, 61.12, 1))

    def test_forty_five_days_late(self):
        # R$ 1.000,00, 45 days: multa 20,00; juros 1.000 x 1% x 45/30 = 15,00; total 1.035,00.
        self.assertEqual(self.charge(self.invoice(1000.0), D(2031, 4, 24)),
                         (20.0, 15.0, 1035.0, 45))

    def test_on_what_is_still_owed_after_a_partial_payment(self):
        move = self.invoice(158.90)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({"amount": 100.0, "payment_date": D(2031, 3, 5)})._create_payments()
        # Owed 58,90, 10 days: multa 1,178 -> 1,18; juros 58,90 x 1% x 10/30 = 0,1963
        # -> 0,20; total 60,28.
        self.assertEqual(self.charge(move, D(2031, 3, 20)), (1.18, 0.20, 60.28, 10))

    def test_several_invoices_each_rounded(self):
        moves = self.invoice(158.90) | self.invoice(59.90, due=D(2031, 3, 19))
        # 158,90 (10 days): 3,18 + 0,53; 59,90 (1 day): 1,20 + 0,02.
        late = moves._meusite_late_charge(D(2031, 3, 20))
        self.assertEqual((late["fee"], late["interest"], late["total"]), (4.38, 0.55, 223.73))

    def test_nothing_before_or_on_the_due_date_nor_once_paid(self):
        move = self.invoice(158.90)
        self.assertEqual(self.charge(move, D(2031, 3, 10)), (0.0, 0.0, 158.90, 0))
        move._meusite_demo_register_payment()
        self.assertEqual(self.charge(move, D(2031, 3, 20))[:3], (0.0, 0.0, 0.0))

    def test_settings_turn_it_off_and_change_the_rates(self):
        move = self.invoice(158.90)
        self.env["res.config.settings"].create({"meusite_late_charge": False}).execute()
        self.assertEqual(self.charge(move, D(2031, 3, 20))[:3], (0.0, 0.0, 158.90))
        self.env["res.config.settings"].create({
            "meusite_late_charge": True,
            "meusite_late_fee_percent": 1.0,
            "meusite_late_interest_percent": 3.0,
        }).execute()
        # multa 1,589 -> 1,59; juros 158,90 x 3% x 10/30 = 1,589 -> 1,59; total 162,08.
        self.assertEqual(self.charge(move, D(2031, 3, 20))[:3], (1.59, 1.59, 162.08))


@tagged("post_install", "-at_install")
class TestLateChargePayment(MeusiteInvoicesCommon):
    """An invoice of R$ 158,90 ten days overdue today: multa 3,18 + juros 0,53 = 162,61."""

    def setUp(self):
        super().setUp()
        set_late_charge(self.env)
        self.overdue = make_invoices(self.env, self.customer, amount=158.90, days_ago=40,
                                     due_in=-10)
        self.authenticate("beatriz", "beatriz-Senha123")

    def _jsonrpc(self, route, params):
        with mute_logger("odoo.http"):
            return self.url_open(route, data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": params,
            }), headers={"Content-Type": "application/json"}).json()

    def _tx_params(self, **extra):
        return {
            "provider_id": self.transfer.id, "payment_method_id": self.wire_method.id,
            "token_id": None, "flow": "redirect", "tokenization_requested": False,
            "landing_route": "/my/invoices", "is_validation": False, **extra,
        }

    def _tx(self):
        return self.env["payment.transaction"].search([("invoice_ids", "in", self.overdue.ids)])

    def test_invoice_page_shows_the_updated_amount_and_how(self):
        page = self.url_open(self.overdue.get_portal_url()).text
        card = page[page.index("o_meusite_late_charge"):]
        self.assertIn("Valor atualizado", card)
        self.assertIn("10 dias", card)
        for css, amount in [
            ("o_meusite_late_residual", "158,90"), ("o_meusite_late_fee", "3,18"),
            ("o_meusite_late_interest", "0,53"), ("o_meusite_late_total", "162,61"),
        ]:
            self.assertRegex(
                card, rf'{css}">\s*<span[^>]*>R\$\xa0<span class="oe_currency_value">{amount}<'
            )
        self.assertIn("Multa (2%)", card)
        self.assertIn("Juros (1% ao mês, 10 dias)", card)
        total = page[page.index("o_meusite_total_to_pay"):][:400]
        self.assertIn("162,61", total)
        # The transfer/PIX block asks for the updated amount.
        pix = re.search(r'id="o_meusite_pix_payload"[^>]*>([^<]+)<', page).group(1)
        self.assertIn("5406162.61", pix)

    def test_no_late_charge_card_on_an_invoice_not_yet_due(self):
        open_invoice = make_invoices(self.env, self.customer, amount=59.90, due_in=3)
        page = self.url_open(open_invoice.get_portal_url()).text
        self.assertNotIn("o_meusite_late_charge", page)

    def test_the_browser_cannot_choose_the_amount_on_the_single_invoice_route(self):
        # An attacker posts the stock single-invoice route with R$ 1,00.
        answer = self._jsonrpc(f"/invoice/transaction/{self.overdue.id}", self._tx_params(
            amount=1.0, access_token=self.overdue._portal_ensure_token(),
        ))
        self.assertIn("result", answer, answer)
        self.assertEqual(self._tx().amount, 162.61)

    def test_the_browser_cannot_choose_the_amount_when_paying_a_selection(self):
        page = self.url_open("/my/invoices/pay", data={
            "invoice_ids": self.overdue.ids, "csrf_token": http.Request.csrf_token(self),
        }).text
        self.assertIn("o_meusite_pay_late_charge", page)
        route = re.search(r'data-transaction-route="([^"]+)"', page).group(1)
        answer = self._jsonrpc(route, self._tx_params(
            amount=0.01,
            access_token=re.search(r'data-access-token="([^"]+)"', page).group(1),
            payment_reference=re.search(r'data-payment-reference="([^"]*)"', page).group(1),
        ))
        self.assertIn("result", answer, answer)
        self.assertEqual(self._tx().amount, 162.61)

    def test_confirmed_transfer_pays_the_invoice_and_books_the_late_charge(self):
        self._jsonrpc(f"/invoice/transaction/{self.overdue.id}", self._tx_params(
            amount=162.61, access_token=self.overdue._portal_ensure_token(),
        ))
        tx = self._tx()
        tx._set_pending()
        tx.action_meusite_confirm_receipt()
        self.assertIn(self.overdue.payment_state, ("paid", "in_payment"))
        late_move = tx.invoice_ids - self.overdue
        self.assertEqual(len(late_move), 1)
        self.assertEqual(late_move.state, "posted")
        self.assertIn(late_move.payment_state, ("paid", "in_payment"))
        self.assertEqual(late_move.partner_id, self.customer)
        self.assertEqual(
            sorted(late_move.invoice_line_ids.mapped("price_subtotal")), [0.53, 3.18]
        )
        self.assertEqual(late_move.invoice_line_ids.product_id, (
            self.env.ref("meusite_portal.product_late_fee")
            | self.env.ref("meusite_portal.product_late_interest")))
        self.assertIn(self.overdue.name, late_move.invoice_line_ids[0].name)
        # The books balance: nothing left on the customer's receivable account.
        receivable = self.env["account.move.line"].search([
            ("partner_id", "=", self.customer.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
        ])
        self.assertAlmostEqual(sum(receivable.mapped("balance")), 0.0)
        self.assertFalse(receivable.filtered(lambda line: not line.reconciled))

    def test_off_in_settings_the_invoice_costs_what_it_owes(self):
        self.env["ir.config_parameter"].sudo().set_param("meusite_portal.late_charge", False)
        page = self.url_open(self.overdue.get_portal_url()).text
        self.assertNotIn("o_meusite_late_charge", page)
        self._jsonrpc(f"/invoice/transaction/{self.overdue.id}", self._tx_params(
            amount=1.0, access_token=self.overdue._portal_ensure_token(),
        ))
        self.assertEqual(self._tx().amount, 158.90)

    def test_an_overpayment_is_credit_not_a_late_charge(self):
        open_invoice = make_invoices(self.env, self.customer, amount=59.90, due_in=3)
        tx = self._pending_tx(open_invoice)
        # The customer's bank sent more than asked (as created by the payment form).
        tx.write({"amount": 70.0, "operation": "online_redirect"})
        tx.action_meusite_confirm_receipt()
        self.assertEqual(tx.invoice_ids, open_invoice, "no late-charge invoice")
        self.assertIn(open_invoice.payment_state, ("paid", "in_payment"))
        # 70,00 - 59,90 = 10,10 is the customer's credit for the next invoices.
        self.assertAlmostEqual(
            self.env["account.move"]._meusite_available_credit(self.customer), 10.10
        )
