"""Attacks on a ticket through Odoo's generic routes, beside our ticket form.

A customer can read its own tickets, so Odoo's mail routes (``/mail/attachment/upload``,
``/mail/message/post``) and binary routes (``/web/content``, ``/web/image``) accept it on
them. The file rules and the staff-only files must hold there as on our form.
"""

import json
import struct
import zlib

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import EXE, PDF, PNG, HelpdeskFixture


def _png(header, idat):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def png_declaring(width, height):
    """A valid PNG header declaring ``width`` x ``height`` pixels, a few bytes long: what
    a decompression bomb looks like before anyone decodes it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return _png(header, zlib.compress(b"\x00" * 1024))


def png_black(width, height):
    """A complete, valid black-and-white PNG of ``width`` x ``height`` pixels (one bit
    each): a few kilobytes that decode without error, whatever their pixel count."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    return _png(header, zlib.compress(row * height, 9))


@tagged("post_install", "-at_install")
class TestMailRoutesAttacks(HelpdeskFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()
        cls.ticket = cls.make_ticket(cls.customer, cls.suporte, name="Meu chamado")
        cls.env.company.write({
            "meusite_ticket_extensions": ".jpg,.gif,.jpeg,.png,.doc,.docx,.pdf",
            "meusite_ticket_max_file_mb": 1,
            "meusite_ticket_max_total_mb": 2,
            "meusite_ticket_max_files_message": 2,
            "meusite_ticket_max_files_ticket": 4,
            "meusite_ticket_max_daily_mb": 3,
        })

    def setUp(self):
        super().setUp()
        self.authenticate("cliente", "cliente")

    def files_on_ticket(self):
        return self.env["ir.attachment"].sudo().search(
            [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket.id)]
        )

    def upload(self, name, content, pending=False):
        """Odoo's chatter upload, as the browser's composer sends it."""
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "thread_id": self.ticket.id,
            "thread_model": "helpdesk.ticket",
        }
        if pending:
            data["is_pending"] = "true"
        with mute_logger("odoo.http"):
            response = self.url_open("/mail/attachment/upload", data=data,
                                     files={"ufile": (name, content)})
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    def post(self, body, attachment_ids=(), tokens=()):
        with mute_logger("odoo.http"):
            return self.url_open("/mail/message/post", data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "thread_model": "helpdesk.ticket",
                    "thread_id": self.ticket.id,
                    "post_data": {
                        "body": body, "message_type": "comment",
                        "attachment_ids": list(attachment_ids),
                    },
                    "attachment_tokens": list(tokens),
                },
            }), headers={"Content-Type": "application/json"}).json()

    def assertUploadRefused(self, name, content, pending=False):
        before = self.env["ir.attachment"].sudo().search_count([])
        status, answer = self.upload(name, content, pending=pending)
        self.assertFalse(status == 200 and answer and answer.get("data"),
                         f"{name} was accepted: {answer}")
        self.assertEqual(self.env["ir.attachment"].sudo().search_count([]), before)

    # Class 2: files reaching a ticket by another road than our form -------------------------

    def test_upload_route_refuses_what_our_form_refuses(self):
        for name, content in (("programa.exe", EXE), ("fatura.pdf", EXE),
                              ("planilha.xlsx", b"PK\x03\x04rest"), ("grande.pdf", PDF * 40000)):
            for pending in (False, True):
                with self.subTest(name=name, pending=pending):
                    self.assertUploadRefused(name, content, pending=pending)

    def test_upload_route_refuses_a_decompression_bomb(self):
        bomb = png_declaring(100_000, 100_000)
        self.assertLess(len(bomb), 2048)
        self.assertUploadRefused("tela.png", bomb)
        self.assertUploadRefused("tela.png", bomb, pending=True)

    def test_upload_route_refuses_an_image_over_our_pixel_limit(self):
        # 8000 x 7000 = 56 megapixels, under Pillow's bomb threshold (89 MP): a real image
        # stock Odoo stores (it only shrinks it), refused by our rule (Odoo's 50 MP limit).
        image = png_black(8000, 7000)
        self.assertLess(len(image), 64 * 1024)
        self.assertUploadRefused("planta.png", image)
        self.assertUploadRefused("planta.png", image, pending=True)
        # The refusal is ours, not Odoo's: staff, whom the rule does not cover, store it.
        self.authenticate("admin", "admin")
        status, answer = self.upload("planta.png", image)
        self.assertEqual(status, 200)
        self.assertTrue(answer and answer.get("data"), answer)
        self.assertIn("planta.png", self.files_on_ticket().mapped("name"))

    def test_upload_route_accepts_an_allowed_file(self):
        status, answer = self.upload("tela.png", PNG)
        self.assertEqual(status, 200)
        self.assertIn("tela.png", self.files_on_ticket().mapped("name"))

    def test_files_per_ticket_hold_on_the_upload_route(self):
        for i in range(4):
            self.assertEqual(self.upload(f"tela{i}.png", PNG)[0], 200)
        self.assertUploadRefused("tela5.png", PNG)
        self.assertEqual(len(self.files_on_ticket()), 4)

    def test_files_per_message_hold_on_the_post_route(self):
        # Per message only: the per-ticket limit (4) would otherwise refuse the 3 files below
        # on its own, and this test would pass without the rule it is named after.
        self.env.company.meusite_ticket_max_files_ticket = 0

        def pending(count):
            uploaded = [self.upload(f"tela{i}.png", PNG, pending=True)[1] for i in range(count)]
            return [a["data"]["ir.attachment"][0] for a in uploaded]
        two = pending(2)
        answer = self.post("Seguem dois prints", [a["id"] for a in two],
                           [a["access_token"] for a in two])
        self.assertNotIn("error", answer)
        self.assertEqual(len(self.files_on_ticket()), 2)
        three = pending(3)
        answer = self.post("Seguem três prints", [a["id"] for a in three],
                           [a["access_token"] for a in three])
        self.assertIn("error", answer)
        self.assertEqual(len(self.files_on_ticket()), 2)

    def test_daily_quota_counts_files_on_any_record(self):
        # Files sent to the customer's own invoice chatter count too: the quota is per
        # customer, not per road.
        invoice = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "posted")], limit=1)
        megabyte = PDF + b"0" * (1024 * 1024 - len(PDF) - 16) + b"\n%%EOF\n"
        for i in range(3):
            with mute_logger("odoo.http"):
                response = self.url_open("/mail/attachment/upload", data={
                    "csrf_token": http.Request.csrf_token(self),
                    "thread_id": invoice.id, "thread_model": "account.move",
                    "token": invoice._portal_ensure_token(),
                }, files={"ufile": (f"doc{i}.pdf", megabyte)})
            self.assertEqual(response.status_code, 200, i)
        self.assertUploadRefused("doc3.pdf", megabyte)

    def test_daily_quota_holds_across_routes(self):
        megabyte = PDF + b"0" * (1024 * 1024 - len(PDF) - 16) + b"\n%%EOF\n"
        for i in range(3):
            self.assertEqual(self.upload(f"doc{i}.pdf", megabyte, pending=True)[0], 200, i)
        self.assertUploadRefused("doc3.pdf", megabyte)

    # Class 3: staff-internal material offered to the customer ---------------------------------

    def staff_note_with_file(self):
        self.ticket.with_user(self.staff_a).message_post(
            body="Senha do painel do cliente: nao repassar",
            subtype_xmlid="mail.mt_note", message_type="comment",
            attachments=[("interno.pdf", PDF)],
        )
        return self.files_on_ticket().filtered(lambda a: a.name == "interno.pdf")

    def test_internal_note_file_is_not_listed_nor_downloadable(self):
        internal = self.staff_note_with_file()
        self.assertTrue(internal)
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertNotIn("interno.pdf", page)
        self.assertNotIn(f"/web/content/{internal.id}", page)
        # By id, on both binary routes.
        for url in (f"/web/content/{internal.id}?download=true", f"/web/image/{internal.id}"):
            response = self.url_open(url)
            self.assertNotIn(PDF, response.content, url)
        # With a token written on it (helpdesk_mgmt used to write one on each page view).
        token = internal.sudo().generate_access_token()[0]
        response = self.url_open(f"/web/content/{internal.id}?download=true&access_token={token}")
        self.assertNotIn(PDF, response.content)

    def test_viewing_the_ticket_writes_no_token(self):
        internal = self.staff_note_with_file()
        self.url_open(f"/my/ticket/{self.ticket.id}")
        internal.invalidate_recordset()
        self.assertFalse(internal.sudo().access_token)

    def test_files_of_a_reply_to_the_customer_are_shown(self):
        self.staff_note_with_file()
        self.ticket.with_user(self.staff_a).message_post(
            body="Segue o manual", subtype_xmlid="mail.mt_comment", message_type="comment",
            attachments=[("manual.pdf", PDF)],
        )
        page = self.url_open(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("manual.pdf", page)
        self.assertNotIn("interno.pdf", page)
