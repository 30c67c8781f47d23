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
import pytest

from clausewatch import clock, config
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
    # (the term end: the notice deadline is closed by its renewal decision, which waits here)
    complete_obligation(saas, "expiration", actor="priya.raman@example.com", note="ended")
    cloud.pump()
    cloud.fire_until(clock.now() + timedelta(minutes=5))
    assert invites.get(saas, "expiration").state == "cancelled"
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


class Killed(BaseException):
    """The invocation dies here (a timeout, out of memory, the host lost): no except clause runs."""


def _moved(cloud, saas) -> dict:  # noqa: F811
    """The notice deadline's entry mailed, then moved a year later: its update's payload."""
    reminded(cloud, saas)
    entries.enter_term(saas, "expiration_date", "2028-02-29", note="Amendment No. 1 extends the term",
                       actor="priya.raman@example.com", team="procurement")
    cloud.pump()
    return {p["obligation_id"]: p for p in calendar_schedules(cloud, saas)}["notice_deadline"]


def _updates(cloud, since: int) -> list:
    return [m for m in mails(cloud, since) if m["Subject"].startswith("Calendar update: Notice deadline")]


def test_a_change_whose_invocation_dies_before_its_mail_is_mailed_by_the_next_delivery(cloud, saas, monkeypatch):  # noqa: F811
    """Brief hq 6: the entry was marked sent before the mail went out; an invocation killed in
    between lost the change for good (every later delivery found the entry "right as it is").
    Claimed with a lease instead: the entry still says what the calendars hold, a delivery while the
    claim holds fails (to be retried), and one after it runs out mails the change, once."""
    from clausewatch.pipeline import calendar_changes

    notice = _moved(cloud, saas)
    sent = len(cloud.sent_mail())
    real_send = calendar_changes.send_email

    def killed_before_sending(message):
        raise Killed

    monkeypatch.setattr(calendar_changes, "send_email", killed_before_sending)
    with pytest.raises(Killed):
        invoke("alert", notice)
    monkeypatch.setattr(calendar_changes, "send_email", real_send)
    assert _updates(cloud, sent) == [] and invites.get(saas, "notice_deadline").due == "2026-12-30"
    with pytest.raises(calendar_changes.ChangeInFlight):  # Lambda's retry within the lease: later
        invoke("alert", notice)
    clock.set_now(clock.now() + timedelta(seconds=config.CALENDAR_CHANGE_LEASE_SECONDS + 1))
    assert invoke("alert", notice)["sent"] is True
    [update] = _updates(cloud, sent)
    assert update["Subject"].startswith("Calendar update: Notice deadline moved to 31 Dec 2027 (was 30 Dec 2026)")
    entry = invites.get(saas, "notice_deadline")
    assert entry.due == "2027-12-31" and entry.sending is None and entry.sending_until is None
    assert invoke("alert", notice)["sent"] is False and len(_updates(cloud, sent)) == 1


def test_a_change_whose_invocation_dies_after_its_mail_is_mailed_at_most_once_more(cloud, saas, monkeypatch):  # noqa: F811
    """Killed after the mail, before the entry is settled: the change is mailed again once the claim
    runs out (one extra mail, the same UID and a higher SEQUENCE, which calendars apply as the same
    update), then never again."""
    notice = _moved(cloud, saas)
    sent = len(cloud.sent_mail())

    def killed_before_settling(item):
        raise Killed

    monkeypatch.setattr(invites, "settle", killed_before_settling)
    with pytest.raises(Killed):
        invoke("alert", notice)
    monkeypatch.undo()
    assert len(_updates(cloud, sent)) == 1 and invites.get(saas, "notice_deadline").due == "2026-12-30"
    clock.set_now(clock.now() + timedelta(seconds=config.CALENDAR_CHANGE_LEASE_SECONDS + 1))
    assert invoke("alert", notice)["sent"] is True
    assert invoke("alert", notice)["sent"] is False
    first, second = _updates(cloud, sent)
    assert invite_of(first)[1]["UID"] == invite_of(second)[1]["UID"]
    assert int(invite_of(second)[1]["SEQUENCE"]) > int(invite_of(first)[1]["SEQUENCE"])
    assert invites.get(saas, "notice_deadline").due == "2027-12-31"


def test_tick_skips_a_change_still_claimed_by_a_crashed_delivery_and_mails_it_after_the_lease(
        cloud, saas, monkeypatch, caplog):  # noqa: F811
    """Brief s22 3: the local scheduler emulation (`clausewatch tick`, `serve`'s rounds) fired a
    calendar change whose claim a crashed invocation still held: ChangeInFlight ended the whole tick
    with a traceback (and a `serve` round skipped everything after it). It is left with a log line
    and fired again once the claim's lease has run out, as Lambda's retry is: mailed once."""
    from clausewatch.pipeline import calendar_changes

    notice = _moved(cloud, saas)
    [schedule] = [s for s in cloud.schedules() if s["Name"] == notice["name"]]
    fire_at = schedule["fire_at"]
    clock.set_now(fire_at)
    sent = len(cloud.sent_mail())

    def killed_before_sending(message):
        raise Killed

    monkeypatch.setattr(calendar_changes, "send_email", killed_before_sending)
    with pytest.raises(Killed):  # the scheduler's delivery: claimed, then the invocation died
        invoke("alert", notice)
    monkeypatch.undo()
    with caplog.at_level("WARNING", logger="clausewatch.local.cloud"):
        cloud.fire_until(fire_at + timedelta(seconds=30))  # within the lease: held, no error
    assert _updates(cloud, sent) == []
    [held] = cloud.held
    assert held.name == notice["name"] and "being mailed by another delivery" in held.result["reason"]
    assert datetime.fromisoformat(held.result["retry_at"]) > fire_at + timedelta(
        seconds=config.CALENDAR_CHANGE_LEASE_SECONDS)
    assert any(notice["name"] in r.getMessage() and "fired again at" in r.getMessage() for r in caplog.records)
    assert notice["name"] in {s["Name"] for s in cloud.schedules()}  # left to fire again
    cloud.fire_until(fire_at + timedelta(minutes=2))  # after the lease: mailed, once
    [update] = _updates(cloud, sent)
    assert update["Subject"].startswith("Calendar update: Notice deadline moved to 31 Dec 2027")
    assert notice["name"] not in {s["Name"] for s in cloud.schedules()}
    assert invites.get(saas, "notice_deadline").due == "2027-12-31"
