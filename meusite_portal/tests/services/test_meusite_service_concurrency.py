import threading
from datetime import date

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestServiceBillingConcurrency(TransactionCase):
    """Two cron workers on two real database connections, with committed data (the test
    transaction is invisible to other connections); everything is removed afterwards."""

    DUE = date(2032, 3, 10)
    RUN = date(2032, 3, 1)

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Carla Concorrente"})
            product = env["product.product"].create(
                {"name": "Plano Concorrência", "type": "service", "taxes_id": []}
            )
            service = env["meusite.service"].create({
                "partner_id": partner.id, "product_id": product.id, "price": 99.0,
                "date_start": self.DUE, "next_due_date": self.DUE, "state": "active",
            })
            self.ids = (partner.id, product.id, service.id)
            # Other connections must see these rows: that is the point of the test.
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        partner_id, product_id, service_id = self.ids
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            moves = env["account.move"].search([("partner_id", "=", partner_id)])
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env["meusite.service"].browse(service_id).unlink()
            env["product.product"].browse(product_id).unlink()
            env["res.partner"].browse(partner_id).unlink()
            # Other connections must see these rows: that is the point of the test.
            cr.commit()  # pylint: disable=invalid-commit

    def _bill(self, cr):
        # The test's registry, not one looked up by name: Odoo's runner holds the registries'
        # lock while it runs the tests, and a worker thread would wait on it until the end.
        cr.transaction = cr.transaction or api.Transaction(self.registry)
        env = api.Environment(cr, SUPERUSER_ID, {})
        return env["meusite.service"]._meusite_invoice_due_services(
            self.RUN, service_ids=[self.ids[2]]
        ).ids

    def _count_periods(self):
        with self.db.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM meusite_service_period WHERE service_id = %s",
                [self.ids[2]],
            )
            return cr.fetchone()[0]

    def test_second_worker_skips_rows_the_first_one_holds(self):
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            self.assertEqual(len(self._bill(cr_a)), 1)  # worker A holds the row lock
            self.assertEqual(self._bill(cr_b), [], "worker B must not wait nor bill")
            cr_a.commit()
            cr_b.commit()
        self.assertEqual(self._count_periods(), 1)

    def test_worker_with_a_stale_snapshot_cannot_bill_again(self):
        with self.db.cursor() as cr_a, self.db.cursor() as cr_b:
            cr_b.execute("SELECT 1")  # B's snapshot predates A's commit
            self.assertEqual(len(self._bill(cr_a)), 1)
            cr_a.commit()
            # Under REPEATABLE READ the locked re-read of a row changed since the
            # snapshot fails: the cron retries later instead of billing twice.
            with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
                self._bill(cr_b)
            cr_b.rollback()
            self.assertEqual(self._bill(cr_b), [])
        self.assertEqual(self._count_periods(), 1)

    def test_two_threads_at_once_bill_once(self):
        barrier = threading.Barrier(2)
        outcomes = []

        def worker():
            with self.db.cursor() as cr:
                barrier.wait()
                try:
                    outcomes.append(len(self._bill(cr)))
                    cr.commit()  # pylint: disable=invalid-commit
                except SerializationFailure:
                    cr.rollback()
                    outcomes.append("retry later")

        with mute_logger("odoo.sql_db"):
            threads = [threading.Thread(target=worker) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        # One worker bills; the other finds the row locked (0) or too new (retry later).
        self.assertEqual(len(outcomes), 2, outcomes)
        self.assertEqual(outcomes.count(1), 1, outcomes)
        self.assertIn(outcomes[1 - outcomes.index(1)], (0, "retry later"), outcomes)
        self.assertEqual(self._count_periods(), 1)
