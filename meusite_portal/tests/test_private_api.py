"""The Odoo internals of meusite_portal/private_api.py, pinned: if an Odoo upgrade changes
one's signature or behaviour, its test here fails (rather than a customer's page)."""

import inspect
from types import SimpleNamespace

from psycopg2 import errors as pg_errors

from odoo import Command, fields, models
from odoo.api import Cache
from odoo.http import Session
from odoo.sql_db import Cursor, db_connect
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.meusite_portal import private_api


def parameters(function):
    return list(inspect.signature(function).parameters)


@tagged("post_install", "-at_install")
class TestPrivateApi(TransactionCase):
    def test_selection_labels_are_translated(self):
        self.assertEqual(parameters(fields.Selection._description_selection), ["self", "env"])
        Service = self.env["meusite.service"].with_context(lang="pt_BR")
        labels = private_api.selection_labels(Service, "cycle")
        self.assertEqual(set(labels), {"monthly", "quarterly", "semiannual", "annual"})
        self.assertEqual(labels["monthly"], "Mensal")

    def test_grouped_returns_records_and_aggregates(self):
        self.assertEqual(parameters(models.BaseModel._read_group)[:4],
                         ["self", "domain", "groupby", "aggregates"])
        partners = self.env["res.partner"].create([
            {"name": "Empresa Teste", "is_company": True},
            {"name": "Pessoa Um"}, {"name": "Pessoa Dois"},
        ])
        rows = private_api.grouped(
            self.env["res.partner"], [("id", "in", partners.ids)], ["is_company"], ["__count"]
        )
        self.assertEqual(sorted(rows), [(False, 2), (True, 1)])
        rows = private_api.grouped(
            self.env["res.partner"], [("id", "in", partners.ids)], ["parent_id"], ["id:count"]
        )
        self.assertEqual(rows, [(self.env["res.partner"], 3)], "many2one groups are records")

    def test_query_rows_sees_the_pending_writes_it_flushes(self):
        self.assertEqual(parameters(models.BaseModel.flush_model), ["self", "fnames"])
        partner = self.env["res.partner"].create({"name": "Antes"})
        partner.name = "Depois"  # still in the ORM's cache
        query = SQL("SELECT name FROM res_partner WHERE id = %s", partner.id)
        self.assertEqual(
            private_api.query_rows(self.env, query, flush={"res.partner": ["name"]}),
            [("Depois",)],
        )
        self.assertEqual(
            private_api.query_rows(
                self.env, "SELECT id FROM res_partner WHERE id = %s", [partner.id],
                flush={"res.partner": None},
            ),
            [(partner.id,)],
        )

    def test_command_ids_reads_x2many_commands(self):
        Transaction = self.env["payment.transaction"]
        field = Transaction._fields["invoice_ids"]
        self.assertEqual(parameters(type(field).convert_to_cache)[:3],
                         ["self", "value", "record"])
        ids = self.env["account.move"].search([], limit=2, order="id").ids
        self.assertEqual(len(ids), 2, "the demo database has invoices")
        self.assertEqual(
            private_api.command_ids(Transaction, "invoice_ids", [Command.set(ids)]), ids)
        self.assertEqual(
            private_api.command_ids(Transaction, "invoice_ids", [Command.link(ids[1])]),
            ids[1:])
        self.assertEqual(private_api.command_ids(Transaction, "invoice_ids", ids), ids)
        self.assertEqual(private_api.command_ids(Transaction, "invoice_ids", None), [])

    def test_visitor_rate_keys_name_address_and_session(self):
        self.assertIn("sid", Session.__slots__)
        session = Session({}, "d1d2d3d4e5")
        request = SimpleNamespace(
            httprequest=SimpleNamespace(remote_addr="203.0.113.7"), session=session)
        self.assertEqual(private_api.visitor_rate_keys(request),
                         ["ip:203.0.113.7", "session:d1d2d3d4e5"])

    def test_run_sql_flushes_first_and_counts_rows(self):
        self.assertEqual(parameters(Cursor.execute), ["self", "query", "params", "log_exceptions"])
        partners = self.env["res.partner"].create([{"name": "Um"}, {"name": "Dois"}])
        partners.comment = "<p>antes</p>"  # pending in the ORM: must be written first
        touched = private_api.run_sql(
            self.env,
            SQL("UPDATE res_partner SET comment = NULL WHERE id IN %s AND comment IS NOT NULL",
                tuple(partners.ids)),
            flush={"res.partner": ["comment"]},
        )
        self.assertEqual(touched, 2)

    def test_lock_rows_waits_or_refuses_at_once(self):
        company = self.env.ref("base.main_company")  # a committed row
        self.assertEqual(private_api.lock_rows(company, nowait=True), company)
        with db_connect(self.env.cr.dbname).cursor() as other_cr, mute_logger("odoo.sql_db"):
            other = company.with_env(company.env(cr=other_cr))
            with self.assertRaises(pg_errors.LockNotAvailable):
                private_api.lock_rows(other, nowait=True)

    def test_cached_and_set_cached_use_the_record_cache(self):
        self.assertEqual(parameters(Cache.contains), ["self", "record", "field"])
        self.assertEqual(parameters(Cache.update)[:4], ["self", "records", "field", "values"])
        self.assertIsInstance(self.env.cache, Cache)
        partners = self.env["res.partner"].create([{"name": "Um"}, {"name": "Dois"}])
        partners.invalidate_recordset(["comment"])
        self.assertFalse(private_api.cached(partners, "comment"))
        private_api.set_cached(partners, "comment", ["<p>um</p>", False])
        self.assertEqual(private_api.cached(partners, "comment"), partners)
        with self.assertQueryCount(0):
            self.assertEqual([p.comment for p in partners], ["<p>um</p>", False])

    def test_missing_followers_values_skip_who_follows(self):
        Followers = self.env["mail.followers"]
        self.assertEqual(parameters(type(Followers)._add_default_followers)[:4],
                         ["self", "res_model", "res_ids", "partner_ids"])
        self.assertEqual(parameters(type(Followers)._get_subscription_data)[:3],
                         ["self", "doc_data", "pids"])
        one, two = self.env["res.partner"].create([{"name": "Um"}, {"name": "Dois"}])
        records = self.env["res.partner"].create([{"name": "Doc A"}, {"name": "Doc B"}])
        records[0].message_subscribe([one.id])
        values = private_api.missing_followers_values(
            records, lambda record: one if record == records[0] else two, customer_ids=[two.id])
        self.assertEqual([(v["res_id"], v["partner_id"]) for v in values],
                         [(records[1].id, two.id)])
        self.assertTrue(values[0]["subtype_ids"], "the default (public) subtypes")
        Followers.create(values)
        self.assertIn(two, records[1].message_partner_ids)

    def test_wkhtmltopdf_bin_is_odoos(self):
        from odoo.addons.base.models import ir_actions_report  # noqa: PLC0415 - the pin

        self.assertEqual(private_api.wkhtmltopdf_bin(), ir_actions_report._get_wkhtmltopdf_bin())
