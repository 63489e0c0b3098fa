from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account.controllers.portal import PortalAccount


class NfsePortal(PortalAccount):
    @http.route(
        "/my/invoices/<int:invoice_id>/nfse/<string:kind>",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_my_invoice_nfse(self, invoice_id, kind, access_token=None, **kw):
        """The invoice's DANFSe (pdf) or authorised XML (xml), to whoever may see the invoice.

        Access is the invoice's own portal check (owner's session or its access token); the
        note is then read with sudo and only its own two files are served."""
        if kind not in ("pdf", "xml"):
            return request.not_found()
        try:
            invoice = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        note = invoice._nfse_portal_note()
        attachment = note.pdf_attachment_id if kind == "pdf" else note.xml_attachment_id
        if not attachment:
            return request.not_found()
        return request.make_response(
            attachment.raw,
            headers=[
                ("Content-Type", attachment.mimetype),
                ("Content-Disposition", http.content_disposition(attachment.name)),
                ("X-Content-Type-Options", "nosniff"),
            ],
        )
