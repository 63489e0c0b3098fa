from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from .portal_services import ServicesPortal

CANCEL_ERROR_KEY = "meusite_service_cancel_error"


class ServiceCancellationPortal(ServicesPortal):
    """"Solicitar cancelamento" and "Desistir do cancelamento" on the service page."""

    @http.route()
    def portal_my_service(self, service_id, **kw):
        response = super().portal_my_service(service_id, **kw)
        response.qcontext["meusite_cancel_error"] = request.session.pop(CANCEL_ERROR_KEY, None)
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
