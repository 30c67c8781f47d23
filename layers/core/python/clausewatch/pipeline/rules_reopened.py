"""The upgrade that reopens a recurring duty's rule a person marked done before 2026-12-07 (since
refused: ``actions._not_a_rule``). Marked done, the rule stopped every later occurrence as if the
duty had ended, with no day and no word of it; a rule has no day of its own, so it is not completed:
its occurrences are. Reopened, the planner plans its occurrences from today again; the occurrences
already done stay done. A rule waived (the duty ended) is not touched, nor one whose contract ended
before today (nothing is owed after the end)."""

from __future__ import annotations

import logging
from datetime import date

from .. import clock, dates, schema
from ..schema import ObligationStatus
from ..store import repository as repo
from ..store.models import AuditItem, ContractItem, ObligationItem
from .record import refresh_deadlines

log = logging.getLogger(__name__)

WHY = "a rule is not completed; its later occurrences are owed"

# who closes obligations by itself (the planner, the sweep, a local tick, the renewal workflow, the
# money checks, this upgrade): none of them ever marked a rule done; a rule done by one is left as it is
AUTOMATIC_ACTORS = frozenset({"planner", "sweep", "tick", "renewal", "renewal-workflow", "money", "upgrade"})

_STATUS_ACTIONS = frozenset(f"obligation.{status}" for status in ObligationStatus)


def marked_done_by_hand(rule: ObligationItem, trail: list[AuditItem]) -> bool:
    """The rule is done because a person marked it so: its resolution names someone other than an
    automatic actor, and the last status line of the trail about it is that person's ``done``."""
    if rule.status != ObligationStatus.DONE or not rule.resolved_by or rule.resolved_by in AUTOMATIC_ACTORS:
        return False
    lines = [line for line in trail if line.action in _STATUS_ACTIONS
             and (line.detail or {}).get("obligation_id") == rule.obligation_id]
    return bool(lines) and lines[-1].action == "obligation.done" and lines[-1].actor == rule.resolved_by


def _today(contract: ContractItem) -> date:
    return clock.now().astimezone(dates.zone(contract.time_zone)).date()


def _ended_before(contract: ContractItem, today: date) -> bool:
    from ..renewal.ended import contract_ended  # the renewal package imports the pipeline

    ended = contract_ended(contract.contract_id, contract.time_zone)
    return ended is not None and ended.last_day < today.isoformat()


def reopen_rule(rule: ObligationItem, contract: ContractItem, *, actor: str) -> bool:
    """Open the rule again (audited with who marked it done, when, and why it is reopened) and plan
    the contract's deadlines again (its next occurrences; the stream's planner then makes their
    reminders). False when it is left as it is (not done by hand, or its contract ended)."""
    today = _today(contract)
    if not marked_done_by_hand(rule, repo.audit_events(contract.contract_id)) or _ended_before(contract, today):
        return False
    was = {"resolved_by": rule.resolved_by, "resolved_at": rule.resolved_at, "note": rule.resolution_note,
           "evidence_key": rule.evidence_key, "done_on": rule.done_on}
    repo.set_obligation_status(contract.contract_id, rule.obligation_id, ObligationStatus.OPEN, team=contract.team,
                               actor=actor, reason=WHY, expected=ObligationStatus.DONE,
                               detail={"marked_done": {k: v for k, v in was.items() if v}})
    if contract.status == schema.ContractStatus.EXTRACTED:
        refresh_deadlines(contract, today=today, actor=actor)
    return True


def reopen_rules_marked_done(*, actor: str) -> tuple[int, int]:
    """Reopen every rule a person marked done (by scan: an operator's upgrade, ``python -m
    clausewatch.renewal.reindex``; a local state folder on load), then record the step. Returns
    (reopened, failed); one that fails is logged and the others go on. Safe to run again: a rule
    reopened is open, and one left done stays left."""
    reopened = failed = 0
    for rule in repo.rules_marked_done():
        contract = repo.get_contract(rule.contract_id)
        if contract is None:
            continue
        try:
            reopened += reopen_rule(rule, contract, actor=actor)
        except Exception:  # changed meanwhile (waived, say), or its planning refused: the next run reads it again
            failed += 1
            log.exception("a rule marked done was not reopened", extra={"contract_id": rule.contract_id,
                                                                        "obligation_id": rule.obligation_id})
    if not failed:
        repo.record_upgrade(schema.UPGRADE_RULES_REOPENED)
    return reopened, failed
