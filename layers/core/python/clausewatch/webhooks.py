"""Alerts where teams work: Slack and Microsoft Teams incoming webhooks and generic outbound
webhooks, pure. Generic deliveries are signed: ``X-Clausewatch-Signature: t=<unix time>,v1=<hex>``
where ``v1`` is HMAC-SHA256 of ``"<t>.<body>"`` with the subscription's secret (the receiver checks
the time is recent and compares in constant time: ``verify``)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

KINDS = ("slack", "teams", "generic")
EVENT_TYPES = ("reminder.due", "obligation.overdue", "sla.breach", "invoice.finding",
               "renewal.decision_needed", "renewal.decided")
SIGNATURE_HEADER = "X-Clausewatch-Signature"
EVENT_HEADER = "X-Clausewatch-Event"
TOLERANCE_SECONDS = 300
MAX_CONSECUTIVE_FAILURES = 5  # failed tries in a row (no success between) ...
FAILING_FOR_SECONDS = 3600  # ... over at least this long: then the subscription is disabled, its creator told
RUN_GAP_SECONDS = 3600  # a failure this long after the one before starts a new run (an outage ended unseen)
EVENTS_GIVEN_UP_TO_DISABLE = 3  # events whose every try failed, no success between, ...
GIVEN_UP_OVER_SECONDS = 24 * 3600  # ... the first at least this long before the last: disabled too


@dataclass(frozen=True)
class Event:
    """Something a team wants to hear about: ``id`` is stable for the same fact (a redelivered
    notification makes the same id, and a subscription receives it once)."""

    id: str
    type: str
    created: str  # ISO time
    summary: str  # one line a person reads in a channel
    data: dict[str, Any]
    link: str | None = None


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def event_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: the signature matches and its time is within ``tolerance`` of now."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def validate_url(url: str, *, allow_loopback_http: bool = False) -> str:
    """HTTPS to a public host; plain HTTP only to this machine when ``allow_loopback_http`` (the
    embedded default). ValueError says what is wrong."""
    parts = urlsplit(url.strip())
    host = parts.hostname or ""
    if not host:
        raise ValueError("the URL has no host")
    loopback = host in ("localhost", "127.0.0.1", "::1")
    if parts.scheme == "http" and loopback and allow_loopback_http:
        return url.strip()
    if parts.scheme != "https":
        raise ValueError("webhook URLs must use https")
    numeric = all(re.fullmatch(r"0x[0-9a-f]*|\d+", label, re.IGNORECASE) for label in host.rstrip(".").split("."))
    if host.rstrip(".") == "localhost" or _is_ip(host, lambda ip: not ip.is_global) or numeric:
        # a private, loopback or link-local address, or a number written as a host ("127.1",
        # "2130706433", "0x7f000001") that a resolver would read as one
        raise ValueError("webhook URLs must name a public host")
    return url.strip()


def public_addresses(host: str, port: int = 443) -> list[str]:
    """The host's addresses, all public, at the time of sending (a name that resolves to a private
    address is refused then: checking the name when subscribing is not enough). ValueError says why."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise ValueError(f"{host} does not resolve: {exc}") from None
    addresses = sorted({str(info[4][0]) for info in infos})
    private = [a for a in addresses if not ipaddress.ip_address(a.split("%")[0]).is_global]
    if not addresses or private:
        raise ValueError(f"{host} resolves to a non-public address ({', '.join(private) or 'none'})")
    return addresses


def _is_ip(host: str, test) -> bool:
    try:
        return bool(test(ipaddress.ip_address(host)))
    except ValueError:
        return False


def backoff_seconds(attempt: int) -> int:
    """Seconds before the next try after ``attempt`` failed tries: 30 s doubling, at most 15 min."""
    return min(900, 30 * 2 ** max(0, attempt - 1))


def failure_run(consecutive_failures: int, failing_since: datetime | None, last_failure_at: datetime | None,
                now: datetime) -> tuple[int, datetime]:
    """The run of failures once one more happens ``now``: (tries, since when). A run continues
    while each failure follows the one before within RUN_GAP_SECONDS with no success between;
    after a longer quiet (the outage ended, no event was sent to show it) a new run starts."""
    if failing_since is None or last_failure_at is None or \
            (now - last_failure_at).total_seconds() > RUN_GAP_SECONDS:
        return 1, now
    return consecutive_failures + 1, failing_since


def should_disable(consecutive_failures: int, failing_since: datetime | None, now: datetime,
                   given_up: int = 0, given_up_since: datetime | None = None) -> bool:
    """Whether a subscription's failures in a row disable it: at least MAX_CONSECUTIVE_FAILURES
    tries with no success between, the first at least FAILING_FOR_SECONDS ago; or, for an endpoint
    whose events are rarer than a run lasts (one a day to a revoked Slack URL), at least
    EVENTS_GIVEN_UP_TO_DISABLE events whose every try failed (``given_up``), no success between,
    the first of them at least GIVEN_UP_OVER_SECONDS before ``now``. A blip (a receiver restarting,
    a few events failing in the same minute, one event given up after a 15-minute outage) never
    disables a team's channel; an endpoint down for an hour while events keep coming, or failing
    every event for days, does."""
    if (consecutive_failures >= MAX_CONSECUTIVE_FAILURES and failing_since is not None
            and (now - failing_since).total_seconds() >= FAILING_FOR_SECONDS):
        return True
    return (given_up >= EVENTS_GIVEN_UP_TO_DISABLE and given_up_since is not None
            and (now - given_up_since).total_seconds() >= GIVEN_UP_OVER_SECONDS)


def body_for(kind: str, event: Event) -> dict[str, Any]:
    """What each kind of endpoint expects: Slack's ``text`` (mrkdwn: the summary, the arithmetic,
    the link), a Teams message with an Adaptive Card, or our own envelope."""
    if kind == "slack":
        text = f"*{_escape_slack(event.summary)}*"
        if event.data.get("derivation"):  # the arithmetic, as the Teams card and the emails give it
            text += f"\n{_escape_slack(str(event.data['derivation']))}"
        if event.link:
            text += f"\n<{event.link}|Open in clausewatch>"
        return {"text": text}
    if kind == "teams":
        card: dict[str, Any] = {
            "type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "version": "1.4",
            "body": [{"type": "TextBlock", "text": event.summary, "wrap": True, "weight": "Bolder"}]
            + [{"type": "TextBlock", "text": str(line), "wrap": True, "isSubtle": True}
               for line in (event.data.get("derivation"),) if line],
            "actions": [{"type": "Action.OpenUrl", "title": "Open in clausewatch", "url": event.link}]
            if event.link else []}
        return {"type": "message", "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]}
    if kind == "generic":
        return {"id": event.id, "type": event.type, "created": event.created, "summary": event.summary,
                "link": event.link, "data": event.data}
    raise ValueError(f"kind must be one of {', '.join(KINDS)}")


def _escape_slack(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def request_for(kind: str, event: Event, secret: str | None, now: int) -> tuple[bytes, dict[str, str]]:
    """The body and headers of one delivery (generic ones signed)."""
    body = json.dumps(body_for(kind, event), separators=(",", ":"), sort_keys=True).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "clausewatch-webhooks/1", EVENT_HEADER: event.type}
    if kind == "generic":
        if not secret:
            raise ValueError("a generic webhook needs its secret")
        headers[SIGNATURE_HEADER] = sign(secret, now, body)
    return body, headers
