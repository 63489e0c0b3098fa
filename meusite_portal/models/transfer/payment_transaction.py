from odoo import models
from odoo.exceptions import AccessError, UserError

from ...const import COVERING_TX_STATES


class PaymentTransaction(models.Model):
    # One file per feature, like meusite.service's (the same model named again).
    _name = "payment.transaction"
    _inherit = ["payment.transaction"]

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

    def _meusite_transfer_values(self):
        """The transfer details of a wire transfer, from the account its invoices are paid
        to (see ``account.move._meusite_bank_account``); False without a bank account."""
        self.ensure_one()
        tx = self.sudo()
        if tx.provider_id.custom_mode != "wire_transfer":
            return False
        invoices = tx.invoice_ids
        account = (
            invoices._meusite_bank_account()
            if invoices
            else self.env["res.partner.bank"]._meusite_company_account(tx.company_id)
        )
        if not account:
            return False
        # One invoice: its PIX code is the one of its page (same references as Odoo's QR).
        pix_references = invoices._meusite_pix_references() if len(invoices) == 1 else None
        return account.sudo()._meusite_transfer_values(
            tx.amount,
            tx.currency_id,
            tx._get_communication(),
            invoices,
            tx.partner_id,
            pix_references=pix_references,
            awaiting=tx.state in COVERING_TX_STATES,
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
