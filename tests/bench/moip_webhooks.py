"""Moip webhook load: 1,000 notifications for 300 pending boletos against a running Odoo.

    VENV=/work/main/.venv bash scripts/createdb.sh moip_bench      # a throwaway database
    PYTHONPATH=/opt/odoo /work/main/.venv/bin/python tests/bench/moip_webhooks.py --db moip_bench

It starts the Moip double in this process and Odoo (2 workers, 1 cron worker) on free ports, issues
300 boletos for 300 posted invoices of the demo customer through the real provider code (the
double answers), marks them paid at the double, then POSTs 1,000 signed notifications
(PAYMENT.WAITING/AUTHORIZED/SETTLED, 30% duplicates, shuffled so that late WAITINGs follow
payments) from concurrent clients. Prints notifications/s, latency percentiles, how long
Odoo's post-processing cron (woken by the webhook) took to reconcile the invoices after the
last answer, and whether each invoice was reconciled exactly once.
Targets: >= 100 notifications/s, p95 < 200 ms.
The database keeps the invoices and payments it created: drop it afterwards.
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "doubles"))

from benchenv import configure  # noqa: E402
from moip_double import MoipDouble  # noqa: E402

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, Command, api  # noqa: E402

TOKEN = "b3nch0000000000000000000000000ff"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_env(db):
    configure(db)
    registry = odoo.modules.registry.Registry(db)
    return registry, lambda cr: api.Environment(cr, SUPERUSER_ID, {"lang": "pt_BR"})


def prepare(registry, make_env, double, count):
    """Issue `count` boletos through the provider code; the double creates them."""
    with registry.cursor() as cr:
        env = make_env(cr)
        provider = env.ref("meusite_moip_payment.payment_provider_moip")
        provider.write({"state": "test", "moip_api_url": double.api_url,
                        "moip_webhook_token": TOKEN, "is_published": True})
        partner = env.ref("meusite_portal.demo_customer")
        boleto = env.ref("payment.payment_method_boleto")
        invoices = env["account.move"].create([{
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "currency_id": env.ref("base.BRL").id,
            "invoice_line_ids": [Command.create({
                "name": "Mensalidade Meu Site Expresso", "quantity": 1,
                "price_unit": 158.90 + index % 7, "tax_ids": [Command.clear()],
            })],
        } for index in range(count)])
        invoices.action_post()
        txs = env["payment.transaction"]
        for invoice in invoices:
            tx = env["payment.transaction"].create({
                "provider_id": provider.id,
                "payment_method_id": boleto.id,
                "amount": invoice.amount_residual,
                "currency_id": invoice.currency_id.id,
                "partner_id": partner.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "reference": env["payment.transaction"]._compute_reference(
                    "moip", prefix=invoice.name
                ),
                "operation": "online_redirect",
            })
            tx._get_processing_values()
            assert tx.state == "pending", (tx.reference, tx.state, tx.state_message)
            txs |= tx
        cr.commit()
        return txs.ids, [(tx.moip_payment_id) for tx in txs]


def notifications(payment_ids, total, duplicate_share, rng):
    distinct = []
    for payment_id in payment_ids:
        distinct += [("PAYMENT.WAITING", payment_id), ("PAYMENT.AUTHORIZED", payment_id)]
    settled = rng.sample(payment_ids, max(0, int(total * (1 - duplicate_share)) - len(distinct)))
    distinct += [("PAYMENT.SETTLED", payment_id) for payment_id in settled]
    duplicates = [rng.choice(distinct) for _ in range(total - len(distinct))]
    events = distinct + duplicates
    rng.shuffle(events)
    return events, len(duplicates)


def post(url, double, event, payment_id):
    with double.state.lock:
        payment = json.loads(json.dumps(double.state.payments[payment_id]))
    payment["status"] = event.split(".")[1]
    body = json.dumps({"date": "2026-11-28T10:00:00-03:00", "env": "sandbox", "event": event,
                       "resource": {"payment": payment}}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": TOKEN})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - start


def wait_reconciled(registry, make_env, tx_ids, timeout):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        with registry.cursor() as cr:
            left = make_env(cr)["payment.transaction"].search_count(
                [("id", "in", tx_ids), ("is_post_processed", "=", False)]
            )
        if not left:
            break
        time.sleep(1)
    return time.perf_counter() - start


def wait_for(url, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"Odoo did not answer on {url}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--transactions", type=int, default=300)
    parser.add_argument("--notifications", type=int, default=1000)
    parser.add_argument("--duplicates", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reconcile-timeout", type=float, default=900)
    parser.add_argument("--odoo-log", default="/tmp/moip_webhooks_bench_odoo.log")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    double = MoipDouble().start()
    registry, make_env = odoo_env(args.db)
    t0 = time.perf_counter()
    tx_ids, payment_ids = prepare(registry, make_env, double, args.transactions)
    print(f"prepared {len(tx_ids)} pending boletos in {time.perf_counter() - t0:.1f} s")
    for payment_id in payment_ids:
        double.set_status(payment_id, "AUTHORIZED")

    port = free_port()
    log = open(args.odoo_log, "w")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        ["bash", str(REPO / "scripts/odoo.sh"), "-d", args.db, f"--db-filter=^{args.db}$",
         f"--http-port={port}", f"--gevent-port={free_port()}", f"--workers={args.workers}",
         "--max-cron-threads=1", "--log-level=warn"],
        stdout=subprocess.DEVNULL, stderr=log,
        start_new_session=True,  # odoo.sh runs Odoo, which forks workers: stop them all
        env={**os.environ, "VENV": os.environ.get("VENV", sys.prefix)},
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/web/login")
        url = f"http://127.0.0.1:{port}/payment/moip/webhook"
        events, duplicate_count = notifications(
            payment_ids, args.notifications, args.duplicates, rng
        )
        start = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda e: post(url, double, *e), events))
        wall = time.perf_counter() - start
        # The webhook wakes Odoo's post-processing cron, which posts the payments.
        lag = wait_reconciled(registry, make_env, tx_ids, args.reconcile_timeout)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
        double.stop()

    latencies = sorted(latency * 1000 for _status, latency in results)
    statuses = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"notifications: {len(results)} ({duplicate_count} duplicates) for {len(tx_ids)} "
          f"transactions, {args.concurrency} concurrent clients, {args.workers} Odoo workers")
    print(f"HTTP statuses: {statuses}")
    print(f"throughput: {len(results) / wall:.1f} notifications/s (target >= 100)")
    print(f"latency ms: p50 {statistics.median(latencies):.0f}, p95 {p95:.0f} (target < 200), "
          f"max {latencies[-1]:.0f}")
    print(f"post-processing cron: all invoices reconciled {lag:.1f} s after the last "
          f"notification was answered")

    with registry.cursor() as cr:
        env = make_env(cr)
        txs = env["payment.transaction"].browse(tx_ids)
        payments = env["account.payment"].search([("payment_transaction_id", "in", tx_ids)])
        per_tx = {tx.id: 0 for tx in txs}
        for payment in payments:
            per_tx[payment.payment_transaction_id.id] += 1
        once = sum(1 for n in per_tx.values() if n == 1)
        paid = sum(1 for tx in txs if tx.invoice_ids.payment_state in ("paid", "in_payment"))
        done = sum(1 for tx in txs if tx.state == "done")
    print(f"transactions done: {done}/{len(tx_ids)}; invoices paid: {paid}/{len(tx_ids)}; "
          f"reconciled exactly once: {once}/{len(tx_ids)}; "
          f"more than once: {sum(1 for n in per_tx.values() if n > 1)}")
    ok = once == paid == done == len(tx_ids)
    print("CHECK", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
