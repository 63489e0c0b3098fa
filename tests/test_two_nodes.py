"""Two real Odoo servers on the test database, everything exactly once: the short version of
tests/bench/two_nodes.py, run on every change.

Two `odoo-bin` servers (2 workers each, no cron worker) share the test database and its data
directory. At once: each provider's notifications (FEEDS: Moip's boletos and PagBank's
signed PIX/boleto orders, read back from the PagBank double; each notification sent to
both servers at the same moment), the cron jobs started directly on both (JOBS: the billing
run, and the NFS-e issuing of a few paid faturas against the Sefin Nacional double; through
a server action, so that the cron lock does not keep the second one out: the run's own
guards do), and a customer logged in on the first server paying one invoice from a tab on each. Then
the payments are post-processed and checked: each payment applied
once, each service period billed once, one NFS-e per fatura and one DPS accepted by the
double for each, one live transaction for the two tabs, the session valid on both servers,
no error in the servers' logs.

A plain pytest test, not an addon's test class: it crosses the addons (Moip and PagBank
notifications, the portal's billing and payment page; meusite_moip_payment does not depend on
meusite_portal), and outside servers only see committed rows, which a TransactionCase
rolls back. It commits on its own connection, in the database `make test` gives it
(MEUSITE_TEST_DB), and removes what it created at the end, whatever happened.
"""

import os
import random
import sys
import threading
import xmlrpc.client
from pathlib import Path

import pytest

import odoo
from odoo import SUPERUSER_ID, api

sys.path.insert(0, str(Path(__file__).resolve().parent / "bench"))

from two_nodes import (  # noqa: E402
    FEEDS,
    JOBS,
    Node,
    applied_once,
    customer_two_tabs,
    open_invoice,
    remove_invoices,
    send,
)

BOLETOS = 4  # payments per provider (PagBank: 2 PIX, 2 boletos)
NOTIFICATIONS = 12  # per provider, each sent to both servers at once
SERVICES, CUSTOMERS = 8, 3


class Database:
    """Real connections to the test database (what `registry.cursor()` gives a script)."""

    def __init__(self, name):
        self.name = name
        self.db = odoo.sql_db.db_connect(name)

    def cursor(self):
        return self.db.cursor()


def make_env(cr):
    return api.Environment(cr, SUPERUSER_ID, {"lang": "pt_BR"})


@pytest.fixture
def database():
    return Database(odoo.tools.config["db_name"] or os.environ["MEUSITE_TEST_DB"])


def run_everywhere(nodes, call):
    """``call(node)`` on every node at the same moment; [(node name, result or Fault)]."""
    barrier = threading.Barrier(len(nodes))
    outcomes = []

    def one(node):
        barrier.wait()
        try:
            outcomes.append((node.name, call(node)))
        except xmlrpc.client.Fault as fault:
            outcomes.append((node.name, fault))

    threads = [threading.Thread(target=one, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    return threads, outcomes


def test_two_servers_apply_bill_and_serve_exactly_once(database, tmp_path):
    rng = random.Random(28)
    feeds, jobs, nodes, actions, created = [], [], [], [], {"tx": [], "invoice": None}
    try:
        for feed_class in FEEDS:
            feeds.append(feed_class(database, make_env))
        items = []
        for feed in feeds:
            tx_ids, feed_items, _dups = feed.prepare(BOLETOS, NOTIFICATIONS, 0.3, rng)
            created["tx"] += tx_ids
            # Each notification twice, consecutive: one to each server at the same moment.
            items += [item for item in feed_items for _twice in (1, 2)]
        for job_class in JOBS:
            jobs.append(job_class(database, make_env, SERVICES, CUSTOMERS))
        created["invoice"] = open_invoice(database, make_env)
        with database.cursor() as cr:
            env = make_env(cr)
            for job in jobs:
                actions.append(env["ir.actions.server"].create({
                    "name": f"two servers test: {job.name}",
                    "model_id": env["ir.model"]._get_id(job.MODEL),
                    "state": "code",
                    "code": job.direct_code(),
                }).id)
            transfer_id = env.ref("payment.payment_provider_transfer").id
            wire_id = env.ref("payment_custom.payment_method_wire_transfer").id
            cr.commit()  # pylint: disable=invalid-commit

        # Same data directory: the customer's session (and the filestore) on both. Two
        # workers each, as in production: in threaded mode (--workers=0) Python 3.11's
        # compile() fails now and then under concurrent requests ("AST constructor
        # recursion depth mismatch", a 500 that is no fault of ours).
        data_dir = odoo.tools.config["data_dir"]
        for name in ("a", "b"):
            nodes.append(Node(name, database.name, 2, tmp_path, cron_threads=0,
                              data_dir=data_dir))
        for node in nodes:
            node.ready()
            for _worker in range(2):
                for feed in feeds:
                    feed.warm(node.port)
        node_a, node_b = nodes

        # The race: the jobs on both servers, the notifications, the customer's two tabs.
        runs = [run_everywhere(nodes, lambda node, action_id=action_id: node.rpc(
            "ir.actions.server", "run", [action_id])) for action_id in actions]
        statuses, _wall, _latencies = send([node_a.port, node_b.port], items, 4)
        tabs, problems = customer_two_tabs(node_a, node_b, created["invoice"],
                                           transfer_id, wire_id)
        for threads, _outcomes in runs:
            for thread in threads:
                thread.join(timeout=300)
        # Odoo's post-processing of the payments (what a cron worker would do next).
        with database.cursor() as cr:
            post_cron = make_env(cr).ref("payment.cron_post_process_payment_tx").id
        node_b.rpc("ir.cron", "method_direct_trigger", [post_cron])
        errors = [line for node in nodes for line in node.server_errors()[0]]

        assert statuses == {200: len(items)}, statuses
        with database.cursor() as cr:
            env = make_env(cr)
            summary, once = applied_once(env, created["tx"])
            assert once, summary
            for job, (_threads, outcomes) in zip(jobs, runs, strict=True):
                # Both runs end normally: each bills (issues) what it locked first and skips
                # what the other holds (usually one does everything, the other nothing).
                faults = [f"{name}: {out.faultString[-300:]}" for name, out in outcomes
                          if isinstance(out, xmlrpc.client.Fault)]
                assert not faults, faults
                summary, billed_once = job.check(env)
                assert billed_once, (summary, outcomes)
            live = env["payment.transaction"].search([
                ("invoice_ids", "in", [created["invoice"]]),
                ("state", "not in", ("cancel", "error")),
            ])
            assert len(live) == 1, ("two tabs, one payment expected", tabs)
        assert not problems, (problems, tabs)
        assert not errors, errors
    finally:
        for node in nodes:
            node.stop()
        for feed in feeds:
            feed.stop()
        with database.cursor() as cr:
            env = make_env(cr)
            env["ir.actions.server"].browse(actions).unlink()
            txs = env["payment.transaction"].browse(created["tx"]).exists()
            remove_invoices(env, txs.invoice_ids)
            if created["invoice"]:
                remove_invoices(env, env["account.move"].browse(created["invoice"]))
            for job in jobs:
                job.remove(env)
            for feed in feeds:
                feed.restore(env)
            cr.commit()  # pylint: disable=invalid-commit
