from odoo import models
from odoo.exceptions import AccessError, UserError

from ...const import COVERING_TX_STATES


class AccountMove(models.Model):
    """Bank transfer and PIX: the company's bank account, Odoo's PIX code, and staff's
    "Confirmar recebimento"."""

    # One file per feature, like meusite.service's (the same model named again).
    _name = "account.move"
    _inherit = ["account.move"]

    def _meusite_bank_account(self):
        """The company account customers pay these invoices to (superuser record): the
        invoice's own "Recipient Bank" (``partner_bank_id``, the account Odoo makes its PIX
        QR code for), else, for invoices issued before the company had one, the account of
        the company's bank journal."""
        account = self.sudo().partner_bank_id[:1]
        return account or self.env["res.partner.bank"].sudo()._meusite_company_account(
            self.company_id[:1]
        )

    def _meusite_pix_references(self):
        """(free, structured) communications of this invoice's PIX code, the ones
        ``_generate_qr_code`` passes: l10n_br puts the payment reference (the invoice
        number) in the code's txid."""
        self.ensure_one()
        return self.ref or self.name, self.payment_reference

    def _meusite_transfer_values(self, amount):
        """The bank transfer / PIX card of the invoice page, for ``amount`` (what the
        invoice owes today), or False when the company has no bank account for it."""
        self.ensure_one()
        account = self._meusite_bank_account()
        if not account:
            return False
        return account._meusite_transfer_values(
            amount,
            self.currency_id,
            self.payment_reference or self.name,
            self,
            self.partner_id,
            pix_references=self._meusite_pix_references(),
        )

    def action_meusite_confirm_receipt(self):
        """Staff: the transfer covering these invoices arrived (button on the invoice)."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only accounting staff can confirm a payment."))
        txs = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state in COVERING_TX_STATES and tx.provider_code == "custom"
        )
        if not txs:
            raise UserError(
                self.env._("No bank transfer awaiting confirmation covers this invoice.")
            )
        return txs.action_meusite_confirm_receipt()
