from odoo import models

from ..private_api import attachment_token_partner_id


class IrBinary(models.AbstractModel):
    """A link to a file is checked when it is used, not only when it was issued.

    ``/web/content`` and ``/web/image`` serve an attachment to whoever holds a signed token
    (Odoo's ``limited_field_access_token``, 14 to 42 days) without asking anything else: a
    file staff later made internal, or a ticket since given to another customer, stayed
    downloadable through a link issued before, logged in or not. For a customer or a
    visitor, the attachment must still be one they are shown at the moment of the download.
    """

    _inherit = "ir.binary"

    def _find_record(self, xmlid=None, res_model="ir.attachment", res_id=None,
                     access_token=None, field=None):
        if not xmlid and res_model == "ir.attachment" and res_id is not None and access_token:
            attachment = self.env["ir.attachment"].sudo().browse(res_id).exists()
            partner_id = attachment and attachment_token_partner_id(attachment, access_token)
            if partner_id:
                # Our ticket page's link: bound to the customer it was issued to.
                attachment._meusite_check_link(self.env["res.partner"].browse(partner_id))
                return attachment
        record = super()._find_record(xmlid=xmlid, res_model=res_model, res_id=res_id,
                                      access_token=access_token, field=field)
        if record._name == "ir.attachment" and not self.env.user._is_internal():
            record._meusite_check_link()
        return record
