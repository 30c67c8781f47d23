"""QA Q7 (pure): which change a mailed calendar entry needs, and the change's email."""

from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar

from clausewatch.calendar_updates import CANCEL, CANCELLED, SENT, UPDATE, change_for
from clausewatch.notify import CalendarEntry, event_uid, render_calendar_change, sequence_at
from clausewatch.plan import Deadline

TODAY = date(2026, 12, 5)
WAS = date(2026, 12, 30)


def change(**kw):
    args = {"sent_due": WAS, "sent_state": SENT, "status": "open", "due": WAS, "today": TODAY, **kw}
    return change_for("notice_deadline", **args)


def test_which_change_an_entry_needs():
    assert change() is None  # right as it is
    moved = change(due=date(2027, 12, 1))
    assert (moved.action, moved.was, moved.due) == (UPDATE, WAS, date(2027, 12, 1))
    assert moved.reason == "the date moved from 2026-12-30 to 2027-12-01"
    assert change(status="done").action == CANCEL and change(status="done").reason == "the deadline is done"
    assert change(status="waived").action == CANCEL and change(status="superseded").action == CANCEL
    assert change(status=None).reason == "the contract was deleted"
    assert change(due=None).action == CANCEL
    # a day gone by stays as it happened (a rolled term's next deadline gets its own invite); a
    # withdrawn entry is not withdrawn again
    assert change(sent_due=date(2026, 12, 4), due=date(2027, 12, 4)) is None
    assert change(sent_state=CANCELLED, status="done") is None


def entry():
    return CalendarEntry(contract_id="c1", contract_title="Master Services Agreement", counterparty="Acme",
                         obligation_id="notice_deadline", kind="notice_deadline",
                         summary="Give notice of non-renewal", was=WAS, time_zone="Asia/Tokyo")


def ics(message):
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return calendar, calendar.walk("VEVENT")[0]


def test_the_update_and_the_cancellation_carry_the_same_uid_and_a_higher_sequence():
    at = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)
    new = Deadline(obligation_id="notice_deadline", kind="notice_deadline", summary="Give notice",
                   due=date(2027, 12, 1), owner=None, evidence=None, action="Send the notice",
                   derivation="expiration_date 2028-02-29 - P90D = 2027-12-01")
    update = render_calendar_change(entry(), action=UPDATE, reason="the date moved", to=["o@example.com"],
                                    sender="cw@example.com", sent_at=at, api_url="https://x/contracts/c1",
                                    deadline=new)
    calendar, event = ics(update)
    assert str(calendar["METHOD"]) == "REQUEST" and str(event["UID"]) == event_uid("c1", "notice_deadline")
    assert event.decoded("DTSTART") == date(2027, 12, 1) and int(event["SEQUENCE"]) == sequence_at(at)
    assert "2028-02-29 - P90D" in str(event["DESCRIPTION"]) and str(event["ORGANIZER"]) == "mailto:cw@example.com"
    assert "(was 30 Dec 2026)" in update["Subject"] and update["To"] == "o@example.com"
    cancel = render_calendar_change(entry(), action=CANCEL, reason="the deadline is done", to=["o@example.com"],
                                    sender="cw@example.com", sent_at=at, api_url="https://x/contracts/c1")
    calendar, event = ics(cancel)
    assert str(calendar["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert event.decoded("DTSTART") == WAS and str(event["UID"]) == event_uid("c1", "notice_deadline")
    assert int(event["SEQUENCE"]) > sequence_at(datetime(2026, 12, 4, tzinfo=UTC))
