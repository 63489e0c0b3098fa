import colorsys
import re

from markupsafe import Markup

from odoo import fields, models, tools
from odoo.tools.image import image_data_uri

HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")

# The tab title of the client area's pages, by the page's ``page_name`` (Odoo's portal
# convention) or, for pages without one, by the end of its path: "<page> · <company>".
PAGE_TITLES = {
    "home": "Início",
    "services": "Serviços",
    "service": "Serviço",
    "invoice": "Faturas",
    "overdue_invoices": "Faturas vencidas",
    "meusite_pay_invoices": "Pagar faturas",
    "ticket": "Suporte",
    "new_ticket": "Abrir Ticket",
    "my_details": "Meus Dados",
    "meusite_order": "Contratar",
    "meusite_referrals": "Indicações",
}
PATH_TITLES = (
    ("/web/login", "Entrar"),
    ("/web/signup", "Cadastro"),
    ("/web/reset_password", "Redefinir senha"),
    ("/my/security", "Segurança"),
    ("/my/invoices/pay/done", "Pagamento"),
    ("/my/order/review", "Contratar"),
    ("/payment/status", "Pagamento"),
    ("/payment/moip/boleto", "Boleto"),
)


def _shade(color, factor):
    """``color`` (#rrggbb) with its lightness times ``factor``: the hover / active shades
    Bootstrap derives from a brand colour."""
    red, green, blue = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    red, green, blue = colorsys.hls_to_rgb(hue, max(0.0, min(1.0, lightness * factor)), saturation)
    return "#" + "".join(f"{round(c * 255):02x}" for c in (red, green, blue))


def _rgb(color):
    return ",".join(str(int(color[i:i + 2], 16)) for i in (1, 3, 5))


class ResCompany(models.Model):
    _inherit = "res.company"

    # Odoo's favicon is the website builder's (website.favicon): this addon has no website.
    meusite_icon = fields.Image(
        string="Icon",
        max_width=128,
        max_height=128,
        help="The company's square icon, shown in the browser's tab on the client area's "
        "pages (favicon). Without one, the logo is used.",
    )

    # What the brand's <head> reads, fields by which it is cached.
    BRAND_FIELDS = ("meusite_icon", "logo", "primary_color", "secondary_color")

    def write(self, vals):
        res = super().write(vals)
        if any(field in vals for field in self.BRAND_FIELDS):
            self.env.registry.clear_cache()  # _meusite_brand_head
        return res

    @tools.ormcache("self.id")
    def _meusite_brand_head(self):
        """(favicon, CSS) of the client area's pages, computed once per company and
        process: every page shows them (the icon is an image read from the filestore)."""
        return self._meusite_favicon(), self._meusite_brand_css()

    def _meusite_page_title(self, page_name=None, path=None, title=None):
        """The browser tab's title of a client-area page: "Faturas · Meu Site Expresso"."""
        self.ensure_one()
        name = title or PAGE_TITLES.get(page_name)
        if not name and path:
            name = next((label for end, label in PATH_TITLES if path.endswith(end)), None)
        return f"{name} · {self.name}" if name else self.name

    def _meusite_favicon(self):
        """The tab's icon: the company's icon, else its logo (a data URI, no route to open
        to visitors), else False (Odoo's)."""
        self.ensure_one()
        image = self.meusite_icon or self.logo
        return image_data_uri(image) if image else False

    def _meusite_brand_css(self):
        """The client area in the company's colours (Odoo's res.company.primary_color and
        secondary_color, the document layout's): Bootstrap's primary (buttons, links,
        badges, pagination, checked inputs) and an accent under the menu. Empty without a
        primary colour."""
        self.ensure_one()
        primary = self.primary_color if HEX_COLOR.fullmatch(self.primary_color or "") else None
        if not primary:
            return ""
        secondary = (self.secondary_color
                     if HEX_COLOR.fullmatch(self.secondary_color or "") else primary)
        dark, darker = _shade(primary, 0.85), _shade(primary, 0.75)
        css = f"""
:root {{ --primary: {primary}; --primary-rgb: {_rgb(primary)};
  --link-color: {primary}; --link-color-rgb: {_rgb(primary)};
  --link-hover-color: {dark}; --link-hover-color-rgb: {_rgb(dark)};
  --o-meusite-accent: {secondary}; }}
.btn-primary {{ --btn-bg: {primary}; --btn-border-color: {primary};
  --btn-color: #fff; --btn-hover-color: #fff; --btn-active-color: #fff;
  --btn-hover-bg: {dark}; --btn-hover-border-color: {dark};
  --btn-active-bg: {darker}; --btn-active-border-color: {darker};
  --btn-disabled-bg: {primary}; --btn-disabled-border-color: {primary};
  --btn-focus-shadow-rgb: {_rgb(primary)}; }}
.btn-outline-primary {{ --btn-color: {primary}; --btn-border-color: {primary};
  --btn-hover-bg: {primary}; --btn-hover-border-color: {primary};
  --btn-active-bg: {darker}; --btn-active-border-color: {darker};
  --btn-hover-color: #fff; --btn-active-color: #fff; }}
.btn-link {{ --btn-color: {primary}; --btn-hover-color: {dark};
  --btn-active-color: {darker}; }}
.text-primary {{ color: {primary} !important; }}
.bg-primary, .text-bg-primary {{ background-color: {primary} !important; color: #fff !important; }}
.border-primary {{ border-color: {primary} !important; }}
.nav-pills {{ --nav-pills-link-active-bg: {primary}; }}
.nav-link {{ --nav-link-hover-color: {dark}; }}
.pagination {{ --pagination-color: {primary}; --pagination-active-bg: {primary};
  --pagination-active-border-color: {primary}; --pagination-hover-color: {dark}; }}
.dropdown-menu {{ --dropdown-link-active-bg: {primary}; }}
.list-group {{ --list-group-active-bg: {primary}; --list-group-active-border-color: {primary}; }}
.form-check-input:checked {{ background-color: {primary}; border-color: {primary}; }}
.form-control:focus, .form-select:focus, .form-check-input:focus {{ border-color: {primary};
  box-shadow: 0 0 0 0.25rem rgba({_rgb(primary)}, 0.25); }}
#wrapwrap > header {{ border-bottom: 3px solid {secondary}; }}
"""
        # Only #rrggbb colours reach the text: nothing a form could inject.
        return Markup(css)
