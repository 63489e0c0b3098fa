import hashlib
import logging
import threading
import time

import requests

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import consteq

from .. import const

_logger = logging.getLogger(__name__)

_http = threading.local()


def _keep_alive_session():
    """One connection per worker thread for reading orders back (a notification costs a
    ``GET /orders/{id}``; a TLS handshake each time would cost more than the webhook)."""
    session = getattr(_http, "session", None)
    if session is None:
        session = _http.session = requests.Session()
    return session


class PagbankUnavailableError(ValidationError):
    """PagBank could not answer (network, timeout, 5xx, rate limit): worth retrying later."""


class PagbankRefusedError(ValidationError):
    """PagBank refused the request (4xx with ``error_messages``); ``errors`` holds its items
    (``code``, ``description``, ``parameter_name``) and ``status`` the HTTP status."""

    def __init__(self, message, errors=(), status=400):
        super().__init__(message)
        self.errors = list(errors)
        self.status = status


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("pagbank", "PagBank")], ondelete={"pagbank": "set default"}
    )
    pagbank_token = fields.Char(
        string="PagBank Token",
        help="The account's token (sandbox and production tokens differ). It also signs "
        "PagBank's notifications (x-authenticity-token).",
        groups="base.group_system",
    )
    pagbank_api_url = fields.Char(
        string="PagBank API base URL override",
        help="Leave empty to use PagBank's sandbox (test mode) or production (enabled) API. "
        "https:// only (http:// is accepted for this machine, the local double).",
        groups="base.group_system",
    )
    pagbank_boleto_days = fields.Integer(
        string="Boleto Due In (days)", default=3, groups="base.group_system"
    )
    pagbank_pix_hours = fields.Integer(
        string="PIX QR Code Valid For (hours)", default=24, groups="base.group_system"
    )
    pagbank_last_error = fields.Text(
        string="Last PagBank Error", readonly=True, groups="base.group_system",
        help="What PagBank last refused for a reason staff must fix (credentials, "
        "homologation); cleared by the next order PagBank accepts.",
    )

    @api.constrains("pagbank_api_url")
    def _check_pagbank_api_url(self):
        for provider in self.sudo():
            provider._meusite_check_api_url(provider.pagbank_api_url)  # Moip's rule, shared

    # === BUSINESS METHODS - PAYMENT FLOW === #

    def _get_supported_currencies(self):
        supported_currencies = super()._get_supported_currencies()
        if self.code == "pagbank":
            supported_currencies = supported_currencies.filtered(
                lambda c: c.name in const.SUPPORTED_CURRENCIES
            )
        return supported_currencies

    def _get_default_payment_method_codes(self):
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "pagbank":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _pagbank_api_url(self):
        self.ensure_one()
        url = self.pagbank_api_url or const.API_URLS.get(self.state, const.API_URLS["test"])
        self._meusite_check_api_url(url)  # written before the constraint, or in SQL
        return url.rstrip("/")

    def _pagbank_check_signature(self, raw_body, signature):
        """Whether ``signature`` is PagBank's x-authenticity-token of ``raw_body`` for this
        account: sha256 of "<token>-<body as received>", compared in constant time."""
        self.ensure_one()
        token = self.sudo().pagbank_token
        if not token or not signature:
            return False
        expected = hashlib.sha256(token.encode() + b"-" + raw_body).hexdigest()
        return consteq(expected, signature.strip().lower())

    def _pagbank_make_request(self, endpoint, payload=None, method="POST", idempotency_key=None):
        """Call PagBank's Orders API and return its JSON answer; the only HTTP call site.

        Rate limits (``40004``, HTTP 400) and 5xx are retried after `const.RETRY_DELAYS`;
        a POST is retried only with its idempotency key, so that PagBank cannot create twice.
        Nothing of the payload (the customer's personal data) is logged.

        :raise PagbankUnavailableError: network failure, timeout, 5xx, rate limit (retry later).
        :raise PagbankRefusedError: PagBank refused the request (4xx).
        """
        self.ensure_one()
        url = self._pagbank_api_url() + endpoint
        headers = {
            "Authorization": f"Bearer {self.sudo().pagbank_token or ''}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if idempotency_key:
            headers["x-idempotency-key"] = idempotency_key
        retryable = method == "GET" or bool(idempotency_key)
        delays = list(const.RETRY_DELAYS) if retryable else []
        while True:
            try:
                return self._pagbank_request_once(method, url, payload, headers)
            except PagbankUnavailableError:
                if not delays:
                    raise
                delay = delays.pop(0)
                _logger.info("PagBank: %s %s retried in %.1f s.", method, endpoint, delay)
                time.sleep(delay)

    def _pagbank_request_once(self, method, url, payload, headers):
        try:
            if method == "GET":
                response = _keep_alive_session().request(
                    method, url, params=payload, headers=headers, timeout=const.REQUEST_TIMEOUT
                )
            else:
                with requests.Session() as session:
                    response = session.request(
                        method, url, json=payload, headers=headers, timeout=const.REQUEST_TIMEOUT
                    )
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as error:
            _logger.warning("PagBank: unable to reach %s %s: %s", method, url,
                            type(error).__name__)
            raise PagbankUnavailableError(
                self.env._("The payment service is not answering. Please try again in a few"
                           " minutes.")
            ) from error
        if response.status_code >= 500:
            _logger.warning("PagBank: %s %s answered %s.", method, url, response.status_code)
            raise PagbankUnavailableError(
                self.env._("The payment service is temporarily unavailable. Please try again"
                           " in a few minutes.")
            )
        if response.status_code >= 400:
            errors = self._pagbank_parse_errors(response)
            codes = {error["code"] for error in errors}
            # Codes and parameter names only: descriptions may quote what we sent.
            _logger.error(
                "PagBank: %s %s answered %s: %s", method, url, response.status_code,
                "; ".join(f"{e['code']} ({e['parameter_name']})" for e in errors),
            )
            if "40004" in codes:
                raise PagbankUnavailableError(
                    self.env._("The payment service is busy. Please try again in a few"
                               " minutes.")
                )
            if response.status_code == 409:
                raise PagbankUnavailableError(
                    self.env._("This payment is already being processed. Please try again in"
                               " a few minutes.")
                )
            if response.status_code in (401, 403):
                self._pagbank_staff_error(response.status_code)
                raise PagbankRefusedError(
                    self.env._("Online payment is not available right now. Our team has been"
                               " notified; please try again later or choose another method."),
                    errors, response.status_code,
                )
            raise PagbankRefusedError(
                self.env._("The payment service refused the request."),
                errors, response.status_code,
            )
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError as error:
            raise PagbankUnavailableError(
                self.env._("The payment service gave an unreadable answer. Please try again"
                           " in a few minutes.")
            ) from error

    def _pagbank_staff_error(self, status):
        """401/403 are for staff to fix: say what, on the provider's form."""
        if status == 403:
            message = self.env._(
                "PagBank answered 403 (forbidden). In production, PagBank refuses every call"
                " until it has approved (homologated) the integration: request the homologation"
                " in PagBank's developer portal, or set the provider to Test Mode with a"
                " sandbox token meanwhile."
            )
        else:
            message = self.env._(
                "PagBank refused the token (401). Sandbox and production tokens differ: check"
                " the token against the provider's state (Test Mode or Enabled)."
            )
        _logger.error("PagBank: %s", message)
        self.sudo().pagbank_last_error = message

    def _pagbank_parse_errors(self, response):
        """``{"error_messages": [{code, description, parameter_name}]}`` as a list."""
        try:
            body = response.json()
        except ValueError:
            body = None
        items = body.get("error_messages") if isinstance(body, dict) else None
        if not isinstance(items, list):
            return [{"code": str(response.status_code), "description": "", "parameter_name": ""}]
        return [
            {
                "code": str(item.get("code", "")),
                "description": str(item.get("description", "")),
                "parameter_name": str(item.get("parameter_name") or ""),
            }
            for item in items if isinstance(item, dict)
        ]
