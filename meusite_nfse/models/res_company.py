import base64
import importlib.util
import os
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL, config

from .. import sefin
from ..private_api import query_rows, run_sql

# Staff see the expiry and a warning this many days before it.
CERTIFICATE_WARNING_DAYS = 30


class ResCompany(models.Model):
    _inherit = "res.company"

    nfse_active = fields.Boolean("Issue NFS-e")
    # The A1 certificate lives in Odoo's own `certificate` module (PKCS#12 and its password in
    # fields readable by Settings administrators only, the key split out as PEM): the company
    # only points at it, and only administrators see the pointer.
    nfse_certificate_id = fields.Many2one(
        "certificate.certificate",
        "A1 certificate (NFS-e)",
        groups="base.group_system",
        domain="[('company_id', 'in', [id, False])]",
    )
    nfse_certificate_expiry = fields.Datetime(
        "Certificate valid until", compute="_compute_nfse_certificate_state"
    )
    nfse_certificate_warning = fields.Char(compute="_compute_nfse_certificate_state")
    nfse_start_date = fields.Date(
        "Issue for invoices dated from",
        default=fields.Date.context_today,
        help="Older invoices are not sent (they were declared another way).",
    )
    nfse_environment = fields.Selection(
        [("2", "Restricted production (testing)"), ("1", "Production")],
        "NFS-e environment",
        default="2",
        required=True,
    )
    nfse_api_url = fields.Char(
        "Sefin Nacional address", help="Empty: the official address of the environment."
    )
    nfse_server_ca = fields.Text(
        "Service CA (PEM)",
        groups="base.group_system",
        help="Certificates (PEM) the Sefin Nacional's TLS certificate chains to (ICP-Brasil). "
        "Empty: the system's bundle.",
    )
    nfse_im = fields.Char(
        related="partner_id.l10n_br_im_code", readonly=False, string="Municipal registration (IM)"
    )
    nfse_simples = fields.Selection(
        [
            ("1", "Not opting for Simples Nacional"),
            ("2", "MEI"),
            ("3", "Simples Nacional (ME/EPP)"),
        ],
        "Tax regime (NFS-e)",
        default="3",
        required=True,
    )
    nfse_serie = fields.Char("DPS series", default="1", size=5, required=True)
    nfse_next_number = fields.Integer("Next DPS number", default=1, required=True, copy=False)
    nfse_default_ctribnac = fields.Char(
        "Default national service code",
        size=6,
        default="010301",
        help="cTribNac used for products without their own (LC 116 item 1.03: hosting).",
    )
    nfse_iss_retention = fields.Selection(
        [
            ("1", "Not retained"),
            ("2", "Retained by the customer"),
            ("3", "Retained by an intermediary"),
        ],
        "ISS retention",
        default="1",
        required=True,
    )
    nfse_iss_rate = fields.Float(
        "ISS rate (%)",
        digits=(5, 2),
        help="Empty (0): the city's own parameter applies, as the service prefers (E0625).",
    )
    # The tax reform's group of layout 1.01 (IBSCBS): what the DPS declares about the
    # operation; the service computes the IBS/CBS amounts from it. A setting, off by default:
    # the 2026-2027 transition runs in restricted production first, and the codes are the
    # accountant's call (no field of Odoo's l10n_br carries them).
    nfse_ibscbs = fields.Boolean(
        "Declare IBS/CBS (tax reform)",
        help="Send the DPS's IBS/CBS group (layout 1.01): situation (CST), tax classification "
        "(cClassTrib) and operation indicator (cIndOp).",
    )
    nfse_ibscbs_cst = fields.Char(
        "IBS/CBS situation (CST)",
        size=3,
        default="000",
        help="3 digits of the IBS/CBS CST table; 000: full taxation.",
    )
    nfse_ibscbs_cclasstrib = fields.Char(
        "IBS/CBS classification (cClassTrib)",
        size=6,
        default="000001",
        help="6 digits of the IBS/CBS cClassTrib table; 000001: situations fully taxed.",
    )
    nfse_ibscbs_cindop = fields.Char(
        "Operation indicator (cIndOp)",
        size=6,
        help="6 digits of the 'código indicador de operação' table, chosen by the accountant.",
    )
    nfse_trigger = fields.Selection(
        [("paid", "When the invoice is paid"), ("posted", "When the invoice is posted")],
        "Issue the NFS-e",
        default="paid",
        required=True,
    )

    @api.depends("nfse_certificate_id")
    @api.depends_context("uid")
    def _compute_nfse_certificate_state(self):
        now = fields.Datetime.now()
        for company in self:
            certificate = company.sudo().nfse_certificate_id
            company.nfse_certificate_expiry = certificate.date_end
            company.nfse_certificate_warning = company._nfse_certificate_message(
                certificate, now, warn=True
            )

    def _nfse_certificate_message(self, certificate, now, warn=False):
        """The one message staff read when the certificate stops (or will stop) issuing."""
        if not certificate:
            return self.env._(
                "No A1 certificate: upload it in the company's NFS-e tab to issue NFS-e."
            )
        if certificate.loading_error:
            return self.env._("The A1 certificate could not be read (wrong file or password).")
        expiry = certificate.date_end
        if expiry and expiry < now:
            return self.env._(
                "The A1 certificate expired on %s: no NFS-e is issued until a valid "
                "certificate is uploaded.",
                tools.format_date(self.env, expiry),
            )
        if warn and expiry and expiry < now + timedelta(days=CERTIFICATE_WARNING_DAYS):
            return self.env._(
                "The A1 certificate expires on %s: renew it before then.",
                tools.format_date(self.env, expiry),
            )
        return False

    def _nfse_city_code(self):
        return (self.partner_id.city_id.nfse_ibge_code or "").strip()

    def _nfse_client(self):
        """The Sefin client with the PEM halves of the certificate (never the PFX password)."""
        certificate = self.sudo().nfse_certificate_id
        cert_pem = base64.b64decode(certificate.pem_certificate)
        key_pem = base64.b64decode(certificate.private_key_id.pem_key)
        url = self.nfse_api_url or sefin.SEFIN_URLS[self.nfse_environment]
        return (
            sefin.SefinClient(url, cert_pem, key_pem, self.sudo().nfse_server_ca or None),
            cert_pem,
            key_pem,
        )

    def _nfse_take_number(self):
        """The next DPS number, taken under the company row's lock (two servers, one sequence)."""
        [(number,)] = query_rows(self.env, SQL(
            "SELECT nfse_next_number FROM res_company WHERE id = %s FOR UPDATE", self.id))
        number = number or 1
        run_sql(self.env, SQL(
            "UPDATE res_company SET nfse_next_number = %s WHERE id = %s", number + 1, self.id))
        self.invalidate_recordset(["nfse_next_number"])
        return number

    @api.model
    def _nfse_demo_setup(self):
        """Demo only: a test certificate for the main company, made now (never committed),
        by the test CA the local Sefin double (started by `make run`) trusts."""
        # Loaded from its file: importing it through the tests package would import the
        # addon's test suite, and with it Odoo's test framework, into a running server
        # (odoo.tests logs an ERROR for that at every demo install).
        path = os.path.join(os.path.dirname(__file__), "..", "tests", "doubles", "sefin_double.py")
        spec = importlib.util.spec_from_file_location("meusite_nfse_sefin_double", path)
        double = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(double)
        TestCA = double.TestCA  # noqa: N806 - the double's class

        company = self.env.ref("base.main_company")
        cnpj = sefin.only_digits(company.vat)
        if len(cnpj) != 14:
            cnpj = "27461538000150"
            company.partner_id.vat = "27.461.538/0001-50"
        ca = TestCA(os.path.join(config["data_dir"], "nfse-double"))
        password = base64.b32encode(os.urandom(10)).decode()
        pfx = ca.client_pkcs12(cnpj, password, name=(company.name or "EMPRESA").upper()[:40])
        certificate = self.env["certificate.certificate"].create(
            {
                "name": "A1 de teste (demo)",
                "content": base64.b64encode(pfx),
                "pkcs12_password": password,
                "company_id": company.id,
            }
        )
        if not company.partner_id.city_id:
            company.partner_id.city_id = self.env.ref("l10n_br.city_br_006")
        company.write(
            {
                "nfse_active": True,
                "nfse_certificate_id": certificate.id,
                # The demo's invoices are dated up to a few months back: they are issued too.
                "nfse_start_date": fields.Date.subtract(fields.Date.today(), years=1),
                "nfse_api_url": "https://127.0.0.1:8097/SefinNacional",
                "nfse_server_ca": ca.pem.decode(),
                "nfse_im": company.nfse_im or "1234567",
            }
        )
