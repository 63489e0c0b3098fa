from odoo import fields, models

from ...private_api import grouped


class ResPartner(models.Model):
    """The contact's "Serviços" smart button: staff open a customer's services from the
    contact form, as they open its invoices."""

    _name = "res.partner"
    _inherit = ["res.partner"]

    meusite_service_count = fields.Integer(
        string="Services", compute="_compute_meusite_service_count",
        groups="account.group_account_invoice",
    )

    def _compute_meusite_service_count(self):
        # The services of the contact's whole company (as the customer sees them), one
        # grouped query for the records shown.
        counts = dict(grouped(
            self.env["meusite.service"],
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
            ["commercial_partner_id"], ["__count"],
        ))
        for partner in self:
            partner.meusite_service_count = counts.get(partner.commercial_partner_id, 0)

    def action_meusite_view_services(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meusite_portal.meusite_service_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
