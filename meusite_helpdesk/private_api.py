"""The Odoo internals this addon uses, each behind one named function (the grouped reads
and raw SQL reads go through meusite_portal's, which this addon depends on);
tests/test_private_api.py pins the signature and the behaviour of each.
"""

import re
import time

from odoo.tools.misc import consteq, limited_field_access_token

from odoo.addons.meusite_portal.private_api import grouped, query_rows  # noqa: F401

# How long a ticket file's link answers: long enough to open a page and download the file
# later that day, short enough that a link forwarded, pasted in a chat or kept in a browser
# history stops working. Each page view issues fresh links (nothing is stored).
LINK_LIFETIME = 24 * 3600
_BOUND_TOKEN = re.compile(r"([0-9a-f]+)o([0-9]{1,12})o(0x[0-9a-f]{1,16})")


def attachment_download_token(attachment, partner, lifetime=LINK_LIFETIME):
    """A signed token that lets ``/web/content`` serve this attachment's file to whoever holds
    it, for ``lifetime`` seconds (rounded up to the hour), while the file is still that
    customer's (``ir.binary._find_record`` checks it on every use). ``partner`` is part of
    the signature: a link issued to one customer is refused once the ticket is another's.

    Private API: ``odoo.tools.misc.limited_field_access_token(record, field_name, timestamp)``,
    the signature Odoo's own binary routes check; the field name carries the partner.
    """
    expiry = hex((int(time.time()) // 3600 + 1) * 3600 + lifetime)
    signature, __ = limited_field_access_token(
        attachment, f"raw:{partner.id}", expiry).rsplit("o", 1)
    return f"{signature}o{partner.id}o{expiry}"


def attachment_token_partner_id(attachment, token):
    """The partner id an ``attachment_download_token`` was issued to, or None when the
    token is not one, is for another file, or has expired."""
    match = _BOUND_TOKEN.fullmatch(token or "")
    if not match:
        return None
    signature, partner_id, expiry = match.groups()
    expected = limited_field_access_token(attachment, f"raw:{partner_id}", expiry)
    if not consteq(f"{signature}o{expiry}", expected) or time.time() >= int(expiry, 16):
        return None
    return int(partner_id)
