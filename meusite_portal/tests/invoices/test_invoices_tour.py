import re

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPayInvoicesTour(HttpCase):
    """The manual's walk: the customer pays two invoices by transfer, staff confirm the
    receipt over XML-RPC, and both invoices show "Paga"."""

    def test_customer_pays_two_invoices_by_transfer_and_staff_confirm(self):
        overdue = self.env.ref("meusite_portal.demo_invoice_overdue")
        not_due = self.env.ref("meusite_portal.demo_invoice_not_due")
        self.start_tour("/my/invoices", "meusite_pay_two_invoices_by_transfer", login="cliente")

        tx = self.env["payment.transaction"].search([("invoice_ids", "in", overdue.ids)])
        self.assertEqual(tx.invoice_ids, overdue | not_due)
        self.assertEqual(tx.state, "pending")

        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "admin", "admin", {})
        self.assertTrue(self.xmlrpc_object.execute_kw(
            db, uid, "admin", "payment.transaction", "action_meusite_confirm_receipt", [tx.ids],
        ))
        self.env.invalidate_all()
        self.assertEqual(tx.state, "done")

        self.authenticate("cliente", "cliente")
        page = self.url_open("/my/invoices").text
        for invoice in overdue | not_due:
            row = re.search(rf"{re.escape(invoice.name)}.*?data-status=\"(\w+)\">([^<]+)<",
                            page, re.S)
            self.assertEqual(row.groups(), ("paid", "Paga"), invoice.name)

    def test_invoice_page_shows_the_pix_code(self):
        self.start_tour("/my/invoices", "meusite_invoice_page_pix", login="cliente")
