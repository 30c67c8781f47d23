"""Failures surface (issue #13 section 1): every dead-letter queue, every function's errors and
throttles, Scheduler's failed deliveries and the daily sweep's failed invocations raise a
CloudWatch alarm on an SNS topic that emails the operators (context key ``operators_email``).

``Monitoring.watch(stack)`` finds what to watch in the whole stack when it is called: every Lambda
function, and every SQS queue that is a dead-letter destination (a queue's DLQ, a stream's or a
subscription's on-failure queue, a rule target's DLQ: construct ids containing "DeadLetter" by
the project's convention, see queues.py). Call it last in the stack, after every component.
"""

from __future__ import annotations

from aws_cdk import Duration, Stack
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_events as events
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from clausewatch import config

PERIOD = Duration.minutes(5)
# Scheduler metrics per schedule group (AWS/Scheduler): a reminder that could not be delivered
SCHEDULER_FAILURE_METRICS = ("TargetErrorCount", "InvocationDroppedCount",
                             "InvocationsFailedToBeSentToDeadLetterCount")


def is_dead_letter_queue(queue: sqs.Queue) -> bool:
    return "DeadLetter" in queue.node.id


class Monitoring(Construct):
    """The operators' alarm topic and the alarms on it."""

    def __init__(self, scope: Construct, id: str, *, operators_email: str) -> None:
        super().__init__(scope, id)
        self.topic = sns.Topic(self, "OperatorAlarms", display_name="clausewatch alarms", enforce_ssl=True)
        self.topic.add_subscription(subscriptions.EmailSubscription(operators_email))
        self.alarms: list[cloudwatch.Alarm] = []

    def _alarm(self, id: str, metric: cloudwatch.IMetric, description: str) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self, id, metric=metric, threshold=1, evaluation_periods=1, alarm_description=description,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING)
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm

    def watch(self, stack: Stack) -> None:
        """Alarms for every function and dead-letter queue in ``stack`` (call it last)."""
        for construct in stack.node.find_all():
            if isinstance(construct, lambda_.Function) and not construct.node.path.startswith(self.node.path):
                self._watch_function(construct)
            elif isinstance(construct, sqs.Queue) and is_dead_letter_queue(construct):
                self._watch_dead_letters(construct)
            elif isinstance(construct, events.Rule):
                self._watch_rule(construct)
        group = {"ScheduleGroup": config.SCHEDULE_GROUP}
        for name in SCHEDULER_FAILURE_METRICS:
            self._alarm(f"Scheduler{name}", cloudwatch.Metric(
                namespace="AWS/Scheduler", metric_name=name, dimensions_map=group, statistic="Sum",
                period=PERIOD), f"EventBridge Scheduler {name} in group {config.SCHEDULE_GROUP}: a reminder "
                                f"was not delivered (see the scheduler DLQ; `clausewatch redrive scheduler`)")

    def _id(self, construct: Construct) -> str:
        return "".join(ch for ch in construct.node.path.split("/", 1)[-1] if ch.isalnum())

    def _watch_function(self, fn: lambda_.Function) -> None:
        name = self._id(fn)
        self._alarm(f"{name}Errors", fn.metric_errors(period=PERIOD, statistic="Sum"),
                    f"{fn.node.path}: invocation errors (logs: its log group)")
        self._alarm(f"{name}Throttles", fn.metric_throttles(period=PERIOD, statistic="Sum"),
                    f"{fn.node.path}: throttled invocations")

    def _watch_dead_letters(self, queue: sqs.Queue) -> None:
        self._alarm(f"{self._id(queue)}Depth",
                    queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
                    f"{queue.node.path}: messages dead-lettered (inspect, fix, then `clausewatch redrive` "
                    f"locally or the README's AWS CLI steps)")

    def _watch_rule(self, rule: events.Rule) -> None:
        self._alarm(f"{self._id(rule)}FailedInvocations", cloudwatch.Metric(
            namespace="AWS/Events", metric_name="FailedInvocations", dimensions_map={"RuleName": rule.rule_name},
            statistic="Sum", period=PERIOD), f"{rule.node.path}: the rule could not invoke its target")
