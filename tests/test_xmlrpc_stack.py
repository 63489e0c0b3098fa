"""The stack is real: a running Odoo answers XML-RPC for the demo customer and the admin."""

import xmlrpc.client

import pytest

import odoo


@pytest.fixture
def server():
    # pytest-odoo (--odoo-http) serves the test database on this port.
    url = f"http://127.0.0.1:{odoo.tools.config['http_port']}"
    db = odoo.tools.config["db_name"]
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")
    return db, common, models


def test_admin_reads_company_currency_and_language(server):
    db, common, models = server
    uid = common.authenticate(db, "admin", "admin", {})
    assert uid
    company = models.execute_kw(
        db, uid, "admin", "res.company", "search_read",
        [[("name", "=", "Meu Site Expresso")]], {"fields": ["currency_id", "partner_id"]},
    )
    assert company and company[0]["currency_id"][1] == "BRL"
    partner = models.execute_kw(
        db, uid, "admin", "res.partner", "read",
        [company[0]["partner_id"][0]], {"fields": ["lang"]},
    )
    assert partner[0]["lang"] == "pt_BR"


def test_demo_customer_authenticates_and_sees_only_itself(server):
    db, common, models = server
    uid = common.authenticate(db, "cliente", "cliente", {})
    assert uid
    [me] = models.execute_kw(db, uid, "cliente", "res.users", "read", [uid], {"fields": ["lang"]})
    assert me["lang"] == "pt_BR"
    # A portal user has no business reading the company's other customers.
    with pytest.raises(xmlrpc.client.Fault):
        models.execute_kw(db, uid, "cliente", "res.partner", "search_read", [[]], {"limit": 5})


def test_wrong_password_is_refused(server):
    db, common, _models = server
    assert not common.authenticate(db, "cliente", "not-the-password", {})
