"""What a person must look at on one contract ("needs attention"), from what is stored: the
uploader's metadata intake refused (``intake_notes``) and the dates extraction left out rather
than guessed (the extraction's ``attention`` flags, extract/review.py), a term waiting for an event's
date, an amendment waiting for a person to say which contract it amends, and a term whose end moved
after its notice of non-renewal was given, and an SLA breach whose credit is to check by hand
(``ContractItem.credit_checks``: its amount not known, until its claim is settled), and a recurring
duty's rule a person marked done before 2026-12-07 (``ContractItem.rules_marked_done``: until a person
reopens or waives it). Pure reads of the item."""

from __future__ import annotations

from typing import Any

from ..schema import ContractStatus
from ..store.models import ContractItem


def attention_of(contract: ContractItem) -> list[dict[str, Any]]:
    """Each flag: ``{"kind", "message", "term"?, "obligation_id"?, "amendment_id"?, "candidates": [{"value",
    "evidence"?}]}`` (``amendment_id``: an amendment's flag on the contract it amends)."""
    flags: list[dict[str, Any]] = [
        {"kind": "metadata_refused", "message": str(note), "candidates": []}
        for note in (contract.intake_notes or [])]
    extraction = contract.extraction or {}
    for flag in extraction.get("attention") or []:
        if isinstance(flag, dict):
            flags.append({"kind": str(flag.get("kind") or "review"), "term": flag.get("term"),
                          "message": str(flag.get("message") or ""),
                          **({"amendment_id": flag["amendment_id"]} if flag.get("amendment_id") else {}),
                          "candidates": [c for c in flag.get("candidates") or [] if isinstance(c, dict)]})
    flags.extend(_waiting_for_event(extraction))
    flags.extend(_event_expiration_kept_out(extraction))
    flags.extend(_no_holiday_calendar(contract, extraction))
    checks = contract.credit_checks if isinstance(contract.credit_checks, dict) else {}
    flags.extend({"kind": "credit_to_check", "term": "service_credit_tiers", "finding_id": str(finding_id),
                  "message": str(message), "candidates": []}
                 for finding_id, message in sorted(checks.items()))  # an SLA credit whose amount is not known
    marked_done = contract.rules_marked_done if isinstance(contract.rules_marked_done, dict) else {}
    flags.extend({"kind": "rule_marked_done", "obligation_id": str(rule_id), "message": str(message),
                  "candidates": []}
                 for rule_id, message in sorted(marked_done.items()))  # reopen it, or waive it
    ended = contract.ended if isinstance(contract.ended, dict) else {}
    if ended.get("term_moved"):  # a notice of non-renewal given, then the term's end moved
        flags.append({"kind": "term_moved_after_notice", "term": "expiration_date",
                      "message": str(ended["term_moved"]), "candidates": []})
    if extraction.get("document_type") == "amendment" and contract.status == ContractStatus.EXTRACTED \
            and not contract.amends_contract_id:
        # no contract of the team could be told to be the one it amends: a person says which
        # (PUT /contracts/{id}/amends)
        message = contract.status_reason or "amendment: not applied to a contract yet; say which contract it amends"
        if contract.amending_contract_id:  # claimed, then its applying failed: the next settling finishes it
            message = (f"amendment: being applied to contract {contract.amending_contract_id}, not finished; "
                       "apply it to that contract again")
        flags.append({"kind": "amendment_waiting", "message": message, "candidates": amendment_candidates(contract)})
    return flags


def amendment_candidates(amendment: ContractItem) -> list[dict[str, Any]]:
    """The contracts a waiting amendment could amend, as stored with its waiting reason
    (``pipeline.record.find_amended_contract``), each ``{"value": contract id, "why"}``; one a person
    unlinked it from since is none (a deleted one is left out where it is served: ``api.views``). One
    being applied to a contract (``amending_contract_id``: claimed, then its applying failed) lists
    that contract only: the link refuses any other (409) until it is finished."""
    if amendment.amending_contract_id:
        return [{"value": str(amendment.amending_contract_id),
                 "why": "being applied to it, not finished: apply it to this contract again"}]
    unlinked = set(amendment.unlinked_from or [])
    return [{"value": str(c["contract_id"]), "why": str(c.get("why") or "")}
            for c in amendment.amendment_candidates or []
            if isinstance(c, dict) and c.get("contract_id") and c["contract_id"] not in unlinked]


def _no_holiday_calendar(contract: ContractItem, extraction: dict[str, Any]) -> list[dict[str, Any]]:
    """A governing law read (or entered) that names no holiday calendar we know, and no jurisdiction
    in the upload metadata: business days are counted with the default calendar (the derivations
    say so, dates.holidays_words) until a person enters the governing law as a calendar we know."""
    from .. import config, dates

    law = ((extraction.get("terms") or {}).get("governing_law") or {})
    value = law.get("value") if isinstance(law, dict) else None
    if contract.jurisdiction or not isinstance(value, str) or dates.known_jurisdiction(value):
        return []
    return [{"kind": "no_holiday_calendar", "term": "governing_law",
             "message": f"governing law {value!r}: no public-holiday calendar is known for it; business days "
                        f"(a notice period in business days, reminder days) are counted with weekends and "
                        f"{config.DEFAULT_JURISDICTION} holidays (the default): check the notice deadline against "
                        f"its holidays; entered as a country or a country and subdivision (JP, CH, US-PA, GB-ENG) "
                        "the governing law's calendar counts reminder days and later terms' deadlines",
             "candidates": []}]


def _waiting_for_event(extraction: dict[str, Any]) -> list[dict[str, Any]]:
    """A term that runs from an event whose date nobody entered yet (pipeline/events.py)."""
    from ..extract import later_of
    from ..extract.model import ExtractOptions
    from .events import waiting_for_event

    return [{"kind": "waiting_for_event", "term": item.get("sets") or "expiration_date",
             "event": item.get("event"), "missing_events": later_of.missing_events(item),
             "message": later_of.waiting_message(item, ExtractOptions().term_end_convention)
             if later_of.is_combined(item) else
             f"waiting for an event date: {item.get('phrase') or item.get('event')} "
             f"(page {item.get('page')}); enter the date of {item.get('event')}",
             "candidates": []}
            for item in waiting_for_event(extraction)]


def _event_expiration_kept_out(extraction: dict[str, Any]) -> list[dict[str, Any]]:
    """An event's date entered while the contract's expiration was entered directly by a person or
    set by an amendment: that one stands, and a person says whether the event's should (entering it
    as the expiration settles the flag, as does any other expiration entered)."""
    from ..extract.conditional import TERM_NAME
    from .events import KEPT_OVER, kept_message

    terms = extraction.get("terms") or {}
    current = (terms.get("expiration_date") or {}).get("value")
    out = []
    for item in (terms.get(TERM_NAME) or {}).get("value") or []:
        kept = item.get(KEPT_OVER) if isinstance(item, dict) else None
        if isinstance(kept, dict) and current == kept.get("kept") and current != kept.get("computed"):
            out.append({"kind": "event_expiration_kept_out", "term": "expiration_date", "message": kept_message(kept),
                        "candidates": [{"value": kept.get("computed"), "derivation": kept.get("derivation")},
                                       {"value": kept.get("kept"), "derivation": kept.get("by")}]})
    return out


def candidate_text(candidate: dict[str, Any], width: int = 90) -> str:
    """``2025-03-01 (page 1: "This Agreement is effective as of March 1, 2025 …")``."""
    evidence = candidate.get("evidence") or {}
    quoted = " ".join(str(evidence.get("text") or "").split())
    if len(quoted) > width:
        cut = quoted[:width].rsplit(" ", 1)[0]
        quoted = cut + " …"
    where = f"page {evidence.get('page')}: " if evidence.get("page") else ""
    derivation = f", {candidate['derivation']}" if candidate.get("derivation") else ""
    return f"{candidate.get('value')} ({where}\"{quoted}\"{derivation})" if quoted else \
        f"{candidate.get('value')}{derivation}"
