"""Record an extraction: term versions, obligations and the dated deadlines derived from them.

An amendment's extraction changes the contract it amends: its terms become new versions of that
contract's terms (source = the amendment), dependent dates are recomputed with their arithmetic, and
the deadlines move, which re-plans the reminders.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from pynamodb.exceptions import PutError

from .. import clock, dates, schema
from ..dates import TermEndConvention
from ..extract import notice_fit
from ..extract.amendments import label_number
from ..extract.contract_language import NOT_A_CONTRACT
from ..extract.model import Amendment, ContractExtraction, Evidence, Term
from ..extract.numbers import ordinal_to_int
from ..extract.term import TERM_EXTENSION
from ..extract.term_start import AMENDED_AGREEMENT_ANNIVERSARY, AMENDED_AGREEMENT_START, AMENDED_AGREEMENT_YEAR_END
from ..money.amended_fees import merge_amended_fee
from ..plan import (
    EXPIRATION_ID,
    NOTICE_DEADLINE_ID,
    ContractInfo,
    Deadline,
    EarlierValue,
    after_the_term,
    deadlines_for_contract,
    done_period,
    earlier_values,
    format_day,
    in_force_for_term,
    occurrence_for_period,
    passed_notice_deadline,
    renewed_from,
    rolled_terms,
    value_for_term,
)
from ..schema import RESOLVED_OBLIGATION_STATUSES, ContractStatus
from ..store import repository as repo
from ..store.models import ContractItem, ObligationItem, TermItem
from .rules_marked_done import clear_flags_of_ended

log = logging.getLogger(__name__)

# roles of the party a buying team contracts with; the first such party is the counterparty
_VENDOR_ROLES = ("provider", "supplier", "vendor", "licensor", "seller", "consultant", "contractor",
                 "service provider", "manufacturer", "distributor", "disclosing party")


def counterparty_of(extraction: ContractExtraction) -> str | None:
    parties = extraction.parties
    for party in parties:
        if (party.role or "").lower() in _VENDOR_ROLES:
            return party.name
    return parties[0].name if parties else None


def contract_info(contract: ContractItem) -> ContractInfo:
    return ContractInfo(contract_id=contract.contract_id, title=contract.title or contract.file_name,
                        counterparty=contract.counterparty, owner=contract.owner, team=contract.team,
                        contract_type=contract.contract_type, time_zone=contract.time_zone,
                        jurisdiction=contract_jurisdiction(contract))


def contract_jurisdiction(contract: ContractItem, extraction: ContractExtraction | None = None) -> str | None:
    """The jurisdiction whose business days the contract's dates and reminder days count, by the one
    rule (``dates.contract_calendar``): the upload metadata's, else the governing law as read,
    entered or amended, of ``extraction`` (the terms about to be stored) or else of the record's."""
    if extraction is not None:
        law = extraction.value("governing_law")
    else:
        terms = (contract.extraction or {}).get("terms") or {}
        stored = terms.get("governing_law") if isinstance(terms, dict) else None
        law = stored.get("value") if isinstance(stored, dict) else None
    return dates.contract_calendar(contract.jurisdiction, law)


def calendar_source(contract: ContractItem, extraction: ContractExtraction | None = None) -> str:
    """Where the contract's calendar comes from, in words: "the upload's jurisdiction US-NY", "the
    jurisdiction GB-ENG set by dana@example.com" (``entries.set_jurisdiction``), "the governing law
    'England and Wales'", "no jurisdiction or governing law: the default"."""
    calendar = contract_jurisdiction(contract, extraction)
    if contract.jurisdiction and contract.jurisdiction.strip():
        calendar = dates.jurisdiction_spelling(calendar)  # a stored "us-ny" said US-NY
        if contract.jurisdiction_set_by:
            return f"the jurisdiction {calendar} set by {contract.jurisdiction_set_by}"
        return f"the upload's jurisdiction {calendar}"
    return f"the governing law {calendar!r}" if calendar else "no jurisdiction or governing law: the default"


def recount_notice_deadline(contract: ContractItem, extraction: ContractExtraction, *,
                            counted_with: str | None, why: str) -> Term | None:
    """The notice deadline of ``extraction`` counted again with the contract's calendar
    (``contract_jurisdiction(contract, extraction)``), when its notice period counts business days and
    it was counted with another calendar (``counted_with``) or comes to another day: the value, the
    arithmetic naming the calendar and where it comes from, why it was recounted and the day counted
    before (its clause and the document it is quoted from stay). None when nothing is to recount:
    no such deadline, a notice period in calendar days (no calendar counts it), the same calendar."""
    term = extraction.term("notice_deadline")
    expiration = dates.parse_day(extraction.value("expiration_date"))
    notice, where = _first_term_notice(extraction)  # the running term's, as the deadline was counted
    try:
        period = dates.as_duration(notice or "")
    except (ValueError, TypeError, AttributeError):
        return None
    if term is None or expiration is None or not period.business_days:
        return None
    calendar = contract_jurisdiction(contract, extraction)
    derived = dates.notice_deadline(expiration, period, calendar)
    if derived.iso() == term.value and dates.same_calendar(calendar, counted_with):
        return None
    derivation = (f"{_with_where(derived.derivation, period.iso(), where)} = {derived.iso()}: recounted with the "
                  "contract's calendar "
                  f"({calendar_source(contract, extraction)}) because {why}; counted before with "
                  f"{dates.holidays_words(counted_with)}: {term.value}")
    return replace(term, value=derived.iso(), derivation=derivation,
                   moved_to_business_day=derived.moved_to_business_day)


def audit_recount(contract: ContractItem, before: Term, after: Term, counted_with: str | None, *,
                  calendar: str | None, why: str, actor: str) -> None:
    """The trail of a notice deadline recounted with another calendar: old and new value, both
    calendars, why."""
    repo.record_audit(contract.contract_id, actor, "notice_deadline.recounted", {
        "previous": before.value, "value": after.value, "previous_calendar": dates.holidays_words(counted_with),
        "calendar": dates.holidays_words(calendar), "why": why, "derivation": after.derivation})


def time_zone_followed(contract: ContractItem, agreement: ContractItem | None = None) -> str:
    """The zone a contract's days are counted in, as the API and the CLI show it: an amendment
    applied to a contract (``amends_contract_id``) follows that contract's (its dates live there,
    and its own zone cannot be set), whatever zone its upload named; any other contract, its own.
    ``agreement``: the amended contract when the caller has read it already."""
    if not contract.amends_contract_id:
        return contract.time_zone
    if agreement is None or agreement.contract_id != contract.amends_contract_id:
        agreement = repo.get_contract(contract.amends_contract_id)
    return agreement.time_zone if agreement is not None else contract.time_zone


def local_today(contract: ContractItem):
    """Today in the contract's time zone: the day its deadlines are counted from."""
    return _today_in(contract.time_zone)


def record_extraction(contract: ContractItem, extraction: ContractExtraction, *, actor: str) -> None:
    """Store a contract's extraction: term versions, obligations, dated deadlines; an amendment
    is applied to the contract it amends. A crash before the EXTRACTED write is repaired by the
    redelivered message, which records it all again; one after it, by `settle_extracted`, which
    the redelivered message runs."""
    title = extraction.title or contract.title or contract.file_name
    counterparty = (contract.upload_metadata or {}).get("counterparty") or counterparty_of(extraction)
    stored = repo.current_terms(contract.contract_id)  # one read for what follows
    entered = {name: item for name, item in stored.items() if item.entered_by}  # save_terms keeps them
    # the extractor's business-day notice deadline, counted with the contract's calendar (written so)
    recount = _recount_extracted_notice_deadline(contract, extraction, entered)
    repo.save_terms(contract.contract_id, extraction.present_terms(),
                    source_contract_id=contract.contract_id, actor=actor, existing=stored)
    before = stored.get("notice_deadline")
    if recount is not None and (before is None or (before.value, before.derivation)
                                != (recount[1].value, recount[1].derivation)):  # once, not per redelivery
        audit_recount(contract, *recount, calendar=contract_jurisdiction(contract, extraction),
                      why=EXTRACTOR_CALENDAR, actor=actor)
    # a person's entries stand over what was extracted (save_terms kept them and audited the rest),
    # with the notice deadline counted from them
    extraction = with_entered_terms(contract.contract_id, extraction, entered)
    if entered:  # a notice period or term a person entered may settle what the text alone did not fit
        extraction.attention = notice_fit.without_settled(extraction.attention, {
            name: term.value for name, term in extraction.terms.items() if term is not None})
    if entered or contract.confirmed_contract:  # a person entered its terms, or said it is a contract:
        # it is one, whatever the text alone suggests
        extraction.attention = [flag for flag in extraction.attention if flag.get("kind") != NOT_A_CONTRACT]
    derived = entered_notice_deadline(contract.contract_id, extraction, contract_jurisdiction(contract, extraction),
                                      entered)
    if derived is not None:
        extraction.terms["notice_deadline"] = derived
        repo.save_terms(contract.contract_id, {"notice_deadline": derived},
                        source_contract_id=contract.contract_id, actor=actor)
    fields: dict[str, Any] = dict(extraction=extraction.to_dict(), title=title, counterparty=counterparty)
    if extraction.is_amendment:
        # its own dates' markers first: an amendment of it recorded from now on finds it by them
        repo.mark_amendment_itself(contract, extraction)
        original, problem = find_amended_contract(contract, extraction)
        if original is None:
            # filed as waiting (its date marker, then EXTRACTED), then looked for again: its
            # contract, recorded meanwhile by another invocation, may have checked the waiting
            # amendments before this one was among them (each side writes, then reads, strongly
            # consistent: one of them sees the other). A failure after this write is repaired by
            # the redelivered message (settle_extracted).
            repo.mark_dated(contract, extraction)
            contract = repo.update_contract(contract, actor=actor, status=ContractStatus.EXTRACTED,
                                            reason=problem, amends_contract_id=None,
                                            amendment_candidates=getattr(problem, "candidates", None) or None,
                                            detail={"document_type": "amendment", "problem": problem},
                                            **fields)
            fields = {}
        settle_amendment(contract, extraction, actor=actor, original=original, fields=fields)
        return
    for obligation in extraction.obligations:
        repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
            obligation_id=obligation.id, kind=obligation.kind, summary=obligation.summary,
            party=obligation.party, due=obligation.due_date, recurrence=obligation.recurrence,
            offset=obligation.offset,
            evidence=None if obligation.evidence is None else obligation.evidence.to_dict(),
            derivation=obligation.derivation, owner=contract.owner),
            team=contract.team, actor=actor)
    # its date markers before the record says EXTRACTED: no extracted contract is without them, so
    # an amendment finds it by them alone, whatever fails after this write (a path with no
    # redelivery included: the stuck contracts' recovery, a retry a person asked for)
    repo.mark_dated(contract, extraction)
    # what a person must review (a date left out, a document that does not read as a contract) is
    # in the trail with the status it came with
    review = {"needs_review": [{"kind": f.get("kind"), "message": f.get("message")} for f in extraction.attention]} \
        if extraction.attention else {}
    repo.update_contract(contract, actor=actor, status=ContractStatus.EXTRACTED,
                         detail={"terms": sorted(extraction.present_terms()),
                                 "obligations": len(extraction.obligations), **review}, **fields)
    settle_extracted(contract, actor=actor, marked=True)


EXTRACTOR_CALENDAR = "the extractor counts with the governing law as it read it"


def _recount_extracted_notice_deadline(contract: ContractItem, extraction: ContractExtraction,
                                       entered: dict) -> tuple[Term, Term, str | None] | None:
    """The extractor counts a business-day notice deadline with the governing law's calendar as it
    read it (``extract.renewal.compute_notice_deadline``); the contract's calendar may be another
    (the upload's jurisdiction, a governing law a person entered): the deadline is recounted with
    it in ``extraction`` itself, before it is stored. Returns (as extracted, as recounted, the
    calendar the extractor counted with), or None with nothing to recount. Not for an amendment (its
    dates are counted on the contract it amends) nor for a deadline counted from a person's entries
    (``entered_notice_deadline`` counts that one with the contract's calendar)."""
    extracted = extraction.term("notice_deadline")
    if extracted is None or extraction.is_amendment or \
            {"notice_deadline", "expiration_date", "notice_period"} & entered.keys():
        return None
    counted_with = dates.contract_calendar(None, extraction.value("governing_law"))
    merged = with_entered_terms(contract.contract_id, extraction, entered)  # a governing law entered counts
    recounted = recount_notice_deadline(contract, merged, counted_with=counted_with, why=EXTRACTOR_CALENDAR)
    if recounted is None:
        return None
    extraction.terms["notice_deadline"] = recounted
    return extracted, recounted, counted_with


def settle_extracted(contract: ContractItem, *, actor: str, marked: bool = False) -> None:
    """What follows a contract's EXTRACTED write: its dated deadlines and the amendments waiting for
    it; for an amendment not applied yet, its contract looked for again. Idempotent: a redelivered
    message runs it again (`pipeline.textjob`), since the invocation that wrote EXTRACTED may have
    failed after it (a concurrent write refused by the item's version, the planner's among them).
    Its date markers are written again unless ``marked`` (the caller wrote them just before the
    record; a record saved by an earlier version may lack them)."""
    extraction = contract.extracted
    if extraction is None:
        return
    if extraction.is_amendment:
        if not contract.amends_contract_id:
            if not marked:
                repo.mark_dated(contract)
            settle_amendment(contract, extraction, actor=actor)
        elif (original := repo.get_contract(contract.amends_contract_id)) is not None:
            # applied: what follows its EXTRACTED write is finished (its claims' recount, the look at
            # the amendments of it waiting, may have failed)
            _applied(original, extraction, contract, actor=actor)
        return
    if not marked:
        repo.mark_dated(contract)
    try:
        refresh_deadlines(contract, today=local_today(contract), actor=actor)
    finally:  # tried even when the deadlines failed: on a path with no redelivery nothing else would
        settle_waiting_amendments(contract, extraction, actor=actor, marked=True)


def settle_waiting_amendments(contract: ContractItem, extraction: ContractExtraction, *, actor: str,
                              marked: bool = False) -> None:
    """Apply the amendments waiting for an agreement of the contract's dates (filed before it was
    extracted, or before a person entered the date they name): its date markers first (an
    amendment waiting from now on finds it; ``marked``: the caller wrote them), then theirs."""
    if not marked:
        repo.mark_dated(contract)
    for amendment in pending_amendments(contract, extraction):
        if (pending := amendment.extracted) is not None:
            settle_amendment(amendment, pending, actor=actor)


def settle_amendment(amendment: ContractItem, extraction: ContractExtraction, *, actor: str,
                     original: ContractItem | None = None, fields: dict[str, Any] | None = None,
                     audit: tuple[str, dict[str, Any]] | None = None) -> None:
    """Apply the amendment to the contract it names (``original``; else the one it is being applied
    to already; else looked for), once. It is claimed for that contract first (``claim_amendment``:
    a write checked against its version, so two invocations, or a person's link, never apply it to
    two contracts), then the contract is amended unless it lists it already, then the amendment is
    EXTRACTED and names it (with ``fields`` of its extraction when first recorded; audited).
    Claimed for another contract, it is left to that one; with no contract on file it waits, and
    the amendments of it waiting (naming one of its own dates) are looked at again: it is on file now,
    applied to none (``look_again_at_amendments_of``: a Second Amendment recorded before the First
    stops saying none is on file). A
    failure after the claim leaves it waiting, claimed: the next settling (its redelivered message,
    the contract's, the operator's look at waiting amendments, a person's link) finishes it."""
    current = repo.get_contract(amendment.contract_id) or amendment  # its version now
    if original is None and current.amending_contract_id:  # being applied already: finished
        original = repo.get_contract(current.amending_contract_id)
    if original is None:
        original, problem = find_amended_contract(amendment, extraction)
        if original is None:
            try:
                _still_waiting(current, problem, actor=actor)
            finally:  # an amendment of it waiting is told it is on file now, whatever failed here
                look_again_at_amendments_of(current, actor=actor, gone=False)
            return
    if not claim_amendment(current, original, actor=actor):
        return
    if amendment.contract_id not in (original.amended_by or []):  # a consistent read, just made
        ask_order_again(original, amendment, extraction, actor=actor)
        apply_amendment(original, amendment, extraction, actor=actor)
        # an order confirmed between that look and the application was of an order without this
        # one: looked at again now it is applied, and the amendments applied again to flag it
        amended = repo.get_contract(original.contract_id) or original
        if ask_order_again(amended, amendment, extraction, actor=actor):
            apply_amendments_again(amended, actor=actor, why=f"{amendment.file_name} was filed as the order of "
                                                             f"the amendments was being confirmed")
    now = repo.get_contract(amendment.contract_id) or current
    if now.status == ContractStatus.EXTRACTED and now.amends_contract_id == original.contract_id:
        _applied(original, extraction, amendment, actor=actor)  # a try that failed after it left it
        return  # another invocation recorded it
    waited = now.status == ContractStatus.EXTRACTED
    fields = _with_no_change_flag(now, extraction, fields or {}, original)
    repo.update_contract(now, actor=actor, status=ContractStatus.EXTRACTED, reason=None,
                         amends_contract_id=original.contract_id, amending_contract_id=None,
                         amendment_candidates=None, detail={"document_type": "amendment", "problem": None},
                         **fields)
    if not stated_changes(extraction) and not now.amendment_checked \
            and (entry := entry_settling(now, extraction, original.contract_id)) is not None:
        # entered while it waited to be applied (or linked): not flagged, and said so once, here
        audit_settled_by_entry(original.contract_id, now, entry, no_change_message(now, extraction) +
                               " (not raised: entered before it was applied)", actor=actor)
    if waited or audit is not None:  # no status change to audit: say so on the amendment's own trail
        action, detail = audit or ("amendment.applied", {})
        repo.record_audit(amendment.contract_id, actor, action,
                          {"contract_id": original.contract_id, "file_name": original.file_name, **detail})
    _applied(original, extraction, amendment, actor=actor)


def _applied(original: ContractItem, extraction: ContractExtraction, amendment: ContractItem, *, actor: str) -> None:
    """What follows an amendment's recording as applied to ``original`` (idempotent: a redelivery, a
    settling that finds it recorded, finishes it): the open claims' windows counted again, and the
    amendments of it waiting (naming one of its own dates) looked at again, so one offered nothing
    is offered ``original`` through it at once (``look_again_at_amendments_of``; tried even when the
    recount failed: a person's link has no redelivery)."""
    try:
        _recount_amended_claims(original, extraction, amendment, actor=actor)
    finally:
        look_again_at_amendments_of(amendment, actor=actor, gone=False)


def _still_waiting(amendment: ContractItem, problem: str | None, *, actor: str,
                   excluding: frozenset[str] = frozenset()) -> None:
    """An amendment looked at again that still waits: its reason and the contracts it could amend
    (``amendment_candidates``) as they are now (an agreement of its day extracted since, one deleted,
    an earlier amendment applied), written only when they changed, checked against the version
    read (read again, in place, when refused: written again only while it still waits, claimed by
    no contract, and looked at again first, as another look may have written a later state: an
    earlier amendment applied meanwhile); audited ``amendment.candidates`` with what it held before."""
    for attempt in itertools.count(1):
        if amendment.status != ContractStatus.EXTRACTED or amendment.amends_contract_id \
                or amendment.amending_contract_id:
            return  # applied, being applied or no longer extracted: not waiting
        if attempt > 1 and (extraction := amendment.extracted) is not None:
            problem = _waiting_problem(amendment, extraction, excluding)  # as it is now
        candidates = getattr(problem, "candidates", None) or None
        before = (amendment.status_reason, amendment.amendment_candidates or None)
        if before == (problem, candidates):
            return
        try:
            repo.update_contract(amendment, actor=actor, status=amendment.status, reason=problem,
                                 amendment_candidates=candidates)
        except Exception as exc:
            if attempt >= repo.CONTRACT_WRITE_ATTEMPTS or not repo.refused_by_another_write(exc) \
                    or not repo.reread_contract(amendment):
                raise
            continue
        repo.record_audit(amendment.contract_id, actor, "amendment.candidates", {
            "reason": None if problem is None else str(problem),
            "candidates": [c["contract_id"] for c in candidates or []],
            "before": {"reason": before[0], "candidates": [c.get("contract_id") for c in before[1] or []
                                                           if isinstance(c, dict)]}})
        return


def _recount_amended_claims(original: ContractItem, extraction: ContractExtraction, amendment: ContractItem, *,
                            actor: str) -> None:
    """An amendment that states a governing law, recorded: the open credit claims' business-day
    windows counted again (after its EXTRACTED write: the day its terms are in force from is read
    from its stored extraction). Idempotent (a claim already at its day does not move), so a
    redelivery finishes one that failed; a governing law a person entered, or a later amendment's,
    stands, and nothing moves."""
    if extraction.term("governing_law") is not None:
        recount_claim_windows(repo.get_contract(original.contract_id) or original, actor=actor,
                              why=f"{amendment.file_name} amended the governing law")


def _with_no_change_flag(amendment: ContractItem, extraction: ContractExtraction,
                         fields: dict[str, Any], original: ContractItem) -> dict[str, Any]:
    """``fields`` with the amendment's own extraction flagged for a person when no term change was
    read from it (``NO_CHANGE_READ``: the contract it is applied to, ``original``, is flagged too)."""
    if stated_changes(extraction) or amendment.amendment_checked or \
            entry_settling(amendment, extraction, original.contract_id) is not None:  # nothing to enter
        return fields
    stored = ContractExtraction.from_dict(fields.get("extraction") or amendment.extraction)
    flag: dict[str, Any] = {"kind": NO_CHANGE_READ, "term": None,
                            "message": no_change_message(amendment, extraction), "candidates": []}
    if flag in stored.attention:
        return fields
    stored.attention = [*stored.attention, flag]
    return {**fields, "extraction": stored.to_dict()}


def entry_settling(amendment: ContractItem, extraction: ContractExtraction, contract_id: str,
                   name: str | None = None) -> TermItem | None:
    """A person's entry on the contract (``contract_id``) of every term the amendment names as the
    ones it changes (``Amendment.names_terms``: one for each heading or named section that amends),
    each made through the entries route (``person_entered``: an expiration an event's date gave is
    not one) when or after it was filed (its names read by the upgrade: since, ``names_read_at``): what the amendment changes is entered, so it asks no more
    (``NO_CHANGE_READ``). One naming a term no person enters (the fees, the service credits' tiers)
    is never settled so. The entry of ``name`` (None: the latest of them); None: not settled, or
    which term it changes is not known."""
    named = extraction.amendment.names_terms if extraction.amendment is not None else ()
    if not named or (name is not None and name not in named):
        return None
    since = max(amendment.received_at, extraction.amendment.names_read_at or "") \
        if extraction.amendment is not None else amendment.received_at
    entered = repo.entered_terms(contract_id)
    items = [entered.get(n) for n in named]
    if any(item is None or not person_entered(contract_id, item) or item.recorded_at < since for item in items):
        return None
    return entered[name] if name is not None else max((i for i in items if i is not None),
                                                      key=lambda i: i.recorded_at)


def person_entered(contract_id: str, item: TermItem) -> bool:
    """A value a person entered through the entries route (``pipeline/entries.enter_term``: "entered
    by" them, resting on no clause), not an expiration an event's date gave (``event_computed``)."""
    return bool(item.entered_by) and not event_computed(contract_id, item) and item.evidence is None \
        and (item.derivation or "").startswith("entered by ")


def audit_settled_by_entry(contract_id: str, amendment: ContractItem, entry: TermItem, flag: str, *,
                           actor: str) -> None:
    """An amendment's ``NO_CHANGE_READ`` flag gone (or never raised: ``flag`` says which), as what it
    changes was entered: audited ``amendment.settled_by_entry`` on the contract's and the amendment's
    trails, with the entry named."""
    detail: dict[str, Any] = {
        "amendment_id": amendment.contract_id, "file_name": amendment.file_name, "flag": flag,
        "entry": {"name": entry.name, "value": entry.value, "version": int(entry.version),
                  "entered_by": entry.entered_by, "at": entry.recorded_at}}
    repo.record_audit(contract_id, actor, "amendment.settled_by_entry", detail)
    repo.record_audit(amendment.contract_id, actor, "amendment.settled_by_entry",
                      {**detail, "contract_id": contract_id})


def claim_amendment(amendment: ContractItem, original: ContractItem, *, actor: str) -> bool:
    """Claim the amendment for ``original`` before amending it (``amending_contract_id``), by a
    write checked against the version ``amendment`` was read at (read again, in place, when
    refused). False, with nothing written, when it amends or is being applied to another contract
    (one that still exists)."""
    for attempt in itertools.count(1):
        if amendment.amends_contract_id == original.contract_id:
            return True
        # one that names a contract deleted since (before deletions released their amendments) is free
        if amendment.amends_contract_id and repo.get_contract(amendment.amends_contract_id) is not None:
            return False
        claimed = amendment.amending_contract_id
        if claimed == original.contract_id:
            return True
        if claimed and repo.get_contract(claimed) is not None:
            return False
        try:
            repo.update_contract(amendment, actor=actor, amending_contract_id=original.contract_id)
        except Exception as exc:
            if attempt >= repo.CONTRACT_WRITE_ATTEMPTS or not repo.refused_by_another_write(exc) \
                    or not repo.reread_contract(amendment):
                raise
            continue
        return True
    raise AssertionError("unreachable")


def refresh_deadlines(contract: ContractItem, *, today: date, actor: str, moved_by: str | None = None) -> int:
    """Upsert one obligation per dated deadline (notice, expiration, deliverables, the next
    occurrence of each recurring duty) and keep the contract's copy of its current term's dates;
    returns how many obligations changed. Idempotent. ``moved_by``: what changed the terms (an
    amendment applied: "amendment x.pdf (<id>)"), said by a term end closed done or waived that is
    open again for its new day (``repo.upsert_obligation``).

    Written from ``contract`` as the caller read it: when another invocation changed the record
    meanwhile (an amendment applied, a date a person entered, its time zone), a write is refused by
    a version check (an obligation's, or the contract's copy of the term's dates, written last), and
    the deadlines are computed again from the record as it is now, so a copy from before the change
    never stands (up to ``repo.CONTRACT_WRITE_ATTEMPTS`` times; then the refusal is raised).
    ``contract`` is read again in place, so the caller goes on with the record as it is now. A
    refusal with the record unchanged (another invocation wrote the deadlines, or is deleting the
    contract: it removes them before its record) is raised, as before."""
    for attempt in itertools.count(1):
        version, zone = contract.version, contract.time_zone
        try:
            return _write_deadlines(contract, today=today, actor=actor, moved_by=moved_by)
        except Exception as exc:
            if attempt >= repo.CONTRACT_WRITE_ATTEMPTS or not repo.refused_by_another_write(exc):
                raise
            if not repo.reread_contract(contract) or contract.version == version:
                raise
            log.info("deadlines of %s written again: the record changed since it was read (%s)",
                     contract.contract_id, type(exc).__name__)
            # the same day, as the record's time zone (perhaps changed too) counts it
            today += _today_in(contract.time_zone) - _today_in(zone)
    raise AssertionError("unreachable")


def handed_to(existing: dict[str, ObligationItem], obligation_id: str, boundary: str | None = None) -> str | None:
    """The person a recurring duty was handed to, for its next occurrence ("<duty>@<date>"): the
    owner of the latest hand-off, of the duty itself, of an earlier occurrence (handing the duty
    on hands its open occurrences on too, `actions.set_obligation_owner`) or of the same period due
    on another day (``boundary``: a calendar changed moved it, earlier or later). None for a
    deadline that is not an occurrence, or a duty nobody handed on (the contract's owner then)."""
    duty, _, due = obligation_id.partition("@")
    if not due:
        return None
    # the latest hand-off, of the duty or of an earlier occurrence (by when it was last written)
    handed = sorted((o.updated_at or "", o.due or "", o.owner) for o in existing.values()
                    if o.owner_assigned_by and o.owner and (o.obligation_id == duty or (
                        o.obligation_id.startswith(f"{duty}@") and ((o.due or "") < due or (
                            boundary is not None and dates.period_boundary(o.derivation) == boundary)))))
    return handed[-1][2] if handed else None


def _today_in(zone: str) -> date:
    return clock.now().astimezone(dates.zone(zone)).date()


def _write_deadlines(contract: ContractItem, *, today: date, actor: str, moved_by: str | None = None) -> int:
    extracted = contract.extracted
    if extracted is None or extracted.is_amendment:
        return 0  # an amendment's dates live on the contract it amends
    # strongly consistent: each deadline's stored item comes from here, not one GetItem each
    existing = {o.obligation_id: o for o in repo.obligations(contract.contract_id, consistent=True)}
    # done or waived is for one date: when a renewed term brings the next notice deadline, it is
    # open again
    resolved = {o.obligation_id if "@" in o.obligation_id or not o.due else f"{o.obligation_id}@{o.due}"
                for o in existing.values() if o.status in RESOLVED_OBLIGATION_STATUSES}
    # and a recurring duty's periods done, whatever day they are due now
    resolved |= {done_period(o.obligation_id.split("@", 1)[0], boundary) for o in existing.values()
                 if o.status in RESOLVED_OBLIGATION_STATUSES and o.kind == "recurring" and "@" in o.obligation_id
                 and (boundary := dates.period_boundary(o.derivation))}
    changed = 0
    ended = _ended(contract)
    if ended is not None:
        extracted = ended_extraction(extracted, ended.last_day, ended.derivation)
    deadlines = deadlines_for_contract(contract_info(contract), extracted, today, resolved)
    deadlines += recounted_open_occurrences(contract, extracted, existing, deadlines, resolved, today)
    if ended is not None:  # nothing is planned for after the end (a stated due date past it included)
        deadlines = [d for d in deadlines
                     if not after_the_term(d.kind, d.due.isoformat(), d.derivation, ended.last_day)]
    missed_now = keep_missed_notice_deadline(contract, existing, deadlines, today, actor=actor)
    missed_now += record_notice_missed_before_planning(contract, existing, deadlines, today, actor=actor)
    changed += missed_now
    running = passed_notice_deadline(contract_info(contract), extracted, today)
    deadlines = _term_end_told_of_missed_notice(
        deadlines, repo.obligations(contract.contract_id, consistent=True) if missed_now else existing.values(),
        running[0] if running else None)
    names: dict[str, str] = {}
    # the stored item of each id as read above; an id written since (the missed notice deadline
    # kept above, a deadline twice) is read again by upsert_obligation
    written = {missed_id(NOTICE_DEADLINE_ID, o.due) for o in existing.values() if o.due}
    for deadline in deadlines:
        # a term end rolled over to the next term's (done or waived for the one that ended): it renewed,
        # whatever refresh found it (an amendment applied, the planner)
        renewed = deadline.obligation_id == EXPIRATION_ID and (stored := existing.get(EXPIRATION_ID)) is not None \
            and renewed_from(extracted, stored.due, deadline.due)
        changed += record_deadline(contract, deadline, existing, actor=actor, names=names,
                                   read=deadline.obligation_id not in written, moved_by=moved_by, renewed=renewed)
        written.add(deadline.obligation_id)
    changed += _supersede_recounted_occurrences(contract, existing, deadlines, actor=actor)
    changed += _carry_acknowledgements(contract, existing, deadlines, actor=actor)
    if ended is not None:
        changed += close_after_end(contract, existing, deadlines, ended.last_day, ended.derivation, today,
                                   actor=actor)
        existing = {o.obligation_id: o for o in repo.obligations(contract.contract_id, consistent=True)}
    changed += _rezone_kept_actions(contract, existing, {d.obligation_id for d in deadlines}, actor=actor)
    term_dates = {d.obligation_id: d.due.isoformat() for d in deadlines}
    for term_deadline in (NOTICE_DEADLINE_ID, EXPIRATION_ID):  # resolved ones keep their date
        item = existing.get(term_deadline)
        if term_deadline not in term_dates and item is not None and \
                item.status in RESOLVED_OBLIGATION_STATUSES:
            term_dates[term_deadline] = item.due
    repo.set_current_term_dates(contract, notice_deadline=term_dates.get(NOTICE_DEADLINE_ID),
                                expiration=term_dates.get(EXPIRATION_ID),
                                ended=ended.stored() if ended else None)
    if ended is not None and contract.rules_marked_done and ended.last_day < today.isoformat():
        clear_flags_of_ended(contract, ended.last_day, actor=actor)  # a rule of it is no longer to reopen
    return changed


def record_deadline(contract: ContractItem, deadline: Deadline, existing: dict[str, ObligationItem], *, actor: str,
                    names: dict[str, str] | None = None, read: bool = True, moved_by: str | None = None,
                    renewed: bool = False) -> bool:
    """Upsert the obligation of one planned deadline (its owner: the person its duty was handed to,
    else its own, else the contract's; a clause quoted from an amendment names the amendment's file,
    ``names`` caching them). ``read``: ``existing`` holds the stored item of its id as just read
    (strongly consistent; absent: there is none). True when it changed."""
    names = {} if names is None else names
    amendment_id = (deadline.evidence or {}).get("amended_by")
    if amendment_id and deadline.evidence is not None:  # name the amendment a quoted clause comes from (emails, calendar entries)
        if amendment_id not in names:
            amendment = repo.get_contract(amendment_id)
            names[amendment_id] = amendment.file_name if amendment else amendment_id
        deadline.evidence["document"] = names[amendment_id]
    return repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
        obligation_id=deadline.obligation_id, kind=deadline.kind, summary=deadline.summary,
        due=deadline.due.isoformat(), derivation=deadline.derivation, action=deadline.action,
        evidence=deadline.evidence,
        owner=handed_to(existing, deadline.obligation_id, dates.period_boundary(deadline.derivation)
                        if deadline.kind == "recurring" else None) or deadline.owner or contract.owner),
        team=contract.team, actor=actor, moved_by=None if renewed else moved_by, renewed=renewed,
        **({"current": existing.get(deadline.obligation_id)} if read else {}))


def recounted_open_occurrences(contract: ContractItem, extracted: ContractExtraction, existing: dict,
                               deadlines: list, resolved: set[str], today: date) -> list:
    """Each open occurrence of a recurring duty for a period before the next one planned (overdue,
    or one the calendar now makes overdue) counted again as the next occurrence is, with the
    contract's calendar now (``plan.occurrence_for_period``): the same day and arithmetic when
    nothing changed (written as it is: no change), else its new day (a new item, and the old day's
    is superseded by ``_supersede_recounted_occurrences``) or the same day with the arithmetic
    naming the new holidays. A period done or waived (on any of its days) is not counted again; an
    occurrence no day can be counted for now (the rule or its offset changed, the period is after
    the term's end) keeps the one it was counted with: only a calendar changed moves a period gone
    by."""
    planned = {(d.obligation_id.split("@", 1)[0], dates.period_boundary(d.derivation)) for d in deadlines
               if d.kind == "recurring"}
    info = contract_info(contract)
    recounted: dict[tuple[str, str], Any] = {}
    for item in existing.values():
        if item.status != schema.ObligationStatus.OPEN or item.kind != "recurring" or "@" not in item.obligation_id:
            continue
        duty, boundary = item.obligation_id.split("@", 1)[0], dates.period_boundary(item.derivation)
        if boundary is None or (duty, boundary) in planned or (duty, boundary) in recounted \
                or done_period(duty, boundary) in resolved:
            continue
        deadline = occurrence_for_period(info, extracted, duty, boundary, today)
        if deadline is not None and deadline.obligation_id not in resolved \
                and _counted_before(deadline.derivation) == _counted_before(item.derivation):
            recounted[(duty, boundary)] = deadline
    return list(recounted.values())


def _counted_before(derivation: str | None) -> str:
    """An occurrence's arithmetic up to the calendar its business days were counted with (the rule,
    the period and the offset): an earlier period is counted again only when that is the same, so
    the calendar alone changed; a rule or offset an amendment changed since leaves a period gone by
    on the day it was counted with."""
    return (derivation or "").split(" (business days, ", 1)[0]


def _supersede_recounted_occurrences(contract: ContractItem, existing: dict, deadlines: list, *, actor: str) -> int:
    """An open occurrence of a recurring duty for the period a planned occurrence is for, due on
    another day (the calendar, a jurisdiction or governing law changed: "+ P10BD" counted with other
    holidays): superseded by it, so one period has one open occurrence and its reminders (an
    occurrence's id holds its due day, so the planned one is another item); and an open occurrence
    of a period a person marked done or waived on its other day (done while it moved). Only an open
    one: a person's done or waived written meanwhile stands (the write is conditioned on it).
    Returns how many."""
    closed = 0
    resolved = {(o.obligation_id.split("@", 1)[0], dates.period_boundary(o.derivation)): o for o in existing.values()
                if o.status in RESOLVED_OBLIGATION_STATUSES and "@" in o.obligation_id and o.kind == "recurring"}
    planned = {(d.obligation_id.split("@", 1)[0], dates.period_boundary(d.derivation)): d for d in deadlines
               if d.kind == "recurring"}
    for item in existing.values():
        if item.status != schema.ObligationStatus.OPEN or "@" not in item.obligation_id or item.kind != "recurring":
            continue
        period = (item.obligation_id.split("@", 1)[0], dates.period_boundary(item.derivation))
        if period[1] is None:
            continue
        if (done := resolved.get(period)) is not None:
            reason = (f"the period to the boundary {period[1]} was marked {done.status} on {done.obligation_id} "
                      f"(due {done.due}); this occurrence is the same period due on another day ({item.derivation})")
        elif (deadline := planned.get(period)) is not None and deadline.obligation_id != item.obligation_id:
            reason = (f"the occurrence for the period boundary {period[1]} is now due {deadline.due.isoformat()} "
                      f"({deadline.derivation}; was {item.derivation})")
        else:
            continue
        try:
            repo.set_obligation_status(contract.contract_id, item.obligation_id, schema.ObligationStatus.SUPERSEDED,
                                       team=contract.team, actor=actor, reason=reason,
                                       expected=schema.ObligationStatus.OPEN)
        except PutError:
            continue  # a person's decision written meanwhile: it stands (the next planning settles the rest)
        closed += 1
    return closed


def _carry_acknowledgements(contract: ContractItem, existing: dict, deadlines: list, *, actor: str) -> int:
    """A planned occurrence of a recurring duty not acknowledged, whose period a person acknowledged
    on another, earlier or the same day it was due (open or superseded: the calendar alone changed
    since, the rule and offset as counted then): the acknowledgement is carried to it
    (``repo.carry_acknowledgement``), so its reminders, which still tell the owner of the new day, do
    not escalate as if nobody had seen it. An acknowledgement stops escalation only for what the
    person saw: a day moved earlier than the one acknowledged (overdue now, perhaps) is not carried
    to, and its catch-up escalates. The latest acknowledgement is carried; a day a rule or offset an
    amendment changed wants a new one. Returns how many were carried."""
    acknowledged: dict[tuple[str, str | None], ObligationItem] = {}
    for item in existing.values():
        if item.kind == "recurring" and "@" in item.obligation_id and item.acknowledged \
                and item.status in (schema.ObligationStatus.OPEN, schema.ObligationStatus.SUPERSEDED) \
                and (boundary := dates.period_boundary(item.derivation)):
            period = (item.obligation_id.split("@", 1)[0], boundary)
            if period not in acknowledged or (item.acknowledged_at or "") > (acknowledged[period].acknowledged_at or ""):
                acknowledged[period] = item
    carried = 0
    for deadline in deadlines:
        seen = existing.get(deadline.obligation_id)
        if deadline.kind != "recurring" or (seen is not None and seen.acknowledged):
            continue
        source = acknowledged.get((deadline.obligation_id.split("@", 1)[0], dates.period_boundary(deadline.derivation)))
        if source is None or source.obligation_id == deadline.obligation_id \
                or deadline.due.isoformat() < (source.acknowledged_for_day or source.due or "") \
                or _counted_before(source.derivation) != _counted_before(deadline.derivation):
            continue
        item = repo.get_obligation(contract.contract_id, deadline.obligation_id)
        if item is None or item.status != schema.ObligationStatus.OPEN:
            continue
        try:
            carried += repo.carry_acknowledgement(item, source, actor=actor)
        except PutError:
            continue  # done, waived or superseded meanwhile: nothing to acknowledge
    return carried


_END_OF_DAY_IN = re.compile(r"\(end of day, ([^)]+)\)")  # how an action names its zone (plan.py)


def _rezone_kept_actions(contract: ContractItem, existing: dict, planned: set[str], *, actor: str) -> int:
    """An open obligation this planning did not write (an overdue occurrence of an earlier period, a
    missed notice deadline kept) whose action names another zone than the contract's ("end of day,
    America/New_York" after the zone was set to Asia/Tokyo): its action names the contract's zone;
    its day, arithmetic and the rest of its text stay as they were counted. Only an open one (done,
    waived, superseded: history), read again first; a change written meanwhile stands (the next
    planning settles it). Returns how many were written."""
    zone = contract.time_zone

    def rezoned(action: str | None) -> str | None:
        if not action or not any(m.group(1) != zone for m in _END_OF_DAY_IN.finditer(action)):
            return None
        return _END_OF_DAY_IN.sub(f"(end of day, {zone})", action)

    written = 0
    for seen in existing.values():
        if seen.obligation_id in planned or seen.status != schema.ObligationStatus.OPEN or rezoned(seen.action) is None:
            continue
        item = repo.get_obligation(contract.contract_id, seen.obligation_id)
        action = rezoned(item.action) if item is not None and item.status == schema.ObligationStatus.OPEN else None
        if item is None or action is None:
            continue
        try:
            written += repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
                obligation_id=item.obligation_id, kind=item.kind, summary=item.summary, party=item.party,
                due=item.due, recurrence=item.recurrence, offset=item.offset, derivation=item.derivation,
                action=action, evidence=item.evidence, owner=item.owner), team=contract.team, actor=actor,
                current=item)
        except PutError:
            continue
    return written


# --- a contract a renewal decision ended ----------------------------------------------------------

def _ended(contract: ContractItem):
    from ..renewal.ended import contract_ended  # the renewal package imports this module

    return contract_ended(contract.contract_id, contract.time_zone)


def ended_extraction(extraction: ContractExtraction, last_day: str, derivation: str) -> ContractExtraction:
    """The contract's terms as the decision left them: it ends on ``last_day`` and renews no more
    (no later term, notice deadline or recurring occurrence is planned), with the decision as the
    derivation of that end."""
    terms = {name: term for name, term in extraction.terms.items() if name not in ("notice_period", "notice_deadline")}
    original = extraction.term("expiration_date")
    terms["expiration_date"] = replace(original, value=last_day, derivation=derivation) if original is not None \
        else Term(value=last_day, evidence=None, derivation=derivation)
    auto = extraction.term("auto_renewal")
    terms["auto_renewal"] = replace(auto, value=False, derivation=derivation) if auto is not None \
        else Term(value=False, evidence=None, derivation=derivation)
    return replace(extraction, terms=terms)


_NEXT_TERM_KINDS = ("notice_deadline", "recurring")  # what an ended contract no longer has after its end


def close_after_end(contract: ContractItem, existing: dict, deadlines: list, last_day: str, derivation: str,
                    today: date, *, actor: str) -> int:
    """The contract ended on ``last_day``: what was planned for after it as part of a next term (its
    notice deadline, occurrences of recurring duties) is superseded, and the end itself is done once
    it passed. What falls due after an end by its nature stays: a credit to claim for the last months,
    a duty that survives termination, a final payment. Returns how many obligations were closed."""
    planned = {d.obligation_id: d.due.isoformat() for d in deadlines}
    closed = 0
    for item in existing.values():
        if item.status != "open" or not item.due:
            continue
        due = planned.get(item.obligation_id, item.due)
        if item.kind in _NEXT_TERM_KINDS and after_the_term(item.kind, due, item.derivation, last_day) \
                and not is_missed_record(item.obligation_id):
            repo.set_obligation_status(contract.contract_id, item.obligation_id, schema.ObligationStatus.SUPERSEDED,
                                       team=contract.team, actor=actor, reason=f"the contract {derivation}")
            closed += 1
        elif item.obligation_id == EXPIRATION_ID and last_day < today.isoformat():
            repo.set_obligation_status(contract.contract_id, item.obligation_id, schema.ObligationStatus.DONE,
                                       team=contract.team, actor=actor, reason=f"the contract {derivation}")
            closed += 1
    return closed


# --- values a person entered ----------------------------------------------------------------------

def entered_term(item) -> Term:
    """A stored term version a person entered, as a Term of the extraction."""
    return Term(value=item.value, evidence=None, derivation=item.derivation)


def with_entered_terms(contract_id: str, extraction: ContractExtraction,
                       entered: dict | None = None) -> ContractExtraction:
    """The extraction with the values a person entered in place of what was extracted: a later
    re-extraction never overwrites them (``repo.save_terms`` keeps the stored versions too).
    ``entered``: ``repo.entered_terms`` when the caller has just read them."""
    entered = repo.entered_terms(contract_id) if entered is None else entered
    if not entered:
        return extraction
    return replace(extraction, terms={**extraction.terms,
                                      **{name: entered_term(item) for name, item in entered.items()}})


def notice_deadline_from(extraction: ContractExtraction, jurisdiction: str | None,
                         entered: str = "a value entered by a person") -> Term | None:
    """The notice deadline counted from the extraction's expiration and notice period, one of
    which a person entered (None without both); ``entered`` says which ("notice_period entered by
    ...", "expiration_date counted from an event's date ..."): the other may be the clause's."""
    expiration = dates.parse_day(extraction.value("expiration_date"))
    # the period of the term ending then (an amendment's "for each Renewal Term beginning on or after"
    # leaves the running term its earlier one)
    notice, where = _first_term_notice(extraction)
    if not expiration or not notice:
        return None
    if notice_fit.misfits({"initial_term": extraction.value("initial_term"), "notice_period": notice}):
        return None  # it would fall before the term began: flagged, none counted (extract/notice_fit.py)
    derived = dates.notice_deadline(expiration, notice, jurisdiction)
    return Term(value=derived.iso(), evidence=None,
                derivation=f"{_with_where(derived.derivation, notice, where)} (from {entered})",
                moved_to_business_day=derived.moved_to_business_day)


def _with_where(derivation: str, notice: str, where: str) -> str:
    """The arithmetic naming where its notice period comes from, when an amendment changed it term by term."""
    return derivation.replace(f" - {notice}", f" - {notice}{where}", 1) if where else derivation


def entered_notice_deadline(contract_id: str, extraction: ContractExtraction,
                            jurisdiction: str | None, entered: dict | None = None) -> Term | None:
    """When a person entered what the notice deadline is counted from (and not the deadline)."""
    entered = repo.entered_terms(contract_id) if entered is None else entered
    if "notice_deadline" in entered or not {"expiration_date", "notice_period"} & entered.keys():
        return None
    return notice_deadline_from(extraction, jurisdiction, entered_words(contract_id, entered))


def entered_words(contract_id: str, entered: dict) -> str:
    """Which of the notice deadline's two terms a person entered, and who ("notice_period entered by
    ..."; an expiration counted from an event's date says so): the other is the documents'."""
    said = []
    for name in ("expiration_date", "notice_period"):
        if name in entered:
            how = "counted from an event's date entered" if event_computed(contract_id, entered[name]) else "entered"
            said.append(f"{name} {how} by {entered[name].entered_by or 'a person'}")
    return " and ".join(said) or "a value entered by a person"


def _term_end_told_of_missed_notice(deadlines: list, obligations, this_terms: date | None) -> list:
    """The term end's action says its notice deadline was missed, when it was: the running term's
    notice deadline passed (``this_terms``, as ``plan.passed_notice_deadline`` counts it) is kept
    open as ``notice_deadline@<day>`` (never an earlier term's left open), and the notice deadline
    planned is the next term's. "Unless notice of non-renewal was given, the contract renews ..."
    alone would read as if notice could still be given before the end."""
    end = next((d for d in deadlines if d.obligation_id == EXPIRATION_ID), None)
    notice = next((d for d in deadlines if d.obligation_id == NOTICE_DEADLINE_ID), None)
    if end is None or this_terms is None or (notice is not None and notice.due <= end.due):
        return deadlines
    missed = [o.due for o in obligations if o.obligation_id == missed_id(NOTICE_DEADLINE_ID, this_terms.isoformat())
              and o.status == schema.ObligationStatus.OPEN and o.due]
    if not missed:
        return deadlines
    told = (f"The notice deadline for this term ({format_day(date.fromisoformat(max(missed)))}) passed "
            f"with no notice of non-renewal recorded. ")
    return [replace(d, action=told + (d.action or "")) if d is end else d for d in deadlines]


def missed_id(obligation_id: str, due: str) -> str:
    """The id a missed notice deadline is kept under once the next term's takes its place."""
    return f"{obligation_id}@{due}"


def is_missed_record(obligation_id: str) -> bool:
    """A notice deadline kept because it passed while open (no reminders; shown as missed)."""
    return obligation_id.startswith(f"{NOTICE_DEADLINE_ID}@")


def keep_missed_notice_deadline(contract: ContractItem, existing: dict, deadlines: list, today: date,
                                *, actor: str) -> int:
    """A notice deadline that passed while still open would be replaced by the renewed term's:
    keep it first as ``notice_deadline@<date>``, open, so `status`, `obligations` and the API
    show it as missed until someone closes it (done or waived). Returns 1 when one was kept."""
    item = existing.get(NOTICE_DEADLINE_ID)
    if item is None or item.status != "open" or not item.due or item.due >= today.isoformat():
        return 0
    new_due = next((d.due.isoformat() for d in deadlines if d.obligation_id == NOTICE_DEADLINE_ID), None)
    if new_due == item.due or missed_id(NOTICE_DEADLINE_ID, item.due) in existing:
        return 0
    repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
        obligation_id=missed_id(NOTICE_DEADLINE_ID, item.due), kind=item.kind,
        summary=f"MISSED: {item.summary}", due=item.due, derivation=item.derivation,
        action="The notice deadline passed without notice being recorded as given: check whether "
               "the contract renewed, then mark this done or waived.",
        evidence=item.evidence, owner=item.owner), team=contract.team, actor=actor)
    repo.record_audit(contract.contract_id, actor, "obligation.missed",
                      {"obligation_id": NOTICE_DEADLINE_ID, "due": item.due, "next_due": new_due})
    return 1


def record_notice_missed_before_planning(contract: ContractItem, existing: dict, deadlines: list, today: date,
                                        *, actor: str) -> int:
    """A notice deadline planned for the first time after the one of the running term passed (the
    contract uploaded a few days too late, or its notice period entered or amended in then): the
    planner's deadline is the next term's, a year away, and nothing would say this term renews
    with no way out. Kept as ``notice_deadline@<date>``, open, shown as missed as
    ``keep_missed_notice_deadline`` keeps one, counted by the planner's own arithmetic
    (``plan.passed_notice_deadline``). Returns 1 when one was recorded."""
    notice = next((d for d in deadlines if d.obligation_id == NOTICE_DEADLINE_ID), None)
    if NOTICE_DEADLINE_ID in existing or notice is None or contract.extracted is None:
        return 0  # planned before (its deadline was kept when it passed), or none to plan
    passed = passed_notice_deadline(contract_info(contract), contract.extracted, today)
    if passed is None:
        return 0
    due, derivation, term_end = passed
    obligation_id = missed_id(NOTICE_DEADLINE_ID, due.isoformat())
    if obligation_id in existing:
        return 0
    written = repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
        obligation_id=obligation_id, kind=notice.kind, summary=f"MISSED: {notice.summary}",
        due=due.isoformat(), derivation=f"{derivation}; passed before it was first planned",
        action=f"The notice deadline of the term ending {term_end.isoformat()} had passed when it was first "
               "planned: unless notice was given, the contract renews then. Check, then mark this done or waived.",
        evidence=notice.evidence, owner=notice.owner), team=contract.team, actor=actor)
    if written:
        repo.record_audit(contract.contract_id, actor, "obligation.missed",
                          {"obligation_id": NOTICE_DEADLINE_ID, "due": due.isoformat(),
                           "next_due": notice.due.isoformat(), "before_first_planning": True})
    return int(written)


# --- amendments ----------------------------------------------------------------------------------

class WaitingReason(str):
    """Why an amendment waits (``find_amended_contract``'s problem), with the contracts it could
    amend (``candidates``: ``[{"contract_id", "why"}]``, none guessed), kept on the amendment
    (``amendment_candidates``) for a person to choose from."""

    candidates: list[dict[str, str]]

    def __new__(cls, text: str, candidates: list[dict[str, str]] | None = None) -> WaitingReason:
        reason = super().__new__(cls, text)
        reason.candidates = list(candidates or [])
        return reason


def _name(contract: ContractItem) -> str:
    """The name a contract gives itself, with its file: ``Supply Agreement (supply-2023.pdf)``."""
    name = (contract.extracted.title if contract.extracted else None) or contract.title or contract.file_name
    return name if name == contract.file_name else f"{name} ({contract.file_name})"


def _candidate(contract: ContractItem, why: str) -> dict[str, str]:
    return {"contract_id": contract.contract_id, "why": why}


def find_amended_contract(amendment: ContractItem, extraction: ContractExtraction, *,
                          excluding: frozenset[str] = frozenset()) -> tuple[ContractItem | None, str | None]:
    """The team's contract this amendment names, or None with the reason.

    It must be the one extracted contract of the team dated (agreement or effective date) as the
    amendment says, unless it names itself another agreement; when several are, the name the
    amendment gives the agreement must single one out (``agreement_named``). No guess: an ambiguous
    or missing original leaves the amendment unapplied, with the reason shown (a person may then
    say which contract it amends: ``entries.link_amendment``). The reason (a ``WaitingReason``)
    holds the contracts it could be, each with why: the agreements of the day when several match;
    the one agreement of the day that names itself another; with none of the day, the agreement an
    amendment of the team dated that day is applied to (an amendment of an amendment:
    ``_amended_through``). A contract in ``excluding`` (one being released from it, still on
    record) is none of them, as one the amendment was unlinked from.
    The candidates are the contracts marked with that date (``repo.dated``: a strongly consistent
    Query of one day's markers, so a contract recorded just now is among them), each read again
    (consistent). Every contract is marked before it is recorded EXTRACTED; until the upgrade that
    marks those recorded before markers existed is recorded done (``repo.store_dated_markers``),
    the team's extracted contracts are candidates too (an index Query: every one of them, and it
    shows a write about a second later).
    """
    info = extraction.amendment
    original_date = info.original_date if info else None
    amends = info.amends if info else None
    if not original_date:
        return None, "amendment: the date of the amended agreement was not found"
    def fits(c: ContractItem, unlinked_too: bool = False) -> bool:
        other = c.extracted
        return c.contract_id != amendment.contract_id and c.status == ContractStatus.EXTRACTED \
            and (unlinked_too or c.contract_id not in (amendment.unlinked_from or [])) \
            and c.contract_id not in excluding \
            and c.team == amendment.team and other is not None and not other.is_amendment \
            and original_date in (other.value("agreement_date"), other.value("effective_date"))

    listed: dict[str, ContractItem | None] = {}
    # "amends the First Amendment dated March 10, 2026" names no agreement, only an amendment of
    # that day (``_amended_through``, below): an agreement signed that day is not it, and is not read;
    # nor when the date read is the earlier amendment's ("the Master Services Agreement, as amended by
    # the First Amendment thereto, dated March 10, 2026": ``original_is_amendment``)
    if not (only_an_amendment_named(info) or (info is not None and info.original_is_amendment)):
        if not repo.upgraded(schema.UPGRADE_DATED_MARKERS):
            listed = {c.contract_id: c for c in repo.contracts_of_team(amendment.team, ContractStatus.EXTRACTED)}
        for contract_id in repo.dated(amendment.team, schema.DATED_CONTRACT, original_date):
            listed[contract_id] = repo.get_contract(contract_id)  # the record now, over the index's copy
    candidates = [c for c in listed.values() if c is not None and fits(c)]
    if len(candidates) > 1 and amends:  # told apart by the names they give themselves
        judged = {c.contract_id: agreement_named(c, amends) for c in candidates}
        named = [c for c in candidates if judged[c.contract_id] == NAMED]
        candidates = named if len(named) == 1 else [c for c in candidates if judged[c.contract_id] != ANOTHER]
    if len(candidates) == 1 and amends and agreement_named(candidates[0], amends) == ANOTHER:
        # an agreement of another kind signed the same day (the NDA beside the supply agreement
        # that is not on file): not amended with another agreement's terms
        other = candidates[0]
        name = (other.extracted.title if other.extracted else None) or other.title or other.file_name
        return None, WaitingReason(
            f"amendment: the one agreement dated {original_date} on file ({name}) does not name "
            f"the {amends}; not applied",
            [_candidate(other, f"the one agreement dated {original_date} on file, {_name(other)}; it names "
                               f"itself another agreement than the {amends}")])
    if len(candidates) == 1:
        current = repo.get_contract(candidates[0].contract_id)  # consistent read, current version
        if current is not None and fits(current):
            return current, None
        return None, f"amendment: the {amends or 'agreement'} dated {original_date} changed while it was looked for"
    if not candidates:
        # an amendment of an amendment only when it names one ("the First Amendment to Master
        # Services Agreement"): the Supply Agreement of a day is not the team's First Amendment of it
        through = _amended_through(amendment, original_date, amends or "", excluding) if names_an_amendment(info) else []
        if through:
            earlier = "; ".join(f"{e.file_name}, an amendment of {_name(a)}" for e, a in through)
            agreements = " or ".join(dict.fromkeys(_name(a) for _, a in through))
            return None, WaitingReason(
                f"amendment: an amendment of an amendment: the document dated {original_date} is {earlier}; "
                f"it would then amend {agreements}; not applied (say which contract it amends)",
                list({a.contract_id: _candidate(a, f"amends {e.file_name}, which amends {_name(a)}")
                      for e, a in through}.values()))
        unlinked = sorted((c for c in listed.values() if c is not None and fits(c, unlinked_too=True)),
                          key=lambda c: (_name(c), c.contract_id))
        if unlinked:  # on file still: a person unlinked the amendment from it, not "none on file"
            return None, (f"amendment: no {amends or 'agreement'} dated {original_date} on file other than "
                          f"{' and '.join(_name(c) for c in unlinked)}, which it was unlinked from; not applied "
                          "(say which contract it amends)")
        pending = _amended_through(amendment, original_date, amends or "", excluding, applied=False) \
            if names_an_amendment(info) else []
        if pending:  # the earlier amendment is on file, waiting itself: not "none on file"
            files = " and ".join(dict.fromkeys(e.file_name for e, _ in pending))
            return None, (f"amendment: an amendment of an amendment: the document dated {original_date} is {files}, "
                          "on file but applied to no contract yet; not applied (apply it first, or say which "
                          "contract this amends)")
        return None, f"amendment: no {amends or 'agreement'} dated {original_date} on file"
    return None, WaitingReason(
        f"amendment: {len(candidates)} agreements dated {original_date} match; not applied (which one is ambiguous)",
        [_candidate(c, f"an agreement dated {original_date}, as the amendment says: {_name(c)}")
         for c in sorted(candidates, key=lambda c: (_name(c), c.contract_id))])


_AMENDMENT = re.compile(r"\bamendment\b", re.IGNORECASE)
# "First Amendment to", "Amendment No. 2 of": what precedes the agreement an amendment's amendment names
_AMENDMENT_TO = re.compile(r"^.*\bamendment\b(?:\s+(?:no\.?|number|#)\s*\w+)?\s*(?:(?:to|of)\b)?\s*(?:the\b)?\s*",
                           re.IGNORECASE | re.DOTALL)
# the number of the earlier amendment an amendment names: "First Amendment", "Amendment No. 1"
_NAMED_NUMBER = re.compile(
    r"\b(?:(?P<ord>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+Amendment"
    r"|Amendment\s+(?:No\.?|Number|#)\s*(?P<num>\w+))\b", re.IGNORECASE)


# "the First Amendment to", "Amendment No. 1 of the": an amendment named with its number, before the
# agreement it amends
_NUMBERED_AMENDMENT_TO = re.compile(
    r"\b(?:(?P<ord>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+Amendment"
    r"|Amendment\s+(?:No\.?|Number|#)\s*(?P<num>\d+))\s+(?:to|of)\s+(?:the\s+)?", re.IGNORECASE)


def names_an_amendment(info: Amendment | None) -> bool:
    """Whether an amendment says it amends an earlier amendment: the name it gives what it amends
    holds "Amendment", or its heading and recitals (its evidence) name, before that agreement, an
    amendment of another number than its own ("Second Amendment ... amends the First Amendment to
    Master Services Agreement dated March 10, 2026"; not "Amendment No. 1 to Supply Agreement", its
    own name, nor "This First Amendment to ...")."""
    if info is None or not info.amends:
        return False
    if _AMENDMENT.search(info.amends):
        return True
    text = info.evidence.text if info.evidence is not None else ""
    for m in _NUMBERED_AMENDMENT_TO.finditer(text):
        number = ordinal_to_int(m.group("ord")) if m.group("ord") else int(m.group("num"))
        if number == info.number or re.search(r"\bthis\s*$", text[:m.start()], re.IGNORECASE):
            continue  # its own name
        if re.match(r"\s+".join(re.escape(w) for w in info.amends.split()), text[m.end():], re.IGNORECASE):
            return True
    return False


def only_an_amendment_named(info: Amendment | None) -> bool:
    """Whether what an amendment amends is named as an earlier amendment only, no agreement ("the
    First Amendment", "Amendment No. 1": ``extract.amendments`` reads it so from "This Second
    Amendment amends the First Amendment dated March 10, 2026")."""
    return info is not None and bool(info.amends) and bool(_AMENDMENT.search(info.amends or "")) \
        and not _AMENDMENT_TO.sub("", info.amends or "").strip()


def named_number(amends: str) -> int | None:
    """The number of the earlier amendment ``amends`` names ("First Amendment", "Amendment No. 1",
    "Amendment No. IV"), or None."""
    m = _NAMED_NUMBER.search(amends)
    if m is None:
        return None
    if m.group("ord"):
        return ordinal_to_int(m.group("ord"))
    return label_number(m.group("num"))


def look_again_at_amendments_of(contract: ContractItem, *, actor: str, gone: bool = True,
                                released: tuple[ContractItem, ...] = ()) -> int:
    """What a waiting amendment could amend changed: ``contract`` was deleted (an agreement it was
    offered, or an earlier amendment it was offered an agreement through; ``gone``: excluded, as it
    may still be on record while it is deleted), an amendment was unlinked from its agreement, or
    recorded waiting itself (not ``gone``: on file, applied to none, which those naming its day are
    told), or an
    earlier amendment was applied to its agreement (not ``gone``: an amendment of it is now offered
    that agreement through it, ``_amended_through``). The team's waiting amendments that name one of
    its own dates, and of the amendments its deletion ``released`` (they were offered the deleted
    agreement through them), are found by their ``DATED_AMENDMENT`` markers (one strongly consistent
    Query a day, no scan); each still waiting has its reason and candidates written again as they
    are now (``_still_waiting``), once, only when they changed. Those released are not (they have
    the release's reason and candidates). None is applied by this look: the one contract it would
    now find (the other agreement of an ambiguous day) is offered. Returns how many were looked at."""
    excluding = frozenset({contract.contract_id}) if gone else frozenset()
    skip = {contract.contract_id} | {a.contract_id for a in released}  # it keeps its own reason
    days = sorted({e.value(name) for c in (contract, *released) if (e := c.extracted) is not None
                   for name in repo.DATED_BY} - {None})
    looked = 0
    for day in days:
        for waiting_id in repo.dated(contract.team, schema.DATED_AMENDMENT, day):
            waiting = repo.get_contract(waiting_id) if waiting_id not in skip else None
            other = waiting.extracted if waiting is not None else None
            if waiting is None or other is None or not other.is_amendment or waiting.team != contract.team \
                    or waiting.status != ContractStatus.EXTRACTED or waiting.amends_contract_id \
                    or waiting.amending_contract_id:
                continue
            looked += 1
            _still_waiting(waiting, _waiting_problem(waiting, other, excluding), actor=actor, excluding=excluding)
    return looked


def _waiting_problem(waiting: ContractItem, extraction: ContractExtraction, excluding: frozenset[str]) -> str | None:
    """Why a waiting amendment waits, as it is now, with the contracts it could amend
    (``find_amended_contract``; without ``excluding``); the one contract it would now find is
    offered, not applied (a person says, or its next settling applies it)."""
    original, problem = find_amended_contract(waiting, extraction, excluding=excluding)
    if original is None:
        return problem
    named = extraction.amendment.original_date if extraction.amendment else None
    return WaitingReason(
        f"amendment: one agreement dated {named} on file now, {_name(original)}; not applied by "
        "itself (apply it to this contract, or say which contract it amends)",
        [_candidate(original, f"an agreement dated {named}, as the amendment says: {_name(original)}")])


def candidates_without(amendment: ContractItem, contract_id: str) -> list[dict[str, str]] | None:
    """The contracts an amendment released from ``contract_id`` (unlinked from it, or it deleted)
    could amend, each with why, as ``find_amended_contract`` finds them without that contract: the
    other agreements of an ambiguous day stay offered. The one it would find is offered, not
    applied (a person says which)."""
    extraction = amendment.extracted
    if extraction is None or not extraction.is_amendment:
        return None
    original, problem = find_amended_contract(amendment, extraction, excluding=frozenset({contract_id}))
    if original is not None:
        day = extraction.amendment.original_date if extraction.amendment else None
        return [_candidate(original, f"an agreement dated {day}, as the amendment says: {_name(original)}")]
    return getattr(problem, "candidates", None) or None


def _amended_through(amendment: ContractItem, day: str, amends: str, excluding: frozenset[str] = frozenset(),
                     applied: bool = True) -> list[tuple[ContractItem, ContractItem]]:
    """The team's amendments dated ``day`` (their own agreement or effective date) that are applied
    to an agreement, each with that agreement: what an amendment naming ``day`` amends when no
    agreement of the day is on file ("the First Amendment ... dated March 10, 2026"). Found by their
    markers (``repo.mark_amendment_itself``: one strongly consistent Query of the day), each read
    again (consistent); an agreement deleted, one a person unlinked the amendment from, or one that
    names itself another agreement than the one ``amends`` names after its amendment ("First
    Amendment to Master Services Agreement": ``agreement_named``) is none. Not ``applied``: those of
    the day applied to no agreement yet, each with itself (the agreement is not known)."""
    named = _AMENDMENT_TO.sub("", amends).strip()
    number = named_number(amends)
    found = []
    for earlier_id in repo.dated(amendment.team, schema.DATED_AMENDMENT_ITSELF, day):
        earlier = repo.get_contract(earlier_id) if earlier_id != amendment.contract_id else None
        other = earlier.extracted if earlier is not None else None
        if earlier is None or other is None or not other.is_amendment or earlier.team != amendment.team \
                or day not in (other.value("agreement_date"), other.value("effective_date")) \
                or earlier.status != ContractStatus.EXTRACTED and not applied \
                or bool(earlier.amends_contract_id) != applied \
                or earlier.amends_contract_id in (amendment.unlinked_from or []) \
                or earlier.contract_id in excluding or earlier.amends_contract_id in excluding \
                or (number is not None and other.amendment is not None and other.amendment.number is not None
                    and other.amendment.number != number):  # "the First Amendment": not an Amendment No. 3
            continue
        if not applied:
            found.append((earlier, earlier))
            continue
        agreement = repo.get_contract(earlier.amends_contract_id)
        if agreement is not None and agreement.team == amendment.team and agreement.contract_id != amendment.contract_id \
                and not (named and agreement_named(agreement, named) == ANOTHER):
            found.append((earlier, agreement))
    return sorted(found, key=lambda pair: (pair[0].file_name, pair[0].contract_id))


# words that qualify an agreement's name without saying which agreement it is ("Master Supply",
# "Mutual Non-Disclosure", "Amended and Restated")
_QUALIFIERS = frozenset({
    "agreement", "agreements", "contract", "contracts", "the", "and", "for", "this", "that", "these", "certain",
    "amended", "restated", "amendment", "master", "mutual", "exclusive", "nonexclusive", "general", "standard",
    "original", "new", "form", "dated", "between", "with", "its", "pdf", "final", "executed", "signed", "copy"})
# one kind of agreement, however it is called
_SAME_KIND = {"nondisclosure": "nda", "confidentiality": "nda", "secrecy": "nda", "nda": "nda", "cda": "nda"}
# a name before Agreement, Contract, Licence or Lease: "This Mutual Non-Disclosure Agreement", "Supply Agreement"
_NAME_PHRASE = re.compile(r"((?:[A-Z][\w&'/-]*\s+(?:(?:and|of|for)\s+)?){1,6})"
                          r"(?i:agreement|contract|licen[cs]e|lease)\b")
NAMED, SILENT, ANOTHER = "named", "silent", "another"


def _stem(word: str) -> str:
    """A word of an agreement's name, as compared: one spelling ("Non-Disclosure" and
    "Nondisclosure", "Licence" and "License", "Sales" and "Sale", "Leasing" and "Lease"), cut to
    five letters ("Distribution" and "Distributor")."""
    word = word.lower().replace("-", "").replace("'", "").replace("licenc", "licens")
    if word in _SAME_KIND:
        return _SAME_KIND[word]
    for ending in ("ing", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
    return word[:5]


def _stems(words: list[str]) -> set[str]:
    return {_stem(w) for w in words if len(w) > 2 and w.lower().replace("-", "") not in _QUALIFIERS}


def _name_phrases(text: str) -> list[set[str]]:
    """The names of agreements in ``text``, each as the stems of its words before "Agreement"
    (capitalised: "This Mutual Non-Disclosure Agreement"; not "the parties have executed this Agreement")."""
    phrases = [_stems(re.findall(r"[A-Za-z][A-Za-z'-]*", m.group(1))) for m in _NAME_PHRASE.finditer(text)]
    return [p for p in phrases if p]


def _party_stems(contract: ContractItem) -> set[str]:
    """The words of the contract's parties' names (its counterparty, the parties read): an amendment
    of "the Redfern Supply Agreement" is not named by Redfern being a party."""
    names = [contract.counterparty or ""]
    extracted = contract.extracted
    if extracted is not None:
        names += [party.name for party in extracted.parties]
    return _stems(re.findall(r"[A-Za-z][A-Za-z'-]*", " ".join(names)))


def agreement_named(contract: ContractItem, amends: str) -> str:
    """Whether the contract is the ``amends`` an amendment names ("Supply Agreement"), as far as
    what it says of itself tells. The words of the amendment's name count, not "Agreement", its
    qualifiers ("Master", "Mutual", ...) or the contract's parties' names. NAMED when one of the
    names the contract gives itself (its title; its preamble, the clause its agreement or effective
    date was read from, before "between") holds all those words or all its own words are among them
    ("Supply" and "Manufacturing and Supply"; not "Software License" and "Software Maintenance");
    ANOTHER when it gives itself names and none is; with none, NAMED when its file name holds one
    of those words, else SILENT (and SILENT when the amendment's name has no such word: "the
    Agreement")."""
    wanted = _stems(re.findall(r"[A-Za-z][A-Za-z'-]*", amends)) - _party_stems(contract)
    if not wanted:
        return SILENT
    extracted = contract.extracted
    said = [extracted.title or ""] if extracted is not None else []
    if contract.title and contract.title != contract.file_name:
        said.append(contract.title)
    if extracted is not None:
        for name in repo.DATED_BY:
            term = extracted.terms.get(name)
            if term is not None and term.evidence is not None:
                said.append(re.split(r"\bbetween\b", term.evidence.text, maxsplit=1, flags=re.IGNORECASE)[0])
    theirs = _name_phrases("\n".join(said))
    if theirs:
        return NAMED if any(wanted <= phrase or phrase <= wanted for phrase in theirs) else ANOTHER
    file_words = _stems(re.findall(r"[A-Za-z]+", contract.file_name or "")) - _party_stems(contract)
    return NAMED if wanted & file_words else SILENT


def look_again_for_waiting_amendments(*, actor: str) -> tuple[int, int]:
    """Every waiting amendment looks for its contract again (after the markers' upgrade, run by the
    operator's reindex and on loading a state saved before it: a contract extracted without
    markers may have been recorded while an amendment of it waited, and neither saw the other).
    Returns (applied: by this look, or by another invocation meanwhile; failed); one that fails is
    logged and the others go on (run it again: it is idempotent)."""
    applied = failed = 0
    for amendment in repo.waiting_amendments():
        try:
            if (extraction := amendment.extracted) is not None:
                settle_amendment(amendment, extraction, actor=actor)
                applied += bool((repo.get_contract(amendment.contract_id) or amendment).amends_contract_id)
        except Exception:
            failed += 1
            log.exception("a waiting amendment's look failed", extra={"contract_id": amendment.contract_id})
    return applied, failed


def pending_amendments(contract: ContractItem, extraction: ContractExtraction) -> list[ContractItem]:
    """The team's amendments not applied to any contract yet that name an agreement of this
    contract's date (agreement or effective date), or are being applied to it: the only ones its
    arrival (or its redelivered message) can settle. Those
    marked with its dates (``repo.dated``, strongly consistent), each read again (consistent),
    and those of the team's unapplied amendments index (GSI5 AMEND#: one saved before markers
    existed, should nobody have run the upgrade's ``store_dated_markers``)."""
    dates_of_this = {extraction.value("agreement_date"), extraction.value("effective_date")} - {None}
    if not dates_of_this:
        return []
    marked = {a for day in sorted(dates_of_this)
              for a in repo.dated(contract.team, schema.DATED_AMENDMENT, day)}
    found = [a for a in (repo.get_contract(i) for i in sorted(marked)) if a is not None]
    found += [a for a in repo.unapplied_amendments(contract.team) if a.contract_id not in marked]
    return [a for a in found
            if a.contract_id != contract.contract_id and a.team == contract.team
            and a.status == ContractStatus.EXTRACTED and not a.amends_contract_id
            and (pending := a.extracted) is not None and pending.amendment is not None
            # of an agreement of its date; or being applied to it (a person's choice), not finished
            and (pending.amendment.original_date in dates_of_this or a.amending_contract_id == contract.contract_id)]


# terms an amendment can change, and the dates that depend on them; the money terms (the fee, the
# service level and its credits) are in force from the amendment's effective date for invoices and
# metrics (pipeline/money._terms)
_AMENDABLE = ("expiration_date", "initial_term", "auto_renewal", "renewal_term", "notice_period",
              "termination_for_convenience", "payment_terms", "price_increase_cap",
              "minimum_commitment", "governing_law", "fees", "sla_availability", "service_credit_tiers",
              "service_credit_claim")


def undated(extraction: ContractExtraction) -> bool:
    """An amendment stating no number and no day it was signed: its order among others is not known
    (``_comes_after``: never after nor before another; its effective date may be retroactive), so it
    is applied in the order filed (``in_order_made``) and a person is asked (``ORDER_UNKNOWN``)."""
    return (extraction.amendment is None or extraction.amendment.number is None) \
        and not extraction.value("agreement_date")


def as_made(amendment: ContractItem, extraction: ContractExtraction) -> ContractExtraction:
    """The amendment's extraction as its order is read: with the day a person said it was signed
    (``order_confirmed["made_on"]``: ``actions.check_amendment``) when it states none."""
    made_on = (amendment.order_confirmed or {}).get("made_on")
    if not made_on or extraction.value("agreement_date"):
        return extraction
    said = Term(value=made_on, evidence=None,
                derivation=f"the day it was signed, as {amendment.order_confirmed.get('by')} stated")
    return replace(extraction, terms={**extraction.terms, "agreement_date": said})


def _comes_after(other: ContractExtraction, this: ContractExtraction) -> bool:
    """Whether amendment ``other`` came after amendment ``this``: a higher number, else (numbers
    unknown or equal) signed on a later day (its agreement date; never its effective date, which
    may be retroactive: "effective as of January 1"). Unknown (one states no number and no day
    signed, ``undated``): not after."""
    number = this.amendment.number if this.amendment else None
    other_number = other.amendment.number if other.amendment else None
    if number is not None and other_number is not None and number != other_number:
        return other_number > number
    signed, other_signed = this.value("agreement_date"), other.value("agreement_date")
    return bool(signed and other_signed and str(other_signed) > str(signed))


def unsigned_beside_unnumbered(this: ContractExtraction, other: ContractExtraction) -> bool:
    """Whether amendment ``this`` states a number and no day signed while ``other`` states a day
    signed and no number: neither places the other (``_comes_after`` compares numbers with numbers
    and days with days), so ``this``, the one a day said would place, is the one asked about."""
    number = this.amendment.number if this.amendment else None
    other_number = other.amendment.number if other.amendment else None
    return number is not None and not this.value("agreement_date") \
        and other_number is None and bool(other.value("agreement_date"))


def _order_unknown(original: ContractItem, amendment: ContractItem,
                   extraction: ContractExtraction) -> list[tuple[ContractItem, str]]:
    """The amendments of ``original`` (those applied already, and this one: ``extraction``; read as
    made, ``as_made``) whose order among the others is not known, each with its flag's message: one
    stating no number and no day signed (``undated``) beside any other; one stating a number and no
    day signed beside one stating a day and no number (``unsigned_beside_unnumbered``). Not one a
    person said when it was signed, or that the order filed is the order made (``order_confirmed``).
    ``ORDER_UNKNOWN``, one flag each."""
    applied = [(a, a.extracted) for a in (repo.get_contract(i) for i in original.amended_by or []
                                          if i != amendment.contract_id) if a is not None]
    everyone = [(a, as_made(a, read)) for a, read in [*applied, (amendment, extraction)] if read is not None]
    found = []
    for a, read in everyone:
        others = [(o, other) for o, other in everyone if o is not a]
        if a.order_confirmed or not others:
            continue
        if undated(read):
            found.append((a, order_unknown_message(a.file_name, [o.file_name for o, _ in others])))
        elif unplacing := [o.file_name for o, other in others if unsigned_beside_unnumbered(read, other)]:
            found.append((a, unsigned_order_message(a.file_name, unplacing)))
    return found


def ask_order_again(original: ContractItem, amendment: ContractItem, extraction: ContractExtraction,
                    *, actor: str) -> list[str]:
    """An amendment filed (or linked) after a person confirmed that another's order filed is the
    order made (``order_confirmed`` with no day said): when neither places the other
    (``_comes_after`` either way; one stating no number and no day signed is placed by none), the
    confirmation was of an order without it, so it goes and the amendment is flagged again when
    applied (``ORDER_UNKNOWN``); audited ``amendment.order_unconfirmed`` on both trails. A day said
    stays: it places the amendment against the one filed. Returns the ids unconfirmed."""
    this = as_made(amendment, extraction)
    unconfirmed = []
    for other_id in original.amended_by or []:
        other = repo.get_contract(other_id) if other_id != amendment.contract_id else None
        confirmed = (other.order_confirmed or {}) if other is not None else {}
        if other is None or other.extracted is None or not confirmed or confirmed.get("made_on"):
            continue
        read = as_made(other, other.extracted)
        if _comes_after(this, read) or _comes_after(read, this):
            continue
        repo.update_contract(other, actor=actor, order_confirmed=None)
        detail = {"amendment_id": other_id, "file_name": other.file_name, "filed": amendment.contract_id,
                  "filed_file_name": amendment.file_name,
                  "before": {key: confirmed.get(key) for key in ("by", "at", "note")},
                  "why": f"{amendment.file_name} was filed after the order was confirmed, and neither states "
                         f"a number or a signing date that places it against the other"}
        repo.record_audit(original.contract_id, actor, "amendment.order_unconfirmed", detail)
        repo.record_audit(other_id, actor, "amendment.order_unconfirmed", {**detail, "contract_id": original.contract_id})
        unconfirmed.append(other_id)
    return unconfirmed


def in_order_made(amendments: list[ContractItem],
                  known: dict[str, ContractExtraction] | None = None) -> list[ContractItem]:
    """Amendments in the order they were made (``_comes_after``: number, else the day signed), not
    the order they were filed or applied in. One stating neither (``undated``) is never ordered
    against another: it keeps its place in the order given (filed, or applied), and the others,
    placed among themselves in the places left, keep No. 1 before No. 2 whatever the order filed.
    Each of those goes before the first already placed that came after it, else last (a sort by a
    comparison that is only partial would not). ``known``: by id, the extraction of one not recorded
    on it yet (being applied)."""
    def extraction(amendment: ContractItem) -> ContractExtraction | None:
        found = (known or {}).get(amendment.contract_id) or amendment.extracted
        return None if found is None else as_made(amendment, found)

    views = [(amendment, extraction(amendment)) for amendment in amendments]
    fixed = {i for i, (_, this) in enumerate(views) if this is not None and undated(this)}
    placed: list[tuple[ContractItem, ContractExtraction | None]] = []
    for amendment, this in (view for i, view in enumerate(views) if i not in fixed):
        at = next((i for i, (_, other) in enumerate(placed)
                   if this is not None and other is not None and _comes_after(other, this)), len(placed))
        placed.insert(at, (amendment, this))
    ordered = iter(amendment for amendment, _ in placed)
    return [views[i][0] if i in fixed else next(ordered) for i in range(len(views))]


def _later_amendments(original: ContractItem, amendment: ContractItem,
                      extraction: ContractExtraction) -> dict[str, ContractExtraction]:
    """The amendments applied to ``original`` already that came after this one (``_comes_after``),
    with their extractions: a term one of them states stands (the amendment applied last stands
    when the order is unknown)."""
    later = {}
    for other_id in original.amended_by or []:
        other = repo.get_contract(other_id) if other_id != amendment.contract_id else None
        # read as made: with the day a person said it was signed (``as_made``), as ``in_order_made`` does
        if other is not None and other.extracted is not None \
                and _comes_after(other_extraction := as_made(other, other.extracted), extraction):
            later[other_id] = other_extraction
    return later


def _stated_terms(extraction: ContractExtraction) -> set[str]:
    """The names of the terms an amendment states: an end of the calendar year it counts from the
    Agreement's Effective Date states the expiration date."""
    stated = set(extraction.present_terms())
    return stated | {"expiration_date"} if {AMENDED_AGREEMENT_YEAR_END, TERM_EXTENSION} & stated else stated


def _amended_fees(original: ContractItem, earlier: Term, stated: Term, amendment: ContractItem) -> tuple[Term, str]:
    """The fee after the amendment (``money.amended_fees``): the fee it re-prices changes, what it
    does not state is kept with the earlier document's clause; another fee it states is kept beside
    the contract's. The earlier document: the amendment that set the fee, else the contract."""
    earlier_id = earlier.amended_by or original.contract_id
    earlier_doc = original if earlier_id == original.contract_id else repo.get_contract(earlier_id)
    value, replaces, why = merge_amended_fee(
        earlier.value if isinstance(earlier.value, dict) else None,
        None if earlier.evidence is None else earlier.evidence.to_dict(),
        {"document": earlier_doc.file_name if earlier_doc else earlier_id, "contract_id": earlier_id},
        stated.value, None if stated.evidence is None else stated.evidence.to_dict(),
        {"document": amendment.file_name, "contract_id": amendment.contract_id})
    return (replace(stated, value=value) if replaces else replace(earlier, value=value)), why


def _document_name(original: ContractItem, term: Term | None, amendment: ContractItem) -> str:
    """The file a term of the merged contract comes from: this amendment, an earlier one, the contract."""
    doc_id = term.amended_by if term is not None else None
    if not doc_id or doc_id == original.contract_id:
        return original.file_name
    if doc_id == amendment.contract_id:
        return amendment.file_name
    other = repo.get_contract(doc_id)
    return other.file_name if other is not None else doc_id


def _count_amended_term(original: ContractItem, merged: ContractExtraction, changes: dict[str, Term],
                        amendment: ContractItem, extraction: ContractExtraction) -> None:
    """An amendment's term counted from the amended agreement's Effective Date
    (``term_start.AMENDED_AGREEMENT_START``: "commence on the Effective Date and continue for four
    years"; ``AMENDED_AGREEMENT_YEAR_END``: "until December 31 of the calendar year in which the
    Effective Date falls"): its end is counted from the contract's effective date, never the
    amendment's own, with that in the arithmetic. Without the contract's effective date the end is
    not known: the earlier end (of another term length) is dropped and a person is asked."""
    if "expiration_date" in changes:
        return
    year_end = extraction.term(AMENDED_AGREEMENT_YEAR_END)
    initial = changes.get("initial_term")
    if year_end is not None and year_end.value is True:
        counted = year_end
    elif initial is not None and (initial.derivation or "").startswith(AMENDED_AGREEMENT_START):
        counted = initial
    else:
        return
    start = dates.parse_day(merged.value("effective_date"))
    if start is None:
        what = ("an initial term of " + str(initial.value) if counted is initial
                else "a term to the end of the calendar year")
        message = (f"{amendment.file_name} sets {what} counted from the Effective Date "
                   f"of {original.file_name}, whose effective date is not known: enter the expiration date")
        changes["expiration_date"] = Term(value=None, evidence=counted.evidence, derivation=message,
                                          amended_by=amendment.contract_id)
        merged.attention = [*merged.attention, {"kind": AMENDED_TERM_START, "term": "expiration_date",
                                                "message": message, "candidates": []}]
        return
    if counted is year_end:
        end = date(start.year, 12, 31)
        derivation = (f"the end of the calendar year of effective_date {start.isoformat()} (of {original.file_name}) "
                      f"(term of {amendment.file_name})")
        changes["expiration_date"] = Term(value=end.isoformat(), evidence=year_end.evidence, derivation=derivation,
                                          amended_by=amendment.contract_id)
        return
    convention = TermEndConvention.ANNIVERSARY if AMENDED_AGREEMENT_ANNIVERSARY in (counted.derivation or "") \
        else TermEndConvention.DAY_BEFORE_ANNIVERSARY
    derived = dates.term_end(start, counted.value, convention, "effective_date")
    derivation = derived.derivation.replace(
        f"effective_date {start.isoformat()}", f"effective_date {start.isoformat()} (of {original.file_name})", 1)
    changes["expiration_date"] = Term(value=derived.iso(), evidence=counted.evidence,
                                      derivation=f"{derivation} (initial term of {amendment.file_name})",
                                      amended_by=amendment.contract_id)


def event_computed(contract_id: str, item: TermItem | None) -> bool:
    """An expiration computed from an event's date a person entered (``pipeline/events.py``): stored
    as their entry (a re-extraction keeps it), resting on the conditional term's clause, where a
    value a person entered directly has none. It is the contract's own value, not a person's
    judgement: an amendment applies over it (``apply_amendment``)."""
    return item is not None and item.name == "expiration_date" and bool(item.entered_by) \
        and item.evidence is not None and item.source_contract_id == contract_id


def _amendment_clause(amendment: ContractItem, term: Term | None) -> str:
    """The amendment's file and the Agreement's section its clause amends ("amd2.pdf, amending the
    Agreement's \u00a74.1"), else its page ("amd1.pdf page 1"), else its file alone."""
    text = term.evidence.text if term is not None and term.evidence is not None else ""
    if number := _section_number(text):
        return f"{amendment.file_name}, amending the Agreement's \u00a7{number}"
    page = term.evidence.page if term is not None and term.evidence is not None else None
    return f"{amendment.file_name} page {page}" if page else amendment.file_name


def _count_extension(original: ContractItem, merged: ContractExtraction, changes: dict[str, Term],
                     amendment: ContractItem, extraction: ContractExtraction,
                     event_end: TermItem | None = None) -> None:
    """An amendment that extends the term by a period ("The Initial Term is hereby extended by twelve
    (12) months", ``extract/term.TERM_EXTENSION``) and states no end: the new end counts from the
    expiration in force, with both in the arithmetic. A term that ended before the amendment took
    effect (or no expiration, or no day of the amendment) is not extended by a guess: a person is
    asked (``AMENDED_TERM_START``)."""
    extension = extraction.term(TERM_EXTENSION)
    if extension is None or "expiration_date" in changes:
        return
    current = dates.parse_day(merged.value("expiration_date"))
    on = amendment_day(extraction)
    if current is None or on is None or current < on:
        what = "no expiration date is known" if current is None else (
            "the amendment's date is not known" if on is None else f"the term it extends ended on {current.isoformat()}, "
            f"before the amendment's date {on.isoformat()}")
        _flag(merged, AMENDED_TERM_START, "expiration_date",
              f"{amendment.file_name} extends the term by {extension.value}, but {what}: enter the expiration date")
        return
    end = dates.term_end(current + timedelta(days=1), extension.value, start_label="from")
    base = merged.terms.get("expiration_date")
    doc = _document_name(original, base, amendment)
    from_event = event_end is not None or bool(base is not None and base.extra.get("from_event"))
    if event_end is not None:  # the end the event's date gives, with its arithmetic and clause
        page = (event_end.evidence or {}).get("page") if isinstance(event_end.evidence, dict) else None
        doc = f"{doc}{f' page {page}' if page else ''}: {event_end.derivation}"
    elif from_event and base is not None and base.derivation:  # an extension of the event's end before
        doc = f"{doc}: {base.derivation}"
    where = _amendment_clause(amendment, extension) if from_event else amendment.file_name
    changes["expiration_date"] = Term(
        value=end.iso(), evidence=extension.evidence, amended_by=amendment.contract_id,
        extra={"from_event": True} if from_event else {},
        derivation=f"expiration_date {current.isoformat()} ({doc}) extended by {extension.value} "
                   f"({where}): {end.derivation} = {end.iso()}")


def _amended_notice_deadline(original: ContractItem, merged: ContractExtraction, changes: dict[str, Term],
                             entered: dict, amendment: ContractItem, expiration: date, notice: Any,
                             where_earlier: str = "") -> Term:
    """The notice deadline after an amendment: the merged expiration less the merged notice
    period, each named with the document it comes from, and the notice clause (what creates the
    duty to give notice) as its clause, quoted from the document it is in. A notice period (or an
    end) a person entered stays theirs: the arithmetic says so, and no clause stating another
    period is quoted."""
    derived = dates.notice_deadline(expiration, notice, contract_jurisdiction(original, merged))
    period = merged.terms.get("notice_period")
    if {"notice_period", "expiration_date"} & entered.keys():
        kept = [name for name in ("expiration_date", "notice_period") if name in entered]
        note = "; ".join(f"{amendment.file_name} said {changes[name].value}, the entered value was kept"
                         for name in kept if name in changes and changes[name].value != entered[name].value)
        evidence = None if "notice_period" in entered else (period.evidence if period is not None else None)
        return Term(value=derived.iso(), evidence=evidence,
                    derivation=f"{derived.derivation} (from {entered_words(original.contract_id, entered)})"
                    + (f"; {note}" if note else ""),
                    moved_to_business_day=derived.moved_to_business_day,
                    amended_by=None if "notice_period" in entered or period is None else period.amended_by)
    end_doc = _document_name(original, merged.terms.get("expiration_date"), amendment)
    period_doc = _document_name(original, period, amendment)
    where = period_doc
    if period is not None and period.evidence is not None and (number := _section_number(period.evidence.text)):
        # the Agreement's section the amendment amends, not the amendment's own clause number
        where = f"{period_doc}, amending the Agreement's \u00a7{number}"
    evidence, amended_by = (period.evidence, period.amended_by) if period is not None else (None, None)
    source = _first_term_source(merged) if where_earlier else None
    if source is not None:  # the term ending then began before the amended period took effect: the earlier one
        where, evidence, amended_by = _earlier_period_words(merged, source, evidence, amended_by)
    period_words = f"{dates.as_duration(notice).iso()}"
    arithmetic = derived.derivation.replace(
        f"expiration_date {expiration.isoformat()}", f"expiration_date {expiration.isoformat()} ({end_doc})", 1)
    arithmetic = arithmetic.replace(f" - {period_words}", f" - {period_words} (notice period, {where})", 1)
    # counted with an earlier value, the amendment applied last may have set neither: each is named above
    return Term(value=derived.iso(), evidence=evidence,
                derivation=arithmetic if source is not None else f"{arithmetic} (amended by {amendment.file_name})",
                moved_to_business_day=derived.moved_to_business_day, amended_by=amended_by)


def _first_term_source(merged: ContractExtraction) -> tuple[tuple[EarlierValue, ...], int] | None:
    """The notice periods an amendment replaced and the index of the one in force for the term that
    began on the effective date; None when the value in force now counts it."""
    earlier = earlier_values(merged, "notice_period") or ()
    source = in_force_for_term(earlier, dates.parse_day(merged.value("effective_date")))
    return None if source is None else (earlier, earlier.index(source))


def _earlier_period_words(merged: ContractExtraction, source: tuple[tuple[EarlierValue, ...], int],
                          evidence: Evidence | None, amended_by: str | None) -> tuple[str, Evidence | None, str | None]:
    """(where an earlier notice period comes from in words, its clause, the amendment that set it):
    the document whose value it is (the agreement's, or an amendment's; was: the one changing it next,
    and that one's clause), the terms it is in force for, and the change that follows it. A value
    recorded before its document was (2026-12-07) keeps ``evidence`` and ``amended_by``."""
    earlier, index = source
    item = earlier[index]
    named = item.set_by or (earlier[index - 1].changed_by if index else None)
    terms = f"for terms beginning before {item.until.isoformat()}" if not index else \
        f"for terms beginning from {earlier[index - 1].until.isoformat()} to before {item.until.isoformat()}"
    following = earlier[index + 1].value.iso() if index + 1 < len(earlier) else merged.value("notice_period")
    where = (f"the period in force {terms}{f', of {named}' if named else ''}; {item.changed_by}'s {following} "
             f"for the terms beginning on or after {item.until.isoformat()}")
    if item.set_by is None:
        return where, evidence, amended_by
    return where, Evidence.from_dict(item.evidence), item.set_by_id


_SECTION_NUMBER = re.compile(
    r"\bSection\s+(\d+(?:\.\d+)*)\s+of\s+the\s+Agreement\s+is\s+(?:hereby\s+)?(?:amended|deleted|replaced)\b")


def _section_number(text: str) -> str | None:
    """The section an amendment's clause says it amends ("Section 4.1 of the Agreement is amended to
    read"); None otherwise (a section a clause merely mentions is not its own)."""
    m = _SECTION_NUMBER.search(text)
    return m.group(1) if m else None


# Needs-attention flags an amendment puts on the contract it is applied to (taken off when it is
# removed, and put back by the amendments applied again)
AMENDED_TERM_START = "amended_term_start"
TAKES_EFFECT_LATER = "amended_term_takes_effect_later"
NO_CHANGE_READ = "amendment_no_change_read"
# a person's entry kept over an amendment's different value (an expiration computed from an event's
# date is not one: the amendment applies over it): a person says which is in force (entering the term settles it)
ENTRY_KEPT_OVER_AMENDMENT = "entry_kept_over_amendment"
# an amendment whose order among those applied cannot be known (no number, no day): applied in the
# order filed, and a person confirms which terms are in force
ORDER_UNKNOWN = "amendment_order_unknown"
_AMENDMENT_FLAGS = (AMENDED_TERM_START, TAKES_EFFECT_LATER, NO_CHANGE_READ, ENTRY_KEPT_OVER_AMENDMENT, ORDER_UNKNOWN)
# the terms that run term by term: a change applies to the terms that begin once it took effect
_TERM_BY_TERM = ("renewal_term", "notice_period")
# the terms the money checks read as in force on a day (pipeline/money._terms): a later day their
# clause states is applied there, per term (``pipeline/money._amendment_start``)
_PRICED_BY_DAY = ("fees", "sla_availability", "service_credit_tiers", "service_credit_claim", "payment_terms",
                  "price_increase_cap", "minimum_commitment")


def amendment_day(extraction: ContractExtraction) -> date | None:
    """The day an amendment takes effect: its effective date, else the day it was signed."""
    for name in ("effective_date", "agreement_date"):
        day = dates.parse_day(extraction.value(name))
        if day is not None:
            return day
    return None


def own_effective_day(term: Term | None, amendment_on: date | None) -> date | None:
    """The day an amendment's term takes effect by its own clause ("With effect from March 1, 2028",
    ``extract/amendments.own_effective_dates``) when it is later than the amendment's own day
    (``amendment_on``; not known: any day its clause states); else None."""
    said = term.extra.get("takes_effect") if term is not None else None
    day = dates.parse_day(said.get("date")) if isinstance(said, dict) else None
    return day if day is not None and (amendment_on is None or day > amendment_on) else None


def _flag(merged: ContractExtraction, kind: str, term: str | None, message: str, **more: Any) -> None:
    flag: dict[str, Any] = {"kind": kind, "term": term, "message": message, "candidates": [], **more}
    if flag not in merged.attention:
        merged.attention = [*merged.attention, flag]


def _set_by(original: ContractItem, term: Term | None, amendment: ContractItem) -> dict[str, Any]:
    """Which document a term's value is (``EarlierValue.set_by``): its file, its contract id (None:
    the agreement's own) and its clause; nothing for a value with no clause and no amendment (a
    person's entry): not named rather than named wrong."""
    if term is None or (not term.amended_by and term.evidence is None):
        return {}
    return {"set_by": _document_name(original, term, amendment), "set_by_id": term.amended_by,
            "evidence": None if term.evidence is None else term.evidence.to_dict()}


def _in_turn(merged: ContractExtraction, changes: dict[str, Term], amendment: ContractItem,
             extraction: ContractExtraction, original: ContractItem | None) -> None:
    """The amendment's changes take effect from its own day, or the later day its clause states.
    A renewal length or notice period runs term by term: the terms begun before the change took
    effect keep the earlier value (recorded on the term, ``extra["earlier"]``, which the planner
    rolls: a contract in its 5th one-year renewal is not rolled from its start with the new
    length). The renewal length changes from the amendment's day; the notice period from a later
    day its clause states (else at once: the running term's notice too, as agreed). Any other term
    whose clause states a later day is applied and flagged for a person (``TAKES_EFFECT_LATER``),
    and so is a day that cannot be applied safely (two days in one clause; a day before the change
    of an amendment applied already); the fees' day is the money's (``pipeline/money._amendment_start``).
    Given ``original``, each earlier value records the document it is of (``_set_by``)."""
    on = amendment_day(extraction)
    for name, term in list(changes.items()):
        unclear = term.extra.get("takes_effect_unclear")
        own = own_effective_day(term, on)
        if unclear:  # applied as of the amendment's day (a renewal length still term by term)
            _flag(merged, TAKES_EFFECT_LATER, name,
                  f"{amendment.file_name} changes {name} to {term.value} and its clause names more than one day it "
                  f"takes effect ({unclear}): applied as of the amendment; check which day it takes effect")
        if name not in _TERM_BY_TERM:
            if own is not None and name not in _PRICED_BY_DAY:
                _flag(merged, TAKES_EFFECT_LATER, name,
                      f"{amendment.file_name} changes {name} to {term.value} "
                      f"{term.extra['takes_effect'].get('text')!r}, after its own date: applied now; check it")
            continue
        cut = own if own is not None else (on if name == "renewal_term" else None)
        running = None
        if cut is None and name == "notice_period":
            # at once: from the term running on the amendment's day; a term that ended before it kept
            # its notice ("applies to the Renewal Term in effect on the Amendment Effective Date")
            running = _running_renewal_term(merged, on, changes.get("expiration_date"))
            cut = running
        before = merged.terms.get(name)
        if before is not None and before.value == term.value and before.extra.get("earlier"):
            # restated as it is ("a renewal term of two (2) years" again): the terms begun before the
            # earlier change keep their value (was: the history lost, every past renewal rolled anew)
            changes[name] = term = replace(term, extra={**term.extra, "earlier": before.extra["earlier"]})
        history = list(before.extra.get("earlier") or []) if before is not None else []
        # the same value from a day before the change of an amendment applied already: the change
        # moves earlier (was: dropped as restating the value, the terms between kept the value before)
        earlier_day = (cut is not None and before is not None and before.value == term.value and history
                       and str(history[-1].get("until")) > cut.isoformat())
        if cut is None or before is None or (before.value == term.value and not earlier_day):
            if cut is None and name == "renewal_term" and before is not None and before.value != term.value:
                _flag(merged, TAKES_EFFECT_LATER, name,
                      f"{amendment.file_name} changes {name} to {term.value}, and the day it took effect (its "
                      f"effective date, the day it was signed) was not read: every renewal term is counted with it; "
                      f"check the renewal terms begun before it")
            if cut is not None and own is not None and before is None:
                _flag(merged, TAKES_EFFECT_LATER, name,
                      f"{amendment.file_name} changes {name} to {term.value} from {cut.isoformat()}; no earlier value "
                      f"is known for the terms that begin before then: check it")
            continue
        # the value in force for the terms beginning just before the cut: the earlier value of the
        # first change from the cut on (was: the current value, so a change from 2028-03-01 after one
        # from 2029-03-01 gave the initial term the first change's value instead of the agreement's)
        in_force = next((item for item in history if str(item.get("until")) >= cut.isoformat()), None)
        earlier = before.value if in_force is None else in_force["value"]
        # the document whose value it is, named with its clause (was: only the amendment changing it next)
        set_by = {} if original is None else _set_by(original, before, amendment) if in_force is None else {
            key: in_force[key] for key in ("set_by", "set_by_id", "evidence") if key in in_force}
        if history and str(history[-1].get("until")) >= cut.isoformat():
            # the same value moved earlier is flagged only when it replaces a value an amendment set
            # for the terms after the one it begins in
            first = next(i for i, item in enumerate(history) if str(item.get("until")) >= cut.isoformat())
            if not earlier_day or any(item["value"] != term.value for item in history[first + 1:]):
                _flag(merged, TAKES_EFFECT_LATER, name,
                      f"{amendment.file_name} changes {name} to {term.value} from {cut.isoformat()}, not after the "
                      f"change of an amendment applied before it (from {history[-1].get('until')}): applied to the "
                      f"terms that begin from then; check the terms between")
            history = [item for item in history if str(item.get("until")) < cut.isoformat()]
        history.append({"value": earlier, "until": cut.isoformat(), "changed_by": amendment.file_name, **set_by})
        why = f"{term.extra['takes_effect'].get('text')}" if own is not None else (
            f"the renewal term running on the amendment's date {on.isoformat()}" if running is not None and on is not None
            else f"the amendment's date {cut.isoformat()}")
        changes[name] = replace(
            term, extra={**term.extra, "earlier": history},
            derivation=f"{term.value} for the terms beginning on or after {cut.isoformat()} ({why}, "
                       f"{amendment.file_name}); " + (f"{earlier} for the terms beginning before" if len(history) == 1
                                                      else _history_words(history)))


def _segment_words(history: list[dict], index: int) -> str:
    """The value of ``history[index]`` and the terms it is in force for, in words."""
    item = history[index]
    begins = f"from {history[index - 1]['until']} to " if index else ""
    return f"{item['value']} for the terms beginning {begins}before {item['until']}"


def _history_words(history: list[dict]) -> str:
    """The earlier values of a term, newest first, each with the amendment that set it."""
    return "; ".join(_segment_words(history, index) + (f" ({history[index - 1]['changed_by']})" if index else "")
                     for index in reversed(range(len(history))))


def _running_renewal_term(merged: ContractExtraction, on: date | None, new_end: Term | None = None) -> date | None:
    """The first day of the renewal term running on ``on`` (the lengths as rolled before the
    amendment), None when ``on`` is in the initial term or the terms cannot be rolled (the end or the
    renewal length not read, or an earlier length not readable). ``new_end``: the end the same
    amendment sets (an extension), counted from: an amendment extending the term it falls in
    changes that term's notice at once."""
    changed = dates.parse_day(new_end.value) if new_end is not None and isinstance(new_end.value, str) else None
    expiration = changed or dates.parse_day(merged.value("expiration_date"))
    renewal = merged.value("renewal_term")
    earlier = earlier_values(merged, "renewal_term")
    if on is None or expiration is None or on <= expiration or not renewal or earlier is None:
        return None
    try:
        length = dates.as_duration(renewal)
    except (ValueError, TypeError, AttributeError):
        return None
    for begins, end in rolled_terms(expiration, length, earlier):
        if begins > on:
            return None
        if on <= end.value:
            return begins
    return None


def stated_changes(extraction: ContractExtraction) -> set[str]:
    """The terms an amendment states that it can change (``_AMENDABLE``, with an end it counts from
    the Agreement's Effective Date): none read means the amendment was read as changing nothing."""
    return {name for name in _stated_terms(extraction) if name in _AMENDABLE}


def amendment_name(amendment: ContractItem, extraction: ContractExtraction | None) -> str:
    """An amendment as its flags' messages name it: "No. 2 (amend.pdf)", or its file name."""
    number = extraction.amendment.number if extraction is not None and extraction.amendment is not None else None
    return f"No. {number} ({amendment.file_name})" if number is not None else amendment.file_name


def no_change_message(amendment: ContractItem, extraction: ContractExtraction) -> str:
    name = amendment_name(amendment, extraction)
    named = extraction.amendment.names_terms if extraction.amendment is not None else ()
    said = f"Amendment {name} was applied but no term change was read from it: check it, "
    if not named:
        return said + "and enter what it changes (or, when it changes no term tracked here, mark it checked)"
    from .entries import ENTERABLE  # entries imports this module
    entered = ", ".join(n.replace("_", " ") for n in named if n in ENTERABLE)
    if all(n in ENTERABLE for n in named):
        return said + f"and enter the terms it names ({entered}): an entry of each settles it"
    # the fees, the service credits' tiers: no entry of them exists, so none may look like settling it
    unsettled = ", ".join(n.replace("_", " ") for n in named if n not in ENTERABLE)
    return said + (f"and mark it checked: it names {unsettled}, which cannot be settled by an entry (none can be "
                   f"made of them here): only a check takes this flag away") + \
        (f"; the {entered} it names too can be entered, which alone does not settle it" if entered else "")


def _first_term_notice(merged: ContractExtraction) -> tuple[Any, str]:
    """The notice period of the term that ends on the expiration date (it began on the effective
    date), and where it comes from in words ("" when no amendment changed it term by term)."""
    current = merged.value("notice_period")
    earlier = earlier_values(merged, "notice_period")
    if not earlier or current is None:
        return current, ""
    try:
        period = dates.as_duration(current)
    except (ValueError, TypeError, AttributeError):
        return current, ""  # unreadable: counted as before
    value, where = value_for_term(period, earlier, dates.parse_day(merged.value("effective_date")))
    return value.iso(), where


def order_unknown_message(file_name: str, others: list[str]) -> str:
    return (f"{file_name} has no number and no signing date: the order it was made in among {', '.join(others)} "
            f"is not known; applied in the order filed")


def unsigned_order_message(file_name: str, unnumbered: list[str]) -> str:
    return (f"{file_name} has a number and no signing date, {', '.join(unnumbered)} a signing date and no number: "
            f"the order they were made in is not known; applied in the order filed")


def apply_amendment(original: ContractItem, amendment: ContractItem, extraction: ContractExtraction,
                    *, actor: str, in_order: bool = False) -> list[str]:
    """Merge the amendment's changed terms into the original and recompute its notice deadline (its
    credit claims are recounted by the caller: ``settle_amendment``, ``remove_amendment``). One made
    before an amendment applied already (filed late, or linked by a person): every amendment of the
    contract is applied again in the order made, this one in its place (``_apply_again``; audited
    ``amendments.applied_again``), so the terms, their history, deadlines and flags are those of the
    order made, whatever the order filed. ``in_order``: applied so, in that replay, whose deadlines
    are refreshed once, after it (not on each partial state: a term end done or waived is compared
    with the day the whole replay gives)."""
    later = _later_amendments(original, amendment, as_made(amendment, extraction))
    if later and not in_order:
        names = sorted(other.source or other_id for other_id, other in later.items())
        return _apply_again(original, None, actor=actor, adding=(amendment, extraction),
                            why=f"{amendment.file_name} was made before {', '.join(names)}, applied already: "
                                f"the amendments are applied again in the order they were made")
    merged = original.extracted or ContractExtraction(source=original.file_name, pages=0)
    calendar_before = contract_jurisdiction(original)
    changes: dict[str, Term] = {
        name: replace(term, amended_by=amendment.contract_id)
        for name, term in extraction.present_terms().items() if name in _AMENDABLE}
    # a value a person entered stands (save_terms keeps it and audits the amendment's); an
    # expiration computed from an event's date is the contract's own: the amendment applies over it
    entered = repo.entered_terms(original.contract_id)
    event_end = entered.pop("expiration_date") if event_computed(
        original.contract_id, entered.get("expiration_date")) else None
    stated = changes.get("expiration_date")
    if stated is not None and (stated.derivation or "").startswith("stated in the clause"):
        # the clause is the amendment's: named, as an amended notice deadline's period is
        changes["expiration_date"] = replace(stated, derivation=(stated.derivation or "").replace(
            "stated in the clause", f"stated in the clause of {_amendment_clause(amendment, stated)}", 1))
    # its end when it restates the term from the Agreement's Effective Date
    _count_amended_term(original, merged, changes, amendment, extraction)
    _count_extension(original, merged, changes, amendment, extraction, event_end)
    _in_turn(merged, changes, amendment, extraction, original)
    for unknown, message in _order_unknown(original, amendment, extraction):  # one flag each, naming the others
        merged.attention = [f for f in merged.attention
                            if not (f.get("kind") == ORDER_UNKNOWN and f.get("amendment_id") == unknown.contract_id)]
        _flag(merged, ORDER_UNKNOWN, None, message, amendment_id=unknown.contract_id)
    if not stated_changes(extraction) and not amendment.amendment_checked \
            and entry_settling(amendment, extraction, original.contract_id) is None:
        _flag(merged, NO_CHANGE_READ, None, no_change_message(amendment, extraction),
              amendment_id=amendment.contract_id)  # checked on the amendment: its flag here goes by this id
    fee_note = None
    if "fees" in changes and (earlier_fees := merged.terms.get("fees")) is not None:
        changes["fees"], fee_note = _amended_fees(original, earlier_fees, changes["fees"], amendment)
    merged.terms.update(changes)
    for name, item in entered.items():
        if name in changes:
            merged.terms[name] = entered_term(item)
            if changes[name].value != item.value:  # said on Needs attention, not only in a derivation
                _flag(merged, ENTRY_KEPT_OVER_AMENDMENT, name,
                      f"{amendment.file_name} changes {name} to {changes[name].value}; the value {item.value} "
                      f"entered by {item.entered_by} stands (an entry is never overwritten): enter "
                      f"{changes[name].value} as {name} if the amendment's is the one in force")
    # an expiration left with blanks ("2025") has no deadline to count from
    expiration = dates.parse_day(merged.value("expiration_date"))
    notice, where = _first_term_notice(merged) if "notice_period" not in entered else (merged.value("notice_period"), "")
    if expiration and notice and ({"expiration_date", "notice_period"} & changes.keys()) \
            and "notice_deadline" not in entered:
        changes["notice_deadline"] = merged.terms["notice_deadline"] = _amended_notice_deadline(
            original, merged, changes, entered, amendment, expiration, notice, where)
    recount = _recount_for_amended_law(original, merged, changes, entered, amendment, calendar_before)
    changed = repo.save_terms(original.contract_id, changes, source_contract_id=amendment.contract_id,
                              actor=actor, replacing=("expiration_date",) if event_end is not None else ())
    # applied again (a redelivered message; both sides of a race): listed once
    history = [c for c in original.amended_by or [] if c != amendment.contract_id] + [amendment.contract_id]
    repo.update_contract(original, actor=actor, extraction=merged.to_dict(), amended_by=history)
    repo.record_audit(original.contract_id, actor, "contract.amended",
                      {"amendment_contract_id": amendment.contract_id, "changed": changed,
                       **({"fees": fee_note} if fee_note else {})})
    if recount is not None:
        audit_recount(original, *recount, calendar=contract_jurisdiction(original, merged),
                      why=f"{amendment.file_name} amended the governing law", actor=actor)
    if not in_order:
        refresh_deadlines(original, today=local_today(original), actor=actor,
                          moved_by=f"amendment {amendment.file_name} ({amendment.contract_id})")
    return changed


def recount_claim_windows(contract: ContractItem, *, actor: str, why: str) -> None:
    """The open credit claims' business-day windows counted again after an amendment changed the
    contract's governing law, or one that did was taken out (``pipeline.money.recount_claim_windows``:
    each claim whose period's calendar now gives another day moves, audited ``claim.recounted``).
    Not with a jurisdiction set (at upload or by a person): it counts whatever the governing law says."""
    if contract.jurisdiction and contract.jurisdiction.strip():
        return
    from . import money  # money reads the contract's day with this module's rules

    money.recount_claim_windows(contract, actor=actor, why=why)


def _recount_for_amended_law(original: ContractItem, merged: ContractExtraction, changes: dict[str, Term],
                             entered: dict, amendment: ContractItem, calendar_before: str | None
                             ) -> tuple[Term, Term, str | None] | None:
    """An amendment that changes the governing law changes the contract's calendar (when no upload
    jurisdiction sets it): its business-day notice deadline is recounted with the new one, in
    ``changes`` and ``merged`` (unless the amendment's end or notice period counted it just now, with
    that calendar). Returns (before, recounted, the calendar before), or None."""
    before = merged.terms.get("notice_deadline")
    if "governing_law" not in changes or "notice_deadline" in changes or "notice_deadline" in entered \
            or before is None:
        return None
    recounted = recount_notice_deadline(original, merged, counted_with=calendar_before,
                                        why=f"{amendment.file_name} amended the governing law")
    if recounted is None:
        return None
    changes["notice_deadline"] = merged.terms["notice_deadline"] = recounted
    return before, recounted, calendar_before


# --- an amendment removed (deleted, or unlinked by a person) ---------------------------------------

def _own_terms(contract_id: str) -> dict[str, Term | None]:
    """The contract's terms as its own document states them: of each amendable term (and the
    notice deadline), the latest version it recorded itself (``source_contract_id`` the contract,
    not a person's entry); None for a term only an amendment stated."""
    own: dict[str, Term | None] = {}
    for name, versions in repo.term_history(contract_id).items():
        if name not in (*_AMENDABLE, "notice_deadline"):
            continue
        mine = [v for v in versions if v.source_contract_id == contract_id and not v.entered_by]
        # a stated deadline moved back to a business day says so in its arithmetic (dates.notice_deadline)
        own[name] = None if not mine else Term.from_dict(
            {"value": mine[-1].value, "derivation": mine[-1].derivation, "evidence": mine[-1].evidence,
             "confidence": mine[-1].confidence,
             "moved_to_business_day": "not a business day, moved back to" in (mine[-1].derivation or "")})
    return own


def _own_event_end(contract_id: str) -> TermItem | None:
    """The expiration an event's date gave, when it is the latest the contract recorded itself (an
    amendment applied over it since): the end the amendments apply to again."""
    versions = repo.term_history(contract_id).get("expiration_date") or []
    own = [v for v in versions if v.source_contract_id == contract_id]
    return own[-1] if own and event_computed(contract_id, own[-1]) else None


def remove_amendment(original: ContractItem, amendment_id: str, *, actor: str, why: str) -> list[str]:
    """An amendment applied to ``original`` is no longer on file for it (deleted, or unlinked by a
    person): the contract's terms go back to what its own document states, with the values a person
    entered standing, and the amendments that remain are applied again in the order they were
    made, so its terms, their derivations, its deadlines and reminders follow the documents on file
    and ``amended_by`` no longer lists it. Returns the names of the terms that changed."""
    return _apply_again(original, amendment_id, actor=actor, why=why)


def apply_amendments_again(original: ContractItem, *, actor: str, why: str) -> list[str]:
    """The contract's own expiration changed under its amendments (an event's date entered,
    corrected or cleared, ``pipeline/events.py``): its amended terms go back to its own and its
    amendments are applied again in the order they were made, so an extension "by twelve months"
    counts from the new end (audited ``amendments.applied_again``). Returns the changed names."""
    return _apply_again(original, None, actor=actor, why=why)


def _apply_again(original: ContractItem, amendment_id: str | None, *, actor: str, why: str,
                 adding: tuple[ContractItem, ContractExtraction] | None = None) -> list[str]:
    """``remove_amendment`` (``amendment_id``) or ``apply_amendments_again`` (None); ``adding``: an
    amendment made before one applied already, being applied (``apply_amendment``), with its extraction."""
    # the contract lists it, and it names the contract: recorded (``amends_contract_id``) or still
    # being recorded (``amending_contract_id``: applied, ``settle_amendment`` not finished; was dropped
    # here, and its finishing then only ran ``_applied``: its terms lost)
    remaining = [a for a in (repo.get_contract(i) for i in original.amended_by or [] if i != amendment_id)
                 if a is not None and original.contract_id in (a.amends_contract_id, a.amending_contract_id)
                 and a.extracted is not None
                 and (adding is None or a.contract_id != adding[0].contract_id)]
    known = {adding[0].contract_id: adding[1]} if adding is not None else {}
    remaining = in_order_made(remaining + ([adding[0]] if adding is not None else []), known)
    base = original.extracted or ContractExtraction(source=original.file_name, pages=0)
    current = repo.current_terms(original.contract_id)
    own = _own_terms(original.contract_id)
    back: dict[str, Term] = {}
    event_end = None
    for name in (*_AMENDABLE, "notice_deadline"):
        item = current.get(name)
        if item is None or item.source_contract_id == original.contract_id:
            if (restated := base.terms.get(name)) is not None and restated.amended_by and own.get(name) is not None:
                # an amendment that restated the value as it was (nothing stored): the document's own
                # again, not the amendment's (its clause, no history), as in the order made
                base.terms[name] = own[name]
            continue  # never amended (or entered by a person: it stands)
        if name == "expiration_date" and (event_end := _own_event_end(original.contract_id)) is not None:
            continue  # the end an event's date gave, restored below as it was entered
        term = own.get(name)
        base.terms[name] = term
        back[name] = term if term is not None else Term(
            value=None, evidence=None, derivation=f"stated only by an amendment no longer on file ({why})")
    if event_end is not None:
        repo.save_entered_term(original.contract_id, "expiration_date", event_end.value, actor=actor,
                               derivation=event_end.derivation or "", evidence=event_end.evidence)
    base.attention = [flag for flag in base.attention if flag.get("kind") not in _AMENDMENT_FLAGS]
    entered = repo.entered_terms(original.contract_id)
    base = with_entered_terms(original.contract_id, base, entered)
    derived = entered_notice_deadline(original.contract_id, base, contract_jurisdiction(original, base), entered)
    if derived is not None:
        base.terms["notice_deadline"] = back["notice_deadline"] = derived
    changed = repo.save_terms(original.contract_id, back, source_contract_id=original.contract_id, actor=actor)
    contract = repo.update_contract(original, actor=actor, extraction=base.to_dict(), amended_by=[])
    if amendment_id is not None:
        repo.record_audit(original.contract_id, actor, "amendment.removed",
                          {"amendment_contract_id": amendment_id, "why": why, "changed": changed,
                           "applied_again": [a.contract_id for a in remaining]})
    else:
        repo.record_audit(original.contract_id, actor, "amendments.applied_again",
                          {"why": why, "changed": changed, "applied_again": [a.contract_id for a in remaining],
                           **({"filed_late": adding[0].contract_id} if adding is not None else {})})
    for amendment in remaining:
        contract = repo.get_contract(original.contract_id) or contract
        extraction = known.get(amendment.contract_id) or amendment.extracted
        if extraction is not None:
            changed += apply_amendment(contract, amendment, extraction, actor=actor, in_order=True)
    contract = repo.get_contract(original.contract_id) or contract
    # once, after the whole replay: a term end done or waived is compared with the day stored
    # before it (each partial state refreshed moved it back and forth, reopened by the wrong one)
    refresh_deadlines(contract, today=local_today(contract), actor=actor,
                      moved_by=_replay_named(amendment_id, remaining, why))
    if amendment_id is not None and "governing_law" in back:
        # the removed amendment, or one applied over it, changed the governing law: the calendar may
        # move back, once the amendments left are applied (the same amendments applied again,
        # ``apply_amendments_again``, leave it as it was)
        recount_claim_windows(contract, actor=actor, why=why)
    # a term's date the removed amendment alone gave (a notice period the contract's own document
    # lacks): its deadline is no longer planned, and is withdrawn rather than left open
    withdraw_unplanned(contract, actor=actor, why=why)
    return sorted(set(changed))


def _replay_named(removed_id: str | None, applied: list[ContractItem], why: str) -> str:
    """What moved a term end in a replay, for its reopen's reason: the amendment removed (or the
    amendments applied again) and the amendments applied again, in the order made."""
    names = ", ".join(a.file_name or a.contract_id for a in applied) or "none"
    if removed_id is None:
        return f"the amendments applied again in the order made ({names}: {why})"
    return f"amendment {removed_id} no longer on file ({why}; the amendments left applied again in the order made: {names})"


def finish_removal(original: ContractItem, *, actor: str, why: str) -> None:
    """An amendment's removal retried after ``remove_amendment`` failed past its terms' write (the
    contract no longer lists it, the amendment still names the contract): what follows that write is
    done again, each step idempotent: the deadlines refreshed, the open claims recounted with the
    calendar now in force, and what the contract's terms no longer give withdrawn."""
    contract = repo.get_contract(original.contract_id) or original
    refresh_deadlines(contract, today=local_today(contract), actor=actor)
    contract = repo.get_contract(original.contract_id) or contract
    recount_claim_windows(contract, actor=actor, why=why)
    withdraw_unplanned(contract, actor=actor, why=why)


def withdraw_unplanned(contract: ContractItem, *, actor: str, why: str) -> None:
    """The notice deadline and the term's end the contract's terms no longer give (after
    ``refresh_deadlines``): withdrawn (superseded, so their reminders go) rather than left open."""
    planned = {NOTICE_DEADLINE_ID: contract.current_notice_deadline, EXPIRATION_ID: contract.current_expiration}
    for obligation_id, due in planned.items():
        obligation = repo.get_obligation(contract.contract_id, obligation_id)
        if due is None and obligation is not None and obligation.status == "open":
            repo.set_obligation_status(contract.contract_id, obligation_id, schema.ObligationStatus.SUPERSEDED,
                                       team=contract.team, actor=actor,
                                       reason=f"no longer in the contract's terms: {why}")
