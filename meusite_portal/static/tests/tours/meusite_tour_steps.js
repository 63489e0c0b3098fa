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

// The sign-up form's Brazilian address, Belo Horizonte/MG.
export function signupAddressSteps() {
    return [
        { trigger: "input[name=zipcode]", run: "edit 30130-100" },
        { trigger: "input[name=street]", run: "edit Rua da Bahia" },
        { trigger: "input[name=street_number]", run: "edit 1148" },
        { trigger: "input[name=district]", run: "edit Centro" },
        { trigger: "input[name=city]", run: "edit Belo Horizonte" },
        { trigger: "select[name=state_id]", run: "selectByLabel MG - Minas Gerais" },
    ];
}
