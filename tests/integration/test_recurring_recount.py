"""A recurring duty due some business days after its period (the SaaS sample's monthly report, ten
business days after each month) counted again with another calendar (a jurisdiction set, QA of
2026-12-07): the period's occurrence moves to its new day and the one due on the old day is
superseded, with why. An occurrence's id holds its due day, so before, the old one stayed open
beside the new one, each with its reminders: the November report was due both on 14 December
(US-NY holidays) and on 16 December (TH holidays)."""

from __future__ import annotations

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


def test_an_occurrence_handed_on_stays_handed_on_when_its_day_moves_earlier(cloud):
    """Review of 2026-12-07: handed to Bob on its Thai day (16 December), the November report moved
    back to New York's 14 December went to the contract's owner again (a hand-off counted only from
    an earlier day)."""
    from clausewatch.pipeline import actions

    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    entries.set_jurisdiction(SAAS_ID, "TH", actor=OWNER, team=TEAM)
    cloud.pump()
    [first] = sorted(_recurring().values(), key=lambda o: o.due or "")[:1]
    boundary = dates.period_boundary(first.derivation)
    actions.set_obligation_owner(SAAS_ID, first.obligation_id, "bob@example.com", actor=OWNER)
    cloud.pump()
    entries.set_jurisdiction(SAAS_ID, "US-NY", actor=OWNER, team=TEAM)
    cloud.pump()
    [moved] = [o for o in _recurring().values() if dates.period_boundary(o.derivation) == boundary]
    assert moved.obligation_id != first.obligation_id and moved.due < first.due
    assert moved.owner == "bob@example.com"
