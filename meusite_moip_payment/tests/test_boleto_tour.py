import json
import urllib.request

from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.meusite_moip_payment.tests.common import (
    WEBHOOK_TOKEN,
    MoipDoubleCommon,
)


@tagged("post_install", "-at_install")
class TestMoipBoletoTour(MoipDoubleCommon, HttpCase):
    """A customer pays an invoice by boleto in the browser; the bank pays it.

    The customer is made here (a portal user for MoipCommon's partner), not taken from
    meusite_portal's demo: this addon does not depend on meusite_portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The payment dialog offers Moip alone, as in the demo.
        cls.env["payment.provider"].search(
            [("id", "!=", cls.provider.id), ("state", "!=", "disabled")]
        ).write({"state": "disabled"})
        cls.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        # start_tour logs in with the login as password (new_test_user's default).
        cls.user = new_test_user(
            cls.env, login="moip_boleto_customer", groups="base.group_portal",
            partner_id=cls.customer.id, name=cls.customer.name,
        )

    def setUp(self):
        super().setUp()
        self.invoice = self._create_invoice(self.user.partner_id)

    def test_customer_pays_invoice_by_boleto(self):
        self.double.add_preference(self.base_url() + "/payment/moip/webhook", WEBHOOK_TOKEN)
        # As linked from "Minhas Faturas": the portal URL carries the invoice's access token.
        url = self.invoice.get_portal_url()
        self.start_tour(url, "meusite_moip_boleto_tour", login=self.user.login)
        tx = self.invoice.transaction_ids
        self.assertEqual(tx.state, "pending")
        self.assertTrue(tx.moip_payment_id)

        pay = (f"{self.double.base_url}/simulador/authorize"
               f"?payment_id={tx.moip_payment_id}&amount=15890")
        self.env.flush_all()
        with urllib.request.urlopen(pay, timeout=60) as response:  # noqa: S310 - loopback
            self.assertEqual(json.loads(response.read())["deliveries"], [200])
        self._run_post_processing()
        self.assertEqual(tx.state, "done")
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.start_tour(url, "meusite_moip_invoice_paid_tour", login=self.user.login)
