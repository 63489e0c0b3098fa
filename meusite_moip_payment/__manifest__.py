{
    "name": "Payment Provider: Moip (boleto)",
    "summary": "Pay invoices by boleto through Moip (Wirecard) API v2",
    "version": "18.0.1.1.0",
    "category": "Accounting/Payment Providers",
    "author": "Meu Site Expresso",
    "website": "https://www.meusiteexpresso.com.br",
    "license": "LGPL-3",
    "depends": ["account_payment", "base_address_extended"],
    "data": [
        "security/ir.model.access.csv",
        "views/payment_moip_templates.xml",
        "views/payment_provider_views.xml",
        "views/payment_transaction_views.xml",
        "data/payment_provider_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
    ],
    "demo": [
        "demo/payment_provider_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "meusite_moip_payment/static/src/js/boleto_copy.js",
        ],
        "web.assets_tests": [
            "meusite_moip_payment/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
}
