from odoo import api, models


class AccountMoveSend(models.AbstractModel):
    _inherit = "account.move.send"

    @api.model
    def _get_default_mail_template_id(self, move):
        # Invoices of the services (billing run, orders) are sent by Odoo's sending cron with
        # the services' template, which their sending data names.
        xmlid = (move.sending_data or {}).get("meusite_mail_template")
        if xmlid:
            return self.env.ref(xmlid)
        return super()._get_default_mail_template_id(move)
