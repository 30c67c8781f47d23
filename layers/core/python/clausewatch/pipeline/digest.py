"""The weekly digest run (the alert λ on a weekly EventBridge rule, ``{"digest": true}``): one email
per person who chose it, listing their open obligations overdue or due within two weeks, across the
teams they belong to. Claimed per person and ISO week before sending: a retried run sends none twice."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from .. import schema
from ..aws.email import send_email
from ..config import Settings
from ..digest import HORIZON_DAYS, DigestItem, listed_key, render_digest, week_of
from ..schema import ObligationStatus
from ..store import preferences
from ..store import repository as repo
from ..store.models import ObligationItem

log = logging.getLogger(__name__)


def digest_day(at: datetime) -> date:
    """The day a digest sent at ``at`` is read, its "as of" date: ``at``'s UTC day. The weekly run
    (Monday 07:00 UTC) arrives on Monday from UTC-7 eastwards and on Sunday night further west, so
    Monday is the day it is read everywhere; every line counts its days from that day."""
    return at.astimezone(UTC).date()


def items_for(email: str, teams: list[str], day: date) -> list[DigestItem]:
    """The person's open obligations in a digest dated ``day`` (``digest_day``): each due date is a
    day in its contract's time zone, and its days are counted from ``day``, the digest's own "as of"
    date, so a deadline on that date is "due today" whatever the contract's zone (counted from the
    send instant in the contract's zone, a Los Angeles deadline on the Monday a digest is read said
    "1 day(s) left": it was still Sunday there at 07:00 UTC)."""
    last = (day + timedelta(days=HORIZON_DAYS)).isoformat()
    contracts: dict[str, tuple[str, str | None]] = {}
    out = []
    for team in teams:
        for o in ObligationItem.by_owner.query(schema.owner_obligations_pk(team, email, ObligationStatus.OPEN),
                                               ObligationItem.gsi3sk <= f"{last}#~"):
            if o.contract_id not in contracts:
                c = repo.get_contract(o.contract_id)
                contracts[o.contract_id] = (((c.title or c.file_name) if c else o.contract_id),
                                            c.counterparty if c else None)
            title, counterparty = contracts[o.contract_id]
            due = date.fromisoformat(o.due)
            if due < day and not schema.is_overdue_when_past(o.kind):
                continue  # an expiration gone by: the contract expired, nothing is overdue
            out.append(DigestItem(o.contract_id, title, o.obligation_id, o.summary, due, (due - day).days,
                                  o.derivation, counterparty))
    return out


def send_digests(settings: Settings, at: datetime) -> dict[str, int]:
    """Send this week's digests (the week of ``at``'s UTC day); returns counts (sent, empty, already sent)."""
    counts = {"sent": 0, "empty": 0, "already_sent": 0}
    today = digest_day(at)
    week = week_of(today)
    for person in preferences.weekly_subscribers():
        items = items_for(person.email, list(person.teams or []), today)
        message = render_digest(person.email, items, today, settings.sender_email, settings.api_base_url,
                                sent_at=at)
        if message is None:
            counts["empty"] += 1
            continue
        listed = [listed_key(i.contract_id, i.obligation_id, i.due) for i in items]
        if not preferences.claim_digest(person.email, week, len(items), listed):
            counts["already_sent"] += 1
            continue
        try:
            send_email(message)
        except Exception:
            preferences.release_digest(person.email, week)  # not sent: the retry may claim it again
            raise
        counts["sent"] += 1
    log.info("digests", extra={"week": week, **counts})
    return counts
