from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        # The portal's conversation (tickets, invoices) is mail's code: without mail's terms
        # in the frontend, customers read "Today at 09:00" under a Portuguese page.
        return super()._get_translation_frontend_modules_name() + ["mail"]
