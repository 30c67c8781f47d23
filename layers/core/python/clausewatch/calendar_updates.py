"""Calendar entries already mailed, kept true (QA Q7; pure: no AWS).

Every reminder email carries an ``.ics`` invite whose UID is the obligation's
(``notify.event_uid``). What each recipient's calendar holds is recorded per obligation (``C#<id>`` /
``INVITE#<obligation>``, ``store/invites.py``) when such an email goes out. When the planner finds
that the deadline behind an entry moved, or is gone (done, waived, superseded, the contract
deleted), it plans one calendar change: a one-time schedule firing at once whose target is the
alert λ, which mails the update (METHOD:REQUEST, same UID, a higher SEQUENCE, the new date and its
arithmetic) or the cancellation (METHOD:CANCEL, STATUS:CANCELLED) and records it, so each change
is sent once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from .schema import ObligationStatus

UPDATE = "update"
CANCEL = "cancel"
SCHEDULE_PREFIX = "cwi-"  # not "cw-": the reminders' diff (by their prefix) leaves these alone
_HASH_CHARS = 15  # one fewer than the reminders': the prefix is one longer (<= 64 characters)

# what an invite item records of the entry in the recipients' calendars
SENT = "sent"  # the entry is in their calendars with ``due``
CANCELLED = "cancelled"  # the entry was withdrawn


@dataclass(frozen=True)
class CalendarChange:
    """One change to an entry already in the recipients' calendars."""

    obligation_id: str
    action: str  # UPDATE | CANCEL
    was: date  # the entry's date in their calendars
    due: date | None  # the new date (UPDATE)
    reason: str

    def key(self) -> str:
        return f"{self.obligation_id}\x1f{self.action}\x1f{self.was.isoformat()}\x1f{self.due or ''}"


def change_for(obligation_id: str, *, sent_due: date, sent_state: str, status: str | None, due: date | None,
               today: date) -> CalendarChange | None:
    """What the entry of ``obligation_id`` (mailed with ``sent_due``, now ``sent_state``) needs, the
    obligation being ``status`` with ``due`` now (``status`` None: it no longer exists, the
    contract deleted). None when the entry is right, was withdrawn, or its day is past (a deadline
    that went by stays in the calendar as it happened; a rolled term's next deadline gets its own
    invite with its first reminder)."""
    if sent_state != SENT or sent_due < today:
        return None
    if status is None:
        return CalendarChange(obligation_id, CANCEL, sent_due, None, "the contract was deleted")
    if status != ObligationStatus.OPEN:
        return CalendarChange(obligation_id, CANCEL, sent_due, None, f"the deadline is {status}")
    if due is None:
        return CalendarChange(obligation_id, CANCEL, sent_due, None, "the deadline has no date any more")
    if due != sent_due:
        return CalendarChange(obligation_id, UPDATE, sent_due, due,
                              f"the date moved from {sent_due.isoformat()} to {due.isoformat()}")
    return None


def schedule_prefix(safe_contract_id: str) -> str:
    return f"{SCHEDULE_PREFIX}{safe_contract_id}-"


def schedule_name(safe_contract_id: str, change: CalendarChange) -> str:
    """``cwi-<contract>-<15 hex>`` (<= 64 characters): one per change, so a change is planned once."""
    digest = hashlib.sha256(f"{safe_contract_id}\x1f{change.key()}".encode()).hexdigest()[:_HASH_CHARS]
    return f"{schedule_prefix(safe_contract_id)}{digest}"
