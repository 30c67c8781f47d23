"""A person enters the date of the event a conditional term runs from ("five (5) years from the
Launch Date": extract/conditional.py). The term's expiration is then computed with the arithmetic
naming the event and who dated it (``Launch Date 2027-03-01 (entered by a@b.com) + P5Y - 1 day =
2032-02-29``), written as a person's entry (no later extraction overwrites it; it is the contract's
own value, though: an amendment applies over it, ``record.event_computed``), the notice
deadline is counted from it, the deadlines are refreshed (the planner then schedules the
reminders), and the entry is audited (``event.entered``).

A term that runs from the later (or earlier) of several events (extract/later_of.py) takes each
event's date the same way; its expiration is computed only once every event has a date, with the
arithmetic showing each candidate and which one won. Until then the entry is recorded and the
term says which events are still missing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from .. import dates
from ..dates import TermEndConvention
from ..extract import later_of
from ..extract.conditional import TERM_NAME, same_event
from ..extract.model import ContractExtraction, Evidence, ExtractOptions, Term
from ..schema import ContractStatus
from ..store import repository as repo
from ..store.models import ContractItem, TermItem
from . import actions, record

KEPT_OVER = "kept_over"  # on a conditional term: the expiration its event gives, kept out (standing_expiration)


@dataclass(frozen=True)
class EventEntered:
    """What entering an event's date recorded."""

    contract_id: str
    conditional: dict[str, Any]  # the conditional term, now with its event date
    expiration: TermItem | None  # None: a later/earlier-of term still missing other events' dates
    notice_deadline: Term | None
    changed: bool  # False when the same date was already entered (nothing written)
    missing: tuple[str, ...] = ()  # the events still without a date (a later/earlier-of term)
    # the expiration a person entered directly, or an amendment stated outright, that stands over
    # the one the event's date gives (``expiration`` is then that standing value): why, in words
    kept: str | None = None


def conditional_terms(contract: ContractItem) -> list[dict[str, Any]]:
    """The contract's conditional terms (current version: a person's entries included)."""
    stored = repo.current_terms(contract.contract_id).get(TERM_NAME)
    value = stored.value if stored is not None else None
    return [dict(item) for item in value or [] if isinstance(item, dict)]


def waiting_for_event(extraction: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The conditional terms of a stored extraction whose event has no date yet (an amendment's
    own are not dated: its terms are applied to the contract it amends)."""
    if (extraction or {}).get("document_type") == "amendment":
        return []
    term = ((extraction or {}).get("terms") or {}).get(TERM_NAME) or {}
    return [item for item in term.get("value") or [] if isinstance(item, dict) and later_of.missing_events(item)]


def parse_day(raw: str) -> date:
    day = dates.parse_day(raw.strip()) if isinstance(raw, str) else None
    if day is None or day.isoformat() != raw.strip():
        raise actions.InvalidInput(f"the event's date: an ISO date (YYYY-MM-DD), not {raw!r}")
    return day


def _start_of_agreement(current: dict[str, TermItem]) -> tuple[str, date, TermItem] | None:
    """(its name, the day, the term) of the agreement's own start: its effective date; None when it
    has none that reads as a day. Never the day it was signed (agreement_date): an agreement signed
    after its service began may run from an event before the signature."""
    for name in ("effective_date",):
        term = current.get(name)
        day = dates.parse_day(term.value) if term is not None else None
        if term is not None and day is not None:
            return name, day, term
    return None


def _refuse_before_start(current: dict[str, TermItem], event: str, day: date, what: str) -> None:
    """An event of the agreement, or the term's end it gives, before the agreement's own start is
    almost always a typo (2020 for 2027): refused, naming the start and the clause it was read from.
    Without an effective date there is nothing to check it against: accepted."""
    start = _start_of_agreement(current)
    if start is None or day >= start[1]:
        return
    name, begins, term = start
    evidence = term.evidence if isinstance(term.evidence, dict) else {}
    quote = " ".join(str(evidence.get("text") or "").split())
    quote = quote if len(quote) <= 160 else f"{quote[:157]}..."
    where = f"entered by {term.entered_by}" if term.entered_by else \
        (f"page {evidence.get('page')}: \"{quote}\"" if quote else "as extracted")
    raise actions.InvalidInput(
        f"{what} {day.isoformat()} is before the agreement's {name.replace('_', ' ')} {begins.isoformat()} "
        f"({where}): the term cannot run from a {event} before the agreement starts; check the date (a typo in the "
        f"year?), or correct the {name.replace('_', ' ')} first")


def expiration_from_event(item: dict[str, Any], day: date, actor: str) -> tuple[str, str]:
    """(the expiration, its arithmetic) of a conditional term whose event happened on ``day``."""
    convention = TermEndConvention(item["convention"]) if item.get("convention") else \
        ExtractOptions().term_end_convention
    event = str(item["event"])
    derived = dates.term_end(day, item["duration"], convention, start_label=event)
    stated = f"{event} {day.isoformat()}"  # term_end's arithmetic starts with the start and its name
    tail = derived.derivation[len(stated):] if derived.derivation.startswith(stated) else f" ({derived.derivation})"
    note = " (the anniversary itself)" if convention is TermEndConvention.ANNIVERSARY else ""
    return derived.iso(), f"{stated} (entered by {actor}){tail} = {derived.iso()}{note}"


def _find(items: list[dict[str, Any]], event: str, contract_id: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The conditional term that runs from ``event``, and, for a later/earlier-of term, its event."""
    for item in items:
        if later_of.is_combined(item):
            for sub in item["events"]:
                if isinstance(sub, dict) and same_event(str(sub.get("event") or ""), event):
                    return item, sub
        elif same_event(str(item.get("event") or ""), event):
            return item, None
    named = ", ".join(repr(name) for i in items for name in
                      ([e.get("event") for e in i["events"]] if later_of.is_combined(i) else [i.get("event")])) or "none"
    raise actions.NotFound(f"contract {contract_id!r} has no term that runs from {event!r} (events: {named})")


def enter_event_date(contract_id: str, event: str, raw_date: str, *, actor: str,
                     team: str | None = None) -> EventEntered:
    """Record the date of ``event`` for one of the team's extracted contracts."""
    contract = actions.find_contract(contract_id, team)
    if contract.is_amendment:
        raise actions.Conflict(f"contract {contract_id!r} is an amendment: an event's date is entered on the "
                               "contract it amends")
    if contract.status != ContractStatus.EXTRACTED:
        raise actions.Conflict(f"contract {contract_id!r} is {contract.status}: an event's date is entered on an "
                               "extracted contract")
    day = parse_day(raw_date)
    items = conditional_terms(contract)
    item, sub = _find(items, event, contract_id)
    current = repo.current_terms(contract_id)
    dated = item if sub is None else sub
    _refuse_before_start(current, str(dated["event"]), day, f"the date of {dated['event']}")
    if dated.get("event_date") == day.isoformat() and (later_of.missing_events(item) or "expiration_date" in current):
        if not later_of.missing_events(item) and standing_expiration(contract_id, current) is None:
            return _finish_again(contract, item, dated, day, current, actor=actor)
        return EventEntered(contract_id, item, current.get("expiration_date") if not later_of.missing_events(item)
                            else None, None, changed=False, missing=tuple(later_of.missing_events(item)))
    previous = dated.get("event_date")
    name = str(dated["event"])
    dated.update(event_date=day.isoformat(), entered_by=actor)
    if sub is not None:
        sub["filled_from"] = None
        _refresh_filled(item, current)
        combined = later_of.combined_end(item, ExtractOptions().term_end_convention)
        if combined is None:
            return _recorded_waiting(contract, items, item, name, day, previous, actor)
        decided = item["events"][combined.decided_by]
        item.update(event_date=decided["event_date"], entered_by=decided.get("entered_by") or actor)
        value, derivation = combined.value, combined.derivation
    else:
        value, derivation = expiration_from_event(item, day, actor)
    end = dates.parse_day(value)
    if end is not None:  # the term it gives ends before the agreement starts: refused as well
        _refuse_before_start(current, name, end, f"the term's end it gives ({derivation})")
    standing = standing_expiration(contract_id, current)
    if standing is not None:  # the same day or not: the entry stays the person's
        return _kept_standing(contract, items, item, name, day, previous, value, derivation, standing, actor)
    expiration, notice = _save_expiration(contract, items, item, value, derivation,
                                          f"the date of {name} entered by {actor}", actor=actor)
    repo.record_audit(contract_id, actor, "event.entered", {
        "event": name, "date": day.isoformat(), "previous": previous, "expiration_date": value,
        "derivation": derivation})
    fresh = repo.get_contract(contract_id) or contract
    if fresh.amended_by:  # its amendments apply over the new end ("extended by twelve months")
        return _amended_again(fresh, item, value, derivation, f"the date of {name} entered by {actor}", actor=actor)
    record.refresh_deadlines(fresh, today=record.local_today(fresh), actor=actor)
    return EventEntered(contract_id, item, expiration, notice, changed=True)


def _finish_again(contract: ContractItem, item: dict[str, Any], dated: dict[str, Any], day: date,
                  current: dict[str, TermItem], *, actor: str) -> EventEntered:
    """The same date entered again (a retried request, or a person sending it twice): nothing new is
    written, but what an earlier request may not have finished is done (it saved the date and the
    end, then failed applying the amendments or planning the deadlines): the amendments applied
    again over the event's end, the deadlines refreshed. Both leave values already right as they are."""
    contract_id = contract.contract_id
    fresh = repo.get_contract(contract_id) or contract
    if fresh.amended_by:
        if later_of.is_combined(item):
            combined = later_of.combined_end(item, ExtractOptions().term_end_convention)
            value, derivation = (combined.value, combined.derivation) if combined is not None else (None, None)
        else:
            value, derivation = expiration_from_event(item, day, str(dated.get("entered_by") or actor))
        if value is not None and derivation is not None:
            return replace(_amended_again(fresh, item, value, derivation,
                                          f"the date of {dated['event']} entered again by {actor}", actor=actor),
                           changed=False)
    record.refresh_deadlines(fresh, today=record.local_today(fresh), actor=actor)
    merged = fresh.extracted
    return EventEntered(contract_id, item, current.get("expiration_date"),
                        merged.terms.get("notice_deadline") if merged is not None else None, changed=False)


def _amended_again(contract: ContractItem, item: dict[str, Any], value: str, derivation: str, why: str, *,
                   actor: str) -> EventEntered:
    """The end an event's date gives, saved as the contract's own, with its amendments applied
    again over it in the order they were made: an extension counts from it; an end an amendment
    states outright stands (the event's date does not move it), and when it is another day than
    the event's the reply and Needs attention say so (as for an expiration a person entered)."""
    contract_id = contract.contract_id
    record.apply_amendments_again(contract, actor=actor, why=why)
    fresh = repo.get_contract(contract_id) or contract
    current = repo.current_terms(contract_id, consistent=True)
    expiration = current.get("expiration_date")
    merged = fresh.extracted
    notice = merged.terms.get("notice_deadline") if merged is not None else None
    end = merged.terms.get("expiration_date") if merged is not None else None
    kept = None
    if expiration is not None and expiration.source_contract_id != contract_id and expiration.value != value \
            and not (end is not None and end.extra.get("from_event")):
        items = conditional_terms(fresh)
        mine = next((i for i in items if i.get("clause") == item.get("clause") and i.get("event") == item.get("event")),
                    None)
        if mine is not None:
            mine[KEPT_OVER] = _kept_note(contract_id, value, derivation, expiration)
            _save_conditional(fresh, items, mine, why, actor=actor)
            item, kept = mine, kept_message(mine[KEPT_OVER])
    return EventEntered(contract_id, item, expiration, notice, changed=True, kept=kept)


def clear_event_date(contract_id: str, event: str, *, actor: str, team: str | None = None) -> EventEntered:
    """The date of ``event`` entered by mistake is taken back: the term waits for that event again.
    The expiration the date gave goes (a version with no value, naming who cleared what), and so
    does the notice deadline counted from it; the deadlines and reminders from them are withdrawn;
    the contract's amendments are applied again without that end (an extension "by twelve months"
    then waits, flagged; an end an amendment states stands). An expiration a person entered
    directly stands. Audited ``event.cleared`` with the date cleared and who had entered it."""
    contract = actions.find_contract(contract_id, team)
    if contract.is_amendment:
        raise actions.Conflict(f"contract {contract_id!r} is an amendment: an event's date is cleared on the "
                               "contract it amends")
    if contract.status != ContractStatus.EXTRACTED:
        raise actions.Conflict(f"contract {contract_id!r} is {contract.status}: an event's date is cleared on an "
                               "extracted contract")
    items = conditional_terms(contract)
    item, sub = _find(items, event, contract_id)
    dated = item if sub is None else sub
    name = str(dated["event"])
    previous, entered_by = dated.get("event_date"), dated.get("entered_by")
    current = repo.current_terms(contract_id)
    if not previous and not _counted_from_event(contract, current):  # nothing to clear
        return EventEntered(contract_id, item, None, None, changed=False, missing=tuple(later_of.missing_events(item)))
    if previous and not entered_by:  # filled from the contract's own dates (a later/earlier-of term's Effective Date)
        raise actions.Conflict(f"the date of {name} {previous} is the contract's {dated.get('filled_from') or 'own'} "
                               f"date, not one a person entered: correct that term instead")
    # no date left but an end counted from it (a retried request: the earlier one cleared the date,
    # then failed before the end went): the end goes now
    why = f"the date of {name} {previous} cleared by {actor}" if previous else f"the date of {name} cleared by {actor}"
    dated.update(event_date=None, entered_by=None)
    item.pop(KEPT_OVER, None)
    if sub is not None:  # the term's own event_date named the event that decided it
        item.update(event_date=None, entered_by=None)
    expiration = current.get("expiration_date")
    gone: dict[str, Term] = {}
    if _stale_end(contract_id, current) and expiration is not None:
        gone["expiration_date"] = Term(value=None, evidence=None, derivation=f"{why} (was {expiration.value})")
        notice = current.get("notice_deadline")
        if notice is not None and not notice.entered_by and notice.value is not None \
                and (notice.derivation or "").startswith("expiration_date"):  # counted from that end
            gone["notice_deadline"] = Term(value=None, evidence=None, derivation=f"{why} (was {notice.value})")
    evidence = {"page": item["page"], "start": item["start"], "end": item["end"], "text": item["clause"]}
    repo.save_entered_term(contract_id, TERM_NAME, items, actor=actor, evidence=evidence, derivation=why)
    if gone:
        repo.save_terms(contract_id, gone, source_contract_id=contract_id, actor=actor, replacing=("expiration_date",))
    merged = contract.extracted or ContractExtraction(source=contract.file_name, pages=0)
    merged.terms[TERM_NAME] = Term(value=items, evidence=Evidence.from_dict(evidence), derivation=why)
    for term_name in gone:
        merged.terms.pop(term_name, None)
    repo.update_contract(contract, actor=actor, extraction=merged.to_dict())
    repo.record_audit(contract_id, actor, "event.cleared", {
        "event": name, "previous": previous, "entered_by": entered_by,
        "expiration_date": None if expiration is None else (None if "expiration_date" in gone else expiration.value),
        "previous_expiration_date": None if expiration is None else expiration.value})
    fresh = repo.get_contract(contract_id) or contract
    if fresh.amended_by and gone:
        record.apply_amendments_again(fresh, actor=actor, why=why)
    else:
        record.refresh_deadlines(fresh, today=record.local_today(fresh), actor=actor)
        record.withdraw_unplanned(fresh, actor=actor, why=why)
    fresh = repo.get_contract(contract_id) or fresh
    now = repo.current_terms(contract_id, consistent=True).get("expiration_date")
    stands = now if now is not None and now.value is not None else None
    merged_now = fresh.extracted
    notice_now = merged_now.terms.get("notice_deadline") if merged_now is not None and stands is not None else None
    return EventEntered(contract_id, item, stands, notice_now if notice_now is not None and notice_now.value else None,
                        changed=True, missing=tuple(later_of.missing_events(item)))


def _counted_from_event(contract: ContractItem, current: dict[str, TermItem]) -> bool:
    """The expiration stored was counted from an event's date: the event's own end, or an amendment's
    extension of it (not an end an amendment states outright, nor a value a person entered)."""
    expiration = current.get("expiration_date")
    if expiration is None or expiration.value is None or standing_expiration(contract.contract_id, current):
        return False
    end = contract.extracted.terms.get("expiration_date") if contract.extracted is not None else None
    return record.event_computed(contract.contract_id, expiration) or bool(end is not None and end.extra.get("from_event"))


def _stale_end(contract_id: str, current: dict[str, TermItem]) -> bool:
    """The expiration stored is one an event's date gave (or an amendment applied over it), not a
    value a person entered directly: it goes with the event's date."""
    expiration = current.get("expiration_date")
    return expiration is not None and not standing_expiration(contract_id, current) and expiration.value is not None \
        and (record.event_computed(contract_id, expiration) or expiration.source_contract_id != contract_id)


def _save_expiration(contract: ContractItem, items: list[dict[str, Any]], item: dict[str, Any], value: str,
                     derivation: str, why: str, *, actor: str) -> tuple[TermItem, Term | None]:
    """Write the conditional terms and the expiration computed from ``item`` as a person's entries,
    the notice deadline counted from it (unless a person entered one) and the stored extraction."""
    contract_id = contract.contract_id
    item.pop(KEPT_OVER, None)  # the event's expiration is the contract's now
    evidence = {"page": item["page"], "start": item["start"], "end": item["end"], "text": item["clause"]}
    repo.save_entered_term(contract_id, TERM_NAME, items, actor=actor, evidence=evidence, derivation=why)
    expiration = repo.save_entered_term(contract_id, "expiration_date", value, derivation=derivation,
                                        actor=actor, evidence=evidence)
    merged = contract.extracted or ContractExtraction(source=contract.file_name, pages=0)
    merged.terms[TERM_NAME] = Term(value=items, evidence=Evidence.from_dict(evidence), derivation=why)
    merged.terms["expiration_date"] = Term(value=value, evidence=Evidence.from_dict(evidence), derivation=derivation)
    notice = record.notice_deadline_from(merged, record.contract_jurisdiction(contract, merged),
                                         record.entered_words(contract_id, repo.entered_terms(contract_id)))
    if notice is not None and "notice_deadline" not in repo.entered_terms(contract_id):
        merged.terms["notice_deadline"] = notice
        repo.save_terms(contract_id, {"notice_deadline": notice}, source_contract_id=contract_id, actor=actor)
    repo.update_contract(contract, actor=actor, extraction=merged.to_dict())
    return expiration, notice


def refresh_after_correction(contract_id: str, name: str, *, actor: str) -> list[str]:
    """A person corrected the contract's ``name`` (effective or agreement date): each later/earlier-of
    term whose expiration a person's event entry computed, with an event filled from that date, is
    computed again from the corrected one (its arithmetic names it); returns the new expirations.
    An expiration computed at extraction (every event known then) is the extraction's, as a plain
    term counted from the effective date is."""
    if name not in ("effective_date", "agreement_date"):
        return []
    contract = repo.get_contract(contract_id)
    if contract is None:
        return []
    items = conditional_terms(contract)
    current = repo.current_terms(contract_id, consistent=True)  # the correction just written
    out = []
    for item in items:
        if not later_of.is_combined(item) or not any(
                e.get("entered_by") for e in item["events"] if isinstance(e, dict)) or not any(
                e.get("filled_from") == name and not e.get("entered_by") for e in item["events"] if isinstance(e, dict)):
            continue
        _refresh_filled(item, current)
        combined = later_of.combined_end(item, ExtractOptions().term_end_convention)
        if combined is None:
            continue  # the corrected date no longer reads as a day: the expiration stands, said below
        decided = item["events"][combined.decided_by]
        item.update(event_date=decided["event_date"], entered_by=decided.get("entered_by") or actor)
        if current.get("expiration_date") is not None and current["expiration_date"].value == combined.value \
                and current["expiration_date"].derivation == combined.derivation:
            continue
        standing = standing_expiration(contract_id, current)
        if standing is not None:  # kept, the same day or not (flagged only when they differ)
            item[KEPT_OVER] = _kept_note(contract_id, combined.value, combined.derivation, standing)
            _save_conditional(contract, items, item, f"{name} corrected by {actor}", actor=actor)
            repo.record_audit(contract_id, actor, "event.recomputed", {
                "because": name, "expiration_date": standing.value, "derivation": combined.derivation,
                "kept": item[KEPT_OVER]})
            contract = repo.get_contract(contract_id) or contract
            continue
        _save_expiration(contract, items, item, combined.value, combined.derivation,
                         f"{name} corrected by {actor}", actor=actor)
        repo.record_audit(contract_id, actor, "event.recomputed", {
            "because": name, "expiration_date": combined.value, "derivation": combined.derivation})
        contract = repo.get_contract(contract_id) or contract
        out.append(combined.value)
    if out and contract.amended_by:  # its amendments apply over the new end, as after an event's date
        record.apply_amendments_again(contract, actor=actor, why=f"{name} corrected by {actor}")
    elif out:
        record.refresh_deadlines(contract, today=record.local_today(contract), actor=actor)
    return out


def _recorded_waiting(contract: ContractItem, items: list[dict[str, Any]], item: dict[str, Any], name: str,
                      day: date, previous: str | None, actor: str) -> EventEntered:
    """One event of a later/earlier-of term dated, others still missing: the date is kept as a
    person's entry, no expiration is computed (any missing event may still decide it)."""
    contract_id = contract.contract_id
    missing = later_of.missing_events(item)
    derivation = f"the date of {name} entered by {actor}; still missing: {'; '.join(missing)}"
    _save_conditional(contract, items, item, derivation, actor=actor)
    repo.record_audit(contract_id, actor, "event.entered", {
        "event": name, "date": day.isoformat(), "previous": previous, "expiration_date": None,
        "missing": missing, "derivation": derivation})
    return EventEntered(contract_id, item, None, None, changed=True, missing=tuple(missing))


def standing_expiration(contract_id: str, current: dict[str, TermItem]) -> TermItem | None:
    """The contract's current expiration when an event's date does not replace it: a person entered
    it directly (``PUT .../terms/expiration_date``: no clause, where one computed from an event rests
    on the conditional term's clause). None when it is the extraction's, an event's own, or an
    amendment's: the event's end is then the contract's own, and its amendments are applied again
    over it (``_amended_again``: an extension counts from it; an end an amendment states stands)."""
    term = current.get("expiration_date")
    if term is None or not term.entered_by:
        return None
    return term if term.evidence is None else None


def _kept_note(contract_id: str, value: str, derivation: str, standing: TermItem) -> dict[str, Any]:
    """What is kept and what the event gives, stored on the conditional term (pipeline/attention.py
    flags it while the contract's expiration is still the kept one)."""
    if standing.entered_by:
        note = (standing.derivation or "").partition(": ")[2]
        by = f"entered by {standing.entered_by}" + (f" ({note})" if note else "")
    else:
        amendment = repo.get_contract(standing.source_contract_id)
        by = f"set by the amendment {amendment.file_name if amendment else standing.source_contract_id}"
    return {"computed": value, "derivation": derivation, "kept": standing.value, "by": by}


def kept_message(kept: dict[str, Any]) -> str:
    return (f"the expiration {kept['kept']} {kept['by']} stands over the {kept['computed']} the event's date gives "
            f"({kept['derivation']}): enter {kept['computed']} as the expiration if the event's is the right one")


def _kept_standing(contract: ContractItem, items: list[dict[str, Any]], item: dict[str, Any], name: str, day: date,
                   previous: str | None, value: str, derivation: str, standing: TermItem, actor: str) -> EventEntered:
    """The event's date is recorded, and the expiration a person entered directly (or an amendment
    set) stands: never replaced without a word. The reply, the audit line and Needs attention say
    what the event's date gives."""
    contract_id = contract.contract_id
    item[KEPT_OVER] = _kept_note(contract_id, value, derivation, standing)
    _save_conditional(contract, items, item, f"the date of {name} entered by {actor}", actor=actor)
    message = kept_message(item[KEPT_OVER]) if standing.value != value else None  # agreeing: nothing to say
    repo.record_audit(contract_id, actor, "event.entered", {
        "event": name, "date": day.isoformat(), "previous": previous, "expiration_date": standing.value,
        "derivation": derivation, "kept": item[KEPT_OVER]})
    return EventEntered(contract_id, item, standing, None, changed=True, kept=message)


def _save_conditional(contract: ContractItem, items: list[dict[str, Any]], item: dict[str, Any], derivation: str,
                      *, actor: str) -> None:
    """The conditional terms (an event's date on ``item``) as a person's entry, and in the stored
    extraction, the expiration left as it is."""
    evidence = {"page": item["page"], "start": item["start"], "end": item["end"], "text": item["clause"]}
    repo.save_entered_term(contract.contract_id, TERM_NAME, items, actor=actor, evidence=evidence, derivation=derivation)
    merged = contract.extracted or ContractExtraction(source=contract.file_name, pages=0)
    merged.terms[TERM_NAME] = Term(value=items, evidence=Evidence.from_dict(evidence), derivation=derivation)
    repo.update_contract(contract, actor=actor, extraction=merged.to_dict())


def _refresh_filled(item: dict[str, Any], current: dict[str, TermItem]) -> None:
    """The events filled from the agreement's own dates take their current value (a person may have
    corrected the effective date since the extraction); one no longer known waits for a person."""
    for event in item["events"]:
        source = event.get("filled_from")
        if source in ("effective_date", "agreement_date") and not event.get("entered_by"):
            term = current.get(str(source))
            day = dates.parse_day(term.value) if term is not None else None
            event["event_date"] = None if day is None else day.isoformat()
            if day is None:
                event["filled_from"] = None
