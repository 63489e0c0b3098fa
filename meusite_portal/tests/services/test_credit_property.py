"""Money keeps its invariant over random sequences of one customer's actions (issue #23).

Each sequence plays, day after day, what a customer and the daily crons do: orders,
upgrades, downgrades, cancellations (at once, at the period's end) and their withdrawal,
partial and full payments, credit use, and the billing, cancellation, order and
suspension runs. After each sequence:

- the receivable balances to the centavo: what this test billed by its own arithmetic
  (plan prices, plan-change differences worked out here) minus what it paid;
- the customer's credit never exceeds what the customer paid minus what the services
  consumed (every billed period of a service that ran; an order not yet paid consumed
  nothing);
- every debit still open is reminded, and suspends its running services after the grace
  days.

Seeded and reproducible: MEUSITE_CREDIT_SEED (default 2323) seeds the run,
MEUSITE_CREDIT_SEQUENCES (default 500) sets how many sequences, MEUSITE_CREDIT_SEQUENCE
replays one sequence alone. A failure prints the seed, the sequence number and its steps.
Each sequence runs in a savepoint rolled back at its end.
"""

import contextlib
import os
import random
from datetime import timedelta
from unittest.mock import patch

import pytest

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from ..common import D
from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

SEED = int(os.environ.get("MEUSITE_CREDIT_SEED", "2323"))
SEQUENCES = int(os.environ.get("MEUSITE_CREDIT_SEQUENCES", "500"))
ONLY = os.environ.get("MEUSITE_CREDIT_SEQUENCE")
GRACE = 5
# 500 sequences are one test of a few minutes: past the suite's 300 s limit per test.
pytestmark = pytest.mark.timeout(1800)
START = D(2032, 1, 5)
PRICES = {"Básico Prop": 100.0, "Pro Prop": 160.0, "Top Prop": 219.9}


@tagged("post_install", "-at_install")
class TestCreditProperty(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Money, not chatter: no tracking messages nor followers (as Odoo's own tests).
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        set_param = cls.env["ir.config_parameter"].sudo().set_param
        set_param("meusite_portal.service_invoice_lead_days", "10")
        set_param("meusite_portal.service_suspension_grace_days", str(GRACE))
        set_param("meusite_portal.order_payment_days", "7")
        # Only this customer's services in the runs' windows (the crons search them all).
        cls.env["meusite.service"].search([]).with_context(tracking_disable=True).write(
            {"state": "cancelled"}
        )
        cls.plans = cls.env["product.template"].create([{
            "name": name, "type": "service", "list_price": price, "taxes_id": [],
            "meusite_is_plan": True, "sale_ok": True,
            "meusite_plan_price_ids": [Command.create({"cycle": "monthly", "price": price})],
        } for name, price in PRICES.items()])
        # No e-mail: the runs skip rendering, the sequences stay fast.
        cls.customer = cls.env["res.partner"].create({"name": "Sofia Prop", "lang": "pt_BR"})
        cls.currency = cls.env.company.currency_id
        cls.Service = cls.env["meusite.service"]
        cls.Move = cls.env["account.move"]
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.inbound = cls.bank.inbound_payment_method_line_ids[:1]
        # Every sequence starts from two services already billed (separate invoices, one
        # on the cheapest plan, one on the middle one), none of it paid yet.
        cls.start_entries = []
        cls.start_prices = {}
        with patch.object(fields.Date, "context_today", lambda *a, **k: START):
            for plan, days in ((cls.plans[0], 3), (cls.plans[1], 8)):
                due = START + timedelta(days=days)
                service = cls.Service.create({
                    "partner_id": cls.customer.id, "product_id": plan.product_variant_id.id,
                    "cycle": "monthly", "price": plan.list_price, "state": "active",
                    "date_start": due, "next_due_date": due,
                })
                move = cls.Service._meusite_invoice_due_services(START, service_ids=service.ids)
                cls.start_prices[service.id] = plan.list_price
                cls.start_entries.append((move, service.ids, plan.list_price))

    # ------------------------------------------------------------------ the world
    def setUp(self):
        super().setUp()
        self.day = START
        today = patch.object(fields.Date, "context_today", lambda *a, **k: self.day)
        today.start()
        self.addCleanup(today.stop)

    def reset_oracle(self):
        self.day = START
        self.paid = 0.0
        # service id: its price, by this test's reckoning
        self.price = dict(self.start_prices)
        # (move, service ids, signed amount by this test's reckoning)
        self.entries = list(self.start_entries)
        self.steps = []

    def services(self):
        return self.Service.search([("partner_id", "=", self.customer.id)], order="id")

    def open_invoices(self):
        return self.Move.search([
            ("commercial_partner_id", "=", self.customer.id), ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"), ("payment_state", "in", ("not_paid", "partial")),
        ], order="id")

    def log(self, text):
        self.steps.append(f"{self.day}: {text}")

    def run_crons(self):
        services = self.services()
        moves = self.Service._meusite_invoice_due_services(self.day, service_ids=services.ids)
        for move in moves:
            billed = move.meusite_service_period_ids.service_id
            amount = sum(self.price[s.id] for s in billed)
            self.entries.append((move, billed.ids, amount))
            self.log(f"billed {move.name} {amount:.2f} for {billed.ids}")
        self.Service._meusite_cancel_requested_services(self.day)
        self.Service._meusite_cancel_unpaid_orders(self.day)
        self.Service._meusite_suspend_overdue_services(self.day)

    # ------------------------------------------------------------------ actions
    def act_staff_service(self, rng):
        plan = rng.choice(self.plans)
        start = self.day + timedelta(days=rng.randint(0, 9))
        service = self.Service.create({
            "partner_id": self.customer.id, "product_id": plan.product_variant_id.id,
            "cycle": "monthly", "price": plan.list_price, "state": "active",
            "date_start": start, "next_due_date": start,
        })
        self.price[service.id] = plan.list_price
        self.log(f"service {service.id} on {plan.name}")

    def act_order(self, rng):
        plan = rng.choice(self.plans)
        service = self.Service._meusite_place_order(self.customer, plan.id, "monthly")
        self.price[service.id] = plan.list_price
        self.entries.append((service.order_move_id, service.ids, plan.list_price))
        self.log(f"order {service.id} on {plan.name}")

    def act_change_plan(self, rng):
        service = rng.choice(self.services())
        plan = rng.choice(self.plans)
        new = plan.meusite_plan_price_ids.price
        # The difference by this test's own arithmetic: per billed period not yet over, the
        # price difference times the share of its days from today.
        diff = 0.0
        for period in service.period_ids.filtered(lambda p: p.period_end >= self.day):
            days = (period.period_end - period.period_start).days + 1
            left = (period.period_end - max(period.period_start, self.day)).days + 1
            diff += (new - self.price[service.id]) * left / days
        diff = self.currency.round(diff)
        move = service._meusite_change_plan(plan.id)
        self.price[service.id] = new
        if move:
            self.entries.append((move, service.ids, diff))
        self.log(f"plan of {service.id} to {plan.name}: {diff:.2f} ({move.name or '-'})")

    def act_cancel(self, rng):
        service = rng.choice(self.services())
        mode = rng.choice(["now", "end_of_period"])
        service._meusite_request_cancellation(mode)
        self.log(f"cancel {service.id} {mode}")

    def act_withdraw(self, rng):
        service = rng.choice(self.services())
        service._meusite_withdraw_cancellation()
        self.log(f"withdraw {service.id}")

    def act_pay(self, rng, partial=False):
        invoices = self.open_invoices()
        if not invoices:
            return
        invoice = rng.choice(invoices)
        residual = invoice.amount_residual
        amount = residual
        if partial and residual > 0.02:
            amount = self.currency.round(rng.uniform(0.01, residual - 0.01))
        # Money received: a posted customer payment (the bank journal's), matched with the
        # invoice as Odoo's "Register Payment" matches it.
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": self.customer.id, "amount": amount, "date": self.day,
            "journal_id": self.bank.id, "payment_method_line_id": self.inbound.id,
        })
        payment.action_post()
        (payment.move_id.line_ids + invoice.line_ids).filtered(
            lambda line: line.account_id == invoice.line_ids.filtered(
                lambda x: x.account_id.account_type == "asset_receivable").account_id
            and not line.reconciled
        ).reconcile()
        self.paid += amount
        self.log(f"paid {amount:.2f} of {invoice.name} ({residual:.2f})")

    def act_use_credit(self, rng):
        self.open_invoices()._meusite_apply_available_credit()
        self.log("credit applied to the open invoices")

    ACTIONS = [
        ("staff_service", 1), ("order", 1), ("change_plan", 5), ("cancel", 2),
        ("withdraw", 1), ("pay", 3), ("pay_partial", 2), ("use_credit", 1),
    ]

    def play(self, rng):
        names = [name for name, weight in self.ACTIONS for __ in range(weight)]
        for __ in range(rng.randint(2, 4)):
            name = rng.choice(names)
            try:
                with self.env.cr.savepoint():
                    if name == "pay_partial":
                        self.act_pay(rng, partial=True)
                    else:
                        getattr(self, f"act_{name}")(rng)
            except (UserError, IndexError) as error:
                # Refused as the customer would be (or nothing to act on): nothing happened.
                self.env.invalidate_all(flush=False)
                self.log(f"{name} refused: {error}")
            days = rng.choice([0, 1, 4, 9, 16])
            if days:
                self.day += timedelta(days=days)
                self.run_crons()

    # ------------------------------------------------------------------ invariants
    def check(self):
        currency = self.currency
        receivable = self.env["account.move.line"].search([
            ("partner_id", "=", self.customer.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
        ])
        balance = currency.round(sum(receivable.mapped("balance")))
        posted = [(m, s, a) for m, s, a in self.entries if m.state == "posted"]
        billed = currency.round(sum(a for __, __, a in posted))
        # The receivable balances to the centavo, against this test's own arithmetic.
        self.assertEqual(currency.compare_amounts(balance, billed - self.paid), 0,
                         f"receivable {balance} != billed {billed} - paid {self.paid}")
        credit = self.Move._meusite_available_credit(self.customer)
        owed = currency.round(sum(self.open_invoices().mapped("amount_residual")))
        self.assertEqual(currency.compare_amounts(balance, owed - credit), 0,
                         f"receivable {balance} != open {owed} - credit {credit}")
        # Credit only from money received.
        Service = self.env["meusite.service"]
        consumed = currency.round(sum(
            a for __, s, a in posted if "pending" not in Service.browse(s).mapped("state")
        ))
        self.assertLessEqual(
            currency.compare_amounts(credit, max(0.0, self.paid - consumed)), 0,
            f"credit {credit} > paid {self.paid} - consumed {consumed}",
        )
        # Every open debit is reminded, and suspends its running services once overdue.
        services_of = {m.id: s for m, s, __ in self.entries}
        self.day += timedelta(days=60)
        self.Service._meusite_cancel_unpaid_orders(self.day)
        self.Service._meusite_suspend_overdue_services(self.day)
        for invoice in self.open_invoices():
            self.env["meusite.invoice.reminder"]._meusite_send_invoice_reminders(
                invoice.invoice_date_due, move_ids=invoice.ids
            )
            self.assertTrue(invoice.meusite_reminder_ids, f"{invoice.name} never reminded")
            states = Service.browse(services_of[invoice.id]).mapped("state")
            self.assertNotIn("active", states,
                             f"{invoice.name} unpaid 60 days, its service still active")

    def test_random_sequences_keep_money_invariant(self):
        indexes = [int(ONLY)] if ONLY else range(SEQUENCES)
        for index in indexes:
            rng = random.Random(SEED * 1_000_003 + index)
            self.reset_oracle()
            with contextlib.closing(self.env.cr.savepoint()):
                try:
                    self.play(rng)
                    self.check()
                except Exception as error:
                    steps = "\n  ".join(self.steps)
                    raise AssertionError(
                        f"seed {SEED}, sequence {index} (MEUSITE_CREDIT_SEED={SEED}"
                        f" MEUSITE_CREDIT_SEQUENCE={index}): {error}\n  {steps}"
                    ) from error
