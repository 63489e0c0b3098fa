from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ...const import LATE_CHARGE_PARAM, LATE_FEE_PARAM, LATE_INTEREST_PARAM


def format_number(value):
    """2.0 -> "2", 0.5 -> "0,5": a percentage as a Brazilian customer reads it."""
    return f"{value:g}".replace(".", ",")


class AccountMove(models.Model):
    """Late payment: multa and juros (readme/CONTEXT.md), what they add to what an
    overdue invoice owes, and the invoice that books them when paid."""

    # One file per feature, like meusite.service's (the same model named again).
    _name = "account.move"
    _inherit = ["account.move"]

    @api.model
    def _meusite_late_charge_rates(self):
        """(fee %, monthly interest %) when late charges are on, else None."""
        ICP = self.env["ir.config_parameter"]
        if not ICP._meusite_get_param(LATE_CHARGE_PARAM):
            return None
        rates = []
        for param in (LATE_FEE_PARAM, LATE_INTEREST_PARAM):
            try:
                rates.append(float(ICP._meusite_get_param(param)))
            except ValueError:
                raise UserError(
                    self.env._("The system parameter %s must be a percentage.", param)
                ) from None
        return tuple(rates)

    def _meusite_late_charge(self, date=None):
        """What these invoices cost if paid on ``date`` (default today), Brazilian style.

        Per overdue open customer invoice, on what is still owed: the multa (fee, once)
        and the juros (interest, the monthly rate pro rata die over 30-day months, for each
        day after the due date), each rounded to the centavo. The one place every payment
        route, page and provider takes the amount from.

        :return: dict with ``residual`` (still owed), ``fee``, ``interest``, ``total``
                 (residual + fee + interest), ``days`` (most days late), ``fee_percent``,
                 ``interest_percent`` (0.0 when late charges are off)
        """
        date = date or fields.Date.context_today(self)
        rates = self._meusite_late_charge_rates()
        fee_percent, interest_percent = rates or (0.0, 0.0)
        result = {"residual": 0.0, "fee": 0.0, "interest": 0.0, "days": 0,
                  "fee_percent": fee_percent, "interest_percent": interest_percent}
        moves = self.sudo()
        open_invoices = moves._meusite_open_invoices() if rates else moves.browse()
        for move in moves:
            currency = move.currency_id
            residual = move.amount_residual
            result["residual"] += residual
            days = (date - move.invoice_date_due).days if move.invoice_date_due else 0
            if days <= 0 or move not in open_invoices:
                continue
            result["fee"] += currency.round(residual * fee_percent / 100)
            result["interest"] += currency.round(residual * interest_percent / 100 * days / 30)
            result["days"] = max(result["days"], days)
        currency = self.currency_id[:1] or self.env.company.currency_id
        for key in ("residual", "fee", "interest"):
            result[key] = currency.round(result[key])
        result["total"] = currency.round(result["residual"] + result["fee"] + result["interest"])
        return result

    def _meusite_create_late_charge_invoice(self, paid_above, partner, date, computed_on):
        """Book the late charge in ``paid_above`` (what a payment brought on top of what
        these invoices still owe; the amount was fixed on ``computed_on``) as a posted
        customer invoice of ``date``, a line for the multa and one for the juros, so that the
        same payment settles it: revenue in the late-charge products' income accounts.

        Nothing when no late charge was due then: the excess is an overpayment, left as
        the customer's credit; what exceeds the late charge is left as credit too.
        :return: the late-charge invoice, or an empty recordset"""
        currency = self.currency_id[:1]
        expected = self._meusite_late_charge(computed_on)
        late = currency.round(expected["fee"] + expected["interest"])
        if currency.is_zero(late) or currency.compare_amounts(paid_above, 0) <= 0:
            return self.browse()
        lang = partner.lang or self.env.lang
        env = self.with_context(lang=lang).env
        names = ", ".join(self.mapped("name"))
        if currency.compare_amounts(paid_above, late) >= 0:
            parts = [
                ("meusite_portal.product_late_fee", expected["fee"], env._(
                    "Late payment fee (%(percent)s%%) - %(invoices)s",
                    percent=format_number(expected["fee_percent"]), invoices=names)),
                ("meusite_portal.product_late_interest", expected["interest"], env._(
                    "Late payment interest (%(percent)s%% a month, %(days)s days) - %(invoices)s",
                    percent=format_number(expected["interest_percent"]),
                    days=expected["days"], invoices=names)),
            ]
        else:
            # The rates went up since the amount was fixed: what was paid, on one line.
            parts = [("meusite_portal.product_late_fee", paid_above,
                      env._("Late payment charges - %s", names))]
        lines = [
            Command.create({
                "product_id": self.env.ref(xmlid).id,
                "name": label,
                "quantity": 1,
                "price_unit": amount,
                "tax_ids": [Command.clear()],
            })
            for xmlid, amount, label in parts if not currency.is_zero(amount)
        ]
        move = self.create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id[:1].id,
            "currency_id": currency.id,
            "invoice_date": date,
            "invoice_date_due": date,
            "invoice_payment_term_id": False,
            "invoice_origin": names[:200],
            "invoice_user_id": False,
            "invoice_line_ids": lines,
            # Left unpaid, it suspends the late invoices' services like they would.
            "meusite_service_ids": [Command.set(self.sudo().meusite_service_ids.ids)],
        })
        move.action_post()
        return move
