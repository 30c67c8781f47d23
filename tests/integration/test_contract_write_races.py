"""Two invocations writing one contract record at once (deployed: textract_done and the planner the
EXTRACTED write wakes run side by side).

Every write of a contract is checked against the version it read, so a write based on a stale read
is refused. A write refused only because the other side changed what is derived from the rest (the
planner's next planning day, the current term's dates) is made again on the record as it is now;
any other change refuses it, as before, and its message is redelivered; for the deadlines' writes,
such a refusal has them computed again from the record as it is now (a bounded number of times).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from pynamodb.exceptions import PutError, UpdateError

from clausewatch import clock
from clausewatch.config import Settings
from clausewatch.pipeline import record, reminders
from clausewatch.store import repository as repo
from clausewatch.store import work
from tests.integration.pipeline_support import as_ingest_leaves_it
from tests.integration.test_reminders_e2e import NOW, SAAS


def _plan(contract_id: str) -> None:
    """The planner's invocation for the stream's record of the contract's change."""
    reminders.sync_reminders(Settings.from_env(), contract_id, clock.now())


def _settled(contract_id: str) -> None:
    stored = repo.get_contract(contract_id)
    notice = repo.get_obligation(contract_id, "notice_deadline")
    assert notice is not None and stored.current_notice_deadline == notice.due
    assert stored.next_planning and "not planned yet" not in stored.next_planning_derivation


def test_the_planner_writing_while_the_extraction_settles_refuses_neither(cloud, monkeypatch):
    """The planner plans the contract between textract_done's EXTRACTED write and its deadlines'
    (both write the current term's dates; the planner its next planning day): textract_done's
    write, based on the record before the planner's, is made again on the planner's."""
    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    real_refresh, planned = record.refresh_deadlines, []

    def planner_runs_first(contract, *, today, actor):
        if not planned:
            planned.append(contract.contract_id)
            _plan(contract.contract_id)
        return real_refresh(contract, today=today, actor=actor)

    monkeypatch.setattr(record, "refresh_deadlines", planner_runs_first)
    record.record_extraction(item, extraction, actor="textract_done")

    assert planned == [item.contract_id]
    _settled(item.contract_id)


def test_textract_done_writing_while_the_planner_plans_refuses_neither(cloud, monkeypatch):
    """The other way round: the planner read the record before textract_done wrote the current
    term's dates; the planner's writes are made again on textract_done's."""
    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    real_refresh = record.refresh_deadlines
    monkeypatch.setattr(record, "refresh_deadlines", lambda contract, **kwargs: 0)  # held back
    record.record_extraction(item, extraction, actor="textract_done")
    monkeypatch.undo()
    assert repo.get_contract(item.contract_id).current_notice_deadline is None

    def textract_done_settles_meanwhile(contract, *, today, actor):
        real_refresh(repo.get_contract(contract.contract_id), today=today, actor="textract_done")
        return real_refresh(contract, today=today, actor=actor)

    monkeypatch.setattr(reminders, "refresh_deadlines", textract_done_settles_meanwhile)
    _plan(item.contract_id)

    _settled(item.contract_id)
    assert any(s["Name"].startswith(f"cw-{item.contract_id}-") for s in cloud.schedules())


def test_a_change_to_what_the_deadlines_were_computed_from_is_not_written_over(cloud, monkeypatch):
    """A concurrent change other than the derived fields (here the contract's time zone, which its
    deadlines are counted in) is not written over: the write of the current term's dates, based on
    the older record, is refused, and the deadlines are computed again from the record as it is
    now, from today in the new zone (before, the invocation failed and only its message coming back
    repaired it). At 16:00 UTC it is still the 25th in New York and already the 26th in Tokyo."""
    clock.set_now(datetime(2026, 11, 25, 16, 0, tzinfo=UTC))
    item, extraction = as_ingest_leaves_it(SAAS)
    real_refresh, real_deadlines, changed, counted = record.refresh_deadlines, record.deadlines_for_contract, [], []

    def time_zone_changed_first(contract, *, today, actor):
        if not changed:
            changed.append(1)
            repo.update_contract(repo.get_contract(contract.contract_id), actor="person",
                                 time_zone="Asia/Tokyo")
        return real_refresh(contract, today=today, actor=actor)

    def deadlines(info, extracted, today, resolved):
        counted.append((info.time_zone, today))
        return real_deadlines(info, extracted, today, resolved)

    monkeypatch.setattr(record, "refresh_deadlines", time_zone_changed_first)
    monkeypatch.setattr(record, "deadlines_for_contract", deadlines)
    zone = item.time_zone
    record.record_extraction(item, extraction, actor="textract_done")

    assert zone == "America/New_York"
    assert counted == [(zone, date(2026, 11, 25)), ("Asia/Tokyo", date(2026, 11, 26))]
    stored = repo.get_contract(item.contract_id)
    assert stored.time_zone == "Asia/Tokyo" and item.time_zone == "Asia/Tokyo"  # the caller's copy too
    assert stored.current_notice_deadline == repo.get_obligation(item.contract_id, "notice_deadline").due


def test_a_refusal_with_the_record_unchanged_is_raised_not_computed_again(cloud, monkeypatch):
    """A contract being deleted (its obligations removed first, its record last) while its deadlines
    are written: the write of a removed obligation is refused, and the record has not changed, so the
    refusal is raised as before, and no deadline is computed again from it (which would write the
    removed obligations back, for a contract about to be gone)."""
    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    real_deadlines, counted = record.deadlines_for_contract, []
    record.record_extraction(item, extraction, actor="textract_done")  # its deadlines, once
    older = repo.get_obligation(item.contract_id, "notice_deadline")
    older.summary = "an older wording"  # so this refresh writes it
    older.save()

    def deleted_meanwhile(info, extracted, today, resolved):
        counted.append(1)
        for o in repo.obligations(item.contract_id):  # the deletion's first step
            o.delete()
        return real_deadlines(info, extracted, today, resolved)

    monkeypatch.setattr(record, "deadlines_for_contract", deleted_meanwhile)
    with pytest.raises(PutError):
        record.refresh_deadlines(repo.get_contract(item.contract_id), today=NOW.date(), actor="planner")
    assert counted == [1]
    assert repo.get_obligation(item.contract_id, "notice_deadline") is None  # not written back


def test_a_write_refused_again_and_again_is_raised(cloud, monkeypatch):
    """The deadlines are computed again a bounded number of times: a record changed before each
    attempt's last write refuses it every time, and the refusal is raised (the message comes back)."""
    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    real_term_dates, attempts = repo.set_current_term_dates, []

    def changed_each_time(contract, **kwargs):
        attempts.append(1)
        repo.update_contract(repo.get_contract(contract.contract_id), actor="person",
                             owner=f"owner{len(attempts)}@example.com")
        return real_term_dates(contract, **kwargs)

    monkeypatch.setattr(repo, "set_current_term_dates", changed_each_time)
    with pytest.raises(UpdateError):
        record.record_extraction(item, extraction, actor="textract_done")
    assert len(attempts) == repo.CONTRACT_WRITE_ATTEMPTS


def test_a_full_write_over_a_derived_change_keeps_it(cloud):
    """A status write (a whole-record save) based on a read from before the planner's write keeps
    the planner's next planning day and the current term's dates."""
    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    record.record_extraction(item, extraction, actor="textract_done")
    _plan(item.contract_id)
    planned = repo.get_contract(item.contract_id)
    stale = repo.get_contract(item.contract_id)
    work.set_next_planning(planned, date(2027, 1, 5), "test: the planner's next day")  # a derived change

    repo.update_contract(stale, actor="person", owner="dana@example.com")

    stored = repo.get_contract(item.contract_id)
    assert stored.owner == "dana@example.com"
    assert (stored.next_planning, stored.next_planning_derivation) == ("2027-01-05", "test: the planner's next day")
    assert stored.current_notice_deadline == planned.current_notice_deadline
    assert stored.version == stale.version


def test_a_full_write_over_another_full_write_is_refused(cloud):
    clock.set_now(NOW)
    item, _ = as_ingest_leaves_it(SAAS)
    stale = repo.get_contract(item.contract_id)
    repo.update_contract(repo.get_contract(item.contract_id), actor="person", owner="dana@example.com")
    with pytest.raises(PutError):
        repo.update_contract(stale, actor="other", owner="lee@example.com")
    assert repo.get_contract(item.contract_id).owner == "dana@example.com"


def test_a_stale_planners_next_planning_day_is_not_written_over_a_fresher_one(cloud, monkeypatch):
    """Planner A computes the contract's next planning day from obligations a person then reopens;
    planner B, woken by that, plans from the fresh obligations and writes its day first. A's write,
    refused by the version, is refused for good (its batch comes back and works from fresh reads):
    B's day stands."""
    from clausewatch.schema import ObligationStatus

    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    record.record_extraction(item, extraction, actor="textract_done")
    contract_id, team = item.contract_id, item.team
    _plan(contract_id)
    waived = []
    for _ in range(2):  # the dated obligations waived (twice: a recurring one's next occurrence too)
        for obligation in repo.obligations(contract_id):
            if obligation.due and obligation.status == ObligationStatus.OPEN:
                repo.set_obligation_status(contract_id, obligation.obligation_id, ObligationStatus.WAIVED,
                                           team=team, actor="person", reason="not ours")
                waived.append(obligation.obligation_id)
        _plan(contract_id)
    work.set_next_planning(repo.get_contract(contract_id), NOW.date(), "due today: the sweep plans it")
    real, days = work.set_next_planning, {}

    def a_writes_after_b(contract, day, derivation):
        days["A"] = day and day.isoformat()
        monkeypatch.setattr(work, "set_next_planning", real)
        for obligation_id in waived:  # reopened while A plans
            repo.set_obligation_status(contract_id, obligation_id, ObligationStatus.OPEN, team=team,
                                       actor="person")
        _plan(contract_id)  # planner B
        days["B"] = repo.get_contract(contract_id).next_planning
        return real(contract, day, derivation)

    monkeypatch.setattr(work, "set_next_planning", a_writes_after_b)
    with pytest.raises(UpdateError):
        _plan(contract_id)  # planner A
    assert days["A"] != days["B"]  # A's day was stale
    assert repo.get_contract(contract_id).next_planning == days["B"]


def test_the_planner_recording_the_deadlines_while_textract_done_does_refuses_neither(cloud, monkeypatch):
    """The planner records the contract's deadlines between textract_done's read of its obligations
    (none yet) and its own writes of them: textract_done's writes find the same deadlines there."""
    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    real, planned = record.deadlines_for_contract, []

    def planner_runs_meanwhile(*args, **kwargs):
        if not planned:
            planned.append(1)
            _plan(item.contract_id)
        return real(*args, **kwargs)

    monkeypatch.setattr(record, "deadlines_for_contract", planner_runs_meanwhile)
    record.record_extraction(item, extraction, actor="textract_done")
    assert planned
    _settled(item.contract_id)
    recorded = [e for e in repo.audit_events(item.contract_id) if e.action == "obligation.recorded"]
    assert len({e.detail["obligation_id"] for e in recorded}) == len(recorded)  # each recorded once


def test_the_planner_goes_on_with_the_record_its_deadlines_were_computed_again_from(cloud, monkeypatch):
    """The planner plans a contract; while it writes the contract's deadlines, another invocation
    applies an amendment. The planner's obligation write is refused, the deadlines are computed
    again from the record, read again in place: the planner goes on with it and finishes (before,
    it failed after creating schedules from its copy from before the amendment)."""
    from tests.integration.test_reminders_e2e import AMENDMENT, SUPPLY

    clock.set_now(NOW)
    supply, supply_extraction = as_ingest_leaves_it(SUPPLY)
    record.record_extraction(supply, supply_extraction, actor="textract_done")
    amendment, amendment_extraction = as_ingest_leaves_it(AMENDMENT)
    older = repo.get_obligation(supply.contract_id, "notice_deadline")
    older.summary = "an older wording"  # so the planner's refresh writes it, and is refused
    older.save()
    real_deadlines, computed = record.deadlines_for_contract, []

    def amended_meanwhile(info, extracted, today, resolved):
        computed.append(extracted.value("notice_period"))
        if len(computed) == 1:
            record.record_extraction(amendment, amendment_extraction, actor="other-invocation")
        return real_deadlines(info, extracted, today, resolved)

    monkeypatch.setattr(record, "deadlines_for_contract", amended_meanwhile)
    _plan(supply.contract_id)

    assert computed[0] == "P90D" and computed[-1] == "P120D"
    assert repo.get_obligation(supply.contract_id, "notice_deadline").due == "2027-02-02"
    dues = {json.loads(s["Target"]["Input"])["due"] for s in cloud.schedules()
            if s["Name"].startswith(f"cw-{supply.contract_id}-")
            and json.loads(s["Target"]["Input"])["obligation_id"] == "notice_deadline"}
    assert dues == {"2027-02-02"}
    _settled(supply.contract_id)


def test_an_obligation_written_between_a_contracts_read_and_its_write_refuses_neither(cloud):
    """API QA 2026-12-06 (sync): writing an obligation marks its contract changed (its changed_at and
    the sort keys that list it by time of change, repo.mark_changed), without the version. A person's
    write of the contract based on a read from before it, refused by the version for another
    derived change, is made again on the record as it is: the mark is derived, it refuses nothing."""
    from datetime import timedelta

    from clausewatch import schema
    from clausewatch.schema import ObligationStatus

    clock.set_now(NOW)
    item, extraction = as_ingest_leaves_it(SAAS)
    record.record_extraction(item, extraction, actor="textract_done")
    contract_id = item.contract_id
    _plan(contract_id)
    stale = repo.get_contract(contract_id)
    work.set_next_planning(repo.get_contract(contract_id), date(2027, 1, 5), "test: the planner's next day")
    version = repo.get_contract(contract_id).version
    clock.set_now(NOW + timedelta(minutes=1))
    repo.set_obligation_status(contract_id, "notice_deadline", ObligationStatus.DONE, team=item.team, actor="person")
    marked = repo.get_contract(contract_id)
    assert (marked.changed_at, marked.version, marked.updated_at) == (clock.iso(), version, stale.updated_at)
    assert marked.gsi1sk == marked.gsi4sk == schema.changed_sk(clock.iso(), contract_id)

    clock.set_now(NOW + timedelta(minutes=2))
    repo.update_contract(stale, actor="person", owner="dana@example.com")  # was: PutError

    stored = repo.get_contract(contract_id)
    assert (stored.owner, stored.next_planning) == ("dana@example.com", "2027-01-05")
    assert stored.changed_at == stored.updated_at == clock.iso()
    assert stored.gsi1sk == schema.changed_sk(clock.iso(), contract_id)


def test_a_mark_of_change_never_makes_a_record_nor_moves_one_back(cloud):
    """The mark is conditional: no record is made for a contract deleted meanwhile (an UpdateItem
    would create one), and one changed later (another writer's clock ahead) keeps its time."""
    from datetime import timedelta

    from clausewatch import schema
    from clausewatch.store.models import ContractItem

    clock.set_now(NOW)
    assert repo.mark_changed("0123456789abcdef") is False
    key = (schema.contract_pk("0123456789abcdef"), schema.CONTRACT_SK)
    assert "Item" not in ContractItem._get_connection().get_item(*key, consistent_read=True)
    item, _ = as_ingest_leaves_it(SAAS)
    clock.set_now(NOW + timedelta(minutes=5))
    assert repo.mark_changed(item.contract_id) is True
    clock.set_now(NOW + timedelta(minutes=4))
    assert repo.mark_changed(item.contract_id) is False
    assert repo.get_contract(item.contract_id).changed_at == clock.iso(NOW + timedelta(minutes=5))
