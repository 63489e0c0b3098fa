from odoo import api, fields, models


class AccountMove(models.Model):
    """Credit only from money received; every debit the product issues is paid, reminded
    or suspended (readme/CONTEXT.md, "Credit and debits of the services").

    Every document the product issues for services — a period invoice, an order's first
    invoice, a plan change's difference (invoice or credit note), a late charge — names
    the services it bills (``meusite_service_ids``). The reminder run and the suspension run
    select open debits by the same domain (``_meusite_open_debits_domain``); the suspension
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
    def _meusite_open_debits_domain(self):
        """What the customer still owes: open posted customer invoices. The reminder run
        and the suspension run both start from it."""
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
        ]

    @api.model
    def _meusite_overdue_debits(self, limit_date, services=None):
        """Open debits of services due before ``limit_date`` (superuser records): of the
        active ``services`` given, else of every active service."""
        domain = self._meusite_open_debits_domain() + [("invoice_date_due", "<", limit_date)]
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
                self._meusite_open_debits_domain() + same_books
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
                self._meusite_open_debits_domain() + same_books + [("id", "not in", own.ids)]
            ).filtered(lambda m: "pending" not in m.meusite_service_ids.mapped("state"))
            others._meusite_apply_available_credit()
