/** @odoo-module **/

import { registry } from "@web/core/registry";
import { payWithSteps } from "./meusite_tour_steps";

// The demo customer pays two invoices at once by bank transfer, as in the manual.
registry.category("web_tour.tours").add("meusite_pay_two_invoices_by_transfer", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "Minhas Faturas lists the records and the outstanding balance",
            trigger: ".o_meusite_record_count:contains('Registros encontrados')",
        },
        {
            content: "Select the overdue invoice",
            trigger: "tr:has(.o_meusite_status[data-status=overdue]) input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Select the invoice not yet due",
            trigger: "tr:has(.o_meusite_status[data-status=open]) input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Pay the selected invoices",
            trigger: ".o_meusite_pay_selected",
            run: "click",
        },
        {
            content: "The payment page lists both invoices",
            trigger: ".o_meusite_pay_invoices tbody:has(tr + tr)",
        },
        ...payWithSteps("wire_transfer"),
        {
            content: "The bank details are shown as in the manual",
            trigger: ".o_meusite_transfer dt:contains('Banco:') + dd:contains('Caixa Econômica Federal')",
        },
        {
            content: "with the reference to quote",
            trigger: ".o_meusite_transfer .o_meusite_reference:contains('/'):contains(', ')",
        },
        {
            content: "and the payment awaits confirmation",
            trigger: ".o_meusite_awaiting:contains('Aguardando confirmação')",
        },
    ],
});

// The invoice page ("Ver Fatura") of an open invoice shows how to pay by transfer and PIX.
registry.category("web_tour.tours").add("meusite_invoice_page_pix", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "Open the overdue invoice",
            trigger: "tr:has(.o_meusite_status[data-status=overdue]) .o_meusite_view_invoice",
            run: "click",
        },
        {
            content: "Its status, as in the manual",
            trigger: ".o_portal_sidebar .o_meusite_status:contains('Vencida')",
        },
        {
            content: "Total to pay",
            trigger: ".o_meusite_total_to_pay:contains('Total a pagar')",
        },
        {
            content: "Billed to / pay to",
            trigger: ".o_meusite_invoice_summary h6:contains('Faturado para')",
        },
        {
            content: "The invoice number is the transfer reference",
            trigger: ".o_meusite_invoice_transfer dt:contains('Nº de referência:') + dd.o_meusite_reference:not(:empty)",
        },
        {
            content: "The PIX copy-and-paste code",
            trigger: ".o_meusite_pix textarea#o_meusite_pix_payload",
            run() {
                if (!this.anchor.value.startsWith("000201") || !this.anchor.value.includes("br.gov.bcb.pix")) {
                    throw new Error(`not a PIX BR Code: ${this.anchor.value}`);
                }
            },
        },
        {
            content: "and its QR code",
            trigger: ".o_meusite_pix img[src^='/report/barcode/?barcode_type=QR']",
        },
        {
            content: "Pay now opens the payment methods",
            trigger: "a[data-bs-target='#pay_with']",
            run: "click",
        },
        {
            content: "Bank transfer is one of them",
            trigger: '#pay_with input[name="o_payment_radio"][data-payment-method-code="wire_transfer"]',
        },
    ],
});
