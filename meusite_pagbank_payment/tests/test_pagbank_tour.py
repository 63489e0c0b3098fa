"""In the browser: the demo customer pays one invoice by PagBank PIX end to end, and issues a
PagBank boleto. With MEUSITE_SCREENSHOTS=1, the PIX page and the boleto page are saved to
docs/screenshots/ (pagbank-pix.png, pagbank-boleto.png)."""

import base64
import os
from contextlib import contextmanager
from pathlib import Path
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from odoo.addons.meusite_pagbank_payment.tests.common import PagbankCase, make_invoices

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@tagged("post_install", "-at_install")
class TestPagbankTour(PagbankCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        cls.user = cls.env.ref("meusite_portal.demo_customer_user")
        cls.user.partner_id.write({
            "vat": "529.982.247-25", "email": "cliente.demo@example.com",
            "street2": cls.user.partner_id.street2 or "Savassi",
        })

    @contextmanager
    def screenshot(self, name):
        """Save the page the tour ended on (just before Odoo closes the browser)."""
        if not os.environ.get("MEUSITE_SCREENSHOTS"):
            yield
            return
        stop = ChromeBrowser.stop

        def stop_after_screenshot(browser):
            try:
                size = browser._websocket_request("Page.getLayoutMetrics")["cssContentSize"]
                clip = {"x": 0, "y": 0, "width": size["width"],
                        "height": min(size["height"], 2400), "scale": 1}
                data = browser._websocket_request(
                    "Page.captureScreenshot",
                    params={"clip": clip, "captureBeyondViewport": True}, timeout=30,
                )["data"]
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(data))
            finally:
                stop(browser)

        with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
            yield

    def test_customer_pays_an_invoice_by_pix(self):
        invoice = make_invoices(self.env, self.user.partner_id, amount=158.90)
        url = invoice.get_portal_url()
        with self.screenshot("pagbank-pix"):
            self.start_tour(url, "meusite_pagbank_pix_tour", login=self.user.login)
        tx = invoice.transaction_ids
        self.assertEqual(tx.state, "pending")
        self.assertEqual(tx.payment_method_code, "pix")
        self.assertEqual(self.simulate_payment(tx)["deliveries"], [200])
        self.assertEqual(tx.state, "done")
        self.assertPaid(invoice)
        self.start_tour(url, "meusite_pagbank_invoice_paid_tour", login=self.user.login)

    def test_customer_issues_a_pagbank_boleto(self):
        invoice = make_invoices(self.env, self.user.partner_id, amount=158.90)
        with self.screenshot("pagbank-boleto"):
            self.start_tour(invoice.get_portal_url(), "meusite_pagbank_boleto_tour",
                            login=self.user.login)
        tx = invoice.transaction_ids
        self.assertEqual(tx.state, "pending", tx.state_message)
        self.assertTrue(tx.pagbank_barcode)
