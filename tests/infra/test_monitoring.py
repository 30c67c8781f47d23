"""Failures surface (issue #13 section 1): alarms on every DLQ, every function's errors and
throttles, Scheduler's failed deliveries and the sweep rule, all to the operators' SNS topic; a
redrive policy on the SNS -> SQS subscription and a DLQ on the daily sweep's target."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("aws_cdk", reason="aws-cdk-lib not installed (pip install -e '.[cdk]')")

from infra.components.monitoring import SCHEDULER_FAILURE_METRICS
from tests.infra import deploy_context


def _of(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == type_}


def _alarm_topic(template: dict[str, Any]) -> str:
    (topic,) = [k for k in _of(template, "AWS::SNS::Topic") if k.startswith("MonitoringOperatorAlarms")]
    return topic


def _alarms(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["Properties"] for a in _of(template, "AWS::CloudWatch::Alarm").values()]


def _dimension_refs(alarm: dict[str, Any]) -> set[str]:
    return {d["Value"]["Ref"] for d in alarm.get("Dimensions", []) if isinstance(d["Value"], dict) and "Ref" in d["Value"]}


def test_the_operators_topic_emails_the_operators(template):
    topic = _alarm_topic(template)
    subs = [s["Properties"] for s in _of(template, "AWS::SNS::Subscription").values()
            if s["Properties"]["TopicArn"] == {"Ref": topic}]
    assert subs == [{"Protocol": "email", "TopicArn": {"Ref": topic}, "Endpoint": deploy_context.ESCALATION}]
    for alarm in _alarms(template):
        assert alarm["AlarmActions"] == [{"Ref": topic}]
        assert alarm["TreatMissingData"] == "notBreaching" and alarm["Threshold"] == 1


def test_every_function_has_error_and_throttle_alarms(template):
    functions = set(_of(template, "AWS::Lambda::Function"))
    watched = {metric: set() for metric in ("Errors", "Throttles")}
    for alarm in _alarms(template):
        if alarm.get("Namespace") == "AWS/Lambda":
            watched[alarm["MetricName"]] |= _dimension_refs(alarm)
    ours = {f for f in functions if _of(template, "AWS::Lambda::Function")[f]["Properties"].get("Layers")}
    assert len(ours) >= 5  # ingest, textract_done, planner, alert, api (and any added later)
    assert ours <= watched["Errors"] and ours <= watched["Throttles"]


def test_every_dead_letter_queue_has_a_depth_alarm(template):
    queues = _of(template, "AWS::SQS::Queue")
    dead_letter = {q for q in queues if "DeadLetter" in q}
    # the DLQs the issue names, and the two added with it
    for part in ("IngestQueueDeadLetter", "TextractQueueDeadLetter", "PlannerDeadLetter", "SchedulerDeadLetter",
                 "SweepDeadLetter", "TextractSubscriptionDeadLetter"):
        assert any(part in q for q in dead_letter), part
    depth = set()
    for alarm in _alarms(template):
        if alarm.get("MetricName") == "ApproximateNumberOfMessagesVisible":
            depth |= {d["Value"]["Fn::GetAtt"][0] for d in alarm["Dimensions"]}
    assert dead_letter <= depth


def test_scheduler_failures_and_the_sweep_rule_are_watched(template):
    metrics = {(a.get("Namespace"), a.get("MetricName")) for a in _alarms(template)}
    for name in SCHEDULER_FAILURE_METRICS:
        assert ("AWS/Scheduler", name) in metrics
    assert ("AWS/Events", "FailedInvocations") in metrics


def test_the_textract_subscription_has_a_redrive_policy(template):
    (sub,) = [s["Properties"] for s in _of(template, "AWS::SNS::Subscription").values()
              if s["Properties"]["Protocol"] == "sqs"]
    target = sub["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert "TextractSubscriptionDeadLetter" in target


def test_the_daily_sweep_target_has_a_dead_letter_queue(template):
    (rule,) = [r["Properties"] for r in _of(template, "AWS::Events::Rule").values()
               if r["Properties"].get("ScheduleExpression", "").startswith("cron(0 5")]
    (target,) = rule["Targets"]
    assert "SweepDeadLetter" in target["DeadLetterConfig"]["Arn"]["Fn::GetAtt"][0]
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 2
