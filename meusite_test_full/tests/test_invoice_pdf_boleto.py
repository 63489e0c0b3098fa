from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, tagged

LINE = "23793.38128 60000.000003 00000.000400 1 84340000015890"


@tagged("post_install", "-at_install")
class TestInvoicePdfBoleto(TransactionCase):
    """The invoice's PDF prints the linha digitável of the boleto issued for it."""

    def test_pending_boleto_line_on_the_invoice(self):
        env = self.env
        partner = env["res.partner"].create({"name": "Cliente Boleto", "lang": "pt_BR"})
        invoice = env["account.move"].create({
            "move_type": "out_invoice", "partner_id": partner.id,
            "invoice_line_ids": [Command.create({
                "name": "Plano", "quantity": 1, "price_unit": 158.90,
                "tax_ids": [Command.clear()]})],
        })
        invoice.action_post()
        moip = env.ref("meusite_moip_payment.payment_provider_moip")
        tx = env["payment.transaction"].create({
            "provider_id": moip.id, "payment_method_id": moip.payment_method_ids[:1].id,
            "amount": invoice.amount_total, "currency_id": invoice.currency_id.id,
            "partner_id": partner.id,
            "reference": env["payment.transaction"]._compute_reference("moip"),
            "invoice_ids": [Command.set(invoice.ids)],
            "moip_line_code": LINE, "moip_due_date": date(2031, 5, 13),
        })
        tx._set_pending()
        lines = invoice._meusite_pdf_payment_values()["lines"]
        self.assertEqual([line["value"] for line in lines], [LINE])
        report = env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", invoice.ids)[0].decode()
        self.assertIn(LINE, report)
        self.assertIn("13/05/2031", report)
        self.assertIn("linha digitável", report)
        # Paid: no line to pay with any more.
        tx._set_canceled()
        self.assertFalse(invoice._meusite_pdf_payment_values()["lines"])
