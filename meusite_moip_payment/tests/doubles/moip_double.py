"""A local double of Moip API v2, for the Moip addon's tests, its benchmark and the offline demo.

Standard library only, so that it runs on its own (``make run`` starts it so)::

    python meusite_moip_payment/tests/doubles/moip_double.py --port 8099 \
        --notify-target http://127.0.0.1:8069/payment/moip/webhook \
        --notify-token 0a1b2c3d4e5f60718293a4b5c6d7e8f9

or from a test::

    from odoo.addons.meusite_moip_payment.tests.doubles.moip_double import MoipDouble
    double = MoipDouble().start()      # free port on 127.0.0.1, served from a thread
    provider.moip_api_url = double.api_url
    ...
    double.stop()

Endpoints (as Moip's): POST /v2/orders, GET /v2/orders/{id}, POST /v2/orders/{id}/payments,
GET /v2/payments/{id}, POST/GET /v2/preferences/notifications,
DELETE /v2/preferences/notifications/{id}, GET /simulador/authorize?payment_id=&amount=
(marks the payment paid and POSTs PAYMENT.AUTHORIZED to every registered target, with the
registered token in the Authorization header). Also GET /boleto/{id} (a printable boleto page
with a "pay it" link to the simulator) and, for tests and demos, GET/POST /_double/config
(switches: delay, fail_5xx, duplicates, out_of_order, async_notify, retry, retry_delay,
send_token).

What it refuses, and where each rule comes from (the project's digest of them is
/work/shared/reference/moip-v2.md; "reference" below = Moip's public API v2 reference and its
error-code list, "SDKs" = the recorded requests/answers of moip-sdk-php, moip-sdk-node and
moip-sdk-ruby):

- Error bodies ``{"errors": [{"code", "path", "description"}]}``, 4xx: reference ("Error
  states"), SDKs' error fixtures.
- CUS-001 customer ``ownId`` missing: reference error list (Moip's CUS-001 is the ownId).
- CUS-005 e-mail not informed, CUS-006 e-mail invalid (one address, no list): reference
  error list.
- CUS-024 ``shippingAddress.streetNumber`` must be numeric: reference error list.
- Lengths: ``fullname`` 90, ``email`` 45, ``street`` 45, ``streetNumber`` 10, ``complement``
  45, ``district`` 45, ``city`` 32: reference (field table of the customer resource). CUS-025
  (complement too long) is the only one of these codes confirmed in public material; for its
  siblings the double answers CUS-025 too, with the field's own path and limit. Our client
  never reads the code of a length error: it stays within the limits.
- Missing ``fullname``, an invalid CPF/CNPJ length, and the order's own checks (ownId, items,
  prices) and the boleto's (method, expiration date, first instruction line): required fields
  of the reference; their codes here (CUS-003, CUS-013, ORD-*, PAY-003/036/040) are not
  confirmed by public material.
- PAY-611 a bank slip (boleto) payment already exists for the order (one live boleto per
  order): reference error list.
- PAY-037 the payment's amount is above what the order still owes (an order already paid owes
  nothing): reference error list.
- 401 ``{"ERROR": "Token or Key are invalids"}`` for bad credentials: SDKs' recordings.
- Amounts in centavos, ``_links.payBoleto.redirectHref``/``printHref``, ``lineCode``,
  statuses: reference, SDKs (see tests/fixtures/*.json, the shapes tests compare it with).
- Notifications: the preference's token verbatim in ``Authorization``; any non-2xx answer is
  retried once, about 10 s later, and not again (reference, "Webhooks"; ``retry``,
  ``retry_delay``); the token is sometimes missing (moip-sdk-php issue #314; ``send_token``);
  duplicates and no ordering guarantee (reference; ``duplicates``, ``out_of_order``).
  Whatever is not redelivered is for the receiver to catch up by reading the payment back.
"""

import argparse
import base64
import contextlib
import json
import random
import re
import string
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_TOKEN = "DEMOTOKEN0000000000000000000000"
DEFAULT_KEY = "DEMOKEY00000000000000000000000000000000"


# Documented maximum lengths of the customer's fields (reference: the customer resource).
CUSTOMER_LIMITS = {"fullname": 90, "email": 45}
ADDRESS_LIMITS = {"street": 45, "streetNumber": 10, "complement": 45, "district": 45, "city": 32}
EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
PAID_STATUSES = ("AUTHORIZED", "SETTLED")


def _random_id(prefix):
    return prefix + "-" + "".join(random.choices(string.ascii_uppercase + string.digits, k=12))


def _mod10(digits):
    total, factor = 0, 2
    for char in reversed(digits):
        product = int(char) * factor
        total += product // 10 + product % 10
        factor = 1 if factor == 2 else 2
    return str((10 - total % 10) % 10)


def _mod11(digits):
    total, factor = 0, 2
    for char in reversed(digits):
        total += int(char) * factor
        factor = 2 if factor == 9 else factor + 1
    check = 11 - total % 11
    return "1" if check in (0, 10, 11) else str(check)


def boleto_line_code(amount_cents, due_date):
    """A linha digitável with valid check digits (bank 237, the one Moip issues with)."""
    base = date(1997, 10, 7)
    factor = (due_date - base).days
    if factor > 9999:  # FEBRABAN restarted the due-date factor at 1000 on 2025-02-22.
        factor = factor - 9000
    free = "".join(random.choices(string.digits, k=25))
    bank_currency = "2379"
    tail = f"{factor:04d}{amount_cents:010d}"
    barcode_wo_dv = bank_currency + tail + free
    dv = _mod11(barcode_wo_dv)
    f1 = bank_currency + free[:5]
    f2 = free[5:15]
    f3 = free[15:25]
    f1, f2, f3 = f1 + _mod10(f1), f2 + _mod10(f2), f3 + _mod10(f3)
    return f"{f1[:5]}.{f1[5:]} {f2[:5]}.{f2[5:]} {f3[:5]}.{f3[5:]} {dv} {tail}"


def _now():
    return datetime.now(timezone(timedelta(hours=-3))).isoformat(timespec="seconds")


class MoipState:
    """Everything the double remembers, behind one lock."""

    def __init__(self, token, key, oauth_token=None):
        self.lock = threading.RLock()
        self.token, self.key, self.oauth_token = token, key, oauth_token
        self.orders, self.payments, self.preferences = {}, {}, {}
        self.deliveries = []  # (event, payment id, HTTP status or error) of each notification
        self.notifications = []  # the bodies sent, for the tests of their shape
        self.requests = []  # (method, path) of each API call, for assertions
        self.connections = 0  # TCP connections accepted (HTTP/1.1: one may carry many calls)
        self.config = {
            "delay": 0.0,  # seconds to wait before answering any API call
            "fail_5xx": 0,  # answer the next N API calls with 503 (-1: all of them)
            "duplicates": 0,  # send each notification N more times
            "out_of_order": False,  # after PAYMENT.AUTHORIZED, also send a late PAYMENT.WAITING
            "async_notify": False,  # deliver notifications from a thread, like Moip
            "retry": True,  # redeliver a refused notification once, as Moip documents
            "retry_delay": 10.0,  # seconds before that one retry (Moip: about 10 s)
            "send_token": True,  # False: the Authorization header is missing (sdk-php #314)
        }

    def authorized(self, header):
        header = header or ""
        oauth = self.oauth_token
        if oauth and header in (f"OAuth {oauth}", f"Bearer {oauth}"):
            return True
        expected = base64.b64encode(f"{self.token}:{self.key}".encode()).decode()
        return header == f"Basic {expected}"


def _error(code, path, description):
    return {"errors": [{"code": code, "path": path, "description": description}]}


def _customer_errors(customer):
    """(code, path, description) of each of Moip's rules the order's customer breaks."""
    errors = []
    if not customer.get("ownId"):
        errors.append(("CUS-001", "customer.ownId",
                       "O identificador próprio do cliente deve ser informado"))
    if not customer.get("fullname"):
        errors.append(("CUS-003", "customer.fullname", "O nome do cliente deve ser informado"))
    email = customer.get("email")
    if not email:
        errors.append(("CUS-005", "customer.email", "O email do cliente deve ser informado"))
    elif not isinstance(email, str) or not EMAIL_RE.match(email):
        errors.append(("CUS-006", "customer.email", "O email do cliente informado é inválido"))
    document = (customer.get("taxDocument") or {}).get("number") or ""
    if len(document) not in (11, 14):
        errors.append(("CUS-013", "customer.taxDocument.number", "Documento inválido"))
    address = customer.get("shippingAddress") or {}
    number = address.get("streetNumber")
    if number is not None and not re.fullmatch(r"[0-9]+", str(number)):
        errors.append(("CUS-024", "customer.shippingAddress.streetNumber",
                       "O número do endereço deve ser numérico"))
    fields = [(customer, f"customer.{name}", name, limit)
              for name, limit in CUSTOMER_LIMITS.items()]
    fields += [(address, f"customer.shippingAddress.{name}", name, limit)
               for name, limit in ADDRESS_LIMITS.items()]
    for values, path, name, limit in fields:
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            errors.append(("CUS-025", path,
                           f"O campo {name} deve ter no máximo {limit} caracteres"))
    return errors


class MoipHandler(BaseHTTPRequestHandler):
    server_version = "MoipDouble/2"
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: on a kept-alive connection, Nagle's algorithm
    # would hold the body until the client's delayed ACK, 40 ms later. Real servers don't.
    disable_nagle_algorithm = True

    @property
    def state(self):
        return self.server.state

    def setup(self):
        result = super().setup()
        with self.state.lock:
            self.state.connections += 1
        return result

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        if self.server.verbose:
            return super().log_message(format, *args)
        return None

    # --- plumbing ---

    def _send(self, status, body=None, content_type="application/json"):
        data = b""
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type + "; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return {}
        return json.loads(raw)

    def _api_guard(self):
        """Slow answers, 5xx and authentication, as Moip would apply them; True if answered."""
        state = self.state
        with state.lock:
            state.requests.append((self.command, urlsplit(self.path).path))
            delay = state.config["delay"]
            fail = state.config["fail_5xx"]
            if fail:
                state.config["fail_5xx"] = fail - 1 if fail > 0 else fail
        if delay:
            time.sleep(delay)
        if fail:
            self._send(503, {"error": "Service Unavailable"})
            return True
        if not state.authorized(self.headers.get("Authorization")):
            self._send(401, {"ERROR": "Token or Key are invalids"})
            return True
        return False

    def _route(self):
        parts = [p for p in urlsplit(self.path).path.split("/") if p]
        return parts, parse_qs(urlsplit(self.path).query)

    def do_GET(self):  # noqa: N802 - stdlib naming
        parts, query = self._route()
        if parts[:1] == ["_double"]:
            return self._send(200, self._snapshot())
        if parts == ["simulador", "authorize"]:
            return self._simulate_payment(query)
        if len(parts) in (2, 3) and parts[0] == "boleto":
            return self._boleto_page(parts[1])
        if parts[:1] != ["v2"]:
            return self._send(404, {"error": "Not Found"})
        if self._api_guard():
            return None
        if len(parts) == 3 and parts[1] == "orders":
            return self._read(self.state.orders, parts[2], "ORD-009", "order")
        if len(parts) == 3 and parts[1] == "payments":
            return self._read(self.state.payments, parts[2], "PAY-010", "payment")
        if parts[1:] == ["preferences", "notifications"]:
            with self.state.lock:
                return self._send(200, list(self.state.preferences.values()))
        return self._send(404, {"error": "Not Found"})

    def do_POST(self):  # noqa: N802 - stdlib naming
        parts, _query = self._route()
        try:
            body = self._json_body()
        except ValueError:
            return self._send(400, _error("REQ-001", "", "JSON inválido"))
        if parts == ["_double", "config"]:
            with self.state.lock:
                self.state.config.update(body)
            return self._send(200, self._snapshot())
        if parts[:1] != ["v2"]:
            return self._send(404, {"error": "Not Found"})
        if self._api_guard():
            return None
        if parts[1:] == ["orders"]:
            return self._create_order(body)
        if len(parts) == 4 and parts[1] == "orders" and parts[3] == "payments":
            return self._create_payment(parts[2], body)
        if parts[1:] == ["preferences", "notifications"]:
            return self._create_preference(body)
        return self._send(404, {"error": "Not Found"})

    def do_DELETE(self):  # noqa: N802 - stdlib naming
        parts, _query = self._route()
        if parts[:1] != ["v2"]:
            return self._send(404, {"error": "Not Found"})
        if self._api_guard():
            return None
        if len(parts) == 4 and parts[1:3] == ["preferences", "notifications"]:
            with self.state.lock:
                if self.state.preferences.pop(parts[3], None):
                    return self._send(200, {})
            return self._send(404, _error("NPR-001", "id", "Preferência não encontrada"))
        return self._send(404, {"error": "Not Found"})

    # --- resources ---

    def _read(self, store, resource_id, code, kind):
        with self.state.lock:
            resource = store.get(resource_id)
            if resource:
                return self._send(200, resource)
        return self._send(404, _error(code, "id", f"Recurso {kind} {resource_id} não encontrado"))

    def _create_order(self, body):
        errors = []
        if not body.get("ownId"):
            errors.append(("ORD-006", "ownId", "O identificador próprio deve ser informado"))
        items = body.get("items") or []
        if not items:
            errors.append(("ORD-007", "items", "O pedido deve conter ao menos um item"))
        for index, item in enumerate(items):
            if not item.get("product"):
                errors.append(("ORD-008", f"items[{index}].product", "Informe o produto"))
            if not isinstance(item.get("price"), int) or item["price"] <= 0:
                errors.append(("ORD-011", f"items[{index}].price", "Valor do item inválido"))
        errors += _customer_errors(body.get("customer") or {})
        if errors:
            return self._send(400, {"errors": [
                {"code": c, "path": p, "description": d} for c, p, d in errors
            ]})
        total = sum(item["price"] * int(item.get("quantity", 1)) for item in items)
        subtotals = (body.get("amount") or {}).get("subtotals") or {}
        total += int(subtotals.get("shipping", 0)) + int(subtotals.get("addition", 0))
        total -= int(subtotals.get("discount", 0))
        order_id = _random_id("ORD")
        customer_id = _random_id("CUS")
        base = self.server.base_url
        now = _now()
        items_total = sum(item["price"] * int(item.get("quantity", 1)) for item in items)
        order = {
            "id": order_id,
            "ownId": body["ownId"],
            "status": "CREATED",
            "platform": "V2",
            "createdAt": now,
            "updatedAt": now,
            "amount": {"currency": "BRL", "total": total, "paid": 0, "fees": 0, "refunds": 0,
                       "liquid": 0, "otherReceivers": 0,
                       "subtotals": {"shipping": int(subtotals.get("shipping", 0)),
                                     "addition": int(subtotals.get("addition", 0)),
                                     "discount": int(subtotals.get("discount", 0)),
                                     "items": items_total}},
            "items": items,
            "customer": dict(body["customer"], id=customer_id, createdAt=now, _links={
                "self": {"href": f"{base}/v2/customers/{customer_id}"}}),
            "payments": [],
            "events": [{"type": "ORDER.CREATED", "createdAt": now, "description": ""}],
            "_links": {
                "self": {"href": f"{base}/v2/orders/{order_id}"},
                "checkout": {"payBoleto": {"redirectHref": f"{base}/boleto/{order_id}"}},
            },
        }
        with self.state.lock:
            self.state.orders[order_id] = order
        return self._send(201, order)

    def _create_payment(self, order_id, body):
        with self.state.lock:
            order = self.state.orders.get(order_id)
        if not order:
            return self._send(404, _error("ORD-009", "id", f"Pedido {order_id} não encontrado"))
        instrument = body.get("fundingInstrument") or {}
        boleto = instrument.get("boleto") or {}
        if instrument.get("method") != "BOLETO":
            return self._send(400, _error(
                "PAY-003", "fundingInstrument.method", "Forma de pagamento inválida"
            ))
        try:
            due = date.fromisoformat(boleto.get("expirationDate") or "")
        except ValueError:
            return self._send(400, _error(
                "PAY-036", "fundingInstrument.boleto.expirationDate", "Data de vencimento inválida"
            ))
        if not (boleto.get("instructionLines") or {}).get("first"):
            return self._send(400, _error(
                "PAY-040", "fundingInstrument.boleto.instructionLines.first",
                "A primeira linha de instrução deve ser informada",
            ))
        with self.state.lock:
            # A payment id reserved by a call still under way counts as a live boleto.
            payments = [self.state.payments.get(p["id"]) or {"status": "WAITING",
                                                              "amount": {"total": 0}}
                        for p in order["payments"]]
            owed = order["amount"]["total"] - sum(
                p["amount"]["total"] for p in payments if p["status"] in PAID_STATUSES
            )
            if owed <= 0:
                return self._send(400, _error(
                    "PAY-037", "amount",
                    "O valor do pagamento é maior que o valor restante do pedido",
                ))
            if any(p["status"] not in ("CANCELLED",) for p in payments):
                return self._send(400, _error(
                    "PAY-611", "fundingInstrument.method",
                    "Já existe um pagamento por boleto para este pedido",
                ))
            payment_id = _random_id("PAY")
            # Reserved under the lock: two concurrent calls cannot both issue a boleto.
            order["payments"].append({"id": payment_id})
        total = owed
        base = self.server.base_url
        now = _now()
        payment = {
            "id": payment_id,
            "status": "WAITING",
            "delayCapture": False,
            "installmentCount": 1,
            "amount": {"total": total, "fees": 0, "refunds": 0,
                       "liquid": total, "currency": "BRL"},
            "fundingInstrument": {
                "method": "BOLETO",
                "boleto": {
                    "expirationDate": due.isoformat(),
                    "lineCode": boleto_line_code(total, due),
                    "logoUri": boleto.get("logoUri"),
                    "instructionLines": boleto.get("instructionLines"),
                },
            },
            "fees": [{"type": "TRANSACTION", "amount": 0}],
            "events": [{"type": "PAYMENT.WAITING", "createdAt": now}],
            "createdAt": now,
            "updatedAt": now,
            "_links": {
                "self": {"href": f"{base}/v2/payments/{payment_id}"},
                "order": {"href": f"{base}/v2/orders/{order_id}", "title": order_id},
                "payBoleto": {
                    "redirectHref": f"{base}/boleto/{payment_id}",
                    "printHref": f"{base}/boleto/{payment_id}/print",
                },
            },
        }
        with self.state.lock:
            self.state.payments[payment_id] = payment
            order["status"] = "WAITING"
        return self._send(201, payment)

    def _create_preference(self, body):
        if not body.get("target") or not body.get("events"):
            return self._send(400, _error("NPR-002", "target", "Informe target e events"))
        preference = {
            "id": _random_id("NPR"),
            "events": body["events"],
            "target": body["target"],
            "media": body.get("media", "WEBHOOK"),
            "token": "".join(random.choices("0123456789abcdef", k=32)),
        }
        with self.state.lock:
            self.state.preferences[preference["id"]] = preference
        return self._send(201, preference)

    # --- simulator and boleto page ---

    def _simulate_payment(self, query):
        payment_id = (query.get("payment_id") or [""])[0]
        with self.state.lock:
            payment = self.state.payments.get(payment_id)
            if not payment:
                return self._send(404, _error("PAY-010", "payment_id", "Pagamento não encontrado"))
            amount = (query.get("amount") or [""])[0]
            if amount.isdigit():
                payment["amount"]["total"] = int(amount)
                payment["amount"]["liquid"] = int(amount)
            payment["status"] = "AUTHORIZED"
            payment["updatedAt"] = _now()
            payment["events"].insert(0, {"type": "PAYMENT.AUTHORIZED", "createdAt": _now()})
            order_id = payment["_links"]["order"]["title"]
            order = self.state.orders.get(order_id)
            if order:
                order["amount"]["paid"] += payment["amount"]["total"]
                order["status"] = "PAID"
        events = ["PAYMENT.AUTHORIZED"]
        if self.state.config["out_of_order"]:
            events.append("PAYMENT.WAITING")
        results = self.server.notify(payment_id, events)
        if "text/html" in (self.headers.get("Accept") or ""):
            # A demo visitor clicked "Simular pagamento" on the boleto page.
            return self._send(200, (
                "<!DOCTYPE html><html lang='pt-BR'><meta charset='utf-8'><body>"
                f"<h1>Pagamento simulado</h1><p>{payment_id}: AUTHORIZED. Notificações: "
                f"{results}</p><p>Volte à fatura: ela aparece como paga.</p></body></html>"
            ), "text/html")
        return self._send(200, {"payment_id": payment_id, "status": "AUTHORIZED",
                                "deliveries": results})

    def _boleto_page(self, payment_id):
        with self.state.lock:
            payment = self.state.payments.get(payment_id)
        if not payment:
            return self._send(404, "<h1>Boleto não encontrado</h1>", "text/html")
        boleto = payment["fundingInstrument"]["boleto"]
        total = payment["amount"]["total"]
        amount = f"R$ {total // 100:,}".replace(",", ".") + f",{total % 100:02d}"
        due = date.fromisoformat(boleto["expirationDate"]).strftime("%d/%m/%Y")
        html = (
            "<!DOCTYPE html><html lang='pt-BR'><meta charset='utf-8'><title>Boleto (simulado)"
            f"</title><body><h1>Boleto Moip (simulado)</h1><p>Valor: <b>{amount}</b></p>"
            f"<p>Vencimento: <b>{due}</b></p><p>Linha digitável: <code>{boleto['lineCode']}"
            f"</code></p><p>Situação: {payment['status']}</p>"
            f"<p><a href='/simulador/authorize?payment_id={payment_id}&amp;amount={total}'>"
            "Simular pagamento</a></p></body></html>"
        )
        return self._send(200, html, "text/html")

    def _snapshot(self):
        with self.state.lock:
            return {
                "config": dict(self.state.config),
                "orders": len(self.state.orders),
                "payments": len(self.state.payments),
                "preferences": list(self.state.preferences.values()),
                "deliveries": list(self.state.deliveries),
                "requests": list(self.state.requests),
                "connections": self.state.connections,
            }


class MoipDouble(ThreadingHTTPServer):
    """The server; ``MoipDouble().start()`` serves it from a daemon thread."""

    daemon_threads = True

    def __init__(self, host="127.0.0.1", port=0, token=DEFAULT_TOKEN, key=DEFAULT_KEY,
                 oauth_token=None, verbose=False):
        super().__init__((host, port), MoipHandler)
        self.state = MoipState(token, key, oauth_token)
        self.verbose = verbose
        self._thread = None
        self._retries = []

    @property
    def base_url(self):
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self):
        return self.base_url + "/v2"

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, name="moip-double", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    # --- helpers for tests and scripts ---

    def configure(self, **switches):
        with self.state.lock:
            self.state.config.update(switches)

    def add_preference(self, target, token, events=("PAYMENT.*",)):
        """Register a webhook directly, as if POSTed earlier (demo start-up, tests)."""
        preference = {"id": _random_id("NPR"), "events": list(events), "target": target,
                      "media": "WEBHOOK", "token": token}
        with self.state.lock:
            self.state.preferences[preference["id"]] = preference
        return preference

    def set_status(self, payment_id, status):
        with self.state.lock:
            self.state.payments[payment_id]["status"] = status

    def wait_retries(self, timeout=30):
        """Wait for the redeliveries under way (tests: before asserting their outcome)."""
        deadline = time.monotonic() + timeout
        while True:
            with self.state.lock:
                threads = [t for t in self._retries if t.is_alive()]
                self._retries = threads
            if not threads:
                return
            threads[0].join(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                raise TimeoutError("the double's redeliveries did not end")

    def notify(self, payment_id, events):
        """POST each event to every matching preference, as Moip does; returns the outcomes
        of the first deliveries (the one retry of a refused delivery comes later)."""
        config = self.state.config
        sends = []
        for event in events:
            sends += [event] * (1 + int(config["duplicates"]))
        if config["async_notify"]:
            threading.Thread(
                target=self._deliver_all, args=(payment_id, sends), daemon=True
            ).start()
            return []
        return self._deliver_all(payment_id, sends)

    def _deliver_all(self, payment_id, events):
        return [outcome for event in events for outcome in self._deliver(payment_id, event)]

    def _deliver(self, payment_id, event):
        with self.state.lock:
            payment = json.loads(json.dumps(self.state.payments[payment_id]))
            preferences = [
                p for p in self.state.preferences.values()
                if "PAYMENT.*" in p["events"] or event in p["events"]
            ]
        # The body's status is the event's, as sent at that time: receivers must re-fetch.
        payment["status"] = event.split(".", 1)[1]
        notification = {"date": _now(), "env": "sandbox", "event": event,
                        "resource": {"payment": payment}}
        with self.state.lock:
            self.state.notifications.append(notification)
        body = json.dumps(notification).encode()
        outcomes = []
        for preference in preferences:
            outcome = self._post(preference, body, event, payment_id)
            if not (isinstance(outcome, int) and 200 <= outcome < 300) and self.state.config[
                "retry"
            ]:
                # Moip retries a refused notification once, about 10 s later, and not again.
                retry = threading.Timer(
                    float(self.state.config["retry_delay"]), self._post,
                    args=(preference, body, event, payment_id),
                )
                retry.daemon = True
                with self.state.lock:
                    self._retries.append(retry)
                retry.start()
            outcomes.append(outcome)
        return outcomes

    def _post(self, preference, body, event, payment_id):
        headers = {"Content-Type": "application/json"}
        if self.state.config["send_token"]:
            headers["Authorization"] = preference["token"]
        request = urllib.request.Request(
            preference["target"], data=body, method="POST", headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                outcome = response.status
        except urllib.error.HTTPError as error:
            outcome = error.code
        except OSError as error:
            outcome = f"error: {error}"
        with self.state.lock:
            self.state.deliveries.append((event, payment_id, outcome))
        return outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--key", default=DEFAULT_KEY)
    parser.add_argument("--oauth-token")
    parser.add_argument("--notify-target", help="register this webhook target at start-up")
    parser.add_argument("--notify-token", help="token sent with the start-up webhook")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    server = MoipDouble(args.host, args.port, args.token, args.key, args.oauth_token, args.verbose)
    if args.notify_target:
        server.add_preference(args.notify_target, args.notify_token or "".join(
            random.choices("0123456789abcdef", k=32)))
    # Run as a script (make run): its one line of output says where it listens.
    sys.stdout.write(f"Moip double on {server.api_url}\n")
    sys.stdout.flush()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
