import logging

from werkzeug.exceptions import BadRequest, NotFound, Unauthorized

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request
from odoo.tools import consteq

from .. import const
from ..models.payment_provider import MoipUnavailableError
from ..models.payment_transaction import BOLETO_PAGE_ROUTE

_logger = logging.getLogger(__name__)


class MoipController(http.Controller):
    _webhook_url = const.WEBHOOK_ROUTE

    @http.route(
        BOLETO_PAGE_ROUTE, type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def moip_boleto_page(self, reference=None, access_token=None, **_kwargs):
        """The boleto of one transaction, for whoever holds the link the payment form built."""
        tx_sudo = request.env["payment.transaction"]._meusite_tx_from_page_link(
            "moip", const.PAGE_TOKEN_SCOPE, reference, access_token)
        if not tx_sudo:
            raise NotFound()
        return request.render("meusite_moip_payment.boleto_page", {
            "tx": tx_sudo,
            "customer_data_error": tx_sudo.state == "error"
            and tx_sudo._moip_check_customer_data(),
        })

    @http.route(_webhook_url, type="http", auth="public", methods=["POST"], csrf=False)
    def moip_webhook(self):
        """Apply a Moip notification; 401 if unsigned, 503 when Moip must retry, 200 otherwise."""
        provider_sudo = self._moip_verify_token(request.httprequest.headers.get("Authorization"))
        try:
            data = request.get_json_data()
        except ValueError as error:
            raise BadRequest() from error
        if not isinstance(data, dict):
            raise BadRequest()
        # One line per notification: formatting the whole payment costs more than handling a
        # duplicate, and Moip keeps the deliveries (GET /v2/webhooks) for an inquiry.
        resource = data.get("resource")
        payment = resource.get("payment") if isinstance(resource, dict) else None
        _logger.info(
            "Moip: notification %s received for payment %s.", data.get("event"),
            payment.get("id") if isinstance(payment, dict) else None,
        )
        try:
            tx_sudo = request.env["payment.transaction"].sudo()._get_tx_from_notification_data(
                "moip", data
            )
            if tx_sudo.provider_id != provider_sudo:
                _logger.warning("Moip: %s signed with another provider's token.", tx_sudo.reference)
                return request.make_json_response({"status": "ignored"}, status=200)
            tx_sudo._process_notification_data(data)
        except MoipUnavailableError:
            _logger.warning("Moip: could not verify the notification now; asking for a retry.")
            return request.make_json_response({"status": "retry"}, status=503)
        except ValidationError:
            # Retrying cannot help (unknown payment, refused request): acknowledge it.
            _logger.exception("Moip: unable to handle the notification; acknowledged.")
            return request.make_json_response({"status": "ignored"}, status=200)
        return request.make_json_response({"status": "ok"}, status=200)

    @staticmethod
    def _moip_verify_token(received_token):
        if not received_token:
            _logger.warning("Moip: notification without Authorization header.")
            raise Unauthorized()
        # Only the columns needed here and by the transaction lookup: a webhook that reads the
        # whole provider (translated texts included) pays for it on every notification.
        providers_sudo = request.env["payment.provider"].sudo().search_fetch(
            [("code", "=", "moip"), ("moip_webhook_token", "!=", False)],
            ["code", "moip_webhook_token"], order="id",
        )
        for provider_sudo in providers_sudo:
            if consteq(provider_sudo.moip_webhook_token.encode(), received_token.encode()):
                return provider_sudo
        _logger.warning("Moip: notification with an invalid token.")
        raise Unauthorized()
