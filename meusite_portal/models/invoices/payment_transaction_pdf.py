from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _meusite_invoice_payment_lines(self):
        """What this payment, started and not yet paid, lets the customer pay with, printed
        on the invoice's PDF under "Como pagar": a list of ``{"label", "value", "note"}``
        (e.g. a boleto's linha digitável and its due date). None here: each payment
        provider adds its own, calling this one first. A provider's addon need not depend
        on this one, hence the lookup of the next implementation."""
        following = getattr(super(), "_meusite_invoice_payment_lines", None)
        return following() if following else []
