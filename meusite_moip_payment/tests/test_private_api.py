"""The Odoo internal of meusite_moip_payment/private_api.py, pinned."""

from psycopg2 import errors as pg_errors

from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_moip_payment.private_api import lock_rows


@tagged("post_install", "-at_install")
class TestPrivateApi(TransactionCase):
    def test_lock_rows_makes_a_second_worker_wait(self):
        self.assertEqual(self.env["payment.transaction"]._table, "payment_transaction")
        company = self.env.ref("base.main_company")  # a committed row
        self.assertEqual(lock_rows(company), company)
        with db_connect(self.env.cr.dbname).cursor() as other_cr, \
                mute_logger("odoo.sql_db"), self.assertRaises(pg_errors.LockNotAvailable):
            other_cr.execute("SELECT id FROM res_company WHERE id = %s FOR UPDATE NOWAIT",
                             [company.id])
