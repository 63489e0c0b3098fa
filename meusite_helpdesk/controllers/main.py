import re

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class MeusiteHelpdeskTicketController(HelpdeskTicketController):
    """"Abrir Ticket": the department step, the form, the confirmation; and closing."""

    @http.route("/new/ticket", type="http", auth="user", website=True)
    def create_new_ticket(self, team_id=None, **kw):
        departments = request.env["helpdesk.ticket.team"]._meusite_portal_departments()
        team = departments.filtered(lambda t: str(t.id) == str(team_id or ""))
        if not team:
            return request.render(
                "meusite_helpdesk.portal_new_ticket_departments",
                {"departments": departments, "page_name": "new_ticket",
                 "service_id": kw.get("service_id", "")},
            )
        # "Abrir ticket sobre este serviço" arrives with the service preselected.
        return self._meusite_render_form(
            {"team_id": team.id, "service_id": kw.get("service_id", "")}
        )

    def _meusite_customer_services(self):
        # The record rule limits the search to the customer's own services.
        return request.env["meusite.service"].search([("state", "!=", "cancelled")])

    def _meusite_render_form(self, form, error=None):
        user = request.env.user
        Ticket = request.env["helpdesk.ticket"]
        values = {
            "page_name": "new_ticket",
            "name": user.partner_id.name,
            "email": user.partner_id.email,
            "departments": request.env["helpdesk.ticket.team"]._meusite_portal_departments(),
            "services": self._meusite_customer_services(),
            "priorities": list(Ticket._meusite_portal_priority_labels().items()),
            "form": form,
            "error": error,
            "allowed_extensions": Ticket._meusite_allowed_extensions_label(),
        }
        return request.render("meusite_helpdesk.portal_new_ticket_form", values)

    @http.route("/submitted/ticket", type="http", auth="user", website=True, csrf=True,
                methods=["POST"])
    def submit_ticket(self, **kw):
        form = {
            key: kw.get(key, "")
            for key in ("subject", "team_id", "service_id", "priority", "message")
        }
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        try:
            ticket = request.env["helpdesk.ticket"]._meusite_portal_create(
                form, files, kw.get("captcha_token"), kw.get("captcha_answer"),
                vals=self._prepare_submit_ticket_vals(**kw),
            )
        except UserError as error:
            return self._meusite_render_form(form, error=error.args[0])
        return request.render(
            "meusite_helpdesk.portal_new_ticket_sent",
            {"ticket": ticket.sudo(), "page_name": "new_ticket"},
        )

    def _prepare_submit_ticket_vals(self, **kw):
        # helpdesk_mgmt's hook, called with the names its own form posts, so that an OCA
        # module extending it (a category, a project, a tag) applies on our form too. Our
        # department, priority and service are checked and set by the model.
        kw = dict(kw, description=kw.get("message", ""), team=kw.get("team_id"))
        for key in ("team", "category"):
            # The hook's int() would fail on a forged value: "²" passes str.isdigit() but
            # not int(), and an id past PostgreSQL's integer range fails the query.
            if not re.fullmatch(r"[0-9]{1,9}", str(kw.get(key) or "")):
                kw.pop(key, None)
        if kw.get("category") and not request.env["helpdesk.ticket.category"].search_count(
            [("id", "=", int(kw["category"]))], limit=1
        ):
            kw.pop("category")  # a made-up or unreadable id: the hook reads its company
        return super()._prepare_submit_ticket_vals(**kw)

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, **kw):
        # helpdesk_mgmt closes any ticket id it is given; here only a ticket the
        # customer may read, through the model's own check.
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id") or 0))
            stage_id = int(kw.get("stage_id") or 0) or None
            ticket.exists()._meusite_portal_close(stage_id)
        except (AccessError, MissingError, ValueError) as exc:
            raise NotFound() from exc
        return request.redirect(f"/my/ticket/{ticket.id}", code=302)
