import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

# Of Odoo's self-writable user fields (base: signature, action_id, company_id, email, name,
# image_1920, lang, tz; base's API keys: api_key_ids; mail: notification_type), the ones a
# customer keeps. Dropped: the signature (HTML of their choosing shown in e-mails to staff),
# the avatar (a file past ir.attachment's customer rules), the home action, the company and
# the notification type (backend settings no customer page offers). The kept partner fields
# then pass res.partner's customer rules (res_partner.py).
CUSTOMER_SELF_WRITEABLE_FIELDS = ("name", "email", "lang", "tz", "api_key_ids")


class ResUsers(models.Model):
    _inherit = "res.users"

    @property
    def SELF_WRITEABLE_FIELDS(self):
        fields = super().SELF_WRITEABLE_FIELDS
        if self.env.user._is_internal():
            return fields
        return [field for field in fields if field in CUSTOMER_SELF_WRITEABLE_FIELDS]

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
