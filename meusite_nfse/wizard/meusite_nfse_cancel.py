from odoo import fields, models


class MeusiteNfseCancel(models.TransientModel):
    _name = "meusite.nfse.cancel"
    _description = "Cancel an NFS-e"

    nfse_id = fields.Many2one("meusite.nfse", required=True)
    reason = fields.Selection(
        [("1", "Error in issuance"), ("2", "Service not provided"), ("9", "Other")],
        required=True,
        default="2",
    )
    text = fields.Char("Justification", required=True, size=255)

    def action_confirm(self):
        self.nfse_id._cancel(self.reason, self.text)
        return {"type": "ir.actions.act_window_close"}
