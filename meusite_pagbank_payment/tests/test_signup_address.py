"""A customer who signs up through the form has her address where l10n_br keeps it, and
Moip's boleto is built from those fields (issue #14).

Here because it needs the portal's sign-up and Moip's provider: meusite_pagbank_payment is
the addon that depends on both.
"""

from odoo import Command
from odoo.tests import HttpCase, tagged

from odoo.addons.meusite_portal.tests.common import post_signup_form


@tagged("post_install", "-at_install")
class TestSignupAddressToMoip(HttpCase):
    def setUp(self):
        super().setUp()
        self.opener.cookies.set("frontend_lang", "pt_BR")

    def test_signup_form_fills_l10n_br_fields_and_the_moip_payload(self):
        # As a browser posts it: CEP, street, number, complement, bairro; city and state left
        # empty for the CEP (São Paulo's range in l10n_br's list) to give.
        response = post_signup_form(
            self, login="lucia.ferraz@example.com", name="Lúcia Ferraz Lima",
            vat="529.982.247-25", zipcode="01310-100", street_name="Avenida Paulista",
            street_number="1578", street_number2="Conjunto 12", street2="Bela Vista",
            city="", state_id="",
        )
        self.assertIn("Cadastro recebido", response.text)
        partner = self.env["res.users"].search([("login", "=", "lucia.ferraz@example.com")]
                                               ).partner_id
        self.assertRecordValues(partner, [{
            "street_name": "Avenida Paulista",
            "street_number": "1578",
            "street_number2": "Conjunto 12",
            "street2": "Bela Vista",
            "street": "Avenida Paulista 1578 - Conjunto 12",
            "city_id": self.env.ref("l10n_br.city_br_001").id,
            "city": "São Paulo",
            "state_id": self.env.ref("base.state_br_sp").id,
            "zip": "01310-100",
            "country_id": self.env.ref("base.br").id,
            "vat": "529.982.247-25",
            "l10n_latam_identification_type_id": self.env.ref("l10n_br.cpf").id,
        }])

        # Her first boleto: what Moip receives for her.
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_line_ids": [Command.create({
                "name": "Mensalidade Meu Site Expresso", "quantity": 1, "price_unit": 158.90,
                "tax_ids": [Command.clear()],
            })],
        })
        invoice.action_post()
        provider = self.env.ref("meusite_moip_payment.payment_provider_moip")
        tx = self.env["payment.transaction"].create({
            "provider_id": provider.id,
            "payment_method_id": self.env.ref("payment.payment_method_boleto").id,
            "amount": invoice.amount_residual,
            "currency_id": invoice.currency_id.id,
            "partner_id": partner.id,
            "invoice_ids": [Command.set(invoice.ids)],
            "reference": self.env["payment.transaction"]._compute_reference(
                "moip", prefix=invoice.name),
        })
        self.assertIsNone(tx._moip_check_customer_data(), "nothing left to ask her")
        customer = tx._moip_prepare_customer_payload()
        self.assertEqual(customer["taxDocument"], {"type": "CPF", "number": "52998224725"})
        self.assertEqual(customer["shippingAddress"], {
            "street": "Avenida Paulista",
            "streetNumber": "1578",
            "complement": "Conjunto 12",
            "district": "Bela Vista",
            "city": "São Paulo",
            "state": "SP",
            "country": "BRA",
            "zipCode": "01310100",
        })
