"""Fields we add to helpdesk_mgmt's models carry our prefix (meusite_portal's
readme/CONTEXT.md, "Field names"): the ticket's ``code``, ``last_activity_date`` and
``service_id``, the department's ``portal_description``, ``assignment_rule`` and
``last_assigned_user_id`` become ``meusite_*``. Renamed before the registry loads (column,
index, foreign key, field records, external ids, the code's unique constraint), so tickets
keep their codes and services, departments their descriptions (with their translations) and
rules (see ``meusite_portal.migration_tools``). ``meusite.service.meusite_cancel_ticket_id``, a
field of our own model, loses the prefix: ``cancel_ticket_id``."""

from odoo.addons.meusite_portal.migration_tools import (
    rename_fields,
    rename_in_mail_templates,
    rename_sql_constraints,
)

RENAMED_FIELDS = [
    ("helpdesk.ticket", "code", "meusite_code", ()),
    ("helpdesk.ticket", "last_activity_date", "meusite_last_activity_date", ()),
    ("helpdesk.ticket", "service_id", "meusite_service_id", ()),
    ("helpdesk.ticket.team", "portal_description", "meusite_portal_description", ()),
    ("helpdesk.ticket.team", "assignment_rule", "meusite_assignment_rule", ()),
    ("helpdesk.ticket.team", "last_assigned_user_id", "meusite_last_assigned_user_id", ()),
    # A field of our own model: no prefix.
    ("meusite.service", "meusite_cancel_ticket_id", "cancel_ticket_id", ()),
]


def migrate(cr, version):
    if not version:
        return
    rename_fields(cr, RENAMED_FIELDS)
    rename_sql_constraints(
        cr, "meusite_helpdesk", [("helpdesk.ticket", "code_unique", "meusite_code_unique")]
    )
    # The "ticket received" e-mail names the code in its subject and body.
    rename_in_mail_templates(
        cr, "meusite_helpdesk", ["mail_template_ticket_received"],
        "object.code", "object.meusite_code",
    )
