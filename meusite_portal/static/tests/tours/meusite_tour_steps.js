/** @odoo-module **/

// Steps several tours walk alike (the panel, invoices and order tours here, the manual
// walk in meusite_helpdesk): written once so that a change of the form changes them all.

// Odoo's payment form: choose the method, wait until it is checked, pay.
export function payWithSteps(methodCode) {
    const radio = `input[name="o_payment_radio"][data-payment-method-code="${methodCode}"]`;
    return [
        { content: `Choose the payment method ${methodCode}`, trigger: radio, run: "click" },
        { trigger: `${radio}:checked` },
        {
            content: "Pay",
            trigger: 'button[name="o_payment_submit_button"]:not(:disabled)',
            run: "click",
        },
    ];
}

// The sign-up form's Brazilian address, Belo Horizonte/MG: the city and the state are not
// typed, the CEP fills them (l10n_br's CEP ranges put 30130-100 there).
export function signupAddressSteps() {
    return [
        { trigger: "input[name=zipcode]", run: "edit 30130-100" },
        { trigger: "input[name=street_name]", run: "edit Rua da Bahia" },
        { trigger: "input[name=street_number]", run: "edit 1148" },
        { trigger: "input[name=street_number2]", run: "edit Sala 3" },
        { trigger: "input[name=street2]", run: "edit Centro" },
        {
            content: "The CEP filled the city and the state (l10n_br's CEP ranges)",
            trigger: "input[name=city]:value(Belo Horizonte)",
        },
        {
            trigger: "select[name=state_id]",
            run() {
                const label = this.anchor.selectedOptions[0]?.textContent.trim();
                if (label !== "MG - Minas Gerais") {
                    throw new Error(`state not filled from the CEP: ${label}`);
                }
            },
        },
    ];
}

// Send the sign-up form (its captcha answered with the tests' fixed text), then log in on
// the page it leads to: the form creates the account but logs nobody in. Without a
// password, the login (pre-filled on that page) is typed as the password: a tour's steps
// are built again after each page load, so a value made in them does not survive one.
export function signupSubmitAndLoginSteps(password) {
    const typePassword = password
        ? { trigger: ".oe_login_form input[name=password]", run: `edit ${password}` }
        : {
              trigger: ".oe_login_form input[name=password]",
              run() {
                  this.anchor.value = document.querySelector(".oe_login_form input[name=login]").value;
                  this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
              },
          };
    return [
        { trigger: ".oe_signup_form input[name=captcha_answer]", run: "edit K7WQ4P" },
        {
            content: "Create the account",
            trigger: ".oe_signup_form button[type=submit]",
            run: "click",
        },
        {
            content: "Told to look at the mailbox and log in, the e-mail typed already there",
            trigger: ".o_meusite_signup_sent:contains('Cadastro recebido')",
        },
        typePassword,
        { content: "Log in", trigger: ".oe_login_form button[type=submit]", run: "click" },
    ];
}
