from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..common import CAPTCHA_ANSWER, known_captcha


@tagged("post_install", "-at_install")
class TestCaptcha(HttpCase):
    def setUp(self):
        super().setUp()
        self.Captcha = self.env["meusite.captcha"]
        with known_captcha():
            self.token = self.Captcha._new_challenge("ticket")

    def test_image_is_served_to_anonymous_visitors(self):
        response = self.url_open(f"/meusite/captcha/{self.token}.png")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "image/png")
        self.assertTrue(response.content.startswith(b"\x89PNG"))
        self.assertEqual(response.headers["Cache-Control"], "no-store")

    def test_unknown_token_has_no_image(self):
        self.assertEqual(self.url_open("/meusite/captcha/forged.png").status_code, 404)

    def test_right_answer_passes_once(self):
        self.assertTrue(self.Captcha._check(self.token, " k7wq4p ", "ticket"))
        with self.assertRaisesRegex(UserError, "already used"):
            self.Captcha._check(self.token, CAPTCHA_ANSWER, "ticket")
        # A used challenge no longer shows its image either.
        self.assertEqual(self.url_open(f"/meusite/captcha/{self.token}.png").status_code, 404)

    def test_wrong_answer_consumes_the_challenge(self):
        with self.assertRaisesRegex(UserError, "do not match"):
            self.Captcha._check(self.token, "AAAAAA", "ticket")
        with self.assertRaisesRegex(UserError, "already used"):
            self.Captcha._check(self.token, CAPTCHA_ANSWER, "ticket")

    def test_expired_challenge_is_refused(self):
        with known_captcha():
            token = self.Captcha._new_challenge(
                "ticket", expires_at=fields.Datetime.now() - timedelta(seconds=1)
            )
        self.assertEqual(self.url_open(f"/meusite/captcha/{token}.png").status_code, 404)
        with self.assertRaisesRegex(UserError, "expired"):
            self.Captcha._check(token, CAPTCHA_ANSWER, "ticket")

    def test_showing_a_challenge_writes_nothing(self):
        # Rendering a form (a GET) stores nothing; only an answer is remembered, once.
        before = self.Captcha.sudo().search_count([])
        for _i in range(3):
            self.Captcha._new_challenge("signup")
        self.assertEqual(self.url_open(f"/meusite/captcha/{self.token}.png").status_code, 200)
        self.assertEqual(self.Captcha.sudo().search_count([]), before)

    def test_forged_or_altered_token_is_refused(self):
        nonce, expiry, purpose, cipher, signature = self.token.split(".")
        later = f"{int(expiry, 16) + 86400:x}"
        for forged in (f"{nonce}.{later}.{purpose}.{cipher}.{signature}",
                       f"{nonce}.{expiry}.{purpose}.{'00' * 6}.{signature}",
                       f"{nonce}.{expiry}.domain.{cipher}.{signature}",
                       f"{nonce}.{expiry}.{purpose}.{cipher}.{'0' * 64}"):
            with self.subTest(forged=forged):
                self.assertEqual(
                    self.url_open(f"/meusite/captcha/{forged}.png").status_code, 404)
                with self.assertRaisesRegex(UserError, "unknown"):
                    self.Captcha._check(forged, CAPTCHA_ANSWER, "ticket")

    def test_the_answer_is_not_readable_from_the_token(self):
        self.assertNotIn(CAPTCHA_ANSWER, self.token.upper())
        self.assertNotIn(CAPTCHA_ANSWER.encode().hex(), self.token)

    def test_challenge_of_another_form_is_refused(self):
        with self.assertRaises(UserError):
            self.Captcha._check(self.token, CAPTCHA_ANSWER, "domain")

    def test_portuguese_message_for_customers(self):
        pt = self.Captcha.with_context(lang="pt_BR")
        with self.assertRaisesRegex(UserError, "não correspondem"):
            pt._check(self.token, "AAAAAA", "ticket")
