"""A recurring duty due some business days after its period (the SaaS sample's monthly report, ten
business days after each month) counted again with another calendar (a jurisdiction set, QA of
2026-12-07): the period's occurrence moves to its new day and the one due on the old day is
superseded, with why. An occurrence's id holds its due day, so before, the old one stayed open
beside the new one, each with its reminders: the November report was due both on 14 December
(US-NY holidays) and on 16 December (TH holidays)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clausewatch import clock, dates
from clausewatch.pipeline import entries
from clausewatch.store import repository as repo
from tests.integration.test_renewal_workflow import SAAS, SAAS_ID, TODAY
from tests.paths import SAMPLES, sample_metadata

OWNER = "priya.raman@example.com"
TEAM = "procurement"


def _recurring(status: str = "open") -> dict[str, object]:
    return {o.obligation_id: o for o in repo.obligations(SAAS_ID, consistent=True)
            if o.kind == "recurring" and o.status == status}


def _scheduled_days(cloud, obligation_id: str) -> set[str]:
    return {s["Target"]["Input"] for s in cloud.schedules() if obligation_id in s["Target"]["Input"]}


def test_a_calendar_changed_moves_an_occurrence_and_supersedes_the_old_day(cloud):
    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    before = _recurring()
    assert before, "the SaaS sample's monthly report is planned"
    periods = {dates.period_boundary(o.derivation): o for o in before.values()}
    assert len(periods) == len(before)
    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    after = _recurring()
    # one open occurrence per period, each counted with Thailand's holidays
    assert len({dates.period_boundary(o.derivation) for o in after.values()}) == len(after)
    assert all("TH holidays" in o.derivation for o in after.values()), [o.derivation for o in after.values()]
    moved = [i for i in before if i not in after]
    assert moved, "at least one occurrence is due on another day with Thailand's holidays"
    superseded = _recurring("superseded")
    for old_id in moved:
        old = superseded[old_id]
        boundary = dates.period_boundary(before[old_id].derivation)
        [new] = [o for o in after.values() if dates.period_boundary(o.derivation) == boundary]
        [line] = [a.detail for a in repo.audit_events(SAAS_ID)
                  if a.action == "obligation.superseded" and a.detail.get("obligation_id") == old_id]
        assert f"the occurrence for the period boundary {boundary} is now due {new.due}" in line["reason"]
        assert old.status == "superseded"
        assert not _scheduled_days(cloud, old_id), "the old day's reminders are gone"
        assert _scheduled_days(cloud, new.obligation_id)
    # back to New York's calendar: the old day again, the Thai day superseded, still one per period
    entries.set_jurisdiction(SAAS_ID, "US-NY", actor=OWNER, team=TEAM)
    cloud.pump()
    back = _recurring()
    assert len({dates.period_boundary(o.derivation) for o in back.values()}) == len(back)
    assert {o.due for o in back.values()} == {o.due for o in before.values()}


def test_a_period_done_stays_done_when_its_day_moves(cloud):
    """The November report marked done, then the calendar changed: the period is not asked again on
    its new day (the next period's occurrence is planned instead)."""
    from clausewatch.pipeline import actions

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    [first] = sorted(_recurring().values(), key=lambda o: o.due or "")[:1]
    boundary = dates.period_boundary(first.derivation)
    actions.complete_obligation(SAAS_ID, first.obligation_id, actor=OWNER, note="sent")
    cloud.pump()
    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    assert not [o for o in _recurring().values() if dates.period_boundary(o.derivation) == boundary]
    assert _recurring(), "the next period's occurrence is planned"


def _thai_november(cloud):
    """The SaaS sample uploaded on the demo's today and counted with Thailand's holidays: the
    November report's occurrence (the first open one) and its period's boundary."""
    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    [first] = sorted(_recurring().values(), key=lambda o: o.due or "")[:1]
    return first, dates.period_boundary(first.derivation)


def test_an_occurrence_handed_on_stays_handed_on_when_its_day_moves_earlier(cloud):
    """Review of 2026-12-07: handed to Bob on its Thai day (16 December), the November report moved
    back to New York's 14 December went to the contract's owner again (a hand-off counted only from
    an earlier day)."""
    from clausewatch.pipeline import actions

    first, boundary = _thai_november(cloud)
    actions.set_obligation_owner(SAAS_ID, first.obligation_id, "bob@example.com", actor=OWNER)
    cloud.pump()
    entries.set_jurisdiction(SAAS_ID, "US-NY", actor=OWNER, team=TEAM)
    cloud.pump()
    [moved] = [o for o in _recurring().values() if dates.period_boundary(o.derivation) == boundary]
    assert moved.obligation_id != first.obligation_id and moved.due < first.due
    assert moved.owner == "bob@example.com"


# --- every open occurrence, not the next one only (README "Not built yet", review of 2026-12-07) ---

def _period(boundary: str, status: str = "open"):
    return [o for o in _recurring(status).values() if dates.period_boundary(o.derivation) == boundary]


def _sent_of(obligation_id: str) -> list[dict]:
    """The reminders emailed about the occurrence (its trail's ``alert.sent`` lines)."""
    return [a.detail for a in repo.audit_events(SAAS_ID)
            if a.action == "alert.sent" and a.detail.get("obligation_id") == obligation_id]


def _thai_november_reminded(cloud):
    """``_thai_november`` on 15 December: the November report (due the 16th) reminded 7 days before."""
    thai, boundary = _thai_november(cloud)
    cloud.fire_until(datetime(2026, 12, 15, 12, tzinfo=UTC))
    assert _sent_of(thai.obligation_id), "reminded 7 days before its Thai day"
    return thai, boundary


def test_an_overdue_occurrence_is_recounted_with_the_next_one(cloud):
    """The November report overdue (due 14 December with New York's holidays, not done by the 18th)
    when Thailand's calendar is set: it is due 16 December now, with the Thai arithmetic, and the
    14 December item is superseded with both; the December report (the next) moves too. Before, the
    overdue one kept New York's day and arithmetic. Its reminders, sent on its old day, are not
    sent again: it is shown overdue, nobody is reminded again of the days already past."""
    from clausewatch.pipeline import reminders

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    [november] = sorted(_recurring().values(), key=lambda o: o.due or "")[:1]
    boundary = dates.period_boundary(november.derivation)
    cloud.fire_until(datetime(2026, 12, 18, 12, tzinfo=UTC))
    assert [o.obligation_id for o in _period(boundary)] == [november.obligation_id], "open, overdue"
    assert _sent_of(november.obligation_id), "reminded on its New York day"
    [december] = [o for o in _recurring().values() if o.obligation_id != november.obligation_id]

    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    [moved] = _period(boundary)
    assert moved.obligation_id != november.obligation_id and moved.due > november.due
    assert "TH holidays" in moved.derivation and moved.due < "2026-12-18", moved.derivation
    old = repo.get_obligation(SAAS_ID, november.obligation_id)
    assert old.status == "superseded"
    [line] = [a for a in repo.audit_events(SAAS_ID)
              if a.action == "obligation.superseded" and a.detail.get("obligation_id") == november.obligation_id]
    assert line.actor == OWNER
    assert f"is now due {moved.due} ({moved.derivation}; was {november.derivation})" in line.detail["reason"]
    [next_one] = _period(dates.period_boundary(december.derivation))
    assert "TH holidays" in next_one.derivation
    # overdue on its new day, and no reminder of the days already past
    assert reminders.open_deadlines(repo.get_contract(SAAS_ID))
    assert moved.obligation_id in {d.obligation_id for d in reminders.open_deadlines(repo.get_contract(SAAS_ID))}
    assert not _scheduled_days(cloud, moved.obligation_id)
    cloud.fire_until(datetime(2026, 12, 20, 12, tzinfo=UTC))
    assert not _sent_of(moved.obligation_id)


def test_an_occurrence_the_new_calendar_makes_overdue_is_shown_overdue_and_its_owner_told_once(cloud):
    """Counted with Thailand's holidays the November report is due 16 December; on the 15th the
    calendar goes back to New York's: it was due on the 14th. It is that day now, shown overdue, and
    its owner, told on its Thai day's 7-day reminder that it was due on the 16th, is told once that
    it is due earlier (review MUST: told nothing, while the 16th's calendar entry was cancelled);
    the 7-day reminder is not sent again. Before, it stayed due on the 16th, neither overdue nor
    counted with New York's holidays."""
    from tests.integration.api_support import call, claims

    thai, boundary = _thai_november_reminded(cloud)
    assert [o.obligation_id for o in _period(boundary)] == [thai.obligation_id]

    entries.set_jurisdiction(SAAS_ID, "US-NY", actor=OWNER, team=TEAM)
    cloud.pump()
    [moved] = _period(boundary)
    assert moved.due < "2026-12-15" < thai.due and "US-NY holidays" in moved.derivation, moved.derivation
    assert repo.get_obligation(SAAS_ID, thai.obligation_id).status == "superseded"
    shown = {o["id"]: o for o in call("GET", "/obligations", claims=claims(TEAM),
                                      query={"status": "overdue"}).json()["items"]}
    assert shown[moved.obligation_id]["days_left"] < 0
    assert len(_scheduled_days(cloud, moved.obligation_id)) == 1, "one catch-up: the day it is due now"
    cloud.fire_until(datetime(2026, 12, 17, 12, tzinfo=UTC))
    [told] = _sent_of(moved.obligation_id)
    assert told["lead_days"] == 0, told


def test_a_past_period_done_stays_as_it_was_done(cloud):
    """The November report done late (overdue, then marked done on the 18th): a calendar changed
    after leaves it done on the day and arithmetic it was done with, and does not ask for the period
    again; the next period's occurrence (open) is recounted."""
    from clausewatch.pipeline import actions

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    [november] = sorted(_recurring().values(), key=lambda o: o.due or "")[:1]
    boundary = dates.period_boundary(november.derivation)
    cloud.fire_until(datetime(2026, 12, 18, 12, tzinfo=UTC))
    actions.complete_obligation(SAAS_ID, november.obligation_id, actor=OWNER, note="sent late")
    cloud.pump()
    done = repo.get_obligation(SAAS_ID, november.obligation_id)

    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    after = repo.get_obligation(SAAS_ID, november.obligation_id)
    assert (after.status, after.due, after.derivation, after.version) == \
        (done.status, done.due, done.derivation, done.version) == ("done", november.due, november.derivation,
                                                                   done.version)
    assert not _period(boundary), "the period is not asked again"
    assert all("TH holidays" in o.derivation for o in _recurring().values())


def test_the_same_calendar_again_writes_nothing(cloud):
    """Once every open occurrence is counted with the calendar, the same jurisdiction again and the
    planning after it write nothing: no obligation changes, no audit line about them."""
    from clausewatch.pipeline import record

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    cloud.fire_until(datetime(2026, 12, 18, 12, tzinfo=UTC))  # the November report overdue
    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    assert len(_recurring()) == 2, "the overdue report and the next one"

    def state():
        return ({(o.obligation_id, o.status, o.due, o.derivation, o.version)
                 for o in repo.obligations(SAAS_ID, consistent=True)},
                len([a for a in repo.audit_events(SAAS_ID) if a.action.startswith("obligation.")]))

    before = state()
    entries.set_jurisdiction(SAAS_ID, "th", actor="someone.else@example.com", team=TEAM)
    cloud.pump()
    contract = repo.get_contract(SAAS_ID)
    assert record.refresh_deadlines(contract, today=record.local_today(contract), actor="planner") == 0
    cloud.fire_until(clock.now() + timedelta(minutes=5))
    assert state() == before


# --- an acknowledgement carried to the period's new day (README "Not built yet", QA of 2026-12-07) ---

def _acknowledged_lines(obligation_id: str) -> list:
    return [a for a in repo.audit_events(SAAS_ID)
            if a.action == "obligation.acknowledged" and a.detail.get("obligation_id") == obligation_id]


def test_an_acknowledgement_is_carried_to_the_periods_later_day(cloud):
    """The owner acknowledged the November report on its New York day (14 December, reminded on the
    7th); Thailand's calendar then moves it to the 16th: the occurrence on its new day is
    acknowledged by them, at the time they did, its trail saying it was acknowledged for the 14th,
    and its reminders, which tell them of the new day, go to them alone, not escalated. Before, the
    new day's item was not acknowledged (an acknowledgement is for one day) and they escalated."""
    from clausewatch.pipeline import actions, record
    from tests.integration.api_support import call, claims

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    [november] = sorted(_recurring().values(), key=lambda o: o.due or "")[:1]
    boundary = dates.period_boundary(november.derivation)
    cloud.fire_until(datetime(2026, 12, 8, 12, tzinfo=UTC))
    assert _sent_of(november.obligation_id), "reminded 7 days before its New York day"
    actions.acknowledge_obligation(SAAS_ID, november.obligation_id, actor=OWNER)
    acknowledged_at = repo.get_obligation(SAAS_ID, november.obligation_id).acknowledged_at

    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    [moved] = _period(boundary)
    assert moved.due > november.due
    assert moved.acknowledged and (moved.acknowledged_by, moved.acknowledged_at) == (OWNER, acknowledged_at)
    [line] = _acknowledged_lines(moved.obligation_id)
    assert line.detail["acknowledged_for_day"] == november.due
    assert line.detail["carried_from"] == november.obligation_id
    assert f"acknowledged by {OWNER}" in line.detail["reason"] and f"due {november.due}" in line.detail["reason"]
    [shown] = [o for o in call("GET", "/obligations", claims=claims(TEAM)).json()["items"]
               if o["id"] == moved.obligation_id]
    assert (shown["acknowledged"], shown["acknowledged_by"], shown["acknowledged_for_day"]) == \
        (True, OWNER, november.due)
    cloud.fire_until(datetime(2026, 12, 17, 12, tzinfo=UTC))
    told = _sent_of(moved.obligation_id)
    assert told and all(t["acknowledged"] and not t["escalated"] and not t["cc"] for t in told), told
    # one acknowledgement in the renewal decision's evidence, not one per day the period was due
    from clausewatch.renewal import steps

    assert steps.gather_evidence(repo.get_contract(SAAS_ID), "2027-02-28").alerts_acknowledged == 1
    # planning again carries nothing more
    audit = len(repo.audit_events(SAAS_ID))
    contract = repo.get_contract(SAAS_ID)
    assert record.refresh_deadlines(contract, today=record.local_today(contract), actor="planner") == 0
    assert len(repo.audit_events(SAAS_ID)) == audit


def test_an_acknowledgement_is_not_carried_to_an_earlier_day(cloud):
    """Review MUST of 2026-12-07: the owner acknowledged the November report on its Thai day (16
    December); New York's calendar moves it to the 14th, overdue: they never saw that day, so the
    acknowledgement is not carried and the catch-up telling of the new day escalates, as for an
    occurrence nobody acknowledged. Before, the acknowledgement was carried whichever way the day
    moved, and the catch-up of an overdue day went to the owner alone."""
    from clausewatch.pipeline import actions

    thai, boundary = _thai_november_reminded(cloud)
    actions.acknowledge_obligation(SAAS_ID, thai.obligation_id, actor=OWNER)

    entries.set_jurisdiction(SAAS_ID, "US-NY", actor=OWNER, team=TEAM)
    cloud.pump()
    [moved] = _period(boundary)
    assert moved.due < "2026-12-15" < thai.due
    assert not moved.acknowledged and not moved.acknowledged_by
    assert not _acknowledged_lines(moved.obligation_id)
    cloud.fire_until(datetime(2026, 12, 17, 12, tzinfo=UTC))
    [told] = _sent_of(moved.obligation_id)
    assert told["lead_days"] == 0 and told["escalated"] and told["cc"] and not told["acknowledged"], told


# --- an occurrence the new calendar moves past the term's end (README "Not built yet", QA of 2026-12-07) ---

def test_an_occurrence_moved_past_the_end_of_an_ended_contract_is_owed_on_its_new_day(cloud):
    """The SaaS agreement entered as ending on 15 December 2026 and not renewing, ended by a "do not
    renew": the November report (its period ends within the term) is due on the 14th with New York's
    holidays, the 16th with Thailand's, after the end. A period within the term is owed, even due
    after the end (as for a term that does not renew: its last month's report), so it moves to the
    16th, its derivation saying why, and is reminded of there. Before, the end cut it off by its new
    day: the 14th stayed open with New York's arithmetic beside Thailand's calendar."""
    from clausewatch.pipeline import reminders
    from clausewatch.renewal import decide
    from tests.integration.test_renewal_workflow import start_due

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    entries.enter_term(SAAS_ID, "auto_renewal", "no", note="the order form", actor=OWNER, team=TEAM)
    entries.enter_term(SAAS_ID, "notice_period", "P10D", note="the order form", actor=OWNER, team=TEAM)
    entries.enter_term(SAAS_ID, "expiration_date", "2026-12-15", note="the order form", actor=OWNER, team=TEAM)
    cloud.pump()
    start_due(cloud)
    decide.decide(SAAS_ID, "terminate", "not renewed", actor=OWNER)
    cloud.pump()
    assert repo.get_contract(SAAS_ID).ended["last_day"] == "2026-12-15"
    [november] = _recurring().values()
    boundary = dates.period_boundary(november.derivation)
    assert november.due == "2026-12-14" and boundary == "2026-12-01"

    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    [moved] = _period(boundary)
    assert moved.due == "2026-12-16" and "TH holidays" in moved.derivation, moved.derivation
    assert "after the term's last day 2026-12-15: its period is within the term, so it is owed" in moved.derivation
    assert repo.get_obligation(SAAS_ID, november.obligation_id).status == "superseded"
    assert moved.obligation_id in {d.obligation_id for d in reminders.open_deadlines(repo.get_contract(SAAS_ID))}
    assert _scheduled_days(cloud, moved.obligation_id)


# --- what an acknowledgement is not carried to (review SHOULD of 2026-12-07) ---

def _acknowledged_november_and_another_day(cloud, *, derivation_tail: str = "", day: str = "2026-12-16"):
    """The November report acknowledged on its New York day (14 December) and an occurrence of its
    period stored on ``day``, counted as the 14th was (``derivation_tail`` appended after its rule
    and offset: another offset when given): the acknowledged item, the other one as a planned
    deadline, and the contract's obligations as read."""
    from clausewatch.pipeline import actions
    from clausewatch.pipeline.reminders import deadline_of

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    [november] = sorted(_recurring().values(), key=lambda o: o.due or "")[:1]
    clock.set_now(datetime(2026, 12, 8, 12, tzinfo=UTC))
    actions.acknowledge_obligation(SAAS_ID, november.obligation_id, actor=OWNER)
    counted = november.derivation.split(" (business days, ", 1)[0]
    later_id = f"{november.obligation_id.split('@', 1)[0]}@{day}"
    repo.upsert_obligation(SAAS_ID, repo.ObligationRecord(
        obligation_id=later_id, kind="recurring", summary=november.summary, due=day,
        derivation=f"{counted}{derivation_tail} (business days, TH holidays) = {day}"),
        team=TEAM, actor="test")
    later = repo.get_obligation(SAAS_ID, later_id)
    return november, deadline_of(later), {o.obligation_id: o for o in repo.obligations(SAAS_ID, consistent=True)}


def _carry(deadline, existing) -> int:
    from clausewatch.pipeline import record

    return record._carry_acknowledgements(repo.get_contract(SAAS_ID), existing, [deadline], actor="planner")


def test_an_acknowledgement_is_carried_to_a_later_day_counted_the_same_way(cloud):
    """The set-up of the tests below, with nothing in the way: carried (so they test their guard)."""
    november, later, existing = _acknowledged_november_and_another_day(cloud)
    assert _carry(later, existing) == 1
    assert repo.get_obligation(SAAS_ID, later.obligation_id).acknowledged
    [line] = _acknowledged_lines(later.obligation_id)
    assert line.detail["carried_from"] == november.obligation_id


def test_an_acknowledgement_is_not_carried_to_a_day_another_offset_counts(cloud):
    """The period's day counted with an offset an amendment changed (not the calendar alone): the
    person acknowledged another duty's day, so the new one wants its own acknowledgement."""
    _, later, existing = _acknowledged_november_and_another_day(cloud, derivation_tail=" + P2BD")
    assert _carry(later, existing) == 0
    assert not repo.get_obligation(SAAS_ID, later.obligation_id).acknowledged
    assert not _acknowledged_lines(later.obligation_id)


@pytest.mark.parametrize("status", ["done", "waived", "superseded"])
def test_an_acknowledgement_is_not_carried_to_an_occurrence_closed_meanwhile(cloud, status):
    """The occurrence on the new day done, waived or superseded after the planning read it:
    nothing to acknowledge, no audit line saying so."""
    from clausewatch import schema

    _, later, existing = _acknowledged_november_and_another_day(cloud)
    repo.set_obligation_status(SAAS_ID, later.obligation_id, schema.ObligationStatus(status), team=TEAM,
                               actor=OWNER, reason="test")
    assert _carry(later, existing) == 0
    item = repo.get_obligation(SAAS_ID, later.obligation_id)
    assert item.status == status and not item.acknowledged_by
    assert not _acknowledged_lines(later.obligation_id)


def test_the_renewal_evidence_counts_one_acknowledgement_per_period_whichever_day_is_in_the_term(cloud):
    """Review NIT of 2026-12-07: an acknowledgement carried to a day within the term from one after
    its end (carried to an earlier day before that review, so stored so) is counted once; before,
    the carried one counted nothing and the one it came from was outside the term: none. The
    period acknowledged on both days in the term still counts once."""
    from clausewatch.renewal import steps

    november, earlier, _ = _acknowledged_november_and_another_day(cloud, day="2026-12-11")
    assert repo.carry_acknowledgement(repo.get_obligation(SAAS_ID, earlier.obligation_id),
                                      repo.get_obligation(SAAS_ID, november.obligation_id), actor="planner")
    contract = repo.get_contract(SAAS_ID)
    assert steps.gather_evidence(contract, "2026-12-12").alerts_acknowledged == 1
    assert steps.gather_evidence(contract, "2027-02-28").alerts_acknowledged == 1
