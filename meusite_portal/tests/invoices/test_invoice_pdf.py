import io
import re
import subprocess

from PIL import Image

from odoo.tests import tagged

from ...models.invoices.ir_actions_report import PAGE_MARK, TOPAGE_MARK, footer_lines
from ..common import MeusiteInvoicesCommon, make_invoices

# The brand's blue (the logo's, res.company.primary_color of the demo company).
BRAND_BLUE = (0x1F, 0x5F, 0xA8)


def pdf_text(pdf):
    """The PDF's text as poppler reads it (what search, copy and screen readers get)."""
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def pdf_fonts(pdf):
    """(name, embedded) of each font the PDF holds (poppler's pdffonts)."""
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return [(line.split()[0], line.split()[-5] == "yes") for line in out.splitlines()[2:]]


def pdf_page_image(pdf, page=1):
    png = subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(page), "-l", str(page), "-"],
                         input=pdf, capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def flat(text):
    return re.sub(r"\s+", "", text)


@tagged("post_install", "-at_install")
class TestInvoicePdf(MeusiteInvoicesCommon):
    """The invoice PDF a customer receives (the e-mail's attachment, the download), printed
    by this machine's wkhtmltopdf (Debian's, unpatched Qt): the company and the customer on
    the page, the lines and total, how to pay it, a footer with the page number, and text
    that is text."""

    def test_sent_invoice_pdf_is_a_document_the_company_can_send(self):
        self.customer.write({
            "vat": "529.982.247-25", "street": "Rua da Bahia 1148", "city": "Belo Horizonte",
            "zip": "30160-011", "country_id": self.env.ref("base.br").id,
        })
        invoice = make_invoices(self.env, self.customer, amount=158.90, days_ago=0, due_in=10,
                                line="Plano Loja Virtual")
        self.env["account.move"].search([("sending_data", "!=", False)]).sending_data = False
        invoice._meusite_send_service_invoice_mail()
        self.env["account.move"].with_context(
            force_report_rendering=True)._cron_account_move_send(job_count=5)
        pdf = invoice.invoice_pdf_report_id.raw
        self.assertTrue(pdf and pdf.startswith(b"%PDF-"))
        # The customer's download is that document.
        self.authenticate("beatriz", "beatriz-Senha123")
        download = self.url_open(f"/my/invoices/{invoice.id}?report_type=pdf&download=true")
        self.assertEqual(download.content, pdf)

        # Real text, in fonts the PDF embeds (not letters drawn as shapes).
        fonts = pdf_fonts(pdf)
        self.assertTrue(fonts, "the PDF holds no font: its text is drawn as shapes")
        self.assertTrue(all(embedded for __, embedded in fonts), fonts)
        self.assertIn("DejaVuSans", [name for name, __ in fonts])  # the page's own text
        text = pdf_text(pdf)
        # The company: name, CNPJ, address, contact.
        company = self.company
        for expected in (company.name, "CNPJ: 27.461.538/0001-50", company.street,
                         company.phone, company.email):
            self.assertIn(expected, text)
        # The customer, the document and its lines and total.
        for expected in ("Beatriz Campos Lima", "529.982.247-25", "Rua da Bahia 1148",
                         f"Fatura {invoice.name}", "Plano Loja Virtual", "R$ 158,90"):
            self.assertIn(expected, text)
        self.assertNotIn("PROFORMA", text)
        # How to pay: the transfer with the invoice number as reference, and the PIX code
        # (its "copia e cola" is the invoice page's).
        self.assertIn("Como pagar", text)
        self.assertIn(f"Nº de referência: {invoice.name}", re.sub(r" {2,}", " ", text))
        self.assertIn("Caixa Econômica Federal (104)", text)
        pix = invoice._meusite_transfer_values(invoice.amount_residual)["pix"]["payload"]
        self.assertIn(flat(pix), flat(text))
        self.assertIn(invoice.name.replace("/", ""), pix)  # the PIX's txid
        # The footer: the company's contact and the page number, on the page.
        self.assertRegex(text, rf"{re.escape(invoice.name)} · Página 1 de 1")
        # As a picture: the logo is on the page (the brand's blue in its top quarter).
        page = pdf_page_image(pdf)
        top = page.crop((0, 0, page.width, page.height // 4))
        self.assertTrue(any(
            all(abs(a - b) < 30 for a, b in zip(pixel, BRAND_BLUE, strict=True))
            for __, pixel in top.getcolors(maxcolors=1 << 20)
        ), "no logo at the top of the page")

    def test_footer_lines_keep_page_marks(self):
        # Odoo's own layouts' footers (no marked lines) become one line with the numbers.
        lines = footer_lines(
            '<html><body><div id="minimal_layout_report_footers"><div class="footer x">'
            '<div>Acme\n Ltda</div><div>Página <span class="page"/> / <span class="topage"/>'
            '</div></div></div></body></html>')
        self.assertEqual(lines, [f"Acme Ltda Página {PAGE_MARK} / {TOPAGE_MARK}"])
