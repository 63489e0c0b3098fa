import base64
import io

from PIL import Image

from odoo.tests import tagged

from odoo.addons.meusite_nfse.tests.common import NfseCommon


@tagged("post_install", "-at_install")
class TestNfseIssuedMail(NfseCommon):
    """The customer gets the note by e-mail: "NFS-e emitida", the DANFSe and the XML attached."""

    def _mails(self, partner=None):
        return self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", (partner or self.customer).ids),
                ("subject", "ilike", "NFS-e nº"),
            ]
        )

    def test_issued_note_mails_the_customer_the_danfse_and_the_xml(self):
        if self.env["res.lang"]._lang_get("pt_BR"):
            self.customer.lang = "pt_BR"
        # A logo of its own (the stock layout shows none for Odoo's default logo): set
        # here, as this addon's dependencies' demo has none (meusite_portal's has one).
        png = io.BytesIO()
        Image.new("RGB", (8, 8), "#1f5fa8").save(png, "PNG")
        self.company.logo = base64.b64encode(png.getvalue())
        move = self._pay(self._invoice())
        self._run()
        note = move.nfse_ids
        self.assertEqual(note.state, "issued", note.message)
        mail = self._mails()
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn("NFS-e nº %s emitida" % note.number, mail.subject)
        self.assertIn(move.name, mail.subject)
        self.assertEqual(
            sorted(mail.attachment_ids.mapped("name")),
            ["DANFSe %s.pdf" % note.number, "NFS-e %s.xml" % note.number],
        )
        pdf = mail.attachment_ids.filtered(lambda a: a.mimetype == "application/pdf")
        xml = mail.attachment_ids.filtered(lambda a: a.mimetype == "application/xml")
        self.assertTrue(pdf.raw.startswith(b"%PDF"))
        self.assertIn(note.key.encode(), xml.raw)
        body = str(mail.body_html)
        self.assertIn("foi emitida", body)
        self.assertIn(note.key, body)
        self.assertIn("158,90" if self.customer.lang == "pt_BR" else "158.90", body)
        # In the company's e-mail layout (its logo in the header), linking the invoice page.
        self.assertIn("/logo.png?company=%s" % self.company.id, body)
        self.assertIn("/my/invoices/%s" % move.id, body)
        # The issuing run again (a cron after the note was issued): no second e-mail.
        self._run()
        move._invoice_paid_hook()
        self._run()
        self.assertEqual(len(self._mails()), 1)

    def test_no_mail_for_a_rejected_note(self):
        self.double.configure(reject=[("E0312", "Código de tributação municipal obrigatório")])
        move = self._pay(self._invoice())
        self._run()
        self.assertEqual(move.nfse_ids.state, "rejected")
        self.assertFalse(self._mails())
