"""Nothing stays stuck, and a transient failure can be retried (issue #13 section 1).

``recover_stuck`` (run by the planner's daily sweep, and by ``clausewatch retry``'s neighbours
locally) finds contracts in a non-final state (RECEIVED, TEXT_PENDING, TEXT_READY) unchanged for
longer than ``STUCK_AFTER`` and settles each with the reason:

- TEXT_PENDING: Textract is asked for the job's status. SUCCEEDED -> the text is read and the
  contract extracted, exactly as the lost completion message would have; FAILED -> FAILED with
  Textract's reason; still IN_PROGRESS after ``GIVE_UP_AFTER`` or unknown to Textract (results
  expire after 7 days) -> FAILED, transient, retryable.
- TEXT_READY: the text is stored; extraction is run again.
- RECEIVED: ingest never recorded its text job -> FAILED, transient, retryable.

``retry_contract`` takes a FAILED contract whose cause is transient (throttling, limits, time-outs,
a stuck job, a crash of the extractor) back through the pipeline: from its stored text when there
is one, else with a new text job (a new ClientRequestToken: the failed job is not returned again).
A contract that failed for a permanent reason (Textract could not read the document) is refused.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from .. import clock
from ..aws import s3
from ..aws.textract import start_text_detection, text_client
from ..config import Settings, text_key
from ..schema import ContractStatus
from ..store import repository as repo
from ..store.models import ContractItem
from .actions import Conflict

log = logging.getLogger(__name__)
ACTOR = "recovery"
STUCK_AFTER = timedelta(hours=2)  # a text job takes minutes; the sweep runs daily
GIVE_UP_AFTER = timedelta(hours=24)  # a job still IN_PROGRESS this long is not coming back
NON_FINAL = (ContractStatus.RECEIVED, ContractStatus.TEXT_PENDING, ContractStatus.TEXT_READY)
TRANSIENT_PREFIX = "transient: "
# words of a failure reason that mark it transient (AWS error codes and messages, our own)
_TRANSIENT_WORDS = ("throttl", "limitexceeded", "limit exceeded", "rate exceeded", "timeout", "timed out",
                    "internalservererror", "internal server error", "serviceunavailable",
                    "service unavailable", "try again", "provisionedthroughputexceeded",
                    "term extraction failed")


class NotRetryable(Conflict):
    """The contract is not FAILED, or failed for a reason a retry cannot change (the API's 409)."""


@dataclass(frozen=True)
class Recovery:
    contract_id: str
    was: str
    now: str
    reason: str


def is_transient(reason: str | None) -> bool:
    text = (reason or "").lower()
    return text.startswith(TRANSIENT_PREFIX) or any(word in text for word in _TRANSIENT_WORDS)


def is_stuck(contract: ContractItem, now: datetime, after: timedelta = STUCK_AFTER) -> bool:
    return contract.status in NON_FINAL and datetime.fromisoformat(contract.updated_at) <= now - after


def _fail(contract: ContractItem, reason: str) -> Recovery:
    was = contract.status
    repo.update_contract(contract, actor=ACTOR, status=ContractStatus.FAILED, reason=reason,
                         detail={"retryable": is_transient(reason)})
    return Recovery(contract.contract_id, was, ContractStatus.FAILED, reason)


def recover_stuck(settings: Settings, now: datetime | None = None,
                  after: timedelta = STUCK_AFTER) -> list[Recovery]:
    """Settle every contract stuck in a non-final state (see the module doc); one that cannot be
    settled now is logged and left for the next sweep, never stops the others."""
    from ..store.work import pending_since

    now = now or clock.now()
    done = []
    # GSI5's PENDING#<shard> partitions: only contracts in a non-final status, oldest change first
    # (no scan: FAILED, QUARANTINED and EXTRACTED contracts and every other item are not read)
    for contract in list(pending_since(clock.iso(now - after) + "$")):  # "$" sorts after "#<id>"
        if not is_stuck(contract, now, after):
            continue
        try:
            done.append(_recover(settings, contract, now))
        except Exception:
            log.exception("recovery of %s failed; left for the next sweep", contract.contract_id)
    for r in done:
        log.warning("recovered %s: %s -> %s (%s)", r.contract_id, r.was, r.now, r.reason)
    return done


def _recover(settings: Settings, contract: ContractItem, now: datetime) -> Recovery:
    from .textjob import complete_text_job, extract_stored_text

    since = contract.updated_at[:16]
    if contract.status == ContractStatus.RECEIVED:
        return _fail(contract, f"{TRANSIENT_PREFIX}ingest did not finish (RECEIVED since {since}); retry it")
    if contract.status == ContractStatus.TEXT_READY:
        outcome = extract_stored_text(settings, contract.contract_id)
        return Recovery(contract.contract_id, ContractStatus.TEXT_READY, outcome.status,
                        outcome.reason or "extraction re-run from the stored text")
    job_id = contract.text_job_id
    if not job_id:
        return _fail(contract, f"{TRANSIENT_PREFIX}TEXT_PENDING since {since} without a text job; retry it")
    try:
        status = text_client(settings).get_document_text_detection(JobId=job_id, MaxResults=1)["JobStatus"]
    except Exception as exc:
        return _fail(contract, f"{TRANSIENT_PREFIX}text job {job_id} unknown to text detection "
                               f"({type(exc).__name__}: {exc}); retry it")
    if status in ("SUCCEEDED", "FAILED", "PARTIAL_SUCCESS"):
        # the completion message was lost: do what it would have done
        outcome = complete_text_job(settings, {"JobId": job_id, "JobTag": contract.contract_id,
                                               "Status": status})
        return Recovery(contract.contract_id, ContractStatus.TEXT_PENDING, outcome.status,
                        outcome.reason or f"text job {status}; completion message never arrived")
    if datetime.fromisoformat(contract.updated_at) <= now - GIVE_UP_AFTER:
        return _fail(contract, f"{TRANSIENT_PREFIX}text job {job_id} still {status} after "
                               f"{GIVE_UP_AFTER}; retry it")
    return Recovery(contract.contract_id, ContractStatus.TEXT_PENDING, ContractStatus.TEXT_PENDING,
                    f"text job {job_id} {status}; checked again at the next sweep")


def _retryable(contract_id: str, team: str | None) -> ContractItem:
    from .actions import find_contract

    contract = find_contract(contract_id, team)
    if contract.status != ContractStatus.FAILED:
        raise NotRetryable(f"contract {contract_id} is {contract.status}, not FAILED: nothing to retry")
    if not is_transient(contract.status_reason):
        raise NotRetryable(f"contract {contract_id} failed for a reason a retry cannot change: "
                           f"{contract.status_reason}")
    if not contract.original_key:
        raise NotRetryable(f"contract {contract_id} has no stored original to retry from")
    return contract


def request_retry(contract_id: str, *, actor: str, team: str | None = None) -> ContractItem:
    """The API's part: check the contract can be retried and mark it; the planner sees the change
    on the table's stream and retries it (``retry_requested_in_stream``)."""
    contract = _retryable(contract_id, team)
    repo.record_audit(contract_id, actor, "contract.retry_requested", {"reason": contract.status_reason})
    return repo.update_contract(contract, actor=actor, retry_requested=f"{clock.iso()} {actor}")


def retry_requested_in_stream(settings: Settings, records: list[dict]) -> list[str]:
    """The planner's part: retry each FAILED contract a stream record shows with a retry request.
    Returns the ids retried; one that cannot be is logged, never stops the batch."""
    from .. import schema

    wanted = {}
    for record in records:
        image = (record.get("dynamodb") or {}).get("NewImage") or {}
        if (image.get(schema.SORT_KEY) or {}).get("S") == schema.CONTRACT_SK \
                and (image.get("status") or {}).get("S") == ContractStatus.FAILED \
                and (image.get("retry_requested") or {}).get("S"):
            wanted[image["contract_id"]["S"]] = image["retry_requested"]["S"]
    retried = []
    for contract_id, requested in wanted.items():
        current = repo.get_contract(contract_id)
        if current is None or current.retry_requested != requested or current.status != ContractStatus.FAILED:
            continue  # already retried (a redelivered record) or changed since
        try:
            retry_contract(settings, contract_id, actor=f"retry requested by {requested.split(' ', 1)[-1]}")
            retried.append(contract_id)
        except Exception:
            log.exception("requested retry of %s failed", contract_id)
    return retried


def retry_contract(settings: Settings, contract_id: str, *, actor: str, team: str | None = None) -> ContractItem:
    """Take a FAILED contract with a transient cause back through the pipeline (module doc)."""
    from .intake import text_job_token
    from .textjob import extract_stored_text

    contract = _retryable(contract_id, team)
    repo.record_audit(contract_id, actor, "contract.retry", {"previous_reason": contract.status_reason})
    if contract.retry_requested:
        contract = repo.update_contract(contract, actor=actor, retry_requested=None)
    stored_text = contract.text_key or text_key(contract_id)
    if s3.head_object(settings.bucket, stored_text, None) is not None:
        contract = repo.update_contract(contract, actor=actor, status=ContractStatus.TEXT_READY,
                                        detail={"retry": True, "text_key": stored_text}, text_key=stored_text)
        extract_stored_text(settings, contract_id)
    else:
        attempt = clock.iso()
        token = f"{text_job_token(contract)}-r{''.join(ch for ch in attempt if ch.isdigit())[:14]}"
        job_id = start_text_detection(settings, contract_id, token[:64], settings.bucket, contract.original_key)
        repo.update_contract(contract, actor=actor, status=ContractStatus.TEXT_PENDING,
                             detail={"retry": True, "job_id": job_id}, text_job_id=job_id)
    return repo.get_contract(contract_id) or contract
