"""A local double of the Sefin Nacional (NFS-e Nacional), for tests, the bench and the demo.

Runs on its own (``make run`` starts it)::

    python meusite_nfse/tests/doubles/sefin_double.py --port 8097 --state-dir DIR

or from a test::

    double = SefinDouble(ca=TestCA()).start()     # free port on 127.0.0.1, one thread
    client_pfx = double.ca.client_pkcs12("12345678000195", "senha")
    ...
    double.stop()

What the real service checks and this double checks too (sources: the project's digest
/work/shared/reference/nfse-nacional.md, the official XSDs shipped in nfelib 3.2.0):

- mutual TLS: no client certificate signed by the (test) CA, no TLS session;
- ``POST /SefinNacional/nfse`` body ``{"dpsXmlGZipB64"}``: base64 then gzip, an XML declared
  UTF-8 (E1229), valid against DPS_v1.01.xsd, signed (enveloped XMLDSig, reference to infDPS)
  by the very certificate of the TLS session, whose CNPJ is the provider's;
- the DPS id: ``DPS[0-9]{42}`` made of cLocEmi, CNPJ, série and nDPS; the same id a second
  time is refused as a duplicate (the service is not idempotent);
- ``tpAmb`` must match the host: this double plays produção restrita (2) unless told otherwise;
- success: 201 with ``tipoAmbiente, versaoAplicativo, dataHoraProcessamento, idDps,
  chaveAcesso, nfseXmlGZipB64, alertas[]``; the NFS-e XML wraps the DPS, signed by the double;
- rejections: 4xx ``{"tipoAmbiente", ..., "idDPS", "erros": [{"codigo", "descricao",
  "complemento"}]}``, or capitalised (``Erros``/``Codigo``/``Descricao``) when
  ``capitalised_errors`` is on;
- ``HEAD/GET /dps/{id}``, ``GET /nfse/{chave}``, ``POST/GET /nfse/{chave}/eventos`` (the
  cancellation e101101, signed by the same certificate, once per note).

Codes: E1229 (prolog) and the duplicate/tpAmb/signature refusals follow the reference where it
names them; where it does not (XSD, signature, duplicate), the double's codes are its own and
our client never branches on a code: it shows them to staff.

Switches (``double.configure(...)``): ``delay`` (seconds before answering), ``fail_5xx`` (how
many next requests answer 503), ``lose_answer`` (how many next POST /nfse are processed and
then the connection is dropped), ``capitalised_errors``, ``alertas``, ``reject`` (a list of
(code, text) every next DPS is refused with).
"""

import argparse
import base64
import copy
import datetime
import gzip
import json
import os
import random
import re
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLVerifier
from signxml.algorithms import DigestAlgorithm, SignatureMethod
from signxml.verifier import SignatureConfiguration

try:
    from odoo.addons.meusite_nfse import sefin  # pylint: disable=odoo-addons-relative-import
except ImportError:  # run as a script, outside Odoo
    import importlib.util

    _spec = importlib.util.spec_from_file_location(
        "sefin", os.path.join(os.path.dirname(__file__), "..", "..", "sefin.py")
    )
    sefin = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sefin)

NS = sefin.NS
DS = sefin.DS
BASE_PATH = "/SefinNacional"


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem(obj):
    if hasattr(obj, "private_bytes"):
        return obj.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    return obj.public_bytes(serialization.Encoding.PEM)


class TestCA:
    """A throw-away certificate authority, made at run time: never a real certificate.

    With ``folder``, the CA is kept there (``make run``: the demo's client certificate, made
    when the demo data is installed, and the double started later share it).
    """

    def __init__(self, folder=None):
        self.folder = folder
        if folder and os.path.exists(os.path.join(folder, "ca.pem")):
            with open(os.path.join(folder, "ca.pem"), "rb") as file:
                self.cert = x509.load_pem_x509_certificate(file.read())
            with open(os.path.join(folder, "ca.key"), "rb") as file:
                self.key = serialization.load_pem_private_key(file.read(), None)
            return
        self.key = rsa.generate_private_key(65537, 2048)
        now = datetime.datetime.utcnow()
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(_name("AC de TESTE NFS-e (double)"))
            .issuer_name(_name("AC de TESTE NFS-e (double)"))
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        if folder:
            os.makedirs(folder, exist_ok=True)
            fd = os.open(os.path.join(folder, "ca.key"), os.O_WRONLY | os.O_CREAT, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(_pem(self.key))
            with open(os.path.join(folder, "ca.pem"), "wb") as file:
                file.write(_pem(self.cert))

    @property
    def pem(self):
        return _pem(self.cert)

    def _issue(self, common_name, days, server=False):
        key = rsa.generate_private_key(65537, 2048)
        now = datetime.datetime.utcnow()
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=2))
            .not_valid_after(now + datetime.timedelta(days=days))
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [
                        x509.DNSName("localhost"),
                        x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1")),
                    ]
                ),
                critical=False,
            )
        return key, builder.sign(self.key, hashes.SHA256())

    def client_pkcs12(self, cnpj, password, days=365, name="EMPRESA DE TESTE"):
        """An A1-like PKCS#12 (CN "NAME:CNPJ", as ICP-Brasil e-CNPJ certificates)."""
        key, cert = self._issue("%s:%s" % (name, cnpj), days)
        return pkcs12.serialize_key_and_certificates(
            b"a1", key, cert, [self.cert], serialization.BestAvailableEncryption(password.encode())
        )

    def server_files(self, folder):
        key, cert = self._issue("localhost", 3650, server=True)
        paths = (
            os.path.join(folder, "server.pem"),
            os.path.join(folder, "server.key"),
            os.path.join(folder, "clients-ca.pem"),
        )
        for path, content in zip(paths, (_pem(cert), _pem(key), self.pem), strict=True):
            with open(path, "wb") as file:
                file.write(content)
        return paths


def _cnpj_of(cert):
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    match = re.search(r":(\d{14})$", names[0].value if names else "")
    return match.group(1) if match else None


def verify_signature(root, cert):
    """The enveloped signature of `root` checks out with `cert`; else the reason (Portuguese).

    signxml's verifier (SHA1 allowed, as the service accepts it), and the certificate in the
    signature must be the one of the TLS session.
    """
    signature = root.find("{%s}Signature" % DS)
    if signature is None:
        return "assinatura ausente"
    embedded = signature.findtext(".//{%s}X509Certificate" % DS) or ""
    try:
        if x509.load_der_x509_certificate(base64.b64decode(embedded)) != cert:
            return "certificado da assinatura difere do certificado da conexão"
        config = SignatureConfiguration(
            signature_methods=frozenset(SignatureMethod),
            digest_algorithms=frozenset(DigestAlgorithm),
        )
        XMLVerifier().verify(
            etree.tostring(root), x509_cert=_pem(cert).decode(), expect_config=config
        )
    except Exception:  # noqa: BLE001 - any failure is the same refusal
        return "assinatura inválida"
    return None


def _mod11(digits):
    total = sum(
        int(d) * w for d, w in zip(reversed(digits), [2, 3, 4, 5, 6, 7, 8, 9] * 10, strict=False)
    )
    rest = total % 11
    return "0" if rest < 2 else str(11 - rest)


class SefinState:
    def __init__(self, tp_amb="2"):
        self.lock = threading.Lock()
        self.tp_amb = tp_amb
        self.dps = {}  # DPS id -> key
        self.notes = {}  # key -> {"xml": bytes, "cnpj": str, "events": {tipo: xml}}
        self.counter = 0
        self.switches = {
            "delay": 0,
            "fail_5xx": 0,
            "lose_answer": 0,
            "capitalised_errors": False,
            "alertas": [],
            "reject": [],
        }
        self.calls = []  # (method, path, status)


class SefinHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SefinNacionalDouble/1.0"

    @property
    def state(self):
        return self.server.state

    def log_message(self, format, *args):  # noqa: A002 - stdlib signature
        pass

    def _peer_cert(self):
        der = self.connection.getpeercert(binary_form=True)
        return x509.load_der_x509_certificate(der) if der else None

    def _stamp(self):
        return {
            "tipoAmbiente": int(self.state.tp_amb),
            "versaoAplicativo": "SefinNac_Double_1.0",
            "dataHoraProcessamento": datetime.datetime.now()
            .astimezone()
            .isoformat(timespec="seconds"),
        }

    def _send(self, status, body=None, head=False):
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data and not head:
            self.wfile.write(data)
        self.state.calls.append((self.command, self.path, status))

    def _reject(self, status, errors, dps_id=None):
        upper = self.state.switches["capitalised_errors"]
        items = [
            (
                {"Codigo": c, "Descricao": d, "Complemento": x}
                if upper
                else {"codigo": c, "descricao": d, "complemento": x}
            )
            for c, d, x in errors
        ]
        body = dict(self._stamp(), idDPS=dps_id)
        body["Erros" if upper else "erros"] = items
        self._send(status, body)

    def _guard(self):
        switches = self.state.switches
        if switches["delay"]:
            time.sleep(switches["delay"])
        with self.state.lock:
            if switches["fail_5xx"]:
                switches["fail_5xx"] -= 1
                self._send(503, {"mensagem": "Serviço temporariamente indisponível"})
                return False
        if not self.path.startswith(BASE_PATH + "/"):
            self._send(404, {"erros": [{"codigo": "E404", "descricao": "Recurso inexistente"}]})
            return False
        return True

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            return json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return None

    def _route(self):
        return self.path[len(BASE_PATH) :].split("?")[0].strip("/").split("/")

    def do_HEAD(self):  # noqa: N802 - stdlib naming
        if not self._guard():
            return
        parts = self._route()
        if len(parts) == 2 and parts[0] == "dps":
            self._send(200 if parts[1] in self.state.dps else 404, head=True)
        else:
            self._send(404, head=True)

    def do_GET(self):  # noqa: N802 - stdlib naming
        if not self._guard():
            return
        parts = self._route()
        if len(parts) == 2 and parts[0] == "dps":
            key = self.state.dps.get(parts[1])
            if not key:
                return self._reject(404, [("E0001", "DPS não encontrada", parts[1])], parts[1])
            return self._send(200, dict(self._stamp(), idDps=parts[1], chaveAcesso=key))
        if len(parts) >= 2 and parts[0] == "nfse":
            note = self.state.notes.get(parts[1])
            if not note or note["cnpj"] != _cnpj_of(self._peer_cert()):
                return self._reject(404, [("E0002", "NFS-e não encontrada", parts[1])])
            if len(parts) == 2:
                return self._send(
                    200,
                    dict(
                        self._stamp(), chaveAcesso=parts[1], nfseXmlGZipB64=sefin.pack(note["xml"])
                    ),
                )
            if parts[2] == "eventos":
                events = note["events"]
                if len(parts) > 3:
                    events = {k: v for k, v in events.items() if k == parts[3]}
                    if not events:
                        return self._reject(404, [("E0003", "Evento não encontrado", parts[3])])
                return self._send(
                    200,
                    dict(
                        self._stamp(),
                        eventos=[
                            {"tipoEvento": k, "eventoXmlGZipB64": sefin.pack(v)}
                            for k, v in events.items()
                        ],
                    ),
                )
        self._send(404, {"erros": [{"codigo": "E404", "descricao": "Recurso inexistente"}]})

    def do_POST(self):  # noqa: N802 - stdlib naming
        if not self._guard():
            return
        parts = self._route()
        body = self._body()
        if parts == ["nfse"]:
            return self._issue(body)
        if len(parts) == 3 and parts[0] == "nfse" and parts[2] == "eventos":
            return self._event(parts[1], body)
        self._send(404, {"erros": [{"codigo": "E404", "descricao": "Recurso inexistente"}]})

    def _document(self, body, field, schema):
        """(root, errors) of a packed, signed document in `body[field]`."""
        if not isinstance(body, dict) or not isinstance(body.get(field), str):
            return None, [("E0004", "Corpo JSON sem o campo %s" % field, "")]
        try:
            xml = gzip.decompress(base64.b64decode(body[field], validate=True))
        except Exception:  # noqa: BLE001
            return None, [("E0005", "Documento não está em GZip+Base64", field)]
        if not re.match(rb"^\s*<\?xml[^>]*encoding=[\"']utf-8[\"']", xml, re.I):
            return None, [("E1229", "O XML deve declarar a codificação UTF-8", "")]
        try:
            root = etree.fromstring(xml)
        except etree.XMLSyntaxError as error:
            return None, [("E0006", "XML malformado", str(error)[:200])]
        errors = sefin.xsd_errors(xml, schema)
        if errors:
            return None, [("E1235", "Falha no schema XML", e[:300]) for e in errors[:5]]
        problem = verify_signature(root, self._peer_cert())
        if problem:
            return None, [("E0714", "Assinatura digital inválida", problem)]
        return root, []

    def _issue(self, body):
        root, errors = self._document(body, "dpsXmlGZipB64", "DPS_v1.01.xsd")
        if errors:
            return self._reject(400, [(c, d, x) for c, d, x in errors])
        inf = root.find("{%s}infDPS" % NS)

        def text(path):
            return inf.findtext(path.replace("/", "/{%s}" % NS).join(["{%s}" % NS, ""])) or ""

        dps_id = inf.get("Id")
        cnpj = text("prest/CNPJ")
        expected = sefin.dps_id(text("cLocEmi"), cnpj or 0, text("serie"), text("nDPS"))
        problems = []
        if not sefin.DPS_ID_RE.match(dps_id or "") or dps_id != expected:
            problems.append(("E0008", "Identificador da DPS inválido", "esperado %s" % expected))
        if text("tpAmb") != self.state.tp_amb:
            problems.append(
                (
                    "E0010",
                    "Ambiente da DPS (tpAmb) difere do ambiente do serviço",
                    "tpAmb=%s" % text("tpAmb"),
                )
            )
        if cnpj != _cnpj_of(self._peer_cert()):
            problems.append(("E0012", "CNPJ do prestador difere do certificado digital", cnpj))
        if self.state.switches["reject"]:
            problems.extend((c, d, "") for c, d in self.state.switches["reject"])
        if problems:
            return self._reject(400, problems, dps_id)
        with self.state.lock:
            if dps_id in self.state.dps:
                return self._reject(
                    409,
                    [
                        (
                            "E0014",
                            "DPS já processada (duplicidade)",
                            "chave %s" % self.state.dps[dps_id],
                        )
                    ],
                    dps_id,
                )
            self.state.counter += 1
            key, nfse_xml = self._make_note(root, inf, cnpj, self.state.counter)
            self.state.dps[dps_id] = key
            self.state.notes[key] = {"xml": nfse_xml, "cnpj": cnpj, "events": {}}
            lose = self.state.switches["lose_answer"] > 0
            if lose:
                self.state.switches["lose_answer"] -= 1
        if lose:  # processed, but the answer never reaches the caller
            self.state.calls.append(("POST", self.path, "lost"))
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        return self._send(
            201,
            dict(
                self._stamp(),
                idDps=dps_id,
                chaveAcesso=key,
                nfseXmlGZipB64=sefin.pack(nfse_xml),
                alertas=[{"codigo": c, "descricao": d} for c, d in self.state.switches["alertas"]],
            ),
        )

    def _make_note(self, dps_root, inf, cnpj, number):
        now = datetime.datetime.now().astimezone()
        city = inf.findtext("{%s}cLocEmi" % NS)
        digits = "%s%s2%s%013d%s%09d" % (
            city,
            self.state.tp_amb,
            cnpj,
            number,
            now.strftime("%y%m"),
            random.randint(0, 10**9 - 1),
        )
        key = digits + _mod11(digits)
        E = lambda tag, value=None: _el(tag, value)  # noqa: E731
        root = etree.Element("{%s}NFSe" % NS, nsmap={None: NS}, versao=sefin.VERSION)
        info = etree.SubElement(root, "{%s}infNFSe" % NS, Id="NFS" + key)
        vserv = inf.findtext(".//{%s}vServ" % NS)
        for tag, value in (
            ("xLocEmi", "Município %s" % city),
            ("xLocPrestacao", "Município %s" % city),
            ("nNFSe", str(number)),
            ("cLocIncid", city),
            ("xLocIncid", "Município %s" % city),
            ("xTribNac", "Serviço %s" % inf.findtext(".//{%s}cTribNac" % NS)),
            ("verAplic", "SefinNac_Double_1.0"),
            ("ambGer", "2"),
            ("tpEmis", "1"),
            ("procEmi", "1"),
            ("cStat", "100"),
            ("dhProc", now.isoformat(timespec="seconds")),
            ("nDFSe", str(number)),
        ):
            info.append(E(tag, value))
        emit = etree.SubElement(info, "{%s}emit" % NS)
        emit.append(E("CNPJ", cnpj))
        emit.append(E("xNome", "PRESTADOR %s" % cnpj))
        ender = etree.SubElement(emit, "{%s}enderNac" % NS)
        for tag, value in (
            ("xLgr", "Endereço do cadastro nacional"),
            ("nro", "1"),
            ("xBairro", "Centro"),
            ("cMun", city),
            ("UF", "MG"),
            ("CEP", "30000000"),
        ):
            ender.append(E(tag, value))
        values = etree.SubElement(info, "{%s}valores" % NS)
        values.append(E("vLiq", vserv))
        info.append(copy.deepcopy(dps_root))
        signed = sefin.sign(
            etree.tostring(root),
            "NFS" + key,
            _pem(self.server.signer_cert),
            _pem(self.server.signer_key),
        )
        return key, signed

    def _event(self, key, body):
        root, errors = self._document(
            body, "pedidoRegistroEventoXmlGZipB64", "pedRegEvento_v1.01.xsd"
        )
        if errors:
            return self._reject(400, errors)
        inf = root.find("{%s}infPedReg" % NS)
        note = self.state.notes.get(key)
        problems = []
        if not note:
            return self._reject(404, [("E0002", "NFS-e não encontrada", key)])
        if inf.findtext("{%s}chNFSe" % NS) != key or inf.get("Id") != "PRE%s101101" % key:
            problems.append(("E0840", "Identificador do pedido de evento inválido", inf.get("Id")))
        if inf.findtext("{%s}CNPJAutor" % NS) != note["cnpj"]:
            problems.append(("E0841", "Autor do evento não é o emitente da NFS-e", ""))
        if inf.findtext("{%s}tpAmb" % NS) != self.state.tp_amb:
            problems.append(
                ("E0010", "Ambiente do evento (tpAmb) difere do ambiente do serviço", "")
            )
        if "101101" in note["events"]:
            problems.append(("E0842", "NFS-e já cancelada", key))
        if problems:
            return self._reject(400, problems)
        event = etree.Element("{%s}evento" % NS, nsmap={None: NS}, versao=sefin.VERSION)
        info = etree.SubElement(event, "{%s}infEvento" % NS, Id="EVT%s101101001" % key)
        info.append(_el("verAplic", "SefinNac_Double_1.0"))
        info.append(_el("ambGer", "2"))
        info.append(_el("nSeqEvento", "1"))
        info.append(
            _el("dhProc", datetime.datetime.now().astimezone().isoformat(timespec="seconds"))
        )
        info.append(_el("nDFe", str(len(self.state.notes))))
        info.append(copy.deepcopy(root))
        signed = sefin.sign(
            etree.tostring(event),
            "EVT%s101101001" % key,
            _pem(self.server.signer_cert),
            _pem(self.server.signer_key),
        )
        note["events"]["101101"] = signed
        return self._send(201, dict(self._stamp(), eventoXmlGZipB64=sefin.pack(signed)))


def _el(tag, value=None):
    node = etree.Element("{%s}%s" % (NS, tag))
    if value is not None:
        node.text = value
    return node


class SefinDouble(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, ca=None, host="127.0.0.1", port=0, tp_amb="2", state_dir=None):
        super().__init__((host, port), SefinHandler)
        self.ca = ca or TestCA(state_dir)
        self.state = SefinState(tp_amb)
        self.signer_key, self.signer_cert = self.ca._issue("SEFIN NACIONAL (double)", 3650)
        self._folder = tempfile.mkdtemp(prefix="sefin-double-")
        cert, key, clients_ca = self.ca.server_files(self._folder)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.load_verify_locations(clients_ca)
        context.verify_mode = ssl.CERT_REQUIRED
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self._thread = None

    def handle_error(self, request, client_address):
        pass  # TLS refusals (no client certificate) are expected, not noise

    @property
    def base_url(self):
        return "https://127.0.0.1:%s%s" % (self.server_address[1], BASE_PATH)

    def start(self):
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()

    def reset(self):
        """Forget every note and switch (one test's state never leaks into the next)."""
        self.state = SefinState(self.state.tp_amb)

    def configure(self, **switches):
        unknown = set(switches) - set(self.state.switches)
        assert not unknown, unknown
        self.state.switches.update(switches)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument(
        "--state-dir",
        required=True,
        help="where the test CA is kept (shared with the demo's certificate)",
    )
    parser.add_argument("--tp-amb", default="2")
    args = parser.parse_args()
    double = SefinDouble(port=args.port, tp_amb=args.tp_amb, state_dir=args.state_dir)
    print("Sefin Nacional double on %s" % double.base_url, flush=True)  # pylint: disable=print-used
    double.serve_forever()


if __name__ == "__main__":
    main()
