from odoo.tests import tagged

from ..common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestInvoicePortalStatus(MeusiteInvoicesCommon):

    def _status(self, invoice):
        customer_view = invoice.with_user(self.customer_user).with_context(lang="pt_BR")
        return customer_view._meusite_portal_status()

    def test_open_invoice_not_yet_due(self):
        invoice = make_invoices(self.env, self.customer, due_in=10)
        self.assertEqual(self._status(invoice), ("open", "Em aberto", "text-bg-info"))

    def test_overdue_invoice(self):
        invoice = make_invoices(self.env, self.customer, days_ago=45, due_in=-42)
        self.assertEqual(self._status(invoice)[:2], ("overdue", "Vencida"))

    def test_paid_invoice(self):
        invoice = make_invoices(self.env, self.customer)
        invoice._meusite_demo_register_payment()
        self.assertEqual(self._status(invoice)[:2], ("paid", "Paga"))

    def test_cancelled_invoice(self):
        invoice = make_invoices(self.env, self.customer)
        invoice.button_cancel()
        self.assertEqual(self._status(invoice)[:2], ("cancelled", "Cancelada"))

    def test_pending_transfer_covers_invoice(self):
        invoice = make_invoices(self.env, self.customer, days_ago=45, due_in=-42)
        self.assertEqual(self._status(invoice)[0], "overdue")
        tx = self._pending_tx(invoice)
        self.assertEqual(self._status(invoice)[:2], ("pending", "Aguardando confirmação"))
        tx._set_canceled()  # e.g. the boleto expired: the invoice is overdue again
        self.assertEqual(self._status(invoice)[0], "overdue")

    def test_draft_transaction_does_not_make_it_pending(self):
        # An abandoned attempt (customer closed the tab) must not block paying later.
        invoice = make_invoices(self.env, self.customer)
        self._pending_tx(invoice, state="draft")
        self.assertEqual(self._status(invoice)[0], "open")

    def test_status_of_a_page_costs_the_same_queries_for_5_or_40_invoices(self):
        few = make_invoices(self.env, self.customer, 5)
        many = make_invoices(self.env, self.customer, 40)
        warm_up = make_invoices(self.env, self.customer)
        self._pending_tx(many[:3])
        counts = []
        for invoices in (warm_up, few, many):
            invoices = invoices.with_user(self.customer_user).browse(invoices.ids)
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            codes = [invoice._meusite_portal_status()[0] for invoice in invoices]
            counts.append(self.cr.sql_log_count - start)
        self.assertEqual(codes.count("pending"), 3)
        self.assertEqual(counts[1], counts[2], counts)
