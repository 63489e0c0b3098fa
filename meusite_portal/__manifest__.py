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
        "security/meusite_service_security.xml",
        "data/meusite_service_data.xml",
        "data/mail_template_service.xml",
        "views/meusite_service_views.xml",
        "views/portal_services_templates.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/meusite_service_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "meusite_portal/static/tests/tours/*.js",
        ],
    },
    "application": True,
}
