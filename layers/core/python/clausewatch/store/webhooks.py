"""Webhook subscriptions and what was delivered to them (keys in ``schema``)."""

from __future__ import annotations

from .. import clock, schema
from ..schema import ItemType
from .models import WebhookItem, WebhookSentItem
from .repository import put_if_new


def create(webhook_id: str, *, team: str, kind: str, url: str, events: list[str], secret: str | None,
           label: str | None, actor: str) -> WebhookItem:
    item = WebhookItem(schema.webhook_pk(webhook_id), schema.WEBHOOK_SK, item_type=ItemType.WEBHOOK,
                       webhook_id=webhook_id, team=team, kind=kind, url=url, events=events, secret=secret,
                       label=label, created_by=actor, created_at=clock.iso(), disabled=False,
                       consecutive_failures=0, delivered=0,
                       gsi1pk=schema.team_webhooks_pk(team), gsi1sk=webhook_id)
    item.save(condition=WebhookItem.pk.does_not_exist())
    return item


def get(webhook_id: str) -> WebhookItem | None:
    try:
        return WebhookItem.get(schema.webhook_pk(webhook_id), schema.WEBHOOK_SK, consistent_read=True)
    except WebhookItem.DoesNotExist:
        return None


def of_team(team: str) -> list[WebhookItem]:
    return list(WebhookItem.by_team.query(schema.team_webhooks_pk(team)))


def delete(item: WebhookItem) -> None:
    for prefix in (schema.WEBHOOK_SENT_PREFIX, schema.WEBHOOK_FAILED_PREFIX, schema.WEBHOOK_GAVE_UP_PREFIX):
        for sent in WebhookSentItem.query(item.pk, WebhookSentItem.sk.startswith(prefix)):
            sent.delete()
    item.delete()


def was_sent(webhook_id: str, event_id: str) -> bool:
    try:
        WebhookSentItem.get(schema.webhook_pk(webhook_id), f"{schema.WEBHOOK_SENT_PREFIX}{event_id}")
        return True
    except WebhookSentItem.DoesNotExist:
        return False


def mark_sent(webhook_id: str, event_id: str, event_type: str, status: int) -> bool:
    """Record a delivery; False when it was already recorded (a concurrent duplicate)."""
    return put_if_new(WebhookSentItem(schema.webhook_pk(webhook_id), f"{schema.WEBHOOK_SENT_PREFIX}{event_id}",
                                      item_type=ItemType.WEBHOOK_SENT, webhook_id=webhook_id, event_id=event_id,
                                      event_type=event_type, sent_at=clock.iso(), status=status))


FAILURES_KEPT = 50  # a subscription's events given up, the latest kept (GET /webhooks lists five)


def mark_failed(webhook_id: str, event_id: str, event_type: str, *, status: int, error: str, attempts: int,
                contract_id: str | None) -> bool:
    """Record an event given up after its last try (kept in the DLQ): when, why, how many tries.
    Returns whether it is new: the same event given up again (its last try delivered twice, or
    redriven from the DLQ and failing again) updates its record and is not counted twice. The
    subscription keeps the latest ``FAILURES_KEPT`` records; an older one is removed and leaves a
    marker of its event (the DLQ keeps the events), so that event given up again later, redriven
    after many others failed, is listed again as the latest but still not new."""
    pk = schema.webhook_pk(webhook_id)
    item = WebhookSentItem(pk, f"{schema.WEBHOOK_FAILED_PREFIX}{event_id}",
                           item_type=ItemType.WEBHOOK_SENT, webhook_id=webhook_id, event_id=event_id,
                           event_type=event_type, sent_at=clock.iso(), status=status, error=error,
                           attempts=attempts, contract_id=contract_id)
    new = put_if_new(item)
    if not new:
        item.save()  # the latest try's time and reason
        return False
    for old in _failed(webhook_id)[FAILURES_KEPT:]:
        WebhookSentItem(pk, f"{schema.WEBHOOK_GAVE_UP_PREFIX}{old.event_id}", item_type=ItemType.WEBHOOK_SENT,
                        webhook_id=webhook_id, event_id=old.event_id, event_type=old.event_type,
                        sent_at=old.sent_at, status=old.status).save()
        old.delete()
    try:
        WebhookSentItem.get(pk, f"{schema.WEBHOOK_GAVE_UP_PREFIX}{event_id}", consistent_read=True)
    except WebhookSentItem.DoesNotExist:
        return True
    return False  # given up before, its record removed since: listed again, counted and told once


def _failed(webhook_id: str) -> list[WebhookSentItem]:
    """The subscription's events given up, newest first (at most ``FAILURES_KEPT`` + 1 items)."""
    found = WebhookSentItem.query(schema.webhook_pk(webhook_id),
                                  WebhookSentItem.sk.startswith(schema.WEBHOOK_FAILED_PREFIX))
    return sorted(found, key=lambda f: f.sent_at, reverse=True)


def failures(webhook_id: str, limit: int = 5) -> list[WebhookSentItem]:
    """The latest events given up for the subscription, newest first."""
    return _failed(webhook_id)[:limit]
