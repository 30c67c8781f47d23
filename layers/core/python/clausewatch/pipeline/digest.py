"""The weekly digest run (the alert λ on an hourly EventBridge rule, ``{"digest": true, "at": ...}``):
one email per person who chose it, on Monday at 07:00 in their own time zone, listing their open
obligations overdue or due within two weeks of their Monday, across the teams they belong to. Claimed
per person and ISO week before sending: a retried run sends none twice."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

from .. import config, dates, schema
from ..aws.email import send_email
from ..config import Settings
from ..digest import HORIZON_DAYS, DigestItem, listed_key, render_digest, week_of
from ..schema import ObligationStatus
from ..store import preferences
from ..store import repository as repo
from ..store.models import ObligationItem, PreferenceItem

log = logging.getLogger(__name__)


_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def reader_zone(person: PreferenceItem) -> str:
    """The time zone a reader's digest is sent and dated in: their preference, else UTC."""
    return person.time_zone or "UTC"


def digest_day(at: datetime, time_zone: str = "UTC") -> date:
    """The day a digest sent at ``at`` is read, its "as of" date: ``at``'s day in the reader's zone
    (the weekly run reaches each reader on their Monday at 07:00 there); every line counts its days
    from that day."""
    return at.astimezone(dates.zone(time_zone)).date()


def next_run_at(after: datetime) -> datetime:
    """When the digest rule next fires strictly after ``after`` (config.DIGEST_SCHEDULE: the top of
    each hour of the UTC days DIGEST_RUN_DAYS, as the deployed EventBridge rule does)."""
    days = {_WEEKDAYS.index(day) for day in config.DIGEST_RUN_DAYS}
    at = after.astimezone(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    while at.weekday() not in days:
        at = datetime.combine(at.date() + timedelta(days=1), datetime.min.time(), UTC)
    return at


def digest_due(at: datetime, time_zone: str) -> date | None:
    """The reader's Monday when it is Monday 07:xx in ``time_zone`` at ``at`` (config.DIGEST_WEEKDAY,
    DIGEST_HOUR_LOCAL): the day their digest is dated; None at any other hour. The hourly run at the
    top of each UTC hour meets every zone's 07:xx once (half- and quarter-hour zones at 07:30, 07:45)."""
    local = at.astimezone(dates.zone(time_zone))
    if _WEEKDAYS[local.weekday()] != config.DIGEST_WEEKDAY or local.hour != config.DIGEST_HOUR_LOCAL:
        return None
    return local.date()


def items_for(email: str, teams: list[str], day: date) -> list[DigestItem]:
    """The person's open obligations in a digest dated ``day`` (``digest_day``): each due date is a
    day in its contract's time zone, and its days are counted from ``day``, the digest's own "as of"
    date, so a deadline on that date is "due today" whatever the contract's zone (counted from the
    send instant in the contract's zone, a Los Angeles deadline on the Monday a digest is read said
    "1 day(s) left": it was still Sunday there at 07:00 UTC)."""
    last = (day + timedelta(days=HORIZON_DAYS)).isoformat()
    contracts: dict[str, tuple[str, str | None, str | None]] = {}
    out = []
    for team in teams:
        for o in ObligationItem.by_owner.query(schema.owner_obligations_pk(team, email, ObligationStatus.OPEN),
                                               ObligationItem.gsi3sk <= f"{last}#~"):
            if o.contract_id not in contracts:
                c = repo.get_contract(o.contract_id)
                contracts[o.contract_id] = (((c.title or c.file_name) if c else o.contract_id),
                                            c.counterparty if c else None, c.file_name if c else None)
            title, counterparty, file_name = contracts[o.contract_id]
            due = date.fromisoformat(o.due)
            if due < day and not schema.is_overdue_when_past(o.kind):
                continue  # an expiration gone by: the contract expired, nothing is overdue
            out.append(DigestItem(o.contract_id, title, o.obligation_id, o.summary, due, (due - day).days,
                                  o.derivation, counterparty, file_name))
    return out


def run_time(event: dict, now: datetime) -> datetime:
    """The instant a digest run is for: the rule's scheduled time the event carries
    (config.DIGEST_RUN_AT; a run retried minutes later still sends to the readers of its hour), else
    ``now``."""
    at = event.get(config.DIGEST_RUN_AT)
    if not at:
        return now
    scheduled = datetime.fromisoformat(str(at).replace("Z", "+00:00"))
    return scheduled if scheduled.tzinfo else scheduled.replace(tzinfo=UTC)


def send_digests(settings: Settings, at: datetime, *, everyone: bool = False,
                 sent_at: datetime | None = None) -> dict[str, int]:
    """The hourly run at ``at`` (its scheduled time): the digest of each reader for whom it is Monday
    07:xx in their zone (``digest_due``), dated their Monday; ``everyone``: every reader's now, dated
    their day (``clausewatch digest``). Each is claimed for the ISO week of its date before it is sent
    (``DigestSentItem``): a retried run, or a reader whose zone changed mid-week, gets none twice.
    ``sent_at``: the email's Date: (default ``at``). Returns counts (sent, empty, already sent)."""
    counts = {"sent": 0, "empty": 0, "already_sent": 0}
    for person in preferences.weekly_subscribers():
        zone = reader_zone(person)
        today = digest_day(at, zone) if everyone else digest_due(at, zone)
        if today is None:
            continue  # not their Monday 07:00: another run's
        items = items_for(person.email, list(person.teams or []), today)
        message = render_digest(person.email, items, today, settings.sender_email, settings.api_base_url,
                                sent_at=sent_at or at)
        if message is None:
            counts["empty"] += 1
            continue
        listed = [listed_key(i.contract_id, i.obligation_id, i.due) for i in items]
        if not preferences.claim_digest(person.email, week_of(today), len(items), listed):
            counts["already_sent"] += 1
            continue
        try:
            send_email(message)
        except Exception:
            preferences.release_digest(person.email, week_of(today))  # not sent: the retry may claim it again
            raise
        counts["sent"] += 1
    log.info("digests", extra={"at": at.isoformat(), **counts})
    return counts
