"""In the browser: the demo customer pays one invoice by PagBank PIX end to end, and issues a
PagBank boleto. With MEUSITE_SCREENSHOTS=1, the PIX page and the boleto page are saved to
docs/screenshots/ (pagbank-pix.png, pagbank-boleto.png)."""

from odoo.tests import tagged

from odoo.addons.meusite_pagbank_payment.tests.common import PagbankCase, make_invoices
from odoo.addons.meusite_portal.tests.common import TourScreenshotMixin


@tagged("post_install", "-at_install")
class TestPagbankTour(TourScreenshotMixin, PagbankCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        cls.user = cls.env.ref("meusite_portal.demo_customer_user")
        cls.user.partner_id.write({
            "vat": "529.982.247-25", "email": "cliente.demo@example.com",
            "street2": cls.user.partner_id.street2 or "Savassi",
        })

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
