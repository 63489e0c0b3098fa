"""Two Odoo servers on one database: do the addons hold when Odoo scales out?

    bash scripts/bench.sh two_nodes          # a throwaway demo database, dropped afterwards

Odoo scales by running several servers on one PostgreSQL with a shared data directory
(filestore and sessions) behind a proxy. This starts the Moip and PagBank doubles and two
Odoo servers (2 web workers and 1 cron worker each, the same --data-dir) on one database,
then (each provider is one feed class, FEEDS):

1. one server alone answers N Moip notifications (30% duplicates) and N signed PagBank
   notifications (PIX and boleto orders, stale copies and duplicates), shuffled: the baseline;
2. both servers answer as many notifications for other payments, sent alternately to each,
   while
   - the services billing is started on both at once, as Odoo's servers start a cron: a
     trigger (`ir.cron._trigger`, whose NOTIFY wakes both servers' cron workers, which
     take the job with SKIP LOCKED) and "Run Manually" on each server (refused, in Odoo's
     words, while the other runs it); the job never runs on the first server alone before,
     and the checks wait for it to finish,
   - a customer who logged in on server A continues the session on server B, and pays the
     same invoice from two tabs, one on each server;
3. checks the invariants: every payment's invoice paid and reconciled exactly once, every due
   service period billed once, one live transaction for the invoice paid from two tabs and
   that invoice paid once, no error page or 5xx for the customer.

Prints notifications/s and latency against one and against two servers. On this machine the
two servers share the same 2 cores, so two servers cannot be faster than one here: the run
shows that the addons stay correct when spread over servers, not a speed-up.
"""

import argparse
import base64
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
from datetime import date, datetime, timedelta
from pathlib import Path

import pagbank_webhooks
import psycopg2.errors
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
# The Sefin Nacional double of meusite_nfse (stdlib + cryptography), served from this process.
sys.path.insert(0, str(REPO / "meusite_nfse" / "tests" / "doubles"))
import sefin_double  # noqa: E402

ADMIN = ("admin", "admin")
CUSTOMER = ("cliente", "cliente")


class Node:
    """One Odoo server of the cluster (its own ports, the shared database and data dir).

    Started on construction; ``ready()`` waits until it answers, so that two servers can
    boot side by side.
    """

    def __init__(self, name, db, workers, log_dir, cron_threads=1, data_dir=None):
        self.name, self.db = name, db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"two_nodes_{name}.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            ["bash", str(REPO / "scripts/odoo.sh"), "-d", db,
             f"--http-port={self.port}", f"--gevent-port={free_port()}",
             f"--workers={workers}", f"--max-cron-threads={cron_threads}",
             "--log-level=warn", "--log-handler=werkzeug:INFO"],
            stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True,
            env={**os.environ, "VENV": os.environ.get("VENV", sys.prefix),
                 **({"DATA_DIR": str(data_dir)} if data_dir else {})},
        )

    def ready(self, seconds=120):
        wait_for(self.url + "/web/login", seconds)
        return self

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

    def stop(self, grace=60):
        """Stop the server (and its workers); killed if not gone after ``grace`` seconds."""
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=60)
        self.log.close()


def send(ports, items, concurrency):
    """Deliver the notifications, the i-th to ports[i % len(ports)]; (statuses, seconds, ms).

    ``items``: (deliver, body) pairs, ``deliver(port, body)`` -> (status, seconds): each
    provider's own way of notifying (its route and signature)."""
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(
            lambda item: item[1][0](ports[item[0] % len(ports)], item[1][1]), enumerate(items)))
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

    # Both tabs show the payment page, then the customer clicks "Pagar" in both at once.
    both_open = threading.Barrier(2, timeout=120)

    def tab(node):
        my = session.get(node.url + "/my/invoices").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', my).group(1)
        page = session.post(node.url + "/my/invoices/pay", data={
            "invoice_ids": str(invoice_id), "csrf_token": csrf})
        both_open.wait()
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


class MoipFeed:
    """Moip's notifications in the race: boletos issued through the provider code (the Moip
    double answers), paid at the double, then notified to the servers.

    A payment provider's part of the bench and of tests/test_two_nodes.py. Another provider
    (PagBank) is one more class with these methods, added to FEEDS: each batch's
    transactions are then checked like Moip's (paid, reconciled exactly once).
    """

    name = "Moip"
    PROVIDER = "meusite_moip_payment.payment_provider_moip"
    PROVIDER_FIELDS = ("state", "moip_api_url", "moip_token", "moip_key", "moip_oauth_token",
                       "moip_webhook_token", "is_published")

    def __init__(self, registry, make_env):
        self.registry, self.make_env = registry, make_env
        with registry.cursor() as cr:
            provider = make_env(cr).ref(self.PROVIDER)
            # What prepare() changes, put back by restore() (tests share their database).
            self.saved = provider.read(self.PROVIDER_FIELDS)[0]
            self.saved.pop("id")
        self.double = DoubleProcess()

    def prepare(self, count, total, duplicates, rng):
        """``count`` paid boletos and ``total`` notifications for them (``duplicates`` share
        repeated, shuffled): (transaction ids, [(deliver, body)], duplicates sent), where
        ``deliver(port, body)`` posts one notification as Moip does."""
        tx_ids, payment_ids = prepare(self.registry, self.make_env, self.double, count)
        for payment_id in payment_ids:
            self.double.authorize(payment_id)
        events, dup_count = notifications(payment_ids, total, duplicates, rng)
        return tx_ids, [(post, body) for body in bodies(self.double, events)], dup_count

    @staticmethod
    def warm(port):
        post(port, b"{}", token="warm-up")  # refused (unsigned): only wakes the worker

    def restore(self, env):
        """Put the provider's settings back (a test shares its database)."""
        env.ref(self.PROVIDER).write(self.saved)

    def stop(self):
        self.double.stop()


def post_pagbank(port, signed):
    """One PagBank notification, ``signed`` = (body, x-authenticity-token)."""
    return pagbank_webhooks.post(port, *signed)


class PagBankFeed:
    """PagBank's notifications in the race: PIX and boleto orders (alternately) created
    through the provider code (the PagBank double answers), paid at the double, then
    notified to the servers as PagBank does: the whole order, signed with
    x-authenticity-token. The webhook reads each order back from the double and applies
    what the double answers.

    Per order a stale copy from before the payment (WAITING, no PIX charge) and the paid
    order, then duplicates of paid ones up to ``total``, shuffled (tests/bench/
    pagbank_webhooks.py's `signed_notifications`): the duplicate share is what ``total``
    leaves over two deliveries per order, not ``duplicates``.
    """

    name = "PagBank"
    PROVIDER = "meusite_pagbank_payment.payment_provider_pagbank"
    PROVIDER_FIELDS = ("state", "pagbank_api_url", "pagbank_token", "is_published")
    # pagbank_webhooks.prepare() also gives the demo customer a CPF, an e-mail and a
    # district (PagBank's required data) and activates PIX and boleto.
    PARTNER = "meusite_portal.demo_customer"
    PARTNER_FIELDS = ("vat", "email", "street2")
    METHODS = ("payment.payment_method_pix", "payment.payment_method_boleto")

    def __init__(self, registry, make_env):
        self.registry, self.make_env = registry, make_env
        with registry.cursor() as cr:
            env = make_env(cr)
            self.saved = {
                xmlid: {key: value for key, value in env.ref(xmlid).read(fields)[0].items()
                        if key != "id"}
                for xmlid, fields in ((self.PROVIDER, self.PROVIDER_FIELDS),
                                      (self.PARTNER, self.PARTNER_FIELDS))
            }
            self.saved.update({xmlid: {"active": env.ref(xmlid).active}
                               for xmlid in self.METHODS})
        self.double = pagbank_webhooks.PagbankDoubleProcess()

    def prepare(self, count, total, duplicates, rng):
        """``count`` paid orders (PIX, boleto, ...) and ``total`` signed notifications for
        them: (transaction ids, [(deliver, (body, signature))], duplicates sent)."""
        del duplicates  # PagBank's mix: see the class docstring
        tx_ids, order_ids = pagbank_webhooks.prepare(
            self.registry, self.make_env, self.double.api_url, count, token=self.double.token)
        for order_id in order_ids:
            self.double.pay(order_id)
        orders = {order_id: self.double.order(order_id) for order_id in order_ids}
        signed, dup_count = pagbank_webhooks.signed_notifications(
            orders, total, rng, token=self.double.token)
        return tx_ids, [(post_pagbank, pair) for pair in signed], dup_count

    @staticmethod
    def warm(port):
        # Refused (wrong signature, 401): only wakes the worker.
        pagbank_webhooks.post(port, b"{}", "0" * 64)

    def restore(self, env):
        """Put the provider, the demo customer and the payment methods back."""
        for xmlid, values in self.saved.items():
            env.ref(xmlid).write(values)

    def stop(self):
        self.double.stop()


# The payment providers whose notifications race on the two servers.
FEEDS = (MoipFeed, PagBankFeed)


class BillingJob:
    """The services billing run (a cron) in the race: services falling due today, billed
    once each whichever server runs it, however many times it is started at once.

    Another cron job that must run exactly once per record (the NFS-e issuing job) is one
    more class with these methods, added to JOBS.
    """

    name = "billing"
    CRON = "meusite_portal.ir_cron_service_invoicing"
    MODEL = "meusite.service"

    def __init__(self, registry, make_env, count, customers):
        self.registry, self.make_env = registry, make_env
        self.service_ids = due_services(registry, make_env, count, customers)

    def direct_code(self):
        """Server-action code running the job on these records only, skipping the cron
        and its lock; returns {"done": invoices issued}."""
        return ("action = {'done': len(model._meusite_invoice_due_services("
                f"service_ids={self.service_ids!r}))}}")

    def done(self, env):
        """Nothing left for the job (every service moved to its next due date)."""
        return not env["meusite.service"].search_count(
            [("id", "in", self.service_ids), ("next_due_date", "<=", date.today())])

    def check(self, env):
        """(summary, ok): each service's period billed exactly once."""
        periods = env["meusite.service.period"].search([("service_id", "in", self.service_ids)])
        billed = {}
        for period in periods:
            key = (period.service_id.id, period.period_start)
            billed[key] = billed.get(key, 0) + 1
        twice = sum(1 for count in billed.values() if count > 1)
        unbilled = len(self.service_ids) - len({service for service, _start in billed})
        summary = (f"services: {len(self.service_ids)}; periods billed {len(periods)}; "
                   f"billed twice {twice}; not billed {unbilled}")
        return summary, twice == 0 and unbilled == 0

    def remove(self, env):
        """Remove what this job created and billed (a test shares its database)."""
        services = env["meusite.service"].browse(self.service_ids).exists()
        periods = env["meusite.service.period"].search([("service_id", "in", services.ids)])
        remove_invoices(env, periods.move_id)
        partners, products = services.partner_id, services.product_id
        services.unlink()
        products.unlink()
        partners.unlink()


class NfseJob:
    """The NFS-e issuing cron of meusite_nfse in the race (issue #28: "one note per fatura,
    with the two servers racing"): a few paid faturas without their note yet, the job run on
    both servers at once queues and issues them, against the Sefin Nacional double
    (meusite_nfse/tests/doubles/sefin_double.py, mTLS with a test CA made now, served from
    this process). Exactly one note per fatura, and one DPS accepted by the double for each.

    The company is pointed at the double with a client certificate of its own CNPJ signed by
    that CA, and its NFS-e start date is today (the bench's real cron then queues only what
    is dated today); ``remove`` puts its settings back.
    """

    name = "nfse"
    CRON = "meusite_nfse.ir_cron_nfse_issue"
    MODEL = "meusite.nfse"
    MAX_FATURAS = 3  # each note is an XSD check, a signature, a POST and a DANFSe
    SETTINGS = ("nfse_active", "nfse_trigger", "nfse_environment", "nfse_api_url",
                "nfse_server_ca", "nfse_certificate_id", "nfse_start_date")
    PASSWORD = "senha-do-a1-de-teste"

    def __init__(self, registry, make_env, count, customers):
        self.registry, self.make_env = registry, make_env
        self.ca = sefin_double.TestCA()
        self.double = sefin_double.SefinDouble(ca=self.ca).start()
        count = min(count, self.MAX_FATURAS)
        with registry.cursor() as cr:
            env = make_env(cr)
            company = env.ref("base.main_company")
            self.company_id = company.id
            saved = company.read(list(self.SETTINGS))[0]
            self.saved = {key: value[0] if isinstance(value, tuple) else value
                          for key, value in saved.items() if key != "id"}
            cnpj = re.sub(r"\D", "", company.vat or "")
            certificate = env["certificate.certificate"].create({
                "name": "A1 de teste (dois servidores)",
                "content": base64.b64encode(self.ca.client_pkcs12(cnpj, self.PASSWORD)),
                "pkcs12_password": self.PASSWORD,
                "company_id": company.id,
            })
            self.certificate_id = certificate.id
            # Paid with issuing off: the faturas wait for the job (the payment's own queueing
            # is not what is raced here).
            company.write({
                "nfse_active": False, "nfse_trigger": "paid", "nfse_environment": "2",
                "nfse_api_url": self.double.base_url, "nfse_server_ca": self.ca.pem.decode(),
                "nfse_certificate_id": certificate.id, "nfse_start_date": date.today(),
            })
            product = env["product.product"].create({
                "name": "Plano NFS-e Dois Servidores", "type": "service", "taxes_id": [],
                "nfse_ctribnac": "010301", "nfse_description": "Hospedagem de site - plano mensal",
            })
            city = env.ref("l10n_br.city_br_006")
            partners = env["res.partner"].create([{
                "name": f"Cliente NFS-e Dois Servidores {i}",
                "email": f"nfse-dois{i}@example.com", "vat": vat,
                "country_id": env.ref("base.br").id, "state_id": city.state_id.id,
                "city_id": city.id, "city": city.name, "zip": "30140-071",
                "street": "Rua da Bahia 1000", "street2": "Centro",
            } for i, vat in enumerate(("529.982.247-25", "111.444.777-35"))])
            moves = env["account.move"].create([{
                "move_type": "out_invoice", "partner_id": partners[i % len(partners)].id,
                "invoice_date": date.today(),
                "invoice_line_ids": [Command.create({
                    "product_id": product.id, "price_unit": 158.90,
                    "tax_ids": [Command.clear()]})],
            } for i in range(count)])
            moves.action_post()
            for move in moves:
                wizard = env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids).create({})
                wizard._create_payments()
                wizard.unlink()  # it holds the partner, which remove() deletes
            company.nfse_active = True
            self.move_ids, self.product_id, self.partner_ids = moves.ids, product.id, partners.ids
            cr.commit()

    def direct_code(self):
        """Server-action code doing what the cron does, on these faturas only: queue their
        notes (``_enqueue``), then issue what is pending (``_process_pending``)."""
        return (f"moves = env['account.move'].browse({self.move_ids!r})\n"
                "model._enqueue(moves)\n"
                "action = {'done': len(model._process_pending())}")

    def done(self, env):
        """Every fatura has its note, none left to issue (or to retry)."""
        notes = env["meusite.nfse"].search([("move_id", "in", self.move_ids)])
        return len(notes.move_id) == len(self.move_ids) and all(
            note.state not in ("to_issue", "sent") for note in notes)

    def check(self, env):
        """(summary, ok): one note per fatura, issued, and one DPS sent to and accepted by the
        double per fatura (each note's DPS id known to it)."""
        notes = env["meusite.nfse"].search([("move_id", "in", self.move_ids)])
        per_move = dict.fromkeys(self.move_ids, 0)
        for note in notes:
            per_move[note.move_id.id] += 1
        issued = notes.filtered(lambda note: note.state == "issued")
        posts = [call for call in self.double.state.calls
                 if call[0] == "POST" and call[1].endswith("/nfse")]
        accepted = sum(1 for call in posts if call[2] == 201)
        dps = self.double.state.dps
        summary = (f"faturas: {len(self.move_ids)}; NFS-e {len(notes)}, issued {len(issued)}; "
                   f"more than one {sum(1 for n in per_move.values() if n > 1)}; "
                   f"none {sum(1 for n in per_move.values() if n == 0)}; DPS accepted by "
                   f"Sefin {accepted} (POSTs {len(posts)}, states {[n.state for n in notes]})")
        # Sent once: a second POST of a DPS (refused by Sefin as a duplicate) counts as a fault.
        # The same runs may also issue other pending notes of the database (the demo's, queued
        # by a cron while no double ran): their POSTs are accepted ones, not faults.
        ok = (all(n == 1 for n in per_move.values()) and len(issued) == len(self.move_ids)
              and accepted == len(posts) >= len(self.move_ids)
              and all(n.dps_id in dps for n in notes))
        return summary, ok

    def remove(self, env):
        """Remove the notes, faturas and their payments, put the company's settings back."""
        moves = env["account.move"].browse(self.move_ids).exists()
        payments = moves._get_reconciled_payments()
        remove_invoices(env, moves)
        payments.action_draft()
        payments.unlink()
        env["product.product"].browse(self.product_id).unlink()
        env["res.partner"].browse(self.partner_ids).unlink()
        env["res.company"].browse(self.company_id).write(self.saved)
        env["certificate.certificate"].browse(self.certificate_id).unlink()
        self.double.stop()


# The cron jobs started on both servers at once.
JOBS = (BillingJob, NfseJob)


def remove_invoices(env, moves):
    """Remove invoices with their transactions, payments and queued e-mails."""
    moves = moves.exists()
    txs = env["payment.transaction"].search([("invoice_ids", "in", moves.ids)])
    payments = txs.payment_id | env["account.payment"].search(
        [("payment_transaction_id", "in", txs.ids)])
    payments.action_draft()
    payments.unlink()
    txs.unlink()
    env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "in", moves.ids)]).unlink()
    if "meusite.nfse" in env:  # a paid fatura's NFS-e (kept by the invoice: ondelete restrict)
        env["meusite.nfse"].search([("move_id", "in", moves.ids)]).unlink()
    moves.filtered(lambda move: move.state != "draft").button_draft()
    moves.with_context(force_delete=True).unlink()


def applied_once(env, tx_ids):
    """(summary, ok): each transaction's invoice paid and reconciled by exactly one payment."""
    txs = env["payment.transaction"].browse(tx_ids)
    payments = env["account.payment"].search([("payment_transaction_id", "in", txs.ids)])
    per_tx = dict.fromkeys(txs.ids, 0)
    for payment in payments:
        per_tx[payment.payment_transaction_id.id] += 1
    paid = sum(1 for tx in txs if tx.invoice_ids.payment_state in ("paid", "in_payment"))
    once = sum(1 for count in per_tx.values() if count == 1)
    summary = (f"transactions: {len(txs)}; invoices paid {paid}; reconciled exactly once "
               f"{once}; more than once {sum(1 for count in per_tx.values() if count > 1)}")
    return summary, paid == once == len(txs)


def cron_busy(cr, cron_id):
    """Whether a server is running the cron now (Odoo holds its row lock meanwhile)."""
    cr.execute("SAVEPOINT cron_busy")
    try:
        cr.execute("SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE NOWAIT", [cron_id],
                   log_exceptions=False)
    except psycopg2.errors.LockNotAvailable:
        cr.execute("ROLLBACK TO SAVEPOINT cron_busy")
        return True
    cr.execute("ROLLBACK TO SAVEPOINT cron_busy")
    return False


def trigger_everywhere(registry, make_env, nodes, job):
    """Start ``job``'s cron on every server at once, as Odoo's own servers do.

    Not by writing the cron's ``nextcall``: a server running the job holds the cron's row
    lock, and ``ir.cron.write`` refuses ("esta tarefa de cron está sendo executada"). Instead
    a trigger (``ir.cron._trigger``: a row in ir_cron_trigger and a NOTIFY that wakes every
    server's cron worker, which take the job with SKIP LOCKED) and "Run Manually" on every
    server, whose refusal while another runs it is Odoo's own answer. Returns the threads
    and the outcomes they fill in.
    """
    with registry.cursor() as cr:
        cron = make_env(cr).ref(job.CRON)
        cron._trigger()
        cron_id = cron.id
        cr.commit()
    outcomes = []

    def run_manually(node):
        try:
            node.rpc("ir.cron", "method_direct_trigger", [cron_id])
            outcomes.append(f"{node.name}: ran")
        except xmlrpc.client.Fault as fault:
            # Odoo's cron lock: "being executed" by the other server is the expected no.
            outcomes.append(f"{node.name}: {fault.faultString.splitlines()[-1][:90]}")

    threads = [threading.Thread(target=run_manually, args=(node,)) for node in nodes]
    for thread in threads:
        thread.start()
    return cron_id, threads, outcomes


def wait_job(registry, make_env, job, cron_id, timeout):
    """Until ``job`` has nothing left and no server is running its cron; seconds waited."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        with registry.cursor() as cr:
            if job.done(make_env(cr)) and not cron_busy(cr, cron_id):
                break
        time.sleep(1)
    return time.perf_counter() - start


def postpone_crons(registry, make_env, jobs):
    """Before any server starts: the raced jobs must not run on the first server alone
    (a template database's daily crons are due at once)."""
    with registry.cursor() as cr:
        env = make_env(cr)
        for job in jobs:
            env.ref(job.CRON).write(
                {"nextcall": datetime.now() + timedelta(days=1)})
        cr.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--transactions", type=int, default=150,
                        help="payments per provider and phase (one server, then two)")
    parser.add_argument("--notifications", type=int, default=500,
                        help="per provider and phase")
    parser.add_argument("--duplicates", type=float, default=0.3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="web workers per server")
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--log-dir", default="/tmp")
    parser.add_argument("--timeout", type=float, default=900,
                        help="seconds to wait for the reconciliation and each job")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    registry, make_env = odoo_env(args.db)
    feeds = [feed(registry, make_env) for feed in FEEDS]
    try:
        return run(args, rng, registry, make_env, feeds)
    finally:
        for feed in feeds:
            feed.stop()


def run(args, rng, registry, make_env, feeds):
    phase_one, phase_two, tx_one, tx_two, dup_one, dup_two = [], [], [], [], 0, 0
    for feed in feeds:
        ids, items, dups = feed.prepare(args.transactions, args.notifications,
                                        args.duplicates, rng)
        tx_one, phase_one, dup_one = tx_one + ids, phase_one + items, dup_one + dups
        ids, items, dups = feed.prepare(args.transactions, args.notifications,
                                        args.duplicates, rng)
        tx_two, phase_two, dup_two = tx_two + ids, phase_two + items, dup_two + dups
    rng.shuffle(phase_one)
    rng.shuffle(phase_two)
    jobs = [job(registry, make_env, args.services, args.services // 5) for job in JOBS]
    postpone_crons(registry, make_env, jobs)
    invoice_id = open_invoice(registry, make_env)
    with registry.cursor() as cr:
        env = make_env(cr)
        transfer = env.ref("payment.payment_provider_transfer")
        wire = env.ref("payment_custom.payment_method_wire_transfer")
        transfer_id, wire_id = transfer.id, wire.id
    print(f"prepared {len(tx_one) + len(tx_two)} payments ({', '.join(f.name for f in feeds)}), "
          f"{args.services} due services, 1 invoice for the two tabs")

    nodes = []
    try:
        node_a = Node("a", args.db, args.workers, args.log_dir).ready()
        nodes.append(node_a)
        for _warm in range(4 * args.workers):
            for feed in feeds:
                feed.warm(node_a.port)
        one = send([node_a.port], phase_one, args.concurrency)
        wait_reconciled(registry, make_env, tx_one, args.timeout)

        node_b = Node("b", args.db, args.workers, args.log_dir).ready()
        nodes.append(node_b)
        for _warm in range(4 * args.workers):
            for feed in feeds:
                feed.warm(node_b.port)
        # The jobs are triggered on both servers while the notifications come in.
        started = [(job, *trigger_everywhere(registry, make_env, nodes, job)) for job in jobs]
        two = send([node_a.port, node_b.port], phase_two, args.concurrency)
        tabs, problems = customer_two_tabs(node_a, node_b, invoice_id, transfer_id, wire_id)
        triggers = []
        for job, cron_id, threads, outcomes in started:
            for thread in threads:
                thread.join()
            waited = wait_job(registry, make_env, job, cron_id, args.timeout)
            triggers.append((job, outcomes, waited))
        lag = wait_reconciled(registry, make_env, tx_one + tx_two, args.timeout)
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
    print(f"post-processing: all payments reconciled {lag:.1f} s after the tabs and the jobs")
    for job, outcomes, waited in triggers:
        print(f"{job.name} triggered on both (cron trigger + Run Manually on each): "
              f"{'; '.join(outcomes)}; done {waited:.1f} s after the tabs")
    print("customer, two tabs on two servers:", "; ".join(tabs))

    ok = all(statuses == {200: len(lat)} for statuses, _wall, lat in (one, two))
    with registry.cursor() as cr:
        env = make_env(cr)
        summary, good = applied_once(env, tx_one + tx_two)
        print(summary)
        ok &= good
        for job in jobs:
            summary, good = job.check(env)
            print(summary)
            ok &= good
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
