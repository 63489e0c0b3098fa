import io
import zipfile

from PIL import Image

from odoo.tests import new_test_user

from odoo.addons.meusite_portal.tests.common import (  # noqa: F401 - this addon's tests use them
    CAPTCHA_ANSWER,
    known_captcha,
    make_portal_user,
)


def make_image(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


PNG = make_image("PNG")
JPG = make_image("JPEG")
GIF = make_image("GIF")
BROKEN_PNG = b"\x89PNG\r\n\x1a\n" + b"\xc6garbage" * 16
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def make_zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


DOCX = make_zip(["[Content_Types].xml", "word/document.xml"])
ZIP_NOT_DOCX = make_zip(["setup.exe"])


class HelpdeskFixture:
    """Departments with staff, and two unrelated customers with portal logins."""

    @classmethod
    def setup_helpdesk_fixture(cls):
        env = cls.env
        cls.suporte = env.ref("meusite_helpdesk.team_suporte")
        cls.financeiro = env.ref("meusite_helpdesk.team_financeiro")
        cls.staff_a = new_test_user(
            env, login="staff_a", password="equipe-ana", name="Ana Staff",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.staff_b = new_test_user(
            env, login="staff_b", name="Bruno Staff",
            groups="base.group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.financeiro.write({
            "user_ids": [(6, 0, (cls.staff_a | cls.staff_b).ids)],
            "user_id": cls.staff_a.id,
        })
        cls.customer_user = env.ref("meusite_portal.demo_customer_user")
        cls.customer = cls.customer_user.partner_id
        cls.other_user = make_portal_user(env, "outro", "Outro Cliente", "outro-cliente")
        cls.other = cls.other_user.partner_id

    @classmethod
    def make_ticket(cls, partner, team=None, **values):
        vals = {
            "name": values.pop("name", "Site fora do ar"),
            "description": "<p>Meu site não abre.</p>",
            "partner_id": partner.id,
            "team_id": (team or cls.suporte).id,
        }
        vals.update(values)
        return cls.env["helpdesk.ticket"].create(vals)
