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
    meusite_ticket_max_files_message = fields.Integer(
        string="Maximum attachments per message", default=5,
        help="Files a customer may send at once (a new ticket or a reply).",
    )
    meusite_ticket_max_files_ticket = fields.Integer(
        string="Maximum attachments per ticket", default=20,
        help="Files customers may add to one ticket over its whole life.",
    )
    meusite_ticket_max_daily_mb = fields.Float(
        string="Maximum upload per customer per day (MB)", default=50.0,
        help="All files one customer sends in a day, whatever the route.",
    )
