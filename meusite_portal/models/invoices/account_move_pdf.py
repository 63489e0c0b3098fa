import base64

from odoo import models
from odoo.tools.image import image_data_uri

# The QR code's side in the PDF, in pixels of the rendered image (printed at about 4 cm).
PIX_QR_SIZE = 240


class AccountMove(models.Model):
    _inherit = "account.move"

    def _meusite_pdf_payment_values(self):
        """"Como pagar" on the invoice's PDF (views/invoices/report_invoice_templates.xml),
        or False for a document not to be paid:

        - ``lines``: what the payment providers print for the payments started on the
          invoice and not yet paid, e.g. the boleto's linha digitável (each provider fills
          ``payment.transaction._meusite_invoice_payment_lines``);
        - ``transfer``: the bank transfer details with the invoice number as reference and
          Odoo's PIX code (the invoice page's, ``_meusite_transfer_values``), for what the
          invoice owes today;
        - ``pix_qr``: that PIX code's QR image, inside the PDF (wkhtmltopdf need not reach
          the server to draw it).
        """
        self.ensure_one()
        if (
            self.move_type != "out_invoice"
            or self.state != "posted"
            or self.payment_state not in ("not_paid", "partial")
        ):
            return False
        transactions = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == "pending"
        ).sorted("id", reverse=True)
        lines = [line for tx in transactions for line in tx._meusite_invoice_payment_lines()]
        amount = self._meusite_allowed_payment_amounts()[0]
        transfer = self._meusite_transfer_values(amount)
        pix_qr = False
        if transfer and transfer["pix"]:
            png = self.env["ir.actions.report"].barcode(
                "QR", transfer["pix"]["payload"], width=PIX_QR_SIZE, height=PIX_QR_SIZE
            )
            pix_qr = image_data_uri(base64.b64encode(png))
        if not (lines or transfer):
            return False
        return {"lines": lines, "transfer": transfer, "pix_qr": pix_qr, "amount": amount}
