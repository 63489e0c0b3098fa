from markupsafe import Markup, escape

from odoo import Command, fields, models
from odoo.exceptions import AccessError, UserError

from .account_move import COVERING_TX_STATES


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _get_communication(self):
        # For several invoices the transfer carries the transaction's batch reference, which the
        # staff find on the transaction together with its invoices; one invoice keeps its number.
        communication = super()._get_communication()
        if len(self.invoice_ids) > 1:
            return self.reference
        return communication

    def _create_payment(self, **extra_create_values):
        self._meusite_book_late_charge()
        # Odoo has no accounting payment method for custom providers, so a confirmed transfer
        # could not become a payment: book it with the bank journal's manual inbound method.
        if self.provider_code == "custom" and "payment_method_line_id" not in extra_create_values:
            lines = self.provider_id.journal_id.inbound_payment_method_line_ids
            if not lines.filtered(lambda line: line.payment_provider_id == self.provider_id):
                manual = lines.filtered(lambda line: line.code == "manual")[:1] or lines[:1]
                extra_create_values["payment_method_line_id"] = manual.id
        return super()._create_payment(**extra_create_values)

    def _meusite_book_late_charge(self):
        """The server charged overdue invoices their multa and juros on top of what they
        still owe: book that part as a late-charge invoice paid by the same payment (Odoo
        reconciles the payment with every invoice of the transaction). Any other excess
        stays on the customer's account: credit for the next invoices."""
        self.ensure_one()
        invoices = self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.payment_state in ("not_paid", "partial")
        )
        if not invoices or self.operation == "validation" or len(invoices.currency_id) != 1:
            return
        charge = self.currency_id.round(self.amount - sum(invoices.mapped("amount_residual")))
        if self.currency_id.compare_amounts(charge, 0) <= 0:
            return
        late_move = invoices._meusite_create_late_charge_invoice(
            charge,
            self.partner_id.commercial_partner_id,
            fields.Date.context_today(self),
            # The amount was fixed when the transaction was created (a boleto's, a PIX's).
            fields.Date.context_today(self, self.create_date),
        )
        if late_move:
            self.invoice_ids = [Command.link(late_move.id)]

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
        waiting._post_process()
        for tx in waiting:
            tx._meusite_notify_receipt()
        return True

    def _meusite_notify_receipt(self):
        self.ensure_one()
        partner = self.partner_id
        if not partner.email:
            return
        tx = self.with_context(lang=partner.lang)
        names = ", ".join(self.invoice_ids.mapped("name")) or self.reference
        amount = self.currency_id.with_context(lang=partner.lang).format(self.amount)
        body = Markup("<p>%s</p><p>%s</p>") % (
            tx.env._("Hello %s,", partner.name),
            tx.env._(
                "We received your payment of %(amount)s for: %(invoices)s. Thank you!",
                amount=escape(amount),
                invoices=escape(names),
            ),
        )
        self.env["mail.mail"].sudo().create(
            {
                "subject": tx.env._("Payment received - %s", self.reference),
                "body_html": body,
                "email_from": self.company_id.email_formatted,
                "recipient_ids": [(4, partner.id)],
                "auto_delete": False,
            }
        )
