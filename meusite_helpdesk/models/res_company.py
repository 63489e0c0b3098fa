from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    meusite_ticket_extensions = fields.Char(
        string="Ticket attachment extensions",
        default=".jpg,.gif,.jpeg,.png,.doc,.docx,.pdf",
        help="Comma-separated extensions customers may attach to tickets.",
    )
    meusite_ticket_max_file_mb = fields.Float(
        string="Maximum size per attachment (MB)", default=5.0
    )
    meusite_ticket_max_total_mb = fields.Float(
        string="Maximum size of all attachments (MB)", default=15.0
    )
