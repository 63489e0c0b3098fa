/** @odoo-module **/

import { registry } from "@web/core/registry";

const SUBJECT = "Boleto de dezembro em dobro";

// A file input receives a file as if the customer had picked it.
function pick(input, name, type, bytes) {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

// A real 1x1 PNG: the server opens images to check them.
const PNG = [
    ...atob(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    ),
].map((c) => c.charCodeAt(0));
const PDF = [...new TextEncoder().encode("%PDF-1.4\n%%EOF\n")];

registry.category("web_tour.tours").add("meusite_helpdesk_open_ticket", {
    url: "/new/ticket",
    steps: () => [
        {
            content: "Choose the Financeiro department",
            trigger: "a.o_meusite_department:contains('Financeiro')",
            run: "click",
        },
        {
            content: "Name comes from the account and cannot be changed",
            trigger: "input#meusite_name[readonly]",
        },
        { trigger: "input[name=subject]", run: `edit ${SUBJECT}` },
        { trigger: "select[name=priority]", run: "select high" },
        { trigger: "textarea[name=message]", run: "edit A fatura de dezembro veio duas vezes." },
        {
            content: "First attachment",
            trigger: ".o_meusite_file_row:eq(0) input[type=file]:not(:visible)",
            run() {
                pick(this.anchor, "boleto.pdf", "application/pdf", PDF);
            },
        },
        {
            trigger: ".o_meusite_file_row:eq(0) .o_meusite_file_name:contains('boleto.pdf')",
        },
        { content: "Adicionar Mais", trigger: "a.o_meusite_add_file", run: "click" },
        {
            content: "Second attachment",
            trigger: ".o_meusite_file_row:eq(1) input[type=file]:not(:visible)",
            run() {
                pick(this.anchor, "extrato.png", "image/png", PNG);
            },
        },
        { trigger: "input[name=captcha_answer]", run: "edit K7WQ4P" },
        { content: "Enviar", trigger: "button.o_meusite_ticket_send", run: "click" },
        {
            content: "Confirmation with the ticket code",
            trigger: ".o_meusite_ticket_sent:contains('Sua solicitação foi enviada ao nosso setor responsável') .o_meusite_ticket_code",
            run() {
                const code = this.anchor.textContent.trim();
                window.location.href = `/my/tickets?search=${encodeURIComponent(code)}`;
            },
        },
        {
            content: "The ticket is found by its code in Suporte",
            trigger: `.o_meusite_ticket_row:contains('${SUBJECT}'):contains('Financeiro')`,
        },
    ],
});

registry.category("web_tour.tours").add("meusite_helpdesk_reply_and_close", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Open the ticket",
            trigger: `.o_meusite_ticket_row a:contains('${SUBJECT}')`,
            run: "click",
        },
        {
            content: "The staff reply is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('Estornamos a cobrança duplicada.')",
        },
        {
            content: "Close the ticket",
            trigger: "div[name=ticket_close_buttons] form:first button",
            run: "click",
        },
        {
            content: "Closed: no close button and no reply form any more",
            trigger: "body:not(:has(div[name=ticket_close_buttons] button)):not(:has(.o_meusite_ticket_reply))",
        },
    ],
});
