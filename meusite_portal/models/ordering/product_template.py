from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    meusite_is_plan = fields.Boolean(
        string="Orderable Plan",
        help="Customers can order this product from the client area, at the prices per "
        "billing cycle below.",
    )
    meusite_plan_is_domain = fields.Boolean(
        string="Domain Registration Plan",
        help="Ordering this plan registers a domain: the customer must give an available "
        "domain, and the service counts as a domain in the client area.",
    )
    meusite_plan_price_ids = fields.One2many(
        "meusite.plan.price", "product_tmpl_id", string="Prices per Billing Cycle"
    )

    def _meusite_orderable_domain(self):
        return [
            ("meusite_is_plan", "=", True),
            ("sale_ok", "=", True),
            ("active", "=", True),
            ("meusite_plan_price_ids", "!=", False),
        ]

    def _meusite_orderable_plans(self):
        """The plans customers may order, read as superuser: portal users have no access to
        products, and only these fields of these products are shown to them."""
        return self.sudo().search(self._meusite_orderable_domain(), order="list_price, id")
