import re
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import D, ServiceCase


@tagged("post_install", "-at_install")
class TestInvoiceReminders(ServiceCase):
    """The daily reminder run on chosen days, with the default stages: 5 days before the
    due date, on it, and 1, 5 and 10 days after it; the suspension run (grace 5 days)
    adds its own notice."""

    def setUp(self):
        super().setUp()
        self.service = self.make_service(self.ana, D(2031, 3, 10))
        self.invoice = self.run_billing(D(2031, 2, 28))  # due 10/03/2031, R$ 158,90

    def remind(self, day, invoices=None):
        invoices = invoices or self.invoice
        return self.env["meusite.invoice.reminder"]._meusite_send_invoice_reminders(
            day, move_ids=invoices.ids
        )

    def run_days(self, first, last, suspend=False):
        """Run the crons each day from ``first`` to ``last``: {day: [stages sent]}."""
        sent = {}
        day = first
        while day <= last:
            stages = self.remind(day).mapped("stage")
            if suspend:
                before = self.invoice.meusite_reminder_ids
                self.Service._meusite_suspend_overdue_services(day)
                stages += (self.invoice.meusite_reminder_ids - before).mapped("stage")
            if stages:
                sent[day] = stages
            day += timedelta(days=1)
        return sent

    def reminder_mails(self):
        return self.invoice.meusite_reminder_ids.mail_id

    def test_each_notice_once_in_order_on_its_day(self):
        sent = self.run_days(D(2031, 2, 28), D(2031, 4, 30), suspend=True)
        self.assertEqual(sent, {
            D(2031, 3, 5): ["before_due"],
            D(2031, 3, 10): ["due"],
            D(2031, 3, 11): ["overdue_1"],
            D(2031, 3, 15): ["overdue_2"],
            D(2031, 3, 16): ["suspension"],
            D(2031, 3, 20): ["overdue_3"],
        })
        # Staff see on the invoice which notices went out, and when.
        self.assertEqual(
            sorted(self.invoice.meusite_reminder_ids.mapped(lambda r: (r.date, r.stage))),
            sorted((day, stages[0]) for day, stages in sent.items()),
        )
        self.assertEqual(len(self.reminder_mails()), 6)
        self.assertEqual(self.reminder_mails().recipient_ids, self.ana)

    def test_database_refuses_a_second_notice_of_the_same_stage(self):
        # Two cron workers that both read "not sent yet" would e-mail the customer twice:
        # the unique (invoice, stage) row makes the second one fail and roll its e-mail back.
        self.assertEqual(self.remind(D(2031, 3, 10)).mapped("stage"), ["due"])
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["meusite.invoice.reminder"].create({
                "move_id": self.invoice.id, "stage": "due", "date": D(2031, 3, 10),
                "partner_id": self.ana.id,
            })

    def test_nothing_after_payment(self):
        sent = self.run_days(D(2031, 3, 1), D(2031, 3, 11))
        self.assertEqual(list(sent.values()), [["before_due"], ["due"], ["overdue_1"]])
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create({"payment_date": D(2031, 3, 12)})._create_payments()
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(self.run_days(D(2031, 3, 12), D(2031, 4, 30), suspend=True), {})

    def test_nothing_while_a_transfer_awaits_confirmation(self):
        transfer = self.env.ref("payment.payment_provider_transfer")
        tx = self.env["payment.transaction"].create({
            "provider_id": transfer.id,
            "payment_method_id": self.env.ref(
                "payment_custom.payment_method_wire_transfer").id,
            "amount": self.invoice.amount_residual,
            "currency_id": self.invoice.currency_id.id,
            "partner_id": self.ana.id,
            "reference": "REMINDER-TEST-1",
            "invoice_ids": [Command.set(self.invoice.ids)],
        })
        tx._set_pending()
        self.assertEqual(self.run_days(D(2031, 3, 1), D(2031, 3, 23)), {})
        # The transfer never arrived: the notices resume with the current stage only.
        tx._set_canceled()
        self.assertEqual(self.run_days(D(2031, 3, 24), D(2031, 3, 24)),
                         {D(2031, 3, 24): ["overdue_3"]})

    def test_a_missed_day_sends_the_current_stage_only(self):
        # No run between 01/03 and 12/03: one e-mail (the first overdue notice), not three.
        self.assertEqual(self.remind(D(2031, 3, 12)).mapped("stage"), ["overdue_1"])
        self.assertFalse(self.remind(D(2031, 3, 13)))
        # An earlier stage never follows a later one, even if the settings change.
        self.assertFalse(self.remind(D(2031, 3, 10)))
        # Long after the last stage (an old invoice when the feature is switched on),
        # nothing: the customer is not greeted by a stale notice.
        old = self.make_service(self.bruno, D(2031, 1, 10))
        old_invoice = self.run_billing(D(2031, 1, 1), old)
        self.assertFalse(self.remind(D(2031, 3, 12), old_invoice))

    def test_e_mail_in_portuguese_with_amount_due_date_and_one_pay_link(self):
        reminder = self.remind(D(2031, 3, 11))
        mail = reminder.mail_id
        self.assertEqual(len(mail), 1)
        self.assertIn(self.invoice.name, mail.subject)
        self.assertIn("vencida", mail.subject)
        body = str(mail.body_html)
        # Headed as the customer knows it, not by Odoo's model name ("Lançamento de diário").
        self.assertIn("Sua fatura", body)
        self.assertNotIn("Lançamento", body)
        self.assertNotIn("odoo.com", body)
        self.assertNotIn("Deixar de seguir", body)
        self.assertIn("R$\xa0158,90", body.replace("R$ ", "R$\xa0"))
        self.assertIn("10/03/2031", body)
        links = re.findall(r'href="([^"]*)"', body)
        pay_link = self.invoice.get_base_url() + self.invoice.get_portal_url()
        self.assertEqual([link for link in links if "/my/" in link], [pay_link])
        self.assertIn(f"access_token={self.invoice.access_token}", pay_link)

    def test_stages_and_days_follow_the_settings(self):
        self.env["res.config.settings"].create({
            "meusite_reminder_before_due_days": 3,
            "meusite_reminder_due": False,
            "meusite_reminder_overdue_1_days": 2,
            "meusite_reminder_overdue_3": False,
        }).execute()
        sent = self.run_days(D(2031, 3, 1), D(2031, 4, 30))
        self.assertEqual(sent, {
            D(2031, 3, 7): ["before_due"],
            D(2031, 3, 12): ["overdue_1"],
            D(2031, 3, 15): ["overdue_2"],
        })

    def test_suspension_notice_can_be_turned_off(self):
        self.env["res.config.settings"].create({"meusite_reminder_suspension": False}).execute()
        self.Service._meusite_suspend_overdue_services(D(2031, 3, 16))
        self.assertEqual(self.service.state, "suspended")
        self.assertFalse(self.invoice.meusite_reminder_ids)

    def test_stages_out_of_order_are_refused_in_settings(self):
        with self.assertRaises(ValidationError):
            self.env["res.config.settings"].create({
                "meusite_reminder_overdue_1_days": 7,
                "meusite_reminder_overdue_2_days": 5,
            })
        # Set behind the Settings' back: the run refuses rather than send out of order.
        self.env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.reminder_overdue_2_days", "1"
        )
        with self.assertRaises(UserError):
            self.remind(D(2031, 3, 11))

    def test_cron_action_runs(self):
        cron = self.env.ref("meusite_portal.ir_cron_invoice_reminders")
        cron.method_direct_trigger()  # today's run: the test invoice (2031) is not reached
        self.assertFalse(self.invoice.meusite_reminder_ids)
