import re

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import CAPTCHA_ANSWER, MeusiteInvoicesCommon, OrderMixin, known_captcha


@tagged("post_install", "-at_install")
class TestPortalOrder(OrderMixin, MeusiteInvoicesCommon):
    def setUp(self):
        super().setUp()
        self.authenticate("beatriz", "beatriz-Senha123")

    def confirm(self, **data):
        data.setdefault("plan_id", self.plan.id)
        data.setdefault("cycle", "monthly")
        data.setdefault("price", "158.90")
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open("/my/order/confirm", data=data)

    def assert_refused(self, response, message):
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/my/order/confirm"), response.url)
        self.assertIn(message, response.text)
        self.assertIn("o_meusite_order_error", response.text)
        self.assertFalse(self.services_of(self.customer), "nothing created")

    # --------------------------------------------------------------------- pages
    def test_plans_page_shows_the_plans_with_their_prices_per_cycle(self):
        page = self.url_open("/my/order").text
        card = page[page.index("Plano Site Teste"):]
        self.assertIn("Site com hospedagem e suporte.", card)
        self.assertRegex(card, r"Mensal</span>:\s*<strong[^>]*>R\$\s<span[^>]*>158,90</span>")
        self.assertRegex(card, r"Anual</span>:\s*<strong[^>]*>R\$\s<span[^>]*>1\.690,00</span>")
        self.assertNotIn("Trimestral", card[:card.index("</form>")])

    def test_withdrawn_plan_is_not_listed(self):
        self.plan.meusite_is_plan = False
        self.assertNotIn("Plano Site Teste", self.url_open("/my/order").text)

    def test_domain_from_the_check_is_carried_to_the_plans(self):
        page = self.url_open("/my/order?domain=minha-loja.com.br").text
        self.assertIn('value="minha-loja.com.br"', page)

    def test_review_shows_the_server_price(self):
        page = self.url_open(
            f"/my/order/review?plan_id={self.plan.id}&cycle=annual&domain=Minha-Loja.com.br"
        ).text
        self.assertIn("Confirmar pedido", page)
        self.assertRegex(page, r"R\$\s<span[^>]*>1\.690,00</span>")
        self.assertIn('name="price" value="1690.00"', page)
        self.assertIn('name="domain" value="minha-loja.com.br"', page)

    def test_review_of_a_cycle_not_offered_goes_back_to_the_plans(self):
        page = self.url_open(f"/my/order/review?plan_id={self.plan.id}&cycle=quarterly").text
        self.assertIn("Este ciclo de cobrança não é oferecido para este plano.", page)
        self.assertNotIn("Confirmar pedido", page)

    def test_panel_offers_to_subscribe_next_to_the_domain_check(self):
        page = self.url_open("/my").text
        self.assertIn('href="/my/order"', page)
        self.assertIn("Assinar Somente Produto/Serviço", page)
        self.assertIn("Contratar", self.url_open("/my/services").text)

    def check_domain(self, domain):
        with known_captcha():
            token = self.env["meusite.captcha"]._new_challenge("domain")
        return self.url_open("/my/domain/check", data={
            "domain": domain, "captcha_token": token, "captcha_answer": CAPTCHA_ANSWER,
            "csrf_token": http.Request.csrf_token(self),
        }).text

    def test_available_domain_offers_to_subscribe_with_it(self):
        page = self.check_domain("Nova-Loja.com.br")
        self.assertIn("nova-loja.com.br está disponível.", page)
        self.assertIn('href="/my/order?domain=nova-loja.com.br"', page)
        self.assertIn("Assinar com este domínio", page)

    def test_registered_domain_offers_no_subscription_with_it(self):
        page = self.check_domain("ocupado.com.br")
        self.assertIn("indisponível", page)
        self.assertNotIn("Assinar com este domínio", page)
        self.assertIn("Assinar Somente Produto/Serviço", page)

    # --------------------------------------------------------------------- ordering
    def test_confirm_creates_the_order_and_opens_the_payment_of_its_invoice(self):
        response = self.confirm(domain="minha-loja.com.br")
        service = self.services_of(self.customer)
        self.assertEqual(len(service), 1)
        self.assertEqual(service.state, "pending")
        self.assertEqual(service.domain_name, "minha-loja.com.br")
        move = service.order_move_id
        # Ordering does not make the customer the salesperson of their own invoice.
        self.assertFalse(move.invoice_user_id)
        self.assertTrue(response.url.endswith(f"/my/services/{service.id}/pay"), response.url)
        self.assertIn("o_payment_form", response.text)
        self.assertIn(move.name, response.text)
        self.assertIn('data-payment-method-code="wire_transfer"', response.text)
        # The customer sees the order among the services, pending, with a pay button.
        page = self.url_open(f"/my/services/{service.id}").text
        self.assertIn("Pendente", page)
        self.assertIn(f"/my/services/{service.id}/pay", page)

    def test_order_is_always_for_the_logged_in_customer(self):
        self.confirm(partner_id=self.other.id, partner=self.other.id)
        self.assertEqual(self.services_of(self.customer).partner_id, self.customer)
        self.assertFalse(self.services_of(self.other))

    def test_refusals_leave_nothing_and_keep_the_values(self):
        self.rdap.registered.add("tomado.com.br")
        cases = [
            ({"domain": "tomado.com.br"}, "tomado.com.br não está mais disponível"),
            ({"cycle": "quarterly"}, "Este ciclo de cobrança não é oferecido"),
            ({"price": "1.00"}, "não confere com o preço"),
            ({"plan_id": "999999999"}, "não está mais disponível para contratação"),
            ({"plan_id": "abc"}, "não está mais disponível para contratação"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                self.assert_refused(self.confirm(**data), message)
        response = self.confirm(domain="tomado.com.br")
        self.assertIn('value="tomado.com.br"', response.text)

    def test_plan_withdrawn_between_review_and_confirm_is_refused(self):
        self.plan.active = False
        self.assert_refused(self.confirm(), "não está mais disponível para contratação")

    def test_missing_csrf_token_creates_nothing(self):
        with mute_logger("odoo.http"):
            response = self.url_open("/my/order/confirm", data={
                "plan_id": self.plan.id, "cycle": "monthly", "price": "158.90"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.services_of(self.customer))

    def test_anonymous_visitor_is_sent_to_login(self):
        self.logout()
        for url in ("/my/order", f"/my/order/review?plan_id={self.plan.id}&cycle=monthly"):
            with self.subTest(url=url):
                self.assertIn("/web/login", self.url_open(url).url)
        response = self.url_open("/my/order/confirm", data={
            "plan_id": self.plan.id, "cycle": "monthly",
            "csrf_token": http.Request.csrf_token(self)})
        self.assertIn("/web/login", response.url)
        self.assertFalse(self.env["meusite.service"].search(
            [("product_id", "=", self.plan.product_variant_id.id)]))

    def test_customer_cannot_see_or_pay_another_customers_order(self):
        self.confirm()
        service = self.services_of(self.customer)
        move = service.order_move_id
        self.authenticate("rafael", "rafael-Senha123")
        for url in (f"/my/services/{service.id}", f"/my/services/{service.id}/pay"):
            with self.subTest(url=url), mute_logger("odoo.http"):
                self.assertEqual(self.url_open(url).status_code, 404)
        self.assertNotIn("Plano Site Teste", self.url_open("/my/services").text)
        # Nor pay its invoice through Minhas Faturas.
        response = self.url_open("/my/invoices/pay", data={
            "invoice_ids": move.id, "csrf_token": http.Request.csrf_token(self)})
        self.assertNotIn("o_payment_form", response.text)
        self.assertFalse(self.services_of(self.other))

    def test_paid_order_page_goes_to_the_service(self):
        self.confirm()
        service = self.services_of(self.customer)
        service.order_move_id._meusite_demo_register_payment()
        self.assertEqual(service.state, "active")
        response = self.url_open(f"/my/services/{service.id}/pay")
        self.assertTrue(response.url.endswith(f"/my/services/{service.id}"), response.url)
        self.assertIn("Ativo", response.text)
        self.assertTrue(re.search(r"Próximo Vencimento</dt>\s*<dd[^>]*><span>\d\d/\d\d/\d{4}",
                                  response.text))
