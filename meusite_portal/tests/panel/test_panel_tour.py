from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from ...models.captcha.meusite_captcha import MeusiteCaptcha
from ...models.domain_check import meusite_domain_check
from ..doubles.rdap_double import RdapDouble


@tagged("post_install", "-at_install")
class TestPanelTour(HttpCase):
    def test_new_customer_walks_the_manual(self):
        rdap = RdapDouble().start()
        self.addCleanup(rdap.stop)
        meusite_domain_check.clear_caches()
        self.addCleanup(meusite_domain_check.clear_caches)
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param("meusite_portal.rdap_br_url", rdap.br_url)
        set_param("meusite_portal.rdap_bootstrap_url", rdap.bootstrap_url)
        with patch.object(MeusiteCaptcha, "_random_text", lambda self: "K7WQ4P"):
            self.start_tour("/web/login", "meusite_panel_tour")
        user = self.env["res.users"].search([("login", "=", "joana.prado@example.com")])
        self.assertTrue(user._is_portal())
        self.assertEqual(user.partner_id.vat, "529.982.247-25")
        self.assertEqual(user.partner_id.phone, "31 90000-1111")
        self.assertEqual(rdap.requests, ["/br/domain/livre-agora.com.br"])
