from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    meusite_ticket_extensions = fields.Char(
        related="company_id.meusite_ticket_extensions", readonly=False
    )
    meusite_ticket_max_file_mb = fields.Float(
        related="company_id.meusite_ticket_max_file_mb", readonly=False
    )
    meusite_ticket_max_total_mb = fields.Float(
        related="company_id.meusite_ticket_max_total_mb", readonly=False
    )
    meusite_ticket_max_files_message = fields.Integer(
        related="company_id.meusite_ticket_max_files_message", readonly=False
    )
    meusite_ticket_max_files_ticket = fields.Integer(
        related="company_id.meusite_ticket_max_files_ticket", readonly=False
    )
    meusite_ticket_max_daily_mb = fields.Float(
        related="company_id.meusite_ticket_max_daily_mb", readonly=False
    )
