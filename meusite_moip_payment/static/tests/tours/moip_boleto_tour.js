/** @odoo-module **/

import { registry } from "@web/core/registry";

// The customer opens an open invoice, pays it by boleto and gets the boleto page.
registry.category("web_tour.tours").add("meusite_moip_boleto_tour", {
    steps: () => [
        {
            content: "Open the payment dialog",
            trigger: "a[data-bs-target='#pay_with']:contains('Pagar agora')",
            run: "click",
        },
        {
            content: "Choose Boleto",
            trigger: ".modal input[name='o_payment_radio'][data-payment-method-code='boleto']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: ".modal button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
        },
        {
            content: "The boleto page shows the amount in reais",
            trigger: ".o_moip_boleto_page .o_moip_amount:contains('R$ 158,90')",
        },
        {
            content: "It shows the due date as dd/mm/aaaa",
            trigger: ".o_moip_boleto_page .o_moip_due_date:contains('/')",
        },
        {
            content: "It shows the linha digitável with a copy button",
            trigger: ".o_moip_boleto_page input.o_moip_line_code[value^='2379']",
        },
        {
            trigger: ".o_moip_boleto_page .o_moip_copy:contains('Copiar')",
        },
        {
            content: "And the button to print it",
            trigger: ".o_moip_boleto_page a.o_moip_print:contains('Imprimir boleto')",
        },
        {
            content: "Back to the invoice",
            trigger: ".o_moip_boleto_page a:contains('Voltar para a fatura')",
            run: "click",
        },
        {
            content: "The pending boleto stays visible on the invoice",
            trigger: ".o_account_payment_tx_status .o_moip_boleto a:contains('Imprimir boleto')",
        },
        {
            content: "and the invoice does not offer a second payment meanwhile",
            trigger: "body:not(:has(a[data-bs-target='#pay_with']))",
        },
    ],
});

// After the bank paid it, the invoice no longer offers to pay.
registry.category("web_tour.tours").add("meusite_moip_invoice_paid_tour", {
    steps: () => [
        {
            content: "The invoice is paid",
            trigger: ".o_portal_sidebar .badge:contains('Pag')",
        },
        {
            trigger: "body:not(:has(a[data-bs-target='#pay_with']))",
        },
    ],
});
