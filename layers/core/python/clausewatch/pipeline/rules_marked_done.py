"""The upgrade that flags each recurring duty's rule a person marked done before 2026-12-07 (since
refused: ``actions._not_a_rule``). Before then "done" was how a duty was stopped as well as how an
occurrence was closed, so the upgrade cannot tell "this occurrence done" from "the duty ended": it
leaves the rule done (no later occurrence is planned) and puts a Needs-attention flag on its contract
(``ContractItem.rules_marked_done``) naming the duty, who marked it done, when and their note. A
person settles it: reopen the rule (``actions.reopen_rule``: the occurrences owed while it was done
are made, overdue, and the next planned from today) if the duty goes on, waive it if it ended; either
takes the flag off. A waived rule, one done by an automatic actor, and one whose contract ended before
today (nothing is owed after the end) are not flagged; a flag put on before the contract ended is taken
off (audited) by the planning, a reopen or the upgrade's next run."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import clock, dates, schema
from ..plan import Deadline, after_the_term, overdue_occurrences
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


def flag_on(contract: ContractItem, rule: ObligationItem) -> bool:
    """The rule's flag is on its contract, whatever its status (an open one: a reopen that failed
    part-way, which any reopen finishes, or a stale flag, which a reopen takes off)."""
    flags = contract.rules_marked_done if isinstance(contract.rules_marked_done, dict) else {}
    return rule.obligation_id in flags


def take_flag_off(contract_id: str, rule_id: str, *, why: str, actor: str) -> bool:
    """Take the rule's flag off its contract, audited ``rule_marked_done.cleared`` with ``why``
    (nothing left to settle). True when one was taken off (no line otherwise)."""
    if not repo.set_rule_marked_done(contract_id, rule_id, None):
        return False
    repo.record_audit(contract_id, actor, "rule_marked_done.cleared", {"obligation_id": rule_id, "reason": why})
    return True


def last_reopen(contract_id: str, rule_id: str) -> AuditItem | None:
    """The trail's last status line about the rule, when it is a reopen (``obligation.open`` saying
    what was marked done, ``actions.reopen_rule``)."""
    lines = [line for line in repo.audit_events(contract_id) if line.action in _STATUS_ACTIONS
             and (line.detail or {}).get("obligation_id") == rule_id]
    return lines[-1] if lines and lines[-1].action == "obligation.open" \
        and "marked_done" in (lines[-1].detail or {}) else None


def not_yet_made(contract_id: str, reopen: AuditItem) -> list[str]:
    """The occurrences a reopen's line lists (``occurrences_made``) that are not stored."""
    stored = {o.obligation_id for o in repo.obligations(contract_id, consistent=True)}
    return [i for i in (reopen.detail or {}).get("occurrences_made") or [] if i not in stored]


def reopen_unfinished(contract_id: str, rule: ObligationItem) -> AuditItem | None:
    """The rule is open and its last status line is a reopen that listed occurrences not all made
    (it failed part-way): its flag stays until a reopen makes them (``actions.reopen_rule``)."""
    if rule.status != ObligationStatus.OPEN or (line := last_reopen(contract_id, rule.obligation_id)) is None:
        return None
    return line if not_yet_made(contract_id, line) else None


def drop_stale_flag(contract: ContractItem, rule: ObligationItem, *, actor: str) -> bool:
    """Take the flag off a rule no longer done (a run that read it done raced a person's reopen):
    nothing is left to settle; one reopened whose occurrences are not all made keeps it
    (``reopen_unfinished``). True when one was taken off."""
    flags = contract.rules_marked_done if isinstance(contract.rules_marked_done, dict) else {}
    if rule.status == ObligationStatus.DONE or rule.obligation_id not in flags \
            or reopen_unfinished(contract.contract_id, rule) is not None:
        return False
    return take_flag_off(contract.contract_id, rule.obligation_id, actor=actor,
                         why=f"the rule is {rule.status}, no longer done")


def ended_words(last_day: str) -> str:
    """Why a rule of a contract that ended is neither flagged nor reopened."""
    return f"nothing to plan: the contract ended on {last_day}"


def clear_flags_of_ended(contract: ContractItem, last_day: str, *, actor: str) -> int:
    """The contract ended on ``last_day``, before today: nothing is owed after its end, so a rule
    with no occurrence owed within the term is not left to reopen; its flag goes (audited). The flag
    of one whose periods within the term were never made stays (a reopen makes them). Returns how
    many went."""
    flags = contract.rules_marked_done if isinstance(contract.rules_marked_done, dict) else {}
    gone = 0
    for rule_id in sorted(flags):
        rule = repo.get_obligation(contract.contract_id, rule_id)
        if rule is None or not owed_to_the_end(contract, rule, last_day):
            gone += take_flag_off(contract.contract_id, rule_id, why=ended_words(last_day), actor=actor)
    return gone


def today_of(contract: ContractItem) -> date:
    """Today in the contract's time zone."""
    return clock.now().astimezone(dates.zone(contract.time_zone)).date()


def ended_before(contract: ContractItem, today: date) -> str | None:
    """The contract's last day when a renewal decision ended it before ``today``, else None."""
    from ..renewal.ended import contract_ended  # the renewal package imports the pipeline

    ended = contract_ended(contract.contract_id, contract.time_zone)
    return ended.last_day if ended is not None and ended.last_day < today.isoformat() else None


def _occurrences(rule: ObligationItem) -> list[ObligationItem]:
    return [o for o in repo.obligations(rule.contract_id, consistent=True)
            if o.obligation_id.startswith(f"{rule.obligation_id}@")]


def _last_occurrence(stored: list[ObligationItem]) -> str | None:
    """The day of the latest of a rule's stored occurrences (``<rule>@<day>``), if any."""
    return max((o.obligation_id.partition("@")[2] for o in stored), default=None)


def owed_meanwhile(contract: ContractItem, rule: ObligationItem, today: date,
                   last_day: str | None = None) -> list[Deadline]:
    """The occurrences of the rule owed while it was done and never made: due after its latest stored
    occurrence (the last one planned; none stored: from the day it was marked done) and before
    ``today``, counted as the planner counts each period (``plan.overdue_occurrences``); a period
    stored on another day is left out. Overdue when made. A contract that ended on ``last_day``: only
    those of periods within its term (``plan.after_the_term``: the period the day after the end
    closes included), due before today or after it."""
    from .record import contract_info  # the planning imports this module (its flags of an ended contract)

    extracted = contract.extracted
    if extracted is None or extracted.is_amendment:
        return []
    stored = _occurrences(rule)
    last = _last_occurrence(stored)
    after = date.fromisoformat(last) if last else _marked_on(rule, contract.time_zone) - timedelta(days=1)
    until = today if last_day is None else max(today, date.fromisoformat(last_day) + timedelta(days=_AFTER_THE_END))
    periods = {dates.period_boundary(o.derivation) for o in stored}
    return [deadline for deadline in overdue_occurrences(contract_info(contract), extracted, rule.obligation_id,
                                                         after, until)
            if dates.period_boundary(deadline.derivation) not in periods
            and (last_day is None or not after_the_term("recurring", deadline.due.isoformat(), deadline.derivation,
                                                        last_day))]


# how long after a term's end an occurrence of its last period may fall due (its offset: "+ P10BD")
_AFTER_THE_END = 120


def owed_to_the_end(contract: ContractItem, rule: ObligationItem, last_day: str) -> list[Deadline]:
    """A rule of a contract that ended on ``last_day``: the occurrences owed for periods within its
    term that were never made (``owed_meanwhile``); none when it is not done."""
    if rule.status != ObligationStatus.DONE:
        return []
    return owed_meanwhile(contract, rule, today_of(contract), last_day)


def _marked_on(rule: ObligationItem, time_zone: str | None) -> date:
    at = datetime.fromisoformat(rule.resolved_at) if rule.resolved_at else clock.now()
    return at.astimezone(dates.zone(time_zone)).date()


def flag_message(rule: ObligationItem, last_occurrence: str | None, time_zone: str | None = None) -> str:
    """What the flag says: the duty, who marked its rule done, when (the day in the contract's
    ``time_zone``), their note, what was not planned since, and what to do."""
    marked = datetime.fromisoformat(rule.resolved_at).astimezone(dates.zone(time_zone)).date().isoformat() \
        if rule.resolved_at else "?"
    note = f' ("{rule.resolution_note}")' if rule.resolution_note else " (no note)"
    since = f"after {last_occurrence}" if last_occurrence else "since"
    return (f"recurring duty \"{rule.summary}\" ({rule.recurrence}; rule {rule.obligation_id}) was marked done by "
            f"{rule.resolved_by} on {marked}{note}, before 2026-12-07, when marking a rule "
            f"done stopped the duty: no occurrence {since} was planned. If the duty goes on, reopen it (the "
            "occurrences owed meanwhile are made, overdue, and the next planned from today); if it ended, "
            "waive it")


def flag_rule(rule: ObligationItem, contract: ContractItem) -> bool:
    """Flag the rule on its contract's Needs attention; False when it is not flagged (no longer done,
    not done by a person's hand, or its contract ended before today). The rule the scan read is read
    again (consistently) before the flag is written, and once more after: a person who reopened or
    waived it meanwhile (their action takes the flag off before this one lands) leaves no flag."""
    now = repo.get_obligation(contract.contract_id, rule.obligation_id)
    if now is None or not marked_done_by_hand(now, repo.audit_events(contract.contract_id)):
        drop_stale_flag(contract, now or rule, actor="upgrade")
        return False
    if (last_day := ended_before(contract, today_of(contract))) is not None:
        clear_flags_of_ended(contract, last_day, actor="upgrade")
        if not owed_to_the_end(contract, now, last_day):
            return False
    repo.set_rule_marked_done(contract.contract_id, now.obligation_id, flag_message(now, _last_occurrence(_occurrences(now)), contract.time_zone))
    after = repo.get_obligation(contract.contract_id, rule.obligation_id)
    if after is None or after.status != ObligationStatus.DONE:
        repo.set_rule_marked_done(contract.contract_id, rule.obligation_id, None)
        return False
    return True


def _drop_stale_flags() -> int:
    """Take off every flag whose rule is no longer done (a run that raced a person's reopen left it,
    say) and those of a contract that ended before today (flagged before it ended), audited. Returns
    how many contracts failed (logged: the next run reads them again)."""
    failed = 0
    for contract in repo.contracts_with_rules_marked_done():
        try:
            if (last_day := ended_before(contract, today_of(contract))) is not None:
                clear_flags_of_ended(contract, last_day, actor="upgrade")
                continue
            for rule_id in list((contract.rules_marked_done or {}) if isinstance(contract.rules_marked_done, dict)
                                else {}):
                rule = repo.get_obligation(contract.contract_id, rule_id)
                if rule is None:
                    take_flag_off(contract.contract_id, rule_id, why="the rule is gone", actor="upgrade")
                else:
                    drop_stale_flag(contract, rule, actor="upgrade")
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
