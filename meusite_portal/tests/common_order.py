from odoo import Command

from .domain_check.test_domain_check import RdapDoubleMixin


class OrderMixin(RdapDoubleMixin):
    """An orderable plan with two cycles, a domain-registration plan, and the settings the
    tests assume, on top of the RDAP double (``ocupado.com.br`` is registered)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("meusite_portal.order_payment_days", "7")
        env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.service_invoice_lead_days", "10"
        )
        cls.plan = env["product.template"].create({
            "name": "Plano Site Teste",
            "type": "service",
            "list_price": 158.90,
            "sale_ok": True,
            "taxes_id": [Command.clear()],
            "description_sale": "Site com hospedagem e suporte.",
            "meusite_is_plan": True,
            "meusite_plan_price_ids": [
                Command.create({"cycle": "monthly", "price": 158.90}),
                Command.create({"cycle": "annual", "price": 1690.00}),
            ],
        })
        cls.domain_plan = env["product.template"].create({
            "name": "Registro de Domínio Teste",
            "type": "service",
            "list_price": 40.0,
            "sale_ok": True,
            "taxes_id": [Command.clear()],
            "meusite_is_plan": True,
            "meusite_plan_is_domain": True,
            "meusite_plan_price_ids": [Command.create({"cycle": "annual", "price": 40.0})],
        })
        cls.provisioner = env["res.users"].create({
            "name": "Paulo Provisionamento", "login": "paulo_prov",
            "email": "paulo@example.com",
            "groups_id": [Command.set([env.ref("base.group_user").id])],
        })
        env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.order_provision_user_id", str(cls.provisioner.id)
        )

    def services_of(self, partner):
        return self.env["meusite.service"].sudo().search(
            [("commercial_partner_id", "=", partner.commercial_partner_id.id)]
        )
