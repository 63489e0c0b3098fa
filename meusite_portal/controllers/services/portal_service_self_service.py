from urllib.parse import quote

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal_services import ServicesPortal

CANCEL_ERROR_KEY = "meusite_service_cancel_error"
PLAN_MESSAGE_KEY = "meusite_service_plan_message"


def difference_text(amount):
    """The plan change's difference as its confirmation form carries it back."""
    return f"{amount:.2f}"


def url_quote(value):
    return quote(str(value or ""), safe="")


class ServiceSelfServicePortal(ServicesPortal):
    """The service page's self-service: "Solicitar cancelamento" (and withdrawing it),
    "Mudar de plano". Each action is first shown on a confirmation page (a GET that
    computes and writes nothing), then done by a POST of what that page showed; the model
    decides, the page shows why not."""

    @http.route()
    def portal_my_service(self, service_id, **kw):
        response = super().portal_my_service(service_id, **kw)
        service = response.qcontext.get("service")
        response.qcontext.update(
            meusite_cancel_error=request.session.pop(CANCEL_ERROR_KEY, None),
            meusite_plan_message=request.session.pop(PLAN_MESSAGE_KEY, None),
            meusite_plan_options=service.sudo()._meusite_plan_change_options() if service else [],
        )
        return response

    def _meusite_own_service(self, service_id):
        # search() applies the record rule: another customer's id finds nothing.
        service = request.env["meusite.service"].search([("id", "=", service_id)])
        if not service:
            raise NotFound()
        # Customers have no write access to services: the model method decides what they
        # may do, as superuser, on their own service only.
        return service.sudo()

    def _meusite_confirm_page(self, service, action, preview=None, error=None, **values):
        """The "look before you leap" page of ``action`` (``cancel``, ``change_plan``):
        what would happen and a button that does it, or why it cannot be done."""
        page = self._prepare_portal_layout_values()
        page.update(self._service_portal_values())
        page.update(values, service=service.with_env(request.env), page_name="service",
                    meusite_action=action, meusite_preview=preview, meusite_error=error)
        return request.render("meusite_portal.portal_my_service_confirm", page)

    @http.route("/my/services/<int:service_id>/cancel/confirm", type="http", auth="user",
                methods=["GET"], website=True, sitemap=False)
    def meusite_service_cancel_confirm(self, service_id, mode=None, **kw):
        """What the cancellation would do (date, nothing credited, invoices still due, no
        next invoice): computed and shown, nothing written."""
        service = self._meusite_own_service(service_id)
        try:
            preview = service.with_context(lang=request.env.lang)._meusite_cancellation_preview(
                mode
            )
        except UserError as error:
            return self._meusite_confirm_page(service, "cancel", error=error.args[0])
        return self._meusite_confirm_page(service, "cancel", preview)

    @http.route("/my/services/<int:service_id>/cancel", type="http", auth="user",
                methods=["POST"], website=True)
    def meusite_service_cancel(self, service_id, mode=None, effective_date=None, **kw):
        service = self._meusite_own_service(service_id)
        try:
            shown = service.with_context(lang=request.env.lang)._meusite_cancellation_preview(
                mode
            )["effective_date"]
            # Acts only on what the confirmation page showed: a post without it, or from a
            # page shown another day, goes back to that page.
            if str(shown) != (effective_date or ""):
                return request.redirect(
                    f"/my/services/{service.id}/cancel/confirm?mode={url_quote(mode)}"
                )
            service.with_context(lang=request.env.lang)._meusite_request_cancellation(mode)
        except UserError as error:
            request.session[CANCEL_ERROR_KEY] = error.args[0]
        return request.redirect(f"/my/services/{service.id}")

    @http.route("/my/services/<int:service_id>/cancel/withdraw", type="http", auth="user",
                methods=["POST"], website=True)
    def meusite_service_cancel_withdraw(self, service_id, **kw):
        service = self._meusite_own_service(service_id)
        try:
            service.with_context(lang=request.env.lang)._meusite_withdraw_cancellation()
        except UserError as error:
            request.session[CANCEL_ERROR_KEY] = error.args[0]
        return request.redirect(f"/my/services/{service.id}")

    @http.route("/my/services/<int:service_id>/change_plan/confirm", type="http",
                auth="user", methods=["GET"], website=True, sitemap=False)
    def meusite_service_change_plan_confirm(self, service_id, plan_id=None, **kw):
        """What the plan change would do (the new price from today, the difference billed
        or credited, the next invoice): computed and shown, nothing written."""
        service = self._meusite_own_service(service_id)
        try:
            preview = service.with_context(lang=request.env.lang)._meusite_plan_change_preview(
                plan_id
            )
        except UserError as error:
            return self._meusite_confirm_page(service, "change_plan", error=error.args[0])
        return self._meusite_confirm_page(service, "change_plan", preview)

    @http.route("/my/services/<int:service_id>/change_plan", type="http", auth="user",
                methods=["POST"], website=True)
    def meusite_service_change_plan(self, service_id, plan_id=None, difference=None, **kw):
        service = self._meusite_own_service(service_id)
        env = request.env
        try:
            preview = service.with_context(lang=env.lang)._meusite_plan_change_preview(plan_id)
            # Bills only the amount the confirmation page showed (a post without it, or
            # after the amount changed, goes back to that page); the amount itself is
            # still the server's, never read from the form.
            if difference_text(preview["difference"]) != (difference or ""):
                return request.redirect(
                    f"/my/services/{service.id}/change_plan/confirm?plan_id={url_quote(plan_id)}"
                )
            move = service.with_context(lang=env.lang)._meusite_change_plan(plan_id)
        except UserError as error:
            request.session[PLAN_MESSAGE_KEY] = {"error": True, "text": error.args[0]}
        else:
            if move.move_type == "out_invoice":
                text = env._("Plan changed. The difference is in invoice %s.", move.name)
            elif move:
                text = env._("Plan changed. The difference was credited (credit note %s):"
                             " it pays what is still open first, then your next invoices.",
                             move.name)
            else:
                text = env._("Plan changed.")
            request.session[PLAN_MESSAGE_KEY] = {
                "error": False, "text": text, "url": move.get_portal_url() if move else False,
            }
        return request.redirect(f"/my/services/{service.id}")
