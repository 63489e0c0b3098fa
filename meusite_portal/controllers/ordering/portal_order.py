from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ...private_api import selection_labels, visitor_rate_keys
from ..invoices.portal_invoices import MeusitePortalInvoices


class MeusiteOrderPortal(MeusitePortalInvoices):
    """"Contratar": the plans, the review of the chosen one, the order, then its payment.

    The forms carry only ids, the cycle and the domain (and the price shown, to refuse a
    tampered one); the rules live in ``meusite.service._meusite_place_order``."""

    def _meusite_order_values(self, **values):
        Service = request.env["meusite.service"]
        base = self._prepare_portal_layout_values()
        base.update({
            "page_name": "meusite_order",
            "plans": request.env["product.template"]._meusite_orderable_plans(),
            "cycle_labels": selection_labels(Service, "cycle"),
            "order_domain": "",
            "order_plan_id": 0,
            "order_cycle": "",
            "order_error": None,
        })
        base.update(values)
        return base

    @staticmethod
    def _meusite_order_kept(plan_id, cycle, domain):
        """What the customer chose, shown again with a refusal."""
        return {"order_domain": (domain or "").strip()[:253], "order_cycle": cycle,
                "order_plan_id": int(plan_id) if str(plan_id).isdigit() else 0}

    @http.route("/my/order", type="http", auth="user", website=True, sitemap=False)
    def meusite_order_plans(self, domain="", **kw):
        """The plans for sale; ``domain`` comes from the panel's domain check."""
        values = self._meusite_order_values(order_domain=domain.strip()[:253])
        return request.render("meusite_portal.portal_order_plans", values)

    @http.route("/my/order/review", type="http", auth="user", website=True, sitemap=False)
    def meusite_order_review(self, plan_id="", cycle="", domain="", **kw):
        Service = request.env["meusite.service"]
        kept = self._meusite_order_kept(plan_id, cycle, domain)
        try:
            plan, price_line = Service._meusite_order_price_line(plan_id, cycle)
            ascii_domain = False
            if kept["order_domain"]:
                ascii_domain, error = request.env["meusite.domain.check"]._normalize(
                    kept["order_domain"]
                )
                if error:
                    raise UserError(error)
            elif plan.meusite_plan_is_domain:
                raise UserError(
                    request.env._("This plan registers a domain: type the domain to register.")
                )
        except UserError as error:
            values = self._meusite_order_values(order_error=error.args[0], **kept)
            return request.render("meusite_portal.portal_order_plans", values)
        values = self._meusite_order_values(
            plan=plan, price_line=price_line, order_domain=ascii_domain or "",
            order_cycle=cycle, order_plan_id=plan.id,
        )
        return request.render("meusite_portal.portal_order_review", values)

    @http.route("/my/order/confirm", type="http", auth="user", website=True, methods=["POST"],
                sitemap=False)
    def meusite_order_confirm(self, plan_id="", cycle="", domain="", price=None, **kw):
        rate_keys = visitor_rate_keys(request)
        try:
            # Whatever fails after the first write is undone: nothing half-created.
            with request.env.cr.savepoint():
                service = request.env["meusite.service"]._meusite_place_order(
                    request.env.user.partner_id, plan_id, cycle, domain, price, rate_keys
                )
        except UserError as error:
            values = self._meusite_order_values(
                order_error=error.args[0], **self._meusite_order_kept(plan_id, cycle, domain)
            )
            return request.render("meusite_portal.portal_order_plans", values)
        return request.redirect(f"/my/services/{service.id}/pay")

    @http.route("/my/services/<int:service_id>/pay", type="http", auth="user", website=True,
                sitemap=False)
    def meusite_order_pay(self, service_id, **kw):
        """Pay an order's first invoice through the payment page of Minhas Faturas."""
        # search() applies the record rule: another customer's id finds nothing.
        service = request.env["meusite.service"].search([("id", "=", service_id)])
        if not service:
            raise NotFound()
        move = service.sudo().order_move_id
        if service.state != "pending" or not move:
            return request.redirect(f"/my/services/{service.id}")
        return self._meusite_pay_page(move)
