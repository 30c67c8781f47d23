"""Assertions on the synthesized CloudFormation template of the CDK app (infra/).

The app is synthesized once per session (the ``template`` fixture in tests/infra/conftest.py); every
test reads the same template. Skipped when aws_cdk is not installed (`make .venv/.dev-installed`
installs it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from clausewatch import config
from infra.components.queues import visibility_timeout_for
from tests.infra import deploy_context
from tests.paths import REPO_ROOT

# Actions on data-plane services whose Resource must never be "*" ...
SCANNED_PREFIXES = ("s3:", "dynamodb:", "sqs:", "sns:", "ses:", "scheduler:", "lambda:invoke")
# ... except these, which the Service Authorization Reference lists with no resource type ("*" only).
DOCUMENTED_STAR_ONLY = frozenset({"dynamodb:ListStreams", "scheduler:ListSchedules"})


# --- helpers --------------------------------------------------------------------------------------


def resources(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {lid: r for lid, r in template["Resources"].items() if r["Type"] == type_}


def output_ref(template: dict[str, Any], name: str) -> str:
    """Logical id of the resource an output points at (through Ref or Fn::GetAtt)."""
    value = template["Outputs"][name]["Value"]
    if "Ref" in value:
        return value["Ref"]
    return value["Fn::GetAtt"][0]


def function_id(template: dict[str, Any], name: str) -> str:
    matches = [
        lid
        for lid, r in resources(template, "AWS::Lambda::Function").items()
        if r["Properties"].get("Description", "").startswith(f"clausewatch {name}:")
    ]
    assert len(matches) == 1, f"expected one {name} function, found {matches}"
    return matches[0]


def get_att_arn(lid: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [lid, "Arn"]}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def policy_documents(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every identity policy document in the template: AWS::IAM::Policy, managed policies, inline role policies."""
    for lid, r in template["Resources"].items():
        props = r.get("Properties", {})
        if r["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            yield lid, props["PolicyDocument"]
        elif r["Type"] == "AWS::IAM::Role":
            for inline in props.get("Policies", []):
                yield lid, inline["PolicyDocument"]


def statements_of_role(template: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    found = []
    for r in resources(template, "AWS::IAM::Policy").values():
        if {"Ref": role_id} in r["Properties"].get("Roles", []):
            found.extend(r["Properties"]["PolicyDocument"]["Statement"])
    role = template["Resources"][role_id]["Properties"]
    for inline in role.get("Policies", []):
        found.extend(inline["PolicyDocument"]["Statement"])
    return found


def role_of(template: dict[str, Any], function_lid: str) -> str:
    return template["Resources"][function_lid]["Properties"]["Role"]["Fn::GetAtt"][0]


def star_violations(statements: list[dict[str, Any]]) -> list[str]:
    """Allowed data-plane actions granted on Resource "*" that AWS does not document as "*"-only."""
    bad = []
    for statement in statements:
        if statement.get("Effect") != "Allow" or "*" not in as_list(statement.get("Resource", [])):
            continue
        for action in as_list(statement.get("Action", [])):
            scanned = action.lower().startswith(SCANNED_PREFIXES) or action == "*"
            if scanned and action not in DOCUMENTED_STAR_ONLY:
                bad.append(action)
    return bad


# --- pure helpers -----------------------------------------------------------------------------------


def test_visibility_timeout_is_six_times_the_function_timeout_with_a_floor() -> None:
    assert visibility_timeout_for(100) == 600
    assert visibility_timeout_for(100, batching_window_seconds=20) == 620
    assert visibility_timeout_for(1) == config.QUEUE_VISIBILITY_SECONDS
    with pytest.raises(ValueError):
        visibility_timeout_for(0)


def test_star_scan_flags_data_plane_actions_and_spares_documented_exceptions() -> None:
    statements = [
        {"Effect": "Allow", "Action": ["s3:GetObject", "xray:PutTraceSegments"], "Resource": "*"},
        {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": ["arn:x", "*"]},
        {"Effect": "Allow", "Action": ["dynamodb:ListStreams", "scheduler:ListSchedules"], "Resource": "*"},
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:eu-west-1:1:q"},
        {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"},
    ]
    assert star_violations(statements) == ["s3:GetObject", "lambda:InvokeFunction"]


# --- storage ----------------------------------------------------------------------------------------


def test_bucket_is_private_encrypted_versioned_and_tls_only(template: dict[str, Any]) -> None:
    bucket_id = output_ref(template, "BucketName")
    props = template["Resources"][bucket_id]["Properties"]
    sse = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert sse["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert template["Resources"][bucket_id]["DeletionPolicy"] == "Retain"
    (policy,) = [
        r for r in resources(template, "AWS::S3::BucketPolicy").values()
        if r["Properties"]["Bucket"] == {"Ref": bucket_id}
    ]
    denies_plain_http = [
        s for s in policy["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny" and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
    ]
    assert denies_plain_http


def test_table_keys_indexes_stream_encryption_and_recovery(template: dict[str, Any]) -> None:
    table_id = output_ref(template, "TableName")
    props = template["Resources"][table_id]["Properties"]
    assert props["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    indexes = {g["IndexName"]: g for g in props["GlobalSecondaryIndexes"]}
    assert set(indexes) == {"GSI1", "GSI2", "GSI3", "GSI4", "GSI5"}  # GSI5: the sweep's next planning day
    for n in (1, 2, 3, 4, 5):
        index = indexes[f"GSI{n}"]
        assert index["KeySchema"] == [
            {"AttributeName": f"gsi{n}pk", "KeyType": "HASH"},
            {"AttributeName": f"gsi{n}sk", "KeyType": "RANGE"},
        ]
        assert index["Projection"] == {"ProjectionType": "ALL"}
    assert {a["AttributeName"]: a["AttributeType"] for a in props["AttributeDefinitions"]} == {
        name: "S" for n in ("", "gsi1", "gsi2", "gsi3", "gsi4", "gsi5") for name in (f"{n}pk", f"{n}sk")
    }


def test_table_is_declared_from_the_schema_module(template: dict[str, Any]) -> None:
    from clausewatch import schema

    props = template["Resources"][output_ref(template, "TableName")]["Properties"]
    declared = {g["IndexName"]: [k["AttributeName"] for k in g["KeySchema"]]
                for g in props["GlobalSecondaryIndexes"]}
    assert declared == {i.name: [i.partition_key, i.sort_key] for i in schema.INDEXES}
    assert [k["AttributeName"] for k in props["KeySchema"]] == [schema.PARTITION_KEY, schema.SORT_KEY]


# --- queues -----------------------------------------------------------------------------------------


def test_every_queue_is_encrypted(template: dict[str, Any]) -> None:
    queues = resources(template, "AWS::SQS::Queue")
    # ingest, textract, money, webhooks and their DLQs; the planner's, scheduler's, sweep's and weekly
    # digest's DLQs; the Textract subscription's redrive queue; the sweep's pages and their DLQ
    assert len(queues) == 15
    for lid, queue in queues.items():
        props = queue["Properties"]
        assert props.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in props, lid


def test_work_queues_dead_letter_after_the_configured_receives(template: dict[str, Any]) -> None:
    for output in ("IngestQueueUrl", "TextractQueueUrl"):
        queue_id = output_ref(template, output)
        dlq_id = output_ref(template, output.replace("QueueUrl", "DeadLetterQueueUrl"))
        redrive = template["Resources"][queue_id]["Properties"]["RedrivePolicy"]
        assert redrive == {"deadLetterTargetArn": get_att_arn(dlq_id), "maxReceiveCount": config.QUEUE_MAX_RECEIVES}


def test_inbox_uploads_are_sent_to_the_ingest_queue(template: dict[str, Any]) -> None:
    (notifications,) = resources(template, "Custom::S3BucketNotifications").values()
    assert notifications["Properties"]["BucketName"] == {"Ref": output_ref(template, "BucketName")}
    (queue_config,) = [c for c in notifications["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
                       if c["QueueArn"] == get_att_arn(output_ref(template, "IngestQueueUrl"))]
    assert queue_config["Events"] == ["s3:ObjectCreated:*"]
    assert queue_config["Filter"]["Key"]["FilterRules"] == [{"Name": "prefix", "Value": config.INBOX_PREFIX}]
    assert queue_config["QueueArn"] == get_att_arn(output_ref(template, "IngestQueueUrl"))


def test_only_the_contracts_bucket_may_send_to_the_ingest_queue(template: dict[str, Any]) -> None:
    queue_id = output_ref(template, "IngestQueueUrl")
    bucket_arn = get_att_arn(output_ref(template, "BucketName"))
    statements = [
        s
        for r in resources(template, "AWS::SQS::QueuePolicy").values()
        if {"Ref": queue_id} in r["Properties"]["Queues"]
        for s in r["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    (from_s3,) = statements
    assert from_s3["Principal"] == {"Service": "s3.amazonaws.com"}
    assert "sqs:SendMessage" in as_list(from_s3["Action"])
    assert from_s3["Condition"]["ArnLike"]["aws:SourceArn"] == bucket_arn


def test_textract_topic_delivers_to_the_textract_queue(template: dict[str, Any]) -> None:
    topic_id = output_ref(template, "TextractTopicArn")
    queue_id = output_ref(template, "TextractQueueUrl")
    (subscription,) = [s for s in resources(template, "AWS::SNS::Subscription").values()
                       if s["Properties"]["Protocol"] == "sqs"]  # the other: the operators' alarm email
    props = subscription["Properties"]
    assert (props["Protocol"], props["TopicArn"], props["Endpoint"]) == ("sqs", {"Ref": topic_id}, get_att_arn(queue_id))
    allowed = [
        s
        for r in resources(template, "AWS::SQS::QueuePolicy").values()
        if {"Ref": queue_id} in r["Properties"]["Queues"]
        for s in r["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    assert [s["Principal"] for s in allowed] == [{"Service": "sns.amazonaws.com"}]
    assert allowed[0]["Condition"]["ArnEquals"]["aws:SourceArn"] == {"Ref": topic_id}


def test_textract_publishes_with_a_role_limited_to_the_topic(template: dict[str, Any]) -> None:
    ingest = template["Resources"][function_id(template, "ingest")]["Properties"]["Environment"]["Variables"]
    assert ingest[config.ENV_TEXTRACT_TOPIC_ARN] == {"Ref": output_ref(template, "TextractTopicArn")}
    role_id = ingest[config.ENV_TEXTRACT_ROLE_ARN]["Fn::GetAtt"][0]
    role = template["Resources"][role_id]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "textract.amazonaws.com"}
    assert "ManagedPolicyArns" not in role
    statements = statements_of_role(template, role_id)
    assert [(s["Action"], s["Resource"]) for s in statements] == [
        ("sns:Publish", {"Ref": output_ref(template, "TextractTopicArn")})
    ]


# --- functions and event sources --------------------------------------------------------------------


def test_functions_share_runtime_layer_and_configuration(template: dict[str, Any]) -> None:
    # (the web dashboard's file publishing brings the CDK's own AWS CLI layer: not a runtime's)
    (layer_id,) = [k for k in resources(template, "AWS::Lambda::LayerVersion") if not k.startswith("WebFiles")]
    common = {
        config.ENV_BUCKET: {"Ref": output_ref(template, "BucketName")},
        config.ENV_TABLE: {"Ref": output_ref(template, "TableName")},
        config.ENV_TEXT_ENGINE: "textract",
        config.ENV_SCHEDULE_GROUP: config.SCHEDULE_GROUP,
        config.ENV_SENDER_EMAIL: deploy_context.SENDER,
        config.ENV_ESCALATION_EMAIL: deploy_context.ESCALATION,
        config.ENV_DEFAULT_OWNER: deploy_context.DEFAULT_OWNER,
        config.ENV_TIME_ZONE: config.DEFAULT_TIME_ZONE,
    }
    # each function logs and traces under its own service name (read by clausewatch.observability)
    service_names = {"ingest": "clausewatch-ingest", "textract_done": "clausewatch-textract-done",
                     "planner": "clausewatch-planner", "alert": "clausewatch-alert", "api": "clausewatch-api",
                     "money": "clausewatch-money", "webhook": "clausewatch-webhook",
                     "renewal": "clausewatch-renewal"}
    assert set(service_names) == set(config.FUNCTIONS)
    for name in config.FUNCTIONS:
        props = template["Resources"][function_id(template, name)]["Properties"]
        assert props["Runtime"] == "python3.12"
        assert props["Handler"] == "handler.handler"
        assert props.get("Architectures", ["x86_64"]) == ["x86_64"]  # the layer is built for x86_64
        assert props["Layers"] == [{"Ref": layer_id}]
        env = props["Environment"]["Variables"]
        assert {k: env.get(k) for k in common} == common, name
        assert env["POWERTOOLS_LOG_LEVEL"]
        assert env["POWERTOOLS_SERVICE_NAME"] == service_names[name]
        assert props["TracingConfig"] == {"Mode": "Active"}
    planner = template["Resources"][function_id(template, "planner")]["Properties"]["Environment"]["Variables"]
    assert planner[config.ENV_ALERT_FUNCTION_ARN] == get_att_arn(function_id(template, "alert"))
    assert planner[config.ENV_SCHEDULER_DLQ_ARN] == get_att_arn(output_ref(template, "SchedulerDeadLetterQueueUrl"))
    assert planner[config.ENV_SCHEDULER_ROLE_ARN]["Fn::GetAtt"][1] == "Arn"


def _mappings(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Event source mappings by the logical id of their function."""
    return {
        m["Properties"]["FunctionName"]["Ref"]: m["Properties"]
        for m in resources(template, "AWS::Lambda::EventSourceMapping").values()
    }


def test_queue_consumers_report_batch_item_failures(template: dict[str, Any]) -> None:
    mappings = _mappings(template)
    for name, output in (("ingest", "IngestQueueUrl"), ("textract_done", "TextractQueueUrl")):
        mapping = mappings[function_id(template, name)]
        assert mapping["EventSourceArn"] == get_att_arn(output_ref(template, output))
        assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]


def _all_mappings(template: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every event source mapping as (logical id of its function, properties): the planner has two."""
    return [(m["Properties"]["FunctionName"]["Ref"], m["Properties"])
            for m in resources(template, "AWS::Lambda::EventSourceMapping").values()]


def test_queue_visibility_is_at_least_six_times_its_consumer_timeout(template: dict[str, Any]) -> None:
    checked = 0
    for function_lid, mapping in _all_mappings(template):
        queue_id = mapping["EventSourceArn"]["Fn::GetAtt"][0]
        queue = template["Resources"][queue_id]
        if queue["Type"] != "AWS::SQS::Queue":
            continue
        timeout = template["Resources"][function_lid]["Properties"]["Timeout"]
        window = mapping.get("MaximumBatchingWindowInSeconds", 0)
        assert queue["Properties"]["VisibilityTimeout"] >= 6 * timeout + window, function_lid
        checked += 1
    assert checked == 5  # ingest, textract_done, money, webhook, planner (the sweep's pages)


def test_planner_reads_the_stream_with_bounded_retries_and_a_dead_letter_queue(template: dict[str, Any]) -> None:
    [mapping] = [m for lid, m in _all_mappings(template) if lid == function_id(template, "planner")
                 and m["EventSourceArn"] == {"Fn::GetAtt": [output_ref(template, "TableName"), "StreamArn"]}]
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert 0 <= mapping["MaximumRetryAttempts"] <= 10
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == get_att_arn(
        output_ref(template, "PlannerDeadLetterQueueUrl")
    )


# --- scheduling and alerting ----------------------------------------------------------------------------


def test_schedule_group_is_named_from_config(template: dict[str, Any]) -> None:
    (group,) = resources(template, "AWS::Scheduler::ScheduleGroup").values()
    assert group["Properties"]["Name"] == config.SCHEDULE_GROUP


def test_planner_sweeps_daily_outside_the_reminder_schedule_group(template: dict[str, Any]) -> None:
    planner_arn = get_att_arn(function_id(template, "planner"))
    (rule,) = [r for r in resources(template, "AWS::Events::Rule").values()
               if r["Properties"].get("Description") == "clausewatch planner daily sweep"]
    assert rule["Properties"]["ScheduleExpression"].startswith("cron(")
    # the sample events' README describes the same rule
    events_readme = (REPO_ROOT / "events" / "README.md").read_text()
    assert f"`{rule['Properties']['ScheduleExpression']}`" in events_readme
    (target,) = rule["Properties"]["Targets"]
    assert target["Arn"] == planner_arn
    assert json.loads(target["Input"]) == {"sweep": True}
    assert resources(template, "AWS::Scheduler::Schedule") == {}  # the group holds reminders only
    (permission,) = [
        p["Properties"] for p in resources(template, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "events.amazonaws.com" and p["Properties"]["FunctionName"] == planner_arn
    ]
    assert permission["SourceArn"] == get_att_arn(
        next(lid for lid, r in resources(template, "AWS::Events::Rule").items() if r is rule))


def _scheduler_role_id(template: dict[str, Any]) -> str:
    (role_id,) = [
        lid
        for lid, r in resources(template, "AWS::IAM::Role").items()
        if any(
            s["Principal"].get("Service") == "scheduler.amazonaws.com"
            for s in r["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        )
        # the other roles Scheduler assumes start renewal decisions and end their moved waits
        # (tests/infra/test_infra_renewal.py)
        and "renewal" not in r["Properties"].get("Description", "")
    ]
    return role_id


def test_scheduler_role_can_only_invoke_the_alert_function_and_dead_letter(template: dict[str, Any]) -> None:
    role_id = _scheduler_role_id(template)
    role = template["Resources"][role_id]["Properties"]
    assert "ManagedPolicyArns" not in role
    (group_id,) = resources(template, "AWS::Scheduler::ScheduleGroup")
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"]["ArnEquals"]["aws:SourceArn"] == get_att_arn(group_id)

    alert_arn = get_att_arn(function_id(template, "alert"))
    dlq_arn = get_att_arn(output_ref(template, "SchedulerDeadLetterQueueUrl"))
    granted = {
        (action, str(resource))
        for s in statements_of_role(template, role_id)
        if s["Effect"] == "Allow"
        for action in as_list(s["Action"])
        for resource in as_list(s["Resource"])
    }
    assert granted == {
        ("lambda:InvokeFunction", str(alert_arn)),
        ("lambda:InvokeFunction", str({"Fn::Join": ["", [alert_arn, ":*"]]})),
        ("sqs:SendMessage", str(dlq_arn)),
    }


def test_planner_may_pass_only_the_scheduler_role_and_only_to_scheduler(template: dict[str, Any]) -> None:
    """... and, to retry a failed contract (pipeline/recovery.py), the Textract publish role to Textract."""
    planner_role = role_of(template, function_id(template, "planner"))
    pass_role = [s for s in statements_of_role(template, planner_role) if "iam:PassRole" in as_list(s["Action"])]
    passed = {s["Condition"]["StringEquals"]["iam:PassedToService"]: as_list(s["Resource"]) for s in pass_role}
    assert len(pass_role) == 2 and set(passed) == {"scheduler.amazonaws.com", "textract.amazonaws.com"}
    # the reminders' role, and the renewal decisions' start role (tests/infra/test_infra_renewal.py)
    # and the role that ends a renewal wait at its moved deadline
    assert get_att_arn(_scheduler_role_id(template)) in passed["scheduler.amazonaws.com"]
    assert len(passed["scheduler.amazonaws.com"]) == 3
    assert passed["textract.amazonaws.com"] == [get_att_arn(
        next(k for k in template["Resources"] if k.startswith("IngestionTextractPublishRole")))]
    scheduler_actions = {
        a for s in statements_of_role(template, planner_role) for a in as_list(s["Action"]) if a.startswith("scheduler:")
    }
    assert {"scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule",
            "scheduler:GetSchedule", "scheduler:ListSchedules"} == scheduler_actions


def test_alert_may_send_only_as_the_sender_identity(template: dict[str, Any]) -> None:
    (identity_id, identity), = resources(template, "AWS::SES::EmailIdentity").items()
    assert identity["Properties"]["EmailIdentity"] == deploy_context.SENDER
    alert_role = role_of(template, function_id(template, "alert"))
    ses_statements = [s for s in statements_of_role(template, alert_role) if str(s["Action"]).startswith("['ses:")]
    (statement,) = ses_statements
    assert sorted(statement["Action"]) == ["ses:SendEmail", "ses:SendRawEmail"]
    assert {"Ref": identity_id} in statement["Resource"]["Fn::Join"][1]
    for name in ("ingest", "textract_done"):  # the planner asks again when a deadline moved (test_infra_renewal)
        role = role_of(template, function_id(template, name))
        assert not [s for s in statements_of_role(template, role) if "ses:" in str(s["Action"])], name


def _object_prefixes(template: dict[str, Any], function: str, action: str) -> set[str]:
    """Key patterns (e.g. "inbox/*") on which `function` is allowed `action` in the contracts bucket."""
    bucket_arn = get_att_arn(output_ref(template, "BucketName"))
    found = set()
    for s in statements_of_role(template, role_of(template, function_id(template, function))):
        if s["Effect"] != "Allow" or action not in as_list(s["Action"]):
            continue
        for resource in as_list(s["Resource"]):
            parts = resource.get("Fn::Join", ["", []])[1] if isinstance(resource, dict) else []
            if len(parts) == 2 and parts[0] == bucket_arn:
                found.add(parts[1].lstrip("/"))
    return found


def test_functions_write_and_delete_only_under_their_prefixes(template: dict[str, Any]) -> None:
    assert _object_prefixes(template, "ingest", "s3:PutObject") == {
        f"{config.CONTRACTS_PREFIX}*", f"{config.QUARANTINE_PREFIX}*"
    }
    assert _object_prefixes(template, "ingest", "s3:DeleteObject*") == {f"{config.INBOX_PREFIX}*"}
    assert _object_prefixes(template, "textract_done", "s3:PutObject") == {f"{config.TEXT_PREFIX}*"}
    for name in ("textract_done", "alert"):
        assert _object_prefixes(template, name, "s3:DeleteObject*") == set(), name
    # the planner withdraws the letter of a decision superseded because its term moved (renewal/planning.py)
    assert _object_prefixes(template, "planner", "s3:DeleteObject*") == {f"{config.CONTRACTS_PREFIX}*/notices/*"}
    # the planner stores the text of a contract whose completion message was lost (recovery.py), and
    # writes a prepared non-renewal letter again when the notice deadline moved (renewal/planning.py)
    assert _object_prefixes(template, "planner", "s3:PutObject") == {
        f"{config.TEXT_PREFIX}*", f"{config.CONTRACTS_PREFIX}*/notices/*"}
    assert _object_prefixes(template, "alert", "s3:PutObject") == set()
    # the api writes the letter of a "do not renew" decided after its decision lapsed (renewal/decide.py)
    assert f"{config.CONTRACTS_PREFIX}*/notices/*" in _object_prefixes(template, "api", "s3:PutObject")
    assert f"{config.CONTRACTS_PREFIX}*" not in _object_prefixes(template, "api", "s3:PutObject")


# --- least privilege --------------------------------------------------------------------------------


def test_data_plane_permissions_are_never_granted_on_every_resource(template: dict[str, Any]) -> None:
    documents = list(policy_documents(template))
    assert len(documents) >= 6
    violations = {lid: star_violations(doc["Statement"]) for lid, doc in documents}
    assert {lid: v for lid, v in violations.items() if v} == {}


def test_outputs_name_the_bucket_table_and_queues(template: dict[str, Any]) -> None:
    assert {
        "BucketName", "TableName", "IngestQueueUrl", "IngestDeadLetterQueueUrl", "TextractQueueUrl",
        "TextractDeadLetterQueueUrl", "PlannerDeadLetterQueueUrl", "SchedulerDeadLetterQueueUrl",
    } <= set(template["Outputs"])
