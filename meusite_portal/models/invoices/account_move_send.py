from odoo import api, models
from odoo.exceptions import UserError


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_template_id(self, move):
        # Invoices of the services (billing run, orders, plan changes) are sent by Odoo's
        # sending cron with the services' template, which their sending data names.
        xmlid = (move.sending_data or {}).get("meusite_mail_template")
        if xmlid:
            return self.env.ref(xmlid)
        return super()._get_default_mail_template_id(move)

    @api.model
    def _get_mail_layout(self):
        # The one layout of the company's customer e-mails (logo, signed by the company,
        # its contact, no "Powered by Odoo"), not the salesperson's signature layout.
        return "mail.mail_notification_light"

    @api.model
    def _prepare_invoice_pdf_report(self, invoices_data):
        """One invoice per wkhtmltopdf call.

        Odoo renders a batch of invoices into one PDF and splits it by its outlines, which
        only the patched-Qt build of wkhtmltopdf writes: Debian's 0.12.6 (unpatched Qt)
        leaves them out and the split fails (EmptyFileError), so the sending cron would
        send nothing. A single invoice's PDF needs no split. It costs one wkhtmltopdf start
        per invoice (about 2 s on the shared test machine, readme/CONTEXT.md); the cron
        sends in batches.

        A render that fails is that invoice's error (logged on it by Odoo's flow, raised
        to staff sending by hand), not the whole batch's: the other invoices still go out.
        """
        for invoice, invoice_data in invoices_data.items():
            try:
                super()._prepare_invoice_pdf_report({invoice: invoice_data})
            except UserError as error:
                invoice_data["error"] = {
                    "error_title": self.env._("The invoice PDF could not be generated."),
                    "errors": [str(error.args[0])],
                }
        return None  # as Odoo's: the PDFs are in invoices_data
