"""What PagBank refuses, as the customer and the admin read it (through the payment route and
the double, which refuses as PagBank documents)."""

import logging
from unittest.mock import patch

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.meusite_pagbank_payment.models.payment_transaction import PaymentTransaction
from odoo.addons.meusite_pagbank_payment.tests.common import MUTE, PagbankCase

NO_PRECHECK = patch.object(PaymentTransaction, "_pagbank_check_customer_data", lambda self: None)
NO_WAIT = patch("odoo.addons.meusite_pagbank_payment.const.RETRY_DELAYS", (0, 0, 0))


@tagged("post_install", "-at_install")
class TestPagbankRefusals(PagbankCase):

    def _refused(self, method=None):
        tx, page = self.pay_invoice(method or self.pix)
        self.assertEqual(tx.state, "error")
        self.assertTrue(self.invoice._has_to_be_paid())
        return tx, page

    @mute_logger(*MUTE)
    def test_email_pagbank_finds_too_short_names_the_email_in_meus_dados(self):
        # 8 characters: a valid address for us, under PagBank's 10 (40002 customer.email).
        self.customer.email = "jo@x.com"
        with NO_PRECHECK:
            tx, page = self._refused()
        self.assertEqual(tx.state_message, 'Para pagar por PIX, corrija seus dados em "Meus '
                         'Dados": um endereço de e-mail válido.')
        self.assertIn('href="/my/account"', page)

    @mute_logger(*MUTE)
    def test_invalid_tax_id_names_the_cpf(self):
        # Wrong check digits (40002 customer.tax_id), as an old record may hold: written in
        # SQL, the partner form would refuse it.
        self.env.cr.execute("UPDATE res_partner SET vat = '111.444.777-00' WHERE id = %s",
                            [self.customer.id])
        self.customer.invalidate_recordset(["vat"])
        with NO_PRECHECK:
            tx, _page = self._refused(self.boleto)
        self.assertIn("um CPF ou CNPJ válido", tx.state_message)
        self.assertIn("Meus Dados", tx.state_message)
        self.assertIn("boleto", tx.state_message)

    @mute_logger(*MUTE)
    def test_missing_field_names_it(self):
        self.customer.email = False  # 40001 customer.email
        with NO_PRECHECK:
            tx, _page = self._refused()
        self.assertIn("um endereço de e-mail válido", tx.state_message)

    @mute_logger(*MUTE)
    def test_bad_cep_names_the_cep(self):
        self.customer.zip = "3013015"  # 7 digits: 40002 holder.address.postal_code
        with NO_PRECHECK:
            tx, _page = self._refused(self.boleto)
        self.assertIn("um CEP válido", tx.state_message)

    @mute_logger(*MUTE)
    def test_what_we_cannot_send_is_asked_before_calling_pagbank(self):
        self.customer.write({"vat": False, "street2": False})
        tx, page = self._refused(self.boleto)
        self.assertIn("um CPF ou CNPJ válido", tx.state_message)
        self.assertIn("o bairro", tx.state_message)
        self.assertIn("Complete seus dados", page)
        self.assertFalse(self.double.state.requests)

    @mute_logger(*MUTE)
    def test_unexpected_refusal_says_nothing_was_charged(self):
        # 40003 (a field PagBank does not know): not the customer's to fix.
        original = PaymentTransaction._pagbank_prepare_order_payload

        def with_unknown_field(tx):
            return dict(original(tx), surprise=True)

        with patch.object(PaymentTransaction, "_pagbank_prepare_order_payload",
                          with_unknown_field):
            tx, _page = self._refused()
        self.assertIn("Nada foi cobrado", tx.state_message)

    @mute_logger(*MUTE)
    def test_403_before_homologation_is_explained_to_the_admin(self):
        self.double.state.homologated = False
        tx, _page = self._refused()
        self.assertIn("não está disponível", tx.state_message)
        self.assertIn("homolog", self.provider.pagbank_last_error)
        # The next accepted order clears it.
        self.double.state.homologated = True
        tx, _page = self.pay_invoice(self.pix)
        self.assertEqual(tx.state, "pending")
        self.assertFalse(self.provider.pagbank_last_error)

    @mute_logger(*MUTE)
    def test_wrong_token_is_explained_to_the_admin(self):
        self.provider.pagbank_token = "WRONG"
        self._refused()
        self.assertIn("401", self.provider.pagbank_last_error)

    @mute_logger(*MUTE)
    def test_rate_limit_and_5xx_are_retried_with_one_idempotency_key(self):
        self.double.configure(rate_limit=1, fail_5xx=1)
        with NO_WAIT:
            tx, _page = self.pay_invoice(self.pix)
        self.assertEqual(tx.state, "pending", tx.state_message)
        posts = [r for r in self.double.state.requests if r[:2] == ("POST", "/orders")]
        self.assertEqual(len(posts), 3)
        self.assertEqual(len({key for _m, _p, key in posts}), 1)
        self.assertTrue(posts[0][2])
        self.assertEqual(len(self.double.state.orders), 1)

    @mute_logger(*MUTE)
    def test_pagbank_down_leaves_the_invoice_payable(self):
        self.double.configure(fail_5xx=-1)
        with NO_WAIT:
            tx, _page = self._refused()
        self.assertIn("tente novamente", tx.state_message)
        self.assertFalse(self.double.state.orders)

    def test_no_personal_data_in_the_logs(self):
        logger = logging.getLogger("odoo.addons.meusite_pagbank_payment")
        with self.assertLogs(logger, level="DEBUG") as logs, NO_PRECHECK:
            logger.debug("start")
            self.customer.email = "jo@x.com"  # refused: the error path logs too
            self.pay_invoice(self.pix)
            self.customer.email = "joana.campos@example.com"
            self.double.reset()
            tx, _page = self.pay_invoice(self.boleto)
            self.simulate_payment(tx)
        text = "\n".join(logs.output)
        for secret in ("52998224725", "529.982.247-25", "joana.campos", "jo@x.com",
                       "98761234", "Pernambuco", "30130151", "Joana"):
            self.assertNotIn(secret, text)

    def test_api_url_must_be_https_except_on_loopback(self):
        for url in ("http://api.pagseguro.com", "ftp://127.0.0.1", "http://10.0.0.1:8098",
                    "http://127.0.0.1.evil.example"):
            with self.subTest(url=url), self.assertRaises(ValidationError):
                self.provider.pagbank_api_url = url
        for url in ("https://sandbox.api.pagseguro.com", "http://127.0.0.1:8098",
                    "http://localhost:8098"):
            self.provider.pagbank_api_url = url
        # Written around the constraint (SQL, an old database): refused when used.
        self.env.flush_all()
        self.env.cr.execute("UPDATE payment_provider SET pagbank_api_url = %s WHERE id = %s",
                            ["http://api.pagseguro.com", self.provider.id])
        self.provider.invalidate_recordset()
        with NO_WAIT, self.assertRaisesRegex(ValidationError, "https://"):
            self.provider._pagbank_make_request("/orders/ORDE_X", method="GET")
        moip = self.env.ref("meusite_moip_payment.payment_provider_moip")
        with self.assertRaises(ValidationError):
            moip.moip_api_url = "http://sandbox.moip.com.br/v2"
