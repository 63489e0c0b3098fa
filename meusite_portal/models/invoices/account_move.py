import base64

from psycopg2 import errors as pg_errors

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL
from odoo.tools.image import image_data_uri

from ...const import COVERING_TX_STATES, OPEN_PAYMENT_STATES, PIX_QR_SIZE, PORTAL_STATUS_BADGES
from ...private_api import cached, lock_rows, query_rows, run_sql, set_cached


class AccountMove(models.Model):
    """Customer invoices in the client area: their status, what they owe today, whether
    they can be paid now (and the lock that keeps it so), their links' access tokens and
    the "Como pagar" of their PDF."""

    _inherit = "account.move"

    meusite_reminder_ids = fields.One2many(
        "meusite.invoice.reminder", "move_id", string="Reminders Sent"
    )
    meusite_payment_pending = fields.Boolean(
        string="Payment awaiting confirmation",
        compute="_compute_meusite_payment_pending",
        help="A pending or authorized transaction (bank transfer, boleto) covers this invoice.",
    )

    def init(self):
        res = super().init()
        # The customer's open invoices (the panel, "Pagar Todos", the outstanding balance):
        # without it every panel view scans the whole table (issue #18).
        tools.create_index(
            self.env.cr,
            "account_move__meusite_open_invoices_index",
            self._table,
            ["commercial_partner_id", "move_type", "state", "payment_state"],
        )
        return res

    @api.depends("transaction_ids.state")
    def _compute_meusite_payment_pending(self):
        covered = self._meusite_covered_ids()
        for move in self:
            move.meusite_payment_pending = move.id in covered

    def _meusite_covered_ids(self):
        """Ids of these invoices a pending or authorized transaction covers."""
        # One query for the whole batch: list pages show many invoices. An invoice page has
        # read the invoice's transactions already (Odoo's _has_to_be_paid): those are
        # looked at in memory.
        covered = set()
        known = cached(self, "transaction_ids")
        for move in known:
            if any(tx.state in COVERING_TX_STATES for tx in move.sudo().transaction_ids):
                covered.add(move.id)
        ids = [move_id for move_id in (self - known).ids if move_id]
        if ids:
            rows = query_rows(self.env, SQL(
                """SELECT DISTINCT rel.invoice_id
                     FROM account_invoice_transaction_rel rel
                     JOIN payment_transaction tx ON tx.id = rel.transaction_id
                    WHERE rel.invoice_id IN %s AND tx.state IN %s""",
                tuple(ids),
                COVERING_TX_STATES,
            ), flush={"payment.transaction": ["state", "invoice_ids"]})
            covered |= {row[0] for row in rows}
        return covered

    def _meusite_portal_status(self):
        """Return (code, label, badge class) of the invoice as the customer sees it."""
        self.ensure_one()
        return self._meusite_portal_statuses()[self]

    def _meusite_portal_statuses(self):
        """{invoice: (code, label, badge class)} for these invoices: a list asks once (the
        labels translated once, the pending payments in one query)."""
        today = fields.Date.context_today(self)
        labels = self._meusite_portal_status_labels()
        statuses = {}
        for move in self:
            if move.state == "cancel":
                code = "cancelled"
            elif move.payment_state in ("paid", "in_payment", "reversed") or (
                move.state == "posted" and move.currency_id.is_zero(move.amount_residual)
            ):
                code = "paid"
            elif move.meusite_payment_pending:
                code = "pending"
            elif move.invoice_date_due and move.invoice_date_due < today:
                code = "overdue"
            else:
                code = "open"
            statuses[move] = (code, labels[code], PORTAL_STATUS_BADGES[code])
        return statuses

    @api.model
    def _meusite_formatters(self):
        """(date_text, amount_html): a date as the ``date`` widget shows it and an amount as
        the ``monetary`` widget does, by Odoo's own helpers, each distinct value formatted
        once. Pages listing invoices repeat their amounts and dates (monthly plans), and
        each formatting looks the language up again: one per cell cost a page of 80 rows
        more than all its queries (issue #18). Valid for one rendering (one language)."""
        env = self.env
        monetary = env["ir.qweb.field.monetary"]
        dates, amounts = {}, {}

        def date_text(value):
            if value not in dates:
                dates[value] = tools.format_date(env, value)
            return dates[value]

        def amount_html(amount, currency):
            if (currency, amount) not in amounts:
                amounts[currency, amount] = monetary.value_to_html(
                    amount, {"display_currency": currency}
                )
            return amounts[currency, amount]

        return date_text, amount_html

    def _meusite_portal_list_cells(self):
        """{invoice: {"invoice_date", "due_date", "amount", "residual", "url"}}: the cells
        of the invoice rows of "Minhas Faturas" and of the panel for these invoices (a page
        of them), formatted by _meusite_formatters; the link built once for the two places
        of the row that show it."""
        date_text, amount_html = self._meusite_formatters()
        cells = {}
        for move in self:
            amount = -move.amount_total if move.move_type == "out_refund" else move.amount_total
            cells[move] = {
                # False like an empty t-field: the cell shows no <span>.
                "invoice_date": move.invoice_date and date_text(move.invoice_date),
                "due_date": move.invoice_date_due and date_text(move.invoice_date_due),
                "amount": amount_html(amount, move.currency_id),
                "residual": amount_html(move.amount_residual, move.currency_id),
                "url": move.get_portal_url(),
            }
        return cells

    # Per language: list pages ask for a status on every row.
    @tools.ormcache("self.env.lang")
    def _meusite_portal_status_labels(self):
        return {
            "open": self.env._("Open"),
            "overdue": self.env._("Overdue"),
            "paid": self.env._("Paid"),
            "cancelled": self.env._("Cancelled"),
            "pending": self.env._("Awaiting confirmation"),
        }

    def _get_invoice_portal_extra_values(self, custom_amount=None):
        # "Minhas Faturas" shows no installment details, which cost queries per invoice: the
        # list asks for the invoice only, so that a page costs the same whatever its length.
        if self.env.context.get("meusite_invoice_list"):
            self.ensure_one()
            return {"invoice": self, "currency": self.currency_id}
        values = super()._get_invoice_portal_extra_values(custom_amount=custom_amount)
        late = self._meusite_late_charge()
        if not self.currency_id.is_zero(late["fee"] + late["interest"]):
            # The payment form offers (and the server charges) the updated amount.
            amount = self._meusite_amount_to_charge(late)
            values.update(amount_due=amount, next_amount_to_pay=amount, meusite_late=late)
        return values

    @api.model
    def _meusite_open_invoices_domain(self, partner=None):
        """What an open invoice is: a posted customer invoice still (partly) owed, of
        ``partner``'s commercial partner when given. The one definition: the panel, Minhas
        Faturas, "Pagar Todos", the reminder and suspension runs, the credit and the late
        charge all start from it (in memory: ``_meusite_open_invoices``)."""
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]
        if partner is not None:
            # The commercial partner, as _meusite_check_payable compares it: one indexed
            # column (init) instead of the customer's contacts (issue #18).
            domain.append(("commercial_partner_id", "=", partner.commercial_partner_id.id))
        return domain

    def _meusite_open_invoices(self):
        """These moves that are open invoices (``_meusite_open_invoices_domain``), in memory."""
        return self.filtered_domain(self._meusite_open_invoices_domain())

    def _meusite_amount_to_charge(self, late=None):
        """What paying these invoices online charges today: what they still owe, multa and
        juros included when late (``late``: their ``_meusite_late_charge()`` when the caller
        has it). The payment form, the payment routes and ``payment.transaction.create``
        all charge this figure."""
        return (late or self._meusite_late_charge())["total"]

    @api.model
    def _meusite_owed_today(self, partner):
        """What the customer owes today: the one figure the panel ("Total Vencido"), Minhas
        Faturas ("Balanço em Circulação") and "Pagar Todos" show and charge, the sum of
        ``_meusite_owed_amounts`` over the customer's open invoices that no payment awaiting
        confirmation covers (those are shown apart, ``pending``: "Pagar Todos" leaves them).

        :return: the company currency's figure (see ``_meusite_owed_amounts``) with
                 ``invoices`` (superuser records, the ones "Pagar Todos" pays), ``pending``
                 (still owed on the invoices awaiting confirmation), ``currency`` and
                 ``open_count`` (how many open invoices the customer has, all currencies)
        """
        Move = self.sudo()
        open_invoices = Move.search_fetch(
            self._meusite_open_invoices_domain(partner),
            ["amount_residual", "invoice_date_due", "currency_id", "move_type", "state",
             "payment_state"],
            order="invoice_date_due asc, id asc",
        )
        # One figure, in the company's currency (a customer pays in one currency at once).
        currency = self.env.company.currency_id
        # One query for the pending payments of all of them (not one per 1,000-record
        # prefetch batch), kept for the statuses of the rows the page then shows.
        covered = open_invoices._meusite_covered_ids()
        set_cached(open_invoices, "meusite_payment_pending",
                   [move.id in covered for move in open_invoices])
        pending = open_invoices.filtered(lambda m: m.id in covered)
        invoices = (open_invoices - pending).filtered(lambda m: m.currency_id == currency)
        pending = pending.filtered(lambda m: m.currency_id == currency)
        owed = invoices._meusite_owed_amounts()
        owed.update(
            open_count=len(open_invoices),
            invoices=invoices,
            pending=currency.round(sum(pending.mapped("amount_residual"))),
            currency=currency,
        )
        return owed

    def _meusite_owed_amounts(self, date=None):
        """What these invoices cost paid on ``date`` (default today), as every screen shows
        it: the nominal amount still owed (``residual``), the late charge (``late``: multa
        and juros, ``_meusite_late_charge``) and their sum (``total``, what is charged).
        The invoice page, the panel, Minhas Faturas and the payment pages all read it."""
        owed = self._meusite_late_charge(date)
        currency = self.currency_id[:1] or self.env.company.currency_id
        owed["late"] = currency.round(owed["fee"] + owed["interest"])
        return owed

    def _meusite_check_payable(self, partner=None, lock=False, strict=True):
        """Refuse, with a message the customer understands, anything that cannot be paid now.

        :param partner: the customer paying (the portal user's partner); when given, every
                        invoice must be one of its commercial partner's.
        :param lock: lock the invoice rows (NOWAIT) so that two requests cannot both start a
                     payment of the same invoice; the lock lasts until the end of the request.
        :param strict: also refuse what is not an open posted customer invoice. Odoo's own
                       payment routes (one invoice, overdue ones) pass False: they decide
                       what may be paid; we only add the one-payment-per-invoice guard.
        :raise UserError: on the first problem found; nothing is written.
        """
        if not self:
            raise UserError(self.env._("Select at least one invoice to pay."))
        invoices = self.sudo()
        if lock:
            try:
                # The savepoint keeps the request usable to answer with the message below.
                with self.env.cr.savepoint():
                    # An expected refusal, answered below: not an error in the server log.
                    lock_rows(invoices, nowait=True)
            except pg_errors.LockNotAvailable:
                raise UserError(
                    self.env._(
                        "A payment of these invoices is already being prepared (another tab or a"
                        " double click). Wait a moment and check the status of your invoices."
                    )
                ) from None
            # Read again now that the rows are locked (not from the transactions in memory).
            invoices.invalidate_recordset(["meusite_payment_pending", "transaction_ids"])
        if len(invoices.exists()) != len(invoices):
            raise UserError(self.env._("One of the selected invoices does not exist anymore."))
        if partner is not None and invoices.filtered(
            lambda m: m.commercial_partner_id != partner.commercial_partner_id
        ):
            # Same message as a missing id: the customer learns nothing about others' invoices.
            raise UserError(self.env._("One of the selected invoices does not exist anymore."))
        for invoice in invoices:
            if invoice.meusite_payment_pending:
                raise UserError(
                    self.env._(
                        "Invoice %s already has a payment awaiting confirmation.", invoice.name
                    )
                )
            if strict:
                invoice._meusite_check_open_invoice()
        if len(invoices.company_id) > 1:
            raise UserError(self.env._("Invoices of different companies must be paid separately."))
        if len(invoices.currency_id) > 1:
            raise UserError(self.env._("Invoices in different currencies must be paid separately."))
        return invoices

    def _meusite_check_open_invoice(self):
        """Refuse, with a message the customer understands, any of these that is not an open
        customer invoice still owing something: the one check of what may be paid online
        (our payment pages through ``_meusite_check_payable``, and every transaction a
        customer creates, ``payment.transaction._meusite_customer_tx_vals``).

        :raise UserError: on the first one found"""
        for invoice in self:
            if invoice.move_type != "out_invoice" or invoice.state != "posted":
                if invoice.move_type == "out_invoice" and invoice.state == "cancel":
                    raise UserError(
                        self.env._("Invoice %s is cancelled and cannot be paid.", invoice.name)
                    )
                raise UserError(self.env._("Invoice %s cannot be paid online.", invoice.name))
            if invoice.payment_state not in OPEN_PAYMENT_STATES or invoice.currency_id.is_zero(
                invoice.amount_residual
            ):
                raise UserError(self.env._("Invoice %s is already paid.", invoice.name))

    # --- Access tokens: made when the invoice is issued, never on a page view ---

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda m: m.is_sale_document(include_receipts=True)
        )._meusite_make_access_tokens()
        return posted

    def _meusite_make_access_tokens(self):
        """Give the customer invoices without an access token one, in one statement.

        Odoo writes the token the first time a link to the invoice is built, which is
        often when the customer first lists their invoices: one UPDATE per row on a GET,
        and two customers opening pages at once then wait on each other. Issued invoices
        get theirs here instead, like uuid4 tokens Odoo makes.
        """
        ids = [move_id for move_id in self.ids if move_id]
        if ids:
            self.flush_recordset(["access_token"])
            run_sql(self.env, SQL(
                """UPDATE account_move SET access_token = gen_random_uuid()::text
                    WHERE id IN %s AND access_token IS NULL""",
                tuple(ids),
            ))
            self.invalidate_recordset(["access_token"])

    def write(self, vals):
        # An invoice link (its access token) is for the customer it was issued to: an invoice
        # given to another customer gets a new token, so the links the first one kept (an
        # e-mail, a PDF's QR code, a browser history) stop opening it.
        moved = self.browse()
        if vals.get("partner_id") and "access_token" not in vals:
            new = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
            moved = self.filtered(
                lambda m: m.access_token and m.commercial_partner_id != new)
        res = super().write(vals)
        if moved:
            moved.write({"access_token": False})
            moved.filtered(lambda m: m.state == "posted")._meusite_make_access_tokens()
        return res

    def _portal_ensure_token(self):
        # A logged-in customer reaches their own invoices through the record rules: their
        # links need no token, so an invoice that has none (issued before the tokens were
        # made at posting) gets none written while they browse. The portal controllers
        # call this on superuser records: the viewer is the request's user.
        if not self.access_token and request and request.httprequest.method in ("GET", "HEAD"):
            viewer = request.env.user
            if viewer.share and not viewer._is_public() and (
                self.partner_id.commercial_partner_id == viewer.partner_id.commercial_partner_id
            ):
                return ""
        return super()._portal_ensure_token()

    def _meusite_allowed_payment_amounts(self):
        """The amounts a customer may pay online for these invoices, the full one first:
        what they owe today (multa and juros included when late, ``_meusite_late_charge``),
        or for one invoice not late what Odoo's own page offers (the next installment, the
        early-payment discount). Anything else is replaced by the first."""
        late = self._meusite_late_charge()
        amounts = [self._meusite_amount_to_charge(late)]
        if len(self) == 1 and self.currency_id.is_zero(late["total"] - late["residual"]):
            values = self._get_invoice_next_payment_values()
            if values.get("installment_state") in ("next", "overdue"):
                amounts.append(values["next_amount_to_pay"])
            elif values.get("installment_state") == "epd":
                amounts.append(values["amount_due"])
        return amounts

    def _meusite_demo_register_payment(self):
        """Demo data only: pay the invoices in full through the standard wizard."""
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.ids
        ).create({}).action_create_payments()

    # --- The invoice's PDF: how to pay it (views/invoices/report_invoice_templates.xml) ---
    def _meusite_pdf_payment_values(self):
        """"Como pagar" on the invoice's PDF (views/invoices/report_invoice_templates.xml),
        or False for a document not to be paid:

        - ``lines``: what the payment providers print for the payments started on the
          invoice and not yet paid, e.g. the boleto's linha digitável (each provider fills
          ``payment.transaction._meusite_invoice_payment_lines``);
        - ``transfer``: the bank transfer details with the invoice number as reference and
          Odoo's PIX code (the invoice page's, ``_meusite_transfer_values``), for what the
          invoice owes today;
        - ``pix_qr``: that PIX code's QR image, inside the PDF (wkhtmltopdf need not reach
          the server to draw it).
        """
        self.ensure_one()
        if not self._meusite_open_invoices():
            return False
        transactions = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == "pending"
        ).sorted("id", reverse=True)
        lines = [line for tx in transactions for line in tx._meusite_invoice_payment_lines()]
        amount = self._meusite_amount_to_charge()
        transfer = self._meusite_transfer_values(amount)
        pix_qr = False
        if transfer and transfer["pix"]:
            png = self.env["ir.actions.report"].barcode(
                "QR", transfer["pix"]["payload"], width=PIX_QR_SIZE, height=PIX_QR_SIZE
            )
            pix_qr = image_data_uri(base64.b64encode(png))
        if not (lines or transfer):
            return False
        return {"lines": lines, "transfer": transfer, "pix_qr": pix_qr, "amount": amount}
