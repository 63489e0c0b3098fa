from odoo.tests import TransactionCase, tagged
from odoo.tools import sql

from ...migration_tools import rename_fields
from ..common import load_migration


@tagged("post_install", "-at_install")
class TestReferrerMigration(TransactionCase):
    """18.0.1.4.0 named the referrer `referred_by_id`: after the update each customer still
    names who referred them, under `meusite_referred_by_id`, on the same field records (the
    partner's and the user's, with their translated labels). The old schema is made by
    renaming back in this test's transaction; a real update is in the helper's note."""

    def test_referrals_survive_the_rename(self):
        migration = load_migration("18.0.1.5.0", "pre-migrate")
        referrer, referred = self.env["res.partner"].create(
            [{"name": "Quem Indicou"}, {"name": "Indicada"}])
        referred.meusite_referred_by_id = referrer
        self.env.flush_all()
        Data = self.env["ir.model.data"]
        field_ids = [Data._xmlid_to_res_id(f"meusite_portal.field_{m}__meusite_referred_by_id")
                     for m in ("res_partner", "res_users")]
        rename_fields(self.env.cr, [(model, new, old, also) for model, old, new, also
                                    in migration.RENAMED_FIELDS])
        self.env.registry.clear_cache()
        self.assertTrue(sql.column_exists(self.env.cr, "res_partner", "referred_by_id"))

        migration.migrate(self.env.cr, "18.0.1.4.0")
        migration.migrate(self.env.cr, "18.0.1.4.0")  # a second run changes nothing
        self.env.registry.clear_cache()
        self.env.invalidate_all()

        self.assertFalse(sql.column_exists(self.env.cr, "res_partner", "referred_by_id"))
        self.assertEqual(referred.meusite_referred_by_id, referrer)
        self.assertEqual(
            [Data._xmlid_to_res_id(f"meusite_portal.field_{m}__meusite_referred_by_id")
             for m in ("res_partner", "res_users")], field_ids)
        self.assertEqual(
            self.env["ir.model.fields"].browse(field_ids[1]).related,
            "partner_id.meusite_referred_by_id")
        self.assertTrue(sql.index_exists(self.env.cr, "res_partner__meusite_referred_by_id_index"))
