"""Reminders on a contract's business days (QA Q6 SHOULD-5): a reminder whose day is a weekend day
or a public holiday of the contract's jurisdiction fires on the business day before it, at the same
local hour; the alert about a deadline on such a day says so (a Sunday deadline's 14-day, 7-day and
due-day reminders all came on Sundays)."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime

from clausewatch.notify import closed_day_note, content_for, decide_alert, render_alert_email
from clausewatch.plan import ContractInfo, Deadline, plan_reminders, reminder_name

LA = ContractInfo(contract_id="c-la", title="Services Agreement", counterparty="Blue Heron Services Limited",
                  owner="us@example.com", team="t-us", contract_type="saas",
                  time_zone="America/Los_Angeles", jurisdiction="California")
SUNDAY = date(2027, 3, 14)
NOTICE = Deadline("notice_deadline", "notice_deadline", "Last day to give notice of non-renewal", SUNDAY,
                  LA.owner, None, "expiration_date 2027-06-12 - P90D", "Send notice.")
PLANNED = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def _local(reminders):
    return [(r.lead_days, r.schedule_expression) for r in reminders]


def test_a_sunday_deadlines_reminders_come_on_the_friday_before():
    reminders = plan_reminders(LA, [NOTICE], PLANNED)
    assert _local(reminders) == [
        (90, "at(2026-12-14T09:00:00)"), (60, "at(2027-01-13T09:00:00)"), (30, "at(2027-02-12T09:00:00)"),
        (14, "at(2027-02-26T09:00:00)"), (7, "at(2027-03-05T09:00:00)"), (0, "at(2027-03-12T09:00:00)")]
    assert all(r.fire_at.weekday() < 5 for r in reminders)
    # the moved ones have names of their own (a schedule created for the Sunday is replaced)
    assert reminders[-1].name == reminder_name("c-la", "notice_deadline", SUNDAY, 0, date(2027, 3, 12))
    assert reminders[-1].name != reminder_name("c-la", "notice_deadline", SUNDAY, 0)


def test_a_holiday_of_the_contracts_jurisdiction_moves_its_reminder():
    tokyo = ContractInfo(**{**LA.__dict__, "time_zone": "Asia/Tokyo", "jurisdiction": "Japan"})
    foundation_day = Deadline(**{**NOTICE.__dict__, "due": date(2027, 2, 11)})  # a Thursday
    reminders = plan_reminders(tokyo, [foundation_day], PLANNED, lead_times=())
    assert _local(reminders) == [(0, "at(2027-02-10T09:00:00)")]


def test_two_reminders_moved_onto_one_day_send_one():
    # Saturday 13 and Sunday 14 Mar both move to Friday 12 Mar: the due-day one reminds
    reminders = plan_reminders(LA, [NOTICE], PLANNED, lead_times=(1,))
    assert _local(reminders) == [(0, "at(2027-03-12T09:00:00)")]


def test_a_reminder_sent_on_the_day_itself_before_is_not_caught_up_again():
    after = datetime(2027, 3, 1, 20, 0, tzinfo=UTC)  # Monday 1 Mar: the 14-day reminder (26 Feb) passed
    sunday_name = reminder_name("c-la", "notice_deadline", SUNDAY, 14)
    assert [r.immediate for r in plan_reminders(LA, [NOTICE], after)][0] is True
    assert not [r for r in plan_reminders(LA, [NOTICE], after, sent={sunday_name}) if r.immediate]


def test_the_alert_about_a_sunday_deadline_says_so():
    reminder = plan_reminders(LA, [NOTICE], PLANNED)[-1]
    content = content_for(LA, NOTICE, sent_at=reminder.fire_at, api_base_url="https://cw.example/api")
    decision = decide_alert(reminder.payload(), current_due=SUNDAY, obligation_status="open", already_sent=set(),
                            owner=LA.owner, contract_owner=LA.owner, escalation_email=None,
                            default_owner="contracts@example.com")
    message = email.message_from_bytes(render_alert_email(content, decision, "cw@example.com").as_bytes(),
                                       policy=email.policy.default)
    plain = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
    assert "2 days left." in plain
    assert ("Sunday 14 Mar 2027 is not a business day (a weekend day; US-CA holidays): reminders of it come on "
            "the business day before; to be safe, act by Friday 12 Mar 2027.") in " ".join(plain.split())
    monday = Deadline(**{**NOTICE.__dict__, "due": date(2027, 3, 15)})
    assert content_for(LA, monday, sent_at=reminder.fire_at, api_base_url="https://cw.example/api").closed_day is None


def test_the_contracts_jurisdiction_is_its_metadatas_else_its_governing_law():
    from clausewatch.pipeline.record import contract_info
    from clausewatch.store.models import ContractItem

    def item(jurisdiction):
        return ContractItem("C#x", "META", contract_id="x", file_name="c.pdf", team="t", time_zone="Asia/Tokyo",
                            jurisdiction=jurisdiction, extraction={"terms": {"governing_law": {"value": "Japan"}}})
    assert contract_info(item(None)).jurisdiction == "Japan"  # was None: reminder days counted US holidays
    assert contract_info(item("GB-ENG")).jurisdiction == "GB-ENG"


def test_a_reminder_sent_moved_is_not_sent_again_once_another_calendar_is_set():
    """Review rv11 S1: the 14-day reminder, moved off Thanksgiving under the default calendar (the
    governing law "Nippon" has none), was sent on 24 Nov under its "moved" name; a person then set
    the jurisdiction to JP, where 25 Nov is a business day, and the plan made it again as a catch-up,
    while the 7-day reminder did not count it as an earlier one (no escalation)."""
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    due = date(2027, 12, 9)
    deadline = Deadline("notice_deadline", "notice_deadline", "Last day to give notice", due, "o@example.com", None,
                        "expiration_date 2028-03-08 - P90D", "Send notice.")

    def info(jurisdiction):
        return ContractInfo(contract_id="c1", title="Services", counterparty=None, owner="o@example.com", team="t1",
                            contract_type="saas", time_zone="Asia/Tokyo", jurisdiction=jurisdiction)

    before = plan_reminders(info("Nippon"), [deadline], datetime(2027, 11, 1, 9, 0, tzinfo=tokyo))
    [fourteen] = [r for r in before if r.lead_days == 14]
    assert fourteen.fire_at.date() == date(2027, 11, 24)  # moved off Thanksgiving (the default calendar)
    after = plan_reminders(info("JP"), [deadline], datetime(2027, 11, 26, 10, 0, tzinfo=tokyo), sent={fourteen.name})
    assert not [r for r in after if r.immediate]  # was: the 14-day reminder again, at once
    [seven] = [r for r in after if r.lead_days == 7]
    assert fourteen.name in seven.earlier_names  # an escalation counts the reminder sent


def test_a_holiday_on_a_day_that_is_a_working_day_there_is_named_not_called_a_weekend():
    # Saudi Arabia works Sunday to Thursday: Sunday 16 May 2027 is Eid al-Adha, not its weekend
    note = closed_day_note(date(2027, 5, 16), "SA")
    assert note is not None and "(Eid al-Adha Holiday, a public holiday; SA holidays, weekend Friday and Saturday)" \
        in note and "a weekend day" not in note
    # its Friday is its weekend
    assert "(a weekend day; SA holidays" in (closed_day_note(date(2027, 5, 14), "SA") or "")
