import time
from datetime import datetime

from odoo import http
from odoo.tests import HttpCase, TransactionCase, tagged

from ..common import CAPTCHA_ANSWER, RdapDoubleMixin, known_captcha


@tagged("post_install", "-at_install")
class TestDomainCheck(RdapDoubleMixin, TransactionCase):
    def check(self, name, keys=()):
        return self.env["meusite.domain.check"].with_context(lang="pt_BR")._meusite_check(
            name, keys)

    def test_invalid_names_get_a_message_and_no_request(self):
        for name in ("ex..com", "meu site.com", "a" * 300 + ".com", "http://x.com",
                     "", "   ", "semextensao", "-abc.com.br", "abc-.com", "x.c0m",
                     "exemplo.com/pagina", "a" * 64 + ".com", ".com", "exemplo.com..."):
            with self.subTest(name=name):
                result = self.check(name)
                self.assertEqual(result["state"], "invalid")
                self.assertTrue(result["message"])
        self.assertEqual(self.rdap.requests, [])

    def test_invalid_message_is_portuguese(self):
        self.assertIn("espaços", self.check("meu site.com")["message"])
        self.assertIn("entre pontos", self.check("ex..com")["message"])

    def test_br_domain_asks_registro_br(self):
        result = self.check("Livre-Agora.com.br")
        self.assertEqual(result["state"], "available")
        self.assertEqual(result["message"], "livre-agora.com.br está disponível.")
        self.assertEqual(self.rdap.requests, ["/br/domain/livre-agora.com.br"])

    def test_registered_br_domain(self):
        result = self.check("ocupado.com.br")
        self.assertEqual(result["state"], "registered")
        self.assertIn("indisponível (registrado)", result["message"])

    def test_other_tlds_go_through_the_cached_bootstrap(self):
        self.assertEqual(self.check("livre.com")["state"], "available")
        self.assertEqual(self.check("ocupado.com")["state"], "registered")
        self.assertEqual(self.rdap.requests,
                         ["/dns.json", "/rdap/domain/livre.com", "/rdap/domain/ocupado.com"])

    def test_unknown_tld_cannot_be_checked(self):
        result = self.check("exemplo.xyz")
        self.assertEqual(result["state"], "unknown")
        self.assertIn("não foi possível verificar", result["message"].lower())

    def test_internationalized_name_is_sent_in_ascii(self):
        self.assertEqual(self.check("café.com.br")["domain"], "xn--caf-dma.com.br")
        self.assertEqual(self.rdap.requests, ["/br/domain/xn--caf-dma.com.br"])

    def test_results_are_cached(self):
        self.check("livre.com.br")
        self.check("livre.com.br")
        self.assertEqual(len(self.rdap.requests), 1)

    def test_server_down_is_not_an_error(self):
        self.rdap.mode = "down"
        self.assertEqual(self.check("livre.com.br")["state"], "unknown")
        self.assertEqual(self.check("livre.com")["state"], "unknown")
        # A failure is not cached: the next try asks again once the server is back.
        self.rdap.mode = "up"
        self.assertEqual(self.check("livre.com.br")["state"], "available")

    def test_nonsense_bootstrap_is_not_an_error(self):
        self.rdap.mode = "garbage"
        self.assertEqual(self.check("livre.com")["state"], "unknown")

    def test_slow_server_times_out_quickly(self):
        self.rdap.mode = "slow"
        self.rdap.delay = 3
        start = time.monotonic()
        self.assertEqual(self.check("livre.com.br")["state"], "unknown")
        self.assertLess(time.monotonic() - start, 2.5)

    def test_asking_too_often_is_slowed_down(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.domain_check_per_minute", "2")
        keys = ["ip:10.0.0.1", "session:abc"]
        self.assertEqual(self.check("um.com.br", keys)["state"], "available")
        self.assertEqual(self.check("dois.com.br", keys)["state"], "available")
        result = self.check("tres.com.br", keys)
        self.assertEqual(result["state"], "throttled")
        self.assertIn("Aguarde", result["message"])
        # Same IP, new session: still slowed down.
        self.assertEqual(self.check("tres.com.br", ["ip:10.0.0.1", "session:new"])["state"],
                         "throttled")
        self.assertEqual(len(self.rdap.requests), 2)


@tagged("post_install", "-at_install")
class TestDomainCheckRoute(RdapDoubleMixin, HttpCase):
    def setUp(self):
        super().setUp()
        self.authenticate("cliente", "cliente")

    def post_check(self, domain, answer=CAPTCHA_ANSWER, token=None):
        if token is None:
            with known_captcha():
                token = self.env["meusite.captcha"]._new_challenge("domain")
        return self.url_open("/my/domain/check", data={
            "domain": domain, "captcha_token": token, "captcha_answer": answer,
            "csrf_token": http.Request.csrf_token(self),
        })

    def test_customer_sees_the_answer_on_the_panel(self):
        response = self.post_check("livre.com.br")
        self.assertEqual(response.status_code, 200)
        self.assertIn("livre.com.br está disponível.", response.text)
        self.assertIn("Informações da Conta", response.text)

    def test_wrong_captcha_keeps_the_name_and_sends_nothing(self):
        response = self.post_check("livre.com.br", answer="ERRADO")
        self.assertEqual(response.status_code, 200)
        self.assertIn("não correspondem", response.text)
        self.assertIn('value="livre.com.br"', response.text)
        self.assertEqual(self.rdap.requests, [])

    def test_reused_captcha_is_refused(self):
        with known_captcha():
            token = self.env["meusite.captcha"]._new_challenge("domain")
        self.post_check("livre.com.br", token=token)
        response = self.post_check("outro.com.br", token=token)
        self.assertIn("já foi usado", response.text)
        self.assertEqual(self.rdap.requests, ["/br/domain/livre.com.br"])

    def test_expired_captcha_is_refused(self):
        with known_captcha():
            token = self.env["meusite.captcha"]._new_challenge(
                "domain", expires_at=datetime(2000, 1, 1))
        response = self.post_check("livre.com.br", token=token)
        self.assertIn("expirou", response.text)
        self.assertEqual(self.rdap.requests, [])

    def test_server_down_answers_politely(self):
        self.rdap.mode = "down"
        response = self.post_check("livre.com.br")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Não foi possível verificar livre.com.br agora", response.text)

    def test_anonymous_visitors_cannot_check(self):
        self.logout()
        response = self.url_open("/my/domain/check", data={
            "domain": "livre.com.br", "csrf_token": http.Request.csrf_token(self)})
        self.assertIn("/web/login", response.url)
        self.assertEqual(self.rdap.requests, [])
