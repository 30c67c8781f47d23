"""clausewatch.plan: deadlines from an extraction, reminders, schedule names and diffs."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clausewatch import config
from clausewatch.notify import decide_alert
from clausewatch.pipeline.reminders import _carried_payload
from clausewatch.plan import (
    ContractInfo,
    Deadline,
    deadlines_for_contract,
    diff_schedules,
    is_schedule_of,
    occurrence_for_period,
    passed_notice_deadline,
    plan_reminders,
    reminder_name,
    renewed_from,
    schedule_name_prefix,
    validate_at_expression,
)

NEW_YORK = ZoneInfo("America/New_York")
NAME_RULE = re.compile(r"^[0-9a-zA-Z_.-]{1,64}$")

SAAS = ContractInfo(
    contract_id="c-7f3a9e21", title="Cloud Services Subscription Agreement",
    counterparty="Northwind Analytics, Inc.", owner="maria.chen@acme.example", team="procurement",
    contract_type="saas", time_zone="America/New_York", jurisdiction=None)


def _evidence(text: str, page: int = 1) -> dict:
    return {"page": page, "start": 0, "end": len(text), "text": text}


def saas_extraction(notice_deadline: str = "2026-12-29") -> dict:
    """A 36-month SaaS subscription from 28 Feb 2024 that renews yearly unless 60 days' notice."""
    return {
        "terms": {
            "effective_date": {"value": "2024-02-28", "evidence": _evidence(
                "This Agreement is effective as of February 28, 2024 (the \"Effective Date\").")},
            "expiration_date": {"value": "2027-02-27",
                                "derivation": "effective_date 2024-02-28 + P36M - 1 day",
                                "evidence": _evidence("an initial term of thirty-six (36) months", 3)},
            "auto_renewal": {"value": True, "evidence": _evidence(
                "shall automatically renew for successive one (1) year periods", 3)},
            "renewal_term": {"value": "P1Y", "evidence": _evidence(
                "shall automatically renew for successive one (1) year periods", 3)},
            "notice_period": {"value": "P60D", "evidence": _evidence(
                "unless either party gives written notice of non-renewal at least sixty (60) days "
                "prior to the end of the then-current term", 3)},
            "notice_deadline": {"value": notice_deadline,
                                "derivation": "expiration_date 2027-02-27 - P60D",
                                "evidence": _evidence(
                                    "unless either party gives written notice of non-renewal at "
                                    "least sixty (60) days prior to the end of the then-current term", 3)},
            "governing_law": {"value": "New York", "evidence": _evidence(
                "governed by the laws of the State of New York", 9)},
        },
        "parties": [{"name": "Northwind Analytics, Inc.", "role": "Provider"},
                    {"name": "Acme Corp.", "role": "Customer"}],
        "obligations": [
            {"id": "ob-usage-report", "party": "Provider", "kind": "report",
             "summary": "Monthly service availability and usage report",
             "due_date": None, "recurrence": "RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "offset": "+P10BD",
             "evidence": _evidence("Within ten (10) business days after the end of each calendar "
                                   "month, Provider shall deliver a report", 5)},
            {"id": "ob-annual-fee", "party": "Customer", "kind": "payment",
             "summary": "Annual subscription fee for the renewal year",
             "due_date": "2027-03-31", "recurrence": None, "offset": None,
             "evidence": _evidence("Customer shall pay the annual fee no later than March 31, 2027", 6)},
        ],
    }


def _by_id(deadlines: list[Deadline]) -> dict[str, Deadline]:
    return {d.obligation_id.split("@")[0]: d for d in deadlines}


# --- deadlines -----------------------------------------------------------------------------------

def test_saas_deadlines_as_extracted():
    deadlines = deadlines_for_contract(SAAS, saas_extraction(), date(2026, 11, 25))
    found = _by_id(deadlines)
    assert set(found) == {"notice_deadline", "expiration", "ob-usage-report", "ob-annual-fee"}
    assert [d.due for d in deadlines] == sorted(d.due for d in deadlines)

    notice = found["notice_deadline"]
    assert notice.kind == "notice_deadline"
    assert notice.due == date(2026, 12, 29)
    assert notice.derivation == "expiration_date 2027-02-27 - P60D"
    assert "sixty (60) days" in notice.evidence["text"]
    assert notice.owner == SAAS.owner
    assert "non-renewal" in notice.action and "29 Dec 2026" in notice.action
    assert "Northwind Analytics, Inc." in notice.action
    assert "renews on 28 Feb 2027" in notice.action

    expiration = found["expiration"]
    assert expiration.due == date(2027, 2, 27)
    assert expiration.derivation == "effective_date 2024-02-28 + P36M - 1 day"

    fee = found["ob-annual-fee"]
    assert (fee.kind, fee.due, fee.obligation_id) == ("payment", date(2027, 3, 31), "ob-annual-fee")
    assert fee.action.startswith("Customer (Acme Corp.) must pay by 31 Mar 2027")


def test_dates_left_blank_schedule_nothing_from_them():
    # "made this ___ day of ______, 2024" and a term counted from it: nothing to schedule from the
    # term; the dated payment and the recurring report still are
    extraction = saas_extraction()
    terms = extraction["terms"]
    terms["effective_date"] = {**terms["effective_date"], "value": "2024"}
    terms["expiration_date"] = {**terms["expiration_date"], "value": "2027",
                                "derivation": "effective_date 2024 + P3Y (the day was left blank)"}
    del terms["notice_deadline"]
    ids = set(_by_id(deadlines_for_contract(SAAS, extraction, date(2026, 11, 25))))
    assert "notice_deadline" not in ids and "expiration" not in ids
    assert {"ob-usage-report", "ob-annual-fee"} <= ids


def test_recurring_report_next_occurrence_skips_new_york_holidays():
    deadlines = deadlines_for_contract(SAAS, saas_extraction(), date(2026, 11, 3))
    report = _by_id(deadlines)["ob-usage-report"]
    # October ends Sat 31 Oct; 10 New York business days later: Nov 2, 4-6, 9-10, 12-13, 16-17,
    # skipping Election Day (3 Nov, a New York holiday) and Veterans Day (11 Nov)
    assert report.due == date(2026, 11, 17)
    assert report.obligation_id == "ob-usage-report@2026-11-17"
    assert report.kind == "recurring"
    assert report.summary.startswith("Report (recurring)")
    assert "period end 2026-10-31" in report.derivation and "US-NY holidays" in report.derivation
    # the provider owes it: the customer's job is to check it arrives
    assert report.action.startswith("Check that Provider (Northwind Analytics, Inc.)")


def test_recurring_occurrence_marked_done_moves_to_the_next_one():
    today = date(2026, 11, 3)
    done = {"ob-usage-report@2026-11-17"}
    report = _by_id(deadlines_for_contract(SAAS, saas_extraction(), today, done))["ob-usage-report"]
    assert report.due == date(2026, 12, 14)  # November ends Mon 30 Nov -> 14 Dec
    whole_duty_done = deadlines_for_contract(SAAS, saas_extraction(), today, {"ob-usage-report"})
    assert "ob-usage-report" not in _by_id(whole_duty_done)


def test_recurring_report_over_new_year_holiday():
    report = _by_id(deadlines_for_contract(SAAS, saas_extraction(), date(2026, 12, 15)))["ob-usage-report"]
    # December ends Thu 31 Dec; 1 Jan is New Year's Day: Jan 4-8 and 11-15
    assert report.due == date(2027, 1, 15)
    # an English contract (no New York holidays) counts the same days here
    english = replace(SAAS, jurisdiction="England")
    assert _by_id(deadlines_for_contract(english, saas_extraction(), date(2026, 11, 3)))[
        "ob-usage-report"].due == date(2026, 11, 13)


def test_done_term_deadline_is_omitted():
    deadlines = deadlines_for_contract(SAAS, saas_extraction(), date(2026, 11, 25), {"notice_deadline"})
    assert "notice_deadline" not in _by_id(deadlines)
    assert "expiration" in _by_id(deadlines)
    # a done marker for one date leaves a moved date alone
    dated = deadlines_for_contract(SAAS, saas_extraction("2026-12-22"), date(2026, 11, 25),
                                   {"notice_deadline@2026-12-29"})
    assert _by_id(dated)["notice_deadline"].due == date(2026, 12, 22)


def _renewing(expiration: str, notice: str | None, renewal: str = "P1Y", period: str = "P90D") -> dict:
    terms = {
        "expiration_date": {"value": expiration, "derivation": f"stated: expires on {expiration}",
                            "evidence": _evidence(f"expires on {expiration}")},
        "auto_renewal": {"value": True, "evidence": _evidence("renews automatically")},
        "renewal_term": {"value": renewal, "evidence": _evidence("for successive renewal terms")},
        "notice_period": {"value": period, "evidence": _evidence("ninety (90) days' notice")},
    }
    if notice:
        terms["notice_deadline"] = {"value": notice, "derivation": f"expiration_date {expiration} - {period}"}
    return {"terms": terms, "obligations": []}


def test_auto_renewal_rolls_forward_after_expiration():
    deadlines = _by_id(deadlines_for_contract(SAAS, _renewing("2026-06-02", "2026-03-04"),
                                              date(2026, 11, 25)))
    expiration, notice = deadlines["expiration"], deadlines["notice_deadline"]
    assert expiration.due == date(2027, 6, 2)
    assert expiration.derivation == "expiration_date 2026-06-02 renewed 1 x P1Y -> 2027-06-02"
    assert notice.due == date(2027, 3, 4)  # 2027-06-02 - 90 days
    assert notice.derivation.startswith("expiration_date 2026-06-02 renewed 1 x P1Y -> 2027-06-02; ")
    assert "- P90D" in notice.derivation and notice.derivation.endswith("= 2027-03-04")
    assert "renews on 3 Jun 2027" in notice.action


def test_a_notice_period_of_no_days_rolls_forward_with_the_term():
    """Notice up to the term's last day (P0D, as a person may enter): the deadline is the current
    term's end, not the first term's, long past. (Before: 2026-06-02, overdue.)"""
    deadlines = _by_id(deadlines_for_contract(SAAS, _renewing("2026-06-02", "2026-06-02", period="P0D"),
                                              date(2026, 12, 4)))
    notice = deadlines["notice_deadline"]
    assert notice.due == date(2027, 6, 2) == deadlines["expiration"].due
    assert notice.derivation == "expiration_date 2026-06-02 renewed 1 x P1Y -> 2027-06-02; term end 2027-06-02 - P0D"


def test_the_running_terms_passed_notice_deadline_is_counted_as_the_planner_counts_it():
    """The deadline a MISSED record keeps for a contract first planned too late: the running term's
    own, by the planner's arithmetic (a stated deadline; business days of the governing law's
    calendar; a renewed term's roll), and only when it is past."""
    # computed: 2027-02-28 - P90D = 2026-11-30, four days before
    assert passed_notice_deadline(SAAS, _renewing("2027-02-28", None), date(2026, 12, 4)) == (
        date(2026, 11, 30), "expiration_date 2027-02-28 - P90D", date(2027, 2, 28))
    # stated: 2026-10-01 for the term ending 2026-12-31 (not 2026-12-31 - P30D, still to come)
    stated = _renewing("2026-12-31", "2026-10-01", period="P30D")
    assert passed_notice_deadline(SAAS, stated, date(2026, 11, 15))[0] == date(2026, 10, 1)
    # ten business days of England's calendar (Christmas and Boxing Day, 28 December in lieu)
    english = _renewing("2027-01-04", None, period="P10BD")
    english["terms"]["governing_law"] = {"value": "England", "evidence": None}
    due = passed_notice_deadline(SAAS, english, date(2026, 12, 30))[0]
    planned = {d.obligation_id: d.due for d in deadlines_for_contract(SAAS, english, date(2026, 12, 10))}
    assert due == planned["notice_deadline"] == date(2026, 12, 16)
    # a renewed running term: its own deadline (2027-06-02 - P90D), with the roll in the derivation
    renewed = passed_notice_deadline(SAAS, _renewing("2026-06-02", None), date(2027, 3, 10))
    assert renewed[0] == date(2027, 3, 4) and renewed[1].startswith("expiration_date 2026-06-02 renewed 1 x P1Y")
    # not passed yet, or no renewal: nothing missed
    assert passed_notice_deadline(SAAS, _renewing("2027-02-28", None), date(2026, 11, 29)) is None
    fixed = _renewing("2027-02-28", None)
    fixed["terms"]["auto_renewal"]["value"] = False
    assert passed_notice_deadline(SAAS, fixed, date(2026, 12, 4)) is None


def test_auto_renewal_notice_passed_but_term_still_running():
    # notice window for the current term closed on 4 Mar; the contract will renew on 3 Jun
    deadlines = _by_id(deadlines_for_contract(SAAS, _renewing("2026-06-02", "2026-03-04"),
                                              date(2026, 4, 1)))
    assert deadlines["expiration"].due == date(2026, 6, 2)
    assert deadlines["notice_deadline"].due == date(2027, 3, 4)


def test_auto_renewal_several_terms_and_leap_day():
    deadlines = _by_id(deadlines_for_contract(SAAS, _renewing("2025-02-28", None, period="P60D"),
                                              date(2027, 6, 1)))
    # renewal terms 2025-03-01..2026-02-28, ..2027-02-28, 2027-03-01..2028-02-29
    assert deadlines["expiration"].due == date(2028, 2, 29)
    assert "renewed 3 x P1Y" in deadlines["expiration"].derivation
    assert deadlines["notice_deadline"].due == date(2027, 12, 31)  # 2028-02-29 - 60 days


def test_no_roll_forward_without_auto_renewal():
    extraction = _renewing("2026-06-02", "2026-03-04")
    extraction["terms"]["auto_renewal"]["value"] = False
    deadlines = _by_id(deadlines_for_contract(SAAS, extraction, date(2026, 11, 25)))
    assert deadlines["expiration"].due == date(2026, 6, 2)  # in the past, as extracted
    assert deadlines["notice_deadline"].due == date(2026, 3, 4)


def test_recurring_duty_stops_with_a_term_that_does_not_renew():
    extraction = saas_extraction()
    extraction["terms"]["auto_renewal"]["value"] = False
    extraction["terms"]["expiration_date"]["value"] = "2026-12-31"
    final = _by_id(deadlines_for_contract(SAAS, extraction, date(2027, 1, 5)))
    assert final["ob-usage-report"].due == date(2027, 1, 15)  # the report on the last month
    assert final["ob-usage-report"].derivation.endswith(
        "; due after the term's last day 2026-12-31: its period is within the term, so it is owed")
    after = _by_id(deadlines_for_contract(SAAS, extraction, date(2027, 1, 20)))
    assert "ob-usage-report" not in after


def test_after_the_term_reads_a_recurring_occurrence_by_its_period():
    """A contract ended on 2026-12-15: the November report (period to the boundary 2026-12-01) is
    owed on any day a calendar counts for it; the December one (boundary 2027-01-01) is after the
    end; any other deadline is after the end by its day."""
    from clausewatch.plan import after_the_term

    november = "RRULE:FREQ=MONTHLY;BYMONTHDAY=1 -> period end 2026-11-30 (day before boundary 2026-12-01) + P10BD"
    december = "RRULE:FREQ=MONTHLY;BYMONTHDAY=1 -> period end 2026-12-31 (day before boundary 2027-01-01) + P10BD"
    assert not after_the_term("recurring", "2026-12-16", november, "2026-12-15")
    assert not after_the_term("recurring", "2026-12-16", november, "2026-11-30")  # the term's last period
    assert after_the_term("recurring", "2027-01-15", december, "2026-12-15")
    assert after_the_term("deliverable", "2026-12-16", "due date stated in the clause: 2026-12-16", "2026-12-15")
    assert not after_the_term("deliverable", "2026-12-15", None, "2026-12-15")
    # the period ends one day after the last day: after the term (review NIT)
    assert after_the_term("recurring", "2026-12-14", november, "2026-11-29")
    # due on its period's last day (+ P0D): owed when that is the term's last day, after it a day before
    due_at_period_end = "RRULE:FREQ=MONTHLY;BYMONTHDAY=1 -> period end 2026-11-30 (day before boundary 2026-12-01) + P0D"
    assert not after_the_term("recurring", "2026-11-30", due_at_period_end, "2026-11-30")
    assert after_the_term("recurring", "2026-11-30", due_at_period_end, "2026-11-29")


def test_after_the_term_keeps_an_occurrence_due_within_the_term_for_a_later_period():
    """Review SHOULD of 2026-12-07: a quarterly duty due 30 days before its boundary (2027-01-01,
    - P30D: due 2026-12-02) of a contract ended on 2026-12-15 is due within the term, so owed (its
    reminders go on); the period extends what is owed after the end, it never drops what is due
    before it. Before, read by its period alone, it was after the term and superseded."""
    from clausewatch.plan import after_the_term

    quarterly = "RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1 -> period boundary 2027-01-01 - P30D = 2026-12-02"
    assert not after_the_term("recurring", "2026-12-02", quarterly, "2026-12-15")
    assert not after_the_term("recurring", "2026-12-15", quarterly, "2026-12-15")
    assert after_the_term("recurring", "2026-12-16", quarterly, "2026-12-15")


@pytest.mark.parametrize("terms", [
    {},
    {"notice_period": {"value": "P60D"}},                                  # no end date to count from
    {"expiration_date": {"value": "sometime in 2027"}},                   # unreadable
    {"expiration_date": None, "notice_deadline": {"value": None}},
    {"auto_renewal": {"value": True}, "renewal_term": {"value": "P1Y"}},  # evergreen, no dates
])
def test_never_invents_a_term_deadline(terms):
    assert deadlines_for_contract(SAAS, {"terms": terms}, date(2026, 11, 25)) == []


def test_notice_deadline_computed_from_expiration_and_period_when_not_extracted():
    extraction = {"terms": {"expiration_date": {"value": "2028-02-29"},
                            "notice_period": {"value": "P60D"}}}
    notice = _by_id(deadlines_for_contract(SAAS, extraction, date(2026, 11, 25)))["notice_deadline"]
    assert notice.due == date(2027, 12, 31)
    assert notice.derivation == "expiration_date 2028-02-29 - P60D"


def test_obligations_without_dates_or_with_bad_rules_are_skipped():
    extraction = {"terms": {}, "obligations": [
        {"id": "ob-a", "kind": "deliverable", "summary": "Training", "due_date": None, "recurrence": None},
        {"id": "ob-b", "kind": "report", "summary": "x", "recurrence": "RRULE:EVERY MONTH", "offset": "+P5D"},
        {"id": "ob-c", "kind": "report", "summary": "x", "recurrence": "FREQ=MONTHLY", "offset": "+P5D"},
        {"kind": "deliverable", "summary": "no id", "due_date": "2026-12-01"},
        {"id": "ob-d", "kind": "deliverable", "summary": "Final Migration Plan", "due_date": "2026-12-01",
         "party": "Provider"},
    ]}
    # ob-c repeats the start's day of month: without an effective date it would be a guess
    deadlines = deadlines_for_contract(SAAS, extraction, date(2026, 11, 25))
    assert [(d.obligation_id, d.kind, d.due) for d in deadlines] == [
        ("ob-d", "deliverable", date(2026, 12, 1))]
    assert "Final Migration Plan" in deadlines[0].action


# --- reminders -----------------------------------------------------------------------------------

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)  # 09:00 in New York


def _notice_only(extraction: dict | None = None, today: date = NOW.date()) -> list[Deadline]:
    deadlines = deadlines_for_contract(SAAS, extraction or saas_extraction(), today)
    return [d for d in deadlines if d.obligation_id == "notice_deadline"]


def test_saas_notice_deadline_reminders():
    reminders = plan_reminders(SAAS, _notice_only(), NOW)
    assert config.lead_times_for("saas") == (90, 60, 30, 14, 7)
    # 90 days before (30 Sep) and 60 days before (30 Oct) have passed: one catch-up for 60
    assert [(r.lead_days, r.immediate, r.sequence) for r in reminders] == [
        (60, True, 1), (30, False, 2), (14, False, 3), (7, False, 4), (0, False, 5)]
    # 30 days before is Sunday 29 Nov (and Thursday 26 Nov Thanksgiving): Friday 27 Nov
    assert [r.schedule_expression for r in reminders[1:]] == [
        "at(2026-11-27T09:00:00)", "at(2026-12-15T09:00:00)", "at(2026-12-22T09:00:00)",
        "at(2026-12-29T09:00:00)"]
    catch_up = reminders[0]
    assert catch_up.fire_at == NOW + timedelta(minutes=1)
    assert catch_up.schedule_expression == "at(2026-11-25T09:01:00)"
    for reminder in reminders:
        assert reminder.fire_at > NOW  # nothing is scheduled in the past
        assert reminder.deadline_at == datetime(2026, 12, 29, 23, 59, 59, tzinfo=NEW_YORK)
        assert reminder.time_zone == "America/New_York"
        assert NAME_RULE.match(reminder.name) and reminder.name.startswith("cw-c-7f3a9e21-")
        assert is_schedule_of(reminder.name, SAAS.contract_id)
        validate_at_expression(reminder.schedule_expression)
    # 09:00 EST is 14:00 UTC
    assert {r.fire_at.astimezone(UTC).hour for r in reminders[1:]} == {14}
    assert len({r.name for r in reminders}) == len(reminders)


def test_names_are_stable_across_calls_and_depend_on_the_date():
    first = plan_reminders(SAAS, _notice_only(), NOW)
    later = plan_reminders(replace(SAAS, title="renamed"), _notice_only(), NOW + timedelta(hours=3))
    assert [r.name for r in first] == [r.name for r in later]
    assert first[2].name == reminder_name(SAAS.contract_id, "notice_deadline", date(2026, 12, 29), 14)
    assert reminder_name(SAAS.contract_id, "notice_deadline", date(2026, 12, 28), 14) != first[2].name
    assert reminder_name("c-other", "notice_deadline", date(2026, 12, 29), 14) != first[2].name
    # the 30-day one, moved from Sunday 29 Nov to Friday 27 Nov, has a name of its own
    assert first[1].name == reminder_name(SAAS.contract_id, "notice_deadline", date(2026, 12, 29), 30,
                                          date(2026, 11, 27))


def test_replanning_after_the_date_moves_replaces_every_schedule():
    before = plan_reminders(SAAS, _notice_only(), NOW)
    existing = {r.name for r in before}
    assert diff_schedules(before, existing) == ([], set())  # re-planning unchanged: nothing to do

    moved = plan_reminders(SAAS, _notice_only(saas_extraction("2027-01-05")), NOW)
    to_create, to_delete = diff_schedules(moved, existing, SAAS.contract_id)
    assert to_delete == existing
    assert {r.name for r in to_create} == {r.name for r in moved}
    assert not existing & {r.name for r in moved}
    # 2027-01-05 is 41 days away: the 60-day lead passed, the 30-day lead (6 Dec) has not
    assert [(r.lead_days, r.immediate) for r in moved][:2] == [(60, True), (30, False)]


def test_diff_never_deletes_another_contracts_schedules():
    mine = plan_reminders(SAAS, _notice_only(), NOW)
    other = replace(SAAS, contract_id=SAAS.contract_id + "-2")
    theirs = plan_reminders(other, _notice_only(), NOW)
    # a listing by my prefix also returns theirs ("cw-c-7f3a9e21-" prefixes "cw-c-7f3a9e21-2-...")
    listed = {r.name for r in mine + theirs}
    assert all(name.startswith(schedule_name_prefix(SAAS.contract_id)) for name in listed)
    _, to_delete = diff_schedules([], listed, SAAS.contract_id)
    assert to_delete == {r.name for r in mine}
    _, to_delete = diff_schedules(mine[:1], listed)
    assert to_delete == {r.name for r in mine[1:]}


def test_done_obligation_gets_no_reminders():
    deadlines = deadlines_for_contract(SAAS, saas_extraction(), NOW.date(), done={"notice_deadline"})
    reminders = plan_reminders(SAAS, deadlines, NOW)
    assert reminders and all(r.obligation_id != "notice_deadline" for r in reminders)


def test_catch_up_reminder_not_planned_again_once_sent():
    first = plan_reminders(SAAS, _notice_only(), NOW)
    again = plan_reminders(SAAS, _notice_only(), NOW + timedelta(hours=1), sent={first[0].name})
    assert [r.lead_days for r in again] == [30, 14, 7, 0]
    assert not any(r.immediate for r in again)


def test_no_catch_up_when_the_next_reminder_comes_within_a_day():
    """QA5 4: a deadline planned at 00:00 UTC (the daily sweep rolling a monthly term) 30 days out
    got a catch-up at 00:01 under the passed 60-day lead, then at 09:00 the 30-day reminder as an
    escalation of it: two emails the same day, the owner given hours. The next reminder within a
    day is the first; a day or more away, the catch-up still goes at once."""
    # 00:00 in New York; the 30-day lead (Sunday 29 Nov, moved to Friday 27 Nov) is at 09:00
    at_midnight = datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    reminders = plan_reminders(SAAS, _notice_only(), at_midnight)
    assert [(r.lead_days, r.immediate) for r in reminders] == [(30, False), (14, False), (7, False), (0, False)]
    assert reminders[0].earlier_names  # its earlier leads were never sent: the alert does not escalate
    day_before = datetime(2026, 11, 26, 5, 0, tzinfo=UTC)  # the 30-day lead 33 hours away
    assert [(r.lead_days, r.immediate) for r in plan_reminders(SAAS, _notice_only(), day_before)][:2] == \
        [(60, True), (30, False)]


def test_overdue_open_deliverable_gets_one_immediate_reminder():
    deliverable = Deadline("ob-plan", "deliverable", "Final Migration Plan", date(2026, 11, 20),
                           SAAS.owner, None, "due date stated in the clause: 2026-11-20", "Deliver it.")
    reminders = plan_reminders(SAAS, [deliverable], NOW)
    assert [(r.lead_days, r.immediate, r.sequence) for r in reminders] == [(0, True, 5)]
    # 90 days before is Saturday 22 Aug 2026: moved to Friday 21 Aug, named with both days
    due = date(2026, 11, 20)
    assert reminders[0].earlier_names[:5] == (
        reminder_name(SAAS.contract_id, "ob-plan", due, 90, date(2026, 8, 21)),
        *(reminder_name(SAAS.contract_id, "ob-plan", due, lead) for lead in (60, 30, 14, 7)))
    assert set(reminders[0].earlier_names) == {
        reminder_name(SAAS.contract_id, "ob-plan", due, lead, moved)
        for lead in (90, 60, 30, 14, 7) for moved in (None, *(due - timedelta(days=lead + back) for back in range(1, 11)))}
    # long overdue (e.g. an old contract uploaded today): no email storm
    stale = replace(deliverable, due=date(2026, 9, 1))
    assert plan_reminders(SAAS, [stale], NOW) == []


def _weekly_occurrence(due: date) -> Deadline:
    return Deadline(f"ob-status@{due.isoformat()}", "recurring", "Weekly status report", due, SAAS.owner, None,
                    f"period end {due - timedelta(days=1)} + P1D = {due}", "Send the report.")


def test_the_overdue_occurrences_of_one_duty_get_one_catch_up_carrying_the_others():
    """A reopen makes the occurrences owed while the rule was marked done, overdue: before, each one
    at most 30 days overdue had its own catch-up (three emails at once). Now the most overdue one's
    catch-up carries the others, which are not scheduled on their own; another duty's stays its own,
    and once the carrying one is sent a planning again plans none of them."""
    owed = [_weekly_occurrence(NOW.date() - timedelta(days=days)) for days in (3, 17, 10)]
    other = replace(_weekly_occurrence(NOW.date() - timedelta(days=5)), obligation_id="ob-invoice@x")
    reminders = plan_reminders(SAAS, [*owed, other], NOW)
    assert all(r.immediate for r in reminders)
    [carrying] = [r for r in reminders if r.obligation_id.startswith("ob-status@")]
    assert carrying.due == NOW.date() - timedelta(days=17)  # the most overdue
    assert [(obligation_id, due) for _, obligation_id, due, *_ in carrying.together] == [
        (d.obligation_id, d.due) for d in sorted(owed, key=lambda d: d.due)[1:]]
    assert [t["obligation_id"] for t in carrying.payload()["together"]] == [
        d.obligation_id for d in sorted(owed, key=lambda d: d.due)[1:]]
    assert [r.obligation_id for r in reminders if r.obligation_id == "ob-invoice@x"] == ["ob-invoice@x"]
    # the alert side records each one's name handled: nothing is planned one by one after
    handled = {carrying.name, *(name for name, *_ in carrying.together)}
    assert [r.obligation_id for r in plan_reminders(SAAS, owed, NOW + timedelta(hours=1), sent=handled)] == []
    # one occurrence alone is caught up as before
    [alone] = plan_reminders(SAAS, owed[:1], NOW)
    assert alone.together == () and "together" not in alone.payload()



def test_a_duty_s_catch_ups_are_grouped_by_person_and_the_carrier_s_schedule_name_says_what_it_carries():
    """Each person gets one catch-up for the duty (one occurrence handed to Jo is not in Priya's);
    the carrying schedule's name changes with what it carries, so a schedule made before a member
    was added is replaced (``diff_schedules``), never kept without it."""
    owed = [_weekly_occurrence(NOW.date() - timedelta(days=days)) for days in (3, 17, 10)]
    jos = replace(owed[0], owner="Jo.Lin@example.com")
    reminders = plan_reminders(SAAS, [jos, *owed[1:]], NOW)
    assert sorted((r.obligation_id, [t[1] for t in r.together]) for r in reminders) == [
        (owed[1].obligation_id, [owed[2].obligation_id]), (jos.obligation_id, [])]
    [two] = [r for r in reminders if r.together]
    assert two.schedule_name != two.name and two.payload()["name"] == two.name
    [three] = [r for r in plan_reminders(SAAS, owed, NOW) if r.together]
    assert three.name == two.name and three.schedule_name != two.schedule_name
    to_create, to_delete = diff_schedules([three], {two.schedule_name}, SAAS.contract_id)
    assert to_create == [three] and to_delete == {two.schedule_name}
    [alone] = plan_reminders(SAAS, owed[1:2], NOW)
    assert alone.schedule_name == alone.name


def test_an_occurrence_whose_catch_up_escalates_is_not_carried_and_a_handed_on_one_keeps_its_escalation():
    """Nov 19's 7-day reminder was emailed: alone its catch-up escalates (cc the contract owner and
    escalation contact). Before, Nov 8's catch-up carried it, unescalated, and handed on it read
    'reminder due' with no cc (sequence 0, no earlier names). Now it is never carried; and one
    carried (nothing sent of it yet) keeps its sequence and earlier names when handed on."""
    owed = [_weekly_occurrence(NOW.date() - timedelta(days=days)) for days in (17, 6)]
    later = owed[1]
    sent = {reminder_name(SAAS.contract_id, later.obligation_id, later.due, 7)}
    reminders = plan_reminders(SAAS, owed, NOW, sent=sent)
    assert sorted((r.obligation_id, r.together) for r in reminders) == [
        (owed[0].obligation_id, ()), (later.obligation_id, ())]
    [own] = [r for r in reminders if r.obligation_id == later.obligation_id]
    escalating = {"current_due": later.due, "obligation_status": "open", "owner": later.owner,
                  "contract_owner": SAAS.owner, "escalation_email": "esc@acme.example",
                  "default_owner": "def@acme.example"}
    assert decide_alert(own.payload(), already_sent=sent, **escalating).escalated
    [carrying] = plan_reminders(SAAS, owed, NOW)
    [entry] = carrying.payload()["together"]
    assert (entry["sequence"], entry["earlier_names"]) == (own.sequence, list(own.earlier_names))
    handed_on = decide_alert(_carried_payload(carrying.payload(), entry, []), already_sent=sent, **escalating)
    assert handed_on.escalated and handed_on.cc == ["esc@acme.example"]


def test_catch_ups_are_grouped_by_the_person_they_go_to_not_the_owner_as_written():
    """An occurrence with no owner goes to the contract owner, as does one owned by the contract
    owner written in capitals: before, two emails to one inbox; now one carries the other."""
    owed = [_weekly_occurrence(NOW.date() - timedelta(days=days)) for days in (17, 10)]
    owed = [replace(owed[0], owner=None), replace(owed[1], owner=SAAS.owner.upper())]
    [carrying] = plan_reminders(SAAS, owed, NOW)
    assert [t[1] for t in carrying.together] == [owed[1].obligation_id]


def test_an_earlier_period_is_counted_again_with_the_calendar_only():
    """The November report (period to 1 December) when it is overdue on 18 December: counted as the
    next occurrence would be, with the contract's calendar now (a jurisdiction set to Thailand: 16
    December); an offset an amendment changed since is not the calendar alone, so the record leaves
    that period's day as it was counted (``record._counted_before``); a boundary that is not one of
    the rule's gives no day."""
    from clausewatch.pipeline.record import _counted_before

    today = date(2026, 12, 18)
    new_york = occurrence_for_period(SAAS, saas_extraction(), "ob-usage-report", "2026-12-01", today)
    thai = occurrence_for_period(replace(SAAS, jurisdiction="TH"), saas_extraction(), "ob-usage-report",
                                 "2026-12-01", today)
    assert new_york is not None and thai is not None
    assert (new_york.obligation_id, thai.obligation_id) == ("ob-usage-report@2026-12-14", "ob-usage-report@2026-12-16")
    assert "TH holidays" in thai.derivation and thai.kind == "recurring"
    assert _counted_before(thai.derivation) == _counted_before(new_york.derivation)
    amended = saas_extraction()
    amended["obligations"][0]["offset"] = "+P15BD"
    longer = occurrence_for_period(SAAS, amended, "ob-usage-report", "2026-12-01", today)
    assert longer is not None and _counted_before(longer.derivation) != _counted_before(new_york.derivation)
    assert occurrence_for_period(SAAS, saas_extraction(), "ob-usage-report", "2026-12-02", today) is None
    assert occurrence_for_period(SAAS, saas_extraction(), "ob-annual-fee", "2026-12-01", today) is None


def test_an_occurrence_counted_again_on_another_day_is_not_reminded_again_of_its_period():
    """The November report moved from 14 to 16 December by a calendar changed on the 15th (its
    7-day reminder went on 7 December): its 16 December occurrence's 7-day day (9 December) passed
    and is not caught up, and its due-day reminder counts the one sent before as an earlier one (the
    escalation). Never told of (nothing sent), the catch-up comes as for any occurrence."""
    old_day, new_day = date(2026, 12, 14), date(2026, 12, 16)
    moved = Deadline(f"ob-report@{new_day}", "recurring", "Report", new_day, SAAS.owner, None,
                     "RRULE:FREQ=MONTHLY;BYMONTHDAY=1 -> ... boundary 2026-12-01) + P10BD = 2026-12-16", "Send it.")
    earlier = {moved.obligation_id: [(f"ob-report@{old_day}", old_day)]}
    seven = reminder_name(SAAS.contract_id, f"ob-report@{old_day}", old_day, 7)
    now = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)
    told = plan_reminders(SAAS, [moved], now, sent={seven}, earlier_days=earlier)
    assert [(r.lead_days, r.immediate) for r in told] == [(0, False)]
    assert seven in told[0].earlier_names
    untold = plan_reminders(SAAS, [moved], now, earlier_days=earlier)
    assert [(r.lead_days, r.immediate) for r in untold] == [(7, True), (0, False)]


def test_due_day_after_nine_gets_catch_up_for_lead_zero():
    deliverable = Deadline("ob-x", "deliverable", "Thing", date(2026, 11, 25), None, None, "stated", "Do it.")
    reminders = plan_reminders(SAAS, [deliverable], NOW + timedelta(hours=2))
    assert [(r.lead_days, r.immediate) for r in reminders] == [(0, True)]


def test_nda_lead_times_and_explicit_lead_times():
    nda = replace(SAAS, contract_type="NDA")
    reminders = plan_reminders(nda, _notice_only(), NOW)
    assert [r.lead_days for r in reminders] == [30, 7, 0]  # 30 days before = 29 Nov, still ahead
    custom = plan_reminders(SAAS, _notice_only(), NOW, lead_times=(10, 3, 0))
    assert [(r.lead_days, r.sequence) for r in custom] == [(10, 0), (3, 1), (0, 2)]
    with pytest.raises(ValueError):
        plan_reminders(SAAS, _notice_only(), NOW, lead_times=(-1,))
    with pytest.raises(ValueError):
        plan_reminders(SAAS, _notice_only(), NOW.replace(tzinfo=None))


def test_reminders_at_nine_local_across_dst_change():
    london = replace(SAAS, time_zone="Europe/London", contract_id="c-uk-1")
    # BST begins Sunday 28 March 2027: 14 days before 2 April is in GMT, 0 and 7 days in BST
    deadline = Deadline("ob-uk", "deliverable", "Annual security audit report", date(2027, 4, 2),
                        None, None, "stated", "Deliver it.")
    reminders = plan_reminders(london, [deadline], datetime(2027, 3, 1, tzinfo=UTC),
                               lead_times=(14, 7))
    assert [r.schedule_expression for r in reminders] == [
        "at(2027-03-19T09:00:00)", "at(2027-03-26T09:00:00)", "at(2027-04-02T09:00:00)"]
    assert [r.fire_at.astimezone(UTC).hour for r in reminders] == [9, 9, 8]
    assert reminders[-1].deadline_at.astimezone(UTC) == datetime(
        2027, 4, 2, 22, 59, 59, tzinfo=UTC)


def test_payload_is_json_and_self_describing():
    reminders = plan_reminders(SAAS, _notice_only(), NOW)
    payload = json.loads(json.dumps(reminders[2].payload()))
    assert payload["name"] == reminders[2].name
    assert (payload["contract_id"], payload["obligation_id"], payload["kind"]) == (
        SAAS.contract_id, "notice_deadline", "notice_deadline")
    assert (payload["due"], payload["lead_days"], payload["sequence"]) == ("2026-12-29", 14, 3)
    # the 90-day name (never scheduled: it passed before planning), then the 60- and 30-day ones;
    # the 30-day one moved from Sunday 29 Nov to Friday 27 Nov: its name on the day itself too
    # (a reminder sent under it before reminders moved off non-business days was sent)
    due = date(2026, 12, 29)
    assert payload["earlier_names"][:3] == [
        reminder_name(SAAS.contract_id, "notice_deadline", due, 90), reminders[0].name, reminders[1].name]
    # then every other name each may have been sent under: its day's, and moved back up to 10 days
    # (a calendar counted then that a jurisdiction set since replaced: review rv11 S1)
    assert set(payload["earlier_names"]) == {
        reminder_name(SAAS.contract_id, "notice_deadline", due, lead, moved)
        for lead in (90, 60, 30) for moved in (None, *(due - timedelta(days=lead + back) for back in range(1, 11)))}
    assert payload["planned_at"] == NOW.isoformat()
    assert payload["deadline_at"] == "2026-12-29T23:59:59-05:00"


@pytest.mark.parametrize("contract_id", [
    "x" * 200, "contract/2026 #7 (Northwind)", "2f0c6a8e-8a1b-4c7e-9a57-0d7c2f3b9e11" * 2, "ünïcode"])
def test_names_valid_for_any_contract_id(contract_id):
    name = reminder_name(contract_id, "ob-1@2026-12-14", date(2026, 12, 14), 7)
    assert NAME_RULE.match(name)
    assert name.startswith(schedule_name_prefix(contract_id))
    assert is_schedule_of(name, contract_id)
    assert not is_schedule_of(name, contract_id + "x")


def test_validate_at_expression():
    assert validate_at_expression("at(2026-12-01T09:00:00)") == datetime(2026, 12, 1, 9, 0)
    for bad in ("at(2026-12-01 09:00:00)", "rate(5 minutes)", "cron(0 9 * * ? *)",
                "at(2026-12-01T09:00:00Z)", "at(2026-12-01T09:00)", "at(2026-02-30T09:00:00)", ""):
        with pytest.raises(ValueError):
            validate_at_expression(bad)


@pytest.mark.parametrize(("was", "now", "renewed"), [
    ("2027-02-27", date(2028, 2, 27), True),  # the initial term's end, rolled to the first renewal term's
    ("2028-02-27", date(2029, 2, 27), True),  # a renewal term's end, to the next one's
    ("2027-03-31", date(2028, 2, 27), False),  # not a term end of it: an end that changed
    ("2027-02-27", date(2027, 2, 27), False),  # the same day
    (None, date(2028, 2, 27), False),
])
def test_renewed_from_says_whether_a_term_end_is_the_next_terms_end(was, now, renewed):
    assert renewed_from(saas_extraction(), was, now) is renewed


def test_a_term_end_of_a_contract_that_does_not_renew_is_never_renewed_from():
    extraction = saas_extraction()
    del extraction["terms"]["renewal_term"]
    extraction["terms"]["auto_renewal"]["value"] = False
    assert renewed_from(extraction, "2027-02-27", date(2028, 2, 27)) is False
