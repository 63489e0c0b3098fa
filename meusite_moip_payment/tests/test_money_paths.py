"""Money paths closed for Moip as for PagBank: a payment we never stored is matched through its
order, a refund of a paid boleto reopens the invoice, no personal data in the logs, https-only
API base URLs."""

import logging
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_moip_payment.tests.common import (
    ORDER_ID,
    PAYMENT_ID,
    MoipCommon,
    notification,
    order_answer,
    payment_answer,
)

MUTE = "odoo.addons.meusite_moip_payment.models.payment_transaction"


@tagged("post_install", "-at_install")
class TestMoipMoneyPaths(MoipCommon, TransactionCase):

    def _notify(self, data, verified):
        answers = {("GET", f"/payments/{data['resource']['payment']['id']}"): verified}
        with self.mock_moip(answers):
            return self.env["payment.transaction"]._handle_notification_data("moip", data)

    @mute_logger(MUTE)
    def test_refund_of_a_paid_boleto_reopens_the_invoice(self):
        tx = self._pending_tx()
        self._notify(notification(), payment_answer("AUTHORIZED"))
        self._run_post_processing()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self._notify(notification("PAYMENT.REFUNDED"), payment_answer("REFUNDED"))
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertEqual(tx.payment_id.state, "canceled")
        self.assertEqual(tx.state, "cancel")
        self.assertEqual(len(self.invoice.activity_ids), 1)

    def test_payment_never_stored_is_matched_through_its_order(self):
        # The payment call timed out after Moip had created the boleto: we stored the order
        # only. Its notification is matched through the order, read back and applied.
        tx = self._create_tx()
        tx.moip_order_id = ORDER_ID
        tx._set_pending()
        verified = payment_answer("AUTHORIZED")
        verified["_links"]["order"] = {"href": "x", "title": ORDER_ID}
        data = notification()
        data["resource"]["payment"]["_links"]["order"] = {"title": ORDER_ID}
        data["resource"]["payment"].pop("ownId", None)
        self.assertEqual(self._notify(data, verified), tx)
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.moip_payment_id, PAYMENT_ID)

    @mute_logger(MUTE)
    def test_payment_of_another_order_is_not_applied(self):
        tx = self._create_tx()
        tx.moip_order_id = ORDER_ID
        tx._set_pending()
        verified = payment_answer("AUTHORIZED")
        verified["_links"]["order"] = {"href": "x", "title": "ORD-SOMEONEELSE"}
        data = notification()
        data["resource"]["payment"]["_links"]["order"] = {"title": ORDER_ID}
        with self.assertRaises(ValidationError):
            self._notify(data, verified)
        self.assertEqual(tx.state, "pending")

    def test_error_with_an_order_id_is_polled_and_its_paid_boleto_applied(self):
        # The payment call timed out after Moip had issued (and the customer paid) the boleto.
        tx = self._create_tx()
        tx.moip_order_id = ORDER_ID
        tx._set_error("The payment service is not answering.")
        tx.last_state_change = fields.Datetime.now() - timedelta(hours=2)
        order = order_answer(tx.reference)
        order["payments"] = [{"id": PAYMENT_ID}]
        answers = {
            ("GET", f"/orders/{ORDER_ID}"): order,
            ("GET", f"/payments/{PAYMENT_ID}"): payment_answer("AUTHORIZED"),
        }
        with self.mock_moip(answers):
            self.env["payment.transaction"]._cron_moip_poll_pending()
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.moip_payment_id, PAYMENT_ID)
        self._run_post_processing()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))

    def test_no_personal_data_in_the_logs(self):
        tx = self._create_tx()
        answers = {
            ("POST", "/orders"): order_answer(tx.reference),
            ("POST", f"/orders/{ORDER_ID}/payments"): payment_answer(),
        }
        logger = logging.getLogger("odoo.addons.meusite_moip_payment")
        with self.assertLogs(logger, level="DEBUG") as logs, self.mock_moip(answers):
            logger.debug("start")
            tx._get_processing_values()
        self.assertEqual(tx.state, "pending")
        text = "\n".join(logs.output)
        for secret in ("52998224725", "joana.campos", "Pernambuco", "30130151", "98761234"):
            self.assertNotIn(secret, text)

    def test_api_url_must_be_https_except_on_loopback(self):
        with self.assertRaises(ValidationError):
            self.provider.moip_api_url = "http://sandbox.moip.com.br/v2"
        self.provider.moip_api_url = "https://sandbox.moip.com.br/v2"
        self.provider.moip_api_url = "http://127.0.0.1:8099/v2"
        # Written around the constraint (SQL, an old database): refused when used, before
        # anything is sent.
        self.env.flush_all()
        self.env.cr.execute("UPDATE payment_provider SET moip_api_url = %s WHERE id = %s",
                            ["http://sandbox.moip.com.br/v2", self.provider.id])
        self.provider.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "https://"):
            self.provider._moip_make_request("/orders/ORD-X", method="GET")
