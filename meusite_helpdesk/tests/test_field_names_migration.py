from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, sql

from odoo.addons.meusite_portal.migration_tools import rename_fields, rename_sql_constraints

SCRIPT = "meusite_helpdesk/migrations/18.0.1.1.0/pre-migrate.py"


@tagged("post_install", "-at_install")
class TestFieldNamesMigration(TransactionCase):
    """A database of 18.0.1.0.0 named the ticket's and the department's fields without our
    prefix: after the update the tickets keep their codes, services and dates, the
    departments their descriptions (translated), rules and rotation, and the field records
    their external ids — nothing is dropped and built again empty.

    The old schema is made here by renaming back (in this test's transaction, rolled back);
    the update of a real 18.0.1.0.0 database is in the helper's note (names.md)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migration = load_script(SCRIPT, "meusite_helpdesk_pre_migrate_18_0_1_1_0")
        cls.team = cls.env.ref("meusite_helpdesk.team_suporte")
        cls.user = cls.env.ref("base.user_admin")
        cls.service = cls.env["meusite.service"].search([], limit=1)
        cls.team.with_context(lang="en_US").meusite_portal_description = "Technical support"
        cls.team.update_field_translations(
            "meusite_portal_description", {"pt_BR": "Suporte técnico (traduzido)"})
        cls.ticket = cls.env["helpdesk.ticket"].create({
            "name": "Site fora do ar", "description": "<p>Fora do ar</p>",
            "team_id": cls.team.id, "partner_id": cls.service.partner_id.id,
            "meusite_service_id": cls.service.id,
        })
        cls.ticket.meusite_last_activity_date = "2026-01-02 03:04:05"
        cls.service.cancel_ticket_id = cls.ticket
        # After the ticket: its creation moves the round-robin on.
        cls.team.write({
            "meusite_assignment_rule": "round_robin",
            "meusite_last_assigned_user_id": cls.user.id,
        })
        cls.env.flush_all()
        cls.renames = [(model, new, old, also) for model, old, new, also
                       in cls.migration.RENAMED_FIELDS]

    def ref_id(self, xmlid):
        return self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=False)

    def test_values_field_records_and_constraint_survive_the_rename(self):
        code = self.ticket.meusite_code
        field_ids = {
            name: self.ref_id(f"meusite_helpdesk.field_{model.replace('.', '_')}__{name}")
            for model, name, _old, _also in self.renames
        }
        rule_none = self.ref_id(
            "meusite_helpdesk.selection__helpdesk_ticket_team__meusite_assignment_rule__none")
        self.assertTrue(all(field_ids.values()) and rule_none)
        # 18.0.1.0.0's names.
        rename_fields(self.env.cr, self.renames)
        rename_sql_constraints(
            self.env.cr, "meusite_helpdesk",
            [("helpdesk.ticket", "meusite_code_unique", "code_unique")])
        self.env.registry.clear_cache()
        self.assertTrue(sql.column_exists(self.env.cr, "helpdesk_ticket", "code"))
        self.assertTrue(self.ref_id("meusite_helpdesk.field_helpdesk_ticket__code"))

        self.migration.migrate(self.env.cr, "18.0.1.0.0")
        self.migration.migrate(self.env.cr, "18.0.1.0.0")  # a second run changes nothing
        self.env.registry.clear_cache()
        self.env.invalidate_all()

        for table, old in (("helpdesk_ticket", "code"), ("helpdesk_ticket", "service_id"),
                           ("helpdesk_ticket", "last_activity_date"),
                           ("helpdesk_ticket_team", "portal_description"),
                           ("helpdesk_ticket_team", "assignment_rule"),
                           ("helpdesk_ticket_team", "last_assigned_user_id")):
            self.assertFalse(sql.column_exists(self.env.cr, table, old), old)
        self.assertEqual(
            (self.ticket.meusite_code, self.ticket.meusite_service_id,
             str(self.ticket.meusite_last_activity_date)),
            (code, self.service, "2026-01-02 03:04:05"))
        self.assertEqual(self.service.cancel_ticket_id, self.ticket)
        self.assertFalse(sql.column_exists(
            self.env.cr, "meusite_service", "meusite_cancel_ticket_id"))
        self.assertEqual(
            (self.team.meusite_assignment_rule, self.team.meusite_last_assigned_user_id,
             self.team.with_context(lang="pt_BR").meusite_portal_description),
            ("round_robin", self.user, "Suporte técnico (traduzido)"))
        # The same field records, under their new external ids (their translations with them).
        for model, name, _old, _also in self.renames:
            xmlid = f"meusite_helpdesk.field_{model.replace('.', '_')}__{name}"
            self.assertEqual(self.ref_id(xmlid), field_ids[name], xmlid)
        self.assertEqual(self.ref_id(
            "meusite_helpdesk.selection__helpdesk_ticket_team__meusite_assignment_rule__none"),
            rule_none)
        # The unique code, its index and the service's foreign key under the new names: the
        # update neither drops them nor builds a second copy.
        self.assertIsNotNone(sql.constraint_definition(
            self.env.cr, "helpdesk_ticket", "helpdesk_ticket_meusite_code_unique"))
        self.assertTrue(self.ref_id(
            "meusite_helpdesk.constraint_helpdesk_ticket_meusite_code_unique"))
        self.assertTrue(sql.index_exists(self.env.cr, "helpdesk_ticket__meusite_code_index"))
        self.assertFalse(sql.index_exists(self.env.cr, "helpdesk_ticket__code_index"))
        self.env.cr.execute(SQL(
            "SELECT 1 FROM pg_constraint WHERE conname = %s",
            "helpdesk_ticket_meusite_service_id_fkey"))
        self.assertTrue(self.env.cr.fetchone())

    def test_the_received_mail_names_the_new_field_in_every_language(self):
        template = self.env.ref("meusite_helpdesk.mail_template_ticket_received")
        self.env.cr.execute(SQL(
            """UPDATE mail_template
                  SET subject = replace(subject::text, 'object.meusite_code', 'object.code')::jsonb,
                      body_html = replace(body_html::text, 'object.meusite_code',
                                          'object.code')::jsonb
                WHERE id = %s""", template.id))
        self.migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        for lang in ("en_US", "pt_BR"):
            template = template.with_context(lang=lang)
            self.assertIn("object.meusite_code", template.subject, lang)
            self.assertIn("object.meusite_code", template.body_html, lang)
            self.assertNotIn("object.code", template.body_html, lang)
