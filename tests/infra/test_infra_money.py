"""The money flow in the CDK stack: metrics/ and invoices/ notifications to the money queue (with its
DLQ), the money λ reading only those prefixes, writing only refused/, sending only as the sender."""

from __future__ import annotations

import json
from typing import Any

from clausewatch import config
from tests.infra.test_infra import (
    _object_prefixes,
    function_id,
    get_att_arn,
    output_ref,
    resources,
    role_of,
    statements_of_role,
)


def test_metrics_and_invoice_files_are_sent_to_the_money_queue(template: dict[str, Any]) -> None:
    (notifications,) = resources(template, "Custom::S3BucketNotifications").values()
    money_queue = get_att_arn(output_ref(template, "MoneyQueueUrl"))
    prefixes = [c["Filter"]["Key"]["FilterRules"] for c in
                notifications["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
                if c["QueueArn"] == money_queue]
    assert sorted(prefixes, key=str) == sorted([[{"Name": "prefix", "Value": p}] for p in config.MONEY_PREFIXES],
                                               key=str)


def test_the_money_queue_dead_letters_and_feeds_the_money_function(template: dict[str, Any]) -> None:
    queue = resources(template, "AWS::SQS::Queue")[output_ref(template, "MoneyQueueUrl")]
    policy = queue["Properties"]["RedrivePolicy"]
    assert policy["maxReceiveCount"] == config.QUEUE_MAX_RECEIVES
    assert policy["deadLetterTargetArn"] == get_att_arn(output_ref(template, "MoneyDeadLetterQueueUrl"))
    money = function_id(template, "money")
    (mapping,) = [m for m in resources(template, "AWS::Lambda::EventSourceMapping").values()
                  if m["Properties"]["FunctionName"] == {"Ref": money}]
    assert mapping["Properties"]["EventSourceArn"] == get_att_arn(output_ref(template, "MoneyQueueUrl"))
    assert mapping["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def test_the_money_function_reads_its_prefixes_and_writes_only_refused(template: dict[str, Any]) -> None:
    assert _object_prefixes(template, "money", "s3:PutObject") == {f"{config.REFUSED_PREFIX}*"}
    assert _object_prefixes(template, "money", "s3:DeleteObject*") == set()
    assert _object_prefixes(template, "money", "s3:GetObject*") == {f"{p}*" for p in config.MONEY_PREFIXES}
    # the API may put files under the two prefixes and nowhere else new
    assert {f"{p}*" for p in config.MONEY_PREFIXES} <= _object_prefixes(template, "api", "s3:PutObject")
    ses = [s for s in statements_of_role(template, role_of(template, function_id(template, "money")))
           if any(str(a).startswith("ses:") for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]]))]
    assert ses and all("*" != s["Resource"] for s in ses)


def test_webhook_deliveries_retry_then_dead_letter_and_only_publishers_may_queue(template: dict[str, Any]) -> None:
    queue_id = output_ref(template, "WebhookQueueUrl")
    queue = resources(template, "AWS::SQS::Queue")[queue_id]
    assert queue["Properties"]["RedrivePolicy"]["maxReceiveCount"] == config.WEBHOOK_MAX_ATTEMPTS
    senders = set()
    for policy in resources(template, "AWS::IAM::Policy").values():
        for s in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
            targets = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
            if "sqs:SendMessage" in actions and get_att_arn(queue_id) in targets:
                senders.update(r["Ref"] for r in policy["Properties"]["Roles"])
    assert senders == {role_of(template, function_id(template, name)) for name in ("alert", "money", "renewal")}
    for name in ("alert", "money", "webhook", "renewal"):
        env = template["Resources"][function_id(template, name)]["Properties"]["Environment"]["Variables"]
        assert env[config.ENV_WEBHOOK_QUEUE_URL] == {"Ref": queue_id}, name


def test_the_weekly_digest_rule_invokes_the_alert_function_with_a_dead_letter_queue(template: dict[str, Any]) -> None:
    rules = [r for r in resources(template, "AWS::Events::Rule").values()
             if r["Properties"].get("Description") == "clausewatch weekly digest"]
    [rule] = rules
    # every hour of the UTC days some zone's Monday 07:00 falls on (UTC+14: Sunday 17:00 UTC; UTC-12:
    # Monday 19:00 UTC), from the one expression the local emulation fires too
    assert rule["Properties"]["ScheduleExpression"] == config.DIGEST_SCHEDULE == "cron(0 * ? * SUN,MON *)"
    [target] = rule["Properties"]["Targets"]
    assert target["Arn"] == get_att_arn(function_id(template, "alert"))
    # the run's scheduled time rides along: a retried run sends to the readers of its hour
    transformer = target["InputTransformer"]
    [(name, path)] = transformer["InputPathsMap"].items()
    assert path == "$.time" and "Input" not in target
    assert json.loads(transformer["InputTemplate"].replace(f"<{name}>", '"2026-12-07T15:00:00Z"')) == {
        "digest": True, "at": "2026-12-07T15:00:00Z"}
    assert target["DeadLetterConfig"]["Arn"] == get_att_arn(output_ref(template, "DigestDeadLetterQueueUrl"))
