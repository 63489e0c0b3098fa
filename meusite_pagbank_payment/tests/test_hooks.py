"""PagBank's overrides of the hooks it shares with Moip's boleto machinery and fills for
meusite_portal's invoice PDF: its own values for its own transactions, the next
implementation's for any other (Moip's, and nothing for a provider that is neither: payment's
``PaymentCommon`` dummy provider)."""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from odoo.addons.meusite_portal.tests.common import make_invoices
from odoo.addons.payment.tests.common import PaymentCommon

BARCODE = "03399.85301 29700.000000 00000.000000 1 96100000015890"
MOIP_LINE = "23793.38128 60000.000003 00000.000400 1 84340000015890"


@tagged("post_install", "-at_install")
class TestPagbankHooks(PaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create({"name": "Cliente Ganchos", "lang": "pt_BR"})
        cls.invoice = make_invoices(cls.env, customer, amount=158.90)
        boleto = cls.env.ref("payment.payment_method_boleto")

        def tx(provider, method, **values):
            return cls.env["payment.transaction"].create({
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": cls.invoice.amount_residual,
                "currency_id": cls.invoice.currency_id.id,
                "partner_id": customer.id,
                "invoice_ids": [Command.set(cls.invoice.ids)],
                "reference": cls.env["payment.transaction"]._compute_reference(provider.code),
                **values,
            })

        cls.pagbank_tx = tx(
            cls.env.ref("meusite_pagbank_payment.payment_provider_pagbank"), boleto,
            pagbank_barcode=BARCODE, pagbank_due_date=date(2031, 5, 13),
            pagbank_pdf_url="https://boleto.pagseguro.com.br/x.pdf",
        )
        cls.moip_tx = tx(
            cls.env.ref("meusite_moip_payment.payment_provider_moip"), boleto,
            moip_line_code=MOIP_LINE, moip_due_date=date(2031, 5, 14),
            moip_print_url="https://sandbox.moip.com.br/boleto/x/print",
        )
        cls.other_tx = tx(cls.dummy_provider, cls.env.ref("payment.payment_method_unknown"))
        (cls.pagbank_tx + cls.moip_tx + cls.other_tx)._set_pending()

    def test_payment_email_values(self):
        self.assertEqual(self.pagbank_tx._meusite_payment_email_values(), {
            "line_code": BARCODE, "due_date": date(2031, 5, 13),
            "print_url": "https://boleto.pagseguro.com.br/x.pdf",
        })
        self.assertEqual(self.moip_tx._meusite_payment_email_values()["line_code"], MOIP_LINE)
        self.assertEqual(self.other_tx._meusite_payment_email_values(), {})

    def test_defers_received_log(self):
        self.assertIs(self.pagbank_tx._meusite_defers_received_log(), True)
        self.assertIs(self.moip_tx._meusite_defers_received_log(), True)
        self.assertIs(self.other_tx._meusite_defers_received_log(), False)

    def test_invoice_payment_lines(self):
        """Each transaction gets its own provider's line once, whatever the chain's order."""
        self.assertEqual(
            [line["value"] for line in self.pagbank_tx._meusite_invoice_payment_lines()],
            [BARCODE])
        self.assertEqual(
            [line["value"] for line in self.moip_tx._meusite_invoice_payment_lines()],
            [MOIP_LINE])
        self.assertEqual(self.other_tx._meusite_invoice_payment_lines(), [])
        self.assertEqual(
            sorted(line["value"] for line in self.invoice._meusite_pdf_payment_values()["lines"]),
            sorted([BARCODE, MOIP_LINE]))
