import hashlib
import logging
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import email_split, format_date, format_datetime, single_email_re

from .. import const
from .payment_provider import PagbankRefusedError
from odoo.addons.meusite_moip_payment.private_api import lock_rows
from odoo.addons.payment import utils as payment_utils

_logger = logging.getLogger(__name__)

# What deciding on a notification reads (most are duplicates that stop there).
NOTIFICATION_FIELDS = ["provider_id", "reference", "state", "pagbank_order_id", "pagbank_status"]


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    pagbank_order_id = fields.Char(string="PagBank Order", readonly=True, copy=False, index=True)
    pagbank_status = fields.Char(string="PagBank Status", readonly=True, copy=False)
    pagbank_charge_id = fields.Char(string="PagBank Charge", readonly=True, copy=False)
    pagbank_barcode = fields.Char(string="PagBank Boleto Line Code", readonly=True, copy=False)
    pagbank_pdf_url = fields.Char(string="PagBank Boleto PDF", readonly=True, copy=False)
    pagbank_png_url = fields.Char(string="PagBank Boleto Image", readonly=True, copy=False)
    pagbank_due_date = fields.Date(string="PagBank Boleto Due Date", readonly=True, copy=False)
    pagbank_qr_text = fields.Char(string="PIX Copia e Cola", readonly=True, copy=False)
    pagbank_qr_expiration = fields.Datetime(string="PIX Valid Until", readonly=True, copy=False)

    # === BUSINESS METHODS - RENDERING === #

    def _get_specific_rendering_values(self, processing_values):
        """Create the PagBank order (a boleto charge or a PIX QR code) once, then send the
        customer to the page that shows it. Failures put the transaction in error with a
        Portuguese message shown on that page; the invoice stays payable."""
        res = super()._get_specific_rendering_values(processing_values)
        if self.provider_code != "pagbank":
            return res
        # A second "Pay now" while this one waits is refused by meusite_portal (one covering
        # payment per invoice), so an order is created once per transaction.
        if not self.pagbank_order_id:
            error = self._pagbank_check_customer_data()
            if error:
                self._set_error(error)
            else:
                try:
                    self._pagbank_create_order()
                except PagbankRefusedError as refusal:
                    self._set_error(self._pagbank_refusal_message(refusal))
                except ValidationError as pagbank_error:
                    self._set_error(pagbank_error.args[0])
        return {
            "api_url": const.PAYMENT_PAGE_ROUTE,
            "reference": self.reference,
            "access_token": self._pagbank_access_token(),
        }

    def _pagbank_access_token(self):
        return self._meusite_page_token(const.PAGE_TOKEN_SCOPE)


    def _pagbank_qr_image_url(self):
        """The PIX QR image, drawn by Odoo's barcode route from the copia e cola text."""
        self.ensure_one()
        return "/report/barcode/?" + urlencode({
            "barcode_type": "QR", "value": self.pagbank_qr_text or "", "width": 400,
            "height": 400,
        })

    def _pagbank_is_pix(self):
        return self.payment_method_code == "pix"

    # --- The customer's data, as PagBank takes it ---

    def _pagbank_customer_email(self):
        """The first valid address of the e-mail field within PagBank's 10-255 characters."""
        for email in email_split(self.partner_id.email):
            if single_email_re.match(email) and (
                const.LIMITS["email_min"] <= len(email) <= const.LIMITS["email_max"]
            ):
                return email
        return None

    def _pagbank_check_customer_data(self):
        """What the customer must fix in "Meus Dados" before PagBank accepts the order, or
        None; nothing is sent. PIX needs the name, CPF/CNPJ and e-mail; a boleto also the
        address of its payer (read by the shared `_moip_partner_address`)."""
        self.ensure_one()
        missing = self._meusite_payer_missing(
            None if self._pagbank_is_pix() else self._moip_partner_address())
        if not self._pagbank_customer_email():
            missing.append(self.env._("a valid e-mail address"))
        if not missing:
            return None
        return self._pagbank_customer_data_message(missing)

    def _pagbank_customer_data_message(self, missing):
        return self.env._(
            "To pay by %(method)s, please correct your details in \"Meus Dados\": %(missing)s.",
            method="PIX" if self._pagbank_is_pix() else "boleto",
            missing=self.env._(" and ").join(missing),
        )

    def _pagbank_field_labels(self):
        """What "Meus Dados" calls each field PagBank may refuse (last part of its
        ``parameter_name``)."""
        address = self.env._("your full address (street, city, state and ZIP code)")
        return {
            "tax_id": self.env._("a valid CPF or CNPJ"),
            "email": self.env._("a valid e-mail address"),
            "name": self.env._("your name"),
            "phones": self.env._("a phone number with area code (DDD)"),
            "street": address,
            "number": self.env._("the street number of your address"),
            "complement": self.env._("the complement of your address"),
            "locality": self.env._("the district (bairro) of your address"),
            "city": address,
            "region": address,
            "region_code": address,
            "postal_code": self.env._("a valid ZIP code (CEP)"),
        }

    def _pagbank_refusal_message(self, refusal):
        """What the customer reads when PagBank refused the order: for 40001/40002 on one of
        their fields, which field to correct in "Meus Dados"; otherwise what happened."""
        labels = self._pagbank_field_labels()
        missing = []
        for error in refusal.errors:
            if error["code"] not in ("40001", "40002"):
                continue
            path = error["parameter_name"]
            if not (path.startswith("customer") or ".holder" in path):
                continue
            field = re.sub(r"\[\d+\]", "", path.rpartition(".")[2])
            label = labels.get(field)
            if label and label not in missing:
                missing.append(label)
        if missing:
            return self._pagbank_customer_data_message(missing)
        if refusal.status in (401, 403):
            return refusal.args[0]
        return self.env._(
            "The payment service refused this payment. Nothing was charged and your invoice is"
            " still open: please try again later, choose another method or contact us."
        )

    @staticmethod
    def _pagbank_plain_name(name, limit):
        """A name as PagBank's boleto takes it: letters, digits and spaces only (40002
        otherwise), accents removed, cut at a word within ``limit`` characters."""
        text = unicodedata.normalize("NFKD", name or "")
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = re.sub(r"\s+", " ", re.sub(r"[^A-Za-z0-9 ]", " ", text)).strip()
        if len(text) <= limit:
            return text
        cut = text[:limit + 1].rsplit(" ", 1)[0]
        return (cut if cut and len(cut) <= limit else text[:limit]).strip()

    def _pagbank_prepare_customer(self):
        partner = self.partner_id
        customer = {
            "name": (partner.name or "")[: const.LIMITS["customer_name"]].strip(),
            "email": self._pagbank_customer_email() or "",
            "tax_id": self._moip_partner_document(),
        }
        phone = re.sub(r"\D", "", partner.phone or partner.mobile or "")
        if phone.startswith("55") and len(phone) >= 12:
            phone = phone[2:]
        if 10 <= len(phone) <= 11:
            customer["phones"] = [{
                "country": "55", "area": phone[:2], "number": phone[2:],
                "type": "MOBILE" if len(phone) == 11 else "BUSINESS",
            }]
        return customer

    def _pagbank_prepare_items(self, total):
        currency = self.currency_id
        items = [
            {
                "reference_id": invoice.name,
                "name": f"{invoice.name} - {invoice.invoice_line_ids[:1].name or ''}"
                [: const.LIMITS["item_name"]].strip(" -"),
                "quantity": 1,
                "unit_amount": payment_utils.to_minor_currency_units(
                    invoice.amount_residual, currency
                ),
            }
            for invoice in self.invoice_ids
            if invoice.state == "posted" and not currency.is_zero(invoice.amount_residual)
        ]
        extra = total - sum(item["unit_amount"] for item in items)
        if items and extra > 0 and self._moip_late_charge_line():
            items.append({"reference_id": "multa-juros", "name": self.env._("Late fee and"
                          " interest (multa e juros)")[: const.LIMITS["item_name"]],
                          "quantity": 1, "unit_amount": extra})
        if not items or sum(item["unit_amount"] for item in items) != total:
            items = [{"reference_id": self.reference, "name": self.reference[:64],
                      "quantity": 1, "unit_amount": total}]
        return items

    def _pagbank_prepare_order_payload(self):
        self.ensure_one()
        total = payment_utils.to_minor_currency_units(self.amount, self.currency_id)
        payload = {
            "reference_id": self.reference[: const.LIMITS["reference_id"]],
            "customer": self._pagbank_prepare_customer(),
            "items": self._pagbank_prepare_items(total),
            # PagBank takes one URL per order, and no registration endpoint.
            "notification_urls": [
                self.provider_id.get_base_url().rstrip("/") + const.WEBHOOK_ROUTE
            ],
        }
        if self._pagbank_is_pix():
            provider = self.provider_id.sudo()
            expires = datetime.now(timezone(timedelta(hours=-3))) + timedelta(
                hours=max(provider.pagbank_pix_hours, 1)
            )
            payload["qr_codes"] = [{
                "amount": {"value": total},
                "expiration_date": expires.replace(microsecond=0).isoformat(),
            }]
        else:
            payload["charges"] = [self._pagbank_prepare_boleto_charge(total)]
        return payload

    def _pagbank_prepare_boleto_charge(self, total):
        provider = self.provider_id.sudo()
        due = fields.Date.context_today(self) + timedelta(days=max(provider.pagbank_boleto_days, 1))
        limit = const.LIMITS["instruction_line"]
        invoices = ", ".join(self.invoice_ids.mapped("name")) or self.reference
        line_1 = provider.moip_instruction_line_1 or self.env._(
            "Payment of %(invoices)s", invoices=invoices
        )
        line_2 = self._moip_late_charge_line() or provider.moip_instruction_line_2 or (
            self.company_id.name or ""
        )
        address = self._moip_partner_address()
        document = self._moip_partner_document()
        state = self.partner_id.state_id
        holder_address = {
            "street": address["street"][: const.LIMITS["street"]].strip(),
            "number": (address["number"] or "S/N")[: const.LIMITS["number"]].strip(),
            "locality": address["district"][: const.LIMITS["locality"]].strip(),
            "city": address["city"][: const.LIMITS["city"]].strip(),
            "region": (state.name or address["state"])[:50],
            "region_code": address["state"],
            "country": "BRA",
            "postal_code": re.sub(r"\D", "", address["zip"]),
        }
        if address["complement"]:
            holder_address["complement"] = address["complement"][: const.LIMITS["complement"]]
        charge = {
            "reference_id": self.reference[: const.LIMITS["reference_id"]],
            "description": self.env._("Invoice %(invoices)s", invoices=invoices)
            [: const.LIMITS["description"]],
            "amount": {"value": total, "currency": "BRL"},
            "payment_method": {
                "type": "BOLETO",
                "boleto": {
                    # COBRANCA: a bill the payer owes (PROPOSTA prints "payment not
                    # mandatory"), and the only template taking multa and juros.
                    "template": "COBRANCA",
                    "due_date": due.isoformat(),
                    "instruction_lines": {
                        "line_1": line_1[:limit].strip(),
                        "line_2": (line_2[:limit].strip() or "-"),
                    },
                    "holder": {
                        "name": self._pagbank_plain_name(
                            self.partner_id.name, const.LIMITS["holder_name"]
                        ),
                        "tax_id": document,
                        "email": self._pagbank_customer_email() or "",
                        "address": holder_address,
                    },
                },
            },
        }
        instructions = self._pagbank_payment_instructions(due)
        if instructions:
            charge["payment_instructions"] = instructions
        return charge

    def _pagbank_payment_instructions(self, due):
        """Our multa and juros (meusite_portal's late-charge settings) for the bank to charge
        after the due date: percentages x100, from the day after it."""
        rates = self.env["account.move"]._meusite_late_charge_rates()
        if not rates:
            return None
        fee, interest = rates
        after = (due + timedelta(days=1)).isoformat()
        instructions = {}
        fee_value = min(round(fee * 100), const.LIMITS["fine"])
        interest_value = min(round(interest * 100), const.LIMITS["interest"])
        if fee_value >= 1:
            instructions["fine"] = {"date": after, "value": fee_value}
        if interest_value >= 1:
            instructions["interest"] = {"date": after, "value": interest_value}
        return instructions or None

    def _pagbank_idempotency_key(self, action="order"):
        """The same key for every attempt of one transaction's call (a retry after a timeout
        cannot create a second order), distinct between databases on one PagBank account."""
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return hashlib.sha256(f"{uuid}:{action}:{self.reference}".encode()).hexdigest()[:40]

    def _pagbank_create_order(self):
        self.ensure_one()
        provider = self.provider_id
        _logger.info("PagBank: creating the %s order of %s.", self.payment_method_code,
                     self.reference)
        order = provider._pagbank_make_request(
            "/orders", payload=self._pagbank_prepare_order_payload(),
            idempotency_key=self._pagbank_idempotency_key(),
        )
        if not order.get("id"):
            raise ValidationError(self.env._("The payment service did not create the order."))
        if provider.sudo().pagbank_last_error:
            provider.sudo().pagbank_last_error = False
        self._pagbank_store_order(order)
        status = self._pagbank_order_status(order)
        self.pagbank_status = status
        if status == "DECLINED":
            self._set_error(self.env._(
                "The payment service declined this boleto. Nothing was charged; please choose"
                " another method or contact us."
            ))
        else:
            self._set_pending()
            self._meusite_send_payment_email()

    def _pagbank_store_order(self, order):
        """Keep what the customer needs to pay: the QR code's text and expiry, or the boleto's
        line, due date and files (picked by media type, web addresses only)."""
        values = {"pagbank_order_id": order.get("id"), "provider_reference": order.get("id")}
        qr = (order.get("qr_codes") or [None])[0]
        if isinstance(qr, dict):
            values["pagbank_qr_text"] = qr.get("text")
            expires = self._pagbank_parse_datetime(qr.get("expiration_date"))
            if expires:
                values["pagbank_qr_expiration"] = expires
        for charge in order.get("charges") or []:
            method = charge.get("payment_method") or {}
            if method.get("type") != "BOLETO":
                continue
            boleto = method.get("boleto") or {}
            links = {
                link.get("media"): self._moip_web_link(link.get("href"))
                for link in charge.get("links") or [] if isinstance(link, dict)
            }
            values.update({
                "pagbank_charge_id": charge.get("id"),
                "pagbank_barcode": boleto.get("formatted_barcode") or boleto.get("barcode"),
                "pagbank_due_date": boleto.get("due_date"),
                "pagbank_pdf_url": links.get("application/pdf"),
                "pagbank_png_url": links.get("image/png"),
            })
            break
        self.write(values)

    @staticmethod
    def _pagbank_parse_datetime(value):
        """PagBank's ISO-8601 with offset, as Odoo's naive UTC."""
        try:
            moment = datetime.fromisoformat(value or "")
        except ValueError:
            return None
        if moment.tzinfo:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return moment.replace(microsecond=0)

    # === BUSINESS METHODS - NOTIFICATIONS === #

    @api.model
    def _pagbank_order_status(self, order):
        """What an order's charges add up to: WAITING, PAID, REFUNDED (something paid was
        given back), CANCELED or DECLINED. A PIX order has no charge until it is paid."""
        charges = [c for c in order.get("charges") or [] if isinstance(c, dict)]
        summaries = [((c.get("amount") or {}).get("summary") or {}) for c in charges]
        paid = sum(int(s.get("paid") or 0) for s in summaries)
        refunded = sum(int(s.get("refunded") or 0) for s in summaries)
        if paid and refunded:
            return "REFUNDED"
        if any(c.get("status") == "PAID" for c in charges):
            return "PAID"
        if charges and all(c.get("status") in ("CANCELED", "DECLINED") for c in charges):
            return "DECLINED" if any(c.get("status") == "DECLINED" for c in charges) \
                else "CANCELED"
        return "WAITING"

    @api.model
    def _pagbank_paid_amount(self, order):
        return sum(
            int((((c.get("amount") or {}).get("summary") or {}).get("paid")) or 0)
            for c in order.get("charges") or [] if c.get("status") == "PAID"
        )

    def _get_tx_from_notification_data(self, provider_code, notification_data):
        tx = super()._get_tx_from_notification_data(provider_code, notification_data)
        if provider_code != "pagbank" or len(tx) == 1:
            return tx
        order_id = notification_data.get("id")
        if not isinstance(order_id, str) or not order_id.startswith("ORDE_"):
            raise ValidationError(self.env._("Received data with missing order id."))
        tx = self.search_fetch([("pagbank_order_id", "=", order_id)], NOTIFICATION_FIELDS,
                               limit=1)
        reference = notification_data.get("reference_id")
        if not tx and isinstance(reference, str) and reference:
            # An order we never stored (our create call timed out after PagBank had created
            # it): found by our reference, which the read-back must confirm.
            tx = self.search_fetch(
                [("provider_code", "=", "pagbank"), ("reference", "=", reference),
                 ("pagbank_order_id", "=", False)],
                NOTIFICATION_FIELDS, limit=1,
            )
        if not tx:
            raise ValidationError(
                self.env._("No transaction found matching order %(id)s.", id=order_id)
            )
        return tx

    def _process_notification_data(self, notification_data):
        """Read the order back from PagBank and apply it; the notification body is not
        trusted (a signature proves who sent it, not that it is the latest news)."""
        super()._process_notification_data(notification_data)
        if self.provider_code != "pagbank":
            return
        order_id = self.pagbank_order_id or notification_data.get("id")
        if not order_id:
            raise ValidationError(self.env._("No PagBank order to read for %(ref)s.",
                                             ref=self.reference))
        if notification_data.get("id") and notification_data["id"] != order_id:
            raise ValidationError(self.env._("Order %(id)s does not belong to %(ref)s.",
                                             id=notification_data["id"], ref=self.reference))
        if self._pagbank_notification_cannot_advance(notification_data):
            _logger.info("PagBank: notification for %s (already %s) cannot change it.",
                         self.reference, self.pagbank_status)
            return
        verified = self.provider_id._pagbank_make_request(f"/orders/{order_id}", method="GET")
        if verified.get("id") != order_id or verified.get("reference_id") != self.reference[
            : const.LIMITS["reference_id"]
        ]:
            raise ValidationError(self.env._("Order %(id)s does not belong to %(ref)s.",
                                             id=order_id, ref=self.reference))
        # Concurrent deliveries of one order: the second waits here, then Odoo retries it on
        # the committed state, so the invoice is reconciled once.
        lock_rows(self)
        self._pagbank_apply_order(verified)

    def _pagbank_notification_cannot_advance(self, notification_data):
        """Duplicates and late deliveries cost no call to PagBank: a body that claims no more
        than what PagBank already confirmed cannot move the transaction. The claim only ever
        lets us skip work, never apply anything; a lost progress is caught by the polling."""
        if not notification_data or not self.pagbank_status or self.state in ("draft", "error"):
            return False
        claim = self._pagbank_order_status(notification_data)
        return const.STATUS_RANK[claim] <= const.STATUS_RANK.get(self.pagbank_status, 0)

    def _pagbank_apply_order(self, order):
        self.ensure_one()
        status = self._pagbank_order_status(order)
        previous = self.pagbank_status
        if previous and const.STATUS_RANK[status] < const.STATUS_RANK.get(previous, 0):
            _logger.info("PagBank: late %s for %s (already %s); ignored.", status,
                         self.reference, previous)
            return
        if previous == status and self.state not in ("draft", "error"):
            _logger.info("PagBank: %s already %s; duplicate ignored.", self.reference, status)
            return
        if not self.pagbank_order_id:
            _logger.info("PagBank: order %s of %s recovered from a notification.",
                         order.get("id"), self.reference)
            self._pagbank_store_order(order)
        self.pagbank_status = status
        if status == "WAITING":
            if self.state in ("draft", "error"):
                self._set_pending(extra_allowed_states=("error",))
                # A create that timed out: the customer gets the boleto or PIX now.
                self._meusite_send_payment_email()
        elif status == "PAID":
            self._meusite_boleto_apply_paid(self._pagbank_paid_amount(order), "PagBank")
        elif status in ("CANCELED", "DECLINED"):
            if self.state in ("draft", "pending", "error"):
                self._set_canceled(self.env._("PagBank reports the payment %(status)s.",
                                              status=status))
        elif status == "REFUNDED":
            self._pagbank_apply_refund(order)

    def _pagbank_apply_refund(self, order):
        """Money PagBank gave back: all of it reopens what the payment paid; a part of it is
        for finance to settle (a credit note, a new invoice) with the customer."""
        summaries = [((c.get("amount") or {}).get("summary") or {})
                     for c in order.get("charges") or []]
        paid = sum(int(s.get("paid") or 0) for s in summaries)
        refunded = sum(int(s.get("refunded") or 0) for s in summaries)
        message = self.env._(
            "PagBank reports %(refunded)s of %(paid)s centavos of %(ref)s refunded"
            " (order %(order)s).",
            refunded=refunded, paid=paid, ref=self.reference, order=self.pagbank_order_id,
        )
        _logger.warning("PagBank: %s", message)
        summary = self.env._("PagBank refund or chargeback")
        if refunded >= paid:
            self._meusite_payment_reversed(message, summary)
        else:
            self._moip_notify_finance(summary, message)

    def _meusite_defers_received_log(self):
        return self.provider_code == "pagbank" or super()._meusite_defers_received_log()

    # === THE INVOICE'S PDF === #

    def _meusite_invoice_payment_lines(self):
        """What this PagBank payment, still waiting, prints under "Como pagar" on the
        invoice's PDF (meusite_portal's hook; this addon reaches it through the lookup, as
        Moip does): a boleto's linha digitável and due date; a PIX's copia e cola with the
        moment it stops working, and only while it works. A PDF is kept and printed, the
        QR code expires: see readme/CONTEXT.md "The invoice's PDF"."""
        following = getattr(super(), "_meusite_invoice_payment_lines", None)
        lines = following() if following else []
        if self.provider_code != "pagbank" or self.state != "pending":
            return lines
        if self.pagbank_barcode:
            lines.append({
                "label": self.env._("Boleto line code"),
                "value": self.pagbank_barcode,
                "note": self.pagbank_due_date and self.env._(
                    "Due date: %s", format_date(self.env, self.pagbank_due_date)
                ),
            })
        elif (
            self.pagbank_qr_text
            and self.pagbank_qr_expiration
            and self.pagbank_qr_expiration > fields.Datetime.now()
        ):
            lines.append({
                "label": self.env._("PIX copy and paste code"),
                "value": self.pagbank_qr_text,
                "note": self.env._(
                    "Valid until %s (Brasília time). After that, pay from the invoice page.",
                    format_datetime(
                        self.env, self.pagbank_qr_expiration, tz="America/Sao_Paulo",
                        dt_format="dd/MM/yyyy HH:mm",
                    ),
                ),
            })
        return lines

    # === THE PAYMENT E-MAIL === #

    def _meusite_payment_email_values(self):
        """The boleto's line, due date and PDF, or the PIX copia e cola, its QR image and
        expiry, for the payment e-mail shared with Moip (meusite_moip_payment's template)."""
        if self.provider_code != "pagbank":
            return super()._meusite_payment_email_values()
        self.ensure_one()
        if self.pagbank_barcode:
            return {
                "line_code": self.pagbank_barcode,
                "due_date": self.pagbank_due_date,
                "print_url": self.pagbank_pdf_url,
            }
        if self.pagbank_qr_text:
            return {
                "pix_code": self.pagbank_qr_text,
                "pix_qr_url": self.get_base_url().rstrip("/") + self._pagbank_qr_image_url(),
                "pix_valid_until": self.pagbank_qr_expiration and format_datetime(
                    self.env, self.pagbank_qr_expiration, tz="America/Sao_Paulo",
                    dt_format="dd/MM/yyyy HH:mm",
                ),
            }
        return {}

    # === CRON === #

    @api.model
    def _cron_pagbank_poll(self):
        """Read back the orders still waiting (a lost notification; a create that failed on our
        side but has an order id), then cancel the PIX codes expired and the boletos past due
        and grace period, unpaid. A payment PagBank confirms later still revives them."""
        limit = fields.Datetime.now() - timedelta(minutes=const.POLLING_DELAY_MINUTES)
        txs = self.search([
            ("provider_code", "=", "pagbank"),
            ("state", "in", ("pending", "error")),
            ("pagbank_order_id", "!=", False),
            ("last_state_change", "<=", limit),
        ])
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        for tx in txs:
            try:
                with self.env.cr.savepoint():
                    tx._process_notification_data({})
                    if tx.state != "pending":
                        continue
                    grace = timedelta(days=tx.provider_id.sudo().moip_boleto_grace_days)
                    if tx.pagbank_qr_expiration and tx.pagbank_qr_expiration < now:
                        tx._pagbank_cancel_expired(self.env._("The PIX code expired unpaid."))
                    elif tx.pagbank_due_date and tx.pagbank_due_date + grace < today:
                        tx._pagbank_cancel_expired(self.env._("The boleto expired unpaid."))
            except ValidationError as error:
                _logger.warning("PagBank: polling %s failed: %s", tx.reference, error.args[0])

    def _pagbank_cancel_expired(self, message):
        """Cancel a payment whose boleto or PIX code expired unpaid (its order was just read
        back, still waiting). At PagBank too where its API allows it: the charge offers a
        ``CHARGE.CANCEL`` link (ref. §4, §8). A waiting boleto offers none (its cancel is
        unconfirmed: "let it expire") and a PIX order has no charge until paid (§5): then, or
        when PagBank refuses, it is cancelled here only and stays ``WAITING`` for
        `_cron_pagbank_poll_cancelled`, which still applies a payment made at the last moment.
        """
        self.ensure_one()
        if self.pagbank_charge_id:
            provider = self.provider_id
            charge = provider._pagbank_make_request(
                f"/charges/{self.pagbank_charge_id}", method="GET"
            )
            cancellable = any(
                isinstance(link, dict) and link.get("rel") == "CHARGE.CANCEL"
                for link in charge.get("links") or []
            )
            if charge.get("status") == "WAITING" and cancellable:
                value = int((charge.get("amount") or {}).get("value") or 0)
                try:
                    answer = provider._pagbank_make_request(
                        f"/charges/{self.pagbank_charge_id}/cancel",
                        payload={"amount": {"value": value}},
                        idempotency_key=self._pagbank_idempotency_key("cancel"),
                    )
                except PagbankRefusedError as refusal:
                    codes = ", ".join(error["code"] for error in refusal.errors)
                    message = self.env._(
                        "%(message)s PagBank refused to cancel the charge (%(codes)s): it is"
                        " cancelled here only; a late payment is still applied.",
                        message=message, codes=codes,
                    )
                else:
                    if answer.get("status") == "CANCELED":
                        self.pagbank_status = "CANCELED"
                        message = self.env._("%(message)s The charge was cancelled at PagBank.",
                                             message=message)
        self._set_canceled(message)

    @api.model
    def _cron_pagbank_poll_cancelled(self):
        """Once a day, ask about what we cancelled while PagBank still had it waiting, for the
        provider's "late payments" days (a boleto paid on its last day settles later)."""
        today = fields.Date.context_today(self)
        txs = self.search([
            ("provider_code", "=", "pagbank"),
            ("state", "=", "cancel"),
            ("pagbank_order_id", "!=", False),
            ("pagbank_status", "=", "WAITING"),
        ])
        for tx in txs:
            days = tx.provider_id.sudo().moip_late_payment_days
            due = tx.pagbank_due_date or (tx.pagbank_qr_expiration or tx.create_date).date()
            if due + timedelta(days=days) < today:
                continue
            try:
                with self.env.cr.savepoint():
                    tx._process_notification_data({})
            except ValidationError as error:
                _logger.warning("PagBank: polling %s failed: %s", tx.reference, error.args[0])
