import re
from urllib.parse import urlsplit

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError

from ...private_api import command_ids
from .account_move import COVERING_TX_STATES

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
        for invoice in invoices:
            if invoice.move_type != "out_invoice" or invoice.state != "posted":
                raise UserError(self.env._("Invoice %s cannot be paid online.", invoice.name))
            if invoice.payment_state not in ("not_paid", "partial") or \
                    invoice.currency_id.is_zero(invoice.amount_residual):
                raise UserError(self.env._("Invoice %s is already paid.", invoice.name))
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
            # Issued and sent like every invoice of the product (its PDF, not a PROFORMA).
            late_move._meusite_send_service_invoice_mail(
                "meusite_portal.mail_template_late_charge_invoice"
            )

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
        on the invoice's PDF under "Como pagar": a list of ``{"label", "value", "note"}``
        (e.g. a boleto's linha digitável and its due date). None here: each payment
        provider adds its own, calling this one first. A provider's addon need not depend
        on this one, hence the lookup of the next implementation."""
        following = getattr(super(), "_meusite_invoice_payment_lines", None)
        return following() if following else []
