import re

from stdnum.br import cnpj, cpf

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# BACEN's limit for the txid of a static PIX code (field 62-05); l10n_br does not cut it.
PIX_TXID_SIZE = 25


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    # What the manual shows a customer for a transfer and Odoo's bank account has no field
    # for (see readme/CONTEXT.md, "Bank details and PIX"): the branch, Caixa's operation,
    # the kind of account, and the holder's CPF/CNPJ when the holder is not the partner.
    meusite_branch = fields.Char(string="Branch (Agência)", help="E.g. 3552")
    meusite_operation = fields.Char(
        string="Operation (OP)", help="Caixa Econômica Federal accounts only, e.g. 013"
    )
    meusite_account_type = fields.Selection(
        selection=[("checking", "Checking account"), ("savings", "Savings account")],
        string="Account Type",
        default="checking",
    )
    meusite_holder_document = fields.Char(
        string="Holder CPF/CNPJ",
        help="Only when the account holder is not the partner (e.g. the owner's own "
        "account): otherwise customers are shown the partner's CPF/CNPJ.",
    )

    @api.constrains("meusite_holder_document")
    def _check_meusite_holder_document(self):
        for account in self.filtered("meusite_holder_document"):
            number = account.meusite_holder_document
            if not (cpf.is_valid(number) or cnpj.is_valid(number)):
                raise ValidationError(
                    self.env._("The account holder's CPF/CNPJ %s is not valid.", number)
                )

    @api.model
    def _meusite_company_account(self, company):
        """The account of the company's bank journal (Accounting > Configuration >
        Journals > Bank > Bank Account), for what has no invoice to take it from."""
        journal = self.env["account.journal"].sudo().search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "bank"),
                ("bank_account_id", "!=", False),
            ],
            limit=1,
        )
        return journal.bank_account_id

    def _meusite_bank_label(self):
        """"Caixa Econômica Federal (104)": the bank and the code customers type in their
        bank's app, kept as the bank's identifier code (see CONTEXT.md)."""
        self.ensure_one()
        bank = self.bank_id
        return f"{bank.name} ({bank.bic})" if bank.bic else bank.name or ""

    def _meusite_holder_name(self):
        self.ensure_one()
        return self.acc_holder_name or self.partner_id.name

    def _meusite_holder_document(self):
        """(label, formatted number) of the holder's CPF/CNPJ: ("CNPJ", "27.461.538/0001-50")."""
        self.ensure_one()
        number = self.meusite_holder_document or self.partner_id.commercial_partner_id.vat or ""
        digits = re.sub(r"\D", "", number)
        if len(digits) == 14 and cnpj.is_valid(digits):
            return "CNPJ", cnpj.format(digits)
        if len(digits) == 11 and cpf.is_valid(digits):
            return "CPF", cpf.format(digits)
        return ("CNPJ" if len(digits) == 14 else "CPF"), number

    def _meusite_pix(self, amount, currency, debtor, free_communication, structured_communication):
        """Odoo's PIX for a payment to this account (account_qr_code_emv as l10n_br extends
        it): {"payload": the "copia e cola" text, "qr": the address of the QR image of that
        same text}, or False when the account cannot make one (no PIX key, no city, not
        BRL...).

        Same arguments and same builder as ``account.move._generate_qr_code``, which is not
        called because it writes the invoice's ``qr_code_method`` at every call (a page view
        writes nothing). The image is Odoo's ``/report/barcode`` of the same parameters (what
        ``_get_qr_code_url`` gives), drawn when the browser asks for it: drawn inside the
        page, reportlab's QR code cost about 100 ms of every view (issue #18)."""
        self.ensure_one()
        vals = self._build_qr_code_vals(
            float(amount),
            free_communication,
            structured_communication,
            currency,
            debtor,
            qr_method="emv_qr",
            silent_errors=True,
        )
        if not vals:
            return False
        return {"payload": self._get_qr_vals(**vals), "qr": self._get_qr_code_url(**vals)}

    def _meusite_transfer_values(self, amount, currency, reference, invoices, debtor,
                                 pix_references=None, awaiting=False):
        """What the customer needs to make the transfer: this account's details, the
        reference to quote and, when the account has a PIX key, Odoo's PIX code.

        :param pix_references: (free, structured) communications for the PIX code, as
            ``_generate_qr_code`` passes them; default: the reference to quote
        """
        self.ensure_one()
        free, structured = pix_references or (reference, None)
        if len(re.sub(r"[^a-zA-Z0-9*]", "", structured or free or "")) > PIX_TXID_SIZE:
            # Several invoice numbers: a bank refuses a txid longer than BACEN's limit.
            free, structured = "***", None
        label, document = self._meusite_holder_document()
        return {
            "account": self,
            "bank": self._meusite_bank_label(),
            "holder": self._meusite_holder_name(),
            "document_label": label,
            "document": document,
            "reference": reference,
            "invoices": invoices,
            "awaiting": awaiting,
            "pix": self._meusite_pix(amount, currency, debtor, free, structured),
        }
