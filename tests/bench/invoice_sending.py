"""Benchmark of sending the billing run's invoices with their PDF (meusite_portal, issue 16).

The billing run only queues its invoices; Odoo's sending cron then renders each invoice's
PDF with wkhtmltopdf (one invoice per call, see account_move_send.py) and e-mails it. This
creates ``--invoices`` customers with one due service each, runs the billing run, then the
sending cron until nothing is left, and prints the cost per invoice of both: wall clock,
CPU of the Odoo process, CPU of the wkhtmltopdf processes, queries. It also checks every
invoice got a real PDF and one e-mail carrying it. Everything runs in one transaction
rolled back at the end; an Odoo server is started beside it only so that wkhtmltopdf can
fetch the report's style sheets, as it does from the server in production.

    scripts/bench.sh invoice_sending [--invoices 40]
"""

import argparse
import os
import resource
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from benchenv import configure
from moip_webhooks import free_port, wait_for

import odoo
from odoo import SUPERUSER_ID, api

REPO = Path(__file__).resolve().parents[2]
DUE = date(2035, 6, 10)
RUN_DAY = DUE - timedelta(days=5)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(registry, n_invoices, job_count, report_url):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # wkhtmltopdf loads the report's assets from the server started beside us.
        env["ir.config_parameter"].set_param("report.url", report_url)
        product = env["product.product"].create(
            {"name": "Plano Benchmark", "type": "service", "taxes_id": []}
        )
        partners = env["res.partner"].create([
            {"name": f"Cliente Benchmark {i}", "email": f"bench{i}@example.com"}
            for i in range(n_invoices)
        ])
        services = env["meusite.service"].create([{
            "partner_id": partner.id, "product_id": product.id, "price": 158.90,
            "date_start": DUE, "next_due_date": DUE, "state": "active",
        } for partner in partners])
        # Only the bench's invoices are sent (a demo database queues its demo invoices).
        env["account.move"].search([("sending_data", "!=", False)]).sending_data = False
        cr.flush()
        figures = {}

        start, cpu, queries = time.perf_counter(), time.process_time(), cr.sql_log_count
        moves = env["meusite.service"]._meusite_invoice_due_services(
            RUN_DAY, service_ids=services.ids
        )
        cr.flush()
        figures["run"] = (time.perf_counter() - start, time.process_time() - cpu, 0.0,
                          cr.sql_log_count - queries)
        assert len(moves) == n_invoices and all(moves.mapped("is_being_sent"))

        Move = env["account.move"]
        start, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
        queries, calls = cr.sql_log_count, 0
        while Move.search_count([("sending_data", "!=", False)], limit=1) and calls < n_invoices:
            Move._cron_account_move_send(job_count=job_count)
            cr.flush()
            calls += 1
        figures["send"] = (time.perf_counter() - start, time.process_time() - cpu,
                           children_cpu() - child, cr.sql_log_count - queries)
        for move in moves:
            assert move.invoice_pdf_report_id.raw.startswith(b"%PDF-"), move.name
            mail = env["mail.mail"].search(
                [("model", "=", "account.move"), ("res_id", "=", move.id)])
            assert len(mail) == 1 and mail.attachment_ids.raw == move.invoice_pdf_report_id.raw
        cr.rollback()
    return figures, calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--invoices", type=int, default=40)
    parser.add_argument("--job-count", type=int, default=20,
                        help="invoices per call of the sending cron (Odoo's cron: 20)")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen(
        ["bash", str(REPO / "scripts/odoo.sh"), "-d", args.db, f"--http-port={port}",
         f"--gevent-port={free_port()}", "--max-cron-threads=0", "--log-level=warn"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "VENV": os.environ.get("VENV", sys.prefix)},
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/web/login")
        configure(args.db)
        registry = odoo.modules.registry.Registry(args.db)
        figures, calls = measure(registry, args.invoices, args.job_count,
                                 f"http://127.0.0.1:{port}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    n = args.invoices
    for label, (wall, cpu, child, queries) in (
        ("billing run (queues the sending)", figures["run"]),
        (f"sending cron ({calls} calls of {args.job_count}: PDF + e-mail)", figures["send"]),
    ):
        print(f"{label}: {wall:.1f} s for {n} invoices = {1000 * wall / n:.0f} ms/invoice "
              f"(Odoo CPU {1000 * cpu / n:.0f} ms, wkhtmltopdf CPU {1000 * child / n:.0f} ms, "
              f"{queries / n:.1f} queries per invoice)", flush=True)


if __name__ == "__main__":
    main()
