from unittest.mock import patch

from odoo import Command, fields, http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..common import D, ServiceCase


def on(day):
    return patch.object(fields.Date, "context_today", lambda *a, **k: day)


@tagged("post_install", "-at_install")
class TestServicePlanChange(ServiceCase):
    """Monthly plans "Básico Teste" R$ 100,00 and "Pro Teste" R$ 160,00. A service due
    10/03/2031 is billed on 28/02 for 10/03-09/04 (31 days); the next due date is 10/04."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.basic = cls._plan("Básico Teste", 100.0)
        cls.pro = cls._plan("Pro Teste", 160.0)

    @classmethod
    def _plan(cls, name, price):
        return cls.env["product.template"].create({
            "name": name, "type": "service", "list_price": price, "taxes_id": [],
            "meusite_is_plan": True, "sale_ok": True,
            "meusite_plan_price_ids": [Command.create({"cycle": "monthly", "price": price})],
        })

    def service_on(self, plan):
        service = self.make_service(self.ana, D(2031, 3, 10), price=plan.list_price,
                                    product=plan.product_variant_id)
        self.period_invoice = self.run_billing(D(2031, 2, 28))
        return service

    def test_upgrade_invoices_the_difference_for_the_rest_of_the_period(self):
        service = self.service_on(self.basic)
        with on(D(2031, 3, 25)):
            move = service._meusite_change_plan(self.pro.id)
        # 25/03 to 09/04 is 16 of the period's 31 days: (160,00 - 100,00) x 16/31 = 30,967
        # -> R$ 30,97.
        self.assertEqual(move.move_type, "out_invoice")
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(move.amount_total, 30.97)
        self.assertEqual(move.partner_id, self.ana)
        self.assertIn("Pro Teste", move.invoice_line_ids.name)
        self.assertEqual(service.product_id, self.pro.product_variant_id)
        self.assertEqual(service.price, 160.0)
        # The next period is billed at the new price.
        self.assertAlmostEqual(self.run_billing(D(2031, 3, 31)).amount_total, 160.0)

    def test_change_before_the_billed_period_starts_reprices_all_of_it(self):
        service = self.service_on(self.basic)
        with on(D(2031, 3, 5)):
            move = service._meusite_change_plan(self.pro.id)
        # The whole of 10/03-09/04 is still to come: 160,00 - 100,00 = 60,00.
        self.assertAlmostEqual(move.amount_total, 60.0)

    def test_downgrade_credits_the_difference_and_the_credit_pays_the_next_invoice(self):
        service = self.service_on(self.pro)
        self.period_invoice._meusite_demo_register_payment()
        with on(D(2031, 3, 25)):
            move = service._meusite_change_plan(self.basic.id)
        # (100,00 - 160,00) x 16/31 = -30,97: a credit note of R$ 30,97.
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "posted")
        self.assertAlmostEqual(move.amount_total, 30.97)
        self.assertAlmostEqual(self.env["account.move"]._meusite_available_credit(self.ana), 30.97)
        # The next run bills 10/04-09/05 at R$ 100,00 and the credit pays part of it.
        invoice = self.run_billing(D(2031, 3, 31))
        self.assertAlmostEqual(invoice.amount_total, 100.0)
        self.assertAlmostEqual(invoice.amount_residual, 69.03)
        self.assertEqual(invoice.payment_state, "partial")
        self.send_queued_invoices()
        mail = self.env["mail.mail"].search([
            ("model", "=", "account.move"), ("res_id", "=", invoice.id),
        ])
        self.assertIn("69,03", str(mail.body_html), "the e-mail says what is left to pay")
        self.assertAlmostEqual(self.env["account.move"]._meusite_available_credit(self.ana), 0.0)
        self.assertIn(move.payment_state, ("paid", "reversed"))

    def test_credit_larger_than_the_invoice_pays_it_and_the_rest_waits(self):
        credit = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": self.ana.id,
            "invoice_line_ids": [Command.create({
                "name": "Crédito decidido pela equipe", "quantity": 1, "price_unit": 200.0,
                "tax_ids": [Command.clear()],
            })],
        })
        credit.action_post()
        self.make_service(self.ana, D(2031, 3, 10))
        invoice = self.run_billing(D(2031, 2, 28))
        # Fully settled by a credit note, Odoo says "reversed"; the customer reads "Paga".
        self.assertTrue(invoice.currency_id.is_zero(invoice.amount_residual))
        self.assertEqual(invoice._meusite_portal_status()[0], "paid")
        # 200,00 - 158,90 = 41,10 left for the next invoice.
        self.assertAlmostEqual(self.env["account.move"]._meusite_available_credit(self.ana), 41.10)

    def test_only_orderable_plans_of_the_same_cycle(self):
        service = self.service_on(self.basic)
        options = {plan for plan, __, __ in service._meusite_plan_change_options()}
        self.assertIn(self.pro, options)
        self.assertNotIn(self.basic, options, "not the plan it already has")
        annual_only = self.env["product.template"].create({
            "name": "Anual Teste", "type": "service", "meusite_is_plan": True, "sale_ok": True,
            "meusite_plan_price_ids": [Command.create({"cycle": "annual", "price": 900.0})],
        })
        self.assertNotIn(annual_only, {p for p, __, __ in service._meusite_plan_change_options()})
        with self.assertRaises(UserError):
            service._meusite_change_plan(annual_only.id)
        with self.assertRaises(UserError):
            service._meusite_change_plan("not a number")
        service.action_suspend()
        with self.assertRaises(UserError):
            service._meusite_change_plan(self.pro.id)


@tagged("post_install", "-at_install")
class TestServicePlanChangePage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env.ref("meusite_portal.demo_service_plan")
        cls.loja = cls.env.ref("meusite_portal.product_plan_loja").product_tmpl_id
        cls.other = cls.env.ref("meusite_portal.demo_service_suspended")

    def post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def test_customer_changes_plan_from_the_service_page(self):
        self.authenticate("cliente", "cliente")
        page = self.url_open(f"/my/services/{self.service.id}").text
        self.assertIn("Mudar de plano", page)
        self.assertIn(self.loja.name, page)
        # The browser may send an amount: only the plan is read (and the difference the
        # confirmation page showed, test_service_confirm).
        difference = self.service._meusite_plan_change_preview(self.loja.id)["difference"]
        response = self.post(f"/my/services/{self.service.id}/change_plan",
                             plan_id=self.loja.id, amount="0.01", difference=f"{difference:.2f}")
        self.assertIn("o_meusite_plan_message", response.text)
        self.assertIn("Plano alterado", response.text)
        self.assertEqual(self.service.product_id, self.loja.product_variant_id)

    def test_another_customers_service_cannot_change_plan(self):
        self.authenticate("cliente", "cliente")
        response = self.post(f"/my/services/{self.other.id}/change_plan", plan_id=self.loja.id)
        self.assertEqual(response.status_code, 404)
        self.assertNotEqual(self.other.product_id, self.loja.product_variant_id)

    def test_panel_shows_the_available_credit(self):
        partner = self.env.ref("meusite_portal.demo_customer_user").partner_id
        credit = self.env["account.move"].create({
            "move_type": "out_refund", "partner_id": partner.id,
            "invoice_line_ids": [Command.create({
                "name": "Crédito", "quantity": 1, "price_unit": 25.0,
                "tax_ids": [Command.clear()],
            })],
        })
        credit.action_post()
        self.authenticate("cliente", "cliente")
        page = self.url_open("/my").text
        self.assertIn("Crédito disponível", page)
        self.assertRegex(page, r"o_meusite_credit.*\s*.*25,00")
