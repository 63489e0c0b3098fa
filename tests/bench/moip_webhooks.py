"""Moip webhook load: 1,000 notifications for 300 pending boletos against a running Odoo.

    VENV=/work/main/.venv bash scripts/createdb.sh moip_bench      # a throwaway database
    PYTHONPATH=/opt/odoo /work/main/.venv/bin/python tests/bench/moip_webhooks.py --db moip_bench

It starts the Moip double (its own process) and Odoo (2 workers, 1 cron worker) on free ports,
issues 300 boletos for 300 posted invoices of the demo customer through the real provider code
(the double answers), marks them paid at the double, then POSTs 1,000 signed notifications
(PAYMENT.WAITING/AUTHORIZED/SETTLED, 30% duplicates, shuffled so that late WAITINGs follow
payments) from concurrent clients. Prints notifications/s, latency percentiles, how long
Odoo's post-processing cron (woken by the webhook) took to reconcile the invoices after the
last answer, and whether each invoice was reconciled exactly once.
Targets: >= 100 notifications/s, p95 < 200 ms.

Everything shares the machine's cores, so it also prints what each process spent (CPU ms per
notification: Odoo's web workers, their PostgreSQL backends, the cron worker, the double, this
client) and the SQL queries per notification (from Odoo's request log): figures that other
load on the machine does not distort, unlike the wall-clock ones.
The database keeps the invoices and payments it created: drop it afterwards.
"""

import argparse
import base64
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# The double is the Moip addon's test support; imported as a plain module, without Odoo.
DOUBLE = REPO / "meusite_moip_payment" / "tests" / "doubles" / "moip_double.py"
sys.path.insert(0, str(DOUBLE.parent))

from benchenv import configure  # noqa: E402
from moip_double import DEFAULT_KEY, DEFAULT_TOKEN  # noqa: E402

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, Command, api  # noqa: E402

TOKEN = "b3nch0000000000000000000000000ff"
WEBHOOK_LOG = re.compile(
    r'"POST /payment/moip/webhook HTTP/[\d.]+" (\d+) - (\d+) ([\d.]+) ([\d.]+)'
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def odoo_env(db):
    configure(db)
    registry = odoo.modules.registry.Registry(db)
    return registry, lambda cr: api.Environment(cr, SUPERUSER_ID, {"lang": "pt_BR"})


class DoubleSubprocess:
    """A payment double (a stdlib script with ``--port`` and a ``/_double/config`` page) in
    its own process, so that its CPU is counted apart from the client's; shared by the Moip
    and PagBank benches."""

    def __init__(self, script, *args):
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(script), "--port", str(self.port), *args],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.base_url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 30
        while True:
            try:
                self._request("GET", "/_double/config")
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)

    def _request(self, method, path, body=None, headers=None):
        request = urllib.request.Request(
            self.base_url + path, method=method, headers=headers or {},
            data=json.dumps(body).encode() if body is not None else None,
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return json.loads(response.read())

    def api_calls(self):
        return self._request("GET", "/_double/config")["requests"]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class DoubleProcess(DoubleSubprocess):
    """The Moip double in its own process."""

    def __init__(self):
        super().__init__(DOUBLE)
        self.api_url = self.base_url + "/v2"

    def _get(self, path, headers=None):
        return self._request("GET", path, headers=headers)

    def payment(self, payment_id):
        auth = base64.b64encode(f"{DEFAULT_TOKEN}:{DEFAULT_KEY}".encode()).decode()
        return self._get(f"/v2/payments/{payment_id}", {"Authorization": f"Basic {auth}"})

    def authorize(self, payment_id):
        """The sandbox simulator marks the payment paid (no webhook is registered there)."""
        self._get(f"/simulador/authorize?payment_id={payment_id}")


def prepare(registry, make_env, double, count):
    """Issue `count` boletos through the provider code; the double creates them."""
    with registry.cursor() as cr:
        env = make_env(cr)
        provider = env.ref("meusite_moip_payment.payment_provider_moip")
        provider.write({"state": "test", "moip_api_url": double.api_url,
                        "moip_token": DEFAULT_TOKEN, "moip_key": DEFAULT_KEY,
                        "moip_oauth_token": False,
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


def bodies(double, events):
    """What Moip would send: the payment as it is now, with the event's status in the body."""
    payments = {payment_id: double.payment(payment_id) for _event, payment_id in events}
    result = []
    for event, payment_id in events:
        payment = dict(payments[payment_id], status=event.split(".")[1])
        result.append(json.dumps({
            "date": "2026-11-28T10:00:00-03:00", "env": "sandbox", "event": event,
            "resource": {"payment": payment},
        }).encode())
    return result


def post(port, body, token=TOKEN):
    """One notification on its own connection, as Moip sends them (Odoo answers HTTP/1.0)."""
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.connect()
        # http.client writes headers and body separately: without this, Nagle's algorithm
        # can hold the body back until Odoo acknowledges the headers.
        connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection.request("POST", "/payment/moip/webhook", body=body, headers={
            "Content-Type": "application/json", "Authorization": token})
        response = connection.getresponse()
        response.read()
        status = response.status
    finally:
        connection.close()
    return status, time.perf_counter() - start


class CpuSampler(threading.Thread):
    """CPU time of each process of the bench, sampled often so that none that ends is lost.

    Groups: Odoo's web workers, its cron worker (the one Odoo renices to 10), its websocket
    (gevent) process and main process, the PostgreSQL backends of the database (matched to
    the Odoo process holding the other end of their TCP connection), the Moip double and this
    process (the client).
    """

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, db, server_pid, double_pid, interval=0.2):
        super().__init__(daemon=True)
        self.db, self.server_pid, self.double_pid = db, server_pid, double_pid
        self.interval = interval
        self.seen = {}  # pid -> (group, cpu seconds) at the last sample
        self.backends = {}  # PostgreSQL backend pid -> group of its Odoo client
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.pg = odoo.sql_db.db_connect(db).cursor()
        self.pg._cnx.autocommit = True

    @staticmethod
    def _stat(pid):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            return None
        # fields[0] is field 3 (state): ppid is field 4, utime/stime 14/15, nice 19.
        return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[16])

    def _odoo_processes(self):
        children = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = self._stat(entry)
                if stat:
                    children.setdefault(stat[0], []).append(int(entry))
        groups, queue = {}, [(self.server_pid, 0)]
        while queue:
            pid, depth = queue.pop()
            for child in children.get(pid, []):
                stat = self._stat(child)
                try:
                    with open(f"/proc/{child}/cmdline", "rb") as cmdline:
                        gevent = b"\0gevent\0" in cmdline.read()
                except OSError:
                    gevent = False
                if depth == 0:
                    groups[child] = "odoo main"
                elif gevent:
                    groups[child] = "odoo websocket (gevent)"
                elif stat and stat[2] > 0:
                    groups[child] = "odoo cron worker"
                else:
                    groups[child] = "odoo web workers"
                queue.append((child, depth + 1))
        return groups

    @staticmethod
    def _local_ports(pids):
        """pid -> local TCP ports of its sockets."""
        inode_port = {}
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                with open(table) as lines:
                    next(lines)
                    for line in lines:
                        cols = line.split()
                        inode_port[cols[9]] = int(cols[1].rpartition(":")[2], 16)
            except OSError:
                continue
        ports = {}
        for pid in pids:
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except OSError:
                continue
            for fd in fds:
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:["):
                    port = inode_port.get(target[8:-1])
                    if port:
                        ports.setdefault(port, pid)
        return ports

    def sample(self):
        groups = self._odoo_processes()
        self.pg.execute(
            "SELECT pid, client_port FROM pg_stat_activity WHERE datname = %s", [self.db]
        )
        rows = self.pg.fetchall()
        if any(backend not in self.backends for backend, _port in rows):
            owners = self._local_ports([*groups, os.getpid()])
            for backend, port in rows:
                if backend not in self.backends:
                    owner = owners.get(port)
                    group = groups.get(owner, "this client" if owner else "unknown")
                    self.backends[backend] = "postgres for " + group
        for backend, _port in rows:
            groups[backend] = self.backends[backend]
        groups[self.double_pid] = "moip double"
        groups[os.getpid()] = "bench client"
        with self.lock:
            for pid, group in groups.items():
                stat = self._stat(pid)
                if stat:
                    self.seen[pid] = (group, stat[1] / self.TICK)

    def postgres_sessions(self):
        """Connections ever opened to the "postgres" database (machine-wide): Odoo opens one
        to wake its cron worker, and one per cookie-less request when --db-filter is set."""
        self.pg.execute("SELECT sessions FROM pg_stat_database WHERE datname = 'postgres'")
        return self.pg.fetchone()[0]

    def snapshot(self):
        self.sample()
        with self.lock:
            return dict(self.seen)

    def run(self):
        while not self.stopping.wait(self.interval):
            self.sample()

    def stop(self):
        self.stopping.set()
        self.join()
        self.pg.close()

    @staticmethod
    def spent(before, after):
        """CPU seconds per group between two snapshots (processes born in between count whole)."""
        totals = {}
        for pid, (group, seconds) in after.items():
            base = before.get(pid, (group, 0.0))[1]
            totals[group] = totals.get(group, 0.0) + max(0.0, seconds - base)
        return totals


def print_cpu(title, totals, count, unit):
    print(f"{title} (CPU ms per {unit}, {count} {unit}s):")
    for group in sorted(totals, key=lambda g: -totals[g]):
        print(f"  {group:38s} {1000 * totals[group] / count:7.2f}")
    print(f"  {'total':38s} {1000 * sum(totals.values()) / count:7.2f}")


def webhook_log_figures(path, skip=0):
    """Queries and server-side seconds of each webhook request, from Odoo's werkzeug log."""
    rows = []
    with open(path, errors="replace") as log:
        for line in log:
            match = WEBHOOK_LOG.search(line)
            if match:
                rows.append((int(match[1]), int(match[2]), float(match[3]), float(match[4])))
    return rows[skip:]


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
    parser.add_argument(
        "--db-filter", action="store_true",
        help="also pass --db-filter: Odoo then lists the databases (a new PostgreSQL "
        "connection) on every request that has no session cookie, as Moip's never have",
    )
    parser.add_argument(
        "--reconcile-after-load", action="store_true",
        help="run Odoo without its cron worker and post-process the payments from here once "
        "the notifications are answered: shows what the reconciliation running alongside "
        "costs the webhook (not the deployment the targets are for)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    double = DoubleProcess()
    registry, make_env = odoo_env(args.db)
    t0 = time.perf_counter()
    tx_ids, payment_ids = prepare(registry, make_env, double, args.transactions)
    print(f"prepared {len(tx_ids)} pending boletos in {time.perf_counter() - t0:.1f} s")
    for payment_id in payment_ids:
        double.authorize(payment_id)
    events, duplicate_count = notifications(payment_ids, args.notifications, args.duplicates, rng)
    payloads = bodies(double, events)
    api_calls_before = len(double.api_calls())

    port = free_port()
    log = open(args.odoo_log, "w")  # noqa: SIM115 - closed with the server
    # Only this database is served (-d without --db-filter serves exactly the listed ones).
    server = subprocess.Popen(
        ["bash", str(REPO / "scripts/odoo.sh"), "-d", args.db,
         *([f"--db-filter=^{args.db}$"] if args.db_filter else []),
         f"--http-port={port}", f"--gevent-port={free_port()}", f"--workers={args.workers}",
         f"--max-cron-threads={0 if args.reconcile_after_load else 1}", "--log-level=warn",
         "--log-handler=werkzeug:INFO"],
        stdout=subprocess.DEVNULL, stderr=log,
        start_new_session=True,  # odoo.sh runs Odoo, which forks workers: stop them all
        env={**os.environ, "VENV": os.environ.get("VENV", sys.prefix)},
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/web/login")
        # Warm the workers up with refused (unsigned) notifications: not measured.
        for _warm in range(4 * args.workers):
            post(port, b"{}", token="warm-up")
        log.flush()
        warm_rows = len(webhook_log_figures(args.odoo_log))
        sampler = CpuSampler(args.db, server.pid, double.process.pid)
        sampler.start()
        cpu_start = sampler.snapshot()
        sessions_start = sampler.postgres_sessions()
        start = time.perf_counter()
        with ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda body: post(port, body), payloads))
        wall = time.perf_counter() - start
        cpu_load = sampler.snapshot()
        sessions = sampler.postgres_sessions() - sessions_start
        if args.reconcile_after_load:
            # What the cron worker would do, from here.
            with registry.cursor() as cr:
                make_env(cr)["payment.transaction"]._cron_post_process()
        # The webhook wakes Odoo's post-processing cron, which posts the payments.
        lag = wait_reconciled(registry, make_env, tx_ids, args.reconcile_timeout)
        cpu_end = sampler.snapshot()
        sampler.stop()
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
    print(f"notifications: {count} ({duplicate_count} duplicates) for {len(tx_ids)} "
          f"transactions, {args.concurrency} concurrent clients, {args.workers} Odoo workers, "
          f"at {time.strftime('%H:%M:%S')} (load average {os.getloadavg()[0]:.2f})")
    print(f"HTTP statuses: {statuses}")
    print(f"throughput: {count / wall:.1f} notifications/s (target >= 100)")
    print(f"latency ms: p50 {statistics.median(latencies):.0f}, p95 {p95:.0f} (target < 200), "
          f"max {latencies[-1]:.0f}")
    print(f"Moip API calls (GET /v2/payments/...) made by Odoo: {len(api_calls)}")

    rows = webhook_log_figures(args.odoo_log, warm_rows)
    if rows:
        queries = sum(row[1] for row in rows)
        print(f"SQL queries per notification (Odoo's request log, {len(rows)} requests): "
              f"{queries / len(rows):.1f} (max {max(row[1] for row in rows)})")
    during = CpuSampler.spent(cpu_start, cpu_load)
    print_cpu(f"CPU while notifications were sent ({wall:.1f} s wall, 2 cores = "
              f"{2000 * wall / count:.1f} ms per notification available)",
              during, count, "notification")
    odoo_side = sum(v for g, v in during.items() if g.endswith("web workers"))
    print(f"connections opened to the 'postgres' database meanwhile (machine-wide, about "
          f"6 ms of CPU each, not counted above): {sessions}")
    print(f"Odoo side alone (web workers + their PostgreSQL backends): "
          f"{1000 * odoo_side / count:.2f} ms CPU per notification, i.e. at most "
          f"{2 * count / odoo_side:.0f} notifications/s on 2 cores if nothing else ran")
    print_cpu("CPU of the reconciliation afterwards", CpuSampler.spent(cpu_load, cpu_end),
              len(tx_ids), "transaction")
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
