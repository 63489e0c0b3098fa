"""The Odoo internal of meusite_helpdesk/private_api.py, pinned (the grouped and raw SQL
reads it shares with meusite_portal are pinned by meusite_portal's test_private_api)."""

import inspect

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import limited_field_access_token, verify_limited_field_access_token

from odoo.addons.meusite_helpdesk.private_api import attachment_download_token


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
        token = attachment_download_token(attachment)
        self.assertTrue(verify_limited_field_access_token(attachment, "raw", token))
        self.assertFalse(verify_limited_field_access_token(other, "raw", token))
        self.assertFalse(verify_limited_field_access_token(attachment, "datas", token))
