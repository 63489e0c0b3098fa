import base64
import io

import qrcode
from stdnum.br import cnpj, cpf

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ... import pix_brcode


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    # Brazilian bank details of the wire-transfer provider, shown to the customer as in the
    # manual ("Banco:", "OP:", "Agência:", "Conta Poupança:", "Beneficiado:", "Documento CPF:").
    meusite_bank_name = fields.Char(string="Bank", help="E.g. Caixa Econômica Federal")
    meusite_bank_code = fields.Char(string="Bank Code", help="COMPE code, e.g. 104")
    meusite_bank_branch = fields.Char(string="Branch (Agência)")
    meusite_bank_operation = fields.Char(string="Operation (OP)", help="Caixa only, e.g. 013")
    meusite_bank_account_type = fields.Selection(
        selection=[("checking", "Checking account"), ("savings", "Savings account")],
        string="Account Type",
        default="checking",
    )
    meusite_bank_account = fields.Char(string="Account (with digit)", help="E.g. 0010007-4")
    meusite_bank_holder = fields.Char(string="Beneficiary")
    meusite_bank_holder_document = fields.Char(string="Beneficiary CPF/CNPJ")
    meusite_pix_key = fields.Char(
        string="PIX Key",
        help="When set, the customer also gets a static PIX code (copy and paste + QR code).",
    )

    @api.constrains("meusite_bank_holder_document")
    def _check_meusite_bank_holder_document(self):
        for provider in self.filtered("meusite_bank_holder_document"):
            number = provider.meusite_bank_holder_document
            if not (cpf.is_valid(number) or cnpj.is_valid(number)):
                raise ValidationError(
                    self.env._("The beneficiary's CPF/CNPJ %s is not valid.", number)
                )

    @api.constrains("meusite_bank_code")
    def _check_meusite_bank_code(self):
        for provider in self.filtered("meusite_bank_code"):
            if not (provider.meusite_bank_code.isdigit() and len(provider.meusite_bank_code) == 3):
                raise ValidationError(self.env._("The bank code has three digits, e.g. 104."))

    def _meusite_bank_label(self):
        self.ensure_one()
        if self.meusite_bank_code:
            return f"{self.meusite_bank_name} ({self.meusite_bank_code})"
        return self.meusite_bank_name

    def _meusite_bank_document_label(self):
        self.ensure_one()
        digits = "".join(c for c in self.meusite_bank_holder_document or "" if c.isdigit())
        return "CNPJ" if len(digits) == 14 else "CPF"

    def _meusite_bank_document_formatted(self):
        self.ensure_one()
        number = self.meusite_bank_holder_document or ""
        if cnpj.is_valid(number):
            return cnpj.format(number)
        return cpf.format(number) if cpf.is_valid(number) else number

    @api.model
    def _meusite_transfer_provider(self, company):
        """The enabled wire-transfer provider with Brazilian bank details, if any."""
        return self.sudo().search(
            [
                ("code", "=", "custom"),
                ("custom_mode", "=", "wire_transfer"),
                ("state", "in", ("enabled", "test")),
                ("is_published", "=", True),
                ("company_id", "=", company.id),
                ("meusite_bank_name", "!=", False),
            ],
            limit=1,
        )

    def _meusite_transfer_values(self, amount, currency, reference, invoices, awaiting=False):
        """What the customer needs to make the transfer (bank details, reference, PIX)."""
        self.ensure_one()
        values = {
            "provider": self,
            "reference": reference,
            "invoices": invoices,
            "awaiting": awaiting,
            "pix_payload": False,
            "pix_qr": False,
        }
        if self.meusite_pix_key and currency.name == "BRL":
            payload = self._meusite_pix_payload(amount, reference)
            values.update(pix_payload=payload, pix_qr=self._meusite_qr_data_uri(payload))
        return values

    def _meusite_pix_payload(self, amount, reference):
        self.ensure_one()
        company = self.company_id
        return pix_brcode.pix_payload(
            self.meusite_pix_key,
            self.meusite_bank_holder or company.name,
            company.city or "",
            amount=amount,
            txid=reference,
        )

    @api.model
    def _meusite_qr_data_uri(self, payload):
        image = qrcode.make(payload, box_size=6, border=2)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
