from datetime import timedelta

from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ...const import ORDER_DAYS_PARAM


class MeusiteService(models.Model):
    """"Mudar de plano" on the service page: the customer moves an active service to
    another orderable plan of the same billing cycle, at once. What is already billed and
    not yet served is re-priced: the difference is invoiced (upgrade) or credited with a
    credit note (downgrade); the next periods are billed at the new price."""

    _name = "meusite.service"
    _inherit = ["meusite.service"]

    def _meusite_plan_change_options(self):
        """[(plan, new price, difference)] of the plans this service can move to."""
        self.ensure_one()
        if self.state != "active" or self.is_domain or self.cancel_effective_date:
            return []
        options = []
        for plan in self.env["product.template"]._meusite_orderable_plans():
            line = plan.meusite_plan_price_ids.filtered(lambda p: p.cycle == self.cycle)
            if not line or plan.meusite_plan_is_domain or plan == self.product_id.product_tmpl_id:
                continue
            options.append((plan, line.price, self._meusite_plan_change_difference(line.price)))
        return options

    def _meusite_plan_change_difference(self, new_price, date=None):
        """What moving to ``new_price`` costs (positive) or gives back (negative) today for
        the billed periods not yet served: per period, the price difference times the share
        of its days from ``date`` (included) to its end, rounded to the centavo."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        difference = 0.0
        for period in self.sudo().period_ids.filtered(lambda p: p.period_end >= date):
            days = (period.period_end - period.period_start).days + 1
            left = (period.period_end - max(period.period_start, date)).days + 1
            difference += (new_price - self.price) * left / days
        return self.currency_id.round(difference)

    def _meusite_change_plan(self, plan_id):
        """Move this service to the orderable plan ``plan_id`` (same cycle), at once.

        :return: the invoice (upgrade) or credit note (downgrade) of the difference, or an
                 empty recordset when nothing was billed ahead."""
        self.ensure_one()
        service = self.sudo()
        preview = service._meusite_plan_change_preview(plan_id)
        plan, price, difference = preview["plan"], preview["price"], preview["difference"]
        old_name = service.product_id.name
        move = service._meusite_bill_plan_change(plan, difference)
        service.write({"product_id": plan.product_variant_id.id, "price": price})
        service.message_post(
            body=self.env._(
                "The customer changed the plan from %(old)s to %(new)s (%(move)s).",
                old=old_name, new=plan.name, move=move.name or self.env._("nothing billed"),
            ),
            subtype_xmlid="mail.mt_note",
        )
        service.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Plan changed"),
            note=self.env._("Set the service up for its new plan: %s.", plan.name),
            user_id=service._meusite_provision_user().id,
        )
        return move

    def _meusite_bill_plan_change(self, plan, difference):
        """The posted invoice (upgrade) or credit note (downgrade) of ``difference``."""
        self.ensure_one()
        currency = self.currency_id
        if currency.is_zero(difference):
            return self.env["account.move"]
        today = fields.Date.context_today(self)
        periods = self.period_ids.filtered(lambda p: p.period_end >= today)
        lang = self.partner_id.lang or self.env.lang
        env = self.with_context(lang=lang).env
        label = env._(
            "Plan change: %(old)s to %(new)s, %(start)s - %(end)s",
            old=self.product_id.name, new=plan.name,
            start=format_date(env, max(today, min(periods.mapped("period_start"))), lang_code=lang),
            end=format_date(env, max(periods.mapped("period_end")), lang_code=lang),
        )
        upgrade = difference > 0
        vals = {
            "move_type": "out_invoice" if upgrade else "out_refund",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": currency.id,
            "invoice_date": today,
            "invoice_payment_term_id": False,
            "invoice_origin": self.name,
            "invoice_user_id": False,
            # Left unpaid, the difference suspends the service like a period invoice; a
            # credit note first pays this service's own open invoices.
            "meusite_service_ids": [Command.set(self.ids)],
            "invoice_line_ids": [Command.create({
                "product_id": (plan.product_variant_id if upgrade else self.product_id).id,
                "name": label,
                "quantity": 1,
                "price_unit": abs(difference),
            })],
        }
        if upgrade:
            # As long to pay as an order from the client area.
            days = self._meusite_config_days(ORDER_DAYS_PARAM)
            vals["invoice_date_due"] = today + timedelta(days=days)
        move = self.env["account.move"].create(vals)
        move.action_post()
        if upgrade:
            move._meusite_apply_available_credit()
            move._meusite_send_service_invoice_mail()
        else:
            # Credit only from money received: what the downgrade gives back first pays
            # what is still owed for this service (an unpaid upgrade, the period).
            move._meusite_settle_credit()
        return move

    def _meusite_plan_change_preview(self, plan_id):
        """What "Mudar de plano" to ``plan_id`` would do today, computed and nothing written
        (the confirmation page shows it; ``_meusite_change_plan`` then does exactly this):
        the new plan and price, from when, the ``difference`` billed (positive, an invoice
        due on ``due_date``) or credited (negative, a credit note), and the next invoice
        (``next_due_date`` at the new price). Refuses (UserError) what cannot be done."""
        self.ensure_one()
        service = self.sudo()
        try:
            plan_id = int(plan_id)
        except (TypeError, ValueError):
            plan_id = 0
        if service.state != "active" or service.cancel_effective_date:
            raise UserError(self.env._(
                "Only an active service, without a cancellation requested, can change plan."
            ))
        options = {plan.id: (plan, price, diff)
                   for plan, price, diff in service._meusite_plan_change_options()}
        if plan_id not in options:
            raise UserError(self.env._("This plan is not available for this service."))
        plan, price, difference = options[plan_id]
        today = fields.Date.context_today(self)
        return {
            "plan": plan,
            "price": price,
            "difference": difference,
            "date": today,
            "due_date": difference > 0
            and today + timedelta(days=service._meusite_config_days(ORDER_DAYS_PARAM)),
            "next_due_date": service.next_due_date,
            "next_price": price,
        }
