from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ...private_api import query_rows, run_sql


class MeusiteRateLimit(models.Model):
    """Recent attempts per key (an IP address, a session), in the database.

    A counter in one process's memory would let each worker - and each server behind the
    proxy - allow the limit again; rows in the shared database hold across all of them.
    One row per attempt gives an exact sliding window; the autovacuum forgets old rows.
    """

    _name = "meusite.rate.limit"
    _description = "Rate-limited attempt"
    _log_access = False

    key = fields.Char(required=True, index=True, readonly=True)
    at = fields.Datetime(required=True, index=True, readonly=True)

    @api.model
    def _allow(self, keys, limit, seconds=60):
        """Record one attempt for each key unless one of them already had ``limit``
        attempts in the last ``seconds``; return whether the attempt is allowed."""
        keys = [key for key in keys if key]
        if not keys or limit <= 0:
            return limit > 0
        now = fields.Datetime.now()
        rows = query_rows(self.env, SQL(
            """SELECT COUNT(*) FROM meusite_rate_limit
                WHERE key IN %s AND at > %s GROUP BY key ORDER BY COUNT(*) DESC LIMIT 1""",
            tuple(keys), now - timedelta(seconds=seconds),
        ))
        if rows and rows[0][0] >= limit:
            return False
        run_sql(self.env, SQL(
            "INSERT INTO meusite_rate_limit (key, at) VALUES %s",
            SQL(", ").join(SQL("(%s, %s)", key, now) for key in keys),
        ))
        return True

    @api.autovacuum
    def _gc_old_attempts(self):
        run_sql(self.env, SQL(
            "DELETE FROM meusite_rate_limit WHERE at < %s",
            fields.Datetime.now() - timedelta(days=1),
        ))
