from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Customers and staff the product creates (sign-up, orders, demo, the backend) live in
    # the company's time zone: the company's own address's (its partner's tz, see
    # readme/CONTEXT.md "The company's time zone"). Odoo's default is the creating user's
    # context, which a visitor or a cron does not have.
    tz = fields.Selection(default=lambda self: self._meusite_default_tz())

    @api.model
    def _meusite_default_tz(self):
        return self.env.company.sudo().partner_id.tz or self.env.context.get("tz")
