"""Issue #11 part 3 in the CDK template: GSI5 (next planning day / non-final contracts), the sweep's
page queue with its DLQ and redrive, the planner's trigger and permissions, the horizon setting."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from clausewatch import config, schema
from infra.components import scheduling
from tests.infra.test_infra import as_list, function_id, get_att_arn, output_ref, resources, role_of, statements_of_role


def test_the_next_work_index_is_declared_from_the_schema(template: dict[str, Any]) -> None:
    # the main table (the audit table has no index)
    [table] = [t for t in resources(template, "AWS::DynamoDB::Table").values()
               if t["Properties"].get("GlobalSecondaryIndexes")]
    indexes = {g["IndexName"]: g for g in table["Properties"]["GlobalSecondaryIndexes"]}
    gsi5 = indexes[schema.BY_NEXT_WORK.name]
    assert [k["AttributeName"] for k in gsi5["KeySchema"]] == [schema.BY_NEXT_WORK.partition_key,
                                                                schema.BY_NEXT_WORK.sort_key]
    attributes = {a["AttributeName"]: a["AttributeType"] for a in table["Properties"]["AttributeDefinitions"]}
    assert attributes[schema.BY_NEXT_WORK.partition_key] == attributes[schema.BY_NEXT_WORK.sort_key] == "S"


def test_sweep_pages_queue_dead_letters_after_the_configured_receives(template: dict[str, Any]) -> None:
    queue_id = output_ref(template, "SweepPageQueueUrl")
    dlq_id = output_ref(template, "SweepPageDeadLetterQueueUrl")
    props = template["Resources"][queue_id]["Properties"]
    assert props["RedrivePolicy"] == {"deadLetterTargetArn": get_att_arn(dlq_id),
                                      "maxReceiveCount": config.QUEUE_MAX_RECEIVES}
    assert props["SqsManagedSseEnabled"] is True
    planner_timeout = template["Resources"][function_id(template, "planner")]["Properties"]["Timeout"]
    assert props["VisibilityTimeout"] >= 6 * planner_timeout


def test_planner_takes_one_page_per_invocation_with_bounded_concurrency(template: dict[str, Any]) -> None:
    planner = function_id(template, "planner")
    [mapping] = [m["Properties"] for m in resources(template, "AWS::Lambda::EventSourceMapping").values()
                 if m["Properties"]["FunctionName"] == {"Ref": planner}
                 and m["Properties"]["EventSourceArn"] == get_att_arn(output_ref(template, "SweepPageQueueUrl"))]
    assert mapping["BatchSize"] == scheduling.SWEEP_BATCH_SIZE == 1
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["ScalingConfig"]["MaximumConcurrency"] == scheduling.SWEEP_MAX_CONCURRENCY


def test_planner_knows_the_queue_the_page_size_and_the_horizon(template: dict[str, Any]) -> None:
    env = template["Resources"][function_id(template, "planner")]["Properties"]["Environment"]["Variables"]
    assert env[config.ENV_SWEEP_QUEUE_URL] == {"Ref": output_ref(template, "SweepPageQueueUrl")}
    assert env[config.ENV_SWEEP_PAGE_SIZE] == str(config.SWEEP_PAGE_SIZE)
    assert env[config.ENV_REMINDER_HORIZON_DAYS] == str(config.REMINDER_HORIZON_DAYS)


def test_planner_may_send_and_consume_pages_of_that_queue_only(template: dict[str, Any]) -> None:
    statements = statements_of_role(template, role_of(template, function_id(template, "planner")))
    queue = get_att_arn(output_ref(template, "SweepPageQueueUrl"))
    send = [s for s in statements if "sqs:SendMessage" in as_list(s["Action"])]
    assert send and all(as_list(s["Resource"]) == [queue] for s in send
                        if queue in as_list(s["Resource"])) and any(queue in as_list(s["Resource"]) for s in send)
    receive = [s for s in statements if "sqs:ReceiveMessage" in as_list(s["Action"])]
    assert [as_list(s["Resource"]) for s in receive] == [[queue]]
    # the sweep reads the table (the GSI5 query) through the table grant, indexes included
    dynamo = [r for s in statements if "dynamodb:Query" in as_list(s["Action"]) for r in as_list(s["Resource"])]
    assert any(isinstance(r, dict) and "Fn::Join" in r and "/index/*" in str(r) for r in dynamo)

