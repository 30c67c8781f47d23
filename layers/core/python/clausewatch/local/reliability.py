"""`make reliability`: bad input, duplicate delivery and injected faults on the embedded default,
as a table (scenario, expected, actual, uploads lost, duplicate emails), ending with the line
``lost uploads: N, duplicate emails: M``. Exit status 1 when a scenario fails or anything is lost
or sent twice.

An upload is lost when nothing records it: no contract names it as its source, no audit event
(a duplicate, a quarantine) mentions its key, and it is not waiting in the inbox. A duplicate email
is a second SES send of the same reminder (X-Clausewatch-Reminder).
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
        names = Counter(email.message_from_bytes(raw).get("X-Clausewatch-Reminder")
                        for raw in self.cloud.sent_mail())
        return sum(n - 1 for name, n in names.items() if name and n > 1)


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
        cloud._drain_queue(config.INGEST_QUEUE, "ingest")
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
        cloud._drain_queue(config.INGEST_QUEUE, "ingest")
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
        scenarios(suite)
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
