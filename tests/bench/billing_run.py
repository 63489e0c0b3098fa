"""Benchmark of the services billing run (meusite_portal, issue 4).

Creates 2,000 customers and 1,000 then 10,000 active services spread over them, runs the
invoicing action once per size and prints invoices/second and the per-invoice cost ratio
(the issue's figures). Each size runs in its own transaction, rolled back at the end: the
database is unchanged.

The issue's two sizes give invoices of different shapes: 1,000 services over 2,000
customers make 1,000 one-line invoices, 10,000 services make 2,000 five-line invoices, so
their per-invoice ratio also measures what four more lines cost. A third run, 1,000
services over 200 customers (200 five-line invoices), is compared with the 10,000 run:
same invoice shape, ten times the volume. That ratio shows whether the cost per invoice
grows with the size of the run (a per-record query storm would); skip it with
``--no-shape-check``. CPU seconds of the Odoo process and queries per invoice are printed
beside wall-clock figures because they do not depend on the machine's other load.

    PYTHONPATH=/opt/odoo .venv/bin/python tests/bench/billing_run.py --db <db>
"""

import argparse
import time
from datetime import date, timedelta
from pathlib import Path

from benchenv import configure

import odoo
from odoo import SUPERUSER_ID, api

REPO = Path(__file__).resolve().parents[2]
CUSTOMERS = 2000
DUE = date(2035, 6, 10)
RUN_DAY = DUE - timedelta(days=5)


def setup_odoo(db):
    configure(db)
    return odoo.modules.registry.Registry(db)


# Fresh demo/test databases had all their demo journal entries deleted (createdb.sh):
# their statistics say "0 rows" over hundreds of dead pages, and the planner then picks
# nested loops that turn account's payment-state query quadratic. Autovacuum fixes that
# on a live database; the benchmark does it explicitly so that it measures our code.
MAINTAINED_TABLES = (
    "account_move", "account_move_line", "account_partial_reconcile", "account_payment",
    "meusite_service", "meusite_service_period", "res_partner", "mail_mail", "mail_message",
)


def vacuum_analyze(registry):
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in MAINTAINED_TABLES:
            cr.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - constant names


def run_size(registry, n_services, n_customers=CUSTOMERS):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True,
                                                 "mail_create_nolog": True})
        product = env["product.product"].create(
            {"name": "Plano Benchmark", "type": "service", "taxes_id": []}
        )
        partners = env["res.partner"].create([
            {"name": f"Cliente Benchmark {i}", "email": f"bench{i}@example.com"}
            for i in range(n_customers)
        ])
        services = env["meusite.service"].create([
            {
                "partner_id": partners[i % n_customers].id, "product_id": product.id,
                "price": 158.90, "date_start": DUE, "next_due_date": DUE, "state": "active",
            }
            for i in range(n_services)
        ])
        cr.flush()  # the setup's commit-time work is not the run's
        env.invalidate_all()
        queries_before = cr.sql_log_count
        start, cpu_start = time.perf_counter(), time.process_time()
        # The cron's context: the setup's shortcuts must not leak into the measured run
        # (Odoo posts an "Invoice Created" message on each invoice and tracks posting).
        moves = env["meusite.service"].with_context(
            tracking_disable=False, mail_create_nolog=False
        )._meusite_invoice_due_services(RUN_DAY, service_ids=services.ids)
        # What the cron's commit would still do (tracking messages and other precommit
        # hooks) is part of the run.
        cr.flush()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        queries = cr.sql_log_count - queries_before
        assert len(moves.invoice_line_ids) == n_services
        cr.rollback()
    return {"services": n_services, "invoices": len(moves), "seconds": elapsed,
            "cpu": cpu, "queries": queries}


def report(r):
    r["per_invoice_ms"] = 1000 * r["seconds"] / r["invoices"]
    r["per_service_ms"] = 1000 * r["seconds"] / r["services"]
    r["cpu_per_invoice_ms"] = 1000 * r["cpu"] / r["invoices"]
    print(
        f"{r['services']:>6} services, {r['invoices']:>5} invoices "
        f"({r['services'] / r['invoices']:.0f} lines/invoice): {r['seconds']:.1f} s "
        f"(Odoo process CPU {r['cpu']:.1f} s, {r['invoices'] / r['cpu']:.1f} invoices/CPU-s), "
        f"{r['invoices'] / r['seconds']:.1f} invoices/s, "
        f"{r['per_invoice_ms']:.1f} ms/invoice, {r['per_service_ms']:.2f} ms/service, "
        f"{r['queries']} queries ({r['queries'] / r['invoices']:.1f}/invoice)",
        flush=True,
    )


def ratio_line(label, big, small):
    print(f"{label}: {big['per_invoice_ms'] / small['per_invoice_ms']:.2f}x "
          f"(CPU: {big['cpu_per_invoice_ms'] / small['cpu_per_invoice_ms']:.2f}x; "
          f"queries/invoice {big['queries'] / big['invoices']:.1f} vs "
          f"{small['queries'] / small['invoices']:.1f}; "
          f"per-service: {big['per_service_ms'] / small['per_service_ms']:.2f}x)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--no-shape-check", action="store_true",
                        help="skip the equal-shape run (1,000 services over 200 customers)")
    args = parser.parse_args()
    registry = setup_odoo(args.db)
    vacuum_analyze(registry)
    results = []
    for n in args.sizes.split(","):
        results.append(run_size(registry, int(n)))
        report(results[-1])
    if len(results) == 2:
        small, big = results
        ratio_line(f"per-invoice cost ratio {big['services']}/{small['services']}", big, small)
        shape = big["services"] // big["invoices"]
        if not args.no_shape_check and shape > 1:
            same = run_size(registry, small["services"], small["services"] // shape)
            report(same)
            ratio_line(
                f"scaling at equal invoice shape ({shape} lines), per-invoice cost ratio "
                f"{big['invoices']}/{same['invoices']} invoices", big, same,
            )


if __name__ == "__main__":
    main()
