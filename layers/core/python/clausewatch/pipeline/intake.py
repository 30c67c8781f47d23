"""Ingest: validate an uploaded PDF, dedupe by content, record it, start text detection.

Every step is ordered so that a crash at any point is repaired by the redelivery of the same
notification (S3 delivers at least once and SQS retries): nothing irreversible happens before the
state that explains it is recorded, and the inbox object is deleted last, by exact version.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.data_classes import S3Event

from .. import clock, config, dates
from ..addresses import InvalidAddress, allowed_domains_from_env, parse_one_address
from ..aws import s3
from ..aws.textract import start_text_detection
from ..config import Settings
from ..schema import ContractStatus
from ..store import repository as repo
from ..store.models import ContractItem
from ..text.validate import InvalidDocument, sha256_hex, too_large_reason, validate_pdf

log = logging.getLogger(__name__)
ACTOR = "ingest"


@dataclass(frozen=True)
class Upload:
    """One object-created record of an S3 event notification."""

    bucket: str
    key: str
    version_id: str | None = None


@dataclass(frozen=True)
class IngestOutcome:
    status: str  # "accepted" | "duplicate" | "quarantined" | "resumed" | "gone" | "ignored"
    contract_id: str | None = None
    reason: str | None = None


def contract_id_for(sha256: str) -> str:
    """Contracts are named by their content: the same bytes are the same contract."""
    return sha256[:16]


def team_contract_id(sha256: str, team: str) -> tuple[str, str]:
    """The contract an upload of these bytes by ``team`` is, and the key its content hash is claimed
    under: the content's id (``contract_id_for``), unless another team holds a contract of the same
    bytes; then one of the team's own (named by content and team, claimed under ``<hash>/<team>``),
    so the same PDF uploaded by two teams is two contracts, each seen by its own team only (never
    the second upload deleted as a duplicate of a contract its team cannot see, nor audited on the
    other team's trail). The same once the other team deleted theirs: the deletion's marker
    (``repo.gone_team``) names that team, so the id and its trail stay theirs, never read by the team
    uploading the bytes next (a contract deleted before 2026-12-06 gets its marker from the operator's
    upgrade, ``repo.mark_old_deletions``; until then its id is taken as before). A team that has its own claim keeps it (its copy again, or a redelivered
    message, after the other team deleted theirs: the same contract, never a second one)."""
    own_key = f"{sha256}/{team}"
    own = repo.upload_hash_holder(own_key)
    if own is not None:
        return own, own_key
    contract_id = contract_id_for(sha256)
    existing = repo.get_contract(contract_id)
    # a deleted contract's id (and trail) stays its team's: its deletion left a marker naming the team
    holder = existing.team if existing is not None else repo.gone_team(contract_id)
    if holder is None or holder == team:
        return contract_id, sha256
    return _own_contract_id(sha256, team), own_key


def _own_contract_id(sha256: str, team: str) -> str:
    return contract_id_for(sha256_hex(f"{sha256}\0{team}".encode()))


def uploads_in_s3_event(event: S3Event) -> list[Upload]:
    """The object-created records of an S3 event notification, keys URL-decoded as S3 encodes them.

    S3 sends an ``s3:TestEvent`` when a notification is configured; it has no records.
    """
    if not event.get("Records"):
        return []
    return [Upload(record.s3.bucket.name, unquote_plus(record.s3.get_object.key),
                   record.s3.get_object.version_id)
            for record in event.records if record.event_name.startswith("ObjectCreated")]


def normalise_metadata(raw: dict[str, str], *, refusing: bool = False) -> tuple[dict[str, str], list[str]]:
    """The uploader's metadata we keep (known keys, lower-cased) and notes on what was refused:
    an unknown time zone or holiday calendar would break every date computed later; an ``owner``
    that is not exactly one valid address (or is outside the allowed recipient domains) would
    send the contract's alerts elsewhere; a value with a line break is refused whatever its key.
    Values S3 carries RFC 2047-encoded (non-ASCII: ``s3.metadata_value``, as the API's upload and
    the drop folder send them) are decoded; a value S3 could not carry at all (not valid Unicode
    text) is refused.
    Notes the uploader's side already made (``intake-notes``, the drop folder's) are kept.
    ``refusing``: the caller refuses the request on any note (the API's upload), so each says what
    to send instead, not the default an ingest would use."""
    lowered = {k.lower(): s3.metadata_text(v) for k, v in raw.items()}
    notes = [n for n in lowered.pop(INTAKE_NOTES_KEY, "").split(" | ") if n]
    for key in config.UPLOAD_METADATA_KEYS:
        refusal = _unstorable(lowered.get(key, ""))
        if refusal:
            notes.append(f"{key} refused: {refusal}")
            lowered.pop(key)
    lowered = {k: v.strip() for k, v in lowered.items()}
    kept = {k: lowered[k] for k in config.UPLOAD_METADATA_KEYS if lowered.get(k)}
    if "owner" in kept:
        try:
            kept["owner"] = parse_one_address(kept["owner"], allowed_domains_from_env())
        except InvalidAddress as exc:
            notes.append(f"owner {kept.pop('owner')!r} refused: {exc}"
                         + ("" if refusing else "; alerts go to the default owner"))
    if "time-zone" in kept and not dates.is_place_time_zone(kept["time-zone"]):
        named = kept.pop("time-zone")
        notes.append((f"time-zone {named!r} is not a region/city name but an alias, an abbreviation (one "
                      "offset all year), this machine's own zone or a file path: "
                      if dates.is_time_zone(named) else f"unknown time-zone {named!r}: ")
                     + ("use an IANA time zone name such as America/New_York or Europe/London" if refusing
                        else f"using {config.DEFAULT_TIME_ZONE}"))
    if "jurisdiction" in kept:
        kept["jurisdiction"] = dates.jurisdiction_spelling(kept["jurisdiction"]) or ""  # "us-ny" is US-NY
        try:  # its holiday calendar (is_business_day would not look on a weekend)
            dates.holiday_name(clock.now().date(), kept["jurisdiction"])
        except ValueError:
            notes.append(f"unknown jurisdiction {kept.pop('jurisdiction')!r}: "
                         + ("use a country code or a country and subdivision for its holidays, such as US, "
                            "US-NY, GB-ENG or DE-BY" if refusing
                            else f"using the governing law or {config.DEFAULT_JURISDICTION}"))
    return kept, notes


# the drop folder's notes on values it refused before the upload (S3 metadata, " | "-separated)
INTAKE_NOTES_KEY = "intake-notes"


def _unstorable(value: str) -> str | None:
    """Why S3 metadata cannot carry ``value`` safely, or None: a line break (a header injection), or
    text that is not valid Unicode (nothing to encode)."""
    if any(ch in value for ch in "\r\n\0"):
        return "it contains a line break"
    try:
        s3.metadata_value(value)
    except s3.UnstorableMetadata as exc:
        return str(exc)
    return None


def ingest_upload(settings: Settings, upload: Upload) -> IngestOutcome:
    """Take one object from inbox/ through validation into the pipeline (idempotent)."""
    bucket, key, version = upload.bucket, upload.key, upload.version_id
    if not key.startswith(config.INBOX_PREFIX) or key.endswith("/"):
        return IngestOutcome("ignored", reason=f"{key} is not an upload under {config.INBOX_PREFIX}")
    info = s3.head_object(bucket, key, version)
    if info is None:  # already handled by an earlier delivery of the same notification
        return IngestOutcome("gone", reason=f"{key} no longer in the inbox")
    version = version or info.version_id
    metadata, notes = normalise_metadata(info.metadata)
    if info.size > config.MAX_PDF_BYTES:  # refused before reading it into memory
        contract_id = contract_id_for(sha256_hex(f"{key}\0{info.etag}\0{version}".encode()))
        error = InvalidDocument("too_large", too_large_reason(info.size, config.MAX_PDF_BYTES))
        quarantine(upload, info.size, metadata, contract_id, None, error, notes)
        return IngestOutcome("quarantined", contract_id, error.reason)
    stored = s3.get_object(bucket, key, version)
    if stored is None:
        return IngestOutcome("gone", reason=f"{key} no longer in the inbox")
    sha256 = sha256_hex(stored.body)
    contract_id, hash_key = team_contract_id(sha256, metadata.get("team") or config.DEFAULT_TEAM)
    try:
        pdf = validate_pdf(stored.body, max_bytes=config.MAX_PDF_BYTES)
    except InvalidDocument as exc:
        contract_id = quarantine_id(contract_id, sha256, key)
        quarantine(upload, len(stored.body), metadata, contract_id, sha256, exc, notes)
        return IngestOutcome("quarantined", contract_id, exc.reason)

    team = metadata.get("team") or config.DEFAULT_TEAM
    holder = repo.claim_upload_hash(hash_key, contract_id, key)
    contract = repo.get_contract(contract_id)
    if contract is not None and contract.team != team:  # another team's copy, recorded meanwhile
        contract_id, hash_key = _own_contract_id(sha256, team), f"{sha256}/{team}"
        holder = repo.claim_upload_hash(hash_key, contract_id, key)
        contract = repo.get_contract(contract_id)
    same_upload = contract is not None and (contract.source_key, contract.source_version) == (key, version)
    if holder is not None and contract is not None and not same_upload:
        # the same bytes again: one contract, not two; the copy in the inbox is redundant
        repo.record_audit(contract_id, ACTOR, "upload.duplicate",
                          {"source_key": key, "file_name": config.upload_file_name(key),
                           "version": version, "sha256": sha256})
        s3.delete_object(bucket, key, version)
        return IngestOutcome("duplicate", contract_id, f"same content as contract {contract_id}")

    resumed = contract is not None
    if contract is None:
        contract = repo.create_contract(
            contract_id, file_name=config.upload_file_name(key), source_key=key, sha256=sha256,
            size_bytes=len(stored.body), metadata=metadata, source_version=version, actor=ACTOR,
            notes=notes)
    if contract.status == ContractStatus.RECEIVED:
        original = config.original_key(contract_id)
        s3.copy_object(bucket, key, original, version)
        job_id = start_text_detection(settings, contract_id, text_job_token(contract), bucket, original)
        repo.update_contract(contract, actor=ACTOR, status=ContractStatus.TEXT_PENDING,
                             detail={"job_id": job_id, "engine": settings.text_engine},
                             page_count=pdf.page_count, original_key=original, text_job_id=job_id,
                             text_engine=settings.text_engine)
    s3.delete_object(bucket, key, version)  # last: everything it explains is recorded
    return IngestOutcome("resumed" if resumed else "accepted", contract_id)


def text_job_token(contract: ContractItem) -> str:
    """Textract's ClientRequestToken: one per receipt of a contract, so a retried start returns the
    same job, while the same document received again (after a delete) gets a new one."""
    stamp = "".join(ch for ch in contract.received_at if ch.isdigit())[:17]
    return f"{contract.contract_id}-{stamp}"


def quarantine_id(contract_id: str, sha256: str, key: str) -> str:
    """The record a bad upload is kept under: its content's id, unless that record already keeps
    the same bytes uploaded under another name; then one of its own (named by content and key), so
    every bad copy is audited and listed with its own file, not folded into the first."""
    existing = repo.get_contract(contract_id)
    if existing is None or existing.source_key == key:
        return contract_id
    return contract_id_for(sha256_hex(f"{sha256}\0{key}".encode()))


def quarantine(upload: Upload, size: int, metadata: dict[str, str], contract_id: str,
               sha256: str | None, error: InvalidDocument, notes: list[str] | None = None) -> None:
    """Keep a bad upload in quarantine/<id>/ with <name>.error.json beside it, record why, and only
    then take it out of the inbox."""
    target = config.quarantine_key(upload.key, contract_id)
    report = {"error": error.code, "reason": error.reason, "source_key": upload.key,
              "source_version": upload.version_id, "quarantined_key": target, "size_bytes": size,
              "sha256": sha256, "metadata": metadata, "contract_id": contract_id, "at": clock.iso()}
    s3.copy_object(upload.bucket, upload.key, target, upload.version_id)
    s3.put_json(upload.bucket, f"{target}.error.json", report)
    contract = repo.get_contract(contract_id) or repo.create_contract(
        contract_id, file_name=config.upload_file_name(upload.key), source_key=upload.key,
        sha256=sha256 or "", size_bytes=size, metadata=metadata, source_version=upload.version_id,
        actor=ACTOR, notes=notes)
    if contract.status == ContractStatus.QUARANTINED and contract.source_version != upload.version_id:
        # the same bad file uploaded again under the same name: audited too, nothing is silent
        repo.record_audit(contract_id, ACTOR, "upload.quarantined_again",
                          {"source_key": upload.key, "version": upload.version_id,
                           "quarantined_key": target, "reason": error.reason})
    if contract.status != ContractStatus.QUARANTINED:
        repo.update_contract(contract, actor=ACTOR, status=ContractStatus.QUARANTINED, reason=error.reason,
                             detail={"error": error.code, "quarantined_key": target},
                             original_key=target)
    s3.delete_object(upload.bucket, upload.key, upload.version_id)
    log.warning("quarantined %s: %s", upload.key, json.dumps(report))
