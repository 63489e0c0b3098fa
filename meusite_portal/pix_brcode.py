"""Static PIX "BR Code" (BACEN's EMV QR Code payload), built locally.

The layout follows the "Manual de Padrões para Iniciação do Pix" (BR Code static payload):
TLV fields ``ID(2) LENGTH(2) VALUE`` and a CRC16-CCITT (poly 0x1021, init 0xFFFF) over the
whole payload including the "6304" header of the CRC field.
"""

import binascii
import re
import unicodedata

PIX_GUI = "br.gov.bcb.pix"
MAX_NAME, MAX_CITY, MAX_TXID = 25, 15, 25


def crc16_ccitt(data):
    # binascii's CRC-CCITT (XModem polynomial) seeded with 0xFFFF is BACEN's CRC16.
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def _field(field_id, value):
    if len(value) > 99:
        raise ValueError(f"PIX field {field_id} is too long")
    return f"{field_id}{len(value):02d}{value}"


def _plain(text, size):
    # Banking apps reject accents in name/city: keep ASCII letters, digits and spaces.
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9 .-]", "", ascii_text).strip()[:size].strip()


def txid_from_reference(reference):
    """A txid is at most 25 letters/digits: "INV/2026/00030" becomes "INV202600030"."""
    return re.sub(r"[^A-Za-z0-9]", "", reference or "")[:MAX_TXID] or "***"


def pix_payload(key, merchant_name, merchant_city, amount=None, txid=None):
    """Return the "copia e cola" string of a static PIX charge."""
    if not key:
        raise ValueError("a PIX key is required")
    account = _field("00", PIX_GUI) + _field("01", key.strip())
    payload = (
        _field("00", "01")
        + _field("26", account)
        + _field("52", "0000")
        + _field("53", "986")
        + (_field("54", f"{amount:.2f}") if amount else "")
        + _field("58", "BR")
        + _field("59", _plain(merchant_name, MAX_NAME))
        + _field("60", _plain(merchant_city, MAX_CITY))
        + _field("62", _field("05", txid_from_reference(txid)))
        + "6304"
    )
    return payload + crc16_ccitt(payload)
