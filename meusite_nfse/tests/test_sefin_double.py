"""The double refuses what the Sefin Nacional refuses (its own checks, not our client's)."""

import base64
import os
import subprocess
import sys
import warnings

import requests
from cryptography.hazmat.primitives.serialization import pkcs12
from nfelib import CommonMixin

from odoo.tests import BaseCase, tagged

from odoo.addons.meusite_nfse import sefin
from odoo.addons.meusite_nfse.tests.doubles.sefin_double import SefinDouble, _pem

CNPJ = "11222333000181"


@tagged("post_install", "-at_install")
class TestSefinDouble(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.double = SefinDouble().start()
        cls.addClassCleanup(cls.double.stop)
        cls.pfx = cls.double.ca.client_pkcs12(CNPJ, "s")
        key, cert, _cas = pkcs12.load_key_and_certificates(cls.pfx, b"s")
        cls.cert, cls.key = _pem(cert), _pem(key)
        cls.client = sefin.SefinClient(cls.double.base_url, cls.cert, cls.key, cls.double.ca.pem)

    def setUp(self):
        super().setUp()
        self.double.reset()

    def _values(self, number=1, **over):
        values = {
            "id": sefin.dps_id("3106200", CNPJ, 1, number),
            "tpAmb": "2",
            "dhEmi": "2026-12-07T10:00:00-03:00",
            "serie": "1",
            "nDPS": str(number),
            "dCompet": "2026-12-07",
            "cLocEmi": "3106200",
            "prest_cnpj": CNPJ,
            "opSimpNac": "1",
            "toma": {"CPF": "52998224725", "xNome": "Cliente"},
            "cLocPrestacao": "3106200",
            "cTribNac": "010301",
            "xDescServ": "Hospedagem",
            "vServ": "158.90",
            "tribISSQN": "1",
            "tpRetISSQN": "1",
        }
        values.update(over)
        return values

    def _send(self, values):
        xml = sefin.build_dps(values)
        return self.client.issue(sefin.sign(xml, values["id"], self.cert, self.key))

    def _refusal(self, values=None, signed=None):
        with self.assertRaises(sefin.SefinError) as caught:
            if signed is not None:
                self.client.issue(signed)
            else:
                self._send(values)
        return [code for code, _text in caught.exception.errors]

    def test_issues_then_refuses_the_same_dps_id(self):
        answer = self._send(self._values())
        self.assertRegex(answer["chaveAcesso"], r"^[0-9]{50}$")
        self.assertFalse(sefin.xsd_errors(sefin.unpack(answer["nfseXmlGZipB64"]), "NFSe_v1.01.xsd"))
        self.assertEqual(self._refusal(self._values()), ["E0014"])
        self.assertEqual(self.client.dps_key(self._values()["id"]), answer["chaveAcesso"])

    def test_refuses_tpamb_of_another_host_and_a_wrong_id(self):
        self.assertIn("E0010", self._refusal(self._values(tpAmb="1")))
        self.assertIn("E0008", self._refusal(self._values(id=sefin.dps_id("3106200", CNPJ, 1, 9))))

    def test_refuses_a_signature_that_does_not_verify(self):
        """erpbrasil.assinatura 1.8.1's assina_xml2 (nfelib's sign_xml), measured here."""
        values = self._values()
        bad = CommonMixin.sign_xml(
            sefin.build_dps(values), base64.b64encode(self.pfx), "s", values["id"]
        )
        signed = b'<?xml version="1.0" encoding="UTF-8"?>' + bad.encode()
        self.assertEqual(self._refusal(signed=signed), ["E0714"])
        self.assertEqual(self._refusal(signed=sefin.build_dps(values).encode()), ["E0714"])

    def test_refuses_a_connection_without_client_certificate(self):
        with warnings.catch_warnings(), self.assertRaises(requests.exceptions.SSLError):
            warnings.simplefilter(
                "ignore"
            )  # verify=False on purpose: the client side is not tested
            requests.head(self.double.base_url + "/dps/x", verify=False, timeout=10)


@tagged("post_install", "-at_install")
class TestSefinDoubleAsAScript(BaseCase):
    def test_make_run_can_start_it_outside_odoo(self):
        # make run starts the double as a plain script, without Odoo on the path: the
        # client module it reads its constants from must load there too.
        path = os.path.join(os.path.dirname(__file__), "doubles", "sefin_double.py")
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        result = subprocess.run(  # noqa: S603 - our own script
            [sys.executable, path, "--help"], env=env, cwd="/", capture_output=True,
            text=True, timeout=120, check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr[-2000:])
        self.assertIn("--state-dir", result.stdout)
