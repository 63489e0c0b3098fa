import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .. import sefin
from ..private_api import in_test, query_rows, run_sql

_logger = logging.getLogger(__name__)

# Outages are retried after 5, 10, 20, 40 ... minutes, at most 6 hours apart.
BACKOFF_MINUTES = 5
BACKOFF_MAX_MINUTES = 360
BATCH = 50


class MeusiteNfse(models.Model):
    """The NFS-e of one invoice: one record per invoice, from "to issue" to "issued".

    The DPS number and id are fixed when the record is made (under the company's lock), so a
    re-send after a lost answer carries the same id and the service can tell us it has it.
    """

    _name = "meusite.nfse"
    _description = "NFS-e"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "display_number"

    move_id = fields.Many2one(
        "account.move", "Invoice", required=True, ondelete="restrict", index=True, readonly=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", store=True, string="Customer"
    )
    amount = fields.Monetary(related="move_id.amount_total", string="Amount")
    currency_id = fields.Many2one(related="move_id.currency_id")
    state = fields.Selection(
        [
            ("to_issue", "To issue"),
            ("sent", "Sent"),
            ("issued", "Issued"),
            ("rejected", "Rejected"),
            ("error", "Error"),
            ("to_cancel", "To cancel"),
            ("cancelled", "Cancelled"),
        ],
        default="to_issue",
        required=True,
        tracking=True,
        index=True,
    )
    serie = fields.Char("Series", readonly=True)
    dps_number = fields.Integer("DPS number", readonly=True)
    dps_id = fields.Char("DPS id", readonly=True)
    key = fields.Char("Access key", size=50, readonly=True, copy=False)
    number = fields.Char("NFS-e number", readonly=True, copy=False)
    display_number = fields.Char(compute="_compute_display_number")
    message = fields.Text("Reason", readonly=True, help="The service's answer, in Portuguese.")
    attempts = fields.Integer(readonly=True)
    next_try = fields.Datetime("Next attempt", readonly=True, index=True)
    sent_at = fields.Datetime(
        "Last sent",
        readonly=True,
        help="Set before each send: a lost answer is resolved by asking the "
        "service about this DPS before any re-send.",
    )
    xml_attachment_id = fields.Many2one("ir.attachment", "XML", readonly=True)
    pdf_attachment_id = fields.Many2one("ir.attachment", "DANFSe", readonly=True)
    cancel_reason = fields.Selection(
        [("1", "Error in issuance"), ("2", "Service not provided"), ("9", "Other")], readonly=True
    )
    cancel_text = fields.Char("Cancellation justification", readonly=True)
    event_attachment_id = fields.Many2one("ir.attachment", "Cancellation event", readonly=True)

    _sql_constraints = [
        ("move_uniq", "unique(move_id)", "An invoice has one NFS-e."),
        ("dps_uniq", "unique(company_id, dps_id)", "A DPS id is used once."),
    ]

    @api.depends("number", "move_id.name")
    def _compute_display_number(self):
        for note in self:
            note.display_number = (
                self.env._("NFS-e nº %s", note.number)
                if note.number
                else self.env._("NFS-e of %s", note.move_id.name)
            )

    # ---- queue ---------------------------------------------------------------------------

    @api.model
    def _enqueue(self, moves):
        """One note per invoice, whatever calls this and how often (payment, webhook
        replayed, cron, two servers): the company row lock serialises the check-then-create,
        and UNIQUE(move_id) backs it."""
        created = self.browse()
        self.env.flush_all()
        for move in moves.filtered(lambda m: m._nfse_due()):
            company = move.company_id
            number = company._nfse_take_number()  # locks the company row first
            if query_rows(self.env, SQL("SELECT 1 FROM meusite_nfse WHERE move_id = %s", move.id)):
                # Lost the race (or already queued): give the number back.
                run_sql(self.env, SQL(
                    "UPDATE res_company SET nfse_next_number = %s WHERE id = %s",
                    number, company.id,
                ))
                company.invalidate_recordset(["nfse_next_number"])
                continue
            city = company._nfse_city_code() or "0"
            cnpj = sefin.only_digits(company.vat) or "0"
            created |= self.sudo().create(
                {
                    "move_id": move.id,
                    "serie": company.nfse_serie,
                    "dps_number": number,
                    "dps_id": sefin.dps_id(
                        city, cnpj, sefin.only_digits(company.nfse_serie) or 1, number
                    ),
                }
            )
        if created:
            self.env.ref("meusite_nfse.ir_cron_nfse_issue")._trigger()
        return created

    @api.model
    def _cron_issue(self):
        """The cron: queue what the companies' rule says is due, then issue what is pending.

        An Odoo cron rather than OCA queue_job: queue_job is not among this project's
        dependencies, a cron is core, `_trigger()` starts it right after a payment, and one
        run per server with `FOR UPDATE SKIP LOCKED` rows is what two servers need.
        """
        self._enqueue_due()
        self._process_pending()

    @api.model
    def _enqueue_due(self):
        for company in self.env["res.company"].search([("nfse_active", "=", True)]):
            domain = [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("nfse_ids", "=", False),
            ]
            if company.nfse_trigger == "paid":
                domain.append(("payment_state", "in", ("paid", "in_payment")))
            # Only invoices since the company started issuing: not the years before.
            domain.append(("invoice_date", ">=", company.nfse_start_date))
            self._enqueue(self.env["account.move"].search(domain, limit=500))

    @api.model
    def _process_pending(self, limit=BATCH):
        self.env.flush_all()  # the SQL below must see what the ORM wrote (retries, states)
        now = fields.Datetime.now()
        rows = query_rows(self.env, SQL(
            """
            SELECT id FROM meusite_nfse
             WHERE state IN ('to_issue', 'sent', 'error')
               AND (next_try IS NULL OR next_try <= %s)
             ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED""",
            now, limit,
        ))
        notes = self.browse([row[0] for row in rows])
        for note in notes:
            note._issue()
            note._commit_point()  # each note's outcome stands on its own
        return notes

    # ---- issuing -------------------------------------------------------------------------

    def _commit_point(self):
        """Commit in the cron (an answer once stored is never lost with a later note's
        failure; `sent_at` is durable before the POST), never inside a test transaction."""
        if not in_test(self.env):
            self.env.cr.commit()  # pylint: disable=invalid-commit

    def _issue(self):
        self.ensure_one()
        company = self.company_id
        problem = company._nfse_certificate_message(
            company.sudo().nfse_certificate_id, fields.Datetime.now()
        )
        if problem:
            # Stops issuing, no attempt counted: one clear message until it is fixed.
            self.write({"state": "error", "message": problem, "next_try": False})
            return
        client, cert_pem, key_pem = company._nfse_client()
        try:
            if self.sent_at:
                # A previous send may have reached the service: ask before re-sending.
                key = client.dps_key(self.dps_id)
                if key:
                    return self._store(client.note(key))
            values = self.move_id._nfse_dps_values(self)
            xml = sefin.build_dps(values)
            errors = sefin.xsd_errors(xml)
            if errors:
                return self._reject(
                    self.env._("The DPS does not match the official XSD:\n%s", "\n".join(errors))
                )
            signed = sefin.sign(xml, self.dps_id, cert_pem, key_pem)
            self.write({"sent_at": fields.Datetime.now(), "state": "sent"})
            self._commit_point()
            try:
                answer = client.issue(signed)
            except sefin.SefinError as error:
                if error.status == 409 or any(code == "E0014" for code, _t in error.errors):
                    key = client.dps_key(self.dps_id)  # a duplicate: the note exists, fetch it
                    if key:
                        return self._store(client.note(key))
                raise
            self._store(answer)
        except sefin.SefinError as error:
            if error.outage:
                self._outage(str(error))
            else:
                self._reject(self._format_errors(error))
        except UserError as error:
            self._reject(str(error))

    def _format_errors(self, error):
        # A method, not a static one: str(error) translates in this env's language.
        lines = ["%s %s" % (code, text) for code, text in error.errors] or [str(error)]
        return "\n".join([str(error) + ":"] + lines) if error.errors else lines[0]

    def _outage(self, text):
        minutes = min(BACKOFF_MINUTES * 2**self.attempts, BACKOFF_MAX_MINUTES)
        self.write(
            {
                "state": "error",
                "attempts": self.attempts + 1,
                "next_try": fields.Datetime.now() + timedelta(minutes=minutes),
                "message": self.env._(
                    "%(text)s New attempt at %(when)s.",
                    text=text,
                    when=fields.Datetime.to_string(
                        fields.Datetime.now() + timedelta(minutes=minutes)
                    ),
                ),
            }
        )

    def _reject(self, text):
        self.write({"state": "rejected", "message": text, "next_try": False})
        self.move_id.sudo().message_post(body=self.env._("NFS-e rejected: %s", text))

    def _store(self, answer):
        xml = sefin.unpack(answer["nfseXmlGZipB64"])
        number = sefin.note_number(xml)
        Attachment = self.env["ir.attachment"].sudo()
        common = {
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "company_id": self.company_id.id,
        }
        xml_att = Attachment.create(
            dict(common, name="NFS-e %s.xml" % number, raw=xml, mimetype="application/xml")
        )
        pdf_att = Attachment.create(
            dict(
                common,
                name="DANFSe %s.pdf" % number,
                raw=sefin.danfse_pdf(xml),
                mimetype="application/pdf",
            )
        )
        alerts = sefin.parse_errors({"erros": answer.get("alertas") or []})
        self.write(
            {
                "state": "issued",
                "key": answer["chaveAcesso"],
                "number": number,
                "xml_attachment_id": xml_att.id,
                "pdf_attachment_id": pdf_att.id,
                "next_try": False,
                "message": "\n".join("%s %s" % item for item in alerts) or False,
            }
        )
        self.move_id.sudo().nfse_id = self
        self.move_id.sudo().message_post(
            body=self.env._(
                "NFS-e nº %(number)s issued (key %(key)s).", number=number, key=self.key
            ),
            attachment_ids=[],
        )
        self._send_issued_mail()

    def _send_issued_mail(self):
        """The customer's "NFS-e emitida" e-mail, the DANFSe and the XML attached, queued
        with the note's own transaction (no e-mail for a note that is not stored)."""
        self.ensure_one()
        if not self.move_id.partner_id.email:
            return
        template = self.env.ref("meusite_nfse.mail_template_nfse_issued", raise_if_not_found=False)
        if not template:
            return
        attachments = self.pdf_attachment_id | self.xml_attachment_id
        template.sudo().send_mail(
            self.id,
            email_values={"attachment_ids": [(4, att.id) for att in attachments]},
            email_layout_xmlid="mail.mail_notification_light",
        )

    # ---- staff actions -------------------------------------------------------------------

    def action_retry(self):
        """Retry now: after the data was fixed (rejected) or without waiting the backoff."""
        for note in self.filtered(lambda n: n.state in ("rejected", "error", "to_issue", "sent")):
            note.write({"state": "to_issue", "next_try": False, "message": False})
        self.env.ref("meusite_nfse.ir_cron_nfse_issue")._trigger()
        return True

    def _cancel(self, reason, text):
        """The cancellation event (e101101) with staff's reason; the answer is stored."""
        self.ensure_one()
        if self.state not in ("issued", "to_cancel"):
            raise UserError(self.env._("Only an issued NFS-e can be cancelled."))
        company = self.company_id
        problem = company._nfse_certificate_message(
            company.sudo().nfse_certificate_id, fields.Datetime.now()
        )
        if problem:
            raise UserError(problem)
        client, cert_pem, key_pem = company._nfse_client()
        when = fields.Datetime.context_timestamp(self, fields.Datetime.now()).isoformat(
            timespec="seconds"
        )
        xml = sefin.build_cancel_event(
            self.key, company.nfse_environment, sefin.only_digits(company.vat), when, reason, text
        )
        signed = sefin.sign(xml, "PRE%s101101" % self.key, cert_pem, key_pem)
        try:
            answer = client.event(self.key, signed)
        except sefin.SefinError as error:
            raise UserError(self._format_errors(error)) from None
        event = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": "Cancelamento NFS-e %s.xml" % self.number,
                    "res_model": "account.move",
                    "res_id": self.move_id.id,
                    "raw": sefin.unpack(answer["eventoXmlGZipB64"]),
                    "mimetype": "application/xml",
                    "company_id": company.id,
                }
            )
        )
        self.write(
            {
                "state": "cancelled",
                "cancel_reason": reason,
                "cancel_text": text,
                "event_attachment_id": event.id,
                "message": False,
            }
        )
        self.move_id.sudo().message_post(body=self.env._("NFS-e nº %s cancelled.", self.number))
