from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class MeusiteService(models.Model):
    """Cancellation requested by the customer from the service page ("Solicitar
    cancelamento"): at once, or at the end of the period already billed.

    The request is the three ``cancel_*`` fields; the billing run skips a service whose
    cancellation takes effect by the due date it would bill, and the daily cancellation run
    cancels it on that date. Until then the customer can withdraw the request."""

    _name = "meusite.service"
    _inherit = ["meusite.service"]

    cancel_mode = fields.Selection(
        [("end_of_period", "At the end of the billed period"), ("now", "At once")],
        string="Cancellation Requested", readonly=True, copy=False, tracking=True,
    )
    cancel_request_date = fields.Date(
        string="Cancellation Requested On", readonly=True, copy=False
    )
    cancel_effective_date = fields.Date(
        string="Cancelled From", readonly=True, copy=False, tracking=True,
        help="The service stops (and is no longer billed) from this date.",
    )

    def _meusite_check_cancellable(self):
        for service in self:
            if service.state not in ("active", "suspended"):
                raise UserError(
                    self.env._("Only an active or suspended service can be cancelled.")
                )

    def _meusite_cancellation_dates(self, mode):
        """{service: the date its cancellation would take effect} if asked today with
        ``mode``; refuses (UserError) what cannot be requested. Nothing is written: the
        confirmation page shows it, the request then records it.

        End of period: the service runs until the day before its next due date (the end
        of the period already invoiced) and is not billed again."""
        if mode not in ("end_of_period", "now"):
            raise UserError(self.env._("Choose when the cancellation takes effect."))
        self._meusite_check_cancellable()
        today = fields.Date.context_today(self)
        dates = {}
        for service in self:
            if service.cancel_effective_date:
                raise UserError(
                    self.env._(
                        "A cancellation of %(service)s is already requested for %(date)s.",
                        service=service.name,
                        date=format_date(self.env, service.cancel_effective_date),
                    )
                )
            dates[service] = today if mode == "now" else max(service.next_due_date, today)
        return dates

    def _meusite_cancellation_preview(self, mode):
        """What "Solicitar cancelamento" with ``mode`` would do to this service, computed
        and nothing written (the confirmation page): when it stops, what is credited (never
        anything: what was billed stays due), the service's invoices still to pay, and
        that no invoice follows."""
        self.ensure_one()
        effective = self._meusite_cancellation_dates(mode)[self]
        invoices = self.sudo().invoice_ids._meusite_open_invoices()
        return {
            "mode": mode,
            "effective_date": effective,
            "credit": 0.0,
            "invoices_due": invoices.sorted(lambda m: (m.invoice_date_due or m.date, m.id)),
            "next_invoice": False,
        }

    def _meusite_request_cancellation(self, mode):
        """The customer asks to cancel these services (``mode``: ``end_of_period`` or
        ``now``, see ``_meusite_cancellation_dates``). Recorded on the service, staff get an
        activity, the customer an e-mail."""
        dates = self._meusite_cancellation_dates(mode)
        today = fields.Date.context_today(self)
        for service in self:
            effective = dates[service]
            service.write({
                "cancel_mode": mode,
                "cancel_request_date": today,
                "cancel_effective_date": effective,
            })
            service.message_post(
                body=self.env._(
                    "The customer asked to cancel this service from %s.",
                    format_date(self.env, effective),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._meusite_notify_cancellation_request()
        mailed = self.filtered(lambda s: s.partner_id.email)
        if mailed:
            self.env.ref("meusite_portal.mail_template_service_cancellation").send_mail_batch(
                mailed.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        self.filtered(lambda s: s.cancel_effective_date <= today)._meusite_apply_cancellation()
        return True

    def _meusite_notify_cancellation_request(self):
        """Tell staff a cancellation was asked for (hook; contract tested by
        tests/test_hooks.py).

        Called by ``_meusite_request_cancellation`` on the services whose request it has
        just recorded (``cancel_effective_date`` set), inside the customer's request, before
        the customer's e-mail. Here: an activity for the provisioning responsible. An
        override (meusite_helpdesk opens a Financeiro ticket) must call super(), so the
        activity stays, and must not raise for a service it has nothing to do with: the
        request is the customer's, already written. Returns nothing useful (True)."""
        for service in self:
            service.activity_schedule(
                "meusite_portal.mail_activity_type_service_cancellation",
                summary=self.env._("Cancellation requested"),
                note=self.env._(
                    "The customer asked to cancel this service from %s: stop it then.",
                    format_date(self.env, service.cancel_effective_date),
                ),
                user_id=self._meusite_provision_user().id,
            )

    def _meusite_withdraw_cancellation(self):
        """The customer changed their mind before the cancellation took effect (hook;
        contract tested by tests/test_hooks.py).

        Called by the "Desistir do cancelamento" POST (controllers/services/
        portal_service_self_service.py) on the customer's services. Raises a UserError
        (Portuguese through the catalogue) when a cancellation already took effect or there
        is none, before writing anything; otherwise clears the request, notes it on the
        service, removes the staff activity and returns True. An override (meusite_helpdesk
        closes the request's ticket) must call super() before its own step, so that
        super()'s refusal stops that step too, and return super()'s result."""
        today = fields.Date.context_today(self)
        for service in self:
            if (
                not service.cancel_effective_date
                or service.state == "cancelled"
                or service.cancel_effective_date <= today
            ):
                raise UserError(
                    self.env._("This cancellation has already taken effect: contact us.")
                )
        self.write({"cancel_mode": False, "cancel_request_date": False,
                    "cancel_effective_date": False})
        for service in self:
            service.message_post(
                body=self.env._("The customer withdrew the cancellation request."),
                subtype_xmlid="mail.mt_note",
            )
            service.activity_unlink(["meusite_portal.mail_activity_type_service_cancellation"])
        return True

    def _meusite_apply_cancellation(self):
        self.write({"state": "cancelled"})

    @api.model
    def _meusite_cancel_requested_services(self, date_ref=None):
        """Daily: cancel the services whose requested cancellation takes effect."""
        date_ref = date_ref or fields.Date.context_today(self)
        services = self.search([
            ("cancel_effective_date", "<=", date_ref),
            ("state", "in", ("active", "suspended")),
        ])
        services._meusite_apply_cancellation()
        return services
