"""Fixtures for the Moip tests: a customer, a posted invoice, Moip's answers, the double.

The HTTP calls are mocked at one place, `payment.provider._moip_make_request`; the integration
tests use the local Moip double (tests/doubles/moip_double.py in this addon).

Moip's answers and notifications come from the contract fixtures (tests/fixtures/*.json,
written from Moip's documented shapes): the parser's tests read them through the helpers
below, and the double's tests check that the double answers with the same shapes.
"""

import json
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import Command

from odoo.addons.meusite_moip_payment.models.payment_provider import PaymentProvider
from odoo.addons.meusite_moip_payment.tests.doubles import moip_double

FIXTURES = Path(__file__).resolve().parent / "fixtures"

WEBHOOK_TOKEN = "5e0f6b7c8d9e0a1b2c3d4e5f60718293"
DOUBLE_TOKEN = "SANDBOXTOKEN000000000000000000AB"
DOUBLE_KEY = "SANDBOXKEY0000000000000000000000000000AB"


def fixture(name):
    """A fresh copy of one contract fixture (tests/fixtures/<name>.json)."""
    with open(FIXTURES / f"{name}.json", encoding="utf-8") as file:
        return json.load(file)


ORDER_ID = fixture("order")["id"]
PAYMENT_ID = fixture("payment")["id"]
LINE_CODE = fixture("payment")["fundingInstrument"]["boleto"]["lineCode"]


def shape(value):
    """The keys of a JSON value, recursively (a list by its first element): what must match."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def order_answer(own_id, total=15890):
    order = fixture("order")
    order["ownId"] = own_id
    order["amount"].update(total=total)
    order["amount"]["subtotals"]["items"] = total
    order["items"][0]["price"] = total
    return order


def payment_answer(status="WAITING", total=15890, payment_id=PAYMENT_ID, due=None):
    due = due or (date.today() + timedelta(days=3))
    payment = fixture("payment")
    payment["id"] = payment_id
    payment["status"] = status
    payment["amount"].update(total=total, liquid=total)
    payment["fundingInstrument"]["boleto"]["expirationDate"] = due.isoformat()
    for link in ("self",):
        payment["_links"][link]["href"] = payment["_links"][link]["href"].replace(
            PAYMENT_ID, payment_id)
    for link in ("redirectHref", "printHref"):
        payment["_links"]["payBoleto"][link] = payment["_links"]["payBoleto"][link].replace(
            PAYMENT_ID, payment_id)
    return payment


def notification(event="PAYMENT.AUTHORIZED", payment_id=PAYMENT_ID, total=15890):
    data = fixture("notification")
    data["event"] = event
    data["resource"]["payment"] = payment_answer(event.split(".")[1], total, payment_id)
    return data


def start_double(**kwargs):
    """The Moip double on a free loopback port, with the test provider's credentials."""
    return moip_double.MoipDouble(token=DOUBLE_TOKEN, key=DOUBLE_KEY, **kwargs).start()


class MoipCommon:
    """Mixed into TransactionCase / HttpCase: the data every Moip test starts from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.brl = cls.env.ref("base.BRL")
        cls.provider = cls.env.ref("meusite_moip_payment.payment_provider_moip")
        cls.provider.write({
            "state": "test",
            "is_published": True,
            "moip_token": DOUBLE_TOKEN,
            "moip_key": DOUBLE_KEY,
            "moip_oauth_token": False,
            "moip_api_url": "http://127.0.0.1:9/v2",  # discard port: a leak fails loudly
            "moip_webhook_token": WEBHOOK_TOKEN,
        })
        cls.boleto = cls.env.ref("payment.payment_method_boleto")
        cls.customer = cls.env["res.partner"].create({
            "name": "Joana Ribeiro Campos",
            "email": "joana.campos@example.com",
            "vat": "529.982.247-25",
            "phone": "+55 31 99876-1234",
            # The address where l10n_br keeps it (base_address_extended's street parts,
            # street2 = bairro), as the provider reads it.
            "street_name": "Rua Pernambuco",
            "street_number": "880",
            "street_number2": "Apto 302",
            "street2": "Savassi",
            "city": "Belo Horizonte",
            "state_id": cls.env.ref("base.state_br_mg").id,
            "zip": "30130-151",
            "country_id": cls.env.ref("base.br").id,
            "lang": "pt_BR",
        })
        cls.invoice = cls._create_invoice(cls.customer)

    @classmethod
    def _create_invoice(cls, partner, amount=158.90):
        invoice = cls.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "currency_id": cls.env.ref("base.BRL").id,
            "invoice_line_ids": [Command.create({
                "name": "Mensalidade Meu Site Expresso",
                "quantity": 1,
                "price_unit": amount,
                "tax_ids": [Command.clear()],
            })],
        })
        invoice.action_post()
        return invoice

    def _create_tx(self, invoice=None, **values):
        invoice = invoice or self.invoice
        return self.env["payment.transaction"].create({
            "provider_id": self.provider.id,
            "payment_method_id": self.boleto.id,
            "amount": invoice.amount_residual,
            "currency_id": invoice.currency_id.id,
            "partner_id": invoice.partner_id.id,
            "invoice_ids": [Command.set(invoice.ids)],
            "reference": self.env["payment.transaction"]._compute_reference(
                "moip", prefix=invoice.name
            ),
            "operation": "online_redirect",
            **values,
        })

    def _pending_tx(self, invoice=None):
        """A transaction whose boleto was issued, as after the customer pressed "Pay now"."""
        tx = self._create_tx(invoice)
        tx._moip_store_payment(payment_answer())
        tx.moip_order_id = ORDER_ID
        tx._set_pending()
        return tx

    def _run_post_processing(self):
        """What Odoo's post-processing cron, which the webhook triggers, does (minus commits)."""
        self.env.invalidate_all()
        txs = self.env["payment.transaction"].search(
            [("is_post_processed", "=", False), ("state", "=", "done")]
        )
        txs._post_process()

    @contextmanager
    def mock_moip(self, answers):
        """Patch the one HTTP call site; `answers` maps (method, endpoint) → dict or exception."""
        calls = []

        def fake_request(provider, endpoint, payload=None, method="POST"):
            calls.append((method, endpoint, payload))
            answer = answers.get((method, endpoint))
            if answer is None:
                raise AssertionError(f"unexpected Moip call {method} {endpoint}")
            if isinstance(answer, Exception):
                raise answer
            return answer(payload) if callable(answer) else answer

        with patch.object(PaymentProvider, "_moip_make_request", fake_request):
            yield calls


class MoipDoubleCommon(MoipCommon):
    """MoipCommon with the provider talking to the Moip double (``cls.double``), started
    once per test class on a free loopback port."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.double = start_double()
        cls.addClassCleanup(cls.double.stop)
        cls.provider.moip_api_url = cls.double.api_url
