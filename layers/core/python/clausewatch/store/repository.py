"""Every read and write of the clausewatch table, named for what it is for."""

from __future__ import annotations

import enum
import itertools
import logging
import time
import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.exceptions import DeleteError, PutError, TransactWriteError, UpdateError, VerboseClientError
from pynamodb.transactions import TransactWrite

from .. import clock, config, schema
from ..extract.model import ContractExtraction, Term
from ..schema import ContractStatus, ItemType, ObligationStatus
from . import money, stake
from .models import (
    AuditItem,
    ContractItem,
    DatedItem,
    DeletedItem,
    FeedItem,
    FindingItem,
    GoneItem,
    ObligationItem,
    TermItem,
    UpgradeItem,
    UploadHashItem,
    _Item,
)

contract_pk = schema.contract_pk
log = logging.getLogger(__name__)


# --- contracts -----------------------------------------------------------------------------------

def get_contract(contract_id: str) -> ContractItem | None:
    try:
        return ContractItem.get(contract_pk(contract_id), schema.CONTRACT_SK, consistent_read=True)
    except ContractItem.DoesNotExist:
        return None


def last_change(item: ContractItem) -> str:
    """When anything the contract's detail shows last changed (``ContractItem.changed_at``; the
    record's ``updated_at`` on one written before it existed)."""
    return item.changed_at or item.updated_at


def _index_contract(item: ContractItem) -> None:
    item.gsi1pk = schema.team_contracts_pk(item.team)
    item.gsi1sk = schema.changed_sk(last_change(item), item.contract_id)
    item.gsi4pk = schema.team_contracts_of_status_pk(item.team, item.status)
    item.gsi4sk = item.gsi1sk
    item.renewal_terms = _renewal_terms(item)
    _index_work(item)


def _renewal_terms(item: ContractItem) -> dict[str, Any]:
    """What the renewals list shows of the extraction (``ContractItem.renewal_terms``); empty
    before extraction."""
    extracted = item.extracted
    return extracted.renewal_summary() if extracted is not None else {}


def _index_work(item: ContractItem) -> None:
    """GSI5: a contract in a non-final status is listed for the stuck-contract recovery by the time
    of its last change; an EXTRACTED one keeps the planner's next planning day (store/work.py),
    from the day it was extracted until the planner sets it, or, for an amendment not applied to a
    contract yet, waits in its team's AMEND# partition; a FAILED or QUARANTINED one is in none."""
    shard = schema.work_shard(item.contract_id)
    if item.status in schema.NON_FINAL_CONTRACT_STATUSES:
        item.gsi5pk = schema.pending_pk(shard)
        item.gsi5sk = schema.changed_sk(item.updated_at, item.contract_id)
    elif item.status == ContractStatus.EXTRACTED and not item.amends_contract_id \
            and (item.extraction or {}).get("document_type") == "amendment":
        item.gsi5pk = schema.unapplied_amendments_pk(item.team)
        item.gsi5sk = schema.changed_sk(item.received_at, item.contract_id)
        item.next_planning = item.next_planning_derivation = None
    elif item.status == ContractStatus.EXTRACTED and (item.gsi5pk or "").startswith(schema.PENDING_PREFIX) \
            and (item.extraction or {}).get("document_type") != "amendment":  # its dates are its contract's
        # just extracted: due for planning today until the planner has planned it (the stream's
        # change does it at once; should the planner give up on it, the daily sweep finds it here)
        day = item.updated_at[:10]
        item.gsi5pk = schema.plan_pk(shard)
        item.gsi5sk = schema.plan_sk(day, item.contract_id)
        item.next_planning = day
        item.next_planning_derivation = f"extracted {day}: not planned yet"
    elif item.status != ContractStatus.EXTRACTED or not (item.gsi5pk or "").startswith(schema.PLAN_PREFIX):
        item.gsi5pk = item.gsi5sk = None
        item.next_planning = item.next_planning_derivation = None


def create_contract(contract_id: str, *, file_name: str, source_key: str, sha256: str,
                    size_bytes: int, metadata: dict[str, str], actor: str,
                    source_version: str | None = None, notes: list[str] | None = None) -> ContractItem:
    """A new contract record in RECEIVED, with the uploader's metadata; audited (with ``notes``
    on metadata that was refused)."""
    at = clock.iso()
    item = ContractItem(
        contract_pk(contract_id), schema.CONTRACT_SK, item_type=ItemType.CONTRACT,
        contract_id=contract_id, status=ContractStatus.RECEIVED, file_name=file_name,
        source_key=source_key, source_version=source_version,
        sha256=sha256,
        size_bytes=size_bytes, received_at=at, updated_at=at, changed_at=at,
        owner=metadata.get("owner") or None,
        team=metadata.get("team") or config.DEFAULT_TEAM,
        contract_type=metadata.get("contract-type") or None,
        time_zone=metadata.get("time-zone") or config.DEFAULT_TIME_ZONE,
        jurisdiction=metadata.get("jurisdiction") or None,
        counterparty=metadata.get("counterparty") or None,
        upload_metadata=dict(metadata),
        intake_notes=list(notes) if notes else None,
    )
    _index_contract(item)
    item.save()
    record_audit(contract_id, actor, "contract.received",
                 {"file_name": file_name, "source_key": source_key, "source_version": source_version,
                  "sha256": sha256,
                  "size_bytes": size_bytes, "metadata": dict(metadata), "notes": notes or []})
    return item


# A contract's fields kept, each by one step, from what the rest of the record and other items say:
# the planner's next planning day (store/work.py; from the obligations, renewal records and the
# clock), the current term's dates (pipeline.record.refresh_deadlines), the renewal view of the
# extraction, the time of the last change (an obligation written, `mark_changed`) with the sort keys
# that list the contract by it, and the version. Every write of a contract is checked against the version it read.
# textract_done and the planner its EXTRACTED write wakes write the record side by side; a write
# refused because the other changed only derived fields *other than those it writes* is made again
# on the record as it is now (`update_derived`, `update_contract`), and one whose fields the other
# already set to the same values is done. Any other change refuses it as before (its message or stream batch comes back and
# works from fresh reads): a stale next planning day is never written over a fresher one.
DERIVED_CONTRACT_FIELDS = frozenset(getattr(ContractItem, name).attr_name for name in (
    "gsi5pk", "gsi5sk", "next_planning", "next_planning_derivation", "current_notice_deadline",
    "current_expiration", "ended", "renewal_terms", "changed_at", "gsi1sk", "gsi4sk", "version", "rezoned_from",
    "credit_checks", "rules_marked_done"))
CONTRACT_WRITE_ATTEMPTS = 3


def _computed_from(item: ContractItem) -> dict[str, Any]:
    """The record's fields other than the derived ones, as stored."""
    item._writable()  # a record read in part is refused here, as by its write
    return {name: value for name, value in item.serialize().items() if name not in DERIVED_CONTRACT_FIELDS}


def refused_by_another_write(exc: BaseException) -> bool:
    """A conditional write refused because another invocation wrote the item since it was read
    (a version check, or an item created meanwhile)."""
    return isinstance(exc, (PutError, UpdateError)) and exc.cause_response_code == "ConditionalCheckFailedException"


def reread_contract(item: ContractItem) -> bool:
    """Read the contract's record again, in place (strongly consistent); False when it is gone."""
    try:
        item.refresh(consistent_read=True)
    except ContractItem.DoesNotExist:
        return False
    return True


def _reread(item: ContractItem, exc: PutError | UpdateError, attempt: int) -> bool:
    """After a version-checked write of ``item`` was refused: read it again (in place), when the
    refusal was the version check and attempts are left; False otherwise."""
    if attempt >= CONTRACT_WRITE_ATTEMPTS or exc.cause_response_code != "ConditionalCheckFailedException":
        return False
    return reread_contract(item)


def update_derived(item: ContractItem, fields: tuple[str, ...], actions_of: Callable[[], list[Any] | None],
                   condition_of: Callable[[], Any] | None = None) -> bool:
    """Update the derived ``fields`` of a contract (DERIVED_CONTRACT_FIELDS) with ``actions_of()``,
    None when the record already holds what they would write (and, with ``condition_of``, on its
    condition as well as the version). Refused by the version check, it is
    done when the record now holds those values, made again when only other derived fields
    changed, and refused otherwise (UpdateError). True when written."""
    read = _computed_from(item)
    own = {name: getattr(item, name) for name in fields}
    for attempt in itertools.count(1):
        actions = actions_of()
        if not actions:
            return False
        try:
            item.update(actions=actions, condition=None if condition_of is None else condition_of())
            return True
        except UpdateError as exc:
            if not _reread(item, exc, attempt):
                raise
            if actions_of() is None:
                return False  # another invocation wrote what this one would
            if _computed_from(item) != read or any(getattr(item, k) != v for k, v in own.items()):
                raise
    raise AssertionError("unreachable")


def update_contract(item: ContractItem, *, actor: str, status: str | None = None,
                    reason: str | None = None, detail: dict | None = None, **fields: Any) -> ContractItem:
    """Change fields (and the status) of a contract; a status change is audited. Made again on the
    record as it is now when another invocation changed only its derived fields since ``item`` was
    read (DERIVED_CONTRACT_FIELDS; the save keeps their new values)."""
    old_status = item.status
    read = _computed_from(item)
    for attempt in itertools.count(1):
        for name, value in fields.items():
            setattr(item, name, value)
        if status is not None:
            item.status = status
            item.status_reason = reason
        item.updated_at = item.changed_at = clock.iso()
        _index_contract(item)
        try:
            item.save()
            break
        except PutError as exc:
            # the fields it sets and those _index_contract derives from them are written over the
            # record as it is now: only when nothing but derived fields changed since it was read
            if not _reread(item, exc, attempt) or _computed_from(item) != read:
                raise
    if status is not None and status != old_status:
        record_audit(item.contract_id, actor, f"status.{status.lower()}",
                     {"from": old_status, "to": status, "reason": reason, **(detail or {})})
    return item


def list_contracts() -> list[ContractItem]:
    """All contracts, by a table scan: for the local CLI's status views and reports only. No
    deployed path calls it (the API lists per team through GSI1/GSI4; the daily sweep and the
    stuck-contract recovery query GSI5, store/work.py)."""
    items = ContractItem.scan(ContractItem.item_type == ItemType.CONTRACT)
    return sorted(items, key=lambda c: c.received_at)


def contracts_of_team(team: str, status: str | None = None) -> list[ContractItem]:
    """The team's contracts (of one status), most recently changed first."""
    if status:
        return list(ContractItem.by_status.query(schema.team_contracts_of_status_pk(team, status),
                                                 scan_index_forward=False))
    return list(ContractItem.by_team.query(schema.team_contracts_pk(team), scan_index_forward=False))


def unapplied_amendments(team: str) -> list[ContractItem]:
    """The team's extracted amendments not applied to any contract yet (GSI5 AMEND#<team>: a Query
    of these few, not of the team's contracts), oldest first."""
    return list(ContractItem.by_next_work.query(schema.unapplied_amendments_pk(team)))


DATED_BY = ("agreement_date", "effective_date")  # the terms a contract is marked dated by


def dated_days(item: ContractItem, extraction: ContractExtraction | None = None) -> tuple[str, set[str]]:
    """The kind of date marker the extracted contract stands under and its days: a contract's
    agreement and effective dates; an amendment's, the day of the agreement it amends (from
    ``extraction``, the one about to be saved, else the record's)."""
    extracted = extraction if extraction is not None else item.extracted
    if extracted is None:
        return schema.DATED_CONTRACT, set()
    if extracted.is_amendment:
        day = extracted.amendment.original_date if extracted.amendment else None
        return schema.DATED_AMENDMENT, {day} if day else set()
    return schema.DATED_CONTRACT, {extracted.value(name) for name in DATED_BY} - {None}


def mark_dated(item: ContractItem, extraction: ContractExtraction | None = None) -> int:
    """Write the contract's date markers (``DatedItem``; again: the same items), of ``extraction``
    when given (written before the record that holds it), else of the record's. Returns how many
    days it stands under."""
    markers = dated_markers(item, extraction)
    for marker in markers:
        marker.save()
    return len(markers)


def dated_markers(item: ContractItem, extraction: ContractExtraction | None = None) -> list[DatedItem]:
    """The date markers ``mark_dated`` writes (a batch writer's items: the bench's loader)."""
    kind, days = dated_days(item, extraction)
    return [DatedItem(schema.team_dated_pk(item.team), schema.dated_sk(kind, day, item.contract_id),
                      item_type=ItemType.DATED, contract_id=item.contract_id, kind=kind, day=day,
                      recorded_at=clock.iso()) for day in sorted(days)]


def mark_amendment_itself(item: ContractItem, extraction: ContractExtraction) -> int:
    """Write an amendment's markers of its own dates (``DATED_AMENDMENT_ITSELF``: its agreement and
    effective dates; again: the same items), before the record that holds ``extraction``: a later
    amendment that names its date finds it by them (an amendment of an amendment). Returns how many."""
    days = {extraction.value(name) for name in DATED_BY} - {None} if extraction.is_amendment else set()
    for day in sorted(days):
        DatedItem(schema.team_dated_pk(item.team), schema.dated_sk(schema.DATED_AMENDMENT_ITSELF, day, item.contract_id),
                  item_type=ItemType.DATED, contract_id=item.contract_id, kind=schema.DATED_AMENDMENT_ITSELF,
                  day=day, recorded_at=clock.iso()).save()
    return len(days)


def dated(team: str, kind: str, day: str) -> list[str]:
    """The ids of the team's contracts dated ``day`` (``DATED_CONTRACT``), of its amendments of an
    agreement of ``day`` (``DATED_AMENDMENT``) or of its amendments dated ``day`` themselves
    (``DATED_AMENDMENT_ITSELF``): one strongly consistent Query, every marker ever written (the
    caller checks each record)."""
    return [item.contract_id for item in DatedItem.query(
        schema.team_dated_pk(team), DatedItem.sk.startswith(schema.dated_sk(kind, day, "")),
        consistent_read=True)]


def store_dated_markers() -> int:
    """Write the date markers of the contracts extracted before markers existed (an amendment found
    its contract, and a contract its waiting amendments, by them); returns how many contracts got
    some. A one-off after an upgrade, by scan, like ``reindex_unapplied_amendments``
    (``python -m clausewatch.renewal.reindex``; a local state folder on load). Safe to run again.
    Every extracted amendment, applied or not, is given the markers of its own dates too
    (``mark_amendment_itself``: one recorded before they existed, 2026-12-07, is then found as the
    earlier amendment an amendment of an amendment names). Then records the steps done
    (``UpgradeItem``): from then on an amendment's look for its contract reads the markers of one
    day only, not the team's extracted contracts (``pipeline.record.find_amended_contract``)."""
    marked = {(item.contract_id, item.kind, item.day)
              for item in DatedItem.scan(DatedItem.item_type == ItemType.DATED)}
    count = 0
    for item in ContractItem.scan((ContractItem.item_type == ItemType.CONTRACT)
                                  & (ContractItem.status == ContractStatus.EXTRACTED)):
        applied = bool(item.amends_contract_id)  # an amendment applied already waits for nothing
        kind, days = dated_days(item)
        written = False
        if not applied and any((item.contract_id, kind, day) not in marked for day in days):
            mark_dated(item)
            written = True
        extracted = item.extracted
        if extracted is not None and extracted.is_amendment and any(
                (item.contract_id, schema.DATED_AMENDMENT_ITSELF, day) not in marked
                for day in {extracted.value(name) for name in DATED_BY} - {None}):
            mark_amendment_itself(item, extracted)
            written = True
        count += written
    record_upgrade(schema.UPGRADE_DATED_MARKERS)
    record_upgrade(schema.UPGRADE_AMENDMENT_DATES)
    return count


def waiting_amendments() -> list[ContractItem]:
    """Every team's extracted amendments not applied to a contract yet, by scan (an operator's
    upgrade: ``pipeline.record.look_again_for_waiting_amendments``)."""
    return [item for item in ContractItem.scan((ContractItem.item_type == ItemType.CONTRACT)
                                               & (ContractItem.status == ContractStatus.EXTRACTED))
            if item.is_amendment and not item.amends_contract_id]


def amendments_naming_no_term() -> list[ContractItem]:
    """Every team's extracted amendments whose stored reading names no term as the one it changes
    (``Amendment.names_terms``: read since 2026-12-07), by scan: an operator's upgrade
    (``pipeline.amendment_names``)."""
    return [item for item in ContractItem.scan((ContractItem.item_type == ItemType.CONTRACT)
                                               & (ContractItem.status == ContractStatus.EXTRACTED))
            if item.is_amendment and not ((item.extraction or {}).get("amendment") or {}).get("names_terms")]


_UPGRADED: set[str] = set()  # the steps seen recorded (a warm container reads each once)


def record_upgrade(step: str) -> None:
    """Record an upgrade step done for every item (``UpgradeItem``; again: the same item)."""
    UpgradeItem(schema.UPGRADE_PK, step, item_type=ItemType.UPGRADE, done_at=clock.iso()).save()
    _UPGRADED.add(step)


def upgraded(step: str) -> bool:
    """Whether the upgrade step was recorded done: a GetItem until it is seen, then remembered (a
    step is never undone)."""
    if step in _UPGRADED:
        return True
    try:
        UpgradeItem.get(schema.UPGRADE_PK, step)
    except UpgradeItem.DoesNotExist:
        return False
    _UPGRADED.add(step)
    return True


def reindex_unapplied_amendments() -> int:
    """Put the unapplied amendments saved before their index existed into it (re-saved: the save
    sets their AMEND# keys); returns how many. A one-off after an upgrade, by scan: an operator runs
    it (``python -m clausewatch.renewal.reindex`` does both indexes); a local state folder is
    reindexed on load."""
    count = 0
    for item in ContractItem.scan((ContractItem.item_type == ItemType.CONTRACT)
                                  & (ContractItem.status == ContractStatus.EXTRACTED)
                                  & ContractItem.gsi5pk.does_not_exist()):
        _index_work(item)
        if item.gsi5pk:
            try:
                item.save()
            except PutError:  # changed meanwhile (its own save indexed it): the rest goes on
                continue
            count += 1
    return count


def store_renewal_terms() -> int:
    """Store ``renewal_terms`` on the contracts last saved before it existed (the renewals list
    reads it instead of their extraction; without it, a page reads those contracts whole, in one
    BatchGetItem more); returns how many. A one-off after an upgrade, by scan, like
    ``reindex_unapplied_amendments`` (``python -m clausewatch.renewal.reindex``; a local state
    folder on load). The change alone does not plan the contract again
    (``pipeline.reminders.DERIVED_FIELDS``)."""
    count = 0
    for item in ContractItem.scan((ContractItem.item_type == ItemType.CONTRACT)
                                  & ContractItem.renewal_terms.does_not_exist()):
        try:
            item.update(actions=[ContractItem.renewal_terms.set(_renewal_terms(item))])
        except UpdateError:  # changed meanwhile (its own save stored them): the rest goes on
            continue
        count += 1
    return count


def index_ended_terms(*, actor: str) -> tuple[int, int]:
    """Put into its team's renewal calendar (GSI2) each term end closed done or waived before
    2026-12-07, as ``_index_obligation`` keeps one closed since: ``GET /renewals`` and the report
    list it for their days back as ended by the decision that ended its contract there, or, one a
    person marked done or waived, as ended ("marked done"; a waived one "no renewal") or with its
    renewal unknown (``reports.portfolio.passed_term_end``; a renewing contract's is not listed).
    Each is audited (``obligation.reindexed`` on its contract's trail, by ``actor``) in the same
    transaction as its index keys: both or neither. A one-off after an upgrade, by a Scan of every
    term end closed done or waived, those indexed already read and passed over (``python -m
    clausewatch.renewal.reindex``, each run; a local state folder on load, until the steps are
    recorded). Returns (indexed, failed): one reopened or saved meanwhile (its own save indexed it)
    is passed over; one refused otherwise (throttled, say) is failed, logged, and the steps
    (``schema.UPGRADE_ENDED_TERMS``, ``schema.UPGRADE_WAIVED_TERM_ENDS``) are recorded only when
    none failed, so the next run reads it again."""
    count = failed = 0
    closed = [s.value for s in (ObligationStatus.DONE, ObligationStatus.WAIVED)]
    for item in ObligationItem.scan((ObligationItem.item_type == ItemType.OBLIGATION)
                                    & (ObligationItem.kind == schema.EXPIRATION_KIND)
                                    & ObligationItem.status.is_in(*closed)
                                    & ObligationItem.due.exists() & ObligationItem.gsi2pk.does_not_exist()):
        try:
            contract = get_contract(item.contract_id)
            if contract is None:
                continue  # its contract is gone (its deadlines go with it)
            _index_obligation(item, contract.team)
            _index_with_its_audit_line(item, actor)
        except TransactWriteError as exc:
            if _refused_as_changed(exc):
                continue  # a person reopened or saved it meanwhile: their save indexed it
            failed += 1
            log.exception("a term end closed done or waived was not indexed",
                          extra={"contract_id": item.contract_id, "obligation_id": item.obligation_id})
            continue
        count += 1
    if not failed:
        record_upgrade(schema.UPGRADE_ENDED_TERMS)
        record_upgrade(schema.UPGRADE_WAIVED_TERM_ENDS)
    return count, failed


def _index_with_its_audit_line(item: ObligationItem, actor: str) -> None:
    """Write ``item``'s renewal calendar keys (conditioned on its version) and its audit line at once."""
    line = _audit_line(item.contract_id, actor, "obligation.reindexed", {
        "obligation_id": item.obligation_id, "due": item.due, "index": schema.RENEWALS.name,
        "reason": f"a term end {'closed done' if item.status == ObligationStatus.DONE else 'waived'} before "
                  "2026-12-07, indexed in the renewal calendar as one closed "
                  "since is (listed as ended by the renewal decision that ended its contract there, or as a person "
                  f"{'marked it done' if item.status == ObligationStatus.DONE else 'waived it'}: ended, or its "
                  "renewal unknown)"})
    with TransactWrite(connection=ObligationItem._get_connection().connection) as t:
        t.update(item, actions=[ObligationItem.gsi2pk.set(item.gsi2pk), ObligationItem.gsi2sk.set(item.gsi2sk)])
        t.save(line, condition=AuditItem.sk.does_not_exist())


def _refused_as_changed(exc: TransactWriteError, *, or_in_conflict: bool = False) -> bool:
    """A transaction cancelled by a condition (the item's version: written since it was read), or,
    with ``or_in_conflict``, by another write of the item in flight (``TransactionConflict``: the
    planner saving the same term end, say), which is written meanwhile too."""
    refused = ("ConditionalCheckFailed", "TransactionConflict") if or_in_conflict else ("ConditionalCheckFailed",)
    return exc.cause_response_code == "TransactionCanceledException" and any(
        reason is not None and reason.code in refused for reason in exc.cancellation_reasons)


def set_contract_owner(item: ContractItem, owner: str, *, actor: str, note: str | None = None) -> list[str]:
    """Give the contract a new owner; its open obligations that followed the contract's owner
    (not given their own by a person) follow it. Returns the ids of the obligations that moved;
    a contract that already has this owner is left as it is."""
    old = item.owner
    if old == owner:
        return []
    update_contract(item, actor=actor, owner=owner)
    moved = []
    # from the table, strongly consistent: an obligation written a moment ago is handed on too
    for obligation in obligations(item.contract_id, consistent=True):
        if obligation.status == ObligationStatus.OPEN and not obligation.owner_assigned_by \
                and obligation.owner in (old, None):
            obligation.owner, obligation.unowned = owner, False
            obligation.updated_at = clock.iso()
            _index_obligation(obligation, item.team)
            obligation.save()
            moved.append(obligation.obligation_id)
    record_audit(item.contract_id, actor, "contract.owner_set",
                 {"from": old, "to": owner, "obligations": moved, **({"note": note} if note else {})})
    return moved


def set_current_term_dates(item: ContractItem, *, notice_deadline: str | None,
                           expiration: str | None, ended: dict[str, str] | None = None) -> bool:
    """Keep the contract's copy of its current term's dates (the renewal view of a listing) and,
    once a renewal decision ended it, that end (``{"last_day", "derivation"}``); written only when
    they changed, without touching ``updated_at``, with the time of the change (``changed_at``: a
    sync's ``changed_since`` lists a contract whose term rolled; a pass that finds the same dates
    writes nothing; never moved back: a later change recorded by ``mark_changed``, which leaves the
    version as it is, is checked for and kept). True when written."""
    def actions() -> list[Any] | None:
        if (item.current_notice_deadline, item.current_expiration, item.ended or None) == \
                (notice_deadline, expiration, ended or None):
            return None
        return [ContractItem.current_notice_deadline.set(notice_deadline) if notice_deadline
                else ContractItem.current_notice_deadline.remove(),
                ContractItem.current_expiration.set(expiration) if expiration
                else ContractItem.current_expiration.remove(),
                ContractItem.ended.set(ended) if ended else ContractItem.ended.remove(),
                *_changed_now(item.contract_id, max(clock.iso(), item.changed_at or ""))]

    def unchanged() -> Any:  # the change time as read (mark_changed moves it without the version)
        return ContractItem.changed_at.does_not_exist() if item.changed_at is None \
            else ContractItem.changed_at == item.changed_at

    return update_derived(item, ("current_notice_deadline", "current_expiration", "ended"), actions, unchanged)


def _changed_now(contract_id: str, at: str) -> list[Any]:
    """The actions that say the contract changed at ``at``: its ``changed_at`` and the sort keys
    that list it by time of change (GSI1 and GSI4; their partitions, the team and the status, stay)."""
    sort_key = schema.changed_sk(at, contract_id)
    return [ContractItem.changed_at.set(at), ContractItem.gsi1sk.set(sort_key), ContractItem.gsi4sk.set(sort_key)]


def mark_changed(contract_id: str) -> bool:
    """Something the contract's detail shows changes now though its record does not (one of its
    obligations is about to be written): the record's ``changed_at`` and the sort keys derived from
    it move to now, so ``GET /contracts?changed_since`` lists it. One UpdateItem of those attributes
    alone, not version-checked and leaving the version as it is: it loses no other writer's change
    and refuses none (a version-checked write refused for another reason is made again over it,
    DERIVED_CONTRACT_FIELDS). Made before the write it announces: should that write fail, a sync
    reads the contract once for nothing; should this one fail, nothing is written (a retry of the
    action does both), where after it a retry, finding the obligation written, would mark nothing.
    Conditional on the record existing and on no later change recorded: a contract deleted, or
    changed after now (another writer's clock), is left as it is. True when written."""
    at = clock.iso()
    condition = ContractItem.pk.exists() & (ContractItem.updated_at < at) & (
        ContractItem.changed_at.does_not_exist() | (ContractItem.changed_at < at))
    try:
        # the table's connection, not ContractItem.update: that one checks and adds to the version
        ContractItem._get_connection().update_item(contract_pk(contract_id), schema.CONTRACT_SK,
                                                   actions=_changed_now(contract_id, at), condition=condition)
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False
    return True


def claim_upload_hash(sha256: str, contract_id: str, source_key: str) -> str | None:
    """Record the hash of an upload; return the contract id that already holds it, or None."""
    try:
        UploadHashItem(schema.upload_hash_pk(sha256), schema.UPLOAD_HASH_SK,
                       item_type=ItemType.UPLOAD_HASH, contract_id=contract_id,
                       first_key=source_key, recorded_at=clock.iso()).save(
            condition=UploadHashItem.pk.does_not_exist())
        return None
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return UploadHashItem.get(schema.upload_hash_pk(sha256), schema.UPLOAD_HASH_SK,
                                  consistent_read=True).contract_id


def upload_hash_holder(sha256: str) -> str | None:
    """The contract id that claimed this content hash (``claim_upload_hash``), or None."""
    try:
        return UploadHashItem.get(schema.upload_hash_pk(sha256), schema.UPLOAD_HASH_SK,
                                  consistent_read=True).contract_id
    except UploadHashItem.DoesNotExist:
        return None


# --- audit ---------------------------------------------------------------------------------------

def record_audit(contract_id: str, actor: str, action: str, detail: dict | None = None) -> None:
    """Append one audit event (never overwrites: conditional on a new key). The key sorts by
    (possibly simulated) time, then by the real clock's nanoseconds, and a random tail keeps
    writers in the same instant (other Lambda containers) apart."""
    _audit_line(contract_id, actor, action, detail).save(condition=AuditItem.sk.does_not_exist())


def _audit_line(contract_id: str, actor: str, action: str, detail: dict | None) -> AuditItem:
    """A new audit event, keyed now (``record_audit``), not yet written."""
    at = clock.iso()
    suffix = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"
    return AuditItem(contract_pk(contract_id), schema.audit_sk(at, suffix), item_type=ItemType.AUDIT,
                     contract_id=contract_id, at=at, actor=actor, action=action, detail=detail)


def record_deletion(contract_id: str, team: str, actor: str, detail: dict, *, received_at: str) -> None:
    """A contract deleted: its audit line (``contract.deleted``) and its tombstone, beside its trail
    in the audit table (append-only like the trail, never listed in it): the team whose trail it
    stays once the contract's record is gone (``deleted_contract_team``); the team's deletion item
    (``DeletedItem``) a sync lists; and, first, its GONE marker (``_mark_gone``).

    Each attempt moves the marker to its own time and puts a deletion item at that time: a sync
    lists the one the marker names (``GET /deleted-contracts``), so a deletion retried after a
    partial run (the next minute or weeks later) is listed once, at the attempt that finished it,
    and a sync that ran between the two still learns of it. The trail line and the tombstone are
    keyed on the first attempt's time and put only when new: the trail says "deleted" once."""
    detail = {"team": team, **detail}
    now = clock.iso()
    trail_at = _mark_gone(contract_id, team, received_at, now)
    put_if_new(AuditItem(contract_pk(contract_id), schema.audit_sk(trail_at, "contract.deleted"),
                         item_type=ItemType.AUDIT, contract_id=contract_id, at=trail_at, actor=actor,
                         action="contract.deleted", detail=detail))
    _record_gone(contract_id, team, actor, detail, trail_at=trail_at, deleted_at=now)


GONE_WRITE_ATTEMPTS = 3


def _mark_gone(contract_id: str, team: str, received_at: str, now: str) -> str:
    """Move the contract's GONE marker to ``now`` (this attempt); returns the time its trail line and
    tombstone are keyed on: the first attempt's when this deletion was tried before (a marker of the
    team later than the contract's ``received_at``: not an upload made again since), else ``now``.
    Conditional on the marker as read: two deletions at once are one (the second reads the first's)."""
    for attempt in itertools.count(1):
        gone = _gone(contract_id)
        again = gone is not None and gone.team == team and gone.deleted_at > received_at
        trail_at = (gone.trail_at or gone.deleted_at) if gone is not None and again else now
        condition = GoneItem.pk.does_not_exist() if gone is None else GoneItem.deleted_at == gone.deleted_at
        try:
            GoneItem(contract_pk(contract_id), schema.GONE_SK, item_type=ItemType.DELETED, team=team,
                     deleted_at=now, trail_at=trail_at).save(condition=condition)
            return trail_at
        except PutError as exc:
            if exc.cause_response_code != "ConditionalCheckFailedException" or attempt >= GONE_WRITE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _record_gone(contract_id: str, team: str, actor: str, detail: dict, *, trail_at: str, deleted_at: str) -> None:
    """A deletion's tombstone (keyed on ``trail_at``) and its team's deletion item (on ``deleted_at``),
    each put only when new."""
    put_if_new(AuditItem(contract_pk(contract_id), schema.tombstone_sk(trail_at, "contract.deleted"),
                         item_type=ItemType.AUDIT, contract_id=contract_id, at=trail_at, actor=actor,
                         action="contract.deleted", detail=detail))
    put_if_new(DeletedItem(schema.team_deleted_pk(team), schema.deleted_sk(deleted_at, contract_id),
                           item_type=ItemType.DELETED, contract_id=contract_id, deleted_at=deleted_at,
                           deleted_by=actor, file_name=detail.get("file_name")))


def mark_old_deletions() -> int:
    """Give each contract deleted before deletions were marked (2026-12-06) its GONE marker, and the
    tombstone and deletion item its deletion would write now when it has none: its id and trail stay
    its team's, and a sync lists it. A deletion of the morning of 2026-12-06 left a tombstone and a
    deletion item (at the tombstone's time) but no marker: the marker is written at that time, naming
    the tombstone's team. An older one left only its trail's ``contract.deleted`` line: the team is
    the one that line names, else that of the trail's last ``contract.received`` before it (its
    upload's team, or the default team, as intake gave it), and the time and actor the line's. A
    contract live again (uploaded again since) or marked already is left as it is. By scan of the
    audit table: an operator's upgrade (``python -m clausewatch.renewal.reindex``; a local state
    folder on load); safe to run again. Returns how many contracts it marked, then records the step."""
    last: dict[str, AuditItem] = {}
    for line in AuditItem.scan(AuditItem.action == "contract.deleted"):
        if line.sk.startswith(schema.AUDIT_PREFIX) and line.sk > getattr(last.get(line.contract_id), "sk", ""):
            last[line.contract_id] = line
    count = 0
    for contract_id, deletion in sorted(last.items()):
        if _gone(contract_id) is not None or get_contract(contract_id) is not None:
            continue
        tombstone = _latest_tombstone(contract_id)
        if tombstone is not None and tombstone.at >= deletion.at and (tombstone.detail or {}).get("team"):
            GoneItem(contract_pk(contract_id), schema.GONE_SK, item_type=ItemType.DELETED,
                     team=tombstone.detail["team"], deleted_at=tombstone.at, trail_at=tombstone.at).save()
            count += 1
            continue
        received = [e for e in audit_events(contract_id)
                    if e.action == "contract.received" and e.sk < deletion.sk]
        upload = (received[-1].detail or {}) if received else {}
        team = (deletion.detail or {}).get("team")
        if team is None and received:  # the team intake gave its upload
            team = (upload.get("metadata") or {}).get("team") or config.DEFAULT_TEAM
        if team is None:
            continue  # nothing says whose it was: left as it is
        detail = {"team": team, "file_name": upload.get("file_name"), "marked": "upgrade"}
        GoneItem(contract_pk(contract_id), schema.GONE_SK, item_type=ItemType.DELETED, team=team,
                 deleted_at=deletion.at, trail_at=deletion.at).save()
        _record_gone(contract_id, team, deletion.actor, detail, trail_at=deletion.at, deleted_at=deletion.at)
        count += 1
    record_upgrade(schema.UPGRADE_DELETION_MARKERS)
    return count


def _latest_tombstone(contract_id: str) -> AuditItem | None:
    return next(iter(AuditItem.query(contract_pk(contract_id), AuditItem.sk.startswith(schema.TOMBSTONE_PREFIX),
                                     scan_index_forward=False, limit=1)), None)


def _gone(contract_id: str) -> GoneItem | None:
    try:
        return GoneItem.get(contract_pk(contract_id), schema.GONE_SK, consistent_read=True)
    except GoneItem.DoesNotExist:
        return None


def gone_team(contract_id: str) -> str | None:
    """The team whose contract ``contract_id`` was when it was last deleted (its ``GoneItem``), or
    None (never deleted, or deleted before 2026-12-06, when deletions began to mark it)."""
    gone = _gone(contract_id)
    return gone.team if gone is not None else None


def latest_deletion(contract_id: str) -> AuditItem | None:
    """The contract's latest deletion (its tombstone: ``at``, ``actor``, ``detail`` with team and
    file name), or None (never deleted, or deleted before tombstones were written)."""
    return _latest_tombstone(contract_id)


def deleted_contract_team(contract_id: str) -> str | None:
    """The team a deleted contract was, from its latest tombstone (one Query, newest first); None
    when it has none (never deleted, or deleted before tombstones were written)."""
    latest = _latest_tombstone(contract_id)
    return (latest.detail or {}).get("team") if latest is not None else None


def audit_events(contract_id: str) -> list[AuditItem]:
    return list(AuditItem.query(contract_pk(contract_id), AuditItem.sk.startswith(schema.AUDIT_PREFIX)))


# --- terms ---------------------------------------------------------------------------------------

def current_terms(contract_id: str, *, consistent: bool = False) -> dict[str, TermItem]:
    latest: dict[str, TermItem] = {}
    for item in TermItem.query(contract_pk(contract_id), TermItem.sk.startswith(schema.TERM_PREFIX),
                               consistent_read=consistent):
        latest[item.name] = item  # sort keys ascend by version
    return latest


def term_history(contract_id: str, *, consistent: bool = False) -> dict[str, list[TermItem]]:
    """Every version of every term, oldest first per name (``consistent``: a strongly consistent
    read, which sees a version written just before)."""
    history: dict[str, list[TermItem]] = {}
    for item in TermItem.query(contract_pk(contract_id), TermItem.sk.startswith(schema.TERM_PREFIX),
                               consistent_read=consistent):
        history.setdefault(item.name, []).append(item)
    return history


def save_terms(contract_id: str, terms: Mapping[str, Term], *, source_contract_id: str,
               actor: str, existing: dict[str, TermItem] | None = None,
               replacing: Collection[str] = ()) -> list[str]:
    """Write a new version of each term whose value changed; return the changed names.
    ``existing``: the contract's ``current_terms`` when the caller has just read them.
    ``replacing``: the names whose current version, though marked ``entered_by``, is replaced (an
    expiration computed from an event's date, which an amendment changes: ``pipeline/record``)."""
    existing = current_terms(contract_id) if existing is None else existing
    changed = []
    kept = []
    for name, term in terms.items():
        old = existing.get(name)
        if old is not None and old.entered_by and name not in replacing:
            kept.append(name)  # a person's entry is never overwritten by an extraction
            continue
        if old is not None and old.value == term.value and old.derivation == term.derivation:
            continue
        version = (int(old.version) + 1) if old else 1
        TermItem(contract_pk(contract_id), schema.term_sk(name, version), item_type=ItemType.TERM,
                 contract_id=contract_id, name=name, version=version, value=term.value,
                 derivation=term.derivation,
                 evidence=None if term.evidence is None else term.evidence.to_dict(),
                 confidence=term.confidence,
                 source_contract_id=source_contract_id, recorded_at=clock.iso()).save(
            # two writers of the same next version: one fails (and its Lambda retries) instead of
            # silently replacing the other's value
            condition=TermItem.sk.does_not_exist())
        changed.append(name)
    if changed:
        record_audit(contract_id, actor, "terms.recorded",
                     {"changed": changed, "source_contract_id": source_contract_id})
    if kept and any(terms[name].value != existing[name].value for name in kept):
        record_audit(contract_id, actor, "terms.entered_kept",
                     {"kept": kept, "source_contract_id": source_contract_id,
                      "extracted": {name: terms[name].value for name in kept}})
    return changed


def entered_terms(contract_id: str) -> dict[str, TermItem]:
    """The terms whose current value a person entered."""
    return {name: item for name, item in current_terms(contract_id).items() if item.entered_by}


def save_entered_term(contract_id: str, name: str, value: Any, *, derivation: str, actor: str,
                      evidence: dict | None = None) -> TermItem:
    """A new version of a term with a value a person entered (audited by the caller); ``evidence``
    the clause it rests on, when there is one (an event's date entered for a conditional term)."""
    old = current_terms(contract_id).get(name)
    version = (int(old.version) + 1) if old else 1
    item = TermItem(contract_pk(contract_id), schema.term_sk(name, version), item_type=ItemType.TERM,
                    contract_id=contract_id, name=name, version=version, value=value, derivation=derivation,
                    evidence=evidence, source_contract_id=contract_id, recorded_at=clock.iso(), entered_by=actor)
    item.save(condition=TermItem.sk.does_not_exist())
    return item


# --- obligations ---------------------------------------------------------------------------------
# Every write of an obligation first marks its contract changed (``mark_changed``): a sync that asks
# for the contracts changed since a time reads again the one whose deadline was done, waived,
# acknowledged, given an owner, recorded or moved.

def obligations(contract_id: str, *, consistent: bool = False) -> list[ObligationItem]:
    """The contract's obligations (``consistent``: a strongly consistent read, as GetItem's)."""
    return list(ObligationItem.query(contract_pk(contract_id),
                                     ObligationItem.sk.startswith(schema.OBLIGATION_PREFIX),
                                     consistent_read=consistent))


def get_obligation(contract_id: str, obligation_id: str) -> ObligationItem | None:
    try:
        return ObligationItem.get(contract_pk(contract_id), schema.obligation_sk(obligation_id),
                                  consistent_read=True)
    except ObligationItem.DoesNotExist:
        return None


@dataclass(frozen=True)
class ObligationRecord:
    """What the pipeline wants stored for one obligation (compared field by field on upsert)."""

    obligation_id: str
    kind: str
    summary: str
    party: str | None = None
    due: str | None = None
    recurrence: str | None = None
    offset: str | None = None
    derivation: str | None = None
    action: str | None = None
    evidence: dict | None = None
    owner: str | None = None


def _index_obligation(item: ObligationItem, team: str) -> None:
    """Dated open, done and waived obligations are listed per team and per owner under their
    status; open notice deadlines and term ends also make the team's renewal calendar, and so do
    term ends closed done (the end of a contract a renewal decision ended, closed the day after it,
    or one a person marked done) or waived: ``GET /renewals`` and the report list it for their days
    back, in the same range, as ended or with its renewal unknown (a waive, as a done, says nothing
    of whether the contract renewed).
    Superseded, cancelled and undated ones are in no index."""
    listed = bool(item.due) and item.status in schema.LISTED_OBLIGATION_STATUSES
    sk = schema.due_sk(item.due, item.contract_id, item.obligation_id) if listed else None
    item.gsi1pk = schema.team_obligations_pk(team, item.status) if listed else None
    item.gsi3pk = schema.owner_obligations_pk(team, item.owner, item.status) if listed else None
    item.gsi1sk = item.gsi3sk = sk
    renewal = listed and (item.status == ObligationStatus.OPEN and item.kind in schema.TERM_DEADLINE_KINDS
                          or item.status in schema.RESOLVED_OBLIGATION_STATUSES and item.kind == schema.EXPIRATION_KIND)
    item.gsi2pk = schema.team_renewals_pk(team) if renewal else None
    item.gsi2sk = sk if renewal else None


def _clear_resolution(item: ObligationItem) -> None:
    item.resolved_by = item.resolved_at = item.resolution_note = item.evidence_key = item.done_on = None


_UNREAD: Any = object()  # upsert_obligation reads the stored item itself


def _obligation_fields(item: ObligationItem | None, record: ObligationRecord) -> dict[str, Any]:
    """What ``record`` writes of a stored obligation: an owner a person chose is kept."""
    fields = {k: getattr(record, k) for k in record.__dataclass_fields__ if k != "obligation_id"}
    if item is not None and item.owner_assigned_by:
        fields["owner"] = item.owner
    return fields


def _reopened(item: ObligationItem, record: ObligationRecord) -> bool:
    """A superseded item wanted again, or a done/waived one with a new date (next term's notice
    deadline, an amended due date), is a new thing to do."""
    return item.status == ObligationStatus.SUPERSEDED or (
        item.status in schema.RESOLVED_OBLIGATION_STATUSES and item.due != record.due)


def _as_recorded(item: ObligationItem, record: ObligationRecord) -> bool:
    """The stored obligation already says what ``record`` would write."""
    fields = _obligation_fields(item, record)
    return not _reopened(item, record) and all(getattr(item, k) == v for k, v in fields.items()) \
        and item.unowned == (fields["owner"] is None)


def upsert_obligation(contract_id: str, record: ObligationRecord, *, team: str,
                      actor: str, current: ObligationItem | None = _UNREAD, moved_by: str | None = None,
                      renewed: bool = False) -> bool:
    """Create or update an obligation; a done or waived one stays so for its date, and an owner a
    person chose is kept. Returns True when anything changed. ``current``: the stored item (None:
    there is none) when the caller has just read it (strongly consistent), instead of a GetItem.
    A term end done or waived whose day moved (an amendment, ``moved_by``: "amendment x.pdf (<id>)")
    is open again: written with its audit line ``obligation.open`` (why, from which day to which,
    and who had closed it) in one transaction, its renewal calendar keys moving with it, so it leaves
    the ended listing in that write (``_reopened_term_end``); ``renewed``: its day is the next term's
    end, the term closed having renewed (the line says so, not that its end changed)."""
    item = get_obligation(contract_id, record.obligation_id) if current is _UNREAD else current
    if item is not None and _as_recorded(item, record):
        return False
    fields = _obligation_fields(item, record)
    reopen_line = None
    if item is not None:
        reopened = _reopened(item, record)
        if reopened and record.kind == schema.EXPIRATION_KIND and item.status in schema.RESOLVED_OBLIGATION_STATUSES:
            reopen_line = _reopened_term_end(item, record, actor=actor, moved_by=moved_by, renewed=renewed)
        for k, v in fields.items():
            setattr(item, k, v)
        if reopened:
            item.status = ObligationStatus.OPEN
            _clear_resolution(item)
    else:
        item = ObligationItem(contract_pk(contract_id), schema.obligation_sk(record.obligation_id),
                              item_type=ItemType.OBLIGATION, contract_id=contract_id,
                              obligation_id=record.obligation_id, **fields)
    item.unowned = fields["owner"] is None
    item.updated_at = clock.iso()
    _index_obligation(item, team)
    mark_changed(contract_id)
    try:
        if reopen_line is not None:
            _save_status(item, None, reopen_line)
        else:
            item.save()
    except PutError as exc:
        # another invocation wrote it since it was read (textract_done and the planner both record
        # a contract's deadlines): done when it wrote the same, refused otherwise
        stored = get_obligation(contract_id, record.obligation_id)
        if exc.cause_response_code != "ConditionalCheckFailedException" or stored is None \
                or not _as_recorded(stored, record):
            raise
        return False
    if reopen_line is None:
        record_audit(contract_id, actor, "obligation.recorded",
                     {"obligation_id": record.obligation_id, "due": record.due, "kind": record.kind})
    return True


def _reopened_term_end(item: ObligationItem, record: ObligationRecord, *, actor: str,
                       moved_by: str | None, renewed: bool = False) -> AuditItem:
    """The audit line of a term end closed done or waived, open again because its day moved (as
    read, before ``record`` is written on it): ``obligation.open``, as a person's reopen is, with the
    reason, the day it had and the one it has now, and who had closed it, when, and their note (the
    item's own record of it is cleared). Rolled over to the next term's end (``renewed``): the reason
    says the term renewed, and ``renewed`` is true."""
    was, now = item.due, record.due
    closed_by = ("marked done" if item.status == ObligationStatus.DONE else "waived") + \
        (f" by {item.resolved_by}" if item.resolved_by else "")
    if renewed:
        reason = f"the term renewed: next term's end {now}; {was} was {closed_by}"
    elif moved_by:
        reason = f"{moved_by} changed the term end from {was} to {now}"
    else:
        reason = f"the term end moved from {was} to {now}"
    closed = {"resolved_by": item.resolved_by, "resolved_at": item.resolved_at, "note": item.resolution_note,
              "evidence_key": item.evidence_key, "done_on": item.done_on}
    return _audit_line(item.contract_id, actor, "obligation.open", {
        "obligation_id": item.obligation_id, "from": item.status, "reason": reason, "due": now, "was_due": was,
        "derivation": record.derivation, **({"renewed": True} if renewed else {}),
        "marked_done" if item.status == ObligationStatus.DONE else "waived": {k: v for k, v in closed.items() if v}})


def set_obligation_status(contract_id: str, obligation_id: str, status: ObligationStatus, *, team: str,
                          actor: str, reason: str | None = None, evidence_key: str | None = None,
                          done_on: str | None = None, expected: ObligationStatus | None = None,
                          detail: dict | None = None, keep_flag: bool = False) -> ObligationItem | None:
    """Move an obligation to ``status`` (done and waived record by whom, when, the note or reason,
    the evidence and, for done, the day it was done when the person says it: ``done_on``); one
    already in it is left as it is (idempotent, no second audit line), except that a done one may be
    given the day it was done afterwards (audited ``obligation.done_on``). ``expected``: the write is
    conditioned on the stored status being it (with the version: PutError when it is not).
    ``detail``: more for the audit line (what a resolution cleared, say). A rule reopened or waived
    takes its flag off (``set_rule_marked_done``) unless ``keep_flag`` (a reopen: off once its
    occurrences are made)."""
    item = get_obligation(contract_id, obligation_id)
    condition = ObligationItem.status == expected.value if expected is not None else None
    if item is not None and item.status == status == ObligationStatus.DONE and done_on and done_on != item.done_on:
        old_day, item.done_on = item.done_on, done_on
        mark_changed(contract_id)
        _save_status(item, condition, _audit_line(contract_id, actor, "obligation.done_on",
                                                  {"obligation_id": obligation_id, "from": old_day, "to": done_on,
                                                   "reason": reason}))
        return item
    if item is None or (item.status == status and expected in (None, status)):
        if item is not None and item.kind == money.CREDIT_CLAIM:
            # the same status again: a retry after the running totals failed to move (the status was
            # written first) moves them now; they move by the difference, so otherwise nothing
            stake.claim_changed(contract_id, obligation_id, team)
        return item  # as it is (one read in another status meanwhile: refused by the condition below)
    old = item.status
    item.status = status
    item.updated_at = clock.iso()
    if status in schema.RESOLVED_OBLIGATION_STATUSES:
        item.resolved_by, item.resolved_at = actor, item.updated_at
        item.resolution_note, item.evidence_key = reason, evidence_key
        item.done_on = done_on if status == ObligationStatus.DONE else None
    else:
        _clear_resolution(item)
    _index_obligation(item, team)
    mark_changed(contract_id)
    _save_status(item, condition, _audit_line(contract_id, actor, f"obligation.{status}", {
        "obligation_id": obligation_id, "from": old, "reason": reason, "due": item.due,
        **({"evidence_key": evidence_key} if evidence_key else {}),
        **({"done_on": item.done_on} if item.done_on else {}), **(detail or {})}))
    if item.kind == money.CREDIT_CLAIM:  # a claim waived, cancelled or opened again: its credit counts anew
        stake.claim_changed(contract_id, obligation_id, team)
        _credit_checks_follow(contract_id, obligation_id)
    if item.recurrence and not item.due and status != ObligationStatus.DONE and not keep_flag:
        # a rule marked done before 2026-12-07, reopened or waived: a person settled its flag
        set_rule_marked_done(contract_id, obligation_id, None)
    return item


def _save_status(item: ObligationItem, condition: Any, line: AuditItem) -> None:
    """Write an obligation's new status and its audit line. A term end's in one transaction (both or
    neither): its status and renewal calendar keys are what lists it as ended or its renewal unknown
    (a person's done), so the listing is never written without the line that says who made it. A
    refusal by a condition (the status, the version: written meanwhile) or by another write of it in
    flight (a transaction conflict) is raised as the PutError a
    plain save raises, the transaction's cancellation reasons kept on its cause (which item refused,
    and why); another (throttled, say) as it is, nothing written."""
    if item.kind != schema.EXPIRATION_KIND:
        item.save(condition=condition)
        line.save(condition=AuditItem.sk.does_not_exist())
        return
    try:
        with TransactWrite(connection=ObligationItem._get_connection().connection) as t:
            t.save(item, condition=condition)
            t.save(line, condition=AuditItem.sk.does_not_exist())
    except TransactWriteError as exc:
        if _refused_as_changed(exc, or_in_conflict=True):
            raise _written_meanwhile(exc) from exc
        raise


def _written_meanwhile(exc: TransactWriteError) -> PutError:
    """A transaction refused by a condition or another write in flight, as the PutError a plain save
    raises (the API's 409: another request changed the record), its cancellation reasons kept on its
    cause (which item refused, and why)."""
    reasons = [r.code if r is not None else None for r in exc.cancellation_reasons or []]
    return PutError(cause=VerboseClientError(
        {"Error": {"Code": "ConditionalCheckFailedException",
                   "Message": f"written meanwhile (cancellation reasons: {reasons})"}},
        "TransactWriteItems", cancellation_reasons=exc.cancellation_reasons))


def set_credit_check(contract_id: str, finding_id: str, message: str | None) -> bool:
    """Put the flag of a credit to check by hand on the contract (``message``) or take it off (None):
    ``ContractItem.credit_checks``, shown on Needs attention. True when written."""
    return _set_keyed_flag(contract_id, "credit_checks", finding_id, message)


def check_credit(contract: ContractItem, finding: FindingItem, checked: dict, *, actor: str) -> None:
    """A person's check of a breach's credit flag (``checked``: ``money.credit_checked``'s shape): kept
    on the finding, the flag taken off the contract, the audit line (``credit.checked``) written and the
    team's running totals recounted (a standing check takes a credit to check by hand out of the amounts
    unknown: ``money.amount_unknown``) in one transaction (all or none). Refused as written meanwhile
    (PutError, the API's 409) when the finding changed since it was read (a corrected file recorded
    meanwhile: its flag is another) or another write of it is in flight; made again on the contract and
    ledger read anew when only they moved (another derived field, another finding counted meanwhile)."""
    read = finding.detail
    detail = {**(read or {}), money.CREDIT_CHECKED: checked}
    line = _audit_line(contract.contract_id, actor, "credit.checked", {
        "finding_id": finding.finding_id, "period": finding.period, **checked})
    mark_changed(contract.contract_id)  # its Needs attention changes
    for attempt in itertools.count(1):
        claim = stake.claim_status(finding)  # read on each try: a claim done or waived meanwhile counts as it is
        flags = {k: v for k, v in (contract.credit_checks or {}).items() if k != finding.finding_id}
        finding.detail = detail  # as the ledger counts it once checked
        try:
            with TransactWrite(connection=FindingItem._get_connection().connection) as t:
                t.update(finding, actions=[FindingItem.detail.set(detail)], condition=_finding_as_read(finding, read))
                t.update(contract, actions=[ContractItem.credit_checks.set(flags) if flags
                                            else ContractItem.credit_checks.remove()])
                t.save(line, condition=AuditItem.sk.does_not_exist())
                stake.count_within(t, finding, contract.team, claim)
        except TransactWriteError as exc:
            finding.detail = read
            if not _refused_as_changed(exc, or_in_conflict=True):
                raise
            finding_refused = (exc.cancellation_reasons or [None])[0]
            if (finding_refused is not None and finding_refused.code not in (None, "None")) or attempt >= CONTRACT_WRITE_ATTEMPTS or not reread_contract(contract):
                raise _written_meanwhile(exc) from exc
            continue  # the contract's version or the ledger's alone: read again, made again
        return


def _finding_as_read(finding: FindingItem, detail: dict | None) -> Any:
    """A condition: the finding is still as read (its detail ``detail``, its amount and words), no
    corrected file recorded over it since."""
    condition = FindingItem.detail == detail if detail is not None else FindingItem.detail.does_not_exist()
    for name in ("amount", "currency", "summary", "derivation"):
        attribute, value = getattr(FindingItem, name), getattr(finding, name)
        condition &= attribute == value if value is not None else attribute.does_not_exist()
    return condition


def set_rule_marked_done(contract_id: str, obligation_id: str, message: str | None) -> bool:
    """Put the flag of a recurring duty's rule a person marked done before 2026-12-07 on the contract
    (``message``) or take it off (None): ``ContractItem.rules_marked_done``, shown on Needs
    attention. True when written."""
    return _set_keyed_flag(contract_id, "rules_marked_done", obligation_id, message)


def _set_keyed_flag(contract_id: str, field: str, key: str, message: str | None) -> bool:
    """Set (``message``) or remove (None) one entry of a contract's ``{key: message}`` flags field. A
    derived field: another writer's version-checked save is made again over it
    (DERIVED_CONTRACT_FIELDS). True when written."""
    item = get_contract(contract_id)
    if item is None:
        return False
    attribute = getattr(ContractItem, field)

    def actions() -> list[Any] | None:
        flags = dict(getattr(item, field) or {})
        if message is None:
            if key not in flags:
                return None
            del flags[key]
        elif flags.get(key) == message:
            return None
        else:
            flags[key] = message
        return [attribute.set(flags) if flags else attribute.remove()]

    if actions() is None:
        return False
    mark_changed(contract_id)  # its Needs attention changes
    return update_derived(item, (field,), actions)


def _credit_checks_follow(contract_id: str, obligation_id: str) -> None:
    """A credit claim's status changed: the flag of its breach, when its amount is to check by hand,
    follows it (off when done, waived or cancelled; on again when opened again)."""
    claim = get_obligation(contract_id, obligation_id)
    for finding in money.findings(contract_id):
        if finding.claim_obligation_id == obligation_id and finding.kind == "sla_breach":
            set_credit_check(contract_id, finding.finding_id, money.credit_check_of(finding, claim))


def acknowledge_obligation(item: ObligationItem, *, actor: str) -> bool:
    """Record that the owner has seen the obligation (for its current due date: escalation stops,
    reminders to the owner go on). False when it already was."""
    if item.acknowledged:
        return False
    item.acknowledged_by, item.acknowledged_at, item.acknowledged_due = actor, clock.iso(), item.due
    item.acknowledged_for_day = None
    mark_changed(item.contract_id)
    item.save(condition=ObligationItem.status == ObligationStatus.OPEN.value)  # never on a closed one
    record_audit(item.contract_id, actor, "obligation.acknowledged",
                 {"obligation_id": item.obligation_id, "due": item.due})
    return True


def carry_acknowledgement(item: ObligationItem, acknowledged: ObligationItem, *, actor: str) -> bool:
    """Carry the acknowledgement of ``acknowledged`` (the same period of a recurring duty on the day
    it was due before a calendar changed) to ``item``, its occurrence on its new day: by the same
    person, at the same time, for the new day, saying the day it was given for (audited: the person
    is told the day moved by its reminders, but the escalation stays stopped). False when ``item``
    is acknowledged already; only an open one (the write is conditioned on it)."""
    if item.acknowledged:
        return False
    given_for = acknowledged.acknowledged_for_day or acknowledged.due
    item.acknowledged_by, item.acknowledged_at = acknowledged.acknowledged_by, acknowledged.acknowledged_at
    item.acknowledged_due, item.acknowledged_for_day = item.due, given_for
    mark_changed(item.contract_id)
    item.save(condition=ObligationItem.status == ObligationStatus.OPEN.value)
    record_audit(item.contract_id, actor, "obligation.acknowledged",
                 {"obligation_id": item.obligation_id, "due": item.due, "acknowledged_for_day": given_for,
                  "carried_from": acknowledged.obligation_id, "by": item.acknowledged_by, "at": item.acknowledged_at,
                  "reason": f"acknowledged by {item.acknowledged_by} at {item.acknowledged_at} while it was due "
                            f"{given_for}; the calendar changed moved the period's occurrence to {item.due}"})
    return True


def set_obligation_owner(item: ObligationItem, owner: str, *, team: str, actor: str) -> bool:
    """A person gives the obligation an owner (kept when the pipeline records it again). False
    when a person had already given it this owner (the same address in other capitals included)."""
    if item.owner_assigned_by and (item.owner or "").lower() == owner.lower():
        return False
    old = item.owner
    item.owner, item.unowned, item.owner_assigned_by = owner, False, actor
    item.updated_at = clock.iso()
    _index_obligation(item, team)
    mark_changed(item.contract_id)
    item.save()
    record_audit(item.contract_id, actor, "obligation.owner_set",
                 {"obligation_id": item.obligation_id, "from": old, "to": owner})
    return True


def rules_marked_done() -> list[ObligationItem]:
    """Every team's recurring duties' rules (a recurrence, no due day) stored as done, by scan: an
    operator's upgrade (``pipeline.rules_marked_done``; until 2026-12-07 a person could mark one done)."""
    return list(ObligationItem.scan((ObligationItem.item_type == ItemType.OBLIGATION)
                                    & (ObligationItem.status == ObligationStatus.DONE.value)
                                    & ObligationItem.recurrence.exists() & ObligationItem.due.does_not_exist()))


def contracts_with_rules_marked_done() -> list[ContractItem]:
    """Every team's contracts carrying a flag of a rule marked done, by scan (the upgrade's run takes
    off the flags whose rule is no longer done: ``pipeline.rules_marked_done``)."""
    return list(ContractItem.scan((ContractItem.item_type == ItemType.CONTRACT)
                                  & ContractItem.rules_marked_done.exists()))


def open_obligations_of_team(team: str) -> list[ObligationItem]:
    """The team's open dated obligations, soonest first."""
    return list(ObligationItem.by_team.query(schema.team_obligations_pk(team, ObligationStatus.OPEN)))


def delete_contract_items(contract_id: str) -> int:
    """Remove a contract's terms, obligations, renewal decisions, the feeds' entries of its deadlines,
    its invoices' records (the same file uploaded again is a new life: its invoices sent again are
    checked again, not refused as duplicates of the deleted one's) and (last, so a retry finds it) its
    record; the audit trail and its findings (marked ``contract_deleted``) stay."""
    items = [i for i in _Item.query(contract_pk(contract_id))
             if i.sk == schema.CONTRACT_SK
             or i.sk.startswith((schema.TERM_PREFIX, schema.OBLIGATION_PREFIX, schema.ALERT_PREFIX,
                                 schema.REMINDER_SENT_PREFIX, schema.RENEWAL_PREFIX,
                                 schema.FEED_ENTRY_PREFIX, schema.INVOICE_PREFIX))]
    for item in sorted(items, key=lambda i: i.sk == schema.CONTRACT_SK):
        item.delete()
    return len(items)


# --- alerts --------------------------------------------------------------------------------------

def put_if_new(item: _Item) -> bool:
    """Save ``item`` only if nothing has its key yet (a claim: send once, deliver once); False when
    something had it already."""
    try:
        item.save(condition=type(item).pk.does_not_exist())
        return True
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False


class ReminderClaim(enum.Enum):
    CLAIMED = "claimed"  # this delivery sends the reminder (or holds it for a digest)
    HANDLED = "handled"  # sent (or held) already: a retried or duplicated delivery sends nothing
    IN_FLIGHT = "in_flight"  # another delivery claimed it and its lease has not run out


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def claim_reminder(contract_id: str, reminder: str, outcome: str, *, now: datetime,
                   lease_seconds: float | None = config.REMINDER_LEASE_SECONDS) -> tuple[ReminderClaim, str | None]:
    """Write the reminder's ``SENT#`` item before the email goes out, only if it has none or its
    claim ran out unsettled (an invocation that died after claiming: the email may not have gone).
    With ``lease_seconds`` the claim holds until ``settle_reminder`` (or its lease ends); None
    writes it settled (a reminder held for a digest sends nothing). Returns the outcome and, when
    claimed, the lease's end (what ``settle_reminder`` and ``give_back_reminder`` check)."""
    from .models import ReminderSentItem

    until = _iso_utc(now + timedelta(seconds=lease_seconds)) if lease_seconds is not None else None
    item = ReminderSentItem(contract_pk(contract_id), schema.reminder_sent_sk(reminder),
                            item_type=ItemType.REMINDER_SENT, contract_id=contract_id, reminder=reminder,
                            outcome=outcome, recorded_at=clock.iso(), sending_until=until)
    try:
        item.save(condition=ReminderSentItem.pk.does_not_exist()
                  | (ReminderSentItem.sending_until < _iso_utc(now)))
        return ReminderClaim.CLAIMED, until
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
    try:
        held = ReminderSentItem.get(contract_pk(contract_id), schema.reminder_sent_sk(reminder), consistent_read=True)
    except ReminderSentItem.DoesNotExist:  # given back in between: the retry claims it
        return ReminderClaim.IN_FLIGHT, None
    return (ReminderClaim.IN_FLIGHT if held.sending_until is not None else ReminderClaim.HANDLED), held.sending_until


def settle_reminder(contract_id: str, reminder: str, until: str) -> bool:
    """The email went: the claim becomes "sent" for good (its lease removed). False when the claim
    is no longer this delivery's (its lease ran out and another delivery took it over: that one
    sends the reminder again and settles it)."""
    from .models import ReminderSentItem

    try:
        ReminderSentItem(contract_pk(contract_id), schema.reminder_sent_sk(reminder)).update(
            actions=[ReminderSentItem.sending_until.remove()], condition=ReminderSentItem.sending_until == until)
        return True
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False


def give_back_reminder(contract_id: str, reminder: str, until: str) -> None:
    """The email could not be sent: the claim goes at once (the retry sends it), unless another
    delivery has taken it over meanwhile."""
    from .models import ReminderSentItem

    try:
        ReminderSentItem(contract_pk(contract_id), schema.reminder_sent_sk(reminder)).delete(
            condition=ReminderSentItem.sending_until == until)
    except DeleteError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise


# --- calendar feeds ------------------------------------------------------------------------------

def create_feed(token_sha256: str, *, feed_id: str, team: str, owner: str | None, label: str | None,
                actor: str) -> FeedItem:
    """Store a new feed under the hash of its token (never the token)."""
    item = FeedItem(schema.feed_pk(token_sha256), schema.FEED_SK, item_type=ItemType.FEED,
                    feed_id=feed_id, team=team, owner=owner, label=label, created_by=actor,
                    created_at=clock.iso(), revoked=False,
                    gsi1pk=schema.team_feeds_pk(team), gsi1sk=feed_id)
    item.save(condition=FeedItem.pk.does_not_exist())
    return item


def feed_of_token(token_sha256: str) -> FeedItem | None:
    try:
        return FeedItem.get(schema.feed_pk(token_sha256), schema.FEED_SK)
    except FeedItem.DoesNotExist:
        return None


def revoke_feed(item: FeedItem, *, actor: str) -> FeedItem:
    """Revoke a feed (idempotent: a revoked one keeps who revoked it first)."""
    if not item.revoked:
        item.update(actions=[FeedItem.revoked.set(True), FeedItem.revoked_by.set(actor),
                             FeedItem.revoked_at.set(clock.iso())])
    return item
