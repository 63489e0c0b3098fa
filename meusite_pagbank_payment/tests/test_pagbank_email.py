"""The customer gets what they need to pay by e-mail when a PagBank boleto or PIX code is
issued, through the real route (the invoice's "Pagar", the PagBank double): the template and
its sending are Moip's, shared (meusite_moip_payment's `_meusite_send_payment_email`)."""

import re
from html import unescape

from odoo.tests import tagged

from odoo.addons.meusite_pagbank_payment.tests.common import PagbankCase
from odoo.addons.meusite_portal.tests.brand.test_customer_mail_layout import (
    assert_company_layout,
)

# What an English e-mail of this kind would carry (the template's, the layout's, ours).
ENGLISH = ("Your ", "Kind regards", "Boleto line code", "Due date", "Valid until", "Print",
           "Invoice:", "Amount", "Copy", "Pay ", "ready")


@tagged("post_install", "-at_install")
class TestPagbankEmail(PagbankCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.company.write({"phone": "+55 31 3222-0000",
                           "email": "contato@meusiteexpresso.com.br"})

    def _customer_mails(self):
        return self.env["mail.mail"].search([
            ("model", "=", "account.move"), ("res_id", "=", self.invoice.id),
            ("recipient_ids", "in", self.customer.ids),
        ])

    def assertPortugueseOnly(self, mail):  # noqa: N802 - unittest naming
        text = unescape(re.sub(r"<[^>]+>", " ", mail.body_html))
        for english in ENGLISH:
            self.assertNotIn(english, text, mail.subject)
            self.assertNotIn(english, mail.subject)

    def test_boleto_email_has_the_line_code_and_the_pdf(self):
        self.assertFalse(self._customer_mails())
        tx, _page = self.pay_invoice(self.boleto)
        self.assertEqual(tx.state, "pending", tx.state_message)
        mail = self._customer_mails()
        self.assertEqual(len(mail), 1, "the boleto goes out by e-mail, once")
        body = unescape(mail.body_html)
        self.assertIn(tx.pagbank_barcode, body)
        self.assertIn(f'href="{tx.pagbank_pdf_url}"', body)
        self.assertIn("Imprimir boleto", body)
        self.assertIn(tx.pagbank_due_date.strftime("%d/%m/%Y"), body)
        self.assertIn("Linha digitável", body)
        self.assertIn(self.invoice.name, body)
        self.assertEqual(mail.subject, "Seu boleto de R$\xa0158,90")
        assert_company_layout(self, mail, self.company)
        self.assertPortugueseOnly(mail)
        # PagBank confirms the same WAITING boleto again: no second e-mail.
        headers, raw = self.double.notification(tx.pagbank_order_id)
        self.assertEqual(self.post_notification(raw, headers["x-authenticity-token"])
                         .status_code, 200)
        self.assertEqual(len(self._customer_mails()), 1)

    def test_pix_email_has_the_copia_e_cola_and_its_expiry(self):
        tx, _page = self.pay_invoice(self.pix)
        self.assertEqual(tx.state, "pending", tx.state_message)
        mail = self._customer_mails()
        self.assertEqual(len(mail), 1, "the PIX code goes out by e-mail, once")
        body = unescape(mail.body_html)
        self.assertIn(tx.pagbank_qr_text, body)
        self.assertIn("PIX copia e cola", body)
        self.assertRegex(body, r"Válido até <strong>\d\d/\d\d/\d{4} \d\d:\d\d</strong>")
        self.assertIn("/report/barcode/?barcode_type=QR", body)
        self.assertNotIn("Linha digitável", body)
        self.assertEqual(mail.subject, "Seu PIX de R$\xa0158,90")
        assert_company_layout(self, mail, self.company)
        self.assertPortugueseOnly(mail)
