import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ...const import (
    CYCLE_MONTHS,
    CYCLE_SELECTION,
    GRACE_DAYS_PARAM,
    LEAD_DAYS_PARAM,
    PROVISION_USER_PARAM,
)
from ...private_api import query_rows

_logger = logging.getLogger(__name__)


class MeusiteService(models.Model):
    """One contracted product (a plan, a domain registration...) of one customer.

    The service bills itself: ``_meusite_invoice_due_services`` (daily cron) issues one
    invoice per customer for every period falling due in the next few days. Each billed
    period is a ``meusite.service.period`` row, unique per (service, period start), so the
    database itself refuses a second invoice for the same period.
    """

    _name = "meusite.service"
    _description = "Customer Service"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "next_due_date, id"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    product_id = fields.Many2one(
        "product.product", string="Product/Service", required=True,
        domain=[("sale_ok", "=", True)],
    )
    # Related fields read as superuser: portal customers see the plan's name without
    # read access to products.
    product_name = fields.Char(related="product_id.name", string="Product Name")
    domain_name = fields.Char(string="Domain")
    is_domain = fields.Boolean(
        string="Domain Registration",
        help="A domain registration; counted as a domain in the customer's panel.",
    )
    date_start = fields.Date(
        string="Start Date", required=True, default=fields.Date.context_today
    )
    cycle = fields.Selection(
        CYCLE_SELECTION, string="Billing Cycle", required=True, default="monthly",
    )
    price = fields.Monetary(string="Recurring Price", required=True)
    next_due_date = fields.Date(
        compute="_compute_next_due_date", store=True,
        readonly=False, required=True, index=True, tracking=True,
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("active", "Active"),
            ("suspended", "Suspended"),
            ("cancelled", "Cancelled"),
        ],
        string="Status", required=True, default="pending", index=True, tracking=True,
    )
    suspension_move_id = fields.Many2one(
        "account.move", string="Suspended For", readonly=True, copy=False,
        help="The overdue invoice that suspended this service; paying it reactivates it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_ids = fields.One2many("meusite.service.period", "service_id", string="Billed Periods")
    invoice_ids = fields.Many2many(
        "account.move", string="Invoices", compute="_compute_invoice_ids"
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids")

    _sql_constraints = [
        ("price_positive", "CHECK(price >= 0)", "The recurring price cannot be negative."),
    ]

    @api.depends("product_id", "domain_name")
    def _compute_name(self):
        for service in self:
            parts = [service.product_id.name or "", service.domain_name or ""]
            service.name = " - ".join(p for p in parts if p)

    @api.depends("date_start")
    def _compute_next_due_date(self):
        for service in self:
            if not service.next_due_date:
                service.next_due_date = service.date_start

    @api.depends("period_ids.move_id")
    def _compute_invoice_ids(self):
        for service in self:
            service.invoice_ids = service.period_ids.move_id
            service.invoice_count = len(service.invoice_ids)

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.product_id and not self.price:
            self.price = self.product_id.lst_price

    # ------------------------------------------------------------------ staff actions
    def action_activate(self):
        self.filtered(lambda s: s.state in ("pending", "suspended")).write(
            {"state": "active", "suspension_move_id": False}
        )

    def action_suspend(self):
        self.filtered(lambda s: s.state in ("pending", "active")).write({"state": "suspended"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    # ------------------------------------------------------------------ billing engine
    def _period_end(self, period_start):
        self.ensure_one()
        return self._next_due(period_start) - timedelta(days=1)

    def _next_due(self, due):
        """Advance by the cycle, keeping the start date's day of month (31 Jan → 28 Feb
        → 31 Mar) so that short months do not make the due date drift."""
        self.ensure_one()
        return due + relativedelta(months=CYCLE_MONTHS[self.cycle], day=self.date_start.day)

    @api.model
    def _meusite_config_days(self, param):
        value = self.env["ir.config_parameter"]._meusite_get_param(param)
        try:
            return int(value)
        except ValueError:
            raise UserError(
                self.env._("The system parameter %(param)s must be a number of days.", param=param)
            ) from None

    @api.model
    def _lock_due_services(self, limit_date, service_ids=None):
        """Ids of the active services due by ``limit_date``, row-locked.

        SKIP LOCKED: a second worker running at the same time leaves the rows the first
        one holds; once the first commits, they are no longer due (next date advanced), and
        the unique (service, period start) index catches whatever slips through."""
        query = """
            SELECT id FROM meusite_service
             WHERE state = 'active' AND next_due_date <= %s
               -- cancelled by the customer from that due date on: not billed again
               AND (cancel_effective_date IS NULL OR cancel_effective_date > next_due_date)
        """
        params = [limit_date]
        if service_ids is not None:
            query += " AND id = ANY(%s)"
            params.append(list(service_ids))
        query += " ORDER BY commercial_partner_id, id FOR UPDATE SKIP LOCKED"
        rows = query_rows(self.env, query, params, flush={self._name: None})
        return [row[0] for row in rows]

    @api.model
    def _meusite_invoice_due_services(self, date_ref=None, service_ids=None):
        """Invoice every active service due within the lead time; returns the invoices.

        One posted invoice per customer (commercial partner) and company, one line per
        service, due on the earliest due date among them; each invoice is e-mailed.
        ``service_ids`` restricts the run (tests, benchmarks)."""
        date_ref = date_ref or fields.Date.context_today(self)
        lead_days = self._meusite_config_days(LEAD_DAYS_PARAM)
        ids = self._lock_due_services(date_ref + timedelta(days=lead_days), service_ids)
        if not ids:
            return self.env["account.move"]
        services = self.browse(ids)
        groups = defaultdict(list)
        for service in services:
            groups[(service.commercial_partner_id, service.company_id)].append(service.id)
        # Read what the invoices need of all customers at once, before any per-invoice
        # code reads it one customer at a time.
        services.partner_id.mapped("lang")
        for company in services.company_id:
            partners = services.filtered(lambda s, c=company: s.company_id == c)\
                .commercial_partner_id.with_company(company)
            # Read by the invoices' fiscal position compute, one customer per query otherwise.
            partners.mapped("property_account_position_id")

        try:
            with self.env.cr.savepoint():
                moves = self._meusite_bill_groups(services, groups, date_ref)
        except UserError as error:
            # One customer's bad data (a deprecated account, a product without income
            # account...) must not leave every other customer unbilled day after day.
            _logger.warning("Service billing: the run failed (%s); billing customer by customer.",
                            error.args[0])
            moves = self._meusite_bill_groups_one_by_one(services, groups, date_ref)
        _logger.info("Service billing: %s invoices for %s services", len(moves), len(ids))
        return moves

    @api.model
    def _meusite_bill_groups_one_by_one(self, services, groups, date_ref):
        """The slow path of a run that failed as a whole: each customer in its own
        savepoint; the services of a customer that still fails keep their due date (the
        next run tries again) and get an exception activity saying why."""
        moves = self.env["account.move"]
        for key, batch_ids in groups.items():
            try:
                with self.env.cr.savepoint():
                    moves |= self._meusite_bill_groups(services, {key: batch_ids}, date_ref)
            except UserError as error:
                batch = services.browse(batch_ids)
                _logger.warning("Service billing: services %s of %s not invoiced: %s",
                                batch.ids, key[0].display_name, error.args[0])
                batch._meusite_report_billing_failure(error.args[0])
        return moves

    @api.model
    def _meusite_provision_user(self):
        """Staff asked to act on a service: a failed billing, a cancellation, a plan change,
        a paid order (the "Provisioning Responsible" setting, else the administrator)."""
        user_id = self.env["ir.config_parameter"]._meusite_get_param(PROVISION_USER_PARAM)
        user = self.env["res.users"].sudo().browse(int(user_id or 0)).exists()
        return user or self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user

    def _meusite_report_billing_failure(self, reason):
        self.activity_schedule(
            "mail.mail_activity_data_warning",
            summary=self.env._("Not invoiced"),
            note=self.env._("The billing run could not invoice this service: %s", reason),
            user_id=self._meusite_provision_user().id,
        )

    @api.model
    def _meusite_bill_groups(self, services, groups, date_ref):
        """Invoice, post, record the periods and e-mail, for ``groups``: {(customer,
        company): [service ids]}, all at once."""
        Move = self.env["account.move"]
        invoice_vals, group_services = [], []
        journals, no_analytic_models = {}, {}
        for (partner, company), batch_ids in groups.items():
            batch = services.browse(batch_ids)
            if company not in journals:
                journals[company] = self._meusite_sale_journal(company)
                no_analytic_models[company] = not self.env[
                    "account.analytic.distribution.model"
                ].search_count(
                    [("company_id", "in", (company.id, False))], limit=1
                )
            vals = batch._prepare_invoice_vals(partner, company, date_ref)
            vals["journal_id"] = journals[company].id
            if no_analytic_models[company]:
                # No analytic distribution model applies: the lines' distribution stays
                # empty, as Odoo would find, without one model search per line.
                for command in vals["invoice_line_ids"]:
                    command[2]["analytic_distribution"] = False
            invoice_vals.append(vals)
            group_services.append(batch)
        moves = Move.create(invoice_vals)
        moves._meusite_subscribe_customers()
        # The invoices were fully computed by create (receivable line, totals): posting
        # only numbers them and changes their state, so it skips re-synchronising every
        # line once per invoice, as Odoo's point of sale does when it posts its invoices.
        # All lines are in the company currency: a date moved by a lock date changes no
        # amount.
        moves.with_context(skip_invoice_sync=True).action_post()
        # Credit notes and overpayments of these customers pay their new invoices first.
        moves._meusite_apply_available_credit()

        period_vals, advances = [], defaultdict(list)
        for move, batch in zip(moves, group_services, strict=True):
            for service, line in zip(batch, move.invoice_line_ids, strict=True):
                period_vals.append({
                    "service_id": service.id,
                    "period_start": service.next_due_date,
                    "period_end": service._period_end(service.next_due_date),
                    "move_id": move.id,
                    "move_line_id": line.id,
                })
                advances[service._next_due(service.next_due_date)].append(service.id)
        self.env["meusite.service.period"].create(period_vals)
        # A handful of distinct dates: one UPDATE per date, not per service. Untracked:
        # the billed periods are the service's history; a chatter message per service and
        # run would double the run's queries.
        for next_date, sids in advances.items():
            self.browse(sids).with_context(tracking_disable=True).write(
                {"next_due_date": next_date}
            )
        moves._meusite_send_service_invoice_mail()
        return moves

    @api.model
    def _meusite_sale_journal(self, company):
        """The sales journal Odoo would pick for a customer invoice of ``company``; given
        in the create values so that it is searched once per run, not once per invoice."""
        journal = self.env["account.move"].with_company(company).new(
            {"move_type": "out_invoice", "company_id": company.id}
        )._search_default_journal()
        return journal

    def _prepare_invoice_vals(self, partner, company, date_ref):
        currency = company.currency_id
        lines = []
        for service in self:
            amount = -currency.round(service.price)
            lines.append(Command.create({
                "product_id": service.product_id.id,
                "name": service._invoice_line_label(),
                "quantity": 1,
                "price_unit": service.price,
                # The amounts Odoo's tax synchronisation will find for an untaxed line
                # (company currency, quantity 1, credit). It still computes them and
                # rewrites whatever differs (taxes included in the price...), but when they
                # match it skips two writes per line, a third of the cost of a line.
                "balance": amount,
                "amount_currency": amount,
            }))
        due_date = min(self.mapped("next_due_date"))
        return {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": company.id,
            "currency_id": currency.id,
            # A service billed late (the run did not pass on its day) is invoiced as of its
            # due date: an invoice dated after its own due date makes no sense to anyone.
            "invoice_date": min(date_ref, due_date),
            # The customer pays by the service's due date, not by a payment term.
            "invoice_payment_term_id": False,
            "invoice_date_due": due_date,
            "invoice_origin": ", ".join(self.mapped("name"))[:200],
            "invoice_line_ids": lines,
            # The services it bills: left unpaid, it suspends them.
            "meusite_service_ids": [Command.set(self.ids)],
            # Set now: the e-mail's pay link would otherwise write one token per invoice.
            "access_token": str(uuid.uuid4()),
            # Nobody sold it: the cron (OdooBot) or the customer ordering would otherwise
            # be shown to the customer as the invoice's salesperson.
            "invoice_user_id": False,
        }

    def _invoice_line_label(self):
        self.ensure_one()
        lang = self.partner_id.lang or self.env.lang
        start = self.next_due_date
        return "%s (%s - %s)" % (
            self.name,
            format_date(self.env, start, lang_code=lang),
            format_date(self.env, self._period_end(start), lang_code=lang),
        )

    @api.model
    def _meusite_suspend_overdue_services(self, date_ref=None):
        """Suspend the active services of invoices overdue for more than the grace period,
        telling each customer once per invoice."""
        date_ref = date_ref or fields.Date.context_today(self)
        grace = self._meusite_config_days(GRACE_DAYS_PARAM)
        # Every debit the product issues names its services: a period invoice, a plan
        # change's difference, a late charge suspend alike (credit/account_move.py).
        moves = self.env["account.move"]._meusite_overdue_debits(
            date_ref - timedelta(days=grace)
        )
        suspended = self.browse()
        for move in moves:
            services = move.meusite_service_ids.filtered(lambda s: s.state == "active")
            services.write({"state": "suspended", "suspension_move_id": move.id})
            suspended |= services
        # Recorded with the invoice's reminders: once per invoice, seen by staff.
        self.env["meusite.invoice.reminder"]._meusite_send_reminder_stage(
            moves, "suspension", date_ref
        )
        return suspended

    @api.model
    def _meusite_invoices_paid(self, moves):
        """What paying ``moves`` does to the services, the one entry point (hook; contract
        tested by tests/test_hooks.py).

        Called by ``account.move._invoice_paid_hook`` (services/account_move.py) with the
        invoices that just became paid or in payment, whoever reconciled them (a webhook, a
        staff payment, a credit note), on an empty ``meusite.service`` recordset; Odoo's
        reconciliation also calls it with no moves at all. The
        services they suspended are reactivated (``_meusite_reactivate_for_paid``);
        ordering/meusite_service.py adds the activation of the orders they paid. An
        extension calls super() first and adds its own step; it must accept moves that are
        not ours (no service) and do nothing for them. meusite_nfse does not use it: it
        depends on account only and hooks ``_invoice_paid_hook`` itself.

        :return: the services reactivated here"""
        return self._meusite_reactivate_for_paid(moves)

    def _meusite_reactivate_for_paid(self, moves):
        """Reactivate services suspended by ``moves`` (now paid), unless another invoice
        of theirs is still overdue beyond the grace period."""
        services = self.sudo().search([
            ("state", "=", "suspended"), ("suspension_move_id", "in", moves.ids)
        ])
        if not services:
            return services
        grace = self._meusite_config_days(GRACE_DAYS_PARAM)
        limit = fields.Date.context_today(self) - timedelta(days=grace)
        still_overdue = (
            self.env["account.move"]._meusite_overdue_debits(limit, services) - moves
        ).meusite_service_ids
        (services - still_overdue).write({"state": "active", "suspension_move_id": False})
        return services - still_overdue
