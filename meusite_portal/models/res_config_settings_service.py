from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    meusite_service_invoice_lead_days = fields.Integer(
        string="Invoice Services Days Before Due Date",
        config_parameter="meusite_portal.service_invoice_lead_days",
        default=10,
    )
    meusite_service_suspension_grace_days = fields.Integer(
        string="Suspend Services Days After Overdue",
        config_parameter="meusite_portal.service_suspension_grace_days",
        default=5,
    )
    meusite_order_payment_days = fields.Integer(
        string="Days to Pay an Order",
        config_parameter="meusite_portal.order_payment_days",
        default=7,
    )
    meusite_order_provision_user_id = fields.Many2one(
        "res.users",
        string="Provisioning Responsible",
        config_parameter="meusite_portal.order_provision_user_id",
        domain=[("share", "=", False)],
    )
