"""One "Pagamento recebido" e-mail per confirmed payment, whatever the provider.

Here because it needs the portal (the transfer's confirmation, the e-mail) and Moip's
provider: meusite_pagbank_payment is the addon that depends on both.
"""


from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.meusite_portal.tests.common import make_invoices


@tagged("post_install", "-at_install")
class TestPaymentReceived(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({
            "name": "Joana Ribeiro Prado", "email": "joana.recebido@example.com", "lang": "pt_BR",
        })
        cls.invoices = make_invoices(cls.env, cls.customer, days_ago=0) | make_invoices(
            cls.env, cls.customer, amount=40.0, days_ago=0, line="Domínio")

    def _tx(self, provider_xmlid, invoices):
        provider = self.env.ref(provider_xmlid)
        return self.env["payment.transaction"].create({
            "provider_id": provider.id,
            "payment_method_id": provider.payment_method_ids[:1].id,
            "amount": sum(invoices.mapped("amount_residual")),
            "currency_id": invoices.currency_id.id,
            "partner_id": self.customer.id,
            "reference": self.env["payment.transaction"]._compute_reference(provider.code),
            "invoice_ids": [Command.set(invoices.ids)],
        })

    def _post_process_pending_work(self):
        """What Odoo's post-processing cron does (without its commits)."""
        self.env["payment.transaction"].search(
            [("is_post_processed", "=", False), ("state", "in", ("done", "cancel"))]
        )._post_process()

    def _received_mails(self):
        return self.env["mail.mail"].search([
            ("recipient_ids", "in", self.customer.ids),
            ("subject", "ilike", "Pagamento recebido"),
        ])

    def test_boleto_paid_sends_one_mail(self):
        tx = self._tx("meusite_moip_payment.payment_provider_moip", self.invoices[:1])
        tx._set_pending()
        self.assertFalse(self._received_mails())
        # What Moip's webhook and Odoo's post-processing cron do.
        tx._set_done()
        self._post_process_pending_work()
        mail = self._received_mails()
        self.assertEqual(len(mail), 1)
        self.assertIn(self.invoices[0].name, mail.subject)
        self.assertIn("Recebemos o seu pagamento de R$", mail.body_html)
        self.assertIn("158,90", mail.body_html)
        # Under the company's logo (the e-mail layout's header).
        self.assertIn(f"/logo.png?company={tx.company_id.id}", mail.body_html)
        # The status page's poll post-processes again: no second e-mail.
        tx._post_process()
        self._post_process_pending_work()
        self.assertEqual(len(self._received_mails()), 1)

    def test_transfer_confirmed_by_staff_sends_one_mail(self):
        tx = self._tx("payment.payment_provider_transfer", self.invoices)
        tx._set_pending()
        tx.with_user(self.env.ref("base.user_admin")).action_meusite_confirm_receipt()
        self._post_process_pending_work()
        mail = self._received_mails()
        self.assertEqual(len(mail), 1)
        for invoice in self.invoices:
            self.assertIn(invoice.name, mail.body_html)
        self.assertIn("198,90", mail.body_html)
        self.assertIn("contato@meusiteexpresso.com.br", mail.body_html)

    def test_cancelled_payment_sends_nothing(self):
        tx = self._tx("payment.payment_provider_transfer", self.invoices[:1])
        tx._set_pending()
        tx._set_canceled()
        self._post_process_pending_work()
        self.assertFalse(self._received_mails())
