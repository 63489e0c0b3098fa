from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestLoginTour(HttpCase):
    def test_customer_logs_in_and_lands_on_portuguese_panel(self):
        self.start_tour("/web/login", "meusite_login_tour")
        # The session the browser ended with belongs to the demo customer.
        self.assertEqual(
            self.env.ref("meusite_portal.demo_customer_user").login_date.date(),
            self.env.cr.now().date(),
        )
