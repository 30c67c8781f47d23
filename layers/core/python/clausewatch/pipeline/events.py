"""A person enters the date of the event a conditional term runs from ("five (5) years from the
Launch Date": extract/conditional.py). The term's expiration is then computed with the arithmetic
naming the event and who dated it (``Launch Date 2027-03-01 (entered by a@b.com) + P5Y - 1 day =
2032-02-29``), written as a person's entry (no later extraction overwrites it), the notice
deadline is counted from it, the deadlines are refreshed (the planner then schedules the
reminders), and the entry is audited (``event.entered``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import dates
from ..dates import TermEndConvention
from ..extract.conditional import TERM_NAME, same_event
from ..extract.model import ContractExtraction, Evidence, ExtractOptions, Term
from ..schema import ContractStatus
from ..store import repository as repo
from ..store.models import ContractItem, TermItem
from . import actions, record


@dataclass(frozen=True)
class EventEntered:
    """What entering an event's date recorded."""

    contract_id: str
    conditional: dict[str, Any]  # the conditional term, now with its event date
    expiration: TermItem
    notice_deadline: Term | None
    changed: bool  # False when the same date was already entered (nothing written)


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
    return [item for item in term.get("value") or [] if isinstance(item, dict) and not item.get("event_date")]


def parse_day(raw: str) -> date:
    day = dates.parse_day(raw.strip()) if isinstance(raw, str) else None
    if day is None or day.isoformat() != raw.strip():
        raise actions.InvalidInput(f"the event's date: an ISO date (YYYY-MM-DD), not {raw!r}")
    return day


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


def _find(items: list[dict[str, Any]], event: str, contract_id: str) -> dict[str, Any]:
    for item in items:
        if same_event(str(item.get("event") or ""), event):
            return item
    named = ", ".join(repr(i.get("event")) for i in items) or "none"
    raise actions.NotFound(f"contract {contract_id!r} has no term that runs from {event!r} (events: {named})")


def enter_event_date(contract_id: str, event: str, raw_date: str, *, actor: str,
                     team: str | None = None) -> EventEntered:
    """Record the date of ``event`` for one of the team's extracted contracts."""
    contract = actions.find_contract(contract_id, team)
    if contract.status != ContractStatus.EXTRACTED or contract.is_amendment:
        raise actions.Conflict(f"contract {contract_id!r} is {contract.status}: an event's date is entered on an "
                               "extracted contract")
    day = parse_day(raw_date)
    items = conditional_terms(contract)
    item = _find(items, event, contract_id)
    current = repo.current_terms(contract_id)
    if item.get("event_date") == day.isoformat() and "expiration_date" in current:
        return EventEntered(contract_id, item, current["expiration_date"], None, changed=False)
    previous = item.get("event_date")
    item.update(event_date=day.isoformat(), entered_by=actor)
    value, derivation = expiration_from_event(item, day, actor)
    evidence = {"page": item["page"], "start": item["start"], "end": item["end"], "text": item["clause"]}
    repo.save_entered_term(contract_id, TERM_NAME, items, actor=actor, evidence=evidence,
                           derivation=f"the date of {item['event']} entered by {actor}")
    expiration = repo.save_entered_term(contract_id, "expiration_date", value, derivation=derivation,
                                        actor=actor, evidence=evidence)
    merged = contract.extracted or ContractExtraction(source=contract.file_name, pages=0)
    merged.terms[TERM_NAME] = Term(value=items, evidence=Evidence.from_dict(evidence),
                                   derivation=f"the date of {item['event']} entered by {actor}")
    merged.terms["expiration_date"] = Term(value=value, evidence=Evidence.from_dict(evidence), derivation=derivation)
    notice = record.notice_deadline_from(merged, contract.jurisdiction)
    if notice is not None and "notice_deadline" not in repo.entered_terms(contract_id):
        merged.terms["notice_deadline"] = notice
        repo.save_terms(contract_id, {"notice_deadline": notice}, source_contract_id=contract_id, actor=actor)
    repo.update_contract(contract, actor=actor, extraction=merged.to_dict())
    repo.record_audit(contract_id, actor, "event.entered", {
        "event": item["event"], "date": day.isoformat(), "previous": previous, "expiration_date": value,
        "derivation": derivation})
    fresh = repo.get_contract(contract_id) or contract
    record.refresh_deadlines(fresh, today=record.local_today(fresh), actor=actor)
    return EventEntered(contract_id, item, expiration, notice, changed=True)
