from odoo.tests import tagged

from ..common import D, ServiceCase


@tagged("post_install", "-at_install")
class TestServiceSuspension(ServiceCase):
    def setUp(self):
        super().setUp()
        self.plan_service = self.make_service(self.ana, D(2031, 5, 10))
        self.domain_service = self.make_service(
            self.ana, D(2031, 5, 10), product=self.domain_product, is_domain=True,
            domain_name="anaribeiro.com.br", price=40.0,
        )
        self.invoice = self.run_billing(D(2031, 5, 1))

    def suspend(self, day):
        return self.Service._meusite_suspend_overdue_services(day)

    def pay(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": invoice.invoice_date_due})._create_payments()

    def test_suspended_after_grace_period_and_customer_told(self):
        services = self.plan_service | self.domain_service
        self.suspend(D(2031, 5, 15))  # 5 days overdue: still within grace
        self.assertEqual(set(services.mapped("state")), {"active"})
        self.suspend(D(2031, 5, 16))
        self.assertEqual(set(services.mapped("state")), {"suspended"})
        self.assertEqual(self.plan_service.suspension_move_id, self.invoice)
        mail = self.env["mail.mail"].search([
            ("res_id", "=", self.invoice.id), ("model", "=", "account.move"),
            ("subject", "ilike", "suspensos"),
        ])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.ana)
        self.assertIn("anaribeiro.com.br", str(mail.body_html))
        # The company's e-mail: no "Powered by Odoo" under it.
        self.assertNotIn("odoo.com", str(mail.body_html))
        self.assertNotIn("Powered by", str(mail.body_html))
        self.assertIn("Sua fatura", str(mail.body_html))
        # A second run neither re-suspends nor e-mails again.
        self.suspend(D(2031, 5, 17))
        self.assertEqual(self.env["mail.mail"].search_count([
            ("res_id", "=", self.invoice.id), ("subject", "ilike", "suspensos"),
        ]), 1)

    def test_suspended_services_are_not_invoiced(self):
        self.suspend(D(2031, 5, 16))
        self.assertFalse(self.run_billing(D(2031, 6, 1)))

    def test_paid_invoice_is_not_suspended(self):
        self.pay(self.invoice)
        self.suspend(D(2031, 6, 1))
        self.assertEqual(self.plan_service.state, "active")

    def test_paying_reactivates(self):
        self.suspend(D(2031, 5, 16))
        self.pay(self.invoice)
        self.assertIn(self.invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(
            set((self.plan_service | self.domain_service).mapped("state")), {"active"}
        )
        self.assertFalse(self.plan_service.suspension_move_id)

    def test_staff_suspension_is_not_lifted_by_a_payment(self):
        self.plan_service.action_suspend()
        self.pay(self.invoice)
        self.assertEqual(self.plan_service.state, "suspended")

    def test_bulk_suspend_and_reactivate_actions(self):
        services = self.plan_service | self.domain_service
        action = self.env.ref("meusite_portal.meusite_service_action_suspend")
        action.with_context(active_model="meusite.service", active_ids=services.ids).run()
        self.assertEqual(set(services.mapped("state")), {"suspended"})
        action = self.env.ref("meusite_portal.meusite_service_action_reactivate")
        action.with_context(active_model="meusite.service", active_ids=services.ids).run()
        self.assertEqual(set(services.mapped("state")), {"active"})
