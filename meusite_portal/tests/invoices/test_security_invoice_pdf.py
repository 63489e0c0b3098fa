"""Attacks on another customer's invoice PDF, now kept as the invoice's
``invoice_pdf_report_id`` attachment by Odoo's sending cron: through every route that
serves it (the portal's download, /web/content by attachment id or by field, the chatter's
attachment route) a customer gets their own PDF and never another customer's.
"""

import json

from odoo import http
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..common import MeusiteInvoicesCommon, make_invoices

PDF_B = b"%PDF-1.4 fatura secreta do cliente B %%EOF"
PDF_A = b"%PDF-1.4 fatura da cliente A %%EOF"


@tagged("post_install", "-at_install")
class TestInvoicePdfAttacks(MeusiteInvoicesCommon):
    def setUp(self):
        super().setUp()
        self.mine = make_invoices(self.env, self.customer, amount=300.00)
        self.theirs = make_invoices(self.env, self.other, amount=99.00)
        # What Odoo's sending flow stores (account.move.send._link_invoice_documents).
        self.pdf_mine = self._store_pdf(self.mine, PDF_A)
        self.pdf_theirs = self._store_pdf(self.theirs, PDF_B)
        self.authenticate("beatriz", "beatriz-Senha123")

    def _store_pdf(self, invoice, raw):
        attachment = self.env["ir.attachment"].create({
            "name": f"{invoice.name}.pdf", "raw": raw, "mimetype": "application/pdf",
            "res_model": "account.move", "res_id": invoice.id,
            "res_field": "invoice_pdf_report_file",
        })
        invoice.invalidate_recordset(["invoice_pdf_report_id", "invoice_pdf_report_file"])
        self.assertEqual(invoice.invoice_pdf_report_id, attachment)
        return attachment

    def get(self, url):
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_attachment"):
            return self.url_open(url, allow_redirects=False)

    def assertNotServed(self, response):
        self.assertNotIn(b"secreta", response.content)
        self.assertNotEqual(response.headers.get("Content-Type"), "application/pdf")

    def test_own_pdf_is_served_from_the_stored_attachment(self):
        response = self.get(f"/my/invoices/{self.mine.id}?report_type=pdf&download=true")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF_A)

    def test_portal_download_of_another_customers_invoice(self):
        for url in (
            f"/my/invoices/{self.theirs.id}?report_type=pdf&download=true",
            f"/my/invoices/{self.theirs.id}?report_type=pdf",
            f"/my/invoices/{self.theirs.id}?report_type=html",
            # Another invoice's token does not open this one.
            f"/my/invoices/{self.theirs.id}?report_type=pdf&download=true"
            f"&access_token={self.mine._portal_ensure_token()}",
        ):
            with self.subTest(url=url):
                self.assertNotServed(self.get(url))

    def test_web_content_of_another_customers_pdf(self):
        for url in (
            f"/web/content/{self.pdf_theirs.id}",
            f"/web/content/{self.pdf_theirs.id}?download=true",
            f"/web/content/ir.attachment/{self.pdf_theirs.id}/datas",
            f"/web/content/ir.attachment/{self.pdf_theirs.id}/raw",
            f"/web/content/account.move/{self.theirs.id}/invoice_pdf_report_file",
            f"/web/content/account.move/{self.theirs.id}/invoice_pdf_report_file"
            f"?access_token={self.mine._portal_ensure_token()}",
        ):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertIn(response.status_code, (403, 404, 303), url)
                self.assertNotServed(response)
        # /web/image answers a refused record with Odoo's placeholder picture.
        response = self.get(f"/web/image/{self.pdf_theirs.id}")
        self.assertNotServed(response)
        self.assertTrue(response.headers.get("Content-Type", "").startswith("image/"))

    def test_invoice_list_shows_only_own_invoices_whatever_the_url(self):
        # Sort, filter and search of the attacker's choosing (B's name as the search): the
        # list stays A's, B's invoice and amount never appear.
        for query in ("", "?sortby=partner_id", "?sortby=name%3BDROP", "?filterby=all",
                      "?filterby=__proto__", "?sortby=date&filterby=paid%27--",
                      "?search_in=partner&search=Rafael", "?search_in=all&search=FT"):
            with self.subTest(query=query):
                response = self.get(f"/my/invoices{query}")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(self.theirs.name, response.text)
                self.assertNotIn("99,00", response.text)
                self.assertNotIn(f"/my/invoices/{self.theirs.id}", response.text)
        self.assertIn(self.mine.name, self.get("/my/invoices?sortby=name%3BDROP").text)

    def test_rpc_cannot_read_or_repoint_the_pdf(self):
        def rpc(model, method, *args):
            with mute_logger("odoo.http"):
                return self.url_open(
                    f"/web/dataset/call_kw/{model}/{method}",
                    data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                        "model": model, "method": method, "args": list(args), "kwargs": {},
                    }}),
                    headers={"Content-Type": "application/json"},
                ).json()

        answer = rpc("ir.attachment", "read", [self.pdf_theirs.id], ["raw", "datas"])
        self.assertIn("error", answer)
        self.assertNotIn("secreta", json.dumps(answer))
        answer = rpc("account.move", "read", [self.theirs.id], ["invoice_pdf_report_file"])
        self.assertIn("error", answer)
        # Moving B's PDF onto A's invoice (or A's onto B's) is refused and changes nothing.
        answer = rpc("ir.attachment", "write", [self.pdf_theirs.id],
                     {"res_id": self.mine.id})
        self.assertIn("error", answer)
        answer = rpc("ir.attachment", "write", [self.pdf_mine.id],
                     {"res_id": self.theirs.id})
        self.assertIn("error", answer)
        answer = rpc("ir.attachment", "create", {
            "name": "falsa.pdf", "raw": "JVBERi0=", "res_model": "account.move",
            "res_id": self.theirs.id, "res_field": "invoice_pdf_report_file"})
        self.assertIn("error", answer)
        self.assertEqual(self.pdf_theirs.res_id, self.theirs.id)
        self.assertEqual(self.pdf_mine.res_id, self.mine.id)
        self.theirs.invalidate_recordset(["invoice_pdf_report_id"])
        self.assertEqual(self.theirs.invoice_pdf_report_id, self.pdf_theirs)

    def test_chatter_upload_cannot_target_another_customers_invoice(self):
        # The portal chatter's upload route, aimed at B's invoice with A's token: refused,
        # while the same upload on A's own invoice is accepted (the attack is what fails).
        def upload(invoice):
            with mute_logger("odoo.http"):
                return self.url_open("/mail/attachment/upload", data={
                    "thread_model": "account.move", "thread_id": str(invoice.id),
                    "token": self.mine._portal_ensure_token(),
                    "csrf_token": http.Request.csrf_token(self),
                }, files={"ufile": ("f.pdf", PDF_A, "application/pdf")})

        self.assertEqual(upload(self.mine).status_code, 200)
        self.assertIn(upload(self.theirs).status_code, (403, 404))
        self.assertFalse(self.env["ir.attachment"].search([
            ("res_model", "=", "account.move"), ("res_id", "=", self.theirs.id),
            ("name", "=", "f.pdf")]))
