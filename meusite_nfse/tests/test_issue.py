import re
from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_nfse.tests.common import CNPJ, PASSWORD, NfseCommon


@tagged("post_install", "-at_install")
class TestNfseIssue(NfseCommon):
    def test_paid_invoice_gets_one_note_with_key_xml_and_pdf(self):
        move = self._pay(self._invoice())
        note = move.nfse_ids
        self.assertEqual(len(note), 1)
        self.assertEqual(note.state, "to_issue")
        self._run()
        self.assertEqual(note.state, "issued", note.message)
        self.assertRegex(note.key, r"^[0-9]{50}$")
        self.assertTrue(note.number)
        self.assertEqual(note.xml_attachment_id.res_id, move.id)
        self.assertEqual(note.xml_attachment_id.res_model, "account.move")
        self.assertIn(note.key.encode(), note.xml_attachment_id.raw)
        self.assertTrue(note.pdf_attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(len(self._posts()), 1)
        self.assertIn(note.dps_id, self.double.state.dps)

    def test_posting_alone_does_not_issue_when_the_rule_is_paid(self):
        move = self._invoice()
        self.assertFalse(move.nfse_ids)
        self.env["meusite.nfse"]._enqueue_due()
        self.assertFalse(move.nfse_ids, "an unpaid invoice has no note under the 'paid' rule")
        self.company.nfse_trigger = "posted"
        posted = self._invoice()
        self.assertEqual(len(posted.nfse_ids), 1, "posting queues the note under the 'posted' rule")
        self._run()
        self.assertEqual(posted.nfse_ids.state, "issued", posted.nfse_ids.message)

    def test_paid_twice_replayed_and_cron_still_one_note(self):
        move = self._pay(self._invoice())
        # The payment hook again (a webhook replayed), the cron's own scan, a direct enqueue.
        move._invoice_paid_hook()
        self.env["meusite.nfse"]._enqueue_due()
        self.env["meusite.nfse"]._enqueue(move)
        self._run()
        self._run()
        self.assertEqual(len(move.nfse_ids), 1)
        self.assertEqual(len(self._posts()), 1)
        self.assertEqual(move.nfse_ids.state, "issued")

    def test_the_database_refuses_a_second_note_for_one_invoice(self):
        """Two servers that both got past the check: UNIQUE(move_id) refuses the second."""
        move = self._pay(self._invoice())
        note = move.nfse_ids
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["meusite.nfse"].sudo().create(
                {
                    "move_id": move.id,
                    "serie": "1",
                    "dps_number": 999,
                    "dps_id": note.dps_id[:-3] + "999",
                }
            )

    def test_enqueue_takes_the_company_row_lock_before_checking(self):
        """The lock that serialises two servers' check-then-create, on the company row."""
        move = self._pay(self._invoice(post=True).copy())  # unposted copy: nothing queued
        statements = []
        real = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            statements.append(str(query))
            return real(cr, query, params, log_exceptions)

        move2 = self._invoice()
        with patch.object(type(self.env.cr), "execute", spy):
            self.env["meusite.nfse"]._enqueue(move2)
        lock = next(i for i, q in enumerate(statements) if "FOR UPDATE" in q and "res_company" in q)
        check = next(i for i, q in enumerate(statements) if "FROM meusite_nfse WHERE move_id" in q)
        self.assertLess(lock, check)
        self.assertTrue(move)

    def test_rejection_is_shown_to_staff_and_retried_after_the_fix(self):
        self.double.configure(reject=[("E0312", "Código de tributação municipal obrigatório")])
        move = self._pay(self._invoice())
        self._run()
        note = move.nfse_ids
        self.assertEqual(note.state, "rejected")
        self.assertIn("E0312", note.message)
        self.assertIn("Código de tributação municipal", note.message)
        staff_view = self.env["meusite.nfse"].search(
            [("state", "in", ("rejected", "error", "to_cancel"))]
        )
        self.assertIn(note, staff_view, "the 'needs attention' filter lists it")
        self._run()
        self.assertEqual(note.state, "rejected", "a rejection is not re-sent by itself")
        self.double.configure(reject=[])
        note.action_retry()
        self._run()
        self.assertEqual(note.state, "issued", note.message)

    def test_the_rejection_reads_in_the_staff_language(self):
        """The client's own words (an English source) come in the language of the env that
        stores them: Portuguese for a Brazilian company's staff, English for English staff."""
        self.double.configure(reject=[("E0312", "Código de tributação municipal obrigatório")])
        move = self._pay(self._invoice())
        self.env["meusite.nfse"].with_context(lang="pt_BR")._process_pending()
        self.assertTrue(move.nfse_ids.message.startswith("Rejeitada pela Sefin Nacional:"))
        self.double.configure(reject=[("E0312", "Código de tributação municipal obrigatório")])
        move_en = self._pay(self._invoice())
        self.env["meusite.nfse"].with_context(lang="en_US")._process_pending()
        self.assertTrue(move_en.nfse_ids.message.startswith("Refused by the Sefin Nacional:"))

    def test_missing_customer_data_is_a_clear_rejection_before_sending(self):
        self.customer.vat = False
        move = self._pay(self._invoice())
        self._run()
        note = move.nfse_ids
        self.assertEqual(note.state, "rejected")
        self.assertIn("CPF/CNPJ", note.message)
        self.assertFalse(self._posts(), "nothing was sent")
        self.customer.vat = "529.982.247-25"
        note.action_retry()
        self._run()
        self.assertEqual(note.state, "issued", note.message)

    def test_capitalised_erros_are_read_too(self):
        self.double.configure(
            reject=[("E0625", "Alíquota informada indevidamente")], capitalised_errors=True
        )
        move = self._pay(self._invoice())
        self._run()
        self.assertIn("E0625", move.nfse_ids.message)

    def test_lost_answer_is_recovered_without_a_second_note(self):
        self.double.configure(lose_answer=1)
        move = self._pay(self._invoice())
        note = move.nfse_ids
        self._run()
        self.assertEqual(note.state, "error", "an unanswered send is an outage")
        self.assertTrue(note.sent_at)
        self.assertEqual(len(self.double.state.dps), 1, "the service did issue it")
        note.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self._run()
        self.assertEqual(note.state, "issued", note.message)
        self.assertEqual(note.key, self.double.state.dps[note.dps_id])
        self.assertEqual(len(self._posts()), 1, "recovered by asking (GET /dps), not by re-sending")
        self.assertIn(("GET", "/SefinNacional/dps/" + note.dps_id, 200), self.double.state.calls)

    def test_outage_is_retried_with_backoff(self):
        self.double.configure(fail_5xx=1)
        move = self._pay(self._invoice())
        note = move.nfse_ids
        self._run()
        self.assertEqual((note.state, note.attempts), ("error", 1))
        self.assertGreater(note.next_try, fields.Datetime.now() + timedelta(minutes=4))
        self.assertFalse(self._run(), "not retried before its time")
        note.next_try = fields.Datetime.now() - timedelta(seconds=1)
        self._run()
        self.assertEqual(note.state, "issued", note.message)

    def test_expired_certificate_stops_issuing_with_one_message(self):
        self.company.nfse_certificate_id = self._certificate(
            self.ca.client_pkcs12(CNPJ, "outra-senha", days=-1), "outra-senha"
        )
        moves = self._pay(self._invoice()) | self._pay(self._invoice())
        self._run()
        self.assertEqual(set(moves.nfse_ids.mapped("state")), {"error"})
        self.assertEqual(len(set(moves.nfse_ids.mapped("message"))), 1)
        self.assertRegex(moves.nfse_ids[0].message, re.compile("expired|venceu"))
        self.assertFalse(self.double.state.calls, "nothing reaches the service")
        self.assertFalse(moves.nfse_ids.mapped("attempts")[0])

    def test_certificate_warning_30_days_ahead(self):
        self.company.nfse_certificate_id = self._certificate(
            self.ca.client_pkcs12(CNPJ, PASSWORD, days=20)
        )
        self.assertTrue(self.company.nfse_certificate_warning)
        self.company.nfse_certificate_id = self.certificate
        self.assertFalse(self.company.nfse_certificate_warning)

    def test_cancellation_event_on_reversal_with_staff_reason(self):
        move = self._pay(self._invoice())
        self._run()
        note = move.nfse_ids
        self.assertEqual(note.state, "issued")
        move._reverse_moves(cancel=True)
        self.assertEqual(note.state, "to_cancel")
        wizard = self.env["meusite.nfse.cancel"].create(
            {"nfse_id": note.id, "reason": "2", "text": "Serviço não prestado, fatura estornada"}
        )
        wizard.action_confirm()
        self.assertEqual(note.state, "cancelled")
        self.assertIn(b"101101", note.event_attachment_id.raw)
        self.assertIn("101101", self.double.state.notes[note.key]["events"])

    def test_certificate_secrets_never_in_logs(self):
        records = []

        class Keep:
            level = 0

            def handle(self, record):
                records.append(record.getMessage())

        import logging  # noqa: PLC0415

        root = logging.getLogger()
        handler = logging.Handler()
        handler.handle = Keep().handle
        old = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        try:
            self.double.configure(fail_5xx=1)
            move = self._pay(self._invoice())
            self._run()
            move.nfse_ids.next_try = False
            self._run()
        finally:
            root.removeHandler(handler)
            root.setLevel(old)
        key_pem = self.certificate.private_key_id.with_context(bin_size=False).pem_key
        text = "\n".join(records)
        self.assertNotIn(PASSWORD, text)
        self.assertNotIn("PRIVATE KEY", text)
        self.assertNotIn(
            key_pem.decode()[:40] if isinstance(key_pem, bytes) else str(key_pem)[:40], text
        )

    def test_only_settings_administrators_read_the_certificate(self):
        accountant = new_test_user(
            self.env,
            login="nfse_accountant",
            groups="account.group_account_manager,base.group_user",
        )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.company.with_user(accountant).read(["nfse_certificate_id"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.company.with_user(accountant).read(["nfse_server_ca"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.certificate.with_user(accountant).read(["pkcs12_password"])
        # What the accountant does see: the expiry.
        self.assertTrue(self.company.with_user(accountant).nfse_certificate_expiry)

    def test_invoices_before_the_start_date_are_not_issued(self):
        move = self._invoice(post=False)
        move.invoice_date = fields.Date.subtract(fields.Date.today(), days=40)
        move.action_post()
        self._pay(move)
        self.env["meusite.nfse"]._enqueue_due()
        self.assertFalse(move.nfse_ids, "declared before the company issued through Sefin")
