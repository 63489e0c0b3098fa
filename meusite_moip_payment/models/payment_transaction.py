import logging
import re
from datetime import timedelta

from stdnum.br import cnpj, cpf

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import consteq, email_split, format_amount, format_date, hmac, single_email_re

from .. import const
from ..private_api import lock_rows
from .payment_provider import MoipRefusedError
from odoo.addons.payment import utils as payment_utils

_logger = logging.getLogger(__name__)

BOLETO_PAGE_ROUTE = "/payment/moip/boleto"

# What deciding on a notification reads. Most notifications are duplicates or late events that
# stop there: reading only these columns keeps them cheap (the rest loads if it goes further).
NOTIFICATION_FIELDS = ["provider_id", "reference", "state", "moip_payment_id", "moip_status"]


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    moip_order_id = fields.Char(readonly=True, copy=False)
    moip_payment_id = fields.Char(readonly=True, copy=False, index=True)
    moip_status = fields.Char(readonly=True, copy=False)
    moip_line_code = fields.Char(string="Boleto Line Code", readonly=True, copy=False)
    moip_boleto_url = fields.Char(string="Boleto URL", readonly=True, copy=False)
    moip_print_url = fields.Char(string="Boleto Print URL", readonly=True, copy=False)
    moip_due_date = fields.Date(string="Boleto Due Date", readonly=True, copy=False)

    # === BUSINESS METHODS - RENDERING === #

    def _get_specific_rendering_values(self, processing_values):
        """Create the Moip order and boleto once, then send the customer to the boleto page.

        Failures (missing customer data, Moip down or refusing) put the transaction in error
        with a Portuguese message shown on that page; the invoice stays payable.
        """
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "moip":
            return res

        tx = self
        previous_tx = self._moip_find_reusable_boleto()
        if previous_tx:
            self._set_canceled(
                self.env._("The pending boleto %(ref)s was reused.", ref=previous_tx.reference)
            )
            tx = previous_tx
        elif not self.moip_payment_id:
            error = self._moip_check_customer_data()
            if error:
                self._set_error(error)
            else:
                try:
                    self._moip_create_boleto()
                except MoipRefusedError as refusal:
                    self._set_error(self._moip_refusal_message(refusal))
                except ValidationError as moip_error:
                    self._set_error(moip_error.args[0])
        return {
            "api_url": BOLETO_PAGE_ROUTE,
            "reference": tx.reference,
            "access_token": tx._moip_access_token(),
        }

    def _meusite_page_token(self, scope):
        """The token that opens this transaction's payment page (Moip's boleto, PagBank's
        boleto or PIX) to whoever holds its link: an HMAC of the reference, the provider's
        ``scope`` as salt (a link sent under one provider opens nothing of another's)."""
        self.ensure_one()
        return hmac(self.env(su=True), scope, self.reference)

    def _meusite_check_page_token(self, scope, access_token):
        """Whether ``access_token`` is this transaction's page token under ``scope``."""
        return len(self) == 1 and bool(access_token) and consteq(
            access_token, self._meusite_page_token(scope))

    @api.model
    def _meusite_tx_from_page_link(self, provider_code, scope, reference, access_token):
        """The transaction (sudo) a payment page's link names by its reference and token,
        or an empty recordset: a wrong, another provider's or a missing token opens nothing."""
        tx_sudo = self.sudo().search(
            [("reference", "=", reference or ""), ("provider_code", "=", provider_code)], limit=1
        )
        return tx_sudo if tx_sudo._meusite_check_page_token(scope, access_token) else self.browse()

    def _moip_access_token(self):
        return self._meusite_page_token(const.PAGE_TOKEN_SCOPE)

    def _meusite_invoice_payment_lines(self):
        """The boleto on the invoice's PDF: its linha digitável and due date.

        meusite_portal's hook (its contract is in meusite_portal's
        ``payment.transaction._meusite_invoice_payment_lines``: one pending transaction in,
        a list of ``{"label", "value", "note"}`` out, each provider adding its own after the
        next implementation's). This addon does not depend on meusite_portal, so it cannot
        ``super()`` a method that may not exist: it looks the next implementation up at run
        time and starts from ``[]`` without one. Without meusite_portal nothing calls it;
        the line is still right (tests/test_hooks.py), and meusite_test_full's
        test_invoice_pdf_boleto.py checks it on the portal's PDF."""
        following = getattr(super(), "_meusite_invoice_payment_lines", None)
        lines = following() if following else []
        if self.provider_code == "moip" and self.state == "pending" and self.moip_line_code:
            lines.append({
                "label": self.env._("Boleto line code"),
                "value": self.moip_line_code,
                "note": self.moip_due_date and self.env._(
                    "Due date: %s", format_date(self.env, self.moip_due_date)
                ),
            })
        return lines

    def _moip_find_reusable_boleto(self):
        """The pending boleto of an earlier transaction for exactly the same invoices and amount."""
        self.ensure_one()
        if not self.invoice_ids:
            return self.browse()
        candidates = self.search([
            ("id", "!=", self.id),
            ("provider_id", "=", self.provider_id.id),
            ("state", "=", "pending"),
            ("moip_payment_id", "!=", False),
            ("invoice_ids", "in", self.invoice_ids.ids),
            ("moip_due_date", ">=", fields.Date.context_today(self)),
        ], order="id desc")
        return candidates.filtered(
            lambda tx: tx.invoice_ids == self.invoice_ids
            and tx.currency_id == self.currency_id
            and tx.currency_id.compare_amounts(tx.amount, self.amount) == 0
        )[:1]

    def _moip_check_customer_data(self):
        """Return what the customer must fix in "Meus Dados" before Moip accepts a boleto, or
        None; nothing is sent. What Moip accepts cut short (names, street, bairro, city) is cut
        by the payload instead, see `_moip_prepare_customer_payload`."""
        self.ensure_one()
        address = self._moip_partner_address()
        missing = self._meusite_payer_missing(address)
        if self._moip_street_number(address["number"]) is None:
            missing.append(self.env._("a street number of at most 10 digits"))
        if not self._moip_customer_email():
            if any(single_email_re.match(email) for email in email_split(self.partner_id.email)):
                missing.append(self.env._("an e-mail address of at most 45 characters"))
            else:
                missing.append(self.env._("a valid e-mail address"))
        if not missing:
            return None
        return self._moip_customer_data_message(missing)

    def _meusite_payer_missing(self, address=None):
        """What the customer's data lacks to be a payment's payer, as "Meus Dados" names it:
        a valid CPF/CNPJ, and with ``address`` (a ``_moip_partner_address`` dict: a boleto
        prints its payer's address) the full address and its bairro. The rule both
        providers apply before sending anything (PagBank's PIX asks no address)."""
        self.ensure_one()
        missing = []
        document = self._moip_partner_document()
        if not (cpf.is_valid(document) or cnpj.is_valid(document)):
            missing.append(self.env._("a valid CPF or CNPJ"))
        if address is not None:
            if not all(address[key] for key in ("street", "city", "state", "zip")) or len(
                re.sub(r"\D", "", address["zip"])
            ) != 8:
                missing.append(
                    self.env._("your full address (street, city, state and ZIP code)"))
            if not address["district"]:
                missing.append(self.env._("the district (bairro) of your address"))
        return missing

    def _moip_customer_data_message(self, missing):
        return self.env._(
            "To pay by boleto, please complete your details in \"Meus Dados\": %(missing)s.",
            missing=self.env._(" and ").join(missing),
        )

    def _moip_partner_address(self):
        """The customer's address, part by part, from the fields l10n_br keeps it in.

        The only place that knows them: the rest of the provider reads this dict.
        base_address_extended splits the street into `street_name`, `street_number` and
        `street_number2` (the complement); `street2` is the bairro and `city_id` the IBGE
        city, as l10n_br's partner form shows them to staff.
        """
        partner = self.partner_id
        return {
            # A street typed as "Rua Pernambuco, 880" splits into "Rua Pernambuco," and "880".
            "street": (partner.street_name or "").strip().rstrip(",").strip(),
            "number": (partner.street_number or "").strip(),
            "complement": (partner.street_number2 or "").strip(),
            "district": (partner.street2 or "").strip(),
            "city": (partner.city_id.name or partner.city or "").strip(),
            "state": partner.state_id.code or "",
            "zip": partner.zip or "",
        }

    @api.model
    def _moip_street_number(self, number):
        """(digits, rest) as Moip takes a street number, or None if Moip cannot take it.

        Moip wants digits only (CUS-024), at most 10. "880A" sends 880 and keeps "A" for the
        complement; an address without a number ("S/N", "s/n", nothing) sends 0 and "S/N" goes
        to the complement: that is what the boleto shows (see readme/CONTEXT.md).
        """
        match = re.match(r"^\s*([0-9]+)\W*(.*)$", number or "")
        if not match:
            rest = (number or "").strip()
            if re.fullmatch(r"(?i)s\.?\s*/?\s*n\.?[o°º]?|sem n[uú]mero", rest) or not rest:
                rest = "S/N"
            return "0", rest
        digits, rest = match.groups()
        if len(digits) > const.MOIP_LIMITS["streetNumber"]:
            return None
        return digits, rest.strip()

    def _moip_customer_email(self):
        """The one address Moip gets: Odoo's e-mail field may hold several ("a@x, b@y"); the
        first valid one that fits Moip's 45 characters, or None."""
        for email in email_split(self.partner_id.email):
            if single_email_re.match(email) and len(email) <= const.MOIP_LIMITS["email"]:
                return email
        return None

    def _moip_refusal_message(self, refusal):
        """What the customer reads when Moip refused the boleto after all (our checks let
        through what Moip would refuse): what to fix in "Meus Dados", or what happened."""
        codes = {error["code"] for error in refusal.errors}
        paths = " ".join(error["path"] for error in refusal.errors)
        if codes & {"CUS-005", "CUS-006"} or "customer.email" in paths:
            return self._moip_customer_data_message([self.env._("a valid e-mail address")])
        if "CUS-024" in codes or "streetNumber" in paths:
            return self._moip_customer_data_message(
                [self.env._("a street number of at most 10 digits")]
            )
        if "shippingAddress" in paths:
            return self._moip_customer_data_message(
                [self.env._("your full address (street, city, state and ZIP code)")]
            )
        if any(code.startswith("CUS-") for code in codes):
            return self._moip_customer_data_message(
                [self.env._("your name, CPF or CNPJ, e-mail and address")]
            )
        if "PAY-037" in codes:
            return self.env._(
                "This payment has nothing left to pay at the payment service, so no new boleto"
                " was issued. If you have already paid it, your invoice will be updated"
                " shortly; otherwise please contact us."
            )
        return refusal.args[0]

    def _moip_create_boleto(self):
        """Create the Moip order (once) and its boleto payment, and keep what the customer needs."""
        self.ensure_one()
        provider = self.provider_id
        if not self.moip_order_id:
            payload = self._moip_prepare_order_payload()
            # The payload is the customer's personal data (CPF, e-mail, phone, address): only
            # the reference goes to the log.
            _logger.info("Moip: creating order for %s.", self.reference)
            order = provider._moip_make_request("/orders", payload=payload)
            if not order.get("id"):
                raise ValidationError(self.env._("The order was not created."))
            self.moip_order_id = order["id"]
        try:
            payment = provider._moip_make_request(
                f"/orders/{self.moip_order_id}/payments",
                payload=self._moip_prepare_payment_payload(),
            )
        except MoipRefusedError as refusal:
            if "PAY-611" not in {error["code"] for error in refusal.errors}:
                raise
            # The order has its boleto already (an earlier call that timed out on our side
            # went through): take that one rather than leave the customer without it.
            payment = self._moip_read_order_boleto()
        if not payment.get("id"):
            raise ValidationError(self.env._("The boleto was not created."))
        self._moip_store_payment(payment)
        self._set_pending()
        self._meusite_send_payment_email()

    def _moip_read_order_boleto(self):
        """The boleto payment Moip already holds for this transaction's order."""
        provider = self.provider_id
        order = provider._moip_make_request(f"/orders/{self.moip_order_id}", method="GET")
        payments = order.get("payments") or []
        if not payments:
            raise ValidationError(self.env._("The boleto was not created."))
        return provider._moip_make_request(f"/payments/{payments[-1]['id']}", method="GET")

    def _meusite_send_payment_email(self):
        """The customer gets what they need to pay by e-mail too, once, on the (first)
        invoice's record: one boleto or PIX code pays every invoice of the transaction (the
        invoices' last one). One template for every provider of the boleto machinery, fed by
        `_meusite_payment_email_values`."""
        self.ensure_one()
        if not self.partner_id.email or not self.invoice_ids:
            return
        if not self._meusite_payment_email_values():
            return
        self.env.ref("meusite_moip_payment.mail_template_boleto").sudo().send_mail(
            self.invoice_ids[:1].id, email_layout_xmlid="mail.mail_notification_light"
        )

    def _meusite_payment_email_values(self):
        """What the payment e-mail shows for this transaction (hook of the boleto machinery;
        contract tested by tests/test_hooks.py, PagBank's override by its own).

        Called on one transaction by ``_meusite_send_payment_email`` (after a boleto or PIX
        is issued: ``{}`` sends nothing) and by the template ``mail_template_boleto`` (its
        subject and body), on the invoice's last transaction. Returns ``{}`` (nothing to
        send) or, for a boleto: ``line_code``, ``due_date`` (a date), ``print_url``; for a
        PIX: ``pix_code`` (copia e cola), ``pix_valid_until`` (text, Brasília time),
        ``pix_qr_url`` (an absolute URL). An override (meusite_pagbank_payment) returns its
        own values for its own ``provider_code`` and super()'s for any other."""
        self.ensure_one()
        if self.provider_code != "moip" or not self.moip_line_code:
            return {}
        return {
            "line_code": self.moip_line_code,
            "due_date": self.moip_due_date,
            "print_url": self.moip_print_url,
        }

    def _moip_prepare_order_payload(self):
        self.ensure_one()
        currency = self.currency_id
        total = payment_utils.to_minor_currency_units(self.amount, currency)
        items = [
            {
                "product": (
                    f"{invoice.name} - {invoice.invoice_line_ids[:1].name or invoice.name}"
                )[:250],
                "quantity": 1,
                "detail": invoice.name,
                "price": payment_utils.to_minor_currency_units(invoice.amount_residual, currency),
            }
            for invoice in self.invoice_ids
        ]
        if not items or sum(item["price"] for item in items) != total:
            # Partial payments or discounts: Moip must charge exactly the transaction amount.
            items = [{"product": self.reference, "quantity": 1, "price": total}]
        return {
            "ownId": self.reference[:45],
            "amount": {
                "currency": currency.name,
                "subtotals": {"shipping": 0, "addition": 0, "discount": 0},
            },
            "items": items,
            "customer": self._moip_prepare_customer_payload(),
        }

    def _moip_partner_document(self):
        """The customer's CPF/CNPJ digits, as checked and as sent to Moip."""
        partner = self.partner_id
        return re.sub(r"\D", "", partner.vat or partner.commercial_partner_id.vat or "")

    def _moip_prepare_customer_payload(self):
        """The customer as Moip takes it: checked first (`_moip_check_customer_data`), then
        cut to Moip's lengths where a shorter text still reaches the customer."""
        self.ensure_one()
        partner = self.partner_id
        document = self._moip_partner_document()
        address = self._moip_partner_address()
        number, rest = self._moip_street_number(address["number"]) or ("0", "")
        complement = " - ".join(part for part in (rest, address["complement"]) if part)
        limits = const.MOIP_LIMITS
        customer = {
            "ownId": f"partner-{partner.commercial_partner_id.id}",
            "fullname": (partner.name or "")[: limits["fullname"]].strip(),
            "email": self._moip_customer_email() or "",
            "taxDocument": {"type": "CPF" if len(document) == 11 else "CNPJ", "number": document},
            "shippingAddress": {
                "street": address["street"][: limits["street"]].strip(),
                "streetNumber": number,
                "complement": complement[: limits["complement"]].strip(),
                "district": address["district"][: limits["district"]].strip(),
                "city": address["city"][: limits["city"]].strip(),
                "state": address["state"],
                "country": "BRA",
                "zipCode": re.sub(r"\D", "", address["zip"]),
            },
        }
        phone = re.sub(r"\D", "", partner.phone or partner.mobile or "")
        if phone.startswith("55") and len(phone) >= 12:
            phone = phone[2:]
        if len(phone) >= 10:
            customer["phone"] = {"countryCode": "55", "areaCode": phone[:2], "number": phone[2:]}
        return customer

    def _moip_prepare_payment_payload(self):
        self.ensure_one()
        provider = self.provider_id.sudo()
        due_date = fields.Date.context_today(self) + timedelta(
            days=max(provider.moip_boleto_expiration_days, 1)
        )
        boleto = {
            "expirationDate": due_date.isoformat(),
            "instructionLines": {
                "first": provider.moip_instruction_line_1
                or self.env._("Payment of %(ref)s", ref=self.reference),
                "second": provider.moip_instruction_line_2 or "",
                "third": provider.moip_instruction_line_3 or "",
            },
        }
        late = self._moip_late_charge_line()
        if late:
            boleto["instructionLines"]["third"] = late
        if provider.moip_logo_url:
            boleto["logoUri"] = provider.moip_logo_url
        return {
            "installmentCount": 1,
            "fundingInstrument": {"method": "BOLETO", "boleto": boleto},
        }

    def _moip_late_charge_line(self):
        """The boleto of an overdue invoice is a "2ª via atualizada": the server charged its
        multa and juros on top of what the invoice still owes (the client area decides the
        amount). Say so on the boleto, which the bank's cashier and the customer read.
        PagBank's boleto prints the same line."""
        invoices = self._moip_open_invoices()
        if not invoices or len(invoices.currency_id) != 1:
            return ""
        extra = self.currency_id.round(self.amount - sum(invoices.mapped("amount_residual")))
        if self.currency_id.compare_amounts(extra, 0) <= 0:
            return ""
        return self.env._(
            "Updated copy: includes %(amount)s of late fee and interest (multa e juros).",
            amount=format_amount(self.env, extra, self.currency_id),
        )

    def _moip_open_invoices(self):
        """The transaction's invoices still owed: posted, not (fully) paid.

        Not meusite_portal's ``account.move._meusite_open_invoices`` (the one definition of
        the client area): this provider installs without the client area (its manifest
        depends on account_payment and base_address_extended only), so it reads account's
        own fields. For a transaction's invoices (customer invoices of one customer) both
        say the same; meusite_test_full's tests/test_hooks.py checks that they agree and
        that the late-charge line names the portal's late charge to the centavo."""
        return self.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.payment_state in ("not_paid", "partial")
        )

    @staticmethod
    def _moip_web_link(url):
        """The URL when it is a web address; pages render these links as ``href``, so a
        ``javascript:`` (or any other scheme) in an answer never becomes one."""
        return url if isinstance(url, str) and re.match(r"https?://", url, re.I) else False

    def _moip_store_payment(self, payment):
        boleto = (payment.get("fundingInstrument") or {}).get("boleto") or {}
        links = {
            key: self._moip_web_link(url)
            for key, url in ((payment.get("_links") or {}).get("payBoleto") or {}).items()
        }
        self.write({
            "moip_payment_id": payment["id"],
            "provider_reference": payment["id"],
            "moip_status": payment.get("status"),
            "moip_line_code": boleto.get("lineCode"),
            "moip_boleto_url": links.get("redirectHref"),
            "moip_print_url": links.get("printHref") or links.get("redirectHref"),
            "moip_due_date": boleto.get("expirationDate"),
        })

    # === BUSINESS METHODS - NOTIFICATIONS === #

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "moip" or len(tx) == 1:
            return tx
        resource = notification_data.get("resource") or {}
        payment = resource.get("payment") or {}
        payment_id = payment.get("id")
        if not payment_id:
            raise ValidationError(self.env._("Received data with missing payment id."))
        # Only Moip transactions have a Moip payment id: no join on the provider needed.
        tx = self.search_fetch(
            [("moip_payment_id", "=", payment_id)], NOTIFICATION_FIELDS, limit=1
        )
        # A payment we never stored (the create call timed out after Moip had created it):
        # matched through its order, which we stored first; the read-back confirms it.
        order_id = ((payment.get("_links") or {}).get("order") or {}).get("title")
        if not tx and order_id:
            tx = self.search_fetch(
                [("provider_code", "=", "moip"), ("moip_order_id", "=", order_id),
                 ("moip_payment_id", "=", False)],
                NOTIFICATION_FIELDS, limit=1,
            )
        own_id = payment.get("ownId") or (resource.get("order") or {}).get("ownId")
        if not tx and own_id:
            tx = self.search_fetch(
                [("provider_code", "=", "moip"), ("reference", "=", own_id)],
                NOTIFICATION_FIELDS, limit=1,
            )
        if not tx:
            raise ValidationError(
                self.env._("No transaction found matching payment %(id)s.", id=payment_id)
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Read the payment back from Moip and apply it; the notification body is not trusted."""
        super()._process_notification_data(notification_data)
        if self.provider_code != "moip":
            return
        payment = (notification_data.get("resource") or {}).get("payment") or {}
        payment_id = payment.get("id") or self.moip_payment_id
        if self.moip_payment_id and payment_id != self.moip_payment_id:
            raise ValidationError(
                self.env._("Payment %(id)s does not belong to %(ref)s.",
                             id=payment_id, ref=self.reference)
            )
        if self._moip_notification_cannot_advance(notification_data, payment):
            _logger.info(
                "Moip: %s notification for %s (already %s) cannot change it; acknowledged.",
                notification_data.get("event"), self.reference, self.moip_status,
            )
            return
        verified = self.provider_id._moip_make_request(f"/payments/{payment_id}", method="GET")
        # Serialize concurrent deliveries of the same payment: the second one waits, then
        # Odoo retries it on the committed state, so the invoice is reconciled only once.
        # Locked after the read: no worker waits for another's call to a slow Moip.
        verified_order = ((verified.get("_links") or {}).get("order") or {}).get("title")
        if not self.moip_payment_id and self.moip_order_id and verified_order != self.moip_order_id:
            raise ValidationError(
                self.env._("Payment %(id)s does not belong to %(ref)s.",
                             id=payment_id, ref=self.reference)
            )
        lock_rows(self)
        self._moip_apply_payment(verified)

    def _moip_notification_cannot_advance(self, notification_data, payment):
        """Duplicates and late events (30% of Moip's traffic) cost no call to Moip.

        The claimed status only ever lets us skip work, never apply anything: a notification
        that claims no more than what Moip already confirmed cannot move the transaction,
        whatever its body says. A lost progress is caught up by the polling action.
        """
        if not self.moip_status or self.state == "draft":
            return False
        event = notification_data.get("event") or ""
        claims = [event.rpartition(".")[2], payment.get("status")]
        ranks = [const.STATUS_RANK[c] for c in claims if c in const.STATUS_RANK]
        if not ranks:
            return False
        return max(ranks) <= const.STATUS_RANK.get(self.moip_status, -1)

    def _moip_apply_payment(self, payment):
        self.ensure_one()
        status = payment.get("status")
        if status not in const.STATUS_RANK:
            _logger.warning("Moip: unknown status %r for %s; ignored.", status, self.reference)
            return
        previous = self.moip_status
        if previous == status and self.state != "draft":
            _logger.info("Moip: %s already %s; duplicate ignored.", self.reference, status)
            return
        if previous and const.STATUS_RANK[status] < const.STATUS_RANK.get(previous, -1):
            _logger.info(
                "Moip: late %s for %s (already %s); ignored.", status, self.reference, previous
            )
            return
        values = {"moip_status": status}
        if not self.moip_payment_id:
            values.update(moip_payment_id=payment.get("id"), provider_reference=payment.get("id"))
        self.write(values)

        if status in const.STATUS_MAPPING["pending"]:
            if self.state == "draft":
                self._set_pending()
        elif status in const.STATUS_MAPPING["done"]:
            self._moip_apply_paid(payment)
        elif status in const.STATUS_MAPPING["cancel"]:
            if self.state != "cancel":
                self._set_canceled(self.env._("The boleto expired unpaid."))
        elif status in const.STATUS_MAPPING["refunded"]:
            message = self.env._(
                "Moip reports the payment %(id)s of %(ref)s as %(status)s.",
                id=self.moip_payment_id, ref=self.reference, status=status,
            )
            self._meusite_payment_reversed(message, self.env._("Moip refund or chargeback"))

    def _moip_apply_paid(self, payment):
        """Moip confirms the boleto paid: see `_meusite_boleto_apply_paid`."""
        self._meusite_boleto_apply_paid((payment.get("amount") or {}).get("total"), "Moip")

    def _meusite_boleto_apply_paid(self, paid, service):
        """The payment service confirms ``paid`` centavos received: the money is ours whatever
        we did with the transaction. Shared by every boleto/PIX provider (Moip, PagBank).

        A boleto paid on its due date reaches the service days later (the bank settles D+1 to
        D+3), possibly after the polling cron cancelled the transaction. Odoo's `_set_done`
        (and `_set_error`) do not accept a cancelled transaction, as a provider's cancel is
        final; ours is not, it only meant "no news from the service", so a cancelled one is
        revived here on purpose. The post-processing then reconciles the invoice if it is still
        open; if it was paid another way meanwhile, the payment stays on the customer's account
        as a credit (see readme/CONTEXT.md) and finance is asked to settle it with the customer.
        """
        revived = ("cancel",) if self.state == "cancel" else ()
        expected = payment_utils.to_minor_currency_units(self.amount, self.currency_id)
        if paid != expected:
            message = self.env._(
                "%(service)s reports %(paid)s centavos paid for %(ref)s, which expects"
                " %(expected)s: the invoice was not marked paid.",
                service=service, paid=paid, ref=self.reference, expected=expected,
            )
            _logger.warning("%s", message)
            # SETTLED after AUTHORIZED: one activity only.
            if self._set_error(message, extra_allowed_states=revived):
                self._moip_notify_finance(
                    self.env._("%(service)s amount mismatch", service=service), message
                )
            return
        still_owed = sum(
            invoice.amount_residual for invoice in self.invoice_ids if invoice.state == "posted"
        )
        if not self.with_context(moip_log_done_later=True)._set_done(
            extra_allowed_states=revived
        ):
            return
        if revived:
            _logger.info("%s: %s paid after it was cancelled here; revived.", service,
                         self.reference)
        if self.invoice_ids and self.currency_id.compare_amounts(still_owed, self.amount) < 0:
            credit = self.amount - max(still_owed, 0.0)
            message = self.env._(
                "The boleto %(ref)s was paid (%(amount)s) after its invoice was settled another"
                " way: %(credit)s stays as a credit on the customer's account. Use it on the"
                " next invoice or refund it.",
                ref=self.reference,
                amount=format_amount(self.env, self.amount, self.currency_id),
                credit=format_amount(self.env, credit, self.currency_id),
            )
            _logger.warning("%s: %s", service, message)
            self._moip_notify_finance(self.env._("Boleto paid twice: customer credit"), message)
        self._moip_post_process()

    def _meusite_payment_reversed(self, message, summary):
        """A refund or a chargeback of a payment: the money went back, so what it paid is open
        again. The accounting payment is cancelled (its reconciliation undone: the invoice is
        "not paid" again), the transaction cancelled, and finance gets an activity to follow
        it up with the customer. Shared by every boleto/PIX provider (Moip, PagBank)."""
        self.ensure_one()
        if self.state == "done":
            payment = self.sudo().payment_id
            if payment and payment.state != "canceled":
                payment.action_draft()
                payment.action_cancel()
        if self.state != "cancel":
            self._set_canceled(message, extra_allowed_states=("done",))
        self._moip_notify_finance(summary, message)

    def _meusite_defers_received_log(self):
        """Whether "payment received" is noted on the invoice by the post-processing (boleto
        and PIX providers), not when the transaction is confirmed (hook; contract tested by
        tests/test_hooks.py).

        Called on one transaction by ``_log_received_message`` and ``_post_process``.
        Returns a bool: True for this provider's transactions. An override
        (meusite_pagbank_payment) returns ``provider_code == <its code> or super()``."""
        return self.provider_code == "moip"

    def _log_received_message(self):
        """A confirmed Moip payment is noted on its invoices by the post-processing, with it.

        Payments come in bursts of webhooks (a bank's daily return); a chatter post is half of
        what confirming one costs there, and the reconciliation that follows is deferred anyway.
        """
        txs = self
        if self.env.context.get("moip_log_done_later"):
            txs = self.filtered(
                lambda tx: not tx._meusite_defers_received_log() or tx.state != "done"
            )
        return super(PaymentTransaction, txs)._log_received_message()

    def _post_process(self):
        confirmed = self.filtered(
            lambda tx: tx._meusite_defers_received_log() and tx.state == "done"
        )
        confirmed.with_context(moip_log_done_later=False)._log_received_message()
        return super()._post_process()

    def _moip_post_process(self):
        """Have Odoo's post-processing cron reconcile the invoice now instead of within 10 min.

        Posting the payment is the heavy part (about half a second): leaving it to the cron
        keeps the webhook fast and lets one worker number payments one after the other. When
        payments come in a burst, the cron is woken once, not once per payment.
        """
        cron = self.env.ref("payment.cron_post_process_payment_tx", raise_if_not_found=False)
        if not cron:
            return
        now = fields.Datetime.now()
        # A trigger created due means its creator woke the cron worker after committing.
        # create_date is its transaction's timestamp, hence compared with ours.
        just_woken = self.env["ir.cron.trigger"].sudo().search_count([
            ("cron_id", "=", cron.id),
            ("call_at", "<=", now),
            ("create_date", ">=", self.env.cr.now()
             - timedelta(seconds=const.CRON_WAKE_UP_WINDOW)),
        ], limit=1)
        if just_woken:
            cron._trigger(now + timedelta(seconds=const.CRON_CATCH_UP_DELAY))
        else:
            cron._trigger()

    def _moip_notify_finance(self, summary, note):
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        for invoice in self.invoice_ids:
            user = invoice.invoice_user_id
            if not user or not user._is_internal():
                user = admin
            invoice.activity_schedule(
                "mail.mail_activity_data_todo", summary=summary, note=note,
                user_id=user.id if user else self.env.uid,
            )

    # === CRON === #

    @api.model
    def _cron_moip_poll_pending(self):
        """Catch up on lost notifications, then cancel the boletos past due and grace period."""
        limit = fields.Datetime.now() - timedelta(hours=const.POLLING_DELAY_HOURS)
        txs = self.search([
            ("provider_code", "=", "moip"),
            ("state", "=", "pending"),
            ("moip_payment_id", "!=", False),
            ("last_state_change", "<=", limit),
        ])
        today = fields.Date.context_today(self)
        for tx in txs:
            try:
                with self.env.cr.savepoint():
                    tx._process_notification_data({})
                    grace = timedelta(days=tx.provider_id.sudo().moip_boleto_grace_days)
                    if tx.state == "pending" and tx.moip_due_date and (
                        tx.moip_due_date + grace < today
                    ):
                        tx._set_canceled(self.env._("The boleto expired unpaid."))
            except ValidationError as error:
                _logger.warning("Moip: polling %s failed: %s", tx.reference, error.args[0])
        self._moip_poll_errors_with_order(limit)

    @api.model
    def _moip_poll_errors_with_order(self, limit):
        """A transaction left in error after its order was created (the payment call timed out
        or failed after Moip had issued the boleto): the boleto Moip holds for the order is
        read and applied, so a payment of it is not lost. An order without a boleto stays."""
        txs = self.search([
            ("provider_code", "=", "moip"),
            ("state", "=", "error"),
            ("moip_order_id", "!=", False),
            ("moip_payment_id", "=", False),
            ("last_state_change", "<=", limit),
        ])
        for tx in txs:
            try:
                with self.env.cr.savepoint():
                    payment = tx._moip_read_order_boleto()
                    lock_rows(tx)
                    tx._moip_apply_payment(payment)
            except ValidationError as error:
                _logger.info("Moip: %s in error has no boleto to apply: %s", tx.reference,
                             error.args[0])

    @api.model
    def _cron_moip_poll_cancelled(self):
        """Ask Moip about the boletos we cancelled while Moip still had them open.

        A bank can take a boleto after its due date and settle it days later: for as long as
        the provider's "late payments" period runs after the due date, a payment Moip confirms
        revives the transaction (`_moip_apply_paid`). Once a day is enough for money that
        takes days to arrive; the notification, when it comes, is faster anyway.
        """
        today = fields.Date.context_today(self)
        providers = self.env["payment.provider"].sudo().search([("code", "=", "moip")])
        longest = max(providers.mapped("moip_late_payment_days") or [0])
        txs = self.search([
            ("provider_code", "=", "moip"),
            ("state", "=", "cancel"),
            ("moip_payment_id", "!=", False),
            ("moip_status", "in", const.STATUS_MAPPING["pending"]),
            ("moip_due_date", ">=", today - timedelta(days=longest)),
        ])
        for tx in txs:
            days = tx.provider_id.sudo().moip_late_payment_days
            if tx.moip_due_date + timedelta(days=days) < today:
                continue
            try:
                with self.env.cr.savepoint():
                    tx._process_notification_data({})
            except ValidationError as error:
                _logger.warning("Moip: polling %s failed: %s", tx.reference, error.args[0])
