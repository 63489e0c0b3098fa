from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # The portal's conversation (tickets, invoices) is mail's code: without mail's terms
        # in the frontend, customers read "Today at 09:00" under a Portuguese page.
        return super()._get_translation_frontend_modules_name() + ["mail"]

    @classmethod
    def _get_default_lang(cls):
        # Asked on every frontend request: the default language, read once (cached).
        lang_code = request.env["ir.default"].sudo()._meusite_default_partner_lang()
        if lang_code:
            return request.env["res.lang"]._get_data(code=lang_code)
        return super()._get_default_lang()
