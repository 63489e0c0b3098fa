"""The contracts of the hooks this addon defines for others to extend (meusite_helpdesk,
the payment providers): what each receives and returns, and that this addon's part still
happens whoever extends it. They hold with or without the extending addons installed; the
extensions' own tests are theirs (meusite_helpdesk's test_panel.py and
test_cancellation_ticket.py, the providers' test_hooks.py, meusite_test_full)."""

from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import D, ServiceCase, make_invoices, make_portal_user

ROW_KEYS = {"date", "department", "subject", "status", "last_update", "url"}


@tagged("post_install", "-at_install")
class TestPanelAndPaymentHooks(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = make_portal_user(cls.env, "ganchos", "Cliente Ganchos")
        cls.customer = cls.user.partner_id
        cls.invoice = make_invoices(cls.env, cls.customer)
        cls.transfer = cls.env.ref("payment.payment_provider_transfer")

    def test_ticket_panel_shape(self):
        """``_meusite_ticket_panel``: the customer's own count and at most ``limit`` rows
        of the documented keys, as the customer reads them."""
        panel = self.customer.with_user(self.user)._meusite_ticket_panel(limit=1)
        self.assertEqual(set(panel), {"count", "rows"})
        self.assertIsInstance(panel["count"], int)
        self.assertLessEqual(len(panel["rows"]), 1)
        self.assertLessEqual(len(panel["rows"]), panel["count"])
        for row in panel["rows"]:
            self.assertEqual(set(row), ROW_KEYS)
            self.assertTrue(row["url"].startswith("/"))

    def tx(self, state):
        tx = self.env["payment.transaction"].create({
            "provider_id": self.transfer.id,
            "payment_method_id": self.transfer.payment_method_ids[:1].id,
            "amount": self.invoice.amount_residual,
            "currency_id": self.invoice.currency_id.id,
            "partner_id": self.customer.id,
            "invoice_ids": [Command.set(self.invoice.ids)],
            "reference": self.env["payment.transaction"]._compute_reference("custom"),
        })
        if state == "pending":
            tx._set_pending()
        return tx

    def test_invoice_payment_lines(self):
        """``_meusite_invoice_payment_lines``: none from this addon (a transfer prints its
        details apart); what an extension returns for a pending transaction is printed
        under "Como pagar", once per line, and nothing of a transaction not pending."""
        pending, draft = self.tx("pending"), self.tx("draft")
        self.assertEqual(pending._meusite_invoice_payment_lines(), [])
        Tx = type(self.env["payment.transaction"])
        line = {"label": "Código", "value": "12345", "note": False}
        calls = []

        def extension(tx):
            calls.append(tx)
            return [dict(line)]

        with patch.object(Tx, "_meusite_invoice_payment_lines", extension):
            values = self.invoice._meusite_pdf_payment_values()
        self.assertEqual(values["lines"], [line])
        self.assertEqual([tx.id for tx in calls], pending.ids, "pending transactions only")
        self.assertNotIn(draft.id, [tx.id for tx in calls])


@tagged("post_install", "-at_install")
class TestServiceHooks(ServiceCase):
    def setUp(self):
        super().setUp()
        self.service = self.make_service(self.ana, D(2031, 3, 10))

    def request(self):
        with patch.object(fields.Date, "context_today", lambda *a, **k: D(2031, 3, 5)):
            return self.service._meusite_request_cancellation("end_of_period")

    def activity(self):
        kind = self.env.ref("meusite_portal.mail_activity_type_service_cancellation")
        return self.service.activity_ids.filtered(lambda a: a.activity_type_id == kind)

    def test_notify_cancellation_request(self):
        """Called once, on the requesting services, after the request is written; this
        addon's staff activity is there whoever extends it (an override calls super)."""
        Service = type(self.Service)
        original = Service._meusite_notify_cancellation_request
        seen = []

        def spy(services):
            seen.append([(s.id, s.cancel_effective_date) for s in services])
            return original(services)

        with patch.object(Service, "_meusite_notify_cancellation_request", spy):
            self.request()
        self.assertTrue(self.service.cancel_effective_date)
        self.assertEqual(seen, [[(self.service.id, self.service.cancel_effective_date)]])
        self.assertEqual(len(self.activity()), 1)

    def test_withdraw_cancellation(self):
        """Refused, with nothing written, when there is no request; otherwise the request is
        cleared, the activity gone, and True returned."""
        messages = len(self.service.message_ids)
        with self.assertRaises(UserError):
            self.service._meusite_withdraw_cancellation()
        self.assertEqual(len(self.service.message_ids), messages)
        self.request()
        with patch.object(fields.Date, "context_today", lambda *a, **k: D(2031, 3, 6)):
            self.assertIs(self.service._meusite_withdraw_cancellation(), True)
        self.assertFalse(self.service.cancel_effective_date)
        self.assertFalse(self.activity())

    def test_invoices_paid(self):
        """Called by the reconciliation with the invoices just paid (and, by Odoo's
        reconciliation, sometimes with none); an invoice of no service is accepted and
        reactivates nothing."""
        invoice = make_invoices(self.env, self.bruno)
        Service = type(self.Service)
        original = Service._meusite_invoices_paid
        seen = []

        def spy(model, moves):
            result = original(model, moves)
            seen.append((moves, result))
            return result

        with patch.object(Service, "_meusite_invoices_paid", spy):
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({}).action_create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual([moves for moves, _r in seen if moves], [invoice])
        for _moves, result in seen:
            self.assertFalse(result)
            self.assertEqual(result._name, "meusite.service")
