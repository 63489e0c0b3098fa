{
    "name": "Meu Site Expresso - Suporte por Departamento",
    "summary": "Department-routed support tickets for the client area, on OCA helpdesk_mgmt",
    "version": "18.0.1.1.0",
    "category": "After-Sales",
    "author": "Meu Site Expresso",
    "website": "https://www.meusiteexpresso.com.br",
    # AGPL because it extends helpdesk_mgmt, which is AGPL-3.
    "license": "AGPL-3",
    "depends": ["helpdesk_mgmt", "meusite_portal"],
    "data": [
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/helpdesk_ticket_team_data.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/res_config_settings_views.xml",
        "views/helpdesk_portal_templates.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
        "demo/helpdesk_ticket_team_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "assets": {
        "web.assets_frontend": [
            "meusite_helpdesk/static/src/js/ticket_attachments.esm.js",
        ],
        "web.assets_tests": [
            "meusite_helpdesk/static/tests/tours/*.js",
        ],
    },
}
