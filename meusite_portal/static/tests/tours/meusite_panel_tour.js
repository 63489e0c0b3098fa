/** @odoo-module **/

import { registry } from "@web/core/registry";
import { signupAddressSteps, signupSubmitAndLoginSteps } from "./meusite_tour_steps";

// A new customer signs up with a valid CPF, logs in, lands on the panel, updates the phone and
// checks a domain: the walk of the manual's "Área de acesso" and "Área do cliente".
registry.category("web_tour.tours").add("meusite_panel_tour", {
    url: "/web/login",
    steps: () => [
        {
            content: "The login page offers both paths; the visitor reads Portuguese",
            trigger: ".o_meusite_registered:contains('Clientes cadastrados')",
            run() {
                document.cookie = "frontend_lang=pt_BR; path=/";
            },
        },
        {
            content: "Not a customer yet: sign up",
            trigger: ".o_meusite_not_registered a[href='/web/signup']",
            run: "click",
        },
        { trigger: "input[name=login]", run: "edit joana.prado@example.com" },
        { trigger: "input[name=name]", run: "edit Joana Prado Martins" },
        { trigger: "input[name=password]", run: "edit S3nha-forte!" },
        { trigger: "input[name=confirm_password]", run: "edit S3nha-forte!" },
        { trigger: "label[for=vat]:contains('CPF ou CNPJ')" },
        { trigger: "input[name=vat]", run: "edit 529.982.247-25" },
        { trigger: "input[name=phone]", run: "edit (31) 99876-5432" },
        ...signupAddressSteps(),
        ...signupSubmitAndLoginSteps("S3nha-forte!"),
        {
            content: "Lands on the panel, greeted by first name",
            trigger: ".o_meusite_hello:contains('Olá, Joana!')",
        },
        { trigger: ".o_meusite_account:contains('Informações da Conta'):contains('Belo Horizonte, MG')" },
        { trigger: ".o_meusite_count_services:contains('Número de Produtos/Serviços: 0 (0)')" },
        { trigger: ".o_meusite_count_domains:contains('Número de Domínios: 0 (0)')" },
        { trigger: ".o_meusite_count_tickets:contains('Número de Tickets de Suporte: 0')" },
        { trigger: ".o_meusite_count_referrals:contains('Número de Indicações de Assinatura: 0')" },
        { trigger: ".o_meusite_payment_info:contains('Informações de Pagamento: —')" },
        { trigger: ".o_meusite_tickets:contains('No momento não há nenhum ticket de suporte aberto')" },
        { trigger: ".o_meusite_invoices:contains('Fatura Nº'):contains('Total Vencido')" },
        {
            content: "Update the data",
            trigger: ".o_meusite_account a:contains('Atualizar seus Dados')",
            run: "click",
        },
        { trigger: "input[name=street2][value='Centro']" },
        { trigger: "input[name=street_number2][value='Sala 3']" },
        { trigger: "input[name=phone]", run: "edit 31 90000-1111" },
        {
            content: "Save",
            trigger: ".o_portal_details button[type=submit]",
            run: "click",
        },
        {
            content: "Back on the panel: check a domain",
            trigger: ".o_meusite_domain_check input[name=domain]",
            run: "edit livre-agora.com.br",
        },
        { trigger: ".o_meusite_domain_check input[name=captcha_answer]", run: "edit K7WQ4P" },
        {
            trigger: ".o_meusite_domain_check button[type=submit]:contains('Verificar')",
            run: "click",
        },
        {
            content: "The double answers: available",
            trigger: ".o_meusite_domain_result:contains('livre-agora.com.br está disponível.')",
        },
    ],
});
