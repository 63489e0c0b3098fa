"""Over real HTTP: the provider talks to the local Moip double, the double calls the webhook."""

import json
import urllib.request
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_moip_payment.tests.common import (
    WEBHOOK_TOKEN,
    MoipCommon,
    load_moip_double,
)

MUTE = (
    "odoo.addons.meusite_moip_payment.models.payment_provider",
    "odoo.addons.meusite_moip_payment.models.payment_transaction",
    "odoo.addons.meusite_moip_payment.controllers.main",
)


@tagged("post_install", "-at_install")
class TestMoipAgainstDouble(MoipCommon, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        double_module = load_moip_double()
        cls.double = double_module.MoipDouble(
            token="SANDBOXTOKEN000000000000000000AB", key="SANDBOXKEY0000000000000000000000000000AB"
        ).start()
        cls.addClassCleanup(cls.double.stop)
        cls.provider.moip_api_url = cls.double.api_url

    def setUp(self):
        super().setUp()
        self.double.configure(delay=0, fail_5xx=0, duplicates=0, out_of_order=False)
        for store in (self.double.state.preferences, self.double.state.orders,
                      self.double.state.payments):
            store.clear()
        self.double.state.deliveries.clear()
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

    @mute_logger(*MUTE)
    def test_notification_while_moip_is_down_is_retried(self):
        tx = self._issue_boleto()
        self.double.configure(fail_5xx=1, retries=1, retry_delay=0)
        answer = self._simulate(tx.moip_payment_id, 15890)
        # First delivery: Odoo cannot read the payment back (503), Moip retries: 200.
        self.assertEqual(answer["deliveries"], [200])
        outcomes = [d[2] for d in self.double.state.deliveries if d[1] == tx.moip_payment_id]
        self.assertEqual(outcomes, [503, 200])
        self.assertEqual(tx.state, "done")

    def test_register_webhook_button(self):
        self.double.state.preferences.clear()
        self.provider.action_moip_register_webhook()
        [preference] = self.double.state.preferences.values()
        self.assertEqual(preference["id"], self.provider.moip_webhook_id)
        self.assertEqual(preference["token"], self.provider.moip_webhook_token)
        self.assertEqual(preference["events"], ["PAYMENT.*"])
