"""The Odoo internals this addon uses, behind one named function each;
tests/test_private_api.py pins them.
"""

from odoo.tools import SQL


def lock_rows(records):
    """Row-lock ``records`` until the end of the transaction (a second worker waits).

    Private API: raw SQL on the model's table (``_table``): the ORM has no
    SELECT ... FOR UPDATE (nothing is read, so nothing needs flushing first).
    """
    records.env.cr.execute(SQL(
        "SELECT id FROM %s WHERE id IN %s FOR UPDATE",
        SQL.identifier(records._table), tuple(records.ids),
    ))
    return records
