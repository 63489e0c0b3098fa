from odoo import api, fields, models

from ...const import CYCLE_MONTHS, CYCLE_SELECTION


class MeusitePlanPrice(models.Model):
    """The price of an orderable plan for one billing cycle; a cycle without a row is not
    offered to customers."""

    _name = "meusite.plan.price"
    _description = "Plan Price per Billing Cycle"
    _order = "product_tmpl_id, sequence, id"

    product_tmpl_id = fields.Many2one(
        "product.template", string="Plan", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(compute="_compute_sequence", store=True)
    # The same values as meusite.service's cycle: the order copies it over.
    cycle = fields.Selection(CYCLE_SELECTION, string="Billing Cycle", required=True)
    price = fields.Monetary(required=True)
    currency_id = fields.Many2one(related="product_tmpl_id.currency_id")

    _sql_constraints = [
        (
            "plan_cycle_unique",
            "UNIQUE(product_tmpl_id, cycle)",
            "A plan has one price per billing cycle.",
        ),
        ("price_positive", "CHECK(price >= 0)", "A plan price cannot be negative."),
    ]

    @api.depends("cycle")
    def _compute_sequence(self):
        # Shortest cycle first, whatever order staff entered them in.
        for line in self:
            line.sequence = CYCLE_MONTHS.get(line.cycle, 0)
