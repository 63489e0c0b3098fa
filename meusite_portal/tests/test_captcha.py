from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.meusite_portal.models.meusite_captcha import MeusiteCaptcha


@tagged("post_install", "-at_install")
class TestCaptcha(HttpCase):
    def setUp(self):
        super().setUp()
        self.Captcha = self.env["meusite.captcha"]
        with patch.object(MeusiteCaptcha, "_random_text", lambda self: "K7WQ4P"):
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
            self.Captcha._check(self.token, "K7WQ4P", "ticket")
        # A used challenge no longer shows its image either.
        self.assertEqual(self.url_open(f"/meusite/captcha/{self.token}.png").status_code, 404)

    def test_wrong_answer_consumes_the_challenge(self):
        with self.assertRaisesRegex(UserError, "do not match"):
            self.Captcha._check(self.token, "AAAAAA", "ticket")
        with self.assertRaisesRegex(UserError, "already used"):
            self.Captcha._check(self.token, "K7WQ4P", "ticket")

    def test_expired_challenge_is_refused(self):
        self.Captcha.search([("token", "=", self.token)]).sudo().write(
            {"expires_at": fields.Datetime.now() - timedelta(seconds=1)}
        )
        with self.assertRaisesRegex(UserError, "expired"):
            self.Captcha._check(self.token, "K7WQ4P", "ticket")

    def test_challenge_of_another_form_is_refused(self):
        with self.assertRaises(UserError):
            self.Captcha._check(self.token, "K7WQ4P", "domain")

    def test_portuguese_message_for_customers(self):
        pt = self.Captcha.with_context(lang="pt_BR")
        with self.assertRaisesRegex(UserError, "não correspondem"):
            pt._check(self.token, "AAAAAA", "ticket")
