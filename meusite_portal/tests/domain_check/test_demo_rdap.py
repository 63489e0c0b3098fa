"""The domain check works offline in the demo (issue #25): ``make run`` starts the RDAP
double beside Moip's, on a fixed loopback port the demo parameters point at, and it answers
the names README.md documents as taken or free."""

import socket
import subprocess
import sys
from pathlib import Path

from odoo.tests import TransactionCase, tagged

from ...models.domain_check import meusite_domain_check
from ..doubles import rdap_double

REPO = Path(__file__).resolve().parents[3]


@tagged("post_install", "-at_install")
class TestDemoRdap(TransactionCase):
    def test_the_demo_asks_the_double_make_run_starts(self):
        ICP = self.env["ir.config_parameter"].sudo()
        self.assertEqual(ICP.get_param("meusite_portal.rdap_br_url"), "http://127.0.0.1:8096/br/")
        self.assertEqual(ICP.get_param("meusite_portal.rdap_bootstrap_url"),
                         "http://127.0.0.1:8096/dns.json")
        run = (REPO / "scripts" / "run.sh").read_text(encoding="utf-8")
        self.assertIn('RDAP_PORT="${RDAP_PORT:-8096}"', run)
        self.assertIn('meusite_portal/tests/doubles/rdap_double.py" --port "$RDAP_PORT"', run)

    def test_the_double_answers_the_documented_names(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        # Started as make run starts it: the script, a fixed port, the demo's names.
        process = subprocess.Popen(
            [sys.executable, rdap_double.__file__, "--port", str(port)],
            stdout=subprocess.PIPE, text=True,
        )
        self.addCleanup(process.wait, 10)
        self.addCleanup(process.terminate)
        self.assertIn(f"127.0.0.1:{port}", process.stdout.readline())
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param("meusite_portal.rdap_br_url", f"http://127.0.0.1:{port}/br/")
        set_param("meusite_portal.rdap_bootstrap_url", f"http://127.0.0.1:{port}/dns.json")
        meusite_domain_check.clear_caches()
        self.addCleanup(meusite_domain_check.clear_caches)
        readme = (REPO / "README.md").read_text(encoding="utf-8")
        Check = self.env["meusite.domain.check"]
        for name, state in (("marianateixeira.com.br", "registered"),
                            ("rafaelmoreira.com.br", "registered"),
                            ("exemplo.com", "registered"),
                            ("minhaloja.com.br", "available"),
                            ("minhaloja-nova.com", "available")):
            self.assertEqual(Check._meusite_check(name)["state"], state, name)
        for name in rdap_double.DEMO_REGISTERED:
            self.assertIn(f"`{name}`", readme, "README.md lists the demo's taken names")
