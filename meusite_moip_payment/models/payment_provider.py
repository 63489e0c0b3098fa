from odoo import fields, models

from .. import const


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("moip", "Moip")], ondelete={"moip": "set default"}
    )
    moip_token = fields.Char(groups="base.group_system")
    moip_key = fields.Char(groups="base.group_system")
    moip_api_url = fields.Char(
        string="API base URL override",
        help="Leave empty to use Moip's sandbox (test mode) or production (enabled) API.",
        groups="base.group_system",
    )

    def _get_supported_currencies(self):
        supported_currencies = super()._get_supported_currencies()
        if self.code == "moip":
            supported_currencies = supported_currencies.filtered(
                lambda c: c.name in const.SUPPORTED_CURRENCIES
            )
        return supported_currencies

    def _get_default_payment_method_codes(self):
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "moip":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _moip_api_url(self):
        self.ensure_one()
        url = self.moip_api_url or const.API_URLS.get(self.state, const.API_URLS["test"])
        return url.rstrip("/")
