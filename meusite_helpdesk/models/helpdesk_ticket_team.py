from odoo import api, fields, models

from ..private_api import grouped

ASSIGNMENT_RULES = [
    ("none", "No automatic assignment"),
    ("round_robin", "Round-robin between members"),
    ("fewest_open", "Member with the fewest open tickets"),
]


class HelpdeskTicketTeam(models.Model):
    """A helpdesk team is what the customer calls a department (Suporte, Financeiro)."""

    _inherit = "helpdesk.ticket.team"

    meusite_portal_description = fields.Char(
        string="Description for customers",
        translate=True,
        help="Shown under the department's name when a customer opens a ticket.",
    )
    meusite_assignment_rule = fields.Selection(
        ASSIGNMENT_RULES,
        string="Assignment Rule",
        default="none",
        required=True,
        help="Who gets a new ticket of this department that nobody was assigned to "
        "(tickets from the client area, from e-mail or created unassigned in the backend).",
    )
    meusite_last_assigned_user_id = fields.Many2one(
        "res.users",
        string="Last Assigned User",
        readonly=True,
        copy=False,
        help="Member who received the last round-robin ticket.",
    )

    def _retrieve_dashboard(self):
        # helpdesk_mgmt's dashboard labels are code terms its pt_BR catalogue leaves empty:
        # Portuguese staff read "Open Tickets". Ours, translated in our pt_BR.po.
        labels = {
            "helpdesk_mgmt.helpdesk_ticket_action_unassigned": self.env._(
                "Open Tickets without team"
            ),
            "helpdesk_mgmt.helpdesk_ticket_action_opened": self.env._("Open Tickets"),
        }
        items = super()._retrieve_dashboard()
        for item in items:
            item["name"] = labels.get(item.get("action"), item.get("name"))
        return items

    def _meusite_next_assignee(self):
        """The member the assignment rule picks for the next ticket, or an empty recordset."""
        self.ensure_one()
        members = self.user_ids.filtered("active").sorted("id")
        if not members or self.meusite_assignment_rule == "none":
            return self.env["res.users"]
        if self.meusite_assignment_rule == "round_robin":
            later = members.filtered(lambda u: u.id > self.meusite_last_assigned_user_id.id)
            user = later[:1] or members[:1]
            # sudo: the portal customer or the mail gateway creating the ticket has no
            # right on teams, yet the rotation must move on.
            self.sudo().meusite_last_assigned_user_id = user
            return user
        # fewest_open: ties go to the member listed first (lowest id) so the rule is stable.
        groups = grouped(
            self.env["helpdesk.ticket"].sudo(),
            [("user_id", "in", members.ids), ("stage_id.closed", "=", False)],
            ["user_id"],
            ["__count"],
        )
        open_count = {user.id: count for user, count in groups}
        return min(members, key=lambda u: (open_count.get(u.id, 0), u.id))

    @api.model
    def _meusite_portal_departments(self):
        """Departments a customer may write to, in display order."""
        return self.search([("show_in_portal", "=", True)])

    def action_meusite_queue(self):
        """The department's open tickets: the queue its members work."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action.update({
            "name": self.env._("Queue: %(team)s", team=self.name),
            "domain": [("team_id", "=", self.id)],
            "context": {"search_default_open": 1, "default_team_id": self.id},
        })
        return action

    @api.model
    def _meusite_archive_oca_demo(self):
        """Demo data: archive helpdesk_mgmt's demo teams and tickets (English, not this
        company's departments), those that exist; archived, not deleted, so that anything
        pointing at them still works."""
        for xmlid in [f"helpdesk_mgmt.helpdesk_ticket_{i}" for i in range(1, 9)] + [
            f"helpdesk_mgmt.helpdesk_team_{i}" for i in range(1, 4)
        ]:
            record = self.env.ref(xmlid, raise_if_not_found=False)
            if record:
                record.active = False
