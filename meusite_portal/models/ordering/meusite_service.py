import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from ...const import ORDER_DAYS_PARAM, ORDER_LOCK_NAMESPACE
from ...private_api import query_rows, selection_labels

_logger = logging.getLogger(__name__)


class MeusiteService(models.Model):
    """Services ordered by the customers themselves from the client area.

    An order is a ``pending`` service and its first invoice (``order_move_id``),
    due ``order_payment_days`` after the order. Paying it activates the service from the
    payment date; nobody paying it by its due date cancels both.
    """

    _name = "meusite.service"
    _inherit = ["meusite.service"]

    order_move_id = fields.Many2one(
        "account.move", string="Order Invoice", readonly=True, copy=False, index="btree_not_null",
        help="The first invoice of a service ordered from the client area; paying it "
        "activates the service.",
    )
    order_payment_state = fields.Selection(
        related="order_move_id.payment_state", string="Order Payment"
    )
    order_date = fields.Date(string="Ordered On", readonly=True, copy=False)
    provisioned = fields.Boolean(
        copy=False, tracking=True,
        help="Staff set the ordered service up (hosting, domain registration...).",
    )

    # ------------------------------------------------------------------ ordering
    @api.model
    def _meusite_place_order(self, partner, plan_id, cycle, domain="", price=None, rate_keys=()):
        """Order a plan for ``partner`` (the customer placing it) from the client area.

        Everything the customer sent is checked here, and the price always comes from the
        plan: ``price`` is only the amount the customer was shown, refused if it differs.

        :return: the new pending service, its first invoice posted and e-mailed
        :raise UserError: with a message for the customer; nothing is created
        """
        plan, price_line = self._meusite_order_price_line(plan_id, cycle)
        if price not in (None, "") and not self._meusite_same_price(price, price_line):
            raise UserError(
                self.env._(
                    "The price sent does not match the price of this plan. Review your order:"
                    " prices are always the ones shown on this page."
                )
            )
        self._meusite_lock_orders_of(partner)
        domain_name = self._meusite_order_domain(plan, domain, rate_keys)
        if self.sudo().search_count([
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
            ("product_id", "=", plan.product_variant_id.id),
            ("cycle", "=", cycle),
            ("domain_name", "=", domain_name),
            ("state", "=", "pending"),
        ], limit=1):
            # Most often a second click on "Confirmar pedido" or the browser's back button.
            raise UserError(
                self.env._(
                    "You already ordered this plan and its first invoice awaits payment: pay it"
                    " from Services."
                )
            )
        company = self.env.company
        today = fields.Date.context_today(self)
        days = self._meusite_config_days(ORDER_DAYS_PARAM)
        due = today + timedelta(days=days)
        product = plan.product_variant_id
        service = self.sudo().create({
            "partner_id": partner.id,
            "product_id": product.id,
            "domain_name": domain_name or False,
            "is_domain": plan.meusite_plan_is_domain,
            "cycle": cycle,
            "price": price_line.price,
            "date_start": today,
            "next_due_date": due,
            "state": "pending",
            "company_id": company.id,
            "order_date": today,
        })
        invoice_vals = service._prepare_invoice_vals(
            partner.commercial_partner_id, company, today
        )
        invoice_vals["invoice_line_ids"][0][2]["name"] = service._meusite_order_line_label()
        move = self.env["account.move"].sudo().create(invoice_vals)
        move.action_post()
        self.env["meusite.service.period"].sudo().create({
            # Provisional: the first period starts on the payment date (see activation).
            "service_id": service.id,
            "period_start": today,
            "period_end": service._period_end(today),
            "move_id": move.id,
            "move_line_id": move.invoice_line_ids.id,
        })
        service.order_move_id = move
        service.message_post(
            body=self.env._("Ordered from the client area; invoice %s.", move.name),
            subtype_xmlid="mail.mt_note",
        )
        move._meusite_send_service_invoice_mail()
        _logger.info("Order: service %s, invoice %s for partner %s", service.id, move.id,
                     partner.id)
        return service

    @api.model
    def _meusite_lock_orders_of(self, partner):
        """One order at a time per customer: a double click's second request is refused
        at once instead of creating a second order (the lock ends with the transaction)."""
        key = partner.commercial_partner_id.id
        [(locked,)] = query_rows(self.env, SQL(
            "SELECT pg_try_advisory_xact_lock(%s, %s)", ORDER_LOCK_NAMESPACE, key))
        if not locked:
            raise UserError(
                self.env._("An order of yours is already being placed. Wait a moment and"
                           " check your services.")
            )

    @api.model
    def _meusite_order_plan(self, plan_id):
        try:
            plan_id = int(plan_id)
        except (TypeError, ValueError):
            plan_id = 0
        Plan = self.env["product.template"]
        plan = Plan.sudo().search(Plan._meusite_orderable_domain() + [("id", "=", plan_id)])
        if not plan:
            # Same answer for an unknown id and a plan withdrawn from sale.
            raise UserError(self.env._("This plan is not available for ordering anymore."))
        return plan

    @api.model
    def _meusite_order_price_line(self, plan_id, cycle):
        """The orderable plan and its price for ``cycle``, or a UserError for the customer."""
        plan = self._meusite_order_plan(plan_id)
        price_line = plan.meusite_plan_price_ids.filtered(lambda line: line.cycle == cycle)
        if not cycle or len(price_line) != 1:
            raise UserError(self.env._("This billing cycle is not offered for this plan."))
        return plan, price_line

    @api.model
    def _meusite_same_price(self, posted, price_line):
        try:
            value = float(str(posted).replace(",", "."))
        except ValueError:
            return False
        return not float_compare(
            value, price_line.price, precision_rounding=price_line.currency_id.rounding or 0.01
        )

    @api.model
    def _meusite_order_domain(self, plan, domain, rate_keys):
        """The ASCII domain to attach, checked again now: it may have been registered by
        someone else since the customer checked it."""
        domain = (domain or "").strip()
        if not domain:
            if plan.meusite_plan_is_domain:
                raise UserError(
                    self.env._("This plan registers a domain: type the domain to register.")
                )
            return False
        check = self.env["meusite.domain.check"]._meusite_check(domain, rate_keys, fresh=True)
        if check["state"] == "registered":
            raise UserError(
                self.env._(
                    "%(domain)s is no longer available (registered): choose another domain.",
                    domain=check["domain"],
                )
            )
        if check["state"] != "available":
            raise UserError(check["message"])
        taken = self.sudo().search_count([
            ("domain_name", "=", check["domain"]),
            ("is_domain", "=", True),
            ("state", "!=", "cancelled"),
        ], limit=1)
        if taken:
            raise UserError(
                self.env._(
                    "%(domain)s is already being registered: choose another domain.",
                    domain=check["domain"],
                )
            )
        return check["domain"]

    def _meusite_order_line_label(self):
        self.ensure_one()
        cycles = selection_labels(self.with_context(lang=self.partner_id.lang), "cycle")
        return self.with_context(lang=self.partner_id.lang).env._(
            "%(service)s (first period, %(cycle)s, from the payment date)",
            service=self.name,
            cycle=cycles[self.cycle].lower(),
        )

    # ------------------------------------------------------------------ payment
    @api.model
    def _meusite_invoices_paid(self, moves):
        # Paid orders start here too (see services/meusite_service.py).
        res = super()._meusite_invoices_paid(moves)
        self._meusite_activate_paid_orders(moves)
        return res

    @api.model
    def _meusite_activate_paid_orders(self, moves):
        """Activate the services ordered with ``moves`` (now paid): the service runs from
        today, its first period is the one just paid, the next invoice is for the period
        after it; staff get an activity to provision it."""
        orders = self.sudo().search([
            ("state", "=", "pending"), ("order_move_id", "in", moves.ids)
        ])
        today = fields.Date.context_today(self)
        user = self._meusite_provision_user()
        # Written for the member of staff, whoever's payment triggered this.
        staff = self.with_context(lang=user.lang)
        for service in orders:
            service.write({"date_start": today, "state": "active"})
            service.period_ids.filtered(
                lambda p, s=service: p.move_id == s.order_move_id
            ).write({"period_start": today, "period_end": service._period_end(today)})
            service.next_due_date = service._next_due(today)
            service.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=staff.env._("Provision this service"),
                note=staff.env._(
                    "Ordered from the client area and paid (invoice %s). Set it up, then mark"
                    " it as provisioned.", service.order_move_id.name
                ),
                user_id=user.id,
            )
        return orders

    def action_meusite_mark_provisioned(self):
        self.write({"provisioned": True})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    # ------------------------------------------------------------------ cancellation
    @api.model
    def _meusite_cancel_unpaid_orders(self, date_ref=None):
        """Daily: cancel the orders whose first invoice is past due and unpaid, telling the
        customer. A partly paid invoice, or one with a payment awaiting confirmation
        (transfer, boleto), is left to staff."""
        date_ref = date_ref or fields.Date.context_today(self)
        orders = self.search([
            ("state", "=", "pending"),
            ("order_move_id.state", "=", "posted"),
            ("order_move_id.payment_state", "=", "not_paid"),
            ("order_move_id.invoice_date_due", "<", date_ref),
        ])
        orders = orders.filtered(lambda s: not s.order_move_id.meusite_payment_pending)
        for service in orders:
            service.order_move_id.button_cancel()
            service.state = "cancelled"
            service.message_post(
                body=self.env._("Order cancelled: its first invoice was not paid in time."),
                subtype_xmlid="mail.mt_note",
            )
        mailed = orders.filtered(lambda s: s.partner_id.email)
        if mailed:
            self.env.ref("meusite_portal.mail_template_order_cancelled").send_mail_batch(
                mailed.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        return orders
