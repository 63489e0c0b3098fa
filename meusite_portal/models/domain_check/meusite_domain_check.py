import logging
import re
import threading
import time

import idna
import requests

from odoo import api, models

_logger = logging.getLogger(__name__)

RESULT_TTL = 300
BOOTSTRAP_TTL = 24 * 3600
LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
TLD_RE = re.compile(r"^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$")

# Process-wide caches: RDAP servers ask clients to go easy on them, and one customer
# clicking twice should not cost two lookups. Keys carry the database name.
_lock = threading.Lock()
_results = {}
_bootstrap = {}


def clear_caches():
    """Forget cached answers and bootstrap data (tests)."""
    with _lock:
        _results.clear()
        _bootstrap.clear()


class MeusiteDomainCheck(models.AbstractModel):
    """Is a domain name free to register? Asked over RDAP.

    ``.br`` names go to registro.br's RDAP server, other TLDs to the server the IANA
    bootstrap file names. 404 means nobody holds the name, 200 that somebody does;
    anything else (timeout, 5xx, unknown TLD) means we cannot tell now.
    """

    _name = "meusite.domain.check"
    _description = "Domain availability check"

    @api.model
    def _param(self, key):
        return self.env["ir.config_parameter"]._meusite_get_param(f"meusite_portal.{key}")

    @api.model
    def _normalize(self, name):
        """:return: (ASCII domain, None) or (None, message for the customer)"""
        name = (name or "").strip().lower()
        # One trailing dot is the DNS root ("exemplo.com."); more is a typo.
        name = name[:-1] if name.endswith(".") and not name.endswith("..") else name
        if not name:
            return None, self.env._("Type a domain name, e.g. seudominio.com.br.")
        if "://" in name or "/" in name or "@" in name or ":" in name:
            return None, self.env._(
                "Type only the domain name, without http://, slashes or e-mail.")
        if re.search(r"\s", name):
            return None, self.env._("A domain name has no spaces.")
        if len(name) > 253:
            return None, self.env._("A domain name has at most 253 characters.")
        labels = name.split(".")
        if any(not label for label in labels):
            return None, self.env._("The name has an empty part between dots.")
        if len(labels) < 2:
            return None, self.env._("Include the extension, e.g. seudominio.com.br.")
        try:
            ascii_name = idna.encode(name, uts46=True).decode()
        except (idna.IDNAError, UnicodeError):
            return None, self.env._("This is not a valid domain name.")
        ascii_labels = ascii_name.split(".")
        if len(ascii_name) > 253 or not all(LABEL_RE.match(lab) for lab in ascii_labels):
            return None, self.env._("This is not a valid domain name.")
        if not TLD_RE.match(ascii_labels[-1]):
            return None, self.env._("This is not a valid domain name.")
        return ascii_name, None

    @api.model
    def _allow(self, keys):
        """One-minute sliding window per key (session, IP), shared by every worker."""
        limit = int(self._param("domain_check_per_minute"))
        return self.env["meusite.rate.limit"].sudo()._allow(keys, limit)

    @api.model
    def _get(self, url):
        timeout = float(self._param("rdap_timeout"))
        return requests.get(url, timeout=(timeout, timeout),
                            headers={"Accept": "application/rdap+json, application/json"})

    @api.model
    def _rdap_base_url(self, ascii_name):
        tld = ascii_name.rsplit(".", 1)[-1]
        if tld == "br":
            return self._param("rdap_br_url")
        url = self._param("rdap_bootstrap_url")
        with _lock:
            cached = _bootstrap.get(url)
        if not cached or cached[0] < time.monotonic():
            response = self._get(url)
            response.raise_for_status()
            services = {}
            for tlds, urls in response.json().get("services", []):
                https = [u for u in urls if u.startswith("https://")] or urls
                for entry in tlds:
                    services[entry.lower()] = https[0]
            cached = (time.monotonic() + BOOTSTRAP_TTL, services)
            with _lock:
                _bootstrap[url] = cached
        return cached[1].get(tld)

    @api.model
    def _lookup(self, ascii_name, fresh=False):
        """:return: 'available', 'registered' or 'unknown' (no exception).

        :param fresh: ask the server even if a recent answer is cached (an order must not
                      rely on an answer that may be minutes old)."""
        try:
            base = self._rdap_base_url(ascii_name)
            if not base:
                return "unknown"
            key = (self.env.cr.dbname, base, ascii_name)
            with _lock:
                cached = _results.get(key)
            if cached and cached[0] > time.monotonic() and not fresh:
                return cached[1]
            response = self._get(f"{base.rstrip('/')}/domain/{ascii_name}")
        except (requests.RequestException, ValueError, TypeError, AttributeError) as e:
            # Unreachable, slow, or answering nonsense: the customer just tries later.
            _logger.info("RDAP lookup of %s failed: %s", ascii_name, e)
            return "unknown"
        state = {404: "available", 200: "registered"}.get(response.status_code, "unknown")
        if state != "unknown":
            with _lock:
                _results[key] = (time.monotonic() + RESULT_TTL, state)
        return state

    @api.model
    def _meusite_check(self, name, rate_keys=(), fresh=False):
        """Answer for the customer.

        :return: dict(state, domain, message); state in 'invalid', 'throttled',
                 'available', 'registered', 'unknown'
        """
        ascii_name, error = self._normalize(name)
        if error:
            return {"state": "invalid", "domain": name, "message": error}
        if rate_keys and not self._allow(rate_keys):
            return {"state": "throttled", "domain": ascii_name, "message": self.env._(
                "Too many checks in a short time. Wait a minute and try again.")}
        state = self._lookup(ascii_name, fresh=fresh)
        if state == "available":
            message = self.env._("%(domain)s is available.", domain=ascii_name)
        elif state == "registered":
            message = self.env._("%(domain)s is unavailable (registered).", domain=ascii_name)
        else:
            message = self.env._(
                "It was not possible to check %(domain)s now. Try again in a few minutes.",
                domain=ascii_name)
        return {"state": state, "domain": ascii_name, "message": message}
