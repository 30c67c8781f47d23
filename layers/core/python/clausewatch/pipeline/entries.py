"""A person enters a term the extractor abstained on (or corrects one): the value is checked for
its kind, written as a new version of the term marked ``entered_by`` (so no later extraction or
amendment overwrites it: ``repo.save_terms`` keeps it and audits what was extracted), the stored
extraction takes it, a notice deadline that depends on it is recomputed with its arithmetic, the
deadlines are refreshed (the planner then re-plans the reminders), and the entry is audited."""

from __future__ import annotations

import itertools
from typing import Any

from .. import dates
from ..extract.contract_language import NOT_A_CONTRACT
from ..extract.model import ContractExtraction, Term
from ..extract.notice_fit import NOTICE_GIVEN_ON, misfits, without_settled
from ..schema import ContractStatus
from ..store import repository as repo
from ..store.models import ContractItem, TermItem
from . import actions, money, record

DATE_TERMS = ("agreement_date", "effective_date", "expiration_date")
DURATION_TERMS = ("initial_term", "renewal_term", "notice_period", "survival_period")
BOOLEAN_TERMS = ("auto_renewal",)
TEXT_TERMS = ("termination_for_convenience", "payment_terms", "price_increase_cap", "minimum_commitment",
              "sla_availability", "service_credits", "governing_law")
ENTERABLE = DATE_TERMS + DURATION_TERMS + BOOLEAN_TERMS + TEXT_TERMS
MAX_TEXT = 500
FIRST_YEAR, LAST_YEAR = 1900, 2199  # a contract's dates; "2927-03-31" is a slip, not a term
ZERO_ALLOWED = ("notice_period", "survival_period")  # notice "at any time", nothing surviving


def parse_value(name: str, raw: Any) -> Any:
    """The stored value of an entry for term ``name``: an ISO date, an ISO 8601 duration, a bool or
    a short text. InvalidInput says what is expected."""
    if name not in ENTERABLE:
        raise actions.InvalidInput(f"{name!r} cannot be entered; terms that can: {', '.join(ENTERABLE)}")
    if name in BOOLEAN_TERMS:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("true", "yes"):
            return True
        if text in ("false", "no"):
            return False
        raise actions.InvalidInput(f"{name}: yes or no (true/false), not {raw!r}")
    if not isinstance(raw, str) or not raw.strip():
        raise actions.InvalidInput(f"{name}: a non-empty text value is needed")
    text = raw.strip()
    if name in DATE_TERMS:
        day = dates.parse_day(text)
        if day is None or day.isoformat() != text:
            raise actions.InvalidInput(f"{name}: an ISO date (YYYY-MM-DD), not {raw!r}")
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise actions.InvalidInput(f"{name}: a date from {FIRST_YEAR} to {LAST_YEAR}, not {raw!r}")
        return text
    if name in DURATION_TERMS:
        try:
            duration = dates.as_duration(text.upper())
        except (ValueError, TypeError) as exc:
            raise actions.InvalidInput(f"{name}: an ISO 8601 duration (P12M, P60D, P10BD), not {raw!r}") from exc
        if not duration.plausible:
            raise actions.InvalidInput(f"{name}: at most 100 years (P100Y), not {raw!r}")
        if duration.approximate_days == 0 and name not in ZERO_ALLOWED:
            raise actions.InvalidInput(f"{name}: a duration longer than zero, not {raw!r}")
        return duration.iso()
    if len(text) > MAX_TEXT:
        raise actions.InvalidInput(f"{name}: at most {MAX_TEXT} characters")
    return text


def check_notice_fits(name: str, value: Any, terms: dict[str, Any]) -> None:
    """InvalidInput when the entry makes the notice period longer than a term it is given on (the
    entered value against those stored, never two stored values against each other): the
    initial term, and the renewal term of a contract that is not said not to renew (``terms``: the
    contract's current values by name). Counted back from the end of such a term, the notice would
    fall due before the term began, so no notice could ever be given in time on it: one of the two
    values is a slip ("P18M" for "P18D"), and the message names both so the person corrects the one
    that is wrong (a term entered first, then the notice period)."""
    if name != "notice_period" and name not in NOTICE_GIVEN_ON:
        return
    values = {**terms, name: value}
    for term_name in misfits(values):
        if name != "notice_period" and term_name != name:
            continue  # the entered value against those stored, never two stored values against each other
        notice, term = values.get("notice_period"), values.get(term_name)
        entered, other = (f"notice_period {notice}", f"{term_name} {term}") if name == "notice_period" \
            else (f"{term_name} {term}", f"notice_period {notice}")
        raise actions.InvalidInput(
            f"{entered} does not fit the contract's {other}: the notice period is longer than the "
            f"{term_name.replace('_', ' ')} it is given on, so counted back from that term's end the notice "
            "would be due before the term began; enter the one of the two that is wrong first")


def _filed_since(contract: ContractItem, recorded_at: str) -> bool:
    """Whether an amendment applied to the contract was filed after ``recorded_at``."""
    return any(a is not None and a.received_at > recorded_at
               for a in (repo.get_contract(i) for i in contract.amended_by or []))


def enter_term(contract_id: str, name: str, raw: Any, *, note: str | None, actor: str, team: str) -> TermItem:
    """Record a person's value for a term of one of the team's extracted contracts."""
    contract = actions.find_contract(contract_id, team)
    value = parse_value(name, raw)
    if contract.status != ContractStatus.EXTRACTED or contract.is_amendment:
        raise actions.Conflict(f"contract {contract_id!r} is {contract.status}"
                               f"{' (an amendment)' if contract.is_amendment else ''}: terms are entered "
                               "on an extracted contract")
    current = repo.current_terms(contract_id)
    check_notice_fits(name, value, {term: item.value for term, item in current.items()})
    previous = current.get(name)
    derivation = f"entered by {actor}" + (f": {note.strip()}" if note and note.strip() else "")
    # the same value entered again (after a 409 that recorded it, or twice): no second version, unless
    # an amendment was filed since it was (re-entered, it is entered after it: ``record.entry_settling``)
    again = previous is not None and bool(previous.entered_by) and previous.value == value \
        and not _filed_since(contract, previous.recorded_at)
    item = previous if again and previous is not None else \
        repo.save_entered_term(contract_id, name, value, derivation=derivation, actor=actor)
    try:
        _hold_entered_term(contract, name, Term(value=value, evidence=None, derivation=item.derivation or derivation),
                           actor=actor)
    finally:  # audited once, when recorded, even when the deadlines could not follow it yet
        if not again:
            repo.record_audit(contract_id, actor, "term.entered", {
                "name": name, "value": value, "note": note, "version": int(item.version),
                "previous": None if previous is None else previous.value})
    try:
        try:  # an amendment read as changing nothing, naming this term as the one it changes: settled
            actions.settle_by_entry(contract, name, actor=actor)
        finally:  # the deadlines follow the entry even when that flag could not be written (it stays)
            fresh = repo.get_contract(contract_id) or contract
            record.refresh_deadlines(fresh, today=record.local_today(fresh), actor=actor)
        # an expiration computed from the later/earlier of events, one of them this date, follows it
        from .events import refresh_after_correction

        refresh_after_correction(contract_id, name, actor=actor)
        if name == "governing_law":  # an open credit claim's business-day window follows the calendar too
            money.recount_claim_windows(fresh, actor=actor, why=f"the governing law was entered by {actor}")
    finally:  # tried even when the deadlines failed: a request is not delivered again
        if name in repo.DATED_BY:  # the amendments that were waiting for an agreement of this date
            fresh = repo.get_contract(contract_id) or contract
            if (extracted := fresh.extracted) is not None:
                record.settle_waiting_amendments(fresh, extracted, actor=actor, marked=True)
    return item


def _hold_entered_term(contract: ContractItem, name: str, term: Term, *, actor: str) -> None:
    """The contract's stored extraction takes the entered term (and the notice deadline counted
    from it), written checked against the version read: when another request or the pipeline
    changed the record meanwhile, merged again into the record as it is now (never a copy from
    before the change written over it), up to ``repo.CONTRACT_WRITE_ATTEMPTS`` times; then a
    Conflict that says the value is recorded and the same entry again finishes it."""
    for attempt in itertools.count(1):
        if contract.status != ContractStatus.EXTRACTED:
            raise actions.Conflict(f"contract {contract.contract_id!r} became {contract.status} while the value was"
                                   " entered: the value is recorded; enter it again once it is extracted")
        calendar_before = record.contract_jurisdiction(contract)
        merged = contract.extracted or ContractExtraction(source=contract.file_name, pages=0)
        before = merged.terms.get("notice_deadline")
        merged.terms[name] = term
        # a person entering its terms says it is a contract: the flag saying it may not be one goes
        # a person entering the term says which value is in force: an amendment's kept out is settled
        merged.attention = without_settled([flag for flag in merged.attention if flag.get("kind") != NOT_A_CONTRACT
                                            and not (flag.get("kind") == record.ENTRY_KEPT_OVER_AMENDMENT
                                                     and flag.get("term") == name)],
                                           {term_name: t.value for term_name, t in merged.terms.items() if t is not None})
        derived = record.notice_deadline_from(merged, record.contract_jurisdiction(contract, merged),
                                              record.entered_words(contract.contract_id,
                                                                   repo.entered_terms(contract.contract_id))) \
            if name in ("expiration_date", "notice_period") else None
        why = f"the governing law was entered by {actor}"
        # a governing law entered may change the contract's calendar: its business-day notice deadline
        # is counted again with the new one (reminder days follow when the planner plans it again)
        recounted = record.recount_notice_deadline(contract, merged, counted_with=calendar_before, why=why) \
            if name == "governing_law" and "notice_deadline" not in repo.entered_terms(contract.contract_id) \
            else None
        try:
            if (counted := derived or recounted) is not None:
                merged.terms["notice_deadline"] = counted
                repo.save_terms(contract.contract_id, {"notice_deadline": counted},
                                source_contract_id=contract.contract_id, actor=actor)
            if name in repo.DATED_BY:  # an amendment of an agreement of this date finds it from now on
                repo.mark_dated(contract, merged)  # before the record holds the date, as on extraction
            repo.update_contract(contract, actor=actor, extraction=merged.to_dict())
            if recounted is not None and before is not None:
                record.audit_recount(contract, before, recounted, calendar_before,
                                     calendar=record.contract_jurisdiction(contract, merged), why=why, actor=actor)
            return
        except Exception as exc:
            if not repo.refused_by_another_write(exc):
                raise
            if attempt >= repo.CONTRACT_WRITE_ATTEMPTS or not repo.reread_contract(contract):
                raise actions.Conflict(
                    f"the {name} entered is recorded, but contract {contract.contract_id!r} was changed by another"
                    f" request each of the {attempt} times its deadlines were to follow it: enter the same value"
                    " again to finish") from exc
    raise AssertionError("unreachable")


JURISDICTION_NOTES = ("unknown jurisdiction ", "jurisdiction refused")  # intake's notes on a refused one


def parse_jurisdiction(raw: str | None) -> str | None:
    """The jurisdiction a person sets, checked as intake checks an upload's (``intake.normalise_metadata``:
    a holiday calendar the ``holidays`` library has, no line break); None clears it. InvalidInput
    says what to send instead."""
    from .intake import normalise_metadata

    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        raise actions.InvalidInput("jurisdiction: a country code or a country and subdivision (US, US-NY, GB-ENG, "
                                   "DE-BY), or null to count with the governing law")
    kept, refused = normalise_metadata({"jurisdiction": raw}, refusing=True)
    if refused or "jurisdiction" not in kept:
        raise actions.InvalidInput("; ".join(refused) or f"jurisdiction {raw!r} refused")
    return kept["jurisdiction"]


def _same_jurisdiction(stored: str | None, value: str | None) -> bool:
    """Whether the jurisdiction stored is ``value`` in one spelling: one stored as sent before
    2026-12-07 ("us-ny") is the calendar US-NY (``dates`` reads codes in any letters)."""
    return (stored or "").strip().upper() == (value or "").strip().upper()


def set_jurisdiction(contract_id: str, raw: str | None, *, actor: str, team: str, note: str | None = None
                     ) -> ContractItem:
    """A person sets the contract's jurisdiction after upload (the one chosen was wrong, or none was),
    or clears it (None: the governing law as read, entered or amended counts again). The contract's
    calendar (``record.contract_jurisdiction``) changes with it, and everything counted with it
    follows as when a governing law is entered: a business-day notice deadline is recounted
    (``record.recount_notice_deadline``, audited ``notice_deadline.recounted``; not one a person
    entered), the deadlines are refreshed and the planner re-plans the reminder days, later terms'
    deadlines and a waiting renewal decision's cut-offs (``renewal.steps.follow_notice_deadline``).
    Audited ``contract.jurisdiction_set`` (old, new, both calendars; the actor is the trail's).
    Intake's note on a jurisdiction it refused is settled. The same value again (in other letters
    too: one stored "us-ny" is US-NY): no change, nothing written.

    InvalidInput: not a jurisdiction we have a calendar for. Conflict: an amendment (its dates are
    counted on the contract it amends), or the record changed by another request each time."""
    value = parse_jurisdiction(raw)
    contract = actions.find_contract(contract_id, team)
    if contract.is_amendment:
        raise actions.Conflict(f"contract {contract_id!r} is an amendment: its dates are counted with the calendar of "
                               "the contract it amends; set the jurisdiction there")
    for attempt in itertools.count(1):
        previous = contract.jurisdiction or None
        notes = [n for n in contract.intake_notes or [] if not str(n).startswith(JURISDICTION_NOTES)]
        if _same_jurisdiction(previous, value) and notes == list(contract.intake_notes or []):
            if contract.status == ContractStatus.EXTRACTED:  # again: no change, but what a try that failed
                # after its write left undone (the claims' recount) is finished: each moves only once
                money.recount_claim_windows(contract, actor=actor, why=f"the jurisdiction was set to {value} by "
                                            f"{actor}" if value else f"the jurisdiction was cleared by {actor}")
            return contract
        calendar_before = record.contract_jurisdiction(contract)
        merged = contract.extracted if contract.status == ContractStatus.EXTRACTED else None
        before = merged.terms.get("notice_deadline") if merged is not None else None
        contract.jurisdiction, contract.jurisdiction_set_by = value, (actor if value else None)
        why = f"the jurisdiction {previous} was cleared by {actor}" if not value else \
            f"the jurisdiction was set to {value} by {actor}" + (f" (was {previous})" if previous else "")
        recounted = record.recount_notice_deadline(contract, merged, counted_with=calendar_before, why=why) \
            if merged is not None and "notice_deadline" not in repo.entered_terms(contract_id) else None
        try:
            fields: dict[str, Any] = {"jurisdiction": value, "jurisdiction_set_by": contract.jurisdiction_set_by,
                                      "intake_notes": notes or None}
            if recounted is not None and merged is not None:
                merged.terms["notice_deadline"] = recounted
                repo.save_terms(contract_id, {"notice_deadline": recounted}, source_contract_id=contract_id,
                                actor=actor)
                fields["extraction"] = merged.to_dict()
            repo.update_contract(contract, actor=actor, **fields)
            break
        except Exception as exc:
            if not repo.refused_by_another_write(exc):
                raise
            if attempt >= repo.CONTRACT_WRITE_ATTEMPTS or not repo.reread_contract(contract):
                raise actions.Conflict(
                    f"contract {contract_id!r} was changed by another request each of the {attempt} times its "
                    "jurisdiction was to be set: send it again") from exc
    calendar = record.contract_jurisdiction(contract)
    repo.record_audit(contract_id, actor, "contract.jurisdiction_set", {
        "from": previous, "to": value, "previous_calendar": dates.holidays_words(calendar_before),
        "calendar": dates.holidays_words(calendar), "calendar_source": record.calendar_source(contract),
        **({"note": note} if note else {})})
    if recounted is not None and before is not None:
        record.audit_recount(contract, before, recounted, calendar_before, calendar=calendar, why=why, actor=actor)
    if contract.status == ContractStatus.EXTRACTED:  # the planner re-plans from them (the reminder days too)
        record.refresh_deadlines(contract, today=record.local_today(contract), actor=actor)
        money.recount_claim_windows(contract, actor=actor, why=why)
    return repo.get_contract(contract_id) or contract


def parse_time_zone(raw: str | None) -> str:
    """The time zone a person sets, checked as intake checks an upload's (``intake.normalise_metadata``:
    an IANA name this machine knows, no line break). InvalidInput says what to send instead."""
    from .intake import normalise_metadata

    example = "an IANA time zone name such as America/New_York or Europe/London"
    if not isinstance(raw, str) or not raw.strip():
        raise actions.InvalidInput(f"time_zone: {example}")
    kept, refused = normalise_metadata({"time-zone": raw}, refusing=True)
    if refused or "time-zone" not in kept:
        said = "; ".join(refused) or f"time-zone {raw!r} refused"
        raise actions.InvalidInput(said if example in said else f"{said}: use {example}")
    return kept["time-zone"]


def set_time_zone(contract_id: str, raw: str | None, *, actor: str, team: str, note: str | None = None
                  ) -> ContractItem:
    """A person sets the contract's time zone after upload (the one chosen was wrong, or the default
    was taken). It decides the contract's "today" (``record.local_today``), the end of day its
    deadlines pass and the local hour its reminders fire: the deadlines are refreshed (their
    actions say "end of day, <new zone>") and the contract is marked ``rezoned_from`` the old zone,
    so the planner makes every reminder schedule again in the new zone (the names do not carry the
    zone: ``reminders.sync_reminders``). Its applied amendments, which show its zone, are marked
    changed (``repo.mark_changed``: a ``changed_since`` sync lists them). Audited
    ``contract.time_zone_set`` (from, to). The same value again: no change.

    InvalidInput: not an IANA time zone this machine knows. Conflict: an amendment (its dates live
    on the contract it amends), or the record changed by another request each time."""
    value = parse_time_zone(raw)
    contract = actions.find_contract(contract_id, team)
    if contract.is_amendment:
        raise actions.Conflict(f"contract {contract_id!r} is an amendment: its dates live on the contract it amends;"
                               " set the time zone there")
    marked: set[str] = set()
    for attempt in itertools.count(1):
        previous = contract.time_zone
        if previous == value:
            return contract  # again: no change
        # its applied amendments show its zone (record.time_zone_followed): marked changed first, so a
        # changed_since sync reads them again (should the write below fail, once for nothing); each
        # once, not on every retry (one applied meanwhile, read again, is marked on the next attempt)
        for amendment_id in contract.amended_by or []:
            if amendment_id not in marked:
                repo.mark_changed(amendment_id)
                marked.add(amendment_id)
        try:
            # a change not yet planned keeps its mark: the schedules may still be in an older zone
            repo.update_contract(contract, actor=actor, time_zone=value,
                                 rezoned_from=contract.rezoned_from or previous)
            break
        except Exception as exc:
            if not repo.refused_by_another_write(exc):
                raise
            if attempt >= repo.CONTRACT_WRITE_ATTEMPTS or not repo.reread_contract(contract):
                raise actions.Conflict(
                    f"contract {contract_id!r} was changed by another request each of the {attempt} times its "
                    "time zone was to be set: send it again") from exc
    repo.record_audit(contract_id, actor, "contract.time_zone_set",
                      {"from": previous, "to": value, **({"note": note} if note else {})})
    if contract.status == ContractStatus.EXTRACTED:  # the planner re-plans from them
        record.refresh_deadlines(contract, today=record.local_today(contract), actor=actor)
        # a claim window in hours counts from midnight in the contract's zone: its claim day is counted again
        money.recount_claim_windows(repo.get_contract(contract_id) or contract, actor=actor,
                                    why=f"the time zone was set to {value} by {actor}")
    return repo.get_contract(contract_id) or contract


def link_amendment(amendment_id: str, contract_id: str, *, actor: str, team: str) -> tuple[ContractItem, bool]:
    """A person says which contract a waiting amendment amends (none of the team's was dated as it
    says, several were, or the one that was did not name it: its reason says which): the amendment
    names that contract first (a write checked against its version: two links at once, or the
    pipeline applying it meanwhile, never apply it to two contracts), then its terms are applied to
    it as on extraction (a term a person entered there stands) and its deadlines refreshed (the
    planner then re-plans its reminders). Audited: ``amendment.linked`` on the amendment's trail
    (with the reason it waited), ``contract.amended`` on the contract's. The person's word stands
    over the amended agreement's date and name as read. Returns the amendment as it now is, and
    whether this call changed anything (False: it amends that contract already; a call repeated
    after a failure finishes the amending).

    NotFound: either is not the team's. Conflict: the first is not an extracted amendment, it
    amends another contract already (or did so meanwhile), or the second is not an extracted
    contract (an amendment itself, or not extracted); or the contract was changed by another
    invocation (the pipeline, another person) while the amendment was applied to it, each of
    ``repo.CONTRACT_WRITE_ATTEMPTS`` times: the amendment then stays claimed for it and waiting,
    and the same link again finishes it. A single such change is met by starting again from fresh
    reads (applying is finished by repetition: terms already written are not written again)."""
    for attempt in itertools.count(1):
        try:
            return _link_amendment(amendment_id, contract_id, actor=actor, team=team)
        except Exception as exc:
            if not repo.refused_by_another_write(exc):
                raise
            if attempt >= repo.CONTRACT_WRITE_ATTEMPTS:
                raise actions.Conflict(
                    f"contract {contract_id!r} was changed by another request each of the {attempt} times the"
                    f" amendment was applied to it; amendment {amendment_id!r} stays waiting: send the same link"
                    " again") from exc
    raise AssertionError("unreachable")


def unlink_amendment(amendment_id: str, *, actor: str, team: str) -> ContractItem:
    """A person says an applied amendment does not amend the contract it was applied to (a wrong
    link, a draft): it is taken out of that contract as a deleted amendment is
    (``record.remove_amendment``: the contract's terms and deadlines follow its own document and the
    other amendments again), then waits for a person to say which contract it amends; it is never
    applied to that contract again but by a person's link (``unlinked_from``). Audited:
    ``amendment.unlinked`` on the amendment's trail, ``amendment.removed`` on the contract's.
    NotFound: not the team's. Conflict: not applied to any contract."""
    amendment = actions.find_contract(amendment_id, team)
    original_id = amendment.amends_contract_id
    if not original_id:
        raise actions.Conflict(f"contract {amendment_id!r} is not an amendment applied to a contract")
    original = repo.get_contract(original_id)
    name = original.file_name if original is not None else original_id
    why = f"{amendment.file_name} was unlinked by {actor}"
    if original is not None and amendment_id in (original.amended_by or []):
        record.remove_amendment(original, amendment_id, actor=actor, why=why)
    elif original is not None:  # a retry: the removal failed after the contract stopped listing it
        record.finish_removal(original, actor=actor, why=why)
    amendment = repo.get_contract(amendment_id) or amendment
    # its own "applied but no change read" flag goes with the link (put back when it is applied again,
    # unless a person marked it checked)
    extraction = dict(amendment.extraction or {})
    extraction["attention"] = [f for f in extraction.get("attention") or []
                               if not (isinstance(f, dict) and f.get("kind") == record.NO_CHANGE_READ)]
    unlinked = sorted({*(amendment.unlinked_from or []), original_id})
    updated = repo.update_contract(
        amendment, actor=actor, status=amendment.status,
        reason=f"unlinked from {name} ({original_id}) by {actor}: waiting for a person to say which contract it amends",
        amends_contract_id=None, amending_contract_id=None, extraction=extraction,
        # the others it could amend stay offered (the ambiguous day's other agreement)
        amendment_candidates=record.candidates_without(amendment, original_id),
        unlinked_from=unlinked)
    repo.record_audit(amendment_id, actor, "amendment.unlinked", {"contract_id": original_id, "file_name": name})
    # an amendment of it waiting, offered its agreement through it, offers it no longer (it is on file,
    # applied to none: not gone)
    record.look_again_at_amendments_of(updated, actor=actor, gone=False)
    return updated


def _link_amendment(amendment_id: str, contract_id: str, *, actor: str, team: str) -> tuple[ContractItem, bool]:
    amendment = actions.find_contract(amendment_id, team)
    original = actions.find_contract(contract_id, team)
    extraction = amendment.extracted
    if amendment.status != ContractStatus.EXTRACTED or extraction is None or not extraction.is_amendment:
        raise actions.Conflict(f"contract {amendment_id!r} is not an extracted amendment ({amendment.status})")
    if amendment_id == contract_id or original.is_amendment:
        raise actions.Conflict(f"contract {contract_id!r} is an amendment itself: link the amendment to the"
                               " contract it amends")
    if original.status != ContractStatus.EXTRACTED:
        raise actions.Conflict(f"contract {contract_id!r} is {original.status}, not extracted: an amendment is"
                               " applied to an extracted contract")
    if amendment.amends_contract_id == contract_id and amendment_id in (original.amended_by or []):
        return amendment, False  # (naming it while the contract does not list it: applied again below)
    if not record.claim_amendment(amendment, original, actor=actor):
        other = amendment.amends_contract_id or amendment.amending_contract_id
        raise actions.Conflict(f"amendment {amendment_id!r} already amends contract {other!r}"
                               + ("" if amendment.amends_contract_id else " (being applied to it)"))
    audit = ("amendment.linked", {"reason_it_waited": amendment.status_reason})
    record.settle_amendment(amendment, extraction, actor=actor, original=original, audit=audit)
    return repo.get_contract(amendment_id) or amendment, True
