"""The rolling horizon (pure): which planned reminders exist as schedules now, and when the
contract must be planned again.

At 10M contracts with a handful of deadlines each, one schedule per reminder at once would be
hundreds of millions of live schedules (EventBridge Scheduler's default quota is 1,000,000 per
account and region). Only the reminders firing within the next ``horizon_days`` are scheduled; the
others stay planned (the obligations keep their dates and arithmetic) and the daily sweep schedules
them when they come inside the window. The contract's next planning day is the earliest of

* the day the first unscheduled reminder comes inside the window (the UTC day it fires minus the
  horizon: the window is whole UTC days, the daily sweep runs in UTC), and
* the UTC day after the soonest deadline still ahead ends in the contract's time zone: then a
  recurring duty rolls to its next occurrence and an auto-renewing term to its next term, as the
  old every-contract daily sweep did.

None when neither exists (nothing more to schedule, no deadline ahead): the contract leaves the
sweep's index until a change to it plans it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from . import dates
from .plan import Deadline, Reminder


@dataclass(frozen=True)
class HorizonSplit:
    """``scheduled``: the reminders to have as schedules now; ``later``: planned, not scheduled;
    ``next_planning``: the UTC day the sweep must plan the contract again (None: never, until a
    change), with ``derivation`` the arithmetic behind it."""

    scheduled: list[Reminder]
    later: list[Reminder]
    next_planning: date | None
    derivation: str


def horizon_end(now: datetime, horizon_days: int) -> datetime:
    """The end (exclusive) of the window: the end of the UTC day ``horizon_days`` after ``now``'s.
    Whole UTC days, so a sweep at any hour of a next planning day schedules what came inside."""
    if horizon_days < 1:
        raise ValueError(f"the reminder horizon must be at least 1 day, not {horizon_days}")
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    last_day = now.astimezone(UTC).date() + timedelta(days=horizon_days)
    return datetime.combine(last_day + timedelta(days=1), time(0), UTC)


def split_by_horizon(wanted: Iterable[Reminder], deadlines: Iterable[Deadline], now: datetime,
                     horizon_days: int, time_zone: str) -> HorizonSplit:
    """Split a contract's full plan (``plan.plan_reminders``) at ``now`` + ``horizon_days``."""
    end = horizon_end(now, horizon_days)
    scheduled: list[Reminder] = []
    later: list[Reminder] = []
    for reminder in wanted:
        (scheduled if reminder.fire_at < end else later).append(reminder)
    candidates: list[tuple[date, str]] = []
    if later:
        first = min(later, key=lambda r: (r.fire_at, r.name))
        day = first.fire_at.astimezone(UTC).date() - timedelta(days=horizon_days)
        local = first.fire_at.astimezone(dates.zone(first.time_zone)).replace(tzinfo=None)
        candidates.append((day, f"first unscheduled reminder {first.name} ({first.obligation_id}, "
                                f"{first.lead_days} days before {first.due.isoformat()}) fires "
                                f"{local.isoformat(timespec='minutes')} {first.time_zone} - "
                                f"{horizon_days} days horizon = UTC day {day.isoformat()}"))
    ahead = [(dates.end_of_day(d.due, time_zone), d) for d in deadlines]
    ahead = [(ends, d) for ends, d in ahead if ends >= now]
    if ahead:
        ends, soonest = min(ahead, key=lambda pair: (pair[0], pair[1].obligation_id))
        day = (ends + timedelta(seconds=1)).astimezone(UTC).date()
        candidates.append((day, f"deadline {soonest.obligation_id} due {soonest.due.isoformat()} ends "
                                f"{ends.isoformat(timespec='seconds')} ({time_zone}); re-planned the "
                                f"UTC day after: {day.isoformat()}"))
    if not candidates:
        return HorizonSplit(scheduled, later, None, "nothing left to schedule and no deadline ahead")
    day, derivation = min(candidates)
    return HorizonSplit(scheduled, later, day, derivation)


def with_later_start(split: HorizonSplit, start_fire_at: datetime | None, horizon_days: int,
                     what: str = "renewal decision start") -> HorizonSplit:
    """``split`` with its next planning day brought forward to the day a start schedule (the
    renewal decision's, one per term) left out of the window comes inside it: the UTC day it fires
    minus the horizon, with that arithmetic. Unchanged when there is none or it is not earlier."""
    if start_fire_at is None:
        return split
    day = start_fire_at.astimezone(UTC).date() - timedelta(days=horizon_days)
    derivation = (f"{what} fires {start_fire_at.isoformat(timespec='minutes')} - {horizon_days} days horizon "
                  f"= UTC day {day.isoformat()}")
    if split.next_planning is not None and split.next_planning <= day:
        return split
    return HorizonSplit(split.scheduled, split.later, day, derivation)
