"""The daily sweep without a scan (issue #11 part 3).

The daily rule invokes the planner with ``{"sweep": true}``: ``start_sweep`` sends one message per
GSI5 shard to the sweep queue (``{"sweep_page": {"shard": s, "day": today}}``). Each message is one
bounded unit of work: ``run_page`` queries at most ``config.sweep_page_size()`` contracts of that
shard whose next planning day is ``day`` or earlier, sends the message for the next page first
(so one contract that keeps failing never stops the rest of its shard), then re-plans each
contract of the page (``reminders.sync_reminders``, which moves its next planning day past today).
A page with a contract that failed is reported failed: SQS delivers it again (its contracts that
were planned are no longer due, so only the failed ones are tried again) and after
``config.QUEUE_MAX_RECEIVES`` receives it lands in the sweep DLQ; the contract stays due, so the
next day's sweep tries it again as well.

Without a sweep queue (``config.ENV_SWEEP_QUEUE_URL`` unset) the pages run in the same invocation.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from .. import clock, config, schema
from ..aws.clients import client
from ..config import Settings
from ..store import work

log = logging.getLogger(__name__)
SWEEP_PAGE = "sweep_page"


@dataclass
class PageResult:
    """What one page did: the contracts re-planned, those that failed, the next page's message."""

    replanned: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    next_message: dict | None = None


def sweep_day(now: datetime) -> date:
    """The sweep's day: the UTC day of ``now`` (next planning days are UTC days)."""
    return now.astimezone(UTC).date()


def first_messages(day: date) -> list[dict]:
    return [{SWEEP_PAGE: {"shard": shard, "day": day.isoformat()}} for shard in range(schema.WORK_SHARDS)]


def start_sweep(settings: Settings, now: datetime | None = None) -> int:
    """Fan the due contracts out (module doc). Returns the messages sent, or, with no queue, the
    contracts re-planned here (raises when one failed, after all the others were tried)."""
    now = now or clock.now()
    messages = first_messages(sweep_day(now))
    url = config.sweep_queue_url()
    if url:
        send(url, messages)
        return len(messages)
    replanned, failed = 0, []
    for message in messages:
        current: dict | None = message
        while current is not None:
            result = run_page(settings, current, now=now)
            replanned += len(result.replanned)
            failed += result.failed
            current = result.next_message
    if failed:
        raise RuntimeError(f"sweep re-planned {replanned} contracts; failed: {failed}")
    return replanned


def send(url: str, messages: list[dict]) -> None:
    sqs = client("sqs")
    for start in range(0, len(messages), 10):  # SendMessageBatch takes 10 at most
        batch = messages[start:start + 10]
        response = sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": str(i), "MessageBody": json.dumps(m, sort_keys=True)} for i, m in enumerate(batch)])
        if response.get("Failed"):
            raise RuntimeError(f"sweep messages not sent: {response['Failed']}")


def run_page(settings: Settings, message: dict, *, now: datetime | None = None,
             continue_chain: bool = True) -> PageResult:
    """Re-plan one page of due contracts (module doc)."""
    from .reminders import sync_reminders

    body = message[SWEEP_PAGE]
    shard, day = int(body["shard"]), date.fromisoformat(body["day"])
    page = work.due_for_planning(shard, day, config.sweep_page_size(), body.get("start"))
    result = PageResult()
    if page.next_start is not None:
        result.next_message = {SWEEP_PAGE: {"shard": shard, "day": day.isoformat(), "start": page.next_start}}
        url = config.sweep_queue_url()
        if url and continue_chain:
            send(url, [result.next_message])
    for contract_id in page.contract_ids:
        try:  # one broken contract must not stop every other contract's re-planning
            sync_reminders(settings, contract_id, now, actor="sweep")
            result.replanned.append(contract_id)
        except Exception:
            log.exception("sweep: re-planning %s failed", contract_id)
            result.failed.append(contract_id)
    return result


def is_sweep_batch(records: list[dict]) -> bool:
    """An SQS batch from the sweep queue (the planner's other trigger is the table's stream)."""
    return bool(records) and all(r.get("eventSource") == "aws:sqs" for r in records)


def handle_sweep_batch(settings: Settings, records: list[dict]) -> dict:
    """The planner's SQS trigger: one page per message; a page with a failed contract (or that
    could not run) is reported in ``batchItemFailures`` for SQS to deliver again."""
    failures, replanned = [], 0
    for record in records:
        try:
            message = json.loads(record["body"])
            # a delivery after the first (a retry) does not start the next page a second time
            first = int((record.get("attributes") or {}).get("ApproximateReceiveCount", "1")) <= 1
            result = run_page(settings, message, continue_chain=first)
            replanned += len(result.replanned)
            if result.failed:
                failures.append({"itemIdentifier": record["messageId"]})
        except Exception:
            log.exception("sweep page failed: %s", record.get("body"))
            failures.append({"itemIdentifier": record["messageId"]})
    log.info("sweep pages", extra={"pages": len(records), "replanned": replanned, "failed": len(failures)})
    return {"batchItemFailures": failures}
