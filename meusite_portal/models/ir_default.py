from odoo import api, models, tools


class IrDefault(models.Model):
    _inherit = "ir.default"

    def _get(self, model_name, field_name, user_id=False, company_id=False, condition=False):
        # The frontend asks for the default language of the site on every request
        # (http_routing's _get_default_lang): two queries on every page of the client area
        # (issue #18). Cached; ir.default's create/write/unlink clear the cache.
        if (
            (model_name, field_name) == ("res.partner", "lang")
            and not (user_id or company_id or condition)
            and not self.env.context.get("meusite_default_uncached")
        ):
            return self._meusite_default_partner_lang()
        return super()._get(
            model_name, field_name, user_id=user_id, company_id=company_id, condition=condition
        )

    @api.model
    @tools.ormcache()
    def _meusite_default_partner_lang(self):
        return self.with_context(meusite_default_uncached=True)._get("res.partner", "lang")
