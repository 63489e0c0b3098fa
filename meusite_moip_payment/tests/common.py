"""Fixtures for the Moip tests: a customer, a posted invoice, realistic Moip payloads, the double.

The HTTP calls are mocked at one place, `payment.provider._moip_make_request`; the integration
tests use the local Moip double (tests/doubles/moip_double.py in this addon).
"""

from contextlib import contextmanager
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command

from odoo.addons.meusite_moip_payment.models.payment_provider import PaymentProvider
from odoo.addons.meusite_moip_payment.tests.doubles import moip_double

WEBHOOK_TOKEN = "5e0f6b7c8d9e0a1b2c3d4e5f60718293"
ORDER_ID = "ORD-4N1YBT5UVHC3"
PAYMENT_ID = "PAY-8B2KXZJ9T3QW"
LINE_CODE = "23793.38128 60082.677913 18000.063305 9 99990000015890"


def load_moip_double():
    """The double's module (kept for the cross-addon tests that start it)."""
    return moip_double


def order_answer(own_id, total=15890):
    return {
        "id": ORDER_ID,
        "ownId": own_id,
        "status": "CREATED",
        "amount": {"currency": "BRL", "total": total, "paid": 0, "fees": 0, "refunds": 0,
                   "liquid": 0, "subtotals": {"shipping": 0, "addition": 0, "discount": 0}},
        "_links": {"self": {"href": f"https://sandbox.moip.com.br/v2/orders/{ORDER_ID}"}},
    }


def payment_answer(status="WAITING", total=15890, payment_id=PAYMENT_ID, due=None):
    due = due or (date.today() + timedelta(days=3))
    return {
        "id": payment_id,
        "status": status,
        "installmentCount": 1,
        "amount": {"total": total, "gross": total, "fees": 0, "refunds": 0, "liquid": total,
                   "currency": "BRL"},
        "fundingInstrument": {
            "method": "BOLETO",
            "boleto": {"expirationDate": due.isoformat(), "lineCode": LINE_CODE},
        },
        "_links": {
            "self": {"href": f"https://sandbox.moip.com.br/v2/payments/{payment_id}"},
            "payBoleto": {
                "redirectHref": f"https://checkout-sandbox.moip.com.br/boleto/{payment_id}",
                "printHref": f"https://checkout-sandbox.moip.com.br/boleto/{payment_id}/print",
            },
        },
    }


def notification(event="PAYMENT.AUTHORIZED", payment_id=PAYMENT_ID, total=15890):
    payment = payment_answer(event.split(".")[1], total, payment_id)
    return {"date": "2026-11-28T10:12:31-03:00", "env": "sandbox", "event": event,
            "resource": {"payment": payment}}


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
            "moip_token": "SANDBOXTOKEN000000000000000000AB",
            "moip_key": "SANDBOXKEY0000000000000000000000000000AB",
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
            "street": "Rua Pernambuco, 880",
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
