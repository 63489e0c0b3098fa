"""Fields we add to helpdesk_mgmt's models carry our prefix (meusite_portal's
readme/CONTEXT.md, "Field names"): the ticket's ``code``, ``last_activity_date`` and
``service_id``, the department's ``portal_description``, ``assignment_rule`` and
``last_assigned_user_id`` become ``meusite_*``. Renamed before the registry loads (column,
index, foreign key, field records, external ids, the code's unique constraint), so tickets
keep their codes and services, departments their descriptions (with their translations) and
rules (see ``meusite_portal.migration_tools``). ``meusite.service.meusite_cancel_ticket_id``, a
field of our own model, loses the prefix: ``cancel_ticket_id``."""

from odoo.tools import SQL

from odoo.addons.meusite_portal.migration_tools import rename_fields, rename_sql_constraints

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
    # The "ticket received" e-mail names the field in its subject and body, in every
    # language (and in whatever staff changed there): without this, a translation the
    # update does not rewrite would render nothing where the code was.
    cr.execute(SQL(
        """UPDATE mail_template
              SET subject = replace(subject::text, 'object.code', 'object.meusite_code')::jsonb,
                  body_html = replace(body_html::text, 'object.code', 'object.meusite_code')::jsonb
            WHERE id IN (SELECT res_id FROM ir_model_data
                          WHERE module = 'meusite_helpdesk' AND model = 'mail.template'
                            AND name = 'mail_template_ticket_received')"""
    ))
