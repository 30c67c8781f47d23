"""People's preferences (digest, reminders) and the digests sent (keys in ``schema``)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import clock, schema
from ..schema import ItemType
from .models import DigestSentItem, PreferenceItem
from .repository import put_if_new


def get(email: str) -> PreferenceItem | None:
    try:
        return PreferenceItem.get(schema.preference_pk(email), schema.PREFERENCE_SK)
    except PreferenceItem.DoesNotExist:
        return None


def put(email: str, *, digest: str, reminders: str, team: str, time_zone: str | None = None) -> PreferenceItem:
    """Set a person's preferences; the team they set them from joins their digest's teams. ``time_zone``
    (an IANA name, checked by the caller): None keeps the one set before (none: UTC)."""
    item = get(email)
    teams = sorted({*(item.teams if item else []), team})
    zone = time_zone if time_zone is not None else (item.time_zone if item else None)
    item = PreferenceItem(schema.preference_pk(email), schema.PREFERENCE_SK, item_type=ItemType.PREFERENCE,
                          email=email.lower(), digest=digest, reminders=reminders, teams=teams, time_zone=zone,
                          updated_at=clock.iso(), gsi1pk=schema.digest_subscribers_pk(digest), gsi1sk=email.lower())
    item.save()
    return item


def weekly_subscribers() -> Iterator[PreferenceItem]:
    return PreferenceItem.by_team.query(schema.digest_subscribers_pk("weekly"))


def claim_digest(email: str, week: str, items: int, listed: list[str] | None = None) -> bool:
    """Claim this week's digest for ``email`` before sending, with what it lists (``listed``,
    ``digest.listed_key`` each); False: already sent."""
    return put_if_new(DigestSentItem(schema.preference_pk(email), f"{schema.DIGEST_SENT_PREFIX}{week}",
                                     item_type=ItemType.DIGEST_SENT, email=email, week=week, sent_at=clock.iso(),
                                     items=items, listed=listed))


def listed_in_digest(email: str, key: str) -> bool:
    """Whether a weekly digest sent to ``email`` listed ``key`` (``digest.listed_key``): one Query
    of the person's digests (one item a week)."""
    return any(key in (item.listed or []) for item in DigestSentItem.query(
        schema.preference_pk(email), DigestSentItem.sk.startswith(schema.DIGEST_SENT_PREFIX)))


def release_digest(email: str, week: str) -> None:
    DigestSentItem(schema.preference_pk(email), f"{schema.DIGEST_SENT_PREFIX}{week}").delete()
