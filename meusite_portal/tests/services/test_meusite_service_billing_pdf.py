from datetime import date

from odoo.tests import tagged

from ..common import MeusiteInvoicesCommon


@tagged("post_install", "-at_install")
class TestServiceBillingPdf(MeusiteInvoicesCommon):
    """The invoices of a billing run reach the customer as issued documents: their PDF is
    rendered by this machine's wkhtmltopdf (not the HTML stand-in of the test mode), kept
    as the invoice's document, attached to the e-mail, and the portal no longer previews
    them as "PROFORMA"."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        plan = cls.env["product.product"].create({
            "name": "Plano Teste", "type": "service", "list_price": 158.90, "taxes_id": [],
        })
        # Only this run's invoices are rendered (a demo database queues its demo invoices).
        cls.env["account.move"].search([("sending_data", "!=", False)]).sending_data = False
        due = date(2031, 5, 10)
        cls.services = cls.env["meusite.service"].create([{
            "partner_id": partner.id, "product_id": plan.id, "price": 158.90,
            "date_start": due, "next_due_date": due, "state": "active",
        } for partner in (cls.customer, cls.other)])

    def test_billing_run_invoices_are_sent_with_their_pdf_and_shown_as_issued(self):
        Move = self.env["account.move"]
        invoices = self.env["meusite.service"]._meusite_invoice_due_services(
            date(2031, 5, 2), service_ids=self.services.ids
        )
        self.assertEqual(len(invoices), 2)
        invoice = invoices.filtered(lambda m: m.partner_id == self.customer)
        self.authenticate("beatriz", "beatriz-Senha123")
        preview = f"/my/invoices/{invoice.id}?report_type=html"
        # Queued by the run, not yet rendered: Odoo still previews a PROFORMA.
        self.assertIn("PROFORMA", self.url_open(preview).text)

        # Odoo's sending cron, with the real wkhtmltopdf: both invoices in one call (a
        # batch render fails with Debian's wkhtmltopdf, so each is rendered alone).
        Move.with_context(force_report_rendering=True)._cron_account_move_send(job_count=20)
        for move in invoices:
            pdf = move.invoice_pdf_report_id
            self.assertTrue(pdf, move.name)
            self.assertTrue(pdf.raw.startswith(b"%PDF-"), move.name)
            self.assertFalse(move.is_being_sent)
            mail = self.env["mail.mail"].search(
                [("model", "=", "account.move"), ("res_id", "=", move.id)])
            self.assertEqual(len(mail), 1, move.name)
            self.assertEqual(mail.recipient_ids, move.partner_id)
            self.assertEqual(mail.attachment_ids.mapped("raw"), [pdf.raw])
            self.assertEqual(mail.attachment_ids.name, move.name.replace("/", "_") + ".pdf")

        # The customer's page shows the invoice as issued, and its download is that PDF.
        page = self.url_open(invoice.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("PROFORMA", page.text)
        html_view = self.url_open(preview)
        self.assertEqual(html_view.status_code, 200)
        self.assertIn(invoice.name, html_view.text)
        self.assertNotIn("PROFORMA", html_view.text)
        download = self.url_open(f"/my/invoices/{invoice.id}?report_type=pdf&download=true")
        self.assertEqual(download.status_code, 200)
        self.assertEqual(download.content, invoice.invoice_pdf_report_id.raw)
        self.assertNotIn("proforma", download.headers["Content-Disposition"].lower())

        # Nothing is sent twice: the next pass of the cron finds nothing to do.
        Move.with_context(force_report_rendering=True)._cron_account_move_send(job_count=20)
        self.assertEqual(self.env["mail.mail"].search_count(
            [("model", "=", "account.move"), ("res_id", "in", invoices.ids)]), 2)
