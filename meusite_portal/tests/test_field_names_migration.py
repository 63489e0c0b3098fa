from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, sql

from ..migration_tools import rename_fields
from .common import load_migration


@tagged("post_install", "-at_install")
class TestFieldNamesMigration(TransactionCase):
    """18.0.1.4.0 named the referrer `referred_by_id` and the order fields of our own
    `meusite.service` `meusite_order_*`/`meusite_provisioned`: after the update each customer
    still names who referred them and each order keeps its invoice, date and provisioning, on
    the same field records (with their translated labels and tracking). The old schema is made
    by renaming back in this test's transaction; a real update is in the helper's note."""

    def test_referrals_and_orders_survive_the_rename(self):
        migration = load_migration("18.0.1.5.0", "pre-migrate")
        referrer, referred = self.env["res.partner"].create(
            [{"name": "Quem Indicou"}, {"name": "Indicada"}])
        referred.meusite_referred_by_id = referrer
        service = self.env["meusite.service"].search([], limit=1)
        invoice = self.env["account.move"].search([("move_type", "=", "out_invoice")], limit=1)
        service.write({"order_move_id": invoice.id, "order_date": "2026-11-30",
                       "provisioned": True})
        template = self.env.ref("meusite_portal.mail_template_order_cancelled")
        self.env.flush_all()
        Data = self.env["ir.model.data"]
        xmlids = [f"meusite_portal.field_{m}__meusite_referred_by_id"
                  for m in ("res_partner", "res_users")] + [
            f"meusite_portal.field_meusite_service__{name}"
            for name in ("order_move_id", "order_payment_state", "order_date", "provisioned")]
        field_ids = [Data._xmlid_to_res_id(xmlid) for xmlid in xmlids]
        rename_fields(self.env.cr, [(model, new, old, also) for model, old, new, also
                                    in migration.RENAMED_FIELDS])
        self.env.cr.execute(SQL(
            """UPDATE mail_template SET body_html = replace(
                   body_html::text, 'object.order_move_id', 'object.meusite_order_move_id')::jsonb
                WHERE id = %s""", template.id))
        self.env.registry.clear_cache()
        self.assertTrue(sql.column_exists(self.env.cr, "res_partner", "referred_by_id"))
        self.assertTrue(sql.column_exists(self.env.cr, "meusite_service", "meusite_provisioned"))

        migration.migrate(self.env.cr, "18.0.1.4.0")
        migration.migrate(self.env.cr, "18.0.1.4.0")  # a second run changes nothing
        self.env.registry.clear_cache()
        self.env.invalidate_all()

        for table, column in (("res_partner", "referred_by_id"),
                              ("meusite_service", "meusite_order_move_id"),
                              ("meusite_service", "meusite_order_date"),
                              ("meusite_service", "meusite_provisioned")):
            self.assertFalse(sql.column_exists(self.env.cr, table, column), column)
        self.assertEqual(referred.meusite_referred_by_id, referrer)
        self.assertEqual(
            (service.order_move_id, str(service.order_date), service.provisioned,
             service.order_payment_state),
            (invoice, "2026-11-30", True, invoice.payment_state))
        self.assertEqual([Data._xmlid_to_res_id(xmlid) for xmlid in xmlids], field_ids)
        self.assertEqual(
            self.env["ir.model.fields"].browse(field_ids[1]).related,
            "partner_id.meusite_referred_by_id")
        self.assertTrue(sql.index_exists(self.env.cr, "res_partner__meusite_referred_by_id_index"))
        self.assertTrue(sql.index_exists(self.env.cr, "meusite_service__order_move_id_index"))
        for lang in ("en_US", "pt_BR"):
            body = template.with_context(lang=lang).body_html
            self.assertIn("object.order_move_id.name", body, lang)
            self.assertNotIn("meusite_order_move_id", body, lang)
