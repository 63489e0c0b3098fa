"""Server time and SQL queries of the client-area panel /my against stock /my/invoices.

Fills the database with one customer holding 2,000 posted invoices (once; reused on
later runs), logs in as that customer and requests each page in-process through Odoo's
WSGI application (no network, so the time measured is the server's).

    PYTHONPATH=/opt/odoo .venv/bin/python tests/bench/portal_home.py --db DB [--runs 30]
"""

import argparse
import re
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from benchenv import configure

import odoo
from odoo import Command

REPO = Path(__file__).resolve().parents[2]
LOGIN = "bench.painel@example.com"
PASSWORD = "bench-painel"
INVOICES = 2000
ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


def ensure_customer(registry):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        user = env["res.users"].search([("login", "=", LOGIN)])
        if not user:
            partner = env["res.partner"].create({
                "name": "Carlos Bench Oliveira", "email": LOGIN, "lang": "pt_BR",
                "city": "Belo Horizonte", "state_id": env.ref("base.state_br_mg").id,
                "country_id": env.ref("base.br").id,
            })
            user = env["res.users"].create({
                "login": LOGIN, "password": PASSWORD, "partner_id": partner.id,
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            })
        partner = user.partner_id
        have = env["account.move"].search_count([("partner_id", "=", partner.id),
                                                 ("move_type", "=", "out_invoice")])
        today = date.today()
        for start in range(have, INVOICES, 250):
            batch = range(start, min(start + 250, INVOICES))
            moves = env["account.move"].create([{
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": today - timedelta(days=INVOICES - i),
                "invoice_date_due": today - timedelta(days=INVOICES - i - 5),
                "invoice_line_ids": [Command.create({
                    "name": "Hospedagem de site", "quantity": 1, "price_unit": 158.90,
                    "tax_ids": [Command.clear()]})],
            } for i in batch])
            moves.action_post()
            # Most of the history is paid; the latest invoices are open or overdue.
            moves.filtered(lambda m: m.invoice_date < today - timedelta(days=60)).write(
                {"payment_state": "paid"})
            cr.commit()
            print(f"  created invoices {batch.start + 1}-{batch.stop}", flush=True)
        cr.commit()


def measure(client, url, runs):
    times, queries = [], []
    for run in range(runs + 2):
        before = odoo.sql_db.sql_counter
        start = time.perf_counter()
        response = client.get(url, environ_base=ENVIRON)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        if run >= 2:  # the first two warm caches (templates, assets, ACL)
            times.append(elapsed)
            queries.append(odoo.sql_db.sql_counter - before)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, statistics.median(queries), max(queries)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    configure(args.db)
    from werkzeug.test import Client  # noqa: PLC0415

    registry = odoo.modules.registry.Registry(args.db)
    print(f"portal_home: one customer with {INVOICES} invoices in {args.db}")
    ensure_customer(registry)

    client = Client(odoo.http.root)
    page = client.get("/web/login", environ_base=ENVIRON).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/web/login", data={
        "login": LOGIN, "password": PASSWORD, "csrf_token": csrf, "type": "password"},
        environ_base=ENVIRON)
    assert response.status_code == 303, "login failed"

    rows = []
    # The demo database's default language is English (stock test suites expect it), so a
    # Portuguese customer's pages live under a language prefix: measure the page the
    # customer lands on, not the redirect to it.
    for path in ("/my", "/my/invoices"):
        landed = client.get(path, environ_base=ENVIRON, follow_redirects=True)
        url = landed.request.path
        rows.append((url, *measure(client, url, args.runs)))
    print(f"{args.runs} requests each, in-process (server time)")
    print(f"{'page':<14}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'max q':>7}")
    for url, median, p95, queries, max_queries in rows:
        print(f"{url:<14}{median * 1000:>10.1f}{p95 * 1000:>10.1f}{queries:>9.0f}"
              f"{max_queries:>7}")
    (_u, my_med, my_p95, _q, _m), (_u2, inv_med, inv_p95, _q2, _m2) = rows
    print(f"ratio /my : /my/invoices  median {my_med / inv_med:.2f}  p95 {my_p95 / inv_p95:.2f}")


if __name__ == "__main__":
    main()
