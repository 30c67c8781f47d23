"""Decision links: a short signed, expiring, single-use token that names a contract term's
waiting decision, never the Step Functions task token. The API maps it to the stored task token:
its nonce must still be the record's (a decision, or a newer link, retires it)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

SECRET_NAME = "decision-links"
_MAC_BYTES = 12


class BadDecisionToken(ValueError):
    """Malformed, forged or expired (the message says which, without echoing the token)."""


@dataclass(frozen=True)
class DecisionClaim:
    contract_id: str
    term_end: str
    nonce: str
    expires: datetime


def new_nonce() -> str:
    return secrets.token_urlsafe(9)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(key: bytes, contract_id: str, term_end: str, nonce: str, expires: datetime) -> str:
    body = f"{contract_id}|{term_end}|{nonce}|{int(expires.timestamp())}".encode()
    mac = hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]
    return f"{_b64(body)}.{_b64(mac)}"


def verify(key: bytes, token: str, now: datetime) -> DecisionClaim:
    """The claim the token makes, if it is ours and not expired (single use is the caller's check
    against the stored nonce)."""
    try:
        body_text, mac_text = token.split(".", 1)
        body, mac = _unb64(body_text), _unb64(mac_text)
    except ValueError as exc:  # binascii.Error is one
        raise BadDecisionToken("malformed decision token") from exc
    if not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]):
        raise BadDecisionToken("decision token not signed by this deployment")
    try:  # signed by us: well formed
        contract_id, term_end, nonce, expires = body.decode().split("|")
        expires_at = datetime.fromtimestamp(int(expires), UTC)
    except (ValueError, UnicodeDecodeError, OverflowError, OSError) as exc:
        raise BadDecisionToken("malformed decision token") from exc
    if now >= expires_at:
        raise BadDecisionToken(f"decision link expired at {expires_at.isoformat()}")
    return DecisionClaim(contract_id, term_end, nonce, expires_at)
