import json
import re

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestBankTransfer(MeusiteInvoicesCommon):

    def setUp(self):
        super().setUp()
        self.inv_a = make_invoices(self.env, self.customer, amount=158.90, days_ago=45, due_in=-42)
        self.inv_b = make_invoices(self.env, self.customer, amount=59.90)
        self.authenticate("beatriz", "beatriz-Senha123")

    def _pay_by_transfer(self, invoices):
        page = self.url_open("/my/invoices/pay", data={
            "invoice_ids": invoices.ids, "csrf_token": http.Request.csrf_token(self),
        }).text
        route = re.search(r'data-transaction-route="([^"]+)"', page).group(1)
        params = {
            "provider_id": self.transfer.id, "payment_method_id": self.wire_method.id,
            "token_id": None, "flow": "redirect", "tokenization_requested": False,
            "landing_route": "/my/invoices", "is_validation": False,
            "access_token": re.search(r'data-access-token="([^"]+)"', page).group(1),
            "payment_reference": re.search(r'data-payment-reference="([^"]*)"', page).group(1),
        }
        answer = self.url_open(route, data=json.dumps({"params": params}),
                               headers={"Content-Type": "application/json"}).json()
        self.assertIn("result", answer, answer)
        tx = self.env["payment.transaction"].search([("invoice_ids", "in", invoices.ids)])
        # What the redirect form of the wire transfer does in the browser.
        status_page = self.url_open("/payment/custom/process", data={"reference": tx.reference})
        return tx, status_page.text

    def test_several_invoices_show_bank_details_reference_list_and_pix(self):
        tx, page = self._pay_by_transfer(self.inv_a | self.inv_b)
        self.assertEqual(tx.state, "pending")
        # The reference the customer quotes is the invoices' numbers, never the transaction's
        # internal one; the transaction keeps Odoo's reference.
        numbers = ", ".join(sorted([self.inv_a.name, self.inv_b.name]))
        self.assertNotIn(tx.reference, page)
        self.assertNotEqual(tx.reference, numbers)
        for label, value in [
            ("Banco:", "Caixa Econômica Federal (104)"),
            ("OP:", "013"),
            ("Agência:", "3552"),
            ("Conta Poupança:", "0010007-4"),
            ("Beneficiado:", "Meu Site Expresso Ltda"),
            ("Documento CNPJ:", "27.461.538/0001-50"),
            ("Nº de referência:", numbers),
        ]:
            self.assertRegex(page, rf"{re.escape(label)}\s*</dt>\s*<dd[^>]*>\s*{re.escape(value)}")
        self.assertIn("Aguardando confirmação", page)
        self.assertIn(self.inv_a.name, page)
        self.assertIn(self.inv_b.name, page)
        pix = re.search(r'id="o_meusite_pix_payload"[^>]*>([^<]+)<', page).group(1)
        self.assertTrue(pix.startswith("00020126580014br.gov.bcb.pix0136"), pix)
        # inv_a (158,90) is 42 days overdue: + multa 3,18 + juros 2,22; inv_b 59,90.
        self.assertIn("5406224.20", pix)
        self.assertIn('src="data:image/png;base64,', page)
        # The status page's breadcrumb is Portuguese too (payment's titles are Python literals).
        status_pt = self.url_open("/payment/status").text
        self.assertIn("Status do pagamento", status_pt)
        self.assertNotIn("Payment Status", status_pt)
        # Where the payment flow lands afterwards: the same details.
        landing = self.url_open("/my/invoices/pay/done").text
        self.assertIn("Nº de referência:", landing)
        self.assertIn(numbers, landing)
        self.assertNotIn(tx.reference, landing)
        # Staff find the payment by any of the numbers the customer quoted.
        Tx = self.env["payment.transaction"].with_user(self.env.ref("base.user_admin"))
        for invoice in self.inv_a | self.inv_b:
            self.assertEqual(Tx.search([("invoice_ids", "ilike", invoice.name)]), tx)
        search_arch = Tx.get_views([(False, "search")])["views"]["search"]["arch"]
        self.assertIn('name="invoice_ids"', search_arch)

    def test_one_invoice_reference_is_the_invoice_number(self):
        tx, page = self._pay_by_transfer(self.inv_a)
        self.assertEqual(tx._get_communication(), self.inv_a.name)
        self.assertRegex(page, rf'o_meusite_reference">\s*{re.escape(self.inv_a.name)}')
        # The invoice page keeps showing how to pay while the transfer is awaited.
        invoice_page = self.url_open(self.inv_a.get_portal_url()).text
        self.assertIn("Nº de referência:", invoice_page)
        self.assertIn("Aguardando confirmação", invoice_page)

    def test_no_pix_without_a_key(self):
        self.transfer.meusite_pix_key = False
        _tx, page = self._pay_by_transfer(self.inv_a)
        self.assertIn("Nº de referência:", page)
        self.assertNotIn("o_meusite_pix_payload", page)

    def test_beneficiary_document_and_bank_code_are_validated(self):
        with self.assertRaises(ValidationError):
            self.transfer.write({"meusite_bank_holder_document": "27.461.538/0001-51"})
            self.transfer.flush_recordset()
        with self.assertRaises(ValidationError):
            self.transfer.write({"meusite_bank_code": "1040"})
            self.transfer.flush_recordset()
        self.transfer.meusite_bank_holder_document = "381.427.560-80"  # a CPF is fine too
        self.assertEqual(self.transfer._meusite_bank_document_label(), "CPF")
