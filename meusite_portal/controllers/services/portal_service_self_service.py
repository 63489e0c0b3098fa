from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal_services import ServicesPortal

CANCEL_ERROR_KEY = "meusite_service_cancel_error"
PLAN_MESSAGE_KEY = "meusite_service_plan_message"


class ServiceSelfServicePortal(ServicesPortal):
    """The service page's self-service: "Solicitar cancelamento" (and withdrawing it),
    "Mudar de plano". Each action is a POST; the model decides, the page shows why not."""

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

    @http.route("/my/services/<int:service_id>/cancel", type="http", auth="user",
                methods=["POST"], website=True)
    def meusite_service_cancel(self, service_id, mode=None, **kw):
        service = self._meusite_own_service(service_id)
        try:
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

    @http.route("/my/services/<int:service_id>/change_plan", type="http", auth="user",
                methods=["POST"], website=True)
    def meusite_service_change_plan(self, service_id, plan_id=None, **kw):
        service = self._meusite_own_service(service_id)
        env = request.env
        try:
            # The plan only: the difference is computed by the server, never read from the form.
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
