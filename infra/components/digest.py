"""The weekly digest: an EventBridge rule at the top of every hour of the UTC days on which some
zone's Monday 07:00 falls (``config.DIGEST_SCHEDULE``, the one expression the local emulation fires
too) invokes the alert λ with ``{"digest": true, "at": <the run's scheduled time>}``; each run sends
their digest to the readers for whom it is Monday 07:xx in their own time zone (a preference, UTC by
default), listing what is overdue or due in the two weeks from their Monday. A failed invocation is
retried twice, then kept in a DLQ; a retried run keeps its scheduled time, so it sends to the same
readers, none twice (each digest is claimed per reader and week)."""

from __future__ import annotations

from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from clausewatch import config

from .queues import standalone_queue

DIGEST_SCHEDULE = events.Schedule.expression(config.DIGEST_SCHEDULE)
# the rule's event time (the run's scheduled instant, ISO UTC) rides along under DIGEST_RUN_AT
DIGEST_INPUT = events.RuleTargetInput.from_object({**config.DIGEST_EVENT, config.DIGEST_RUN_AT: events.EventField.time})


class WeeklyDigest(Construct):
    def __init__(self, scope: Construct, id: str, *, alert_function: lambda_.IFunction) -> None:
        super().__init__(scope, id)
        self.dead_letter_queue = standalone_queue(self, "DigestDeadLetter")
        self.rule = events.Rule(
            self, "Weekly", description="clausewatch weekly digest", schedule=DIGEST_SCHEDULE,
            targets=[targets.LambdaFunction(alert_function, event=DIGEST_INPUT,
                                            retry_attempts=2, dead_letter_queue=self.dead_letter_queue)])
