import base64
import ipaddress
import logging
import threading
from urllib.parse import urlsplit

import requests

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import const

_logger = logging.getLogger(__name__)

_http = threading.local()


def _keep_alive_session():
    """One connection per worker thread for reading payments back, reused across requests.

    A notification costs a ``GET /v2/payments/{id}``; a new connection (a TLS handshake with
    Moip) for each would cost more than the rest of the webhook. Only reads use it: a POST
    that met a connection Moip had just closed could not be resent without risking a second
    order, while a failed read is answered 503 and Moip sends the notification again.
    """
    session = getattr(_http, "session", None)
    if session is None:
        session = _http.session = requests.Session()
    return session


def is_safe_api_url(url):
    """Whether a payment service's API base URL may carry our credentials and the customers'
    data: ``https://``, or plain ``http://`` to this machine only (the local doubles)."""
    parts = urlsplit(url or "")
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


class MoipUnavailableError(ValidationError):
    """Moip could not answer (network, timeout, 5xx): worth retrying later, unlike a 4xx."""


class MoipRefusedError(ValidationError):
    """Moip refused the request (4xx with ``errors[]``); ``errors`` holds Moip's codes."""

    def __init__(self, message, errors=()):
        super().__init__(message)
        self.errors = list(errors)


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    code = fields.Selection(
        selection_add=[("moip", "Moip")], ondelete={"moip": "set default"}
    )
    moip_token = fields.Char(groups="base.group_system")
    moip_key = fields.Char(groups="base.group_system")
    moip_oauth_token = fields.Char(
        string="Moip OAuth Access Token",
        help="Moip Connect apps authenticate with an access token instead of token and key.",
        groups="base.group_system",
    )
    moip_api_url = fields.Char(
        string="API base URL override",
        help="Leave empty to use Moip's sandbox (test mode) or production (enabled) API.",
        groups="base.group_system",
    )
    moip_boleto_expiration_days = fields.Integer(
        string="Boleto Expiration (days)", default=3, groups="base.group_system"
    )
    moip_boleto_grace_days = fields.Integer(
        string="Grace Period After Due Date (days)",
        help="Banks still accept a boleto for a few days after its due date; the pending "
        "payment is cancelled only after this grace period.",
        default=3,
        groups="base.group_system",
    )
    moip_late_payment_days = fields.Integer(
        string="Late Payments Checked For (days)",
        help="A boleto cancelled here after its due date and grace period can still be paid at "
        "a bank and settled days later: Moip is asked about it once a day for this many days "
        "after its due date, and a payment it confirms is applied.",
        default=30,
        groups="base.group_system",
    )
    moip_instruction_line_1 = fields.Char(string="Instruction Line 1", groups="base.group_system")
    moip_instruction_line_2 = fields.Char(string="Instruction Line 2", groups="base.group_system")
    moip_instruction_line_3 = fields.Char(string="Instruction Line 3", groups="base.group_system")
    moip_logo_url = fields.Char(string="Boleto Logo URL", groups="base.group_system")
    moip_webhook_id = fields.Char(string="Webhook Id", readonly=True, groups="base.group_system")
    moip_webhook_token = fields.Char(
        string="Webhook Token",
        help="Moip sends it in the Authorization header of every notification.",
        groups="base.group_system",
    )

    @api.constrains("moip_api_url")
    def _check_moip_api_url(self):
        for provider in self.sudo():
            provider._meusite_check_api_url(provider.moip_api_url)

    def _meusite_check_api_url(self, url):
        """The one rule for every payment service's API base URL (Moip's, PagBank's): it
        carries our credentials and the customers' data, so ``https://``, or plain ``http://``
        to this machine only (the local doubles); see `is_safe_api_url`. Called by each
        provider's constraint and again when the URL is used (one written around the
        constraint: in SQL, or before it existed)."""
        if url and not is_safe_api_url(url):
            raise ValidationError(self.env._(
                "The API base URL must start with https:// (plain http:// is accepted for"
                " this machine only, 127.0.0.1 or localhost)."
            ))

    # === BUSINESS METHODS - PAYMENT FLOW === #

    def _get_supported_currencies(self):
        supported_currencies = super()._get_supported_currencies()
        if self.code == "moip":
            supported_currencies = supported_currencies.filtered(
                lambda c: c.name in const.SUPPORTED_CURRENCIES
            )
        return supported_currencies

    def _get_default_payment_method_codes(self):
        default_codes = super()._get_default_payment_method_codes()
        if self.code != "moip":
            return default_codes
        return const.DEFAULT_PAYMENT_METHOD_CODES

    def _moip_api_url(self):
        self.ensure_one()
        url = self.moip_api_url or const.API_URLS.get(self.state, const.API_URLS["test"])
        self._meusite_check_api_url(url)  # a URL written before the constraint, or in SQL
        return url.rstrip("/")

    def _moip_auth_header(self):
        self.ensure_one()
        if self.moip_oauth_token:
            return f"OAuth {self.moip_oauth_token}"
        credentials = f"{self.moip_token or ''}:{self.moip_key or ''}".encode()
        return "Basic " + base64.b64encode(credentials).decode()

    def _moip_make_request(self, endpoint, payload=None, method="POST"):
        """Send a request to Moip API v2 and return its JSON answer; the only HTTP call site.

        :param str endpoint: path after the API base URL, e.g. ``/orders``.
        :param dict payload: JSON body (POST) or query parameters (GET).
        :param str method: ``GET``, ``POST`` or ``DELETE``.
        :rtype: dict
        :raise MoipUnavailableError: network failure, timeout or 5xx (retry later).
        :raise ValidationError: Moip refused the request (401, 4xx with ``errors[]``).
        """
        self.ensure_one()
        url = self._moip_api_url() + endpoint
        headers = {
            "Authorization": self._moip_auth_header(),
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
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
            _logger.warning("Moip: unable to reach %s %s: %s", method, url, error)
            raise MoipUnavailableError(
                self.env._("The payment service is not answering. Please try again in a few"
                             " minutes.")
            ) from error

        if response.status_code >= 500:
            _logger.warning(
                "Moip: %s %s answered %s: %s", method, url, response.status_code,
                response.text[:500],
            )
            raise MoipUnavailableError(
                self.env._("The payment service is temporarily unavailable. Please try again"
                             " in a few minutes.")
            )
        if response.status_code == 401:
            _logger.error("Moip: %s %s refused the credentials (401).", method, url)
            raise ValidationError(
                self.env._("The payment service refused our credentials. Our team has been"
                             " notified; please try again later.")
            )
        if response.status_code >= 400:
            errors = self._moip_parse_errors(response)
            # Codes and paths only: the payload is the customer's personal data.
            _logger.error(
                "Moip: %s %s answered %s with errors %s", method, url, response.status_code,
                "; ".join(f"{e['code']} ({e['path']})" for e in errors),
            )
            details = "; ".join(e["description"] for e in errors if e["description"])
            raise MoipRefusedError(
                self.env._("The payment service refused the request: %(details)s",
                             details=details or response.status_code),
                errors,
            )
        if not response.content:
            return {}
        try:
            return response.json()
        except ValueError as error:
            _logger.warning("Moip: %s %s answered non-JSON: %s", method, url, response.text[:200])
            raise MoipUnavailableError(
                self.env._("The payment service gave an unreadable answer. Please try again"
                             " in a few minutes.")
            ) from error

    def _moip_parse_errors(self, response):
        """Moip answers ``{"errors": [{code, path, description}]}`` or ``{"error": "..."}``."""
        try:
            body = response.json()
        except ValueError:
            return [{"code": str(response.status_code), "path": "", "description": ""}]
        if isinstance(body, dict) and isinstance(body.get("errors"), list):
            return [
                {
                    "code": str(err.get("code", "")),
                    "path": str(err.get("path", "")),
                    "description": str(err.get("description", "")),
                }
                for err in body["errors"] if isinstance(err, dict)
            ]
        message = body.get("error") if isinstance(body, dict) else None
        return [{"code": str(response.status_code), "path": "", "description": str(message or "")}]

    # === ACTIONS === #

    def action_moip_register_webhook(self):
        """Register this database's webhook for PAYMENT.* and keep the token Moip returns."""
        self.ensure_one()
        if self.code != "moip" or self.state == "disabled":
            raise UserError(self.env._("Enable the Moip provider (test or production) first."))
        if self.moip_webhook_id:
            try:
                self._moip_make_request(
                    f"/preferences/notifications/{self.moip_webhook_id}", method="DELETE"
                )
            except ValidationError:
                # An unknown or already removed preference must not block a new registration.
                _logger.info("Moip: could not delete webhook %s", self.moip_webhook_id)
        target = self.get_base_url().rstrip("/") + const.WEBHOOK_ROUTE
        answer = self._moip_make_request("/preferences/notifications", payload={
            "events": const.WEBHOOK_EVENTS,
            "target": target,
            "media": "WEBHOOK",
        })
        if not answer.get("id") or not answer.get("token"):
            raise ValidationError(self.env._("Moip did not return the webhook token."))
        self.write({"moip_webhook_id": answer["id"], "moip_webhook_token": answer["token"]})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Webhook registered: %(target)s", target=target),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
