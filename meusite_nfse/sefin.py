"""The Sefin Nacional protocol, without Odoo: the DPS, its signature, the envelope, the client.

Kept apart from the models so that the double (tests/doubles/sefin_double.py), the benchmark
and the models share one implementation of each rule:

- the DPS is built with nfelib's bindings of the official XSD (layout 1.01) and validated
  against that XSD before anything is sent;
- it is signed with the A1 certificate (enveloped XMLDSig, C14N 2001, RSA-SHA1 as the
  clients with production authorisations do) through erpbrasil.assinatura's signer class;
- XML travels gzip-compressed and base64-encoded inside JSON, over mutual TLS.

The PKCS#12 password never reaches this module: the models hand over the PEM certificate and
key that Odoo's ``certificate`` module derived from the PFX.
"""

import base64
import gzip
import json
import logging
import os
import re
import tempfile
from contextlib import contextmanager

import requests
import signxml
from erpbrasil.assinatura.assinatura import XMLSignerWithSHA1
from lxml import etree
from nfelib.nfse.bindings.v1_0 import dps_v1_01, ped_reg_evento_v1_01
from nfelib.nfse.bindings.v1_0 import tipos_complexos_v1_01 as tc
from nfelib.nfse.bindings.v1_0 import tipos_eventos_v1_01 as te
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

try:
    from odoo.tools.translate import LazyTranslate
except ImportError:  # the Sefin double (make run) loads this file as a plain script
    LazyTranslate = None

_logger = logging.getLogger(__name__)
# The client has no environment (it runs inside and outside Odoo, e.g. the double's tests):
# its messages are lazy terms, read in the language of the model that shows them. Outside
# Odoo (the double, which only reads the constants) they stay English.
# pylint: disable=prefer-env-translation
if LazyTranslate:
    _lt = LazyTranslate(__name__)
else:
    def _lt(text, *args):
        return text % args if args else text

NS = "http://www.sped.fazenda.gov.br/nfse"
DS = "http://www.w3.org/2000/09/xmldsig#"
VERSION = "1.01"
APP_VERSION = "meusite_nfse-18.0.1"
SEFIN_URLS = {
    "1": "https://sefin.nfse.gov.br/SefinNacional",
    "2": "https://sefin.producaorestrita.nfse.gov.br/SefinNacional",
}
DPS_ID_RE = re.compile(r"^DPS[0-9]{42}$")
KEY_RE = re.compile(r"^[0-9]{50}$")
SCHEMA_DIR = os.path.join(os.path.dirname(dps_v1_01.__file__), "..", "..", "schemas", "v1_0")
_SCHEMAS = {}


class SefinError(Exception):
    """An answer that is not an issued note: a rejection (4xx) or an outage (5xx, network).
    Its message is a lazy term: ``str(error)`` reads it in the language of the caller's env."""

    def __init__(self, message, errors=(), status=None, outage=False):
        super().__init__(message)
        self.errors = list(errors)
        self.status = status
        self.outage = outage


def dps_id(city_code, cnpj, serie, number):
    """The DPS id, deterministic: DPS + city(7) + 2 (CNPJ) + CNPJ(14) + série(5) + nDPS(15)."""
    return "DPS%07d2%014d%05d%015d" % (int(city_code), int(cnpj), int(serie), int(number))


def only_digits(value):
    return re.sub(r"\D", "", value or "")


def schema(name):
    """The official XSD, parsed once per process (nfelib re-reads it on every call)."""
    if name not in _SCHEMAS:
        _SCHEMAS[name] = etree.XMLSchema(etree.parse(os.path.join(SCHEMA_DIR, name)))
    return _SCHEMAS[name]


def xsd_errors(xml, name="DPS_v1.01.xsd"):
    doc = etree.fromstring(xml if isinstance(xml, bytes) else xml.encode())
    checker = schema(name)
    if checker.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]


def build_dps(values):
    """The DPS XML (unsigned) from plain values; see account_move._nfse_dps_values for keys."""
    toma = values["toma"]
    address = None
    if toma.get("cMun") or toma.get("ext"):
        address = tc.Tcendereco(
            endNac=(
                tc.TcenderNac(cMun=toma["cMun"], CEP=toma["CEP"]) if toma.get("cMun") else None
            ),
            endExt=tc.TcenderExt(**toma["ext"]) if toma.get("ext") else None,
            xLgr=toma["xLgr"],
            nro=toma["nro"] or "S/N",
            xCpl=toma.get("xCpl") or None,
            xBairro=toma["xBairro"],
        )
    trib_mun = tc.TctribMunicipal(
        tribISSQN=values["tribISSQN"],
        tpRetISSQN=values["tpRetISSQN"],
        pAliq=values.get("pAliq") or None,
    )
    ibscbs = values.get("IBSCBS")
    if ibscbs:
        # Layout 1.01's tax-reform group, last in infDPS: regular note (finNFSe 0).
        ibscbs = tc.TcrtcinfoIbscbs(
            finNFSe="0",
            indFinal=ibscbs["indFinal"],
            cIndOp=ibscbs["cIndOp"],
            indDest=ibscbs["indDest"],
            valores=tc.TcrtcinfoValoresIbscbs(
                trib=tc.TcrtcinfoTributosIbscbs(
                    gIBSCBS=tc.TcrtcinfoTributosSitClas(
                        CST=ibscbs["CST"], cClassTrib=ibscbs["cClassTrib"]
                    )
                )
            ),
        )
    dps = dps_v1_01.Dps(
        versao=VERSION,
        infDPS=tc.TcinfDps(
            Id=values["id"],
            tpAmb=values["tpAmb"],
            dhEmi=values["dhEmi"],
            verAplic=APP_VERSION,
            serie=str(int(values["serie"])),
            nDPS=str(int(values["nDPS"])),
            dCompet=values["dCompet"],
            tpEmit="1",
            cLocEmi=values["cLocEmi"],
            prest=tc.TcinfoPrestador(
                CNPJ=values["prest_cnpj"],
                IM=values.get("prest_im") or None,
                regTrib=tc.TcregTrib(
                    opSimpNac=values["opSimpNac"],
                    regApTribSN=values.get("regApTribSN") or None,
                    regEspTrib=values.get("regEspTrib", "0"),
                ),
            ),
            toma=tc.TcinfoPessoa(
                CPF=toma.get("CPF") or None,
                CNPJ=toma.get("CNPJ") or None,
                NIF=toma.get("NIF") or None,
                cNaoNIF=toma.get("cNaoNIF") or None,
                xNome=toma["xNome"][:300],
                end=address,
                email=toma.get("email") or None,
            ),
            serv=tc.Tcserv(
                locPrest=tc.TclocPrest(cLocPrestacao=values["cLocPrestacao"]),
                cServ=tc.Tccserv(cTribNac=values["cTribNac"], xDescServ=values["xDescServ"][:2000]),
            ),
            valores=tc.TcinfoValores(
                vServPrest=tc.TcvservPrest(vServ=values["vServ"]),
                trib=tc.TcinfoTributacao(
                    tribMun=trib_mun,
                    totTrib=(
                        tc.TctribTotal(pTotTribSN=values["pTotTribSN"])
                        if values.get("pTotTribSN")
                        else tc.TctribTotal(indTotTrib="0")
                    ),
                ),
            ),
            IBSCBS=ibscbs or None,
        ),
    )
    return dps.to_xml(indent="")


def build_cancel_event(key, tp_amb, cnpj, when, reason_code, reason_text):
    """The pedRegEvento of a cancellation by the provider (e101101), unsigned."""
    event = ped_reg_evento_v1_01.PedRegEvento(
        versao=VERSION,
        infPedReg=te.TcinfPedReg(
            Id="PRE%s101101" % key,
            tpAmb=tp_amb,
            verAplic=APP_VERSION,
            dhEvento=when,
            CNPJAutor=cnpj,
            chNFSe=key,
            e101101=te.Te101101(
                xDesc="Cancelamento de NFS-e", cMotivo=str(reason_code), xMotivo=reason_text[:255]
            ),
        ),
    )
    # pedRegEvento's binding has no to_xml (not a CommonMixin): xsdata's serializer directly.
    return XmlSerializer(config=SerializerConfig(indent="")).render(event, ns_map={None: NS})


def sign(xml, reference, cert_pem, key_pem):
    """Enveloped XMLDSig of the element whose Id is `reference`, Signature last in the root.

    erpbrasil.assinatura's own assina_xml2 (1.8.1 with signxml 3.2.2) sets
    excise_empty_xmlns_declarations, and the signatures it then makes do not verify (measured:
    signxml's verifier and a hand-made check both refuse them). Its SHA1-enabled signer class
    is used here as it is meant to be, without that switch.
    """
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    signer = XMLSignerWithSHA1(
        method=signxml.methods.enveloped,
        signature_algorithm="rsa-sha1",
        digest_algorithm="sha1",
        c14n_algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    )
    signer.namespaces = {None: DS}
    signed = signer.sign(root, key=key_pem, cert=cert_pem, reference_uri="#" + reference)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + etree.tostring(signed, encoding="UTF-8")


def pack(xml):
    return base64.b64encode(gzip.compress(xml if isinstance(xml, bytes) else xml.encode())).decode()


def unpack(data):
    return gzip.decompress(base64.b64decode(data))


def parse_errors(body):
    """The rejection's items from any of the shapes seen in production, as (code, text)."""
    if not isinstance(body, dict):
        return []
    items = None
    for name in ("erros", "Erros", "erro", "Erro"):
        if body.get(name):
            items = body[name]
            break
    if items is None and ("codigo" in body or "Codigo" in body):
        items = [body]
    if isinstance(items, dict):
        items = [items]
    out = []
    for item in items or []:
        if not isinstance(item, dict):
            out.append(("", str(item)))
            continue
        low = {k.lower(): v for k, v in item.items()}
        text = low.get("descricao") or low.get("mensagem") or ""
        if low.get("complemento"):
            text = f"{text} ({low['complemento']})"
        out.append((str(low.get("codigo") or ""), str(text)))
    return out


class SefinClient:
    """One company's connection: mutual TLS with the A1 certificate, JSON bodies."""

    def __init__(self, base_url, cert_pem, key_pem, server_ca_pem=None, timeout=30):
        self.base_url = base_url.rstrip("/")
        self.cert_pem = cert_pem
        self.key_pem = key_pem
        self.server_ca_pem = server_ca_pem
        self.timeout = timeout

    @contextmanager
    def _session(self):
        # requests wants files: the PEM key lives in a private temporary folder for the
        # duration of one call and is removed right after.
        with tempfile.TemporaryDirectory(prefix="nfse-") as folder:
            paths = {}
            for name, content in (
                ("c.pem", self.cert_pem),
                ("k.pem", self.key_pem),
                ("ca.pem", self.server_ca_pem),
            ):
                if content:
                    path = os.path.join(folder, name)
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
                    with os.fdopen(fd, "wb") as file:
                        file.write(content if isinstance(content, bytes) else content.encode())
                    paths[name] = path
            # verify/cert per call: a Session's own verify loses to REQUESTS_CA_BUNDLE.
            yield {"cert": (paths["c.pem"], paths["k.pem"]), "verify": paths.get("ca.pem", True)}

    def request(self, method, path, payload=None):
        """(status, JSON body or None). Network failures and 5xx raise an outage."""
        try:
            with self._session() as tls:
                response = requests.request(
                    method, self.base_url + path, json=payload, timeout=self.timeout, **tls
                )
        except requests.RequestException as error:
            raise SefinError(
                _lt("No answer from the Sefin Nacional: %s", type(error).__name__), outage=True
            ) from None
        if response.status_code >= 500:
            raise SefinError(
                _lt("The Sefin Nacional is unavailable (HTTP %s).", response.status_code),
                status=response.status_code,
                outage=True,
            )
        body = None
        if response.content:
            try:
                body = response.json()
            except ValueError:
                body = None
        return response.status_code, body

    def issue(self, signed_dps):
        status, body = self.request("POST", "/nfse", {"dpsXmlGZipB64": pack(signed_dps)})
        if status in (200, 201) and body and body.get("chaveAcesso"):
            return body
        raise SefinError(_lt("Refused by the Sefin Nacional"), parse_errors(body), status=status)

    def dps_key(self, dps):
        """The key of the note made from this DPS, or None when the service has none."""
        status, body = self.request("GET", "/dps/%s" % dps)
        if status == 200 and body and body.get("chaveAcesso"):
            return body["chaveAcesso"]
        if status == 404:
            return None
        raise SefinError(_lt("DPS lookup refused"), parse_errors(body), status=status)

    def note(self, key):
        status, body = self.request("GET", "/nfse/%s" % key)
        if status == 200 and body and body.get("nfseXmlGZipB64"):
            return body
        raise SefinError(_lt("NFS-e lookup refused"), parse_errors(body), status=status)

    def event(self, key, signed_event):
        status, body = self.request(
            "POST", "/nfse/%s/eventos" % key, {"pedidoRegistroEventoXmlGZipB64": pack(signed_event)}
        )
        if status in (200, 201) and body and body.get("eventoXmlGZipB64"):
            return body
        raise SefinError(
            _lt("Event refused by the Sefin Nacional"), parse_errors(body), status=status
        )


def note_number(nfse_xml):
    root = etree.fromstring(nfse_xml)
    number = root.find(".//{%s}nNFSe" % NS)
    return number.text if number is not None else ""


def danfse_pdf(nfse_xml):
    """The DANFSe of the authorised XML, made locally (brazilfiscalreport)."""
    from brazilfiscalreport.danfse import Danfse  # noqa: PLC0415 - heavy (fpdf2), used at issue only

    text = nfse_xml.decode() if isinstance(nfse_xml, bytes) else nfse_xml
    return bytes(Danfse(xml=text).output())


def dumps(value):
    return json.dumps(value, ensure_ascii=False)
