import re

from odoo import fields
from odoo.tests import Form, HttpCase, TransactionCase, tagged

from ..common import make_invoices, make_portal_user

# Queries of one view of the panel (issue #18: stock Odoo's /my costs 30 in the bench,
# tests/bench/portal_home.py; ours 21 there, 16 to 18 in the tests, whose customers have
# no contacts).
PANEL_SQL_BUDGET = 18
# Queries of the page of an overdue invoice: Odoo's own page with its payment form costs 33
# in stock Odoo 18 with one payment provider enabled (tests/bench/portal_home.py); ours, with
# the status, the company's bank account and its PIX code, and the "Faturado para" / "Pagar a"
# addresses, costs as many there (33) and 31 here. Issue #18 asked for 30: less than stock's
# own page with a payment form. Issue #25 added one: the service each line bills ("Serviço:",
# meusite.service.period._meusite_line_services), still below stock's 33.
INVOICE_PAGE_SQL_BUDGET = 32


@tagged("post_install", "-at_install")
class TestPortalHome(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A customer of its own: the demo customer already has the manual's invoices.
        cls.customer = cls.env["res.partner"].create({
            "name": "Mariana Alves Teixeira", "email": "mariana.painel@example.com",
            "vat": "935.411.347-80", "city": "Belo Horizonte", "lang": "pt_BR",
            "state_id": cls.env.ref("base.state_br_mg").id, "country_id": cls.env.ref("base.br").id,
        })
        make_portal_user(cls.env, "painel", partner=cls.customer)
        cls.other = cls.env["res.partner"].create({
            "name": "Outro Cliente", "email": "outro@example.com"})

    def home(self):
        self.authenticate("painel", "painel-Senha123")
        response = self.url_open("/my")
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_menu_on_every_portal_page(self):
        self.authenticate("painel", "painel-Senha123")
        for url in ("/my", "/my/invoices", "/my/account", "/my/referrals"):
            with self.subTest(url=url):
                page = self.url_open(url).text
                menu = page[page.index("o_meusite_menu"):page.index("o_meusite_hello") + 60]
                for label, href in (("Início", "/my"), ("Serviços", "/my/services"),
                                    ("Minhas Faturas", "/my/invoices"),
                                    ("Suporte", "/my/tickets"), ("Abrir Ticket", "/new/ticket")):
                    self.assertRegex(menu, rf'href="{re.escape(href)}"[^>]*>{label}<')
                self.assertIn(">Faturas<", menu)
                self.assertIn("Olá, Mariana!", menu)

    def test_empty_panel_shows_zeros_not_placeholders(self):
        page = self.home()
        for text in ("Informações da Conta", "Mariana Alves Teixeira", "Belo Horizonte, MG",
                     "Brasil", "Atualizar seus Dados", "Visualizar Conta",
                     "Número de Produtos/Serviços: <strong>0 (0)</strong>",
                     "Número de Domínios: <strong>0 (0)</strong>",
                     "Número de Tickets de Suporte: <strong>0</strong>",
                     "Número de Indicações de Assinatura: <strong>0</strong>",
                     "Informações de Pagamento: <strong>—</strong>",
                     "No momento não há nenhum ticket de suporte aberto",
                     "Abrir Novo Ticket", "Verificar disponibilidade de um Domínio",
                     'placeholder="ex.seudominio.com"', "Nenhuma fatura em aberto"):
            self.assertIn(text, page)

    def test_invoices_table_with_real_figures(self):
        late = make_invoices(self.env, self.customer, 1, amount=158.90, due_in=-2)
        due = make_invoices(self.env, self.customer, 1, amount=99.00, due_in=5)
        make_invoices(self.env, self.other, 1, amount=777.00, due_in=-2)
        paid = make_invoices(self.env, self.customer, 1, amount=50.00, due_in=5)
        paid.payment_state = "paid"
        page = self.home()
        self.assertEqual(page.count("o_meusite_invoice_row"), 2)
        for text in ("Fatura Nº", "Data da Fatura", "Vencimento", "Total", "Balanço", "Status",
                     "Ver Fatura", "Vencida", "Em aberto", "Pagar Selecionados", "Pagar Todos"):
            self.assertIn(text, page)
        self.assertNotIn("777,00", page, "another customer's invoice")
        # Total Vencido: what is owed today, 158,90 + 99,00 and the late charge of the
        # overdue one (multa 3,18 + juros 158,90 x 1% x 2/30 = 0,11).
        overdue = page[page.index("o_meusite_overdue_total"):][:600]
        self.assertIn('oe_currency_value">261,19<', overdue)
        self.assertIn('oe_currency_value">257,90<', overdue)
        self.assertIn('oe_currency_value">3,29<', overdue)
        self.assertRegex(page, r"\d{2}/\d{2}/\d{4}")
        # Each row its own dates, total and balance (each distinct value formatted once).
        for invoice, amount in ((late, "158,90"), (due, "99,00")):
            row = re.search(rf'aria-label="{re.escape(invoice.name)}"(.*?)</tr>', page, re.S)
            cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(1), re.S)
            money = f'R$\xa0<span class="oe_currency_value">{amount}</span>'
            self.assertEqual(cells[1:5], [
                f"{invoice.invoice_date:%d/%m/%Y}", f"{invoice.invoice_date_due:%d/%m/%Y}",
                money, money,
            ])
        # The buttons post the selection to the invoices issue's route.
        self.assertIn('action="/my/invoices/pay"', page)
        self.assertIn('name="invoice_ids"', page)
        self.assertIn('name="pay_all" value="1"', page)

    def test_panel_shows_once_without_odoo_blocks(self):
        make_invoices(self.env, self.customer, 1, amount=158.90, due_in=-2)
        page = self.home()
        self.assertEqual(page.count("Informações da Conta"), 1)
        # Odoo's own blocks of /my: the contact card, the "Faturas a pagar" banner and tiles.
        for stock in ("o_portal_index_card", "o_portal_docs", "overdue_invoice_count",
                      "Editar informações", "Faturas a pagar", "Conexão e segurança"):
            self.assertNotIn(stock, page)
        # Password and two-factor authentication stay one click away, from the account card.
        card = page[page.index("o_meusite_account"):page.index("o_meusite_counters")]
        self.assertIn('href="/my/security"', card)
        self.assertEqual(self.url_open("/my/security").status_code, 200)

    def test_pay_selected_errors_are_reported_on_the_panel(self):
        invoice = make_invoices(self.env, self.customer, 1, amount=158.90, due_in=-2)
        self.home()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', self.url_open("/my").text).group(1)
        # Nothing ticked: the panel says so, the customer stays on the panel.
        response = self.url_open("/my/invoices/pay", data={
            "csrf_token": csrf, "pay_selected": "1", "meusite_origin": "panel"})
        self.assertEqual(response.url.split("#")[0].rstrip("/")[-3:], "/my")
        self.assertIn("o_meusite_pay_error", response.text)
        self.assertIn("Selecione ao menos uma fatura para pagar.", response.text)
        # An invoice already awaiting a payment: refused, with the selection kept.
        tx = self.env["payment.transaction"].create({
            "provider_id": self.env.ref("payment.payment_provider_transfer").id,
            "payment_method_id": self.env.ref("payment_custom.payment_method_wire_transfer").id,
            "amount": 158.90, "currency_id": invoice.currency_id.id,
            "partner_id": self.customer.id,
            "reference": self.env["payment.transaction"]._compute_reference("custom"),
            "invoice_ids": [(6, 0, invoice.ids)],
        })
        tx._set_pending()
        response = self.url_open("/my/invoices/pay", data={
            "csrf_token": csrf, "pay_selected": "1", "meusite_origin": "panel",
            "invoice_ids": invoice.ids})
        self.assertIn("o_meusite_pay_error", response.text)
        alert = response.text[response.text.index("o_meusite_pay_error"):][:300]
        self.assertIn(invoice.name, alert)
        self.assertRegex(response.text, rf'value="{invoice.id}"[^>]*checked')
        # Shown once: the next visit of the panel is clean.
        self.assertNotIn("o_meusite_pay_error", self.url_open("/my").text)

    def test_service_counters_show_real_numbers(self):
        product = self.env["product.product"].create({
            "name": "Plano Site", "type": "service", "list_price": 158.90, "taxes_id": []})
        today = fields.Date.today()
        for is_domain, state in ((False, "active"), (False, "suspended"), (True, "active"),
                                 (True, "pending"), (False, "cancelled")):
            self.env["meusite.service"].create({
                "partner_id": self.customer.id, "product_id": product.id, "cycle": "monthly",
                "price": 158.90, "date_start": today, "next_due_date": today,
                "state": state, "is_domain": is_domain,
            })
        page = self.home()
        # Domains are counted apart, as in the manual: not among the products/services.
        self.assertIn("Número de Produtos/Serviços: <strong>2 (1)</strong>", page)
        self.assertIn("Número de Domínios: <strong>2 (1)</strong>", page)

    def test_referral_counter_and_page(self):
        self.env["res.partner"].create([
            {"name": "Indicado Um", "meusite_referred_by_id": self.customer.id},
            {"name": "Indicado Dois", "meusite_referred_by_id": self.customer.id},
            {"name": "Indicado de Outro", "meusite_referred_by_id": self.other.id},
        ])
        self.assertIn("Número de Indicações de Assinatura: <strong>2</strong>", self.home())
        page = self.url_open("/my/referrals").text
        self.assertIn("Indicado Um", page)
        self.assertNotIn("Indicado de Outro", page)
        code = self.customer._meusite_get_referral_code()
        self.assertIn(f"/web/signup?ref={code}", page)
        self.assertGreaterEqual(len(code), 12)

    def test_usual_payment_method(self):
        provider = self.env["payment.provider"].search([("code", "=", "custom")], limit=1)
        method = provider.payment_method_ids[:1] or self.env.ref("payment.payment_method_unknown")
        self.env["payment.transaction"].create({
            "provider_id": provider.id, "payment_method_id": method.id,
            "amount": 10.0, "currency_id": self.env.company.currency_id.id,
            "partner_id": self.customer.id, "reference": "MEUSITE-TEST-1", "state": "done",
        })
        name = provider.with_context(lang="pt_BR").name
        page = self.home()
        info = page[page.index("o_meusite_payment_info"):][:300]
        self.assertIn(f"<strong>{name}", info)

    def test_anonymous_visitor_is_sent_to_login(self):
        for url in ("/my", "/my/referrals", "/my/account"):
            response = self.url_open(url)
            self.assertIn("/web/login", response.url)

    def _queries(self, url):
        self.url_open(url)  # warm caches (templates, assets, ACL)
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def test_query_count_does_not_grow_with_history(self):
        self.authenticate("painel", "painel-Senha123")
        make_invoices(self.env, self.customer, 1, due_in=-1)
        self.env.flush_all()
        self.env.invalidate_all()
        at_one = self._queries("/my")
        make_invoices(self.env, self.customer, 199, due_in=-1)
        self.env["res.partner"].create([
            {"name": f"Indicado {i}", "meusite_referred_by_id": self.customer.id}
            for i in range(200)])
        self.env.flush_all()
        self.env.invalidate_all()
        at_two_hundred = self._queries("/my")
        self.assertLessEqual(at_two_hundred, at_one,
                         f"/my ran {at_one} queries at 1 invoice, {at_two_hundred} at 200")
        self.assertLessEqual(at_one, PANEL_SQL_BUDGET)

    def test_panel_and_invoice_page_keep_their_sql_budget(self):
        """The panel and the page of an overdue invoice (late charge, transfer card) cost a
        fixed number of queries: within the budget, the same at 3 and at 30 invoices."""
        self.authenticate("painel", "painel-Senha123")
        # Paid, open and overdue invoices, and a pending transfer covering one.
        invoices = make_invoices(self.env, self.customer, 3, due_in=-12)
        invoices[0].payment_state = "paid"
        invoice = invoices[1]
        self.env.flush_all()
        counts = {}
        for size in (3, 30):
            if size == 30:
                more = make_invoices(self.env, self.customer, 27, due_in=-40)
                more[:10].write({"payment_state": "paid"})
            self.env.flush_all()
            self.env.invalidate_all()
            counts[size] = (self._queries("/my"), self._queries(f"/my/invoices/{invoice.id}"))
        page = self.url_open(f"/my/invoices/{invoice.id}").text
        self.assertIn("o_meusite_late_charge", page, "an overdue invoice's page was measured")
        (panel, invoice_page), (panel_30, invoice_page_30) = counts[3], counts[30]
        self.assertEqual(panel_30, panel, f"/my: {panel} queries at 3 invoices, {panel_30} at 30")
        self.assertEqual(invoice_page_30, invoice_page,
                         f"invoice page: {invoice_page} queries at 3 invoices, "
                         f"{invoice_page_30} at 30")
        self.assertLessEqual(panel, PANEL_SQL_BUDGET)
        self.assertLessEqual(invoice_page, INVOICE_PAGE_SQL_BUDGET)


@tagged("post_install", "-at_install")
class TestReferralStaff(TransactionCase):
    def test_staff_records_the_referrer_in_the_partner_form(self):
        referrer = self.env.ref("meusite_portal.demo_customer")
        with Form(self.env["res.partner"], view="base.view_partner_form") as form:
            form.name = "Cliente Indicado"
            form.meusite_referred_by_id = referrer
        self.assertEqual(form.record.meusite_referred_by_id, referrer)
        self.assertEqual(referrer._meusite_referral_count(), 1)

    def test_staff_form_shows_the_address_where_l10n_br_puts_it(self):
        # The Brazilian company's partner form is l10n_br's: number, complement and bairro
        # in their own fields (no field of ours beside them), composing the street.
        with Form(self.env["res.partner"], view="base.view_partner_form") as form:
            form.name = "Cliente de Balcão"
            form.country_id = self.env.ref("base.br")
            form.street_name = "Rua Pernambuco"
            form.street_number = "880"
            form.street_number2 = "Apto 302"
            form.street2 = "Savassi"
            form.city = "Belo Horizonte"
            form.state_id = self.env.ref("base.state_br_mg")
        self.assertRecordValues(form.record, [{
            "street": "Rua Pernambuco 880 - Apto 302", "street2": "Savassi",
        }])

    def test_referral_codes_are_distinct_and_stable(self):
        first = self.env.ref("meusite_portal.demo_customer")
        second = self.env["res.partner"].create({"name": "Outro"})
        code = first._meusite_get_referral_code()
        self.assertEqual(first._meusite_get_referral_code(), code)
        self.assertNotEqual(second._meusite_get_referral_code(), code)
        self.assertEqual(self.env["res.partner"]._meusite_referrer_from_code(code), first)
        self.assertFalse(self.env["res.partner"]._meusite_referrer_from_code(str(first.id)))

    def test_partners_from_before_the_install_have_codes_of_their_own(self):
        # The company, admin and public partners existed before meusite_portal added the
        # column: each gets its own code, and the database refuses a shared one.
        self.env.cr.execute("""
            SELECT meusite_referral_code FROM res_partner
             WHERE meusite_referral_code IS NOT NULL
             GROUP BY 1 HAVING count(*) > 1""")
        self.assertFalse(self.env.cr.fetchall(), "partners share a referral code")
        self.assertTrue(self.env.ref("base.main_partner").meusite_referral_code)
        self.env.cr.execute("""SELECT 1 FROM pg_constraint
                                WHERE conname = 'res_partner_meusite_referral_code_unique'""")
        self.assertTrue(self.env.cr.fetchone(), "no unique index on the referral codes")
