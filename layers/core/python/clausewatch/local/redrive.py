"""`clausewatch redrive [QUEUE]`: move dead-lettered messages back for reprocessing, on the embedded
default (its DLQs are saved with the state, so what failed in one run can be redriven in the next).

What each DLQ holds and how it is redriven (deployed, the same; see README "Reliability"):

- ingest / textract DLQ: the S3 notification or the Textract completion that failed three times ->
  sent back to its source queue (deployed: ``aws sqs start-message-move-task --source-arn <DLQ>``);
  processing is idempotent, so a message handled meanwhile is a no-op.
- scheduler DLQ: a reminder whose delivery failed (the body is the schedule's payload) -> the
  alert function is invoked with it (deployed: ``aws lambda invoke`` with the body); the alert
  dedups, so a reminder sent meanwhile is not sent twice.
- planner DLQ: the description of a stream batch the planner gave up on (Lambda's on-failure
  record: shard and sequence numbers) -> the planner is invoked with it, reads those records again
  from the table's stream and re-plans their contracts (deployed: ``aws lambda invoke`` with the
  body, within the stream's 24 hours); records no longer there leave it to the sweep.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..aws.clients import client

# short name -> (DLQ, source queue or None)
DEAD_LETTER_QUEUES = {
    "ingest": (config.INGEST_DLQ, config.INGEST_QUEUE),
    "textract": (config.TEXTRACT_DLQ, config.TEXTRACT_QUEUE),
    "scheduler": (config.SCHEDULER_DLQ, None),
    "planner": (config.PLANNER_DLQ, None),
}
_RECEIVE_VISIBILITY = 60  # seconds a received message is hidden while it is moved


@dataclass(frozen=True)
class Redriven:
    queue: str
    moved: int
    outcome: str


def queue_url(name: str) -> str:
    return client("sqs").get_queue_url(QueueName=name)["QueueUrl"]


def drain(name: str) -> list[dict]:
    """Receive every message of queue ``name`` (hidden meanwhile; the caller deletes or releases)."""
    sqs, url = client("sqs"), queue_url(name)
    out: list[dict] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                    VisibilityTimeout=_RECEIVE_VISIBILITY, AttributeNames=["All"],
                                    MessageAttributeNames=["All"]).get("Messages", [])
        if not batch:
            return out
        out += batch


def release(name: str, messages: list[dict]) -> None:
    sqs, url = client("sqs"), queue_url(name)
    for message in messages:
        sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)


def delete(name: str, message: dict) -> None:
    client("sqs").delete_message(QueueUrl=queue_url(name), ReceiptHandle=message["ReceiptHandle"])


def redrive_queue(short: str) -> Redriven:
    """Move one DLQ's messages back (see the module doc); a message whose redrive fails stays."""
    from .handlers import invoke

    dlq, source = DEAD_LETTER_QUEUES[short]
    messages = drain(dlq)
    moved, kept = 0, []
    for message in messages:
        try:
            if source is not None:
                attributes = {k: v for k, v in (message.get("MessageAttributes") or {}).items()}
                client("sqs").send_message(QueueUrl=queue_url(source), MessageBody=message["Body"],
                                           **({"MessageAttributes": attributes} if attributes else {}))
            elif short == "scheduler":
                invoke("alert", json.loads(message["Body"]))
            else:  # planner: the given-up batch's records, read again from the stream
                invoke("planner", _for_this_stream(json.loads(message["Body"])))
        except Exception:
            kept.append(message)
            continue
        delete(dlq, message)
        moved += 1
    release(dlq, kept)
    what = {"ingest": f"back to {source}", "textract": f"back to {source}",
            "scheduler": "re-delivered to the alert function",
            "planner": "their stream records re-planned (or, gone, the sweep queued)"}[short]
    outcome = what + (f"; {len(kept)} failed again and stay" if kept else "")
    return Redriven(dlq, moved, outcome)


def _for_this_stream(described: dict) -> dict:
    """The planner's event for a given-up stream batch: its description, or, for one of a previous
    run of the embedded default (a state folder reloaded: the table and its stream are new, and
    moto numbers the new stream's records as it numbered the old one's), the sweep: those records
    are gone, and the same numbers would name others."""
    info = described.get("DDBStreamBatchInfo") or {}
    current = client("dynamodb").describe_table(TableName=config.TABLE_NAME)["Table"].get("LatestStreamArn")
    return described if info.get("streamArn") == current else {"sweep": True}


# --- keeping DLQs across restarts (local state) -----------------------------------------------------

DLQ_FILE = "dead-letters.json"


def save_dead_letters(state_dir: Path) -> None:
    """Write every DLQ's messages beside the state (moto keeps them in memory only)."""
    saved: dict[str, list[dict]] = {}
    for dlq, _ in DEAD_LETTER_QUEUES.values():
        messages = drain(dlq)
        release(dlq, messages)
        saved[dlq] = [{"Body": m["Body"], "MessageAttributes": m.get("MessageAttributes") or {}}
                      for m in messages]
    (state_dir / DLQ_FILE).write_text(json.dumps(saved, indent=1))


def load_dead_letters(state_dir: Path) -> int:
    path = state_dir / DLQ_FILE
    if not path.exists():
        return 0
    count = 0
    for dlq, messages in json.loads(path.read_text()).items():
        for message in messages:
            attributes = message.get("MessageAttributes") or {}
            client("sqs").send_message(QueueUrl=queue_url(dlq), MessageBody=message["Body"],
                                       **({"MessageAttributes": attributes} if attributes else {}))
            count += 1
    return count


def command(argv: list[str]) -> int:
    from . import state
    from .cli import DEFAULT_STATE, _say, local_cloud

    parser = argparse.ArgumentParser(
        prog="clausewatch redrive",
        description="Move dead-lettered messages back for reprocessing (all DLQs, or one).")
    parser.add_argument("queue", nargs="?", choices=sorted(DEAD_LETTER_QUEUES), help="default: every DLQ")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False, writer="redrive") as cloud:
        cloud.pump()
        results = []
        for short in [args.queue] if args.queue else list(DEAD_LETTER_QUEUES):
            results.append(redrive_queue(short))
            cloud.pump()
        state.save(args.state)
        for r in results:
            _say(f"{r.queue}: {r.moved} message(s) {r.outcome}")
    return 0


def retry_command(argv: list[str]) -> int:
    """`clausewatch retry ID`: a FAILED contract with a transient cause, through the pipeline again."""
    from ..config import Settings
    from ..pipeline.actions import NotFound
    from ..pipeline.recovery import NotRetryable, retry_contract
    from ..store import repository as repo
    from . import state
    from .cli import DEFAULT_STATE, _say, local_cloud

    parser = argparse.ArgumentParser(prog="clausewatch retry")
    parser.add_argument("contract_id")
    parser.add_argument("--state", type=Path, default=DEFAULT_STATE)
    args = parser.parse_args(argv)
    with local_cloud(args.state, verbose=False, writer="retry") as cloud:
        cloud.pump()
        try:
            retry_contract(Settings.from_env(), args.contract_id, actor="cli")
        except NotFound:
            _say(f"no contract {args.contract_id}")
            return 2
        except NotRetryable as exc:
            _say(str(exc))
            return 2
        cloud.pump()
        contract = repo.get_contract(args.contract_id)
        state.save(args.state)
        status = contract.status if contract else "gone"
        reason = f" ({contract.status_reason})" if contract and contract.status_reason else ""
        _say(f"{args.contract_id}: retried -> {status}{reason}")
    return 0
