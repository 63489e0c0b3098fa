"""A link to a ticket file is checked when it is used, and expires.

The ticket page gives the customer a signed link per file. The attack: keep (or forward, or
find in a browser history) a link issued before, then download the file after staff made it
internal, deleted its message or gave the ticket to another customer - logged in or not.
Odoo's binary routes served such a link without asking anything else for 14 to 42 days.
"""

import html
import re
import time

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.misc import limited_field_access_token

from .common import PDF, HelpdeskFixture
from odoo.addons.meusite_helpdesk.private_api import LINK_LIFETIME, attachment_download_token


@tagged("post_install", "-at_install")
class TestFileLinksCheckedOnUse(HelpdeskFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()
        cls.ticket = cls.make_ticket(cls.customer, cls.suporte, name="Meu chamado")
        cls.reply = cls.ticket.with_user(cls.staff_a).message_post(
            body="Segue o manual", subtype_xmlid="mail.mt_comment", message_type="comment",
            attachments=[("manual.pdf", PDF)],
        )
        cls.manual = cls.reply.attachment_ids

    def issued_link(self):
        """The link the ticket page gives the logged-in customer for manual.pdf."""
        self.authenticate("cliente", "cliente")
        page = html.unescape(self.url_open(f"/my/ticket/{self.ticket.id}", timeout=60).text)
        match = re.search(
            rf"/web/content/{self.manual.id}\?download=true&access_token=([^\"&]+)", page)
        self.assertTrue(match, "the page links the file")
        return f"/web/content/{self.manual.id}?download=true&access_token={match.group(1)}"

    def downloads(self, url, logged_in):
        if logged_in:
            self.authenticate("cliente", "cliente")
        else:
            self.authenticate(None, None)
        with mute_logger("odoo.http"):
            return PDF in self.url_open(url, timeout=60).content

    def assertRefusedBothWays(self, url):
        for logged_in in (True, False):
            with self.subTest(logged_in=logged_in):
                self.assertFalse(self.downloads(url, logged_in), "the file was served")

    def test_link_works_while_the_file_is_shown(self):
        url = self.issued_link()
        self.assertTrue(self.downloads(url, logged_in=True))
        self.assertTrue(self.downloads(url, logged_in=False))

    def test_file_made_internal_is_refused(self):
        url = self.issued_link()
        self.reply.sudo().write({"is_internal": True})
        self.assertRefusedBothWays(url)

    def test_file_of_a_deleted_message_is_refused(self):
        url = self.issued_link()
        self.reply.sudo().unlink()
        self.assertTrue(self.manual.exists(), "the file stays on the ticket, for staff")
        self.assertRefusedBothWays(url)

    def test_ticket_given_to_another_customer_is_refused(self):
        url = self.issued_link()
        self.ticket.sudo().partner_id = self.other
        self.assertRefusedBothWays(url)

    def test_odoo_signed_field_token_needs_the_same_checks(self):
        # Odoo's own signed token for the file (what its chatter hands out): a visitor gets
        # no ticket file with it, and a customer only while the ticket is theirs.
        url = (f"/web/content/{self.manual.id}?download=true"
               f"&access_token={limited_field_access_token(self.manual, 'raw')}")
        self.assertFalse(self.downloads(url, logged_in=False))
        self.assertTrue(self.downloads(url, logged_in=True))
        self.ticket.sudo().partner_id = self.other
        self.assertFalse(self.downloads(url, logged_in=True))

    def test_links_expire(self):
        url = self.issued_link()
        expiry = int(url.rsplit("o", 1)[1], 16)
        self.assertLessEqual(expiry - time.time(), LINK_LIFETIME + 3600)
        self.assertLessEqual(LINK_LIFETIME, 24 * 3600)
        expired = attachment_download_token(self.manual, self.customer, lifetime=-7200)
        self.assertRefusedBothWays(
            f"/web/content/{self.manual.id}?download=true&access_token={expired}")

    def test_link_of_one_file_does_not_open_another(self):
        url = self.issued_link()
        other_ticket = self.make_ticket(self.other, self.suporte, name="Outro")
        other_file = other_ticket.with_user(self.staff_a).message_post(
            body="Arquivo", subtype_xmlid="mail.mt_comment", message_type="comment",
            attachments=[("outro.pdf", PDF)]).attachment_ids
        token = url.rsplit("access_token=", 1)[1]
        self.assertRefusedBothWays(
            f"/web/content/{other_file.id}?download=true&access_token={token}")
