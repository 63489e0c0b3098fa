"""Fields we add to models we do not own carry our prefix (readme/CONTEXT.md, "Field
names"): ``res.partner.referred_by_id`` is now ``meusite_referred_by_id``. The column, its
index and foreign key, the field's records and external ids are renamed before the registry
loads, so the referrals are kept (see ``migration_tools.rename_fields``)."""

from odoo.addons.meusite_portal.migration_tools import rename_fields

RENAMED_FIELDS = [
    ("res.partner", "referred_by_id", "meusite_referred_by_id", ("res.users",)),
]


def migrate(cr, version):
    if not version:
        return
    rename_fields(cr, RENAMED_FIELDS)
