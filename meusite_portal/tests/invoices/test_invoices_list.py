import re

from odoo.tests import tagged
from odoo.tools import SQL

from ..common import MeusiteInvoicesCommon, make_invoices


@tagged("post_install", "-at_install")
class TestMyInvoicesList(MeusiteInvoicesCommon):

    def test_an_unknown_sort_or_filter_in_the_url_shows_the_default_list(self):
        invoice = make_invoices(self.env, self.customer)
        self.authenticate("beatriz", "beatriz-Senha123")
        for query in ("filterby=vencidas", "sortby=valor", "sortby=x&filterby=y"):
            response = self.url_open(f"/my/invoices?{query}")
            self.assertEqual(response.status_code, 200, query)
            self.assertIn(invoice.name, response.text, query)

    def test_only_the_manuals_pay_buttons_with_an_overdue_invoice(self):
        make_invoices(self.env, self.customer, amount=158.90, days_ago=45, due_in=-42)
        self.authenticate("beatriz", "beatriz-Senha123")
        page = self.url_open("/my/invoices").text
        self.assertIn("Pagar Todos", page)
        self.assertIn("Pagar Selecionados", page)
        # Not Odoo's third button, which would pay the overdue ones only.
        self.assertNotIn('href="/my/invoices/overdue"', page)

    def test_minhas_faturas_as_in_the_manual(self):
        overdue = make_invoices(self.env, self.customer, amount=158.90, days_ago=45, due_in=-42)
        open_ = make_invoices(self.env, self.customer, amount=59.90)
        pending = make_invoices(self.env, self.customer, amount=100.00)
        self._pending_tx(pending)
        paid = make_invoices(self.env, self.customer, amount=10.00)
        paid._meusite_demo_register_payment()
        cancelled = make_invoices(self.env, self.customer, amount=20.00)
        cancelled.button_cancel()
        foreign = make_invoices(self.env, self.other, amount=999.00)

        self.authenticate("beatriz", "beatriz-Senha123")
        page = self.url_open("/my/invoices").text
        # Odoo's portal rule hides cancelled invoices from customers: 4, not 5.
        self.assertIn("4 Registros encontrados, Página 1 de 1", page)
        for label in ("Fatura Nº", "Data da Fatura", "Vencimento", "Total", "Status",
                      "Ver Fatura", "Pagar Selecionados", "Pagar Todos"):
            self.assertIn(label, page)
        # Owed today: overdue (158,90 + multa 3,18 + juros 42 days 2,22) + open 59,90; the
        # one whose transfer is not confirmed yet is said apart.
        outstanding = re.search(r'o_meusite_outstanding"[^>]*>(.*?)</strong>', page, re.S).group(1)
        self.assertIn('oe_currency_value">224,20<', outstanding)
        apart = re.search(r'o_meusite_owed_pending">(.*?)</small>', page, re.S).group(1)
        self.assertIn('oe_currency_value">100,00<', apart)
        statuses = dict(re.findall(r'data-status="(\w+)">([^<]+)<', page))
        self.assertEqual(statuses, {
            "overdue": "Vencida", "open": "Em aberto", "pending": "Aguardando confirmação",
            "paid": "Paga",
        })
        self.assertNotIn(cancelled.name, page)
        boxes = re.findall(r'name="invoice_ids"[^>]*value="(\d+)"', page)
        self.assertEqual(sorted(map(int, boxes)), sorted((overdue | open_).ids))
        self.assertNotIn(foreign.name, page)
        dates = re.findall(r"\d{2}/\d{2}/\d{4}", page)
        self.assertTrue(dates, "dates are shown as dd/mm/aaaa")
        # Each row its own total and dates (the page formats each distinct value once).
        for invoice, total in ((overdue, "158,90"), (open_, "59,90"), (pending, "100,00"),
                               (paid, "10,00")):
            row = re.search(rf'title="{re.escape(invoice.name)}">(.*?)</tr>', page, re.S).group(1)
            self.assertIn(f'R$\xa0<span class="oe_currency_value">{total}<', row)
            self.assertIn(f"<span>{invoice.invoice_date:%d/%m/%Y}</span>", row)
            self.assertIn(f"<span>{invoice.invoice_date_due:%d/%m/%Y}</span>", row)

    def _clone_invoices(self, template, count):
        """Add `count` copies of a posted invoice straight in SQL: posting 2,000 invoices
        through the ORM takes minutes, and the list only reads what is copied here. Each copy
        gets its own portal token, as invoices that were already shown once have."""
        self.env.flush_all()
        cr = self.env.cr

        def columns(table):
            cr.execute(SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = %s AND column_name != 'id'", table,
            ))
            return [row[0] for row in cr.fetchall()]

        move_cols = columns("account_move")
        select = [
            SQL("m.name || '-' || g") if col == "name"
            else SQL("md5(random()::text)") if col == "access_token"
            else SQL.identifier("m", col)
            for col in move_cols
        ]
        cr.execute(SQL(
            "INSERT INTO account_move (%s) SELECT %s FROM account_move m,"
            " generate_series(1, %s) g WHERE m.id = %s RETURNING id",
            SQL(", ").join(SQL.identifier(c) for c in move_cols), SQL(", ").join(select),
            count, template.id,
        ))
        new_ids = [row[0] for row in cr.fetchall()]
        line_cols = [c for c in columns("account_move_line") if c != "move_id"]
        cr.execute(SQL(
            "INSERT INTO account_move_line (move_id, %s)"
            " SELECT n.id, %s FROM account_move_line l, unnest(%s) n(id) WHERE l.move_id = %s",
            SQL(", ").join(SQL.identifier(c) for c in line_cols),
            SQL(", ").join(SQL.identifier("l", c) for c in line_cols),
            new_ids, template.id,
        ))
        # The portal rule shows a customer the invoices it follows.
        cr.execute(SQL(
            "INSERT INTO mail_followers (res_model, res_id, partner_id)"
            " SELECT 'account.move', n.id, %s FROM unnest(%s) n(id)",
            template.partner_id.id, new_ids,
        ))
        self.env.invalidate_all()

    def _queries_of_my_invoices(self, login):
        self.authenticate(login, login + "-Senha123")
        self.url_open("/my/invoices")  # caches (rules, views, assets) warm up
        start = self.cr.sql_log_count
        response = self.url_open("/my/invoices")
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - start, response.text

    def test_query_count_is_the_same_for_20_and_2000_invoices(self):
        for _i in range(20):
            make_invoices(self.env, self.customer)
        self._clone_invoices(make_invoices(self.env, self.other), 1999)
        few, _page = self._queries_of_my_invoices("beatriz")
        many, page = self._queries_of_my_invoices("rafael")
        self.assertIn("2000 Registros encontrados, Página 1 de 25", page)
        self.assertEqual(few, many)
