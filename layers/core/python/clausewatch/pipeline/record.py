"""Record an extraction: term versions, obligations and the dated deadlines derived from them.

An amendment's extraction changes the contract it amends: its terms become new versions of that
contract's terms (source = the amendment), dependent dates are recomputed with their arithmetic, and
the deadlines move, which re-plans the reminders.
"""

from __future__ import annotations

import logging
from datetime import date

from .. import clock, dates
from ..config import Settings
from ..plan import ContractInfo, deadlines_for_contract
from ..store import repository as repo
from ..store.models import ContractItem

log = logging.getLogger(__name__)

# roles of the party a buying team contracts with; the first such party is the counterparty
_VENDOR_ROLES = ("provider", "supplier", "vendor", "licensor", "seller", "consultant", "contractor",
                 "service provider", "manufacturer", "distributor", "disclosing party")


def counterparty_of(extraction: dict) -> str | None:
    parties = extraction.get("parties") or []
    for party in parties:
        if (party.get("role") or "").lower() in _VENDOR_ROLES:
            return party.get("name")
    return parties[0].get("name") if parties else None


def contract_info(contract: ContractItem) -> ContractInfo:
    return ContractInfo(contract_id=contract.contract_id, title=contract.title or contract.file_name,
                        counterparty=contract.counterparty, owner=contract.owner, team=contract.team,
                        contract_type=contract.contract_type, time_zone=contract.time_zone,
                        jurisdiction=contract.jurisdiction)


def record_extraction(settings: Settings, contract: ContractItem, extraction: dict, *,
                      actor: str) -> None:
    title = extraction.get("title") or contract.title or contract.file_name
    counterparty = contract.upload_metadata.get("counterparty") or counterparty_of(extraction)
    amended = find_amended_contract(contract, extraction) if extraction.get("document_type") == "amendment" else None
    repo.save_terms(contract.contract_id, extraction.get("terms") or {},
                    source_contract_id=contract.contract_id, actor=actor)
    repo.update_contract(contract, actor=actor, status=repo.EXTRACTED, extraction=extraction,
                         title=title, counterparty=counterparty,
                         amends_contract_id=amended.contract_id if amended else None,
                         detail={"terms": sorted(k for k, v in (extraction.get("terms") or {}).items() if v),
                                 "obligations": len(extraction.get("obligations") or [])})
    if amended is not None:
        apply_amendment(settings, amended, contract, extraction, actor=actor)
        return
    for obligation in extraction.get("obligations") or []:
        repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
            obligation_id=obligation["id"], kind=obligation.get("kind") or "other",
            summary=obligation.get("summary") or "", party=obligation.get("party"),
            due=obligation.get("due_date"), recurrence=obligation.get("recurrence"),
            offset=obligation.get("offset"), evidence=obligation.get("evidence"),
            derivation=obligation.get("derivation"), owner=contract.owner),
            team=contract.team, actor=actor)
    refresh_deadlines(contract, today=clock.now().date(), actor=actor)


def refresh_deadlines(contract: ContractItem, *, today: date, actor: str) -> int:
    """Upsert one obligation per dated deadline (notice, expiration, deliverables, the next
    occurrence of each recurring duty); returns how many changed. Idempotent."""
    if not contract.extraction:
        return 0
    # "done" is for one date: when a renewed term brings the next notice deadline, it is open again
    done = {o.obligation_id if "@" in o.obligation_id or not o.due else f"{o.obligation_id}@{o.due}"
            for o in repo.obligations(contract.contract_id) if o.status == repo.DONE}
    changed = 0
    for deadline in deadlines_for_contract(contract_info(contract), contract.extraction, today, done):
        changed += repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
            obligation_id=deadline.obligation_id, kind=deadline.kind, summary=deadline.summary,
            due=deadline.due.isoformat(), derivation=deadline.derivation, action=deadline.action,
            evidence=deadline.evidence, owner=deadline.owner or contract.owner),
            team=contract.team, actor=actor)
    return changed


# --- amendments ----------------------------------------------------------------------------------

def find_amended_contract(amendment: ContractItem, extraction: dict) -> ContractItem | None:
    """The team's contract this amendment names: same original date (agreement or effective date)."""
    info = extraction.get("amendment") or {}
    original_date = info.get("original_date")
    if not original_date:
        return None
    for candidate in repo.contracts_of_team(amendment.team, repo.EXTRACTED):
        if candidate.contract_id == amendment.contract_id or candidate.amends_contract_id:
            continue
        terms = (candidate.extraction or {}).get("terms") or {}
        if any((terms.get(name) or {}).get("value") == original_date
               for name in ("agreement_date", "effective_date")):
            return candidate
    log.warning("amendment %s names an original dated %s that is not on file",
                amendment.contract_id, original_date)
    return None


# terms an amendment can change, and the dates that depend on them
_AMENDABLE = ("expiration_date", "initial_term", "auto_renewal", "renewal_term", "notice_period",
              "termination_for_convenience", "payment_terms", "price_increase_cap",
              "minimum_commitment", "governing_law")


def apply_amendment(settings: Settings, original: ContractItem, amendment: ContractItem,
                    extraction: dict, *, actor: str) -> list[str]:
    """Merge the amendment's changed terms into the original and recompute its notice deadline."""
    merged = dict(original.extraction or {})
    terms = dict(merged.get("terms") or {})
    changes = {name: term for name, term in (extraction.get("terms") or {}).items()
               if name in _AMENDABLE and term and term.get("value") is not None}
    for name, term in changes.items():
        terms[name] = {**term, "amended_by": amendment.contract_id}
    expiration = (terms.get("expiration_date") or {}).get("value")
    notice = (terms.get("notice_period") or {}).get("value")
    if expiration and notice and ({"expiration_date", "notice_period"} & changes.keys()):
        derived = dates.notice_deadline(date.fromisoformat(expiration), notice, original.jurisdiction)
        source = changes.get("notice_period") or changes["expiration_date"]
        terms["notice_deadline"] = {"value": derived.iso(),
                                    "derivation": f"{derived.derivation} (amended by {amendment.file_name})",
                                    "evidence": source.get("evidence"),
                                    "amended_by": amendment.contract_id}
        changes["notice_deadline"] = terms["notice_deadline"]
    merged["terms"] = terms
    changed = repo.save_terms(original.contract_id, changes, source_contract_id=amendment.contract_id,
                              actor=actor)
    history = list(original.amended_by or []) + [amendment.contract_id]
    repo.update_contract(original, actor=actor, extraction=merged, amended_by=history)
    repo.record_audit(original.contract_id, actor, "contract.amended",
                      {"amendment_contract_id": amendment.contract_id, "changed": changed})
    refresh_deadlines(original, today=clock.now().date(), actor=actor)
    return changed
