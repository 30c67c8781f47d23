"""Plain-text tables of the local state for the terminal."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

from .. import schema
from ..pipeline.attention import attention_of, candidate_text
from ..pipeline.record import is_missed_record, local_today
from ..schema import ContractStatus, ObligationStatus
from ..store import repository as repo
from ..store.models import ContractItem


def _term(contract: ContractItem, name: str) -> str:
    extracted = contract.extracted
    value = extracted.value(name) if extracted else None
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def current_deadline(contract: ContractItem, obligation_id: str, term: str) -> str:
    """The open deadline as planned (for an auto-renewed contract: the current term's), else the
    extracted term (the initial term's). A notice deadline missed while open is shown first, as
    missed, until someone closes it: the next term's date alone would read as the current one's."""
    item = repo.get_obligation(contract.contract_id, obligation_id)
    shown = item.due if item is not None and item.due else _term(contract, term)
    missed = [o.due for o in repo.obligations(contract.contract_id)
              if o.obligation_id.startswith(f"{obligation_id}@") and is_missed_record(o.obligation_id)
              and o.status == ObligationStatus.OPEN and o.due]
    if missed:
        return f"MISSED {min(missed)}; next {shown}"
    return shown


def key_dates(contract: ContractItem) -> str:
    """The dates a person looks for first, in one line: "effective 2025-01-01, expires 2026-12-31,
    notice by 2026-12-01 (auto-renews P1Y)", or what is missing ("no key dates found: ...")."""
    if contract.amends_contract_id:
        return f"amends contract {contract.amends_contract_id}"
    shown = [(label, value) for label, value in (
        ("effective", _term(contract, "effective_date")),
        ("expires", current_deadline(contract, "expiration", "expiration_date")),
        ("notice by", current_deadline(contract, "notice_deadline", "notice_deadline"))) if value != "-"]
    renewal = renewal_text(contract)
    dated = ", ".join(f"{label} {value}" for label, value in shown)
    if not dated:
        dated = "no key dates found (enter them on the web page or through the API)"
    if contract.status_reason:  # an amendment waiting for its contract, ...
        dated += f"; {contract.status_reason}"
    return dated + (f" (renewal: {renewal})" if renewal != "-" else "")


def obligation_state(item, today: date) -> str:
    """open / done / waived ..., or "MISSED" (a notice deadline kept after it passed) and "overdue"
    (open and past its due day in the contract's time zone) until someone closes it."""
    if item.status != ObligationStatus.OPEN or not item.due or item.due >= today.isoformat():
        return str(item.status)
    if not schema.is_overdue_when_past(item.kind):
        return "expired"  # the contract's end gone by: no duty, nothing overdue
    return "MISSED" if is_missed_record(item.obligation_id) else "overdue"


def renewal_text(contract: ContractItem) -> str:
    """"auto <renewal term>", "no", or, once a renewal decision ended the contract (``renewal.ended``:
    the notice of non-renewal given, or expired), "ends <day> (not renewed)" while its last day is
    today or ahead in its time zone and "ended <day>" after it."""
    from ..renewal.ended import contract_ended

    ended = contract_ended(contract.contract_id, contract.time_zone)
    if ended is not None:
        if ended.last_day >= local_today(contract).isoformat():
            return f"ends {ended.last_day} (not renewed)"
        return f"ended {ended.last_day}"
    auto = _term(contract, "auto_renewal")
    if auto == "yes":
        return f"auto {_term(contract, 'renewal_term')}"
    return "no" if auto == "no" else "-"


def next_obligation(contract: ContractItem) -> str:
    """The earliest open obligation due today or later, "today" in the contract's time zone,
    after the count of those still open past their due day ("2 overdue; ...")."""
    today = local_today(contract)
    items = [o for o in repo.obligations(contract.contract_id) if o.status == ObligationStatus.OPEN and o.due]
    overdue = sum(1 for o in items if o.due < today.isoformat() and schema.is_overdue_when_past(o.kind))
    upcoming = sorted((o.due, o.summary) for o in items if o.due >= today.isoformat())
    prefix = f"{overdue} overdue; " if overdue else ""
    if not upcoming:
        return f"{overdue} overdue" if overdue else "-"
    due, summary = upcoming[0]
    return f"{prefix}{due} {summary}"


def table(rows: list[list[str]], headers: list[str], max_width: dict[int, int] | None = None,
          wrap: dict[int, int] | None = None) -> str:
    """Columns padded to their widest cell; ``max_width``: a column's cells clipped ("…") at that
    width; ``wrap``: a column's cells wrapped at that width onto the row's next lines, whole."""
    max_width = max_width or {}
    wrap = wrap or {}
    clipped = [[(c if len(c) <= max_width.get(i, 999) else c[: max_width[i] - 1] + "…")
                for i, c in enumerate(r)] for r in rows]
    lines_of = [[textwrap.wrap(c, wrap[i], break_on_hyphens=False) or [""] if i in wrap else [c]
                 for i, c in enumerate(r)] for r in clipped]
    widths = [max(len(h), *(len(part) for r in lines_of for part in r[i])) if lines_of else len(h)
              for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    for cells in lines_of:
        depth = max(len(parts) for parts in cells)
        out += [line([parts[n] if n < len(parts) else "" for parts in cells]) for n in range(depth)]
    return "\n".join(out)


def contracts_table(contracts: list[ContractItem]) -> str:
    rows = []
    names = {c.contract_id: c.file_name for c in contracts}
    for c in contracts:
        if c.amends_contract_id:  # its terms and dates live on the contract it amends
            rows.append([c.contract_id, c.file_name, c.counterparty or "-", c.status,
                         str(int(c.page_count)) if c.page_count else "-", _term(c, "effective_date"),
                         "", "", "", f"amends {names.get(c.amends_contract_id, c.amends_contract_id)}"])
            continue
        rows.append([c.contract_id, c.file_name, c.counterparty or "-", c.status,
                     str(int(c.page_count)) if c.page_count else "-",
                     _term(c, "effective_date"), current_deadline(c, "expiration", "expiration_date"),
                     renewal_text(c), current_deadline(c, "notice_deadline", "notice_deadline"),
                     next_obligation(c)])
    return table(rows, ["id", "contract", "counterparty", "status", "pages", "effective", "expires",
                        "renewal", "notice by", "next obligation"],
                 max_width={1: 34, 2: 26, 9: 44})


def kept_at(contract: ContractItem, state_dir: Path | None, blobs: dict[str, str] | None = None) -> str:
    """Where the user finds the file: on this disk, in the state folder's content-addressed blobs
    (an S3 key such as quarantine/<id>/x.pdf exists only inside the embedded S3). ``blobs``: the
    saved bucket's key -> blob, for a file recorded without its hash (one too large to read)."""
    if state_dir is not None and contract.sha256 and contract.original_key:
        return str(state_dir / "s3" / "blobs" / contract.sha256)
    blob = (blobs or {}).get(contract.original_key or "")
    if state_dir is not None and blob:
        return str(state_dir / "s3" / "blobs" / blob)
    return contract.original_key or ""


def saved_blobs(state_dir: Path | None) -> dict[str, str]:
    """The saved bucket's key -> blob name (``state.save``'s s3/index.json), empty when unsaved."""
    try:
        index = json.loads((state_dir / "s3" / "index.json").read_text()) if state_dir else {}
    except (OSError, ValueError):
        return {}
    return {key: entry.get("blob", "") for key, entry in index.items() if isinstance(entry, dict)}


def problems_table(contracts: list[ContractItem], state_dir: Path | None = None) -> str:
    blobs = saved_blobs(state_dir)
    rows = [[c.file_name, c.status, c.status_reason or "", kept_at(c, state_dir, blobs)]
            for c in contracts if c.status in (ContractStatus.QUARANTINED, ContractStatus.FAILED) or c.status_reason]
    return table(rows, ["file", "status", "reason", "kept at"]) if rows else ""


def attention_table(contracts: list[ContractItem]) -> str:
    """One line per flag: metadata intake refused, dates left out rather than guessed (with every
    candidate and its clause)."""
    lines = []
    for c in contracts:
        for flag in attention_of(c):
            if flag["kind"] == "amendment_waiting":
                continue  # its reason is among the problems (problems_table), once
            lines.append(f"  {c.contract_id}  {c.file_name}: {flag['message']}")
            lines += [f"      candidate: {candidate_text(cand)}" for cand in flag["candidates"]]
    return "\n".join(lines)
