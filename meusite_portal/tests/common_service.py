from datetime import date

from odoo.tests import TransactionCase


class ServiceCase(TransactionCase):
    """Two invented customers and a plan; dates far from today so that the demo
    services never fall in the windows the tests look at."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.service_invoice_lead_days", "10"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.service_suspension_grace_days", "5"
        )
        cls.plan = cls.env["product.product"].create({
            "name": "Plano Teste", "type": "service", "list_price": 158.90,
            "taxes_id": [],
        })
        cls.domain_product = cls.env["product.product"].create({
            "name": "Domínio Teste", "type": "service", "list_price": 40.0, "taxes_id": [],
        })
        cls.ana = cls.env["res.partner"].create({
            "name": "Ana Ribeiro", "email": "ana.ribeiro@example.com", "lang": "pt_BR",
        })
        cls.bruno = cls.env["res.partner"].create({
            "name": "Bruno Lima", "email": "bruno.lima@example.com", "lang": "pt_BR",
        })
        cls.Service = cls.env["meusite.service"]

    @classmethod
    def make_service(cls, partner, due, cycle="monthly", price=158.90, state="active", **kw):
        return cls.env["meusite.service"].create({
            "partner_id": partner.id,
            "product_id": kw.pop("product", cls.plan).id,
            "cycle": cycle,
            "price": price,
            "date_start": kw.pop("date_start", due),
            "next_due_date": due,
            "state": state,
            **kw,
        })

    def run_billing(self, day, services=None):
        services = services if services is not None else self.Service.search(
            [("partner_id", "in", (self.ana | self.bruno).ids)]
        )
        return self.Service._meusite_invoice_due_services(day, service_ids=services.ids)

    def send_queued_invoices(self):
        """What Odoo's sending cron does after a billing run: render and e-mail the
        invoices queued for sending (the run only queues them)."""
        self.env["account.move"]._cron_account_move_send(job_count=1000)


D = date
