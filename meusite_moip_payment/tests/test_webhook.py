import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_moip_payment.models.payment_provider import MoipUnavailableError
from odoo.addons.meusite_moip_payment.tests.common import (
    PAYMENT_ID,
    WEBHOOK_TOKEN,
    MoipCommon,
    notification,
    payment_answer,
)

WEBHOOK = "/payment/moip/webhook"
MUTE = ("odoo.addons.meusite_moip_payment.controllers.main", "werkzeug")


@tagged("post_install", "-at_install")
class TestMoipWebhook(MoipCommon, HttpCase):

    def _post(self, data, token=WEBHOOK_TOKEN):
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = token
        return self.url_open(WEBHOOK, data=json.dumps(data), headers=headers)

    @mute_logger(*MUTE)
    def test_forged_or_missing_token_is_refused_with_401(self):
        tx = self._pending_tx()
        with self.mock_moip({}) as calls:
            for token in (None, "", WEBHOOK_TOKEN[:-1] + "0", "Basic " + WEBHOOK_TOKEN):
                self.assertEqual(self._post(notification(), token).status_code, 401, token)
        self.assertFalse(calls, "a forged notification must not reach Moip nor the transaction")
        self.assertEqual(tx.state, "pending")

    def test_signed_notification_pays_the_invoice(self):
        tx = self._pending_tx()
        answers = {("GET", f"/payments/{PAYMENT_ID}"): payment_answer("AUTHORIZED")}
        with self.mock_moip(answers):
            response = self._post(notification())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "done")
        self._run_post_processing()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def test_replayed_notification_is_acknowledged_and_changes_nothing(self):
        tx = self._pending_tx()
        answers = {("GET", f"/payments/{PAYMENT_ID}"): payment_answer("AUTHORIZED")}
        with self.mock_moip(answers) as calls:
            for _attempt in range(3):
                self.assertEqual(self._post(notification()).status_code, 200)
                self._run_post_processing()
        self.assertEqual(
            self.env["account.payment"].search_count([("payment_transaction_id", "=", tx.id)]), 1
        )
        # Replays claim nothing beyond what Moip already confirmed: not even read back.
        self.assertEqual(len(calls), 1)

    @mute_logger(*MUTE)
    def test_unknown_payment_is_acknowledged_without_effect(self):
        tx = self._pending_tx()
        with self.mock_moip({}):
            response = self._post(notification(payment_id="PAY-NOTOURS00000"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "pending")

    @mute_logger(*MUTE)
    def test_moip_unreachable_asks_for_a_retry(self):
        tx = self._pending_tx()
        answers = {("GET", f"/payments/{PAYMENT_ID}"): MoipUnavailableError("down")}
        with self.mock_moip(answers):
            response = self._post(notification())
        self.assertEqual(response.status_code, 503)
        self.assertEqual(tx.state, "pending")

    @mute_logger(*MUTE)
    def test_garbage_body_is_a_bad_request(self):
        response = self.url_open(
            WEBHOOK, data="not json", headers={"Authorization": WEBHOOK_TOKEN}
        )
        self.assertEqual(response.status_code, 400)


@tagged("post_install", "-at_install")
class TestMoipBoletoPage(MoipCommon, HttpCase):
    """The boleto page shows a customer's name, address and amount: only to whoever holds
    the link the payment form built (the transaction's access token)."""

    def test_boleto_page_needs_the_transactions_token(self):
        tx = self._pending_tx()
        page = f"/payment/moip/boleto?reference={tx.reference}"
        self.assertEqual(self.url_open(f"{page}&access_token={tx._moip_access_token()}")
                         .status_code, 200)
        token = tx._moip_access_token()
        forged = token[:-1] + ("1" if token.endswith("0") else "0")
        for query in ("", "&access_token=", f"&access_token={forged}"):
            with self.subTest(query=query), mute_logger("odoo.http", "werkzeug"):
                response = self.url_open(page + query)
                self.assertEqual(response.status_code, 404, query)
                self.assertNotIn(tx.partner_id.name, response.text)
