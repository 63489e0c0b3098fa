from odoo import api, models, tools


class IrDefault(models.Model):
    _inherit = "ir.default"

    @api.model
    @tools.ormcache()
    def _meusite_default_partner_lang(self):
        """The default language of new partners, which Odoo's frontend reads on every
        request (``ir.http._get_default_lang``): two queries on every page of the client
        area (issue #18). Cached; ir.default's create/write/unlink clear the cache."""
        return self._get("res.partner", "lang")
