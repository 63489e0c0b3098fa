from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_default_lang(cls):
        # The client area speaks the company's language by default. Odoo would take the
        # default language of new contacts, which also decides the language of every user
        # created without one (staff, tests): a site setting should not change that.
        # Customers whose language is the default keep plain URLs (/my, not /pt_BR/my).
        lang_code = request.env.company.sudo().partner_id.lang
        if lang_code:
            lang = request.env["res.lang"]._get_data(code=lang_code)
            if lang.id:
                return lang
        return super()._get_default_lang()
