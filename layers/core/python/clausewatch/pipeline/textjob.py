"""Text detection finished: fetch every result page, store the text, extract the terms."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from .. import config
from ..aws import s3
from ..aws.textract import text_client
from ..config import Settings
from ..schema import ContractStatus
from ..store import repository as repo
from ..text.budget import TERMS_BUDGET, run_with_budget
from ..text.model import DocumentText
from ..text.textract import TextractJobFailed, read_text_job
from .record import record_extraction, settle_extracted
from .recovery import TRANSIENT_PREFIX

log = logging.getLogger(__name__)
ACTOR = "textract_done"


class NotReadyYet(RuntimeError):
    """The message arrived before the state it depends on; retry it later."""


@dataclass(frozen=True)
class TextJobOutcome:
    contract_id: str | None
    status: str
    reason: str | None = None


def complete_text_job(settings: Settings, notification: dict) -> TextJobOutcome:
    """Handle Textract's completion message (the SNS ``Message``: JobId, Status, JobTag, ...)."""
    contract_id = notification.get("JobTag")
    job_id = notification["JobId"]
    contract = repo.get_contract(contract_id) if contract_id else None
    if contract is None:
        log.warning("text job %s for unknown contract %r: ignored", job_id, contract_id)
        return TextJobOutcome(contract_id, "ignored", "unknown contract")
    if contract.status == ContractStatus.RECEIVED:
        # ingest started the job but has not recorded it yet (or crashed and will be redelivered):
        # fail this message so SQS brings it back after ingest caught up
        raise NotReadyYet(f"contract {contract_id} is still RECEIVED; job {job_id} completed early")
    if contract.text_job_id and contract.text_job_id != job_id:
        return TextJobOutcome(contract_id, "ignored", f"stale job {job_id}")
    if contract.status == ContractStatus.EXTRACTED:
        # redelivered: the invocation that wrote EXTRACTED may have failed after it; what follows
        # that write runs again (idempotent)
        settle_extracted(contract, actor=ACTOR)
        return TextJobOutcome(contract_id, contract.status, "already processed")
    if contract.status not in (ContractStatus.TEXT_PENDING, ContractStatus.TEXT_READY):
        return TextJobOutcome(contract_id, contract.status, "already processed")

    engine = "local" if settings.text_engine == "local" else "textract"
    try:  # parsed page of results by page of results: memory follows the page, not the document
        document = read_text_job(text_client(settings), job_id, engine, config.TEXTRACT_PAGE_SIZE)
    except TextractJobFailed as exc:
        reason = f"text detection {exc.status}: {exc.message}"
        if exc.transient:  # FAILED, not left TEXT_PENDING for the sweep to fail on every day
            reason = f"{TRANSIENT_PREFIX}{reason}; retry it"
        repo.update_contract(contract, actor=ACTOR, status=ContractStatus.FAILED, reason=reason,
                             detail={"job_id": job_id})
        return TextJobOutcome(contract_id, ContractStatus.FAILED, reason)

    key = config.text_key(contract.contract_id)
    s3.put_json(settings.bucket, key, {"contract_id": contract_id, "job_id": job_id,
                                       **document.to_dict()})
    repo.update_contract(contract, actor=ACTOR, status=ContractStatus.TEXT_READY,
                         detail={"text_key": key, "pages": len(document.pages)},
                         text_key=key, page_count=len(document.pages))
    return extract_stored_text(settings, contract.contract_id, document)


def extract_stored_text(settings: Settings, contract_id: str,
                        document: DocumentText | None = None) -> TextJobOutcome:
    """Extract terms and obligations from a contract's stored text (re-runnable)."""
    contract = repo.get_contract(contract_id)
    if contract is None:
        raise LookupError(f"no contract {contract_id!r}")
    if document is None:
        stored = s3.get_json(settings.bucket, config.text_key(contract_id))
        if stored is None:
            raise LookupError(f"no stored text for contract {contract_id!r}")
        document = DocumentText.from_dict(stored)
    from ..extract import extract_contract
    from ..extract.title import document_title

    try:
        extraction = run_with_budget(extract_contract, document.page_texts, source=contract.file_name,
                                     seconds=TERMS_BUDGET.seconds, memory_mb=TERMS_BUDGET.memory_mb,
                                     step="term extraction")
        extraction.title = extraction.title or document_title(document.page_texts)
    except Exception as exc:  # a bug in one rule must not lose the contract: record it, keep the text
        log.exception("extraction failed for %s", contract_id)
        reason = f"term extraction failed: {type(exc).__name__}: {exc}"
        repo.update_contract(contract, actor=ACTOR, status=ContractStatus.FAILED, reason=reason)
        return TextJobOutcome(contract_id, ContractStatus.FAILED, reason)
    record_extraction(contract, extraction, actor=ACTOR)
    return TextJobOutcome(contract_id, ContractStatus.EXTRACTED)
