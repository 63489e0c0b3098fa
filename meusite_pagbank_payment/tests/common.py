"""What every PagBank test starts from: a customer with a portal login and l10n_br data, the
PagBank provider talking to the PagBank double (tests/doubles/pagbank_double.py) on a free
loopback port, and helpers that pay through the real routes as the payment form does.

PagBank's answers and notifications are the contract fixtures' shapes (tests/fixtures/*.json);
test_pagbank_contract.py checks the double and our client against them."""

import json
import re
import urllib.request
from html import unescape
from pathlib import Path

from odoo import http
from odoo.tests import HttpCase
from odoo.tools import mute_logger

from odoo.addons.meusite_pagbank_payment.tests.doubles import pagbank_double
from odoo.addons.meusite_portal.tests.common import make_invoices, make_portal_user

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TOKEN = "SANDBOXPAGBANKTOKEN00000000000000000000AB"
WEBHOOK = "/payment/pagbank/webhook"
MUTE = (
    "odoo.addons.meusite_pagbank_payment.models.payment_provider",
    "odoo.addons.meusite_pagbank_payment.models.payment_transaction",
    "odoo.addons.meusite_pagbank_payment.controllers.main",
    "odoo.addons.meusite_moip_payment.models.payment_transaction",
    "odoo.http",
    "werkzeug",
)


def fixture(name):
    with open(FIXTURES / f"{name}.json", encoding="utf-8") as file:
        return json.load(file)


def shape(value):
    """The keys of a JSON value, recursively (a list by its first element)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


class PagbankCase(HttpCase):
    """A customer (portal login ``joana``), an open invoice, the provider on the double."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.double = pagbank_double.PagbankDouble(token=TOKEN).start()
        cls.addClassCleanup(cls.double.stop)
        cls.provider = cls.env.ref("meusite_pagbank_payment.payment_provider_pagbank")
        cls.provider.write({
            "state": "test", "is_published": True, "pagbank_token": TOKEN,
            "pagbank_api_url": cls.double.api_url, "pagbank_last_error": False,
        })
        # Only PagBank on the payment form: no other provider's rule gets in the way.
        cls.env["payment.provider"].search([("id", "!=", cls.provider.id)]).write(
            {"is_published": False}
        )
        cls.pix = cls.env.ref("payment.payment_method_pix")
        cls.boleto = cls.env.ref("payment.payment_method_boleto")
        (cls.pix | cls.boleto).active = True
        cls.user = make_portal_user(cls.env, "joana", "Joana Ribeiro Campos d'Ávila")
        cls.customer = cls.user.partner_id
        cls.customer.write({
            "email": "joana.campos@example.com",
            "vat": "529.982.247-25",
            "phone": "+55 31 99876-1234",
            "street_name": "Rua Pernambuco",
            "street_number": "880",
            "street_number2": "Apto 302",
            "street2": "Savassi",
            "city": "Belo Horizonte",
            "state_id": cls.env.ref("base.state_br_mg").id,
            "zip": "30130-151",
            "country_id": cls.env.ref("base.br").id,
        })
        cls.invoice = make_invoices(cls.env, cls.customer, amount=158.90)

    def setUp(self):
        super().setUp()
        self.double.reset()
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.authenticate("joana", "joana-Senha123")

    # --- the customer's side, through the real routes ---

    def _jsonrpc(self, route, params):
        with mute_logger("odoo.http"):
            return self.url_open(route, data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": params,
            }), headers={"Content-Type": "application/json"}).json()

    def _tx_params(self, method, **extra):
        return {
            "provider_id": self.provider.id, "payment_method_id": method.id, "token_id": None,
            "flow": "redirect", "tokenization_requested": False,
            "landing_route": "/my/invoices", "is_validation": False, **extra,
        }

    def _follow_redirect_form(self, answer):
        """Submit the redirect form like the browser: the PagBank page (tx, html)."""
        self.assertIn("result", answer, answer)
        form = answer["result"]["redirect_form_html"]
        action = re.search(r'action="([^"]+)"', form).group(1)
        values = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
        response = self.url_open(action + "?" + "&".join(f"{k}={v}" for k, v in values.items()))
        self.assertEqual(response.status_code, 200)
        tx = self.env["payment.transaction"].search(
            [("reference", "=", unescape(values["reference"]))]
        )
        return tx, response.text

    def pay_invoice(self, method, invoice=None):
        """"Pagar" on the invoice page with ``method`` (the PIX or boleto record)."""
        invoice = invoice or self.invoice
        self.env.flush_all()
        answer = self._jsonrpc(f"/invoice/transaction/{invoice.id}", self._tx_params(
            method, amount=invoice.amount_residual, access_token=invoice._portal_ensure_token(),
        ))
        return self._follow_redirect_form(answer)

    def pay_selected(self, method, invoices):
        """"Pagar Selecionados" on Minhas Faturas, then ``method`` on the payment page."""
        self.env.flush_all()
        page = self.url_open("/my/invoices/pay", data={
            "invoice_ids": invoices.ids, "csrf_token": http.Request.csrf_token(self),
        }).text
        route = re.search(r'data-transaction-route="([^"]+)"', page).group(1)
        answer = self._jsonrpc(route, self._tx_params(
            method, amount=0.01,
            access_token=re.search(r'data-access-token="([^"]+)"', page).group(1),
            payment_reference=re.search(r'data-payment-reference="([^"]*)"', page).group(1),
        ))
        return self._follow_redirect_form(answer)

    # --- PagBank's side ---

    def simulate_payment(self, tx, amount=None):
        """The payer pays at PagBank (the double's "Simular pagamento"); PagBank notifies."""
        query = f"order_id={tx.pagbank_order_id}" + (f"&amount={amount}" if amount else "")
        self.env.flush_all()
        with urllib.request.urlopen(  # noqa: S310 - loopback
            f"{self.double.base_url}/simular/pagar?{query}", timeout=60
        ) as response:
            answer = json.loads(response.read())
        self.run_post_processing()
        return answer

    def post_notification(self, body, signature=None):
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["x-authenticity-token"] = signature
        self.env.flush_all()
        response = self.url_open(WEBHOOK, data=body, headers=headers)
        self.run_post_processing()
        return response

    def run_post_processing(self):
        """What Odoo's post-processing cron, which the webhook wakes, does (minus commits)."""
        self.env.invalidate_all()
        self.env["payment.transaction"].search(
            [("is_post_processed", "=", False), ("state", "=", "done")]
        )._post_process()
        self.env.invalidate_all()

    def order_reads(self, tx):
        read = ("GET", f"/orders/{tx.pagbank_order_id}")
        return [r for r in self.double.state.requests if r[:2] == read]

    def payments_of(self, tx):
        return self.env["account.payment"].search([("payment_transaction_id", "=", tx.id),
                                                   ("state", "!=", "canceled")])

    def assertPaid(self, invoice):  # noqa: N802 - unittest naming
        invoice.invalidate_recordset()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
