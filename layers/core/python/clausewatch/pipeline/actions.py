"""What a person does to a contract (the API's actions; locally the CLI's). Each change lands in
the table, whose stream re-plans the reminders: the planner is the only writer of schedules."""

from __future__ import annotations

from ..store import repository as repo
from ..schema import ObligationStatus


class NotFound(LookupError):
    pass


def complete_obligation(contract_id: str, obligation_id: str, *, actor: str,
                        note: str | None = None) -> None:
    """Mark an obligation done: its remaining reminders are cancelled by the planner."""
    contract = repo.get_contract(contract_id)
    if contract is None or repo.get_obligation(contract_id, obligation_id) is None:
        raise NotFound(f"no obligation {obligation_id!r} on contract {contract_id!r}")
    repo.set_obligation_status(contract_id, obligation_id, ObligationStatus.DONE, team=contract.team,
                               actor=actor, reason=note)


def delete_contract(contract_id: str, *, actor: str) -> int:
    """Remove a contract's record, terms and obligations (the audit trail stays); the planner
    then deletes all its schedules. Returns the number of items removed."""
    if repo.get_contract(contract_id) is None:
        raise NotFound(f"no contract {contract_id!r}")
    repo.record_audit(contract_id, actor, "contract.deleted", {})
    return repo.delete_contract_items(contract_id)
