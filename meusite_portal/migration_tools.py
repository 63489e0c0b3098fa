"""Helpers for our migration scripts (meusite_portal's and the addons depending on it).

``rename_fields`` does what OpenUpgrade's ``openupgradelib.openupgrade.rename_fields`` does
for the parts our fields use, in plain SQL (openupgradelib is not among our dependencies):
run from a ``pre-migrate`` script, before the registry loads the new field names, it moves
each column with its data and the field's database records, so that Odoo finds the renamed
field where it left the old one instead of creating an empty column and deleting the old
field (and, with it, its translations, selection values and tracking) at the end of the
update. Every step is skipped when already done: running it twice changes nothing.
"""

import logging

from odoo.tools import SQL, sql

_logger = logging.getLogger(__name__)


def _rename_constraint(cr, table, old, new, module=None):
    """Rename a PostgreSQL constraint and its ``ir.model.constraint`` record (and xmlid)."""
    if sql.constraint_definition(cr, table, old) is None or \
            sql.constraint_definition(cr, table, new) is not None:
        return
    cr.execute(SQL(
        "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
        SQL.identifier(table), SQL.identifier(old), SQL.identifier(new),
    ))
    cr.execute(SQL("UPDATE ir_model_constraint SET name = %s WHERE name = %s", new, old))
    if module:
        cr.execute(SQL(
            "UPDATE ir_model_data SET name = %s WHERE module = %s AND name = %s"
            " AND model = 'ir.model.constraint'",
            f"constraint_{new}", module, f"constraint_{old}",
        ))


def rename_fields(cr, renames):
    """Rename stored fields in the database.

    :param renames: ``(model, old_name, new_name, also_models)`` tuples; ``also_models``
        names the models that show the field through ``_inherits`` (``res.users`` for a
        ``res.partner`` field): their field record has no column but the same name.
    """
    for model, old, new, also_models in renames:
        table = model.replace(".", "_")
        if sql.column_exists(cr, table, old) and not sql.column_exists(cr, table, new):
            sql.rename_column(cr, table, old, new)
            _logger.info("Field %s.%s renamed to %s", model, old, new)
        # What Odoo names after the column: its index and its foreign key. Left with the old
        # names, Odoo would build a second index beside the first.
        old_index, new_index = sql.make_index_name(table, old), sql.make_index_name(table, new)
        if sql.index_exists(cr, old_index) and not sql.index_exists(cr, new_index):
            cr.execute(SQL(
                "ALTER INDEX %s RENAME TO %s",
                SQL.identifier(old_index), SQL.identifier(new_index),
            ))
        _rename_constraint(cr, table, f"{table}_{old}_fkey", f"{table}_{new}_fkey")
        # The field's records, then their external ids (field_<model>__<name>, and
        # selection__<model>__<name>__<value> for a selection's values): renamed rather than
        # created again, they keep their translations and what points at them.
        models = (model, *also_models)
        cr.execute(SQL(
            """UPDATE ir_model_fields
                  SET name = %(new)s,
                      related = regexp_replace(related, %(old_tail)s, %(new_tail)s)
                WHERE name = %(old)s AND model IN %(models)s
                  AND NOT EXISTS (SELECT 1 FROM ir_model_fields f2
                                   WHERE f2.model = ir_model_fields.model AND f2.name = %(new)s)
            RETURNING id""",
            new=new, old=old, models=models, old_tail=rf"\m{old}$", new_tail=new,
        ))
        cr.execute(SQL(
            """SELECT id, model FROM ir_model_fields WHERE name = %s AND model IN %s""",
            new, models,
        ))
        for field_id, field_model in cr.fetchall():
            xmodel = field_model.replace(".", "_")
            cr.execute(SQL(
                """UPDATE ir_model_data SET name = %s
                    WHERE model = 'ir.model.fields' AND res_id = %s AND name = %s""",
                f"field_{xmodel}__{new}", field_id, f"field_{xmodel}__{old}",
            ))
            cr.execute(SQL(
                """UPDATE ir_model_data
                      SET name = %s || substr(name, length(%s) + 1)
                    WHERE model = 'ir.model.fields.selection' AND starts_with(name, %s)
                      AND res_id IN (SELECT id FROM ir_model_fields_selection
                                      WHERE field_id = %s)""",
                f"selection__{xmodel}__{new}__", f"selection__{xmodel}__{old}__",
                f"selection__{xmodel}__{old}__", field_id,
            ))


def rename_in_mail_templates(cr, module, template_names, old, new):
    """Replace the expression ``old`` by ``new`` in the subject and body of the module's
    e-mail templates, in every language: the update rewrites the source text, but a
    translation it does not rewrite (or staff's own wording) would keep the old field's
    name and render nothing there."""
    cr.execute(SQL(
        """UPDATE mail_template
              SET subject = replace(subject::text, %(old)s, %(new)s)::jsonb,
                  body_html = replace(body_html::text, %(old)s, %(new)s)::jsonb
            WHERE id IN (SELECT res_id FROM ir_model_data
                          WHERE module = %(module)s AND model = 'mail.template'
                            AND name IN %(names)s)""",
        old=old, new=new, module=module, names=tuple(template_names),
    ))


def rename_in_views(cr, module, renames):
    """Rename fields (``(old, new)`` pairs, whole words) in the stored views of ``module``.

    The update reloads each view from its file, but in file order: a view updated first is
    checked together with the module's views that extend it and still name the old field
    (an extension of the service form in another feature's file), which stops the update.
    Only for names that cannot appear as anything but the field (``meusite_*``)."""
    for old, new in renames:
        cr.execute(SQL(
            """UPDATE ir_ui_view
                  SET arch_db = regexp_replace(arch_db::text, %(old)s, %(new)s, 'g')::jsonb
                WHERE id IN (SELECT res_id FROM ir_model_data
                              WHERE module = %(module)s AND model = 'ir.ui.view')
                  AND arch_db::text ~ %(old)s""",
            old=rf"\m{old}\M", new=new, module=module,
        ))


def rename_sql_constraints(cr, module, renames):
    """Rename ``_sql_constraints`` entries (``(model, old_key, new_key)``): the PostgreSQL
    constraint ``<table>_<key>``, its ``ir.model.constraint`` record and xmlid, so Odoo
    neither drops it at the end of the update nor builds it again."""
    for model, old, new in renames:
        table = model.replace(".", "_")
        _rename_constraint(cr, table, f"{table}_{old}", f"{table}_{new}", module)
