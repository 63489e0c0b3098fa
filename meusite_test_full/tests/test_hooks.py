"""Contracts across addons that neither side can test alone: Moip's boleto names the late
charge meusite_portal decided, with its own open-invoice filter (Moip does not depend on the
portal: see ``payment.transaction._moip_late_charge_line``)."""

from odoo import Command
from odoo.tests import TransactionCase, tagged
from odoo.tools import format_amount

from odoo.addons.meusite_portal.tests.common import make_invoices
from odoo.addons.meusite_portal.tests.invoices.test_late_charge import set_late_charge


@tagged("post_install", "-at_install")
class TestMoipLateChargeAgreesWithThePortal(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_late_charge(cls.env)
        cls.customer = cls.env["res.partner"].create({"name": "Cliente Atrasado", "lang": "pt_BR"})
        cls.moip = cls.env.ref("meusite_moip_payment.payment_provider_moip")

    def boleto_tx(self, invoices, amount):
        return self.env["payment.transaction"].create({
            "provider_id": self.moip.id,
            "payment_method_id": self.env.ref("payment.payment_method_boleto").id,
            "amount": amount,
            "currency_id": invoices.currency_id.id,
            "partner_id": self.customer.id,
            "invoice_ids": [Command.set(invoices.ids)],
            "reference": self.env["payment.transaction"]._compute_reference("moip"),
        })

    def test_overdue_invoices_line_names_the_portals_late_charge(self):
        overdue = make_invoices(self.env, self.customer, count=2, days_ago=40, due_in=-10)
        late = overdue._meusite_late_charge()
        self.assertGreater(late["fee"] + late["interest"], 0)
        tx = self.boleto_tx(overdue, overdue._meusite_amount_to_charge(late))
        self.assertEqual(tx._moip_open_invoices(), overdue._meusite_open_invoices())
        self.assertEqual(tx._moip_open_invoices(), overdue)
        extra = format_amount(self.env, late["fee"] + late["interest"], tx.currency_id)
        self.assertIn(extra, tx._moip_late_charge_line())

    def test_open_invoices_agree(self):
        """Moip's filter and the portal's open-invoice rule, on paid, partly paid, draft
        and cancelled invoices of one transaction."""
        paid, partial, draft, cancelled, open_ = make_invoices(self.env, self.customer, count=5)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids).create({}).action_create_payments()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=partial.ids,
        ).create({"amount": 50.0}).action_create_payments()
        draft.button_draft()
        cancelled.button_cancel()
        invoices = paid + partial + draft + cancelled + open_
        self.assertEqual(partial.payment_state, "partial")
        # The portal refuses a transaction for a paid or cancelled invoice: the others are
        # linked after it is made, as a transaction's invoices may change state later.
        tx = self.boleto_tx(partial + open_, partial.amount_residual + open_.amount_residual)
        tx.invoice_ids = [Command.set(invoices.ids)]
        moip_open = tx._moip_open_invoices()
        self.assertEqual(moip_open, invoices._meusite_open_invoices())
        self.assertEqual(moip_open, partial + open_)

    def test_invoice_not_yet_due_has_no_line(self):
        invoice = make_invoices(self.env, self.customer, due_in=5)
        tx = self.boleto_tx(invoice, invoice._meusite_amount_to_charge())
        self.assertEqual(tx._moip_late_charge_line(), "")
