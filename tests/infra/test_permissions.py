"""Least privilege on the tables (issue #13, section 3): each function has only the DynamoDB
actions it uses on the clausewatch table, and only appends to (and some read) the audit table,
which no role of the stack may update or delete in, and which outlives the stack."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from clausewatch import config, schema
from infra.components import table_access
from tests.infra.test_infra import (
    as_list,
    function_id,
    get_att_arn,
    output_ref,
    policy_documents,
    role_of,
    statements_of_role,
)

G, Q, S, B = "dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"
P, U, D = "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"

# function -> (actions on the clausewatch table, actions on the audit table); written out here on
# purpose: a change to table_access.py that widens a role must change this table too
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "ingest": ({G, P}, {P}),
    "textract_done": ({G, Q, P, U}, {P}),
    "planner": ({G, Q, P, U}, {P}),
    "alert": ({G, Q, B, P, U, D}, {P}),
    "api": ({G, Q, B, P, U, D}, {P, Q}),
    "money": ({G, Q, P, U}, {P}),
    "webhook": ({G, Q, P}, {P}),
    "renewal": ({G, Q, P, U}, {P, Q}),
}


def _tables(template: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], str]:
    table_id, audit_id = output_ref(template, "TableName"), output_ref(template, "AuditTableName")
    return get_att_arn(table_id), get_att_arn(audit_id), audit_id


def _dynamodb_grants(template: dict[str, Any], name: str) -> dict[str, list[tuple[Any, Any]]]:
    """dynamodb action -> [(resource, condition)] the function's role allows."""
    granted: dict[str, list[tuple[Any, Any]]] = {}
    for statement in statements_of_role(template, role_of(template, function_id(template, name))):
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            if action.startswith("dynamodb:"):
                for resource in as_list(statement["Resource"]):
                    granted.setdefault(action, []).append((resource, statement.get("Condition")))
    return granted


def test_the_expected_table_covers_every_function_and_matches_table_access() -> None:
    assert set(EXPECTED) == set(config.FUNCTIONS)
    for name, (main, audit) in EXPECTED.items():
        assert set(table_access.TABLE_ACTIONS[name]) == main, name
        assert set(table_access.audit_actions(name)) == audit, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_function_has_only_the_table_actions_it_uses(template: dict[str, Any], name: str) -> None:
    table, audit, _ = _tables(template)
    index = {"Fn::Join": ["", [table, "/index/*"]]}
    granted = _dynamodb_grants(template, name)
    on_table = {a for a, places in granted.items() for resource, _ in places if resource in (table, index)}
    on_audit = {a for a, places in granted.items() for resource, _ in places if resource == audit}
    main, appended = EXPECTED[name]
    assert on_table == main
    assert on_audit == appended
    # never the wide grants: no batch writes, no ConditionCheck/transactions, no table management;
    # BatchGetItem (reads by key) only where EXPECTED names it, and only on the table itself
    assert not {"dynamodb:BatchWriteItem", "dynamodb:*", "dynamodb:DeleteTable", "dynamodb:UpdateTable"} & set(granted)
    if B in granted:
        assert B in main and [r for r, _ in granted[B]] == [table], granted[B]
    for action in {G, Q} & main:  # reads by key and on the indexes
        assert [r for r, _ in granted[action] if r != audit] == [table, index], action
    for action in {P, U, D} & set(granted):  # writes: on the tables themselves, never an index
        assert all(resource in (table, audit) for resource, _ in granted[action]), action


def test_no_function_scans(template: dict[str, Any]) -> None:
    """The daily sweep's work, stuck contracts and waiting renewal decisions all come from GSI5."""
    scanners = {name for name in EXPECTED if S in _dynamodb_grants(template, name)}
    assert scanners == set()


def test_writes_are_scoped_to_partitions_where_iam_allows(template: dict[str, Any]) -> None:
    table, _, _ = _tables(template)
    api = _dynamodb_grants(template, "api")
    api_keys = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [
        f"{schema.CONTRACT_PREFIX}*", f"{schema.FEED_PREFIX}*", f"{schema.WEBHOOK_PREFIX}*",
        f"{schema.PREFERENCE_PREFIX}*", "T#*#STAKE"]}}
    markers = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["T#*#DATED", "T#*#DELETED"]}}
    for action in (U, D):
        assert [c for r, c in api[action] if r == table] == [api_keys], action
    # the date markers of a contract whose date a person entered, a deleted contract's deletion item:
    # put, never updated or deleted
    assert sorted(map(str, (c for r, c in api[P] if r == table))) == sorted(map(str, (api_keys, markers)))
    alert = _dynamodb_grants(template, "alert")
    claim_keys = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [
        f"{schema.CONTRACT_PREFIX}*", f"{schema.PREFERENCE_PREFIX}*"]}}
    assert alert[D] == [(table, claim_keys)]


def test_no_role_may_update_or_delete_in_the_audit_table(template: dict[str, Any]) -> None:
    _, audit, audit_id = _tables(template)
    seen = 0
    for lid, document in policy_documents(template):
        for statement in document["Statement"]:
            if statement.get("Effect") != "Allow":
                continue
            resources = as_list(statement.get("Resource", []))
            if not any(r == audit or audit_id in str(r) or r == "*" for r in resources):
                continue
            actions = set(as_list(statement["Action"]))
            assert not actions & set(table_access.AUDIT_FORBIDDEN), (lid, actions)
            assert "dynamodb:*" not in actions and "*" not in actions, lid
            if any(r == audit for r in resources):
                seen += 1
                assert actions <= {P, Q}, (lid, actions)
    assert seen == len(EXPECTED)  # one append (and read) statement per function


def test_the_audit_table_is_retained_recoverable_and_protected(template: dict[str, Any]) -> None:
    _, _, audit_id = _tables(template)
    resource = template["Resources"][audit_id]
    props = resource["Properties"]
    assert resource["DeletionPolicy"] == "Retain" and resource["UpdateReplacePolicy"] == "Retain"
    assert props["DeletionProtectionEnabled"] is True
    assert props["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert "StreamSpecification" not in props  # its events never reach the planner
    assert "GlobalSecondaryIndexes" not in props
    assert [k["AttributeName"] for k in props["KeySchema"]] == [schema.PARTITION_KEY, schema.SORT_KEY]
    assert props["SSESpecification"]["SSEEnabled"] is True


def test_every_function_is_told_the_audit_table(template: dict[str, Any]) -> None:
    _, _, audit_id = _tables(template)
    for name in EXPECTED:
        env = template["Resources"][function_id(template, name)]["Properties"]["Environment"]["Variables"]
        assert env[config.ENV_AUDIT_TABLE] == {"Ref": audit_id}, name


def test_only_the_planner_reads_the_tables_stream_and_only_that_stream(template: dict[str, Any]) -> None:
    """The planner's mapping reads the stream, and its DLQ redrive reads a given-up batch again
    (aws/streams.py: GetShardIterator, GetRecords): the planner may read the clausewatch table's
    stream; no other function may read any."""
    stream = {"Fn::GetAtt": [output_ref(template, "TableName"), "StreamArn"]}
    reads = {"dynamodb:GetShardIterator", "dynamodb:GetRecords", "dynamodb:DescribeStream"}
    for name in EXPECTED:
        granted = _dynamodb_grants(template, name)
        on_stream = {a for a, places in granted.items() for resource, _ in places if resource == stream}
        if name == "planner":
            assert reads <= on_stream, on_stream
            assert all(resource == stream for action in reads for resource, _ in granted[action])
        else:
            assert not reads & set(granted), (name, reads & set(granted))
