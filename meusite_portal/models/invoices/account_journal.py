from odoo import api, models


class AccountJournal(models.Model):
    _inherit = "account.journal"

    @api.model
    def _meusite_create_fatura_journals(self):
        """Give each company whose localization numbers invoices by fiscal document type
        (l10n_br: the sales journal "Uses Documents", NF-e first) a "Faturas" sales journal
        that does not, first in order so Odoo picks it for customer invoices.

        A fatura is the company's bill for its plans and services, paid by boleto, PIX or
        transfer; it is not a fiscal note (the NFS-e is issued apart, by the city hall's
        system). Its number is then Odoo's journal numbering (FT/2026/00001), the reference
        customers quote. Idempotent: runs at every install or update of the addon.
        """
        companies = self.env["res.company"].search([("chart_template", "!=", False)])
        for company in companies.filtered(lambda c: c._localization_use_documents()):
            journals = self.with_company(company).search(
                [*self._check_company_domain(company), ("type", "=", "sale")])
            if journals.filtered(lambda j: not j.l10n_latam_use_documents):
                continue
            journal = self.with_company(company).create({
                "name": "Invoices",
                "code": "FT",  # "FAT" is l10n_br's NF-e journal in a Portuguese database
                "type": "sale",
                "company_id": company.id,
                "l10n_latam_use_documents": False,
                "sequence": min(journals.mapped("sequence") or [5]) - 1,
                # The income account of the localization's sales journal (Odoo creates none).
                "default_account_id": journals[:1].default_account_id.id,
            })
            # The name staff and customers read ("Faturas"), like Odoo's own journals; only
            # where Portuguese is active (Odoo refuses a translation for an inactive one).
            if "pt_BR" in dict(self.env["res.lang"].get_installed()):
                journal.update_field_translations("name", {"pt_BR": "Faturas"})
