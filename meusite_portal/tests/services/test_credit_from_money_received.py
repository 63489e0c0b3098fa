"""Credit only from money received; every debit the product issues is paid, reminded or
suspended (issue #23, item 1). Attacks through the routes a customer has: "Mudar de plano"
(POST /my/services/<id>/change_plan) up and down again, without paying."""

from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, tagged

from ..common import make_portal_user

ORDER_DAYS = 7
GRACE_DAYS = 5


@tagged("post_install", "-at_install")
class TestCreditFromMoneyReceived(HttpCase):
    """Monthly plans "Básico Crédito" R$ 100,00 and "Pro Crédito" R$ 160,00. The customer's
    service is due in 5 days and already billed (the run bills 10 days ahead), so a plan
    change today re-prices the whole period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        set_param = cls.env["ir.config_parameter"].sudo().set_param
        set_param("meusite_portal.service_invoice_lead_days", "10")
        set_param("meusite_portal.service_suspension_grace_days", str(GRACE_DAYS))
        set_param("meusite_portal.order_payment_days", str(ORDER_DAYS))
        cls.basic = cls._plan("Básico Crédito", 100.0)
        cls.pro = cls._plan("Pro Crédito", 160.0)
        cls.user = make_portal_user(cls.env, "helena", "Helena Duarte Rocha")
        cls.customer = cls.user.partner_id
        cls.today = fields.Date.context_today(cls.env["meusite.service"])

    @classmethod
    def _plan(cls, name, price):
        return cls.env["product.template"].create({
            "name": name, "type": "service", "list_price": price, "taxes_id": [],
            "meusite_is_plan": True, "sale_ok": True,
            "meusite_plan_price_ids": [Command.create({"cycle": "monthly", "price": price})],
        })

    def setUp(self):
        super().setUp()
        self.service = self.service_on(self.basic)
        self.period_invoice = self.bill(self.service)

    def service_on(self, plan, due_in=5):
        due = self.today + timedelta(days=due_in)
        return self.env["meusite.service"].create({
            "partner_id": self.customer.id, "product_id": plan.product_variant_id.id,
            "cycle": "monthly", "price": plan.list_price, "date_start": due,
            "next_due_date": due, "state": "active",
        })

    def bill(self, services, day=None):
        return self.env["meusite.service"]._meusite_invoice_due_services(
            day or self.today, service_ids=services.ids
        )

    def pay(self, invoice, amount=None):
        vals = {"payment_date": self.today}
        if amount is not None:
            vals["amount"] = amount
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(vals)._create_payments()

    def change_plan(self, plan):
        """The customer's own "Mudar de plano" form, as the browser posts it once the
        confirmation page showed the difference (the POST acts only on what was shown)."""
        last = self.env["account.move"].search([], order="id desc", limit=1)
        difference = self.service._meusite_plan_change_preview(plan.id)["difference"]
        self.authenticate("helena", "helena-Senha123")
        response = self.url_open(
            f"/my/services/{self.service.id}/change_plan",
            data={"plan_id": plan.id, "difference": f"{difference:.2f}",
                  "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.service.product_id, plan.product_variant_id)
        return self.env["account.move"].search(
            [("commercial_partner_id", "=", self.customer.id), ("id", ">", last.id)],
            order="id desc", limit=1,
        )

    def credit(self):
        return self.env["account.move"]._meusite_available_credit(self.customer)

    def test_downgrade_right_after_an_unpaid_upgrade_gives_nothing(self):
        self.pay(self.period_invoice)
        upgrade = self.change_plan(self.pro)
        self.assertEqual(upgrade.move_type, "out_invoice")
        self.assertAlmostEqual(upgrade.amount_residual, 60.0)
        refund = self.change_plan(self.basic)
        self.assertEqual(refund.move_type, "out_refund")
        self.assertAlmostEqual(refund.amount_total, 60.0)
        # The credit note settles the upgrade nobody paid: no credit, nothing owed.
        self.assertAlmostEqual(self.credit(), 0.0)
        self.assertTrue(upgrade.currency_id.is_zero(upgrade.amount_residual))
        self.assertEqual(upgrade._meusite_portal_status()[0], "paid")
        # The next period is billed in full: no free month paid by a credit never received.
        next_invoice = self.bill(self.service, self.service.next_due_date - timedelta(days=5))
        self.assertAlmostEqual(next_invoice.amount_residual, 100.0)

    def test_downgrade_settles_the_unpaid_upgrade_before_the_unpaid_period(self):
        upgrade = self.change_plan(self.pro)
        self.change_plan(self.basic)
        # Back where it started: the upgrade is settled, the period still asks R$ 100,00.
        self.assertTrue(upgrade.currency_id.is_zero(upgrade.amount_residual))
        self.assertAlmostEqual(self.period_invoice.amount_residual, 100.0)
        self.assertAlmostEqual(self.credit(), 0.0)

    def test_downgrade_pays_the_unpaid_period_first(self):
        self.service.write({"product_id": self.pro.product_variant_id.id, "price": 160.0})
        self.period_invoice.button_draft()
        self.period_invoice.invoice_line_ids.price_unit = 160.0
        self.period_invoice.action_post()
        refund = self.change_plan(self.basic)
        self.assertAlmostEqual(refund.amount_total, 60.0)
        # The period now costs R$ 100,00 and that is what is still owed: no credit beside it.
        self.assertAlmostEqual(self.period_invoice.amount_residual, 100.0)
        self.assertAlmostEqual(self.credit(), 0.0)

    def test_what_is_left_pays_other_open_invoices_not_an_unpaid_order(self):
        other_invoice = self.period_invoice  # R$ 100,00 of another service, R$ 30,00 open
        self.pay(other_invoice, 70.0)
        order = self.env["meusite.service"]._meusite_place_order(
            self.customer, self.basic.id, "monthly"
        )
        self.service = self.service_on(self.pro, due_in=8)
        own = self.bill(self.service)
        self.assertNotEqual(own, other_invoice)
        self.pay(own)
        refund = self.change_plan(self.basic)  # 160 -> 100 for the whole period
        self.assertEqual(refund.move_type, "out_refund")
        self.assertAlmostEqual(refund.amount_total, 60.0)
        # The service's own invoice is paid: the R$ 60,00 the customer paid above the new
        # price pays their other open invoice at once (R$ 30,00), not the order they have
        # not paid; the other R$ 30,00 is their credit for the next invoices.
        self.assertTrue(other_invoice.currency_id.is_zero(other_invoice.amount_residual))
        self.assertEqual(order.order_move_id.payment_state, "not_paid")
        self.assertAlmostEqual(self.credit(), 30.0)

    def test_an_unpaid_upgrade_is_reminded_and_suspends_the_service(self):
        self.pay(self.period_invoice)
        upgrade = self.change_plan(self.pro)
        self.assertEqual(upgrade.invoice_date_due, self.today + timedelta(days=ORDER_DAYS))
        reminders = self.env["meusite.invoice.reminder"]._meusite_send_invoice_reminders(
            upgrade.invoice_date_due, move_ids=upgrade.ids
        )
        self.assertEqual(reminders.mapped("stage"), ["due"])
        Service = self.env["meusite.service"]
        day = upgrade.invoice_date_due + timedelta(days=GRACE_DAYS)
        Service._meusite_suspend_overdue_services(day)
        self.assertEqual(self.service.state, "active", "still within the grace days")
        Service._meusite_suspend_overdue_services(day + timedelta(days=1))
        self.assertEqual(self.service.state, "suspended")
        self.assertEqual(self.service.suspension_move_id, upgrade)
        self.assertIn("suspension", upgrade.meusite_reminder_ids.mapped("stage"))
        self.pay(upgrade)
        self.assertEqual(self.service.state, "active", "paying the difference reactivates it")

    def test_an_unpaid_late_charge_suspends_the_service(self):
        # A late charge booked by a payment that staff then took back (unreconciled): the
        # charge is a debit of the service like the invoice it was charged on.
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("meusite_portal.late_charge", "True")
        late_day = self.period_invoice.invoice_date_due + timedelta(days=10)
        charge = self.period_invoice._meusite_create_late_charge_invoice(
            5.0, self.customer, late_day, late_day
        )
        self.pay(self.period_invoice)
        self.env["meusite.service"]._meusite_suspend_overdue_services(
            late_day + timedelta(days=GRACE_DAYS + 1)
        )
        self.assertEqual(self.service.state, "suspended")
        self.assertEqual(self.service.suspension_move_id, charge)
        self.assertEqual(charge.sudo().meusite_service_ids, self.service)
