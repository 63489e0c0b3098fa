"""Benchmark: "Pagar Todos" over 200 open invoices prepares the transaction in under 2 s.

Usage (from the repository root, against a database made by scripts/createdb.sh):
    PYTHONPATH=/opt/odoo .venv/bin/python tests/bench/pay_all.py --db <db> [--invoices 200]

It creates a customer with N open invoices, then times what the two requests of
"Pagar Todos" do on the server: the payment page (find the open invoices, check them, sum
what is owed) and the transaction route (lock and re-check the invoices, retire abandoned
drafts, create the one transaction, compute its processing values). Everything is rolled
back at the end.
"""

import argparse
import os
import sys
import time

from benchenv import configure

import odoo
from odoo import Command, api, fields

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIMIT_SECONDS = 2.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--invoices", type=int, default=200)
    return parser.parse_args()


def setup_odoo(db):
    configure(db)
    return odoo.modules.registry.Registry(db)


def make_customer_with_invoices(env, count):
    partner = env["res.partner"].create({"name": "Cliente Benchmark", "lang": "pt_BR"})
    today = fields.Date.today()
    invoices = env["account.move"].create([{
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_date": fields.Date.subtract(today, days=40),
        "invoice_date_due": fields.Date.add(today, days=index % 30 - 15),
        "invoice_line_ids": [Command.create({
            "name": "Mensalidade Meu Site Expresso",
            "quantity": 1,
            "price_unit": 158.90,
            "tax_ids": [Command.clear()],
        })],
    } for index in range(count)])
    invoices.action_post()
    return partner


def pay_all(env, partner):
    """The server side of "Pagar Todos", as the two routes of portal_invoices.py run it."""
    Move = env["account.move"]
    provider = env["payment.provider"]._meusite_transfer_provider(env.company)
    # 1. POST /my/invoices/pay with pay_all=1: the payment page.
    invoices = Move.search(Move._meusite_open_invoices_domain(partner), order="id")
    invoices = invoices._meusite_check_payable(partner)
    amount = sum(invoices.mapped("amount_residual"))
    reference = env.company.get_next_batch_payment_communication()
    # 2. The transaction route: lock, re-check, one transaction for all of them.
    invoices._meusite_check_payable(partner)
    invoices._meusite_check_payable(lock=True)
    env["payment.transaction"]._meusite_supersede_drafts(invoices)
    tx = env["payment.transaction"].create({
        "provider_id": provider.id,
        "payment_method_id": provider.payment_method_ids[:1].id,
        "reference": env["payment.transaction"]._compute_reference(
            provider.code, prefix=reference
        ),
        "amount": amount,
        "currency_id": invoices.currency_id.id,
        "partner_id": partner.id,
        "operation": "online_redirect",
        "landing_route": "/my/invoices/pay/done",
        "invoice_ids": [Command.set(invoices.ids)],
    })
    tx._get_processing_values()
    return tx


def main():
    args = parse_args()
    registry = setup_odoo(args.db)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"lang": "pt_BR"})
        if not env["payment.provider"]._meusite_transfer_provider(env.company):
            sys.exit("the bank-transfer provider is not enabled in this database (demo data)")
        started = time.perf_counter()
        partner = make_customer_with_invoices(env, args.invoices)
        env.flush_all()
        print(f"setup: {args.invoices} open invoices in {time.perf_counter() - started:.1f} s")
        env.invalidate_all()
        queries = cr.sql_log_count
        started = time.perf_counter()
        tx = pay_all(env, partner)
        env.flush_all()
        elapsed = time.perf_counter() - started
        queries = cr.sql_log_count - queries
        print(
            f"Pagar Todos: {len(tx.invoice_ids)} invoices, R$ {tx.amount:.2f}, one transaction "
            f"prepared in {elapsed:.3f} s ({queries} queries); limit {LIMIT_SECONDS} s"
        )
        cr.rollback()
    sys.exit(0 if elapsed < LIMIT_SECONDS else 1)


if __name__ == "__main__":
    main()
