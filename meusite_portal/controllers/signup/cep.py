from odoo import http
from odoo.http import request


class MeusiteCep(http.Controller):
    @http.route("/meusite/cep/<string:cep>", type="http", auth="public", methods=["GET"],
                readonly=True, sitemap=False)
    def meusite_cep(self, cep):
        """City and state of a CEP, from l10n_br's CEP ranges, for the sign-up and account
        forms to fill while the customer types (static/src/js/cep_fill.esm.js). Public data
        (the Correios ranges Odoo ships), read on a read-only cursor: nothing is written.
        An unknown or malformed CEP answers ``{}``; the posted form says what is wrong."""
        city = request.env["res.partner"]._meusite_city_from_zip(cep)
        if not city:
            return request.make_json_response({})
        return request.make_json_response({
            "city": city.name, "state_id": city.state_id.id, "state": city.state_id.code,
        })
