"""The planner's stream batch: one re-plan per contract; a failing contract reports its own
records as batch item failures and never stops the others."""

from __future__ import annotations

from clausewatch import schema
from clausewatch.config import Settings
from clausewatch.pipeline import reminders


def _record(contract_id: str, sk: str, sequence: str) -> dict:
    return {"eventName": "MODIFY", "dynamodb": {
        "Keys": {schema.PARTITION_KEY: {"S": schema.contract_pk(contract_id)}, schema.SORT_KEY: {"S": sk}},
        "SequenceNumber": sequence}}


def test_one_bad_contract_fails_only_its_own_records(monkeypatch):
    synced = []

    def sync(settings, contract_id, now=None, actor="planner"):
        if contract_id == "bad":
            raise RuntimeError("scheduler unavailable")
        synced.append(contract_id)
        return 1, 0

    monkeypatch.setattr(reminders, "sync_reminders", sync)
    records = [_record("good", schema.CONTRACT_SK, "1"), _record("bad", schema.CONTRACT_SK, "2"),
               _record("good", schema.obligation_sk("notice_deadline"), "3"),
               _record("bad", schema.term_sk("notice_period", 2), "4"),
               _record("other", schema.audit_sk("2026-11-25T10:00:00Z", "x"), "5"),
               _record("last", schema.CONTRACT_SK, "6")]
    failures = reminders.replan_stream_batch(Settings(), records)
    assert failures == [{"itemIdentifier": "2"}, {"itemIdentifier": "4"}]
    assert synced == ["good", "last"]  # once each; an audit write re-plans nothing


def test_a_contract_marked_changed_alone_is_not_planned_again():
    """An obligation written marks its contract changed first (repository.mark_changed: changed_at
    and the sort keys listing it by time of change): the obligation's own record plans it, the
    mark's record plans nothing. The current term's dates written with the mark still plan it."""
    old = {"pk": {"S": "C#x"}, "version": {"N": "3"}, "updated_at": {"S": "2026-11-25T14:00:00.000+00:00"},
           schema.BY_TEAM.sort_key: {"S": "2026-11-25T14:00:00.000+00:00#x"},
           schema.BY_STATUS.sort_key: {"S": "2026-11-25T14:00:00.000+00:00#x"}}
    at = "2026-11-25T15:00:00.000+00:00"
    marked = {**old, "changed_at": {"S": at}, schema.BY_TEAM.sort_key: {"S": f"{at}#x"},
              schema.BY_STATUS.sort_key: {"S": f"{at}#x"}}
    mark = {"dynamodb": {**_record("x", schema.CONTRACT_SK, "1")["dynamodb"], "OldImage": old, "NewImage": marked}}
    assert reminders.contracts_in_stream([mark]) == {}
    rolled = {**marked, "version": {"N": "4"}, "current_expiration": {"S": "2028-01-31"}}
    roll = {"dynamodb": {**_record("x", schema.CONTRACT_SK, "2")["dynamodb"], "OldImage": old, "NewImage": rolled}}
    assert reminders.contracts_in_stream([roll]) == {"x": ["2"]}
