"""Our client area against stock Odoo 18, page by page, in the same run.

Two databases with the same data shape: ours (--db, the three addons) and stock's
(--stock-db, made by ``scripts/createdb.sh --stock``: the modules ours build on, helpdesk_mgmt
included, and none of ours). In each, the bench creates once (and reuses on later runs):

- a small customer: one invoice and one ticket;
- a large customer (a company): 2,000 invoices (the last 60 days open, the rest paid) and
  2,000 tickets (20 open), with eight logins (its contacts) for the throughput figure.

and prints:

1. server time (median, p95) and SQL queries of ``/my``, of the home page complete (``/my``
   and the ``/my/counters`` calls stock's page makes to fill its tiles), ``/my/invoices`` and
   ``/my/invoices/<id>`` (an overdue open invoice: the late charge, the transfer card), ours
   beside stock's and the ratio, for the small and the large customer: the SQL count must not
   grow with the history. Requests go in-process through Odoo's WSGI application (no network:
   the server's time), alternating ours and stock's so that any load hits both alike;
2. the first view of a page of 80 invoices never sent (a new customer each run) against the
   later views of the same page;
3. eight customers at once on ``/my/invoices`` against a server with 2 workers, ours and
   stock's, in alternating rounds: requests per second;

with the load average of the machine, which is shared.

    PYTHONPATH=/opt/odoo .venv/bin/python tests/bench/portal_home.py --db DB --stock-db DB2
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import requests
from benchenv import REPO, configure

import odoo
from odoo import Command

PASSWORD = "bench-Painel-2026"
SIZES = {"small": (1, 1), "large": (2000, 2000)}
OPEN_TICKETS = 20
THROUGHPUT_USERS = 8
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}
PAGES = ("/my", "home (+counters)", "/my/invoices", "/my/invoices/<id>")


def login_of(size, n=1):
    return f"bench.{size}{n}@example.com"


def _make_invoices(env, partner, count, open_days=60):
    today = date.today()
    for start in range(0, count, 250):
        batch = range(start, min(start + 250, count))
        moves = env["account.move"].create([{
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": today - timedelta(days=count - i),
            "invoice_date_due": today - timedelta(days=count - i - 5),
            "invoice_line_ids": [Command.create({
                "name": "Hospedagem de site", "quantity": 1, "price_unit": 158.90,
                "tax_ids": [Command.clear()]})],
        } for i in batch])
        moves.action_post()
        # Most of the history is paid; the latest invoices are open or overdue.
        moves.filtered(lambda m: m.invoice_date < today - timedelta(days=open_days)).write(
            {"payment_state": "paid"})
        env.cr.commit()


def _make_customer(env, size, invoices, tickets, users):
    company = env["res.partner"].create({
        "name": f"Bench {size.title()} Ltda", "is_company": True, "lang": "pt_BR",
        "city": "Belo Horizonte", "state_id": env.ref("base.state_br_mg").id,
        "country_id": env.ref("base.br").id,
    })
    contacts = env["res.partner"].create([{
        "name": f"Carlos Bench {n}", "email": login_of(size, n), "parent_id": company.id,
        "lang": "pt_BR",
    } for n in range(1, users + 1)])
    env["res.users"].with_context(no_reset_password=True).create([{
        "login": contact.email, "password": PASSWORD, "partner_id": contact.id,
        "groups_id": [Command.set([env.ref("base.group_portal").id])],
    } for contact in contacts])
    _make_invoices(env, company, invoices)
    stages = env["helpdesk.ticket.stage"].search([])
    open_stage = stages.filtered(lambda s: not s.closed)[:1]
    closed_stage = stages.filtered("closed")[:1]
    Ticket = env["helpdesk.ticket"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    for start in range(0, tickets, 250):
        Ticket.create([{
            "name": f"Dúvida sobre o site {i}",
            "description": "<p>Meu site está fora do ar.</p>",
            "partner_id": contacts[0].id,
            "stage_id": (open_stage if tickets - i <= OPEN_TICKETS else closed_stage).id,
        } for i in range(start, min(start + 250, tickets))])
        env.cr.commit()
    print(f"  {env.cr.dbname}: {size} customer, {invoices} invoices, {tickets} tickets",
          flush=True)


def ensure_data(registry):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        # Customers can pay by bank transfer in both: the invoice page shows Odoo's payment
        # form (ours adds the transfer card; our demo data enables it already).
        transfer = env.ref("payment.payment_provider_transfer")
        if transfer.state != "enabled" or not transfer.is_published:
            transfer.write({"state": "enabled", "is_published": True})
        for size, (invoices, tickets) in SIZES.items():
            users = THROUGHPUT_USERS if size == "large" else 1
            if not env["res.users"].search_count([("login", "=", login_of(size))]):
                _make_customer(env, size, invoices, tickets, users)
        cr.commit()


def invoice_page(registry, size):
    """The customer's open invoice due first: for the large customer an overdue one (the
    late charge and the transfer card), for the small one its only invoice."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        partner = env["res.users"].search([("login", "=", login_of(size))]).partner_id
        move = env["account.move"].search([
            ("partner_id", "=", partner.commercial_partner_id.id),
            ("payment_state", "=", "not_paid"),
        ], order="invoice_date_due, id", limit=1)
        return f"/my/invoices/{move.id}"


def new_first_view_customer(registry):
    """A customer of 80 invoices just posted, never sent nor viewed."""
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        login = f"bench.first.{uuid.uuid4().hex[:8]}@example.com"
        partner = env["res.partner"].create({"name": "Ana Primeira Vista", "email": login,
                                             "lang": "pt_BR"})
        env["res.users"].with_context(no_reset_password=True).create({
            "login": login, "password": PASSWORD, "partner_id": partner.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        })
        _make_invoices(env, partner, 80, open_days=10_000)
        cr.commit()
        return login


def wsgi_login(db, login):
    from werkzeug.test import Client  # noqa: PLC0415

    client = Client(odoo.http.root)
    page = client.get(f"/web/login?db={db}", environ_base=ENVIRON, follow_redirects=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    response = client.post("/web/login", data={
        "login": login, "password": PASSWORD, "csrf_token": csrf, "type": "password"},
        environ_base=ENVIRON)
    assert response.status_code == 303, f"login of {login} on {db} failed"
    return client


def timed_get(client, url):
    before = odoo.sql_db.sql_counter
    start = time.perf_counter()
    response = client.get(url, environ_base=ENVIRON)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    return elapsed, odoo.sql_db.sql_counter - before


def timed_home(client):
    """What a customer waits for before the home page is complete: ``/my`` and then the
    ``/my/counters`` calls its script makes for the tiles it shows (stock's tiles are filled
    by up to 3 JSON calls of ~5 counters each, as portal.js groups them; our panel has no
    tile, so it makes none)."""
    before = odoo.sql_db.sql_counter
    start = time.perf_counter()
    response = client.get("/my", environ_base=ENVIRON)
    assert response.status_code == 200, ("/my", response.status_code)
    needed = list(dict.fromkeys(
        re.findall(r'data-placeholder_count="([^"]+)"', response.get_data(as_text=True))))
    if needed:
        calls = min(-(-len(needed) // 5), 3)
        per_call = -(-len(needed) // calls)
        for i in range(calls):
            counters = client.post("/my/counters", environ_base=ENVIRON, json={
                "jsonrpc": "2.0", "method": "call",
                "params": {"counters": needed[i * per_call:(i + 1) * per_call]}})
            assert counters.status_code == 200 and "error" not in counters.get_json(), (
                "/my/counters", counters.get_data(as_text=True)[:300])
    return time.perf_counter() - start, odoo.sql_db.sql_counter - before


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]


def measure_pages(sides, runs):
    """sides: {name: (db, registry)}; alternating requests, one side then the other."""
    rows = []
    for size in SIZES:
        clients, urls = {}, {}
        for side, (db, registry) in sides.items():
            clients[side] = wsgi_login(db, login_of(size))
            urls[side] = {"/my": "/my", "/my/invoices": "/my/invoices",
                          "/my/invoices/<id>": invoice_page(registry, size)}
        for page in PAGES:
            samples = {side: ([], []) for side in sides}
            for run in range(runs + 2):
                for side in sides:
                    if page == "home (+counters)":
                        elapsed, queries = timed_home(clients[side])
                    else:
                        elapsed, queries = timed_get(clients[side], urls[side][page])
                    if run >= 2:  # the first two warm caches (templates, assets, ACL)
                        samples[side][0].append(elapsed)
                        samples[side][1].append(queries)
            rows.append((page, size, {side: (statistics.median(t), p95(t), max(q))
                                      for side, (t, q) in samples.items()}))
    return rows


def measure_first_view(sides, runs=10):
    result = {}
    for side, (db, registry) in sides.items():
        login = new_first_view_customer(registry)
        # Creating a user clears Odoo's compiled templates (they depend on groups): another
        # customer's view compiles them again (after every sign-up, Odoo does the same).
        timed_get(wsgi_login(db, login_of("large")), "/my/invoices")
        client = wsgi_login(db, login)
        timed_get(client, "/my")  # the customer's own caches (groups, rules)
        first, first_queries = timed_get(client, "/my/invoices")
        later = [timed_get(client, "/my/invoices") for _run in range(runs)]
        result[side] = (first, first_queries, statistics.median(t for t, _q in later),
                        max(q for _t, q in later))
    return result


def start_server(db, port):
    odoo_src = Path(odoo.__file__).resolve().parents[1]
    cfg = odoo.tools.config
    command = [
        sys.executable, str(odoo_src / "odoo-bin"), "-c", str(REPO / "odoo.conf"),
        f"--addons-path={cfg['addons_path']}", f"--data-dir={cfg['data_dir']}",
        f"--db_host={cfg['db_host']}", f"--db_port={cfg['db_port']}",
        f"--db_user={cfg['db_user']}", f"--db_password={cfg['db_password']}",
        "-d", db, f"--db-filter=^{re.escape(db)}$", "--workers=2", "--max-cron-threads=0",
        f"--http-port={port}", f"--gevent-port={port + 20}", "--log-level=warn",
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    for _wait in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/web/login", timeout=5)
            return server
        except requests.ConnectionError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError(f"server of {db} did not start on port {port}")


def http_login(port, login):
    session = requests.Session()
    base = f"http://127.0.0.1:{port}"
    page = session.get(f"{base}/web/login", timeout=30).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = session.post(f"{base}/web/login", data={
        "login": login, "password": PASSWORD, "csrf_token": csrf}, timeout=30,
        allow_redirects=False)
    assert response.status_code == 303, f"login of {login} on port {port} failed"
    return session


def load_round(port, sessions, seconds):
    """Every customer asks /my/invoices again as soon as answered, for ``seconds``."""
    url = f"http://127.0.0.1:{port}/my/invoices"
    done, errors = [], []
    stop = time.perf_counter() + seconds

    def customer(session):
        count = 0
        while time.perf_counter() < stop:
            if session.get(url, timeout=60).status_code != 200:
                errors.append(url)
            count += 1
        done.append(count)

    threads = [threading.Thread(target=customer, args=(s,)) for s in sessions]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done), time.perf_counter() - start, len(errors)


def measure_throughput(sides, ports, rounds, seconds):
    servers = {side: start_server(db, ports[side]) for side, (db, _r) in sides.items()}
    try:
        sessions = {side: [http_login(ports[side], login_of("large", n))
                           for n in range(1, THROUGHPUT_USERS + 1)] for side in sides}
        for side in sides:  # warm every worker's caches
            load_round(ports[side], sessions[side], 2)
        totals = {side: [0, 0.0, 0] for side in sides}
        for _round in range(rounds):
            for side in sides:
                count, elapsed, errors = load_round(ports[side], sessions[side], seconds)
                totals[side][0] += count
                totals[side][1] += elapsed
                totals[side][2] += errors
        return {side: (count / elapsed, errors) for side, (count, elapsed, errors)
                in totals.items()}
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            server.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="database with our addons")
    parser.add_argument("--stock-db", required=True, help="database without them")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3, help="throughput rounds per side")
    parser.add_argument("--seconds", type=float, default=5, help="length of a round")
    parser.add_argument("--port", type=int, default=int(os.environ.get("HTTP_PORT", 8073)),
                        help="our server's port; stock's is this + 10")
    args = parser.parse_args()
    dbs = (args.db, args.stock_db)
    configure(args.db, f"--db-filter=^({'|'.join(re.escape(db) for db in dbs)})$")
    sides = {"ours": (args.db, odoo.modules.registry.Registry(args.db)),
             "stock": (args.stock_db, odoo.modules.registry.Registry(args.stock_db))}
    for _db, registry in sides.values():
        ensure_data(registry)
    load_before = os.getloadavg()

    pages = measure_pages(sides, args.runs)
    first = measure_first_view(sides)
    throughput = measure_throughput(sides, {"ours": args.port, "stock": args.port + 10},
                                    args.rounds, args.seconds)
    load_after = os.getloadavg()

    print(f"\nours: {args.db}   stock: {args.stock_db}   ({args.runs} requests per page and "
          "side, in-process, server time; ratio = ours / stock)")
    print(f"{'page':<20}{'customer':<8}"
          f"{'ours ms':>9}{'p95':>7}{'SQL':>5}  {'stock ms':>9}{'p95':>7}{'SQL':>5}  {'ratio':>6}")
    for page, size, figures in pages:
        (o_med, o_p95, o_q), (s_med, s_p95, s_q) = figures["ours"], figures["stock"]
        invoices, tickets = SIZES[size]
        label = f"{invoices}/{tickets}"
        print(f"{page:<20}{label:<8}{o_med * 1000:>9.1f}{o_p95 * 1000:>7.1f}{o_q:>5}  "
              f"{s_med * 1000:>9.1f}{s_p95 * 1000:>7.1f}{s_q:>5}  {o_med / s_med:>6.2f}")
    print("(customer: invoices/tickets of the customer; SQL: most queries of a request)")
    print("\nfirst view of /my/invoices, 80 invoices never sent (later: median of 10 views)")
    for side, (first_t, first_q, later_t, later_q) in first.items():
        print(f"  {side:<6} first {first_t * 1000:7.1f} ms {first_q:>4} SQL   later "
              f"{later_t * 1000:7.1f} ms {later_q:>4} SQL   first/later {first_t / later_t:.2f}")
    print(f"\n{THROUGHPUT_USERS} customers at once on /my/invoices (2,000 invoices), "
          f"2 workers, {args.rounds} alternating rounds of {args.seconds:g} s per side")
    for side, (rate, errors) in throughput.items():
        print(f"  {side:<6} {rate:6.1f} req/s   errors {errors}")
    print(f"  ours / stock {throughput['ours'][0] / throughput['stock'][0]:.2f}")
    print("\nload average (1, 5, 15 min): before "
          + ", ".join(f"{v:.2f}" for v in load_before) + "   after "
          + ", ".join(f"{v:.2f}" for v in load_after))


if __name__ == "__main__":
    main()
