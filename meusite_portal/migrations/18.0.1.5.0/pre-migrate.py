"""One prefix rule for field names (readme/CONTEXT.md, "Field names"): a field we add to a
model we do not own carries ``meusite_`` — ``res.partner.referred_by_id`` is now
``meusite_referred_by_id`` — and a field of our own model none — ``meusite.service``'s order
fields lose theirs. The columns, their indexes and foreign keys, the fields' records and
external ids are renamed before the registry loads, so referrals, orders and their tracking
are kept (see ``migration_tools.rename_fields``)."""

from odoo.addons.meusite_portal.migration_tools import (
    rename_fields,
    rename_in_mail_templates,
    rename_in_views,
)

RENAMED_FIELDS = [
    ("res.partner", "referred_by_id", "meusite_referred_by_id", ("res.users",)),
    ("meusite.service", "meusite_order_move_id", "order_move_id", ()),
    ("meusite.service", "meusite_order_payment_state", "order_payment_state", ()),
    ("meusite.service", "meusite_order_date", "order_date", ()),
    ("meusite.service", "meusite_provisioned", "provisioned", ()),
]


def migrate(cr, version):
    if not version:
        return
    rename_fields(cr, RENAMED_FIELDS)
    rename_in_views(cr, "meusite_portal", [(old, new) for _m, old, new, _a in RENAMED_FIELDS])
    # The "order cancelled" e-mail names the order's invoice.
    rename_in_mail_templates(
        cr, "meusite_portal", ["mail_template_order_cancelled"],
        "object.meusite_order_move_id", "object.order_move_id",
    )
