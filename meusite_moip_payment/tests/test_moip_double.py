"""Over real HTTP: the provider talks to the local Moip double, the double calls the webhook."""

import json
import urllib.request
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_moip_payment.models.payment_transaction import PaymentTransaction
from odoo.addons.meusite_moip_payment.tests.common import (
    WEBHOOK_TOKEN,
    MoipDoubleCommon,
)

MUTE = (
    "odoo.addons.meusite_moip_payment.models.payment_provider",
    "odoo.addons.meusite_moip_payment.models.payment_transaction",
    "odoo.addons.meusite_moip_payment.controllers.main",
)


@tagged("post_install", "-at_install")
class TestMoipAgainstDouble(MoipDoubleCommon, HttpCase):

    def setUp(self):
        super().setUp()
        self.double.configure(delay=0, fail_5xx=0, duplicates=0, out_of_order=False,
                              retry=True, retry_delay=0.1, send_token=True)
        for store in (self.double.state.preferences, self.double.state.orders,
                      self.double.state.payments):
            store.clear()
        self.double.state.deliveries.clear()
        self.double.state.requests.clear()
        self.double.add_preference(self.base_url() + "/payment/moip/webhook", WEBHOOK_TOKEN)

    def _simulate(self, payment_id, amount):
        url = f"{self.double.base_url}/simulador/authorize?payment_id={payment_id}&amount={amount}"
        # The webhook runs in the server thread: it must see our writes, and we its writes.
        self.env.flush_all()
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
            answer = json.loads(response.read())
        self._run_post_processing()  # as the cron the webhook triggered would
        return answer

    def _issue_boleto(self):
        tx = self._create_tx()
        tx._get_processing_values()
        return tx

    def test_boleto_paid_at_the_simulator_marks_the_invoice_paid(self):
        tx = self._issue_boleto()
        self.assertEqual(tx.state, "pending")
        self.assertTrue(tx.moip_order_id.startswith("ORD-"))
        self.assertTrue(tx.moip_payment_id.startswith("PAY-"))
        self.assertRegex(tx.moip_line_code, r"^2379\d\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}$")
        self.assertTrue(tx.moip_line_code.endswith("0000015890"))
        answer = self._simulate(tx.moip_payment_id, 15890)
        self.assertEqual(answer["deliveries"], [200])
        self.assertEqual(tx.state, "done")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def test_duplicate_and_out_of_order_deliveries_reconcile_once(self):
        tx = self._issue_boleto()
        self.double.configure(duplicates=2, out_of_order=True)
        answer = self._simulate(tx.moip_payment_id, 15890)
        self.assertEqual(answer["deliveries"], [200] * 6)
        self.assertEqual(tx.state, "done")
        self.assertEqual(
            self.env["account.payment"].search_count([("payment_transaction_id", "=", tx.id)]), 1
        )
        # Only the first PAYMENT.AUTHORIZED was worth reading back from Moip.
        reads = [r for r in self.double.state.requests
                 if r == ("GET", f"/v2/payments/{tx.moip_payment_id}")]
        self.assertEqual(len(reads), 1)

    def test_payment_reads_keep_their_connection_to_moip(self):
        tx = self._issue_boleto()
        connections = self.double.state.connections
        for _read in range(3):
            payment = self.provider._moip_make_request(
                f"/payments/{tx.moip_payment_id}", method="GET"
            )
            self.assertEqual(payment["status"], "WAITING")
        self.assertLessEqual(self.double.state.connections - connections, 1)

    @mute_logger(*MUTE)
    def test_paid_amount_different_from_the_invoice_is_an_error(self):
        tx = self._issue_boleto()
        self._simulate(tx.moip_payment_id, 10000)
        self.assertEqual(tx.state, "error")
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertTrue(self.invoice.activity_ids)

    @mute_logger(*MUTE)
    def test_moip_down_gives_a_clear_message_and_nothing_is_created(self):
        self.double.configure(fail_5xx=-1)
        tx = self._issue_boleto()
        self.assertEqual(tx.state, "error")
        self.assertIn("try again", tx.state_message)
        self.assertEqual(len(self.double.state.orders), 0)
        self.assertTrue(self.invoice._has_to_be_paid())

    @mute_logger(*MUTE)
    def test_slow_moip_times_out(self):
        self.double.configure(delay=1.0)
        with patch("odoo.addons.meusite_moip_payment.const.REQUEST_TIMEOUT", (0.2, 0.2)):
            tx = self._issue_boleto()
        self.assertEqual(tx.state, "error")
        self.assertIn("not answering", tx.state_message)

    @mute_logger(*MUTE)
    def test_wrong_credentials_are_reported(self):
        self.provider.moip_key = "WRONGKEY"
        tx = self._issue_boleto()
        self.assertEqual(tx.state, "error")
        self.assertIn("credentials", tx.state_message)

    def _outcomes(self, tx):
        return [d[2] for d in self.double.state.deliveries if d[1] == tx.moip_payment_id]

    @mute_logger(*MUTE)
    def test_notification_while_moip_is_down_is_retried_once(self):
        tx = self._issue_boleto()
        self.double.configure(fail_5xx=1)
        answer = self._simulate(tx.moip_payment_id, 15890)
        # First delivery: Odoo cannot read the payment back (503); Moip retries once: 200.
        self.assertEqual(answer["deliveries"], [503])
        self.double.wait_retries()
        self.assertEqual(self._outcomes(tx), [503, 200])
        self._run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def _poll(self, tx):
        """The hourly scheduled action, once the notification is an hour old."""
        tx.last_state_change = fields.Datetime.now() - timedelta(hours=2)
        self.env["payment.transaction"]._cron_moip_poll_pending()
        self._run_post_processing()

    @mute_logger(*MUTE)
    def test_notification_without_token_is_settled_by_the_poll(self):
        tx = self._issue_boleto()
        self.double.configure(send_token=False)
        self._simulate(tx.moip_payment_id, 15890)
        self.double.wait_retries()
        # Refused (no token), retried once, refused again: Moip sends no more.
        self.assertEqual(self._outcomes(tx), [401, 401])
        self.assertEqual(tx.state, "pending")
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self._poll(tx)
        self.assertEqual(tx.state, "done")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    @mute_logger(*MUTE)
    def test_notification_whose_retry_also_failed_is_settled_by_the_poll(self):
        tx = self._issue_boleto()
        self.double.configure(fail_5xx=2)
        self._simulate(tx.moip_payment_id, 15890)
        self.double.wait_retries()
        self.assertEqual(self._outcomes(tx), [503, 503])
        self.assertEqual(tx.state, "pending")
        self._poll(tx)
        self.assertEqual(tx.state, "done")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(
            self.env["account.payment"].search_count([("payment_transaction_id", "=", tx.id)]), 1
        )

    def _cancel_locally(self, tx):
        """What the polling cron does once the due date and the grace days are past."""
        tx.moip_due_date = fields.Date.context_today(self.env.user) - timedelta(days=5)
        tx.last_state_change = fields.Datetime.now() - timedelta(days=5)
        self.env["payment.transaction"]._cron_moip_poll_pending()
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(tx.moip_status, "WAITING")

    def test_boleto_paid_after_our_cancel_pays_the_invoice(self):
        tx = self._issue_boleto()
        self._cancel_locally(tx)
        self.assertTrue(self.invoice._has_to_be_paid())
        answer = self._simulate(tx.moip_payment_id, 15890)
        self.assertEqual(answer["deliveries"], [200])
        self.assertEqual(tx.state, "done")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertFalse(self.invoice.activity_ids)

    def test_boleto_paid_after_the_invoice_was_paid_otherwise_is_a_credit(self):
        tx = self._issue_boleto()
        self._cancel_locally(tx)
        # Meanwhile the customer paid by bank transfer; staff registered it.
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({})._create_payments()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self._simulate(tx.moip_payment_id, 15890)
        self.assertEqual(tx.state, "done")
        # The money is recorded: a posted customer payment left unreconciled, i.e. a credit.
        payment = tx.payment_id
        self.assertEqual(payment.move_id.state, "posted")
        self.assertEqual(payment.partner_id, self.customer.commercial_partner_id)
        self.assertAlmostEqual(payment.amount, 158.90)
        receivable = payment.move_id.line_ids.filtered(
            lambda line: line.account_id == payment.destination_account_id
        )
        self.assertAlmostEqual(receivable.amount_residual, -158.90)
        activity = self.invoice.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn("crédito", activity.note)  # the staff read Portuguese
        self.assertIn(tx.reference, activity.note)

    def test_cancelled_boleto_paid_late_is_found_by_the_daily_check(self):
        tx = self._issue_boleto()
        self._cancel_locally(tx)
        self.double.state.preferences.clear()  # the notification never comes
        self._simulate(tx.moip_payment_id, 15890)
        self.assertEqual(tx.state, "cancel")
        self.env["payment.transaction"]._cron_moip_poll_cancelled()
        self._run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    # --- Moip's refusals, from the double, as the customer reads them ---

    def _send_anyway(self, **changes):
        """Skip our checks and change what we send, to meet Moip's own refusal."""
        build = PaymentTransaction._moip_prepare_customer_payload

        def payload(tx):
            customer = build(tx)
            for path, value in changes.items():
                target = customer
                *parents, leaf = path.split(".")
                for key in parents:
                    target = target[key]
                target[leaf] = value
            return customer

        return patch.multiple(
            PaymentTransaction,
            _moip_check_customer_data=lambda tx: None,
            _moip_prepare_customer_payload=payload,
        )

    @mute_logger(*MUTE)
    def test_customer_refusals_become_what_to_fix_in_meus_dados(self):
        cases = [
            ({"email": ""}, "CUS-005", "e-mail"),
            ({"email": "joana.campos@example.com, joana@example.org"}, "CUS-006", "e-mail"),
            ({"shippingAddress.streetNumber": "S/N"}, "CUS-024", "street number"),
            ({"shippingAddress.street": "R" * 46}, "CUS-025", "address"),
            ({"shippingAddress.complement": "C" * 46}, "CUS-025", "address"),
            ({"shippingAddress.district": "D" * 46}, "CUS-025", "address"),
            ({"shippingAddress.city": "C" * 33}, "CUS-025", "address"),
            ({"fullname": "N" * 91}, "CUS-025", "name"),
            ({"ownId": ""}, "CUS-001", "name"),
        ]
        for changes, code, what in cases:
            with self.subTest(code=code, changes=list(changes)):
                self.double.state.requests.clear()
                tx = self._create_tx()
                with self._send_anyway(**changes), self.assertLogs(
                    "odoo.addons.meusite_moip_payment.models.payment_provider", "ERROR"
                ) as logs:
                    tx._get_processing_values()
                self.assertIn(code, logs.output[0])
                self.assertEqual(tx.state, "error")
                self.assertIn("Meus Dados", tx.state_message)
                self.assertIn(what, tx.state_message)
                self.assertEqual(self.double.state.requests, [("POST", "/v2/orders")])
                self.assertFalse(tx.moip_order_id)
                self.assertTrue(self.invoice._has_to_be_paid())
        self.assertEqual(len(self.double.state.orders), 0)

    def test_second_boleto_on_an_order_gives_back_the_first(self):
        tx = self._issue_boleto()
        first = tx.moip_payment_id
        # Our first call timed out after Moip had issued the boleto: asked again, Moip refuses
        # a second one (PAY-611) and the transaction keeps the one the customer may hold.
        tx.write({"moip_payment_id": False, "state": "draft"})
        with self.assertLogs(
            "odoo.addons.meusite_moip_payment.models.payment_provider", "ERROR"
        ) as logs:
            tx._moip_create_boleto()
        self.assertIn("PAY-611", logs.output[0])
        self.assertEqual(tx.moip_payment_id, first)
        self.assertEqual(tx.state, "pending")
        self.assertEqual(len(self.double.state.payments), 1)

    @mute_logger(*MUTE)
    def test_new_boleto_on_a_paid_order_is_refused_clearly(self):
        tx = self._issue_boleto()
        self.double.state.preferences.clear()
        self._simulate(tx.moip_payment_id, 15890)
        other = self._create_tx(invoice=self._create_invoice(self.customer))
        other.moip_order_id = tx.moip_order_id
        with self.assertLogs(
            "odoo.addons.meusite_moip_payment.models.payment_provider", "ERROR"
        ) as logs:
            other._get_processing_values()
        self.assertIn("PAY-037", logs.output[0])
        self.assertEqual(other.state, "error")
        self.assertIn("nothing left to pay", other.state_message)
        self.assertEqual(len(self.double.state.payments), 1)

    def test_register_webhook_button(self):
        self.double.state.preferences.clear()
        self.provider.action_moip_register_webhook()
        [preference] = self.double.state.preferences.values()
        self.assertEqual(preference["id"], self.provider.moip_webhook_id)
        self.assertEqual(preference["token"], self.provider.moip_webhook_token)
        self.assertEqual(preference["events"], ["PAYMENT.*"])
