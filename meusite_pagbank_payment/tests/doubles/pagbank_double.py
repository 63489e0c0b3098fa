"""A local double of PagBank's Orders API ("API de Pedidos"), for tests, the bench and the demo.

Standard library only, so that it runs on its own (``make run`` starts it so)::

    python meusite_pagbank_payment/tests/doubles/pagbank_double.py --port 8098 \
        --token DEMOPAGBANKTOKEN000000000000000000000000

or from a test::

    double = PagbankDouble(token="...").start()   # free port on 127.0.0.1, from a thread
    provider.pagbank_api_url = double.api_url
    double.stop()

Endpoints (as PagBank's, /work/shared/reference/pagbank-orders.md, "ref." below):
``POST /orders`` (201), ``GET /orders/{id}``, ``GET /orders?charge_id=``,
``GET /charges/{id}``, ``POST /charges/{id}/cancel`` (201, refund of a paid charge).
Demo and test pages: ``GET /`` (the orders), ``GET /pagar/{order_id}`` (the boleto or the
PIX with a "Simular pagamento" button), ``GET|POST /simular/pagar?order_id=&amount=``
(pays the order's boleto or QR code and notifies), ``GET /boleto/{uuid}.pdf|.png``,
``GET /qrcode/{id}/png``, ``GET|POST /_double/config`` (switches below).

What it answers, rule by rule, and where each comes from:

- Auth ``Authorization: Bearer <token>``; otherwise 401 ``UNAUTHORIZED`` (ref. §1).
- ``403`` for every call while ``homologated`` is false: production before PagBank approved
  the integration (ref. §1, §9).
- Errors ``{"error_messages": [{"code", "description", "parameter_name"}]}`` (ref. §9):
  ``40001 required_parameter`` (missing customer name/e-mail/tax_id, reference_id, items,
  holder fields), ``40002 invalid_parameter`` (tax id not 11/14 digits or bad check digits,
  e-mail outside 10-255 or malformed, boleto holder name over 30 characters or with special
  characters, address fields over their limits, CEP not 8 digits, instruction lines over 75,
  fine/interest out of range, more than one notification URL, amount below the minimum),
  ``40003 parameter_unknow`` (an unexpected top-level field), ``40004 rate_limit`` with HTTP
  400 (switch ``rate_limit``: the next N calls), ``409`` ``40005 idempotency_key_in_use`` when
  an ``x-idempotency-key`` is reused with another body or while its first call is under way.
  A key reused with the same body once answered gets that answer again (replay semantics are
  unconfirmed in the ref.; a client must not rely on either).
- Boleto orders answer ``WAITING`` with ``charges[0].payment_method.boleto`` (``barcode`` = the
  47-digit linha digitável, ``formatted_barcode``) and links all ``rel: SELF`` told apart by
  ``media`` (ref. §4). PIX orders answer ``qr_codes[0]`` (``text``, ``QRCODE.PNG`` /
  ``QRCODE.BASE64`` links) and ``charges: []`` until paid (ref. §5).
- Paid: the charge turns ``PAID`` with ``paid_at`` and ``amount.summary.paid``; a PIX order
  gets a new charge with ``payment_method.type: PIX`` (ref. §5, §7). A refund
  (``/charges/{id}/cancel``) raises ``summary.refunded`` and turns the charge ``CANCELED``.
- Notifications: the whole order POSTed to the order's one ``notification_urls`` entry, with
  ``x-authenticity-token`` = ``sha256(token + "-" + body)`` hex (ref. §6). Switches:
  ``send_signature`` (False: the header is missing, as sandbox users report),
  ``duplicates`` (N more deliveries), ``out_of_order`` (a stale WAITING copy after the
  paid one), ``async_notify``. No retry policy is documented: the double does not retry.
- Cancel (``POST /charges/{id}/cancel``, ref. §8): 201 with the charge; no body or no
  positive ``amount.value`` → ``40002``; more than what is left to give back, or a charge
  that cannot be cancelled → ``40007 unabled_refund``; switch ``refund_unavailable`` (next N
  cancels) → ``40008 refund_temporarily_unavailable``. A WAITING boleto carries no
  ``CHARGE.CANCEL`` link and its cancel is refused (40007): cancelling an unpaid boleto is
  unconfirmed in the ref. ("plan to let it expire"). Switch ``cancel_waiting`` (the
  unconfirmed case where PagBank allows it): boletos created meanwhile carry a
  ``CHARGE.CANCEL`` link and a cancel of their whole amount voids them (``CANCELED``,
  nothing paid or refunded). A PIX order has no charge to cancel until paid (ref. §5).
- Test switches: ``delay`` (seconds before any API answer), ``delay_after_create`` (the order
  is created, then the answer waits: a client that timed out did create it), ``fail_5xx``
  (next N API calls answer 500; -1 all), ``rate_limit`` (next N answer 40004).
"""

import argparse
import base64
import contextlib
import copy
import hashlib
import json
import random
import re
import string
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

DEFAULT_TOKEN = "DEMOPAGBANKTOKEN000000000000000000000000"
BRT = timezone(timedelta(hours=-3))

HOLDER_ADDRESS_LIMITS = {"street": 160, "number": 20, "complement": 40, "locality": 60,
                         "city": 90, "region": 50, "region_code": 2, "country": 50}
ORDER_KEYS = {"reference_id", "customer", "items", "shipping", "notification_urls", "metadata",
              "charges", "qr_codes"}
EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
NAME_RE = re.compile(r"^[A-Za-zÀ-ÿ0-9 ]+$")


def _id(prefix):
    """PagBank's ids: a prefix and an upper-case UUID (``ORDE_`` + 36 = 41 characters)."""
    return f"{prefix}_{str(uuid.uuid4()).upper()}"


def _now():
    return datetime.now(BRT).isoformat(timespec="milliseconds")


def _digits_valid(tax_id):
    """CPF (11) or CNPJ (14) check digits."""
    if not re.fullmatch(r"\d{11}|\d{14}", tax_id or "") or len(set(tax_id)) == 1:
        return False
    if len(tax_id) == 11:
        for size in (9, 10):
            weights = range(size + 1, 1, -1)
            total = sum(int(d) * w for d, w in zip(tax_id[:size], weights, strict=True))
            if str((total * 10) % 11 % 10) != tax_id[size]:
                return False
        return True
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    for size in (12, 13):
        w = weights if size == 12 else [6, *weights]
        total = sum(int(d) * k for d, k in zip(tax_id[:size], w, strict=True))
        check = 11 - total % 11
        if str(0 if check >= 10 else check) != tax_id[size]:
            return False
    return True


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


def linha_digitavel(amount_cents, due):
    """(47 digits, formatted) with valid check digits, bank 290 (PagSeguro's)."""
    factor = (due - date(1997, 10, 7)).days
    if factor > 9999:  # FEBRABAN restarted the factor at 1000 on 2025-02-22.
        factor -= 9000
    free = "".join(random.choices(string.digits, k=25))
    head = "2909"
    tail = f"{factor:04d}{amount_cents:010d}"
    dv = _mod11(head + tail + free)
    f1, f2, f3 = head + free[:5], free[5:15], free[15:25]
    f1, f2, f3 = f1 + _mod10(f1), f2 + _mod10(f2), f3 + _mod10(f3)
    digits = f1 + f2 + f3 + dv + tail
    formatted = f"{f1[:5]}.{f1[5:]} {f2[:5]}.{f2[5:]} {f3[:5]}.{f3[5:]} {dv} {tail}"
    return digits, formatted


def pix_text(qr_id, amount_cents):
    """An EMV "copia e cola" shaped like PagBank's (its CRC is not PagBank's concern here)."""
    url = f"api.pagseguro.com/pix/v2/{qr_id[5:]}"
    gui = "0014br.gov.bcb.pix" + f"25{len(url):02d}{url}"
    amount = f"{amount_cents / 100:.2f}"
    body = (f"000201010212" f"26{len(gui):02d}{gui}" "52040000" "5303986"
            f"54{len(amount):02d}{amount}" "5802BR" "5913PAGSEGURO SA" "6009SAO PAULO"
            "62070503***" "6304")
    crc = 0xFFFF
    for byte in body.encode():
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return body + f"{crc:04X}"


def sign(token, body):
    """PagBank's x-authenticity-token: sha256 of "<token>-<raw body>", lowercase hex."""
    return hashlib.sha256(token.encode() + b"-" + body).hexdigest()


def error(code, description, parameter_name=None):
    item = {"code": code, "description": description}
    if parameter_name:
        item["parameter_name"] = parameter_name
    return item


def _check_order(body):
    """The documented refusals of POST /orders, as error_messages items."""
    errors = []
    for key in body:
        if key not in ORDER_KEYS:
            errors.append(error("40003", "parameter_unknow", key))
    if not body.get("reference_id"):
        errors.append(error("40001", "required_parameter", "reference_id"))
    elif len(str(body["reference_id"])) > 64:
        errors.append(error("40002", "invalid_parameter", "reference_id"))
    customer = body.get("customer") or {}
    for key in ("name", "email", "tax_id"):
        if not customer.get(key):
            errors.append(error("40001", "required_parameter", f"customer.{key}"))
    if customer.get("name") and len(customer["name"]) > 120:
        errors.append(error("40002", "invalid_parameter", "customer.name"))
    email = customer.get("email")
    if email and (not 10 <= len(email) <= 255 or not EMAIL_RE.match(email)):
        errors.append(error("40002", "invalid_parameter", "customer.email"))
    if customer.get("tax_id") and not _digits_valid(customer["tax_id"]):
        errors.append(error("40002", "invalid_parameter", "customer.tax_id"))
    for index, phone in enumerate(customer.get("phones") or []):
        if not (str(phone.get("area", "")).isdigit() and len(str(phone["area"])) == 2
                and re.fullmatch(r"\d{8,9}", str(phone.get("number", "")))):
            errors.append(error("40002", "invalid_parameter", f"customer.phones[{index}]"))
    items = body.get("items") or []
    if not items:
        errors.append(error("40001", "required_parameter", "items"))
    for index, item in enumerate(items):
        if not item.get("name") or len(item["name"]) > 64:
            errors.append(error("40002", "invalid_parameter", f"items[{index}].name"))
        if not isinstance(item.get("unit_amount"), int) or item["unit_amount"] <= 0:
            errors.append(error("40002", "invalid_parameter", f"items[{index}].unit_amount"))
    urls = body.get("notification_urls") or []
    if len(urls) > 1:
        errors.append(error("40002", "invalid_parameter", "notification_urls"))
    charges, qr_codes = body.get("charges") or [], body.get("qr_codes") or []
    if not charges and not qr_codes:
        errors.append(error("40001", "required_parameter", "charges"))
    for index, qr in enumerate(qr_codes):
        value = (qr.get("amount") or {}).get("value")
        if not isinstance(value, int) or value < 100:
            errors.append(error("40002", "invalid_parameter", f"qr_codes[{index}].amount.value"))
        try:
            datetime.fromisoformat(qr.get("expiration_date") or "")
        except ValueError:
            errors.append(error("40002", "invalid_parameter",
                                f"qr_codes[{index}].expiration_date"))
    for index, charge in enumerate(charges):
        errors += _check_boleto_charge(charge, f"charges[{index}]")
    return errors


def _check_boleto_charge(charge, path):
    errors = []
    value = (charge.get("amount") or {}).get("value")
    if not isinstance(value, int) or value < 20:
        errors.append(error("40002", "invalid_parameter", f"{path}.amount.value"))
    for key in ("reference_id", "description"):
        if charge.get(key) and len(charge[key]) > 64:
            errors.append(error("40002", "invalid_parameter", f"{path}.{key}"))
    method = charge.get("payment_method") or {}
    if method.get("type") != "BOLETO":
        errors.append(error("40002", "invalid_parameter", f"{path}.payment_method.type"))
        return errors
    boleto = method.get("boleto") or {}
    bpath = f"{path}.payment_method.boleto"
    template = boleto.get("template", "PROPOSTA")
    if template not in ("PROPOSTA", "COBRANCA"):
        errors.append(error("40002", "invalid_parameter", f"{bpath}.template"))
    try:
        due = date.fromisoformat(boleto.get("due_date") or "")
    except ValueError:
        errors.append(error("40002", "invalid_parameter", f"{bpath}.due_date"))
        due = None
    lines = boleto.get("instruction_lines") or {}
    for key in ("line_1", "line_2"):
        if not lines.get(key):
            errors.append(error("40001", "required_parameter", f"{bpath}.instruction_lines.{key}"))
        elif len(lines[key]) > 75:
            errors.append(error("40002", "invalid_parameter", f"{bpath}.instruction_lines.{key}"))
    holder = boleto.get("holder") or {}
    for key in ("name", "tax_id", "email", "address"):
        if not holder.get(key):
            errors.append(error("40001", "required_parameter", f"{bpath}.holder.{key}"))
    name = holder.get("name") or ""
    if name and (len(name) > 30 or not NAME_RE.match(name)):
        errors.append(error("40002", "invalid_parameter", f"{bpath}.holder.name"))
    if holder.get("tax_id") and not _digits_valid(holder["tax_id"]):
        errors.append(error("40002", "invalid_parameter", f"{bpath}.holder.tax_id"))
    email = holder.get("email")
    if email and (not 10 <= len(email) <= 255 or not EMAIL_RE.match(email)):
        errors.append(error("40002", "invalid_parameter", f"{bpath}.holder.email"))
    address = holder.get("address") or {}
    if holder.get("address"):
        for key in ("street", "number", "locality", "city", "region_code", "postal_code"):
            if not address.get(key):
                errors.append(error("40001", "required_parameter",
                                    f"{bpath}.holder.address.{key}"))
        for key, limit in HOLDER_ADDRESS_LIMITS.items():
            if isinstance(address.get(key), str) and len(address[key]) > limit:
                errors.append(error("40002", "invalid_parameter",
                                    f"{bpath}.holder.address.{key}"))
        if address.get("postal_code") and not re.fullmatch(r"\d{8}", address["postal_code"]):
            errors.append(error("40002", "invalid_parameter",
                                f"{bpath}.holder.address.postal_code"))
    instructions = charge.get("payment_instructions")
    if instructions:
        if template != "COBRANCA":
            errors.append(error("40002", "invalid_parameter", f"{path}.payment_instructions"))
        for key, top in (("fine", 9999), ("interest", 5999)):
            part = instructions.get(key)
            if not part:
                continue
            if not isinstance(part.get("value"), int) or not 1 <= part["value"] <= top:
                errors.append(error("40002", "invalid_parameter",
                                    f"{path}.payment_instructions.{key}.value"))
            try:
                when = date.fromisoformat(part.get("date") or "")
            except ValueError:
                when = None
            if when is None or (due and when <= due):
                errors.append(error("40002", "invalid_parameter",
                                    f"{path}.payment_instructions.{key}.date"))
    return errors


class PagbankState:
    def __init__(self, token, homologated=True):
        self.lock = threading.RLock()
        self.token = token
        self.homologated = homologated
        self.orders = {}
        self.charges = {}  # charge id -> order id
        self.idempotency = {}  # key -> (body hash, status, answer) or (body hash, None, None)
        self.deliveries = []  # (order id, HTTP status or error) of each notification
        self.notifications = []  # (headers, body bytes) sent
        self.requests = []  # (method, path, idempotency key) of each API call
        self.posted = []  # the bodies of the POST /orders received, for the tests
        self.config = {
            "delay": 0.0, "delay_after_create": 0.0, "fail_5xx": 0, "rate_limit": 0,
            "duplicates": 0, "out_of_order": False, "async_notify": False,
            "send_signature": True, "notify": True, "cancel_waiting": False,
            "refund_unavailable": 0,
        }


class PagbankHandler(BaseHTTPRequestHandler):
    server_version = "PagbankDouble/4"
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    @property
    def state(self):
        return self.server.state

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        if self.server.verbose:
            return super().log_message(format, *args)
        return None

    def _send(self, status, body=None, content_type="application/json", raw=None):
        if raw is not None:
            data = raw
        elif body is None:
            data = b""
        else:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _errors(self, status, items):
        return self._send(status, {"error_messages": items})

    def _raw_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _route(self):
        split = urlsplit(self.path)
        return [p for p in split.path.split("/") if p], parse_qs(split.query)

    def _api_guard(self, key=None):
        """Delay, 5xx, rate limit, auth and homologation; True when already answered."""
        state = self.state
        with state.lock:
            state.requests.append((self.command, urlsplit(self.path).path, key))
            config = state.config
            delay, fail, limited = config["delay"], config["fail_5xx"], config["rate_limit"]
            if fail:
                config["fail_5xx"] = fail - 1 if fail > 0 else fail
            elif limited:
                config["rate_limit"] = limited - 1 if limited > 0 else limited
        if delay:
            time.sleep(delay)
        if fail:
            self._send(500, {"error_messages": [error("500", "internal_server_error")]})
            return True
        if limited:
            self._errors(400, [error("40004", "rate_limit")])
            return True
        if self.headers.get("Authorization") != f"Bearer {state.token}":
            self._errors(401, [error("UNAUTHORIZED",
                                     "Invalid credential. Review AUTHORIZATION header")])
            return True
        if not state.homologated:
            self._errors(403, [error("FORBIDDEN", "Access denied")])
            return True
        return False

    # --- verbs ---

    def do_GET(self):  # noqa: N802 - stdlib naming
        parts, query = self._route()
        if parts[:1] == ["_double"]:
            return self._send(200, self.server.snapshot())
        if not parts:
            return self._index_page()
        if parts[:1] == ["pagar"] and len(parts) == 2:
            return self._pay_page(parts[1])
        if parts[:2] == ["simular", "pagar"]:
            return self._simulate(query)
        if parts[:1] == ["boleto"] and len(parts) == 2:
            return self._boleto_file(parts[1])
        if parts[:1] == ["qrcode"] and len(parts) == 3:
            return self._qr_file(parts[1], parts[2])
        if self._api_guard():
            return None
        if parts == ["orders"] and query.get("charge_id"):
            with self.state.lock:
                order_id = self.state.charges.get(query["charge_id"][0])
                order = copy.deepcopy(self.state.orders.get(order_id))
            if not order:
                return self._errors(404, [error("40400", "not_found", "charge_id")])
            return self._send(200, {"orders": [order]})
        if len(parts) == 2 and parts[0] == "orders":
            with self.state.lock:
                order = copy.deepcopy(self.state.orders.get(parts[1]))
            if not order:
                return self._errors(404, [error("40400", "not_found", "order_id")])
            return self._send(200, order)
        if len(parts) == 2 and parts[0] == "charges":
            with self.state.lock:
                order = self.state.orders.get(self.state.charges.get(parts[1]))
                charge = next((copy.deepcopy(c) for c in (order or {}).get("charges", [])
                               if c["id"] == parts[1]), None)
            if not charge:
                return self._errors(404, [error("40400", "not_found", "charge_id")])
            return self._send(200, charge)
        return self._errors(404, [error("40400", "not_found")])

    def do_POST(self):  # noqa: N802 - stdlib naming
        parts, query = self._route()
        raw = self._raw_body()
        if parts == ["_double", "config"]:
            with self.state.lock:
                self.state.config.update(json.loads(raw or b"{}"))
            return self._send(200, self.server.snapshot())
        if parts[:2] == ["simular", "pagar"]:
            return self._simulate(query)
        key = self.headers.get("x-idempotency-key")
        if self._api_guard(key):
            return None
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return self._errors(400, [error("40002", "invalid_parameter", "body")])
        if parts == ["orders"]:
            with self.state.lock:
                self.state.posted.append(body)
            return self._idempotent(key, raw, lambda: self._create_order(body or {}))
        if len(parts) == 3 and parts[0] == "charges" and parts[2] == "cancel":
            return self._idempotent(key, raw, lambda: self._cancel_charge(parts[1], body))
        return self._errors(404, [error("40400", "not_found")])

    def _idempotent(self, key, raw, create):
        if not key:
            status, answer = create()
            return self._send(status, answer)
        digest = hashlib.sha256(raw).hexdigest()
        with self.state.lock:
            held = self.state.idempotency.get(key)
            if held is None:
                self.state.idempotency[key] = (digest, None, None)
        if held is not None:
            if held[0] != digest or held[1] is None:
                return self._errors(409, [error("40005", "idempotency_key_in_use",
                                                "x-idempotency-key")])
            return self._send(held[1], held[2])
        status, answer = create()
        with self.state.lock:
            # Only the request that reserved the key settles it: a reset() while this one slept
            # (a test that timed out on purpose) must not leak its key into the next test.
            if self.state.idempotency.get(key) == (digest, None, None):
                if status < 300:
                    self.state.idempotency[key] = (digest, status, answer)
                else:
                    self.state.idempotency.pop(key, None)
        return self._send(status, answer)

    # --- resources ---

    def _create_order(self, body):
        errors = _check_order(body)
        if errors:
            return 400, {"error_messages": errors}
        base = self.server.base_url
        order_id = _id("ORDE")
        now = _now()
        order = {
            "id": order_id,
            "reference_id": body["reference_id"],
            "created_at": now,
            "customer": body["customer"],
            "items": body["items"],
            "notification_urls": body.get("notification_urls") or [],
            "links": [
                {"rel": "SELF", "href": f"{base}/orders/{order_id}", "media": "application/json",
                 "type": "GET"},
                {"rel": "PAY", "href": f"{base}/orders/{order_id}/pay",
                 "media": "application/json", "type": "POST"},
            ],
            "charges": [],
        }
        if body.get("metadata"):
            order["metadata"] = body["metadata"]
        for request_charge in body.get("charges") or []:
            order["charges"].append(self._boleto_charge(request_charge, now))
        if body.get("qr_codes"):
            order["qr_codes"] = []
            for qr in body["qr_codes"]:
                qr_id = _id("QRCO")
                value = qr["amount"]["value"]
                order["qr_codes"].append({
                    "id": qr_id,
                    "expiration_date": qr["expiration_date"],
                    "amount": {"value": value},
                    "text": pix_text(qr_id, value),
                    "arrangements": ["PIX"],
                    "links": [
                        {"rel": "QRCODE.PNG", "href": f"{base}/qrcode/{qr_id}/png",
                         "media": "image/png", "type": "GET"},
                        {"rel": "QRCODE.BASE64", "href": f"{base}/qrcode/{qr_id}/base64",
                         "media": "text/plain", "type": "GET"},
                    ],
                })
        with self.state.lock:
            self.state.orders[order_id] = order
            for charge in order["charges"]:
                self.state.charges[charge["id"]] = order_id
            answer = copy.deepcopy(order)
            delay = self.state.config["delay_after_create"]
        if delay:
            time.sleep(delay)
        return 201, answer

    def _boleto_charge(self, request_charge, now):
        base = self.server.base_url
        boleto = request_charge["payment_method"]["boleto"]
        value = request_charge["amount"]["value"]
        due = date.fromisoformat(boleto["due_date"])
        digits, formatted = linha_digitavel(value, due)
        slip = uuid.uuid4()
        charge = {
            "id": _id("CHAR"),
            "reference_id": request_charge.get("reference_id"),
            "status": "WAITING",
            "created_at": now,
            "description": request_charge.get("description"),
            "amount": {"value": value, "currency": "BRL",
                       "summary": {"total": value, "paid": 0, "refunded": 0}},
            "payment_response": {"code": "20000", "message": "SUCESSO"},
            "payment_method": {"type": "BOLETO", "boleto": {
                "id": str(uuid.uuid4()).upper(),
                "barcode": digits,
                "formatted_barcode": formatted,
                "due_date": boleto["due_date"],
                "instruction_lines": boleto.get("instruction_lines"),
                "holder": boleto.get("holder"),
            }},
            "links": [
                {"rel": "SELF", "href": f"{base}/boleto/{slip}.pdf", "media": "application/pdf",
                 "type": "GET"},
                {"rel": "SELF", "href": f"{base}/boleto/{slip}.png", "media": "image/png",
                 "type": "GET"},
                {"rel": "SELF", "href": f"{base}/charges/CHAR", "media": "application/json",
                 "type": "GET"},
            ],
        }
        charge["links"][2]["href"] = f"{base}/charges/{charge['id']}"
        if self.state.config["cancel_waiting"]:
            charge["links"].append({"rel": "CHARGE.CANCEL", "media": "application/json",
                                    "href": f"{base}/charges/{charge['id']}/cancel",
                                    "type": "POST"})
        if request_charge.get("payment_instructions"):
            charge["payment_instructions"] = request_charge["payment_instructions"]
        return charge

    def _cancel_charge(self, charge_id, body):
        value = ((body or {}).get("amount") or {}).get("value")
        if not isinstance(value, int) or value <= 0:
            return 400, {"error_messages": [error("40002", "invalid_parameter", "amount.value")]}
        with self.state.lock:
            order = self.state.orders.get(self.state.charges.get(charge_id))
            charge = next((c for c in (order or {}).get("charges", [])
                           if c["id"] == charge_id), None)
            if not charge:
                return 404, {"error_messages": [error("40400", "not_found", "charge_id")]}
            config = self.state.config
            if config["refund_unavailable"]:
                config["refund_unavailable"] -= 1
                return 400, {"error_messages": [error("40008",
                                                      "refund_temporarily_unavailable")]}
            summary = charge["amount"]["summary"]
            voidable = any(link["rel"] == "CHARGE.CANCEL" for link in charge["links"])
            if charge["status"] == "WAITING" and voidable:
                if value != charge["amount"]["value"]:
                    return 400, {"error_messages": [error("40007", "unabled_refund")]}
                charge["status"] = "CANCELED"
                charge["links"] = [link for link in charge["links"]
                                   if link["rel"] != "CHARGE.CANCEL"]
            elif charge["status"] != "PAID" or value > summary["paid"] - summary["refunded"]:
                return 400, {"error_messages": [error("40007", "unabled_refund")]}
            else:
                summary["refunded"] += value
                if summary["refunded"] >= summary["paid"]:
                    charge["status"] = "CANCELED"
            answer = copy.deepcopy(charge)
            order_id = order["id"]
        if self.state.config["notify"]:
            # After the answer, as PagBank does: a client that holds the transaction while it
            # waits for the answer must not wait for its own webhook too.
            threading.Thread(target=self.server.notify, args=(order_id,), daemon=True).start()
        return 201, answer

    # --- simulator, pages, files ---

    def _simulate(self, query):
        order_id = (query.get("order_id") or [""])[0]
        amount = (query.get("amount") or [""])[0]
        try:
            order = self.server.pay(order_id, int(amount) if amount.isdigit() else None)
        except KeyError:
            return self._send(404, "<h1>Pedido não encontrado</h1>", "text/html; charset=utf-8")
        results = self.server.notify(order_id) if self.state.config["notify"] else []
        if "text/html" in (self.headers.get("Accept") or ""):
            return self._send(200, (
                "<!DOCTYPE html><html lang='pt-BR'><meta charset='utf-8'><body>"
                f"<h1>Pagamento simulado</h1><p>{order_id}: PAID. Notificações: {results}</p>"
                "<p>Volte à fatura: ela aparece como paga.</p></body></html>"
            ), "text/html; charset=utf-8")
        return self._send(200, {"order_id": order_id, "status": order["charges"][-1]["status"],
                                "deliveries": results})

    def _pay_page(self, order_id):
        with self.state.lock:
            order = copy.deepcopy(self.state.orders.get(order_id))
        if not order:
            return self._send(404, "<h1>Pedido não encontrado</h1>", "text/html; charset=utf-8")
        if order.get("qr_codes"):
            qr = order["qr_codes"][0]
            value = qr["amount"]["value"]
            what = f"<p>PIX copia e cola: <code>{qr['text']}</code></p>"
        else:
            charge = order["charges"][0]
            value = charge["amount"]["value"]
            what = ("<p>Linha digitável: <code>"
                    f"{charge['payment_method']['boleto']['formatted_barcode']}</code></p>")
        status = order["charges"][-1]["status"] if order["charges"] else "WAITING"
        amount = f"R$ {value // 100:,}".replace(",", ".") + f",{value % 100:02d}"
        html = (
            "<!DOCTYPE html><html lang='pt-BR'><meta charset='utf-8'><title>PagBank (simulado)"
            f"</title><body><h1>PagBank (simulado)</h1><p>Pedido {order_id}</p>"
            f"<p>Valor: <b>{amount}</b></p>{what}<p>Situação: {status}</p>"
            f"<form method='post' action='/simular/pagar?order_id={order_id}&amp;amount={value}'>"
            "<button type='submit'>Simular pagamento</button></form></body></html>"
        )
        return self._send(200, html, "text/html; charset=utf-8")

    def _index_page(self):
        """The demo's way in: every order, newest first, each with its payment page."""
        with self.state.lock:
            orders = list(self.state.orders.values())[::-1]
        rows = "".join(
            f"<li><a href='/pagar/{o['id']}'>{o['reference_id']}</a> - "
            f"{'PIX' if o.get('qr_codes') else 'boleto'} - "
            f"{o['charges'][-1]['status'] if o['charges'] else 'WAITING'}</li>"
            for o in orders
        )
        return self._send(200, (
            "<!DOCTYPE html><html lang='pt-BR'><meta charset='utf-8'><title>PagBank (simulado)"
            f"</title><body><h1>PagBank (simulado): pedidos</h1><ul>{rows}</ul></body></html>"
        ), "text/html; charset=utf-8")

    def _boleto_file(self, name):
        slip, _dot, ext = name.rpartition(".")
        with self.state.lock:
            order_id = next((o["id"] for o in self.state.orders.values() for c in o["charges"]
                             for link in c.get("links", []) if slip in link["href"]), None)
        if not order_id:
            return self._send(404, "<h1>Boleto não encontrado</h1>", "text/html; charset=utf-8")
        if ext == "png":
            return self._send(200, raw=_PNG, content_type="image/png")
        # The demo's "PDF": the payment page, where the slip can be paid (simulated).
        return self._pay_page(order_id)

    def _qr_file(self, qr_id, kind):
        if kind == "base64":
            return self._send(200, base64.b64encode(_PNG).decode(), "text/plain")
        return self._send(200, raw=_PNG, content_type="image/png")


# A 1x1 PNG: the double's boleto and QR images (ours draws the QR from the text).
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


class PagbankDouble(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host="127.0.0.1", port=0, token=DEFAULT_TOKEN, homologated=True,
                 verbose=False):
        super().__init__((host, port), PagbankHandler)
        self.state = PagbankState(token, homologated)
        self.verbose = verbose
        self._thread = None

    @property
    def base_url(self):
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    api_url = base_url

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, name="pagbank-double",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()
        if self._thread:
            self._thread.join(timeout=5)

    def configure(self, **switches):
        with self.state.lock:
            self.state.config.update(switches)

    def wait_settled(self, timeout=10.0):
        """Wait until no order creation is still running (one a test made slow on purpose)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.state.lock:
                if all(held[1] is not None for held in self.state.idempotency.values()):
                    return
            time.sleep(0.05)

    def reset(self):
        with self.state.lock:
            for store in (self.state.orders, self.state.charges, self.state.idempotency):
                store.clear()
            del self.state.deliveries[:], self.state.notifications[:], self.state.requests[:]
            del self.state.posted[:]
            self.state.homologated = True
            self.state.config.update(
                delay=0.0, delay_after_create=0.0, fail_5xx=0, rate_limit=0, duplicates=0,
                out_of_order=False, async_notify=False, send_signature=True, notify=True,
                cancel_waiting=False, refund_unavailable=0,
            )

    def snapshot(self):
        with self.state.lock:
            return {"config": dict(self.state.config), "orders": len(self.state.orders),
                    "deliveries": list(self.state.deliveries),
                    "requests": list(self.state.requests)}

    def order(self, order_id):
        with self.state.lock:
            return copy.deepcopy(self.state.orders[order_id])

    def pay(self, order_id, amount=None):
        """Pay the order's boleto, or its QR code (a new PIX charge), as a payer would."""
        with self.state.lock:
            order = self.state.orders[order_id]
            now = _now()
            if order.get("qr_codes"):
                qr = order["qr_codes"][0]
                if any(c["status"] == "PAID" for c in order["charges"]):
                    return copy.deepcopy(order)  # a QR code is paid once
                value = amount if amount is not None else qr["amount"]["value"]
                charge = {
                    "id": _id("CHAR"), "reference_id": order["reference_id"],
                    "status": "PAID", "created_at": now, "paid_at": now,
                    "description": "PIX",
                    "amount": {"value": value, "currency": "BRL",
                               "summary": {"total": value, "paid": value, "refunded": 0}},
                    "payment_response": {"code": "20000", "message": "SUCESSO"},
                    "payment_method": {"type": "PIX", "pix": {
                        "notification_id": _id("NTF"),
                        "end_to_end_id": "E" + "".join(random.choices(string.digits, k=31)),
                        "holder": {"name": order["customer"]["name"],
                                   "tax_id": "***" + order["customer"]["tax_id"][3:-2] + "**"},
                    }},
                    "links": [],
                }
                order["charges"].append(charge)
                self.state.charges[charge["id"]] = order_id
            else:
                charge = order["charges"][0]
                if charge["status"] == "WAITING":
                    value = amount if amount is not None else charge["amount"]["value"]
                    charge.update(status="PAID", paid_at=now)
                    charge["amount"]["summary"]["paid"] = value
            return copy.deepcopy(order)

    def refund(self, order_id, value=None):
        """A refund of the paid charge (what ``POST /charges/{id}/cancel`` does), no notice."""
        with self.state.lock:
            charge = next(c for c in self.state.orders[order_id]["charges"]
                          if c["status"] == "PAID")
            summary = charge["amount"]["summary"]
            summary["refunded"] += value if value is not None else summary["paid"]
            if summary["refunded"] >= summary["paid"]:
                charge["status"] = "CANCELED"

    def notification(self, order_id, waiting=False):
        """(headers, body) of a notification of the order as it is now (``waiting``: a stale
        copy from before its payment, as a late delivery would carry)."""
        with self.state.lock:
            order = copy.deepcopy(self.state.orders[order_id])
        if waiting:
            if order.get("qr_codes"):
                order["charges"] = []
            for charge in order["charges"]:
                charge["status"] = "WAITING"
                charge.pop("paid_at", None)
                charge["amount"]["summary"].update(paid=0, refunded=0)
        body = json.dumps(order).encode()
        headers = {"Content-Type": "application/json"}
        if self.state.config["send_signature"]:
            headers["x-authenticity-token"] = sign(self.state.token, body)
        return headers, body

    def notify(self, order_id):
        """POST the order to its notification URL, as PagBank does; the outcomes."""
        config = self.state.config
        sends = [False] * (1 + int(config["duplicates"]))
        if config["out_of_order"]:
            sends.append(True)
        if config["async_notify"]:
            threading.Thread(target=self._deliver_all, args=(order_id, sends),
                             daemon=True).start()
            return []
        return self._deliver_all(order_id, sends)

    def _deliver_all(self, order_id, sends):
        return [self.deliver(order_id, waiting) for waiting in sends]

    def deliver(self, order_id, waiting=False):
        with self.state.lock:
            urls = list(self.state.orders[order_id].get("notification_urls") or [])
        if not urls:
            return None
        headers, body = self.notification(order_id, waiting)
        with self.state.lock:
            self.state.notifications.append((headers, body))
        request = urllib.request.Request(urls[0], data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                outcome = response.status
        except urllib.error.HTTPError as http_error:
            outcome = http_error.code
        except OSError as os_error:
            outcome = f"error: {os_error}"
        with self.state.lock:
            self.state.deliveries.append((order_id, outcome))
        return outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--not-homologated", action="store_true",
                        help="answer 403 as production does before homologation")
    parser.add_argument("--no-signature", action="store_true",
                        help="send notifications without x-authenticity-token")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    server = PagbankDouble(args.host, args.port, args.token, not args.not_homologated,
                           args.verbose)
    if args.no_signature:
        server.configure(send_signature=False)
    sys.stdout.write(f"PagBank double on {server.api_url}\n")
    sys.stdout.flush()
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
