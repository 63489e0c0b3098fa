from unittest.mock import patch

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..common import D, ServiceCase

REQUEST_DAY = D(2031, 3, 5)


@tagged("post_install", "-at_install")
class TestServiceCancellation(ServiceCase):
    """A monthly service due 10/03/2031, billed on 28/02 for 10/03-09/04 (next due 10/04);
    the customer asks on 05/03 to cancel."""

    def setUp(self):
        super().setUp()
        self.service = self.make_service(self.ana, D(2031, 3, 10))
        self.invoice = self.run_billing(D(2031, 2, 28))
        self.assertEqual(self.service.next_due_date, D(2031, 4, 10))

    def request(self, mode, day=REQUEST_DAY):
        with patch.object(fields.Date, "context_today", lambda *a, **k: day):
            return self.service._meusite_request_cancellation(mode)

    def test_end_of_period_stops_the_next_billing_and_cancels_on_that_day(self):
        self.request("end_of_period")
        self.assertEqual(self.service.cancel_effective_date, D(2031, 4, 10))
        self.assertEqual(self.service.cancel_request_date, D(2031, 3, 5))
        self.assertEqual(self.service.state, "active", "it runs until the end of the period")
        # The run that would bill 10/04-09/05 (ten days ahead) bills nothing.
        self.assertFalse(self.run_billing(D(2031, 3, 31)))
        self.assertFalse(self.run_billing(D(2031, 4, 10)))
        self.assertEqual(self.service.invoice_ids, self.invoice)
        self.assertFalse(self.Service._meusite_cancel_requested_services(D(2031, 4, 9)))
        self.Service._meusite_cancel_requested_services(D(2031, 4, 10))
        self.assertEqual(self.service.state, "cancelled")

    def test_at_once_cancels_today(self):
        self.request("now")
        self.assertEqual(self.service.state, "cancelled")
        self.assertEqual(self.service.cancel_effective_date, D(2031, 3, 5))
        self.assertFalse(self.run_billing(D(2031, 3, 31)))

    def test_recorded_staff_told_customer_mailed(self):
        self.request("end_of_period")
        activity = self.service.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("meusite_portal.mail_activity_type_service_cancellation"))
        self.assertEqual(len(activity), 1)
        self.assertIn("10/04/2031", str(activity.note))
        self.assertIn("10/04/2031", str(self.service.message_ids[:3].mapped("body")))
        mail = self.env["mail.mail"].search([
            ("model", "=", "meusite.service"), ("res_id", "=", self.service.id),
            ("recipient_ids", "in", self.ana.ids),
        ])
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.ana)
        self.assertIn("Cancelamento", mail.subject)
        self.assertIn("10/04/2031", str(mail.body_html))

    def test_withdrawn_before_it_takes_effect_billing_resumes(self):
        self.request("end_of_period")
        with patch.object(fields.Date, "context_today", lambda *a, **k: D(2031, 3, 20)):
            self.service._meusite_withdraw_cancellation()
        self.assertFalse(self.service.cancel_effective_date)
        self.assertFalse(self.service.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("meusite_portal.mail_activity_type_service_cancellation")))
        self.assertTrue(self.run_billing(D(2031, 3, 31)))
        self.assertFalse(self.Service._meusite_cancel_requested_services(D(2031, 4, 10)))
        self.assertEqual(self.service.state, "active")

    def test_cannot_withdraw_once_effective_nor_request_twice(self):
        self.request("end_of_period")
        with self.assertRaises(UserError):
            self.request("now")
        with patch.object(fields.Date, "context_today", lambda *a, **k: D(2031, 4, 10)), \
                self.assertRaises(UserError):
            self.service._meusite_withdraw_cancellation()

    def test_a_cancelled_service_cannot_be_cancelled_again(self):
        self.service.action_cancel()
        with self.assertRaises(UserError):
            self.request("now")


@tagged("post_install", "-at_install")
class TestServiceCancellationPage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env.ref("meusite_portal.demo_service_plan")
        cls.other = cls.env.ref("meusite_portal.demo_service_suspended")

    def post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def test_customer_requests_and_withdraws_from_the_service_page(self):
        self.authenticate("cliente", "cliente")
        page = self.url_open(f"/my/services/{self.plan.id}").text
        self.assertIn("Solicitar cancelamento", page)
        # Confirmed with the date the confirmation page showed (test_service_confirm).
        response = self.post(f"/my/services/{self.plan.id}/cancel", mode="end_of_period",
                             effective_date=str(self.plan.next_due_date))
        self.assertTrue(response.url.endswith(f"/my/services/{self.plan.id}"))
        self.assertIn("Cancelamento solicitado", response.text)
        self.assertIn(self.plan.next_due_date.strftime("%d/%m/%Y"), response.text)
        self.assertEqual(self.plan.cancel_effective_date, self.plan.next_due_date)
        response = self.post(f"/my/services/{self.plan.id}/cancel/withdraw")
        self.assertIn("Solicitar cancelamento", response.text)
        self.assertFalse(self.plan.cancel_effective_date)

    def test_unknown_mode_is_refused_with_a_message_and_nothing_changes(self):
        self.authenticate("cliente", "cliente")
        response = self.post(f"/my/services/{self.plan.id}/cancel", mode="yesterday")
        self.assertIn("Escolha quando o cancelamento", response.text)
        self.assertFalse(self.plan.cancel_effective_date)

    def test_another_customers_service_cannot_be_cancelled(self):
        self.authenticate("cliente", "cliente")
        response = self.post(f"/my/services/{self.other.id}/cancel", mode="now")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.other.state, "suspended")
        self.assertFalse(self.other.cancel_effective_date)

    def test_a_get_changes_nothing(self):
        self.authenticate("cliente", "cliente")
        response = self.url_open(f"/my/services/{self.plan.id}/cancel?mode=now")
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.plan.state, "active")
