"""The customer's walk to the NFS-e, in headless Chromium: pays a fatura by bank transfer,
staff confirm the receipt, the note is issued against the Sefin Nacional double, and the
customer sees "NFS-e nº …" in Minhas Faturas and on the invoice page and downloads the
DANFSe. Cross-addon (meusite_test_full): the payment is account_payment's form and
meusite_portal's transfer page, the note meusite_nfse's; the tours are in this addon's
static/tests/tours/nfse_tour.js."""

from odoo.tests import tagged

from odoo.addons.meusite_nfse.tests.common import NfseCommon

LOGIN = "nfse_walk"


@tagged("post_install", "-at_install")
class TestNfseWalk(NfseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        cls.walker = cls._customer("Lívia Campos Rocha", "390.533.447-05", LOGIN)
        cls.walker.lang = "pt_BR"
        # start_tour logs in with the login as password.
        cls.walker.user_ids.password = LOGIN

    def staff_confirm_receipt(self, tx):
        """What the financeiro does when the transfer shows in the bank: over XML-RPC."""
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "admin", "admin", {})
        self.assertTrue(uid)
        self.assertTrue(self.xmlrpc_object.execute_kw(
            db, uid, "admin", "payment.transaction", "action_meusite_confirm_receipt", [tx.ids],
        ))
        self.env.invalidate_all()

    def test_customer_pays_then_sees_and_downloads_the_nfse(self):
        move = self._invoice(self.walker)
        self.start_tour("/my/invoices", "meusite_nfse_pay_by_transfer", login=LOGIN)
        tx = move.transaction_ids
        self.assertEqual(tx.state, "pending")
        self.assertFalse(move.nfse_ids, "no note before the money is received")

        self.staff_confirm_receipt(tx)
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        note = move.nfse_ids
        self.assertEqual(note.state, "to_issue")
        # The issuing cron's run, against the double.
        self._run()
        self.assertEqual(note.state, "issued", note.message)
        self.assertEqual(len(self._posts()), 1)

        self.start_tour("/my/invoices", "meusite_nfse_customer_downloads_danfse", login=LOGIN)
        # The number the tour read is this note's.
        self.authenticate(LOGIN, LOGIN)
        self.assertIn("NFS-e nº %s" % note.number, self.url_open(move.get_portal_url()).text)
        # And the customer was told by e-mail, the DANFSe and the XML attached.
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.walker.ids), ("subject", "ilike", "NFS-e nº")]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.attachment_ids, note.pdf_attachment_id | note.xml_attachment_id)
