"""The Odoo internals this addon uses, each behind one named function (the grouped reads
and raw SQL reads go through meusite_portal's, which this addon depends on);
tests/test_private_api.py pins the signature and the behaviour of each.
"""

from odoo.tools.misc import limited_field_access_token

from odoo.addons.meusite_portal.private_api import grouped, query_rows  # noqa: F401


def attachment_download_token(attachment):
    """A signed, expiring token that lets ``/web/content`` serve this attachment's file,
    with nothing stored (a portal customer has no access token of their own to a file).

    Private API: ``odoo.tools.misc.limited_field_access_token(record, field_name)``, the
    token Odoo's own binary routes check with ``verify_limited_field_access_token``.
    """
    return limited_field_access_token(attachment, "raw")
