import threading

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestNfseTwoServers(TransactionCase):
    """Two app servers queue the note of one paid invoice at the same moment, on two real
    database connections with committed data (removed afterwards): one note."""

    def setUp(self):
        super().setUp()
        self.db = sql_db.db_connect(self.env.cr.dbname)
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            self.saved = company.read(["nfse_active", "nfse_start_date", "nfse_next_number"])[0]
            company.write({"nfse_active": True, "nfse_start_date": fields.Date.today()})
            partner = env["res.partner"].create({"name": "Clara Concorrente"})
            product = env["product.product"].create({"name": "Plano NFS-e", "type": "service"})
            move = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "price_unit": 158.90,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
            self.ids = (partner.id, product.id, move.id)
            # Other connections must see these rows: that is the point of the test.
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        partner_id, product_id, move_id = self.ids
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["meusite.nfse"].search([("move_id", "=", move_id)]).unlink()
            move = env["account.move"].browse(move_id)
            move.button_draft()
            move.with_context(force_delete=True).unlink()
            env["product.product"].browse(product_id).unlink()
            env["res.partner"].browse(partner_id).unlink()
            env.company.write({k: v for k, v in self.saved.items() if k != "id"})
            cr.commit()  # pylint: disable=invalid-commit

    def _notes(self):
        with self.db.cursor() as cr:
            cr.execute("SELECT count(*) FROM meusite_nfse WHERE move_id = %s", [self.ids[2]])
            return cr.fetchone()[0]

    def test_two_servers_queue_one_invoice_once(self):
        barrier = threading.Barrier(2)
        outcomes = []

        def server():
            with self.db.cursor() as cr:
                # The test's registry, not one looked up by name: Odoo's runner holds the
                # registries' lock while it runs the tests, and this thread would wait on it.
                cr.transaction = api.Transaction(self.registry)
                env = api.Environment(cr, SUPERUSER_ID, {})
                move = env["account.move"].browse(self.ids[2])
                move.company_id.nfse_active  # noqa: B018 - the snapshot starts before the race
                barrier.wait()
                try:
                    outcomes.append(len(env["meusite.nfse"]._enqueue(move)))
                    cr.commit()  # pylint: disable=invalid-commit
                except SerializationFailure:
                    cr.rollback()
                    outcomes.append("retry later")

        with mute_logger("odoo.sql_db"):
            threads = [threading.Thread(target=server) for _i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        # One server queues the note; the other waits on the company row, then finds the
        # row changed since its snapshot (retried later by the cron) or the note there (0).
        self.assertEqual(len(outcomes), 2, outcomes)
        self.assertEqual(outcomes.count(1), 1, outcomes)
        self.assertEqual(self._notes(), 1)
