import re
from urllib.parse import urlsplit

from odoo import api, models
from odoo.exceptions import UserError

from ...private_api import command_ids

# Where a payment flow lands when the browser proposed somewhere else.
SAFE_LANDING_ROUTE = "/my/invoices"


def _is_local_route(route):
    """A path on this site: no scheme (``javascript:``), no other host (``//evil``)."""
    if not route or not route.startswith("/") or route.startswith("//"):
        return False
    if any(c in route for c in "\\\t\r\n ") or any(ord(c) < 32 for c in route):
        return False
    parts = urlsplit(route)
    return not parts.scheme and not parts.netloc


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    # ------------------------------------------------------------------
    # What a customer may not choose, whatever route creates the transaction
    # ------------------------------------------------------------------
    # The payment routes (``/payment/transaction``, ``/invoice/transaction/<id>``,
    # ``/invoice/transaction/overdue``, ours) all end in ``create`` in sudo, with values the
    # browser sent among them: the landing route, the amount, the reference prefix
    # (``payment_reference``, ``reference_prefix``, ``name_next_installment``). The rules
    # sit here so that a route we do not know of yet cannot skip them either.

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "landing_route" in vals and not _is_local_route(vals["landing_route"]):
                vals["landing_route"] = SAFE_LANDING_ROUTE
        if not self.env.user._is_internal():  # env.user: the routes create in sudo
            for vals in vals_list:
                self._meusite_customer_tx_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        if "landing_route" in vals and not _is_local_route(vals["landing_route"]):
            vals = dict(vals, landing_route=SAFE_LANDING_ROUTE)
        return super().write(vals)

    def _meusite_customer_tx_vals(self, vals):
        """Set the amount and reference of a transaction a customer (or a visitor with an
        invoice link) starts; refuse what may not be paid.

        :raise UserError: a payment that is not for an open invoice of ours.
        """
        invoice_ids = command_ids(self, "invoice_ids", vals.get("invoice_ids"))
        if vals.get("operation") == "validation":
            # Saving a payment method (amount decided by the provider). The browser can ask
            # for it on any payment route (``is_validation``): never on an invoice, never
            # with a provider that saves nothing, never with a reference of its choosing.
            provider = self.env["payment.provider"].sudo().browse(vals.get("provider_id"))
            if invoice_ids or not provider.allow_tokenization:
                raise UserError(self.env._("Online payments are accepted for invoices only."))
            vals["reference"] = self._compute_reference(provider.code, prefix="V")
            return
        invoices = self.env["account.move"].sudo().browse(invoice_ids).exists()
        if not invoices or len(invoices) != len(invoice_ids):
            # Only invoices are paid online here: a free amount with a free reference
            # (/payment/pay without an invoice) would only serve to confuse the staff.
            raise UserError(self.env._("Online payments are accepted for invoices only."))
        invoices._meusite_check_open_invoice()
        currency = invoices.currency_id[:1]
        allowed = invoices._meusite_allowed_payment_amounts()
        amount = vals.get("amount")
        if amount is None or not any(
            currency.compare_amounts(amount, value) == 0 for value in allowed
        ):
            vals["amount"] = allowed[0]
        vals["reference"] = self._meusite_customer_reference(
            vals.get("reference"), invoices, vals.get("provider_id")
        )

    def _meusite_customer_reference(self, reference, invoices, provider_id):
        """The reference of a customer's invoice payment: Odoo's for one invoice (its number,
        or the installment's), a new batch reference of the company for several. What the
        browser proposed is kept only when it is exactly that."""
        if len(invoices) == 1:
            prefixes = [invoices.name]
            installment = invoices._get_invoice_next_payment_values().get("next_payment_reference")
            if installment:
                prefixes.append(installment)
            if reference and any(
                re.fullmatch(re.escape(prefix) + r"(-\d+)?", reference) for prefix in prefixes
            ):
                return reference
            prefix = invoices.name
        else:
            prefix = invoices.company_id[:1].get_next_batch_payment_communication()
        provider = self.env["payment.provider"].sudo().browse(provider_id)
        return self._compute_reference(provider.code, prefix=prefix)

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

    def _meusite_invoice_payment_lines(self):
        """What this payment, started and not yet paid, lets the customer pay with, printed
        on the invoice's PDF under "Como pagar" (hook; contract tested by
        tests/test_hooks.py).

        Called by ``account.move._meusite_pdf_payment_values`` on each pending transaction
        of an open invoice (one record, as superuser), newest first. Returns a list of
        ``{"label", "value", "note"}`` (text; ``note`` may be False), e.g. a boleto's linha
        digitável and its due date. None here. A provider's override calls the next
        implementation first, then appends its own lines only for its own
        ``provider_code``. A provider's addon need not depend on this one (Moip does not):
        each implementation, this one included, looks the next one up with
        ``getattr(super(), ...)``, so the chain holds in either load order."""
        following = getattr(super(), "_meusite_invoice_payment_lines", None)
        return following() if following else []
