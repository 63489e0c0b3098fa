from lxml import etree

from odoo.tests import tagged

from odoo.addons.meusite_nfse.sefin import NS
from odoo.addons.meusite_nfse.tests.common import NfseCommon


@tagged("post_install", "-at_install")
class TestNfseCustomerAbroad(NfseCommon):
    """A customer abroad has no CPF/CNPJ: the DPS carries its NIF (or the reason for none)
    and a foreign address, and the note is issued."""

    def _abroad(self, name, vat):
        partner = self.env["res.partner"].create(
            {
                "name": name,
                "email": "abroad@example.com",
                "vat": vat,
                "country_id": self.env.ref("base.pt").id,
                "city": "Lisboa",
                "zip": "1100-148",
                "street": "Rua Augusta 100",
            }
        )
        return partner

    def _toma(self, note):
        root = etree.fromstring(note.xml_attachment_id.raw)
        return root.find(".//{%s}DPS/{%s}infDPS/{%s}toma" % (NS, NS, NS))

    @staticmethod
    def _text(element, path):
        return element.findtext(path.replace("/", "/{%s}" % NS).join(["{%s}" % NS, ""]))

    def test_customer_abroad_with_and_without_a_tax_id_gets_a_note(self):
        with_nif = self._pay(self._invoice(self._abroad("Cliente Lisboa", "PT501964843")))
        without = self._pay(self._invoice(self._abroad("Cliente Sem NIF", False)))
        self._run()
        for move in (with_nif, without):
            self.assertEqual(move.nfse_ids.state, "issued", move.nfse_ids.message)
            toma = self._toma(move.nfse_ids)
            self.assertIsNone(toma.find("{%s}CPF" % NS))
            self.assertIsNone(toma.find("{%s}CNPJ" % NS))
            self.assertEqual(self._text(toma, "end/endExt/cPais"), "PT")
            self.assertEqual(self._text(toma, "end/endExt/cEndPost"), "1100-148")
            self.assertEqual(self._text(toma, "end/endExt/xCidade"), "Lisboa")
            self.assertIsNone(toma.find(".//{%s}endNac" % NS))
            self.assertTrue(move.nfse_ids.pdf_attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(self._text(self._toma(with_nif.nfse_ids), "NIF"), "PT501964843")
        self.assertEqual(self._text(self._toma(without.nfse_ids), "cNaoNIF"), "2")

    def test_customer_abroad_without_an_address_is_a_clear_rejection(self):
        partner = self._abroad("Cliente Incompleto", False)
        partner.write({"zip": False})
        move = self._pay(self._invoice(partner))
        self._run()
        note = move.nfse_ids
        self.assertEqual(note.state, "rejected")
        self.assertIn("Cliente Incompleto", note.message)
        self.assertFalse(self._posts())

    def test_brazilian_customer_still_needs_a_cpf_or_cnpj(self):
        self.customer.vat = False
        move = self._pay(self._invoice())
        self._run()
        self.assertEqual(move.nfse_ids.state, "rejected")
        self.assertIn("CPF/CNPJ", move.nfse_ids.message)
        self.assertFalse(self._posts())
