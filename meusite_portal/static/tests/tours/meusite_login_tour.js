/** @odoo-module **/

import { registry } from "@web/core/registry";

// The demo customer logs in from the login page and lands on the client area in Portuguese.
registry.category("web_tour.tours").add("meusite_login_tour", {
    url: "/web/login",
    steps: () => [
        {
            content: "Type the login",
            trigger: "input[name=login]",
            run: "edit cliente",
        },
        {
            content: "Type the password",
            trigger: "input[name=password]",
            run: "edit cliente",
        },
        {
            content: "Log in",
            trigger: "button[type=submit]",
            run: "click",
        },
        {
            content: "The client area speaks Portuguese",
            trigger: ".o_meusite_panel strong:contains('Informações da Conta')",
        },
        {
            content: "The account card is the demo customer's",
            trigger: ".o_meusite_account a[href='/my/account']:contains('Atualizar seus Dados')",
        },
    ],
});
