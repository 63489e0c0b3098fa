"""Look before you leap (issue #25): "Solicitar cancelamento" and "Mudar de plano" first show
what will happen (the date, the amount billed or credited, the next invoice) on a page that
writes nothing, and only its button acts, on exactly what it showed."""

import re
from datetime import timedelta

from odoo import fields, http
from odoo.tests import HttpCase, tagged

from ..common import make_invoices


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


@tagged("post_install", "-at_install")
class TestServiceConfirm(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env.ref("meusite_portal.demo_service_plan")
        cls.loja = cls.env.ref("meusite_portal.product_plan_loja").product_tmpl_id
        cls.customer = cls.service.partner_id
        today = fields.Date.context_today(cls.service)
        # The period billed ahead: today to 29 days on, so that changing plan re-prices it.
        cls.period_invoice = make_invoices(cls.env, cls.customer, amount=158.90, due_in=0)
        cls.service.period_ids.unlink()
        cls.env["meusite.service.period"].create({
            "service_id": cls.service.id, "move_id": cls.period_invoice.id,
            "period_start": today, "period_end": today + timedelta(days=29),
        })
        cls.service.next_due_date = today + timedelta(days=30)

    def setUp(self):
        super().setUp()
        self.authenticate("cliente", "cliente")

    def post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def form_of(self, page):
        """The confirmation page's form: its action and hidden values."""
        form = re.search(r'<form[^>]*method="post"[^>]*>.*?</form>', page, re.S).group(0)
        action = re.search(r'action="([^"]+)"', form).group(1)
        fields_ = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        fields_.pop("csrf_token")
        return action, fields_

    def snapshot(self):
        service = self.service
        service.invalidate_recordset()
        return (
            service.product_id, service.price, service.cancel_effective_date,
            len(service.message_ids), len(service.activity_ids),
            self.env["account.move"].search_count([("partner_id", "=", self.customer.id)]),
        )

    def test_the_service_page_asks_first(self):
        page = self.url_open(f"/my/services/{self.service.id}").text
        self.assertIn(f'method="get" action="/my/services/{self.service.id}/cancel/confirm"', page)
        self.assertIn(f'method="get" action="/my/services/{self.service.id}/change_plan/confirm"',
                      page)

    def test_plan_change_shows_the_amount_it_bills_and_bills_that(self):
        before = self.snapshot()
        url = f"/my/services/{self.service.id}/change_plan/confirm?plan_id={self.loja.id}"
        page = self.url_open(url).text
        self.assertEqual(self.snapshot(), before, "the confirmation page writes nothing")
        summary = text(re.search(r'o_meusite_confirm_summary">(.*?)</dl>', page, re.S).group(1))
        today = fields.Date.context_today(self.service)
        # 30 days of 30 still to serve at 259,90 instead of 158,90: 101,00 now.
        self.assertIn("Loja Virtual Expresso: R$ 259,90 (Mensal)", summary)
        self.assertIn(f"A partir de {today:%d/%m/%Y} (hoje)", summary)
        self.assertIn("Cobrado agora R$ 101,00", summary)
        self.assertIn("Próxima fatura R$ 259,90, com vencimento em "
                      f"{self.service.next_due_date:%d/%m/%Y}", summary)
        action, values = self.form_of(page)
        self.assertEqual(values, {"plan_id": str(self.loja.id), "difference": "101.00"})
        Move = self.env["account.move"]
        existing = Move.search([("partner_id", "=", self.customer.id)])
        response = self.post(action, **values)
        self.assertIn("Plano alterado", response.text)
        self.assertEqual(self.service.product_id, self.loja.product_variant_id)
        move = Move.search([("partner_id", "=", self.customer.id)]) - existing
        self.assertEqual((move.move_type, move.amount_total), ("out_invoice", 101.00),
                         "the amount shown is the amount billed")

    def test_a_plan_change_not_confirmed_goes_to_the_confirmation(self):
        before = self.snapshot()
        for data in ({"plan_id": self.loja.id}, {"plan_id": self.loja.id, "difference": "0.01"}):
            response = self.post(f"/my/services/{self.service.id}/change_plan", **data)
            self.assertIn("o_meusite_service_confirm", response.text)
            self.assertIn("R$\xa0<span class=\"oe_currency_value\">101,00</span>", response.text)
        self.assertEqual(self.snapshot(), before)

    def test_cancellation_shows_when_and_what_and_does_it_on_confirmation(self):
        before = self.snapshot()
        url = f"/my/services/{self.service.id}/cancel/confirm?mode=end_of_period"
        page = self.url_open(url).text
        self.assertEqual(self.snapshot(), before, "the confirmation page writes nothing")
        summary = text(re.search(r'o_meusite_confirm_summary">(.*?)</dl>', page, re.S).group(1))
        due = self.service.next_due_date
        self.assertIn(f"O serviço para em {due:%d/%m/%Y} (fim do período já faturado)", summary)
        self.assertIn("Valor creditado R$ 0,00", summary)
        self.assertIn("Próxima fatura Nenhuma: o serviço não será mais cobrado", summary)
        # The service's invoice still to pay, with a link to it.
        self.assertIn(self.period_invoice.name, page)
        action, values = self.form_of(page)
        self.assertEqual(values, {"mode": "end_of_period", "effective_date": str(due)})
        # Without the date the page showed: back to the page, nothing done.
        response = self.post(action, mode="end_of_period")
        self.assertIn("o_meusite_service_confirm", response.text)
        self.assertFalse(self.service.cancel_effective_date)
        response = self.post(action, **values)
        self.assertIn("Cancelamento solicitado", response.text)
        self.assertEqual(self.service.cancel_effective_date, due)

    def test_a_refusal_is_explained_on_the_confirmation_page(self):
        page = self.url_open(f"/my/services/{self.service.id}/cancel/confirm?mode=yesterday").text
        self.assertIn("Escolha quando o cancelamento", page)
        self.assertNotIn("o_meusite_confirm_submit", page)
        page = self.url_open(f"/my/services/{self.service.id}/change_plan/confirm?plan_id=x").text
        self.assertIn("o_meusite_confirm_error", page)
        self.assertNotIn("o_meusite_confirm_submit", page)

    def test_another_customers_service_has_no_confirmation_page(self):
        other = self.env.ref("meusite_portal.demo_service_suspended")
        for url in (f"/my/services/{other.id}/cancel/confirm?mode=now",
                    f"/my/services/{other.id}/change_plan/confirm?plan_id={self.loja.id}"):
            self.assertEqual(self.url_open(url).status_code, 404)
