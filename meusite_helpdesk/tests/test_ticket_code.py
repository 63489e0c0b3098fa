from unittest.mock import patch

from psycopg2 import IntegrityError

from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import HelpdeskFixture


@tagged("post_install", "-at_install")
class TestTicketCode(HelpdeskFixture, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_helpdesk_fixture()

    def test_code_is_random_digits_and_unique(self):
        tickets = self.env["helpdesk.ticket"].browse()
        for _i in range(30):
            tickets |= self.make_ticket(self.customer)
        codes = tickets.mapped("meusite_code")
        for code in codes:
            self.assertRegex(code, r"^#\d{6,}$")
        self.assertEqual(len(set(codes)), len(codes))
        numbers = sorted(int(c[1:]) for c in codes)
        gaps = {b - a for a, b in zip(numbers, numbers[1:], strict=False)}
        self.assertNotEqual(gaps, {1}, "codes must not be a sequence")

    def test_collision_draws_again(self):
        first = self.make_ticket(self.customer)
        taken = int(first.meusite_code[1:]) - 100000
        draws = iter([taken, taken, 424242 - 100000])
        with patch("odoo.addons.meusite_helpdesk.models.helpdesk_ticket.secrets.randbelow",
                   lambda _n: next(draws)):
            second = self.make_ticket(self.customer)
        self.assertEqual(second.meusite_code, "#424242")

    @mute_logger("odoo.sql_db")
    def test_database_refuses_a_duplicate_code(self):
        first = self.make_ticket(self.customer)
        second = self.make_ticket(self.customer)
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            second.meusite_code = first.meusite_code
            second.flush_recordset()

    def test_code_is_searchable_with_or_without_hash(self):
        ticket = self.make_ticket(self.customer, name="Troca de logotipo")
        digits = ticket.meusite_code[1:]
        Ticket = self.env["helpdesk.ticket"]
        self.assertIn(ticket, Ticket.search([("meusite_code", "ilike", digits)]))
        found = Ticket.name_search(ticket.meusite_code)
        self.assertIn(ticket.id, [rec_id for rec_id, _name in found])
        # The internal sequence stays for staff (and for helpdesk_mgmt).
        self.assertTrue(ticket.number.startswith("HT"))
        self.assertNotEqual(ticket.number, ticket.meusite_code)
