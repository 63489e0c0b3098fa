"""Databases installed from the first skeleton: the provider record is noupdate, so the boleto
page (redirect form) and, in demo databases, the link to the local Moip double are set here."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    provider = env.ref("meusite_moip_payment.payment_provider_moip", raise_if_not_found=False)
    if not provider:
        return
    provider.redirect_form_view_id = env.ref("meusite_moip_payment.redirect_form")
    module = env["ir.module.module"].search([("name", "=", "meusite_moip_payment")])
    if module.demo and provider.state == "disabled" and not provider.moip_api_url:
        provider.write({
            "moip_api_url": "http://127.0.0.1:8099/v2",
            "moip_webhook_token": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
            "state": "test",
            "is_published": True,
        })
    if provider.state != "disabled":
        provider._ensure_payment_method_line()
