from odoo import api, fields, models

from ...private_api import grouped


class AccountMove(models.Model):
    """Credit only from money received; every debit the product issues is paid, reminded
    or suspended (readme/CONTEXT.md, "Credit and debits of the services").

    Every document the product issues for services — a period invoice, an order's first
    invoice, a plan change's difference (invoice or credit note), a late charge — names
    the services it bills (``meusite_service_ids``). The reminder run and the suspension run
    select open debits by the same domain (``_meusite_open_invoices_domain``); the suspension
    run suspends the services an overdue debit names, whatever kind of debit it is. A credit
    note the product issues is reconciled at once with the debits it compensates
    (``_meusite_settle_credit``): it is never left free beside an unpaid debit."""

    # One file per feature, like meusite.service's (the same model named again).
    _name = "account.move"
    _inherit = ["account.move"]

    meusite_service_ids = fields.Many2many(
        "meusite.service", "account_move_meusite_service_rel", "move_id", "service_id",
        string="Services Billed", readonly=True, copy=False, groups="base.group_user",
        help="The services this document bills or credits: left unpaid past the grace"
        " days, it suspends them.",
    )

    @api.model
    def _meusite_overdue_debits(self, limit_date, services=None):
        """Open debits of services due before ``limit_date`` (superuser records): of the
        active ``services`` given, else of every active service."""
        domain = self._meusite_open_invoices_domain() + [("invoice_date_due", "<", limit_date)]
        if services is None:
            domain.append(("meusite_service_ids.state", "=", "active"))
        else:
            domain.append(("meusite_service_ids", "in", services.ids))
        return self.sudo().search(domain, order="invoice_date_due, id")

    def _meusite_receivable_open_lines(self):
        return self.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
            and not line.reconciled
        )

    def _meusite_settle_credit(self):
        """Reconcile these posted credit notes (a downgrade's) with what they compensate.

        First the open invoices of the credit note's own services, the latest issued
        first (the periods not yet served were billed last; an upgrade left unpaid is the
        latest of all): a downgrade gives nothing beyond what was paid. What is left was
        paid by the customer: it pays the customer's other open invoices at once, oldest
        due first — except the first invoice of an order not yet paid, which the customer
        pays to start the service —, and what is still left pays the next invoices
        (billing run, plan change)."""
        Move = self.env["account.move"].sudo()
        for refund in self.sudo().filtered(
            lambda m: m.move_type == "out_refund" and m.state == "posted"
        ):
            partner = refund.commercial_partner_id
            same_books = [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", refund.company_id.id),
                ("currency_id", "=", refund.currency_id.id),
            ]
            own = Move.search(
                self._meusite_open_invoices_domain() + same_books
                + [("meusite_service_ids", "in", refund.meusite_service_ids.ids)],
                # Latest issued first: billed ahead, the periods not yet served were
                # issued last, and an upgrade after them.
                order="id desc",
            ) if refund.meusite_service_ids else Move
            for invoice in own:
                credit = refund._meusite_receivable_open_lines()
                debit = invoice._meusite_receivable_open_lines().filtered(
                    lambda line, c=credit: line.account_id in c.account_id
                )
                if not credit:
                    break
                if debit:
                    (credit + debit).reconcile()
            if not refund._meusite_receivable_open_lines():
                continue
            others = Move.search(
                self._meusite_open_invoices_domain() + same_books + [("id", "not in", own.ids)]
            ).filtered(lambda m: "pending" not in m.meusite_service_ids.mapped("state"))
            others._meusite_apply_available_credit()

    # --- Available credit (credit notes, overpayments) ---
    @api.model
    def _meusite_credit_lines(self, partners, companies=None):
        """Receivable lines still giving the customers money back (a credit note, a payment
        larger than what it paid), oldest first: their available credit."""
        return self.env["account.move.line"].sudo().search(
            self._meusite_credit_domain(partners, companies), order="date, id"
        )

    @api.model
    def _meusite_credit_domain(self, partners, companies=None):
        domain = [
            ("partner_id", "in", partners.commercial_partner_id.ids),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("amount_residual", "<", 0),
        ]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        return domain

    @api.model
    def _meusite_available_credit(self, partner):
        """"Crédito disponível": what the customer's next invoices will be paid with (one
        aggregate query: the panel shows it on every view)."""
        [(residual,)] = grouped(
            self.env["account.move.line"].sudo(), self._meusite_credit_domain(partner), [],
            ["amount_residual:sum"],
        )
        return -(residual or 0.0)

    def _meusite_apply_available_credit(self):
        """Pay these new customer invoices with their customers' available credit, oldest
        credit first. One search for all customers: a billing run without credits pays one
        query for it, not one per invoice."""
        invoices = self._meusite_open_invoices().sudo()
        if not invoices:
            return
        credit_lines = self._meusite_credit_lines(invoices.partner_id, invoices.company_id)
        if not credit_lines:
            return
        for invoice in invoices.sorted(lambda m: (m.invoice_date_due or m.date, m.id)):
            receivable = invoice._meusite_receivable_open_lines()
            credits = credit_lines.filtered(
                lambda line, inv=invoice, rec=receivable: not line.reconciled
                and line.partner_id == inv.commercial_partner_id
                and line.account_id in rec.account_id
                and line.company_id == inv.company_id
                and line.currency_id == inv.currency_id
            )
            if receivable and credits:
                (credits + receivable).reconcile()
