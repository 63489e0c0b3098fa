from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..const import (
    GRACE_DAYS_PARAM,
    LATE_CHARGE_PARAM,
    LATE_FEE_PARAM,
    LATE_INTEREST_PARAM,
    LEAD_DAYS_PARAM,
    ORDER_DAYS_PARAM,
    PROVISION_USER_PARAM,
    REMINDER_PARAM,
)
from .invoices.meusite_invoice_reminder import REMINDER_DAYS
from .ir_config_parameter import setting_default


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    meusite_service_invoice_lead_days = fields.Integer(
        string="Invoice Services Days Before Due Date",
        config_parameter=LEAD_DAYS_PARAM,
        default=setting_default(LEAD_DAYS_PARAM),
    )
    meusite_service_suspension_grace_days = fields.Integer(
        string="Suspend Services Days After Overdue",
        config_parameter=GRACE_DAYS_PARAM,
        default=setting_default(GRACE_DAYS_PARAM),
    )
    meusite_order_payment_days = fields.Integer(
        string="Days to Pay an Order",
        config_parameter=ORDER_DAYS_PARAM,
        default=setting_default(ORDER_DAYS_PARAM),
    )
    meusite_order_provision_user_id = fields.Many2one(
        "res.users",
        string="Provisioning Responsible",
        config_parameter=PROVISION_USER_PARAM,
        domain=[("share", "=", False)],
    )

    # --- Payment reminders

    # A stage is on while its parameter is set: a Boolean config parameter is removed when
    # unticked, and the days are a separate parameter so that 0 days can be a real value
    # (the "on the due date" stage) rather than "off".
    meusite_reminder_before_due = fields.Boolean(
        string="Reminder Before Due Date", config_parameter=REMINDER_PARAM % "before_due"
    )
    meusite_reminder_before_due_days = fields.Integer(
        string="Reminder Days Before Due Date",
        config_parameter=REMINDER_PARAM % "before_due_days",
        default=setting_default(REMINDER_PARAM % "before_due_days"),
    )
    meusite_reminder_due = fields.Boolean(
        string="Reminder On Due Date", config_parameter=REMINDER_PARAM % "due"
    )
    meusite_reminder_overdue_1 = fields.Boolean(
        string="First Overdue Notice", config_parameter=REMINDER_PARAM % "overdue_1"
    )
    meusite_reminder_overdue_1_days = fields.Integer(
        string="First Overdue Notice Days",
        config_parameter=REMINDER_PARAM % "overdue_1_days",
        default=setting_default(REMINDER_PARAM % "overdue_1_days"),
    )
    meusite_reminder_overdue_2 = fields.Boolean(
        string="Second Overdue Notice", config_parameter=REMINDER_PARAM % "overdue_2"
    )
    meusite_reminder_overdue_2_days = fields.Integer(
        string="Second Overdue Notice Days",
        config_parameter=REMINDER_PARAM % "overdue_2_days",
        default=setting_default(REMINDER_PARAM % "overdue_2_days"),
    )
    meusite_reminder_overdue_3 = fields.Boolean(
        string="Third Overdue Notice", config_parameter=REMINDER_PARAM % "overdue_3"
    )
    meusite_reminder_overdue_3_days = fields.Integer(
        string="Third Overdue Notice Days",
        config_parameter=REMINDER_PARAM % "overdue_3_days",
        default=setting_default(REMINDER_PARAM % "overdue_3_days"),
    )
    meusite_reminder_suspension = fields.Boolean(
        string="Suspension Notice", config_parameter=REMINDER_PARAM % "suspension"
    )

    @api.constrains(
        "meusite_reminder_before_due", "meusite_reminder_before_due_days",
        "meusite_reminder_due",
        "meusite_reminder_overdue_1", "meusite_reminder_overdue_1_days",
        "meusite_reminder_overdue_2", "meusite_reminder_overdue_2_days",
        "meusite_reminder_overdue_3", "meusite_reminder_overdue_3_days",
    )
    def _check_meusite_reminder_days(self):
        # Refused here, with the reason, rather than by the daily run days later.
        for settings in self:
            schedule = []
            for stage, sign in REMINDER_DAYS.items():
                if settings[f"meusite_reminder_{stage}"]:
                    days = settings[f"meusite_reminder_{stage}_days"] if sign else 0
                    schedule.append((stage, sign * days))
            self.env["meusite.invoice.reminder"]._meusite_check_reminder_schedule(schedule)

    # --- Late payment (multa and juros)
    meusite_late_charge = fields.Boolean(
        string="Charge Late Payment Fee and Interest", config_parameter=LATE_CHARGE_PARAM
    )
    meusite_late_fee_percent = fields.Float(
        string="Late Payment Fee (%)", config_parameter=LATE_FEE_PARAM,
        default=setting_default(LATE_FEE_PARAM),
        help="Charged once on what an overdue invoice still owes (2% is the ceiling of the "
        "Brazilian consumer code).",
    )
    meusite_late_interest_percent = fields.Float(
        string="Late Payment Interest (% a month)", config_parameter=LATE_INTEREST_PARAM,
        default=setting_default(LATE_INTEREST_PARAM),
        help="Charged pro rata die: this rate divided by 30 for each day after the due date.",
    )

    @api.constrains("meusite_late_fee_percent", "meusite_late_interest_percent")
    def _check_meusite_late_charge_rates(self):
        for settings in self:
            if settings.meusite_late_fee_percent < 0 or settings.meusite_late_interest_percent < 0:
                raise ValidationError(
                    self.env._("The late payment fee and interest cannot be negative.")
                )
