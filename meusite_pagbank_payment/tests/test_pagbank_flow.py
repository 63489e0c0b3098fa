"""Through the real routes: the customer pays on the invoice page or by "Pagar Selecionados",
the provider talks to the PagBank double, the double pays and notifies the webhook."""

import json
import urllib.request
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_pagbank_payment.tests.common import (
    MUTE,
    TOKEN,
    PagbankCase,
    fixture,
    make_invoices,
)
from odoo.addons.meusite_pagbank_payment.tests.doubles.pagbank_double import sign


@tagged("post_install", "-at_install")
class TestPagbankFlow(PagbankCase):

    def test_pix_paid_marks_the_invoice_paid_without_staff(self):
        tx, page = self.pay_invoice(self.pix)
        self.assertEqual(tx.state, "pending")
        self.assertTrue(tx.pagbank_order_id.startswith("ORDE_"))
        # The payment page shows the QR image, the copia e cola with its copy button and the
        # expiry; the client-area menu is there.
        self.assertIn("o_pagbank_pix_qr", page)
        self.assertIn("/report/barcode/?barcode_type=QR", page)
        self.assertIn(tx.pagbank_qr_text.replace("*", ""), page.replace("*", ""))
        self.assertIn("o_pagbank_copy", page)
        self.assertIn("Válido até", page)
        self.assertIn("o_meusite_menu", page)
        image = self.url_open(tx._pagbank_qr_image_url())
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        # The invoice page shows the same PIX while it waits.
        invoice_page = self.url_open(self.invoice.get_portal_url()).text
        self.assertIn("o_pagbank_pix_qr", invoice_page)
        answer = self.simulate_payment(tx)
        self.assertEqual(answer["deliveries"], [200])
        self.assertEqual(tx.state, "done")
        self.assertPaid(self.invoice)
        self.assertEqual(len(self.payments_of(tx)), 1)

    def test_payment_page_opens_only_with_its_own_token(self):
        tx, __ = self.pay_invoice(self.pix)
        route = "/payment/pagbank/pay?reference=" + tx.reference
        self.assertEqual(self.url_open(f"{route}&access_token={tx._pagbank_access_token()}")
                         .status_code, 200)
        # Guessed, empty, or Moip's token of the same reference (another provider's salt).
        for token in ("0" * 64, "", tx._meusite_page_token("meusite_moip_boleto")):
            self.assertEqual(self.url_open(f"{route}&access_token={token}").status_code, 404,
                             token)
        # The right token of another provider's page opens nothing either.
        moip_route = "/payment/moip/boleto?reference=" + tx.reference
        self.assertEqual(self.url_open(
            f"{moip_route}&access_token={tx._moip_access_token()}").status_code, 404)

    def test_boleto_issued_and_paid_marks_the_invoice_paid(self):
        tx, page = self.pay_invoice(self.boleto)
        self.assertEqual(tx.state, "pending", tx.state_message)
        self.assertRegex(tx.pagbank_barcode, r"^\d{5}\.\d{5} \d{5}\.\d{6} \d{5}\.\d{6} \d \d{14}$")
        self.assertTrue(tx.pagbank_barcode.endswith("0000015890"))
        self.assertTrue(tx.pagbank_pdf_url.endswith(".pdf"))
        self.assertTrue(tx.pagbank_png_url.endswith(".png"))
        self.assertIn(tx.pagbank_barcode, page)
        self.assertIn("Imprimir boleto (PDF)", page)
        self.assertIn("o_meusite_menu", page)
        sent = self.double.order(tx.pagbank_order_id)
        boleto = sent["charges"][0]["payment_method"]["boleto"]
        self.assertEqual(boleto["holder"]["name"], "Joana Ribeiro Campos d Avila")
        self.assertEqual(boleto["holder"]["address"]["locality"], "Savassi")
        self.assertEqual(boleto["holder"]["address"]["postal_code"], "30130151")
        self.assertEqual(self.simulate_payment(tx)["deliveries"], [200])
        self.assertEqual(tx.state, "done")
        self.assertPaid(self.invoice)

    def test_boleto_is_a_cobranca_with_our_multa_and_juros(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("meusite_portal.late_charge", "True")
        ICP.set_param("meusite_portal.late_fee_percent", "2.0")
        ICP.set_param("meusite_portal.late_interest_percent", "1.0")
        tx, _page = self.pay_invoice(self.boleto)
        self.assertEqual(tx.state, "pending", tx.state_message)
        charge = self.double.state.posted[-1]["charges"][0]
        boleto = charge["payment_method"]["boleto"]
        self.assertEqual(boleto["template"], "COBRANCA")
        after = (fields.Date.from_string(boleto["due_date"]) + timedelta(days=1)).isoformat()
        self.assertEqual(charge["payment_instructions"], {
            "fine": {"date": after, "value": 200}, "interest": {"date": after, "value": 100},
        })

    def test_long_holder_name_is_cut_to_30_plain_characters(self):
        self.customer.name = "Maria Antônia de Souza Albuquerque-Figueiredo Neto"
        tx, _page = self.pay_invoice(self.boleto)
        self.assertEqual(tx.state, "pending", tx.state_message)
        holder = self.double.order(tx.pagbank_order_id)["charges"][0]["payment_method"][
            "boleto"]["holder"]
        self.assertEqual(holder["name"], "Maria Antonia de Souza")
        self.assertLessEqual(len(holder["name"]), 30)

    def test_pay_selected_by_pix_pays_each_invoice(self):
        second = make_invoices(self.env, self.customer, amount=59.90)
        invoices = self.invoice | second
        tx, page = self.pay_selected(self.pix, invoices)
        self.assertEqual(tx.state, "pending", tx.state_message)
        self.assertEqual(tx.invoice_ids, invoices)
        self.assertIn("o_pagbank_pix_qr", page)
        qr = self.double.order(tx.pagbank_order_id)["qr_codes"][0]
        self.assertEqual(qr["amount"]["value"], 21880)
        self.simulate_payment(tx)
        self.assertEqual(tx.state, "done")
        for invoice in invoices:
            self.assertPaid(invoice)

    # --- notifications ---

    @mute_logger(*MUTE)
    def test_forged_or_altered_notification_is_refused(self):
        tx, _page = self.pay_invoice(self.pix)
        self.double.pay(tx.pagbank_order_id)
        _headers, body = self.double.notification(tx.pagbank_order_id)
        reads = len(self.order_reads(tx))
        # Signed with another token, or altered after signing: 401, nothing read or changed.
        for signature in (sign("not-the-token", body), sign(TOKEN, body + b" "), "", "0" * 64):
            response = self.post_notification(body, signature)
            self.assertEqual(response.status_code, 401, signature)
        self.assertEqual(len(self.order_reads(tx)), reads)
        self.assertEqual(tx.state, "pending")

    @mute_logger(*MUTE)
    def test_unsigned_body_claiming_paid_is_only_a_hint(self):
        # No header (PagBank's sandbox often omits it): the order is read back, and PagBank
        # says it is still waiting, whatever the body claims.
        tx, _page = self.pay_invoice(self.pix)
        order = self.double.order(tx.pagbank_order_id)
        order["charges"] = [{"id": "CHAR_FORGED", "status": "PAID", "amount": {
            "value": 15890, "summary": {"total": 15890, "paid": 15890, "refunded": 0}}}]
        response = self.post_notification(json.dumps(order).encode())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "pending")
        self.assertEqual(self.invoice.payment_state, "not_paid")
        # The genuine, unsigned notification of a real payment is applied (read back).
        self.double.pay(tx.pagbank_order_id)
        _headers, body = self.double.notification(tx.pagbank_order_id)
        self.assertEqual(self.post_notification(body).status_code, 200)
        self.assertEqual(tx.state, "done")
        self.assertPaid(self.invoice)

    def test_duplicates_and_reordering_are_applied_once(self):
        tx, _page = self.pay_invoice(self.boleto)
        self.double.configure(duplicates=2, out_of_order=True)
        answer = self.simulate_payment(tx)
        self.assertEqual(answer["deliveries"], [200] * 4)
        # A stale WAITING delivered again after all of them.
        self.double.configure(duplicates=0, out_of_order=False)
        headers, body = self.double.notification(tx.pagbank_order_id, waiting=True)
        self.assertEqual(
            self.post_notification(body, headers["x-authenticity-token"]).status_code, 200
        )
        self.assertEqual(tx.state, "done")
        self.assertEqual(len(self.payments_of(tx)), 1)
        self.assertPaid(self.invoice)
        # Only the first delivery was worth reading back from PagBank.
        self.assertEqual(len(self.order_reads(tx)), 1)

    def test_late_waiting_read_back_never_moves_a_paid_order_back(self):
        tx, _page = self.pay_invoice(self.pix)
        stale = self.double.order(tx.pagbank_order_id)
        self.simulate_payment(tx)
        # The polling reads the order while PagBank still answers a stale copy.
        tx._pagbank_apply_order(stale)
        self.assertEqual((tx.state, tx.pagbank_status), ("done", "PAID"))

    @mute_logger(*MUTE)
    def test_another_order_claiming_our_reference_is_not_applied(self):
        # A transaction whose create failed (no order id) is found by our reference: the order
        # read back must carry that reference, or nothing is applied. Here a paid order of the
        # same PagBank account that is not ours (another system, another database).
        self.double.configure(fail_5xx=-1)
        with patch("odoo.addons.meusite_pagbank_payment.const.RETRY_DELAYS", ()):
            lost, _page = self.pay_invoice(self.pix)
        self.double.configure(fail_5xx=0)
        self.assertEqual(lost.state, "error")
        foreign = self.double.order(self._foreign_paid_order())
        body = json.dumps(dict(foreign, reference_id=lost.reference)).encode()
        self.assertEqual(self.post_notification(body).status_code, 200)
        self.assertEqual(lost.state, "error")
        self.assertFalse(lost.pagbank_order_id)
        self.assertEqual(self.invoice.payment_state, "not_paid")

    def _foreign_paid_order(self):
        body = fixture("order_request_pix")
        body["notification_urls"] = []
        request = urllib.request.Request(
            self.double.api_url + "/orders", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            order_id = json.loads(response.read())["id"]
        self.double.pay(order_id)
        return order_id

    @mute_logger(*MUTE)
    def test_notification_for_an_order_not_ours_changes_nothing(self):
        tx, _page = self.pay_invoice(self.pix)
        body = json.dumps({"id": "ORDE_NOTOURS", "reference_id": "INV/1999/00001",
                           "charges": []}).encode()
        response = self.post_notification(body, sign(TOKEN, body))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(tx.state, "pending")

    @mute_logger(*MUTE)
    def test_pagbank_unreachable_while_reading_back_asks_for_a_retry(self):
        tx, _page = self.pay_invoice(self.pix)
        self.double.pay(tx.pagbank_order_id)
        headers, body = self.double.notification(tx.pagbank_order_id)
        self.double.configure(fail_5xx=-1)
        with patch("odoo.addons.meusite_pagbank_payment.const.RETRY_DELAYS", ()):
            response = self.post_notification(body, headers["x-authenticity-token"])
        self.assertEqual(response.status_code, 503)
        self.assertEqual(tx.state, "pending")

    # --- money paths ---

    @mute_logger(*MUTE)
    def test_timed_out_create_is_recovered_by_the_notification(self):
        # PagBank created the order, but its answer came after our timeout: the transaction is
        # in error with no order id. The payment's notification finds it by our reference.
        self.double.configure(delay_after_create=1.0)
        with patch("odoo.addons.meusite_pagbank_payment.const.REQUEST_TIMEOUT", (0.3, 0.3)), \
                patch("odoo.addons.meusite_pagbank_payment.const.RETRY_DELAYS", ()):
            tx, page = self.pay_invoice(self.pix)
        self.assertEqual(tx.state, "error")
        self.assertFalse(tx.pagbank_order_id)
        self.assertIn("continua em aberto", page)
        self.double.configure(delay_after_create=0.0)
        self.double.wait_settled()  # PagBank's late answer is sent before the test goes on
        (order_id,) = self.double.state.orders
        tx.pagbank_order_id = False  # as stored: nothing
        self.env.flush_all()
        self.double.pay(order_id)
        self.assertEqual(self.double.deliver(order_id), 200)
        self.run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertEqual(tx.pagbank_order_id, order_id)
        self.assertPaid(self.invoice)

    def test_refund_reopens_the_invoice_with_an_activity(self):
        tx, _page = self.pay_invoice(self.pix)
        self.simulate_payment(tx)
        self.assertPaid(self.invoice)
        order = self.double.order(tx.pagbank_order_id)
        charge = order["charges"][0]
        self.double.refund(tx.pagbank_order_id)
        headers, body = self.double.notification(tx.pagbank_order_id)
        self.assertEqual(
            self.post_notification(body, headers["x-authenticity-token"]).status_code, 200
        )
        self.assertEqual(tx.state, "cancel")
        self.invoice.invalidate_recordset()
        self.assertEqual(self.invoice.payment_state, "not_paid")
        self.assertFalse(self.payments_of(tx))
        self.assertTrue(self.invoice.activity_ids)
        self.assertIn(str(charge["amount"]["value"]), self.invoice.activity_ids[-1].note)

    def test_polling_pays_an_order_whose_notification_was_lost(self):
        tx, _page = self.pay_invoice(self.pix)
        self.double.configure(notify=False)
        self.double.pay(tx.pagbank_order_id)
        tx.last_state_change = fields.Datetime.now() - timedelta(hours=1)
        self.env["payment.transaction"]._cron_pagbank_poll()
        self.run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertPaid(self.invoice)

    def test_expired_pix_is_cancelled_and_the_invoice_stays_payable(self):
        tx, _page = self.pay_invoice(self.pix)
        tx.write({"last_state_change": fields.Datetime.now() - timedelta(hours=1),
                  "pagbank_qr_expiration": fields.Datetime.now() - timedelta(minutes=1)})
        self.env["payment.transaction"]._cron_pagbank_poll()
        self.assertEqual(tx.state, "cancel")
        self.assertTrue(self.invoice._has_to_be_paid())
        # Paid all the same at the last second: the daily check applies it.
        self.double.configure(notify=False)
        self.double.pay(tx.pagbank_order_id)
        self.env["payment.transaction"]._cron_pagbank_poll_cancelled()
        self.run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertPaid(self.invoice)
