import logging
import re
import secrets
import unicodedata

from stdnum.br import cnpj, cpf

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ...private_api import grouped, run_sql, selection_labels

# Fields of the customer form shared by sign-up and "Atualizar seus Dados", named after the
# res.partner fields l10n_br keeps the address in (base_address_extended's street_name,
# street_number, street_number2 = complemento; street2 = bairro); `zipcode` is the portal's
# name for `zip`. City and state are optional: the CEP gives them.
CUSTOMER_REQUIRED_FIELDS = (
    "name", "email", "vat", "phone", "zipcode", "street_name", "street_number", "street2",
)
CUSTOMER_OPTIONAL_FIELDS = ("street_number2", "city", "state_id", "company_name")
CUSTOMER_FIELD_MAX_SIZE = 200

# The res.partner fields a customer (a portal user, even through a route that writes in
# sudo) may change, whatever the route: the customer form's (ours and the stock one's, with
# account's invoice preferences) and those Odoo lets a user change on their own user record
# and keeps on the partner (res.users SELF_WRITEABLE_FIELDS, as narrowed in res_users.py).
CUSTOMER_WRITABLE_FIELDS = frozenset({
    "name", "email", "vat", "phone", "mobile", "zip", "street", "street_name", "street_number",
    "street_number2", "street2", "city", "city_id", "state_id", "country_id", "company_name",
    "l10n_latam_identification_type_id", "lang", "tz", "invoice_sending_method",
    # account stores the format through this field (invoice_edi_format's inverse)
    "invoice_edi_format", "invoice_edi_format_store",
})
# How often a customer may change their e-mail or CPF/CNPJ in a day: a change to someone
# else's is answered like any other (see _meusite_identity_taken), so this bounds how many
# values one account can try.
IDENTITY_CHANGES_PER_DAY = 5
# PostgreSQL's integer range: a larger id is a server error in the query, not a message.
MAX_RECORD_ID = 2**31 - 1

_logger = logging.getLogger(__name__)


def _plain(text):
    """``text`` without accents, case or extra spaces: "São  Paulo" and "sao paulo" match."""
    text = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).casefold().split())


def _like_literal(value):
    """``value`` for an (i)like domain, its ``%`` and ``_`` matched as themselves: an e-mail
    such as ``%@empresa.com.br`` must not match every customer of that company."""
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Customers and staff the product creates (sign-up, orders, demo, the backend) live in
    # the company's time zone: the company's own address's (its partner's tz, see
    # readme/CONTEXT.md "The company's time zone"). Odoo's default is the creating user's
    # context, which a visitor or a cron does not have.
    tz = fields.Selection(default=lambda self: self._meusite_default_tz())

    @api.model
    def _meusite_default_tz(self):
        return self.env.company.sudo().partner_id.tz or self.env.context.get("tz")

    meusite_referred_by_id = fields.Many2one(
        "res.partner", string="Referred By", index="btree_not_null", ondelete="set null",
        help="Customer who referred this one (set by staff or by the customer's sign-up link).",
    )
    # Given when the partner is created (and to older ones when the module is updated), not
    # when the customer first opens the referrals page: a GET writes nothing.
    meusite_referral_code = fields.Char(
        string="Referral Code", copy=False, readonly=True, index="btree_not_null",
        default=lambda self: secrets.token_urlsafe(12),
        help="Secret part of the customer's sign-up link; not the record id, so it "
        "cannot be guessed.",
    )

    _sql_constraints = [
        ("meusite_referral_code_unique", "unique(meusite_referral_code)",
         "Referral codes are unique."),
    ]

    def _init_column(self, column_name):
        # Odoo fills a new column of existing rows with ONE default value for all of them:
        # every partner would share one code, and the unique index could not be built.
        if column_name == "meusite_referral_code":
            self._meusite_fill_referral_codes()
            return None
        return super()._init_column(column_name)

    def init(self):
        res = super().init()
        # Partners from before the code was given at creation (an update of older installs).
        self._meusite_fill_referral_codes()
        return res

    def _meusite_fill_referral_codes(self):
        """A code of its own (122 random bits) for each partner that has none."""
        run_sql(self.env, SQL(
            """UPDATE res_partner SET meusite_referral_code = replace(gen_random_uuid()::text,
                                                                      '-', '')
                WHERE meusite_referral_code IS NULL"""))

    # ------------------------------------------------------------------ panel hooks

    def _meusite_ticket_panel(self, limit=5):
        """Open support tickets for the panel (hook; contract tested by
        tests/test_hooks.py).

        Called once per panel view by ``/my/home`` (controllers/panel/portal_home.py) on the
        logged-in customer's partner, as that user (the caller's record rules apply).
        Receives ``limit``, the most rows the panel shows. Returns
        ``dict(count=int, rows=[dict(date, department, subject, status, last_update,
        url)])``: ``count`` all the customer's open tickets, ``rows`` at most ``limit`` of
        them, newest activity first, each ``url`` a relative link the template renders.
        This addon has no tickets: none here. An addon with tickets (meusite_helpdesk)
        overrides it and returns the same shape; it need not call super(), which adds no
        row.
        """
        self.ensure_one()
        return {"count": 0, "rows": []}

    def _meusite_service_counts(self):
        """Service figures of the panel for this customer (its whole company):
        dict(total, active, domains, domains_active), cancelled services excluded.
        As in the manual (and WHMCS, where it comes from), "Produtos/Serviços" and
        "Domínios" are two separate counts: ``total``/``active`` leave domains out.
        One grouped query."""
        self.ensure_one()
        groups = grouped(
            self.env["meusite.service"],
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("state", "!=", "cancelled"),
            ],
            ["state", "is_domain"],
            ["__count"],
        )
        counts = {"total": 0, "active": 0, "domains": 0, "domains_active": 0}
        for state, is_domain, count in groups:
            prefix = "domains" if is_domain else "total"
            counts[prefix] += count
            if state == "active":
                counts["domains_active" if is_domain else "active"] += count
        return counts

    # ------------------------------------------------------------------ referrals

    def _meusite_get_referral_code(self):
        """The customer's referral code (given when the partner was created)."""
        self.ensure_one()
        return self.commercial_partner_id.sudo().meusite_referral_code or ""

    @api.model
    def _meusite_referrer_from_code(self, code):
        if not code or not isinstance(code, str) or len(code) > 64:
            return self.browse()
        return self.sudo().search([("meusite_referral_code", "=", code)], limit=1)

    def _meusite_referral_count(self):
        self.ensure_one()
        return self.sudo().search_count(
            [("meusite_referred_by_id", "=", self.commercial_partner_id.id)]
        )

    # ------------------------------------------------------------------ customer data rules

    def _meusite_customer_writer(self):
        # env.user, not env.su: the portal's account page, sign-up and res.users' self-write
        # all write the customer's partner in sudo, on the customer's behalf.
        return not self.env.user._is_internal()

    @api.model_create_multi
    def create(self, vals_list):
        if self._meusite_customer_writer():
            vals_list = [self._meusite_check_customer_values(vals) for vals in vals_list]
        return super().create(vals_list)

    def write(self, vals):
        if vals and self._meusite_customer_writer():
            if self.env.user._is_portal():
                # Public-user writes are auth_signup's own (a user created from the template
                # and its partner's company and active flag); a customer changes only these.
                refused = set(vals) - CUSTOMER_WRITABLE_FIELDS
                if refused:
                    raise AccessError(self.env._(
                        "You cannot change these fields: %(fields)s.",
                        fields=", ".join(sorted(refused))))
            for partner in self.sudo():
                vals = self._meusite_check_customer_values(vals, partner)
            if not vals:
                return True
        return super().write(vals)

    def _meusite_check_customer_values(self, vals, partner=None):
        """The customer data rules on res.partner values a customer writes, whatever the
        route (our forms, the stock account page, sign-up, res.users' self-write through
        call_kw, XML-RPC or JSON-RPC): sizes, ids and selection values that exist, e-mail
        format, CPF/CNPJ check digits, CEP and city. Raises ValidationError with the message
        a form would show; returns the values to write, normalised.

        A new e-mail or CPF/CNPJ that belongs to another customer is dropped, and its owner
        told, answering as if it had been written (_meusite_identity_taken): no route tells
        a customer who else is one.
        """
        vals = dict(vals)
        for key, value in vals.items():
            field = self._fields.get(key)
            if field is None:
                continue
            if field.type in ("char", "text") and isinstance(value, str) and (
                len(value) > CUSTOMER_FIELD_MAX_SIZE
            ):
                raise ValidationError(self.env._(
                    "Too long: at most %(size)s characters.", size=CUSTOMER_FIELD_MAX_SIZE))
            if field.type == "selection" and value and value not in selection_labels(self, key):
                raise ValidationError(self.env._("Choose one of the options shown."))
            if field.type == "many2one" and value and not (
                type(value) is int and 0 < value <= MAX_RECORD_ID  # noqa: E721 - not bool
                and self.env[field.comodel_name].sudo().browse(value).exists()
            ):
                raise ValidationError(self.env._("Choose one of the options shown."))

        if vals.get("email"):
            vals["email"] = str(vals["email"]).strip().lower()
            if not tools.single_email_re.match(vals["email"]):
                raise ValidationError(self.env._("Enter a valid e-mail address."))
        country = self.env["res.country"].browse(vals.get("country_id")) if (
            "country_id" in vals) else (partner.country_id if partner else self.env["res.country"])
        brazil = self.env.ref("base.br")
        if country in (brazil, country.browse()):
            self._meusite_check_brazilian_values(vals, partner)

        for key in ("email", "vat"):
            if vals.get(key) and partner is not None and (
                vals[key] != (partner[key] or "").lower()
            ) and self._meusite_identity_taken(key, vals[key], partner):
                del vals[key]
                vals.pop("l10n_latam_identification_type_id", None)
        return vals

    def _meusite_check_brazilian_values(self, vals, partner):
        """CPF/CNPJ check digits, CEP and the city/state it gives, on values in place."""
        if vals.get("vat"):
            digits = re.sub(r"\D", "", str(vals["vat"]))
            if len(digits) == 11 and cpf.is_valid(digits):
                vals["vat"] = cpf.format(digits)
            elif len(digits) == 14 and cnpj.is_valid(digits):
                vals["vat"] = cnpj.format(digits)
            else:
                raise ValidationError(self.env._("Invalid CPF or CNPJ: check the digits."))
        address_keys = ("zip", "city_id", "state_id", "city")
        if not any(vals.get(key) for key in address_keys):
            return
        zip_code = vals["zip"] if "zip" in vals else (partner.zip if partner else "")
        digits = re.sub(r"\D", "", str(zip_code or ""))
        if len(digits) != 8:
            raise ValidationError(self.env._("Enter the CEP with its 8 digits."))
        city = self._meusite_city_from_zip(digits)
        if not city:
            raise ValidationError(self.env._(
                "We found no city for this CEP: check its 8 digits."))
        if (vals.get("city_id") and vals["city_id"] != city.id) or (
            vals.get("state_id") and vals["state_id"] != city.state_id.id
        ) or (vals.get("city") and _plain(str(vals["city"])) != _plain(city.name)):
            raise ValidationError(self.env._(
                "This CEP is in %(city)s - %(state)s: check the CEP, or the city and state.",
                city=city.name, state=city.state_id.code))
        vals.update({
            "zip": f"{digits[:5]}-{digits[5:]}", "city_id": city.id, "city": city.name,
            "state_id": city.state_id.id,
        })

    def _meusite_identity_taken(self, key, value, partner):
        """Whether ``value`` (a new e-mail or CPF/CNPJ of ``partner``) is another customer's.

        Then the owner is told by e-mail, as on sign-up, and the caller drops the value while
        answering as if it were written. Each change counts against the customer's daily
        limit, taken or not, so that the answer is the same either way.
        """
        if self.env.user._is_portal() and not self.env["meusite.rate.limit"].sudo()._allow(
            [f"identity-change:{self.env.uid}"], IDENTITY_CHANGES_PER_DAY, seconds=86400,
        ):
            raise ValidationError(self.env._(
                "You changed your e-mail or CPF/CNPJ too many times today: try again tomorrow "
                "or contact us."))
        if key == "email":
            users = self.env["res.users"].sudo().with_context(active_test=False)
            literal = _like_literal(value)
            owner = users.search([
                "|", ("login", "=ilike", literal), ("email", "=ilike", literal),
                ("partner_id", "not in", partner.user_ids.partner_id.ids + partner.ids),
            ], limit=1).partner_id
        else:
            owner = self.sudo().with_context(active_test=False).search([
                ("vat", "in", self._meusite_vat_variants(value)),
                ("commercial_partner_id", "!=", partner.commercial_partner_id.id),
            ], limit=1).commercial_partner_id
        if not owner:
            return False
        _logger.info("Partner %s tried the %s of partner %s: not written", partner.id, key,
                     owner.id)
        owner._meusite_notify_data_reuse()
        return True

    def _meusite_notify_data_reuse(self):
        """Another customer typed this customer's e-mail or CPF/CNPJ as theirs."""
        self.ensure_one()
        if self.email:
            self.env.ref("meusite_portal.mail_template_data_reuse").sudo().send_mail(
                self.id, email_layout_xmlid="mail.mail_notification_light")

    # ------------------------------------------------------------------ customer data

    @api.model
    def _meusite_vat_variants(self, number):
        """Stored forms of one CPF/CNPJ (formatted and digits only), for duplicate checks."""
        digits = re.sub(r"\D", "", number or "")
        module = cpf if len(digits) == 11 else cnpj
        return [digits, module.format(digits)]

    @api.model
    def _meusite_check_customer_data(self, data, partner=None):
        """Check the customer form (sign-up or account update) before anything is written.

        :param data: the posted form (strings)
        :param partner: the customer updating their data; None on sign-up
        :return: (values for res.partner, errors as {form field: message})
        """
        data = {key: str(data.get(key) or "").strip() for key in
                CUSTOMER_REQUIRED_FIELDS + CUSTOMER_OPTIONAL_FIELDS}
        errors = {}
        for key in CUSTOMER_REQUIRED_FIELDS:
            if not data[key]:
                errors[key] = self.env._("Fill in this field.")
        for key, value in data.items():
            # A forged post could store a 200 000-character street, printed on every invoice
            # PDF and staff screen; no real address or name comes near this size.
            if len(value) > CUSTOMER_FIELD_MAX_SIZE:
                errors[key] = self.env._(
                    "Too long: at most %(size)s characters.", size=CUSTOMER_FIELD_MAX_SIZE)

        email = data["email"].lower()
        if email and not tools.single_email_re.match(email):
            errors["email"] = self.env._("Enter a valid e-mail address.")
        # Nobody is told whether an e-mail or CPF/CNPJ is someone else's: on sign-up the owner
        # is told instead (_meusite_signup_owner), on the account page the model drops the
        # value and tells the owner (_meusite_identity_taken).

        vat = re.sub(r"\D", "", data["vat"])
        if data["vat"]:
            if len(vat) == 11 and cpf.is_valid(vat):
                vat = cpf.format(vat)
            elif len(vat) == 14 and cnpj.is_valid(vat):
                vat = cnpj.format(vat)
            else:
                errors["vat"] = self.env._("Invalid CPF or CNPJ: check the digits.")

        phone = re.sub(r"\D", "", data["phone"])
        if data["phone"] and not 10 <= len(phone.removeprefix("55")) <= 11:
            errors["phone"] = self.env._("Enter the phone number with its area code (DDD).")

        if not data["street_number"]:
            errors["street_number"] = self.env._(
                "Fill in the number (or S/N if the address has none).")

        brazil = self.env.ref("base.br")
        state = self.env["res.country.state"]
        if data["state_id"]:
            # A forged id: "²" passes str.isdigit() but not int(), and an id past PostgreSQL's
            # integer range fails the query; both were a server error instead of a message.
            if re.fullmatch(r"[0-9]{1,9}", data["state_id"]):
                state = state.browse(int(data["state_id"]))
            if not state.exists() or state.country_id != brazil:
                errors["state_id"] = self.env._("Choose a state.")

        zip_code = re.sub(r"\D", "", data["zipcode"])
        city = self.env["res.city"]
        if data["zipcode"] and len(zip_code) != 8:
            errors["zipcode"] = self.env._("Enter the CEP with its 8 digits.")
        elif data["zipcode"]:
            city = self._meusite_city_from_zip(zip_code)
            if not city:
                errors["zipcode"] = self.env._(
                    "We found no city for this CEP: check its 8 digits.")
            elif (data["city"] and _plain(data["city"]) != _plain(city.name)) or (
                state and "state_id" not in errors and state != city.state_id
            ):
                # A typo in the CEP gives another city: the customer says which is right.
                errors["zipcode"] = self.env._(
                    "This CEP is in %(city)s - %(state)s: check the CEP, or the city and state.",
                    city=city.name, state=city.state_id.code,
                )

        if errors:
            return {}, errors
        values = {
            "name": data["name"],
            "email": email,
            "vat": vat,
            "phone": data["phone"],
            "zip": f"{zip_code[:5]}-{zip_code[5:]}",
            # base_address_extended composes `street` from these three.
            "street_name": data["street_name"],
            "street_number": data["street_number"],
            "street_number2": data["street_number2"],
            "street2": data["street2"],
            "city_id": city.id,
            "city": city.name,
            "state_id": city.state_id.id,
            "country_id": brazil.id,
        }
        if vat:
            values["l10n_latam_identification_type_id"] = self.env.ref(
                "l10n_br.cpf" if len(re.sub(r"\D", "", vat)) == 11 else "l10n_br.cnpj").id
        if data["company_name"] or not partner:
            values["company_name"] = data["company_name"]
        return values, {}

    @api.model
    def _meusite_city_from_zip(self, zip_code):
        """The IBGE city (res.city) whose CEP range in l10n_br's list holds this CEP, or an
        empty recordset. Offline: the ranges come with l10n_br (l10n_br.zip.range)."""
        digits = re.sub(r"\D", "", zip_code or "")
        if len(digits) != 8:
            return self.env["res.city"]
        cep = f"{digits[:5]}-{digits[5:]}"
        # Ranges are "ddddd-ddd" text: compared as text, as l10n_br's own address form does.
        return self.env["l10n_br.zip.range"].sudo().search(
            [("start", "<=", cep), ("end", ">=", cep)], limit=1
        ).city_id

    @api.model
    def _meusite_signup_owner(self, email, vat):
        """The customer who already owns this e-mail or CPF/CNPJ, if any (sign-up)."""
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        email = _like_literal(email or "")
        user = Users.search(
            ["|", ("login", "=ilike", email), ("email", "=ilike", email)], limit=1
        )
        if user:
            return user.partner_id
        if vat:
            return self.sudo().with_context(active_test=False).search(
                [("vat", "in", self._meusite_vat_variants(vat))], limit=1
            ).commercial_partner_id
        return self.browse()

    @api.model
    def _meusite_signup(self, values):
        """Create the customer's account, or tell the owner of the e-mail / CPF.

        The sign-up form answers the same in both cases (nothing tells a stranger who is a
        customer); the owner of data used again gets an e-mail instead of an account.
        :return: the new user, or an empty recordset when the data had an owner
        """
        Users = self.env["res.users"].sudo()
        owner = self._meusite_signup_owner(values.get("email") or values.get("login"),
                                           values.get("vat"))
        if owner:
            owner._meusite_notify_signup_attempt()
            return Users
        login, __ = Users.signup(values)
        user = Users.search(Users._get_login_domain(login), limit=1)
        # auth_signup's welcome e-mail in the company's words and layout, signed by the
        # company (Odoo's is signed by whoever runs the sign-up: the public user).
        self.env.ref("meusite_portal.mail_template_signup_welcome").sudo().send_mail(
            user.id, email_layout_xmlid="mail.mail_notification_light"
        )
        return user

    def _meusite_notify_signup_attempt(self):
        """Someone typed this customer's e-mail or CPF/CNPJ on the sign-up form.

        A customer with a login is told (and can log in or reset the password); a customer
        staff registered without one is invited, at the e-mail on file, to create their
        password - the form never gives an existing customer's account to whoever typed.
        """
        self.ensure_one()
        if not self.email:
            return
        if self.user_ids or self.commercial_partner_id.user_ids:
            self.env.ref("meusite_portal.mail_template_signup_attempt").sudo().send_mail(
                self.id, email_layout_xmlid="mail.mail_notification_light"
            )
            return
        try:
            with self.env.cr.savepoint():
                wizard = self.env["portal.wizard"].sudo().with_context(
                    default_partner_ids=self.ids
                ).create({})
                wizard.user_ids.filtered(
                    lambda line: line.partner_id == self
                ).action_grant_access()
        except UserError:
            # E.g. the e-mail on file is another login's: staff sort it out; the visitor's
            # answer stays the same.
            _logger.info("Sign-up attempt on partner %s: no invitation sent", self.id)

    def _meusite_customer_form_defaults(self):
        """The form fields of this customer, for pre-filling "Atualizar seus Dados"."""
        self.ensure_one()
        return {
            "name": self.name or "",
            "email": self.email or "",
            "vat": self.vat or "",
            "phone": self.phone or "",
            "zipcode": self.zip or "",
            "street_name": self.street_name or "",
            "street_number": self.street_number or "",
            "street_number2": self.street_number2 or "",
            "street2": self.street2 or "",
            "city": self.city_id.name or self.city or "",
            "state_id": str(self.state_id.id or ""),
            "company_name": self.company_name or self.commercial_company_name or "",
        }
