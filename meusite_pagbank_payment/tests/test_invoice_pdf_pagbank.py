"""The invoice's PDF (meusite_portal's "Como pagar") prints the PagBank payment the customer
started and has not paid: the boleto's linha digitável and due date, or the PIX copia e cola
while its QR code is valid. Rendered by this machine's wkhtmltopdf and read back with
poppler's pdftotext, as meusite_portal/tests/invoices/test_invoice_pdf.py does."""

import re
import subprocess
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_pagbank_payment.tests.common import MUTE, PagbankCase, make_invoices


def pdf_text(pdf):
    """The PDF's text as poppler reads it, in the order it is drawn, words as written (its
    reading mode would join a code wrapped at a hyphen without the hyphen), spaces single."""
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    return " ".join(text.split())


def flat(text):
    """Without white space: a long code wraps in "Como pagar"'s column."""
    return re.sub(r"\s+", "", text)


@tagged("post_install", "-at_install")
class TestInvoicePdfPagbank(PagbankCase):

    def sent_pdf(self, invoice):
        """The PDF the invoice e-mail carries (Odoo's sending cron renders and keeps it), and
        the customer's download of it."""
        self.env["account.move"].search([("sending_data", "!=", False)]).sending_data = False
        invoice._meusite_send_service_invoice_mail()
        self.env["account.move"].with_context(
            force_report_rendering=True)._cron_account_move_send(job_count=5)
        pdf = invoice.invoice_pdf_report_id.raw
        self.assertTrue(pdf and pdf.startswith(b"%PDF-"))
        download = self.url_open(f"/my/invoices/{invoice.id}?report_type=pdf&download=true")
        self.assertEqual(download.content, pdf)
        return pdf_text(pdf)

    def test_waiting_boleto_line_and_due_date_on_the_invoice_pdf(self):
        with mute_logger(*MUTE):
            tx, __ = self.pay_invoice(self.boleto)
        self.assertEqual(tx.state, "pending", tx.state_message)
        self.assertTrue(tx.pagbank_barcode and tx.pagbank_due_date)
        text = self.sent_pdf(self.invoice)
        self.assertIn("Como pagar", text)
        self.assertIn("Boleto (linha digitável)", text)
        self.assertIn(flat(tx.pagbank_barcode), flat(text))
        self.assertIn(f"Vencimento: {tx.pagbank_due_date.strftime('%d/%m/%Y')}", text)

    def test_waiting_pix_copia_e_cola_while_its_code_is_valid(self):
        invoice = make_invoices(self.env, self.customer, amount=89.90)
        with mute_logger(*MUTE):
            tx, __ = self.pay_invoice(self.pix, invoice)
        self.assertEqual(tx.state, "pending", tx.state_message)
        self.assertTrue(tx.pagbank_qr_text)
        tx.pagbank_qr_expiration = fields.Datetime.to_datetime("2031-05-13 20:30:00")
        text = self.sent_pdf(invoice)
        self.assertIn("PIX copia e cola", text)
        self.assertIn(flat(tx.pagbank_qr_text), flat(text))
        # When it stops working, in Brasília time (UTC-3).
        self.assertIn("Válido até 13/05/2031 17:30 (horário de Brasília)", text)
        # Expired: the code is not printed any more (PagBank refuses it; the PDF's transfer
        # and PIX of the company's own key stay).
        tx.pagbank_qr_expiration = fields.Datetime.now() - timedelta(minutes=1)
        values = invoice._meusite_pdf_payment_values()
        self.assertFalse(values["lines"])
        self.assertTrue(values["transfer"])
        # Paid or cancelled: nothing to pay with any more.
        tx.pagbank_qr_expiration = fields.Datetime.now() + timedelta(hours=1)
        self.assertTrue(invoice._meusite_pdf_payment_values()["lines"])
        tx._set_canceled()
        self.assertFalse(invoice._meusite_pdf_payment_values()["lines"])
