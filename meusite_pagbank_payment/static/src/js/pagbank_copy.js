import publicWidget from "@web/legacy/js/public/public_widget";
import { browser } from "@web/core/browser/browser";

// "Copiar" beside the PIX copia e cola and the boleto's linha digitável.
publicWidget.registry.PagbankCopy = publicWidget.Widget.extend({
    selector: ".o_pagbank_copy_group",
    events: {
        "click .o_pagbank_copy": "_onClickCopy",
    },

    async _onClickCopy() {
        const input = this.el.querySelector(".o_pagbank_copy_value");
        try {
            await browser.navigator.clipboard.writeText(input.value);
        } catch {
            // Without clipboard permission, select the text so the customer can copy it.
            input.select();
            return;
        }
        this.el.querySelector(".o_pagbank_copy_label").classList.add("d-none");
        this.el.querySelector(".o_pagbank_copied_label").classList.remove("d-none");
    },
});
