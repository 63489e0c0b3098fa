import re

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from ...models.signup.res_partner import CUSTOMER_OPTIONAL_FIELDS, CUSTOMER_REQUIRED_FIELDS
from odoo.addons.portal.controllers.portal import CustomerPortal

# Form keys the customer-data check turns into res.partner values (or drops).
CUSTOMER_FORM_KEYS = {*CUSTOMER_REQUIRED_FIELDS, *CUSTOMER_OPTIONAL_FIELDS, "zip", "country_id"}


class MeusitePortalAccount(CustomerPortal):
    """"Atualizar seus Dados": the sign-up fields, with the sign-up checks.

    Customers are Brazilian (CPF/CNPJ, CEP, UF). A contact staff created with another
    country keeps Odoo's generic form.
    """

    def _meusite_brazilian_form(self):
        partner = request.env.user.partner_id
        return partner.country_id in (partner.country_id.browse(), request.env.ref("base.br"))

    def _get_mandatory_fields(self):
        fields = super()._get_mandatory_fields()
        if not self._meusite_brazilian_form():
            return fields
        # As l10n_br_website_sale does for Brazil: the address is street_name, number and
        # bairro instead of `street`; the city comes from the CEP.
        return list(dict.fromkeys(
            [*(f for f in fields if f not in ("street", "city")), *CUSTOMER_REQUIRED_FIELDS]))

    def _get_optional_fields(self):
        # Other modules add theirs (account: invoice sending method, e-invoice format).
        fields = super()._get_optional_fields()
        if not self._meusite_brazilian_form():
            return fields
        return [f for f in dict.fromkeys([*fields, *CUSTOMER_OPTIONAL_FIELDS])
                if f not in CUSTOMER_REQUIRED_FIELDS]

    @http.route()
    def account(self, redirect=None, **post):
        response = super().account(redirect=redirect, **post)
        qcontext = getattr(response, "qcontext", None)
        state_id = str((qcontext or {}).get("state_id", ""))
        if qcontext is not None and not re.fullmatch(r"[0-9]{0,9}", state_id):
            # A forged state id, refused by the check, is echoed back to the stock form, whose
            # template does int(state_id): a server error instead of the form's message.
            qcontext["state_id"] = ""
        if qcontext is not None and self._meusite_brazilian_form():
            partner = request.env.user.partner_id
            response.qcontext.update({
                "meusite_form": {**partner._meusite_customer_form_defaults(), **post},
                "meusite_brazil": request.env.ref("base.br"),
            })
        return response

    def details_form_validate(self, data, partner_creation=False):
        brazilian = self._meusite_brazilian_form()
        partner = request.env.user.partner_id
        if brazilian:
            data["country_id"] = str(request.env.ref("base.br").id)
            if not partner.can_edit_vat():
                # The form shows these read-only once invoices exist; keep what is on file.
                data["vat"] = partner.vat or ""
                data["company_name"] = partner.company_name or ""
        error, error_message = super().details_form_validate(data, partner_creation)
        if brazilian:
            _values, errors = request.env["res.partner"]._meusite_check_customer_data(
                data, partner=None if partner_creation else partner
            )
            error.update(errors)
            if "zipcode" in errors:
                error["zip"] = "error"  # marks the portal's CEP input (it reads `zip`)
        if not error and not error_message:
            # What the stock route will write passes res.partner's customer rules (sizes,
            # selection values such as account's invoice sending method, ids, CEP): checked
            # here too, so that a refusal is the form with its message, not a bare 400.
            try:
                request.env["res.partner"]._meusite_check_customer_values(
                    self._meusite_form_values(data))
            except ValidationError as refusal:
                error["error"] = "error"
                error_message.append(refusal.args[0])
        return error, error_message

    def _meusite_form_values(self, data):
        """The res.partner values the stock account route builds from the form."""
        values = {key: data[key] for key in self._get_mandatory_fields() if key in data}
        values.update({key: data[key] for key in self._get_optional_fields() if key in data})
        for key in {"country_id", "state_id"} & set(values):
            try:
                values[key] = int(values[key])
            except (TypeError, ValueError):
                values[key] = False
        if "zipcode" in values:
            values["zip"] = values.pop("zipcode")
        return values

    def on_account_update(self, values, partner):
        res = super().on_account_update(values, partner)
        if self._meusite_brazilian_form():
            form = {**values, "zipcode": values.get("zip"),
                    "state_id": str(values.get("state_id") or "")}
            clean, _errors = partner._meusite_check_customer_data(form, partner=partner)
            others = {key: value for key, value in values.items()
                      if key not in CUSTOMER_FORM_KEYS}
            values.clear()
            values.update(others, **clean)
        return res
