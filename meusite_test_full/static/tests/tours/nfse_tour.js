/** @odoo-module **/

import { registry } from "@web/core/registry";

// The customer's walk to the NFS-e, run by meusite_test_full/tests/test_nfse_walk.py (a
// cross-addon test: paying goes through account_payment's form and meusite_portal's transfer
// page, which meusite_nfse does not depend on).

// From Minhas Faturas: the fatura selected, "Pagar Selecionados", by bank transfer (as the
// manual's walk pays). Not the invoice page's own "Pagar agora": its /payment/status
// redirect chain sometimes left Odoo 18's tour runner not resuming on the landing page
// (seen once in CI, the page right, the tour gone).
registry.category("web_tour.tours").add("meusite_nfse_pay_by_transfer", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "No NFS-e yet on an unpaid invoice",
            trigger: "body:has(.o_meusite_status[data-status]):not(:has(.o_meusite_nfse))",
        },
        {
            content: "Select the fatura to pay",
            trigger: "tr:has(.o_meusite_status:not([data-status=paid])) input[name=invoice_ids]",
            run: "click",
        },
        {
            content: "Pagar Selecionados",
            trigger: ".o_meusite_pay_selected",
            run: "click",
        },
        { trigger: ".o_meusite_pay_invoices tbody tr" },
        {
            content: "Choose bank transfer",
            trigger: 'input[name="o_payment_radio"][data-payment-method-code="wire_transfer"]',
            run: "click",
        },
        { trigger: 'input[name="o_payment_radio"][data-payment-method-code="wire_transfer"]:checked' },
        {
            content: "Pay",
            trigger: 'button[name="o_payment_submit_button"]:not(:disabled)',
            run: "click",
        },
        {
            content: "The bank details to transfer to",
            trigger: ".o_meusite_transfer dt:contains('Banco:')",
        },
        {
            content: "The payment awaits the company's confirmation",
            trigger: ".o_meusite_awaiting:contains('Aguardando confirmação')",
        },
    ],
});

// Once staff confirmed the transfer and the note was issued: "NFS-e nº …" in Minhas Faturas
// and on the invoice page, and its DANFSe downloads as a PDF.
registry.category("web_tour.tours").add("meusite_nfse_customer_downloads_danfse", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "Minhas Faturas shows the note's number beside the paid invoice",
            trigger: "tr:has(.o_meusite_nfse:contains('NFS-e nº')) .o_meusite_view_invoice",
            run: "click",
        },
        {
            content: "The invoice page shows the note with its number",
            trigger: "#invoice_content .o_meusite_nfse",
            run() {
                const text = this.anchor.textContent.replace(/\s+/g, " ");
                if (!/NFS-e nº \d+ — baixar \(PDF\/XML\)/.test(text)) {
                    throw new Error(`not the NFS-e line: ${text}`);
                }
            },
        },
        {
            content: "Download the DANFSe: a PDF",
            trigger: "#invoice_content a.o_meusite_nfse_pdf",
            async run() {
                const answer = await fetch(this.anchor.href);
                const type = answer.headers.get("Content-Type") || "";
                const disposition = answer.headers.get("Content-Disposition") || "";
                const head = new TextDecoder().decode((await answer.arrayBuffer()).slice(0, 5));
                if (answer.status !== 200 || !type.startsWith("application/pdf")
                        || head !== "%PDF-" || !disposition.includes("DANFSe")) {
                    throw new Error(`not a DANFSe PDF: ${answer.status} ${type} ${disposition} ${head}`);
                }
            },
        },
        {
            content: "Download the XML: the authorised NFS-e",
            trigger: "#invoice_content a.o_meusite_nfse_xml",
            async run() {
                const answer = await fetch(this.anchor.href);
                const body = await answer.text();
                if (answer.status !== 200 || !body.includes("<NFSe")) {
                    throw new Error(`not the NFS-e XML: ${answer.status} ${body.slice(0, 200)}`);
                }
            },
        },
    ],
});
