/** @odoo-module **/

import { registry } from "@web/core/registry";
import { payWithSteps } from "./meusite_tour_steps";

// The customer checks a domain, subscribes the monthly plan with it and pays the first
// invoice by bank transfer.
registry.category("web_tour.tours").add("meusite_order_with_domain", {
    url: "/my",
    steps: () => [
        {
            content: "Check a domain on the panel",
            trigger: ".o_meusite_domain_check input[name=domain]",
            run: "edit minha-nova-loja.com.br",
        },
        { trigger: ".o_meusite_domain_check input[name=captcha_answer]", run: "edit K7WQ4P" },
        {
            trigger: ".o_meusite_domain_check button[type=submit]:contains('Verificar')",
            run: "click",
        },
        {
            content: "Available",
            trigger: ".o_meusite_domain_result:contains('minha-nova-loja.com.br está disponível.')",
        },
        {
            content: "Subscribe with this domain",
            trigger: "a.o_meusite_order_with_domain:contains('Assinar com este domínio')",
            run: "click",
        },
        {
            content: "The plans page carries the domain",
            trigger: ".o_meusite_order_domain:contains('minha-nova-loja.com.br')",
        },
        {
            content: "The monthly price of the plan, in reais",
            trigger: ".o_meusite_plan[data-plan-name='Mensalidade Meu Site Expresso'] label:contains('Mensal'):contains('R$'):contains('158,90')",
        },
        {
            content: "Choose the monthly cycle",
            trigger: ".o_meusite_plan[data-plan-name='Mensalidade Meu Site Expresso'] input[name=cycle][value=monthly]",
            run: "click",
        },
        {
            content: "Contratar",
            trigger: ".o_meusite_plan[data-plan-name='Mensalidade Meu Site Expresso'] button.o_meusite_plan_order",
            run: "click",
        },
        {
            content: "Review: plan, price and domain",
            trigger: ".o_meusite_order_review .o_meusite_review_domain:contains('minha-nova-loja.com.br')",
        },
        { trigger: ".o_meusite_order_review .o_meusite_review_price:contains('R$'):contains('158,90')" },
        {
            content: "Confirm the order",
            trigger: "button.o_meusite_order_confirm",
            run: "click",
        },
        // Straight to paying the first invoice.
        ...payWithSteps("wire_transfer"),
        {
            content: "The bank details to make the transfer",
            trigger: ".o_meusite_transfer dt:contains('Banco:')",
        },
        {
            content: "and the payment awaits confirmation",
            trigger: ".o_meusite_awaiting:contains('Aguardando confirmação')",
        },
    ],
});

// Once staff confirmed the transfer, the service is active.
registry.category("web_tour.tours").add("meusite_order_service_active", {
    url: "/my/services",
    steps: () => [
        {
            content: "The ordered service is Ativo",
            trigger: ".o_meusite_service_row:contains('minha-nova-loja.com.br') .o_meusite_service_status:contains('Ativo')",
        },
    ],
});
