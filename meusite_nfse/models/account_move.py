from odoo import fields, models
from odoo.exceptions import UserError

from .. import sefin


class AccountMove(models.Model):
    _inherit = "account.move"

    nfse_ids = fields.One2many("meusite.nfse", "move_id", "NFS-e", readonly=True)
    # The issued note, on the invoice's own row: the portal pages read it with the invoice
    # (no query of their own while there is none; meusite_portal keeps SQL budgets per page).
    nfse_id = fields.Many2one("meusite.nfse", "Issued NFS-e", readonly=True, copy=False)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        due = posted.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.company_id.nfse_active
                and m.company_id.nfse_trigger == "posted"
            )
        )
        if due:
            self.env["meusite.nfse"]._enqueue(due)
        return posted

    def _invoice_paid_hook(self):
        res = super()._invoice_paid_hook()
        due = self.filtered(
            lambda m: (
                m.move_type == "out_invoice"
                and m.company_id.nfse_active
                and m.company_id.nfse_trigger == "paid"
            )
        )
        if due:
            self.env["meusite.nfse"]._enqueue(due)
        return res

    def button_cancel(self):
        self._nfse_flag_cancellation()
        return super().button_cancel()

    def button_draft(self):
        self._nfse_flag_cancellation()
        return super().button_draft()

    def _reverse_moves(self, default_values_list=None, cancel=False):
        reversed_moves = super()._reverse_moves(
            default_values_list=default_values_list, cancel=cancel
        )
        self._nfse_flag_cancellation()
        return reversed_moves

    def _nfse_flag_cancellation(self):
        """An issued note of an invoice reversed or cancelled waits for staff's reason."""
        notes = self.sudo().nfse_ids
        notes.filtered(lambda n: n.state == "issued").write({"state": "to_cancel"})
        # Not sent yet: nothing to cancel at the service, and nothing to send any more.
        notes.filtered(
            lambda n: n.state in ("to_issue", "rejected", "error") and not n.sent_at
        ).write(
            {
                "state": "cancelled",
                "message": self.env._("Invoice cancelled before the NFS-e was issued."),
            }
        )

    def _nfse_due(self):
        """A posted customer invoice of a company that issues, dated from its start date
        (older invoices were declared another way), whatever road queues it."""
        self.ensure_one()
        company = self.company_id
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and company.nfse_active
            and (
                not company.nfse_start_date
                or (self.invoice_date or self.date) >= company.nfse_start_date
            )
        )

    def _nfse_dps_values(self, note):
        """The DPS's values from the invoice, the company and the customer's l10n_br data.

        Anything missing is a UserError in the staff's words (shown as the rejection reason)."""
        self.ensure_one()
        company = self.company_id
        customer = self.commercial_partner_id
        problems = []
        cnpj = sefin.only_digits(company.vat)
        if len(cnpj) != 14:
            problems.append(self.env._("The company has no CNPJ."))
        city = company._nfse_city_code()
        if len(city) != 7:
            problems.append(self.env._("The company's city has no IBGE code."))
        # A customer abroad has no CPF/CNPJ: its own tax id (NIF) or, without one, the reason
        # code, and a foreign address (endExt).
        abroad = bool(customer.country_id) and customer.country_id.code != "BR"
        doc = "" if abroad else sefin.only_digits(customer.vat)
        nif = (customer.vat or "").strip()[:40] if abroad else ""
        if not abroad and len(doc) not in (11, 14):
            problems.append(self.env._("The customer %s has no CPF/CNPJ.", customer.display_name))
        if abroad and not all(
            (value or "").strip() for value in (customer.street, customer.city, customer.zip)
        ):
            problems.append(
                self.env._(
                    "The customer abroad %s needs a street, a city and a postal code.",
                    customer.display_name,
                )
            )
        customer_city = (customer.city_id.nfse_ibge_code or "").strip()
        if customer.country_id.code == "BR" and len(customer_city) != 7:
            problems.append(
                self.env._(
                    "The customer's city has no IBGE code (city: %s).",
                    customer.city_id.name or customer.city or "—",
                )
            )
        lines = self.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        codes = {
            (line.product_id.nfse_ctribnac or company.nfse_default_ctribnac or "") for line in lines
        }
        if len(codes) != 1 or not next(iter(codes)).isdigit() or len(next(iter(codes))) != 6:
            problems.append(
                self.env._(
                    "The invoice's services need one 6-digit national service code "
                    "(cTribNac) on their products or the company."
                )
            )
        ibscbs = self._nfse_ibscbs_values(doc, problems)
        if problems:
            raise UserError("\n".join(problems))
        description = "; ".join(
            line.product_id.nfse_description or line.name or "" for line in lines
        )
        local = fields.Datetime.context_timestamp(
            self.with_context(tz=self.env.user.tz or "America/Sao_Paulo"), fields.Datetime.now()
        )
        return {
            "id": note.dps_id,
            "tpAmb": company.nfse_environment,
            "dhEmi": local.isoformat(timespec="seconds"),
            "serie": note.serie,
            "nDPS": note.dps_number,
            "dCompet": fields.Date.to_string(self.invoice_date or local.date()),
            "cLocEmi": city,
            "prest_cnpj": cnpj,
            "prest_im": sefin.only_digits(company.nfse_im) or None,
            "opSimpNac": company.nfse_simples,
            "regApTribSN": "1" if company.nfse_simples == "3" else None,
            "toma": {
                "CPF": doc if len(doc) == 11 else None,
                "CNPJ": doc if len(doc) == 14 else None,
                "NIF": nif or None,
                # 2: "não exigência do NIF" (no tax id is required of this customer).
                "cNaoNIF": "2" if abroad and not nif else None,
                "ext": (
                    {
                        "cPais": customer.country_id.code,
                        "cEndPost": (customer.zip or "").strip()[:11],
                        "xCidade": (customer.city or "").strip()[:60],
                        "xEstProvReg": (customer.state_id.name or customer.city or "").strip()[:60],
                    }
                    if abroad
                    else None
                ),
                "xNome": customer.name,
                "cMun": (customer_city or None) if not abroad else None,
                "CEP": sefin.only_digits(customer.zip),
                "xLgr": customer.street_name or customer.street or "",
                "nro": customer.street_number or "",
                "xCpl": customer.street_number2 or None,
                "xBairro": customer.street2 or "-",
                "email": customer.email or None,
            },
            "cLocPrestacao": city,
            "cTribNac": next(iter(codes)),
            "xDescServ": description or self.name,
            "vServ": "%.2f" % self.amount_untaxed,
            "tribISSQN": "1",
            "tpRetISSQN": company.nfse_iss_retention,
            "pAliq": ("%.2f" % company.nfse_iss_rate) if company.nfse_iss_rate else None,
            "IBSCBS": ibscbs,
        }

    def _nfse_ibscbs_values(self, doc, problems):
        """The DPS's IBS/CBS group (tax reform) when the company declares it, else None.

        A customer with a CPF buys for personal use or consumption (indFinal 1, art. 57 of
        LC 214/2025); one with a CNPJ does not. The recipient is the customer (indDest 0)."""
        company = self.company_id
        if not company.nfse_ibscbs:
            return None
        codes = {
            "CST": (company.nfse_ibscbs_cst or "").strip(),
            "cClassTrib": (company.nfse_ibscbs_cclasstrib or "").strip(),
            "cIndOp": (company.nfse_ibscbs_cindop or "").strip(),
        }
        sizes = {"CST": 3, "cClassTrib": 6, "cIndOp": 6}
        for name, code in codes.items():
            if not (code.isdigit() and len(code) == sizes[name]):
                problems.append(
                    self.env._(
                        "The company declares IBS/CBS: its %(name)s needs %(size)s digits "
                        "(company's NFS-e tab).",
                        name=name,
                        size=sizes[name],
                    )
                )
        return dict(codes, indFinal="1" if len(doc) == 11 else "0", indDest="0")

    def _nfse_portal_note(self):
        """The issued note the customer may see on this invoice (or an empty recordset)."""
        self.ensure_one()
        note = self.sudo().nfse_id
        return note if note and note.state == "issued" else note.browse()
