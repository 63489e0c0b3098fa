"""Fixtures for the NFS-e tests: the Sefin double with a test CA made now, a company set up
against it, a customer with its l10n_br data, a service product, invoices."""

import base64

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user

from odoo.addons.meusite_nfse.tests.doubles.sefin_double import SefinDouble, TestCA

CNPJ = "11222333000181"
PASSWORD = "senha-do-a1-de-teste"


class NfseCommon(HttpCase):
    """HttpCase (portal tests), also used for the model tests: one double per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Notes from before the class (the demo's paid invoice, queued by the NFS-e cron of
        # the test server, retried against a double that is not running): the tests count
        # the calls their own notes make, and the issuing run takes every pending note.
        cls.env["meusite.nfse"].search([]).unlink()
        cls.ca = TestCA()
        cls.double = SefinDouble(ca=cls.ca).start()
        cls.addClassCleanup(cls.double.stop)
        cls.company = cls.env.company
        cls.company.partner_id.write(
            {"vat": "11.222.333/0001-81", "city_id": cls.env.ref("l10n_br.city_br_006").id}
        )
        cls.certificate = cls._certificate(cls.ca.client_pkcs12(CNPJ, PASSWORD))
        cls.company.write(
            {
                "nfse_active": True,
                "nfse_trigger": "paid",
                "nfse_environment": "2",
                "nfse_api_url": cls.double.base_url,
                "nfse_server_ca": cls.ca.pem.decode(),
                "nfse_certificate_id": cls.certificate.id,
                "nfse_im": "7654321",
                "nfse_serie": "1",
                "nfse_start_date": fields.Date.today(),
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Plano Hospedagem",
                "type": "service",
                "list_price": 158.90,
                "nfse_ctribnac": "010301",
                "nfse_description": "Hospedagem de site - plano mensal",
            }
        )
        cls.customer = cls._customer("Cliente NFS-e", "529.982.247-25", "nfse_owner")
        cls.other = cls._customer("Outro Cliente", "111.444.777-35", "nfse_other")

    def setUp(self):
        super().setUp()
        self.double.reset()

    @classmethod
    def _certificate(cls, pfx, password=PASSWORD):
        return cls.env["certificate.certificate"].create(
            {
                "name": "A1 de teste",
                "content": base64.b64encode(pfx),
                "pkcs12_password": password,
                "company_id": cls.env.company.id,
            }
        )

    @classmethod
    def _customer(cls, name, cpf, login):
        user = new_test_user(
            cls.env,
            login=login,
            password=login + "-pw",
            groups="base.group_portal",
            name=name,
            email=login + "@example.com",
        )
        user.partner_id.write(
            {
                "vat": cpf,
                "country_id": cls.env.ref("base.br").id,
                "state_id": cls.env.ref("base.state_br_mg").id,
                "city_id": cls.env.ref("l10n_br.city_br_006").id,
                "city": "Belo Horizonte",
                "zip": "30140-071",
                "street": "Rua da Bahia 1000",
                "street2": "Centro",
            }
        )
        return user.partner_id

    def _invoice(self, partner=None, post=True):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "price_unit": 158.90,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _pay(self, move):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({})._create_payments()
        return move

    def _run(self):
        return self.env["meusite.nfse"]._process_pending()

    def _posts(self):
        return [c for c in self.double.state.calls if c[0] == "POST" and c[1].endswith("/nfse")]
