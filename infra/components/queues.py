"""SQS queues with their dead-letter queues, all in one shape: encrypted, TLS-only, bounded receives."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from clausewatch import config

# A failed message sits in its DLQ for the longest time SQS allows, so someone can look at it.
DLQ_RETENTION = Duration.days(14)


def visibility_timeout_for(function_timeout_seconds: int, batching_window_seconds: int = 0) -> int:
    """Visibility timeout (seconds) for a queue consumed by a Lambda with the given timeout
    (config.visibility_timeout_seconds, which the embedded default's queues use too)."""
    return config.visibility_timeout_seconds(function_timeout_seconds, batching_window_seconds)


class QueueWithDeadLetter(Construct):
    """A work queue and its DLQ; a message moves to the DLQ after config.QUEUE_MAX_RECEIVES receives.

    Both queues use SQS-managed encryption (SSE-SQS), which S3 event notifications and SNS can
    deliver to without KMS key-policy plumbing, and both refuse non-TLS requests.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        visibility_timeout_seconds: int,
        max_receive_count: int = config.QUEUE_MAX_RECEIVES,
    ) -> None:
        super().__init__(scope, id)
        self.dead_letter_queue = standalone_queue(self, "DeadLetter", retention=DLQ_RETENTION)
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(visibility_timeout_seconds),
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(
                queue=self.dead_letter_queue, max_receive_count=max_receive_count
            ),
        )


def standalone_queue(scope: Construct, id: str, *, retention: Duration = DLQ_RETENTION) -> sqs.Queue:
    """An encrypted, TLS-only queue used as a failure destination (DLQ, on-failure target)."""
    return sqs.Queue(
        scope,
        id,
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=retention,
    )
