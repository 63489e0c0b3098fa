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
