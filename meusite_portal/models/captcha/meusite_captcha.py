import calendar
import secrets
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import consteq
from odoo.tools.misc import hmac as odoo_hmac

from ...const import CAPTCHA_TTL_PARAM
from ...private_api import query_rows, run_sql

# No 0/O, 1/I/L: customers should not lose a form to a glyph that reads two ways.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


class MeusiteCaptcha(models.Model):
    """A self-hosted image captcha, shared by the client-area and the public forms.

    A challenge is *stateless*: its token carries the answer encrypted and signed with the
    database secret, its purpose and its expiry, so rendering a form writes nothing (a GET
    changes nothing, and a bot requesting the sign-up page a million times fills no table).
    The only row is written when a challenge is *answered*: its nonce, whose unique index
    makes a challenge usable once, across workers and servers sharing the database.

    Usage from a form: render ``meusite_portal.captcha_field`` inside the ``<form>``
    (it makes a challenge when the caller passes no ``captcha_token``); on POST call
    ``env["meusite.captcha"]._check(token, answer, purpose)``, which raises a
    ``UserError`` with a Portuguese message on a wrong, expired or reused answer.
    A challenge is consumed by its first check, right or wrong.
    """

    _name = "meusite.captcha"
    _description = "Answered captcha challenge"
    _log_access = False

    token = fields.Char(string="Nonce", required=True, readonly=True)
    expires_at = fields.Datetime(required=True, index=True, readonly=True)

    _sql_constraints = [("token_unique", "unique(token)", "A challenge is answered once.")]

    @api.model
    def _random_text(self):
        return "".join(secrets.choice(ALPHABET) for _i in range(LENGTH))

    @api.model
    def _ttl(self):
        param = self.env["ir.config_parameter"]._meusite_get_param(CAPTCHA_TTL_PARAM)
        return timedelta(minutes=int(param))

    def _crypt(self, nonce, data):
        """XOR ``data`` (at most 32 bytes) with a key stream only the server can make."""
        stream = bytes.fromhex(odoo_hmac(self.env(su=True), "meusite-captcha-answer", nonce))
        return bytes(d ^ k for d, k in zip(data, stream[: len(data)], strict=True))

    def _signature(self, nonce, expiry, purpose, cipher):
        message = f"{nonce}.{expiry}.{purpose}.{cipher}"
        return odoo_hmac(self.env(su=True), "meusite-captcha", message)

    @api.model
    def _new_challenge(self, purpose="", expires_at=None):
        """Return the token of a new challenge (what the page embeds). Writes nothing."""
        nonce = secrets.token_urlsafe(12)
        expires_at = expires_at or fields.Datetime.now() + self._ttl()
        expiry = f"{calendar.timegm(expires_at.utctimetuple()):x}"
        cipher = self._crypt(nonce, self._random_text().encode()).hex()
        purpose = purpose or ""
        signature = self._signature(nonce, expiry, purpose, cipher)
        return f"{nonce}.{expiry}.{purpose}.{cipher}.{signature}"

    @api.model
    def _open(self, token, purpose=None):
        """(nonce, expires_at, answer) of a genuine token (of this purpose, when given),
        or None."""
        try:
            nonce, expiry, token_purpose, cipher, signature = (token or "").split(".")
            cipher_bytes = bytes.fromhex(cipher)
            expires_at = datetime(1970, 1, 1) + timedelta(seconds=int(expiry, 16))
        except ValueError:
            return None
        if purpose is not None and token_purpose != (purpose or ""):
            return None
        if not 0 < len(cipher_bytes) <= 12 or not consteq(
            signature, self._signature(nonce, expiry, token_purpose, cipher)
        ):
            return None
        answer = self._crypt(nonce, cipher_bytes).decode(errors="replace")
        return nonce, expires_at, answer

    @api.model
    def _answered(self, nonce):
        return bool(self.sudo().search_count([("token", "=", nonce)], limit=1))

    @api.model
    def _image(self, token):
        """PNG bytes of a live, unanswered challenge, or None."""
        from captcha.image import ImageCaptcha  # noqa: PLC0415 - only form pages need it

        opened = self._open(token)
        if not opened or opened[1] <= fields.Datetime.now() or self._answered(opened[0]):
            return None
        return ImageCaptcha(width=180, height=60).generate(opened[2]).getvalue()

    @api.model
    def _check(self, token, answer, purpose=""):
        opened = self._open(token, purpose or "")
        consumed = False
        if opened:
            # Consume in one statement: two concurrent posts (any worker, any server) cannot
            # both use a challenge.
            consumed = bool(query_rows(self.env, SQL(
                """INSERT INTO meusite_captcha (token, expires_at) VALUES (%s, %s)
                   ON CONFLICT (token) DO NOTHING RETURNING id""",
                opened[0], opened[1],
            )))
        if not consumed:
            raise UserError(self.env._("This verification code was already used or is unknown. "
                                       "Type the characters of the new image."))
        __, expires_at, expected = opened
        if expires_at <= fields.Datetime.now():
            raise UserError(
                self.env._("The verification code expired. Type the characters of the new image.")
            )
        if (answer or "").strip().upper() != expected:
            raise UserError(self.env._("The characters typed do not match the image. Try again."))
        return True

    @api.autovacuum
    def _gc_expired(self):
        # An answered nonce only has to be remembered while its token could still be valid.
        run_sql(self.env, SQL(
            "DELETE FROM meusite_captcha WHERE expires_at < %s",
            fields.Datetime.now() - timedelta(hours=1),
        ))
