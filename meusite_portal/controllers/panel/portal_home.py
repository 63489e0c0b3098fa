from odoo import http
from odoo.http import request

from ..invoices.portal_invoices import PAY_ERROR_KEY
from odoo.addons.portal.controllers.portal import CustomerPortal

PANEL_INVOICE_ROWS = 10
# What the panel's rows show and their status needs, read with the rows.
PANEL_INVOICE_FIELDS = (
    "name", "invoice_date", "invoice_date_due", "amount_total", "amount_residual",
    "currency_id", "state", "payment_state", "move_type", "access_token",
)


class MeusitePortalHome(CustomerPortal):
    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        response.qcontext.update(self._meusite_panel_values())
        return response

    @http.route(["/my/referrals"], type="http", auth="user", website=True)
    def meusite_referrals(self, **kw):
        partner = request.env.user.partner_id.commercial_partner_id
        # Customers may not browse other partners: read only the names of the ones they
        # referred, after restricting the search to them.
        referred = request.env["res.partner"].sudo().search(
            [("meusite_referred_by_id", "=", partner.id)], order="create_date desc", limit=200
        )
        base_url = request.env["ir.config_parameter"].sudo().get_param("web.base.url")
        values = self._prepare_portal_layout_values()
        values.update({
            "page_name": "meusite_referrals",
            "referrals": [{"name": p.name, "date": p.create_date} for p in referred],
            "referral_url": f"{base_url}/web/signup?ref={partner._meusite_get_referral_code()}",
        })
        return request.render("meusite_portal.portal_my_referrals", values)

    def _meusite_invoice_values(self, partner):
        """Unpaid invoices of the panel: a fixed number of queries whatever the history.

        "Total Vencido" is what the customer owes today (``_meusite_owed_today``, the figure
        of Minhas Faturas and "Pagar Todos"), which counts the open invoices too; the first
        rows come with their fields in one more query (the customer's record rules applied)."""
        Move = request.env["account.move"]
        owed = Move._meusite_owed_today(partner)
        moves = Move.search_fetch(
            Move._meusite_open_invoices_domain(partner), PANEL_INVOICE_FIELDS,
            limit=PANEL_INVOICE_ROWS, order="invoice_date_due asc, id asc",
        )
        statuses = moves._meusite_portal_statuses()
        # The rows' dates, amounts and links as Minhas Faturas formats them, once per page.
        cells = moves._meusite_portal_list_cells()
        rows = []
        for move in moves:
            code, label, badge = statuses[move]
            rows.append({"move": move, "status": code, "status_label": label,
                         "status_badge": badge, **cells[move]})
        return {
            "meusite_invoice_count": owed["open_count"],
            "meusite_invoices": rows,
            "meusite_owed": owed,
            "meusite_currency": owed["currency"],
        }

    def _meusite_usual_payment(self, partner):
        """Name of the method of the customer's latest successful payment, or None."""
        tx = request.env["payment.transaction"].sudo().search_fetch(
            [("partner_id.commercial_partner_id", "=", partner.id), ("state", "=", "done")],
            ["provider_id", "payment_method_id"],
            order="last_state_change desc, id desc", limit=1,
        )
        if not tx:
            return None
        method = tx.payment_method_id.name
        provider = tx.provider_id.name
        return f"{provider} ({method})" if method and method != provider else provider

    def _meusite_panel_values(self):
        user_partner = request.env.user.partner_id
        partner = user_partner.commercial_partner_id
        values = {
            "meusite_panel": True,
            "meusite_partner": user_partner,
            "meusite_services": partner._meusite_service_counts(),
            "meusite_tickets": partner._meusite_ticket_panel(limit=5),
            "meusite_referral_count": partner._meusite_referral_count(),
            "meusite_usual_payment": self._meusite_usual_payment(partner),
        }
        values.update(self._meusite_invoice_values(partner))
        # Why "Pagar Selecionados" refused, shown once, with the selection kept.
        error = request.session.pop(PAY_ERROR_KEY, None) or {}
        values.update({
            "meusite_pay_error": error.get("message"),
            "meusite_pay_selected": set(error.get("invoice_ids", [])),
        })
        return values
