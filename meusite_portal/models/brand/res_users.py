from odoo import models

# The fields whose change mail (login, password, e-mail) and auth_totp_mail (two-factor)
# announce to the user by e-mail, from res.users.write.
SECURITY_MAIL_FIELDS = {"login", "password", "email", "totp_secret"}


class ResUsers(models.Model):
    _inherit = "res.users"

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
