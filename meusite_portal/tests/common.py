from datetime import timedelta

from odoo import Command, fields


def make_invoices(env, partner, count, amount=158.90, due_days=3, post=True):
    """Customer invoices for ``partner``; due ``due_days`` after today (negative: overdue)."""
    today = fields.Date.context_today(env["account.move"])
    product_line = {"name": "Hospedagem de site", "quantity": 1, "price_unit": amount,
                    "tax_ids": [Command.clear()]}
    moves = env["account.move"].create([{
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_date": today - timedelta(days=10),
        "invoice_date_due": today + timedelta(days=due_days),
        "invoice_line_ids": [Command.create(dict(product_line))],
    } for _i in range(count)])
    if post:
        moves.action_post()
    return moves
