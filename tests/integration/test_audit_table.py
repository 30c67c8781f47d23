"""The audit trail in its own append-only table (issue #13, section 3): every event is there and
none in the single table; an event can never be replaced; deleting a contract keeps its trail
(with the deletion); a state saved before the move is restored with its events moved."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from pynamodb.exceptions import PutError

from clausewatch import clock, config, schema
from clausewatch.aws.clients import client
from clausewatch.local import state
from clausewatch.pipeline import actions
from clausewatch.store import repository as repo
from clausewatch.store.models import AuditItem
from tests.integration.test_reminders_e2e import NOW, SAAS, upload_sample


def _scan(table: str) -> list[dict]:
    return [item for page in client("dynamodb").get_paginator("scan").paginate(TableName=table)
            for item in page.get("Items", [])]


@pytest.fixture(scope="module")
def saas_saved(save_cloud):
    def build(cloud):
        clock.set_now(NOW)
        return upload_sample(cloud, SAAS)

    return save_cloud(build)


@pytest.fixture()
def saas(cloud, saas_saved) -> str:
    return saas_saved.restore(cloud)


def test_the_pipeline_writes_its_audit_events_to_the_audit_table_only(cloud, saas):
    main = _scan(config.TABLE_NAME)
    assert main, "the contract's items are in the single table"
    assert not [i for i in main if i["sk"]["S"].startswith(schema.AUDIT_PREFIX)
                or i.get("item_type", {}).get("S") == schema.ItemType.AUDIT]
    events = _scan(config.AUDIT_TABLE_NAME)
    actions_seen = {e["action"]["S"] for e in events}
    assert {"contract.received", "terms.recorded", "obligation.recorded"} <= actions_seen
    assert {e["pk"]["S"] for e in events} == {schema.contract_pk(saas)}
    # the callers' view is unchanged: audit_events reads the audit table, in order of time
    trail = repo.audit_events(saas)
    assert [e.sk for e in trail] == sorted(e["sk"]["S"] for e in events)
    assert trail[0].action == "contract.received"


def test_the_audit_table_has_no_stream_so_events_never_reach_the_planner(cloud):
    table = client("dynamodb").describe_table(TableName=config.AUDIT_TABLE_NAME)["Table"]
    assert not table.get("StreamSpecification", {}).get("StreamEnabled")
    assert [k["AttributeName"] for k in table["KeySchema"]] == [schema.PARTITION_KEY, schema.SORT_KEY]


def test_an_audit_event_is_never_replaced(cloud, saas):
    """Two writers that drew the same key (same instant, same tail): the second put is refused by
    its condition, and the first event stays as it was."""
    with mock.patch.object(repo, "time", mock.Mock(time_ns=lambda: 42)), \
            mock.patch.object(repo, "uuid", mock.Mock(uuid4=lambda: mock.Mock(hex="0" * 32))):
        repo.record_audit(saas, "first", "test.event", {"n": 1})
        with pytest.raises(PutError) as refused:
            repo.record_audit(saas, "second", "test.event", {"n": 2})
    assert refused.value.cause_response_code == "ConditionalCheckFailedException"
    (kept,) = [e for e in repo.audit_events(saas) if e.action == "test.event"]
    assert (kept.actor, kept.detail) == ("first", {"n": 1})


def test_deleting_a_contract_keeps_its_audit_trail_with_the_deletion(cloud, saas):
    before = [e.sk for e in repo.audit_events(saas)]
    removed = actions.delete_contract(saas, actor="admin@example.com")
    assert removed > 0
    assert repo.get_contract(saas) is None
    assert not [i for i in _scan(config.TABLE_NAME) if i["pk"]["S"] == schema.contract_pk(saas)
                and not i["sk"]["S"].startswith(schema.NOT_PLANNED_PREFIXES)]
    after = repo.audit_events(saas)
    assert [e.sk for e in after][:len(before)] == before
    assert after[-1].action == "contract.deleted" and after[-1].actor == "admin@example.com"


def test_a_state_saved_with_audit_events_in_the_single_table_is_restored_with_them_moved(
        cloud, saas, tmp_path):
    state.save(tmp_path)
    saved_events = (tmp_path / state.AUDIT_FILE).read_text().splitlines()
    assert saved_events
    # the layout of a state saved before the audit table: its events among the table's items
    with (tmp_path / "table.jsonl").open("a") as table:
        table.writelines(line + "\n" for line in saved_events)
    (tmp_path / state.AUDIT_FILE).unlink()
    cloud.reset()
    assert state.load(tmp_path)
    assert sorted(json.dumps(i, sort_keys=True) for i in _scan(config.AUDIT_TABLE_NAME)) == sorted(saved_events)
    assert not [i for i in _scan(config.TABLE_NAME) if i["sk"]["S"].startswith(schema.AUDIT_PREFIX)]
    assert AuditItem.Meta.table_name == config.AUDIT_TABLE_NAME


def test_the_handlers_role_check_refuses_what_a_role_lacks():
    """The autouse check of every handler's table calls (table_calls.py) can fail."""
    from tests.integration.table_calls import TableCall, violation

    audit, table = config.AUDIT_TABLE_NAME, config.TABLE_NAME
    refused = [
        TableCall("api", audit, "DeleteItem", "C#x", False),
        TableCall("planner", audit, "UpdateItem", "C#x", False),
        TableCall("ingest", audit, "PutItem", "C#x", False),  # unconditional: could replace an event
        TableCall("ingest", audit, "Query", "C#x", False),  # ingest does not read the trail
        TableCall("webhook", table, "UpdateItem", "WH#x", False),
        TableCall("api", table, "PutItem", "SHA#x", False),  # outside its partitions
        TableCall("api", table, "UpdateItem", "T#t#DATED", False),  # date markers: put only
        TableCall("api", table, "DeleteItem", "T#t#DATED", False),
        TableCall("textract_done", table, "DeleteItem", "T#t#DATED", False),  # no DeleteItem at all
        TableCall("alert", table, "DeleteItem", "FEED#x", False),
        TableCall("ingest", table, "Scan", None, False),
        TableCall("planner", table, "Scan", None, False),  # the sweep reads GSI5: no function scans
        TableCall("planner", audit, "Query", "C#x", False),  # "already sent" is a SENT# item
        TableCall("ingest", "someone-elses-table", "GetItem", "C#x", False),
    ]
    assert [c for c in refused if violation(c) is None] == []
    allowed = [
        TableCall("ingest", table, "PutItem", "C#x", False),
        TableCall("ingest", audit, "PutItem", "C#x", True),
        TableCall("api", table, "DeleteItem", "WH#x", False),
        TableCall("api", table, "PutItem", "T#t#DATED", False),
        TableCall("textract_done", table, "PutItem", "T#t#DATED", False),
        TableCall("alert", table, "DeleteItem", "PREF#a@b.c", False),
        TableCall("planner", table, "Query", "PLAN#00", False),
        TableCall("renewal", audit, "Query", "C#x", False),
    ]
    assert [violation(c) for c in allowed] == [None] * len(allowed)


def test_the_handlers_table_calls_are_recorded(cloud, saas, _table_calls_within_each_role):
    """The autouse check sees the calls handlers make (it is not vacuous): the planner's sweep
    queries the table's work index (never a scan) and appends to the audit table, conditionally."""
    from clausewatch.local.handlers import invoke

    invoke("planner", {"sweep": True})
    calls = _table_calls_within_each_role
    seen = {(c.function, c.table, c.operation) for c in calls}
    assert ("planner", config.TABLE_NAME, "Query") in seen
    assert not [c for c in calls if c.operation == "Scan"]
    assert all(c.conditional for c in calls if c.table == config.AUDIT_TABLE_NAME and c.operation == "PutItem")
