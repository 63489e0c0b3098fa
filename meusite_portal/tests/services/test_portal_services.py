from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalServices(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env.ref("meusite_portal.demo_service_plan")
        cls.domain = cls.env.ref("meusite_portal.demo_service_domain")
        cls.other = cls.env.ref("meusite_portal.demo_service_suspended")
        cls.customer_user = cls.env.ref("meusite_portal.demo_customer_user")

    def test_list_shows_the_customers_services_in_portuguese(self):
        self.authenticate("cliente", "cliente")
        page = self.url_open("/my/services").text
        for label in ("Produto/Serviço", "Domínio", "Valor", "Ciclo", "Próximo Vencimento",
                      "Mensalidade Meu Site Expresso", "Registro de Domínio .com.br",
                      "marianateixeira.com.br", "158,90", "Mensal", "Anual", "Ativo"):
            self.assertIn(label, page)
        self.assertIn(self.plan.next_due_date.strftime("%d/%m/%Y"), page)
        self.assertNotIn("rafaelmoreira.com.br", page)

    def test_detail_lists_invoices_and_links_a_ticket(self):
        invoice = self.env["meusite.service"]._meusite_invoice_due_services(
            self.plan.next_due_date - timedelta(days=1), service_ids=self.plan.ids
        )
        self.authenticate("cliente", "cliente")
        response = self.url_open(f"/my/services/{self.plan.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Abrir ticket sobre este serviço", response.text)
        self.assertIn(f"/new/ticket?service_id={self.plan.id}", response.text)
        self.assertIn(invoice.name, response.text)
        self.assertIn("Em aberto", response.text)

    def test_detail_uses_the_invoice_list_status_words(self):
        invoice = self.env["meusite.service"]._meusite_invoice_due_services(
            self.plan.next_due_date - timedelta(days=1), service_ids=self.plan.ids
        )
        transfer = self.env.ref("payment.payment_provider_transfer")
        tx = self.env["payment.transaction"].create({
            "provider_id": transfer.id,
            "payment_method_id": self.env.ref("payment_custom.payment_method_wire_transfer").id,
            "amount": invoice.amount_total, "currency_id": invoice.currency_id.id,
            "partner_id": invoice.partner_id.id,
            "reference": self.env["payment.transaction"]._compute_reference("custom"),
            "invoice_ids": [(6, 0, invoice.ids)],
        })
        tx._set_pending()
        self.authenticate("cliente", "cliente")
        page = self.url_open(f"/my/services/{self.plan.id}").text
        # The words of Minhas Faturas (Paga, Vencida...), not Pago/Vencido.
        self.assertRegex(page, r'data-status="pending"[^>]*>Aguardando confirmação<')
        self.assertNotRegex(page, r">\s*(Pago|Vencido)\s*<")

    def test_another_customers_service_is_not_found(self):
        self.authenticate("cliente", "cliente")
        response = self.url_open(f"/my/services/{self.other.id}")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("rafaelmoreira.com.br", response.text)
        response = self.url_open("/my/services/999999")
        self.assertEqual(response.status_code, 404)

    def test_anonymous_visitor_is_sent_to_login(self):
        # Followed: a visitor whose language is not the site's goes through /en/... first.
        response = self.url_open("/my/services")
        self.assertIn("/web/login", response.url)
        self.assertNotIn("Mensalidade", response.text)

    def test_record_rule_limits_portal_users_to_their_services(self):
        Service = self.env["meusite.service"].with_user(self.customer_user)
        self.assertEqual(Service.search([]), self.plan | self.domain)
        with self.assertRaises(AccessError):
            self.other.with_user(self.customer_user).read(["name"])
        with self.assertRaises(AccessError):
            self.plan.with_user(self.customer_user).write({"price": 1})

    def test_home_counter(self):
        self.authenticate("cliente", "cliente")
        result = self.make_jsonrpc_request("/my/counters", {"counters": ["service_count"]})
        self.assertEqual(result["service_count"], 2)

    def test_tour_customer_sees_services_in_portuguese(self):
        self.start_tour("/my/services", "meusite_services_tour", login="cliente")
