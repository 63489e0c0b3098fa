from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    """A helpdesk team is what the customer calls a department (Suporte, Financeiro)."""

    _inherit = "helpdesk.ticket.team"

    portal_description = fields.Char(
        string="Description for customers",
        translate=True,
        help="Shown under the department's name when a customer opens a ticket.",
    )
