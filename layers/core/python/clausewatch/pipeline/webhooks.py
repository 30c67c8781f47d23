"""Publishing events to a team's webhooks and delivering them (the webhook λ). Each (subscription,
event) is one SQS message: a failed delivery is retried with backoff (the message's visibility),
then kept in the DLQ; a subscription failing ``MAX_CONSECUTIVE_FAILURES`` times in a row over at least
``FAILING_FOR_SECONDS`` is disabled and its creator is told by email (``webhooks.should_disable``). In the embedded default, deliveries to hosts other than this
machine are written as JSON to the outbox folder instead (nothing leaves the machine)."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import ssl
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import asdict
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

from .. import clock, config
from ..aws import email as ses
from ..aws.clients import client
from ..config import Settings
from ..store import repository as repo
from ..store import webhooks as store
from ..webhooks import (
    EVENT_TYPES,
    KINDS,
    Event,
    backoff_seconds,
    failure_run,
    new_secret,
    public_addresses,
    request_for,
    should_disable,
    validate_url,
)

log = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """This try failed; the queue tries again later (or keeps the message in its DLQ)."""


# --- subscriptions -------------------------------------------------------------------------------

def subscribe(settings: Settings, *, team: str, kind: str, url: str, events: list[str] | None, label: str | None,
              actor: str):
    """A new subscription; returns (item, secret shown once or None)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if events is not None and not events:
        raise ValueError("events: leave it out for every event type, or name at least one")
    unknown = sorted(set(events or []) - set(EVENT_TYPES))
    if unknown:
        raise ValueError(f"unknown event types {unknown}; known: {', '.join(EVENT_TYPES)}")
    url = validate_url(url, allow_loopback_http=bool(settings.webhook_outbox))
    secret = new_secret() if kind == "generic" else None
    item = store.create(uuid.uuid4().hex[:16], team=team, kind=kind, url=url, events=sorted(events or EVENT_TYPES),
                        secret=secret, label=label, actor=actor)
    return item, secret


def enable(item) -> None:
    item.disabled, item.disabled_reason, item.consecutive_failures = False, None, 0
    item.failing_since = item.last_failure_at = item.given_up_since = None
    item.given_up = 0
    item.save()


# --- publishing ----------------------------------------------------------------------------------

def publish(settings: Settings, team: str, event: Event) -> int:
    """Queue ``event`` for each of the team's enabled subscriptions to its type; returns how many."""
    if not settings.webhook_queue_url:
        return 0
    queued = 0
    for item in store.of_team(team):
        if item.disabled or event.type not in (item.events or []):
            continue
        client("sqs").send_message(QueueUrl=settings.webhook_queue_url,
                                   MessageBody=json.dumps({"webhook_id": item.webhook_id, "event": asdict(event)}))
        queued += 1
    return queued


def publish_quietly(settings: Settings, team: str, event: Event) -> int:
    """``publish`` for a caller whose own work is done (an email sent, findings recorded): a queue
    that cannot be reached is logged, never undoes that work."""
    try:
        return publish(settings, team, event)
    except (ClientError, BotoCoreError):
        log.exception("webhook publish failed", extra={"team": team, "event": event.type})
        return 0


# --- delivering ----------------------------------------------------------------------------------

def deliver(settings: Settings, message: dict[str, Any], attempt: int, receipt: str | None = None) -> str:
    """One try of one delivery. Returns what happened; raises DeliveryFailed to be tried again."""
    item = store.get(message["webhook_id"])
    event = Event(**message["event"])
    if item is None:
        return "subscription deleted"
    if store.was_sent(item.webhook_id, event.id):
        return "already delivered"
    if item.disabled:
        refused = f"subscription disabled ({item.disabled_reason}): kept for a redrive"
        if attempt >= config.WEBHOOK_MAX_ATTEMPTS:  # its last try: given up, recorded as any other
            _record_given_up(item, event, 0, refused, attempt)
        raise DeliveryFailed(refused)
    body, headers = request_for(item.kind, event, item.secret, int(clock.now().timestamp()))
    timeout = settings.webhook_timeout_seconds
    try:
        status = _send(settings, item, event, body, headers, timeout)
        error = None if 200 <= status < 300 else f"HTTP {status}"
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        status = 0
        error = (f"no answer within {timeout:g} s (timed out)" if isinstance(reason, TimeoutError)
                 else str(reason)[:300])
    if error is None:
        store.mark_sent(item.webhook_id, event.id, event.type, status)
        item.consecutive_failures, item.last_error, item.failing_since, item.last_failure_at = 0, None, None, None
        item.given_up, item.given_up_since = 0, None
        item.delivered = int(item.delivered or 0) + 1
        item.last_delivery_at = clock.iso()
        item.save()
        return f"delivered ({status})"
    now = clock.now()
    count, since = failure_run(int(item.consecutive_failures or 0), _when(item.failing_since),
                               _when(item.last_failure_at), now)
    item.consecutive_failures, item.failing_since = count, since.astimezone(UTC).isoformat(timespec="milliseconds")
    item.last_error, item.last_failure_at = error, clock.iso(now)
    if attempt >= config.WEBHOOK_MAX_ATTEMPTS and _record_given_up(item, event, status, error, attempt):
        # this event's last try: it waits in the DLQ (counted once: its last try delivered again is not another)
        item.given_up = int(item.given_up or 0) + 1
        item.given_up_since = item.given_up_since or clock.iso(now)
    by_run = should_disable(item.consecutive_failures, datetime.fromisoformat(item.failing_since), now)
    if by_run or should_disable(0, None, now, int(item.given_up or 0), _when(item.given_up_since)):
        item.disabled = True
        item.disabled_reason = (
            f"{item.consecutive_failures} failed deliveries in a row since "
            f"{item.failing_since[:16].replace('T', ' ')} UTC, the last: {error}" if by_run else
            f"{item.given_up} events in a row failed every try since "
            f"{(item.given_up_since or '')[:16].replace('T', ' ')} UTC, the last: {error}")
        item.save()
        _report_disabled(settings, item)
    else:
        item.save()
    if receipt and settings.webhook_queue_url:
        client("sqs").change_message_visibility(QueueUrl=settings.webhook_queue_url, ReceiptHandle=receipt,
                                                VisibilityTimeout=backoff_seconds(attempt))
    raise DeliveryFailed(f"{item.url}: {error} (try {attempt})")


def _record_given_up(item, event: Event, status: int, error: str, attempts: int) -> bool:
    """An event whose every try failed: the delivery record says so (``GET /webhooks`` lists the
    latest), and the contract's audit trail, which its team reads, has a ``webhook.failed`` line.
    Returns whether it was given up for the first time (the same event again updates its record
    only: no second trail line, not counted again)."""
    contract_id = event.data.get("contract_id") if isinstance(event.data.get("contract_id"), str) else None
    if not store.mark_failed(item.webhook_id, event.id, event.type, status=status, error=error, attempts=attempts,
                             contract_id=contract_id):
        return False
    if contract_id:
        repo.record_audit(contract_id, "webhook", "webhook.failed", {
            "webhook_id": item.webhook_id, "label": item.label, "kind": item.kind, "event_id": event.id,
            "event_type": event.type, "attempts": attempts, "error": error,
            "reason": f"{event.type} not delivered to the {item.kind} webhook {item.label or item.webhook_id} "
                      f"after {attempts} tries, the last: {error}; kept in the webhook DLQ"})
    return True


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _send(settings: Settings, item, event: Event, body: bytes, headers: dict[str, str],
          timeout: float = config.WEBHOOK_TIMEOUT_SECONDS) -> int:
    """POST the delivery; the HTTP status. ``timeout`` bounds connecting and each wait for the
    endpoint (a pinned host's addresses share it: no second address is tried once it is spent)."""
    host = urlsplit(item.url).hostname or ""
    if settings.webhook_outbox and host not in ("127.0.0.1", "localhost", "::1"):
        folder = Path(settings.webhook_outbox)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{clock.now():%Y%m%dT%H%M%S}-{item.webhook_id}-{event.id}.json"
        path.write_text(json.dumps({"url": item.url, "headers": headers, "body": json.loads(body)}, indent=2))
        return 200
    if host not in ("127.0.0.1", "localhost", "::1"):
        # checked now (DNS may have changed since the subscription), and the connection goes to the
        # address checked: a second lookup could answer another (DNS rebinding to 127.0.0.1)
        parts = urlsplit(item.url)
        # IPv4 first (Lambda outside a VPC has no IPv6 route), then the others, each checked address in turn
        addresses = sorted(public_addresses(host, parts.port or 443), key=lambda a: ":" in a)
        deadline = time.monotonic() + timeout
        for n, address in enumerate(addresses, start=1):
            left = deadline - time.monotonic()
            connection = _PinnedHTTPSConnection(host, address, parts.port or 443, timeout=max(left, 0.001))
            try:
                connection.request("POST", (parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
                                   body=body, headers=headers)
                return int(connection.getresponse().status)  # a redirect is not followed (it could point anywhere)
            except OSError:
                if n == len(addresses) or time.monotonic() >= deadline:
                    raise
            finally:
                connection.close()
    request = urllib.request.Request(item.url, data=body, headers=headers, method="POST")
    try:
        with _NO_REDIRECTS.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)  # a redirect too: it is not followed (it could point anywhere)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to ``host`` (its name for SNI, the certificate and the Host header) at ``address``."""

    def __init__(self, host: str, address: str, port: int, *, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_NO_REDIRECTS = urllib.request.build_opener(_RefuseRedirects)


def _report_disabled(settings: Settings, item) -> None:
    message = EmailMessage()
    message["From"], message["To"] = settings.sender_email, item.created_by
    message["Subject"] = f"clausewatch: webhook {item.label or item.webhook_id} disabled"
    message.set_content(f"The {item.kind} webhook {item.url} of team {item.team} was disabled: "
                        f"{item.disabled_reason}.\n\nEvents not delivered are kept in the webhook queue's DLQ "
                        f"for 14 days. Fix the endpoint, enable the webhook again (POST /webhooks/"
                        f"{item.webhook_id}/enable) and redrive the DLQ to deliver them.")
    try:
        ses.send_email(message)
    except (ClientError, BotoCoreError):
        log.exception("could not report a disabled webhook", extra={"webhook_id": item.webhook_id})
    log.warning("webhook disabled", extra={"webhook_id": item.webhook_id, "reason": item.disabled_reason})
