import re

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

from ..common import RdapDoubleMixin, known_captcha


@tagged("post_install", "-at_install")
class TestOrderTour(RdapDoubleMixin, HttpCase):
    def test_customer_orders_a_plan_with_a_domain_pays_by_transfer_and_gets_it_active(self):
        with known_captcha():
            self.start_tour("/my", "meusite_order_with_domain", login="cliente")

        service = self.env["meusite.service"].search(
            [("domain_name", "=", "minha-nova-loja.com.br")])
        self.assertEqual(service.partner_id, self.env.ref("meusite_portal.demo_customer"))
        self.assertEqual(service.product_id, self.env.ref("meusite_portal.product_plan_expresso"))
        self.assertEqual(service.state, "pending")
        tx = service.order_move_id.transaction_ids
        self.assertEqual(tx.state, "pending")

        # Staff confirm the transfer, as from any XML-RPC client.
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, "admin", "admin", {})
        self.assertTrue(self.xmlrpc_object.execute_kw(
            db, uid, "admin", "account.move", "action_meusite_confirm_receipt",
            [service.order_move_id.ids],
        ))
        self.env.invalidate_all()
        self.assertEqual(service.state, "active")
        today = fields.Date.context_today(service)
        self.assertEqual(service.next_due_date, today + relativedelta(months=1))
        self.assertTrue(service.activity_ids)

        self.start_tour("/my/services", "meusite_order_service_active", login="cliente")
        self.authenticate("cliente", "cliente")
        page = self.url_open("/my/services").text
        row = re.search(r"minha-nova-loja\.com\.br.*?</tr>", page, re.S).group(0)
        self.assertIn(service.next_due_date.strftime("%d/%m/%Y"), row)
        self.assertIn("Ativo", row)
