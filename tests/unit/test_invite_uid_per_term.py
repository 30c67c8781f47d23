"""A renewed term's deadline is a calendar entry of its own (QA Q6 SHOULD-4): the next term's notice
deadline was mailed with last term's UID and a higher SEQUENCE, so calendars moved the past entry to
the new date. The UID of an entry already mailed for the running term stays what it was."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar

from clausewatch.notify import (
    AlertDecision,
    CalendarEntry,
    content_for,
    event_uid,
    invite_uid,
    render_alert_email,
    render_calendar_change,
)
from clausewatch.plan import ContractInfo, Deadline

LA = ContractInfo(contract_id="c-la", title="Services Agreement", counterparty="Blue Heron", owner="us@example.com",
                  team="t-us", contract_type="saas", time_zone="America/Los_Angeles", jurisdiction="California")
LEGACY = event_uid("c-la", "notice_deadline")  # the UID every invite had before


def test_nothing_mailed_yet_or_the_running_terms_entry_keeps_the_uid_it_had():
    assert invite_uid("c-la", "notice_deadline", date(2027, 3, 14), None, date(2026, 12, 14)) == LEGACY
    # an entry mailed before per-term UIDs (none recorded), its day ahead: a reminder, or a moved date
    assert invite_uid("c-la", "notice_deadline", date(2027, 3, 14), (date(2027, 3, 14), None),
                      date(2027, 3, 1)) == LEGACY
    assert invite_uid("c-la", "notice_deadline", date(2027, 3, 20), (date(2027, 3, 14), None),
                      date(2027, 3, 1)) == LEGACY
    # the due-day reminder, sent on its day
    assert invite_uid("c-la", "notice_deadline", date(2027, 3, 14), (date(2027, 3, 14), None),
                      date(2027, 3, 14)) == LEGACY


def test_the_next_terms_deadline_gets_its_own_uid_once_last_terms_day_passed():
    next_term = invite_uid("c-la", "notice_deadline", date(2028, 3, 14), (date(2027, 3, 14), None),
                           date(2027, 12, 15))
    assert next_term not in (LEGACY, event_uid("c-la", "expiration"))
    # its later reminders (the entry held now is its own) keep it, and so does the term after's first one
    assert invite_uid("c-la", "notice_deadline", date(2028, 3, 14), (date(2028, 3, 14), next_term),
                      date(2028, 2, 1)) == next_term
    third = invite_uid("c-la", "notice_deadline", date(2029, 3, 14), (date(2028, 3, 14), next_term),
                       date(2028, 12, 15))
    assert third not in (LEGACY, next_term)


def _uid(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return str(Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")[0]["UID"])


def test_the_invites_and_calendar_changes_carry_the_entrys_uid():
    deadline = Deadline("notice_deadline", "notice_deadline", "Last day to give notice", date(2028, 3, 14),
                        LA.owner, None, "term end 2028-06-12 - P90D", "Send notice.")
    at = datetime(2027, 12, 15, 17, 0, tzinfo=UTC)
    content = content_for(LA, deadline, sent_at=at, api_base_url="https://cw.example/api", uid="u-2028@cw")
    decision = AlertDecision(send=True, reason="reminder", to=[LA.owner], cc=[], escalated=False, unowned=False)
    assert _uid(render_alert_email(content, decision, "cw@example.com")) == "u-2028@cw"
    assert _uid(render_alert_email(content_for(LA, deadline, sent_at=at, api_base_url="https://cw.example/api"),
                                   decision, "cw@example.com")) == LEGACY
    entry = CalendarEntry(contract_id="c-la", contract_title="Services Agreement", counterparty=None,
                          obligation_id="notice_deadline", kind="notice_deadline", summary="Last day",
                          was=date(2028, 3, 14), time_zone=LA.time_zone, uid="u-2028@cw")
    for action in ("update", "cancel"):
        message = render_calendar_change(entry, action=action, reason="r", to=[LA.owner], sender="cw@example.com",
                                         sent_at=at, api_url="https://cw.example/api",
                                         deadline=deadline if action == "update" else None)
        assert _uid(message) == "u-2028@cw"


def test_an_invite_recorded_before_per_term_uids_keeps_its_recipients_at_the_next_reminder(monkeypatch):
    """Review rv11 M1: an INVITE# item written before per-term UIDs has none; the same term's next
    reminder, mailed with the obligation's first UID (the same entry), was recorded as another entry
    and dropped the calendars that held it (the escalation contact's never heard of a later change)."""
    from types import SimpleNamespace

    from clausewatch.calendar_updates import SENT
    from clausewatch.store import invites

    held = SimpleNamespace(uid=None, to=["owner@example.com", "escalation@example.com"], state=SENT, due="2027-03-14")
    monkeypatch.setattr(invites, "get", lambda contract_id, obligation_id: held)
    saved: dict = {}

    class Recorded:
        def __init__(self, *args, **fields):
            saved.update(fields)

        def save(self):
            pass

    monkeypatch.setattr(invites, "_bound", lambda: Recorded)
    uid = invite_uid("c-la", "notice_deadline", date(2027, 3, 14), (date(2027, 3, 14), None), date(2027, 3, 7))
    assert uid == LEGACY
    invites.record_sent(contract_id="c-la", obligation_id="notice_deadline", due="2027-03-14",
                        to=["owner@example.com"], kind="notice_deadline", summary="Notice", title="Services",
                        counterparty=None, time_zone="UTC", sequence=5, uid=uid)
    assert saved["to"] == ["owner@example.com", "escalation@example.com"]  # was: the owner alone
    # a later term's entry (its own UID) is held by the calendars it went to only
    later = event_uid("c-la", "notice_deadline@2028-03-14")
    invites.record_sent(contract_id="c-la", obligation_id="notice_deadline", due="2028-03-14",
                        to=["owner@example.com"], kind="notice_deadline", summary="Notice", title="Services",
                        counterparty=None, time_zone="UTC", sequence=6, uid=later)
    assert saved["to"] == ["owner@example.com"]
