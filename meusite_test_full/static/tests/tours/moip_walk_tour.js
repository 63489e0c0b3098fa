/** @odoo-module **/

import { registry } from "@web/core/registry";

// The manual walk's boleto step (meusite_test_full/tests/test_manual_walk.py): it drives Moip's boleto page,
// so it lives with the Moip addon; the rest of the walk is in meusite_helpdesk's tours.
// The customer pays the overdue invoice by boleto and copies the linha digitável.
registry.category("web_tour.tours").add("meusite_walk_boleto", {
    steps: () => [
        {
            content: "Pagar agora",
            trigger: "a[data-bs-target='#pay_with']:contains('Pagar agora')",
            run: "click",
        },
        {
            content: "Choose Boleto",
            trigger: ".modal input[name='o_payment_radio'][data-payment-method-code='boleto']",
            run: "click",
        },
        {
            trigger: ".modal button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
        },
        // Three days overdue: 158,90 + multa 3,18 (2%) + juros 0,16 (1% a month, 3 days).
        { trigger: ".o_moip_boleto_page .o_moip_amount:contains('R$ 162,24')" },
        { trigger: ".o_moip_boleto_page .o_moip_due_date:contains('/')" },
        { trigger: ".o_moip_boleto_page input.o_moip_line_code[value^='2379']" },
        {
            content: "Copy the linha digitável",
            trigger: ".o_moip_boleto_page .o_moip_copy:contains('Copiar')",
            run: "click",
        },
        { trigger: ".o_moip_boleto_page a.o_moip_print:contains('Imprimir boleto')" },
    ],
});
