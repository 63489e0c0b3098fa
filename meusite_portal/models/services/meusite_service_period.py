from odoo import fields, models


class MeusiteServicePeriod(models.Model):
    """A billed period of a service. The unique index is the last line of defence
    against double billing, whatever the cron workers do."""

    _name = "meusite.service.period"
    _description = "Billed Service Period"
    _order = "period_start desc, id desc"

    service_id = fields.Many2one(
        "meusite.service", required=True, ondelete="cascade", index=True
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True,
                              ondelete="cascade")
    move_line_id = fields.Many2one("account.move.line", ondelete="set null")

    _sql_constraints = [
        (
            "service_period_unique",
            "UNIQUE(service_id, period_start)",
            "This service period has already been invoiced.",
        ),
    ]
