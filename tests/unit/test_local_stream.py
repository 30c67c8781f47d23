"""The embedded default's stream delivery does what Lambda's mapping does with a failing batch
(local/stream.py): retry from the first failed record, split a batch whose invocation fails, give
up after the mapping's retries with a description of what was given up; the rest goes on."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from clausewatch import clock, config
from clausewatch.local.invocations import Outcome
from clausewatch.local.stream import deliver, on_failure_record

CONSUMER = dataclasses.replace(config.STREAM_CONSUMER, retry_attempts=2, bisect_on_error=True)


def records(*numbers: int) -> list[dict]:
    return [{"eventName": "MODIFY", "dynamodb": {"SequenceNumber": str(n), "ApproximateCreationDateTime": 1_790_000_000 + n}}
            for n in numbers]


def numbers(batch: list[dict]) -> list[int]:
    return [int(r["dynamodb"]["SequenceNumber"]) for r in batch]


class Planner:
    """Fails the records in ``poison`` as told (a partial batch response or an exception), the
    first ``times`` times each is seen (forever by default); remembers every call's records."""

    def __init__(self, poison: set[int], *, raises: bool = False, times: int = 10**6) -> None:
        self.poison, self.raises, self.times = poison, raises, times
        self.calls: list[list[int]] = []
        self.seen: dict[int, int] = {}

    def __call__(self, batch: list[dict]) -> Outcome:
        self.calls.append(numbers(batch))
        bad = []
        for n in numbers(batch):
            if n in self.poison and self.seen.get(n, 0) < self.times:
                self.seen[n] = self.seen.get(n, 0) + 1
                bad.append(n)
        if bad and self.raises:
            return Outcome(error=RuntimeError(f"record {bad[0]} broke the planner"))
        return Outcome(response={"batchItemFailures": [{"itemIdentifier": str(n)} for n in bad]})


def test_a_batch_that_succeeds_is_delivered_once():
    planner = Planner(set())
    assert deliver(records(1, 2, 3), planner, CONSUMER) == []
    assert planner.calls == [[1, 2, 3]]


def test_a_partial_failure_is_retried_from_the_first_failed_record():
    planner = Planner({3, 5}, times=1)
    assert deliver(records(1, 2, 3, 4, 5), planner, CONSUMER) == []
    assert planner.calls == [[1, 2, 3, 4, 5], [3, 4, 5]]


def test_a_record_that_keeps_failing_is_given_up_after_the_retries_with_what_follows_it():
    planner = Planner({3})
    given_up = deliver(records(1, 2, 3, 4), planner, CONSUMER)
    assert planner.calls == [[1, 2, 3, 4], [3, 4], [3, 4]]  # the first call and 2 retries
    assert [(numbers(g.records), g.invocations) for g in given_up] == [([3, 4], 3)]
    assert "sequence number 3" in given_up[0].reason


def test_a_failed_invocation_is_split_until_the_poison_record_is_alone():
    planner = Planner({2}, raises=True)
    given_up = deliver(records(1, 2, 3, 4), planner, CONSUMER)
    # halves in order; a split is not a retry; the poison record alone is retried twice
    assert planner.calls == [[1, 2, 3, 4], [1, 2], [1], [2], [2], [2], [3, 4]]
    assert [(numbers(g.records), g.invocations) for g in given_up] == [([2], 3)]
    assert given_up[0].reason == "RuntimeError: record 2 broke the planner"


def test_without_bisection_a_failed_invocation_retries_the_whole_batch():
    planner = Planner({2}, raises=True)
    given_up = deliver(records(1, 2, 3), planner, dataclasses.replace(CONSUMER, bisect_on_error=False))
    assert planner.calls == [[1, 2, 3]] * 3
    assert [numbers(g.records) for g in given_up] == [[1, 2, 3]]


def test_an_identifier_it_cannot_place_fails_the_whole_batch():
    calls: list[list[int]] = []

    def planner(batch):
        calls.append(numbers(batch))
        return Outcome(response={"batchItemFailures": [{"itemIdentifier": ""}]} if len(calls) == 1 else {})

    assert deliver(records(1, 2), planner, CONSUMER) == []
    assert calls == [[1, 2], [1, 2]]


def test_what_is_given_up_is_described_as_lambda_describes_it():
    clock.set_now(datetime(2026, 12, 3, 18, 0, tzinfo=UTC))
    try:
        [given_up] = deliver(records(7, 8, 9), Planner({8}), CONSUMER)
        described = on_failure_record(given_up, shard_id="shardId-1", stream_arn="arn:stream",
                                      function_arn="arn:function")
    finally:
        clock.set_now(None)
    info = described["DDBStreamBatchInfo"]
    assert (info["startSequenceNumber"], info["endSequenceNumber"], info["batchSize"]) == ("8", "9", 2)
    assert (info["shardId"], info["streamArn"]) == ("shardId-1", "arn:stream")
    assert info["approximateArrivalOfFirstRecord"] == "2026-09-21T14:13:28Z"  # 1_790_000_008 s
    assert described["requestContext"] == {"functionArn": "arn:function", "condition": "RetryAttemptsExhausted",
                                           "approximateInvokeCount": 3}
    assert described["timestamp"].startswith("2026-12-03T18:00")
    assert "functionError" not in described["responseContext"]  # it reported failed records
    [raised] = deliver(records(1), Planner({1}, raises=True), CONSUMER)
    assert on_failure_record(raised, shard_id="s", stream_arn="a", function_arn="f")[
        "responseContext"]["functionError"] == "Unhandled"


def test_unbounded_retries_are_refused():
    with pytest.raises(ValueError, match="retry_attempts"):
        dataclasses.replace(config.STREAM_CONSUMER, retry_attempts=-1)
