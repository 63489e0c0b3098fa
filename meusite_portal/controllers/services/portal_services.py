from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ...private_api import selection_labels
from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

SERVICE_BADGES = {
    "pending": "text-bg-info",
    "active": "text-bg-success",
    "suspended": "text-bg-warning",
    "cancelled": "text-bg-secondary",
}


# A module constant, not CustomerPortal._items_per_page: controller subclasses are
# merged into one class, so overriding that attribute would re-page every portal list.
SERVICES_PER_PAGE = 20


class ServicesPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "service_count" in counters:
            Service = request.env["meusite.service"]
            # The record rule limits the count to the customer's own services.
            values["service_count"] = (
                Service.search_count([]) if Service.has_access("read") else 0
            )
        return values

    def _service_portal_values(self):
        Service = request.env["meusite.service"]
        return {
            "service_badges": SERVICE_BADGES,
            "state_labels": selection_labels(Service, "state"),
            "cycle_labels": selection_labels(Service, "cycle"),
        }

    @http.route(["/my/services", "/my/services/page/<int:page>"], type="http",
                auth="user", website=True)
    def portal_my_services(self, page=1, **kw):
        Service = request.env["meusite.service"]
        count = Service.search_count([])
        pager = portal_pager(url="/my/services", total=count, page=page,
                             step=SERVICES_PER_PAGE)
        services = Service.search([], order="state, next_due_date, id",
                                  limit=SERVICES_PER_PAGE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(self._service_portal_values())
        values.update({"services": services, "pager": pager, "page_name": "services",
                       "default_url": "/my/services"})
        return request.render("meusite_portal.portal_my_services", values)

    @http.route(["/my/services/<int:service_id>"], type="http", auth="user", website=True)
    def portal_my_service(self, service_id, **kw):
        # search() applies the record rule: another customer's id finds nothing.
        service = request.env["meusite.service"].search([("id", "=", service_id)])
        if not service:
            raise NotFound()
        # The periods are staff data; the invoices are then read as the customer.
        move_ids = service.sudo().invoice_ids.ids
        invoices = request.env["account.move"].search(
            [("id", "in", move_ids), ("state", "=", "posted")], order="invoice_date desc, id desc"
        )
        # Why a suspended service is suspended: the unpaid invoice, read as the customer.
        suspension = request.env["account.move"].search(
            [("id", "=", service.sudo().suspension_move_id.id), ("state", "=", "posted")]
        ) if service.state == "suspended" else request.env["account.move"]
        values = self._prepare_portal_layout_values()
        values.update(self._service_portal_values())
        values.update({"service": service, "invoices": invoices, "page_name": "service",
                       "meusite_suspension_invoice": suspension})
        if suspension:
            values["meusite_suspension_owed"] = dict(
                suspension._meusite_owed_amounts(), currency=suspension.currency_id
            )
        return request.render("meusite_portal.portal_my_service", values)
