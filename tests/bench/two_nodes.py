"""Two Odoo servers on one database: do the addons hold when Odoo scales out?

    bash scripts/bench.sh two_nodes          # a throwaway demo database, dropped afterwards

Odoo scales by running several servers on one PostgreSQL with a shared data directory
(filestore and sessions) behind a proxy. This starts the Moip double and two Odoo servers
(2 web workers and 1 cron worker each, the same --data-dir) on one database, then:

1. one server alone answers N Moip notifications (30% duplicates, shuffled): the baseline;
2. both servers answer N notifications for other boletos, sent alternately to each, while
   - the services billing is started on both at once (Odoo's cron trigger on each server,
     and each server's cron worker finding the job due),
   - a customer who logged in on server A continues the session on server B, and pays the
     same invoice from two tabs, one on each server;
3. checks the invariants: every boleto's invoice paid and reconciled exactly once, every due
   service period billed once, one live transaction for the invoice paid from two tabs and
   that invoice paid once, no error page or 5xx for the customer.

Prints notifications/s and latency against one and against two servers. On this machine the
two servers share the same 2 cores, so two servers cannot be faster than one here: the run
shows that the addons stay correct when spread over servers, not a speed-up.
"""

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import requests
from moip_webhooks import (
    DoubleProcess,
    bodies,
    free_port,
    notifications,
    odoo_env,
    post,
    prepare,
    wait_for,
    wait_reconciled,
)

from odoo import Command

REPO = Path(__file__).resolve().parents[2]
ADMIN = ("admin", "admin")
CUSTOMER = ("cliente", "cliente")


class Node:
    """One Odoo server of the cluster (its own ports, the shared database and data dir)."""

    def __init__(self, name, db, workers, log_dir):
        self.name, self.db = name, db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"two_nodes_{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["bash", str(REPO / "scripts/odoo.sh"), "-d", db,
             f"--http-port={self.port}", f"--gevent-port={free_port()}",
             f"--workers={workers}", "--max-cron-threads=1", "--log-level=warn",
             "--log-handler=werkzeug:INFO"],
            stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True,
            env={**os.environ, "VENV": os.environ.get("VENV", sys.prefix)},
        )
        wait_for(self.url + "/web/login")

    def rpc(self, model, method, *args, **kwargs):
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.db, ADMIN[0], ADMIN[1], {})
        models = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return models.execute_kw(self.db, uid, ADMIN[1], model, method, list(args), kwargs)

    def server_errors(self):
        """(errors, retried conflicts) in this server's log.

        Two servers updating one row at once make PostgreSQL refuse the second
        ("could not serialize access due to concurrent update"); Odoo logs the query at
        ERROR level, rolls back and runs the request again. Those are counted apart: the
        request then answered normally.
        """
        self.log.flush()
        lines = self.log_path.read_text(errors="replace").splitlines()
        errors, conflicts = [], 0
        for index, line in enumerate(lines):
            if " ERROR " in line or " CRITICAL " in line:
                following = lines[index + 1] if index + 1 < len(lines) else ""
                if "bad query" in line and "could not serialize access" in following:
                    conflicts += 1
                else:
                    errors.append(line)
        return errors, conflicts

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


def send(ports, payloads, concurrency):
    """POST the notifications, the i-th to ports[i % len(ports)]; (statuses, seconds, ms)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(
            lambda item: post(ports[item[0] % len(ports)], item[1]), enumerate(payloads)))
    wall = time.perf_counter() - start
    latencies = sorted(latency * 1000 for _status, latency in results)
    statuses = {}
    for status, _latency in results:
        statuses[status] = statuses.get(status, 0) + 1
    return statuses, wall, latencies


def due_services(registry, make_env, count, customers):
    """`count` active services of `customers` new customers, falling due today."""
    with registry.cursor() as cr:
        env = make_env(cr)
        product = env["product.product"].create(
            {"name": "Plano Dois Servidores", "type": "service", "taxes_id": []})
        partners = env["res.partner"].create([
            {"name": f"Cliente Dois Servidores {i}", "email": f"dois{i}@example.com"}
            for i in range(customers)])
        today = date.today()
        services = env["meusite.service"].create([{
            "partner_id": partners[i % customers].id, "product_id": product.id,
            "price": 158.90, "date_start": today - timedelta(days=30),
            "next_due_date": today, "state": "active",
        } for i in range(count)])
        cr.commit()
        return services.ids


def open_invoice(registry, make_env):
    with registry.cursor() as cr:
        env = make_env(cr)
        invoice = env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": env.ref("meusite_portal.demo_customer").id,
            "invoice_line_ids": [Command.create({
                "name": "Mensalidade Meu Site Expresso", "quantity": 1,
                "price_unit": 158.90, "tax_ids": [Command.clear()]})],
        })
        invoice.action_post()
        cr.commit()
        return invoice.id


def customer_two_tabs(node_a, node_b, invoice_id, transfer_id, wire_method_id):
    """Log in on A, continue on B; then pay one invoice from a tab on each server at once."""
    problems = []
    session = requests.Session()
    page = session.get(node_a.url + "/web/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(node_a.url + "/web/login", data={
        "login": CUSTOMER[0], "password": CUSTOMER[1], "csrf_token": token})
    # The same cookie on the other server: the session lives in the shared data directory.
    on_b = session.get(node_b.url + "/my")
    if on_b.status_code != 200 or "o_meusite_hello" not in on_b.text:
        problems.append(f"session not continued on B: {on_b.status_code} {on_b.url}")

    def tab(node):
        my = session.get(node.url + "/my/invoices").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', my).group(1)
        page = session.post(node.url + "/my/invoices/pay", data={
            "invoice_ids": str(invoice_id), "csrf_token": csrf})
        if page.status_code == 200 and "data-transaction-route" not in page.text:
            # Back on Minhas Faturas with the reason: the other tab's payment came first.
            refusal = re.search(r'o_meusite_pay_error"[^>]*>\s*(.*?)\s*<', page.text, re.S)
            if refusal:
                return f"{node.name}: refused ({refusal.group(1)[:80]})"
        if page.status_code != 200 or "data-transaction-route" not in page.text:
            return f"{node.name}: pay page {page.status_code}"
        route = re.search(r'data-transaction-route="([^"]+)"', page.text).group(1)
        access = re.search(r'data-access-token="([^"]+)"', page.text).group(1)
        reference = re.search(r'data-payment-reference="([^"]*)"', page.text)
        answer = session.post(node.url + route, json={
            "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "provider_id": transfer_id, "payment_method_id": wire_method_id,
                "token_id": None, "amount": None, "flow": "direct",
                "tokenization_requested": False, "landing_route": "/my/invoices",
                "is_validation": False, "access_token": access,
                "payment_reference": reference and reference.group(1),
            }}).json()
        if "error" in answer:
            # A clear refusal of the second tab is expected; a server error is not.
            message = answer["error"].get("data", {}).get("message", "")
            if answer["error"].get("data", {}).get("name", "").endswith(
                    ("UserError", "ValidationError")):
                return f"{node.name}: refused ({message[:80]})"
            return f"{node.name}: SERVER ERROR {message[:120]}"
        reference = answer["result"].get("reference")
        # The payment form then posts its redirect form: the transfer awaits the deposit.
        processed = session.post(node.url + "/payment/custom/process",
                                 data={"reference": reference})
        if processed.status_code >= 500:
            return f"{node.name}: SERVER ERROR on /payment/custom/process"
        return f"{node.name}: transaction {reference}"

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(tab, (node_a, node_b)))
    problems += [o for o in outcomes if "SERVER ERROR" in o or "pay page" in o]
    return outcomes, problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--transactions", type=int, default=150,
                        help="boletos per phase (one server, then two)")
    parser.add_argument("--notifications", type=int, default=500, help="per phase")
    parser.add_argument("--duplicates", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="web workers per server")
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-dir", default="/tmp")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    double = DoubleProcess()
    registry, make_env = odoo_env(args.db)
    tx_one, pay_one = prepare(registry, make_env, double, args.transactions)
    tx_two, pay_two = prepare(registry, make_env, double, args.transactions)
    for payment_id in pay_one + pay_two:
        double.authorize(payment_id)
    events_one, dup_one = notifications(pay_one, args.notifications, args.duplicates, rng)
    events_two, dup_two = notifications(pay_two, args.notifications, args.duplicates, rng)
    bodies_one, bodies_two = bodies(double, events_one), bodies(double, events_two)
    service_ids = due_services(registry, make_env, args.services, args.services // 5)
    invoice_id = open_invoice(registry, make_env)
    with registry.cursor() as cr:
        env = make_env(cr)
        transfer = env.ref("payment.payment_provider_transfer")
        wire = env.ref("payment_custom.payment_method_wire_transfer")
        transfer_id, wire_id = transfer.id, wire.id
        billing_cron = env.ref("meusite_portal.ir_cron_service_invoicing").id
    print(f"prepared {2 * args.transactions} boletos, {args.services} due services, "
          f"1 invoice for the two tabs")

    nodes = []
    try:
        node_a = Node("a", args.db, args.workers, args.log_dir)
        nodes.append(node_a)
        for _warm in range(4 * args.workers):
            post(node_a.port, b"{}", token="warm-up")
        one = send([node_a.port], bodies_one, args.concurrency)
        wait_reconciled(registry, make_env, tx_one, 900)

        node_b = Node("b", args.db, args.workers, args.log_dir)
        nodes.append(node_b)
        for _warm in range(4 * args.workers):
            post(node_b.port, b"{}", token="warm-up")
        # The billing run is due on both servers' cron workers, and triggered on both.
        with registry.cursor() as cr:
            make_env(cr)["ir.cron"].browse(billing_cron).write(
                {"nextcall": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(0))})
            cr.commit()
        triggers = []

        def trigger(node):
            try:
                node.rpc("ir.cron", "method_direct_trigger", [billing_cron])
                triggers.append(f"{node.name}: ran")
            except xmlrpc.client.Fault as fault:
                # Odoo's cron lock: "being executed" by the other server is the expected no.
                triggers.append(f"{node.name}: {fault.faultString.splitlines()[-1][:90]}")

        threads = [threading.Thread(target=trigger, args=(n,)) for n in (node_a, node_b)]
        for thread in threads:
            thread.start()
        two = send([node_a.port, node_b.port], bodies_two, args.concurrency)
        tabs, problems = customer_two_tabs(node_a, node_b, invoice_id, transfer_id, wire_id)
        for thread in threads:
            thread.join()
        lag = wait_reconciled(registry, make_env, tx_one + tx_two, 900)
        # Staff confirm the transfer of the two-tab invoice (on server B).
        with registry.cursor() as cr:
            live = make_env(cr)["payment.transaction"].search(
                [("invoice_ids", "in", [invoice_id]), ("state", "not in", ("cancel", "error"))])
            live_ids, awaiting = live.ids, live.state in ("pending", "authorized")
        if len(live_ids) == 1 and awaiting:
            node_b.rpc("payment.transaction", "action_meusite_confirm_receipt", live_ids)
        (errors_a, conflicts_a), (errors_b, conflicts_b) = (
            node_a.server_errors(), node_b.server_errors())
        errors, conflicts = errors_a + errors_b, conflicts_a + conflicts_b
    finally:
        for node in nodes:
            node.stop()
        double.stop()

    def line(label, result, duplicates):
        statuses, wall, latencies = result
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"{label}: {len(latencies)} notifications ({duplicates} duplicates): "
              f"{len(latencies) / wall:.1f}/s, p50 {statistics.median(latencies):.0f} ms, "
              f"p95 {p95:.0f} ms, statuses {statuses}")

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"{args.workers} web workers + 1 cron worker per server")
    line("one server ", one, dup_one)
    line("two servers", two, dup_two)
    print(f"post-processing: all boletos reconciled {lag:.1f} s after the last answer")
    print("billing triggered on both:", "; ".join(triggers))
    print("customer, two tabs on two servers:", "; ".join(tabs))

    ok = True
    with registry.cursor() as cr:
        env = make_env(cr)
        txs = env["payment.transaction"].browse(tx_one + tx_two)
        payments = env["account.payment"].search([("payment_transaction_id", "in", txs.ids)])
        per_tx = {tx.id: 0 for tx in txs}
        for payment in payments:
            per_tx[payment.payment_transaction_id.id] += 1
        paid = sum(1 for tx in txs if tx.invoice_ids.payment_state in ("paid", "in_payment"))
        once = sum(1 for count in per_tx.values() if count == 1)
        print(f"boletos: {len(txs)}; invoices paid {paid}; reconciled exactly once {once}")
        ok &= paid == once == len(txs)
        periods = env["meusite.service.period"].search([("service_id", "in", service_ids)])
        billed = {}
        for period in periods:
            key = (period.service_id.id, period.period_start)
            billed[key] = billed.get(key, 0) + 1
        twice = sum(1 for count in billed.values() if count > 1)
        unbilled = len(service_ids) - len({service for service, _start in billed})
        print(f"services: {len(service_ids)}; periods billed {len(periods)}; billed twice "
              f"{twice}; not billed {unbilled}")
        ok &= twice == 0 and unbilled == 0
        invoice = env["account.move"].browse(invoice_id)
        pay_count = len(invoice._get_reconciled_payments())
        print(f"two-tab invoice: {len(live_ids)} live transaction(s), payment state "
              f"{invoice.payment_state}, {pay_count} payment(s)")
        ok &= len(live_ids) == 1 and pay_count == 1
    print(f"customer-visible problems: {problems or 'none'}")
    print(f"concurrent updates refused by PostgreSQL and retried by Odoo: {conflicts}")
    print(f"server errors logged: {len(errors)}")
    for error in errors[:5]:
        print("   ", error[:160])
    ok &= not problems and not errors
    print("CHECK", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
