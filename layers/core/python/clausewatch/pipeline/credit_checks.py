"""A person marks a breach's credit flag checked (``credit_to_check`` on Needs attention) when the
credit has no claim of its own to settle it: counted from the incident, a window in hours, no window
read, a cap that may apply. They say what they found (a note, and the amount they claimed or that
nothing is owed); the check holds while what the flag rests on is what they checked (``store.money.check_stands``)."""

from __future__ import annotations

from .. import clock, dates
from ..money.amounts import parse_typed_amount
from ..schema import ObligationStatus
from ..store import money as store
from ..store import repository as repo
from ..store.models import FindingItem
from .actions import Conflict, InvalidInput, NotFound, find_contract

MAX_NOTE = 500  # characters of what the person found


def check_credit(contract_id: str, finding_id: str, *, actor: str, note: str, team: str | None = None,
                 claimed: str | None = None, nothing_owed: bool = False) -> FindingItem:
    """Mark the finding's credit flag checked by ``actor`` (``note``: what they found or decided;
    ``claimed``: the amount they claimed as typed, "GBP 1,500.00" (``parse_typed_amount``); ``nothing_owed``):
    the flag goes, the check is
    kept on the finding and audited, all at once. The same check again by the same person is its retry,
    answered as it is. NotFound: no such contract (for the team) or finding. Conflict: the finding has
    an open claim (mark it done or waive it instead), no flag, or a check by someone else or saying
    something else already holds. InvalidInput: no note, an amount beside "nothing owed", or an amount
    not written exactly (a decimal comma, more than two decimals: refused, never guessed or rounded)."""
    contract = find_contract(contract_id, team)
    finding = store.get_finding(contract_id, finding_id)
    if finding is None or finding.kind != "sla_breach":
        raise NotFound(f"no SLA breach {finding_id} on contract {contract_id}")
    said = _said(note, claimed, nothing_owed)
    claim = repo.get_obligation(contract_id, finding.claim_obligation_id) if finding.claim_obligation_id else None
    flag = store.credit_flag_of(finding, claim)
    checked = store.credit_checked(finding)
    if checked is not None and flag is not None and store.check_stands(finding, claim):
        if {k: checked.get(k) for k in (*said, "by")} == {**said, "by": actor}:
            return finding  # its own retry
        raise Conflict(f"{finding_id} is already {store.checked_words(checked)}")
    if claim is not None and claim.status == ObligationStatus.OPEN:
        raise Conflict(f"{finding_id} has a claim to settle: mark {claim.obligation_id} done once claimed, or waive "
                       "it when nothing is owed (its flag goes with it)")
    if flag is None:
        raise Conflict(f"{finding_id} has no credit to check by hand")
    today = clock.now().astimezone(dates.zone(contract.time_zone)).date()
    repo.check_credit(contract, finding, {"by": actor, "on": today.isoformat(), "at": clock.iso(), **said,
                                          "flag": flag, "basis": store.credit_basis(finding)}, actor=actor)
    return finding


def _said(note: str, claimed: str | None, nothing_owed: bool) -> dict:
    """What the person says, as kept: the note, the amount claimed, nothing owed."""
    note = " ".join((note or "").split())
    if not note:
        raise InvalidInput("say what you found or decided: a note is required")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is {len(note)} characters: at most {MAX_NOTE}")
    if claimed is not None and nothing_owed:
        raise InvalidInput("either the amount claimed or nothing owed, not both")
    try:
        amount = None if claimed is None else parse_typed_amount(claimed)
    except ValueError as exc:
        raise InvalidInput(f"the amount claimed: {exc}") from None
    return {"note": note, "nothing_owed": bool(nothing_owed), "claimed": None if amount is None else amount.to_dict()}
