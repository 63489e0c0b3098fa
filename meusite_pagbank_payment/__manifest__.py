{
    "name": "Payment Provider: PagBank (boleto and PIX)",
    "summary": "Pay invoices by boleto or PIX through PagBank's Orders API, paid automatically",
    "version": "18.0.1.0.0",
    "category": "Accounting/Payment Providers",
    "author": "Meu Site Expresso",
    "website": "https://www.meusiteexpresso.com.br",
    "license": "LGPL-3",
    # meusite_moip_payment: the boleto machinery both providers share (payer address from
    # l10n_br, late-charge line, polling, late payment, paid twice, refunds); meusite_portal:
    # the late-charge rates sent as the boleto's multa/juros.
    "depends": ["meusite_portal", "meusite_moip_payment"],
    "data": [
        "security/ir.model.access.csv",
        "views/payment_pagbank_templates.xml",
        "views/payment_provider_views.xml",
        "data/payment_provider_data.xml",
        "data/ir_cron_data.xml",
    ],
    "demo": [
        "demo/payment_provider_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "meusite_pagbank_payment/static/src/js/pagbank_copy.js",
        ],
        "web.assets_tests": [
            "meusite_pagbank_payment/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
