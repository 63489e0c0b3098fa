"""No server error (5xx) from any forged value, on every door of ours.

The route inventory is SECURITY.md's (the routes block meusite_portal's
test_routes_reviewed.py keeps true): every route our addons answer to a visitor or a
customer, plus the stock customer pages we extend. For each, the parameters it reads - its
signature, the fields of the forms that post to it (Odoo's optional portal fields included)
and its path arguments - get hostile values: non-ASCII digits, nan, inf, 1e309, -1, 2**63,
empty, a repeated parameter (a list), 100 000 characters, an unknown id, an unknown
selection value. Any 5xx fails.

Bounded in time: one logged-in session; each route gets a rotating sample of the values in
all its parameters at once, and each parameter alone a rotating sample of its own.
"""

import inspect
import re
import time

import odoo
from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_portal.tests.common import documented_routes, make_invoices

OURS = ("meusite_portal", "meusite_helpdesk", "meusite_moip_payment")
# Stock customer pages our addons extend (their forms and lists read our fields).
STOCK_CUSTOMER_PAGES = {"/my/invoices", "/my/invoices/<int:invoice_id>",
                        "/my/invoices/page/<int:page>", "/my/invoices/overdue"}
LIST = object()  # the parameter sent twice: a list where a string is expected
HOSTILE = ["²", "١٢", "nan", "inf", "1e309", "-1", str(2**63), "", LIST, "A" * 100000,
           "2147483646", "valor-desconhecido"]
PER_PARAMETER = 2
AT_ONCE = 6  # values sent in every parameter at once, per route (rotating)
# Pages whose forms name the parameters the **kw routes read.
FORM_PAGES = ["/my/account", "/my/home", "/new/ticket", "/my/order", "/my/services",
              "/my/invoices", "/web/signup", "/web/reset_password", "/web/login"]
FIELD = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname="([^"]+)\"""")
FORM = re.compile(r"""<form\b[^>]*\baction="([^"?#]*)[^"]*"(.*?)</form>""", re.S)


def label(value):
    return "[list]" if value is LIST else value[:20]


@tagged("post_install", "-at_install")
class TestHostileValues(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env.ref("meusite_portal.demo_customer")
        cls.invoice = make_invoices(cls.env, cls.customer, 1)
        cls.service = cls.env.ref("meusite_portal.demo_service_plan")
        cls.ticket = cls.env["helpdesk.ticket"].create({
            "name": "Site fora do ar", "description": "<p>x</p>",
            "partner_id": cls.customer.id,
            "team_id": cls.env.ref("meusite_helpdesk.team_suporte").id,
        })

    def inventory(self):
        """(rule, methods, parameters) of every route to fuzz, from SECURITY.md's list and the
        routing map (for the methods and the signature of each)."""
        wanted = {rule for auth, rule, addon in documented_routes()
                  if addon in OURS or rule in STOCK_CUSTOMER_PAGES}
        IrHttp = self.env["ir.http"]
        modules = sorted(self.env.registry._init_modules.union(odoo.conf.server_wide_modules))
        routes = {}
        for url, endpoint in IrHttp._generate_routing_rules(
                modules, converters=IrHttp._get_converters()):
            if url not in wanted or endpoint.routing.get("type") != "http":
                continue
            signature = inspect.signature(getattr(endpoint, "original_endpoint", endpoint))
            names = [name for name, param in signature.parameters.items()
                     if name != "self" and param.kind not in (param.VAR_KEYWORD,
                                                              param.VAR_POSITIONAL)]
            routes[url] = (endpoint.routing.get("methods") or ["GET", "POST"], names)
        self.assertGreater(len(routes), 30, "the inventory was not read")
        return routes

    def form_fields(self):
        """Form field names per action path, from the pages a customer and a visitor see."""
        fields = {}
        for page in FORM_PAGES:
            for action, body in FORM.findall(self.url_open(page, timeout=60).text):
                fields.setdefault(action, set()).update(FIELD.findall(body))
        fields.setdefault("/my/account", set()).update(
            {"invoice_sending_method", "invoice_edi_format", "redirect"})
        return fields

    def path_values(self):
        return {"service_id": self.service.id, "invoice_id": self.invoice.id,
                "ticket_id": self.ticket.id, "page": 1, "selection": "1-2",
                "cep": "30130100", "token": "x"}

    def request(self, rule, methods, params, path_args):
        url = rule
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
            value = path_args.get(name, self.path_values().get(name, "1"))
            if value is LIST:
                value = "1"
            if converter == "int" and not re.fullmatch(r"[0-9]+", str(value)):
                value = "1"  # the converter itself answers 404 to anything else
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value)[:2000] or "0", url, count=1)
        data = []
        for key, value in params.items():
            data += [(key, "1"), (key, "2")] if value is LIST else [(key, value)]
        with mute_logger("odoo.http", "odoo.addons.base.models.ir_attachment",
                         "odoo.addons.meusite_portal", "odoo.addons.meusite_helpdesk",
                         "odoo.sql_db"):
            if "POST" in methods:
                data.append(("csrf_token", http.Request.csrf_token(self)))
                response = self.url_open(url, data=data, timeout=60, allow_redirects=False)
            else:
                query = "&".join(f"{k}={v[:2000]}" for k, v in data)
                response = self.url_open(f"{url}?{query}" if query else url, timeout=60,
                                         allow_redirects=False)
        return response.status_code

    def fuzz(self, routes, fields):
        errors, sent, start = [], 0, time.time()
        for route_index, (rule, (methods, names)) in enumerate(sorted(routes.items())):
            pattern = re.sub(r"<[^>]+>", "[^/]+", rule)
            params = set(names) | {key for action, keys in fields.items()
                                   if re.fullmatch(pattern, action) for key in keys}
            params.discard("csrf_token")
            path_names = re.findall(r"<(?:\w+:)?(\w+)>", rule)
            query_names = sorted(params - set(path_names))
            # Values in every parameter at once (rotating: every value reaches many routes).
            for k in range(AT_ONCE):
                value = HOSTILE[(route_index * AT_ONCE + k) % len(HOSTILE)]
                status = self.request(rule, methods, dict.fromkeys(query_names, value),
                                      dict.fromkeys(path_names, value))
                sent += 1
                if status >= 500:
                    errors.append((rule, "*", label(value), status))
            # Each parameter alone, with a rotating sample of the values.
            for index, name in enumerate(query_names + path_names):
                for k in range(PER_PARAMETER):
                    value = HOSTILE[(index * PER_PARAMETER + k) % len(HOSTILE)]
                    if name in path_names:
                        status = self.request(rule, methods, {}, {name: value})
                    else:
                        status = self.request(rule, methods, {name: value}, {})
                    sent += 1
                    if status >= 500:
                        errors.append((rule, name, label(value), status))
        return errors, sent, time.time() - start

    def test_customer_routes_answer_hostile_values_without_5xx(self):
        self.authenticate("cliente", "cliente")
        routes = self.inventory()
        errors, sent, seconds = self.fuzz(routes, self.form_fields())
        self.assertFalse(errors, f"{len(errors)} server errors out of {sent} requests "
                                 f"({seconds:.0f} s): {errors[:40]}")
