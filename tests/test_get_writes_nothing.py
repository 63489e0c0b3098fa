"""A GET changes nothing: the pages a customer opens write no row.

Writes on a page view cost time on every view, serialize two customers opening pages at
once, and let a link or an image (a GET) change the database. The statements the server
runs while answering are recorded; any INSERT, UPDATE or DELETE fails the test.
"""

import re
from contextlib import contextmanager
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged

from odoo.addons.meusite_portal.tests.common import make_invoices

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.I)
# Odoo's own session bookkeeping: the login device of a session, noted at most once per
# interval whatever page is asked (Settings > Users > Devices). Not a write of a page.
SESSION_BOOKKEEPING = re.compile(r"res_device_log", re.I)


@tagged("post_install", "-at_install")
class TestGetWritesNothing(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env.ref("meusite_portal.demo_customer")
        # Invoices never e-mailed: Odoo writes an access token on each at its first view.
        cls.invoices = make_invoices(cls.env, cls.customer, 5)
        cls.invoices.write({"access_token": False})
        cls.env.flush_all()

    @contextmanager
    def recorded_writes(self):
        writes = []
        execute = Cursor.execute

        def spy(cursor, query, params=None, log_exceptions=True):
            text = query.code if hasattr(query, "code") else str(query)
            if WRITE.match(text) and not SESSION_BOOKKEEPING.search(text):
                writes.append(" ".join(text.split())[:200])
            return execute(cursor, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            yield writes

    def test_customer_pages_write_nothing(self):
        self.authenticate("cliente", "cliente")
        invoice = self.invoices[0]
        pages = ["/my", "/my/home", "/my/invoices", f"/my/invoices/{invoice.id}",
                 "/my/services", "/my/tickets", "/new/ticket", "/my/account"]
        for url in pages:
            self.url_open(url)  # warm-up: caches, asset bundles
        for url in pages:
            with self.subTest(url=url), self.recorded_writes() as writes:
                response = self.url_open(url)
                self.assertEqual(response.status_code, 200, url)
                self.assertEqual(writes, [], f"GET {url} wrote to the database")

    def test_first_view_of_never_sent_invoices_writes_nothing(self):
        self.authenticate("cliente", "cliente")
        fresh = make_invoices(self.env, self.customer, 3)
        fresh.write({"access_token": False})
        self.env.flush_all()
        with self.recorded_writes() as writes:
            self.url_open("/my/invoices")
            self.url_open(f"/my/invoices/{fresh[0].id}")
        self.assertEqual(writes, [])

    def test_visitor_pages_write_nothing(self):
        pages = ["/web/login", "/web/signup", "/web/reset_password", "/meusite/cep/30130100"]
        for url in pages:
            self.url_open(url)
        for url in pages:
            with self.subTest(url=url), self.recorded_writes() as writes:
                self.assertEqual(self.url_open(url).status_code, 200, url)
                self.assertEqual(writes, [], f"GET {url} wrote to the database")
