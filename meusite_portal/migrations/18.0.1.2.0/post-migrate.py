"""The customer's address moves to the fields l10n_br keeps it in.

Before, meusite_portal kept the house number and the bairro in fields of its own
(`meusite_street_number`, `meusite_district`) and the complement in `street2`, which l10n_br
shows staff as the bairro. Now: number in `street_number`, complement in `street_number2`
(base_address_extended composes `street` from them and `street_name`), bairro in `street2`,
the IBGE city of the CEP in `city_id`, and CPF/CNPJ typed as such in
`l10n_latam_identification_type_id`.

Post-migrate on purpose: the old columns are still there (Odoo drops the columns of removed
fields only at the end of the whole update, in `ir.model.data._process_end`), and the new
fields are in the registry, so the ORM composes `street` and syncs company contacts.
"""

import re

from stdnum.br import cnpj, cpf

from odoo import SUPERUSER_ID, api
from odoo.tools import sql

from odoo.addons.meusite_portal.models.signup.res_partner import _plain

OLD_COLUMNS = ("meusite_street_number", "meusite_district")


def move_partner_addresses(env):
    """Move the old columns' data to l10n_br's fields; return the partners moved.

    Only partners that have one of our old fields set are touched: their `street2` was the
    complement (our forms said so). Others (typed by staff) already use street2 as l10n_br
    does, and are left alone.
    """
    cr = env.cr
    if not all(sql.column_exists(cr, "res_partner", column) for column in OLD_COLUMNS):
        return env["res.partner"]
    cr.execute(
        """SELECT id, street, street2, meusite_street_number, meusite_district
             FROM res_partner
            WHERE COALESCE(meusite_street_number, '') != '' OR COALESCE(meusite_district, '') != ''
         ORDER BY id"""
    )
    rows = cr.fetchall()
    partners = env["res.partner"].with_context(active_test=False, tracking_disable=True)
    for partner_id, street, complement, number, district in rows:
        street, number = (street or "").strip(), (number or "").strip()
        partner = partners.browse(partner_id)
        if number:
            # "Rua dos Timbiras, 1200": the number was typed again at the end of `street`.
            match = re.match(rf"^(.*?)[\s,]*(?<!\w){re.escape(number)}$", street)
            street_name = match.group(1) if match else street
        else:
            # No number of ours: base_address_extended already split `street`.
            street_name, number = partner.street_name or "", partner.street_number or ""
        values = {
            "street_name": street_name.strip().rstrip(",").strip(),
            "street_number": number,
            "street_number2": (complement or "").strip(),
            "street2": (district or "").strip(),
        }
        # The IBGE city of the CEP, when it is the city the customer typed (a CEP and a city
        # that disagree are left for the customer or staff to sort out).
        city = partner._meusite_city_from_zip(partner.zip)
        if city and not partner.city_id and _plain(partner.city) in ("", _plain(city.name)):
            values.update(city_id=city.id, city=city.name, state_id=city.state_id.id)
        partner.write(values)
    return partners.browse([row[0] for row in rows])


def type_identification_numbers(env):
    """Brazilian partners whose CPF/CNPJ sits under the generic "VAT" type get CPF or CNPJ."""
    generic = env.ref("l10n_latam_base.it_vat", raise_if_not_found=False)
    if not generic:
        return
    partners = env["res.partner"].with_context(active_test=False, tracking_disable=True).search([
        ("country_id.code", "=", "BR"), ("vat", "!=", False),
        ("l10n_latam_identification_type_id", "=", generic.id),
    ])
    for kind, module in (("cpf", cpf), ("cnpj", cnpj)):
        matching = partners.filtered(lambda p, module=module: module.is_valid(p.vat or ""))
        matching.write({"l10n_latam_identification_type_id": env.ref(f"l10n_br.{kind}").id})


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    move_partner_addresses(env)
    type_identification_numbers(env)
