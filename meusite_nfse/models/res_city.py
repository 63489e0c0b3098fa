from odoo import fields, models


class ResCity(models.Model):
    _inherit = "res.city"

    # Core l10n_br lists every city but without the IBGE code the DPS requires (cLocEmi,
    # cMun, cLocPrestacao); OCA's l10n_br_base has one but comes with its fiscal stack.
    nfse_ibge_code = fields.Char("IBGE code", size=7, help="7-digit IBGE code of the city (NFS-e).")
