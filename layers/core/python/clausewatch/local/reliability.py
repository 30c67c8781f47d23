"""`make reliability`: bad input, duplicate delivery and injected faults on the embedded default,
as a table (scenario, expected, actual, uploads lost, duplicate emails), ending with the line
``lost uploads: N, duplicate emails: M``. Exit status 1 when a scenario fails or anything is lost
or sent twice.

An upload is lost when nothing records it: no contract names it as its source, no audit event
(a duplicate, a quarantine) mentions its key, and it is not waiting in the inbox. A duplicate email
is a second SES send of the same reminder of the same contract (X-Clausewatch-Contract and
X-Clausewatch-Reminder).
"""

from __future__ import annotations

import email
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

from botocore.exceptions import ClientError

from .. import clock, config
from ..aws.clients import client
from ..store import repository as repo
from .handlers import REPO_ROOT, invoke

SAMPLES = REPO_ROOT / "samples"
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@dataclass
class Row:
    scenario: str
    expected: str
    actual: str
    ok: bool
    lost: int = 0
    duplicates: int = 0


def variant(path: Path, n: int) -> bytes:
    """The sample's bytes with a comment after %%EOF: the same document, different content hash."""
    return path.read_bytes() + f"\n% clausewatch reliability variant {n}\n".encode()


def _pdf_with_text(text: str) -> bytes:
    from fpdf import FPDF  # dev dependency: `make reliability` installs it

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def _encrypted(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _image_only() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class Suite:
    def __init__(self, cloud) -> None:
        self.cloud = cloud
        self.uploaded: list[str] = []
        self.rows: list[Row] = []

    def put(self, name: str, body: bytes, metadata: dict[str, str] | None = None) -> str:
        key = f"{config.INBOX_PREFIX}{name}"
        client("s3").put_object(Bucket=config.BUCKET_NAME, Key=key, Body=body, Metadata=metadata or {})
        self.uploaded.append(key)
        return key

    def contract_of(self, key: str):
        return next((c for c in repo.list_contracts() if c.source_key == key), None)

    def run(self, scenario: str, expected: str, body: Callable[[], tuple[str, bool]]) -> None:
        try:
            actual, ok = body()
        except Exception as exc:
            actual, ok = f"crashed: {type(exc).__name__}: {exc}", False
        self.rows.append(Row(scenario, expected, actual, ok))

    # --- accounting --------------------------------------------------------------------------------
    def lost(self) -> list[str]:
        recorded = {c.source_key for c in repo.list_contracts()}
        for contract in repo.list_contracts():
            for event in repo.audit_events(contract.contract_id):
                detail = event.detail or {}
                if isinstance(detail, dict) and detail.get("source_key"):
                    recorded.add(detail["source_key"])
        waiting = {o["Key"] for o in client("s3").list_objects_v2(
            Bucket=config.BUCKET_NAME, Prefix=config.INBOX_PREFIX).get("Contents", [])}
        return [k for k in self.uploaded if k not in recorded and k not in waiting]

    def duplicate_emails(self) -> int:
        """Second sends of one contract's reminder (a reminder's name is unique per contract:
        the renewal workflow's ``renewal-owner-<term end>`` recurs across contracts)."""
        messages = [email.message_from_bytes(raw) for raw in self.cloud.sent_mail()]
        names = Counter((m.get("X-Clausewatch-Contract"), m.get("X-Clausewatch-Reminder")) for m in messages)
        return sum(n - 1 for (_, name), n in names.items() if name and n > 1)


def _status(suite: Suite, key: str) -> str:
    contract = suite.contract_of(key)
    return "missing" if contract is None else contract.status


def scenarios(suite: Suite) -> None:
    cloud = suite.cloud
    nda = SAMPLES / "mutual-nda.pdf"
    saas = SAMPLES / "saas-subscription-northwind.pdf"

    bad = {
        "zero bytes": b"",
        "HTML named .pdf": b"<!doctype html><html><body>not a contract</body></html>",
        "an executable named .pdf": b"MZ\x90\x00\x03" + os.urandom(200),
        "random bytes named .pdf": os.urandom(4096),
        "a truncated PDF": nda.read_bytes()[: len(nda.read_bytes()) // 2],
        "an encrypted PDF": _encrypted(variant(nda, 90)),
        "an image-only PDF (no text layer)": _image_only(),
    }
    for n, (label, body) in enumerate(bad.items()):
        def one(label=label, body=body, n=n) -> tuple[str, bool]:
            key = suite.put(f"bad-{n}.pdf", body)
            cloud.pump()
            contract = suite.contract_of(key)
            if contract is None:
                return "no record", False
            return f"{contract.status}: {(contract.status_reason or '')[:48]}", \
                contract.status in ("QUARANTINED", "FAILED") and bool(contract.status_reason)
        suite.run(f"bad upload: {label}", "QUARANTINED/FAILED with its reason", one)

    names = {"spaces": "my signed contract.pdf", "unicode": "Vertrag München – 2025.pdf",
             "../ in the key": "../../escape.pdf", "a 200-character name": "x" * 196 + ".pdf"}
    for n, (label, name) in enumerate(names.items()):
        def hostile(name=name, n=n) -> tuple[str, bool]:
            key = suite.put(name, variant(nda, n))
            cloud.pump()
            keys = [o["Key"] for o in client("s3").list_objects_v2(Bucket=config.BUCKET_NAME)["Contents"]]
            inside = all(k.split("/")[0] + "/" in (config.INBOX_PREFIX, config.CONTRACTS_PREFIX,
                                                   config.QUARANTINE_PREFIX, config.TEXT_PREFIX, "offline-textract/")
                         for k in keys)
            status = _status(suite, key)
            return f"{status}; every object under a known prefix: {inside}", status == "EXTRACTED" and inside
        suite.run(f"object key with {label}", "EXTRACTED, filed by content", hostile)

    def metadata() -> tuple[str, bool]:
        key = suite.put("metadata.pdf", variant(nda, 20), {
            "owner": "victim@example.com, attacker@evil.test", "time-zone": "Mars/Olympus",
            "team": "legal#ops", "counterparty": "=?utf-8?b?QWNtZQ0KQmNjOiB4QGV2aWwudGVzdA==?="})
        cloud.pump()
        contract = suite.contract_of(key)
        notes = contract.intake_notes or [] if contract else []
        ok = (contract is not None and contract.owner is None and contract.time_zone == "UTC"
              and len(notes) == 3 and "\n" not in (contract.counterparty or "")
              and contract.team == "legal#ops")
        return f"{contract.status if contract else 'missing'}; {len(notes)} values refused and noted", ok
    suite.run("metadata: CR/LF, two owners, unknown zone, team with #", "processed; each bad value refused + noted",
              metadata)

    def markup() -> tuple[str, bool]:
        key = suite.put("markup.pdf", variant(saas, 21), {"counterparty": "<script>alert(1)</script>",
                                                          "owner": "priya@example.com"})
        cloud.pump()
        before = len(cloud.sent_mail())
        cloud.fire_until(clock.now() + timedelta(days=40))
        mails = [email.message_from_bytes(m) for m in cloud.sent_mail()[before:]]
        html = [bytes(p.get_payload(decode=True)).decode() for m in mails for p in m.walk()
                if p.get_content_type() == "text/html"]
        escaped = bool(html) and all("<script>" not in h for h in html) and any("&lt;script&gt;" in h for h in html)
        return f"{_status(suite, key)}; {len(html)} emails, markup escaped: {escaped}", escaped
    suite.run("markup in contract data reaches the email", "escaped in every HTML email", markup)

    for label, text, kind in (
        ("impossible date (February 30)", 'SERVICES AGREEMENT\nThis Agreement is made as of February 30, 2025 '
         '(the "Effective Date") between Acme Corp ("Customer") and Beta LLC ("Provider").\n2. Term. The term '
         'begins on the Effective Date and continues for two (2) years.', "impossible_date"),
        ("two contradictory effective dates", 'SERVICES AGREEMENT\nThis Agreement is made as of March 1, 2025 '
         '(the "Effective Date") between Acme Corp ("Customer") and Beta LLC ("Provider").\n3. This Agreement '
         'shall be effective as of April 15, 2025.', "conflicting_dates")):
        def dated(text=text, kind=kind, label=label) -> tuple[str, bool]:
            key = suite.put(f"{kind}.pdf", _pdf_with_text(text))
            cloud.pump()
            contract = suite.contract_of(key)
            extracted = contract.extracted if contract else None
            flags = [a for a in (extracted.attention if extracted else []) if a["kind"] == kind]
            effective = extracted.value("effective_date") if extracted else None
            return (f"effective_date {effective}; flagged {kind} with {len(flags[0]['candidates']) if flags else 0} "
                    f"candidate(s)"), bool(flags) and effective is None
        suite.run(label, "no date guessed; flagged with candidates", dated)

    def twice() -> tuple[str, bool]:
        sqs = client("sqs")
        url = sqs.get_queue_url(QueueName=config.INGEST_QUEUE)["QueueUrl"]
        key = suite.put("twice.pdf", variant(saas, 30))
        # the S3 notification twice, and the same upload's notification again after it was processed
        (message,) = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1, VisibilityTimeout=0)["Messages"]
        sqs.send_message(QueueUrl=url, MessageBody=message["Body"])
        text_url = sqs.get_queue_url(QueueName=config.TEXTRACT_QUEUE)["QueueUrl"]
        cloud._drain_queue(config.INGEST_QUEUE)
        for m in sqs.receive_message(QueueUrl=text_url, MaxNumberOfMessages=10, VisibilityTimeout=0).get("Messages", []):
            sqs.send_message(QueueUrl=text_url, MessageBody=m["Body"])  # the completion twice
        cloud.pump()
        sqs.send_message(QueueUrl=url, MessageBody=message["Body"])  # late duplicate
        cloud.pump()
        invoke("planner", {"sweep": True})
        invoke("planner", {"sweep": True})  # the sweep twice
        cloud.pump()
        contracts = [c for c in repo.list_contracts() if c.sha256 and c.source_key == key]
        cloud.fire_until(clock.now() + timedelta(days=120))
        dup = suite.duplicate_emails()
        return f"{len(contracts)} contract, {_status(suite, key)}, {dup} duplicate emails", len(contracts) == 1 and dup == 0
    suite.run("every S3/SQS/SNS event and the sweep delivered twice", "one contract, one email per reminder", twice)

    def crash_once() -> tuple[str, bool]:
        from ..pipeline import intake

        real, calls = intake.validate_pdf, []

        def flaky(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("injected crash in ingest")
            return real(*args, **kwargs)

        with mock.patch.object(intake, "validate_pdf", flaky):
            key = suite.put("crash.pdf", variant(nda, 40))
            cloud.pump()
        return f"{_status(suite, key)} after {len(calls)} deliveries", _status(suite, key) == "EXTRACTED"
    suite.run("ingest crashes once (before recording)", "redelivery repairs it: EXTRACTED", crash_once)

    def throttled() -> tuple[str, bool]:
        from ..aws import textract

        real, calls = textract.OfflineTextract.start_document_text_detection, []

        def throttle(self, **kwargs):
            calls.append(1)
            if len(calls) <= 2:
                raise ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                             "Message": "Rate exceeded"}}, "StartDocumentTextDetection")
            return real(self, **kwargs)

        with mock.patch.object(textract.OfflineTextract, "start_document_text_detection", throttle):
            key = suite.put("throttled.pdf", variant(nda, 41))
            cloud.pump()
        return f"{_status(suite, key)} after {len(calls)} start attempts", _status(suite, key) == "EXTRACTED"
    suite.run("Textract throttles twice", "retried by redelivery: EXTRACTED", throttled)

    def lost_completion() -> tuple[str, bool]:
        sqs = client("sqs")
        key = suite.put("lost-completion.pdf", variant(nda, 42))
        cloud._drain_queue(config.INGEST_QUEUE)
        sqs.purge_queue(QueueUrl=sqs.get_queue_url(QueueName=config.TEXTRACT_QUEUE)["QueueUrl"])
        before = _status(suite, key)
        clock.set_now(clock.now() + timedelta(hours=3))
        invoke("planner", {"sweep": True})
        cloud.pump()
        return f"{before} -> {_status(suite, key)} by the sweep", _status(suite, key) == "EXTRACTED"
    suite.run("Textract completion message lost", "the sweep asks the job and finishes it", lost_completion)

    def ses_throttled() -> tuple[str, bool]:
        from ..config import Settings
        from ..pipeline import reminders

        key = suite.put("ses.pdf", variant(saas, 43), {"owner": "priya@example.com"})
        cloud.pump()
        schedule = cloud.schedules()[0]
        payload = json.loads(schedule["Target"]["Input"])
        real, calls = reminders.send_email, []

        def throttle(message):
            calls.append(1)
            if len(calls) == 1:
                raise ClientError({"Error": {"Code": "Throttling", "Message": "Maximum sending rate exceeded"}},
                                  "SendRawEmail")
            return real(message)

        before = len(cloud.sent_mail())
        outcomes = []
        with mock.patch.object(reminders, "send_email", throttle):
            for _ in range(3):  # Scheduler's retry after the throttle, then a duplicate delivery
                try:
                    outcomes.append(reminders.send_alert(Settings.from_env(), payload).reason)
                except ClientError as exc:
                    outcomes.append(exc.response["Error"]["Code"])
        sent = len(cloud.sent_mail()) - before
        return f"{_status(suite, key)}; {' / '.join(o.split(':')[0] for o in outcomes)}; sent {sent}", sent == 1
    suite.run("SES throttles the first send", "retried, sent exactly once", ses_throttled)


def _stream_record(contract_id: str, sk: str, sequence: str) -> dict:
    """A DynamoDB stream record of one of a contract's items, as Lambda delivers it."""
    from .. import schema

    return {"eventName": "MODIFY", "eventSource": "aws:dynamodb",
            "dynamodb": {"Keys": {schema.PARTITION_KEY: {"S": schema.contract_pk(contract_id)},
                                  schema.SORT_KEY: {"S": sk}}, "SequenceNumber": sequence}}


def _throttle(operation: str) -> ClientError:
    return ClientError({"Error": {"Code": "ProvisionedThroughputExceededException",
                                  "Message": "The level of configured provisioned throughput for the table was "
                                             "exceeded."}}, operation)


def _once(real: Callable, error: Callable[[], Exception], when: Callable[..., bool] = lambda *a, **k: True,
          calls: list | None = None) -> Callable:
    """``real`` that raises ``error()`` the first time ``when(*args)`` holds, then behaves."""
    state = {"raised": False}

    def wrapper(*args, **kwargs):
        if calls is not None:
            calls.append(1)
        if not state["raised"] and when(*args, **kwargs):
            state["raised"] = True
            raise error()
        return real(*args, **kwargs)
    return wrapper


def fault_scenarios(suite: Suite) -> None:
    """Out-of-order delivery, DynamoDB faults, a failed Textract job and crashes between the steps
    of planning and alerting (issue #13 section 4)."""
    from .. import schema
    from ..aws import scheduler
    from ..pipeline import actions, reminders

    cloud = suite.cloud
    nda = SAMPLES / "mutual-nda.pdf"
    saas = SAMPLES / "saas-subscription-northwind.pdf"

    def names_of(contract_id: str) -> set[str]:
        return {s["Name"] for s in cloud.schedules() if contract_id in s["Name"]}

    def obligations_of(contract_id: str) -> set[str]:
        return {json.loads(s["Target"]["Input"]).get("obligation_id") for s in cloud.schedules()
                if contract_id in s["Name"]} - {None}

    def stream_out_of_order() -> tuple[str, bool]:
        key = suite.put("out-of-order.pdf", variant(saas, 50), {"owner": "priya@example.com"})
        cloud.pump()
        contract = suite.contract_of(key)
        assert contract is not None
        before = names_of(contract.contract_id)
        open_items = [o for o in repo.obligations(contract.contract_id) if o.status == "open"]
        waived = next(o for o in open_items if o.obligation_id in obligations_of(contract.contract_id))
        actions.waive_obligation(contract.contract_id, waived.obligation_id, actor="ops@example.com",
                                 reason="reliability: settled another way")
        cloud.pump()
        after = names_of(contract.contract_id)
        # the batch Lambda would deliver, newest first and each record twice (older images after newer)
        records = [_stream_record(contract.contract_id, sk, str(n)) for n, sk in enumerate(
            [schema.obligation_sk(o.obligation_id) for o in reversed(open_items)] + [schema.CONTRACT_SK])]
        failures = invoke("planner", {"Records": records + list(reversed(records))}).get("batchItemFailures")
        again = names_of(contract.contract_id)
        ok = (not failures and again == after and after != before
              and waived.obligation_id not in obligations_of(contract.contract_id))
        return (f"{len(before)} schedules -> {len(after)} after a duty was waived; replayed out of order and twice: "
                f"{len(again)}"), ok
    suite.run("stream records out of order and twice", "the plan follows the table, not the order", stream_out_of_order)

    def stale_reminder() -> tuple[str, bool]:
        key = suite.put("stale.pdf", variant(saas, 51), {"owner": "priya@example.com"})
        cloud.pump()
        contract = suite.contract_of(key)
        assert contract is not None
        schedule = min((s for s in cloud.schedules() if contract.contract_id in s["Name"]),
                       key=lambda s: s["ScheduleExpression"])
        payload = json.loads(schedule["Target"]["Input"])
        obligation = repo.get_obligation(contract.contract_id, payload["obligation_id"])
        assert obligation is not None
        actions.waive_obligation(contract.contract_id, obligation.obligation_id, actor="ops@example.com",
                                 reason="settled early")
        before = len(cloud.sent_mail())
        invoke("alert", payload)  # the schedule deleted by the re-plan had already fired: it arrives late
        sent = len(cloud.sent_mail()) - before
        return f"duty waived, then its old reminder arrives: {sent} emails", sent == 0
    suite.run("a reminder arrives after its duty was settled", "suppressed: no email", stale_reminder)

    def ddb_throttles_ingest() -> tuple[str, bool]:
        from pynamodb.connection.base import Connection

        calls: list[int] = []
        flaky = _once(Connection.put_item, lambda: _throttle("PutItem"), calls=calls)
        with mock.patch.object(Connection, "put_item", flaky):
            key = suite.put("ddb-throttle.pdf", variant(nda, 52))
            cloud.pump()
        contracts = [c for c in repo.list_contracts() if c.source_key == key]
        status = contracts[0].status if contracts else "missing"
        return f"{len(contracts)} contract, {status}", len(contracts) == 1 and status == "EXTRACTED"
    suite.run("DynamoDB throttles ingest's first write", "redelivered: one contract, EXTRACTED", ddb_throttles_ingest)

    def ddb_throttles_alert_claim() -> tuple[str, bool]:
        from ..config import Settings

        key = suite.put("claim-throttle.pdf", variant(saas, 53), {"owner": "priya@example.com"})
        cloud.pump()
        contract = suite.contract_of(key)
        assert contract is not None
        payload = json.loads(next(s for s in cloud.schedules() if contract.contract_id in s["Name"])["Target"]["Input"])
        before, outcomes = len(cloud.sent_mail()), []
        # the claim: the reminder's SENT# item, a conditional put before SES is called
        flaky = _once(reminders._claim, lambda: _throttle("PutItem"))
        with mock.patch.object(reminders, "_claim", flaky):
            for _ in range(3):  # Scheduler retries the throttled one; then a duplicate delivery
                try:
                    outcomes.append(reminders.send_alert(Settings.from_env(), payload).reason.split(":")[0])
                except ClientError as exc:
                    outcomes.append(exc.response["Error"]["Code"])
        sent = len(cloud.sent_mail()) - before
        throttled = outcomes[:1] == ["ProvisionedThroughputExceededException"]
        return f"{' / '.join(outcomes)}; sent {sent}", throttled and sent == 1
    suite.run("DynamoDB throttles the alert's claim", "retried, sent exactly once", ddb_throttles_alert_claim)

    def alert_crash_after_send() -> tuple[str, bool]:
        from ..config import Settings

        key = suite.put("alert-crash.pdf", variant(saas, 54), {"owner": "priya@example.com"})
        cloud.pump()
        contract = suite.contract_of(key)
        assert contract is not None
        payload = json.loads(next(s for s in cloud.schedules() if contract.contract_id in s["Name"])["Target"]["Input"])
        before, outcomes = len(cloud.sent_mail()), []
        crash = _once(repo.record_audit, lambda: RuntimeError("injected crash after SES accepted the email"),
                      when=lambda contract_id, actor, action, *a, **k: action == reminders.ALERT_SENT)
        with mock.patch.object(repo, "record_audit", crash):
            for _ in range(2):  # the crashed invocation is retried by Scheduler
                try:
                    outcomes.append(reminders.send_alert(Settings.from_env(), payload).reason.split(":")[0])
                except RuntimeError as exc:
                    outcomes.append(f"crash ({exc})"[:30])
        sent = len(cloud.sent_mail()) - before
        return f"{' / '.join(outcomes)}; sent {sent}", sent == 1
    suite.run("alert crashes after SES accepted, before its record", "the retry sends nothing more",
              alert_crash_after_send)

    def planner_crash() -> tuple[str, bool]:
        calls: list[int] = []
        crashed: list[int] = []  # the schedules created before the crash

        def crash_error() -> Exception:
            crashed.append(len(calls) - 1)
            return RuntimeError("injected crash between two schedules")

        crash = _once(scheduler.create_schedule, crash_error, when=lambda *a, **k: len(calls) == 2, calls=calls)
        failures_before = len(cloud.failures)
        with mock.patch.object(scheduler, "create_schedule", crash):
            key = suite.put("planner-crash.pdf", variant(saas, 55))
            cloud.pump()  # the failed stream batch is retried from its failed record, as Lambda does
        contract = suite.contract_of(key)
        assert contract is not None
        retried = names_of(contract.contract_id)
        invoke("planner", {"sweep": True})
        swept = names_of(contract.contract_id)
        given_up = cloud.failures[failures_before:]
        ok = bool(crashed) and bool(retried) and retried == swept and not given_up
        return (f"{crashed[0] if crashed else 'no'} schedule(s), crash; the stream's retry -> {len(retried)}; "
                f"the sweep finds none missing; given up {len(given_up)}"), ok
    suite.run("planner crashes between two schedules", "the pump's stream retry completes the plan, no duplicate",
              planner_crash)

    def textract_failed() -> tuple[str, bool]:
        from ..aws import textract
        from ..config import Settings
        from ..pipeline import recovery

        failing = _once(textract.OfflineTextract._store_result,
                        lambda: _JobFailed("InternalServerError: the text job failed; try again"))

        def store(self, job_id, pdf):
            try:
                return failing(self, job_id, pdf)
            except _JobFailed as exc:
                return {"JobStatus": "FAILED", "StatusMessage": str(exc)}

        with mock.patch.object(textract.OfflineTextract, "_store_result", store):
            key = suite.put("textract-failed.pdf", variant(nda, 56))
            cloud.pump()
        contract = suite.contract_of(key)
        assert contract is not None
        failed = f"{contract.status}: {(contract.status_reason or '')[:40]}"
        recovery.retry_contract(Settings.from_env(), contract.contract_id, actor="ops@example.com")
        cloud.pump()
        after = _status(suite, key)
        return f"{failed} -> retried -> {after}", contract.status == "FAILED" and after == "EXTRACTED"
    suite.run("Textract job fails (InternalServerError)", "FAILED with the reason; a retry extracts it",
              textract_failed)


    def thousand_pages() -> tuple[str, bool]:
        import resource
        import time

        from fpdf import FPDF

        pdf = FPDF()
        pdf.set_font("Helvetica", size=10)
        pdf.add_page()
        pdf.multi_cell(0, 5, 'MASTER SERVICES AGREEMENT\nThis Agreement is made as of March 1, 2026 (the "Effective '
                             'Date") between Acme Corp ("Customer") and Beta LLC ("Provider").\n2. Term. The term '
                             'begins on the Effective Date and continues for three (3) years.')
        for n in range(2, 1001):
            pdf.add_page()
            pdf.multi_cell(0, 5, f"Schedule {n}. " + "The Provider shall perform the Services described in the "
                                 "applicable Statement of Work with due care and skill. " * 12)
        body = bytes(pdf.output())
        started, peak_before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        key = suite.put("thousand-pages.pdf", body)
        cloud.pump()
        seconds = time.monotonic() - started
        grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
        contract = suite.contract_of(key)
        status = contract.status if contract else "missing"
        reason = (contract.status_reason or "")[:40] if contract else ""
        ok = status == "EXTRACTED" or (status == "FAILED" and bool(reason))
        return (f"{status}{': ' + reason if reason else ''} in {seconds:.0f} s; this process grew "
                f"{grew_mb:.0f} MB (text runs in a budgeted child)"), ok
    suite.run("bad upload: a 1,000-page PDF", "processed within the budget, or FAILED with the reason",
              thousand_pages)


class _JobFailed(Exception):
    pass


def table(rows: list[Row]) -> str:
    from .report import table as render

    return render([[r.scenario, r.expected, r.actual, "ok" if r.ok else "FAIL"] for r in rows],
                  ["scenario", "expected", "actual", "result"], max_width={0: 52, 1: 44, 2: 70})


def main(argv: list[str] | None = None) -> int:
    from .. import observability
    from .cloud import LocalCloud

    started = clock.simulated()
    cloud = LocalCloud().start()
    observability.set_level(40)  # ERROR: the table tells the story
    clock.set_now(NOW)
    try:
        suite = Suite(cloud)
        if "--faults-only" not in (argv or []):  # the quick run: only fault_scenarios
            scenarios(suite)
        fault_scenarios(suite)
        lost = suite.lost()
        duplicates = suite.duplicate_emails()
    finally:
        cloud.stop()
        clock.set_now(started)
    print(table(suite.rows))
    for key in lost:
        print(f"LOST: {key}")
    failed = [r for r in suite.rows if not r.ok]
    print(f"\n{len(suite.rows) - len(failed)}/{len(suite.rows)} scenarios as expected; "
          f"{len(suite.uploaded)} uploads")
    print(f"lost uploads: {len(lost)}, duplicate emails: {duplicates}")
    return 1 if failed or lost or duplicates else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
