from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from ..private_api import attachment_download_token
from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.portal.controllers.portal import pager as portal_pager


class MeusiteCustomerPortalHelpdesk(CustomerPortalHelpdesk):
    """"Suporte": the customer's tickets, one ticket's conversation, replies."""

    def _meusite_ticket_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "open": {"label": env._("Open"), "domain": [("stage_id.closed", "=", False)]},
            "closed": {"label": env._("Closed"), "domain": [("stage_id.closed", "=", True)]},
        }

    # helpdesk_mgmt builds one filter per stage inside this route; the client area wants
    # open/closed and a lookup by code, so the route body is ours. Rules still apply:
    # the search runs with the customer's rights.
    @http.route(["/my/tickets", "/my/tickets/page/<int:page>"], type="http", auth="user",
                website=True)
    def portal_my_tickets(self, page=1, filterby=None, search=None, **kw):
        Ticket = request.env["helpdesk.ticket"]
        if not Ticket.has_access("read"):
            return request.redirect("/my")
        filters = self._meusite_ticket_filters()
        if filterby not in filters:
            filterby = "all"
        domain = list(filters[filterby]["domain"])
        search = (search or "").strip()
        if search:
            code = search.lstrip("#").strip()
            domain += ["|", ("meusite_code", "ilike", code), ("name", "ilike", search)]
        count = Ticket.search_count(domain)
        pager = portal_pager(
            url="/my/tickets",
            url_args={"filterby": filterby, "search": search},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        tickets = Ticket.search(
            domain, order="create_date desc, id desc",
            limit=self._items_per_page, offset=pager["offset"],
        )
        request.session["my_tickets_history"] = tickets.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update({
            # sudo: the rows were found with the customer's rights; their department
            # and stage names are shown even when the department is hidden from the form.
            "tickets": tickets.sudo(),
            "page_name": "ticket",
            "default_url": "/my/tickets",
            "pager": pager,
            "searchbar_filters": filters,
            "filterby": filterby,
            "search": search,
        })
        return request.render("meusite_helpdesk.portal_my_tickets", values)

    @http.route(["/my/ticket/<int:ticket_id>"], type="http", auth="public", website=True)
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        # A ticket is a private conversation: only a logged-in customer the record rules
        # let read it may open it; a forwarded access_token is not enough.
        if request.env.user._is_public():
            return request.redirect(f"/web/login?redirect=/my/ticket/{ticket_id}")
        # helpdesk_mgmt's body would write an access token on every attachment of the ticket
        # (internal notes' included) on each GET: the route body is ours, the rules the same.
        try:
            ticket_sudo = self._document_check_access("helpdesk.ticket", ticket_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._ticket_get_page_view_values(ticket_sudo, None, **kw)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # Only the customer's own files and those of messages shown to them, each with a
        # signed, expiring link (nothing stored): staff-only files are not even listed.
        attachments = ticket.attachment_ids - ticket.attachment_ids._meusite_staff_only()
        values.update({
            "meusite_attachments": attachments,
            "meusite_attachment_tokens": {
                attachment.id: attachment_download_token(attachment, request.env.user.partner_id)
                for attachment in attachments
            },
            "reply_error": kwargs.get("reply_error"),
            "reply_message": kwargs.get("reply_message"),
            "allowed_extensions":
                request.env["helpdesk.ticket"]._meusite_allowed_extensions_label(),
        })
        return values

    @http.route(["/my/ticket/<int:ticket_id>/reply"], type="http", auth="user",
                website=True, methods=["POST"])
    def portal_ticket_reply(self, ticket_id, message=None, **kw):
        ticket = request.env["helpdesk.ticket"].browse(ticket_id)
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        try:
            ticket.exists()._meusite_portal_reply(message, files)
        except (AccessError, MissingError, ValueError):
            return request.redirect("/my")
        except UserError as error:
            return self.portal_my_ticket(ticket_id, reply_error=error.args[0],
                                         reply_message=message)
        return request.redirect(f"/my/ticket/{ticket_id}#task_chat")
