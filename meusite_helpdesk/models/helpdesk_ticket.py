import io
import mimetypes
import secrets
import zipfile

from PIL import Image

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL, plaintext2html
from odoo.tools.image import IMAGE_MAX_RESOLUTION
from odoo.tools.mimetypes import get_extension, guess_mimetype

from ..private_api import query_rows

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif")
# Other names python-magic (when installed, Odoo's guess_mimetype uses it) gives to the
# content a stdlib mimetype stands for.
MIMETYPE_ALIASES = {
    "application/msword": {"application/CDFV2", "application/x-ole-storage"},
}
# Odoo's detection does not name programs (without python-magic it calls them
# application/octet-stream): their leading bytes, for the extensions it cannot check.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
# The form's choices: key → helpdesk priority (labels: _meusite_portal_priority_labels).
PORTAL_PRIORITIES = {"low": "0", "medium": "1", "high": "2"}
CODE_DIGITS = 6
CODE_ATTEMPTS = 20


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def init(self):
        res = super().init()
        # The customer's open tickets on the client-area panel (res.partner
        # _meusite_ticket_panel): without it every panel view scans all tickets (issue #18).
        tools.create_index(
            self.env.cr,
            "helpdesk_ticket__meusite_panel_index",
            self._table,
            ["commercial_partner_id", "stage_id"],
        )
        return res

    meusite_last_activity_date = fields.Datetime(
        string="Last update",
        default=fields.Datetime.now,
        readonly=True,
        copy=False,
        help="Last reply or stage change the customer can see (\"Última Atualização\").",
    )

    meusite_service_id = fields.Many2one(
        "meusite.service",
        string="Related service",
        index="btree_not_null",
        help="The customer's service the ticket is about (\"Serviço Relacionado\").",
    )

    meusite_code = fields.Char(
        string="Code",
        readonly=True,
        copy=False,
        index=True,
        help="Random code the customer quotes (e.g. #482913): unlike the ticket number it "
        "does not reveal how many tickets exist.",
    )

    _sql_constraints = [
        ("meusite_code_unique", "unique(meusite_code)", "Another ticket already has this code."),
    ]
    _rec_names_search = ["number", "meusite_code", "name"]

    @api.model
    def _meusite_new_code(self, taken=()):
        Ticket = self.sudo().with_context(active_test=False)
        digits = CODE_DIGITS
        for attempt in range(CODE_ATTEMPTS):
            if attempt and attempt % 5 == 0:
                digits += 1  # a crowded space: widen it rather than loop forever
            low = 10 ** (digits - 1)
            code = f"#{low + secrets.randbelow(9 * low)}"
            if code not in taken and not Ticket.search_count(
                [("meusite_code", "=", code)], limit=1
            ):
                return code
        raise UserError(self.env._("Could not generate a ticket code; please try again."))

    def _meusite_assign_codes(self):
        """Give a code to tickets that have none (those created before installation)."""
        taken = set()
        for ticket in self.filtered(lambda t: not t.meusite_code):
            ticket.meusite_code = self._meusite_new_code(taken)
            taken.add(ticket.meusite_code)

    # ------------------------------------------------------------------
    # Creation from every channel: assignment rule, followers, department notice
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        Team = self.env["helpdesk.ticket.team"].sudo()
        taken = set()
        for vals in vals_list:
            if not vals.get("meusite_code"):
                vals["meusite_code"] = self._meusite_new_code(taken)
                taken.add(vals["meusite_code"])
            if vals.get("team_id") and not vals.get("user_id"):
                user = Team.browse(vals["team_id"])._meusite_next_assignee()
                if user:
                    vals["user_id"] = user.id
        tickets = super().create(vals_list)
        for ticket in tickets:
            ticket._meusite_notify_department()
        return tickets

    def _meusite_notify_department(self):
        """Customer follows the ticket (staff replies reach them by e-mail and in the
        portal); the department's members and leader follow it and get a notice."""
        self.ensure_one()
        ticket = self.sudo()
        if ticket.partner_id:
            ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        team = ticket.team_id
        staff = (team.user_ids | team.user_id).filtered("active").partner_id
        if not staff:
            return
        ticket.message_subscribe(partner_ids=staff.ids)
        ticket.message_post(
            body=self.env._(
                "New ticket %(code)s for the department %(team)s.",
                code=ticket.meusite_code, team=team.name,
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=staff.ids,
        )

    @api.model
    def message_new(self, msg, custom_values=None):
        # Nobody rather than the mail gateway's bot when the department has no rule.
        custom_values = dict(custom_values or {})
        custom_values.setdefault("user_id", False)
        ticket = super().message_new(msg, custom_values=custom_values)
        ticket._meusite_send_received_mail()
        return ticket

    def _meusite_send_received_mail(self):
        template = self.env.ref(
            "meusite_helpdesk.mail_template_ticket_received", raise_if_not_found=False
        )
        for ticket in self.sudo():
            if template and (ticket.partner_id.email or ticket.partner_email):
                template.send_mail(ticket.id, email_layout_xmlid="mail.mail_notification_light")

    # ------------------------------------------------------------------
    # Attachments sent by customers
    # ------------------------------------------------------------------

    @api.model
    def _meusite_attachment_limits(self):
        company = self.env.company
        extensions = {
            ext.strip().lower() if ext.strip().startswith(".") else f".{ext.strip().lower()}"
            for ext in (company.meusite_ticket_extensions or "").split(",")
            if ext.strip()
        }
        return (
            extensions,
            int(company.meusite_ticket_max_file_mb * 1024 * 1024),
            int(company.meusite_ticket_max_total_mb * 1024 * 1024),
        )

    @api.model
    def _meusite_portal_priority_labels(self):
        """The form's priority choices (PORTAL_PRIORITIES' keys), in the customer's language."""
        return {
            "low": self.env._("Low"),
            "medium": self.env._("Medium"),
            "high": self.env._("High"),
        }

    @api.model
    def _meusite_allowed_extensions_label(self):
        extensions = self.env.company.meusite_ticket_extensions or ""
        return ", ".join(
            ext.strip() if ext.strip().startswith(".") else f".{ext.strip()}"
            for ext in extensions.split(",") if ext.strip()
        )

    @api.model
    def _meusite_check_attachments(self, files):
        """Refuse, naming the file, what a customer may not attach.

        :param files: list of ``(filename, content_bytes)``
        :raise UserError: on the first refused file, before anything is stored
        """
        extensions, max_file, max_total = self._meusite_attachment_limits()
        file_mb, total_mb = f"{max_file / 1048576:g}", f"{max_total / 1048576:g}"
        total = 0
        for name, content in files:
            ext = get_extension(name or "")
            if ext not in extensions:
                raise UserError(self.env._(
                    "The file %(name)s was refused: only these extensions are allowed: "
                    "%(extensions)s.",
                    name=name, extensions=self._meusite_allowed_extensions_label(),
                ))
            if len(content) > max_file:
                raise UserError(self.env._(
                    "The file %(name)s was refused: it is larger than %(limit)s MB.",
                    name=name, limit=file_mb,
                ))
            total += len(content)
            if total > max_total:
                raise UserError(self.env._(
                    "The file %(name)s was refused: the attachments together exceed "
                    "%(limit)s MB.",
                    name=name, limit=total_mb,
                ))
            if ext in IMAGE_EXTENSIONS and not self._meusite_pixels_allowed(content):
                raise UserError(self.env._(
                    "The file %(name)s was refused: the image is too large (more than "
                    "%(limit)s megapixels).",
                    name=name, limit=f"{IMAGE_MAX_RESOLUTION / 1e6:g}",
                ))
            if not self._meusite_content_matches(ext, content):
                raise UserError(self.env._(
                    "The file %(name)s was refused: its content is not a %(ext)s file.",
                    name=name, ext=ext,
                ))
        return True

    @api.model
    def _meusite_pixels_allowed(self, content):
        """Whether an image's declared size stays under Odoo's own resolution limit.

        Only the header is read (Pillow decodes lazily): a small PNG that declares
        100,000 x 100,000 pixels is refused before anything is decompressed.
        """
        try:
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
        except Image.DecompressionBombError:
            return False
        except Exception:  # noqa: BLE001 - not an image: the content check says so
            return True
        return width * height <= IMAGE_MAX_RESOLUTION

    @api.model
    def _meusite_check_message_files(self, count):
        limit = self.env.company.meusite_ticket_max_files_message
        if limit and count > limit:
            raise UserError(self.env._(
                "Too many files: send at most %(limit)s files at a time.", limit=limit,
            ))

    @api.model
    def _meusite_check_ticket_quota(self, ticket_id, count):
        """Refuse ``count`` more customer files on the ticket beyond the per-ticket limit."""
        limit = self.env.company.meusite_ticket_max_files_ticket
        if not (limit and ticket_id and count):
            return
        [(stored,)] = query_rows(self.env, SQL(
            "SELECT COUNT(*) FROM ir_attachment WHERE res_model = %s AND res_id = %s",
            self._name, ticket_id,
        ), flush={"ir.attachment": ["res_model", "res_id"]})
        if stored + count > limit:
            raise UserError(self.env._(
                "This ticket already has the most files it can hold (%(limit)s). Describe "
                "the rest in a message, or open a new ticket.", limit=limit,
            ))

    @api.model
    def _meusite_check_daily_quota(self, new_bytes):
        """Refuse what would take this customer's uploads of the day over the daily limit."""
        limit = int(self.env.company.meusite_ticket_max_daily_mb * 1024 * 1024)
        if not limit:
            return
        used = self.env["ir.attachment"]._meusite_customer_bytes_today()
        if used + new_bytes > limit:
            raise UserError(self.env._(
                "You have sent the most files allowed for today (%(limit)s MB). Try again "
                "tomorrow, or describe the problem in a message.",
                limit=f"{limit / 1048576:g}",
            ))

    @api.model
    def _meusite_content_matches(self, ext, content):
        """Whether the content is what the extension says, as Odoo's own detection
        (``odoo.tools.mimetypes.guess_mimetype``) reads it; plus what that detection does not
        look at: images that decode, Word archives without programs inside."""
        if not content or content.startswith(EXECUTABLE_SIGNATURES):
            return False
        expected = mimetypes.guess_type(f"file{ext}")[0]
        if expected is None:
            return True  # an extension allowed by configuration that no one names
        found = guess_mimetype(content, default="application/octet-stream")
        if found != expected and found not in MIMETYPE_ALIASES.get(expected, ()) and not (
            # Plain text is what the detection says of any text format (csv, txt, ...).
            expected.startswith("text/") and found == "text/plain"
        ):
            return False
        if ext in IMAGE_EXTENSIONS:
            # A header followed by garbage would later break Odoo's image resizing.
            try:
                with Image.open(io.BytesIO(content)) as image:
                    image.verify()
            except Image.DecompressionBombError:
                raise  # a few KB that decode to gigabytes: said as such by the caller
            except Exception:  # noqa: BLE001 - Pillow raises many kinds on bad input
                return False
            return True
        if zipfile.is_zipfile(io.BytesIO(content)):
            # An Office archive (.docx) the detection named may still carry a program.
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return not any(
                    n.lower().endswith((".exe", ".dll", ".bat", ".cmd", ".js", ".vbs"))
                    for n in archive.namelist()
                )
        return True

    def message_post(self, **kwargs):
        # Whatever route a customer uses to post (our reply form or the mail chatter's
        # upload), files on a ticket pass the same checks.
        if self.env.user.share:
            files = [(a[0], a[1]) for a in kwargs.get("attachments") or []]
            if kwargs.get("attachment_ids"):
                attachments = self.env["ir.attachment"].sudo().browse(kwargs["attachment_ids"])
                files += [(a.name, a.raw or b"") for a in attachments]
            if files:
                self._meusite_check_message_files(len(files))
                self._meusite_check_attachments(
                    [(n, c.encode() if isinstance(c, str) else c) for n, c in files]
                )
        # The company's one e-mail layout for what the ticket's followers (the customer)
        # receive: logo, signed by the company, its contact, no "Powered by Odoo".
        kwargs.setdefault("email_layout_xmlid", "mail.mail_notification_light")
        message = super().message_post(**kwargs)
        if message.message_type in ("comment", "email") and not message.is_internal \
                and not message.subtype_id.internal:
            # sudo: a customer's reply moves "Última Atualização" without write rights.
            self.sudo().meusite_last_activity_date = fields.Datetime.now()
        return message

    def write(self, vals):
        if "stage_id" in vals and "meusite_last_activity_date" not in vals:
            vals = dict(vals, meusite_last_activity_date=fields.Datetime.now())
        return super().write(vals)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # A ticket is a private conversation: a forwarded access token or signed link
        # (token, hash, pid) does not open it to someone the record rules keep out.
        return super()._get_thread_with_access(thread_id, mode)

    # ------------------------------------------------------------------
    # Client area ("Abrir Ticket", "Suporte")
    # ------------------------------------------------------------------

    @api.model
    def _meusite_portal_create(self, form, files, captcha_token, captcha_answer, vals=None):
        """Create the ticket a customer sends from the client area, or raise UserError.

        Everything is checked first (captcha, fields, files): a refused form creates
        nothing. ``form`` holds the posted fields (subject, team_id, priority, message);
        ``files`` is a list of ``(filename, content_bytes)``; ``vals`` what helpdesk_mgmt's
        ``_prepare_submit_ticket_vals`` hook (and any module extending it) prepared: kept,
        except where our checked values (who, which department, which service) decide.
        """
        self.env["meusite.captcha"]._check(captcha_token, captcha_answer, "ticket")
        partner = self.env.user.partner_id
        subject = (form.get("subject") or "").strip()
        message = (form.get("message") or "").strip()
        if not subject or not message:
            raise UserError(self.env._("Fill in the subject and the message."))
        try:
            team_id = int(form.get("team_id") or 0)
        except ValueError:
            team_id = 0
        # The customer's own environment: a department hidden from the portal is not found.
        team = self.env["helpdesk.ticket.team"]._meusite_portal_departments().filtered(
            lambda t: t.id == team_id
        )
        if not team:
            raise UserError(self.env._("Choose one of the departments listed."))
        priority = PORTAL_PRIORITIES.get(form.get("priority"), PORTAL_PRIORITIES["medium"])
        service = self._meusite_portal_service(form.get("service_id"))
        self._meusite_check_message_files(len(files))
        self._meusite_check_attachments(files)
        self._meusite_check_daily_quota(sum(len(content) for __, content in files))
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", False)
        vals = dict(vals or {})
        if vals.get("team_id") != team.id:
            vals.pop("stage_id", None)  # the hook's first stage belongs to another team
        # sudo: customers have no create right on tickets; every value below was
        # checked above or comes from the logged-in user.
        ticket = self.sudo().create({
            "channel_id": channel.id if channel else False,
            **vals,
            "name": subject[:200],
            "description": plaintext2html(message),
            "team_id": team.id,
            "company_id": (team.company_id or self.env.company).id,
            "priority": priority,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "meusite_service_id": service.id,
            # Explicit: helpdesk_mgmt's default would assign the customer creating it.
            "user_id": False,
        })
        if files:
            self.env["ir.attachment"].sudo().create([
                {"name": name, "raw": content, "res_model": self._name, "res_id": ticket.id}
                for name, content in files
            ])
        ticket._meusite_send_received_mail()
        return ticket.sudo(False)

    def _meusite_portal_service(self, service_id):
        """The customer's own, not cancelled, service with this id; none for "Nenhum"."""
        Service = self.env["meusite.service"]
        try:
            service_id = int(service_id or 0)
        except ValueError:
            service_id = -1
        if not service_id:
            return Service
        # Searched in the customer's environment: the record rule hides other customers'.
        service = Service.search([("id", "=", service_id), ("state", "!=", "cancelled")])
        if not service:
            raise UserError(self.env._("Choose one of your services, or \"Nenhum\"."))
        return service

    def _meusite_portal_reply(self, body, files):
        """Post the customer's reply (with files) on a ticket they can read."""
        self.ensure_one()
        self.check_access("read")
        body = (body or "").strip()
        if not body and not files:
            raise UserError(self.env._("Write a message or attach a file."))
        # Checked before posting so a refused file posts nothing at all.
        self._meusite_check_message_files(len(files))
        self._meusite_check_attachments(files)
        self._meusite_check_ticket_quota(self.id, len(files))
        self._meusite_check_daily_quota(sum(len(content) for __, content in files))
        return self.sudo().message_post(
            body=plaintext2html(body),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            author_id=self.env.user.partner_id.id,
            attachments=list(files),
        )

    def _meusite_portal_close(self, stage_id=None):
        """Close a ticket the customer can read, in a stage customers may close to."""
        self.ensure_one()
        self.check_access("read")
        ticket = self.sudo()
        stages = ticket.team_id._get_applicable_stages().filtered("close_from_portal")
        stage = stages.filtered(lambda s: s.id == stage_id) if stage_id else stages[:1]
        if not stage or ticket.closed:
            return False
        ticket.stage_id = stage[:1]
        return True
