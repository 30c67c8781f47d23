"""What a person does to a contract (the API's actions; locally the CLI's). Each change lands in
the table, whose stream re-plans the reminders: the planner is the only writer of schedules.

Every action is idempotent (doing it again changes nothing and adds no audit line) and audited
with its ``actor``. ``team``, when given, is the caller's: another team's contract is not found,
exactly as one that does not exist.
"""

from __future__ import annotations

import functools
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from pynamodb.exceptions import PutError

from .. import clock, dates
from ..aws import s3
from ..config import Settings, evidence_prefixes
from ..plan import NOTICE_DEADLINE_ID, Deadline, overdue_occurrences
from ..schema import EXPIRATION_KIND, RESOLVED_OBLIGATION_STATUSES, ContractStatus, ObligationStatus, RenewalState
from ..store import money
from ..store import repository as repo
from ..store.models import ContractItem, ObligationItem
from . import record
from .calendar_changes import forget_settled_entries
from .rules_marked_done import (
    clear_flags_of_ended,
    drop_stale_flag,
    ended_before,
    ended_words,
    flag_on,
    is_flagged,
    last_reopen,
    not_yet_made,
    owed_meanwhile,
    today_of,
)

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """No such contract or obligation (for this team)."""


class Conflict(RuntimeError):
    """The action does not apply to the obligation as it now is (superseded, cancelled, closed)."""


class StatusConflict(Conflict):
    """The obligation is not in the status the action was asked to act on (the caller's
    ``expected_status``, or the status the action would overturn without being told to): nothing
    was written. ``obligation``: the obligation as it is now."""

    def __init__(self, message: str, obligation: ObligationItem) -> None:
        super().__init__(message)
        self.obligation = obligation


class InvalidInput(ValueError):
    """The request names something unusable (an evidence object that is not the contract's)."""


class ProofRequired(InvalidInput):
    """An obligation (a notice of non-renewal) completed without the proof it needs: the API says
    evidence_key; the CLI says its own option (`--evidence FILE`)."""


# obligations whose completion needs proof (the renewal workflow's "send the notice by")
PROOF_REQUIRED_PREFIXES = ("renewal-notice@",)

# an obligation in one of these no longer exists as a thing to do: nothing can be done to it
_GONE = (ObligationStatus.SUPERSEDED, ObligationStatus.CANCELLED)


def find_contract(contract_id: str, team: str | None = None) -> ContractItem:
    """The contract, if it exists (and is the team's)."""
    contract = repo.get_contract(contract_id)
    if contract is None or (team is not None and contract.team != team):
        raise NotFound(f"no contract {contract_id!r}")
    return contract


def find_trail(contract_id: str, team: str | None = None) -> None:
    """NotFound unless the contract's audit trail is the team's to read: while the contract exists,
    its team's; once deleted, the team its latest tombstone names (a contract deleted before
    tombstones were written has none: its trail is nobody's through the API)."""
    contract = repo.get_contract(contract_id)
    of_team = contract.team if contract is not None else repo.deleted_contract_team(contract_id)
    if of_team is None or (team is not None and of_team != team):
        raise NotFound(f"no contract {contract_id!r}")


def find_obligation(contract_id: str, obligation_id: str,
                    team: str | None = None) -> tuple[ContractItem, ObligationItem]:
    """The contract and its obligation, if both exist (and are the team's)."""
    contract = find_contract(contract_id, team)
    obligation = repo.get_obligation(contract_id, obligation_id)
    if obligation is None:
        raise NotFound(f"no obligation {obligation_id!r} on contract {contract_id!r}")
    return contract, obligation


def _actionable(contract_id: str, obligation_id: str, team: str | None,
                expected: ObligationStatus | None = None, *, to: ObligationStatus | None = None,
                actor: str | None = None) -> tuple[ContractItem, ObligationItem]:
    """The contract and its obligation, when the obligation can be acted on: it still exists as a
    thing to do and, when the caller says which status it expects, it is in that one, or in the
    one this action makes (``to``) by this caller: its own request sent again (its answer lost),
    answered as it is."""
    contract, obligation = find_obligation(contract_id, obligation_id, team)
    if expected is not None and obligation.status != expected and not _own_again(obligation, to, actor):
        raise StatusConflict(f"obligation {obligation_id!r} is {obligation.status}, not {expected} as expected: "
                             "nothing was changed; read it again before acting", obligation)
    if obligation.status in _GONE:
        raise StatusConflict(f"obligation {obligation_id!r} is {obligation.status}: its date moved or it no "
                             "longer exists; see the contract's current obligations", obligation)
    return contract, obligation


def _not_overturned(obligation: ObligationItem, to: ObligationStatus, expected: ObligationStatus | None) -> None:
    """A person's decision (done, waived) is not turned into the other one by an action that did
    not say it knew: waiving a done obligation or completing a waived one needs the request's
    ``expected_status`` to name the status it overturns (audited ``from``)."""
    if obligation.status in RESOLVED_OBLIGATION_STATUSES and obligation.status != to and expected is None:
        raise StatusConflict(
            f"obligation {obligation.obligation_id!r} is {obligation.status} ({obligation.resolved_by}, "
            f"{obligation.resolved_at}): to make it {to} instead, send the request again with "
            f'expected_status "{obligation.status}" (CLI: --expected-status {obligation.status})', obligation)


def is_rule(obligation: ObligationItem) -> bool:
    """A recurring duty's rule: its dated occurrences (``<rule>@<day>``) are what is done."""
    return bool(obligation.recurrence) and not obligation.due


def _not_a_rule(obligation: ObligationItem, made: str) -> None:
    """A recurring duty's rule is not done or acknowledged (it has no day: marked done, it stopped
    every later occurrence as if the duty had ended); its occurrences are. Waiving it ends the duty."""
    if is_rule(obligation):
        raise Conflict(f"{obligation.obligation_id!r} is a recurring duty's rule ({obligation.recurrence}), not "
                       f"a dated obligation: each occurrence ({obligation.obligation_id}@<day>) is {made} on its "
                       "own; to end the duty (no occurrence made after the ones already open), waive the rule "
                       "with the reason")


def _own_again(obligation: ObligationItem, to: ObligationStatus | None, actor: str | None) -> bool:
    """The obligation is already what this action makes it, by this caller (a retry)."""
    return to is not None and actor is not None and obligation.status == to and obligation.resolved_by == actor


def _raise_if_status_moved(refused: PutError, obligation: ObligationItem, read: ObligationStatus,
                           to: ObligationStatus | None = None, actor: str | None = None) -> ObligationItem | None:
    """A conditional write refused: StatusConflict (with the obligation as it is now) when another
    request changed its status meanwhile; the obligation as it is when that request was this
    caller's own making it ``to`` (a retry racing its original: answered as it is); otherwise None,
    and the caller raises the refusal again (the record changed in another way: the API's 409)."""
    if not repo.refused_by_another_write(refused):
        return None
    now = repo.get_obligation(obligation.contract_id, obligation.obligation_id)
    if now is not None and _own_again(now, to, actor):
        return now
    if now is not None and now.status != read:
        raise StatusConflict(f"obligation {obligation.obligation_id!r} became {now.status} while this request "
                             "ran: nothing was changed; read it again before acting", now) from refused
    return None


def _set_status(obligation: ObligationItem, to: ObligationStatus, *, team: str, actor: str,
                reason: str | None, evidence_key: str | None = None, done_on: str | None = None) -> ObligationItem:
    """The status write, conditioned on the status the action was decided on (one conditional
    write: another request that changed it meanwhile makes this one a 409 naming the status now)."""
    read = ObligationStatus(obligation.status)
    try:
        changed = repo.set_obligation_status(obligation.contract_id, obligation.obligation_id, to, team=team,
                                             actor=actor, reason=reason, evidence_key=evidence_key,
                                             done_on=done_on, expected=read)
    except PutError as refused:
        same = _raise_if_status_moved(refused, obligation, read, to, actor)
        if same is None:
            raise
        return same
    return _found(changed, obligation.obligation_id)


def _found(item: ObligationItem | None, obligation_id: str) -> ObligationItem:
    """The obligation an action changed (None only when it was deleted in between)."""
    if item is None:
        raise NotFound(f"no obligation {obligation_id!r}")
    return item


def complete_obligation(contract_id: str, obligation_id: str, *, actor: str, note: str | None = None,
                        evidence_key: str | None = None, team: str | None = None,
                        done_on: date | None = None, expected: ObligationStatus | None = None) -> ObligationItem:
    """Mark an obligation done (with a note, the key of an evidence object under the contract's
    folder or its evidence folder, and the day it was done when that was before today: a notice sent
    on its deadline and recorded the next morning was given in time); the planner then cancels its
    remaining reminders. A done obligation may be given its day afterwards. ``expected``: the status
    the caller acts on (StatusConflict when it is another); a waived one is completed only so."""
    contract, obligation = _actionable(contract_id, obligation_id, team, expected, to=ObligationStatus.DONE,
                                       actor=actor)
    _not_overturned(obligation, ObligationStatus.DONE, expected)
    _not_a_rule(obligation, "done")
    if done_on is not None:
        today = clock.now().astimezone(dates.zone(contract.time_zone)).date()
        if done_on > today:
            raise InvalidInput(f"done_on {done_on.isoformat()} is after today ({today.isoformat()} in "
                               f"{contract.time_zone}): say the day it was done")
        earliest, since = _earliest_done_on(contract, obligation)
        if done_on < earliest:
            raise InvalidInput(f"done_on {done_on.isoformat()} is before {since} ({earliest.isoformat()}): "
                               "say the day it was done")
    check_decision_not_waiting(contract, obligation_id)
    if obligation_id.startswith(PROOF_REQUIRED_PREFIXES) and not evidence_key:
        raise ProofRequired("this obligation is done only with the proof of sending: evidence_key, an object "
                           f"under {' or '.join(evidence_prefixes(contract.contract_id))}")
    if evidence_key:
        check_evidence(contract.contract_id, evidence_key)
    return _set_status(obligation, ObligationStatus.DONE, team=contract.team, actor=actor, reason=note,
                       evidence_key=evidence_key, done_on=done_on.isoformat() if done_on else None)


def check_completable(contract_id: str, obligation_id: str) -> None:
    """What ``complete_obligation`` refuses for what the obligation is (a recurring duty's rule, a
    notice deadline its waiting decision closes), asked before a caller keeps a proof file for it."""
    contract, obligation = find_obligation(contract_id, obligation_id, None)
    _not_a_rule(obligation, "done")
    check_decision_not_waiting(contract, obligation_id)


def check_decision_not_waiting(contract: ContractItem, obligation_id: str, made: str = "marked done") -> None:
    """The notice deadline is not closed by hand (done or waived) while its term's renewal decision
    waits for a person: the decision closes it (renew; or do not renew, and for a contract that
    renews by itself the notice of non-renewal is sent and its proof kept on
    ``renewal-notice@<term end>``); marked done by hand it read as notice given, with no proof,
    while the decision still waited. Only a waiting decision refuses (``decide`` takes it): one whose
    run ended otherwise, or never asked, leaves the deadline to a person."""
    from ..renewal import store as renewals

    term_end = contract.current_expiration
    if obligation_id != NOTICE_DEADLINE_ID or not term_end:
        return
    record = renewals.get(contract.contract_id, term_end)
    if record is None or record.state != RenewalState.WAITING:
        return
    raise Conflict(f"the renewal decision for the term ending {term_end} is waiting for the "
                   f"{record.waiting_round or 'owner'}: the notice deadline is closed by that decision, not "
                   f"{made} by hand. Decide it (CLI: `clausewatch renewal decide {contract.contract_id} --decision "
                   f"renew|terminate|renegotiate --reason ...`; API: POST /contracts/{contract.contract_id}/renewal-"
                   "decision; or its decision link): renew closes it; do not renew closes it too, and for a "
                   f"contract that renews by itself prepares the notice of non-renewal, recorded sent on "
                   f"renewal-notice@{term_end} with its proof")


def _earliest_done_on(contract: ContractItem, obligation: ObligationItem) -> tuple[date, str]:
    """The first day an obligation can have been done: a term end, its last day (a term ends on it,
    never before: an earlier day would list it ended days before it did); a notice of non-renewal,
    the day "do not renew" was decided (the obligation and its letter exist from then: a year typo
    would make a late notice one given in time); any other, the contract's effective date when known."""
    from ..renewal import store as renewals

    obligation_id = obligation.obligation_id
    last_day = dates.parse_day(obligation.due) if obligation.kind == EXPIRATION_KIND else None
    if isinstance(last_day, date):
        return last_day, "the term's last day"
    duty, _, term_end = obligation_id.partition("@")
    if obligation_id.startswith(PROOF_REQUIRED_PREFIXES) and term_end:
        record = renewals.get(contract.contract_id, term_end)
        decided = (record.decision or {}).get("at") if record is not None else None
        if decided:
            day = datetime.fromisoformat(decided).astimezone(dates.zone(contract.time_zone)).date()
            return day, "the day not to renew was decided"
    extracted = contract.extracted
    effective = dates.parse_day(extracted.value("effective_date")) if extracted is not None else None
    if isinstance(effective, date):
        return effective, "the contract's effective date"
    return date(1900, 1, 1), "1900"


def waive_obligation(contract_id: str, obligation_id: str, *, actor: str, reason: str,
                     team: str | None = None, expected: ObligationStatus | None = None) -> ObligationItem:
    """Decide an obligation will not be done (with the reason): no more reminders for its date.
    ``expected`` as for ``complete_obligation``; a done one is waived only so."""
    try:
        contract, obligation = _actionable(contract_id, obligation_id, team, expected, to=ObligationStatus.WAIVED,
                                           actor=actor)
    except StatusConflict as refused:  # a rule no longer done keeps no flag (a stale one heals)
        drop_stale_flag(find_contract(contract_id, team), refused.obligation, actor=actor)
        raise
    _not_overturned(obligation, ObligationStatus.WAIVED, expected)
    check_decision_not_waiting(contract, obligation_id, "waived")
    return _set_status(obligation, ObligationStatus.WAIVED, team=contract.team, actor=actor, reason=reason)


@dataclass(frozen=True)
class Reopened:
    """A rule reopened, and the ids of the occurrences owed while it was done that its reopen made
    (overdue: each to be marked done or waived); ``message``: what is not planned (a contract that
    ended: nothing after its last day)."""

    rule: ObligationItem
    occurrences_made: list[str]
    message: str | None = None


# more occurrences owed than a person settles one by one: the reopen is refused (waive the rule)
MAX_OWED = 100
_AFTER_THE_END = timedelta(days=120)  # as rules_marked_done counts a term's last periods


def reopen_rule(contract_id: str, obligation_id: str, *, actor: str, team: str | None = None,
                note: str | None = None) -> Reopened:
    """Open again a recurring duty's rule marked done (before 2026-12-07 marking a rule done stopped
    the duty): the duty goes on. The occurrences owed while it was done (after the last one planned,
    due before today: ``rules_marked_done.owed_meanwhile``; a contract that ended: those of periods
    within its term, and nothing is planned after its last day) are counted as the planner would
    have counted them; the rule is opened under the condition that it is still done (a waive or
    another's reopen meanwhile: 409, nothing made), audited ``obligation.open`` with who marked it
    done, when and their note (``marked_done``), the occurrences owed (``occurrences_made``) and the
    days they were counted between; then they are made, overdue, and its later occurrences planned
    from today (those done stay done); its Needs-attention flag goes once all of them are made. The
    same person's reopen sent again (its answer lost, or a try that failed half-way), or anyone's
    reopen of one that failed part-way (open, its flag still on, some listed not made), makes what
    its line lists and is missing and answers the same. Only a flagged rule whose status is done (StatusConflict otherwise: an open
    rule, a waived one), never a dated obligation (Conflict); one of a contract that ended with
    nothing owed within its term (Conflict: its flag goes), or with more than ``MAX_OWED``
    occurrences owed (Conflict: the flag stays; waive the rule or settle them by hand)."""
    contract, rule = _actionable(contract_id, obligation_id, team, to=ObligationStatus.OPEN, actor=actor)
    if not is_rule(rule):
        raise Conflict(f"{obligation_id!r} is not a recurring duty's rule: only a rule marked done is reopened")
    if rule.status != ObligationStatus.DONE:
        if rule.status == ObligationStatus.OPEN and (reopen := last_reopen(contract.contract_id, obligation_id)) \
                and (reopen.actor == actor or (flag_on(contract, rule) and not_yet_made(contract.contract_id, reopen))):
            # this caller's reopen sent again (its answer lost, or it failed half-way), or anyone's reopen
            # of one that failed part-way (its flag still on): what its line lists made
            return _finish_reopen(contract, rule, dict(reopen.detail or {}), actor=actor)
        drop_stale_flag(contract, rule, actor=actor)
        raise StatusConflict(f"rule {obligation_id!r} is {rule.status}, not done: nothing to reopen", rule)
    today = today_of(contract)
    last_day = ended_before(contract, today)  # flagged or not (a flag heals)
    owed = owed_meanwhile(contract, rule, today, last_day)
    if last_day is not None and not owed:
        clear_flags_of_ended(contract, last_day, actor=actor)
        raise Conflict(f"rule {obligation_id!r} is not reopened: {ended_words(last_day)} (nothing is owed after "
                       "its end)")
    if not is_flagged(contract, rule):
        raise Conflict(f"rule {obligation_id!r} is done but not flagged on its contract's Needs attention: only a "
                       "rule a person marked done before 2026-12-07, flagged by the upgrade, is reopened")
    if len(owed) > MAX_OWED:
        raise Conflict(f"rule {obligation_id!r} is not reopened: {len(owed)} occurrences are owed while it was done "
                       f"(due {owed[0].due.isoformat()} to {owed[-1].due.isoformat()}), more than {MAX_OWED}: "
                       "waive the rule if the duty ended, or handle them by hand")
    was = {"resolved_by": rule.resolved_by, "resolved_at": rule.resolved_at, "note": rule.resolution_note,
           "evidence_key": rule.evidence_key, "done_on": rule.done_on}
    line = {"occurrences_made": [d.obligation_id for d in owed],
            "counted": {"after": (owed[0].due - timedelta(days=1)).isoformat(), "before": today.isoformat(),
                        **({"ended": last_day} if last_day else {})} if owed else {}}
    read = ObligationStatus(rule.status)
    try:  # opened first, under its condition: a waive meanwhile leaves nothing made
        opened = repo.set_obligation_status(contract.contract_id, obligation_id, ObligationStatus.OPEN,
                                            team=contract.team, actor=actor, reason=note, expected=read,
                                            detail={"marked_done": {k: v for k, v in was.items() if v}, **line},
                                            keep_flag=True)  # off once what the line lists is made
    except PutError as refused:
        _raise_if_status_moved(refused, rule, read)
        raise
    return _finish_reopen(contract, _found(opened, obligation_id), line, actor=actor, owed=owed)


def _finish_reopen(contract: ContractItem, rule: ObligationItem, line: dict, *, actor: str,
                   owed: list[Deadline] | None = None) -> Reopened:
    """Make the occurrences the reopen's line lists (``occurrences_made``) that are not stored (counted
    again between the line's days when ``owed`` is not given: a retry), plan the rule from today, and
    answer those of them stored."""
    listed = list(line.get("occurrences_made") or [])
    counted = dict(line.get("counted") or {})
    existing = {o.obligation_id: o for o in repo.obligations(contract.contract_id, consistent=True)}
    missing = [i for i in listed if i not in existing]
    if missing and owed is None and counted and contract.extracted is not None:
        before = date.fromisoformat(counted["before"])
        if counted.get("ended"):
            before = max(before, date.fromisoformat(counted["ended"]) + _AFTER_THE_END)
        owed = overdue_occurrences(record.contract_info(contract), contract.extracted, rule.obligation_id,
                                   date.fromisoformat(counted["after"]), before)
    for deadline in owed or []:
        if deadline.obligation_id in missing:
            record.record_deadline(contract, deadline, existing, actor=actor)
    if contract.status == ContractStatus.EXTRACTED and (owed is not None or missing):
        record.refresh_deadlines(contract, today=today_of(contract), actor=actor)
    stored = {o.obligation_id for o in repo.obligations(contract.contract_id, consistent=True)}
    if all(i in stored for i in listed):  # settled: until then any reopen finishes it (flag on)
        repo.set_rule_marked_done(contract.contract_id, rule.obligation_id, None)
    message = f"nothing is planned after {counted['ended']}, the contract's last day" if counted.get("ended") else None
    return Reopened(rule, [i for i in listed if i in stored], message)


def acknowledge_obligation(contract_id: str, obligation_id: str, *, actor: str, team: str | None = None,
                           expected: ObligationStatus | None = None) -> ObligationItem:
    """The owner has seen it: escalation stops for its current due date; reminders continue. Only
    an open obligation is acknowledged (the write is conditioned on it still being open)."""
    _, obligation = _actionable(contract_id, obligation_id, team, expected)
    if obligation.status != ObligationStatus.OPEN:
        raise StatusConflict(f"obligation {obligation_id!r} is {obligation.status}: nothing to acknowledge",
                             obligation)
    _not_a_rule(obligation, "acknowledged")
    try:
        repo.acknowledge_obligation(obligation, actor=actor)
    except PutError as refused:
        _raise_if_status_moved(refused, obligation, ObligationStatus.OPEN)
        raise
    return obligation


def owner_address(raw: str) -> str:
    """The address a person gives as an owner, checked as an upload's ``owner`` is
    (``addresses.parse_one_address``: one address, and, when the deployment names them, in the
    allowed recipient domains: reminders and renewal decision links are mailed to it)."""
    from ..addresses import InvalidAddress, allowed_domains_from_env, parse_one_address

    try:
        return parse_one_address(raw, allowed_domains_from_env())
    except InvalidAddress as exc:
        raise InvalidInput(f"owner refused: {exc}") from None


def set_obligation_owner(contract_id: str, obligation_id: str, owner: str, *, actor: str,
                         team: str | None = None) -> ObligationItem:
    """Give one obligation its own owner (reminders go to them from the next one on). A recurring
    duty handed on (the duty, or one of its occurrences) goes with its later open occurrences that
    no person gave an owner; occurrences made later take it too (`record.handed_to`). The address a
    person gave it already, written otherwise (other capitals), is no hand-off: nothing is written,
    as for the contract's owner."""
    contract, obligation = _actionable(contract_id, obligation_id, team)
    owner = owner_address(owner)
    if obligation.owner_assigned_by and (obligation.owner or "").lower() == owner.lower():
        owner = obligation.owner or owner  # the same person: not handed it again, the first spelling stays
    else:
        repo.set_obligation_owner(obligation, owner, team=contract.team, actor=actor)
    duty, _, due = obligation_id.partition("@")
    # the later occurrences follow, also when the same request comes again (one of them failed before)
    for later in repo.obligations(contract_id, consistent=True):
        # the duty handed on: all its open occurrences; one occurrence: the later ones no person handed on
        if later.obligation_id.startswith(f"{duty}@") and later.kind == "recurring" \
                and later.status == ObligationStatus.OPEN and (later.due or "") > due \
                and (not due or not later.owner_assigned_by) \
                and not (later.owner_assigned_by and (later.owner or "").lower() == owner.lower()):
            repo.set_obligation_owner(later, owner, team=contract.team, actor=actor)
    return obligation


def set_contract_owner(contract_id: str, owner: str, *, actor: str, team: str | None = None,
                       note: str | None = None) -> ContractItem:
    """Give the contract a new owner; its open obligations that had the old one follow, and a
    renewal decision waiting for a person is asked again of the new owner (a new link)."""
    contract = find_contract(contract_id, team)
    owner = owner_address(owner)
    before = contract.owner
    if before and before.lower() == owner.lower():
        return contract  # the same address, written otherwise: nobody is asked again
    repo.set_contract_owner(contract, owner, actor=actor, note=note)
    if contract.owner != before:
        _ask_waiting_decisions_again(contract, because=f"the contract's owner changed from {before or 'nobody'} "
                                                       f"to {contract.owner} ({actor})")
    return contract


def dismiss_not_a_contract(contract_id: str, *, actor: str, team: str | None = None,
                           note: str | None = None) -> ContractItem:
    """A person says a document flagged as not reading as a contract (``extract/contract_language``)
    is one: the flag goes, the document and whatever was read of it stay, nothing is entered; it
    stays gone when the document is extracted again (``confirmed_contract``). Audited
    ``contract.confirmed`` with the flag's message. Again: no change; a contract never flagged is a
    Conflict (nothing to dismiss)."""
    from ..extract.contract_language import NOT_A_CONTRACT

    contract = find_contract(contract_id, team)
    confirmed = {"by": actor, "at": clock.iso(), "note": note}
    flags = _drop_flags(contract, lambda f: f.get("kind") == NOT_A_CONTRACT, actor=actor,
                        confirmed_contract=confirmed)
    if not flags:
        if contract.confirmed_contract:
            return contract  # dismissed already
        raise Conflict(f"contract {contract_id!r} is not flagged as not reading as a contract: nothing to dismiss")
    repo.record_audit(contract_id, actor, "contract.confirmed",
                      {"dismissed": NOT_A_CONTRACT, "flag": str(flags[0].get("message") or ""), "note": note})
    return contract


def check_amendment(contract_id: str, *, actor: str, team: str | None = None, note: str | None = None,
                    made_on: date | None = None, order: bool = False) -> ContractItem:
    """A person checked an amendment read as changing no term (``record.NO_CHANGE_READ``) and found
    nothing clausewatch tracks to enter (it adds a reporting module, corrects an address): its flag
    goes, on the amendment and on the contract it amends, and stays gone when the contract's
    amendments are applied again (``amendment_checked``). A term it does change is entered on the
    contract as any other (``PUT /contracts/{id}/terms/{name}``). Audited ``amendment.checked`` on
    both trails. Again: no change, but a flag left on the contract (a try that failed between the
    two writes) goes then, with the audit lines; checked again with another note, the newest check
    (person, time, note) is kept and audited (``before``: the check it replaces; the first line stays);
    an amendment not so flagged is a Conflict. One stating no number and no day signed whose order
    is not known (``record.ORDER_UNKNOWN``): asked only so (``order``: the order filed is right, or
    ``made_on``: the day it was signed), ``confirm_order`` answers that alone, never the no-change check."""
    amendment = find_contract(contract_id, team)
    if (amendment.extraction or {}).get("document_type") != "amendment":  # the contract it amends carries
        # the flag too, one per amendment: each is checked on the amendment
        raise Conflict(f"contract {contract_id!r} is not an amendment read as changing no term: nothing to check"
                       f" (a contract's flag goes when the amendment it names is marked checked)")
    if order or made_on is not None:  # its order is the question, not its changes
        return confirm_order(amendment, actor=actor, note=note, made_on=made_on)
    checked = {"by": actor, "at": clock.iso(), "note": note}
    previous = dict(amendment.amendment_checked or {})  # as stored before this check
    flags = _drop_flags(amendment, lambda f: f.get("kind") == record.NO_CHANGE_READ, actor=actor,
                        amendment_checked=checked)
    if not flags and not previous:
        if settled := _settled_by_entry(amendment):
            raise Conflict(f"contract {contract_id!r} needs no check: its flag was settled by an entry of "
                           f"what it changes ({settled}) on the contract it amends")
        raise Conflict(f"contract {contract_id!r} is not an amendment read as changing no term: nothing to check")
    original = repo.get_contract(amendment.amends_contract_id) if amendment.amends_contract_id else None
    on_original = _drop_flags(original, lambda f: names_amendment(f, amendment, _attention(original)),
                                actor=actor) \
        if original is not None else []
    # checked again with another note: the newest check (its person, day and note) is kept
    newer = not flags and note is not None and note != previous.get("note")
    if not flags and not on_original and not newer:
        return amendment  # checked already
    if newer:
        repo.update_contract(amendment, actor=actor, amendment_checked=checked)
    note = note if note is not None else previous.get("note")
    detail: dict[str, Any] = {"amendment_id": contract_id, "file_name": amendment.file_name, "note": note}
    if flags or on_original:
        detail["flag"] = str((flags or on_original)[0].get("message") or "")
    if newer:
        detail["before"] = {key: previous.get(key) for key in ("by", "at", "note")}
    if original is not None:
        repo.record_audit(original.contract_id, actor, "amendment.checked", detail)
    repo.record_audit(contract_id, actor, "amendment.checked",
                      {**detail, "contract_id": original.contract_id if original else None})
    return amendment


def settle_by_entry(contract: ContractItem, name: str, *, actor: str) -> list[str]:
    """A person entered term ``name`` on the contract: an amendment of it read as changing no term
    (``record.NO_CHANGE_READ``) that names this term as one it changes, each term it names entered by
    a person when or after it was filed (``record.entry_settling``: its headings or sections' names;
    not an expiration an event's date gave) asks no more: its flag goes
    on the contract and on the amendment, audited ``amendment.settled_by_entry`` on both trails with
    the entry named. One whose term is not known, or naming one no person enters (the fees), stays
    flagged until marked checked (``check_amendment``). Returns the ids of the amendments settled."""
    settled = []
    for amendment_id in contract.amended_by or []:
        amendment = repo.get_contract(amendment_id)
        extraction = amendment.extracted if amendment is not None else None
        if amendment is None or extraction is None or record.stated_changes(extraction):
            continue
        entry = record.entry_settling(amendment, extraction, contract.contract_id, name)
        if entry is None:
            continue
        fresh = repo.get_contract(contract.contract_id) or contract
        on_contract = _drop_flags(fresh, functools.partial(names_amendment, amendment=amendment,
                                                                  among=_attention(fresh)), actor=actor)
        on_amendment = _drop_flags(amendment, lambda f: f.get("kind") == record.NO_CHANGE_READ, actor=actor)
        if not on_contract and not on_amendment:
            continue  # never flagged, or settled already
        record.audit_settled_by_entry(contract.contract_id, amendment, entry,
                                      str((on_contract or on_amendment)[0].get("message") or ""), actor=actor)
        settled.append(amendment_id)
    return settled


def confirm_order(amendment: ContractItem, *, actor: str, note: str | None,
                  made_on: date | None) -> ContractItem:
    """A person says the day an amendment whose order is not known (``record.ORDER_UNKNOWN``) was signed
    (``made_on``), or (None) that the order it was filed in is the order it was made in: kept on it
    (``order_confirmed``), its ``amendment_order_unknown`` flag goes and the contract's amendments are
    applied again, a day said placing it in the order made (``record.as_made``); so in every replay.
    Audited ``amendment.order_confirmed`` on both trails (``before``: a confirmation it replaces).
    The same again: no change; a day said is kept when confirmed again without one. An amendment
    filed later that neither places asks again (``record.ask_order_again``). Conflict: it states
    its day signed (or was never asked: its number places it), is applied to no contract, or was never flagged (the contract's
    only amendment: nothing to order). InvalidInput: a day after today (in the contract's time zone)
    or before the day of the agreement it amends."""
    original = repo.get_contract(amendment.amends_contract_id) if amendment.amends_contract_id else None
    flags = [f for f in _attention(original) if f.get("kind") == record.ORDER_UNKNOWN
             and f.get("amendment_id") == amendment.contract_id] if original is not None else []
    previous = dict(amendment.order_confirmed or {})
    extraction = amendment.extracted
    # one stating a number and no day signed is asked too when beside one stating a day and no number
    if original is None or extraction is None or extraction.value("agreement_date") or not (flags or previous):
        raise Conflict(f"contract {amendment.contract_id!r} is not an applied amendment whose order is unknown "
                       f"(it states the day it was signed, its number places it, it amends no contract, or is "
                       f"its only amendment): nothing to confirm")
    if made_on is not None:
        _check_made_on(made_on, original)
    elif previous.get("made_on"):
        made_on = date.fromisoformat(previous["made_on"])  # a day said stands: never overwritten by none
    day = made_on.isoformat() if made_on is not None else None
    if previous and (previous.get("made_on"), previous.get("note")) == (day, note if note is not None else
                                                                       previous.get("note")) and not flags:
        return amendment  # said already
    confirmed = {"by": actor, "at": clock.iso(), "note": note, "made_on": day}
    updated = repo.update_contract(amendment, actor=actor, order_confirmed=confirmed)
    said = f"was signed on {day}" if day else "was made in the order filed"
    record.apply_amendments_again(original, actor=actor, why=f"{actor} said {amendment.file_name} {said}")
    detail: dict[str, Any] = {"amendment_id": amendment.contract_id, "file_name": amendment.file_name,
                              "made_on": day, "note": note, "flag": str(flags[0].get("message") or "") if flags else None}
    if previous:
        detail["before"] = {key: previous.get(key) for key in ("by", "at", "note", "made_on")}
    repo.record_audit(original.contract_id, actor, "amendment.order_confirmed", detail)
    repo.record_audit(amendment.contract_id, actor, "amendment.order_confirmed",
                      {**detail, "contract_id": original.contract_id})
    return repo.get_contract(amendment.contract_id) or updated


def _check_made_on(made_on: date, original: ContractItem) -> None:
    """The day an amendment was signed, as a person says: not after today (in the contract's time
    zone), not before the agreement it amends was made (its agreement date, else effective date)."""
    today = record.local_today(original)
    if made_on > today:
        raise InvalidInput(f"made_on {made_on.isoformat()} is after today ({today.isoformat()} in "
                           f"{original.time_zone})")
    read = original.extracted
    agreed = (read.value("agreement_date") or read.value("effective_date")) if read is not None else None
    earliest = dates.parse_day(agreed)
    if earliest is not None and made_on < earliest:
        raise InvalidInput(f"made_on {made_on.isoformat()} is before the agreement it amends "
                           f"({original.file_name}, {earliest.isoformat()})")


def _attention(contract: ContractItem) -> list[dict[str, Any]]:
    return [f for f in (contract.extraction or {}).get("attention") or [] if isinstance(f, dict)]


def _settled_by_entry(amendment: ContractItem) -> str:
    """The terms whose entry on the contract it amends settled an amendment read as changing no term
    (``record.entry_settling``), in words; "" when no entry did."""
    extraction = amendment.extracted
    if amendment.amends_contract_id is None or extraction is None or record.stated_changes(extraction):
        return ""
    if extraction.amendment is None or record.entry_settling(amendment, extraction, amendment.amends_contract_id) is None:
        return ""
    return ", ".join(name.replace("_", " ") for name in extraction.amendment.names_terms)


def names_amendment(flag: dict[str, Any], amendment: ContractItem, among: list[dict[str, Any]]) -> bool:
    """Whether a contract's ``amendment_no_change_read`` flag is ``amendment``'s: by its id (flags
    written before 2026-12-07 have none: by the name their message begins with, its number and file
    name, "Amendment No. 2 (amend.pdf) was applied", and only when no other flag of ``among``, the
    contract's, begins so: two amendments of one name and number are told by neither, left as they are)."""
    if flag.get("kind") != record.NO_CHANGE_READ:
        return False
    if flag.get("amendment_id"):
        return flag["amendment_id"] == amendment.contract_id
    said = f"Amendment {record.amendment_name(amendment, amendment.extracted)} was applied"
    alike = [f for f in among if isinstance(f, dict) and f.get("kind") == record.NO_CHANGE_READ
             and not f.get("amendment_id") and str(f.get("message")).startswith(said)]
    return str(flag.get("message")).startswith(said) and len(alike) <= 1


def _drop_flags(contract: ContractItem, match: Callable[[dict[str, Any]], bool], *, actor: str,
                **fields: Any) -> list[dict[str, Any]]:
    """Take the Needs-attention flags ``match`` picks off the contract's stored extraction and write
    ``fields`` with it; the flags taken (none: nothing is written)."""
    taken: list[dict[str, Any]] = []

    def drop(extraction: dict[str, Any]) -> dict[str, Any] | None:
        taken[:] = [f for f in extraction.get("attention") or [] if isinstance(f, dict) and match(f)]
        if not taken:
            return None
        return {**extraction, "attention": [f for f in extraction.get("attention") or []
                                            if not (isinstance(f, dict) and match(f))]}

    edit_extraction(contract, drop, actor=actor, **fields)
    return taken


def edit_extraction(contract: ContractItem, edit: Callable[[dict[str, Any]], dict[str, Any] | None], *,
                    actor: str, **fields: Any) -> bool:
    """Write the contract's stored extraction as ``edit`` makes it of the one stored (None: nothing to
    write), with ``fields``; whether it was written. A write refused because the record changed
    meanwhile is made again on the record as it now is (up to ``repo.CONTRACT_WRITE_ATTEMPTS`` times)."""
    for attempt in itertools.count(1):
        edited = edit(dict(contract.extraction or {}))
        if edited is None:
            return False
        try:
            repo.update_contract(contract, actor=actor, extraction=edited, **fields)
            return True
        except Exception as exc:
            if not repo.refused_by_another_write(exc) or attempt >= repo.CONTRACT_WRITE_ATTEMPTS \
                    or not repo.reread_contract(contract):
                raise
    raise AssertionError("unreachable")


def _ask_waiting_decisions_again(contract: ContractItem, *, because: str) -> None:
    """The owner changed: each decision waiting for a person goes to the new one (the old link
    stops working). The owner change stands when the mail cannot be sent: logged and audited, the
    decision can still be made on the renewal page."""
    from botocore.exceptions import BotoCoreError, ClientError

    from ..renewal import steps
    from ..renewal import store as renewals

    for item in renewals.of_contract(contract.contract_id):
        if item.state != RenewalState.WAITING:
            continue
        try:
            steps.ask_again(contract, item, Settings.from_env(), because=because)
        except (ClientError, BotoCoreError) as exc:
            log.exception("could not ask the new owner", extra={"contract_id": contract.contract_id})
            repo.record_audit(contract.contract_id, steps.ACTOR, "renewal.mail.failed",
                              {"term_end": item.term_end, "error": str(exc)[:300]})


def check_evidence(contract_id: str, key: str) -> None:
    """Evidence must be an object that exists under the contract's folder or its evidence folder."""
    if ".." in key.split("/") or not key.startswith(evidence_prefixes(contract_id)):
        raise InvalidInput(f"evidence must be an object under {' or '.join(evidence_prefixes(contract_id))}")
    if s3.head_object(Settings.from_env().bucket, key) is None:
        raise InvalidInput(f"no evidence object {key!r} in the bucket")


def delete_contract(contract_id: str, *, actor: str, team: str | None = None) -> int:
    """Remove a contract's record, terms and obligations (the audit trail stays; its money findings
    stay too, marked as the deleted contract's: at stake no longer); the planner then deletes all
    its schedules. Returns the number of items removed. The amendments applied
    to it are released first: they wait for their contract again (listed on Needs attention, applied
    when it is uploaded again, or to the contract a person links them to), never left naming a
    contract that is gone. A deleted amendment is taken out of the contract it amended first: that
    contract's terms and deadlines go back to its own document and the amendments that remain
    (``record.remove_amendment``)."""
    contract = find_contract(contract_id, team)
    released = []
    for amendment_id in contract.amended_by or []:  # first: a refusal here leaves no "deleted" line
        amendment = repo.get_contract(amendment_id)
        if amendment is not None and amendment.amends_contract_id == contract_id:
            reason = (f"the contract it amended ({contract.file_name}, {contract_id}) was deleted"
                      f" {clock.now().date().isoformat()}: waiting for its contract again")
            repo.update_contract(amendment, actor=actor, status=amendment.status, reason=reason,
                                 amends_contract_id=None, amending_contract_id=None,
                                 amendment_candidates=record.candidates_without(amendment, contract_id))
            repo.record_audit(amendment_id, actor, "amendment.released",
                              {"contract_id": contract_id, "file_name": contract.file_name})
            released.append(amendment)
    amended = repo.get_contract(contract.amends_contract_id) if contract.amends_contract_id else None
    why = f"{contract.file_name} was deleted {clock.now().date().isoformat()}"
    if amended is not None and contract_id in (amended.amended_by or []):
        # an amendment deleted: the contract it amended follows the documents left on file
        record.remove_amendment(amended, contract_id, actor=actor, why=why)
    elif amended is not None:  # a retry: the removal failed after the contract stopped listing it
        record.finish_removal(amended, actor=actor, why=why)
    # the amendments waiting that were offered it (an agreement of their day), or an agreement
    # through it or through an amendment it released (an amendment of an amendment), offer it no
    # longer (it is excluded: still on record until its items go below)
    record.look_again_at_amendments_of(contract, actor=actor, released=tuple(released))
    _end_waiting_decisions(contract_id, actor=actor)
    repo.record_deletion(contract_id, contract.team, actor, {"file_name": contract.file_name},
                         received_at=contract.received_at)
    # its findings stay, at stake no longer (their claim obligations go with it)
    money.mark_contract_deleted(contract_id, contract.team, at=clock.iso(), by=actor)
    return forget_settled_entries(contract_id) + repo.delete_contract_items(contract_id)


def _end_waiting_decisions(contract_id: str, *, actor: str) -> None:
    """A renewal decision waiting for a person on a contract being deleted ends: its workflow's
    wait fails with ContractDeleted, which the definition sends to its ContractDeleted end (asks no
    one again, writes nothing), and its record goes with the contract's other items."""
    from ..aws import stepfunctions as sfn
    from ..renewal import store as renewals

    for item in renewals.of_contract(contract_id):
        if item.state == RenewalState.WAITING and item.task_token:
            try:
                sfn.send_task_failure(item.task_token, "ContractDeleted",
                                      f"contract {contract_id} was deleted by {actor}")
            except sfn.TaskGone:
                pass  # the execution had ended already
            repo.record_audit(contract_id, actor, "renewal.cancelled",
                              {"term_end": item.term_end, "reason": "the contract was deleted"})
