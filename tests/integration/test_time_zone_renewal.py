"""A renewal decision already waiting for its owner when the contract's time zone is changed
(README "Not built yet" until 2026-12-07: its decide-by instant, the end of that day, stayed counted
in the old zone until its notice deadline or calendar moved).

The SaaS sample uploaded in Los Angeles at 2026-11-25 (notice deadline 2026-12-30 = term end
2027-02-28 - P60D; the owner asked to decide by 2026-12-15, the final cut-off 2026-12-24), as in
test_renewal_workflow.py. The end of 15 December is 2026-12-16T07:59:59Z in Los Angeles (UTC-8)
and 2026-12-15T14:59:59Z in Tokyo (UTC+9): the same day, seventeen hours earlier."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from clausewatch import clock
from clausewatch.config import Settings
from clausewatch.local.handlers import invoke
from clausewatch.pipeline import entries
from clausewatch.renewal import local as renewal_local
from clausewatch.renewal import planning, steps, store
from clausewatch.schema import RenewalState
from clausewatch.store import repository as repo
from tests.integration.api_support import call, claims
from tests.integration.test_renewal_moved_deadline import (  # noqa: F401
    deployed_timeouts,
    requests_since,
    timeout_schedules,
)
from tests.integration.test_renewal_workflow import SAAS, SAAS_ID, TODAY, body_text, start_due
from tests.paths import SAMPLES, sample_metadata

OWNER = "priya.raman@example.com"
TEAM = "procurement"
VIEWER = claims(TEAM, "viewer")
LA, TOKYO = "America/Los_Angeles", "Asia/Tokyo"
END_IN_LA = "2026-12-16T07:59:59+00:00"  # the end of 2026-12-15 in Los Angeles
END_IN_TOKYO = "2026-12-15T14:59:59+00:00"  # the end of 2026-12-15 in Tokyo


def asked_in_los_angeles(cloud) -> None:
    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, {**sample_metadata()[SAAS], "time-zone": LA})
    cloud.pump()
    start_due(cloud)


@pytest.fixture(scope="module")
def saas_waiting_in_la(save_cloud):
    return save_cloud(asked_in_los_angeles)


@pytest.fixture
def waiting(cloud, saas_waiting_in_la):
    saas_waiting_in_la.restore(cloud)
    item = store.latest(SAAS_ID)
    assert (item.state, item.waiting_round, item.wait_deadline) == (RenewalState.WAITING, "owner", END_IN_LA)
    assert steps.asked_decide_by(item) == "2026-12-15"
    return cloud


def set_zone(cloud, zone: str) -> None:
    entries.set_time_zone(SAAS_ID, zone, actor=OWNER, team=TEAM)
    cloud.pump()


def zone_lines(item: store.RenewalItem) -> list[dict]:
    return [h for h in item.history if h["action"] == "time_zone.changed"]


def replan(cloud) -> None:
    """The planner plans the contract again (a redelivered record, the daily sweep)."""
    planning.follow_notice_deadline(Settings.from_env(), repo.get_contract(SAAS_ID))
    invoke("planner", {"sweep": True})
    cloud.pump()


def test_a_waiting_decisions_wait_ends_at_the_end_of_the_same_day_in_the_new_zone(waiting):
    sent = len(waiting.sent_mail())
    set_zone(waiting, TOKYO)
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.waiting_round == "owner"
    assert item.wait_deadline == END_IN_TOKYO
    [line] = zone_lines(item)
    assert (line["from_zone"], line["to_zone"], line["day"]) == (LA, TOKYO, "2026-12-15")
    assert (line["previous_wait_deadline"], line["wait_deadline"]) == (END_IN_LA, END_IN_TOKYO)
    assert line["actor"] == "planner"
    # the day the owner was asked by stays; the link mailed expired at the old end and the email said
    # it: the owner is asked again, once, with a link until the end of the day in Tokyo
    assert steps.asked_decide_by(item) == "2026-12-15" and steps.untold_move(item) is None
    [asked] = requests_since(waiting, sent)
    assert asked["To"] == OWNER and "(time zone changed to Asia/Tokyo)" in asked["Subject"]
    text = body_text(asked)
    assert "the contract's time zone changed from America/Los_Angeles to Asia/Tokyo: decide by 2026-12-15 as " \
           "before, now until the end of that day in Asia/Tokyo" in text
    assert "the link mailed before no longer works" in text
    again_line = item.history[-1]
    assert again_line["action"] == "asked.again" and again_line["decide_by"] == "2026-12-15"
    assert datetime.fromisoformat(again_line["link_expires"]) == datetime.fromisoformat(END_IN_TOKYO)
    # the API shows the new instant
    body = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()
    assert body["decide_by"] == END_IN_TOKYO and body["state"] == RenewalState.WAITING.value

    # the same change again, or the planner run again: nothing moves twice, no second line
    set_zone(waiting, TOKYO)
    replan(waiting)
    again = store.latest(SAAS_ID)
    assert again.wait_deadline == END_IN_TOKYO and len(zone_lines(again)) == 1
    assert len(again.history) == len(item.history)
    assert len(requests_since(waiting, sent)) == 1

    # the wait now times out at the end of 15 December in Tokyo (the table's tick, locally): escalated
    waiting.fire_until(datetime(2026, 12, 15, 15, 5, tzinfo=UTC))
    escalated = store.latest(SAAS_ID)
    assert escalated.waiting_round == "escalated", [h["action"] for h in escalated.history]


def test_a_zone_with_the_same_offset_moves_nothing(waiting):
    """Tijuana keeps Los Angeles' clock: the end of 15 December is the same instant there."""
    set_zone(waiting, "America/Tijuana")
    item = store.latest(SAAS_ID)
    assert repo.get_contract(SAAS_ID).time_zone == "America/Tijuana"
    assert item.wait_deadline == END_IN_LA and zone_lines(item) == []


def test_deployed_the_wait_is_timed_out_by_a_schedule_in_the_new_zone(waiting, deployed_timeouts):  # noqa: F811
    set_zone(waiting, TOKYO)
    item = store.latest(SAAS_ID)
    assert item.wait_deadline == END_IN_TOKYO
    # earlier than the Step Functions timer set when the owner was asked: the planner's schedule
    # times it out a second after the end of 15 December in Tokyo
    [schedule] = timeout_schedules(waiting)
    assert (schedule["ScheduleExpression"], schedule["ScheduleExpressionTimezone"]) == (
        "at(2026-12-16T00:00:00)", TOKYO)
    assert schedule["fire_at"] == datetime.fromisoformat(END_IN_TOKYO) + timedelta(seconds=1)
    event = json.loads(schedule["Target"]["Input"])
    assert event == {"renewal_timeout": {"contract_id": SAAS_ID, "term_end": "2027-02-28",
                                         "wait_deadline": END_IN_TOKYO}}
    replan(waiting)
    assert [s["Name"] for s in timeout_schedules(waiting)] == [schedule["Name"]]
    clock.set_now(schedule["fire_at"])
    assert invoke("planner", event)["timed_out"] is True
    renewal_local.settle(item.execution_arn)
    assert store.latest(SAAS_ID).waiting_round == "escalated"

    # back to Los Angeles before the escalated round ends: its wait follows (later, it waits again)
    escalated = store.latest(SAAS_ID)
    day = steps.asked_decide_by(escalated)
    set_zone(waiting, LA)
    back = store.latest(SAAS_ID)
    [*_, line] = zone_lines(back)
    assert (line["from_zone"], line["to_zone"], line["day"]) == (TOKYO, LA, day)
    assert line["previous_wait_deadline"] == escalated.wait_deadline
    assert datetime.fromisoformat(back.wait_deadline) == datetime.fromisoformat(escalated.wait_deadline) \
        + timedelta(hours=17)
    [later] = timeout_schedules(waiting)
    assert later["ScheduleExpressionTimezone"] == LA
    assert later["fire_at"] == datetime.fromisoformat(back.wait_deadline) + timedelta(seconds=1)


def test_a_lapsed_decisions_decide_by_is_the_notice_deadlines_end_in_the_new_zone(waiting):
    waiting.fire_until(datetime(2026, 12, 26, tzinfo=UTC))  # past the final cut-off, 2026-12-24 in LA
    assert store.latest(SAAS_ID).state == RenewalState.LAPSED_RENEWED
    body = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()
    assert body["decide_by"] == "2026-12-31T07:59:59+00:00"  # the end of 2026-12-30 in Los Angeles
    set_zone(waiting, TOKYO)
    body = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()
    assert body["decide_by"] == "2026-12-30T14:59:59+00:00"  # the end of 2026-12-30 in Tokyo
    assert zone_lines(store.latest(SAAS_ID)) == []  # nothing waits: no wait moved


def test_a_zone_whose_end_of_the_day_has_passed_keeps_the_wait_the_person_was_told(waiting):
    """At 2026-12-15T16:00Z it is 08:00 on the 15th in Los Angeles (sixteen hours left) and the 15th
    is over in Tokyo: moved there, the wait would end at once and a link mailed for it would be dead
    on arrival. The wait keeps its end and the owner's link; one line says why."""
    clock.set_now(datetime(2026, 12, 15, 16, 0, tzinfo=UTC))
    sent = len(waiting.sent_mail())
    set_zone(waiting, TOKYO)
    item = store.latest(SAAS_ID)
    assert (item.state, item.waiting_round, item.wait_deadline) == (RenewalState.WAITING, "owner", END_IN_LA)
    assert zone_lines(item) == [] and requests_since(waiting, sent) == []
    [kept] = [h for h in item.history if h["action"] == steps.WAIT_KEPT]
    assert (kept["from_zone"], kept["to_zone"], kept["wait_deadline"]) == (LA, TOKYO, END_IN_LA)
    assert f"the end of 2026-12-15 in {TOKYO} ({END_IN_TOKYO}) had passed" in kept["derivation"]
    replan(waiting)
    again = store.latest(SAAS_ID)
    assert len(again.history) == len(item.history) and again.wait_deadline == END_IN_LA
    body = call("GET", f"/contracts/{SAAS_ID}/renewal", claims=VIEWER).json()
    assert body["decide_by"] == END_IN_LA
    # the cut-offs counted again with another calendar (US federal holidays) after the owner's day
    # ended in Tokyo: the wait never ends before now (the owner's day is past there: they are asked
    # by the final cut-off, a later day, with a link until its end)
    entries.set_jurisdiction(SAAS_ID, "US", actor=OWNER, team=TEAM)
    waiting.pump()
    recounted = store.latest(SAAS_ID)
    assert [h for h in recounted.history if h["action"] == store.CUTOFFS_RECOUNTED]
    assert datetime.fromisoformat(recounted.wait_deadline) > clock.now()
    assert recounted.state == RenewalState.WAITING
