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
