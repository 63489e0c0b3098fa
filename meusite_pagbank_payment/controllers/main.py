import json
import logging

from werkzeug.exceptions import BadRequest, NotFound, Unauthorized

from odoo import http
from odoo.exceptions import ValidationError
from odoo.http import request

from .. import const
from ..models.payment_provider import PagbankUnavailableError

_logger = logging.getLogger(__name__)


class PagbankController(http.Controller):
    _webhook_url = const.WEBHOOK_ROUTE

    @http.route(
        const.PAYMENT_PAGE_ROUTE, type="http", auth="public", methods=["GET"], website=True,
        sitemap=False,
    )
    def pagbank_payment_page(self, reference=None, access_token=None, **_kwargs):
        """The PIX code or the boleto of one transaction, for whoever holds the link the
        payment form built (an access token of the reference). Reads only."""
        tx_sudo = request.env["payment.transaction"]._meusite_tx_from_page_link(
            "pagbank", const.PAGE_TOKEN_SCOPE, reference, access_token)
        if not tx_sudo:
            raise NotFound()
        return request.render("meusite_pagbank_payment.payment_page", {
            "tx": tx_sudo,
            "customer_data_error": tx_sudo.state == "error"
            and tx_sudo._pagbank_check_customer_data(),
        })

    @http.route(_webhook_url, type="http", auth="public", methods=["POST"], csrf=False,
                save_session=False)
    def pagbank_webhook(self):
        """Apply a PagBank notification (the whole order).

        401 when an x-authenticity-token is present and wrong (a forged or altered body);
        without the header (PagBank's sandbox often omits it) the body is only a hint: the
        order is always read back from PagBank and only what PagBank answers is applied.
        503 when PagBank cannot be read now (a retry, or the polling, catches up); 200 else.
        """
        raw = request.httprequest.get_data()
        signature = request.httprequest.headers.get("x-authenticity-token")
        signer = None
        if signature is not None:
            signer = self._pagbank_signer(raw, signature)
            if signer is None:
                _logger.warning("PagBank: notification with an invalid signature; refused.")
                raise Unauthorized()
        try:
            data = json.loads(raw)
        except ValueError as error:
            raise BadRequest() from error
        if not isinstance(data, dict):
            raise BadRequest()
        # One line, the order id only: the body holds the customer's personal data.
        _logger.info("PagBank: notification for order %s (%s).", data.get("id"),
                     "signed" if signer else "unsigned")
        try:
            tx_sudo = request.env["payment.transaction"].sudo()._get_tx_from_notification_data(
                "pagbank", data
            )
            if signer and tx_sudo.provider_id != signer:
                _logger.warning("PagBank: %s signed with another account's token.",
                                tx_sudo.reference)
                return request.make_json_response({"status": "ignored"}, status=200)
            tx_sudo._process_notification_data(data)
        except PagbankUnavailableError:
            _logger.warning("PagBank: could not read the order back now; asking for a retry.")
            return request.make_json_response({"status": "retry"}, status=503)
        except ValidationError as error:
            # Retrying cannot help (unknown order, not ours): acknowledged.
            _logger.warning("PagBank: notification ignored: %s", error.args[0])
            return request.make_json_response({"status": "ignored"}, status=200)
        return request.make_json_response({"status": "ok"}, status=200)

    @staticmethod
    def _pagbank_signer(raw, signature):
        """The PagBank provider whose token signed ``raw``, or None."""
        providers_sudo = request.env["payment.provider"].sudo().search_fetch(
            [("code", "=", "pagbank"), ("pagbank_token", "!=", False)],
            ["code", "pagbank_token"], order="id",
        )
        for provider_sudo in providers_sudo:
            if provider_sudo._pagbank_check_signature(raw, signature):
                return provider_sudo
        return None
