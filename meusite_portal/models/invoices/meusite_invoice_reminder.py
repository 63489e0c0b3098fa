import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...const import REMINDER_PARAM
from ...private_api import grouped

_logger = logging.getLogger(__name__)

# The stages of the billing life-cycle, in the order a customer receives them. The days of
# each stage are settings (see REMINDER_DAYS); the suspension notice goes out when the
# suspension run suspends the invoice's services.
REMINDER_STAGES = [
    ("before_due", "Before the due date"),
    ("due", "On the due date"),
    ("overdue_1", "First overdue notice"),
    ("overdue_2", "Second overdue notice"),
    ("overdue_3", "Third overdue notice"),
    ("suspension", "Suspension notice"),
]
STAGE_ORDER = {stage: index for index, (stage, __) in enumerate(REMINDER_STAGES)}

# stage: sign of its days relative to the due date. A stage is on when its boolean system
# parameter is set; its days are a second parameter, "<stage>_days" (both seeded by
# data/ir_config_parameter_data.xml). The due-date stage has no days.
REMINDER_DAYS = {
    "before_due": -1,
    "due": 0,
    "overdue_1": 1,
    "overdue_2": 1,
    "overdue_3": 1,
}
REMINDER_TEMPLATES = {
    "before_due": "meusite_portal.mail_template_invoice_reminder_before_due",
    "due": "meusite_portal.mail_template_invoice_reminder_due",
    "overdue_1": "meusite_portal.mail_template_invoice_reminder_overdue",
    "overdue_2": "meusite_portal.mail_template_invoice_reminder_overdue",
    "overdue_3": "meusite_portal.mail_template_invoice_reminder_overdue",
    "suspension": "meusite_portal.mail_template_service_suspended",
}
# A run missed (server down, cron late) still sends the current stage: each stage is due
# from its day until the next stage's day; the last one for this many days.
LAST_STAGE_CATCH_UP_DAYS = 5


class MeusiteInvoiceReminder(models.Model):
    """One reminder or overdue notice sent for one invoice.

    The unique (invoice, stage) index makes "each stage at most once per invoice" a
    property of the database, whoever sends; staff read these rows on the invoice."""

    _name = "meusite.invoice.reminder"
    _description = "Invoice Reminder Sent"
    _order = "date desc, id desc"

    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="cascade"
    )
    stage = fields.Selection(REMINDER_STAGES, required=True)
    date = fields.Date(required=True)
    partner_id = fields.Many2one("res.partner", string="Sent To")
    mail_id = fields.Many2one("mail.mail", string="E-mail", ondelete="set null")
    mail_state = fields.Selection(related="mail_id.state", string="E-mail Status")
    company_id = fields.Many2one(related="move_id.company_id", store=True)

    _sql_constraints = [
        (
            "move_stage_unique",
            "UNIQUE(move_id, stage)",
            "This reminder has already been sent for this invoice.",
        ),
    ]

    @api.model
    def _meusite_reminder_schedule(self):
        """[(stage, days after the due date)] of the enabled stages, in stage order."""
        ICP = self.env["ir.config_parameter"]
        schedule = []
        for stage, sign in REMINDER_DAYS.items():
            if not ICP._meusite_get_param(REMINDER_PARAM % stage):
                continue
            days = 0
            if sign:
                param = REMINDER_PARAM % f"{stage}_days"
                try:
                    days = int(ICP._meusite_get_param(param))
                except ValueError:
                    raise UserError(
                        self.env._("The system parameter %s must be a number of days.", param)
                    ) from None
            schedule.append((stage, sign * days))
        return schedule

    @api.model
    def _meusite_check_reminder_schedule(self, schedule):
        offsets = [offset for __, offset in schedule]
        if offsets != sorted(set(offsets)):
            raise ValidationError(
                self.env._(
                    "Reminders must fall on different days, in order: before the due date,"
                    " on the due date, then the first, second and third overdue notices."
                )
            )

    @api.model
    def _meusite_send_invoice_reminders(self, date_ref=None, move_ids=None):
        """Daily run: send each open invoice the stage it has reached, once.

        An invoice gets the stage whose day it has reached and whose next stage's day it
        has not, unless that stage or a later one already went out; paid invoices and
        those with a payment awaiting confirmation get nothing. ``move_ids`` restricts the
        run (tests, benchmarks). Returns the reminder records created."""
        date_ref = date_ref or fields.Date.context_today(self)
        schedule = self._meusite_reminder_schedule()
        Reminder = self.sudo()
        if not schedule:
            return Reminder
        self._meusite_check_reminder_schedule(schedule)
        first, last = schedule[0][1], schedule[-1][1]
        # The open debits the suspension run also starts from: every invoice the product
        # issues (period, order, plan change, late charge) gets the same stages.
        domain = self.env["account.move"]._meusite_open_invoices_domain() + [
            ("invoice_date_due", ">", date_ref - timedelta(days=last + LAST_STAGE_CATCH_UP_DAYS)),
            ("invoice_date_due", "<=", date_ref - timedelta(days=first)),
        ]
        if move_ids is not None:
            domain.append(("id", "in", list(move_ids)))
        moves = self.env["account.move"].sudo().search(domain, order="id")
        if not moves:
            return Reminder
        # One query for all: invoices a transfer or boleto awaiting confirmation covers.
        moves = moves.filtered(
            lambda m: not m.meusite_payment_pending and not m.currency_id.is_zero(m.amount_residual)
        )
        sent = defaultdict(lambda: -1)
        # The suspension notice depends on the suspension run, not on these days: an
        # overdue notice may still follow it.
        for move, stage in grouped(
            Reminder, [("move_id", "in", moves.ids), ("stage", "!=", "suspension")],
            ["move_id", "stage"],
        ):
            sent[move.id] = max(sent[move.id], STAGE_ORDER[stage])
        to_send = defaultdict(list)
        for move in moves:
            stage = self._meusite_reminder_stage_at(
                schedule, (date_ref - move.invoice_date_due).days
            )
            if stage and STAGE_ORDER[stage] > sent[move.id]:
                to_send[stage].append(move.id)
        reminders = Reminder
        for stage, ids in to_send.items():
            reminders |= self._meusite_send_reminder_stage(moves.browse(ids), stage, date_ref)
        _logger.info("Invoice reminders: %s sent over %s open invoices", len(reminders), len(moves))
        return reminders

    @api.model
    def _meusite_reminder_stage_at(self, schedule, days):
        """The stage an invoice ``days`` past its due date (negative: before) is in."""
        for index, (stage, offset) in enumerate(schedule):
            end = (
                schedule[index + 1][1]
                if index + 1 < len(schedule)
                else offset + LAST_STAGE_CATCH_UP_DAYS
            )
            if offset <= days < end:
                return stage
        return False

    @api.model
    def _meusite_send_reminder_stage(self, moves, stage, date_ref=None):
        """E-mail ``stage`` for the invoices ``moves`` that did not get it yet and record
        it; one e-mail per invoice, queued (the mail queue cron sends them)."""
        date_ref = date_ref or fields.Date.context_today(self)
        Reminder = self.sudo()
        if stage == "suspension" and not self.env["ir.config_parameter"]._meusite_get_param(
            REMINDER_PARAM % stage
        ):
            return Reminder
        done = Reminder.search([("move_id", "in", moves.ids), ("stage", "=", stage)]).move_id
        moves -= done
        if not moves:
            return Reminder
        mails = self.env["mail.mail"]
        with_email = moves.filtered(lambda m: m.partner_id.email)
        if with_email:
            mails = self.env.ref(REMINDER_TEMPLATES[stage]).send_mail_batch(
                with_email.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        mail_by_move = {mail.res_id: mail for mail in mails}
        return Reminder.create([
            {
                "move_id": move.id,
                "stage": stage,
                "date": date_ref,
                "partner_id": move.partner_id.id,
                "mail_id": mail_by_move[move.id].id if move.id in mail_by_move else False,
            }
            for move in moves
        ])
