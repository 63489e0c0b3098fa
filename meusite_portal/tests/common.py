import re
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase

from ..models.captcha.meusite_captcha import MeusiteCaptcha

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


class MeusiteInvoicesCommon(HttpCase):
    """Two customers of their own (not the demo ones) and a wire-transfer provider set up
    like the demo's, so that each test decides what the customer owes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.brl = cls.company.currency_id
        cls.customer_user = cls._make_portal_user("Beatriz Campos Lima", "beatriz")
        cls.customer = cls.customer_user.partner_id
        cls.other_user = cls._make_portal_user("Rafael Moreira Dias", "rafael")
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

    @classmethod
    def _make_portal_user(cls, name, login):
        return cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": name,
            "login": login,
            "password": login + "-Senha123",
            "email": f"{login}@example.com",
            "lang": "pt_BR",
            "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
        })

    @classmethod
    def _invoice(cls, partner, amount=158.90, days_ago=10, due_in=5, currency=None, post=True):
        today = fields.Date.today()
        move = cls.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "currency_id": (currency or cls.brl).id,
            "invoice_date": fields.Date.subtract(today, days=days_ago),
            "invoice_date_due": fields.Date.add(today, days=due_in),
            "invoice_line_ids": [Command.create({
                "name": "Mensalidade Meu Site Expresso",
                "quantity": 1,
                "price_unit": amount,
                "tax_ids": [Command.clear()],
            })],
        })
        if post:
            move.action_post()
        return move

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


def make_invoices(env, partner, count, amount=158.90, due_days=3, post=True):
    """Customer invoices for ``partner``; due ``due_days`` after today (negative: overdue)."""
    today = fields.Date.context_today(env["account.move"])
    product_line = {"name": "Hospedagem de site", "quantity": 1, "price_unit": amount,
                    "tax_ids": [Command.clear()]}
    moves = env["account.move"].create([{
        "move_type": "out_invoice",
        "partner_id": partner.id,
        "invoice_date": today - timedelta(days=10),
        "invoice_date_due": today + timedelta(days=due_days),
        "invoice_line_ids": [Command.create(dict(product_line))],
    } for _i in range(count)])
    if post:
        moves.action_post()
    return moves


def post_signup_form(case, captcha_answer="K7WQ4P", **overrides):
    """POST /web/signup like a browser: the page first (its CSRF token and captcha, whose
    text is fixed), then the form with ``overrides`` over SIGNUP_FORM. ``case`` is an
    HttpCase whose opener posts."""
    with patch.object(MeusiteCaptcha, "_random_text", lambda self: "K7WQ4P"):
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
