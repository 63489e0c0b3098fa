/** @odoo-module **/

import { registry } from "@web/core/registry";

// The demo customer opens "Serviços", sees its plan and domain in Portuguese, then a detail.
registry.category("web_tour.tours").add("meusite_services_tour", {
    url: "/my/services",
    steps: () => [
        {
            content: "The page is the customer's services, in Portuguese",
            trigger: ".o_portal_submenu .breadcrumb-item:contains('Serviços')",
        },
        {
            content: "The table speaks Portuguese",
            trigger: "thead th:contains('Próximo Vencimento')",
        },
        {
            content: "The monthly plan is active",
            trigger: "tr.o_meusite_service_row:contains('Mensalidade Meu Site Expresso'):contains('Mensal'):contains('158,90') .badge:contains('Ativo')",
        },
        {
            content: "The domain is listed too",
            trigger: "tr.o_meusite_service_row:contains('Registro de Domínio .com.br'):contains('Anual')",
        },
        {
            content: "Open the plan",
            trigger: "tr.o_meusite_service_row a:contains('Mensalidade Meu Site Expresso')",
            run: "click",
        },
        {
            content: "The detail offers a ticket about this service",
            trigger: ".o_meusite_service a.o_meusite_service_ticket:contains('Abrir ticket sobre este serviço')",
        },
    ],
});
