"""Ingest: validate an uploaded PDF, dedupe by content, record it, start text detection."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import unquote_plus

from .. import clock, config
from ..aws import s3
from ..aws.textract import start_text_detection
from ..config import Settings
from ..store import repository as repo
from ..text.validate import InvalidDocument, sha256_hex, validate_pdf

log = logging.getLogger(__name__)
ACTOR = "ingest"


@dataclass(frozen=True)
class IngestOutcome:
    status: str  # "accepted" | "duplicate" | "quarantined" | "resumed" | "gone" | "ignored"
    contract_id: str | None = None
    reason: str | None = None


def contract_id_for(sha256: str) -> str:
    """Contracts are named by their content: the same bytes are the same contract."""
    return sha256[:16]


def uploads_in_s3_event(body: dict) -> list[tuple[str, str]]:
    """(bucket, key) of each object-created record in an S3 event notification body.

    S3 sends an ``s3:TestEvent`` when a notification is configured; it has no records.
    """
    out = []
    for record in body.get("Records") or []:
        if not str(record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        out.append((record["s3"]["bucket"]["name"], unquote_plus(record["s3"]["object"]["key"])))
    return out


def _metadata(raw: dict[str, str]) -> dict[str, str]:
    """The uploader's metadata we keep (lower-cased keys, known names only)."""
    lowered = {k.lower(): v for k, v in raw.items()}
    return {k: lowered[k] for k in config.UPLOAD_METADATA_KEYS if lowered.get(k)}


def ingest_upload(settings: Settings, bucket: str, key: str) -> IngestOutcome:
    """Take one object from inbox/ through validation into the pipeline. Idempotent: S3 delivers
    at least once and SQS retries, so every step tolerates having been done before."""
    if not key.startswith(config.INBOX_PREFIX) or key.endswith("/"):
        return IngestOutcome("ignored", reason=f"{key} is not an upload under {config.INBOX_PREFIX}")
    stored = s3.get_object(bucket, key)
    if stored is None:  # already moved by an earlier delivery of the same notification
        return IngestOutcome("gone", reason=f"{key} no longer in the inbox")
    file_name = key[len(config.INBOX_PREFIX):]
    metadata = _metadata(stored.metadata)
    sha256 = sha256_hex(stored.body)
    contract_id = contract_id_for(sha256)
    try:
        info = validate_pdf(stored.body, max_bytes=config.MAX_PDF_BYTES)
    except InvalidDocument as exc:
        quarantine(settings, bucket, key, stored.body, metadata, contract_id, sha256, exc)
        return IngestOutcome("quarantined", contract_id, exc.reason)

    holder = repo.claim_upload_hash(sha256, contract_id, key)
    contract = repo.get_contract(contract_id)
    if holder is not None and contract is not None and contract.status != repo.RECEIVED:
        # the same bytes again: one contract, not two; the copy in the inbox is redundant
        repo.record_audit(contract_id, ACTOR, "upload.duplicate",
                          {"source_key": key, "file_name": file_name, "sha256": sha256})
        s3.delete_object(bucket, key)
        return IngestOutcome("duplicate", contract_id, f"same content as contract {contract_id}")

    resumed = contract is not None
    if contract is None:
        contract = repo.create_contract(contract_id, file_name=file_name, source_key=key,
                                        sha256=sha256, size_bytes=len(stored.body),
                                        metadata=metadata, actor=ACTOR)
    original = config.original_key(contract_id)
    s3.move_object(bucket, key, original)
    job_id = start_text_detection(settings, contract_id, bucket, original)
    repo.update_contract(contract, actor=ACTOR, status=repo.TEXT_PENDING,
                         detail={"job_id": job_id, "engine": settings.text_engine},
                         page_count=info.page_count, original_key=original, text_job_id=job_id,
                         text_engine=settings.text_engine)
    return IngestOutcome("resumed" if resumed else "accepted", contract_id)


def quarantine(settings: Settings, bucket: str, key: str, body: bytes, metadata: dict[str, str],
               contract_id: str, sha256: str, error: InvalidDocument) -> None:
    """Move a bad upload to quarantine/ with <name>.error.json beside it, and record why."""
    target = config.quarantine_key(key)
    report = {"error": error.code, "reason": error.reason, "source_key": key, "quarantined_key": target,
              "size_bytes": len(body), "sha256": sha256, "metadata": metadata,
              "contract_id": contract_id, "at": clock.iso()}
    s3.move_object(bucket, key, target)
    s3.put_json(bucket, f"{target}.error.json", report)
    contract = repo.get_contract(contract_id) or repo.create_contract(
        contract_id, file_name=key[len(config.INBOX_PREFIX):], source_key=key, sha256=sha256,
        size_bytes=len(body), metadata=metadata, actor=ACTOR)
    repo.update_contract(contract, actor=ACTOR, status=repo.QUARANTINED, reason=error.reason,
                         detail={"error": error.code, "quarantined_key": target},
                         original_key=target)
    log.warning("quarantined %s: %s", key, json.dumps(report))
