from odoo import SUPERUSER_ID, fields, models

from ...private_api import missing_followers_values


class AccountMove(models.Model):
    """The services' side of their invoices: the billed periods, the billing run's
    subscriptions and e-mails, and what a paid invoice does to its services."""

    # One file per feature, like meusite.service's (the same model named again).
    _name = "account.move"
    _inherit = ["account.move"]

    meusite_service_period_ids = fields.One2many(
        "meusite.service.period", "move_id", string="Billed Service Periods"
    )

    def _invoice_paid_hook(self):
        # Called by the reconciliation when invoices become paid / in payment.
        res = super()._invoice_paid_hook()
        self.env["meusite.service"]._meusite_invoices_paid(self)
        return res

    def _meusite_subscribe_customers(self):
        """Make each invoice's customer a follower of it, with the subtypes posting would
        give, in one batch: posting then finds them subscribed and skips its own
        per-invoice subscription (five queries per invoice)."""
        moves = self.filtered(lambda m: m.partner_id.active)
        if not moves:
            return
        new_vals = missing_followers_values(
            moves, lambda move: move.partner_id,
            customer_ids=moves.partner_id.filtered("partner_share").ids,
        )
        Followers = self.env["mail.followers"].sudo()
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
