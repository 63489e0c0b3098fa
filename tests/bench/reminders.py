"""Benchmark of the daily reminder run (meusite_portal, issue 17).

Creates open posted invoices for many customers, due on the days of the default stages
(5 days ahead, today, 1, 5 and 10 days ago: every invoice gets a notice), runs the daily
reminder run once per size and prints invoices handled per second and SQL queries per
invoice. Sizes: 1,000 invoices of 1,000 customers and 10,000 invoices of 2,000 customers
(the issue's), and 1,000 invoices of 200 customers, the same shape as the 10,000 run
(five invoices per customer), for the ratio at equal shape. Each size runs in its own
transaction, rolled back at the end: the database is unchanged. CPU seconds of the Odoo
process are printed beside wall-clock figures because they do not depend on the
machine's other load.

    PYTHONPATH=/opt/odoo .venv/bin/python tests/bench/reminders.py --db <db>
"""

import argparse
import time
from datetime import date, timedelta

from benchenv import configure

import odoo
from odoo import SUPERUSER_ID, Command, api

RUN_DAY = date(2035, 6, 10)
STAGE_OFFSETS = (-5, 0, 1, 5, 10)  # days after the due date of the default stages
MAINTAINED_TABLES = (
    "account_move", "account_move_line", "res_partner", "mail_mail", "mail_message",
    "meusite_invoice_reminder", "payment_transaction",
)


def setup_odoo(db):
    configure(db)
    return odoo.modules.registry.Registry(db)


def vacuum_analyze(registry):
    # See billing_run.py: fresh demo databases carry stale statistics.
    with registry.cursor() as cr:
        cr._cnx.autocommit = True
        for table in MAINTAINED_TABLES:
            cr.execute(f"VACUUM ANALYZE {table}")  # noqa: S608 - constant names


def run_size(registry, n_invoices, n_customers):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True,
                                                 "mail_create_nolog": True})
        partners = env["res.partner"].create([
            {"name": f"Cliente Lembrete {i}", "email": f"lembrete{i}@example.com",
             "lang": "pt_BR"}
            for i in range(n_customers)
        ])
        moves = env["account.move"].create([
            {
                "move_type": "out_invoice",
                "partner_id": partners[i % n_customers].id,
                "invoice_date": RUN_DAY - timedelta(days=30),
                "invoice_date_due": RUN_DAY - timedelta(
                    days=STAGE_OFFSETS[i % len(STAGE_OFFSETS)]),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [Command.create({
                    "name": "Hospedagem", "quantity": 1, "price_unit": 158.90,
                    "tax_ids": [Command.clear()],
                })],
            }
            for i in range(n_invoices)
        ])
        moves.action_post()
        cr.flush()  # the setup's commit-time work is not the run's
        env.invalidate_all()
        queries_before = cr.sql_log_count
        start, cpu_start = time.perf_counter(), time.process_time()
        # The cron's context (not the setup's shortcuts).
        reminders = env["meusite.invoice.reminder"].with_context(
            tracking_disable=False, mail_create_nolog=False
        )._meusite_send_invoice_reminders(RUN_DAY, move_ids=moves.ids)
        cr.flush()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        queries = cr.sql_log_count - queries_before
        assert len(reminders) == n_invoices, (len(reminders), n_invoices)
        assert len(reminders.mail_id) == n_invoices
        cr.rollback()
    return {"invoices": n_invoices, "customers": n_customers, "seconds": elapsed,
            "cpu": cpu, "queries": queries}


def report(r):
    r["per_invoice_ms"] = 1000 * r["seconds"] / r["invoices"]
    r["cpu_per_invoice_ms"] = 1000 * r["cpu"] / r["invoices"]
    print(
        f"{r['invoices']:>6} invoices of {r['customers']:>5} customers: {r['seconds']:.1f} s, "
        f"{r['invoices'] / r['seconds']:.1f} invoices/s "
        f"(Odoo process CPU {r['cpu']:.1f} s, {r['invoices'] / r['cpu']:.1f} invoices/CPU-s), "
        f"{r['per_invoice_ms']:.1f} ms/invoice, "
        f"{r['queries']} queries ({r['queries'] / r['invoices']:.2f}/invoice)",
        flush=True,
    )


def ratio_line(label, big, small):
    print(f"{label}: {big['per_invoice_ms'] / small['per_invoice_ms']:.2f}x "
          f"(CPU: {big['cpu_per_invoice_ms'] / small['cpu_per_invoice_ms']:.2f}x; "
          f"queries/invoice {big['queries'] / big['invoices']:.2f} vs "
          f"{small['queries'] / small['invoices']:.2f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    registry = setup_odoo(args.db)
    vacuum_analyze(registry)
    small = run_size(registry, 1000, 1000)
    report(small)
    big = run_size(registry, 10000, 2000)
    report(big)
    same = run_size(registry, 1000, 200)
    report(same)
    ratio_line("per-invoice cost ratio 10,000/1,000 invoices", big, small)
    ratio_line("at equal shape (5 invoices per customer), 10,000/1,000", big, same)


if __name__ == "__main__":
    main()
