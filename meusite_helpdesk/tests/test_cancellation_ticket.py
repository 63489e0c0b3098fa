from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCancellationTicket(TransactionCase):
    def test_cancellation_request_lands_in_financeiro_queue(self):
        customer = self.env.ref("meusite_portal.demo_customer")
        plan = self.env["product.product"].create({"name": "Plano Cancelável", "type": "service"})
        service = self.env["meusite.service"].create({
            "partner_id": customer.id, "product_id": plan.id, "price": 158.90,
            "next_due_date": "2035-01-10", "state": "active",
        })
        service._meusite_request_cancellation("end_of_period")
        ticket = self.env["helpdesk.ticket"].search([("service_id", "=", service.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.env.ref("meusite_helpdesk.team_financeiro"))
        self.assertEqual(ticket.partner_id, customer)
        self.assertIn("10/01/2035", ticket.description)
        self.assertIn("Solicitação de cancelamento", ticket.name)
