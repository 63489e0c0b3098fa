from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers import payment as account_payment_payment
from odoo.addons.account_payment.controllers import portal as account_payment_portal
from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

PAY_ERROR_KEY = "meusite_pay_error"


def _selection_token(partner, reference, invoices):
    # Binds the payment page to exactly these invoices, this customer and this reference.
    return payment_utils.generate_access_token(partner.id, reference, *invoices.ids)


class MeusitePortalInvoices(account_payment_portal.PortalAccount):
    def _prepare_my_invoices_values(
        self, page, date_begin, date_end, sortby, filterby, domain=None, url="/my/invoices"
    ):
        request.update_context(meusite_invoice_list=True)
        # Odoo looks the URL's sort and filter up in its tables: an unknown one (a typo, an
        # old bookmark) would be a server error. The customer gets the default list instead.
        if sortby not in self._get_account_searchbar_sortings():
            sortby = None
        if filterby not in self._get_account_searchbar_filters():
            filterby = None
        values = super()._prepare_my_invoices_values(
            page, date_begin, date_end, sortby, filterby, domain=domain, url=url
        )
        partner = request.env.user.partner_id
        error = request.session.pop(PAY_ERROR_KEY, None) or {}
        rows = values["invoices"]
        if callable(rows):
            # Odoo's page asks for its rows lazily (once the pager is known): their statuses
            # and formatted cells come with them, computed once for the page rather than
            # once per row.
            values["invoices"] = lambda pager_offset: self._meusite_with_statuses(
                rows(pager_offset)
            )
        values.update(
            {
                "meusite_invoice_total": values["pager"]["total"],
                "meusite_owed": request.env["account.move"]._meusite_owed_today(partner),
                "meusite_pay_error": error.get("message"),
                "meusite_pay_selected": set(error.get("invoice_ids", [])),
            }
        )
        return values

    @staticmethod
    def _meusite_with_statuses(rows):
        if isinstance(rows, list) and rows:
            invoices = request.env["account.move"].concat(*(row["invoice"] for row in rows))
            statuses = invoices._meusite_portal_statuses()
            cells = invoices._meusite_portal_list_cells()
            for row in rows:
                row["meusite_status"] = statuses[row["invoice"]]
                row["meusite_cells"] = cells[row["invoice"]]
        return rows

    def _invoice_get_page_view_values(self, invoice, access_token, payment=False, **kwargs):
        self._meusite_prefetch_invoice_page(invoice)
        values = super()._invoice_get_page_view_values(
            invoice, access_token, payment=payment, **kwargs
        )
        status = invoice._meusite_portal_status()
        transfer = False
        late = invoice._meusite_owed_amounts()
        if status[0] in ("open", "overdue") and invoice.move_type == "out_invoice":
            if "providers_sudo" in values:
                # Odoo's payment form has found the providers this invoice can be paid
                # with: the card shows only when "Transferência Bancária" is one of them.
                provider = values["providers_sudo"].filtered(
                    lambda p: p.code == "custom" and p.custom_mode == "wire_transfer"
                )
            else:
                provider = request.env["payment.provider"]._meusite_transfer_provider(
                    invoice.company_id
                )
            if provider:
                transfer = invoice._meusite_transfer_values(late["total"])
        values.update(
            meusite_status=status,
            meusite_transfer=transfer,
            meusite_late=late if late["total"] != late["residual"] else False,
            meusite_owed=dict(late, currency=invoice.currency_id),
            meusite_line_services=request.env["meusite.service.period"].sudo()
            ._meusite_line_services(invoice),
        )
        return values

    @staticmethod
    def _meusite_prefetch_invoice_page(invoice):
        """Read at once the users and partners the invoice page reads one by one (issue #18):
        the page's records are the superuser's (Odoo's installment data reads that user's
        time zone), the payment form the customer's user and partner, "Faturado para" the
        invoice's partner, "Pagar a" and the bank account's holder the company's partner.
        ``invoice`` is the superuser record Odoo's page reads; nothing more is read."""
        Users = invoice.env["res.users"]
        users = Users.browse(dict.fromkeys([request.env.uid, invoice.env.uid]))
        partners = users.partner_id | invoice.partner_id | invoice.company_id.partner_id
        partners.mapped("name")

    @http.route("/my/invoices/pay", type="http", auth="user", methods=["POST"], website=True)
    def meusite_pay_invoices(self, pay_all=None, **kwargs):
        """Payment page for the chosen invoices ("Pagar Selecionados") or all open ones
        ("Pagar Todos"); nothing is created before the customer picks a method and pays."""
        partner = request.env.user.partner_id
        Move = request.env["account.move"]
        if pay_all:
            # What the panel and Minhas Faturas show as owed today: the open invoices but
            # those a payment awaiting confirmation covers.
            invoices = Move._meusite_owed_today(partner)["invoices"].sorted("id")
            if not invoices:
                return self._meusite_pay_refused(
                    request.env._("You have no open invoice to pay."), []
                )
        else:
            ids = sorted(
                {
                    int(value)
                    for value in request.httprequest.form.getlist("invoice_ids")
                    if value.isdigit()
                }
            )
            # Read as superuser only to check ownership in _meusite_check_payable, which refuses
            # any id that is not the customer's with the same message as a missing one.
            invoices = Move.sudo().browse(ids)
        return self._meusite_pay_page(invoices)

    def _meusite_pay_page(self, invoices):
        """Render the payment page of ``invoices`` (superuser records, any ids): the
        customer's open ones only, otherwise back to Minhas Faturas with the reason."""
        partner = request.env.user.partner_id
        try:
            invoices = invoices._meusite_check_payable(partner)
            values = self._overdue_invoices_get_page_view_values(invoices)
        except (UserError, ValidationError) as error:
            return self._meusite_pay_refused(error.args[0], invoices.ids)
        reference = values["payment"]["reference"]
        owed = invoices._meusite_owed_amounts()
        amount = owed["total"]
        values["payment"]["amount"] = amount
        values.update(
            {
                "page_name": "meusite_pay_invoices",
                "amount": amount,
                "meusite_owed": dict(owed, currency=invoices.currency_id[:1]),
                "meusite_invoices": invoices,
                "transaction_route": "/my/invoices/pay/transaction/"
                + "-".join(str(i) for i in invoices.ids),
                "landing_route": "/my/invoices/pay/done",
                "access_token": _selection_token(partner, reference, invoices),
                "payment_reference": reference,
            }
        )
        return request.render("account_payment.portal_overdue_invoices_page", values)

    @http.route("/my/invoices/pay/done", type="http", auth="user", website=True, sitemap=False)
    def meusite_pay_invoices_done(self, **kwargs):
        """Where the payment flow lands: the transaction's state and, for a bank transfer,
        the details to make it (the transaction of this session, if it is the customer's)."""
        tx_sudo = PaymentPostProcessing()._get_monitored_transaction()
        partner = request.env.user.partner_id.commercial_partner_id
        if not tx_sudo or tx_sudo.partner_id.commercial_partner_id != partner:
            return request.redirect("/my/invoices")
        return request.render("payment.confirm", {"tx": tx_sudo})

    def _meusite_pay_refused(self, message, invoice_ids):
        request.session[PAY_ERROR_KEY] = {"message": message, "invoice_ids": list(invoice_ids)}
        # The panel's "Pagar Selecionados" reports on the panel, where the customer clicked.
        if request.params.get("meusite_origin") == "panel":
            return request.redirect("/my#meusite_invoices")
        return request.redirect("/my/invoices")


class MeusitePaymentPortal(account_payment_payment.PaymentPortal):
    @http.route("/my/invoices/pay/transaction/<string:selection>", type="json", auth="user")
    def meusite_pay_invoices_transaction(
        self, selection, access_token=None, payment_reference=None, **kwargs
    ):
        """Create the one transaction paying the invoices of the payment page."""
        partner = request.env.user.partner_id
        ids = [int(i) for i in selection.split("-") if i.isdigit()]
        invoices = request.env["account.move"].sudo().browse(ids)
        if not ids or not payment_utils.check_access_token(
            access_token, partner.id, payment_reference, *ids
        ):
            raise ValidationError(
                request.env._("This payment page is no longer valid; open it again.")
            )
        try:
            invoices._meusite_check_payable(partner)
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        kwargs.pop("amount", None)  # Decided by _process_transaction, not by the browser.
        kwargs["landing_route"] = "/my/invoices/pay/done"
        self._validate_transaction_kwargs(kwargs)
        return self._process_transaction(
            partner.id,
            invoices.currency_id[:1].id,
            invoices.ids,
            payment_reference,
            **kwargs,
        )

    def _process_transaction(
        self, partner_id, currency_id, invoice_ids, payment_reference, **kwargs
    ):
        # Every invoice payment route (one invoice, overdue ones, a selection) goes through here:
        # lock the invoices, re-check them, retire abandoned drafts, then create one transaction.
        invoices = request.env["account.move"].sudo().browse(invoice_ids)
        try:
            invoices._meusite_check_payable(lock=True, strict=False)
        except UserError as error:
            raise ValidationError(error.args[0]) from None
        request.env["payment.transaction"]._meusite_supersede_drafts(invoices)
        # Whatever the browser sent: what the invoices owe today, multa and juros included.
        kwargs["amount"] = invoices._meusite_amount_to_charge()
        return super()._process_transaction(
            partner_id, currency_id, invoice_ids, payment_reference, **kwargs
        )
