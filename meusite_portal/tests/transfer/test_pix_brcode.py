from odoo.tests import BaseCase, tagged

from ...pix_brcode import crc16_ccitt, pix_payload, txid_from_reference

# BACEN, "Manual de Padrões para Iniciação do Pix", static BR Code example (random key,
# "Fulano de Tal", BRASILIA, no amount, txid "***").
BACEN_EXAMPLE = (
    "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000"
    "5204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"
)


def _fields(payload):
    fields, at = {}, 0
    while at < len(payload):
        field_id, size = payload[at:at + 2], int(payload[at + 2:at + 4])
        fields[field_id] = payload[at + 4:at + 4 + size]
        at += 4 + size
    return fields


@tagged("post_install", "-at_install")
class TestPixBrCode(BaseCase):

    def test_bacen_published_example_exactly(self):
        payload = pix_payload("123e4567-e12b-12d1-a456-426655440000", "Fulano de Tal", "BRASILIA")
        self.assertEqual(payload, BACEN_EXAMPLE)

    def test_crc16_ccitt_false_check_value(self):
        self.assertEqual(crc16_ccitt("123456789"), "29B1")

    def test_amount_reference_and_accents(self):
        payload = pix_payload(
            "7d9f0335-8dcc-4054-9bf9-0dbd61c2b7b1",
            "Meu Site Expresso Comunicação Ltda",
            "Belo Horizonte Minas",
            amount=158.9,
            txid="FAT/2026/00002",
        )
        fields = _fields(payload)
        self.assertEqual(fields["54"], "158.90")
        self.assertEqual(fields["59"], "Meu Site Expresso Comunic")  # 25 characters, no accent
        self.assertEqual(fields["60"], "Belo Horizonte")
        self.assertEqual(fields["62"], "0512FAT202600002")
        self.assertEqual(payload[-4:], crc16_ccitt(payload[:-4]))

    def test_txid_keeps_letters_and_digits_only(self):
        self.assertEqual(txid_from_reference("BATCH/2026/00001"), "BATCH202600001")
        self.assertEqual(txid_from_reference(""), "***")
