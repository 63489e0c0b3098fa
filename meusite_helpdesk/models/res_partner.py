from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _meusite_ticket_panel(self, limit=5):
        """Open tickets of the customer for the client-area panel (see meusite_portal)."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        domain = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("stage_id.closed", "=", False),
        ]
        count = Ticket.search_count(domain)
        tickets = Ticket.search(domain, order="last_activity_date desc, id desc", limit=limit)
        rows = [
            {
                "date": ticket.create_date,
                "department": ticket.team_id.name or "",
                "subject": ticket.name,
                "status": ticket.stage_id.name,
                "last_update": ticket.last_activity_date or ticket.write_date,
                "url": ticket.access_url,
            }
            # sudo: the search above applied the caller's rules; a ticket may sit in a
            # department hidden from the portal, whose name the customer still sees.
            for ticket in tickets.sudo()
        ]
        return {"count": count, "rows": rows}
