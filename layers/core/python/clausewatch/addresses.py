"""Email addresses that come from uploaders (the ``owner`` metadata, an API owner change): each
one parsed with the standard library's RFC 5322 parser, exactly one address, no CR/LF, ASCII only
(SES sends no SMTPUTF8), and, when a deployment says so, only in its allowed recipient domains
(``CLAUSEWATCH_ALLOWED_RECIPIENT_DOMAINS="example.com,example.org"``; a sub-domain of one counts).

Pure: values in, values out; the allowed domains are read from the environment only by
``allowed_domains_from_env``.
"""

from __future__ import annotations

import os
import re
from email.utils import getaddresses

ENV_ALLOWED_RECIPIENT_DOMAINS = "CLAUSEWATCH_ALLOWED_RECIPIENT_DOMAINS"

# local part: RFC 5322 dot-atom (no quoted strings: no mail system here needs them); domain: LDH
# labels with at least one dot
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDR_SPEC = re.compile(rf"{_LOCAL}@(?:{_LABEL}\.)+{_LABEL}")


class InvalidAddress(ValueError):
    """An address refused, with the reason in words."""


def allowed_domains_from_env(environ: dict[str, str] | None = None) -> tuple[str, ...]:
    env = os.environ if environ is None else environ
    raw = env.get(ENV_ALLOWED_RECIPIENT_DOMAINS, "")
    return tuple(d.strip().lower().lstrip("@") for d in raw.split(",") if d.strip())


def domain_allowed(domain: str, allowed: tuple[str, ...]) -> bool:
    domain = domain.lower()
    return not allowed or any(domain == d or domain.endswith("." + d) for d in allowed)


def parse_one_address(raw: str, allowed_domains: tuple[str, ...] = ()) -> str:
    """The one address in ``raw`` (``"Priya <priya@example.com>"`` -> ``priya@example.com``),
    lower-cased domain; raises InvalidAddress saying why it is refused."""
    if not isinstance(raw, str):
        raise InvalidAddress(f"{raw!r} is not text")
    if any(ch in raw for ch in "\r\n\0"):
        raise InvalidAddress("contains a line break or NUL (header injection)")
    text = raw.strip()
    if not text:
        raise InvalidAddress("is empty")
    if not text.isascii():
        raise InvalidAddress(f"{text!r} has non-ASCII characters (internationalised addresses are not sent)")
    parsed = [(name, addr) for name, addr in getaddresses([text]) if name or addr]
    if len(parsed) != 1 or text.count("@") != 1:
        raise InvalidAddress(f"{text!r} is not exactly one address")
    _, addr = parsed[0]
    if not _ADDR_SPEC.fullmatch(addr or ""):
        raise InvalidAddress(f"{text!r} is not a valid address")
    local, domain = addr.rsplit("@", 1)
    if not domain_allowed(domain, allowed_domains):
        raise InvalidAddress(f"{addr!r} is outside the allowed recipient domains "
                             f"({', '.join(allowed_domains)})")
    return f"{local}@{domain.lower()}"


def clean_address(address: str | None) -> str | None:
    """The one valid address in ``address``, else None: a stored value that is not exactly one
    address (written before intake validated them, or by hand) never becomes a recipient list."""
    address = (address or "").strip()
    if not address:
        return None
    try:
        return parse_one_address(address, allowed_domains_from_env())
    except InvalidAddress:
        return None
