from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import D, ServiceCase


@tagged("post_install", "-at_install")
class TestServiceBilling(ServiceCase):
    def test_invoiced_ten_days_before_due_date_and_due_that_day(self):
        service = self.make_service(self.ana, D(2031, 3, 10))
        self.assertFalse(self.run_billing(D(2031, 2, 27)), "11 days ahead: too early")
        invoice = self.run_billing(D(2031, 2, 28))
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.partner_id, self.ana)
        # The customer's invoice page shows no "Salesperson: OdooBot".
        self.assertFalse(invoice.invoice_user_id)
        self.assertEqual(invoice.invoice_date, D(2031, 2, 28))
        self.assertEqual(invoice.invoice_date_due, D(2031, 3, 10))
        self.assertAlmostEqual(invoice.amount_total, 158.90)
        self.assertIn("(10/03/2031 - 09/04/2031)", invoice.invoice_line_ids.name)
        self.assertEqual(service.next_due_date, D(2031, 4, 10))
        self.assertEqual(service.invoice_ids, invoice)
        # The billed period is the history: no chatter message per service and run.
        self.env.cr.flush()
        self.assertFalse(service.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "next_due_date"))

    def test_deleted_setting_falls_back_on_the_data_files_default(self):
        # An admin deletes the parameter in System Parameters: billing keeps the installed
        # default (10 days), read from data/ir_config_parameter_data.xml, the one place it
        # is written; an unticked switch (deleted by Odoo) stays off.
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.search([("key", "in", ("meusite_portal.service_invoice_lead_days",
                                   "meusite_portal.late_charge"))]).unlink()
        self.make_service(self.ana, D(2031, 3, 10))
        self.assertFalse(self.run_billing(D(2031, 2, 27)), "11 days ahead: too early")
        self.assertEqual(len(self.run_billing(D(2031, 2, 28))), 1)
        self.assertFalse(self.env["account.move"]._meusite_late_charge_rates())

    def test_billed_late_is_dated_on_its_due_date(self):
        # The run did not pass for a few days: the invoice is not dated after its due date.
        self.make_service(self.ana, D(2031, 3, 10))
        invoice = self.run_billing(D(2031, 3, 13))
        self.assertEqual(invoice.invoice_date_due, D(2031, 3, 10))
        self.assertEqual(invoice.invoice_date, D(2031, 3, 10))
        self.assertLessEqual(invoice.invoice_date, invoice.invoice_date_due)

    def test_lead_days_follow_the_setting(self):
        self.env["res.config.settings"].create(
            {"meusite_service_invoice_lead_days": 3}
        ).execute()
        self.make_service(self.ana, D(2031, 3, 10))
        self.assertFalse(self.run_billing(D(2031, 3, 6)))
        self.assertTrue(self.run_billing(D(2031, 3, 7)))

    def test_each_cycle_advances_its_own_length(self):
        expected = {
            "monthly": (D(2031, 2, 14), D(2031, 2, 13)),
            "quarterly": (D(2031, 4, 15), D(2031, 4, 14)),
            "semiannual": (D(2031, 7, 15), D(2031, 7, 14)),
            "annual": (D(2032, 1, 15), D(2032, 1, 14)),
        }
        services = {
            cycle: self.make_service(self.ana, D(2031, 1, 15), cycle=cycle)
            for cycle in expected
        }
        services["monthly"].date_start = D(2030, 12, 14)  # anchored on day 14
        services["monthly"].next_due_date = D(2031, 1, 14)
        self.run_billing(D(2031, 1, 5))
        for cycle, (next_due, period_end) in expected.items():
            service = services[cycle]
            self.assertEqual(service.next_due_date, next_due, cycle)
            self.assertEqual(service.period_ids.period_end, period_end, cycle)

    def test_end_of_month_due_dates_do_not_drift(self):
        service = self.make_service(self.ana, D(2031, 1, 31))
        dues = []
        for day in (D(2031, 1, 21), D(2031, 2, 18), D(2031, 3, 21)):
            dues.append(self.run_billing(day).invoice_date_due)
        self.assertEqual(dues, [D(2031, 1, 31), D(2031, 2, 28), D(2031, 3, 31)])
        self.assertEqual(service.next_due_date, D(2031, 4, 30))

    def test_one_invoice_per_customer_with_one_line_per_service(self):
        plan = self.make_service(self.ana, D(2031, 5, 10))
        domain = self.make_service(
            self.ana, D(2031, 5, 12), cycle="annual", price=40.0,
            product=self.domain_product, is_domain=True, domain_name="anaribeiro.com.br",
        )
        later = self.make_service(self.ana, D(2031, 6, 1))  # outside the window
        bruno_plan = self.make_service(self.bruno, D(2031, 5, 8))
        for state in ("pending", "suspended", "cancelled"):
            self.make_service(self.bruno, D(2031, 5, 8), state=state)
        invoices = self.run_billing(D(2031, 5, 2))
        self.assertEqual(len(invoices), 2)
        ana_inv = invoices.filtered(lambda m: m.partner_id == self.ana)
        bruno_inv = invoices.filtered(lambda m: m.partner_id == self.bruno)
        self.assertEqual(len(ana_inv.invoice_line_ids), 2)
        self.assertAlmostEqual(ana_inv.amount_total, 198.90)
        self.assertEqual(ana_inv.invoice_date_due, D(2031, 5, 10), "earliest due date")
        self.assertEqual(len(bruno_inv.invoice_line_ids), 1)
        self.assertEqual((plan | domain).invoice_ids, ana_inv)
        self.assertEqual(bruno_plan.invoice_ids, bruno_inv)
        self.assertFalse(later.invoice_ids)
        self.assertEqual(domain.next_due_date, D(2032, 5, 12))

    def test_second_run_invoices_nothing_more(self):
        service = self.make_service(self.ana, D(2031, 5, 10))
        first = self.run_billing(D(2031, 5, 2))
        second = self.run_billing(D(2031, 5, 2))
        third = self.run_billing(D(2031, 5, 9))
        self.assertEqual(len(first), 1)
        self.assertFalse(second)
        self.assertFalse(third)
        self.assertEqual(len(service.period_ids), 1)
        self.assertEqual(
            self.env["account.move"].search_count([("partner_id", "=", self.ana.id)]), 1
        )

    def test_one_customers_bad_data_does_not_stop_the_others(self):
        ana_service = self.make_service(self.ana, D(2031, 5, 10))
        bruno_service = self.make_service(self.bruno, D(2031, 5, 10))
        receivable = self.bruno.property_account_receivable_id
        broken = receivable.copy({"code": "1.1.9.99", "name": "Clientes (encerrada)"})
        broken.deprecated = True
        self.bruno.property_account_receivable_id = broken

        invoices = self.run_billing(D(2031, 5, 2))
        self.assertEqual(invoices.partner_id, self.ana)
        self.assertEqual(ana_service.next_due_date, D(2031, 6, 10))
        # Bruno keeps his due date, nothing half-made, and staff are told why.
        self.assertEqual(bruno_service.next_due_date, D(2031, 5, 10))
        self.assertFalse(bruno_service.period_ids)
        self.assertFalse(self.env["account.move"].search([("partner_id", "=", self.bruno.id)]))
        activity = bruno_service.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.env.ref("mail.mail_activity_data_warning"))
        # Odoo's own message, in the staff's language: it names the deprecated account.
        self.assertIn("1.1.9.99", activity.note)

        # Fixed by staff: the next day's run bills him, Ana is not billed twice.
        self.bruno.property_account_receivable_id = receivable
        invoices = self.run_billing(D(2031, 5, 3))
        self.assertEqual(invoices.partner_id, self.bruno)
        self.assertEqual(len(ana_service.period_ids), 1)

    def test_database_refuses_a_second_invoice_for_the_same_period(self):
        service = self.make_service(self.ana, D(2031, 5, 10))
        invoice = self.run_billing(D(2031, 5, 2))
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["meusite.service.period"].create({
                "service_id": service.id, "period_start": D(2031, 5, 10),
                "period_end": D(2031, 6, 9), "move_id": invoice.id,
            })

    def test_invoice_is_emailed_in_portuguese_with_a_pay_link(self):
        self.make_service(self.ana, D(2031, 5, 10))
        invoice = self.run_billing(D(2031, 5, 2))
        # The run only queues the sending; Odoo's sending cron renders and sends.
        self.assertTrue(invoice.is_being_sent)
        self.assertFalse(invoice.invoice_pdf_report_id)
        self.send_queued_invoices()
        mail = self.env["mail.mail"].search([
            ("model", "=", "account.move"), ("res_id", "=", invoice.id),
        ])
        self.assertEqual(len(mail), 1)
        # The invoice's PDF is attached, and kept as the invoice's document: the portal
        # shows the invoice as issued, not as a PROFORMA.
        self.assertTrue(invoice.invoice_pdf_report_id)
        self.assertEqual(mail.attachment_ids.mapped("name"), [invoice.invoice_pdf_report_id.name])
        self.assertFalse(invoice.is_being_sent)
        # Sent by the company, not by OdooBot (the cron's user).
        self.assertEqual(mail.author_id, invoice.company_id.partner_id)
        self.assertEqual(mail.recipient_ids, self.ana)
        self.assertIn(invoice.name, mail.subject)
        body = str(mail.body_html)
        self.assertIn("Pagar fatura", body)
        self.assertIn("158,90", body)
        self.assertIn("10/05/2031", body)
        self.assertIn(f"/my/invoices/{invoice.id}?access_token={invoice.access_token}", body)

    def test_one_invoice_pdf_failing_does_not_hold_the_others_back(self):
        self.make_service(self.ana, D(2031, 5, 10))
        self.make_service(self.bruno, D(2031, 5, 10))
        invoices = self.run_billing(D(2031, 5, 2))
        broken = invoices.filtered(lambda m: m.partner_id == self.ana)
        Report = self.env.registry["ir.actions.report"]
        pre_render = Report._pre_render_qweb_pdf

        def failing_for_ana(report, report_ref, res_ids=None, data=None):
            if broken.id in (res_ids or []):
                raise UserError(self.env._(
                    "Wkhtmltopdf failed (error code: -11). Message: Segmentation fault"))
            return pre_render(report, report_ref, res_ids=res_ids, data=data)

        with patch.object(Report, "_pre_render_qweb_pdf", failing_for_ana):
            self.send_queued_invoices()
        sent = invoices - broken
        self.assertTrue(sent.invoice_pdf_report_id)
        self.assertEqual(self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "in", invoices.ids)]).res_id, sent.id)
        # Staff read why on the invoice; it is no longer queued (they send it by hand).
        self.assertFalse(broken.invoice_pdf_report_id)
        self.assertFalse(broken.is_being_sent)
        self.assertIn("Segmentation fault", broken.message_ids[:1].body)

    def test_cron_action_runs(self):
        cron = self.env.ref("meusite_portal.ir_cron_service_invoicing")
        self.make_service(self.ana, D(2000, 1, 10))  # long overdue: billed by today's run
        cron.method_direct_trigger()
        self.assertEqual(
            self.env["account.move"].search_count([("partner_id", "=", self.ana.id)]), 1
        )

    def test_service_counts_for_the_panel(self):
        self.make_service(self.ana, D(2031, 5, 10))
        self.make_service(self.ana, D(2031, 5, 10), state="suspended")
        self.make_service(self.ana, D(2031, 5, 10), state="cancelled")
        self.make_service(self.ana, D(2031, 5, 10), is_domain=True, domain_name="a.com.br")
        self.make_service(self.ana, D(2031, 5, 10), is_domain=True, domain_name="b.com.br",
                          state="pending")
        self.env.flush_all()
        with self.assertQueryCount(1):
            counts = self.ana._meusite_service_counts()
        self.assertEqual(counts, {"total": 2, "active": 1, "domains": 2, "domains_active": 1})
