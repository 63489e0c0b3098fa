from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

from ..common import load_migration, make_invoices

OLD_COLUMNS = (
    "meusite_bank_name", "meusite_bank_code", "meusite_bank_branch", "meusite_bank_operation",
    "meusite_bank_account_type", "meusite_bank_account", "meusite_bank_holder",
    "meusite_bank_holder_document", "meusite_pix_key",
)


@tagged("post_install", "-at_install")
class TestBankAccountMigration(TransactionCase):
    """An install from before 18.0.1.3.0 kept its bank details and PIX key on the transfer
    provider: after the update they are the company's bank account, on the bank journal and
    on the open invoices, so customers keep seeing them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migration = load_migration("18.0.1.3.0")
        cls.company = cls.env.ref("base.main_company")
        cls.journal = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "bank")], limit=1)
        cls.journal.bank_account_id = False
        cls.invoice = make_invoices(cls.env, cls.env.ref("meusite_portal.demo_customer"), 1)
        cls.env.flush_all()
        cls.env.cr.execute(SQL(
            "UPDATE account_move SET partner_bank_id = NULL WHERE id = %s", cls.invoice.id))
        # The provider's columns as 18.0.1.2.0 left them (dropped since by Odoo's update).
        for column in OLD_COLUMNS:
            cls.env.cr.execute(SQL(
                "ALTER TABLE payment_provider ADD COLUMN %s varchar", SQL.identifier(column)))
        cls.transfer = cls.env.ref("payment.payment_provider_transfer")
        cls.old = {
            "meusite_bank_name": "Banco do Brasil", "meusite_bank_code": "001",
            "meusite_bank_branch": "1234-5", "meusite_bank_operation": None,
            "meusite_bank_account_type": "savings", "meusite_bank_account": "98765-4",
            "meusite_bank_holder": "Edite Gonçalves",
            "meusite_bank_holder_document": "381.427.560-80",
            "meusite_pix_key": "pix@meusiteexpresso.com.br",
        }
        cls.env.cr.execute(SQL(
            "UPDATE payment_provider SET %s WHERE id = %s",
            SQL(", ").join(SQL("%s = %s", SQL.identifier(k), v) for k, v in cls.old.items()),
            cls.transfer.id,
        ))

    def test_provider_details_become_the_company_bank_account(self):
        self.migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        account = self.journal.bank_account_id
        self.assertEqual(account.partner_id, self.company.partner_id)
        self.assertEqual(
            (account.acc_number, account.bank_id.name, account.bank_id.bic,
             account.meusite_branch, account.meusite_account_type, account.acc_holder_name,
             account.meusite_holder_document),
            ("98765-4", "Banco do Brasil", "001", "1234-5", "savings", "Edite Gonçalves",
             "381.427.560-80"),
        )
        self.assertEqual((account.proxy_type, account.proxy_value, account.include_reference),
                         ("email", "pix@meusiteexpresso.com.br", True))
        # The invoice issued before the account existed is now paid to it, PIX included.
        self.assertEqual(self.invoice.partner_bank_id, account)
        values = self.invoice._meusite_transfer_values(self.invoice.amount_residual)
        self.assertEqual(values["bank"], "Banco do Brasil (001)")
        self.assertIn("pix@meusiteexpresso.com.br", values["pix"]["payload"])
        # A second run changes nothing (one account, the same journal).
        self.migration.migrate(self.env.cr, "18.0.1.2.0")
        self.env.invalidate_all()
        self.assertEqual(self.journal.bank_account_id, account)
        self.assertEqual(
            self.env["res.partner.bank"].search_count(
                [("partner_id", "=", self.company.partner_id.id), ("acc_number", "=", "98765-4")]),
            1,
        )

    def test_pix_keys_map_to_l10n_br_proxy_types(self):
        proxy = self.migration._pix_proxy
        self.assertEqual(proxy("7D9F0335-8DCC-4054-9BF9-0DBD61C2B7B1"),
                         ("br_random", "7d9f0335-8dcc-4054-9bf9-0dbd61c2b7b1"))
        self.assertEqual(proxy("27.461.538/0001-50"), ("br_cpf_cnpj", "27461538000150"))
        self.assertEqual(proxy("381.427.560-80"), ("br_cpf_cnpj", "38142756080"))
        self.assertEqual(proxy("+55 (31) 98888-7777"), ("mobile", "+5531988887777"))
        self.assertEqual(proxy("31988887777"), ("mobile", "+5531988887777"))
        self.assertIsNone(proxy("chave?"))
