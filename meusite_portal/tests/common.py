"""The portal's test helpers, also imported by the other addons' tests and tests/ (they all
depend on meusite_portal): one way each to make a portal user, invoices, services, and to
know the captcha's answer.
"""

import base64
import importlib.util
import io
import os
import re
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from unittest.mock import patch

from PIL import Image

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase
from odoo.tests.common import ChromeBrowser
from odoo.tools.misc import file_path

from ..models.captcha.meusite_captcha import MeusiteCaptcha
from ..models.domain_check import meusite_domain_check
from .doubles.rdap_double import RdapDouble

CAPTCHA_ANSWER = "K7WQ4P"
# Dates in the service tests: far from today, so the demo services never fall in their windows.
D = date

# The sign-up form as a Brazilian visitor fills it (the state, Minas Gerais, is added by
# post_signup_form); the CEP is in Belo Horizonte's range in l10n_br's list.
SIGNUP_FORM = {
    "login": "joana.prado@example.com",
    "name": "Joana Prado Martins",
    "password": "S3nha-forte!",
    "confirm_password": "S3nha-forte!",
    "vat": "52998224725",
    "phone": "(31) 99876-5432",
    "zipcode": "30130100",
    "street_name": "Rua da Bahia",
    "street_number": "1148",
    "street_number2": "Sala 3",
    "street2": "Centro",
    "city": "Belo Horizonte",
    "company_name": "",
}


@contextmanager
def known_captcha(answer=CAPTCHA_ANSWER):
    """Every challenge created inside the block has ``answer`` as its text."""
    with patch.object(MeusiteCaptcha, "_random_text", lambda self: answer):
        yield


def make_portal_user(env, login, name=None, password=None, partner=None, **values):
    """A customer with a portal login (password ``<login>-Senha123`` unless given), without
    the invitation e-mail: for ``partner``, or a new contact in Portuguese."""
    who = {"partner_id": partner.id} if partner else {
        "name": name or login.title(), "email": f"{login}@example.com", "lang": "pt_BR",
    }
    return env["res.users"].with_context(no_reset_password=True).create({
        **who,
        "login": login,
        "password": password or f"{login}-Senha123",
        "groups_id": [Command.set([env.ref("base.group_portal").id])],
        **values,
    })


def make_invoices(env, partner, count=1, amount=158.90, days_ago=10, due_in=5, currency=None,
                  post=True, line="Mensalidade Meu Site Expresso", **values):
    """``count`` customer invoices of ``amount`` for ``partner``, dated ``days_ago`` days ago
    and due ``due_in`` days after today (negative: overdue), posted unless ``post=False``;
    ``values`` override the invoice's own (fixed dates, no payment term)."""
    today = fields.Date.context_today(env["account.move"])
    moves = env["account.move"].create([{
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "currency_id": (currency or env.company.currency_id).id,
        "invoice_date": today - timedelta(days=days_ago),
        "invoice_date_due": today + timedelta(days=due_in),
        "invoice_line_ids": [Command.create({
            "name": line, "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
        })],
        **values,
    } for _i in range(count)])
    if post:
        moves.action_post()
    return moves


def post_signup_form(case, captcha_answer=CAPTCHA_ANSWER, **overrides):
    """POST /web/signup like a browser: the page first (its CSRF token and captcha, whose
    text is known), then the form with ``overrides`` over SIGNUP_FORM. ``case`` is an
    HttpCase whose opener posts."""
    with known_captcha():
        page = case.url_open("/web/signup").text
    data = {
        **SIGNUP_FORM,
        "state_id": str(case.env.ref("base.state_br_mg").id),
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
        "captcha_token": re.search(r'name="captcha_token" value="([^"]+)"', page).group(1),
        "captcha_answer": captcha_answer,
    }
    data.update(overrides)
    return case.url_open("/web/signup", data=data)


def load_migration(version, script="post-migrate"):
    """This addon's migration script of ``version`` as a module, as Odoo's upgrade runs it:
    its ``migrate(cr, version)`` and helpers can then be called by a test."""
    path = file_path(f"meusite_portal/migrations/{version}/{script}.py")
    name = f"meusite_portal_{script}_{version}".replace(".", "_").replace("-", "_")
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class MeusiteInvoicesCommon(HttpCase):
    """Two customers of their own (not the demo ones) and a wire-transfer provider set up
    like the demo's, so that each test decides what the customer owes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.brl = cls.company.currency_id
        cls.customer_user = make_portal_user(cls.env, "beatriz", "Beatriz Campos Lima")
        cls.customer = cls.customer_user.partner_id
        cls.other_user = make_portal_user(cls.env, "rafael", "Rafael Moreira Dias")
        cls.other = cls.other_user.partner_id
        cls.transfer = cls.env.ref("payment.payment_provider_transfer")
        cls.transfer.write({"state": "enabled", "is_published": True})
        # The bank details and the PIX key are the company's bank account, the one on its bank
        # journal and on its customer invoices (set up as the demo's).
        cls.company.partner_id.vat = "27.461.538/0001-50"
        cls.bank_account = cls.env.ref("meusite_portal.demo_company_bank_account")
        cls.bank_account.write({
            "bank_id": cls.env["res.bank"].create({
                "name": "Caixa Econômica Federal", "bic": "104"}).id,
            "meusite_branch": "3552",
            "meusite_operation": "013",
            "meusite_account_type": "savings",
            "acc_number": "0010007-4",
            "acc_holder_name": "Meu Site Expresso Ltda",
            "meusite_holder_document": False,
            "proxy_type": "br_random",
            "proxy_value": "7d9f0335-8dcc-4054-9bf9-0dbd61c2b7b1",
            "include_reference": True,
        })
        cls.wire_method = cls.env.ref("payment_custom.payment_method_wire_transfer")

    def _pending_tx(self, invoices, state="pending"):
        tx = self.env["payment.transaction"].create({
            "provider_id": self.transfer.id,
            "payment_method_id": self.wire_method.id,
            "amount": sum(invoices.mapped("amount_residual")),
            "currency_id": invoices.currency_id.id,
            "partner_id": invoices.partner_id[:1].id,
            "reference": self.env["payment.transaction"]._compute_reference("custom"),
            "invoice_ids": [Command.set(invoices.ids)],
        })
        if state == "pending":
            tx._set_pending()
        return tx


class ServiceCase(TransactionCase):
    """Two invented customers and a plan; dates far from today so that the demo
    services never fall in the windows the tests look at."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.service_invoice_lead_days", "10"
        )
        cls.env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.service_suspension_grace_days", "5"
        )
        cls.plan = cls.env["product.product"].create({
            "name": "Plano Teste", "type": "service", "list_price": 158.90,
            "taxes_id": [],
        })
        cls.domain_product = cls.env["product.product"].create({
            "name": "Domínio Teste", "type": "service", "list_price": 40.0, "taxes_id": [],
        })
        cls.ana = cls.env["res.partner"].create({
            "name": "Ana Ribeiro", "email": "ana.ribeiro@example.com", "lang": "pt_BR",
        })
        cls.bruno = cls.env["res.partner"].create({
            "name": "Bruno Lima", "email": "bruno.lima@example.com", "lang": "pt_BR",
        })
        cls.Service = cls.env["meusite.service"]

    @classmethod
    def make_service(cls, partner, due, cycle="monthly", price=158.90, state="active", **kw):
        return cls.env["meusite.service"].create({
            "partner_id": partner.id,
            "product_id": kw.pop("product", cls.plan).id,
            "cycle": cycle,
            "price": price,
            "date_start": kw.pop("date_start", due),
            "next_due_date": due,
            "state": state,
            **kw,
        })

    def run_billing(self, day, services=None):
        services = services if services is not None else self.Service.search(
            [("partner_id", "in", (self.ana | self.bruno).ids)]
        )
        return self.Service._meusite_invoice_due_services(day, service_ids=services.ids)

    def send_queued_invoices(self):
        """What Odoo's sending cron does after a billing run: render and e-mail the
        invoices queued for sending (the run only queues them)."""
        self.env["account.move"]._cron_account_move_send(job_count=1000)


class RdapDoubleMixin:
    """The RDAP double (``ocupado.com.br`` and ``ocupado.com`` are registered) behind the
    domain check's settings."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rdap = RdapDouble(registered=["ocupado.com.br", "ocupado.com"]).start()
        cls.addClassCleanup(cls.rdap.stop)

    def setUp(self):
        super().setUp()
        meusite_domain_check.clear_caches()
        self.addCleanup(meusite_domain_check.clear_caches)
        self.rdap.mode = "up"
        self.rdap.requests.clear()
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param("meusite_portal.rdap_br_url", self.rdap.br_url)
        set_param("meusite_portal.rdap_bootstrap_url", self.rdap.bootstrap_url)
        set_param("meusite_portal.rdap_timeout", "0.5")
        set_param("meusite_portal.domain_check_per_minute", "10")


class OrderMixin(RdapDoubleMixin):
    """An orderable plan with two cycles, a domain-registration plan, and the settings the
    tests assume, on top of the RDAP double (``ocupado.com.br`` is registered)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        env["ir.config_parameter"].sudo().set_param("meusite_portal.order_payment_days", "7")
        env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.service_invoice_lead_days", "10"
        )
        cls.plan = env["product.template"].create({
            "name": "Plano Site Teste",
            "type": "service",
            "list_price": 158.90,
            "sale_ok": True,
            "taxes_id": [Command.clear()],
            "description_sale": "Site com hospedagem e suporte.",
            "meusite_is_plan": True,
            "meusite_plan_price_ids": [
                Command.create({"cycle": "monthly", "price": 158.90}),
                Command.create({"cycle": "annual", "price": 1690.00}),
            ],
        })
        cls.domain_plan = env["product.template"].create({
            "name": "Registro de Domínio Teste",
            "type": "service",
            "list_price": 40.0,
            "sale_ok": True,
            "taxes_id": [Command.clear()],
            "meusite_is_plan": True,
            "meusite_plan_is_domain": True,
            "meusite_plan_price_ids": [Command.create({"cycle": "annual", "price": 40.0})],
        })
        cls.provisioner = env["res.users"].create({
            "name": "Paulo Provisionamento", "login": "paulo_prov",
            "email": "paulo@example.com",
            "groups_id": [Command.set([env.ref("base.group_user").id])],
        })
        env["ir.config_parameter"].sudo().set_param(
            "meusite_portal.order_provision_user_id", str(cls.provisioner.id)
        )

    def services_of(self, partner):
        return self.env["meusite.service"].sudo().search(
            [("commercial_partner_id", "=", partner.commercial_partner_id.id)]
        )


# SECURITY.md's list of the routes a visitor or a customer can reach (at the repository's
# root): test_routes_reviewed keeps it true, meusite_test_full's test_hostile_values fuzzes it.
SECURITY_MD = Path(__file__).resolve().parents[2] / "SECURITY.md"
OPEN_AUTHS = ("public", "user", "none", "bearer")
ROUTE_LINE = re.compile(r"^(?P<auth>public|user|none|bearer)\s+(?P<rule>/\S*)\s+(?P<addon>\S+)$")


def documented_routes():
    """(auth, route, addon) of every line of SECURITY.md's routes block."""
    text = SECURITY_MD.read_text(encoding="utf-8")
    block = re.search(r"<!-- routes:begin -->(.*?)<!-- routes:end -->", text, re.S)
    assert block, "SECURITY.md has no routes block"
    routes = set()
    for line in block.group(1).splitlines():
        match = ROUTE_LINE.match(line.strip())
        if match:
            routes.add((match["auth"], match["rule"], match["addon"]))
    return routes


# Where MEUSITE_SCREENSHOTS=1 saves the tours' pages, for the README.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MAX_PNG_BYTES = 300_000


class TourScreenshotMixin:
    """``with self.screenshot(name): self.start_tour(...)`` saves the page the tour ended on
    to docs/screenshots/<name>.png when MEUSITE_SCREENSHOTS=1 (the manual walk, PagBank's
    tour)."""

    @contextmanager
    def screenshot(self, name):
        """Save the page the tour ended on (just before Odoo closes the browser)."""
        if not os.environ.get("MEUSITE_SCREENSHOTS"):
            yield
            return
        stop = ChromeBrowser.stop

        def stop_after_screenshot(browser):
            try:
                # The whole page, not only the first screenful.
                size = browser._websocket_request("Page.getLayoutMetrics")["cssContentSize"]
                clip = {"x": 0, "y": 0, "width": size["width"],
                        "height": min(size["height"], 2400), "scale": 1}
                data = browser._websocket_request(
                    "Page.captureScreenshot",
                    params={"clip": clip, "captureBeyondViewport": True}, timeout=30,
                )["data"]
                self._save_png(name, data)
            finally:
                stop(browser)

        with patch.object(ChromeBrowser, "stop", stop_after_screenshot):
            yield

    def _save_png(self, name, data):
        image = Image.open(io.BytesIO(base64.b64decode(data)))
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for width in (image.width, 1100, 900, 700):
            scaled = image if width == image.width else image.resize(
                (width, round(image.height * width / image.width)), Image.LANCZOS
            )
            buffer = io.BytesIO()
            scaled.convert("RGB").quantize(256).save(buffer, "PNG", optimize=True)
            if buffer.tell() <= MAX_PNG_BYTES:
                break
        (SCREENSHOTS / f"{name}.png").write_bytes(buffer.getvalue())
