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
        ticket = self.env["helpdesk.ticket"].search([("meusite_service_id", "=", service.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.team_id, self.env.ref("meusite_helpdesk.team_financeiro"))
        self.assertEqual(ticket.partner_id, customer)
        self.assertIn("10/01/2035", ticket.description)
        self.assertIn("Solicitação de cancelamento", ticket.name)

    def test_a_withdrawn_cancellation_closes_its_ticket_with_a_note(self):
        customer = self.env.ref("meusite_portal.demo_customer")
        plan = self.env["product.product"].create({"name": "Plano Mantido", "type": "service"})
        service = self.env["meusite.service"].create({
            "partner_id": customer.id, "product_id": plan.id, "price": 158.90,
            "next_due_date": "2035-01-10", "state": "active",
        })
        Ticket = self.env["helpdesk.ticket"]
        other = Ticket.create({
            "name": "Dúvida sobre o plano", "description": "Outra coisa",
            "team_id": self.env.ref("meusite_helpdesk.team_financeiro").id,
            "partner_id": customer.id, "meusite_service_id": service.id,
        })
        service._meusite_request_cancellation("end_of_period")
        ticket = Ticket.search([("meusite_service_id", "=", service.id)]) - other
        self.assertFalse(ticket.closed)
        service._meusite_withdraw_cancellation()
        self.assertEqual(ticket.stage_id,
                         self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled"))
        self.assertIn("desistiu do cancelamento", ticket.message_ids[:1].body)
        self.assertFalse(other.closed, "the customer's other tickets stay open")
        # A second request opens (and a second withdrawal closes) a new ticket.
        service._meusite_request_cancellation("end_of_period")
        second = Ticket.search([("meusite_service_id", "=", service.id)]) - other - ticket
        self.assertEqual(len(second), 1)
        service._meusite_withdraw_cancellation()
        self.assertTrue(second.closed)
