import publicWidget from "@web/legacy/js/public/public_widget";

// Sign-up and "Atualizar seus Dados": as soon as the CEP has its 8 digits, the city and the
// state are filled from l10n_br's CEP ranges (/meusite/cep/<cep>, a read-only GET). The
// server decides again when the form is posted; this only saves the customer typing.
publicWidget.registry.MeusiteCepFill = publicWidget.Widget.extend({
    selector: ".o_meusite_signup_fields, .o_portal_details",
    events: {
        "input input[name=zipcode]": "_onCepInput",
    },

    async _onCepInput(ev) {
        // The account page of a contact abroad keeps Odoo's generic form (no street_name).
        if (!this.el.querySelector("input[name=street_name]")) {
            return;
        }
        const cep = ev.currentTarget.value.replace(/\D/g, "");
        if (cep.length !== 8 || cep === this._cep) {
            return;
        }
        this._cep = cep;
        const response = await fetch(`/meusite/cep/${cep}`, {
            headers: { Accept: "application/json" },
        });
        const found = response.ok ? await response.json() : {};
        if (!found.city || this._cep !== cep) {
            return;
        }
        const city = this.el.querySelector("input[name=city]");
        const state = this.el.querySelector("select[name=state_id]");
        if (city) {
            city.value = found.city;
        }
        if (state) {
            state.value = String(found.state_id);
        }
    },
});
