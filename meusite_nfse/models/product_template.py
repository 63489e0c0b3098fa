from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    nfse_ctribnac = fields.Char(
        "National service code (cTribNac)",
        size=6,
        help="6 digits of the national service list (LC 116); hosting is item 1.03 (010301). "
        "Empty: the company's default.",
    )
    nfse_description = fields.Char(
        "Service description (NFS-e)", help="Printed on the NFS-e; empty: the invoice line's text."
    )
