from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _meusite_ticket_panel(self, limit=5):
        """Open support tickets shown on the panel; meusite_helpdesk fills it in.

        :return: dict(count=int, rows=[dict(date, department, subject, status,
            last_update, url)]) with at most ``limit`` rows.
        """
        self.ensure_one()
        return {"count": 0, "rows": []}

    def _meusite_service_counts(self):
        """Service figures of the panel for this customer (its whole company):
        dict(total, active, domains, domains_active), cancelled services excluded from
        ``total``. One grouped query."""
        self.ensure_one()
        groups = self.env["meusite.service"]._read_group(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("state", "!=", "cancelled"),
            ],
            groupby=["state", "is_domain"],
            aggregates=["__count"],
        )
        counts = {"total": 0, "active": 0, "domains": 0, "domains_active": 0}
        for state, is_domain, count in groups:
            counts["total"] += count
            if state == "active":
                counts["active"] += count
            if is_domain:
                counts["domains"] += count
                if state == "active":
                    counts["domains_active"] += count
        return counts
