{
    "name": "Meu Site Expresso - Full Tests",
    "summary": "Tests that need several Meu Site Expresso addons at once (no feature)",
    "version": "18.0.1.0.0",
    # Odoo's own test-only addons (test_mail_full, test_website...) are hidden this way.
    "category": "Hidden/Tests",
    "author": "Meu Site Expresso",
    "website": "https://www.meusiteexpresso.com.br",
    # AGPL because it depends on meusite_helpdesk (AGPL-3, on helpdesk_mgmt).
    "license": "AGPL-3",
    # The five addons: each of them keeps the tests that run with its own dependencies only;
    # the product-wide ones (the manual's walk, every page in Portuguese, hostile values on
    # every door, the NFS-e walk, Moip's boleto on the portal's invoice PDF) live here.
    "depends": [
        "meusite_portal",
        "meusite_moip_payment",
        "meusite_pagbank_payment",
        "meusite_helpdesk",
        "meusite_nfse",
    ],
    "assets": {
        "web.assets_tests": [
            "meusite_test_full/static/tests/tours/*.js",
        ],
    },
}
