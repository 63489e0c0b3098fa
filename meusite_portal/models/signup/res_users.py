import logging

from odoo import api, models
from odoo.tools import frozendict

_logger = logging.getLogger(__name__)

# Of Odoo's self-writable user fields (base: signature, action_id, company_id, email, name,
# image_1920, lang, tz; base's API keys: api_key_ids; mail: notification_type), the ones a
# customer keeps. Dropped: the signature (HTML of their choosing shown in e-mails to staff),
# the avatar (a file past ir.attachment's customer rules), the home action, the company and
# the notification type (backend settings no customer page offers). The kept partner fields
# then pass res.partner's customer rules (res_partner.py).
CUSTOMER_SELF_WRITEABLE_FIELDS = ("name", "email", "lang", "tz", "api_key_ids")

# The fields whose change mail (login, password, e-mail) and auth_totp_mail (two-factor)
# announce to the user by e-mail, from res.users.write.
SECURITY_MAIL_FIELDS = {"login", "password", "email", "totp_secret"}


class ResUsers(models.Model):
    _inherit = "res.users"

    @property
    def SELF_WRITEABLE_FIELDS(self):
        fields = super().SELF_WRITEABLE_FIELDS
        if self.env.user._is_internal():
            return fields
        return [field for field in fields if field in CUSTOMER_SELF_WRITEABLE_FIELDS]

    def write(self, vals):
        # mail's write sends the "Security Update" e-mail in the language and time zone of
        # whoever writes: a Portuguese customer on an English browser, or whose login staff
        # changed in English, read "Dear …" under "Sua Conta". Written per recipient language,
        # the subject, the text and the layout are all in the user's own (and the time in
        # their zone). Not when a translated field is written: its value is in the writer's.
        if not SECURITY_MAIL_FIELDS & vals.keys() or any(
            self._fields[name].translate for name in vals if name in self._fields
        ):
            return super().write(vals)
        groups = {}
        for user in self:
            key = (user.sudo().lang or self.env.lang, user.sudo().tz or self.env.context.get("tz"))
            groups[key] = groups.get(key, self.browse()) | user
        if list(groups) in ([], [(self.env.lang, self.env.context.get("tz"))]):
            return super().write(vals)
        for (lang, tz), users in groups.items():
            super(ResUsers, users.with_context(lang=lang, tz=tz)).write(vals)
        return True

    @api.model
    def _meusite_reset_password(self, login):
        """Send the reset e-mail when ``login`` is one account's; say nothing either way.

        auth_signup's ``reset_password`` raises "No account found for this login", which its
        page shows: a way to learn who is a customer. Same lookup, no answer.
        """
        users = self.search(self._get_login_domain(login))
        if not users:
            users = self.search(self._get_email_domain(login))
        if len(users) != 1:
            return True
        try:
            # An account without e-mail, an archived one or a mail server failure must not
            # show the visitor an error page that an unknown login would not get.
            with self.env.cr.savepoint():
                users.action_reset_password()
        except Exception:  # noqa: BLE001 - said in the log, never to the visitor
            _logger.warning("Password reset e-mail not sent for user %s", users.id, exc_info=True)
        return True

    @api.model
    def context_get(self):
        # A customer, and a user without a time zone (created before the company had one, or
        # by hand), reads dates and times in the company's, not in UTC: a ticket opened at
        # 11:35 in Belo Horizonte says 11:35. For a customer, whatever its own: Odoo sets it
        # to the browser's at the first login, and a customer's "today" (what is overdue,
        # the multa and juros owed, a due date) is the company's, the one its boletos, the
        # crons and staff count in.
        context = super().context_get()
        user = self.env.user
        if context.get("tz") and not user.share:
            return context
        tz = user.sudo().company_id.partner_id.tz
        return frozendict(context, tz=tz) if tz else context

    @api.model
    def _create_user_from_template(self, values):
        # Sign-up and portal invitations copy the template user, whose empty time zone
        # would win over the partner's default.
        if not values.get("tz"):
            tz = self._meusite_company_tz()
            if tz:
                values = dict(values, tz=tz)
        return super()._create_user_from_template(values)

    @api.model
    def _meusite_company_tz(self):
        """The company's time zone (its partner's), for the users the product creates."""
        return self.env.company.sudo().partner_id.tz
