"""The weekly digest: an EventBridge rule every Monday at 07:00 UTC invokes the alert λ with
``{"digest": true}``; each person who chose the digest gets one email of what is overdue or due in
the next two weeks. A failed invocation is retried twice, then kept in a DLQ."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from clausewatch import config

from .queues import standalone_queue

DIGEST_SCHEDULE = events.Schedule.cron(minute="0", hour=str(config.DIGEST_HOUR_UTC), week_day=config.DIGEST_WEEKDAY)
DIGEST_EVENT = config.DIGEST_EVENT


class WeeklyDigest(Construct):
    def __init__(self, scope: Construct, id: str, *, alert_function: lambda_.IFunction) -> None:
        super().__init__(scope, id)
        self.dead_letter_queue = standalone_queue(self, "DigestDeadLetter")
        self.rule = events.Rule(
            self, "Weekly", description="clausewatch weekly digest", schedule=DIGEST_SCHEDULE,
            targets=[targets.LambdaFunction(alert_function, event=events.RuleTargetInput.from_object(DIGEST_EVENT),
                                            retry_attempts=2, dead_letter_queue=self.dead_letter_queue)])
