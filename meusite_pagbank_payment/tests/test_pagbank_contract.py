"""The contract fixtures (tests/fixtures/*.json) hold PagBank's documented shapes (reference
/work/shared/reference/pagbank-orders.md §3-§6, §9): what we send, what the double answers and
notifies and what our parser reads must all have them, so the client and the double cannot
drift apart. The double's refusals are checked here against raw requests, as PagBank would
meet them."""

import copy
import json
import urllib.error
import urllib.request

from odoo.tests import tagged

from odoo.addons.meusite_pagbank_payment.tests.common import (
    TOKEN,
    PagbankCase,
    fixture,
    shape,
)
from odoo.addons.meusite_pagbank_payment.tests.doubles.pagbank_double import sign

BOLETO = "charges[0].payment_method.boleto"


@tagged("post_install", "-at_install")
class TestPagbankContract(PagbankCase):

    def _call(self, method, path, body=None, key=None, token=TOKEN):
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if key:
            headers["x-idempotency-key"] = key
        request = urllib.request.Request(
            self.double.api_url + path, method=method, headers=headers,
            data=json.dumps(body).encode() if body is not None else None,
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    # --- shapes ---

    def test_what_we_send_has_the_request_fixtures_shapes(self):
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param("meusite_portal.late_charge", "True")
        ICP.set_param("meusite_portal.late_fee_percent", "2.0")
        ICP.set_param("meusite_portal.late_interest_percent", "1.0")
        self.pay_invoice(self.pix)
        self.assertEqual(shape(self.double.state.posted[-1]), shape(fixture("order_request_pix")))
        second = self.invoice.copy()
        second.action_post()
        self.pay_invoice(self.boleto, second)
        self.assertEqual(shape(self.double.state.posted[-1]),
                         shape(fixture("order_request_boleto")))

    def test_double_answers_and_notifies_with_the_fixtures_shapes(self):
        status, pix = self._call("POST", "/orders", fixture("order_request_pix"))
        self.assertEqual(status, 201, pix)
        self.assertEqual(shape(pix), shape(fixture("order_pix")))
        self.assertEqual(pix["charges"], [])
        status, boleto = self._call("POST", "/orders", fixture("order_request_boleto"))
        self.assertEqual(status, 201, boleto)
        self.assertEqual(shape(boleto), shape(fixture("order_boleto")))
        self.assertEqual(boleto["charges"][0]["status"], "WAITING")
        self.assertEqual(shape(self._call("GET", f"/orders/{pix['id']}")[1]),
                         shape(fixture("order_pix")))
        self.double.pay(pix["id"])
        self.double.pay(boleto["id"])
        headers, body = self.double.notification(pix["id"])
        self.assertEqual(shape(json.loads(body)), shape(fixture("order_pix_paid")))
        self.assertEqual(headers["x-authenticity-token"], sign(TOKEN, body))
        _headers, body = self.double.notification(boleto["id"])
        self.assertEqual(shape(json.loads(body)), shape(fixture("order_boleto_paid")))
        bad = fixture("order_request_boleto")
        bad["charges"][0]["payment_method"]["boleto"]["holder"]["name"] = "x" * 31
        status, errors = self._call("POST", "/orders", bad)
        self.assertEqual((status, shape(errors)), (400, shape(fixture("errors"))))

    def test_parser_reads_the_fixtures(self):
        Tx = self.env["payment.transaction"]
        self.assertEqual(Tx._pagbank_order_status(fixture("order_pix")), "WAITING")
        self.assertEqual(Tx._pagbank_order_status(fixture("order_boleto")), "WAITING")
        self.assertEqual(Tx._pagbank_order_status(fixture("order_pix_paid")), "PAID")
        self.assertEqual(Tx._pagbank_paid_amount(fixture("order_boleto_paid")), 15890)
        refunded = fixture("order_pix_paid")
        refunded["charges"][0]["amount"]["summary"]["refunded"] = 15890
        refunded["charges"][0]["status"] = "CANCELED"
        self.assertEqual(Tx._pagbank_order_status(refunded), "REFUNDED")
        tx = Tx.create({
            "provider_id": self.provider.id, "payment_method_id": self.boleto.id,
            "amount": 158.90, "currency_id": self.invoice.currency_id.id,
            "partner_id": self.customer.id, "reference": "FT/2026/00031",
        })
        tx._pagbank_store_order(fixture("order_boleto"))
        self.assertEqual(tx.pagbank_barcode,
                         fixture("order_boleto")["charges"][0]["payment_method"]["boleto"][
                             "formatted_barcode"])
        # Links picked by media type, whatever their order or rel.
        self.assertTrue(tx.pagbank_pdf_url.endswith(".pdf"))
        self.assertTrue(tx.pagbank_png_url.endswith(".png"))
        reordered = fixture("order_boleto")
        reordered["charges"][0]["links"].reverse()
        for link in reordered["charges"][0]["links"]:
            if link["media"] == "image/png":
                link["href"] = "javascript:alert(1)"
        tx._pagbank_store_order(reordered)
        self.assertTrue(tx.pagbank_pdf_url.endswith(".pdf"))
        self.assertFalse(tx.pagbank_png_url, "only web addresses become links")
        tx._pagbank_store_order(fixture("order_pix"))
        self.assertTrue(tx.pagbank_qr_text.startswith("000201"))
        self.assertEqual(str(tx.pagbank_qr_expiration), "2026-10-21 02:59:59")

    # --- the double's rules, one by one ---

    def test_double_refuses_what_pagbank_refuses(self):
        def boleto(**changes):
            body = fixture("order_request_boleto")
            for path, value in changes.items():
                target = body["charges"][0]["payment_method"]["boleto"]
                *parents, leaf = path.split("__")
                for key in parents:
                    target = target[key]
                target[leaf] = value
            return body

        pix = fixture("order_request_pix")
        two_urls = copy.deepcopy(pix)
        two_urls["notification_urls"] *= 2
        unknown = dict(copy.deepcopy(pix), surprise=1)
        no_tax_id = copy.deepcopy(pix)
        del no_tax_id["customer"]["tax_id"]
        bad_tax_id = copy.deepcopy(pix)
        bad_tax_id["customer"]["tax_id"] = "11144477700"
        short_email = copy.deepcopy(pix)
        short_email["customer"]["email"] = "jo@x.com"
        cases = [
            (boleto(holder__name="x" * 31), "40002", f"{BOLETO}.holder.name"),
            (boleto(holder__name="Joana d'Ávila"), "40002", f"{BOLETO}.holder.name"),
            (boleto(holder__tax_id="52998224700"), "40002", f"{BOLETO}.holder.tax_id"),
            (boleto(holder__address__postal_code="3013015"), "40002",
             f"{BOLETO}.holder.address.postal_code"),
            (boleto(instruction_lines__line_1="x" * 76), "40002",
             f"{BOLETO}.instruction_lines.line_1"),
            (boleto(instruction_lines__line_2=""), "40001",
             f"{BOLETO}.instruction_lines.line_2"),
            (boleto(template="PROPOSTA"), "40002", "charges[0].payment_instructions"),
            (no_tax_id, "40001", "customer.tax_id"),
            (bad_tax_id, "40002", "customer.tax_id"),
            (short_email, "40002", "customer.email"),
            (two_urls, "40002", "notification_urls"),
            (unknown, "40003", "surprise"),
        ]
        for body, code, parameter in cases:
            with self.subTest(code=code, parameter=parameter):
                status, answer = self._call("POST", "/orders", body)
                self.assertEqual(status, 400, answer)
                self.assertIn((code, parameter), [
                    (e["code"], e.get("parameter_name")) for e in answer["error_messages"]
                ])
        # At the limits, accepted.
        status, answer = self._call("POST", "/orders", boleto(holder__name="x" * 30))
        self.assertEqual(status, 201, answer)

    def test_double_auth_homologation_rate_limit_and_idempotency(self):
        body = fixture("order_request_pix")
        status, answer = self._call("POST", "/orders", body, token="WRONG")
        self.assertEqual((status, answer["error_messages"][0]["code"]), (401, "UNAUTHORIZED"))
        self.double.state.homologated = False
        self.assertEqual(self._call("POST", "/orders", body)[0], 403)
        self.double.state.homologated = True
        self.double.configure(rate_limit=1)
        status, answer = self._call("POST", "/orders", body)
        self.assertEqual((status, answer["error_messages"][0]["code"]), (400, "40004"))
        status, first = self._call("POST", "/orders", body, key="k1")
        self.assertEqual(status, 201)
        # Same key, same body: the same order, not a second one.
        self.assertEqual(self._call("POST", "/orders", body, key="k1")[1]["id"], first["id"])
        other = dict(body, reference_id="FT/2026/00099")
        status, answer = self._call("POST", "/orders", other, key="k1")
        self.assertEqual((status, answer["error_messages"][0]["code"]), (409, "40005"))
        self.assertEqual(len(self.double.state.orders), 1)

    def test_double_refunds_only_what_was_paid(self):
        _status, order = self._call("POST", "/orders", fixture("order_request_boleto"))
        charge_id = order["charges"][0]["id"]
        status, answer = self._call("POST", f"/charges/{charge_id}/cancel",
                                    {"amount": {"value": 100}})
        self.assertEqual((status, answer["error_messages"][0]["code"]), (400, "40007"))
        self.double.configure(notify=False)
        self.double.pay(order["id"])
        status, answer = self._call("POST", f"/charges/{charge_id}/cancel",
                                    {"amount": {"value": 15890}})
        self.assertEqual((status, answer["status"]), (201, "CANCELED"))
        self.assertEqual(answer["amount"]["summary"]["refunded"], 15890)

    def test_double_cancel_refusals_and_waiting_boletos(self):
        _status, order = self._call("POST", "/orders", fixture("order_request_boleto"))
        charge = order["charges"][0]
        # A waiting boleto offers no cancel (ref. §4, §8): refused.
        self.assertNotIn("CHARGE.CANCEL", [link["rel"] for link in charge["links"]])
        status, answer = self._call("POST", f"/charges/{charge['id']}/cancel",
                                    {"amount": {"value": 15890}})
        self.assertEqual((status, answer["error_messages"][0]["code"]), (400, "40007"))
        # No body: 40002 (ref. §8).
        status, answer = self._call("POST", f"/charges/{charge['id']}/cancel")
        self.assertEqual((status, answer["error_messages"][0]["code"]), (400, "40002"))
        self.double.configure(refund_unavailable=1)
        status, answer = self._call("POST", f"/charges/{charge['id']}/cancel",
                                    {"amount": {"value": 15890}})
        self.assertEqual((status, answer["error_messages"][0]["code"]), (400, "40008"))
        # Where PagBank allows it (switch): the link, and the whole amount voids it once.
        self.double.configure(cancel_waiting=True, notify=False)
        _status, order = self._call("POST", "/orders", fixture("order_request_boleto"))
        charge = order["charges"][0]
        self.assertIn("CHARGE.CANCEL", [link["rel"] for link in charge["links"]])
        status, answer = self._call("POST", f"/charges/{charge['id']}/cancel",
                                    {"amount": {"value": 100}})
        self.assertEqual((status, answer["error_messages"][0]["code"]), (400, "40007"))
        status, answer = self._call("POST", f"/charges/{charge['id']}/cancel",
                                    {"amount": {"value": 15890}})
        self.assertEqual((status, answer["status"]), (201, "CANCELED"))
        self.assertEqual(answer["amount"]["summary"], {"total": 15890, "paid": 0, "refunded": 0})
        status, answer = self._call("POST", f"/charges/{charge['id']}/cancel",
                                    {"amount": {"value": 15890}})
        self.assertEqual((status, answer["error_messages"][0]["code"]), (400, "40007"))
