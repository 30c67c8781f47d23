"""QA Q7: a calendar entry mailed with a reminder (.ics, UID per obligation) is updated when its
date moves and withdrawn when its deadline is gone: the planner plans one schedule per change (at
once, its target the alert λ), the alert λ mails it (same UID, a higher SEQUENCE; METHOD:REQUEST
with the new date, or METHOD:CANCEL) and records it, so each change is sent once."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, date, datetime, timedelta

import icalendar

from clausewatch import clock
from clausewatch.local.handlers import invoke
from clausewatch.notify import event_uid
from clausewatch.pipeline import entries
from clausewatch.pipeline.actions import complete_obligation, delete_contract
from clausewatch.store import invites
from clausewatch.store import repository as repo
from tests.integration.test_reminders_e2e import saas, saas_saved  # noqa: F401 (fixtures)

FIRST_REMINDERS = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # the notice deadline's 60- and 30-day reminders


def mails(cloud, since: int) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in cloud.sent_mail()[since:]]


def invite_of(message) -> tuple[str, icalendar.Event]:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    return str(calendar["METHOD"]), calendar.walk("VEVENT")[0]


def calendar_schedules(cloud, contract_id: str) -> list[dict]:
    return [json.loads(s["Target"]["Input"]) for s in cloud.schedules() if s["Name"].startswith(f"cwi-{contract_id}-")]


def reminded(cloud, contract_id: str) -> icalendar.Event:
    """The notice deadline's reminders went out (30 Dec 2026 in the owner's calendar); returns the
    last invite mailed."""
    sent = len(cloud.sent_mail())
    cloud.fire_until(FIRST_REMINDERS)
    notice = [m for m in mails(cloud, sent) if "30 Dec 2026" in m["Subject"]]
    assert len(notice) == 2
    _, event = invite_of(notice[-1])
    assert event.decoded("DTSTART") == date(2026, 12, 30)
    entry = invites.get(contract_id, "notice_deadline")
    assert entry.due == "2026-12-30" and "priya.raman@example.com" in entry.to
    return event


def test_a_date_moved_by_a_later_term_end_updates_the_mailed_calendar_entry_once(cloud, saas):  # noqa: F811
    before = reminded(cloud, saas)
    sent = len(cloud.sent_mail())
    # the term is extended (as an amendment would): the notice deadline moves a year later, and no
    # reminder of the new date is due for months
    entries.enter_term(saas, "expiration_date", "2028-02-29", note="Amendment No. 1 extends the term",
                       actor="priya.raman@example.com", team="procurement")
    cloud.pump()
    assert repo.get_contract(saas).current_notice_deadline == "2027-12-31"
    planned = {p["obligation_id"]: p for p in calendar_schedules(cloud, saas)}  # was: none
    notice = planned["notice_deadline"]  # was: nothing until the reminder of 2027-10-02
    assert notice["calendar"] == "update" and notice["was"] == "2026-12-30" and notice["due"] == "2027-12-31"
    # the term's end was mailed too (its 90-day reminder)
    assert (planned["expiration"]["was"], planned["expiration"]["due"]) == ("2027-02-28", "2028-02-29")
    cloud.fire_until(clock.now() + timedelta(minutes=5))
    changes = [m for m in mails(cloud, sent) if m["Subject"].startswith("Calendar")]
    assert len(changes) == 2
    [update] = [m for m in changes if "Notice deadline" in m["Subject"]]
    assert update["Subject"].startswith("Calendar update: Notice deadline moved to 31 Dec 2027 (was 30 Dec 2026)")
    assert "priya.raman@example.com" in update["To"]
    method, event = invite_of(update)
    assert method == "REQUEST"
    assert str(event["UID"]) == str(before["UID"]) == event_uid(saas, "notice_deadline")
    assert int(event["SEQUENCE"]) > int(before["SEQUENCE"])
    assert event.decoded("DTSTART") == date(2027, 12, 31)
    assert "2028-02-29 - P60D" in str(event["DESCRIPTION"])  # the new date's arithmetic
    assert "mailto:priya.raman@example.com" in [str(a) for a in event.get("ATTENDEE")] or \
        str(event.get("ATTENDEE")) == "mailto:priya.raman@example.com"
    assert invites.get(saas, "notice_deadline").due == "2027-12-31"
    [audit] = [e.detail for e in repo.audit_events(saas) if e.action == "calendar.updated"
               and e.detail["obligation_id"] == "notice_deadline"]
    assert audit["was"] == "2026-12-30" and audit["due"] == "2027-12-31"
    # sent once: the same delivery again, and planning again, send and plan nothing more
    assert invoke("alert", notice)["sent"] is False
    invoke("planner", {"sweep": True})
    cloud.pump()
    cloud.fire_until(clock.now() + timedelta(days=2))
    assert calendar_schedules(cloud, saas) == []
    assert [m["Message-ID"] for m in mails(cloud, sent) if m["Subject"].startswith("Calendar")] == \
        [m["Message-ID"] for m in changes]


def test_a_deleted_contracts_entries_withdrawn_before_leave_nothing_behind(cloud, saas):  # noqa: F811
    """Review: an entry withdrawn before the deletion (its deadline done) needs no mail, so its record
    (recipients, title, counterparty) was never deleted; uploaded again, the contract's new entries
    would have been mailed to the old recipients."""
    reminded(cloud, saas)
    complete_obligation(saas, "notice_deadline", actor="priya.raman@example.com", note="sent")
    cloud.pump()
    cloud.fire_until(clock.now() + timedelta(minutes=5))
    assert invites.get(saas, "notice_deadline").state == "cancelled"
    delete_contract(saas, actor="ida.admin@example.com")
    cloud.pump()
    cloud.fire_until(clock.now() + timedelta(days=2))
    assert repo.get_contract(saas) is None and invites.of_contract(saas) == []


def test_a_deleted_contracts_mailed_entries_are_withdrawn(cloud, saas):  # noqa: F811
    before = reminded(cloud, saas)
    sent = len(cloud.sent_mail())
    delete_contract(saas, actor="ida.admin@example.com")
    cloud.pump()
    planned = {p["obligation_id"]: p for p in calendar_schedules(cloud, saas)}
    assert planned["notice_deadline"]["calendar"] == "cancel" and planned["notice_deadline"]["was"] == "2026-12-30"
    assert planned["expiration"]["calendar"] == "cancel"
    cloud.fire_until(clock.now() + timedelta(minutes=5))
    changes = [m for m in mails(cloud, sent) if m["Subject"].startswith("Calendar")]
    [cancel] = [m for m in changes if "Notice deadline" in m["Subject"]]
    assert cancel["Subject"].startswith("Calendar: Notice deadline of 30 Dec 2026 withdrawn")
    assert "the contract was deleted" in next(p for p in cancel.walk()
                                              if p.get_content_type() == "text/plain").get_content()
    method, event = invite_of(cancel)
    assert method == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == str(before["UID"]) and int(event["SEQUENCE"]) > int(before["SEQUENCE"])
    assert event.decoded("DTSTART") == date(2026, 12, 30)
    assert invites.of_contract(saas) == []  # nothing of the contract is kept but its audit trail
    assert [e.action for e in repo.audit_events(saas)][-1] == "calendar.cancelled"
    cloud.fire_until(clock.now() + timedelta(days=2))
    assert len(changes) == 2
    assert [m["Message-ID"] for m in mails(cloud, sent) if m["Subject"].startswith("Calendar")] == \
        [m["Message-ID"] for m in changes]
