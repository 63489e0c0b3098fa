from odoo.tests import TransactionCase, tagged
from odoo.tools import sql

from ..common import load_migration


@tagged("post_install", "-at_install")
class TestAddressMigration(TransactionCase):
    """A database from before 18.0.1.2.0: number and bairro in our own columns, the
    complement in street2. The old columns are made again (in this test's transaction) and
    filled by SQL, as the upgrade finds them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for column in ("meusite_street_number", "meusite_district"):
            if not sql.column_exists(cls.env.cr, "res_partner", column):
                sql.create_column(cls.env.cr, "res_partner", column, "varchar")
        cls.migration = load_migration("18.0.1.2.0")
        cls.it_vat = cls.env.ref("l10n_latam_base.it_vat")
        Partner = cls.env["res.partner"]
        common = {"country_id": cls.env.ref("base.br").id,
                  "state_id": cls.env.ref("base.state_br_mg").id,
                  "l10n_latam_identification_type_id": cls.it_vat.id}
        cls.signed_up = Partner.create({
            **common, "name": "Cliente Antiga", "street": "Rua dos Timbiras, 1200",
            "street2": "Apto 302", "city": "Belo Horizonte", "zip": "30140-061",
            "vat": "381.427.560-80",
        })
        cls.without_number = Partner.create({
            **common, "name": "Cliente Sem Número", "street": "Rua Pernambuco, 350",
            "city": "Belo Horizonte", "zip": "30130-150", "vat": "11.222.333/0001-81",
            "is_company": True,
        })
        cls.staff_typed = Partner.create({
            **common, "name": "Cadastro da Equipe", "street": "Avenida Afonso Pena 1500",
            "street2": "Centro", "city": "Belo Horizonte", "zip": "30130-005",
        })
        cls.env.flush_all()
        cls.env.cr.execute(
            """UPDATE res_partner SET meusite_street_number = %s, meusite_district = %s
                WHERE id = %s""", ("1200", "Funcionários", cls.signed_up.id))
        cls.env.cr.execute(
            "UPDATE res_partner SET meusite_district = %s WHERE id = %s",
            ("Funcionários", cls.without_number.id))
        cls.env.invalidate_all()

    def test_old_fields_move_to_l10n_br_fields(self):
        moved = self.migration.move_partner_addresses(self.env)
        self.assertIn(self.signed_up, moved)
        self.assertNotIn(self.staff_typed, moved)
        bh = self.env.ref("l10n_br.city_br_006")
        self.assertRecordValues(self.signed_up | self.without_number | self.staff_typed, [{
            # our number -> street_number, our bairro -> street2, old street2 -> complement
            "street_name": "Rua dos Timbiras", "street_number": "1200",
            "street_number2": "Apto 302", "street2": "Funcionários",
            "street": "Rua dos Timbiras 1200 - Apto 302", "city_id": bh.id,
        }, {
            "street_name": "Rua Pernambuco", "street_number": "350",
            "street_number2": "", "street2": "Funcionários",
            "street": "Rua Pernambuco 350", "city_id": bh.id,
        }, {
            # Not ours: street2 was already the bairro; nothing changes.
            "street_name": "Avenida Afonso Pena", "street_number": "1500",
            "street_number2": "", "street2": "Centro",
            "street": "Avenida Afonso Pena 1500", "city_id": False,
        }])

    def test_cpf_and_cnpj_get_their_identification_type(self):
        self.migration.type_identification_numbers(self.env)
        self.assertEqual(self.signed_up.l10n_latam_identification_type_id,
                         self.env.ref("l10n_br.cpf"))
        self.assertEqual(self.without_number.l10n_latam_identification_type_id,
                         self.env.ref("l10n_br.cnpj"))
        self.assertEqual(self.staff_typed.l10n_latam_identification_type_id, self.it_vat)
