from odoo.exceptions import UserError
from odoo.http import request

from ..models.res_partner import CUSTOMER_OPTIONAL_FIELDS, CUSTOMER_REQUIRED_FIELDS
from odoo.addons.auth_signup.controllers.main import AuthSignupHome

# Form fields beyond auth_signup's own (login = e-mail, name, password, confirm_password).
EXTRA_SIGNUP_FIELDS = tuple(
    f for f in CUSTOMER_REQUIRED_FIELDS + CUSTOMER_OPTIONAL_FIELDS if f not in ("name", "email")
) + ("ref",)


class MeusiteSignup(AuthSignupHome):
    """Sign-up of a new customer with everything needed to bill them (CPF/CNPJ, address)."""

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

    def do_signup(self, qcontext):
        if self._meusite_is_new_customer(qcontext):
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
        return super().do_signup(qcontext)

    def _prepare_signup_values(self, qcontext):
        values = super()._prepare_signup_values(qcontext)
        if self._meusite_is_new_customer(qcontext):
            form = {**qcontext, "email": qcontext.get("login")}
            partner_values, _errors = request.env["res.partner"]._meusite_check_customer_data(
                form)
            referrer = request.env["res.partner"]._meusite_referrer_from_code(qcontext.get("ref"))
            values.update(partner_values, lang="pt_BR", login=partner_values["email"])
            if referrer:
                values["referred_by_id"] = referrer.id
        return values
