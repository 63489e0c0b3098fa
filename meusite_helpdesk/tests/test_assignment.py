from odoo.tests import TransactionCase, tagged

from .common import HelpdeskFixture

EMAIL = """Return-Path: <{email_from}>
To: {to}
From: {email_from}
Message-ID: <{msg_id}@example.com>
Date: Tue, 24 Nov 2026 12:43:21 -0300
MIME-Version: 1.0
Subject: {subject}
Content-Type: text/plain; charset=utf-8

Bom dia, o boleto de novembro veio em dobro.
"""


@tagged("post_install", "-at_install")
class TestAssignmentAndRouting(HelpdeskFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()
        cls.alias_domain = cls.env["mail.alias.domain"].search(
            [("name", "=", "meusiteexpresso.com.br")], limit=1
        ) or cls.env["mail.alias.domain"].create({"name": "meusiteexpresso.com.br"})
        (cls.suporte | cls.financeiro).alias_domain_id = cls.alias_domain

    def test_no_rule_leaves_the_ticket_in_the_department_queue(self):
        self.financeiro.meusite_assignment_rule = "none"
        ticket = self._receive("financeiro", "Nota fiscal")
        self.assertEqual(ticket.team_id, self.financeiro)
        self.assertFalse(ticket.user_id)

    def test_round_robin_takes_members_in_turn(self):
        self.financeiro.meusite_assignment_rule = "round_robin"
        owners = [self.make_ticket(self.customer, self.financeiro).user_id for _i in range(4)]
        self.assertEqual(owners, [self.staff_a, self.staff_b, self.staff_a, self.staff_b])

    def test_fewest_open_tickets_goes_to_the_least_loaded_member(self):
        self.financeiro.meusite_assignment_rule = "none"
        self.make_ticket(self.customer, self.financeiro, user_id=self.staff_a.id)
        self.make_ticket(self.customer, self.financeiro, user_id=self.staff_a.id)
        closed = self.make_ticket(self.customer, self.financeiro, user_id=self.staff_b.id)
        self.make_ticket(self.customer, self.financeiro, user_id=self.staff_b.id)
        closed.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        self.financeiro.meusite_assignment_rule = "fewest_open"
        # staff_a has 2 open, staff_b 1 open (its closed ticket does not count).
        first = self.make_ticket(self.customer, self.financeiro)
        self.assertEqual(first.user_id, self.staff_b)
        # Now 2 and 2: the tie goes to the member listed first.
        second = self.make_ticket(self.customer, self.financeiro)
        self.assertEqual(second.user_id, self.staff_a)

    def test_backend_choice_of_assignee_is_kept(self):
        self.financeiro.meusite_assignment_rule = "round_robin"
        ticket = self.make_ticket(self.customer, self.financeiro, user_id=self.staff_b.id)
        self.assertEqual(ticket.user_id, self.staff_b)

    def test_department_members_follow_and_are_notified(self):
        self.financeiro.meusite_assignment_rule = "none"
        ticket = self.make_ticket(self.customer, self.financeiro)
        followers = ticket.message_partner_ids
        self.assertIn(self.staff_a.partner_id, followers)
        self.assertIn(self.staff_b.partner_id, followers)
        self.assertIn(self.customer, followers)
        notice = ticket.message_ids.filtered(lambda m: ticket.meusite_code in (m.body or ""))
        self.assertTrue(notice)
        self.assertEqual(
            notice.notification_ids.res_partner_id,
            self.staff_a.partner_id | self.staff_b.partner_id,
        )

    def _receive(self, alias, subject, email_from="mariana.teixeira@example.com"):
        message = EMAIL.format(
            to=f"{alias}@meusiteexpresso.com.br",
            email_from=email_from, subject=subject, msg_id=subject.replace(" ", "."),
        )
        ticket_id = self.env["mail.thread"].message_process("helpdesk.ticket", message)
        return self.env["helpdesk.ticket"].browse(ticket_id)

    def test_email_to_a_department_alias_becomes_a_ticket_there(self):
        self.financeiro.meusite_assignment_rule = "round_robin"
        self.assertEqual(self.financeiro.alias_name, "financeiro")
        ticket = self._receive("financeiro", "Boleto em dobro")
        self.assertEqual(ticket.team_id, self.financeiro)
        self.assertEqual(ticket.name, "Boleto em dobro")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertIn(ticket.user_id, self.staff_a | self.staff_b)
        other = self._receive("suporte", "Site lento")
        self.assertEqual(other.team_id, self.suporte)

    def test_email_ticket_sends_the_code_to_the_customer(self):
        ticket = self._receive("financeiro", "Segunda via")
        mail = self.env["mail.mail"].search([("model", "=", "helpdesk.ticket"),
                                             ("res_id", "=", ticket.id)])
        received = mail.filtered(lambda m: self.customer in m.recipient_ids)
        self.assertEqual(len(received), 1)
        self.assertIn(ticket.meusite_code, received.subject)
        self.assertIn(ticket.meusite_code, received.body_html)

    def test_staff_reply_reaches_the_customer_by_email(self):
        ticket = self.make_ticket(self.customer, self.suporte)
        message = ticket.with_user(self.env.ref("base.user_admin")).message_post(
            body="Reiniciamos o servidor, pode testar?",
            message_type="comment", subtype_xmlid="mail.mt_comment",
        )
        notified = message.notification_ids.filtered(lambda n: n.notification_type == "email")
        self.assertIn(self.customer, notified.res_partner_id)
        self.assertFalse(message.is_internal)

    def test_queue_action_shows_only_the_department(self):
        action = self.financeiro.action_meusite_queue()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertIn(("team_id", "=", self.financeiro.id), action["domain"])
        main = self.env.ref("helpdesk_mgmt.helpdesk_ticket_action")
        self.assertIn("search_default_group_team", main.context)
