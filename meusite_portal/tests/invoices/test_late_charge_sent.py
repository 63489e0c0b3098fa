from odoo import Command
from odoo.tests import tagged

from ..common import MeusiteInvoicesCommon, make_invoices
from .test_invoice_pdf import pdf_text
from .test_late_charge import set_late_charge


@tagged("post_install", "-at_install")
class TestLateChargeInvoiceSent(MeusiteInvoicesCommon):
    """The late-charge invoice ("Multa por atraso", "Juros de mora") booked when an overdue
    invoice is paid is issued like every invoice of the product: its PDF rendered, kept and
    e-mailed, so the customer never sees it as a PROFORMA."""

    def test_late_charge_invoice_is_rendered_and_sent(self):
        set_late_charge(self.env)
        self.env["account.move"].search([("sending_data", "!=", False)]).sending_data = False
        overdue = make_invoices(self.env, self.customer, amount=158.90, days_ago=40, due_in=-10)
        tx = self.env["payment.transaction"].create({
            "provider_id": self.transfer.id,
            "payment_method_id": self.wire_method.id,
            "amount": 162.61,  # 158,90 + multa 3,18 + juros 0,53
            "currency_id": overdue.currency_id.id,
            "partner_id": self.customer.id,
            "reference": self.env["payment.transaction"]._compute_reference("custom"),
            "invoice_ids": [Command.set(overdue.ids)],
        })
        tx._set_pending()
        tx.action_meusite_confirm_receipt()
        late_move = tx.invoice_ids - overdue
        self.assertEqual(len(late_move), 1)
        self.assertTrue(late_move.sending_data, "the late-charge invoice is not queued to be sent")

        self.env["account.move"].with_context(
            force_report_rendering=True)._cron_account_move_send(job_count=5)
        pdf = late_move.invoice_pdf_report_id
        self.assertTrue(pdf, "the late-charge invoice has no PDF")
        text = pdf_text(pdf.raw)
        self.assertIn(late_move.name, text)
        self.assertNotIn("PROFORMA", text)
        mail = self.env["mail.mail"].search([("model", "=", "account.move"),
                                             ("res_id", "=", late_move.id)])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.customer)
        self.assertEqual(mail.attachment_ids.raw, pdf.raw)
        self.assertIn("multa e juros", mail.subject)
        self.assertIn(overdue.name, mail.body_html)

        self.authenticate("beatriz", "beatriz-Senha123")
        for url in (late_move.get_portal_url(), late_move.get_portal_url(report_type="html")):
            page = self.url_open(url)
            self.assertEqual(page.status_code, 200, url)
            self.assertNotIn("PROFORMA", page.text, url)
