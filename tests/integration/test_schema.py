"""One schema: the embedded default's table, the pynamodb models and the key builders all follow
clausewatch.schema (the CDK side is checked in test_infra.py)."""

from __future__ import annotations

from clausewatch import schema
from clausewatch.aws.clients import client
from clausewatch.store import models


def test_the_embedded_tables_keys_and_indexes_are_the_schemas(cloud):
    table = client("dynamodb").describe_table(TableName=models.ContractItem.Meta.table_name)["Table"]
    assert [k["AttributeName"] for k in table["KeySchema"]] == [schema.PARTITION_KEY, schema.SORT_KEY]
    indexes = {g["IndexName"]: [k["AttributeName"] for k in g["KeySchema"]]
               for g in table["GlobalSecondaryIndexes"]}
    assert indexes == {i.name: [i.partition_key, i.sort_key] for i in schema.INDEXES}


def test_the_models_indexes_are_the_schemas():
    used = {
        (models.ContractItem.by_team, schema.BY_TEAM),
        (models.ContractItem.by_status, schema.BY_STATUS),
        (models.ObligationItem.by_team, schema.BY_TEAM),
        (models.ObligationItem.renewals, schema.RENEWALS),
        (models.ObligationItem.by_owner, schema.BY_OWNER),
        (models.FeedItem.by_team, schema.BY_TEAM),
    }
    for index, declared in used:
        assert index.Meta.index_name == declared.name
        keys = {a.attr_name: a.is_hash_key for a in index.Meta.attributes.values()}
        assert keys == {declared.partition_key: True, declared.sort_key: False}
    assert {i.name for i in schema.INDEXES} == set(models.INDEX_CLASSES)


def test_only_changes_that_can_move_a_deadline_replan():
    pk = schema.contract_pk("abc")
    assert schema.contract_id_of(pk) == "abc"
    assert schema.changes_plan(pk, schema.CONTRACT_SK)
    assert schema.changes_plan(pk, schema.obligation_sk("notice_deadline"))
    assert schema.changes_plan(pk, schema.term_sk("notice_period", 2))
    assert not schema.changes_plan(pk, schema.audit_sk("2026-11-25T10:00:00Z", "1"))
    assert not schema.changes_plan(pk, schema.alert_sk("cw-abc-0123456789abcdef"))
    assert not schema.changes_plan(schema.upload_hash_pk("ff" * 32), schema.UPLOAD_HASH_SK)
    assert schema.contract_id_of(schema.upload_hash_pk("ff")) is None
