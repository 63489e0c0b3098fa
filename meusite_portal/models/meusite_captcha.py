import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# No 0/O, 1/I/L: customers should not lose a form to a glyph that reads two ways.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6
DEFAULT_TTL_MINUTES = 10


class MeusiteCaptcha(models.Model):
    """A self-hosted image captcha, shared by the client-area forms.

    Usage from a form: render ``meusite_portal.captcha_field`` inside the ``<form>``
    (it creates a challenge when the caller passes no ``captcha_token``); on POST call
    ``env["meusite.captcha"]._check(token, answer, purpose)``, which raises a
    ``UserError`` with a Portuguese message on a wrong, expired or reused answer.
    A challenge is consumed by its first check, right or wrong.
    """

    _name = "meusite.captcha"
    _description = "Captcha challenge"
    _log_access = False

    token = fields.Char(required=True, index=True, readonly=True)
    answer = fields.Char(required=True, readonly=True)
    purpose = fields.Char(readonly=True)
    expires_at = fields.Datetime(required=True, index=True, readonly=True)
    used = fields.Boolean(readonly=True, default=False)

    _sql_constraints = [("token_unique", "unique(token)", "Captcha tokens are unique.")]

    @api.model
    def _random_text(self):
        return "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))

    @api.model
    def _ttl(self):
        param = self.env["ir.config_parameter"].sudo().get_param(
            "meusite_portal.captcha_ttl_minutes"
        )
        return timedelta(minutes=int(param or DEFAULT_TTL_MINUTES))

    @api.model
    def _new_challenge(self, purpose=""):
        """Create a challenge and return its token (what the page embeds)."""
        token = secrets.token_urlsafe(24)
        self.sudo().create({
            "token": token,
            "answer": self._random_text(),
            "purpose": purpose,
            "expires_at": fields.Datetime.now() + self._ttl(),
        })
        return token

    @api.model
    def _image(self, token):
        """PNG bytes of a live challenge, or None."""
        from captcha.image import ImageCaptcha  # noqa: PLC0415 - only form pages need it

        challenge = self.sudo().search(
            [("token", "=", token or ""), ("used", "=", False),
             ("expires_at", ">", fields.Datetime.now())],
            limit=1,
        )
        if not challenge:
            return None
        return ImageCaptcha(width=180, height=60).generate(challenge.answer).getvalue()

    @api.model
    def _check(self, token, answer, purpose=""):
        # Consume in one statement so two concurrent posts can't both use a challenge.
        self.flush_model()
        self.env.cr.execute(
            """UPDATE meusite_captcha SET used = true
                WHERE token = %s AND used IS NOT TRUE AND coalesce(purpose, '') = %s
            RETURNING answer, expires_at""",
            (token or "", purpose or ""),
        )
        row = self.env.cr.fetchone()
        self.invalidate_model(["used"])
        if not row:
            raise UserError(self.env._("This verification code was already used or is unknown. "
                              "Type the characters of the new image."))
        expected, expires_at = row
        if expires_at <= fields.Datetime.now():
            raise UserError(
                self.env._("The verification code expired. Type the characters of the new image.")
            )
        if (answer or "").strip().upper() != expected:
            raise UserError(self.env._("The characters typed do not match the image. Try again."))
        return True

    @api.autovacuum
    def _gc_expired(self):
        limit = fields.Datetime.now() - timedelta(hours=1)
        self.sudo().search([("expires_at", "<", limit)]).unlink()
