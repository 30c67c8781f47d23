"""A recurring duty's rule a person marked done before 2026-12-07 (since refused) stopped every later
occurrence, and nothing reopened it. The operator's upgrade (``python -m clausewatch.renewal.reindex``;
a saved state folder on load) reopens it, audited, and its occurrences from today are planned again
with their reminders; a waived rule (the duty ended) is not touched."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clausewatch import clock, schema
from clausewatch.config import Settings
from clausewatch.pipeline import actions, reminders
from clausewatch.renewal import reindex
from clausewatch.schema import ObligationStatus
from clausewatch.store import repository as repo
from clausewatch.store.models import UpgradeItem
from tests.integration.test_recurring_recount import OWNER, TEAM
from tests.integration.test_renewal_workflow import SAAS, SAAS_ID, TODAY
from tests.paths import SAMPLES, sample_metadata

WHY = "a rule is not completed; its later occurrences are owed"


def _rule_and_occurrences() -> tuple[object, dict[str, object]]:
    obligations = repo.obligations(SAAS_ID, consistent=True)
    [rule] = [o for o in obligations if o.recurrence and not o.due]
    return rule, {o.obligation_id: o for o in obligations if o.obligation_id.startswith(f"{rule.obligation_id}@")}


def _scheduled(cloud, obligation_id: str) -> bool:
    return any(obligation_id in s["Target"]["Input"] for s in cloud.schedules())


def _forget_the_step() -> None:
    """A table from before the step (the embedded default records it on an empty table)."""
    UpgradeItem(schema.UPGRADE_PK, schema.UPGRADE_RULES_REOPENED).delete()
    repo._UPGRADED.discard(schema.UPGRADE_RULES_REOPENED)


@pytest.fixture
def rule_done_before(cloud):
    """The SaaS sample's monthly report: its rule marked done by hand as an older version did (the
    status write and its audit line, no refusal), then its open occurrences done and a month gone by:
    no later occurrence was planned."""
    clock.set_now(TODAY)
    cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
    cloud.pump()
    rule, occurrences = _rule_and_occurrences()
    repo.set_obligation_status(SAAS_ID, rule.obligation_id, ObligationStatus.DONE, team=TEAM, actor=OWNER,
                               reason="report set up", expected=ObligationStatus.OPEN)
    for occurrence_id in occurrences:
        actions.complete_obligation(SAAS_ID, occurrence_id, actor=OWNER, note="sent")
    cloud.pump()
    clock.set_now(TODAY + timedelta(days=45))
    reminders.sync_reminders(Settings.from_env(), SAAS_ID, clock.now())  # the daily sweep's planning
    cloud.pump()
    _forget_the_step()
    yield rule.obligation_id, set(occurrences)
    clock.set_now(None)


def test_the_upgrade_reopens_a_rule_marked_done_by_hand_and_plans_its_next_occurrence(cloud, rule_done_before, capsys):
    rule_id, done_before = rule_done_before
    trail_before = repo.audit_events(SAAS_ID)
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.DONE
    assert set(occurrences) == done_before  # the old rule stopped every later occurrence

    assert reindex.main() == 0
    assert "recurring duties' rules marked done by hand, reopened: 1" in capsys.readouterr().out
    assert repo.upgraded(schema.UPGRADE_RULES_REOPENED)
    cloud.pump()
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.OPEN and rule.resolved_by is None
    [line] = [a for a in repo.audit_events(SAAS_ID)[len(trail_before):]
              if a.action == "obligation.open" and a.detail["obligation_id"] == rule_id]
    assert line.actor == "upgrade"
    assert (line.detail["from"], line.detail["reason"]) == ("done", WHY)
    assert line.detail["marked_done"]["resolved_by"] == OWNER
    assert line.detail["marked_done"]["note"] == "report set up"
    assert all(occurrences[i].status == ObligationStatus.DONE for i in done_before)  # done stays done
    new = [o for i, o in occurrences.items() if i not in done_before]
    today = (TODAY + timedelta(days=45)).date().isoformat()
    assert new and all(o.status == ObligationStatus.OPEN and o.due >= today for o in new)
    assert any(_scheduled(cloud, o.obligation_id) for o in new), "the next occurrence has its reminders"

    # again: nothing changes
    trail = len(repo.audit_events(SAAS_ID))
    assert reindex.main() == 0
    assert "recurring duties' rules marked done by hand, reopened: 0" in capsys.readouterr().out
    cloud.pump()
    assert len(repo.audit_events(SAAS_ID)) == trail
    assert _rule_and_occurrences()[1].keys() == occurrences.keys()


def test_a_waived_rule_is_left_as_it_is(cloud):
    clock.set_now(TODAY)
    try:
        cloud.upload(SAMPLES / SAAS, sample_metadata()[SAAS])
        cloud.pump()
        rule, _ = _rule_and_occurrences()
        actions.waive_obligation(SAAS_ID, rule.obligation_id, actor=OWNER, reason="no more monthly reports")
        cloud.pump()
        _forget_the_step()
        trail = len(repo.audit_events(SAAS_ID))
        from clausewatch.pipeline.rules_reopened import reopen_rules_marked_done

        assert reopen_rules_marked_done(actor="upgrade") == (0, 0)
        assert repo.upgraded(schema.UPGRADE_RULES_REOPENED)
        assert _rule_and_occurrences()[0].status == ObligationStatus.WAIVED
        assert len(repo.audit_events(SAAS_ID)) == trail
    finally:
        clock.set_now(None)


def test_a_rule_done_by_an_automatic_actor_is_left_as_it_is(cloud, rule_done_before):
    """Only a person's ``done`` is undone: a rule whose trail's last status line is not its
    resolver's ``done`` (or whose resolver is the planner, say) stays as it is."""
    from clausewatch.pipeline.rules_reopened import marked_done_by_hand

    rule_id, _ = rule_done_before
    rule, _ = _rule_and_occurrences()
    trail = repo.audit_events(SAAS_ID)
    assert marked_done_by_hand(rule, trail)
    rule.resolved_by = "planner"
    assert not marked_done_by_hand(rule, trail)
    rule.resolved_by = "someone.else@example.com"
    assert not marked_done_by_hand(rule, trail)  # the trail's line is another person's


def test_a_state_folder_saved_before_the_step_is_reopened_on_load(cloud, rule_done_before, tmp_path):
    from clausewatch.local import state

    rule_id, _ = rule_done_before
    state.save(tmp_path)
    cloud.reset()
    assert state.load(tmp_path)
    assert repo.get_obligation(SAAS_ID, rule_id).status == ObligationStatus.OPEN
    assert repo.upgraded(schema.UPGRADE_RULES_REOPENED)


def test_a_rule_of_a_contract_that_ended_before_today_is_left_as_it_is(cloud, rule_done_before, monkeypatch):
    """Nothing is owed after the contract's end: its rule stays as the person left it."""
    from clausewatch.pipeline.rules_reopened import reopen_rules_marked_done
    from clausewatch.renewal import ended

    rule_id, _ = rule_done_before
    last_day = (TODAY + timedelta(days=10)).date().isoformat()
    monkeypatch.setattr(ended, "contract_ended",
                        lambda contract_id, time_zone="UTC": ended.Ended(last_day, f"ended {last_day}"))
    assert reopen_rules_marked_done(actor="upgrade") == (0, 0)
    assert repo.get_obligation(SAAS_ID, rule_id).status == ObligationStatus.DONE
