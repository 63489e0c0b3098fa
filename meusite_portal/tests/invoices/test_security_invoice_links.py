"""An invoice link (its access token) answers only while the invoice is that customer's.

The attack: keep the link of an invoice (the e-mail that sent it, a browser history) and
open it after staff gave the invoice to another customer - not logged in.
"""

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestInvoiceLinksCheckedOnUse(MeusiteInvoicesCommon):
    def open_link(self, invoice, token):
        self.authenticate(None, None)
        with mute_logger("odoo.http"):
            response = self.url_open(f"/my/invoices/{invoice.id}?access_token={token}",
                                     timeout=60)
        return response.status_code == 200 and invoice.name in response.text and (
            "/web/login" not in response.url)

    def test_link_of_an_invoice_given_to_another_customer_is_refused(self):
        invoice = make_invoices(self.env, self.customer, amount=300.00)
        token = invoice._portal_ensure_token()
        self.assertTrue(self.open_link(invoice, token), "the customer's link works")
        invoice.button_draft()
        invoice.partner_id = self.other
        invoice.action_post()
        self.assertFalse(self.open_link(invoice, token), "the old link still opens it")
        self.assertTrue(self.open_link(invoice, invoice._portal_ensure_token()),
                        "the new customer's link works")

    def test_link_survives_a_change_within_the_same_customer(self):
        invoice = make_invoices(self.env, self.customer, amount=300.00)
        token = invoice._portal_ensure_token()
        invoice.button_draft()
        invoice.partner_id = self.customer
        invoice.action_post()
        self.assertTrue(self.open_link(invoice, token))
