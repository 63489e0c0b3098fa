"""The contracts of the hooks this addon defines for the boleto machinery (extended by
meusite_pagbank_payment), and of the one it fills for meusite_portal without depending on it.

Each runs with this addon and its declared dependencies only. The other provider is
payment's ``PaymentCommon`` dummy provider (code ``none``): what a transaction that is not
ours gets from each hook.
"""

from odoo.tests import tagged
from odoo.tools import format_date

from odoo.addons.meusite_moip_payment.tests.common import LINE_CODE, MoipCommon
from odoo.addons.payment.tests.common import PaymentCommon


@tagged("post_install", "-at_install")
class TestMoipHooks(MoipCommon, PaymentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # PaymentCommon makes the dummy provider cls.provider; MoipCommon then takes Moip's.
        cls.other_tx = cls.env["payment.transaction"].create({
            "provider_id": cls.dummy_provider.id,
            "payment_method_id": cls.env.ref("payment.payment_method_unknown").id,
            "amount": cls.invoice.amount_residual,
            "currency_id": cls.invoice.currency_id.id,
            "partner_id": cls.customer.id,
            "reference": "OUTRO-1",
        })

    def test_invoice_payment_lines_without_the_portal(self):
        """meusite_portal's "Como pagar" hook, reached by lookup: a pending boleto gives one
        line (its linha digitável, its due date); nothing before it is issued, after it is
        paid, or for another provider's transaction."""
        tx = self._create_tx()
        self.assertEqual(tx._meusite_invoice_payment_lines(), [])
        tx = self._pending_tx()
        lines = tx._meusite_invoice_payment_lines()
        self.assertEqual(len(lines), 1)
        self.assertEqual(set(lines[0]), {"label", "value", "note"})
        self.assertEqual(lines[0]["value"], LINE_CODE)
        self.assertIn(format_date(self.env, tx.moip_due_date), lines[0]["note"])
        tx._set_canceled()
        self.assertEqual(tx._meusite_invoice_payment_lines(), [])
        self.assertEqual(self.other_tx._meusite_invoice_payment_lines(), [])

    def test_payment_email_values(self):
        """A boleto's three values; {} before it is issued and for another provider, and
        then no e-mail is sent."""
        self.assertEqual(self._create_tx()._meusite_payment_email_values(), {})
        tx = self._pending_tx()
        self.assertEqual(tx._meusite_payment_email_values(), {
            "line_code": LINE_CODE,
            "due_date": tx.moip_due_date,
            "print_url": tx.moip_print_url,
        })
        self.assertEqual(self.other_tx._meusite_payment_email_values(), {})
        mails = self.env["mail.mail"].search_count([])
        self.other_tx.invoice_ids = self.invoice
        self.other_tx._meusite_send_payment_email()
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)

    def test_defers_received_log(self):
        """Moip's payments are noted on the invoice by the post-processing; others are not."""
        self.assertIs(self._create_tx()._meusite_defers_received_log(), True)
        self.assertIs(self.other_tx._meusite_defers_received_log(), False)
