/** @odoo-module **/

import { registry } from "@web/core/registry";

// The customer pays an invoice by PagBank PIX: the QR code and its copia e cola appear,
// and are copied; tests/test_pagbank_tour.py then pays it at the double.
registry.category("web_tour.tours").add("meusite_pagbank_pix_tour", {
    steps: () => [
        {
            content: "Pagar agora",
            trigger: "a[data-bs-target='#pay_with']:contains('Pagar agora')",
            run: "click",
        },
        {
            content: "Choose Pix",
            trigger: ".modal input[name='o_payment_radio'][data-payment-method-code='pix']",
            run: "click",
        },
        {
            trigger: ".modal button[name='o_payment_submit_button']:not(:disabled)",
            run: "click",
        },
        // The order is created at PagBank before this page answers: a slower step.
        { trigger: ".o_pagbank_payment_page h1:contains('Pague com PIX')", timeout: 30000 },
        { trigger: ".o_pagbank_payment_page .o_pagbank_amount:contains('R$ 158,90')" },
        // The QR image is drawn (loaded) from the copia e cola text.
        { trigger: ".o_pagbank_payment_page img.o_pagbank_pix_qr", run: function () {
            if (!this.anchor.complete || !this.anchor.naturalWidth) {
                throw new Error("the QR image did not load");
            }
        } },
        { trigger: ".o_pagbank_payment_page input.o_pagbank_pix_text[value^='000201']" },
        { trigger: ".o_pagbank_payment_page .o_pagbank_pix_expiration:contains('/')" },
        { trigger: ".o_meusite_menu a:contains('Faturas')" },
        {
            content: "Copy the PIX code",
            trigger: ".o_pagbank_payment_page .o_pagbank_copy:contains('Copiar')",
            run: "click",
        },
    ],
});

// After the payment, the invoice says it is paid.
registry.category("web_tour.tours").add("meusite_pagbank_invoice_paid_tour", {
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

// The PagBank boleto page, for its screenshot.
registry.category("web_tour.tours").add("meusite_pagbank_boleto_tour", {
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
        { trigger: ".o_pagbank_payment_page h1:contains('Seu boleto está pronto')", timeout: 30000 },
        { trigger: ".o_pagbank_payment_page input.o_pagbank_barcode[value^='2909']" },
        { trigger: ".o_pagbank_payment_page a.o_pagbank_pdf:contains('Imprimir boleto')" },
    ],
});
