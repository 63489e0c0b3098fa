from odoo.tests import HttpCase, tagged

from ..common import RdapDoubleMixin, known_captcha


@tagged("post_install", "-at_install")
class TestPanelTour(RdapDoubleMixin, HttpCase):
    def test_new_customer_walks_the_manual(self):
        with known_captcha():
            self.start_tour("/web/login", "meusite_panel_tour")
        user = self.env["res.users"].search([("login", "=", "joana.prado@example.com")])
        self.assertTrue(user._is_portal())
        self.assertEqual(user.partner_id.vat, "529.982.247-25")
        self.assertEqual(user.partner_id.phone, "31 90000-1111")
        self.assertEqual(self.rdap.requests, ["/br/domain/livre-agora.com.br"])
