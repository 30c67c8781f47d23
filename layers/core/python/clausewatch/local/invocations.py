"""The embedded default's Lambda invocations at once: each in a forked process of its own, as
Lambda runs each concurrent invocation in an execution environment of its own.

Deployed, Lambda polls a queue with several pollers and runs a batch an invocation, many at a
time; the embedded default's pump (`local.cloud.LocalCloud.pump`) does the same with at most
``concurrency`` invocations running. Each runs `handlers.invoke` in a child forked from the pump's
process (`text.budget.run_with_budget`: the handler's code is the same, its calls reach moto's
server over HTTP like any other client's), under its function's timeout and memory, so one
invocation that hangs or blows up ends as Lambda's would: its batch failed, nothing else stopped.
The parent waits for the children in threads that only read their pipes; the handlers never run
in a thread (the pump's process has moto's server threads, which is why each child is a fork
that talks HTTP and touches none of the parent's locks: see `text.budget`).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .. import config
from ..text.budget import BudgetExceeded, run_with_budget
from .handlers import invoke, load_handler


@dataclass(frozen=True)
class Outcome:
    """One invocation's end: the handler's response, or what stopped it (its exception, or
    BudgetExceeded for going over the function's timeout or memory)."""

    response: dict | None = None
    error: BaseException | None = None

    @property
    def over_budget(self) -> bool:
        return isinstance(self.error, BudgetExceeded)


def invoke_each(consumer: config.QueueConsumer, events: Sequence[dict], concurrency: int) -> list[Outcome]:
    """Each event given to ``consumer.function``: with a concurrency above 1, at most that many
    at a time, each in a process of its own under its function's timeout and memory; else one
    after another in this process (a handler's exception is raised). The outcomes are in the
    events' order."""
    if concurrency <= 1:
        return [_in_process(consumer.function, event) for event in events]
    load_handler(consumer.function)  # imported once here, inherited by every child

    def run(event: dict) -> Outcome:
        try:
            response = run_with_budget(invoke, consumer.function, event, seconds=consumer.timeout_seconds,
                                       memory_mb=consumer.memory_mb,
                                       step=f"the {consumer.function} invocation")
            return Outcome(response=response or {})
        except Exception as exc:  # the invocation's end (its error), reported to the pump
            return Outcome(error=exc)

    with ThreadPoolExecutor(max_workers=min(concurrency, len(events)),
                            thread_name_prefix=f"invoke-{consumer.function}") as pool:
        return list(pool.map(run, events))


def _in_process(function: str, event: dict) -> Outcome:
    return Outcome(response=invoke(function, event) or {})
