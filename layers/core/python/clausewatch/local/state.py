"""The local state folder: moto keeps state in memory only, so the embedded default saves the
bucket, the table and the schedules to disk and restores them on the next start.

    .clausewatch/
      state.json        simulated clock and format version
      s3/index.json     key -> metadata, content type, blob
      s3/blobs/<sha256>  object bodies (content-addressed)
      table.jsonl       every DynamoDB item, as DynamoDB JSON
      audit.jsonl       every audit event (the audit table), as DynamoDB JSON
      schedules.json    every reminder schedule
      dead-letters.json every message in a dead-letter queue (`clausewatch redrive` moves them back)
      outbox/           alert emails as .eml (written by tick and the demo)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from datetime import datetime
from pathlib import Path

from .. import clock, config, schema
from ..aws.clients import client
from . import statelock

FORMAT = 1
AUDIT_FILE = "audit.jsonl"


def save(state_dir: Path) -> None:
    """Write everything to a fresh folder, then move its parts into place. A crash while writing
    leaves the previous state intact; only one during the final renames could mix the two. Refused
    (``statelock.StateInUse``) when another live process holds the folder: it would overwrite
    this save, or this save its changes."""
    statelock.check_writable(state_dir)
    tmp = state_dir / ".saving"
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "s3" / "blobs").mkdir(parents=True)
    s3, index = client("s3"), {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=config.BUCKET_NAME):
        for obj in page.get("Contents", []):
            response = s3.get_object(Bucket=config.BUCKET_NAME, Key=obj["Key"])
            body = response["Body"].read()
            digest = hashlib.sha256(body).hexdigest()
            (tmp / "s3" / "blobs" / digest).write_bytes(body)
            index[obj["Key"]] = {"blob": digest, "metadata": response.get("Metadata") or {},
                                 "content_type": response.get("ContentType") or "binary/octet-stream"}
    (tmp / "s3" / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True))
    for file_name, table in (("table.jsonl", config.TABLE_NAME), (AUDIT_FILE, config.AUDIT_TABLE_NAME)):
        with (tmp / file_name).open("w") as out:
            for page in client("dynamodb").get_paginator("scan").paginate(TableName=table):
                for item in page.get("Items", []):
                    out.write(json.dumps(item, sort_keys=True) + "\n")
    scheduler, schedules = client("scheduler"), []
    for page in scheduler.get_paginator("list_schedules").paginate(GroupName=config.SCHEDULE_GROUP):
        for summary in page.get("Schedules", []):
            detail = scheduler.get_schedule(Name=summary["Name"], GroupName=config.SCHEDULE_GROUP)
            schedules.append({k: detail[k] for k in (
                "Name", "GroupName", "ScheduleExpression", "ScheduleExpressionTimezone",
                "FlexibleTimeWindow", "Target", "State", "ActionAfterCompletion", "Description")
                if k in detail})
    (tmp / "schedules.json").write_text(json.dumps(schedules, indent=1, default=str))
    (tmp / "state.json").write_text(json.dumps({"format": FORMAT, "saved_at": clock.iso(),
                                                "now": clock.iso()}, indent=1))
    from .redrive import DLQ_FILE, save_dead_letters

    save_dead_letters(tmp)  # failed messages survive the restart, for `clausewatch redrive`
    for name in ("s3", "table.jsonl", AUDIT_FILE, "schedules.json", DLQ_FILE, "state.json"):
        target = state_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        (tmp / name).rename(target)
    tmp.rmdir()


def saved_clock(state_dir: Path) -> datetime | None:
    """The clock the state was saved at (a forward simulation's, after `clausewatch tick`)."""
    try:
        return datetime.fromisoformat(json.loads((state_dir / "state.json").read_text())["now"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def load(state_dir: Path, keep_later_clock: bool = True) -> bool:
    """Restore a saved state into freshly provisioned resources; False when there is none. A state
    saved at a later time than now (``tick`` moved its clock ahead) moves the clock there, unless
    not ``keep_later_clock`` (back to the real clock: what that simulation fired stays fired).

    Objects still under inbox/ raise their S3 notification again, so an upload that was waiting
    when the state was saved is processed after the restart; every other object is put back with
    the bucket's notifications off (a metrics or invoice file was recorded when it came).
    """
    meta_path = state_dir / "state.json"
    if not meta_path.exists():
        return False
    meta = json.loads(meta_path.read_text())
    saved_now = datetime.fromisoformat(meta["now"])
    if keep_later_clock and saved_now > clock.now():  # a forward simulation (tick) moved time ahead: keep it
        clock.set_now(saved_now)
    dynamodb = client("dynamodb")
    steps: set[str] = set()  # the upgrade steps the state's table had recorded (store_dated_markers, ...)
    with (state_dir / "table.jsonl").open() as lines:
        for line in lines:
            item = json.loads(line)
            if item.get(schema.PARTITION_KEY) == {"S": schema.UPGRADE_PK}:
                steps.add(item.get(schema.SORT_KEY, {}).get("S", ""))
            # a state saved before the audit table kept audit events in the single table: move them
            audit = schema.is_audit_item(item.get(schema.SORT_KEY, {}).get("S", ""))
            dynamodb.put_item(TableName=config.AUDIT_TABLE_NAME if audit else config.TABLE_NAME, Item=item)
    if (state_dir / AUDIT_FILE).exists():
        with (state_dir / AUDIT_FILE).open() as lines:
            for line in lines:
                dynamodb.put_item(TableName=config.AUDIT_TABLE_NAME, Item=json.loads(line))
    index = json.loads((state_dir / "s3" / "index.json").read_text())
    s3 = client("s3")

    def put(key: str) -> None:
        entry = index[key]
        s3.put_object(Bucket=config.BUCKET_NAME, Key=key, Metadata=entry["metadata"], ContentType=entry["content_type"],
                      Body=(state_dir / "s3" / "blobs" / entry["blob"]).read_bytes())

    # every other object without its notification: a metrics or invoice file already recorded is
    # not processed again at each start (in key order, a corrected file undone by the one before it)
    notifications = {k: v for k, v in s3.get_bucket_notification_configuration(Bucket=config.BUCKET_NAME).items()
                     if k != "ResponseMetadata"}
    s3.put_bucket_notification_configuration(Bucket=config.BUCKET_NAME, NotificationConfiguration={})
    try:
        for key in sorted(k for k in index if not k.startswith(config.INBOX_PREFIX)):
            put(key)
    finally:
        s3.put_bucket_notification_configuration(Bucket=config.BUCKET_NAME, NotificationConfiguration=notifications)
    # inbox/ last: their notifications should find the table already restored
    for key in sorted(k for k in index if k.startswith(config.INBOX_PREFIX)):
        put(key)
    for schedule in json.loads((state_dir / "schedules.json").read_text()):
        client("scheduler").create_schedule(**schedule)
    from .redrive import load_dead_letters

    load_dead_letters(state_dir)
    # executions live in moto's memory: rebuild the renewal decisions waiting for a person (those
    # saved before the waiting index first put into it)
    from ..renewal import local as renewal_local
    from ..renewal.store import reindex_waiting
    from ..store.repository import (
        index_ended_terms,
        mark_old_deletions,
        reindex_unapplied_amendments,
        store_dated_markers,
        store_renewal_terms,
    )

    reindex_waiting()
    reindex_unapplied_amendments()
    store_renewal_terms()
    if not {schema.UPGRADE_DATED_MARKERS, schema.UPGRADE_AMENDMENT_DATES} <= steps:  # three scans, only for a
        # state saved before the steps
        from ..pipeline.record import look_again_for_waiting_amendments

        store_dated_markers()
        look_again_for_waiting_amendments(actor="clausewatch")
    if not {schema.UPGRADE_ENDED_TERMS, schema.UPGRADE_WAIVED_TERM_ENDS} <= steps:  # a scan of the obligations, once
        index_ended_terms(actor="clausewatch")
    if schema.UPGRADE_DELETION_MARKERS not in steps:  # a scan of the audit table, once
        mark_old_deletions()
    if schema.UPGRADE_RULES_MARKED_DONE not in steps:  # a scan of the obligations, once
        from ..pipeline.rules_marked_done import flag_rules_marked_done

        flagged, failed = flag_rules_marked_done()
        if flagged or failed:
            print(f"recurring duties' rules marked done by hand before 2026-12-07, flagged on Needs attention: "
                  f"{len(flagged)}" + (f" ({failed} failed: load the state folder again)" if failed else ""),
                  file=sys.stderr)
    if schema.UPGRADE_AMENDMENT_NAMES not in steps:  # a scan of the contracts, once
        from ..pipeline.amendment_names import read_names_again

        named, not_named = read_names_again(actor="clausewatch")
        if named or not_named:
            print(f"amendments read as changing no term, the terms they name read from their text: {len(named)}"
                  + (f" ({not_named} failed: load the state folder again)" if not_named else ""), file=sys.stderr)
    renewal_local.resume_waiting()
    return True
