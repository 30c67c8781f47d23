"""The upgrade that reads, from its stored text, the terms an amendment names as the ones it changes
(``extract.amended_terms``, kept as ``Amendment.names_terms``) for each amendment whose stored reading
names none: one read before 2026-12-07 (its flag, ``record.NO_CHANGE_READ``, could then only be marked
checked), or one whose names a later reader finds (a sentence wrapped over lines). Its flag, on the
contract it amends and on it, then names the terms whose entry settles it: a person's entry of every
one of them made after the upgrade (``Amendment.names_read_at``) settles it, as for an amendment read
today; none made before does (the reader could miss a change: a person looks first). Each amendment
so read is audited ``amendment.terms_named`` on its trail, and on its contract's when its flag there
changed. The contract's flag is written first and the amendment's names last, so a run that failed
between them is finished by the next; safe to run again: an amendment whose names are stored is not
read again, one whose text names none is left as it is."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from .. import clock, config, schema
from ..aws import s3
from ..extract.amended_terms import terms_named
from ..extract.document import Document
from ..store import repository as repo
from ..store.models import ContractItem
from ..text.model import DocumentText
from . import actions, record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Named:
    """One amendment read: the terms it names."""

    amendment_id: str
    names_terms: tuple[str, ...]


def read_names_again(*, actor: str) -> tuple[list[Named], int]:
    """Read the terms named by every extracted amendment whose stored reading names none (by scan: an
    operator's upgrade, ``python -m clausewatch.renewal.reindex``; a local state folder on load), then
    record the step unless one failed. Returns (read, failed): one that fails (its text not read, a
    write refused) is logged and the others go on; the next run reads it again."""
    named: list[Named] = []
    failed = 0
    for amendment in repo.amendments_naming_no_term():
        try:
            if (read := read_names(amendment, actor=actor)) is not None:
                named.append(read)
        except Exception:  # a read or write refused: the next run reads it again
            failed += 1
            log.exception("an amendment's terms were not read", extra={"contract_id": amendment.contract_id})
    if not failed:
        repo.record_upgrade(schema.UPGRADE_AMENDMENT_NAMES)
    return named, failed


def read_names(amendment: ContractItem, *, actor: str) -> Named | None:
    """The terms ``amendment`` names, read from its stored text and written on the flag of the contract
    it amends, then on it (its own flag's message with them, and when they were read); None when it
    names none, its change was read, a person checked it, or its text is not stored (nothing is written)."""
    extraction = amendment.extracted
    if extraction is None or extraction.amendment is None or record.stated_changes(extraction) \
            or amendment.amendment_checked:
        return None
    stored = s3.get_json(config.Settings.from_env().bucket, amendment.text_key or config.text_key(amendment.contract_id))
    if stored is None:
        return None
    names = terms_named(Document(DocumentText.from_dict(stored).page_texts).text)
    if not names:
        return None
    read_at = clock.iso()
    extraction.amendment = replace(extraction.amendment, names_terms=names, names_read_at=read_at)
    message = record.no_change_message(amendment, extraction)
    before = [str(f.get("message")) for f in extraction.attention if f.get("kind") == record.NO_CHANGE_READ]
    detail = {"amendment_id": amendment.contract_id, "file_name": amendment.file_name, "names_terms": list(names),
              "flag": message, "before": before[0] if before else None}
    original = repo.get_contract(amendment.amends_contract_id) if amendment.amends_contract_id else None
    # the contract's flag first: a run failing after it reads the amendment again (its names not stored)
    if original is not None and actions.edit_extraction(original, lambda stored_extraction: _with_message(
            stored_extraction, message, lambda f: actions.names_amendment(f, amendment, _flags(original)),
            amendment.contract_id), actor=actor):
        repo.record_audit(original.contract_id, actor, "amendment.terms_named", detail)

    def with_names(stored_extraction: dict[str, Any]) -> dict[str, Any] | None:
        if (stored_extraction.get("amendment") or {}).get("names_terms"):
            return None  # read meanwhile
        flagged = _with_message(stored_extraction, message, lambda f: f.get("kind") == record.NO_CHANGE_READ)
        return {**(flagged or stored_extraction),  # a waiting one is flagged when applied
                "amendment": {**stored_extraction.get("amendment", {}), "names_terms": list(names),
                              "names_read_at": read_at}}

    if not actions.edit_extraction(amendment, with_names, actor=actor):
        return None
    repo.record_audit(amendment.contract_id, actor, "amendment.terms_named",
                      {**detail, "contract_id": original.contract_id if original is not None else None})
    return Named(amendment.contract_id, names)


def _flags(contract: ContractItem) -> list[dict[str, Any]]:
    return [f for f in (contract.extraction or {}).get("attention") or [] if isinstance(f, dict)]


def _with_message(extraction: dict[str, Any], message: str, match: Callable[[dict[str, Any]], bool],
                  amendment_id: str | None = None) -> dict[str, Any] | None:
    """``extraction`` with the flags ``match`` picks saying ``message`` (and naming the amendment by
    id: one written before 2026-12-07 named it only in its message); None when none changes."""
    said = {"message": message, **({"amendment_id": amendment_id} if amendment_id else {})}
    if not any(isinstance(f, dict) and match(f) and {**f, **said} != f for f in extraction.get("attention") or []):
        return None
    return {**extraction, "attention": [{**f, **said} if isinstance(f, dict) and match(f) else f
                                        for f in extraction.get("attention") or []]}
