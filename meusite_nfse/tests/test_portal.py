from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_nfse.tests.common import NfseCommon


@tagged("post_install", "-at_install")
class TestNfsePortal(NfseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def _issued(self):
        move = self._pay(self._invoice())
        self._run()
        self.assertEqual(move.nfse_ids.state, "issued", move.nfse_ids.message)
        return move

    def test_owner_sees_the_note_and_downloads_pdf_and_xml(self):
        move = self._issued()
        note = move.nfse_ids
        self.authenticate("nfse_owner", "nfse_owner-pw")
        page = self.url_open("/my/invoices/%s" % move.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn("NFS-e nº %s" % note.number, page.text)
        listing = self.url_open("/my/invoices")
        self.assertIn("NFS-e nº %s" % note.number, listing.text)
        pdf = self.url_open("/my/invoices/%s/nfse/pdf" % move.id)
        self.assertEqual(pdf.status_code, 200)
        self.assertTrue(pdf.content.startswith(b"%PDF"))
        xml = self.url_open("/my/invoices/%s/nfse/xml" % move.id)
        self.assertIn(note.key.encode(), xml.content)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.models")
    def test_another_customer_gets_nothing_through_portal_or_web_content(self):
        move = self._issued()
        note = move.nfse_ids
        self.authenticate("nfse_other", "nfse_other-pw")
        for kind in ("pdf", "xml"):
            answer = self.url_open(
                "/my/invoices/%s/nfse/%s" % (move.id, kind), allow_redirects=False
            )
            self.assertNotEqual(answer.status_code, 200)
            self.assertNotIn(b"%PDF", answer.content)
        for attachment in (note.pdf_attachment_id, note.xml_attachment_id):
            answer = self.url_open("/web/content/%s?download=true" % attachment.id)
            self.assertNotEqual(answer.status_code, 200, attachment.name)
            self.assertNotIn(note.key.encode(), answer.content)
        answer = self.url_open(
            "/web/content?model=meusite.nfse&id=%s&field=display_number" % note.id
        )
        self.assertNotEqual(answer.status_code, 200)
        page = self.url_open("/my/invoices")
        self.assertNotIn("NFS-e nº %s" % note.number, page.text)
        # The record rule, through the ORM as the portal user.
        self.assertFalse(
            self.env["meusite.nfse"]
            .with_user(self.env["res.users"].search([("login", "=", "nfse_other")]))
            .search([("id", "=", note.id)])
        )

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.models")
    def test_certificate_is_never_served_to_a_customer(self):
        self._issued()
        self.authenticate("nfse_owner", "nfse_owner-pw")
        certificate = self.certificate
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "in", ("certificate.certificate", "certificate.key")),
                    ("res_field", "!=", False),
                ]
            )
        )
        self.assertTrue(attachments)
        for attachment in attachments:
            answer = self.url_open("/web/content/%s" % attachment.id)
            self.assertNotEqual(answer.status_code, 200)
        for url in (
            "/web/content?model=certificate.certificate&id=%s&field=content" % certificate.id,
            "/web/content?model=certificate.key&id=%s&field=pem_key"
            % certificate.private_key_id.id,
        ):
            answer = self.url_open(url)
            self.assertNotEqual(answer.status_code, 200, url)
        for page in ("/my/invoices", "/my"):
            self.assertNotIn("PRIVATE KEY", self.url_open(page).text)
