"""The weekly digest run (the alert λ on a weekly EventBridge rule, ``{"digest": true}``): one email
per person who chose it, listing their open obligations overdue or due within two weeks, across the
teams they belong to. Claimed per person and ISO week before sending: a retried run sends none twice."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from .. import dates, schema
from ..aws.email import send_email
from ..config import Settings
from ..digest import HORIZON_DAYS, DigestItem, render_digest, week_of
from ..schema import ObligationStatus
from ..store import preferences
from ..store import repository as repo
from ..store.models import ObligationItem

log = logging.getLogger(__name__)


def items_for(email: str, teams: list[str], at: datetime) -> list[DigestItem]:
    """The person's open obligations at the instant ``at``, each counted from the day it is then in
    its contract's time zone (as the API counts ``days_left`` and "overdue")."""
    # the latest local day anywhere is at most a day after UTC's
    last = (at.astimezone(UTC).date() + timedelta(days=HORIZON_DAYS + 1)).isoformat()
    contracts: dict[str, tuple[str, date]] = {}
    out = []
    for team in teams:
        for o in ObligationItem.by_owner.query(schema.owner_obligations_pk(team, email, ObligationStatus.OPEN),
                                               ObligationItem.gsi3sk <= f"{last}#~"):
            if o.contract_id not in contracts:
                c = repo.get_contract(o.contract_id)
                contracts[o.contract_id] = ((c.title or c.file_name) if c else o.contract_id,
                                            dates.day_at(at, c.time_zone if c else None))
            title, today = contracts[o.contract_id]
            due = date.fromisoformat(o.due)
            if due < today and not schema.is_overdue_when_past(o.kind):
                continue  # an expiration gone by: the contract expired, nothing is overdue
            out.append(DigestItem(o.contract_id, title, o.obligation_id, o.summary, due, (due - today).days,
                                  o.derivation))
    return out


def send_digests(settings: Settings, at: datetime) -> dict[str, int]:
    """Send this week's digests (the week of ``at``'s UTC day); returns counts (sent, empty, already sent)."""
    counts = {"sent": 0, "empty": 0, "already_sent": 0}
    today = at.astimezone(UTC).date()
    week = week_of(today)
    for person in preferences.weekly_subscribers():
        items = items_for(person.email, list(person.teams or []), at)
        message = render_digest(person.email, items, today, settings.sender_email, settings.api_base_url)
        if message is None:
            counts["empty"] += 1
            continue
        if not preferences.claim_digest(person.email, week, len(items)):
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
