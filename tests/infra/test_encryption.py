"""Customer-managed KMS keys (issue #13, section 3): off in the default profile, on in the
production profile for the contracts bucket, both tables, every queue, topic and log group; and a
retention on every log group in both."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from infra.components import encryption
from tests.infra.test_infra import as_list, function_id, output_ref, resources, role_of, statements_of_role


def _key_ids(template: dict[str, Any]) -> dict[str, str]:
    """description -> logical id of each customer-managed key."""
    return {r["Properties"]["Description"]: lid for lid, r in resources(template, "AWS::KMS::Key").items()}


def _keys(template: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    ids = _key_ids(template)
    (data,) = [lid for d, lid in ids.items() if "bucket" in d]
    (logs,) = [lid for d, lid in ids.items() if "log groups" in d]
    return {"Fn::GetAtt": [data, "Arn"]}, {"Fn::GetAtt": [logs, "Arn"]}


def test_the_default_profile_has_no_customer_managed_key(template: dict[str, Any]) -> None:
    assert resources(template, "AWS::KMS::Key") == {}
    for queue in resources(template, "AWS::SQS::Queue").values():
        assert queue["Properties"]["SqsManagedSseEnabled"] is True
        assert "KmsMasterKeyId" not in queue["Properties"]


def test_production_keys_rotate_and_outlive_the_stack(production_template: dict[str, Any]) -> None:
    keys = resources(production_template, "AWS::KMS::Key")
    assert len(keys) == 2
    for key in keys.values():
        assert key["Properties"]["EnableKeyRotation"] is True
        assert key["DeletionPolicy"] == "Retain"


def test_production_encrypts_tables_queues_topics_and_logs_with_the_keys(production_template: dict[str, Any]) -> None:
    t = production_template
    data, logs = _keys(t)
    tables = resources(t, "AWS::DynamoDB::Table")
    assert len(tables) == 2  # the clausewatch table and the audit table
    for table in tables.values():
        assert table["Properties"]["SSESpecification"] == {
            "SSEEnabled": True, "SSEType": "KMS", "KMSMasterKeyId": data}
    queues = resources(t, "AWS::SQS::Queue")
    assert queues
    for lid, queue in queues.items():
        assert queue["Properties"]["KmsMasterKeyId"] == data, lid
        assert "SqsManagedSseEnabled" not in queue["Properties"], lid
    topics = resources(t, "AWS::SNS::Topic")
    assert len(topics) >= 2  # Textract's and the operators' alarms
    for lid, topic in topics.items():
        assert topic["Properties"]["KmsMasterKeyId"] == data, lid
    groups = resources(t, "AWS::Logs::LogGroup")
    assert groups
    for lid, group in groups.items():
        assert group["Properties"]["KmsKeyId"] == logs, lid


def test_production_encrypts_the_contracts_bucket_and_says_why_not_the_others(
        production_template: dict[str, Any]) -> None:
    t = production_template
    data, _ = _keys(t)
    contracts = output_ref(t, "BucketName")
    kms_buckets, s3_managed = set(), set()
    for lid, bucket in resources(t, "AWS::S3::Bucket").items():
        (rule,) = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        default = rule["ServerSideEncryptionByDefault"]
        if default["SSEAlgorithm"] == "aws:kms":
            assert default["KMSMasterKeyID"] == data and rule["BucketKeyEnabled"] is True
            kms_buckets.add(lid)
        else:
            assert default["SSEAlgorithm"] == "AES256"
            s3_managed.add(lid)
    assert kms_buckets == {contracts}
    # the access-log bucket (S3 access logging needs SSE-S3) and the site's public files
    assert len(s3_managed) == 2 and all("AccessLogs" in lid or "Site" in lid for lid in s3_managed)


def test_production_functions_and_delivering_roles_may_use_the_data_key(production_template: dict[str, Any]) -> None:
    t = production_template
    data, logs = _keys(t)

    def key_actions(role_id: str) -> set[str]:
        return {a for s in statements_of_role(t, role_id) if data in as_list(s["Resource"])
                for a in as_list(s["Action"])}

    for name in ("ingest", "textract_done", "planner", "alert", "api", "money", "webhook", "renewal"):
        assert {"kms:Decrypt", "kms:GenerateDataKey*"} <= key_actions(role_of(t, function_id(t, name))), name
        assert t["Resources"][function_id(t, name)]["Properties"]["KmsKeyArn"] == data, name
    roles = resources(t, "AWS::IAM::Role")
    trusted = {lid: {s["Principal"].get("Service") for s in r["Properties"]["AssumeRolePolicyDocument"]["Statement"]}
               for lid, r in roles.items()}
    for service in ("scheduler.amazonaws.com", "textract.amazonaws.com"):
        users = [lid for lid, services in trusted.items() if service in services]
        assert users and all(key_actions(lid) == set(encryption.KEY_USE) for lid in users), service
    # no role is given the logs key: CloudWatch Logs uses it itself
    assert not [s for r in resources(t, "AWS::IAM::Policy").values()
                for s in r["Properties"]["PolicyDocument"]["Statement"] if logs in as_list(s["Resource"])]


def test_production_key_policies_let_only_this_accounts_services_in(production_template: dict[str, Any]) -> None:
    t = production_template
    for lid, key in resources(t, "AWS::KMS::Key").items():
        for statement in key["Properties"]["KeyPolicy"]["Statement"]:
            services = as_list((statement.get("Principal") or {}).get("Service", []))
            if services:
                assert statement.get("Condition"), (lid, statement)


@pytest.mark.parametrize("profile", ["default", "production"])
def test_every_log_group_has_a_retention(template: dict[str, Any], production_template: dict[str, Any],
                                         profile: str) -> None:
    t = template if profile == "default" else production_template
    groups = resources(t, "AWS::Logs::LogGroup")
    assert groups
    for lid, group in groups.items():
        assert group["Properties"].get("RetentionInDays", 0) > 0, lid
    # every function logs to a group of the stack (none to an implicit group kept forever), CDK's
    # own provider functions (bucket notifications, the site's deployment) included
    functions = resources(t, "AWS::Lambda::Function")
    assert len(functions) > 8
    for lid, fn in functions.items():
        group = fn["Properties"]["LoggingConfig"]["LogGroup"]
        assert group["Ref"] in groups, lid


class _Scope:
    """A construct's context, for the profile switches' rules."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.node = self
        self._context = context

    def try_get_context(self, key: str) -> Any:
        return self._context.get(key)


@pytest.mark.parametrize(("context", "expected"), [
    ({}, False),
    ({encryption.PROFILE_CONTEXT: "production"}, True),
    ({encryption.PROFILE_CONTEXT: "Production", encryption.KMS_CONTEXT: "false"}, False),
    ({encryption.KMS_CONTEXT: "true"}, True),
    ({encryption.PROFILE_CONTEXT: "default", encryption.KMS_CONTEXT: True}, True),
])
def test_the_context_switches(context: dict[str, Any], expected: bool) -> None:
    assert encryption.kms_enabled(_Scope(context)) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize("context", [{encryption.PROFILE_CONTEXT: "prod"}, {encryption.KMS_CONTEXT: "maybe"}])
def test_an_unknown_profile_or_switch_is_refused(context: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="clausewatch:"):
        encryption.kms_enabled(_Scope(context))  # type: ignore[arg-type]
