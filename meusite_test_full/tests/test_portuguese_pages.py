"""Every page a customer or a visitor sees reads in Portuguese and carries the company's logo.

The walk requests each page of the client area as the demo customer (and the visitor's
login, sign-up and password reset) the way a Portuguese-speaking customer gets them, and
looks at the text a person reads: any word or phrase of Odoo's English interface fails it.

Product-wide, hence in the test-only addon: it reads meusite_portal's and meusite_helpdesk's
pages and Moip's boleto page.
"""

import base64
import io
import re
from datetime import timedelta
from pathlib import Path

from lxml import html
from PIL import Image, ImageChops, ImageStat

from odoo import Command, fields, http
from odoo.tests import HttpCase, tagged
from odoo.tools.misc import file_path

from odoo.addons.meusite_portal.tests.common import make_invoices

# English a page of Odoo shows when a label has no Portuguese term. Words that are also
# Portuguese ("Total", "Status", "Ticket", "Login", "Boleto"...) or proper names are left out:
# every entry below would be a mistake on a Portuguese page.
ENGLISH_WORDS = (
    # grammar words, which no Portuguese sentence contains ("for" is left out: "quando ela
    # for paga")
    "the", "and", "your", "you", "with", "this", "that", "from", "of", "to", "is",
    "are", "has", "have", "been", "will", "please", "here", "an", "or", "on", "in", "it",
    "at", "by", "be", "not", "can", "no longer", "yet",
    # Odoo's interface
    "Attachments", "Attachment", "Today", "Yesterday", "Payment", "Confirmation", "Stage",
    "Communication", "history", "Assignee", "Customer", "Invoice", "Invoices", "Due",
    "Amount", "Pay", "Paid", "Overdue", "Open", "Draft", "Cancelled", "Reference",
    "Powered", "logo", "Sign", "Log", "Password", "Reset", "Back", "Search", "Sort",
    "Filter", "Description", "Subject", "Submit", "Copy", "Copied", "Print", "Download",
    "Details", "Send", "message", "Name", "Email", "Phone", "Address", "Company", "Team",
    "Category", "Priority", "Date", "Close", "Closed", "Home", "My", "Account", "Security",
    "Settings", "Services", "Service", "Welcome", "Confirm", "Create", "Closed Date",
    "Last", "Update", "New", "Add", "Remove", "Edit", "Save", "Discard", "Cancel", "Next",
    "Previous", "Source", "Request", "Manage", "Connection", "Contact", "Contacts",
    "Quantity", "Price", "Taxes", "Subtotal", "Balance", "Terms", "Conditions",
    "Loading", "Don't", "account", "Already", "Forgot", "Confirm Password", "Processing",
)
ENGLISH_RE = re.compile(
    r"(?<![\w@./-])(" + "|".join(re.escape(w) for w in sorted(ENGLISH_WORDS, key=len, reverse=True))
    + r")(?![\w@./-])"
)
# What the platform or its demo data would show a customer, in any language: Odoo's
# promotion ("Distribuído por Odoo" is its Portuguese), Odoo's demo admin as the ticket's
# "Responsável", a stock word the manual does not use, a PROFORMA for an issued invoice.
LEFTOVERS = ("Odoo", "Distribuído por", "Powered by", "Mitchell Admin", "+1 555", "Chamado",
             "PROFORMA")
LEFTOVERS_RE = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in LEFTOVERS) + r")", re.I)
# Odoo's "Your logo" of a new company, its "no logo" picture, and its own logo (what the
# login page falls back to).
ODOO_LOGOS = [
    Path(file_path(path)).read_bytes()
    for path in ("base/static/img/res_company_logo.png", "web/static/img/nologo.png",
                 "web/static/img/logo.png")
]


def same_picture(first, second):
    """Whether two images show the same picture: Odoo re-encodes and resizes the logos it
    stores and serves, so the bytes differ for the same "Your logo"."""
    first = Image.open(io.BytesIO(first)).convert("RGBA")
    second = Image.open(io.BytesIO(second)).convert("RGBA").resize(first.size)
    return max(ImageStat.Stat(ImageChops.difference(first, second)).mean) < 8


def visible_text(page):
    """The text a person reads on the page: text nodes and the placeholders and button
    values of the form, without scripts, styles and the footer's language names."""
    tree = html.fromstring(page)
    for node in tree.xpath(
        "//script|//style|//template|//noscript|//head"
        # Place names (the countries' and states' lists) are data, not the interface.
        "|//select[@name='state_id' or @name='country_id']"
        # The two-factor wizard's form, kept as escaped text for the script that shows it.
        "|//*[@id='totp_wizard_view']"
        "|//*[contains(concat(' ', @class, ' '), ' js_language_selector ')]"
    ):
        node.drop_tree()
    chunks = [" ".join(tree.itertext())]
    chunks += tree.xpath("//input[@type='submit' or @type='button']/@value")
    chunks += tree.xpath("//@placeholder")
    return re.sub(r"\s+", " ", " ".join(chunks))


def english_in(page):
    return sorted(set(ENGLISH_RE.findall(visible_text(page))))


def leftover_excerpts(page):
    """Each platform leftover found, in its sentence (for the failure message)."""
    text = visible_text(page)
    return sorted({text[max(m.start() - 40, 0):m.end() + 40]
                   for m in LEFTOVERS_RE.finditer(text)})


def english_excerpts(page):
    """Each English word found, in its sentence (for the failure message)."""
    text = visible_text(page)
    return sorted({text[max(m.start() - 40, 0):m.end() + 40] for m in ENGLISH_RE.finditer(text)})


@tagged("post_install", "-at_install")
class TestPortuguesePages(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.user = env.ref("meusite_portal.demo_customer_user")
        cls.partner = cls.user.partner_id
        cls.company = env.ref("base.main_company")
        env["ir.config_parameter"].set_param("account_payment.enable_portal_payment", True)
        cls.transfer = env.ref("payment.payment_provider_transfer")
        cls.service = env["meusite.service"].search([("partner_id", "=", cls.partner.id)], limit=1)
        invoices = env["account.move"].search(
            [("partner_id", "=", cls.partner.id), ("move_type", "=", "out_invoice"),
             ("state", "=", "posted")], order="id",
        )
        cls.invoice = invoices[:1]
        # Two open invoices for the "pay several" page and a transfer awaiting confirmation.
        cls.open_invoices = make_invoices(
            env, cls.partner, amount=60.0, days_ago=0, due_in=10, invoice_user_id=False,
            line="Instalação de certificado SSL",
        ) | make_invoices(env, cls.partner, amount=60.0, days_ago=0, due_in=10,
                          invoice_user_id=False, line="Registro de domínio .com.br")
        cls.paid_by_transfer = make_invoices(env, cls.partner, amount=80.0, days_ago=0, due_in=10,
                                             invoice_user_id=False, line="Manutenção do site")
        cls.tx = env["payment.transaction"].create({
            "provider_id": cls.transfer.id,
            "payment_method_id": env.ref("payment_custom.payment_method_wire_transfer").id,
            "amount": 80.0,
            "currency_id": cls.paid_by_transfer.currency_id.id,
            "partner_id": cls.partner.id,
            "reference": env["payment.transaction"]._compute_reference("custom"),
            "invoice_ids": [Command.set(cls.paid_by_transfer.ids)],
            "landing_route": "/my/invoices/pay/done",
        })
        cls.tx._set_pending()
        moip = env.ref("meusite_moip_payment.payment_provider_moip")
        cls.boleto = env["payment.transaction"].create({
            "provider_id": moip.id,
            "payment_method_id": moip.payment_method_ids[:1].id,
            "amount": cls.invoice.amount_total,
            "currency_id": cls.invoice.currency_id.id,
            "partner_id": cls.partner.id,
            "reference": env["payment.transaction"]._compute_reference("moip"),
            "invoice_ids": [Command.set(cls.invoice.ids)],
            "landing_route": cls.invoice.get_portal_url(),
            "moip_line_code": "23793.38128 60000.000003 00000.000400 1 84340000015890",
            "moip_due_date": fields.Date.today() + timedelta(days=3),
            "moip_print_url": "http://127.0.0.1:9/boleto/print",
        })
        cls.boleto._set_pending()
        team = env.ref("meusite_helpdesk.team_financeiro")
        cls.ticket = env["helpdesk.ticket"].create({
            "name": "Dúvida sobre a fatura",
            "description": "<p>Segue o comprovante.</p>",
            "partner_id": cls.partner.id,
            "team_id": team.id,
        })
        # Assigned by the department's rule, as a customer's ticket is.
        assert cls.ticket.user_id, "the department's assignment rule gave the ticket no one"
        # The invoice was e-mailed as the billing run's are (Odoo's sending cron): issued.
        cls.invoice._meusite_send_service_invoice_mail()
        env["account.move"]._cron_account_move_send(job_count=100)
        cls.ticket.message_post(body="Recebemos a sua mensagem.", message_type="comment",
                                subtype_xmlid="mail.mt_comment")
        env["ir.attachment"].create({
            "name": "comprovante.pdf", "raw": b"%PDF-1.4 demo", "res_model": "helpdesk.ticket",
            "res_id": cls.ticket.id,
        })

    def get(self, url, **kw):
        response = self.url_open(url, **kw)
        self.assertEqual(response.status_code, 200, url)
        return response.text

    def csrf_token(self):
        page = self.get("/pt/my")
        return html.fromstring(page).xpath("//input[@name='csrf_token']/@value")[0]

    def monitor(self, tx):
        """Make ``tx`` the transaction this browser session follows (as the payment flow does)."""
        self.session["__payment_monitored_tx_id__"] = tx.id
        http.root.session_store.save(self.session)

    def customer_pages(self):
        self.session = self.authenticate("cliente", "cliente")
        pages = {}
        for url in (
            "/pt/my",
            "/pt/my/services",
            f"/pt/my/services/{self.service.id}",
            "/pt/my/invoices",
            f"/pt{self.invoice.get_portal_url()}",
            f"/pt{self.paid_by_transfer.get_portal_url()}",
            "/pt/my/tickets",
            f"/pt/my/ticket/{self.ticket.id}",
            "/pt/new/ticket",
            f"/pt/new/ticket?team_id={self.ticket.team_id.id}",
            "/pt/my/account",
            "/pt/my/security",
            "/pt/my/order",
            f"/pt/my/order/review?plan_id={self.env.ref('meusite_portal.product_plan_loja').product_tmpl_id.id}"
            "&cycle=monthly",
            "/pt/my/referrals",
            f"/pt/payment/moip/boleto?reference={self.boleto.reference}"
            f"&access_token={self.boleto._moip_access_token()}",
        ):
            pages[url] = self.get(url)
        pages["pay several"] = self.get("/pt/my/invoices/pay", data={
            "csrf_token": self.csrf_token(),
            "invoice_ids": self.open_invoices.ids,
            "pay_selected": "1",
        })
        self.monitor(self.tx)
        pages["/pt/payment/status"] = self.get("/pt/payment/status")
        pages["/pt/my/invoices/pay/done"] = self.get("/pt/my/invoices/pay/done")
        return pages

    def visitor_pages(self):
        """A visitor with a Portuguese browser: the login page (not a website route) follows
        the browser's language, sign-up and password reset the /pt/ URLs."""
        self.session = self.authenticate(None, None)
        # A first visit: no language chosen yet in the session (the test session forces
        # English), so the browser's language decides.
        self.session.context.pop("lang", None)
        http.root.session_store.save(self.session)
        headers = {"Accept-Language": "pt-BR,pt;q=0.9"}
        return {url: self.get(url, headers=headers) for url in (
            "/web/login", "/pt/web/signup", "/pt/web/reset_password",
        )}

    def test_picture_comparison_sees_odoo_placeholder(self):
        # The comparison itself: Odoo's stored "Your logo" is the placeholder, ours is not.
        ours = self.url_open(f"/logo.png?company={self.company.id}").content
        self.assertFalse(same_picture(ours, ODOO_LOGOS[0]))
        self.company.logo = base64.b64encode(ODOO_LOGOS[0])
        served = self.url_open(f"/logo.png?company={self.company.id}").content
        self.assertNotEqual(served, ODOO_LOGOS[0])  # re-encoded: bytes alone would not tell
        self.assertTrue(same_picture(served, ODOO_LOGOS[0]))

    def test_detector_sees_english(self):
        # The detector itself: Odoo's English labels are caught, the manual's words are not.
        self.assertEqual(english_in("<p>Stage: <b>Attachments</b> Today at 09:00</p>"),
                         ["Attachments", "Stage", "Today", "at"])
        self.assertEqual(english_in(
            "<p>Olá, Mariana! Status: Em aberto. Total R$ 158,90. Abrir Ticket. "
            "Fatura INV/2026/00001, cliente@example.com</p>"), [])

    def test_every_page_in_portuguese(self):
        pages = self.customer_pages()
        pages.update(self.visitor_pages())
        found = {url: english_excerpts(page) for url, page in pages.items()}
        found = {url: excerpts for url, excerpts in found.items() if excerpts}
        self.assertFalse(found, "English on Portuguese pages:\n" + "\n".join(
            f"{url}: {excerpt!r}" for url, excerpts in found.items() for excerpt in excerpts
        ))

    def test_no_platform_leftovers(self):
        pages = self.customer_pages()
        pages.update(self.visitor_pages())
        # Odoo's preview of the invoice (the frame of its page): issued, not a PROFORMA.
        preview = f"/pt{self.invoice.get_portal_url(report_type='html')}"
        pages[preview] = self.get(preview)
        found = {url: leftover_excerpts(page) for url, page in pages.items()}
        found = {url: excerpts for url, excerpts in found.items() if excerpts}
        self.assertFalse(found, "Platform leftovers on the client area's pages:\n" + "\n".join(
            f"{url}: {excerpt!r}" for url, excerpts in found.items() for excerpt in excerpts
        ))
        # Nor Odoo's promotion as a picture (the invoice and ticket pages' sidebar).
        promoting = [url for url, page in pages.items()
                     if html.fromstring(page).xpath("//a[contains(@href, 'odoo.com')]")]
        self.assertFalse(promoting, "links to odoo.com")
        # The ticket's "Responsável" is the company's staff member the department gave it.
        ticket_page = visible_text(pages[f"/pt/my/ticket/{self.ticket.id}"])
        self.assertIn(f"Responsável {self.ticket.user_id.name}", ticket_page)
        # The ticket's breadcrumb leads back to the tickets by the menu's word.
        crumbs = html.fromstring(pages[f"/pt/my/ticket/{self.ticket.id}"]).xpath(
            "//ol[contains(concat(' ', @class, ' '), ' breadcrumb ')]//a[@href='/my/tickets']")
        self.assertEqual([a.text_content().strip() for a in crumbs], ["Suporte"])

    def test_leftover_detector(self):
        self.assertEqual(leftover_excerpts(
            "<footer>Copyright Meu Site Expresso Distribuído por <img alt='Odoo'/></footer>"),
            ["Copyright Meu Site Expresso Distribuído por "])
        self.assertTrue(leftover_excerpts("<p>Responsável Mitchell Admin +1 555-555-5555</p>"))
        self.assertTrue(leftover_excerpts("<span>PROFORMA</span> <h2>Fatura</h2>"))
        self.assertFalse(leftover_excerpts("<p>Responsável Camila Rocha Duarte, Suporte</p>"))

    def test_client_area_menu_on_every_customer_page(self):
        for url, page in self.customer_pages().items():
            tree = html.fromstring(page)
            menu = tree.xpath("//nav[contains(@class, 'o_meusite_menu')]")
            self.assertTrue(menu, f"no client-area menu on {url}")
            labels = [" ".join(a.text_content().split()) for a in menu[0].xpath(".//a")]
            for label in ("Início", "Serviços", "Faturas", "Suporte", "Abrir Ticket"):
                self.assertIn(label, labels, url)
            self.assertIn("Olá, Mariana!", menu[0].text_content(), url)
        # Odoo's error pages share the layout: still rendered, not a server error.
        self.assertEqual(self.url_open("/pt/my/no-such-page").status_code, 404)

    def test_company_logo_is_not_odoo_placeholder(self):
        self.assertTrue(self.company.logo)
        # The frontend header, the login page and the e-mails read the logo from these.
        for url in (f"/logo.png?company={self.company.id}", "/web/binary/company_logo"):
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, url)
            for odoo_logo in ODOO_LOGOS:
                self.assertFalse(same_picture(response.content, odoo_logo), url)
        pages = self.visitor_pages()
        pages.update(self.customer_pages())
        for url, page in pages.items():
            # The header's image is the company's logo (/logo.png, /web/binary/company_logo).
            sources = html.fromstring(page).xpath("//img[contains(@src, 'logo')]/@src")
            self.assertTrue(any("company" in src for src in sources), url)
        # The invoice PDF is printed with the company's logo.
        report = self.env["ir.actions.report"]._render_qweb_html(
            "account.account_invoices", self.invoice.ids
        )[0].decode()
        self.assertIn(self.company.logo.decode()[:200], report.replace("\n", ""))

    def test_company_brand_not_odoos(self):
        """Tab titles "<page> · <company>", the company's icon, its brand colour."""
        pages = self.visitor_pages()
        pages.update(self.customer_pages())
        company = self.company
        icon = company._meusite_favicon()
        self.assertTrue(company.meusite_icon and icon)
        titles = {}
        for url, page in pages.items():
            tree = html.fromstring(page)
            title = tree.xpath("string(//head/title)").strip()
            titles[url] = title
            page_part, sep, name = title.rpartition(" · ")
            self.assertEqual((sep, name), (" · ", company.name), f"{url}: {title!r}")
            self.assertTrue(page_part and "Odoo" not in page_part, f"{url}: {title!r}")
            self.assertEqual(tree.xpath("//head/link[@rel='shortcut icon']/@href"), [icon], url)
            brand = tree.xpath("string(//head/style[@id='o_meusite_brand'])")
            self.assertIn(f"--btn-bg: {company.primary_color}", brand, url)
        self.assertEqual(titles["/web/login"], "Entrar · Meu Site Expresso")
        self.assertEqual(titles["/pt/my"], "Início · Meu Site Expresso")
        self.assertEqual(titles["/pt/my/invoices"], "Faturas · Meu Site Expresso")
        # The demo company's colours are its logo's blue and orange.
        self.assertEqual((company.primary_color, company.secondary_color), ("#1f5fa8", "#f39c12"))
