import base64

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..private_api import query_rows

# Where a customer's files land and are counted per ticket.
TICKET_MODEL = "helpdesk.ticket"


class IrAttachment(models.Model):
    """The ticket file rules, wherever a customer's file comes from.

    Customers reach attachments through our ticket form and reply, but also through Odoo's
    generic mail routes (``/mail/attachment/upload``, ``/mail/message/post``) and the binary
    routes (``/web/content``, ``/web/image``). The checks live here, on the model every one
    of those routes writes to and reads from, so a second route cannot skip them:

    * a file a customer (portal or public user, even under sudo) stores is checked against
      the extension/content/size/pixel rules, and the per-ticket and per-day limits;
    * a ticket's staff-only files (internal notes, files staff attached outside a message to
      the customer) are never served to a customer, by id or by token.
    """

    _inherit = "ir.attachment"

    # ------------------------------------------------------------------
    # Storing: the rules for what customers upload
    # ------------------------------------------------------------------

    def _meusite_by_customer(self):
        # env.user, not env.su: the routes store uploads in sudo, on the customer's behalf.
        return not self.env.user._is_internal()

    @api.model_create_multi
    def create(self, vals_list):
        if self._meusite_by_customer():
            self._meusite_check_customer_files(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        if self._meusite_by_customer() and vals.get("res_model") == TICKET_MODEL:
            # message_post moving the customer's pending uploads onto a ticket.
            moving = self.sudo().filtered(
                lambda a: (a.res_model, a.res_id) != (TICKET_MODEL, vals.get("res_id"))
            )
            self.env[TICKET_MODEL]._meusite_check_ticket_quota(vals.get("res_id"), len(moving))
        if self._meusite_by_customer() and {"raw", "datas"} & set(vals):
            self._meusite_check_customer_files(
                [dict(vals, name=vals.get("name") or att.name, res_model=att.res_model,
                      res_id=att.res_id) for att in self.sudo()]
            )
        return super().write(vals)

    @api.model
    def _meusite_check_customer_files(self, vals_list):
        Ticket = self.env[TICKET_MODEL]
        files, per_ticket = [], {}
        for vals in vals_list:
            if vals.get("res_field") or vals.get("type", "binary") != "binary":
                continue  # image fields (avatars) and URLs are not files a customer sends
            raw = vals.get("raw")
            if raw is None and vals.get("datas"):
                raw = base64.b64decode(vals["datas"])
            raw = raw.encode() if isinstance(raw, str) else (raw or b"")
            files.append((vals.get("name") or "", raw))
            if vals.get("res_model") == TICKET_MODEL and vals.get("res_id"):
                per_ticket[vals["res_id"]] = per_ticket.get(vals["res_id"], 0) + 1
        if not files:
            return
        # Each file on its own: the total-per-message limit is message_post's.
        for name, raw in files:
            Ticket._meusite_check_attachments([(name, raw)])
        Ticket._meusite_check_daily_quota(sum(len(raw) for __, raw in files))
        for ticket_id, count in per_ticket.items():
            Ticket._meusite_check_ticket_quota(ticket_id, count)

    @api.model
    def _meusite_customer_bytes_today(self):
        """Bytes this user stored today, on whatever record (a ticket, a composer upload,
        an invoice's chatter): the limit is per customer, not per road."""
        [(used,)] = query_rows(self.env, SQL(
            """SELECT COALESCE(SUM(file_size), 0) FROM ir_attachment
                WHERE create_uid = %s AND create_date >= %s AND res_field IS NULL""",
            self.env.uid,
            fields.Datetime.to_string(fields.Datetime.now().replace(hour=0, minute=0, second=0)),
        ), flush={self._name: ["create_uid", "create_date", "res_field", "file_size"]})
        return used

    # ------------------------------------------------------------------
    # Serving: staff-only files of a ticket stay with the staff
    # ------------------------------------------------------------------

    def _meusite_staff_only(self):
        """The attachments of ``self`` that a customer never gets.

        A ticket's file is the customer's when a customer stored it, or when it travels on a
        message the customer is shown (a reply, an incoming e-mail). Any other file on a
        ticket - on an internal note, or attached by staff to the record - is staff-only.
        """
        ids = [i for i in self.ids if i]
        if not ids:
            return self.browse()
        rows = query_rows(self.env, SQL(
            """SELECT a.id FROM ir_attachment a
                 LEFT JOIN res_users u ON u.id = a.create_uid
                WHERE a.id IN %s AND a.res_model = %s AND NOT COALESCE(u.share, FALSE)
                  AND NOT EXISTS (
                      SELECT 1 FROM message_attachment_rel rel
                        JOIN mail_message m ON m.id = rel.message_id
                        LEFT JOIN mail_message_subtype st ON st.id = m.subtype_id
                       WHERE rel.attachment_id = a.id
                         AND NOT COALESCE(m.is_internal, FALSE)
                         AND NOT COALESCE(st.internal, FALSE))""",
            tuple(ids), TICKET_MODEL,
        ), flush={self._name: ["res_model", "create_uid"],
                  "mail.message": ["is_internal", "subtype_id", "attachment_ids"]})
        return self.browse(row[0] for row in rows)

    def validate_access(self, access_token):
        # What every binary route (/web/content, /web/image) asks before serving an attachment
        # by id or by token: a token that leaked, or one generated for a page, does not open a
        # staff-only file. (Without a token a customer is refused by ``check`` already.)
        record = super().validate_access(access_token)
        if not self.env.user._is_internal() and self._meusite_staff_only():
            raise AccessError(self.env._("Sorry, you are not allowed to access this document."))
        return record

    def _meusite_check_link(self, partner=None):
        """Refuse a customer or a visitor this file unless it is still shown to them: not a
        staff-only ticket file (internal note, message made internal, message deleted), and,
        for a ticket file, a ticket that still belongs to the customer - ``partner`` when the
        link was issued to one, else the logged-in user (a visitor holding another kind of
        token gets no ticket file)."""
        self.ensure_one()
        attachment = self.sudo()
        denied = AccessError(self.env._("Sorry, you are not allowed to access this document."))
        if attachment._meusite_staff_only():
            raise denied
        if attachment.res_model != TICKET_MODEL:
            if partner is not None:
                raise denied  # our bound links are issued for ticket files only
            return
        ticket = self.env[TICKET_MODEL].sudo().browse(attachment.res_id).exists()
        if not ticket:
            raise denied
        if partner is None:
            if self.env.user._is_public():
                raise denied
            # A follower the ticket kept (its former customer) still passes the record
            # rules: a file link is for the ticket's customer.
            ticket.with_user(self.env.user).sudo(False).check_access("read")
            partner = self.env.user.partner_id
        if ticket.partner_id.commercial_partner_id != partner.sudo().commercial_partner_id:
            raise denied
