from odoo import models

# What a row of the panel shows, read with the search itself.
PANEL_TICKET_FIELDS = (
    "create_date", "name", "team_id", "stage_id", "meusite_last_activity_date", "write_date",
)


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _meusite_ticket_panel(self, limit=5):
        """Open tickets of the customer for the client-area panel (see meusite_portal):
        the same few queries whatever the number of tickets."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        domain = [
            # Stored on the ticket and indexed (helpdesk.ticket init): the company's
            # contacts' tickets without a search of its contacts (issue #18).
            ("commercial_partner_id", "=", self.commercial_partner_id.id),
            ("stage_id.closed", "=", False),
        ]
        # Two queries: the count, and the rows with their fields (the customer's record
        # rules, computed once per request, applied to both).
        count = Ticket.search_count(domain)
        tickets = Ticket.search_fetch(
            domain, PANEL_TICKET_FIELDS, limit=limit,
            order="meusite_last_activity_date desc, id desc")
        # sudo: the search above applied the caller's rules; a ticket may sit in a
        # department hidden from the portal, whose name the customer still sees. The names
        # of the rows' departments and stages are read in one query each.
        tickets = tickets.sudo()
        rows = [
            {
                "date": ticket.create_date,
                "department": ticket.team_id.name or "",
                "subject": ticket.name,
                "status": ticket.stage_id.name,
                "last_update": ticket.meusite_last_activity_date or ticket.write_date,
                "url": ticket.access_url,
            }
            for ticket in tickets
        ]
        return {"count": count, "rows": rows}
