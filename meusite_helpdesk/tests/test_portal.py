import re
from unittest.mock import patch

from odoo import http
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import CAPTCHA_ANSWER, EXE, PDF, PNG, HelpdeskFixture, known_captcha
from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


@tagged("post_install", "-at_install")
class TestPortalTickets(HelpdeskFixture, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()
        cls.other_ticket = cls.make_ticket(cls.other, cls.suporte, name="Chamado do outro")
        cls.env["ir.attachment"].create({
            "name": "segredo.pdf", "raw": PDF,
            "res_model": "helpdesk.ticket", "res_id": cls.other_ticket.id,
        })
        cls.my_ticket = cls.make_ticket(cls.customer, cls.suporte, name="Meu chamado")

    def setUp(self):
        super().setUp()
        self.authenticate("cliente", "cliente")

    def captcha_token(self):
        with known_captcha():
            return self.env["meusite.captcha"]._new_challenge("ticket")

    def submit(self, files=(), answer=CAPTCHA_ANSWER, **fields):
        data = {
            "csrf_token": http.Request.csrf_token(self),
            "subject": "Boleto não chegou",
            "team_id": self.financeiro.id,
            "priority": "high",
            "message": "Não recebi o boleto de dezembro.",
            "captcha_token": self.captcha_token(),
            "captcha_answer": answer,
        }
        data.update(fields)
        upload = [("attachments", (name, content)) for name, content in files]
        return self.url_open("/submitted/ticket", data=data, files=upload or None)

    def close(self, ticket, stage):
        return self.url_open("/ticket/close", data={
            "csrf_token": http.Request.csrf_token(self),
            "ticket_id": ticket.id, "stage_id": stage.id,
        })

    def tickets_of(self, partner):
        return self.env["helpdesk.ticket"].search([("partner_id", "=", partner.id)])

    # -- Abrir Ticket -----------------------------------------------------------

    def test_step_one_lists_the_departments(self):
        page = self.url_open("/new/ticket").text
        self.assertIn("Se você não conseguir encontrar a solução para seu problema", page)
        self.assertIn(f'href="/new/ticket?team_id={self.financeiro.id}"', page)
        self.assertIn("departamento financeiro", page)
        self.assertIn("Suporte técnico", page)

    def test_step_two_is_prefilled_and_readonly(self):
        page = self.url_open(f"/new/ticket?team_id={self.financeiro.id}").text
        self.assertRegex(page, r'id="meusite_name"[^>]* readonly="readonly" '
                               r'value="Mariana Alves Teixeira"')
        self.assertRegex(page, r'id="meusite_email"[^>]* readonly="readonly" '
                               r'value="mariana.teixeira@example.com"')
        self.assertIn(f'<option value="{self.financeiro.id}" selected="True">', page)
        self.assertIn('<option value="medium" selected="True">Média</option>', page)
        self.assertIn('<option value="">Nenhum</option>', page)
        self.assertIn("Adicionar Mais", page)
        self.assertIn(
            "(Extensões de arquivos permitidas: .jpg, .gif, .jpeg, .png, .doc, .docx, .pdf)",
            page,
        )
        self.assertIn('name="captcha_token"', page)

    def test_sent_ticket_shows_its_code_and_reaches_the_department(self):
        self.financeiro.meusite_assignment_rule = "round_robin"
        before = self.tickets_of(self.customer)
        response = self.submit(files=[("tela.png", PNG), ("boleto.pdf", PDF)])
        ticket = self.tickets_of(self.customer) - before
        self.assertEqual(len(ticket), 1)
        self.assertIn("Sua solicitação foi enviada ao nosso setor responsável", response.text)
        self.assertIn(ticket.meusite_code, response.text)
        self.assertEqual(ticket.team_id, self.financeiro)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(sorted(ticket.attachment_ids.mapped("name")), ["boleto.pdf", "tela.png"])
        self.assertIn(ticket.user_id, self.staff_a | self.staff_b)
        self.assertIn(self.staff_a.partner_id, ticket.message_partner_ids)
        mail = self.env["mail.mail"].search(
            [("res_id", "=", ticket.id), ("model", "=", "helpdesk.ticket")]
        ).filtered(lambda m: self.customer in m.recipient_ids)
        self.assertEqual(len(mail), 1)
        self.assertIn(ticket.meusite_code, mail.subject)
        # The customer reads it in Portuguese.
        self.assertIn("código", mail.body_html)

    def test_wrong_captcha_keeps_the_form_and_creates_nothing(self):
        before = self.tickets_of(self.customer)
        response = self.submit(files=[("tela.png", PNG)], answer="ERRADO")
        self.assertEqual(self.tickets_of(self.customer), before)
        self.assertIn("não correspondem", response.text)
        self.assertIn('value="Boleto não chegou"', response.text)
        self.assertIn("Não recebi o boleto de dezembro.", response.text)
        self.assertIn('<option value="high" selected="True">Alta</option>', response.text)

    def test_refused_file_is_named_and_nothing_is_created(self):
        before = self.tickets_of(self.customer)
        attachments_before = self.env["ir.attachment"].search_count([])
        response = self.submit(files=[("tela.png", PNG), ("fatura.pdf", EXE)])
        self.assertEqual(self.tickets_of(self.customer), before)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments_before)
        self.assertIn("fatura.pdf", response.text)
        self.assertIn("recusado", response.text)
        self.assertIn('value="Boleto não chegou"', response.text)

    def test_customer_cannot_open_a_ticket_for_someone_else(self):
        before = self.tickets_of(self.other)
        self.submit(partner_id=self.other.id, partner_email="outro@example.com")
        self.assertEqual(self.tickets_of(self.other), before)

    def test_related_service_is_the_customers_own(self):
        plan = self.env["product.product"].create({"name": "Plano Teste", "type": "service"})
        mine = self.env["meusite.service"].create({
            "partner_id": self.customer.id, "product_id": plan.id, "price": 158.90,
            "next_due_date": "2035-01-10", "state": "active",
        })
        theirs = mine.copy({"partner_id": self.other.id})
        # Arriving from the service's page, the form has it selected.
        page = self.url_open(f"/new/ticket?team_id={self.suporte.id}&service_id={mine.id}").text
        services = re.search(r'<select id="service_id".*?</select>', page, re.S).group(0)
        self.assertRegex(services, rf'<option value="{mine.id}" selected=')
        self.assertNotIn(f'value="{theirs.id}"', services)

        before = self.tickets_of(self.customer)
        page = self.submit(service_id=theirs.id).text
        self.assertIn("Escolha um dos seus serviços", page)
        self.assertEqual(self.tickets_of(self.customer), before)

        self.submit(service_id=mine.id)
        ticket = self.tickets_of(self.customer) - before
        self.assertEqual(ticket.meusite_service_id, mine)

    def test_hidden_department_is_refused(self):
        hidden = self.env["helpdesk.ticket.team"].create(
            {"name": "Interno", "show_in_portal": False}
        )
        before = self.tickets_of(self.customer)
        response = self.submit(team_id=hidden.id)
        self.assertEqual(self.tickets_of(self.customer), before)
        self.assertIn("departamentos", response.text)

    def test_helpdesk_mgmt_hook_extensions_apply_on_our_form(self):
        # What an OCA module built on helpdesk_mgmt's hook does: add its own value.
        category = self.env["helpdesk.ticket.category"].create({"name": "Categoria do módulo"})
        original = HelpdeskTicketController._prepare_submit_ticket_vals
        calls = []

        def extended(controller, **kw):
            calls.append(kw)
            return dict(original(controller, **kw), category_id=category.id,
                        partner_id=self.other.id)  # a careless extension

        before = self.tickets_of(self.customer)
        with patch.object(HelpdeskTicketController, "_prepare_submit_ticket_vals", extended):
            self.submit()
        ticket = self.tickets_of(self.customer) - before
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0]["subject"], "Boleto não chegou")
        self.assertEqual(ticket.category_id, category)
        # Who, which department: still ours, whatever the hook says.
        self.assertEqual((ticket.partner_id, ticket.team_id), (self.customer, self.financeiro))

    def test_forged_category_is_a_message_or_ignored_not_a_crash(self):
        # helpdesk_mgmt's hook does int(category) and reads it: "²" passes str.isdigit() but
        # not int(), a huge id is past PostgreSQL's integer range, a made-up id is missing.
        for value in ("²", "99999999999", "987654", "-1", "1 OR 1=1"):
            with self.subTest(value=value), mute_logger("odoo.http"):
                response = self.submit(category=value)
                self.assertEqual(response.status_code, 200)
        for ticket in self.tickets_of(self.customer) - self.my_ticket:
            self.assertFalse(ticket.category_id)

    # -- Suporte ------------------------------------------------------------------

    def test_list_shows_own_tickets_with_the_manual_columns(self):
        page = self.url_open("/my/tickets").text
        for column in ("Data", "Departamento", "Assunto", "Status", "Última Atualização"):
            self.assertIn(f"<th>{column}</th>", page)
        self.assertIn("Meu chamado", page)
        self.assertIn(self.my_ticket.meusite_code, page)
        self.assertNotIn("Chamado do outro", page)

    def test_filters_and_lookup_by_code(self):
        closed = self.make_ticket(self.customer, self.suporte, name="Chamado resolvido")
        closed.stage_id = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        open_page = self.url_open("/my/tickets?filterby=open").text
        self.assertIn("Meu chamado", open_page)
        self.assertNotIn("Chamado resolvido", open_page)
        closed_page = self.url_open("/my/tickets?filterby=closed").text
        self.assertIn("Chamado resolvido", closed_page)
        self.assertNotIn("Meu chamado", closed_page)
        found = self.url_open(f"/my/tickets?search={self.my_ticket.meusite_code[1:]}").text
        self.assertIn("Meu chamado", found)
        self.assertNotIn("Chamado resolvido", found)
        other_code = self.url_open(f"/my/tickets?search={self.other_ticket.meusite_code}").text
        self.assertNotIn("Chamado do outro", other_code)

    def test_list_query_count_does_not_grow_with_history(self):
        self.url_open("/my/tickets")  # warm caches
        queries_before = self._queries_for("/my/tickets")
        self.env["helpdesk.ticket"].create([
            {"name": f"Antigo {i}", "description": "x", "partner_id": self.customer.id}
            for i in range(120)
        ])
        self.url_open("/my/tickets")
        queries_after = self._queries_for("/my/tickets")
        self.assertLessEqual(queries_after, queries_before + 2)
        page_five = self.url_open("/my/tickets/page/5")
        self.assertEqual(page_five.status_code, 200)

    def _queries_for(self, url):
        start = self.cr.sql_log_count
        self.assertEqual(self.url_open(url).status_code, 200)
        return self.cr.sql_log_count - start

    def test_detail_shows_conversation_and_accepts_a_reply_with_files(self):
        page = self.url_open(f"/my/ticket/{self.my_ticket.id}").text
        self.assertIn("Meu chamado", page)
        self.assertIn(self.my_ticket.meusite_code, page)
        self.assertNotIn(f"(#{self.my_ticket.id})", page)
        # helpdesk_mgmt's labels without a pt_BR translation are replaced on the customer's page.
        for english in ("Communication history", "Stage:", "Create Date:"):
            self.assertNotIn(english, page)
        self.assertIn("Histórico de comunicação", page)
        response = self.url_open(
            f"/my/ticket/{self.my_ticket.id}/reply",
            data={"csrf_token": http.Request.csrf_token(self), "message": "Segue o print."},
            files=[("attachments", ("print.png", PNG))],
        )
        self.assertEqual(response.status_code, 200)
        message = self.my_ticket.message_ids[:1]
        self.assertIn("Segue o print.", message.body)
        self.assertEqual(message.author_id, self.customer)
        self.assertEqual(message.attachment_ids.mapped("name"), ["print.png"])

    def test_reply_with_refused_file_posts_nothing(self):
        count = len(self.my_ticket.message_ids)
        response = self.url_open(
            f"/my/ticket/{self.my_ticket.id}/reply",
            data={"csrf_token": http.Request.csrf_token(self), "message": "Segue."},
            files=[("attachments", ("programa.jpg", EXE))],
        )
        self.my_ticket.invalidate_recordset()
        self.assertEqual(len(self.my_ticket.message_ids), count)
        self.assertIn("programa.jpg", response.text)

    def test_closing_stages_are_buttons_that_say_what_they_do(self):
        page = self.url_open(f"/my/ticket/{self.my_ticket.id}").text
        buttons = re.findall(
            r'<form[^>]*action="/ticket/close"[^>]*>.*?<button type="submit" class="([^"]+)"'
            r'[^>]*>(.*?)</button>', page, re.S)
        labels = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", label)).strip()
                  for __, label in buttons]
        self.assertEqual(labels, ["Encerrar como Concluído", "Encerrar como Cancelado"])
        for css, __ in buttons:
            self.assertRegex(css, r"\bbtn-(success|outline-secondary)\b")
            self.assertNotIn("btn-light", css)

    def test_customer_closes_own_ticket(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        # A plain link (GET) does not close it: closing needs the form's CSRF token.
        self.url_open(f"/ticket/close?ticket_id={self.my_ticket.id}&stage_id={done.id}")
        self.assertFalse(self.my_ticket.closed)
        self.close(self.my_ticket, done)
        self.assertTrue(self.my_ticket.closed)

    # -- Never another customer's ticket --------------------------------------------

    def test_other_customers_ticket_page_is_refused_even_with_its_token(self):
        url = f"/my/ticket/{self.other_ticket.id}"
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn("Chamado do outro", self.url_open(url).text)
        token = self.other_ticket._portal_ensure_token()
        leaked = self.url_open(f"{url}?access_token={token}")
        self.assertNotIn("Chamado do outro", leaked.text)

    def test_other_customers_ticket_cannot_be_closed(self):
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        response = self.close(self.other_ticket, done)
        self.assertEqual(response.status_code, 404)
        self.other_ticket.invalidate_recordset()
        self.assertFalse(self.other_ticket.closed)

    def test_other_customers_ticket_cannot_be_replied_to(self):
        count = len(self.other_ticket.message_ids)
        self.url_open(
            f"/my/ticket/{self.other_ticket.id}/reply",
            data={"csrf_token": http.Request.csrf_token(self), "message": "Intruso"},
        )
        self.other_ticket.invalidate_recordset()
        self.assertEqual(len(self.other_ticket.message_ids), count)

    def test_other_customers_attachment_cannot_be_downloaded(self):
        attachment = self.other_ticket.attachment_ids
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn(PDF, response.content)
        # The customer's own attachment downloads through the link of its ticket page.
        mine = self.env["ir.attachment"].with_user(self.customer_user).sudo().create({
            "name": "meu.pdf", "raw": PDF,
            "res_model": "helpdesk.ticket", "res_id": self.my_ticket.id,
        })
        page = self.url_open(f"/my/ticket/{self.my_ticket.id}").text
        link = re.search(rf'href="(/web/content/{mine.id}\?[^"]+)"', page).group(1)
        self.assertEqual(self.url_open(link.replace("&amp;", "&")).content, PDF)

    def test_forwarded_token_does_not_open_the_conversation(self):
        token = self.other_ticket._portal_ensure_token()
        Ticket = self.env["helpdesk.ticket"].with_user(self.customer_user)
        self.assertFalse(Ticket._get_thread_with_access(self.other_ticket.id, token=token))
        self.assertEqual(Ticket._get_thread_with_access(self.my_ticket.id), self.my_ticket)

    def test_public_visitor_with_a_token_is_sent_to_login(self):
        self.authenticate(None, None)
        token = self.my_ticket._portal_ensure_token()
        # Followed: a visitor whose language is not the site's goes through /en/... first.
        response = self.url_open(f"/my/ticket/{self.my_ticket.id}?access_token={token}")
        self.assertIn("/web/login", response.url)
        self.assertNotIn(self.my_ticket.name, response.text)
