"""clausewatch.notify: whether to alert, to whom, and the email (parsed back as a client would)."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from clausewatch.dates import end_of_day
from clausewatch.notify import (
    AlertDecision,
    calendar_for_deadlines,
    content_for,
    days_left,
    days_left_phrase,
    decide_alert,
    event_uid,
    render_alert_email,
)
from clausewatch.plan import ContractInfo, Deadline, diff_schedules, plan_reminders

CONTRACT = ContractInfo(
    contract_id="c-7f3a9e21", title="Cloud Services Subscription Agreement",
    counterparty="Northwind Analytics, Inc.", owner="maria.chen@acme.example", team="procurement",
    contract_type="saas", time_zone="America/New_York", jurisdiction="New York")
CLAUSE = ("This Agreement shall renew automatically for successive one (1) year periods unless either "
          "party gives written notice of non-renewal at least sixty (60) days prior to the end of the "
          "then-current term <b>& such notice</b> shall be sent to legal@northwind.example.")
NOTICE = Deadline(
    obligation_id="notice_deadline", kind="notice_deadline",
    summary="Last day to give 60 days notice of non-renewal (else renews for 1 year)",
    due=date(2026, 12, 29), owner="maria.chen@acme.example",
    evidence={"page": 3, "start": 120, "end": 120 + len(CLAUSE), "text": CLAUSE},
    derivation="expiration_date 2027-02-27 - P60D",
    action="Decide whether to renew; to stop the automatic renewal for another 1 year, send written "
           "notice of non-renewal to Northwind Analytics, Inc. by 29 Dec 2026.")
NOTICE_DEADLINE_AT = end_of_day(date(2026, 12, 29), "America/New_York")
PLANNED = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)
API = "https://clausewatch.example.com/api/"
SENDER = "clausewatch@example.com"


def _reminders():
    return plan_reminders(CONTRACT, [NOTICE], PLANNED)


def _decide(payload: dict, **overrides) -> AlertDecision:
    arguments = dict(current_due=date(2026, 12, 29), obligation_status="open", already_sent=set(),
                     owner="maria.chen@acme.example", contract_owner="head.procurement@acme.example",
                     escalation_email="legal-ops@acme.example", default_owner="contracts@acme.example")
    arguments.update(overrides)
    return decide_alert(payload, **arguments)


def _parse(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)


def _part(message, content_type: str):
    parts = [p for p in message.walk() if p.get_content_type() == content_type]
    assert len(parts) == 1, content_type
    return parts[0]


# --- decisions -----------------------------------------------------------------------------------

def test_first_reminder_goes_to_the_owner_only():
    catch_up = _reminders()[0]  # the 60-day catch-up: the 90-day one was never sent
    decision = _decide(catch_up.payload())
    assert decision.send and not decision.escalated and not decision.unowned
    assert decision.to == ["maria.chen@acme.example"] and decision.cc == []


@pytest.mark.parametrize("status", ["done", "waived", "superseded", "cancelled", "DONE"])
def test_closed_obligation_is_not_alerted(status):
    decision = _decide(_reminders()[1].payload(), obligation_status=status)
    assert not decision.send and status.lower() in decision.reason and decision.to == []


def test_moved_date_supersedes_the_reminder():
    decision = _decide(_reminders()[1].payload(), current_due=date(2027, 1, 5))
    assert not decision.send
    assert decision.reason == "superseded: due date moved from 2026-12-29 to 2027-01-05"
    assert not _decide(_reminders()[1].payload(), current_due=None).send


def test_already_sent_reminder_is_deduplicated():
    reminder = _reminders()[1]
    decision = _decide(reminder.payload(), already_sent={reminder.name})
    assert not decision.send and decision.reason.startswith("already sent")


def test_later_reminder_escalates_when_an_earlier_one_was_sent():
    reminders = _reminders()
    fourteen_days = reminders[2]
    decision = _decide(fourteen_days.payload(), already_sent={reminders[0].name, reminders[1].name})
    assert decision.send and decision.escalated
    assert decision.to == ["maria.chen@acme.example"]
    assert decision.cc == ["head.procurement@acme.example", "legal-ops@acme.example"]
    # other contracts' or other deadlines' sent reminders do not count
    unrelated = _decide(fourteen_days.payload(), already_sent={"cw-c-other-0123456789abcdef"})
    assert not unrelated.escalated and unrelated.cc == []


def test_acknowledged_obligation_is_reminded_without_escalation():
    reminders = _reminders()
    decision = _decide(reminders[2].payload(), already_sent={reminders[0].name, reminders[1].name},
                       acknowledged=True)
    assert decision.send and not decision.escalated
    assert decision.to == ["maria.chen@acme.example"] and decision.cc == []
    assert "acknowledged" in decision.reason
    # still nothing for a closed one, acknowledged or not
    assert not _decide(reminders[2].payload(), obligation_status="waived", acknowledged=True).send


def test_unowned_obligation_goes_to_the_default_owner():
    decision = _decide(_reminders()[1].payload(), owner=None, contract_owner=None)
    assert decision.send and decision.unowned
    assert decision.to == ["contracts@acme.example"]
    # the contract's owner stands in for an obligation without one
    fallback = _decide(_reminders()[1].payload(), owner=None)
    assert fallback.to == ["head.procurement@acme.example"] and not fallback.unowned


def test_escalation_does_not_copy_the_recipient_twice():
    reminders = _reminders()
    decision = _decide(reminders[2].payload(), already_sent={reminders[1].name},
                       owner=None, contract_owner="maria.chen@acme.example")
    assert decision.to == ["maria.chen@acme.example"]
    assert decision.cc == ["legal-ops@acme.example"]


# --- content and email ---------------------------------------------------------------------------

def test_days_left_counts_in_the_contracts_time_zone():
    # 03:00 UTC on 26 Nov is still 25 Nov (22:00) in New York
    assert days_left(date(2026, 12, 29), datetime(2026, 11, 26, 3, 0, tzinfo=UTC),
                     "America/New_York") == 34
    assert days_left(date(2026, 12, 29), datetime(2026, 11, 26, 3, 0, tzinfo=UTC), "UTC") == 33
    assert days_left(date(2026, 11, 20), PLANNED, "America/New_York") == -5


def test_alert_email_round_trip():
    reminder = _reminders()[1]
    decision = _decide(reminder.payload())
    sent_at = PLANNED + timedelta(days=4)  # the 30-day reminder fires 29 Nov, 09:00 New York
    content = content_for(CONTRACT, NOTICE, sent_at=sent_at, api_base_url=API,
                          reminder_name=reminder.name)
    assert content.days_left == 30
    assert content.deadline_at == reminder.deadline_at
    message = _parse(render_alert_email(content, decision, SENDER))

    assert message["Subject"] == ("Notice deadline 29 Dec 2026 (30 days left): "
                                  "Cloud Services Subscription Agreement - Northwind Analytics, Inc.")
    assert message["From"] == SENDER and message["To"] == "maria.chen@acme.example"
    assert message["Cc"] is None
    assert message["X-Clausewatch-Reminder"] == reminder.name
    assert message.get_content_type() == "multipart/mixed"

    plain = _part(message, "text/plain").get_content()
    html = _part(message, "text/html").get_content()
    for body in (plain, html):
        assert "29 Dec 2026" in body
        assert "page 3" in body
        assert "expiration_date 2027-02-27 - P60D" in body
        assert "send written" in body  # what to do
        assert "https://clausewatch.example.com/api/contracts/c-7f3a9e21" in body
    assert "<b>& such notice</b>" in plain
    assert "&lt;b&gt;&amp; such notice&lt;/b&gt;" in html and "<b>&" not in html

    attachment = _part(message, "text/calendar")
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_filename() == "deadline.ics"
    calendar = Calendar.from_ical(attachment.get_content())
    assert str(calendar["METHOD"]) == "PUBLISH"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("DTSTART") == date(2026, 12, 29)
    assert event.decoded("DTEND") == date(2026, 12, 30)
    assert str(event["UID"]) == event_uid(CONTRACT.contract_id, "notice_deadline")
    assert "Notice deadline" in str(event["SUMMARY"])
    description = str(event["DESCRIPTION"])
    assert "expiration_date 2027-02-27 - P60D" in description and "sixty (60) days" in description
    assert len(list(event.walk("VALARM"))) == 1


def test_moved_date_keeps_the_calendar_uid():
    moved = replace(NOTICE, due=date(2027, 1, 5))
    decision = AlertDecision(True, "reminder due", ["a@acme.example"], [], False, False)
    uids = set()
    for deadline in (NOTICE, moved):
        content = content_for(CONTRACT, deadline, sent_at=PLANNED, api_base_url=API)
        ics = _part(_parse(render_alert_email(content, decision, SENDER)), "text/calendar")
        event = next(iter(Calendar.from_ical(ics.get_content()).walk("VEVENT")))
        assert event.decoded("DTSTART") == deadline.due
        uids.add(str(event["UID"]))
    assert len(uids) == 1
    assert event_uid(CONTRACT.contract_id, "expiration") not in uids


def test_escalated_and_overdue_subject_and_headers():
    reminders = _reminders()
    decision = _decide(reminders[2].payload(), already_sent={reminders[1].name})
    content = content_for(CONTRACT, NOTICE, sent_at=datetime(2027, 1, 1, 14, tzinfo=UTC),
                          api_base_url=API)
    message = _parse(render_alert_email(content, decision, SENDER))
    assert message["Subject"].startswith("[Escalation] Notice deadline 29 Dec 2026 (OVERDUE by 3 days): ")
    assert message["Cc"] == "head.procurement@acme.example, legal-ops@acme.example"
    assert "ESCALATION" in _part(message, "text/plain").get_content()


@pytest.mark.parametrize("sent_at, phrase", [
    (datetime(2026, 12, 29, 14, tzinfo=UTC), "(due today)"),
    (datetime(2026, 12, 28, 14, tzinfo=UTC), "(1 day left)"),
    (datetime(2026, 12, 30, 14, tzinfo=UTC), "(OVERDUE by 1 day)"),
])
def test_subject_days_phrase(sent_at, phrase):
    decision = AlertDecision(True, "reminder due", ["a@acme.example"], [], False, False)
    content = content_for(CONTRACT, NOTICE, sent_at=sent_at, api_base_url=API)
    assert phrase in _parse(render_alert_email(content, decision, SENDER))["Subject"]


def test_obligation_subject_names_the_duty_and_unowned_note():
    report = Deadline("ob-usage@2026-12-14", "recurring", "Report (recurring): Monthly usage report",
                      date(2026, 12, 14), None, None, "RRULE:FREQ=MONTHLY;BYMONTHDAY=1 -> ...",
                      "Check that Provider delivers the report.")
    decision = _decide({"name": "n", "due": "2026-12-14", "sequence": 0}, current_due=date(2026, 12, 14),
                       owner=None, contract_owner=None)
    message = _parse(render_alert_email(
        content_for(CONTRACT, report, sent_at=PLANNED, api_base_url=API), decision, SENDER))
    assert message["Subject"] == (
        "Due 14 Dec 2026 (19 days left): Report (recurring): Monthly usage report"
        " - Cloud Services Subscription Agreement - Northwind Analytics, Inc.")
    assert message["To"] == "contracts@acme.example"
    assert "No owner" in _part(message, "text/plain").get_content()


def test_suppressed_decision_cannot_be_rendered():
    content = content_for(CONTRACT, NOTICE, sent_at=PLANNED, api_base_url=API)
    with pytest.raises(ValueError):
        render_alert_email(content, AlertDecision(False, "obligation done", [], [], False, False), SENDER)


def test_calendar_for_deadlines_has_one_event_per_deadline():
    expiration = replace(NOTICE, obligation_id="expiration", kind="expiration", due=date(2027, 2, 27))
    data = calendar_for_deadlines(CONTRACT, [NOTICE, expiration], api_base_url=API, stamp=PLANNED)
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert [e.decoded("DTSTART") for e in events] == [date(2026, 12, 29), date(2027, 2, 27)]
    assert len({str(e["UID"]) for e in events}) == 2
    assert calendar_for_deadlines(CONTRACT, [NOTICE], stamp=PLANNED) == \
        calendar_for_deadlines(CONTRACT, [NOTICE], stamp=PLANNED)  # deterministic


def test_daily_replanning_and_firing_sends_each_reminder_once():
    """Simulate the planner re-running every day and the scheduler firing what is due."""
    sent: list[tuple[datetime, str, AlertDecision]] = []
    scheduled: dict[str, object] = {}
    clock = PLANNED
    while clock < datetime(2027, 1, 15, tzinfo=UTC):
        wanted = plan_reminders(CONTRACT, [NOTICE], clock, sent={name for _, name, _ in sent})
        to_create, to_delete = diff_schedules(wanted, set(scheduled), CONTRACT.contract_id)
        for name in to_delete:
            del scheduled[name]
        scheduled.update({r.name: r for r in to_create})
        for name, reminder in sorted(scheduled.items(), key=lambda item: item[1].fire_at):
            if reminder.fire_at <= clock + timedelta(days=1):  # fires before the next run
                del scheduled[name]  # one-time schedules delete themselves after completion
                decision = _decide(reminder.payload(), already_sent={n for _, n, _ in sent})
                if decision.send:
                    sent.append((reminder.fire_at, name, decision))
        clock += timedelta(days=1)
    names = [name for _, name, _ in sent]
    assert len(names) == len(set(names)) == 5  # the 60-day catch-up, then 30, 14, 7 and 0 days
    assert all(at <= NOTICE_DEADLINE_AT for at, _, _ in sent)
    assert [d.escalated for _, _, d in sent] == [False, True, True, True, True]


def test_a_date_gone_by_that_is_no_ones_duty_is_not_told_as_overdue():
    """An expiration past its day: the contract expired, nothing is overdue (as the API and the
    overdue webhook say); a duty past its day is overdue."""
    assert days_left_phrase(-3, "expiration") == "passed 3 days ago"
    assert days_left_phrase(-1, "notice_deadline") == "OVERDUE by 1 day"
    assert days_left_phrase(-2) == "OVERDUE by 2 days"
    assert days_left_phrase(0, "expiration") == "due today"
