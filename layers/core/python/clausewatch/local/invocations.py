"""The embedded default's Lambda invocations at once: each in a forked process of its own, as
Lambda runs each concurrent invocation in an execution environment of its own.

Deployed, Lambda polls a queue with several pollers and runs a batch an invocation, many at a
time; the embedded default's pump (`local.cloud.LocalCloud.pump`) does the same for the queues
with at most ``concurrency`` invocations running (opt-in: ``CLAUSEWATCH_LOCAL_CONCURRENCY``).
Each runs `handlers.invoke` in a child forked from the pump's process
(`text.budget.run_with_budget`: the handler's code is the same, its calls reach moto's server over
HTTP like any other client's), under its function's timeout and a memory budget beyond what the
pump's process maps, so an invocation that hangs or blows up ends as Lambda's would: its batch
failed and retried, the other invocations going on. A child that runs its own budgeted step
(ingest's offline text extraction) takes it down with it when it is killed (PR_SET_PDEATHSIG).

Fork safety. The parent waits for the children in threads that only fork and read their pipes.
The pump's thread holds `text.budget.FORK_LOCK` whenever it is not waiting (its own AWS calls,
settling a batch), and every fork takes that lock, so a child never inherits a connection pool's
or a client's lock held in the middle of the pump's call. The children use the clients the pump's
process created (`Invocations` creates them before the first fork): they share no socket with it
because moto's server (werkzeug) closes every connection after its answer. What this does not
cover: a lock held by another thread of the process at the fork (moto's own threads, or in
`clausewatch serve` an API thread printing a request line); CPython re-initialises logging's
locks in a child, not a stream's. A child stuck on one is killed at its deadline and its batch
retried.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType

from .. import config
from ..aws import clients
from ..store import models
from ..text.budget import TEXT_BUDGET, BudgetExceeded, run_with_budget
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


def run(consumer: config.QueueConsumer, event: dict, forked: bool) -> Outcome:
    """One invocation of ``consumer.function`` with ``event``: in this process (a handler's
    exception is raised), or in a forked child under the function's timeout and memory (any end
    is the Outcome)."""
    if not forked:
        return Outcome(response=invoke(consumer.function, event) or {})
    try:
        response = run_with_budget(invoke, consumer.function, event, seconds=_seconds(consumer),
                                   memory_mb=consumer.memory_mb, step=f"the {consumer.function} invocation")
        return Outcome(response=response or {})
    except Exception as exc:  # the invocation's end (its error), reported to the pump
        return Outcome(error=exc)


def _seconds(consumer: config.QueueConsumer) -> float:
    """The invocation's deadline: its function's timeout, and for ingest with the offline text
    engine the engine's own budget too (deployed, Textract reads the PDF outside ingest; locally
    `aws.textract.OfflineTextract` does it inside ingest's invocation, under TEXT_BUDGET)."""
    if consumer.function == "ingest" and os.environ.get(config.ENV_TEXT_ENGINE) == "local":
        return consumer.timeout_seconds + TEXT_BUDGET.seconds
    return consumer.timeout_seconds


class Invocations:
    """Runs invocations, at most ``concurrency`` at a time (forked) or, at 1, one after another in
    this process as they are submitted. Use as a context manager."""

    def __init__(self, concurrency: int) -> None:
        self.concurrency = max(1, concurrency)
        self._pool: ThreadPoolExecutor | None = None

    @property
    def forked(self) -> bool:
        return self.concurrency > 1

    def __enter__(self) -> Invocations:
        if self.forked:
            # a client is created on its first call and costs ~0.1 s: created here, every child
            # inherits them (one per process, as a warm Lambda keeps its own), instead of each
            # invocation creating its own (0.4 s a textract_done, measured)
            clients.create_all()
            models.connect_all()
            self._pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="invoke")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    @staticmethod
    def run_here(consumer: config.QueueConsumer, event: dict) -> Outcome:
        """An invocation in this process (a handler's exception is raised): the caller holds
        FORK_LOCK when other invocations may be forked meanwhile."""
        return run(consumer, event, forked=False)

    def submit(self, consumer: config.QueueConsumer, event: dict) -> Future[Outcome]:
        """The invocation, started (forked) or, at a concurrency of 1, done."""
        if self._pool is None:
            done: Future[Outcome] = Future()
            done.set_result(run(consumer, event, forked=False))
            return done
        load_handler(consumer.function)  # imported once here, inherited by every child
        return self._pool.submit(run, consumer, event, True)
