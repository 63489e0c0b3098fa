from lxml import etree

from odoo.tests import tagged

from odoo.addons.meusite_nfse.sefin import NS
from odoo.addons.meusite_nfse.tests.common import NfseCommon


@tagged("post_install", "-at_install")
class TestNfseIbsCbs(NfseCommon):
    """The tax reform's IBS/CBS group of the DPS (layout 1.01), a company setting."""

    def _dps_group(self, note):
        """The IBSCBS group of the DPS inside the authorised NFS-e (as the service keeps it)."""
        root = etree.fromstring(note.xml_attachment_id.raw)
        return root.find(".//{%s}DPS/{%s}infDPS/{%s}IBSCBS" % (NS, NS, NS))

    @staticmethod
    def _text(group, path):
        return group.findtext(path.replace("/", "/{%s}" % NS).join(["{%s}" % NS, ""]))

    def test_declared_group_reaches_the_service_and_the_note(self):
        self.company.write(
            {
                "nfse_ibscbs": True,
                "nfse_ibscbs_cst": "000",
                "nfse_ibscbs_cclasstrib": "000001",
                "nfse_ibscbs_cindop": "020101",
            }
        )
        company_customer = self._customer("Empresa Cliente", "11.444.777/0001-61", "nfse_cnpj")
        person = self._pay(self._invoice())
        business = self._pay(self._invoice(company_customer))
        self._run()
        for move, final in ((person, "1"), (business, "0")):
            note = move.nfse_ids
            self.assertEqual(note.state, "issued", note.message)
            group = self._dps_group(note)
            self.assertIsNotNone(group, "the DPS the service authorised carries IBSCBS")
            self.assertEqual(self._text(group, "finNFSe"), "0")
            self.assertEqual(self._text(group, "indFinal"), final, move.partner_id.vat)
            self.assertEqual(self._text(group, "cIndOp"), "020101")
            self.assertEqual(self._text(group, "indDest"), "0")
            self.assertEqual(self._text(group, "valores/trib/gIBSCBS/CST"), "000")
            self.assertEqual(self._text(group, "valores/trib/gIBSCBS/cClassTrib"), "000001")
        self.assertEqual(len(self._posts()), 2)

    def test_not_declared_by_default(self):
        self.assertFalse(self.company.nfse_ibscbs)
        move = self._pay(self._invoice())
        self._run()
        self.assertEqual(move.nfse_ids.state, "issued", move.nfse_ids.message)
        self.assertIsNone(self._dps_group(move.nfse_ids))

    def test_missing_operation_indicator_is_a_clear_rejection_before_sending(self):
        self.company.write({"nfse_ibscbs": True, "nfse_ibscbs_cindop": False})
        move = self._pay(self._invoice())
        self._run()
        note = move.nfse_ids
        self.assertEqual(note.state, "rejected")
        self.assertIn("cIndOp", note.message)
        self.assertIn("IBS/CBS", note.message)
        self.assertFalse(self._posts(), "nothing sent while the data is missing")
        # The accountant fills it in and retries: issued.
        self.company.nfse_ibscbs_cindop = "020101"
        note.action_retry()
        self._run()
        self.assertEqual(note.state, "issued", note.message)
        self.assertIsNotNone(self._dps_group(note))
