from odoo import models
from odoo.exceptions import AccessError, UserError

from .account_move import COVERING_TX_STATES


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _get_communication(self):
        # The manual promises the invoice number as the transfer's reference: a transfer paying
        # several invoices carries all their numbers, which the customer recognises (not the
        # transaction's internal BATCH/... reference, which stays Odoo's). Staff find the
        # transaction by any of them (its invoices are searchable).
        communication = super()._get_communication()
        if len(self.invoice_ids) > 1:
            invoices = self.invoice_ids.sorted(lambda inv: inv.name or "")
            return ", ".join(invoices.mapped(lambda inv: inv.payment_reference or inv.name))
        return communication

    def _create_payment(self, **extra_create_values):
        # Odoo has no accounting payment method for custom providers, so a confirmed transfer
        # could not become a payment: book it with the bank journal's manual inbound method.
        if self.provider_code == "custom" and "payment_method_line_id" not in extra_create_values:
            lines = self.provider_id.journal_id.inbound_payment_method_line_ids
            if not lines.filtered(lambda line: line.payment_provider_id == self.provider_id):
                manual = lines.filtered(lambda line: line.code == "manual")[:1] or lines[:1]
                extra_create_values["payment_method_line_id"] = manual.id
        return super()._create_payment(**extra_create_values)

    def _meusite_supersede_drafts(self, invoices):
        """Cancel the draft transactions left on these invoices by an abandoned attempt.

        Called with the invoice rows locked, just before a new transaction is created: a
        double click or another tab cannot then turn an older draft into a second payment.
        """
        drafts = self.sudo().search(
            [
                ("invoice_ids", "in", invoices.ids),
                ("state", "=", "draft"),
            ]
        )
        drafts._set_canceled(state_message=self.env._("Replaced by a newer payment attempt."))

    def _meusite_transfer_values(self):
        self.ensure_one()
        return self.provider_id.sudo()._meusite_transfer_values(
            self.amount,
            self.currency_id,
            self._get_communication(),
            self.sudo().invoice_ids,
            awaiting=self.state in COVERING_TX_STATES,
        )

    def action_meusite_confirm_receipt(self):
        """Staff confirm that the transfer arrived: the payment is done, invoices reconciled,
        the customer informed. Public so that staff tools can call it over XML-RPC."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only accounting staff can confirm a payment."))
        txs = self.sudo()
        waiting = txs.filtered(lambda tx: tx.state in COVERING_TX_STATES)
        if not waiting or waiting != txs:
            raise UserError(
                self.env._("Only a transaction awaiting confirmation can be confirmed.")
            )
        waiting._set_done(state_message=self.env._("Receipt confirmed by %s.", self.env.user.name))
        # The post-processing books the payment and tells the customer.
        waiting._post_process()
        return True

    def _post_process(self):
        # One place for every provider (boleto, bank transfer...): a payment confirmed now is
        # announced to the customer. Only transactions not post-processed yet: a second run
        # (the cron after the status page's poll) does not send the e-mail again.
        to_notify = self.filtered(
            lambda tx: tx.state == "done"
            and not tx.is_post_processed
            and tx.operation != "validation"
            and tx.invoice_ids
            and tx.partner_id.email
        )
        res = super()._post_process()
        if to_notify:
            template = self.env.ref("meusite_portal.mail_template_payment_received")
            template.sudo().send_mail_batch(
                to_notify.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        return res
