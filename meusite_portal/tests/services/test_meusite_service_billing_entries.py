from odoo import Command
from odoo.tests import tagged

from ..common import D, ServiceCase

LINE_FIELDS = (
    "display_type", "account_id", "balance", "amount_currency", "price_subtotal",
    "price_total", "tax_ids", "tax_line_id", "analytic_distribution", "date_maturity",
    "partner_id", "name",
)


@tagged("post_install", "-at_install")
class TestServiceBillingEntries(ServiceCase):
    """The billing run builds its invoices in batch and gives Odoo some values it would
    otherwise compute line by line. Whatever the products, taxes, fiscal positions and
    analytic rules, its invoices must be the journal entries an accountant would get by
    typing the same invoice in the invoice form."""

    def reference_invoice(self, invoice):
        """The same invoice, entered the ordinary way and posted."""
        reference = self.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": invoice.partner_id.id,
            "invoice_date": invoice.invoice_date,
            "invoice_payment_term_id": False,
            "invoice_date_due": invoice.invoice_date_due,
            "invoice_line_ids": [
                Command.create({
                    "product_id": line.product_id.id,
                    "name": line.name,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                })
                for line in invoice.invoice_line_ids
            ],
        })
        reference.action_post()
        return reference

    def entry(self, move):
        def value(line, fname):
            val = line[fname]
            if fname == "name" and val == move.name:
                return "<invoice number>"  # the receivable line is labelled by it
            return val.ids if hasattr(val, "ids") else val
        return sorted(
            (tuple(value(line, f) for f in LINE_FIELDS) for line in move.line_ids),
            key=repr,
        )

    def assertSameEntry(self, invoice):
        reference = self.reference_invoice(invoice)
        self.assertEqual(self.entry(invoice), self.entry(reference))
        for fname in ("journal_id", "fiscal_position_id", "amount_untaxed", "amount_tax",
                      "amount_total", "amount_residual", "payment_state", "state",
                      "invoice_date_due", "currency_id"):
            self.assertEqual(invoice[fname], reference[fname], fname)
        self.assertEqual(invoice.sequence_prefix, reference.sequence_prefix)
        # Numbered by its journal, whatever the numbering: a fatura is the company's bill,
        # in a journal without fiscal document types (l10n_br's NF-e / NFS-e).
        self.assertNotIn(invoice.name, (False, "/"))
        self.assertFalse(invoice.journal_id.l10n_latam_use_documents)
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertEqual(receivable.account_id.account_type, "asset_receivable")
        self.assertEqual(receivable.date_maturity, invoice.invoice_date_due)
        self.assertAlmostEqual(receivable.balance, invoice.amount_total)
        return reference

    def test_untaxed_plan_and_domain(self):
        self.make_service(self.ana, D(2031, 5, 10))
        self.make_service(self.ana, D(2031, 5, 12), cycle="annual", price=40.0,
                          product=self.domain_product, is_domain=True,
                          domain_name="anaribeiro.com.br")
        self.make_service(self.bruno, D(2031, 5, 8), price=99.99)
        invoices = self.run_billing(D(2031, 5, 2))
        self.assertEqual(len(invoices), 2)
        for invoice in invoices:
            self.assertSameEntry(invoice)

    def test_taxed_products_and_fiscal_position(self):
        tax_excluded = self.env["account.tax"].create({
            "name": "ISS 5% (teste)", "amount": 5.0, "amount_type": "percent",
            "type_tax_use": "sale",
        })
        tax_included = self.env["account.tax"].create({
            "name": "Taxa incluída 10% (teste)", "amount": 10.0, "amount_type": "percent",
            "type_tax_use": "sale", "price_include_override": "tax_included",
        })
        mapped_tax = self.env["account.tax"].create({
            "name": "ISS 2% (teste)", "amount": 2.0, "amount_type": "percent",
            "type_tax_use": "sale",
        })
        self.plan.taxes_id = tax_excluded
        self.domain_product.taxes_id = tax_included
        fiscal_position = self.env["account.fiscal.position"].create({
            "name": "Simples (teste)",
            "tax_ids": [Command.create({"tax_src_id": tax_excluded.id,
                                        "tax_dest_id": mapped_tax.id})],
        })
        self.bruno.property_account_position_id = fiscal_position
        self.make_service(self.ana, D(2031, 5, 10))
        self.make_service(self.ana, D(2031, 5, 12), price=40.0, product=self.domain_product)
        self.make_service(self.bruno, D(2031, 5, 8), price=99.99)
        invoices = self.run_billing(D(2031, 5, 2))
        ana_inv = invoices.filtered(lambda m: m.partner_id == self.ana)
        bruno_inv = invoices - ana_inv
        self.assertAlmostEqual(ana_inv.amount_tax, 7.95 + 3.64)
        self.assertEqual(bruno_inv.fiscal_position_id, fiscal_position)
        self.assertEqual(bruno_inv.invoice_line_ids.tax_ids, mapped_tax)
        for invoice in invoices:
            self.assertSameEntry(invoice)

    def test_analytic_distribution_models_apply(self):
        plan = self.env["account.analytic.plan"].create({"name": "Clientes (teste)"})
        account = self.env["account.analytic.account"].create(
            {"name": "Contrato Ana", "plan_id": plan.id}
        )
        self.env["account.analytic.distribution.model"].create({
            "partner_id": self.ana.id, "analytic_distribution": {str(account.id): 100},
        })
        self.make_service(self.ana, D(2031, 5, 10))
        self.make_service(self.bruno, D(2031, 5, 8))
        invoices = self.run_billing(D(2031, 5, 2))
        ana_inv = invoices.filtered(lambda m: m.partner_id == self.ana)
        self.assertEqual(ana_inv.invoice_line_ids.analytic_distribution,
                         {str(account.id): 100})
        self.assertFalse((invoices - ana_inv).invoice_line_ids.analytic_distribution)
        for invoice in invoices:
            self.assertSameEntry(invoice)

    def test_customer_follows_the_invoice_as_when_posted_by_hand(self):
        self.make_service(self.ana, D(2031, 5, 10))
        invoice = self.run_billing(D(2031, 5, 2))
        reference = self.reference_invoice(invoice)
        for move in (invoice, reference):
            followers = move.message_follower_ids.filtered(
                lambda f: f.partner_id == self.ana
            )
            self.assertEqual(len(followers), 1)
        self.assertEqual(
            invoice.message_follower_ids.filtered(lambda f: f.partner_id == self.ana)
            .subtype_ids,
            reference.message_follower_ids.filtered(lambda f: f.partner_id == self.ana)
            .subtype_ids,
        )
