{
    "name": "Meu Site Expresso - Área do Cliente",
    "summary": "Client area for a web-site company: panel, services, invoices, "
    "paying several invoices, bank transfer, sign-up, domain check",
    "version": "18.0.1.0.0",
    "category": "Website/Portal",
    "author": "Meu Site Expresso",
    "website": "https://www.meusiteexpresso.com.br",
    "license": "LGPL-3",
    "depends": ["portal", "account_payment", "payment_custom", "auth_signup"],
    "data": [
        "security/ir.model.access.csv",
        "data/ir_config_parameter_data.xml",
        "views/captcha_templates.xml",
        "views/portal_invoices_templates.xml",
        "views/payment_transfer_templates.xml",
        "views/payment_provider_views.xml",
        "views/payment_transaction_views.xml",
        "views/account_move_views.xml",
        "data/meusite_panel_data.xml",
        "views/res_partner_views.xml",
        "views/portal_home_templates.xml",
        "views/signup_templates.xml",
        "views/portal_account_templates.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/payment_provider_demo.xml",
        "demo/account_move_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "meusite_portal/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
