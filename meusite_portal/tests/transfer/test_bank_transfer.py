import html
import json
import re
from urllib.parse import parse_qs, urlsplit

from odoo import http
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..common import MeusiteInvoicesCommon, make_invoices


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
        # Odoo's PIX for the company's account, for what the two invoices owe today: inv_a
        # (158,90) is 42 days overdue: + multa 3,18 + juros 2,22; inv_b 59,90.
        self.assertEqual(pix, self.bank_account._get_qr_vals(
            "emv_qr", 224.20, self.brl, self.customer, numbers, None))
        self.assertIn("0014br.gov.bcb.pix01367d9f0335-8dcc-4054-9bf9-0dbd61c2b7b1", pix)
        self.assertIn("5406224.20", pix)
        # The QR image of that same code, drawn by Odoo's barcode route when asked.
        image = re.search(r'<img[^>]*o_meusite_pix_qr[^>]*src="([^"]+)"', page).group(1)
        image = html.unescape(image)
        self.assertTrue(image.startswith("/report/barcode/?barcode_type=QR"), image)
        self.assertEqual(parse_qs(urlsplit(image).query)["value"], [pix])
        self.assertEqual(self.url_open(image).headers["Content-Type"], "image/png")
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
        # One PIX code for one invoice: the transfer page's is the invoice page's (Odoo's, for
        # what the overdue invoice owes today, with its number as the reference).
        pix = re.compile(r'id="o_meusite_pix_payload"[^>]*>([^<]+)<')
        self.assertEqual(pix.search(page).group(1), pix.search(invoice_page).group(1))
        self.assertEqual(pix.search(page).group(1), self.bank_account._get_qr_vals(
            "emv_qr", tx.amount, self.brl, self.customer, self.inv_a.name, self.inv_a.name))

    def test_details_are_the_company_bank_account(self):
        """Staff change the company's bank account: the customer reads the new details,
        the holder's own CPF when the account is the owner's."""
        self.bank_account.write({
            "bank_id": self.env["res.bank"].create({"name": "Banco do Brasil", "bic": "001"}).id,
            "meusite_branch": "1234-5",
            "meusite_operation": False,
            "meusite_account_type": "checking",
            "acc_number": "98765-4",
            "acc_holder_name": "Edite Gonçalves",
            "meusite_holder_document": "381.427.560-80",
        })
        _tx, page = self._pay_by_transfer(self.inv_b)
        for label, value in [
            ("Banco:", "Banco do Brasil (001)"),
            ("Agência:", "1234-5"),
            ("Conta Corrente:", "98765-4"),
            ("Beneficiado:", "Edite Gonçalves"),
            ("Documento CPF:", "381.427.560-80"),
            ("Nº de referência:", self.inv_b.name),
        ]:
            self.assertRegex(page, rf"{re.escape(label)}\s*</dt>\s*<dd[^>]*>\s*{re.escape(value)}")
        self.assertNotIn("OP:", page)
        self.assertNotIn("Conta Poupança:", page)

    def test_no_pix_without_a_key(self):
        self.bank_account.write({"proxy_type": "none", "proxy_value": False})
        _tx, page = self._pay_by_transfer(self.inv_a)
        self.assertIn("Nº de referência:", page)
        self.assertIn("Caixa Econômica Federal (104)", page)
        self.assertNotIn("o_meusite_pix_payload", page)

    def test_no_transfer_details_without_a_company_bank_account(self):
        self.env["account.journal"].search([("bank_account_id", "=", self.bank_account.id)]).write(
            {"bank_account_id": False})
        self.bank_account.action_archive()
        invoice = make_invoices(self.env, self.customer, amount=59.90)
        self.assertFalse(invoice.partner_bank_id)
        page = self.url_open(f"/my/invoices/{invoice.id}").text
        self.assertNotIn("o_meusite_invoice_transfer", page)

    def test_holder_document_is_validated(self):
        with self.assertRaises(ValidationError):
            self.bank_account.write({"meusite_holder_document": "381.427.560-81"})
            self.bank_account.flush_recordset()

    def test_staff_set_bank_details_on_the_bank_account_not_the_provider(self):
        admin = self.env.ref("base.user_admin")
        provider_form = self.env["payment.provider"].with_user(admin).get_views(
            [(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("meusite_", provider_form)
        # The account form opened from the bank journal's "Bank Account" (account's view).
        account_form = self.env["res.partner.bank"].with_user(admin).get_views(
            [(self.env.ref("account.view_partner_bank_form_inherit_account").id, "form")]
        )["views"]["form"]["arch"]
        for field in ("acc_number", "bank_id", "meusite_branch", "meusite_operation",
                      "meusite_account_type", "acc_holder_name", "meusite_holder_document",
                      "proxy_type", "proxy_value", "include_reference"):
            self.assertIn(f'name="{field}"', account_form)
