from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _meusite_reset_password(self, login):
        """Send the reset e-mail when ``login`` is one account's; say nothing either way.

        auth_signup's ``reset_password`` raises "No account found for this login", which its
        page shows: a way to learn who is a customer. Same lookup, no answer.
        """
        users = self.search(self._get_login_domain(login))
        if not users:
            users = self.search(self._get_email_domain(login))
        if len(users) == 1:
            users.action_reset_password()
        return True
