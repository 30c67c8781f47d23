"""A recurring duty's rule a person marked done before 2026-12-07 (since refused) stopped every later
occurrence; "done" was then also how a duty was ended, so the upgrade (``python -m
clausewatch.renewal.reindex``; a saved state folder on load) cannot tell which it meant: it leaves the
rule done and flags it on its contract's Needs attention, listing it. A person settles it: reopen
(the duty goes on: its occurrences are planned again from today) or waive (it ended); either drops
the flag."""

from __future__ import annotations

import email
import email.policy
import json
from datetime import UTC, datetime, timedelta

import pytest

from clausewatch import clock, schema
from clausewatch.config import Settings
from clausewatch.local.handlers import invoke
from clausewatch.pipeline import actions, reminders
from clausewatch.pipeline.attention import attention_of
from clausewatch.renewal import reindex
from clausewatch.renewal import store as renewals
from clausewatch.schema import ObligationStatus, RenewalState
from clausewatch.store import repository as repo
from clausewatch.store.models import UpgradeItem
from tests.integration.api_support import call, claims
from tests.integration.test_recurring_recount import OWNER, TEAM
from tests.integration.test_renewal_workflow import SAAS, SAAS_ID, TODAY
from tests.paths import SAMPLES, sample_metadata

LATER = TODAY + timedelta(days=45)
EDITOR = claims(TEAM, "editor", "alex.editor@example.com")
VIEWER = claims(TEAM, "viewer", "vic.viewer@example.com")
OTHER_EDITOR = claims(TEAM, "editor", "eve.editor@example.com")


def _rule_and_occurrences() -> tuple[object, dict[str, object]]:
    obligations = repo.obligations(SAAS_ID, consistent=True)
    [rule] = [o for o in obligations if o.recurrence and not o.due]
    return rule, {o.obligation_id: o for o in obligations if o.obligation_id.startswith(f"{rule.obligation_id}@")}


def _flags() -> list[dict]:
    return [f for f in attention_of(repo.get_contract(SAAS_ID)) if f["kind"] == "rule_marked_done"]


def _scheduled(cloud, obligation_id: str) -> bool:
    return any(obligation_id in s["Target"]["Input"] for s in cloud.schedules())


def _forget_the_step() -> None:
    """A table from before the step (the embedded default records it on an empty table)."""
    UpgradeItem(schema.UPGRADE_PK, schema.UPGRADE_RULES_MARKED_DONE).delete()
    repo._UPGRADED.discard(schema.UPGRADE_RULES_MARKED_DONE)


def _path(obligation_id: str, action: str) -> str:
    return f"/contracts/{SAAS_ID}/obligations/{obligation_id}/{action}"


def _reopen_failing_at_write(monkeypatch, rule_id: str, failing: int) -> None:
    """alex's reopen, 100 days on, whose ``failing``-th occurrence write is throttled."""
    from clausewatch.pipeline import record

    clock.set_now(TODAY + timedelta(days=100))
    write, calls = record.record_deadline, []

    def throttled(*args, **kwargs):
        calls.append(args[1].obligation_id)
        if len(calls) == failing:
            raise RuntimeError("throttled")
        return write(*args, **kwargs)

    monkeypatch.setattr(record, "record_deadline", throttled)
    with pytest.raises(RuntimeError):
        actions.reopen_rule(SAAS_ID, rule_id, actor="alex.editor@example.com")


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
    clock.set_now(LATER)
    reminders.sync_reminders(Settings.from_env(), SAAS_ID, clock.now())  # the daily sweep's planning
    cloud.pump()
    _forget_the_step()
    yield rule.obligation_id, set(occurrences)
    clock.set_now(None)


@pytest.fixture
def flagged(cloud, rule_done_before, capsys):
    assert reindex.main() == 0
    capsys.readouterr()
    cloud.pump()
    return rule_done_before


def test_the_upgrade_flags_a_rule_marked_done_by_hand_and_does_not_reopen_it(cloud, rule_done_before, capsys):
    rule_id, done_before = rule_done_before
    trail_before = len(repo.audit_events(SAAS_ID))

    assert reindex.main() == 0
    out = capsys.readouterr().out
    assert f"contract {SAAS_ID}, rule {rule_id}, by {OWNER}" in out and "note: report set up" in out
    assert "flagged on Needs attention (reopen or waive each): 1" in out
    assert repo.upgraded(schema.UPGRADE_RULES_MARKED_DONE)
    cloud.pump()
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.DONE and rule.resolved_by == OWNER  # left as the person left it
    assert set(occurrences) == done_before  # nothing planned by the upgrade
    assert len(repo.audit_events(SAAS_ID)) == trail_before
    [flag] = _flags()
    assert flag["obligation_id"] == rule_id
    for said in (OWNER, '"report set up"', rule.resolved_at[:10], "If the duty goes on, reopen it",
                 "if it ended, waive it", f"after {max(d.partition('@')[2] for d in done_before)}"):
        assert said in flag["message"]

    # again: the flag is written once, nothing else changes
    assert reindex.main() == 0
    assert len(repo.audit_events(SAAS_ID)) == trail_before and len(_flags()) == 1


def test_reopen_through_the_api_plans_the_duty_again_and_drops_the_flag(cloud, flagged):
    rule_id, done_before = flagged
    viewed = call("GET", f"/contracts/{SAAS_ID}", claims=EDITOR).json()
    assert [a["obligation_id"] for a in viewed["attention"] if a["kind"] == "rule_marked_done"] == [rule_id]
    [shown] = [o for o in viewed["obligations"] if o["id"] == rule_id]
    assert "reopen" in shown["caller_may"]
    assert call("POST", _path(rule_id, "reopen"), claims=VIEWER).status == 403

    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR, body={"note": "still monthly"})
    assert reply.status == 200, reply.text
    assert reply.json()["status"] == "open" and "reopen" not in reply.json()["caller_may"]
    cloud.pump()
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.OPEN and rule.resolved_by is None
    [line] = [a for a in repo.audit_events(SAAS_ID) if a.action == "obligation.open"
              and a.detail["obligation_id"] == rule_id]
    assert line.actor == "alex.editor@example.com"
    assert (line.detail["from"], line.detail["reason"]) == ("done", "still monthly")
    assert (line.detail["marked_done"]["resolved_by"], line.detail["marked_done"]["note"]) == (OWNER, "report set up")
    assert all(occurrences[i].status == ObligationStatus.DONE for i in done_before)  # done stays done
    new = [o for i, o in occurrences.items() if i not in done_before]
    assert new and all(o.status == ObligationStatus.OPEN and o.due >= LATER.date().isoformat() for o in new)
    assert any(_scheduled(cloud, o.obligation_id) for o in new), "the next occurrence has its reminders"
    assert _flags() == []

    # the same person's reopen sent again is answered as done; another's finds it open; a dated
    # obligation is not reopened; another team's contract is not found
    trail = len(repo.audit_events(SAAS_ID))
    again = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert again.status == 200 and again.json()["status"] == "open" and len(repo.audit_events(SAAS_ID)) == trail
    other = call("POST", _path(rule_id, "reopen"), claims=OTHER_EDITOR)
    assert other.status == 409 and other.json()["current_status"] == "open"
    assert call("POST", _path(new[0].obligation_id, "reopen"), claims=EDITOR).status == 409
    assert call("POST", _path(rule_id, "reopen"), claims=claims("another-team", "editor")).status == 404


def test_reopen_makes_the_occurrences_owed_meanwhile_overdue_once(cloud, flagged):
    """Reopened a hundred days after the marking, the monthly report owed for December and January
    (due 2027-01-15 and 2027-02-16, Lincoln's Birthday and Presidents' Day skipped; after the last one planned, 2026-12-14) is made, overdue, counted
    as the planner counts a period; February's, due after today, is planned as the next one; no
    reminder is set in the past; the reopen's line and answer say which were made, once."""
    rule_id, done_before = flagged
    clock.set_now(TODAY + timedelta(days=100))  # 2027-03-05
    now = clock.now()
    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR, body={"note": "still monthly"})
    assert reply.status == 200, reply.text
    owed = [f"{rule_id}@2027-01-15", f"{rule_id}@2027-02-16"]
    assert reply.json()["occurrences_made"] == owed
    cloud.pump()
    [line] = [a for a in repo.audit_events(SAAS_ID) if a.action == "obligation.open"
              and a.detail["obligation_id"] == rule_id]
    assert line.detail["occurrences_made"] == owed
    _, occurrences = _rule_and_occurrences()
    january, february = (occurrences[i] for i in owed)
    assert january.derivation == (f"{occurrences[owed[0]].derivation.split(' -> ')[0]} -> period end 2026-12-31 "
                                  "(day before boundary 2027-01-01) + P10BD (business days, US-NY holidays) = 2027-01-15")
    assert "(day before boundary 2027-02-01) + P10BD" in february.derivation
    assert all(o.status == ObligationStatus.OPEN and o.kind == "recurring" and o.owner == OWNER for o in (january, february))
    shown = {o["id"]: o for o in call("GET", f"/contracts/{SAAS_ID}", claims=EDITOR).json()["obligations"]}
    assert shown[owed[0]]["status"] == shown[owed[1]]["status"] == "overdue"
    assert "complete" in shown[owed[0]]["caller_may"] and "waive" in shown[owed[0]]["caller_may"]
    later = [o for i, o in occurrences.items() if i not in done_before and i not in owed]
    assert [o.due for o in later] == ["2027-03-12"]  # the next, planned from today
    assert all(s["fire_at"] >= now for s in cloud.schedules())  # none in the past
    assert not _scheduled(cloud, owed[0])  # overdue by more than the catch-up's 30 days: no reminder
    assert _scheduled(cloud, owed[1])  # its one catch-up

    # sent again (its answer lost): the same answer, nothing made twice, no line added
    trail, stored = len(repo.audit_events(SAAS_ID)), len(repo.obligations(SAAS_ID, consistent=True))
    again = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert again.status == 200 and again.json()["occurrences_made"] == owed
    cloud.pump()
    assert len(repo.audit_events(SAAS_ID)) == trail and len(repo.obligations(SAAS_ID, consistent=True)) == stored


def test_a_flag_put_on_before_the_contract_ended_heals_and_reopen_answers_409(cloud, flagged):
    """The contract ends (its term lapsed on 2026-12-20: the last period planned, November's, is within
    it, December's is not) after the rule was flagged: nothing is owed, so the next planning takes the flag
    off, audited, Reopen is no longer offered, and a reopen answers 409 saying the contract ended;
    nothing is made or planned."""
    rule_id, done_before = flagged
    record = renewals.ensure(SAAS_ID, "2026-12-20", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    assert _flags() and "reopen_rule" in call("GET", f"/contracts/{SAAS_ID}", claims=EDITOR).json()["caller_may"]
    reminders.sync_reminders(Settings.from_env(), SAAS_ID, clock.now())  # the daily sweep's planning
    cloud.pump()
    assert _flags() == []
    [line] = [a for a in repo.audit_events(SAAS_ID) if a.action == "rule_marked_done.cleared"]
    assert (line.actor, line.detail["obligation_id"]) == ("planner", rule_id)
    assert line.detail["reason"] == "nothing to plan: the contract ended on 2026-12-20"
    viewed = call("GET", f"/contracts/{SAAS_ID}", claims=EDITOR).json()
    assert "reopen_rule" not in viewed["caller_may"]
    [shown] = [o for o in viewed["obligations"] if o["id"] == rule_id]
    assert "reopen" not in shown["caller_may"]

    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert reply.status == 409 and "nothing to plan: the contract ended on 2026-12-20" in reply.json()["message"]
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.DONE and set(occurrences) == done_before


def test_a_flag_of_a_contract_that_ended_is_taken_off_by_a_reopen_and_by_the_upgrade(cloud, flagged):
    """A flag still on when the contract has ended (no planning since): a reopen answers 409 and takes
    it off; the upgrade run again takes such a flag off too (each audited)."""
    from clausewatch.pipeline.rules_marked_done import flag_rules_marked_done

    rule_id, _ = flagged
    record = renewals.ensure(SAAS_ID, "2026-12-20", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert reply.status == 409 and "the contract ended on 2026-12-20" in reply.json()["message"]
    assert _flags() == []
    repo.set_rule_marked_done(SAAS_ID, rule_id, "flagged by an older run")
    assert flag_rules_marked_done() == ([], 0)
    assert _flags() == []
    cleared = [(a.actor, a.detail["reason"]) for a in repo.audit_events(SAAS_ID) if a.action == "rule_marked_done.cleared"]
    assert cleared == [("alex.editor@example.com", "nothing to plan: the contract ended on 2026-12-20"),
                       ("upgrade", "nothing to plan: the contract ended on 2026-12-20")]


def test_waiving_the_done_rule_drops_the_flag(cloud, flagged):
    rule_id, done_before = flagged
    reply = call("POST", _path(rule_id, "waive"), claims=EDITOR,
                 body={"reason": "customer no longer wants the report", "expected_status": "done"})
    assert reply.status == 200, reply.text
    cloud.pump()
    assert _flags() == []
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.WAIVED and set(occurrences) == done_before
    _forget_the_step()
    assert reindex.main() == 0  # a waived rule (the duty ended) is not flagged again
    assert _flags() == []


def test_a_failure_is_counted_and_the_step_is_recorded_on_the_next_run(cloud, rule_done_before, monkeypatch, capsys):
    rule_id, _ = rule_done_before
    real = repo.get_contract

    def refused(contract_id, *args, **kwargs):
        raise RuntimeError("throttled")

    monkeypatch.setattr(repo, "get_contract", refused)
    assert reindex.main() == 1
    assert "flagged on Needs attention (reopen or waive each): 0 (1 failed: run it again)" in capsys.readouterr().out
    assert not repo.upgraded(schema.UPGRADE_RULES_MARKED_DONE)
    monkeypatch.setattr(repo, "get_contract", real)
    assert reindex.main() == 0
    assert "(reopen or waive each): 1" in capsys.readouterr().out
    assert repo.upgraded(schema.UPGRADE_RULES_MARKED_DONE)
    assert [f["obligation_id"] for f in _flags()] == [rule_id]


def test_a_rule_done_by_an_automatic_actor_is_left_as_it_is(cloud, rule_done_before):
    """Only a person's ``done`` is flagged: a rule whose trail's last status line is not its
    resolver's ``done`` (or whose resolver is the planner, say) stays as it is."""
    from clausewatch.pipeline.rules_marked_done import marked_done_by_hand

    rule, _ = _rule_and_occurrences()
    trail = repo.audit_events(SAAS_ID)
    assert marked_done_by_hand(rule, trail)
    rule.resolved_by = "planner"
    assert not marked_done_by_hand(rule, trail)
    rule.resolved_by = "someone.else@example.com"
    assert not marked_done_by_hand(rule, trail)  # the trail's line is another person's


def test_a_state_folder_saved_before_the_step_is_flagged_on_load(cloud, rule_done_before, tmp_path, capsys):
    from clausewatch.local import state

    rule_id, _ = rule_done_before
    state.save(tmp_path)
    cloud.reset()
    assert state.load(tmp_path)
    assert "flagged on Needs attention: 1" in capsys.readouterr().err
    assert repo.get_obligation(SAAS_ID, rule_id).status == ObligationStatus.DONE
    assert [f["obligation_id"] for f in _flags()] == [rule_id]
    assert repo.upgraded(schema.UPGRADE_RULES_MARKED_DONE)


def test_a_rule_of_a_contract_that_ended_before_today_is_not_flagged(cloud, rule_done_before):
    """Nothing is owed after the contract's end: its rule stays as the person left it, unflagged (a
    renewal record whose term lapsed before today: the contract ended)."""
    from clausewatch.pipeline.rules_marked_done import flag_rules_marked_done

    rule_id, _ = rule_done_before
    record = renewals.ensure(SAAS_ID, (TODAY + timedelta(days=10)).date().isoformat(), execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    assert flag_rules_marked_done() == ([], 0)
    assert repo.get_obligation(SAAS_ID, rule_id).status == ObligationStatus.DONE
    assert _flags() == []


def test_a_done_rule_the_upgrade_did_not_flag_is_not_reopened(cloud, rule_done_before):
    """Only a flagged rule is reopened: one of a contract whose term lapsed before today is left done
    (nothing is owed after the end), so it is neither offered nor reopened."""
    from clausewatch.pipeline.rules_marked_done import flag_rules_marked_done

    rule_id, done_before = rule_done_before
    record = renewals.ensure(SAAS_ID, (TODAY + timedelta(days=10)).date().isoformat(), execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    assert flag_rules_marked_done() == ([], 0)
    [shown] = [o for o in call("GET", f"/contracts/{SAAS_ID}", claims=EDITOR).json()["obligations"]
               if o["id"] == rule_id]
    assert "reopen" not in shown["caller_may"]
    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert reply.status == 409 and "nothing to plan: the contract ended on" in reply.text
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.DONE and set(occurrences) == done_before


def test_a_rerun_that_read_the_rule_before_a_reopen_leaves_no_flag(cloud, flagged, monkeypatch):
    """A run that scanned the rule (and its trail) done, racing a person's reopen, reads the rule again
    before it flags: the reopened rule keeps no flag, and Reopen/Waive are not left refusing."""
    from clausewatch.pipeline.rules_marked_done import flag_rules_marked_done

    rule_id, _ = flagged
    scanned, trail = repo.rules_marked_done(), repo.audit_events(SAAS_ID)
    assert call("POST", _path(rule_id, "reopen"), claims=EDITOR).status == 200
    assert _flags() == []
    monkeypatch.setattr(repo, "rules_marked_done", lambda: scanned)
    monkeypatch.setattr(repo, "audit_events", lambda contract_id, *a, **k: trail)
    assert flag_rules_marked_done() == ([], 0)
    assert _flags() == []


def test_a_stale_flag_on_an_open_rule_is_taken_off(cloud, flagged):
    """A flag left on a rule no longer done (written by an older run) goes: when a person tries to
    reopen it or to waive it as done (both refused: it is open), and on the upgrade's next run."""
    rule_id, _ = flagged
    assert call("POST", _path(rule_id, "reopen"), claims=EDITOR).status == 200

    repo.set_rule_marked_done(SAAS_ID, rule_id, "stale")
    assert call("POST", _path(rule_id, "reopen"), claims=OTHER_EDITOR).status == 409
    assert _flags() == []

    repo.set_rule_marked_done(SAAS_ID, rule_id, "stale")
    waived = call("POST", _path(rule_id, "waive"), claims=EDITOR, body={"reason": "x", "expected_status": "done"})
    assert waived.status == 409 and _flags() == []

    repo.set_rule_marked_done(SAAS_ID, rule_id, "stale")
    assert reindex.main() == 0
    assert _flags() == []
    assert repo.get_obligation(SAAS_ID, rule_id).status == ObligationStatus.OPEN


def test_cli_reopen_opens_a_flagged_rule_and_refuses_it_once_open(cloud, flagged, tmp_path, capsys):
    from clausewatch.cli import main
    from clausewatch.local import state

    rule_id, _ = flagged
    state.save(tmp_path)
    assert main(["reopen", SAAS_ID, rule_id, "--note", "still monthly", "--state", str(tmp_path)]) == 0
    assert f"{rule_id} reopened" in capsys.readouterr().out
    # the local cloud is the saved state's from here on
    assert main(["reopen", SAAS_ID, rule_id, "--state", str(tmp_path)]) == 0  # its own retry: as it is
    capsys.readouterr()
    assert main(["obligations", SAAS_ID, "--state", str(tmp_path)]) == 0
    [row] = [line for line in capsys.readouterr().out.splitlines() if line.startswith(f"{rule_id} ")]
    assert " open " in row
    assert main(["reopen", SAAS_ID, "no-such-rule", "--state", str(tmp_path)]) == 2


def test_the_flag_says_the_day_it_was_marked_done_in_the_contracts_time_zone():
    from clausewatch.pipeline.rules_marked_done import flag_message
    from clausewatch.store.models import ObligationItem

    rule = ObligationItem(obligation_id="r1", summary="Monthly report", recurrence="monthly", resolved_by=OWNER,
                          resolved_at="2026-11-25T23:30:00+00:00", resolution_note=None)
    assert f"marked done by {OWNER} on 2026-11-26 (no note)" in flag_message(rule, None, "Asia/Tokyo")
    assert "on 2026-11-25 (no note)" in flag_message(rule, None, "America/New_York")


def test_a_reopen_of_a_contract_that_ended_makes_what_its_term_owed(cloud, flagged):
    """The term lapsed on 2026-12-31; on 2027-02-01 December's report (its period within the term, due
    2027-01-15 after the end: owed, as the planner counts it) was never made: the flag stays through
    the planning, and a reopen makes it, overdue, and says nothing is planned after the last day
    (January's period is after the term)."""
    rule_id, done_before = flagged
    record = renewals.ensure(SAAS_ID, "2026-12-31", execution_arn=None)
    renewals.update(record, actor="renewal", action="lapsed", state=RenewalState.LAPSED_EXPIRED.value)
    clock.set_now(datetime(2027, 2, 1, 15, tzinfo=UTC))
    reminders.sync_reminders(Settings.from_env(), SAAS_ID, clock.now())  # the daily sweep's planning
    cloud.pump()
    assert [f["obligation_id"] for f in _flags()] == [rule_id]  # something is owed: not "nothing to plan"

    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert reply.status == 200, reply.text
    assert reply.json()["occurrences_made"] == [f"{rule_id}@2027-01-15"]
    assert reply.json()["message"] == "nothing is planned after 2026-12-31, the contract's last day"
    cloud.pump()
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.OPEN and _flags() == []
    assert sorted(occurrences) == sorted(done_before | {f"{rule_id}@2027-01-15"})
    assert occurrences[f"{rule_id}@2027-01-15"].status == ObligationStatus.OPEN
    assert "(day before boundary 2027-01-01) + P10BD" in occurrences[f"{rule_id}@2027-01-15"].derivation


def test_a_waive_racing_the_reopen_leaves_nothing_made(cloud, flagged, monkeypatch):
    """Another editor waives the rule (the duty ended) after the reopen counted what is owed: the
    rule is opened only if still done, so the reopen answers 409 and no occurrence of the waived duty
    is made or reminded."""
    rule_id, done_before = flagged
    clock.set_now(TODAY + timedelta(days=100))
    counted = actions.owed_meanwhile

    def racing(*args, **kwargs):
        owed = counted(*args, **kwargs)
        actions.waive_obligation(SAAS_ID, rule_id, actor="eve.editor@example.com", reason="duty ended",
                                 expected=ObligationStatus.DONE)
        return owed

    monkeypatch.setattr(actions, "owed_meanwhile", racing)
    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert reply.status == 409 and reply.json()["current_status"] == "waived"
    cloud.pump()
    reminders.sync_reminders(Settings.from_env(), SAAS_ID, clock.now())
    cloud.pump()
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.WAIVED and set(occurrences) == done_before
    assert not any(_scheduled(cloud, i) for i in (f"{rule_id}@2027-01-15", f"{rule_id}@2027-02-16"))


def test_a_retry_after_a_reopen_that_failed_half_way_answers_the_same(cloud, flagged, monkeypatch):
    """The reopen fails after January's occurrence was made (February's write throttled): the same
    person's retry makes February's and answers both, as its line lists them."""
    rule_id, _ = flagged
    _reopen_failing_at_write(monkeypatch, rule_id, 2)
    owed = [f"{rule_id}@2027-01-15", f"{rule_id}@2027-02-16"]
    again = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert again.status == 200 and again.json()["occurrences_made"] == owed
    _, occurrences = _rule_and_occurrences()
    assert all(occurrences[i].status == ObligationStatus.OPEN for i in owed)
    [line] = [a for a in repo.audit_events(SAAS_ID) if a.action == "obligation.open"
              and a.detail["obligation_id"] == rule_id]
    assert line.detail["occurrences_made"] == owed


def test_more_occurrences_owed_than_the_cap_are_refused_and_the_flag_stays(cloud, flagged, monkeypatch):
    rule_id, done_before = flagged
    clock.set_now(TODAY + timedelta(days=100))
    monkeypatch.setattr(actions, "MAX_OWED", 1, raising=False)
    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert reply.status == 409
    assert "2 occurrences are owed while it was done (due 2027-01-15 to 2027-02-16), more than 1: waive the rule" \
        in reply.json()["message"]
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.DONE and set(occurrences) == done_before
    assert [f["obligation_id"] for f in _flags()] == [rule_id]


def test_a_done_rule_of_a_live_contract_not_flagged_is_not_reopened(cloud, rule_done_before):
    rule_id, done_before = rule_done_before
    reply = call("POST", _path(rule_id, "reopen"), claims=EDITOR)
    assert reply.status == 409 and "is done but not flagged on its contract's Needs attention" in reply.text
    rule, occurrences = _rule_and_occurrences()
    assert rule.status == ObligationStatus.DONE and set(occurrences) == done_before


def test_a_reopen_that_failed_before_making_any_keeps_the_flag_and_anothers_reopen_finishes_it(cloud, flagged,
                                                                                                 monkeypatch):
    """The reopen opened the rule, then failed before making any occurrence: its flag stays (the
    rule is open, the occurrences its line lists are missing), and another editor's reopen makes
    them, answers the same list and takes the flag off; nothing owed is left only on the line."""
    rule_id, _ = flagged
    _reopen_failing_at_write(monkeypatch, rule_id, 1)
    assert repo.get_obligation(SAAS_ID, rule_id).status == ObligationStatus.OPEN
    assert [f["obligation_id"] for f in _flags()] == [rule_id]
    assert reindex.main() == 0  # the upgrade's run leaves the flag of an unfinished reopen
    assert [f["obligation_id"] for f in _flags()] == [rule_id]
    [shown] = [o for o in call("GET", f"/contracts/{SAAS_ID}", claims=OTHER_EDITOR).json()["obligations"]
               if o["id"] == rule_id]
    assert "reopen" in shown["caller_may"]

    owed = [f"{rule_id}@2027-01-15", f"{rule_id}@2027-02-16"]
    again = call("POST", _path(rule_id, "reopen"), claims=OTHER_EDITOR)
    assert again.status == 200 and again.json()["occurrences_made"] == owed
    _, occurrences = _rule_and_occurrences()
    assert all(occurrences[i].status == ObligationStatus.OPEN for i in owed)
    assert _flags() == []
    assert call("POST", _path(rule_id, "reopen"), claims=OTHER_EDITOR).status == 409  # settled: nothing to reopen



# --- one catch-up per duty, through the real path: reopen -> planning -> schedule -> alert -----------

def _catch_ups(cloud) -> list[dict]:
    """The payloads of the contract's scheduled catch-ups (what Scheduler delivers to the alert λ)."""
    return [p for s in cloud.schedules() if s["Name"].startswith(f"cw-{SAAS_ID}-")
            and (p := json.loads(s["Target"]["Input"]))["immediate"]]


def _told() -> dict[str, list[str]]:
    """Each occurrence told of (``alert.sent``): who was told."""
    return {e.detail["obligation_id"]: e.detail["to"] for e in repo.audit_events(SAAS_ID) if e.action == "alert.sent"}


def _reopened(cloud, rule_id: str) -> tuple[str, str]:
    """alex's reopen 108 days on: Feb 16's and Mar 12's reports are owed and caught up (Jan 15's is
    more than 30 days overdue: none)."""
    clock.set_now(TODAY + timedelta(days=108))
    actions.reopen_rule(SAAS_ID, rule_id, actor="alex.editor@example.com")
    cloud.pump()
    return f"{rule_id}@2027-02-16", f"{rule_id}@2027-03-12"


def _fire(cloud) -> list:
    """The schedules due in the next five minutes fired (as Scheduler does); the emails they sent."""
    sent = len(cloud.sent_mail())
    clock.set_now(clock.now() + timedelta(minutes=5))
    cloud.fire_until(clock.now())
    cloud.pump()
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in cloud.sent_mail()[sent:]]


def test_an_occurrence_made_by_a_retried_reopen_joins_the_catch_up_planned_before_it(cloud, flagged, monkeypatch):
    """The reopen's third write throttled: the stream plans Feb 16's catch-up alone; the retry makes
    Mar 12 and the planner wants Feb 16's carrying it. Before, the schedule made for Feb 16 alone was
    kept (same name): one email of Feb 16, Mar 12 never told of (its reminder counted carried). Now
    the carrying schedule's name says what it carries: it replaces the one made before."""
    from clausewatch.pipeline import record

    rule_id, _ = flagged
    clock.set_now(TODAY + timedelta(days=108))
    write, calls = record.record_deadline, []

    def throttled(*args, **kwargs):
        calls.append(args[1].obligation_id)
        if len(calls) == 3:
            raise RuntimeError("throttled")
        return write(*args, **kwargs)

    monkeypatch.setattr(record, "record_deadline", throttled)
    with pytest.raises(RuntimeError):
        actions.reopen_rule(SAAS_ID, rule_id, actor="alex.editor@example.com")
    cloud.pump()
    feb, mar = f"{rule_id}@2027-02-16", f"{rule_id}@2027-03-12"
    [alone] = _catch_ups(cloud)
    assert alone["obligation_id"] == feb and "together" not in alone
    monkeypatch.setattr(record, "record_deadline", write)
    clock.set_now(clock.now() + timedelta(seconds=20))  # retried within the minute
    assert mar in actions.reopen_rule(SAAS_ID, rule_id, actor="alex.editor@example.com").occurrences_made
    cloud.pump()
    [carrying] = _catch_ups(cloud)
    assert carrying["obligation_id"] == feb and [t["obligation_id"] for t in carrying["together"]] == [mar]

    [message] = _fire(cloud)
    assert " and 1 more owed: " in message["Subject"]
    assert set(_told()) == {feb, mar}


def test_a_catch_up_planned_alone_that_fires_before_it_is_replaced_leaves_the_newer_ones_to_their_own(
        cloud, flagged, monkeypatch):
    """Writes in separate stream batches: Feb 16's catch-up, planned alone, fires while (or just
    before) the planning that made it carry Mar 12 replaced it. The carrying one then finds Feb 16
    told of: it sends Mar 12's catch-up on its own, never dropping it with Feb 16's."""
    from clausewatch.pipeline import record

    rule_id, _ = flagged
    clock.set_now(TODAY + timedelta(days=108))
    write = record.record_deadline
    monkeypatch.setattr(record, "record_deadline", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("throttled"))
                        if a[1].obligation_id.endswith("03-12") else write(*a, **k))
    with pytest.raises(RuntimeError):
        actions.reopen_rule(SAAS_ID, rule_id, actor="alex.editor@example.com")
    cloud.pump()
    [alone] = _catch_ups(cloud)
    monkeypatch.setattr(record, "record_deadline", write)
    actions.reopen_rule(SAAS_ID, rule_id, actor="alex.editor@example.com")
    cloud.pump()
    [carrying] = _catch_ups(cloud)
    feb, mar = f"{rule_id}@2027-02-16", f"{rule_id}@2027-03-12"
    sent = len(cloud.sent_mail())

    assert invoke("alert", alone)["sent"] is True  # the one planned alone went out first
    assert invoke("alert", carrying)["sent"] is False  # Feb 16 told of already
    assert set(_told()) == {feb, mar}
    subjects = [email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
                for raw in cloud.sent_mail()[sent:]]
    assert len(subjects) == 2 and "16 Feb 2027" in subjects[0] and "12 Mar 2027" in subjects[1]


def test_an_occurrence_handed_to_another_person_gets_its_own_catch_up(cloud, flagged):
    """After the reopen, Mar 12's report is handed to Jo. Before, Priya's email about Feb 16 carried
    it and Mar 12 was recorded handled: Jo was never told. The planner groups by duty and person."""
    rule_id, _ = flagged
    feb, mar = _reopened(cloud, rule_id)
    clock.set_now(clock.now() + timedelta(seconds=20))
    actions.set_obligation_owner(SAAS_ID, mar, "jo.lin@example.com", actor="alex.editor@example.com")
    cloud.pump()
    assert all("together" not in p for p in _catch_ups(cloud))

    messages = _fire(cloud)
    assert sorted(str(m["To"]) for m in messages) == ["jo.lin@example.com", OWNER]
    assert _told() == {feb: [OWNER], mar: ["jo.lin@example.com"]}


def test_a_carried_occurrence_handed_on_before_the_planning_follows_is_sent_to_its_own_owner(cloud, flagged):
    """Mar 12 handed to Jo while Feb 16's catch-up carrying it is about to fire (the planning the
    hand-off starts has not run): the carrying email goes to Priya without Mar 12, and Jo gets
    Mar 12's own catch-up; nothing for Mar 12 is recorded handled for Priya."""
    rule_id, _ = flagged
    feb, mar = _reopened(cloud, rule_id)
    [carrying] = _catch_ups(cloud)
    actions.set_obligation_owner(SAAS_ID, mar, "jo.lin@example.com", actor="alex.editor@example.com")
    sent = len(cloud.sent_mail())

    assert invoke("alert", carrying)["sent"] is True
    messages = [email.message_from_bytes(raw, policy=email.policy.default) for raw in cloud.sent_mail()[sent:]]
    assert [(str(m["To"]), " more owed" in m["Subject"]) for m in messages] == [
        (OWNER, False), ("jo.lin@example.com", False)]
    assert _told() == {feb: [OWNER], mar: ["jo.lin@example.com"]}


def test_a_carrying_occurrence_done_before_its_catch_up_fires_leaves_the_carried_ones_told(cloud, flagged):
    """Feb 16's report marked done just before its catch-up fires (the planning after not run yet):
    before, nothing was sent and Mar 12, counted carried, was never told of. Now it gets its own."""
    rule_id, _ = flagged
    feb, mar = _reopened(cloud, rule_id)
    [carrying] = _catch_ups(cloud)
    actions.complete_obligation(SAAS_ID, feb, actor="alex.editor@example.com", note="sent")
    sent = len(cloud.sent_mail())

    assert invoke("alert", carrying)["sent"] is False  # Feb 16's own: done
    [raw] = cloud.sent_mail()[sent:]
    assert "12 Mar 2027" in email.message_from_bytes(raw, policy=email.policy.default)["Subject"]
    assert _told() == {mar: [OWNER]}


def test_a_catch_up_whose_email_is_not_made_gives_back_every_claim(cloud, flagged, monkeypatch):
    """The calendar entry of a carried occurrence fails to be made (before the email): every
    reminder claimed is given back, so the retry sends the one email at once (before, the claims
    made before that step were held for the lease: the retry failed as in flight)."""
    from clausewatch.pipeline import reminders as alerts

    rule_id, _ = flagged
    feb, mar = _reopened(cloud, rule_id)
    [carrying] = _catch_ups(cloud)
    uid_now = alerts.invite_uid_now
    monkeypatch.setattr(alerts, "invite_uid_now", lambda contract, obligation_id, *a: (
        (_ for _ in ()).throw(RuntimeError("throttled")) if obligation_id == mar else uid_now(contract, obligation_id, *a)))
    with pytest.raises(RuntimeError):
        alerts.send_alert(Settings.from_env(), carrying)
    monkeypatch.setattr(alerts, "invite_uid_now", uid_now)

    assert alerts.send_alert(Settings.from_env(), carrying).send is True
    assert set(_told()) == {feb, mar}


def test_a_carried_reminder_that_fails_to_settle_leaves_the_catch_up_recorded(cloud, flagged, monkeypatch):
    """The email went; settling a carried reminder fails: the catch-up's own record (alert.sent, the
    calendar entry) is still written and the failure raised after (before, it skipped them all)."""
    from clausewatch.pipeline import reminders as alerts

    rule_id, _ = flagged
    feb, mar = _reopened(cloud, rule_id)
    [carrying] = _catch_ups(cloud)
    [carried] = carrying["together"]
    settle = repo.settle_reminder
    monkeypatch.setattr(repo, "settle_reminder", lambda contract_id, name, until: (
        (_ for _ in ()).throw(RuntimeError("throttled")) if name == carried["name"] else settle(contract_id, name, until)))

    with pytest.raises(RuntimeError):
        alerts.send_alert(Settings.from_env(), carrying)
    assert set(_told()) == {feb, mar}
