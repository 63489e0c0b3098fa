from . import helpdesk_ticket_team
