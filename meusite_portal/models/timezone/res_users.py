from odoo import api, models
from odoo.tools import frozendict


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def context_get(self):
        # A user without a time zone (created before the company had one, or by hand) reads
        # dates and times in the company's, not in UTC: a ticket opened at 11:35 in Belo
        # Horizonte says 11:35.
        context = super().context_get()
        if context.get("tz"):
            return context
        tz = self.env.user.sudo().company_id.partner_id.tz
        return frozendict(context, tz=tz) if tz else context

    @api.model
    def _create_user_from_template(self, values):
        # Sign-up and portal invitations copy the template user, whose empty time zone
        # would win over the partner's default.
        if not values.get("tz"):
            tz = self._meusite_company_tz()
            if tz:
                values = dict(values, tz=tz)
        return super()._create_user_from_template(values)

    @api.model
    def _meusite_company_tz(self):
        """The company's time zone (its partner's), for the users the product creates."""
        return self.env.company.sudo().partner_id.tz
