from werkzeug.urls import url_encode

from odoo import http
from odoo.exceptions import UserError
from odoo.http import request

from ...models.signup.res_partner import CUSTOMER_OPTIONAL_FIELDS, CUSTOMER_REQUIRED_FIELDS
from odoo.addons.auth_signup.controllers.main import AuthSignupHome

# Form fields beyond auth_signup's own (login = e-mail, name, password, confirm_password).
EXTRA_SIGNUP_FIELDS = tuple(
    f for f in CUSTOMER_REQUIRED_FIELDS + CUSTOMER_OPTIONAL_FIELDS if f not in ("name", "email")
) + ("ref",)


class MeusiteSignup(AuthSignupHome):
    """Sign-up of a new customer with everything needed to bill them (CPF/CNPJ, address).

    The public forms are doors for bots and for people fishing for who is a customer:
    sign-up and password reset both ask for the captcha, and both answer the same whether
    or not the e-mail (or CPF/CNPJ) is registered.
    """

    def get_auth_signup_qcontext(self):
        qcontext = super().get_auth_signup_qcontext()
        qcontext.update({
            key: request.params[key] for key in EXTRA_SIGNUP_FIELDS
            if isinstance(request.params.get(key), str)
        })
        qcontext["meusite_states"] = request.env["res.country.state"].sudo().search(
            [("country_id", "=", request.env.ref("base.br").id)], order="name")
        qcontext.setdefault("field_errors", {})
        return qcontext

    def _meusite_is_new_customer(self, qcontext):
        # Invitations (token) and password resets only set a password.
        return not qcontext.get("token")

    def _meusite_form_post(self, qcontext, enabled_key):
        """Whether this request is the visitor posting the form itself (not an invitation
        or reset token, not a form Odoo already refused), which our rules answer."""
        return (
            request.httprequest.method == "POST"
            and not qcontext.get("token")
            and qcontext.get(enabled_key)
            and "error" not in qcontext
        )

    def _meusite_captcha_refused(self, qcontext, purpose, template):
        """The form shown again with the captcha's message, or None when answered."""
        try:
            request.env["meusite.captcha"]._check(
                request.params.get("captcha_token"), request.params.get("captcha_answer"),
                purpose,
            )
        except UserError as error:
            qcontext.update(captcha_error=error.args[0], error=error.args[0])
            return self._meusite_render(template, qcontext)
        return None

    def _meusite_render(self, template, qcontext):
        response = request.render(template, qcontext)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    @http.route()
    def web_auth_signup(self, *args, **kw):
        qcontext = self.get_auth_signup_qcontext()
        if not self._meusite_form_post(qcontext, "signup_enabled"):
            return super().web_auth_signup(*args, **kw)
        refused = self._meusite_captcha_refused(qcontext, "signup", "auth_signup.signup")
        if refused:
            return refused
        try:
            self.do_signup(qcontext)
        except UserError as error:
            qcontext["error"] = error.args[0]
            return self._meusite_render("auth_signup.signup", qcontext)
        # One answer for a new account and for data that already had an owner: the login
        # page, the e-mail typed, and a note to look at the mailbox.
        return request.redirect("/web/login?" + url_encode({
            "login": (qcontext.get("login") or "").strip().lower(), "meusite_signup": 1,
        }))

    def do_signup(self, qcontext):
        if not self._meusite_is_new_customer(qcontext):
            return super().do_signup(qcontext)
        form = {**qcontext, "email": qcontext.get("login")}
        _values, errors = request.env["res.partner"]._meusite_check_customer_data(form)
        if not (qcontext.get("password") or "").strip():
            errors["password"] = request.env._("Fill in this field.")
        elif qcontext.get("password") != qcontext.get("confirm_password"):
            errors["confirm_password"] = request.env._(
                "Passwords do not match; please retype them.")
        if errors:
            if "email" in errors:
                errors["login"] = errors.pop("email")
            qcontext["field_errors"] = errors
            raise UserError(request.env._(
                "Please correct the highlighted fields. Nothing was saved."))
        request.env["res.partner"]._meusite_signup(self._prepare_signup_values(qcontext))
        return None

    def _prepare_signup_values(self, qcontext):
        values = super()._prepare_signup_values(qcontext)
        if self._meusite_is_new_customer(qcontext):
            form = {**qcontext, "email": qcontext.get("login")}
            partner_values, _errors = request.env["res.partner"]._meusite_check_customer_data(
                form)
            referrer = request.env["res.partner"]._meusite_referrer_from_code(qcontext.get("ref"))
            values.update(partner_values, login=partner_values["email"])
            # Customers read Portuguese, where the database has it (an English-only
            # database keeps its own language rather than refusing the sign-up).
            if "pt_BR" in dict(request.env["res.lang"].get_installed()):
                values["lang"] = "pt_BR"
            if referrer:
                values["meusite_referred_by_id"] = referrer.id
        return values

    @http.route()
    def web_auth_reset_password(self, *args, **kw):
        qcontext = self.get_auth_signup_qcontext()
        if not self._meusite_form_post(qcontext, "reset_password_enabled"):
            return super().web_auth_reset_password(*args, **kw)
        refused = self._meusite_captcha_refused(
            qcontext, "reset_password", "auth_signup.reset_password")
        if refused:
            return refused
        login = (qcontext.get("login") or "").strip()
        if not login:
            qcontext["error"] = request.env._("Fill in your e-mail.")
            return self._meusite_render("auth_signup.reset_password", qcontext)
        # Odoo answers "no account found" for an unknown login: here every login gets the
        # same answer, and only an existing account gets the e-mail.
        request.env["res.users"].sudo()._meusite_reset_password(login)
        qcontext["message"] = request.env._(
            "If this e-mail belongs to an account, we sent it the instructions to reset "
            "the password.")
        return self._meusite_render("auth_signup.reset_password", qcontext)
