/** @odoo-module **/

import { registry } from "@web/core/registry";
import {
    payWithSteps,
    signupAddressSteps,
    signupSubmitAndLoginSteps,
} from "@meusite_portal/../tests/tours/meusite_tour_steps";

// The customer manual, walked end to end by one new customer (meusite_test_full/tests/test_manual_walk.py).
// One tour per step of the walk; the staff's part happens in Python between them.

const tours = registry.category("web_tour.tours");
const TICKET_SUBJECT = "Dúvida sobre a fatura da mensalidade";
const PDF = [...new TextEncoder().encode("%PDF-1.4\n%%EOF\n")];

// A CPF nobody else holds, with valid check digits: the sign-up refuses a CPF twice.
function newCpf() {
    const digits = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10));
    digits[0] = 1 + (digits[0] % 9);
    for (const weight of [10, 11]) {
        const sum = digits.reduce((acc, d, i) => acc + d * (weight - i), 0);
        const rest = (sum * 10) % 11;
        digits.push(rest === 10 ? 0 : rest);
    }
    const s = digits.join("");
    return `${s.slice(0, 3)}.${s.slice(3, 6)}.${s.slice(6, 9)}-${s.slice(9)}`;
}

// Step 1: "Clientes não cadastrados" → sign-up with full data → the panel.
// The login is also the password: HttpCase logs a tour in with login = password.
tours.add("meusite_walk_signup", {
    url: "/web/login",
    steps: () => {
        const email = `helena.duarte.${Date.now()}@example.com`;
        return [
            {
                content: "The login page offers both paths",
                trigger: ".o_meusite_registered:contains('Clientes cadastrados')",
                run() {
                    document.cookie = "frontend_lang=pt_BR; path=/";
                },
            },
            {
                content: "Clientes não cadastrados: sign up",
                trigger: ".o_meusite_not_registered a[href='/web/signup']",
                run: "click",
            },
            { trigger: "input[name=login]", run: `edit ${email}` },
            { trigger: "input[name=name]", run: "edit Helena Duarte Souza" },
            { trigger: "input[name=password]", run: `edit ${email}` },
            { trigger: "input[name=confirm_password]", run: `edit ${email}` },
            { trigger: "label[for=vat]:contains('CPF ou CNPJ')" },
            { trigger: "input[name=vat]", run: `edit ${newCpf()}` },
            {
                // Set, not typed: the tour's simulated keyboard drops a leading "(".
                trigger: "input[name=phone]",
                run() {
                    this.anchor.value = "(31) 99123-4567";
                    this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
                },
            },
            ...signupAddressSteps(),
            ...signupSubmitAndLoginSteps(),
            {
                content: "Lands on the panel, greeted by first name",
                trigger: ".o_meusite_hello:contains('Olá, Helena!')",
            },
            { trigger: ".o_meusite_count_services:contains('Número de Produtos/Serviços: 0 (0)')" },
        ];
    },
});

// Step 3: the panel after staff gave the service and the invoice was issued, overdue.
tours.add("meusite_walk_panel", {
    url: "/my",
    steps: () => [
        { trigger: ".o_meusite_hello:contains('Olá, Helena!')" },
        {
            content: "Account card",
            trigger: ".o_meusite_account:contains('Informações da Conta'):contains('Belo Horizonte, MG')",
        },
        { trigger: ".o_meusite_count_services:contains('Número de Produtos/Serviços: 1 (1)')" },
        { trigger: ".o_meusite_count_domains:contains('Número de Domínios: 0 (0)')" },
        { trigger: ".o_meusite_count_tickets:contains('Número de Tickets de Suporte: 0')" },
        {
            content: "The invoice is in Faturas, overdue",
            trigger: ".o_meusite_invoices .o_meusite_invoice_row:contains('R$ 158,90'):contains('Vencida')",
        },
        {
            // What is owed today, as every screen shows it: three days late, 158,90 + multa
            // 3,18 + juros 0,16 (issue #25).
            content: "Total Vencido",
            trigger: ".o_meusite_invoices tfoot:contains('Total Vencido'):contains('R$ 158,90 + R$ 3,34 de multa e juros') .o_meusite_overdue_total:contains('R$ 162,24')",
        },
    ],
});

// Step 4: a ticket to Financeiro about the invoice, with a PDF.
function ticketFormSteps() {
    return [
        {
            content: "Choose the Financeiro department",
            trigger: "a.o_meusite_department:contains('Financeiro')",
            run: "click",
        },
        { trigger: "input#meusite_name[readonly][value='Helena Duarte Souza']" },
        { trigger: "input[name=subject]", run: `edit ${TICKET_SUBJECT}` },
        {
            trigger: "textarea[name=message]",
            run: "edit A fatura da mensalidade venceu; segue o comprovante em PDF.",
        },
        {
            content: "Attach the PDF",
            trigger: ".o_meusite_file_row:eq(0) input[type=file]:not(:visible)",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File([new Uint8Array(PDF)], "comprovante.pdf", { type: "application/pdf" })
                );
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        { trigger: ".o_meusite_file_row:eq(0) .o_meusite_file_name:contains('comprovante.pdf')" },
    ];
}

// The filled-in form, for the README's screenshot.
tours.add("meusite_walk_ticket_form", {
    url: "/new/ticket",
    steps: ticketFormSteps,
});

tours.add("meusite_walk_ticket", {
    url: "/new/ticket",
    steps: () => [
        ...ticketFormSteps(),
        { trigger: "input[name=captcha_answer]", run: "edit K7WQ4P" },
        { content: "Enviar", trigger: "button.o_meusite_ticket_send", run: "click" },
        {
            content: "Confirmation with the ticket code",
            trigger: ".o_meusite_ticket_sent:contains('Sua solicitação foi enviada ao nosso setor responsável') .o_meusite_ticket_code",
        },
    ],
});

// Step 5a, the boleto page, is Moip's: moip_walk_tour.js beside this file.

// Step 5b: the bank paid the boleto.
tours.add("meusite_walk_boleto_paid", {
    url: "/my/invoices",
    steps: () => [
        { trigger: ".o_meusite_record_count:contains('Registros encontrados')" },
        {
            content: "The invoice is Paga",
            trigger: "tr:contains('R$ 158,90') .o_meusite_status[data-status=paid]:contains('Paga')",
        },
        { trigger: "body:not(:has(.o_meusite_status[data-status=overdue]))" },
    ],
});

// Step 6a: two open invoices paid together by bank transfer.
tours.add("meusite_walk_transfer", {
    url: "/my/invoices",
    steps: () => [
        {
            content: "Select every invoice still to pay",
            trigger: "tr:has(.o_meusite_status[data-status=open]) input[name=invoice_ids]",
            run() {
                const boxes = document.querySelectorAll(
                    "tr:has(.o_meusite_status:not([data-status=paid])) input[name=invoice_ids]"
                );
                if (boxes.length !== 2) {
                    throw new Error(`expected 2 invoices to pay, found ${boxes.length}`);
                }
                boxes.forEach((box) => box.click());
            },
        },
        {
            content: "Pagar Selecionados",
            trigger: ".o_meusite_pay_selected:contains('Pagar Selecionados')",
            run: "click",
        },
        { trigger: ".o_meusite_pay_invoices tbody:has(tr + tr)" },
        ...payWithSteps("wire_transfer"),
        {
            trigger: ".o_meusite_transfer dt:contains('Banco:') + dd:contains('Caixa Econômica Federal')",
        },
        { trigger: ".o_meusite_transfer .o_meusite_reference:contains('/'):contains(', ')" },
        {
            content: "PIX copia e cola",
            trigger: ".o_meusite_pix textarea#o_meusite_pix_payload",
            run() {
                if (!this.anchor.value.startsWith("000201")) {
                    throw new Error(`not a PIX BR Code: ${this.anchor.value}`);
                }
            },
        },
        { trigger: ".o_meusite_pix img[src^='/report/barcode/?barcode_type=QR']" },
        { trigger: ".o_meusite_awaiting:contains('Aguardando confirmação')" },
    ],
});

// Step 6b: staff confirmed the receipt; every invoice is Paga (the three, and the late
// charge the boleto of the overdue one paid).
tours.add("meusite_walk_all_paid", {
    url: "/my/invoices",
    steps: () => [
        { trigger: ".o_meusite_record_count:contains('4 Registros encontrados')" },
        { trigger: ".o_meusite_outstanding:contains('R$ 0,00')" },
        {
            content: "Four invoices, all paid",
            trigger: "body:has(tr + tr + tr + tr .o_meusite_status[data-status=paid])",
        },
        { trigger: "body:not(:has(.o_meusite_status:not([data-status=paid])))" },
    ],
});

// Step 7: reads the staff's answer and closes the ticket.
tours.add("meusite_walk_ticket_answer", {
    url: "/my/tickets",
    steps: () => [
        {
            content: "Open the ticket",
            trigger: `.o_meusite_ticket_row:contains('Financeiro') a:contains('${TICKET_SUBJECT}')`,
            run: "click",
        },
        {
            content: "The staff answer is in the conversation",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('Recebemos o pagamento da sua fatura.')",
        },
        {
            content: "dated in Portuguese (mail's terms are loaded in the portal)",
            trigger: "#chatterRoot:shadow .o-mail-Message:contains('Recebemos o pagamento'):contains('Hoje às'):not(:contains('Today at'))",
        },
        {
            content: "Close the ticket",
            trigger: "div[name=ticket_close_buttons] form:first button",
            run: "click",
        },
        {
            trigger: "body:not(:has(div[name=ticket_close_buttons] button)):not(:has(.o_meusite_ticket_reply))",
        },
    ],
});

// The staff queue in the back office, for the README's screenshot.
tours.add("meusite_walk_staff_queue", {
    steps: () => [
        {
            content: "Tickets are grouped by department: open Financeiro",
            trigger: ".o_list_renderer .o_group_header:contains('Financeiro')",
            run: "click",
        },
        { trigger: `.o_list_renderer .o_data_row:contains('${TICKET_SUBJECT}'):contains('Helena')` },
    ],
});

// Step 8: "Mudar de plano" on the service page shows what the change would do and asks to
// confirm; the walk stops on that page (it changes nothing).
tours.add("meusite_walk_plan_change", {
    steps: () => [
        {
            content: "Choose the store plan",
            trigger: ".o_meusite_plan_option[data-plan-name='Loja Virtual Expresso'] input",
            run: "click",
        },
        { trigger: ".o_meusite_change_plan_submit", run: "click" },
        { trigger: ".o_meusite_confirm_plan:contains('Loja Virtual Expresso')" },
        { trigger: ".o_meusite_confirm_summary .o_meusite_confirm_date:contains('(hoje)')" },
        { trigger: ".o_meusite_confirm_submit:contains('Confirmar a mudança de plano')" },
        { trigger: ".o_meusite_confirm_back:contains('Voltar sem mudar')" },
    ],
});
