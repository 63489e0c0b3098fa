import publicWidget from "@web/legacy/js/public/public_widget";
import { browser } from "@web/core/browser/browser";

publicWidget.registry.MoipBoletoCopy = publicWidget.Widget.extend({
    selector: ".o_moip_boleto",
    events: {
        "click .o_moip_copy": "_onClickCopy",
    },

    async _onClickCopy() {
        const input = this.el.querySelector(".o_moip_line_code");
        try {
            await browser.navigator.clipboard.writeText(input.value);
        } catch {
            // Without clipboard permission, select the code so the customer can copy it.
            input.select();
            return;
        }
        this.el.querySelector(".o_moip_copy_label").classList.add("d-none");
        this.el.querySelector(".o_moip_copied_label").classList.remove("d-none");
    },
});
