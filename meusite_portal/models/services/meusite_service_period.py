from odoo import api, fields, models
from odoo.tools import SQL

from ...private_api import query_rows


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

    @api.model
    def _meusite_line_services(self, moves):
        """{invoice line id: (service id, service name)} of the lines of ``moves`` that bill
        a service period: the invoice page names each line's service. One query."""
        if not moves.ids:
            return {}
        rows = query_rows(self.env, SQL(
            """SELECT period.move_line_id, service.id, service.name
                 FROM meusite_service_period period
                 JOIN meusite_service service ON service.id = period.service_id
                WHERE period.move_id IN %s AND period.move_line_id IS NOT NULL""",
            tuple(moves.ids),
        ), flush={"meusite.service.period": ["move_id", "move_line_id", "service_id"],
                  "meusite.service": ["name"]})
        return {line_id: (service_id, name) for line_id, service_id, name in rows}
