"""The values people entered or corrected, as labels to learn from: one record per human-confirmed
term version, with what the extractor had said before it (value, evidence) and the clause the value
rests on. `clausewatch corrections export` and `GET /corrections` write them as JSONL;
`CORRECTIONS=file make train` (finder_train.py) reads the clause spans as extra positive labels."""

from __future__ import annotations

import json
from typing import Any

from ..store import repository as repo
from ..store.models import ContractItem, TermItem


def _extracted_before(versions: list[TermItem], entered: TermItem) -> TermItem | None:
    """The last version the extraction (not a person) wrote before ``entered``."""
    earlier = [v for v in versions if int(v.version) < int(entered.version) and not v.entered_by]
    return earlier[-1] if earlier else None


def _clause_document(contract: ContractItem, extracted: TermItem | None) -> dict[str, Any]:
    """The document the clause is in (its page and offsets index that document's text): the
    contract's own, or the amendment that wrote the extracted version quoted."""
    source_id = extracted.source_contract_id if extracted is not None else contract.contract_id
    document = contract if source_id == contract.contract_id else repo.get_contract(source_id)
    return {"clause_contract_id": source_id,
            "clause_document_sha256": document.sha256 if document is not None else None,
            "clause_file_name": document.file_name if document is not None else None}


def correction_record(contract: ContractItem, entered: TermItem, extracted: TermItem | None,
                      current: bool) -> dict[str, Any]:
    """One line of the export. ``clause`` is the span the value rests on: the entry's own (an
    event's date keeps its conditional term's clause), else the clause the extractor quoted for
    the value it was corrected from (``clause_source`` says which; null when neither has one), in
    the document ``clause_contract_id`` / ``clause_document_sha256`` / ``clause_file_name`` names (an
    amendment's clause is in the amendment, not the contract corrected)."""
    clause, source = entered.evidence, "entry"
    if not clause and extracted is not None and extracted.evidence:
        clause, source = extracted.evidence, "extraction"
    return {**_clause_document(contract, extracted if source == "extraction" else None),
        "contract_id": contract.contract_id, "document_sha256": contract.sha256, "file_name": contract.file_name,
        "team": contract.team, "field": entered.name,
        "extracted_value": None if extracted is None else extracted.value,
        "extracted_evidence": None if extracted is None else extracted.evidence,
        "extracted_derivation": None if extracted is None else extracted.derivation,
        "corrected_value": entered.value, "derivation": entered.derivation, "author": entered.entered_by,
        "at": entered.recorded_at, "version": int(entered.version), "current": current,
        "clause": clause or None, "clause_source": source if clause else None}


def corrections_of(contract: ContractItem) -> list[dict[str, Any]]:
    """Every human-confirmed version of the contract's terms, oldest first per term."""
    out = []
    for _, versions in sorted(repo.term_history(contract.contract_id).items()):
        for item in versions:
            if item.entered_by:
                out.append(correction_record(contract, item, _extracted_before(versions, item),
                                             current=item is versions[-1]))
    return out


def corrections(team: str | None = None) -> list[dict[str, Any]]:
    """The corrections of a team's contracts (every contract's, locally, without a team)."""
    contracts = repo.contracts_of_team(team) if team else repo.list_contracts()
    return [line for contract in sorted(contracts, key=lambda c: c.contract_id) for line in corrections_of(contract)]


def corrections_jsonl(team: str | None = None) -> str:
    return "".join(json.dumps(line, sort_keys=True, default=str) + "\n" for line in corrections(team))
