from odoo import SUPERUSER_ID, api, models


class ResPartner(models.Model):
    """The system user reads dates in the company's time zone.

    Crons run as Odoo's system user, with no context time zone: every "today" they compute
    (``fields.Date.context_today``: which invoices are overdue, the multa and juros of a
    boleto, the next billing date) is in the system user's own time zone (its partner's).
    Odoo leaves it empty (the server's clock, UTC) or, with demo data, Europe/Brussels; in
    Belo Horizonte's evening either is already tomorrow, and a reminder or a late charge
    computed then differs by a day from what the customer's page shows. So the system
    user's time zone follows the main company's.
    """

    # One file per feature (the same model named again), like the other feature folders.
    _name = "res.partner"
    _inherit = ["res.partner"]

    def write(self, vals):
        res = super().write(vals)
        if vals.get("tz") and self.env.ref("base.main_partner", raise_if_not_found=False) in self:
            self._meusite_system_tz_follows_company()
        return res

    @api.model
    def _meusite_system_tz_follows_company(self):
        """Give the system user the main company's time zone (at install, and whenever the
        company's changes)."""
        company_tz = self.env.ref("base.main_partner").sudo().tz
        system = self.env["res.users"].sudo().browse(SUPERUSER_ID).partner_id
        if company_tz and system.tz != company_tz:
            system.tz = company_tz
