"""What Lambda's event source mapping does with a stream batch that fails, for the embedded
default's pump (`local.cloud.LocalCloud`): the table stream -> planner mapping the CDK app declares
(`config.STREAM_CONSUMER`, infra/components/scheduling.py).

- A partial batch response (``batchItemFailures``) checkpoints before the failed record with the
  lowest sequence number: the batch is retried from there (an empty or unknown identifier fails
  the whole batch).
- An invocation that fails (its exception, its timeout) fails the whole batch; with
  ``bisect_on_error`` a batch of more than one record is split in two, each half retried on its
  own, in order (a split does not count as a retry).
- After ``retry_attempts`` retries the records left are given up: Lambda sends a description of
  them to the on-failure destination (`on_failure_record`, Lambda's fields) and the shard reads
  on. The records themselves are not in it: the planner DLQ's redrive invokes the planner with the
  description, which reads them again from the stream (`pipeline.reminders.replay_given_up`).

The shard is read in order: nothing after a failing batch is delivered before it is done or given
up. AWS waits between retries; locally they follow at once.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .. import clock, config
from .invocations import Outcome


@dataclass(frozen=True)
class GivenUp:
    """Records retried ``retry_attempts`` times and still failing; ``invocations`` made with this
    slice of the batch (the first and the retries; calls with the larger batch it was split from
    are not counted) and the last failure's reason."""

    records: list[dict]
    invocations: int
    reason: str
    raised: bool = False  # the last invocation failed (rather than reporting failed records)


def _sequence_number(record: dict) -> str:
    return str(record.get("dynamodb", {}).get("SequenceNumber", ""))


def _failed_from(batch: list[dict], outcome: Outcome) -> tuple[int, str] | None:
    """Where the batch failed (the index to retry from) and why; None when it succeeded."""
    if outcome.error is not None:
        return 0, f"{type(outcome.error).__name__}: {outcome.error}"
    failures = (outcome.response or {}).get("batchItemFailures") or []
    if not failures:
        return None
    failed = {str(f.get("itemIdentifier") or "") for f in failures if isinstance(f, dict)}
    at = [i for i, record in enumerate(batch) if _sequence_number(record) in failed]
    if not at or "" in failed or len(at) < len(failed):  # an identifier it cannot place: all of it
        return 0, f"batch item failures it cannot place ({sorted(failed)[:3]}): the whole batch"
    return min(at), f"batch item failure from sequence number {_sequence_number(batch[min(at)])}"


def deliver(records: list[dict], call: Callable[[list[dict]], Outcome],
            consumer: config.StreamConsumer) -> list[GivenUp]:
    """Give ``records`` (one batch of a shard, in order) to ``call`` as Lambda would, retrying and
    splitting as ``consumer`` says; returns what was given up (empty when all succeeded)."""
    given_up: list[GivenUp] = []
    work: deque[tuple[list[dict], int]] = deque([(records, 0)])  # (records, retries so far)
    while work:
        batch, retries = work.popleft()
        outcome = call(batch)
        failed = _failed_from(batch, outcome)
        if failed is None:
            continue
        start, reason = failed
        if outcome.error is not None and consumer.bisect_on_error and len(batch) > 1:
            half = len(batch) // 2
            work.extendleft([(batch[half:], retries), (batch[:half], retries)])  # first half first
            continue
        if retries >= consumer.retry_attempts:
            given_up.append(GivenUp(batch[start:], retries + 1, reason, outcome.error is not None))
            continue
        work.appendleft((batch[start:], retries + 1))
    return given_up


def on_failure_record(given_up: GivenUp, *, shard_id: str, stream_arn: str, function_arn: str) -> dict:
    """The description Lambda sends to a stream mapping's on-failure destination (its fields:
    ``requestContext``, ``responseContext``, ``DDBStreamBatchInfo``)."""

    def arrival(record: dict) -> str | None:
        seconds = record.get("dynamodb", {}).get("ApproximateCreationDateTime")
        if seconds is None:
            return None
        from datetime import UTC, datetime

        when = seconds if isinstance(seconds, datetime) else datetime.fromtimestamp(float(seconds), UTC)
        return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    first, last = given_up.records[0], given_up.records[-1]
    return {
        "requestContext": {"functionArn": function_arn, "condition": "RetryAttemptsExhausted",
                           "approximateInvokeCount": given_up.invocations},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST",
                            **({"functionError": "Unhandled"} if given_up.raised else {})},
        "version": "1.0",
        "timestamp": clock.iso(),
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": _sequence_number(first),
            "endSequenceNumber": _sequence_number(last),
            "approximateArrivalOfFirstRecord": arrival(first),
            "approximateArrivalOfLastRecord": arrival(last),
            "batchSize": len(given_up.records),
            "streamArn": stream_arn,
        },
    }
