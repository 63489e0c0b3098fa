"""The Odoo internal of meusite_helpdesk/private_api.py, pinned (the grouped and raw SQL
reads it shares with meusite_portal are pinned by meusite_portal's test_private_api)."""

import inspect

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import limited_field_access_token, verify_limited_field_access_token

from odoo.addons.meusite_helpdesk.private_api import (
    attachment_download_token,
    attachment_token_partner_id,
)


@tagged("post_install", "-at_install")
class TestPrivateApi(TransactionCase):
    def test_attachment_download_token_opens_that_file_only(self):
        self.assertEqual(list(inspect.signature(limited_field_access_token).parameters)[:2],
                         ["record", "field_name"])
        self.assertEqual(
            list(inspect.signature(verify_limited_field_access_token).parameters),
            ["record", "field_name", "access_token"],
        )
        attachment, other = self.env["ir.attachment"].create([
            {"name": "print.png", "raw": b"x"}, {"name": "outro.png", "raw": b"y"},
        ])
        self.assertEqual(
            list(inspect.signature(limited_field_access_token).parameters),
            ["record", "field_name", "timestamp"],
        )
        partner = self.env.ref("base.partner_admin")
        token = attachment_download_token(attachment, partner)
        self.assertEqual(attachment_token_partner_id(attachment, token), partner.id)
        self.assertIsNone(attachment_token_partner_id(other, token))
        # The partner is signed: another id in the token is refused.
        forged = token.replace(f"o{partner.id}o", f"o{partner.id + 1}o")
        self.assertIsNone(attachment_token_partner_id(attachment, forged))
        # Odoo's own check does not take it (it is not a plain field token).
        self.assertFalse(verify_limited_field_access_token(attachment, "raw", token))
        expired = attachment_download_token(attachment, partner, lifetime=-7200)
        self.assertIsNone(attachment_token_partner_id(attachment, expired))
