"""The Odoo internals this addon uses, behind one named function each (it does not depend
on meusite_portal, whose private_api.py has the same two); tests/test_private_api.py pins
them. scripts/lint.sh refuses raw SQL anywhere else in the addon's code.
"""

import threading

from odoo.modules import module as odoo_module


def query_rows(env, query, params=None):
    """The rows of one raw SQL statement (a read, a lock, ``RETURNING``).

    Private API: the cursor and the models' tables and columns (the company's number
    counter under its row lock, the queue's ``FOR UPDATE SKIP LOCKED``: what the ORM cannot
    express). The caller flushes what the statement must see.
    """
    env.cr.execute(query, params)
    return env.cr.fetchall()


def run_sql(env, query, params=None):
    """Run one raw SQL statement that returns no rows; return how many rows it touched.

    Private API: as ``query_rows``.
    """
    env.cr.execute(query, params)
    return env.cr.rowcount


def in_test(env):
    """Whether this code runs inside a test (its transaction is rolled back at the end:
    nothing may commit it).

    Private API: ``odoo.modules.module.current_test`` (what ``account_move_send`` checks
    before committing), the registry's test mode (HttpCase) and the ``testing`` flag of
    the request threads the test server starts.
    """
    return bool(
        odoo_module.current_test
        or env.registry.in_test_mode()
        or getattr(threading.current_thread(), "testing", False)
    )
