"""The upgrade that flags each recurring duty's rule a person marked done before 2026-12-07 (since
refused: ``actions._not_a_rule``). Before then "done" was how a duty was stopped as well as how an
occurrence was closed, so the upgrade cannot tell "this occurrence done" from "the duty ended": it
leaves the rule done (no later occurrence is planned) and puts a Needs-attention flag on its contract
(``ContractItem.rules_marked_done``) naming the duty, who marked it done, when and their note. A
person settles it: reopen the rule (``actions.reopen_rule``: its occurrences are planned again from
today) if the duty goes on, waive it if it ended; either takes the flag off. A waived rule, one done
by an automatic actor, and one whose contract ended before today (nothing is owed after the end) are
not flagged."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from .. import clock, dates, schema
from ..schema import ObligationStatus
from ..store import repository as repo
from ..store.models import AuditItem, ContractItem, ObligationItem

log = logging.getLogger(__name__)

# who closes obligations by itself (the planner, the sweep, a local tick, the renewal workflow, the
# money checks, the upgrade): none of them ever marked a rule done; a rule done by one is left as it is
AUTOMATIC_ACTORS = frozenset({"planner", "sweep", "tick", "renewal", "renewal-workflow", "money", "upgrade"})

_STATUS_ACTIONS = frozenset(f"obligation.{status}" for status in ObligationStatus)


@dataclass(frozen=True)
class Flagged:
    """One rule flagged: which, and who marked it done, when, with what note."""

    contract_id: str
    rule_id: str
    by: str
    at: str
    note: str


def marked_done_by_hand(rule: ObligationItem, trail: list[AuditItem]) -> bool:
    """The rule is done because a person marked it so: its resolution names someone other than an
    automatic actor, and the last status line of the trail about it is that person's ``done``."""
    if rule.status != ObligationStatus.DONE or not rule.resolved_by or rule.resolved_by in AUTOMATIC_ACTORS:
        return False
    lines = [line for line in trail if line.action in _STATUS_ACTIONS
             and (line.detail or {}).get("obligation_id") == rule.obligation_id]
    return bool(lines) and lines[-1].action == "obligation.done" and lines[-1].actor == rule.resolved_by


def is_flagged(contract: ContractItem, rule: ObligationItem) -> bool:
    """The rule is done and its contract carries the upgrade's flag for it: the one a person may
    reopen (``actions.reopen_rule``; any other done rule stays done)."""
    flags = contract.rules_marked_done if isinstance(contract.rules_marked_done, dict) else {}
    return rule.status == ObligationStatus.DONE and rule.obligation_id in flags


def drop_stale_flag(contract: ContractItem, rule: ObligationItem) -> bool:
    """Take the flag off a rule no longer done (a run that read it done raced a person's reopen):
    nothing is left to settle. True when one was taken off."""
    flags = contract.rules_marked_done if isinstance(contract.rules_marked_done, dict) else {}
    if rule.status == ObligationStatus.DONE or rule.obligation_id not in flags:
        return False
    return repo.set_rule_marked_done(contract.contract_id, rule.obligation_id, None)


def today_of(contract: ContractItem) -> date:
    """Today in the contract's time zone."""
    return clock.now().astimezone(dates.zone(contract.time_zone)).date()


def _ended_before(contract: ContractItem, today: date) -> bool:
    from ..renewal.ended import contract_ended  # the renewal package imports the pipeline

    ended = contract_ended(contract.contract_id, contract.time_zone)
    return ended is not None and ended.last_day < today.isoformat()


def _last_occurrence(rule: ObligationItem) -> str | None:
    """The day of the rule's latest stored occurrence (``<rule>@<day>``), if any."""
    days = [o.obligation_id.partition("@")[2] for o in repo.obligations(rule.contract_id, consistent=True)
            if o.obligation_id.startswith(f"{rule.obligation_id}@")]
    return max(days, default=None)


def flag_message(rule: ObligationItem, last_occurrence: str | None, time_zone: str | None = None) -> str:
    """What the flag says: the duty, who marked its rule done, when (the day in the contract's
    ``time_zone``), their note, what was not planned since, and what to do."""
    marked = datetime.fromisoformat(rule.resolved_at).astimezone(dates.zone(time_zone)).date().isoformat() \
        if rule.resolved_at else "?"
    note = f' ("{rule.resolution_note}")' if rule.resolution_note else " (no note)"
    since = f"after {last_occurrence}" if last_occurrence else "since"
    return (f"recurring duty \"{rule.summary}\" ({rule.recurrence}; rule {rule.obligation_id}) was marked done by "
            f"{rule.resolved_by} on {marked}{note}, before 2026-12-07, when marking a rule "
            f"done stopped the duty: no occurrence {since} was planned. If the duty goes on, reopen it (its "
            "occurrences are planned again from today; one owed between is not: add it by hand); if it ended, "
            "waive it")


def flag_rule(rule: ObligationItem, contract: ContractItem) -> bool:
    """Flag the rule on its contract's Needs attention; False when it is not flagged (no longer done,
    not done by a person's hand, or its contract ended before today). The rule the scan read is read
    again (consistently) before the flag is written, and once more after: a person who reopened or
    waived it meanwhile (their action takes the flag off before this one lands) leaves no flag."""
    now = repo.get_obligation(contract.contract_id, rule.obligation_id)
    if now is None or not marked_done_by_hand(now, repo.audit_events(contract.contract_id)) \
            or _ended_before(contract, today_of(contract)):
        drop_stale_flag(contract, now or rule)
        return False
    repo.set_rule_marked_done(contract.contract_id, now.obligation_id, flag_message(now, _last_occurrence(now), contract.time_zone))
    after = repo.get_obligation(contract.contract_id, rule.obligation_id)
    if after is None or after.status != ObligationStatus.DONE:
        repo.set_rule_marked_done(contract.contract_id, rule.obligation_id, None)
        return False
    return True


def _drop_stale_flags() -> int:
    """Take off every flag whose rule is no longer done (a run that raced a person's reopen left it,
    say). Returns how many contracts failed (logged: the next run reads them again)."""
    failed = 0
    for contract in repo.contracts_with_rules_marked_done():
        try:
            for rule_id in list((contract.rules_marked_done or {}) if isinstance(contract.rules_marked_done, dict)
                                else {}):
                rule = repo.get_obligation(contract.contract_id, rule_id)
                if rule is None or rule.status != ObligationStatus.DONE:
                    repo.set_rule_marked_done(contract.contract_id, rule_id, None)
        except Exception:  # a read or write refused: the next run reads it again
            failed += 1
            log.exception("a stale flag was not taken off", extra={"contract_id": contract.contract_id})
    return failed


def flag_rules_marked_done() -> tuple[list[Flagged], int]:
    """Flag every rule a person marked done (by scan: an operator's upgrade, ``python -m
    clausewatch.renewal.reindex``; a local state folder on load), then record the step unless one
    failed. Returns (flagged, failed); one that fails (its contract not read, say) is logged and the
    others go on: the next run reads it again. Safe to run again: a flag is written once, and one whose
    rule is no longer done (a run that raced a reopen) is taken off."""
    flagged: list[Flagged] = []
    failed = 0
    for rule in repo.rules_marked_done():
        try:
            contract = repo.get_contract(rule.contract_id)
            if contract is not None and flag_rule(rule, contract):
                flagged.append(Flagged(rule.contract_id, rule.obligation_id, str(rule.resolved_by),
                                       str(rule.resolved_at or ""), str(rule.resolution_note or "")))
        except Exception:  # a read or write refused: the next run reads it again
            failed += 1
            log.exception("a rule marked done was not flagged", extra={"contract_id": rule.contract_id,
                                                                       "obligation_id": rule.obligation_id})
    failed += _drop_stale_flags()
    if not failed:
        repo.record_upgrade(schema.UPGRADE_RULES_MARKED_DONE)
    return flagged, failed
