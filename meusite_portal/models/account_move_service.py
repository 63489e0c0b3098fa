from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    meusite_service_period_ids = fields.One2many(
        "meusite.service.period", "move_id", string="Billed Service Periods"
    )

    def _invoice_paid_hook(self):
        # Called by the reconciliation when invoices become paid / in payment.
        res = super()._invoice_paid_hook()
        self.env["meusite.service"]._meusite_reactivate_for_paid(self)
        return res

    def _meusite_send_service_invoice_mail(self):
        return self._meusite_send_service_mail("meusite_portal.mail_template_service_invoice")

    def _meusite_send_service_mail(self, template_xmlid):
        """Queue one e-mail per invoice (sent by the mail queue cron, not inline, so a
        billing run does not wait on SMTP)."""
        moves = self.filtered(lambda m: m.partner_id.email)
        if moves:
            template = self.env.ref(template_xmlid)
            template.send_mail_batch(moves.ids, email_layout_xmlid="mail.mail_notification_light")
        return moves
