"""The contract fixtures hold Moip's documented shapes: what we send, what the double answers
and what our parser reads must all have them, so the client and the double cannot drift apart.
The double's rules are checked here against raw requests, as Moip would meet them."""

import base64
import json
import urllib.error
import urllib.request

from odoo.tests import TransactionCase, tagged

from odoo.addons.meusite_moip_payment.tests.common import (
    DOUBLE_KEY,
    DOUBLE_TOKEN,
    MoipDoubleCommon,
    fixture,
    notification,
    order_answer,
    payment_answer,
    shape,
)


@tagged("post_install", "-at_install")
class TestMoipContract(MoipDoubleCommon, TransactionCase):

    def setUp(self):
        super().setUp()
        self.double.state.preferences.clear()
        self.double.state.deliveries.clear()

    def _call(self, method, path, body=None):
        auth = base64.b64encode(f"{DOUBLE_TOKEN}:{DOUBLE_KEY}".encode()).decode()
        request = urllib.request.Request(
            self.double.api_url + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Basic {auth}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def _order(self, **customer_changes):
        body = fixture("order_request")
        for path, value in customer_changes.items():
            target = body["customer"]
            *parents, leaf = path.split("__")
            for key in parents:
                target = target[key]
            target[leaf] = value
        return self._call("POST", "/orders", body)

    def _boleto(self):
        status, order = self._order()
        self.assertEqual(status, 201, order)
        status, payment = self._call(
            "POST", f"/orders/{order['id']}/payments", fixture("payment_request")
        )
        self.assertEqual(status, 201, payment)
        return order, payment

    # --- shapes ---

    def test_double_answers_with_the_fixtures_shapes(self):
        order, payment = self._boleto()
        self.assertEqual(shape(order), shape(fixture("order")))
        self.assertEqual(shape(payment), shape(fixture("payment")))
        self.assertEqual(shape(self._call("GET", f"/payments/{payment['id']}")[1]),
                         shape(fixture("payment")))
        status, preference = self._call("POST", "/preferences/notifications", {
            "events": ["PAYMENT.*"], "target": "http://127.0.0.1:9/webhook", "media": "WEBHOOK",
        })
        self.assertEqual(status, 201)
        self.assertEqual(shape(preference), shape(fixture("preference")))
        status, errors = self._order(email="not-an-address")
        self.assertEqual(status, 400)
        self.assertEqual(shape(errors), shape(fixture("errors")))

    def test_double_notifies_with_the_fixture_shape(self):
        _order, payment = self._boleto()
        self.double.add_preference("http://127.0.0.1:9/webhook", "t" * 32)
        self.double.configure(retry=False)
        self.addCleanup(self.double.configure, retry=True)
        self.double.notify(payment["id"], ["PAYMENT.AUTHORIZED"])
        sent = self.double.state.notifications[-1]
        self.assertEqual(shape(sent), shape(fixture("notification")))

    def test_parser_helpers_read_the_fixtures(self):
        # The answers the parser's tests feed it are the fixtures themselves.
        self.assertEqual(shape(order_answer("X")), shape(fixture("order")))
        self.assertEqual(shape(payment_answer()), shape(fixture("payment")))
        self.assertEqual(shape(notification()), shape(fixture("notification")))

    def test_what_we_send_has_the_request_fixtures_shapes(self):
        self.provider.moip_logo_url = "https://www.meusiteexpresso.com.br/logo.png"
        tx = self._create_tx()
        self.assertEqual(shape(tx._moip_prepare_order_payload()), shape(fixture("order_request")))
        self.assertEqual(
            shape(tx._moip_prepare_payment_payload()), shape(fixture("payment_request"))
        )

    # --- the double's rules, one by one ---

    def test_double_refuses_what_moip_refuses(self):
        long = {"fullname": 91, "email": 46, "shippingAddress__street": 46,
                "shippingAddress__complement": 46, "shippingAddress__district": 46,
                "shippingAddress__city": 33, "shippingAddress__streetNumber": 11}
        cases = [
            ({"ownId": ""}, "CUS-001", "customer.ownId"),
            ({"email": ""}, "CUS-005", "customer.email"),
            ({"email": "joana.campos(at)example.com"}, "CUS-006", "customer.email"),
            ({"email": "a@example.com, b@example.com"}, "CUS-006", "customer.email"),
            ({"shippingAddress__streetNumber": "S/N"}, "CUS-024",
             "customer.shippingAddress.streetNumber"),
            ({"shippingAddress__streetNumber": "880A"}, "CUS-024",
             "customer.shippingAddress.streetNumber"),
        ]
        for key, length in long.items():
            value = "x" * length
            if key == "email":
                value = "x" * (length - 12) + "@example.com"
            elif key.endswith("Number"):
                value = "1" * length
            cases.append(({key: value}, "CUS-025", "customer." + key.replace("__", ".")))
        for changes, code, path in cases:
            with self.subTest(code=code, changes=changes):
                status, body = self._order(**changes)
                self.assertEqual(status, 400)
                self.assertIn({"code": code, "path": path}, [
                    {"code": e["code"], "path": e["path"]} for e in body["errors"]
                ])
        # At the limits, accepted.
        at_limits = {key: ("1" if key.endswith("Number") else "x") * (length - 1)
                     for key, length in long.items() if key != "email"}
        status, body = self._order(**at_limits)
        self.assertEqual(status, 201, body)

    def test_double_issues_one_boleto_per_order_and_nothing_above_what_it_owes(self):
        order, payment = self._boleto()
        status, body = self._call(
            "POST", f"/orders/{order['id']}/payments", fixture("payment_request")
        )
        self.assertEqual((status, body["errors"][0]["code"]), (400, "PAY-611"))
        # Paid, the order owes nothing: any new payment is above what it owes.
        urllib.request.urlopen(  # noqa: S310 - loopback
            f"{self.double.base_url}/simulador/authorize?payment_id={payment['id']}", timeout=10
        ).close()
        status, body = self._call(
            "POST", f"/orders/{order['id']}/payments", fixture("payment_request")
        )
        self.assertEqual((status, body["errors"][0]["code"]), (400, "PAY-037"))
        self.assertEqual(len(self.double.state.orders[order["id"]]["payments"]), 1)

    def test_double_retries_a_refused_notification_once(self):
        _order, payment = self._boleto()
        self.double.add_preference("http://127.0.0.1:9/webhook", "t" * 32)
        self.double.configure(retry_delay=0.05)
        self.addCleanup(self.double.configure, retry_delay=10.0)
        self.assertEqual(self.double.state.config["retry"], True)
        outcomes = self.double.notify(payment["id"], ["PAYMENT.AUTHORIZED"])
        self.double.wait_retries()
        deliveries = [d for d in self.double.state.deliveries if d[1] == payment["id"]]
        self.assertEqual(len(outcomes), 1)
        self.assertEqual(len(deliveries), 2, "one delivery, one retry, no more")
