"""clausewatch.horizon: the rolling horizon (which reminders are schedules now, when to plan again)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clausewatch import config
from clausewatch.horizon import horizon_end, split_by_horizon, with_later_start
from clausewatch.plan import ContractInfo, Deadline, plan_reminders, reminder_name

NY = "America/New_York"
INFO = ContractInfo(contract_id="c-1", title="MSA", counterparty="Northwind", owner="o@example.com",
                    team="t", contract_type=None, time_zone=NY, jurisdiction=None)


def deadline(obligation_id: str, due: date, kind: str = "notice_deadline") -> Deadline:
    return Deadline(obligation_id=obligation_id, kind=kind, summary="s", due=due, owner=None,
                    evidence=None, derivation="stated", action="act")


def test_only_reminders_inside_the_window_are_scheduled_and_the_next_planning_day_is_spelled_out():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    deadlines = [deadline("notice_deadline", date(2026, 6, 30))]
    wanted = plan_reminders(INFO, deadlines, now)
    assert [r.lead_days for r in wanted] == [90, 60, 30, 14, 7, 0]
    split = split_by_horizon(wanted, deadlines, now, 35, NY)
    assert split.scheduled == []  # the 90-day reminder fires on 1 Apr 2026, 90 days away
    assert [r.lead_days for r in split.later] == [90, 60, 30, 14, 7, 0]
    # 1 Apr 2026 09:00 New York is 13:00 UTC on 1 Apr; 1 Apr - 35 days = 25 Feb
    assert split.next_planning == date(2026, 2, 25)
    assert "2026-04-01T09:00 America/New_York - 35 days horizon = UTC day 2026-02-25" in split.derivation
    assert reminder_name("c-1", "notice_deadline", date(2026, 6, 30), 90) in split.derivation


def test_planning_again_on_the_next_planning_day_schedules_the_reminder_that_came_inside():
    deadlines = [deadline("notice_deadline", date(2026, 6, 30))]
    day = split_by_horizon(plan_reminders(INFO, deadlines, datetime(2026, 1, 1, tzinfo=UTC)), deadlines,
                           datetime(2026, 1, 1, tzinfo=UTC), 35, NY).next_planning
    sweep_at = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=5)  # the 05:00 UTC sweep
    split = split_by_horizon(plan_reminders(INFO, deadlines, sweep_at), deadlines, sweep_at, 35, NY)
    assert [r.lead_days for r in split.scheduled] == [90]
    assert split.scheduled[0].immediate is False  # scheduled ahead, not a catch-up
    assert split.next_planning is not None and split.next_planning > day


def test_a_wide_horizon_schedules_everything_and_plans_again_after_the_soonest_deadline():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    deadlines = [deadline("notice_deadline", date(2026, 6, 30)), deadline("r@2026-01-20", date(2026, 1, 20), "recurring")]
    wanted = plan_reminders(INFO, deadlines, now)
    split = split_by_horizon(wanted, deadlines, now, 10_000, NY)
    assert split.scheduled == wanted and split.later == []
    # 20 Jan ends 23:59:59 New York = 21 Jan 04:59:59 UTC: the recurring duty rolls on 21 Jan (UTC)
    assert split.next_planning == date(2026, 1, 21)
    assert "r@2026-01-20 due 2026-01-20" in split.derivation


def test_the_earlier_of_the_two_reasons_wins():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    deadlines = [deadline("notice_deadline", date(2026, 6, 30)), deadline("pay", date(2026, 1, 3), "payment")]
    split = split_by_horizon(plan_reminders(INFO, deadlines, now), deadlines, now, 35, NY)
    assert split.next_planning == date(2026, 1, 4)  # the payment passes before 25 Feb
    assert {r.obligation_id for r in split.scheduled} == {"pay"}


def test_nothing_left_means_no_next_planning_day():
    now = datetime(2026, 3, 1, tzinfo=UTC)
    past = [deadline("pay", date(2026, 1, 3), "payment")]  # overdue past the catch-up look-back
    split = split_by_horizon(plan_reminders(INFO, past, now), past, now, 35, NY)
    assert (split.scheduled, split.later, split.next_planning) == ([], [], None)
    assert "nothing left" in split.derivation


def test_catch_up_reminders_are_always_inside_the_window():
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    deadlines = [deadline("notice_deadline", date(2026, 6, 30))]  # 90, 60 and 30 days passed
    split = split_by_horizon(plan_reminders(INFO, deadlines, now), deadlines, now, 1, NY)
    assert [(r.lead_days, r.immediate) for r in split.scheduled] == [(30, True)]


def test_bad_horizon_and_naive_time_are_refused():
    with pytest.raises(ValueError, match="at least 1 day"):
        horizon_end(datetime(2026, 1, 1, tzinfo=UTC), 0)
    with pytest.raises(ValueError, match="aware"):
        horizon_end(datetime(2026, 1, 1), 35)


def test_horizon_setting_from_the_environment():
    assert config.reminder_horizon_days({}) == config.REMINDER_HORIZON_DAYS == 35
    assert config.reminder_horizon_days({config.ENV_REMINDER_HORIZON_DAYS: "60"}) == 60
    for bad in ("0", "-3", "soon"):
        with pytest.raises(ValueError, match=config.ENV_REMINDER_HORIZON_DAYS):
            config.reminder_horizon_days({config.ENV_REMINDER_HORIZON_DAYS: bad})
    assert config.sweep_page_size({config.ENV_SWEEP_PAGE_SIZE: "7"}) == 7


def test_a_renewal_start_beyond_the_window_brings_the_next_planning_day_forward_with_its_arithmetic():
    from zoneinfo import ZoneInfo

    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    deadlines = [deadline("notice_deadline", date(2026, 6, 30))]
    split = split_by_horizon(plan_reminders(INFO, deadlines, now), deadlines, now, 35, NY)
    assert split.next_planning == date(2026, 2, 25)
    # a start on 15 Apr 2026 09:00 Chicago comes inside on 11 Mar, after 25 Feb: the split stands
    chicago = ZoneInfo("America/Chicago")
    assert with_later_start(split, datetime(2026, 4, 15, 9, tzinfo=chicago), 35) is split
    # one on 1 Feb 2026 09:00 Chicago (15:00 UTC) comes inside on 28 Dec 2025
    earlier = with_later_start(split, datetime(2026, 2, 1, 9, tzinfo=chicago), 35)
    assert earlier.derivation == ("renewal decision start fires 2026-02-01T09:00-06:00 - 35 days horizon "
                                  "= UTC day 2025-12-28")
    assert (earlier.scheduled, earlier.later) == (split.scheduled, split.later)
    assert with_later_start(split, None, 35) is split
    # with nothing else to plan, the start alone sets the day
    bare = split_by_horizon([], [], now, 35, NY)
    assert bare.next_planning is None
    assert with_later_start(bare, datetime(2026, 3, 2, 9, tzinfo=chicago), 35).next_planning == date(2026, 1, 26)
