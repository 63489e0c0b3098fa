import functools
import io
import logging
import os
import re
import subprocess

import lxml.html
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from odoo import api, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from ...private_api import wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

# The footer is drawn in the font the report's text uses (report_invoice_templates.xml):
# a font file the PDF embeds, so the footer is text too. Debian's fonts-dejavu-core.
FOOTER_FONT = "MeusiteDejaVuSans"
FOOTER_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
# Where Odoo's layouts mark the page numbers in their footer (filled by its subst() script
# on a patched-Qt build).
PAGE_MARK, TOPAGE_MARK = "\ue000page\ue000", "\ue000topage\ue000"


@functools.cache
def wkhtmltopdf_draws_header_footer():
    """Whether this machine's wkhtmltopdf renders Odoo's separate header and footer pages:
    only the build with wkhtmltopdf's patched Qt does ("wkhtmltopdf 0.12.6 (with patched
    qt)"); Debian's (unpatched Qt) ignores --header-html / --footer-html."""
    try:
        version = subprocess.run(
            [wkhtmltopdf_bin(), "--version"], capture_output=True, text=True, timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True  # no wkhtmltopdf: Odoo renders nothing, there is nothing to draw on
    return "patched qt" in version.lower()


@functools.cache
def _footer_font():
    for path in FOOTER_FONT_FILES:
        if os.path.exists(path):
            pdfmetrics.registerFont(TTFont(FOOTER_FONT, path))
            return FOOTER_FONT
    return "Helvetica"  # a standard PDF font: still text, not embedded


def footer_lines(footer_html):
    """The lines of the first footer of Odoo's footer page (``_prepare_html``'s), with the
    page numbers as ``PAGE_MARK`` / ``TOPAGE_MARK``: each element of class
    ``o_report_footer_line`` is a line (our documents' layout), else the whole footer is."""
    root = lxml.html.fromstring(footer_html)
    footers = root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' footer ')]")
    if not footers:
        return []
    footer = footers[0]
    for mark, klass in ((PAGE_MARK, "page"), (TOPAGE_MARK, "topage")):
        for span in footer.xpath(f".//span[contains(concat(' ', @class, ' '), ' {klass} ')]"):
            span.text = mark
    nodes = footer.xpath(".//*[contains(concat(' ', @class, ' '), ' o_report_footer_line ')]")
    lines = [re.sub(r"\s+", " ", " ".join(node.itertext())).strip() for node in nodes or [footer]]
    return [line for line in lines if line]


def stamp_footer(pdf, lines):
    """Draw ``lines`` at the foot of every page of ``pdf``, with its page number and the
    page count where the lines mark them."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    count = len(reader.pages)
    font = _footer_font()
    writer = PdfFileWriter()
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        overlay = io.BytesIO()
        drawing = canvas.Canvas(
            overlay, pagesize=(width, height), initialFontName=font, initialFontSize=7.5
        )
        drawing.setFillGray(0.35)
        drawing.setStrokeGray(0.75)
        top = 8 * mm + 10 * len(lines)
        drawing.line(15 * mm, top, width - 15 * mm, top)
        drawing.setFont(font, 7.5)
        y = top - 10
        for line in lines:
            text = line.replace(PAGE_MARK, str(number)).replace(TOPAGE_MARK, str(count))
            drawing.drawCentredString(width / 2, y, text)
            y -= 10
        drawing.save()
        page.merge_page(PdfFileReader(overlay, strict=False).pages[0])
        writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _run_wkhtmltopdf(self, bodies, report_ref=False, header=None, footer=None,
                         landscape=False, specific_paperformat_args=None,
                         set_viewport_size=False):
        """Debian's wkhtmltopdf (unpatched Qt) ignores Odoo's footer page: every PDF then
        went out without its footer and page numbers. Draw the footer's text on each page
        of the PDF it made (the header's content is on the page itself in our documents'
        layout, views/invoices/report_invoice_templates.xml)."""
        pdf = super()._run_wkhtmltopdf(
            bodies, report_ref=report_ref, header=header, footer=footer, landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if footer and not wkhtmltopdf_draws_header_footer():
            lines = footer_lines(footer)
            if lines:
                pdf = stamp_footer(pdf, lines)
        return pdf
