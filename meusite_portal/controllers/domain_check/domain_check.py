from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ...private_api import visitor_rate_keys
from odoo.addons.portal.controllers.portal import CustomerPortal


class MeusiteDomainCheckPortal(CustomerPortal):
    @http.route("/my/domain/check", type="http", auth="user", website=True, methods=["POST"])
    def meusite_domain_check(self, domain="", captcha_token="", captcha_answer="", **kw):
        """Answer on the panel itself, with the typed name kept in the field."""
        values = {"domain_value": domain}
        try:
            request.env["meusite.captcha"]._check(captcha_token, captcha_answer, "domain")
        except UserError as e:
            values["captcha_error"] = e.args[0]
        else:
            values["domain_result"] = request.env["meusite.domain.check"]._meusite_check(
                domain, visitor_rate_keys(request))
        response = self.home()
        response.qcontext.update(values)
        return response
