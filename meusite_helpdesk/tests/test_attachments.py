from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .common import (
    BROKEN_PNG,
    DOC,
    DOCX,
    EXE,
    GIF,
    JPG,
    PDF,
    PNG,
    ZIP_NOT_DOCX,
    HelpdeskFixture,
)


@tagged("post_install", "-at_install")
class TestAttachmentChecks(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.env.company.write({
            "meusite_ticket_extensions": ".jpg,.gif,.jpeg,.png,.doc,.docx,.pdf",
            "meusite_ticket_max_file_mb": 1,
            "meusite_ticket_max_total_mb": 2,
        })

    def check(self, *files):
        return self.Ticket._meusite_check_attachments(list(files))

    def test_every_allowed_format_passes(self):
        self.assertTrue(self.check(
            ("foto.jpg", JPG), ("foto.JPEG", JPG), ("tela.png", PNG), ("anim.gif", GIF),
            ("contrato.pdf", PDF), ("carta.doc", DOC), ("carta.docx", DOCX),
        ))

    def test_extension_outside_the_list_is_refused_by_name(self):
        with self.assertRaisesRegex(UserError, "planilha.xlsx"):
            self.check(("tela.png", PNG), ("planilha.xlsx", b"PK\x03\x04"))
        with self.assertRaisesRegex(UserError, "sem_extensao"):
            self.check(("sem_extensao", PNG))

    def test_renamed_executable_is_refused(self):
        for name in ("nota.pdf", "foto.jpg", "carta.doc", "tela.png"):
            with self.assertRaisesRegex(UserError, name):
                self.check((name, EXE))

    def test_content_of_another_format_is_refused(self):
        with self.assertRaisesRegex(UserError, "foto.png"):
            self.check(("foto.png", JPG))
        with self.assertRaisesRegex(UserError, "quebrada.png"):
            self.check(("quebrada.png", BROKEN_PNG))
        with self.assertRaisesRegex(UserError, "vazio.pdf"):
            self.check(("vazio.pdf", b""))

    def test_zip_without_a_word_document_is_not_a_docx(self):
        with self.assertRaisesRegex(UserError, "pacote.docx"):
            self.check(("pacote.docx", ZIP_NOT_DOCX))
        with self.assertRaisesRegex(UserError, "quebrado.docx"):
            self.check(("quebrado.docx", b"PK\x03\x04garbage"))

    def test_file_over_the_size_limit_is_refused(self):
        big = PNG + b"\x00" * (1024 * 1024)
        with self.assertRaisesRegex(UserError, r"grande\.png.*1 MB"):
            self.check(("grande.png", big))

    def test_total_over_the_limit_names_the_file_that_crossed_it(self):
        chunk = PDF + b"\x00" * (900 * 1024)
        with self.assertRaisesRegex(UserError, r"c\.pdf.*2 MB"):
            self.check(("a.pdf", chunk), ("b.pdf", chunk), ("c.pdf", chunk))

    def test_limits_are_configurable(self):
        self.env.company.meusite_ticket_extensions = ".pdf, txt"
        self.assertTrue(self.check(("leia.txt", b"texto simples")))
        with self.assertRaisesRegex(UserError, "tela.png"):
            self.check(("tela.png", PNG))
        # An extension without a known signature still refuses programs.
        with self.assertRaisesRegex(UserError, "script.txt"):
            self.check(("script.txt", EXE))

    def test_message_in_portuguese(self):
        Ticket = self.Ticket.with_context(lang="pt_BR")
        with self.assertRaisesRegex(UserError, "virus.exe.*recusado"):
            Ticket._meusite_check_attachments([("virus.exe", EXE)])


@tagged("post_install", "-at_install")
class TestChatterUploads(HelpdeskFixture, TransactionCase):
    """Files a customer posts by any other route (the mail chatter) pass the same checks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()
        cls.ticket = cls.make_ticket(cls.customer, cls.suporte)

    def test_customer_post_with_renamed_executable_is_refused(self):
        as_customer = self.ticket.with_user(self.customer_user)
        count = len(self.ticket.message_ids)
        with self.assertRaisesRegex(UserError, "nota.pdf"):
            as_customer.message_post(body="segue", attachments=[("nota.pdf", EXE)])
        pending = self.env["ir.attachment"].create({
            "name": "foto.jpg", "raw": EXE, "res_model": "mail.compose.message", "res_id": 0,
        })
        with self.assertRaisesRegex(UserError, "foto.jpg"):
            as_customer.message_post(body="segue", attachment_ids=pending.ids)
        self.ticket.invalidate_recordset()
        self.assertEqual(len(self.ticket.message_ids), count)

    def test_customer_reply_moves_the_last_update(self):
        self.ticket.meusite_last_activity_date = "2026-01-01 10:00:00"
        self.ticket.with_user(self.customer_user)._meusite_portal_reply("Alguma novidade?", [])
        self.assertGreater(str(self.ticket.meusite_last_activity_date), "2026-01-01 10:00:00")
        # Internal notes are not news for the customer.
        self.ticket.meusite_last_activity_date = "2026-01-01 10:00:00"
        self.ticket.message_post(body="nota interna", subtype_xmlid="mail.mt_note")
        self.assertEqual(str(self.ticket.meusite_last_activity_date), "2026-01-01 10:00:00")
