import base64

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, Command, api, fields, models, tools
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import SQL
from odoo.tools.image import image_data_uri

from ...private_api import query_rows

# The PIX QR code's side in the invoice PDF, in pixels of its image (printed at about 4 cm).
PIX_QR_SIZE = 240
LATE_CHARGE_PARAM = "meusite_portal.late_charge"
LATE_FEE_PARAM = "meusite_portal.late_fee_percent"
LATE_INTEREST_PARAM = "meusite_portal.late_interest_percent"


def format_number(value):
    """2.0 -> "2", 0.5 -> "0,5": a percentage as a Brazilian customer reads it."""
    return f"{value:g}".replace(".", ",")

# Transactions in these states already promise money for an invoice: a second payment
# would charge the customer twice.
COVERING_TX_STATES = ("pending", "authorized")

# Bootstrap badge class per status code.
PORTAL_STATUS_BADGES = {
    "open": "text-bg-info",
    "overdue": "text-bg-danger",
    "paid": "text-bg-success",
    "cancelled": "text-bg-secondary",
    "pending": "text-bg-warning",
}


class AccountMove(models.Model):
    _inherit = "account.move"

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
        cache = self.env.cache
        field = self._fields["transaction_ids"]
        known = self.filtered(lambda move: move.id and cache.contains(move, field))
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
            values.update(
                amount_due=late["total"], next_amount_to_pay=late["total"], meusite_late=late
            )
        return values

    @api.model
    def _meusite_open_invoices_domain(self, partner):
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            # The commercial partner, as _meusite_check_payable compares it: one indexed
            # column (init) instead of the customer's contacts (issue #18).
            ("commercial_partner_id", "=", partner.commercial_partner_id.id),
        ]

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
        self.env.cache.update(open_invoices, self._fields["meusite_payment_pending"],
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
                    # An expected refusal, answered below: not an error in the server log
                    # (as Odoo's own NOWAIT lock of a running cron, ir.cron._try_lock).
                    self.env.cr.execute(
                        SQL(
                            "SELECT id FROM account_move WHERE id IN %s FOR UPDATE NOWAIT",
                            tuple(invoices.ids),
                        ),
                        log_exceptions=False,
                    )
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
            if not strict:
                continue
            if invoice.move_type != "out_invoice" or invoice.state == "draft":
                raise UserError(self.env._("Invoice %s cannot be paid online.", invoice.name))
            if invoice.state == "cancel":
                raise UserError(
                    self.env._("Invoice %s is cancelled and cannot be paid.", invoice.name)
                )
            if invoice.payment_state not in ("not_paid", "partial") or invoice.currency_id.is_zero(
                invoice.amount_residual
            ):
                raise UserError(self.env._("Invoice %s is already paid.", invoice.name))
        if len(invoices.company_id) > 1:
            raise UserError(self.env._("Invoices of different companies must be paid separately."))
        if len(invoices.currency_id) > 1:
            raise UserError(self.env._("Invoices in different currencies must be paid separately."))
        return invoices

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
            self.env.cr.execute(SQL(
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
        amounts = [late["total"]]
        if len(self) == 1 and self.currency_id.is_zero(late["total"] - late["residual"]):
            values = self._get_invoice_next_payment_values()
            if values.get("installment_state") in ("next", "overdue"):
                amounts.append(values["next_amount_to_pay"])
            elif values.get("installment_state") == "epd":
                amounts.append(values["amount_due"])
        return amounts

    # --- Bank transfer and PIX: the company's bank account, Odoo's PIX code ---

    def _meusite_bank_account(self):
        """The company account customers pay these invoices to (superuser record): the
        invoice's own "Recipient Bank" (``partner_bank_id``, the account Odoo makes its PIX
        QR code for), else, for invoices issued before the company had one, the account of
        the company's bank journal."""
        account = self.sudo().partner_bank_id[:1]
        return account or self.env["res.partner.bank"].sudo()._meusite_company_account(
            self.company_id[:1]
        )

    def _meusite_pix_references(self):
        """(free, structured) communications of this invoice's PIX code, the ones
        ``_generate_qr_code`` passes: l10n_br puts the payment reference (the invoice
        number) in the code's txid."""
        self.ensure_one()
        return self.ref or self.name, self.payment_reference

    def _meusite_transfer_values(self, amount):
        """The bank transfer / PIX card of the invoice page, for ``amount`` (what the
        invoice owes today), or False when the company has no bank account for it."""
        self.ensure_one()
        account = self._meusite_bank_account()
        if not account:
            return False
        return account._meusite_transfer_values(
            amount,
            self.currency_id,
            self.payment_reference or self.name,
            self,
            self.partner_id,
            pix_references=self._meusite_pix_references(),
        )

    def action_meusite_confirm_receipt(self):
        """Staff: the transfer covering these invoices arrived (button on the invoice)."""
        if not self.env.user.has_group("account.group_account_invoice"):
            raise AccessError(self.env._("Only accounting staff can confirm a payment."))
        txs = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state in COVERING_TX_STATES and tx.provider_code == "custom"
        )
        if not txs:
            raise UserError(
                self.env._("No bank transfer awaiting confirmation covers this invoice.")
            )
        return txs.action_meusite_confirm_receipt()

    def _meusite_demo_register_payment(self):
        """Demo data only: pay the invoices in full through the standard wizard."""
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=self.ids
        ).create({}).action_create_payments()

    # --- Services (recurring billing) ---
    meusite_service_period_ids = fields.One2many(
        "meusite.service.period", "move_id", string="Billed Service Periods"
    )
    meusite_reminder_ids = fields.One2many(
        "meusite.invoice.reminder", "move_id", string="Reminders Sent"
    )

    def _invoice_paid_hook(self):
        # Called by the reconciliation when invoices become paid / in payment.
        res = super()._invoice_paid_hook()
        self.env["meusite.service"]._meusite_reactivate_for_paid(self)
        return res

    def _meusite_subscribe_customers(self):
        """Make each invoice's customer a follower of it, with the subtypes posting would
        give, in one batch: posting then finds them subscribed and skips its own
        per-invoice subscription (five queries per invoice)."""
        Followers = self.env["mail.followers"].sudo()
        moves = self.filtered(lambda m: m.partner_id.active)
        if not moves:
            return
        customer_ids = moves.partner_id.filtered("partner_share").ids
        existing = {
            (res_id, partner_id)
            for __, res_id, partner_id, __ in Followers._get_subscription_data(
                [(self._name, moves.ids)], moves.partner_id.ids
            )
        }
        new_vals = []
        for move in moves:
            if (move.id, move.partner_id.id) in existing:
                continue
            new, __ = Followers._add_default_followers(
                self._name, [move.id], [move.partner_id.id],
                customer_ids=customer_ids, check_existing=False,
            )
            new_vals += [dict(vals, res_id=res_id) for res_id, lst in new.items() for vals in lst]
        Followers.with_context(default_partner_id=False).create(new_vals)
        self.invalidate_recordset(["message_follower_ids", "message_partner_ids"])

    def button_draft(self):
        # A document back to draft (or cancelled, which goes through here) is no longer to
        # be sent: Odoo's sending cron refuses a batch holding an unposted move, which would
        # hold every other queued invoice back.
        self.filtered("sending_data").sending_data = False
        return super().button_draft()

    def _meusite_send_service_invoice_mail(
        self, template_xmlid="meusite_portal.mail_template_service_invoice"
    ):
        """Send the new invoices as Odoo's "Send" does, in the background: its cron (*Send
        invoices automatically*, a batch per call, retriggered until none is left) renders
        each invoice's PDF, keeps it as the invoice's document, so that the portal shows
        the invoice as issued and its download is that PDF (not a PROFORMA), and e-mails
        it attached with ``template_xmlid`` (the services' by default). The billing run
        renders nothing: a PDF costs about 2 s (readme/CONTEXT.md)."""
        moves = self.filtered(lambda m: m.partner_id.email)
        for company, company_moves in moves.grouped("company_id").items():
            company_moves.sending_data = {
                # The company sends its invoices: neither OdooBot (the cron) nor the
                # customer who ordered is shown as the message's author.
                "author_user_id": SUPERUSER_ID,
                "author_partner_id": company.partner_id.id,
                "sending_methods": ["email"],
                "meusite_mail_template": template_xmlid,
            }
        if moves:
            self.env.ref("account.ir_cron_account_move_send").sudo()._trigger()
        return moves

    def _meusite_send_service_mail(self, template_xmlid):
        """Queue one e-mail per invoice (sent by the mail queue cron, not inline, so a
        billing run does not wait on SMTP)."""
        moves = self.filtered(lambda m: m.partner_id.email)
        if moves:
            template = self.env.ref(template_xmlid)
            template.send_mail_batch(moves.ids, email_layout_xmlid="mail.mail_notification_light")
        return moves

    # --- Late payment: multa and juros (see readme/CONTEXT.md) ---
    @api.model
    def _meusite_late_charge_rates(self):
        """(fee %, monthly interest %) when late charges are on, else None."""
        ICP = self.env["ir.config_parameter"]
        if not ICP._meusite_get_param(LATE_CHARGE_PARAM):
            return None
        rates = []
        for param in (LATE_FEE_PARAM, LATE_INTEREST_PARAM):
            try:
                rates.append(float(ICP._meusite_get_param(param)))
            except ValueError:
                raise UserError(
                    self.env._("The system parameter %s must be a percentage.", param)
                ) from None
        return tuple(rates)

    def _meusite_late_charge(self, date=None):
        """What these invoices cost if paid on ``date`` (default today), Brazilian style.

        Per overdue open customer invoice, on what is still owed: the multa (fee, once)
        and the juros (interest, the monthly rate pro rata die over 30-day months, for each
        day after the due date), each rounded to the centavo. The one place every payment
        route, page and provider takes the amount from.

        :return: dict with ``residual`` (still owed), ``fee``, ``interest``, ``total``
                 (residual + fee + interest), ``days`` (most days late), ``fee_percent``,
                 ``interest_percent`` (0.0 when late charges are off)
        """
        date = date or fields.Date.context_today(self)
        rates = self._meusite_late_charge_rates()
        fee_percent, interest_percent = rates or (0.0, 0.0)
        result = {"residual": 0.0, "fee": 0.0, "interest": 0.0, "days": 0,
                  "fee_percent": fee_percent, "interest_percent": interest_percent}
        for move in self.sudo():
            currency = move.currency_id
            residual = move.amount_residual
            result["residual"] += residual
            days = (date - move.invoice_date_due).days if move.invoice_date_due else 0
            if (
                not rates
                or days <= 0
                or move.move_type != "out_invoice"
                or move.state != "posted"
                or move.payment_state not in ("not_paid", "partial")
            ):
                continue
            result["fee"] += currency.round(residual * fee_percent / 100)
            result["interest"] += currency.round(residual * interest_percent / 100 * days / 30)
            result["days"] = max(result["days"], days)
        currency = self.currency_id[:1] or self.env.company.currency_id
        for key in ("residual", "fee", "interest"):
            result[key] = currency.round(result[key])
        result["total"] = currency.round(result["residual"] + result["fee"] + result["interest"])
        return result

    def _meusite_create_late_charge_invoice(self, paid_above, partner, date, computed_on):
        """Book the late charge in ``paid_above`` (what a payment brought on top of what
        these invoices still owe; the amount was fixed on ``computed_on``) as a posted
        customer invoice of ``date``, a line for the multa and one for the juros, so that the
        same payment settles it: revenue in the late-charge products' income accounts.

        Nothing when no late charge was due then: the excess is an overpayment, left as
        the customer's credit; what exceeds the late charge is left as credit too.
        :return: the late-charge invoice, or an empty recordset"""
        currency = self.currency_id[:1]
        expected = self._meusite_late_charge(computed_on)
        late = currency.round(expected["fee"] + expected["interest"])
        if currency.is_zero(late) or currency.compare_amounts(paid_above, 0) <= 0:
            return self.browse()
        lang = partner.lang or self.env.lang
        env = self.with_context(lang=lang).env
        names = ", ".join(self.mapped("name"))
        if currency.compare_amounts(paid_above, late) >= 0:
            parts = [
                ("meusite_portal.product_late_fee", expected["fee"], env._(
                    "Late payment fee (%(percent)s%%) - %(invoices)s",
                    percent=format_number(expected["fee_percent"]), invoices=names)),
                ("meusite_portal.product_late_interest", expected["interest"], env._(
                    "Late payment interest (%(percent)s%% a month, %(days)s days) - %(invoices)s",
                    percent=format_number(expected["interest_percent"]),
                    days=expected["days"], invoices=names)),
            ]
        else:
            # The rates went up since the amount was fixed: what was paid, on one line.
            parts = [("meusite_portal.product_late_fee", paid_above,
                      env._("Late payment charges - %s", names))]
        lines = [
            Command.create({
                "product_id": self.env.ref(xmlid).id,
                "name": label,
                "quantity": 1,
                "price_unit": amount,
                "tax_ids": [Command.clear()],
            })
            for xmlid, amount, label in parts if not currency.is_zero(amount)
        ]
        move = self.create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "company_id": self.company_id[:1].id,
            "currency_id": currency.id,
            "invoice_date": date,
            "invoice_date_due": date,
            "invoice_payment_term_id": False,
            "invoice_origin": names[:200],
            "invoice_user_id": False,
            "invoice_line_ids": lines,
            # Left unpaid, it suspends the late invoices' services like they would.
            "meusite_service_ids": [Command.set(self.sudo().meusite_service_ids.ids)],
        })
        move.action_post()
        return move

    # --- Customer credit (credit notes, overpayments) ---
    @api.model
    def _meusite_credit_lines(self, partners, companies=None):
        """Receivable lines still giving the customers money back (a credit note, a payment
        larger than what it paid), oldest first: their available credit."""
        return self.env["account.move.line"].sudo().search(
            self._meusite_credit_domain(partners, companies), order="date, id"
        )

    @api.model
    def _meusite_credit_domain(self, partners, companies=None):
        domain = [
            ("partner_id", "in", partners.commercial_partner_id.ids),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("reconciled", "=", False),
            ("amount_residual", "<", 0),
        ]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        return domain

    @api.model
    def _meusite_available_credit(self, partner):
        """"Crédito disponível": what the customer's next invoices will be paid with (one
        aggregate query: the panel shows it on every view)."""
        [(residual,)] = self.env["account.move.line"].sudo()._read_group(
            self._meusite_credit_domain(partner), aggregates=["amount_residual:sum"]
        )
        return -(residual or 0.0)

    def _meusite_apply_available_credit(self):
        """Pay these new customer invoices with their customers' available credit, oldest
        credit first. One search for all customers: a billing run without credits pays one
        query for it, not one per invoice."""
        invoices = self.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "posted"
            and m.payment_state in ("not_paid", "partial")
        ).sudo()
        if not invoices:
            return
        credit_lines = self._meusite_credit_lines(invoices.partner_id, invoices.company_id)
        if not credit_lines:
            return
        for invoice in invoices.sorted(lambda m: (m.invoice_date_due or m.date, m.id)):
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
            credits = credit_lines.filtered(
                lambda line, inv=invoice, rec=receivable: not line.reconciled
                and line.partner_id == inv.commercial_partner_id
                and line.account_id in rec.account_id
                and line.company_id == inv.company_id
                and line.currency_id == inv.currency_id
            )
            if receivable and credits:
                (credits + receivable).reconcile()

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
        if (
            self.move_type != "out_invoice"
            or self.state != "posted"
            or self.payment_state not in ("not_paid", "partial")
        ):
            return False
        transactions = self.sudo().transaction_ids.filtered(
            lambda tx: tx.state == "pending"
        ).sorted("id", reverse=True)
        lines = [line for tx in transactions for line in tx._meusite_invoice_payment_lines()]
        amount = self._meusite_allowed_payment_amounts()[0]
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
