"""The bank details moved from the wire-transfer provider to the company's bank account.

Before 18.0.1.3.0 the provider carried its own bank fields (meusite_bank_*) and PIX key. Each
provider that had them becomes (or completes) a ``res.partner.bank`` of its company, with the
PIX key as the account's proxy (account_qr_code_emv / l10n_br), set on the company's bank
journal when that journal has no account yet; the company's customer invoices that have no
"Recipient Bank" get this one, so they keep showing the transfer details and their PIX code.
The provider's old columns are dropped by Odoo at the end of the update.
"""

import logging
import re

from stdnum.br import cnpj, cpf

from odoo import SUPERUSER_ID, api
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)

OLD_COLUMNS = (
    "meusite_bank_name", "meusite_bank_code", "meusite_bank_branch", "meusite_bank_operation",
    "meusite_bank_account_type", "meusite_bank_account", "meusite_bank_holder",
    "meusite_bank_holder_document", "meusite_pix_key",
)
UUID = re.compile(r"[a-fA-F0-9]{8}-([a-fA-F0-9]{4}-){3}[a-fA-F0-9]{12}")


def _digits(value):
    return re.sub(r"\D", "", value or "")


def _pix_proxy(key):
    """(proxy_type, proxy_value) of an old PIX key as l10n_br expects it, or None."""
    key = (key or "").strip()
    digits = _digits(key)
    if UUID.fullmatch(key):
        return "br_random", key.lower()
    if "@" in key:
        return "email", key
    if cpf.is_valid(digits) if len(digits) == 11 else cnpj.is_valid(digits):
        return "br_cpf_cnpj", digits
    if key.startswith("+55") or (len(digits) == 13 and digits.startswith("55")):
        return "mobile", "+" + digits
    if len(digits) == 11:  # a mobile number without the country code
        return "mobile", "+55" + digits
    return None


def _bank(env, name, code):
    Bank = env["res.bank"].with_context(active_test=False)
    bank = code and Bank.search([("bic", "=", code)], limit=1)
    bank = bank or Bank.search([("name", "=ilike", name)], limit=1)
    return bank or Bank.create(
        {"name": name, "bic": code or False, "country": env.ref("base.br").id}
    )


def _account(env, company, old):
    partner = company.partner_id
    Account = env["res.partner.bank"].with_context(active_test=False)
    number = old["meusite_bank_account"] or old["meusite_pix_key"] or old["meusite_bank_name"]
    account = Account.search([("partner_id", "=", partner.id)]).filtered(
        lambda a: _digits(a.acc_number) == _digits(number) and a.acc_number
    )[:1]
    values = {
        "bank_id": _bank(env, old["meusite_bank_name"], old["meusite_bank_code"]).id,
        "meusite_branch": old["meusite_bank_branch"],
        "meusite_operation": old["meusite_bank_operation"],
        "meusite_account_type": old["meusite_bank_account_type"] or "checking",
    }
    if old["meusite_bank_holder"]:
        values["acc_holder_name"] = old["meusite_bank_holder"]
    document = old["meusite_bank_holder_document"]
    if document and _digits(document) != _digits(partner.commercial_partner_id.vat):
        values["meusite_holder_document"] = document
    if account:
        # Complete the account: the new fields (meusite_*) nobody could fill before, and
        # Odoo's bank and holder name when staff left them empty or as the default.
        if account.bank_id:
            del values["bank_id"]
        if account.acc_holder_name and account.acc_holder_name != partner.name:
            values.pop("acc_holder_name", None)
        account.write({key: value for key, value in values.items() if value})
    else:
        account = Account.create({**values, "partner_id": partner.id, "acc_number": number})
    proxy = _pix_proxy(old["meusite_pix_key"])
    if old["meusite_pix_key"] and account.proxy_type in (False, "none"):
        try:
            with env.cr.savepoint():
                if not proxy:
                    raise ValueError("unknown PIX key type")
                account.write({
                    "proxy_type": proxy[0], "proxy_value": proxy[1], "include_reference": True,
                })
        except Exception as error:  # noqa: BLE001 - any refusal: keep the account, log the key
            _logger.warning(
                "PIX key %r of %s not moved to its bank account (%s): set it on the account.",
                old["meusite_pix_key"], company.name, error,
            )
    return account


def _journal(env, provider, company):
    journal = provider.journal_id
    if journal.type != "bank" or journal.bank_account_id:
        journal = env["account.journal"].search([
            *env["account.journal"]._check_company_domain(company),
            ("type", "=", "bank"), ("bank_account_id", "=", False),
        ], limit=1)
    return journal


def migrate(cr, version):
    if not all(column_exists(cr, "payment_provider", column) for column in OLD_COLUMNS):
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        f"""SELECT id, company_id, {", ".join(OLD_COLUMNS)} FROM payment_provider
             WHERE code = 'custom' AND meusite_bank_name IS NOT NULL AND meusite_bank_name != ''
             ORDER BY state = 'disabled', id"""  # noqa: S608 - constant column names
    )
    done = set()
    for old in cr.dictfetchall():
        company = env["res.company"].browse(old["company_id"])
        if company.id in done:
            continue
        done.add(company.id)
        account = _account(env, company, old)
        # The account customers pay to is the bank journal's, unless another one is there.
        has_journal = env["account.journal"].search_count([
            *env["account.journal"]._check_company_domain(company),
            ("type", "=", "bank"), ("bank_account_id", "=", account.id),
        ])
        if not has_journal:
            journal = _journal(env, env["payment.provider"].browse(old["id"]), company)
            if journal:
                journal.bank_account_id = account
            else:
                _logger.warning(
                    "No bank journal without an account in %s: set %s on one.",
                    company.name, account.display_name,
                )
        env.flush_all()
        # What Odoo would have put on these invoices had the account existed.
        cr.execute(
            """UPDATE account_move SET partner_bank_id = %s
                WHERE company_id = %s AND partner_bank_id IS NULL
                  AND move_type IN ('out_invoice', 'out_receipt') AND state != 'cancel'""",
            (account.id, company.id),
        )
        _logger.info(
            "Bank details of the transfer provider moved to %s; %s invoices given it.",
            account.display_name, cr.rowcount,
        )
    env.invalidate_all()
