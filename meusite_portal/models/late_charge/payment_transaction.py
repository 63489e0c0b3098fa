from odoo import Command, fields, models


class PaymentTransaction(models.Model):
    # One file per feature, like meusite.service's (the same model named again).
    _name = "payment.transaction"
    _inherit = ["payment.transaction"]

    def _create_payment(self, **extra_create_values):
        # Booked first: Odoo then reconciles the payment with the late-charge invoice too.
        self._meusite_book_late_charge()
        return super()._create_payment(**extra_create_values)

    def _meusite_book_late_charge(self):
        """The server charged overdue invoices their multa and juros on top of what they
        still owe: book that part as a late-charge invoice paid by the same payment (Odoo
        reconciles the payment with every invoice of the transaction). Any other excess
        stays on the customer's account: credit for the next invoices."""
        self.ensure_one()
        invoices = self.invoice_ids._meusite_open_invoices()
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
            # Issued and sent like every invoice of the product (its PDF, not a PROFORMA).
            late_move._meusite_send_service_invoice_mail(
                "meusite_portal.mail_template_late_charge_invoice"
            )
