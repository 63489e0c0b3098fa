"""The customer-data rules hold on every route that writes a customer's partner, and no
route tells a customer whether an e-mail or CPF/CNPJ is someone else's.

The attacker is a customer with an account (sign-up is open to anyone) who read the code:
besides "Atualizar seus Dados" they call Odoo's own doors on their own user record - the web
client's JSON route (/web/dataset/call_kw), XML-RPC and JSON-RPC - which write the partner
in sudo through res.users' self-writable fields.
"""

import json
import re
import xmlrpc.client

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..common import make_portal_user

PASSWORD = "regras-Senha123"


@tagged("post_install", "-at_install")
class TestCustomerDataRules(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mg = cls.env.ref("base.state_br_mg")
        cls.customer = cls.env["res.partner"].create({
            "name": "Mariana Alves Teixeira", "email": "mariana.regras@example.com",
            "vat": "935.411.347-80", "phone": "+55 31 98765-4321", "lang": "pt_BR",
            "street_name": "Rua dos Timbiras", "street_number": "1200",
            "street2": "Funcionários", "zip": "30140-061", "city": "Belo Horizonte",
            "state_id": cls.mg.id, "country_id": cls.env.ref("base.br").id,
        })
        cls.user = make_portal_user(cls.env, "regras", partner=cls.customer, password=PASSWORD)
        cls.owner = cls.env["res.partner"].create({
            "name": "Outra Cliente", "email": "outra.regras@example.com",
            "vat": "111.444.777-35", "lang": "pt_BR"})
        make_portal_user(cls.env, "outra.regras@example.com", partner=cls.owner)

    def setUp(self):
        super().setUp()
        self.authenticate("regras", PASSWORD)

    # helpers -----------------------------------------------------------------------------

    def call_kw(self, model, method, *args, **kwargs):
        with mute_logger("odoo.http"):
            answer = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "model": model, "method": method, "args": list(args), "kwargs": kwargs,
                }}),
                headers={"Content-Type": "application/json"},
            ).json()
        error = answer.get("error")
        return answer.get("result"), error and error["data"]["name"]

    def xmlrpc(self, model, method, *args):
        proxy = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object")
        try:
            with mute_logger("odoo.http", "odoo.service.model"):
                return proxy.execute_kw(self.env.cr.dbname, self.user.id, PASSWORD, model,
                                        method, list(args)), None
        except xmlrpc.client.Fault as fault:
            return None, fault.faultString

    def jsonrpc(self, model, method, *args):
        with mute_logger("odoo.http", "odoo.service.model"):
            answer = self.url_open("/jsonrpc", data=json.dumps({
                "jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                    "service": "object", "method": "execute_kw",
                    "args": [self.env.cr.dbname, self.user.id, PASSWORD, model, method,
                             list(args)]}}),
                headers={"Content-Type": "application/json"}).json()
        error = answer.get("error")
        return answer.get("result"), error and error["data"]["name"]

    def account_form(self, **overrides):
        page = self.url_open("/my/account").text
        data = {
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "name": "Mariana Alves Teixeira", "email": "mariana.regras@example.com",
            "vat": "935.411.347-80", "phone": "(31) 91234-5678", "zipcode": "30140-061",
            "street_name": "Rua dos Timbiras", "street_number": "1200", "street_number2": "",
            "street2": "Funcionários", "city": "Belo Horizonte", "state_id": str(self.mg.id),
            "company_name": "", "country_id": str(self.env.ref("base.br").id),
        }
        data.update(overrides)
        with mute_logger("odoo.http"):
            return self.url_open("/my/account", data=data)

    def mails_to(self, email):
        return self.env["mail.mail"].sudo().search([("email_to", "ilike", email)])

    def stored(self, field):
        self.customer.invalidate_recordset()
        return self.customer[field]

    # item 3: the rules on every route ----------------------------------------------------

    def test_self_write_routes_meet_the_size_and_email_rules(self):
        # res.users lets a user write its own name/e-mail in sudo: over three routes, a
        # 100 000-character name and an address that is not an e-mail are refused.
        routes = (
            ("call_kw", lambda vals: self.call_kw("res.users", "write", [self.user.id], vals)),
            ("xmlrpc", lambda vals: self.xmlrpc("res.users", "write", [self.user.id], vals)),
            ("jsonrpc", lambda vals: self.jsonrpc("res.users", "write", [self.user.id], vals)),
        )
        for route, call in routes:
            for vals in ({"name": "A" * 100000}, {"email": "nao-e-um-email"},
                         {"email": "x@example.com" + " " * 300}):
                with self.subTest(route=route, field=next(iter(vals))):
                    result, error = call(vals)
                    self.assertIsNone(result)
                    self.assertTrue(error, f"{route} wrote {vals}"[:200])
                    self.assertEqual(self.stored("name"), "Mariana Alves Teixeira")
                    self.assertEqual(self.stored("email"), "mariana.regras@example.com")

    def test_self_write_keeps_only_the_customer_fields(self):
        # Odoo's self-writable list has fields no customer page offers: a signature (HTML of
        # their choosing in e-mails to staff), an avatar (a file past the ticket-file rules),
        # the backend home action, the notification type.
        for vals in (
            {"signature": '<a href="javascript:alert(1)">clique</a>'},
            {"image_1920": "R0lGODlhAQABAAAAACw="},
            {"action_id": self.env.ref("base.action_res_users").id},
            {"notification_type": "inbox"},
        ):
            with self.subTest(field=next(iter(vals))):
                result, error = self.call_kw("res.users", "write", [self.user.id], vals)
                self.assertIsNone(result)
                self.assertEqual(error, "odoo.exceptions.AccessError")
        self.user.invalidate_recordset()
        self.assertFalse(self.user.signature and "javascript" in str(self.user.signature))
        self.assertFalse(self.user.action_id)
        self.assertEqual(self.user.notification_type, "email")
        # What a customer does keep still works.
        result, error = self.call_kw("res.users", "write", [self.user.id], {"tz": "America/Recife"})
        self.assertEqual((result, error), (True, None))

    def test_account_page_unknown_selection_is_a_message(self):
        # account's optional fields on the stock form, forged: the form comes back with a
        # message, nothing written (before: a server error).
        for key, value in (("invoice_sending_method", "pombo-correio"),
                           ("invoice_edi_format", "xpto")):
            with self.subTest(key=key):
                response = self.account_form(street2="Savassi", **{key: value})
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.url.endswith("/my/home"), response.url)
                self.assertIn("Escolha uma das opções apresentadas.", response.text)
                self.assertEqual(self.stored("street2"), "Funcionários")

    def test_model_rules_whatever_the_caller(self):
        # A route we do not know yet, writing the customer's partner in sudo as the
        # customer (as the stock account route does), ends on the same rules.
        partner = self.customer.with_user(self.user).sudo()
        for vals in ({"vat": "381.427.560-81"}, {"zip": "00000-000"},
                     {"zip": "01310-100", "city_id": self.env.ref("l10n_br.city_br_001").id,
                      "state_id": self.mg.id},
                     {"state_id": 2**63}, {"email": "%@example.com x"},
                     {"street_name": "R" * 201}):
            with self.subTest(vals=str(vals)[:60]), self.assertRaises(ValidationError), \
                    self.env.cr.savepoint():
                partner.write(vals)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            partner.write({"parent_id": self.owner.id})
        # A valid move: the CEP gives the city and the state.
        partner.write({"zip": "01310100"})
        self.assertRecordValues(self.customer, [{
            "zip": "01310-100", "city_id": self.env.ref("l10n_br.city_br_001").id,
            "state_id": self.env.ref("base.state_br_sp").id}])

    # item 6: no "already registered" oracle ------------------------------------------------

    def test_account_page_answers_the_same_for_anothers_cpf_and_email(self):
        # Another customer's CPF and e-mail: the same answer as a free one (saved, back to
        # the panel), the value not stored, its owner told by e-mail.
        free = self.account_form(vat="529.982.247-25", email="nova.regras@example.com",
                                 phone="(31) 95555-0000")
        self.assertTrue(free.url.endswith("/my/home"), free.url)
        self.assertEqual(self.stored("vat"), "529.982.247-25")
        self.assertEqual(self.stored("email"), "nova.regras@example.com")
        taken = self.account_form(vat="111.444.777-35", email="outra.regras@example.com",
                                  phone="(31) 96666-0000")
        self.assertEqual((taken.status_code, taken.url), (free.status_code, free.url))
        self.assertNotIn("cadastrado", taken.text)
        self.assertEqual(self.stored("phone"), "(31) 96666-0000", "the rest is saved")
        self.assertEqual(self.stored("vat"), "529.982.247-25")
        self.assertEqual(self.stored("email"), "nova.regras@example.com")
        self.assertTrue(self.mails_to("outra.regras@example.com"), "the owner is told")

    def test_rpc_answers_the_same_for_anothers_email(self):
        free = self.call_kw("res.users", "write", [self.user.id],
                            {"email": "livre.regras@example.com"})
        taken = self.call_kw("res.users", "write", [self.user.id],
                             {"email": "outra.regras@example.com"})
        self.assertEqual(free, (True, None))
        self.assertEqual(taken, free)
        self.assertEqual(self.stored("email"), "livre.regras@example.com")
        self.assertTrue(self.mails_to("outra.regras@example.com"), "the owner is told")

    def test_identity_changes_are_limited(self):
        # Each change counts, taken or free: a bound on how many values one account tries.
        answers = [self.call_kw("res.users", "write", [self.user.id],
                                {"email": f"tentativa{i}.regras@example.com"})
                   for i in range(7)]
        self.assertEqual(answers[:5], [(True, None)] * 5)
        self.assertEqual(answers[5][1], "odoo.exceptions.ValidationError")
        self.assertEqual(self.stored("email"), "tentativa4.regras@example.com")
