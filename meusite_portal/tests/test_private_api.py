"""The Odoo internals of meusite_portal/private_api.py, pinned: if an Odoo upgrade changes
one's signature or behaviour, its test here fails (rather than a customer's page)."""

import inspect
from types import SimpleNamespace

from odoo import Command, fields, models
from odoo.http import Session
from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

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
