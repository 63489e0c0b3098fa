import base64
import html
import io
import re

from PIL import Image

from odoo.tests import tagged

from ..common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestInvoicePix(MeusiteInvoicesCommon):
    """The PIX code of the invoice page is Odoo's (account_qr_code_emv as l10n_br extends
    it) for the company's bank account and carries the invoice's number."""

    def _pix_of_page(self, url):
        page = self.url_open(url).text
        payload = re.search(r'id="o_meusite_pix_payload"[^>]*>([^<]+)<', page).group(1)
        image = re.search(r'<img[^>]*o_meusite_pix_qr[^>]*>', page).group(0)
        # Odoo's QR image route, asked by the browser apart from the page.
        src = html.unescape(re.search(r'src="(/report/barcode/\?[^"]+)"', image).group(1))
        response = self.url_open(src)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        image = "data:image/png;base64," + base64.b64encode(response.content).decode()
        return html.unescape(payload), image

    @staticmethod
    def _pixels(data_uri):
        png = base64.b64decode(data_uri.split(",", 1)[1])
        return list(Image.open(io.BytesIO(png)).convert("L").getdata())

    def assertSameQrImage(self, first, second):
        # reportlab's anti-aliasing varies by a few grey levels from one rendering of the
        # same code to the next; another code differs by black and white modules.
        first, second = self._pixels(first), self._pixels(second)
        self.assertEqual(len(first), len(second))
        self.assertLess(max(abs(a - b) for a, b in zip(first, second, strict=True)), 64)

    def test_invoice_page_pix_is_odoos_for_the_company_account(self):
        invoice = make_invoices(self.env, self.customer, amount=158.90)
        # Odoo puts the bank journal's account on the invoice: the one its PIX is made for.
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")])
        self.assertIn(self.bank_account, journal.bank_account_id)
        self.assertEqual(invoice.partner_bank_id, self.bank_account)

        self.authenticate("beatriz", "beatriz-Senha123")
        payload, image = self._pix_of_page(f"/my/invoices/{invoice.id}")

        # The text is what Odoo's EMV builder makes for this account and invoice, with the
        # arguments account.move._generate_qr_code() gives it...
        expected = invoice.partner_bank_id._get_qr_vals(
            "emv_qr", invoice.amount_residual, invoice.currency_id, invoice.partner_id,
            invoice.ref or invoice.name, invoice.payment_reference,
        )
        self.assertEqual(payload, expected)
        # ...and the image is the very QR code Odoo prints on the invoice.
        self.company.qr_code = True
        self.assertSameQrImage(image, invoice._generate_qr_code(silent_errors=False))
        self.assertEqual(invoice.qr_code_method, "emv_qr")

        # The company's PIX key, the amount, and the invoice's number as the reference
        # (field 62, txid 05: the number without its slashes, as l10n_br builds it).
        self.assertIn("0014br.gov.bcb.pix01367d9f0335-8dcc-4054-9bf9-0dbd61c2b7b1", payload)
        self.assertIn("5406158.90", payload)
        self.assertEqual(invoice.payment_reference, invoice.name)
        txid = re.sub(r"[^A-Za-z0-9]", "", invoice.name)
        self.assertRegex(
            payload, rf"62{len(txid) + 4:02d}05{len(txid):02d}{txid}6304[0-9A-F]{{4}}$"
        )
