"""PagBank webhook load: 1,000 signed notifications for 300 waiting orders against a running Odoo.

    createdb -T meusite_tpl pagbank_bench   # or: VENV=... bash scripts/createdb.sh pagbank_bench
    PYTHONPATH=/opt/odoo /work/main/.venv/bin/python tests/bench/pagbank_webhooks.py \
        --db pagbank_bench

It starts the PagBank double (its own process) and Odoo (2 workers, 1 cron worker) on free
ports, creates 300 orders (half PIX QR codes, half boletos) for 300 posted invoices through the
real provider code (the double answers), pays them at the double (without notifying), then POSTs
1,000 notifications signed with x-authenticity-token, as PagBank sends them (the whole order):
per order a stale copy from before the payment (WAITING, no charge for a PIX) and the paid one,
the rest duplicates of the paid ones, shuffled so that stale copies follow payments. Prints
notifications/s, latency percentiles, the GET /orders calls Odoo made, how long the
post-processing cron took to reconcile, and whether each invoice was paid and reconciled
exactly once. Targets: >= 100 notifications/s, p95 < 200 ms.

The functions that build and send the notifications (`signed_notifications`, `post`) are
importable, for tests/bench/two_nodes.py. CPU accounting is moip_webhooks.py's.
The database keeps what it created: drop it afterwards.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOUBLE = REPO / "meusite_pagbank_payment" / "tests" / "doubles" / "pagbank_double.py"
sys.path.insert(0, str(DOUBLE.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from moip_webhooks import (  # noqa: E402
    CpuSampler,
    DoubleSubprocess,
    free_port,
    odoo_env,
    print_cpu,
    wait_for,
    wait_reconciled,
)
from pagbank_double import sign  # noqa: E402

from odoo import Command  # noqa: E402

TOKEN = "B3NCHPAGBANKTOKEN00000000000000000000000"
WEBHOOK = "/payment/pagbank/webhook"


class PagbankDoubleProcess(DoubleSubprocess):
    """The PagBank double in its own process."""

    def __init__(self, token=TOKEN):
        self.token = token
        super().__init__(DOUBLE, "--token", token)
        self.api_url = self.base_url
        # Paid here, notified by the bench: the double must not notify by itself.
        self._call("POST", "/_double/config", {"notify": False})

    def _call(self, method, path, body=None):
        return self._request(method, path, body, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
        })

    def order(self, order_id):
        return self._call("GET", f"/orders/{order_id}")

    def pay(self, order_id):
        self._call("POST", f"/simular/pagar?order_id={order_id}")



def prepare(registry, make_env, api_url, count, token=TOKEN):
    """`count` waiting orders (PIX and boleto alternately) through the provider code."""
    with registry.cursor() as cr:
        env = make_env(cr)
        provider = env.ref("meusite_pagbank_payment.payment_provider_pagbank")
        provider.write({"state": "test", "pagbank_api_url": api_url, "pagbank_token": token,
                        "is_published": True})
        partner = env.ref("meusite_portal.demo_customer")
        partner.write({"vat": "529.982.247-25", "email": "cliente.demo@example.com",
                       "street2": partner.street2 or "Savassi"})
        methods = [env.ref("payment.payment_method_pix"), env.ref("payment.payment_method_boleto")]
        methods[0].active = methods[1].active = True
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
        for index, invoice in enumerate(invoices):
            tx = env["payment.transaction"].create({
                "provider_id": provider.id,
                "payment_method_id": methods[index % 2].id,
                "amount": invoice.amount_residual,
                "currency_id": invoice.currency_id.id,
                "partner_id": partner.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "reference": env["payment.transaction"]._compute_reference(
                    "pagbank", prefix=invoice.name
                ),
                "operation": "online_redirect",
            })
            tx._get_processing_values()
            assert tx.state == "pending", (tx.reference, tx.state, tx.state_message)
            txs |= tx
        cr.commit()
        return txs.ids, txs.mapped("pagbank_order_id")


def stale_copy(order):
    """The order as a delivery sent before its payment would carry it."""
    order = json.loads(json.dumps(order))
    if order.get("qr_codes"):
        order["charges"] = []
    for charge in order.get("charges") or []:
        charge["status"] = "WAITING"
        charge.pop("paid_at", None)
        charge["amount"]["summary"].update(paid=0, refunded=0)
    return order


def signed_notifications(orders, total, rng, token=TOKEN):
    """``total`` (body, signature) pairs for the paid ``orders`` (id -> order as PagBank holds
    it): a stale WAITING copy and the paid order each, then duplicates of the paid ones,
    shuffled. Returns (pairs, number of duplicates)."""
    distinct = []
    for order in orders.values():
        distinct += [stale_copy(order), order]
    paid = list(orders.values())
    duplicates = [rng.choice(paid) for _ in range(max(0, total - len(distinct)))]
    events = distinct + duplicates
    rng.shuffle(events)
    pairs = []
    for order in events:
        body = json.dumps(order).encode()
        pairs.append((body, sign(token, body)))
    return pairs, len(duplicates)


def post(port, body, signature, host="127.0.0.1"):
    """One notification on its own connection; (HTTP status, seconds)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.connect()
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection.request("POST", WEBHOOK, body=body, headers={
            "Content-Type": "application/json", "x-authenticity-token": signature})
        response = connection.getresponse()
        response.read()
        status = response.status
    finally:
        connection.close()
    return status, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--transactions", type=int, default=300)
    parser.add_argument("--notifications", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reconcile-timeout", type=float, default=900)
    parser.add_argument("--odoo-log", default="/tmp/pagbank_webhooks_bench_odoo.log")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    double = PagbankDoubleProcess()
    registry, make_env = odoo_env(args.db)
    t0 = time.perf_counter()
    tx_ids, order_ids = prepare(registry, make_env, double.api_url, args.transactions)
    print(f"prepared {len(tx_ids)} waiting orders (PIX and boleto) in "
          f"{time.perf_counter() - t0:.1f} s")
    for order_id in order_ids:
        double.pay(order_id)
    orders = {order_id: double.order(order_id) for order_id in order_ids}
    payloads, duplicate_count = signed_notifications(orders, args.notifications, rng)
    api_calls_before = len(double.api_calls())

    port = free_port()
    log = open(args.odoo_log, "w")  # noqa: SIM115 - closed with the server
    server = subprocess.Popen(
        ["bash", str(REPO / "scripts/odoo.sh"), "-d", args.db,
         f"--http-port={port}", f"--gevent-port={free_port()}", f"--workers={args.workers}",
         "--max-cron-threads=1", "--log-level=warn", "--log-handler=werkzeug:INFO"],
        stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
        env={**os.environ, "VENV": os.environ.get("VENV", sys.prefix)},
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/web/login")
        # Warm the workers up with refused (badly signed) notifications: not measured.
        for _warm in range(4 * args.workers):
            post(port, b"{}", "0" * 64)
        sampler = CpuSampler(args.db, server.pid, double.process.pid)
        sampler.start()
        cpu_start = sampler.snapshot()
        start = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda pair: post(port, *pair), payloads))
        wall = time.perf_counter() - start
        cpu_load = sampler.snapshot()
        lag = wait_reconciled(registry, make_env, tx_ids, args.reconcile_timeout)
        cpu_end = sampler.snapshot()
        sampler.stop()
        print_cpu("CPU of the reconciliation afterwards", CpuSampler.spent(cpu_load, cpu_end),
                  len(tx_ids), "transaction")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        log.close()
        api_calls = double.api_calls()[api_calls_before:]
        double.stop()

    latencies = sorted(latency * 1000 for _status, latency in results)
    statuses = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    count = len(results)
    print(f"notifications: {count} ({duplicate_count} duplicates, {len(orders)} stale WAITING "
          f"copies) for {len(tx_ids)} orders, {args.concurrency} concurrent clients, "
          f"{args.workers} Odoo workers, at {time.strftime('%H:%M:%S')} "
          f"(load average {os.getloadavg()[0]:.2f})")
    print(f"HTTP statuses: {statuses}")
    print(f"throughput: {count / wall:.1f} notifications/s (target >= 100)")
    print(f"latency ms: p50 {statistics.median(latencies):.0f}, p95 {p95:.0f} (target < 200), "
          f"max {latencies[-1]:.0f}")
    reads = [call for call in api_calls if call[0] == "GET"]
    print(f"PagBank API calls (GET /orders/...) made by Odoo: {len(reads)}")
    during = CpuSampler.spent(cpu_start, cpu_load)
    print_cpu(f"CPU while notifications were sent ({wall:.1f} s wall)", during, count,
              "notification")
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
    ok = (once == paid == done == len(tx_ids) and statuses == {200: count}
          and count / wall >= 100 and p95 < 200)
    print("CHECK", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
