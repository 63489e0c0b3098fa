from odoo import fields, models
from odoo.tools import format_date, plaintext2html


class MeusiteService(models.Model):
    _inherit = "meusite.service"

    # The ticket a cancellation request opened in Financeiro: withdrawing the request closes
    # that one, not the customer's other tickets about the service (readme/CONTEXT.md).
    cancel_ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Cancellation Ticket", readonly=True, copy=False,
        ondelete="set null",
    )

    def _meusite_notify_cancellation_request(self):
        # With departments, a customer's cancellation request lands in Financeiro's queue as
        # a ticket about the service (the customer follows it like any other); the staff
        # activity stays for the provisioning responsible.
        result = super()._meusite_notify_cancellation_request()
        team = self.env.ref("meusite_helpdesk.team_financeiro", raise_if_not_found=False)
        if not team:
            return result
        Ticket = self.env["helpdesk.ticket"].sudo()
        for service in self.sudo():
            effective = format_date(
                self.env, service.cancel_effective_date, lang_code=service.partner_id.lang
            )
            lang = service.with_context(lang=service.partner_id.lang or self.env.lang)
            service.cancel_ticket_id = Ticket.create({
                "name": lang.env._("Cancellation request: %s", service.name)[:200],
                "description": plaintext2html(lang.env._(
                    "The customer asked to cancel %(service)s from %(date)s.",
                    service=service.name, date=effective,
                )),
                "team_id": team.id,
                "company_id": (team.company_id or service.partner_id.company_id
                               or self.env.company).id,
                "partner_id": service.partner_id.id,
                "partner_name": service.partner_id.name,
                "partner_email": service.partner_id.email,
                "meusite_service_id": service.id,
                "priority": "1",
            })
        return result

    def _meusite_withdraw_cancellation(self):
        # The request's ticket is closed as cancelled, with a note saying why, so that
        # Financeiro does not stop a service the customer keeps.
        tickets = {service: service.sudo().cancel_ticket_id for service in self}
        result = super()._meusite_withdraw_cancellation()
        stage = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_cancelled",
                             raise_if_not_found=False)
        for service, ticket in tickets.items():
            if not ticket:
                continue
            lang = ticket.with_context(lang=service.partner_id.lang or self.env.lang)
            ticket.message_post(
                body=lang.env._("The customer withdrew the cancellation request: keep the "
                                "service running."),
                subtype_xmlid="mail.mt_note",
            )
            if stage and not ticket.closed:
                ticket.stage_id = stage
        self.sudo().cancel_ticket_id = False
        return result
