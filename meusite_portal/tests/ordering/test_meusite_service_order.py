from datetime import date, datetime, time, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

from ...const import ORDER_LOCK_NAMESPACE
from ..common import OrderMixin

ORDER_DAY = date(2031, 1, 10)


def midday(day):
    """Noon of ``day`` in Belo Horizonte (15:00 UTC): the same date in every time zone the
    code may read it in (the company's, a cron's). Frozen at 00:00 UTC, it is still the
    day before in the company's time zone."""
    return datetime.combine(day, time(15, 0))


@tagged("post_install", "-at_install")
class TestServiceOrder(OrderMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ana = cls.env["res.partner"].create({
            "name": "Ana Ribeiro Prado", "email": "ana.prado@example.com", "lang": "pt_BR",
        })
        cls.Service = cls.env["meusite.service"].with_context(lang="pt_BR")

    def order(self, plan=None, cycle="monthly", domain="", price=None, partner=None):
        with freeze_time(midday(ORDER_DAY)):
            return self.Service._meusite_place_order(
                partner or self.ana, (plan or self.plan).id, cycle, domain, price
            )

    def assert_refused(self, message, **kw):
        before = self.env["account.move"].search_count([])
        with self.assertRaisesRegex(UserError, message):
            self.order(**kw)
        self.assertFalse(self.services_of(self.ana), "no service created")
        self.assertEqual(self.env["account.move"].search_count([]), before, "no invoice")

    def pay(self, move, on, amount=None):
        with freeze_time(midday(on)):
            wizard = self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=move.ids
            ).create({"payment_date": on, **({"amount": amount} if amount else {})})
            wizard.action_create_payments()

    # --------------------------------------------------------------------- the order
    def test_order_is_a_pending_service_with_its_first_invoice_posted_and_mailed(self):
        service = self.order()
        self.assertEqual(service.state, "pending")
        self.assertEqual(service.partner_id, self.ana)
        self.assertEqual(service.product_id, self.plan.product_variant_id)
        self.assertEqual(service.cycle, "monthly")
        self.assertAlmostEqual(service.price, 158.90)
        self.assertFalse(service.domain_name)
        move = service.order_move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.partner_id, self.ana)
        self.assertAlmostEqual(move.amount_total, 158.90)
        self.assertEqual(move.invoice_date, ORDER_DAY)
        self.assertEqual(move.invoice_date_due, ORDER_DAY + timedelta(days=7))
        self.assertIn("primeiro período", move.invoice_line_ids.name)
        self.assertEqual(service.invoice_ids, move)
        # Sent with its PDF by Odoo's sending cron (see the billing run's tests).
        self.assertTrue(move.is_being_sent)
        self.env["account.move"]._cron_account_move_send(job_count=1000)
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", move.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn(self.ana, mail.recipient_ids)
        self.assertIn(move.name, mail.subject)
        # A pending order is not billed again by the recurring engine.
        self.assertFalse(self.Service._meusite_invoice_due_services(
            ORDER_DAY + timedelta(days=40), service_ids=service.ids))

    def test_the_payment_days_follow_the_setting(self):
        self.env["res.config.settings"].create({"meusite_order_payment_days": 3}).execute()
        service = self.order()
        self.assertEqual(service.order_move_id.invoice_date_due, ORDER_DAY + timedelta(3))

    def test_order_with_an_available_domain_attaches_it(self):
        service = self.order(domain="Minha-Loja.com.br")
        self.assertEqual(service.domain_name, "minha-loja.com.br")
        self.assertFalse(service.is_domain)
        self.assertEqual(self.rdap.requests, ["/br/domain/minha-loja.com.br"])

    def test_domain_plan_counts_as_a_domain(self):
        service = self.order(plan=self.domain_plan, cycle="annual", domain="minha-loja.com.br")
        self.assertTrue(service.is_domain)
        self.assertAlmostEqual(service.order_move_id.amount_total, 40.0)
        counts = self.ana._meusite_service_counts()
        self.assertEqual((counts["domains"], counts["domains_active"]), (1, 0))

    def test_the_price_shown_is_accepted(self):
        self.assertTrue(self.order(price="158.90"))

    # --------------------------------------------------------------------- refusals
    def test_domain_registered_since_the_check_is_refused(self):
        DomainCheck = self.env["meusite.domain.check"]
        self.assertEqual(DomainCheck._meusite_check("recente.com.br")["state"], "available")
        self.rdap.registered.add("recente.com.br")  # someone else registers it meanwhile
        self.assert_refused("não está mais disponível", domain="recente.com.br")
        # The order asked the registry again instead of trusting the cached answer.
        self.assertEqual(self.rdap.requests.count("/br/domain/recente.com.br"), 2)

    def test_registered_domain_is_refused(self):
        self.assert_refused("ocupado.com.br não está mais disponível", domain="ocupado.com.br")

    def test_domain_that_cannot_be_checked_is_refused(self):
        self.rdap.mode = "down"
        self.assert_refused("Não foi possível verificar", domain="livre.com.br")

    def test_invalid_domain_is_refused(self):
        self.assert_refused("espaços", domain="meu site.com.br")

    def test_domain_already_ordered_by_another_customer_is_refused(self):
        bruno = self.env["res.partner"].create({"name": "Bruno Teles", "lang": "pt_BR"})
        self.order(plan=self.domain_plan, cycle="annual", domain="disputado.com.br", partner=bruno)
        self.assert_refused("já está sendo registrado", plan=self.domain_plan, cycle="annual",
                            domain="disputado.com.br")

    def test_domain_plan_without_domain_is_refused(self):
        self.assert_refused("digite o domínio", plan=self.domain_plan, cycle="annual")

    def test_plan_no_longer_sold_is_refused(self):
        for change in ({"meusite_is_plan": False}, {"active": False}, {"sale_ok": False}):
            with self.subTest(change=change):
                self.plan.write(change)
                self.assert_refused("não está mais disponível para contratação")
                self.plan.write({"meusite_is_plan": True, "active": True, "sale_ok": True})

    def test_unknown_plan_or_any_other_product_is_refused(self):
        other = self.env["product.template"].create({"name": "Produto qualquer", "sale_ok": True})
        for plan_id in (other.id, 999999999, "abc", None):
            with self.subTest(plan_id=plan_id):
                with self.assertRaisesRegex(UserError, "não está mais disponível"):
                    self.Service._meusite_place_order(self.ana, plan_id, "monthly")
        self.assertFalse(self.services_of(self.ana))

    def test_cycle_not_offered_is_refused(self):
        for cycle in ("quarterly", "weekly", "", None):
            with self.subTest(cycle=cycle):
                self.assert_refused("ciclo de cobrança não é oferecido", cycle=cycle)

    def test_tampered_price_is_refused(self):
        for price in ("1.00", "0", "158.8", "abc", "-158.90"):
            with self.subTest(price=price):
                self.assert_refused("não confere com o preço", price=price)

    def test_staff_price_change_after_review_is_refused(self):
        self.plan.meusite_plan_price_ids.filtered(lambda p: p.cycle == "monthly").price = 169.90
        self.assert_refused("não confere com o preço", price="158.90")

    def test_same_order_twice_is_refused_while_the_first_awaits_payment(self):
        first = self.order(domain="duplo.com.br")
        with self.assertRaisesRegex(UserError, "já contratou este plano"):
            self.order(domain="duplo.com.br")
        # Another domain, or another cycle, is another order.
        self.assertTrue(self.order(domain="outro-site.com.br"))
        self.assertTrue(self.order(cycle="annual", domain="duplo.com.br"))
        self.assertEqual(len(self.services_of(self.ana)), 3)
        self.assertEqual(first.state, "pending")

    def test_an_order_being_placed_in_another_request_refuses_the_second(self):
        with self.env.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)",
                          (ORDER_LOCK_NAMESPACE, self.ana.id))
            self.assert_refused("já está sendo feito")
        self.assertTrue(self.order())

    # --------------------------------------------------------------------- payment
    def test_paying_the_first_invoice_activates_the_service_from_the_payment_date(self):
        service = self.order(domain="pago.com.br")
        paid_on = ORDER_DAY + timedelta(days=3)
        self.pay(service.order_move_id, paid_on)
        self.assertEqual(service.state, "active")
        self.assertEqual(service.date_start, paid_on)
        self.assertEqual(service.next_due_date, date(2031, 2, 13))
        self.assertEqual(
            (service.period_ids.period_start, service.period_ids.period_end),
            (paid_on, date(2031, 2, 12)),
        )
        activity = service.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.provisioner)
        self.assertEqual(activity.summary, "Provisionar este serviço")  # the staff's language
        self.assertIn(service.order_move_id.name, activity.note)
        # Recurring billing takes over: the next invoice is for the period after the paid one.
        invoice = self.Service._meusite_invoice_due_services(
            date(2031, 2, 3), service_ids=service.ids)
        self.assertEqual(invoice.invoice_date_due, date(2031, 2, 13))
        self.assertIn("(13/02/2031 - 12/03/2031)", invoice.invoice_line_ids.name)
        self.assertEqual(service.next_due_date, date(2031, 3, 13))
        # Staff mark it provisioned: the activity is done and it leaves the waiting list.
        service.action_meusite_mark_provisioned()
        self.assertTrue(service.provisioned)
        self.assertFalse(service.activity_ids)

    def test_the_activity_speaks_the_language_of_the_staff_member(self):
        self.provisioner.lang = "pt_BR"
        service = self.order()
        self.pay(service.order_move_id, ORDER_DAY)
        self.assertEqual(service.activity_ids.summary, "Provisionar este serviço")

    def test_partial_payment_keeps_the_order_pending(self):
        service = self.order()
        self.pay(service.order_move_id, ORDER_DAY, amount=50.0)
        self.assertEqual(service.state, "pending")
        self.assertFalse(service.activity_ids)

    def test_paying_one_order_does_not_activate_another(self):
        first = self.order()
        second = self.order(cycle="annual")
        self.pay(first.order_move_id, ORDER_DAY)
        self.assertEqual((first.state, second.state), ("active", "pending"))

    def new_orders(self, filter_name):
        """What staff see in New Orders with one of its filters."""
        action = self.env.ref("meusite_portal.meusite_service_order_action")
        arch = etree.fromstring(
            self.env.ref("meusite_portal.meusite_service_view_search_order").arch_db)
        domain = safe_eval(arch.find(f".//filter[@name='{filter_name}']").get("domain"))
        return self.env["meusite.service"].search(safe_eval(action.domain) + domain)

    def test_staff_see_new_orders_waiting_for_payment_then_provisioning(self):
        waiting = self.order()
        paid = self.order(cycle="annual")
        staff_made = self.env["meusite.service"].create({
            "partner_id": self.ana.id, "product_id": self.plan.product_variant_id.id,
            "price": 10.0, "state": "pending", "date_start": ORDER_DAY, "next_due_date": ORDER_DAY,
        })
        self.pay(paid.order_move_id, ORDER_DAY)
        self.assertIn(paid.order_payment_state, ("paid", "in_payment"))
        self.assertEqual(waiting.order_payment_state, "not_paid")
        to_pay = self.new_orders("filter_order_waiting_payment")
        to_provision = self.new_orders("filter_order_waiting_provisioning")
        self.assertIn(waiting, to_pay)
        self.assertNotIn(paid, to_pay)
        self.assertNotIn(staff_made, to_pay, "only orders from the client area")
        self.assertIn(paid, to_provision)
        self.assertNotIn(waiting, to_provision)
        paid.action_meusite_mark_provisioned()
        self.assertNotIn(paid, self.new_orders("filter_order_waiting_provisioning"))

    # --------------------------------------------------------------------- cancellation
    def test_unpaid_order_is_cancelled_after_its_due_date_and_the_customer_told(self):
        service = self.order()
        move = service.order_move_id
        Service = self.env["meusite.service"]
        self.assertFalse(Service._meusite_cancel_unpaid_orders(ORDER_DAY + timedelta(days=7)))
        self.assertEqual(service.state, "pending")
        cancelled = Service._meusite_cancel_unpaid_orders(ORDER_DAY + timedelta(days=8))
        self.assertEqual(cancelled, service)
        self.assertEqual(service.state, "cancelled")
        self.assertEqual(move.state, "cancel")
        # Cancelled before Odoo's sending cron passed: not sent, and the cron still runs.
        self.assertFalse(move.is_being_sent)
        self.env["account.move"]._cron_account_move_send(job_count=1000)
        mail = self.env["mail.mail"].search(
            [("model", "=", "meusite.service"), ("res_id", "=", service.id)])
        self.assertEqual(len(mail), 1)
        self.assertIn("Pedido cancelado", mail.subject)
        self.assertIn(move.name, mail.body_html)
        # Cancelled: it cannot be paid any more.
        with self.assertRaisesRegex(UserError, "cancelada"):
            move.with_context(lang="pt_BR")._meusite_check_payable(self.ana)

    def test_cancellation_days_follow_the_setting(self):
        self.env["ir.config_parameter"].sudo().set_param("meusite_portal.order_payment_days", "2")
        service = self.order()
        self.env["meusite.service"]._meusite_cancel_unpaid_orders(ORDER_DAY + timedelta(days=3))
        self.assertEqual(service.state, "cancelled")

    def test_partly_paid_or_awaiting_transfer_orders_are_not_cancelled(self):
        partly = self.order()
        self.pay(partly.order_move_id, ORDER_DAY, amount=50.0)
        awaiting = self.order(cycle="annual")
        transfer = self.env.ref("payment.payment_provider_transfer")
        transfer.state = "enabled"
        tx = self.env["payment.transaction"].create({
            "provider_id": transfer.id,
            "payment_method_id": self.env.ref("payment_custom.payment_method_wire_transfer").id,
            "amount": 1690.0,
            "currency_id": awaiting.currency_id.id,
            "partner_id": self.ana.id,
            "reference": "ORDER-TEST-1",
            "invoice_ids": [Command.set(awaiting.order_move_id.ids)],
        })
        tx._set_pending()
        cancelled = self.env["meusite.service"]._meusite_cancel_unpaid_orders(
            ORDER_DAY + timedelta(days=30))
        self.assertFalse(cancelled)
        self.assertEqual((partly.state, awaiting.state), ("pending", "pending"))
        self.assertEqual(awaiting.order_move_id.state, "posted")

    def test_paid_orders_are_not_cancelled(self):
        service = self.order()
        self.pay(service.order_move_id, ORDER_DAY)
        self.assertFalse(self.env["meusite.service"]._meusite_cancel_unpaid_orders(
            ORDER_DAY + timedelta(days=30)))
        self.assertEqual(service.state, "active")
