"""Plain-text tables of the local state for the terminal."""

from __future__ import annotations

from ..pipeline.record import local_today
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
    extracted term (the initial term's)."""
    item = repo.get_obligation(contract.contract_id, obligation_id)
    return item.due if item is not None and item.due else _term(contract, term)


def renewal_text(contract: ContractItem) -> str:
    auto = _term(contract, "auto_renewal")
    if auto == "yes":
        return f"auto {_term(contract, 'renewal_term')}"
    return "no" if auto == "no" else "-"


def next_obligation(contract: ContractItem) -> str:
    """The earliest open obligation due today or later, "today" in the contract's time zone."""
    today = local_today(contract)
    upcoming = sorted((o.due, o.summary) for o in repo.obligations(contract.contract_id)
                      if o.status == ObligationStatus.OPEN and o.due and o.due >= today.isoformat())
    if not upcoming:
        return "-"
    due, summary = upcoming[0]
    return f"{due} {summary}"


def table(rows: list[list[str]], headers: list[str], max_width: dict[int, int] | None = None) -> str:
    max_width = max_width or {}
    clipped = [[(c if len(c) <= max_width.get(i, 999) else c[: max_width[i] - 1] + "…")
                for i, c in enumerate(r)] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in clipped)) if clipped else len(h)
              for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, clipped)])


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


def problems_table(contracts: list[ContractItem]) -> str:
    rows = [[c.file_name, c.status, c.status_reason or "", c.original_key or ""]
            for c in contracts if c.status in (ContractStatus.QUARANTINED, ContractStatus.FAILED) or c.status_reason]
    return table(rows, ["file", "status", "reason", "kept at"]) if rows else ""
