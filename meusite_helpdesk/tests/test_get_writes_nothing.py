"""A GET changes nothing: the pages a customer opens write no row.

Writes on a page view cost time on every view, serialize two customers opening pages at
once, and let a link or an image (a GET) change the database. The statements the server
runs while answering are recorded; any INSERT, UPDATE or DELETE fails the test.
"""

import html
import re
from contextlib import contextmanager
from unittest.mock import patch

from odoo.sql_db import Cursor
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

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


# --- Every GET a customer or a visitor can reach, found by following the pages' links ------

HREF = re.compile(r'''(?:href|action|src)="(/[^"#]*)"''')
# Not pages: static files and asset bundles (no route body), and the logout (it ends the
# crawl's session; it writes nothing but the session file).
NOT_CRAWLED = re.compile(r"^/(web/static|web/assets|[a-z_]+/static|web/session/logout)")
PER_PATTERN = 2  # URLs kept per route pattern (ids and query values folded)
MAX_PAGES = 70


def url_pattern(url):
    path, __, query = url.partition("?")
    keys = sorted(part.split("=", 1)[0] for part in query.split("&") if part)
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


class DatabaseSnapshot:
    """Row counts, the latest ``write_date`` and the rows written in this transaction, per
    table: the test and the server share one transaction (HttpCase), so a GET's INSERT,
    UPDATE or DELETE shows in one of the three even where the transaction's timestamp makes
    ``write_date`` equal to the setup's."""

    # Odoo's bookkeeping of the session's device (Settings > Users > Devices), noted at most
    # once per interval whatever the page; and the asset bundles a first render compiles.
    IGNORED = {"res_device_log", "res_device"}

    def __init__(self, cr):
        self.cr = cr
        cr.execute("""
            SELECT c.relname, bool_or(a.attname = 'write_date')
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
             WHERE n.nspname = 'public' AND c.relkind = 'r'
             GROUP BY c.relname ORDER BY c.relname""")
        self.tables = [(name, dated) for name, dated in cr.fetchall()
                       if name not in self.IGNORED]

    def take(self):
        parts = []
        for name, dated in self.tables:
            where = ("WHERE url IS NULL OR url NOT LIKE '/web/assets/%%'"
                     if name == "ir_attachment" else "")
            if dated:
                parts.append(
                    f"""SELECT '{name}', COUNT(*), MAX(write_date)::text,
                               COUNT(*) FILTER (WHERE write_date >= (now() AT TIME ZONE 'UTC'))
                          FROM "{name}" {where}""")
            else:
                parts.append(f"""SELECT '{name}', COUNT(*), NULL, 0 FROM "{name}" {where}""")
        self.cr.execute(" UNION ALL ".join(parts))
        return {name: rest for name, *rest in self.cr.fetchall()}

    @staticmethod
    def changes(before, after):
        return {name: (before.get(name), value) for name, value in after.items()
                if before.get(name) != value}


@tagged("post_install", "-at_install")
class TestEveryGetWritesNothing(HttpCase):
    """Crawl from the customer's panel and from the visitor pages, following every local
    link (a few per route pattern), with the database compared before and after: a GET a
    customer or a visitor can reach changes nothing, on its first view as on the next."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env.ref("meusite_portal.demo_customer")
        cls.invoice = make_invoices(cls.env, cls.customer, 1)
        # A customer who never opened a page: no value "created on first use" yet.
        cls.customer.commercial_partner_id.sudo().meusite_referral_code = False
        cls.env.flush_all()

    def crawl(self, start):
        seen, per_pattern, queue, visited = set(), {}, list(start), []
        while queue and len(visited) < MAX_PAGES:
            url = queue.pop(0)
            pattern = url_pattern(url)
            if url in seen or NOT_CRAWLED.match(url) or per_pattern.get(pattern, 0) >= PER_PATTERN:
                continue
            seen.add(url)
            per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
            with mute_logger("odoo.http", "odoo.addons.base.models.ir_attachment"):
                response = self.url_open(url, timeout=60)
            visited.append((url, response.status_code))
            # A page reached by following the site's own links answers (or redirects; 405
            # is a form's POST-only action): a refusal here would be a page that fails, its
            # writes rolled back unseen.
            self.assertTrue(response.status_code < 400 or response.status_code == 405,
                            f"{url}: {response.status_code}")
            if "html" in response.headers.get("Content-Type", ""):
                for link in HREF.findall(response.text):
                    link = html.unescape(link)
                    if not link.startswith("//"):
                        queue.append(link)
        return visited

    def assertCrawlWritesNothing(self, start):
        snapshot = DatabaseSnapshot(self.env.cr)
        self.env.flush_all()
        before = snapshot.take()
        visited = self.crawl(start)
        self.env.flush_all()
        changes = snapshot.changes(before, snapshot.take())
        self.assertFalse(changes, f"GETs wrote to the database; pages: {visited}")
        return visited

    def test_customer_crawl_writes_nothing(self):
        self.authenticate("cliente", "cliente")
        visited = self.assertCrawlWritesNothing(["/my", "/my/home", "/my/account"])
        urls = {url for url, __ in visited}
        for page in ("/my/referrals", "/my/services", "/my/invoices", "/my/tickets"):
            self.assertIn(page, urls, "the crawl reaches the customer's pages")

    def test_visitor_crawl_writes_nothing(self):
        token = self.invoice._portal_ensure_token()
        self.env.flush_all()
        self.authenticate(None, None)
        self.assertCrawlWritesNothing([
            "/web/login", "/web/signup", "/web/reset_password", "/meusite/cep/30130100",
            f"/my/invoices/{self.invoice.id}?access_token={token}",
        ])
