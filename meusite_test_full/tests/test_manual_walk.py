"""The customer manual, walked end to end in headless Chromium by one new customer.

Each step of the walk is one tour (the boleto step in
meusite_test_full/static/tests/tours/moip_walk_tour.js, the others in
meusite_test_full/static/tests/tours/manual_walk_tour.js; both in web.assets_tests); what
staff do between the steps goes through XML-RPC, as a member of staff would from any client.
With MEUSITE_SCREENSHOTS=1 the browser's last page of chosen steps is saved under
docs/screenshots/ for the README.

Product-wide, hence in the test-only addon: it needs meusite_portal, meusite_helpdesk,
Moip's boleto and PagBank's provider (hidden), which meusite_test_full depends on.
"""

import base64
import json
import os
import re
import subprocess
import urllib.request
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.meusite_moip_payment.tests.common import (
    DOUBLE_KEY,
    DOUBLE_TOKEN,
    WEBHOOK_TOKEN,
    start_double,
)
from odoo.addons.meusite_portal.tests.common import TourScreenshotMixin, known_captcha

TICKET_SUBJECT = "Dúvida sobre a fatura da mensalidade"
STAFF_ANSWER = "Recebemos o pagamento da sua fatura."


@tagged("post_install", "-at_install")
class TestManualWalk(TourScreenshotMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.double = start_double()
        cls.addClassCleanup(cls.double.stop)
        cls.moip = env.ref("meusite_moip_payment.payment_provider_moip")
        cls.moip.write({
            "state": "test",
            "is_published": True,
            "moip_token": DOUBLE_TOKEN,
            "moip_key": DOUBLE_KEY,
            "moip_oauth_token": False,
            "moip_api_url": cls.double.api_url,
            "moip_webhook_token": WEBHOOK_TOKEN,
        })
        env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        # The manual's walk is Moip's boleto ("Modulo Moip"); the demo's PagBank, listed first
        # for boleto, has its own walk (meusite_pagbank_payment/tests/test_pagbank_tour.py).
        env.ref("meusite_pagbank_payment.payment_provider_pagbank").is_published = False
        cls.financeiro = env.ref("meusite_helpdesk.team_financeiro")
        cls.staff = new_test_user(
            env, login="walk_financeiro", name="Marta Financeiro",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.financeiro.write({"user_ids": [(4, cls.staff.id)]})

    # ------------------------------------------------------------------ helpers

    def save_invoice_pdf(self, name, invoice):
        """Page 1 of the invoice's PDF (what "Baixar PDF" gives), printed by this machine's
        wkhtmltopdf (tests render HTML unless told otherwise) and drawn by pdftoppm."""
        lang = invoice.partner_id.lang
        pdf, __ = self.env["ir.actions.report"].with_context(
            force_report_rendering=True, lang=lang,
        )._render_qweb_pdf("account.account_invoices", invoice.ids)
        self.assertTrue(pdf.startswith(b"%PDF-"))
        png = subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-"],
                             input=pdf, capture_output=True, check=True).stdout
        self._save_png(name, base64.b64encode(png))

    def staff_rpc(self, login, password, model, method, *args, **kw):
        db = self.env.cr.dbname
        uid = self.xmlrpc_common.authenticate(db, login, password, {})
        self.assertTrue(uid, login)
        return self.xmlrpc_object.execute_kw(db, uid, password, model, method, list(args), kw)

    def admin_rpc(self, model, method, *args, **kw):
        return self.staff_rpc("admin", "admin", model, method, *args, **kw)

    def bill_due_services(self):
        """Staff run the invoicing action (the daily cron) from the back office."""
        cron = self.env.ref("meusite_portal.ir_cron_service_invoicing")
        self.admin_rpc("ir.cron", "method_direct_trigger", cron.ids)
        self.env.invalidate_all()

    @staticmethod
    def status(invoice):
        """(code, label) of the invoice's status as the customer reads it."""
        return invoice.with_context(lang="pt_BR")._meusite_portal_status()[:2]

    def customer_invoices(self):
        return self.env["account.move"].search(
            [("partner_id", "=", self.partner.id), ("move_type", "=", "out_invoice"),
             ("state", "=", "posted")], order="id",
        )

    # ------------------------------------------------------------------ the walk

    def test_manual_walk(self):
        today = fields.Date.context_today(self.env["res.partner"])
        product = self.env.ref("meusite_portal.product_plan_expresso")
        domain_product = self.env.ref("meusite_portal.product_domain_com_br")

        # 1. A new customer signs up from the login page ("Clientes não cadastrados").
        with known_captcha():
            self.start_tour("/web/login", "meusite_walk_signup")
        user = self.env["res.users"].search(
            [("name", "=", "Helena Duarte Souza")], order="id desc", limit=1
        )
        self.assertTrue(user._is_portal())
        self.partner = user.partner_id
        self.assertEqual(self.partner.lang, "pt_BR")
        self.assertEqual(self.partner.city, "Belo Horizonte")
        self.assertEqual(self.partner.phone, "(31) 99123-4567")
        login = user.login

        # 2. Staff give the monthly plan, due three days ago, and run the invoicing action.
        self.admin_rpc("meusite.service", "create", [{
            "partner_id": self.partner.id,
            "product_id": product.id,
            "cycle": "monthly",
            "price": 158.90,
            "date_start": fields.Date.to_string(today - timedelta(days=33)),
            "next_due_date": fields.Date.to_string(today - timedelta(days=3)),
            "state": "active",
        }])
        self.bill_due_services()
        first = self.customer_invoices()
        self.assertEqual(len(first), 1)
        self.assertAlmostEqual(first.amount_total, 158.90)
        self.assertIn("Mensalidade Meu Site Expresso", first.invoice_line_ids.name)
        self.assertEqual(self.status(first), ("overdue", "Vencida"))

        # 3. The panel: account card, counters, the invoice in "Faturas" and "Total Vencido".
        with self.screenshot("01-painel"):
            self.start_tour("/my", "meusite_walk_panel", login=login)
        # The panel's row shows the invoice's own number (whatever the journal's numbering).
        self.authenticate(login, login)
        self.assertIn(first.name, self.url_open("/my").text)

        # 4. A ticket in Financeiro about the invoice, with a PDF; the code is shown.
        if os.environ.get("MEUSITE_SCREENSHOTS"):
            with self.screenshot("04-ticket-formulario"):
                self.start_tour("/new/ticket", "meusite_walk_ticket_form", login=login)
        with known_captcha(), \
                self.screenshot("04-ticket-enviado"):
            self.start_tour("/new/ticket", "meusite_walk_ticket", login=login)
        ticket = self.env["helpdesk.ticket"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, TICKET_SUBJECT)
        self.assertEqual(ticket.team_id, self.financeiro)
        self.assertTrue(ticket.meusite_code)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["comprovante.pdf"])

        # 5. Pays by boleto; the bank (the double's simulator) pays it; "Paga", service Ativo.
        self.double.add_preference(self.base_url() + "/payment/moip/webhook", WEBHOOK_TOKEN)
        # The daily reminder run e-mails the overdue notice; its one link opens the invoice.
        reminder = self.env["meusite.invoice.reminder"]._meusite_send_invoice_reminders(
            move_ids=first.ids
        )
        self.assertEqual(reminder.stage, "overdue_1")
        link = re.search(r'href="([^"]*/my/invoices/[^"]*)"', str(reminder.mail_id.body_html))
        link = link.group(1).replace("&amp;", "&")
        self.assertEqual(link, first.get_base_url() + first.get_portal_url())
        with self.screenshot("03-boleto"):
            self.start_tour(link[len(first.get_base_url()):], "meusite_walk_boleto", login=login)
        tx = first.transaction_ids
        self.assertEqual(tx.state, "pending")
        if os.environ.get("MEUSITE_SCREENSHOTS"):
            # The invoice PDF while its boleto waits: the linha digitável, PIX, transfer.
            self.save_invoice_pdf("08-fatura-pdf", first)
        # Three days overdue: 158,90 + multa 3,18 + juros 0,16 (158,90 x 1% x 3/30).
        self.assertAlmostEqual(tx.amount, 162.24)
        self.env.flush_all()
        pay = (f"{self.double.base_url}/simulador/authorize"
               f"?payment_id={tx.moip_payment_id}&amount=16224")
        with urllib.request.urlopen(pay, timeout=60) as response:  # noqa: S310 - loopback
            self.assertEqual(json.loads(response.read())["deliveries"], [200])
        self.env.invalidate_all()
        self.env["payment.transaction"].search(
            [("is_post_processed", "=", False), ("state", "=", "done")]
        )._post_process()
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.status(first), ("paid", "Paga"))
        # The late charge is booked as its own invoice, paid by the same boleto.
        late_move = tx.invoice_ids - first
        self.assertEqual(sorted(late_move.invoice_line_ids.mapped("price_subtotal")),
                         [0.16, 3.18])
        self.assertEqual(self.status(late_move), ("paid", "Paga"))
        service = self.env["meusite.service"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(service.state, "active")
        self.start_tour("/my/invoices", "meusite_walk_boleto_paid", login=login)

        # 6. A domain is billed and an SSL certificate invoiced; both paid by one transfer.
        self.admin_rpc("meusite.service", "create", [{
            "partner_id": self.partner.id,
            "product_id": domain_product.id,
            "is_domain": True,
            "domain_name": "helenaduarte.com.br",
            "cycle": "annual",
            "price": 40.0,
            "next_due_date": fields.Date.to_string(today + timedelta(days=5)),
            "state": "active",
        }])
        self.bill_due_services()
        [third_id] = self.admin_rpc("account.move", "create", [{
            "move_type": "out_invoice",
            "partner_id": self.partner.id,
            "invoice_date_due": fields.Date.to_string(today + timedelta(days=7)),
            "invoice_line_ids": [(0, 0, {
                "name": "Instalação de certificado SSL", "quantity": 1, "price_unit": 60.0,
                "tax_ids": [(5, 0, 0)],
            })],
        }])
        self.admin_rpc("account.move", "action_post", [third_id])
        self.env.invalidate_all()
        second_and_third = self.customer_invoices() - first - late_move
        self.assertEqual(len(second_and_third), 2)
        with self.screenshot("05-transferencia-pix"):
            self.start_tour("/my/invoices", "meusite_walk_transfer", login=login)
        transfer = self.env["payment.transaction"].search(
            [("invoice_ids", "in", second_and_third.ids)]
        )
        self.assertEqual(transfer.invoice_ids, second_and_third)
        self.assertEqual(transfer.state, "pending")
        self.assertTrue(self.admin_rpc(
            "payment.transaction", "action_meusite_confirm_receipt", transfer.ids
        ))
        self.env.invalidate_all()
        for invoice in second_and_third:
            self.assertEqual(self.status(invoice), ("paid", "Paga"), invoice.name)
        with self.screenshot("02-minhas-faturas"):
            self.start_tour("/my/invoices", "meusite_walk_all_paid", login=login)

        # 7. Financeiro finds the ticket in its queue and answers it; the customer reads the
        # answer and closes the ticket.
        with self.screenshot("06-fila-da-equipe"):
            self.start_tour("/odoo/helpdesk-tickets", "meusite_walk_staff_queue",
                            login=self.staff.login)
        context = {"default_model": "helpdesk.ticket", "default_res_ids": ticket.ids,
                   "default_composition_mode": "comment"}
        composer = self.staff_rpc(
            self.staff.login, self.staff.login, "mail.compose.message", "create",
            {"body": STAFF_ANSWER}, context=context,
        )
        self.staff_rpc(self.staff.login, self.staff.login, "mail.compose.message",
                       "action_send_mail", [composer], context=context)
        with self.screenshot("07-ticket-respondido"):
            self.start_tour("/my/tickets", "meusite_walk_ticket_answer", login=login)
        ticket.invalidate_recordset()
        self.assertTrue(ticket.closed)

        # 8. "Mudar de plano" shows what the change would do and asks first; the page
        # changes nothing.
        plan = service.product_id
        invoices = self.customer_invoices()
        with self.screenshot("09-mudar-plano-confirmacao"):
            self.start_tour(f"/my/services/{service.id}", "meusite_walk_plan_change",
                            login=login)
        service.invalidate_recordset()
        self.assertEqual(service.product_id, plan)
        self.assertEqual(self.customer_invoices(), invoices)
