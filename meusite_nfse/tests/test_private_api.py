"""The Odoo internals of meusite_nfse/private_api.py, pinned: if an Odoo upgrade changes
one, its test here fails rather than the issuing cron."""

import threading

from odoo.modules import module as odoo_module
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from odoo.addons.meusite_nfse import private_api


@tagged("post_install", "-at_install")
class TestPrivateApi(TransactionCase):
    def test_query_rows_and_run_sql(self):
        company = self.env.company
        self.env.flush_all()
        [(number,)] = private_api.query_rows(self.env, SQL(
            "SELECT nfse_next_number FROM res_company WHERE id = %s FOR UPDATE", company.id))
        self.assertEqual(number, company.nfse_next_number)
        touched = private_api.run_sql(self.env, SQL(
            "UPDATE res_company SET nfse_next_number = %s WHERE id = %s", 41, company.id))
        self.assertEqual(touched, 1)
        company.invalidate_recordset(["nfse_next_number"])
        self.assertEqual(company.nfse_next_number, 41)

    def test_in_test_sees_this_test(self):
        self.assertTrue(hasattr(odoo_module, "current_test"))
        self.assertTrue(private_api.in_test(self.env))
        # What a cron worker sees: no current test, no test mode, no testing thread.
        saved = odoo_module.current_test
        odoo_module.current_test = None
        try:
            self.assertEqual(private_api.in_test(self.env), bool(
                self.env.registry.in_test_mode()
                or getattr(threading.current_thread(), "testing", False)))
        finally:
            odoo_module.current_test = saved
