import json
from unittest.mock import patch

import requests

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_moip_payment.models.payment_provider import MoipUnavailableError
from odoo.addons.meusite_moip_payment.tests.common import MoipCommon

# Every call goes through a requests.Session (kept alive between reads of payments).
REQUESTS = "odoo.addons.meusite_moip_payment.models.payment_provider.requests.Session.request"


def fake_response(status, body=None, text=None):
    response = requests.Response()
    response.status_code = status
    response._content = (text if text is not None else json.dumps(body)).encode()
    return response


@tagged("post_install", "-at_install")
class TestMoipProvider(MoipCommon, TransactionCase):

    def test_pays_boleto_in_brl_only(self):
        provider = self.provider.with_context(active_test=False)
        self.assertEqual(provider.code, "moip")
        self.assertEqual(provider.payment_method_ids.code, "boleto")
        self.assertEqual(provider._get_supported_currencies().mapped("name"), ["BRL"])

    def test_api_url_follows_state_unless_overridden(self):
        self.provider.moip_api_url = False
        self.provider.state = "test"
        self.assertEqual(self.provider._moip_api_url(), "https://sandbox.moip.com.br/v2")
        self.provider.state = "enabled"
        self.assertEqual(self.provider._moip_api_url(), "https://api.moip.com.br/v2")
        self.provider.moip_api_url = "http://127.0.0.1:8099/v2/"
        self.assertEqual(self.provider._moip_api_url(), "http://127.0.0.1:8099/v2")

    def test_basic_auth_or_oauth_header(self):
        with patch(REQUESTS, return_value=fake_response(200, {"id": "ORD-1"})) as request:
            self.provider._moip_make_request("/orders", payload={"ownId": "x"})
        headers = request.call_args.kwargs["headers"]
        # base64("SANDBOXTOKEN...AB:SANDBOXKEY...AB")
        self.assertTrue(headers["Authorization"].startswith("Basic U0FOREJPWFRPS0VO"))
        self.assertTrue(request.call_args.kwargs["timeout"])
        self.provider.moip_oauth_token = "abc123oauth"
        with patch(REQUESTS, return_value=fake_response(200, {})) as request:
            self.provider._moip_make_request("/payments/PAY-1", method="GET")
        self.assertEqual(request.call_args.kwargs["headers"]["Authorization"], "OAuth abc123oauth")

    def test_timeout_and_connection_errors_say_try_again(self):
        for error in (requests.exceptions.Timeout(), requests.exceptions.ConnectionError()):
            with patch(REQUESTS, side_effect=error), self.assertRaises(MoipUnavailableError) as ctx:
                self.provider._moip_make_request("/orders", payload={})
            self.assertIn("try again", ctx.exception.args[0])

    @mute_logger("odoo.addons.meusite_moip_payment.models.payment_provider")
    def test_5xx_is_transient_401_and_4xx_are_not(self):
        with patch(REQUESTS, return_value=fake_response(503, text="<html>busy</html>")), \
                self.assertRaises(MoipUnavailableError):
            self.provider._moip_make_request("/orders", payload={})
        refused = fake_response(401, {"ERROR": "Token or Key are invalids"})
        with patch(REQUESTS, return_value=refused), \
                self.assertRaises(ValidationError) as ctx:
            self.provider._moip_make_request("/orders", payload={})
        self.assertNotIsInstance(ctx.exception, MoipUnavailableError)
        self.assertIn("credentials", ctx.exception.args[0])

    def test_4xx_error_is_logged_with_moip_code_and_explained(self):
        body = {"errors": [{"code": "CUS-007", "path": "customer.birthDate",
                            "description": "A data de nascimento é inválida"}]}
        with patch(REQUESTS, return_value=fake_response(400, body)), \
                self.assertLogs("odoo.addons.meusite_moip_payment.models.payment_provider",
                                level="ERROR") as logs, \
                self.assertRaises(ValidationError) as ctx:
            self.provider._moip_make_request("/orders", payload={"ownId": "x"})
        self.assertIn("CUS-007", logs.output[0])
        self.assertIn("A data de nascimento é inválida", ctx.exception.args[0])

    def test_register_webhook_stores_id_and_token(self):
        answers = {
            ("DELETE", "/preferences/notifications/NPR-OLD000000000"): {},
            ("POST", "/preferences/notifications"): {
                "id": "NPR-N6QZE3223P98", "token": "994e3ffae3a94a5c9a1fc86e8f5f9a56",
                "events": ["PAYMENT.*"], "media": "WEBHOOK",
            },
        }
        self.provider.moip_webhook_id = "NPR-OLD000000000"
        with self.mock_moip(answers) as calls:
            self.provider.action_moip_register_webhook()
        self.assertEqual(self.provider.moip_webhook_id, "NPR-N6QZE3223P98")
        self.assertEqual(self.provider.moip_webhook_token, "994e3ffae3a94a5c9a1fc86e8f5f9a56")
        payload = calls[-1][2]
        self.assertEqual(payload["events"], ["PAYMENT.*"])
        self.assertTrue(payload["target"].endswith("/payment/moip/webhook"))
