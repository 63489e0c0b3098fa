from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestMoipProvider(TransactionCase):
    def setUp(self):
        super().setUp()
        # Odoo ships the boleto method archived; it is activated with the provider.
        self.provider = self.env.ref("meusite_moip_payment.payment_provider_moip").with_context(
            active_test=False
        )

    def test_pays_boleto_in_brl_only(self):
        self.assertEqual(self.provider.code, "moip")
        self.assertEqual(self.provider.payment_method_ids.code, "boleto")
        self.assertEqual(self.provider._get_supported_currencies().mapped("name"), ["BRL"])

    def test_api_url_follows_state_unless_overridden(self):
        self.provider.state = "test"
        self.assertEqual(self.provider._moip_api_url(), "https://sandbox.moip.com.br/v2")
        self.provider.state = "enabled"
        self.assertEqual(self.provider._moip_api_url(), "https://api.moip.com.br/v2")
        self.provider.moip_api_url = "http://127.0.0.1:8099/v2/"
        self.assertEqual(self.provider._moip_api_url(), "http://127.0.0.1:8099/v2")
