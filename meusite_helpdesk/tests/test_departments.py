from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDepartments(TransactionCase):
    def test_demo_departments_of_the_manual(self):
        teams = self.env["helpdesk.ticket.team"].search(
            [("show_in_portal", "=", True)], order="sequence"
        )
        pairs = [(t.name, t.portal_description) for t in teams]
        self.assertIn(("Suporte", "Suporte técnico"), pairs)
        self.assertIn(("Financeiro", "departamento financeiro"), pairs)
        suporte = self.env.ref("meusite_helpdesk.team_suporte")
        self.assertEqual(suporte.alias_name, "suporte")
