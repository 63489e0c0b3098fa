from odoo import fields, models

from .meusite_service import (
    GRACE_DAYS_DEFAULT,
    GRACE_DAYS_PARAM,
    LEAD_DAYS_DEFAULT,
    LEAD_DAYS_PARAM,
)
from .meusite_service_order import ORDER_DAYS_DEFAULT, ORDER_DAYS_PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    meusite_service_invoice_lead_days = fields.Integer(
        string="Invoice Services Days Before Due Date",
        config_parameter=LEAD_DAYS_PARAM,
        default=LEAD_DAYS_DEFAULT,
    )
    meusite_service_suspension_grace_days = fields.Integer(
        string="Suspend Services Days After Overdue",
        config_parameter=GRACE_DAYS_PARAM,
        default=GRACE_DAYS_DEFAULT,
    )
    meusite_order_payment_days = fields.Integer(
        string="Days to Pay an Order",
        config_parameter=ORDER_DAYS_PARAM,
        default=ORDER_DAYS_DEFAULT,
    )
    meusite_order_provision_user_id = fields.Many2one(
        "res.users",
        string="Provisioning Responsible",
        config_parameter="meusite_portal.order_provision_user_id",
        domain=[("share", "=", False)],
    )
