"""The planner's side of renewal decisions: keep one start schedule per current term (created,
moved when an amendment moves the date, removed once the term's workflow started or the contract
is gone), and heartbeat the decisions that wait for a person (the daily sweep)."""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import clock, config, dates
from ..aws import scheduler
from ..aws import stepfunctions as sfn
from ..config import Settings
from ..horizon import horizon_end
from ..pipeline.record import contract_info
from ..plan import EXPIRATION_ID, NOTICE_DEADLINE_ID, _safe_contract_id, deadlines_for_contract
from ..schema import ContractStatus, ObligationStatus, RenewalState
from ..store import repository as repo
from ..store.models import ContractItem
from . import store
from .ended import contract_ended, given_day, notice_outcome, with_term_moved
from .schedule import START_TARGET_ARN, RenewalStart, diff_starts, plan_start, schedule_prefix

log = logging.getLogger(__name__)

def state_machine_arn() -> str:
    return os.environ.get(config.ENV_RENEWAL_STATE_MACHINE_ARN, "")


def wanted_start(contract_id: str, now: datetime) -> RenewalStart | None:
    contract = repo.get_contract(contract_id)
    if contract is None or contract.status != ContractStatus.EXTRACTED or contract.is_amendment:
        return None
    term_end = date.fromisoformat(contract.current_expiration) if contract.current_expiration else None
    notice = date.fromisoformat(contract.current_notice_deadline) if contract.current_notice_deadline else None
    if term_end is None:
        return None  # no term end to decide on
    if notice is not None and notice > term_end:
        # the planner's deadline is the next term's: this term's passed before its decision started
        # (uploaded late, a longer notice period entered). Notice can no longer be given, so there is
        # nothing to decide: the missed deadline is an open obligation of its own, and the next term's
        # decision is planned once the term rolls over (was: a start timed from the next term's
        # deadline, whose gather then lapsed this term's decision)
        return None
    existing = store.get(contract_id, term_end.isoformat())
    if existing is not None and existing.state not in store.RESTARTABLE:
        return None  # this term's workflow already started
    # a decision cancelled or superseded when the term's end moved away, which came back: begun again
    restart = int(existing.restarts or 0) + 1 if existing is not None else 0
    ended = contract_ended(contract_id, contract.time_zone)
    if ended is not None and ended.last_day < term_end.isoformat():
        return None  # an earlier term's decision ended the contract (notice given, or expired): nothing to decide
    return plan_start(contract_info(contract), notice_deadline=notice, term_end=term_end, now=now, restart=restart)


def sync_start(settings: Settings, contract_id: str, now: datetime | None = None, actor: str = "planner"
               ) -> RenewalStart | None:
    """Make the contract's start schedules equal to the one its current term needs within the
    rolling horizon (``config.reminder_horizon_days``, as for reminders): a start firing later is
    planned but not scheduled, and returned, so that the contract's next planning day brings it in
    (``horizon.with_later_start``). Does nothing where no renewal state machine is configured."""
    machine = state_machine_arn()
    if not machine:
        return None
    now = now or clock.now()
    existing = scheduler.schedule_names(settings, schedule_prefix(contract_id))
    wanted = wanted_start(contract_id, now)
    later = None
    if wanted is not None and wanted.fire_at >= horizon_end(now, config.reminder_horizon_days()):
        later, wanted = wanted, None
    to_create, to_delete = diff_starts(wanted, existing, contract_id)
    if to_create is not None:
        scheduler.create_target_schedule(
            settings, name=to_create.name, expression=to_create.schedule_expression,
            time_zone=to_create.time_zone, target_arn=START_TARGET_ARN,
            role_arn=os.environ.get(config.ENV_RENEWAL_START_ROLE_ARN, settings.scheduler_role_arn),
            payload=to_create.start_request(machine),
            description=f"renewal decision for the term ending {to_create.term_end}")
    scheduler.delete_schedules(settings, to_delete)
    # a deleted contract's trail ends with its deletion (as its reminders' removal, unaudited)
    if to_create is not None or (to_delete and repo.get_contract(contract_id) is not None):
        repo.record_audit(contract_id, actor, "renewal.start.planned", {
            "created": to_create.name if to_create else None, "deleted": sorted(to_delete),
            "fire_at": to_create.fire_at.isoformat() if to_create else None,
            "derivation": to_create.derivation if to_create else None,
            "execution_name": to_create.execution_name if to_create else None})
    return later


def follow_notice_deadline(settings: Settings, contract: ContractItem, actor: str = "planner") -> list[str]:
    """The planner refreshed the contract's deadlines: a renewal decision on its current term that
    still waits (or whose branch obligation is still open) follows a notice deadline that moved
    (``steps.follow_notice_deadline``): the record's deadline and cut-offs, the wait's end, earlier or
    later (deployed, a one-time schedule times it out then: ``sync_wait_timeout``, and a round whose
    own timer runs out first waits again: ``steps.timed_out``; locally tick does, from the table), the open send-notice or agree-terms obligation and the letter. The person asked
    gets a new request with the new day and a new link, once per move (``steps.tell_moved_deadline``).
    A deadline moved into the past ends the wait: nobody can decide in time (``end_wait_notice_passed``).
    Returns the obligations moved."""
    from . import steps

    if not contract.current_expiration:
        return []
    item = store.get(contract.contract_id, contract.current_expiration)
    if item is None:
        return []
    item = end_wait_notice_passed(contract, item, actor=actor)
    item = decided_notice_passed(contract, item, actor=actor)
    item, _ = steps.follow_notice_deadline(contract, item, actor=actor)
    steps.tell_moved_deadline(contract, item, settings, actor=actor)
    item = store.get(contract.contract_id, item.term_end) or item
    sync_wait_timeout(settings, contract, item)
    return steps.reissue_branch_obligations(contract, item, settings)


def end_wait_notice_passed(contract: ContractItem, item: store.RenewalItem, *, actor: str) -> store.RenewalItem:
    """A notice deadline moved into the past while a person is asked (a longer notice period
    entered: the deadline is yesterday): notice can no longer be given, so nobody is asked any
    longer. The record says why with the arithmetic (``steps.record_notice_passed``) and the wait
    fails with ``NoticeDeadlinePassed``, which the definition sends to the lapse as a timed-out wait
    ends ("lapsed: auto-renewed by default", or expired): the owner and the escalation contact are
    mailed the reason. A retry fails the task again until the lapse took it (then it is gone)."""
    from . import steps

    if item.state != RenewalState.WAITING:
        return item
    passed = steps.passed_notice_deadline_of(contract, item)
    if passed is not None:
        item = steps.record_notice_passed(contract, item, *passed, actor=actor)
    line = steps.notice_passed_line(item)
    if line is None or not item.task_token:
        return item
    local = os.environ.get(config.ENV_RENEWAL_TIMEOUTS) == "table" and item.execution_arn
    if local:
        from .local import history_length

        seen = history_length(item.execution_arn)
    try:
        sfn.send_task_failure(item.task_token, steps.NOTICE_PASSED_ERROR, str(line["reason"]))
    except sfn.TaskGone:
        return item
    if local:
        from .local import settle  # the embedded default: the lapse runs in moto's thread; finish it here

        settle(item.execution_arn, beyond=seen)
    return store.get(item.contract_id, item.term_end) or item


def decided_notice_passed(contract: ContractItem, item: store.RenewalItem, *, actor: str) -> store.RenewalItem:
    """A notice deadline moved into the past after "do not renew" (or "renegotiate") was decided,
    its notice not given yet: the record takes the passed day with why (``steps.record_notice_passed``),
    and ``reissue_branch_obligations`` then moves the open send-notice (agree-terms) obligation to it
    and writes the letter again: overdue, reminded as overdue, and a notice given after it is late
    (``ended.contract_ended`` compares with its day: the contract renews by its terms). Before, the
    obligation and the letter kept the later day, and a notice given by it ended the contract."""
    from . import steps

    if item.state not in (RenewalState.TERMINATED, RenewalState.RENEGOTIATING):
        return item
    kind = steps.SEND_NOTICE if item.state == RenewalState.TERMINATED else steps.AGREE_TERMS
    branch = repo.get_obligation(contract.contract_id, steps.obligation_id(kind, item.term_end))
    if branch is None or branch.status != ObligationStatus.OPEN:
        return item  # given (a notice given is given) or closed: nothing to move
    passed = steps.passed_notice_deadline_of(contract, item)
    return steps.record_notice_passed(contract, item, *passed, actor=actor) if passed is not None else item


# --- the timeout of a wait whose deadline moved (deployed) -----------------------------------------

TIMEOUT_EVENT = "renewal_timeout"  # the planner's event from a wait's timeout schedule
_TIMEOUT_PREFIX = "cwt-"
_ROUNDS_ASKED = tuple(f"asked.{round_}" for round_ in ("owner", "final", "escalated"))


def timeout_schedule_prefix(contract_id: str) -> str:
    return f"{_TIMEOUT_PREFIX}{_safe_contract_id(contract_id)}-"


def timeout_schedule_name(item: store.RenewalItem) -> str:
    """``cwt-<contract>-<16 hex of (term end, wait deadline)>``: a deadline moved again is a new name."""
    key = "\x1f".join((item.contract_id, item.term_end, str(item.wait_deadline)))
    return f"{timeout_schedule_prefix(item.contract_id)}{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _wait_moved(item: store.RenewalItem) -> bool:
    """The waiting round's end was moved by a moved notice deadline after its wait began: Step
    Functions' own TimeoutSeconds (set when the round was asked) is another moment (when it comes
    later, the schedule times the wait out; when first, the round waits again, ``steps.timed_out``)."""
    for line in reversed(item.history or []):
        if line.get("action") in _ROUNDS_ASKED:
            return False
        if line.get("action") in store.WAIT_MOVES and line.get("wait_deadline"):
            return True
    return False


def planner_arn() -> str | None:
    prefix, name = os.environ.get(config.ENV_FUNCTION_ARN_PREFIX), os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
    return f"{prefix}{name}" if prefix and name else None


def sync_wait_timeout(settings: Settings, contract: ContractItem, item: store.RenewalItem) -> str | None:
    """Deployed, a Step Functions wait cannot be changed: a waiting round whose deadline a moved
    notice deadline moved (earlier or later) gets one one-time EventBridge Scheduler schedule, at the end of
    the new decide-by day, that invokes the planner (``TIMEOUT_EVENT``; ``time_out_moved_wait``).
    Schedules of the term no longer wanted (decided, asked anew, moved again) are deleted. The
    embedded default times waits out from the table (``local.due_timeouts``): none is made there.
    Returns the schedule created (None: none)."""
    target, role = planner_arn(), os.environ.get(config.ENV_RENEWAL_TIMEOUT_ROLE_ARN)
    if os.environ.get(config.ENV_RENEWAL_TIMEOUTS) == "table" or not target or not role:
        return None
    if not any(line.get("action") in store.WAIT_MOVES and line.get("wait_deadline")
               for line in item.history or []):
        return None  # no wait of this term was ever moved: no schedule to keep (no listing)
    wanted = timeout_schedule_name(item) if item.state == RenewalState.WAITING and item.wait_deadline \
        and item.task_token and _wait_moved(item) else None
    existing = scheduler.schedule_names(settings, timeout_schedule_prefix(contract.contract_id))
    created = None
    if wanted and wanted not in existing:
        # a second after the decide-by day's end: the stored deadline has passed when it fires
        fire_at = datetime.fromisoformat(str(item.wait_deadline)).astimezone(dates.zone(contract.time_zone)) \
            + timedelta(seconds=1)
        scheduler.create_target_schedule(
            settings, name=wanted, expression=f"at({fire_at.replace(tzinfo=None).isoformat(timespec='seconds')})",
            time_zone=contract.time_zone, target_arn=target, role_arn=role,
            payload={TIMEOUT_EVENT: {"contract_id": item.contract_id, "term_end": item.term_end,
                                     "wait_deadline": item.wait_deadline}},
            description=f"renewal decision wait for the term ending {item.term_end}: moved deadline "
                        f"{item.wait_deadline}")
        created = wanted
    scheduler.delete_schedules(settings, existing - {wanted} if wanted else existing)
    return created


def time_out_moved_wait(request: dict, now: datetime | None = None) -> dict:
    """A wait's timeout schedule fired (``sync_wait_timeout``): the waiting task fails with the
    definition's ``DecisionTimeout``, as its TimeoutSeconds would, once the stored wait deadline
    passed. Nothing happens when the decision was made meanwhile, the round is another, or the
    deadline is another now."""
    now = now or clock.now()
    item = store.get(str(request.get("contract_id")), str(request.get("term_end")))
    if item is None or item.state != RenewalState.WAITING or not item.task_token:
        return {"timed_out": False, "reason": "no decision waits for that term (decided, ended or gone)"}
    if item.wait_deadline != request.get("wait_deadline"):
        return {"timed_out": False, "reason": f"the wait's deadline is {item.wait_deadline} now"}
    if not store.wait_over(item, now):
        return {"timed_out": False, "reason": f"the wait's deadline {item.wait_deadline} has not passed"}
    try:
        sfn.send_task_failure(item.task_token, "DecisionTimeout", store.timeout_cause(item))
    except sfn.TaskGone as gone:
        return {"timed_out": False, "reason": f"the wait had ended ({gone})"}
    return {"timed_out": True, "contract_id": item.contract_id, "term_end": item.term_end,
            "round": item.waiting_round}


# a decision still to come or being made (a branch that ran has its own obligations)
_OPEN = (RenewalState.STARTED, RenewalState.RECOMMENDED, RenewalState.WAITING, RenewalState.DECIDED,
         RenewalState.RENEGOTIATING)


def end_moved_terms(contract: ContractItem, now: datetime | None = None, actor: str = "planner") -> list[str]:
    """The planner refreshed the contract's deadlines: a decision still open for a term that no
    longer ends on its day (an amendment or an entered expiration moved the end, the contract no
    longer renews into that term) ends. Its wait fails (``TermMoved``, which no state of the
    definition catches: the execution fails, so no escalation or lapse is mailed and nothing times
    it out later), an agree-terms obligation of its renegotiation is superseded, and the record is
    ``cancelled`` with the reason and the term's end as planned now (history ``cancelled``, audit
    ``renewal.cancelled``). The current term's decision is then planned by its own start schedule.
    A term whose end is past is not moved: it ran out (the contract rolled to its next term).
    Returns the term ends cancelled."""
    from . import steps

    now = now or clock.now()
    today = now.astimezone(dates.zone(contract.time_zone)).date().isoformat()
    current = contract.current_expiration
    cancelled = []
    for item in store.of_contract(contract.contract_id):
        if item.state not in _OPEN or item.term_end == current or item.term_end < today:
            continue
        reason, derivation = _term_moved(contract, item.term_end)
        if item.task_token:
            try:
                sfn.send_task_failure(item.task_token, "TermMoved", reason)
            except sfn.TaskGone:
                pass  # the execution had ended already (a step that still runs fails on the record)
        steps.close_agree_terms(contract, item, ObligationStatus.SUPERSEDED, f"renewal cancelled: {reason}")
        store.update(item, actor=actor, action="cancelled", state=RenewalState.CANCELLED.value,
                     outcome=f"cancelled: {reason}", waiting_round=None, task_token=None, decision_nonce=None,
                     wait_deadline=None,
                     detail={"reason": reason, "term_end_now": current, "derivation": derivation,
                             "notice_deadline_now": contract.current_notice_deadline,
                             "was": item.state, "round": item.waiting_round})
        cancelled.append(item.term_end)
    return cancelled


def _term_moved(contract: ContractItem, term_end: str) -> tuple[str, str | None]:
    """Why the term ending ``term_end`` is no longer the contract's, with the arithmetic of the end
    it has now (its expiration obligation's derivation: the clause, the amendment, the entry)."""
    current = contract.current_expiration
    derivation = _expiration_derivation(contract, current)
    return _moved_reason(term_end, current, derivation, contract.current_notice_deadline), derivation


def _expiration_derivation(contract: ContractItem, day: str | None) -> str | None:
    """The arithmetic of the contract's planned end ``day`` (its expiration obligation's)."""
    stored = repo.get_obligation(contract.contract_id, EXPIRATION_ID) if day else None
    return stored.derivation if stored is not None and stored.due == day else None


def _moved_reason(term_end: str, current: str | None, derivation: str | None, notice: str | None) -> str:
    if not current:
        return f"the term no longer ends {term_end}: the contract has no term end now"
    return (f"the term no longer ends {term_end}: the current term ends {current}"
            + (f" ({derivation})" if derivation else "")
            + (f", notice deadline {notice}" if notice and notice < current else ""))


@dataclass(frozen=True)
class TermEnd:
    """The end of the contract's current term as its terms give it now, with its arithmetic."""

    day: str | None
    derivation: str | None
    notice_deadline: str | None


def term_end_now(contract: ContractItem, today: date) -> TermEnd:
    """The current term's end as the contract's terms (amendments and entered values included) give
    it now, whatever a renewal decision made of it: a decision that ended the contract keeps the
    planned end on that term's end (``renewal/ended.py``), so the terms are counted again here
    without it (``plan.deadlines_for_contract``, the planner's own arithmetic)."""
    if not contract.ended:
        return TermEnd(contract.current_expiration, _expiration_derivation(contract, contract.current_expiration),
                       contract.current_notice_deadline)
    extracted = contract.extracted
    planned = {d.obligation_id: d for d in deadlines_for_contract(contract_info(contract), extracted, today)} \
        if extracted is not None else {}
    end, notice = planned.get(EXPIRATION_ID), planned.get(NOTICE_DEADLINE_ID)
    return TermEnd(end.due.isoformat() if end else None, end.derivation if end else None,
                   notice.due.isoformat() if notice else None)


# a decision made, or lapsed: its branch ran (a send-notice or sign-renewal obligation, a letter)
_DECIDED = (RenewalState.RENEWED, RenewalState.TERMINATED, RenewalState.LAPSED_RENEWED, RenewalState.LAPSED_EXPIRED)


def supersede_moved_decisions(settings: Settings, contract: ContractItem, now: datetime | None = None,
                              actor: str = "planner") -> list[str]:
    """The planner refreshed the contract's deadlines: a decision already made (or lapsed) for a
    term whose end has not passed and that no longer ends on that day (an amendment, an entered
    expiration) is for a term the contract no longer has.

    * Its notice of non-renewal not given (no send-notice obligation done): the record is
      ``superseded`` (history ``superseded``, audit ``renewal.superseded``, with the old and new
      term ends and the new end's arithmetic), its open branch obligations (send the notice, agree
      new terms, sign the renewal) are superseded and its letter withdrawn
      (``steps.withdraw_branch``); the new term end gets its own decision from its start schedule.
    * Its notice given: a notice given is given. The record keeps it and says that the term moved
      after it (``term_moved``, history ``term.moved_after_notice``, the outcome's last words, and,
      while the notice ends the contract, the contract's attention list).

    Idempotent: a superseded record is not looked at again, a note already recorded for that new
    end is not written again. Returns the term ends changed."""
    from . import steps

    now = now or clock.now()
    today = now.astimezone(dates.zone(contract.time_zone)).date()
    now_end: TermEnd | None = None
    changed = []
    for item in store.of_contract(contract.contract_id):
        if item.state not in _DECIDED or item.term_end < today.isoformat():
            continue  # still open (end_moved_terms), already superseded, or a term that ran out
        now_end = now_end or term_end_now(contract, today)
        if now_end.day == item.term_end:
            continue
        reason = _moved_reason(item.term_end, now_end.day, now_end.derivation, now_end.notice_deadline)
        notice = repo.get_obligation(contract.contract_id, steps.obligation_id(steps.SEND_NOTICE, item.term_end))
        given = given_day(notice, contract.time_zone)
        detail = {"reason": reason, "term_end": item.term_end, "term_end_now": now_end.day,
                  "derivation": now_end.derivation, "notice_deadline_now": now_end.notice_deadline, "was": item.state}
        if given is not None:
            if (item.term_moved or {}).get("term_end_now") == now_end.day:
                continue
            message = (f"the term's end moved after the notice of non-renewal was given {given}: {reason}; "
                       f"the notice stands (the contract is shown ending {item.term_end}): check whether the "
                       "change replaces it")
            moved = {"term_end_now": now_end.day, "derivation": now_end.derivation, "notice_given": given,
                     "message": message}
            base = (item.outcome or "").split("; the term's end moved after the notice", 1)[0]
            store.update(item, actor=actor, action="term.moved_after_notice", term_moved=moved,
                         outcome=with_term_moved(base, moved), detail={**detail, "notice_given": given})
        else:
            withdrawn = steps.withdraw_branch(contract, item, settings, f"renewal decision superseded: {reason}")
            store.update(item, actor=actor, action="superseded", state=RenewalState.SUPERSEDED.value,
                         outcome=f"superseded: {reason} (was {item.outcome or item.state})", notice_key=None,
                         detail={**detail, **withdrawn, "was_outcome": item.outcome})
        changed.append(item.term_end)
    return changed


def settle_outcomes(contract: ContractItem, now: datetime | None = None, actor: str = "planner") -> list[str]:
    """A "do not renew" says what it came to once that is known (``ended.notice_outcome``): the
    notice given in time (the contract ends), or not given by the last day to give it (the contract
    renews by its terms, and the next term gets its own decision). Returns the terms rewritten."""
    from . import steps

    now = now or clock.now()
    today = now.astimezone(dates.zone(contract.time_zone)).date().isoformat()
    changed = []
    for item in store.of_contract(contract.contract_id):
        if item.state != RenewalState.TERMINATED or not item.notice_key:
            continue  # only a decision whose notice has to be given
        notice = repo.get_obligation(contract.contract_id, steps.obligation_id(steps.SEND_NOTICE, item.term_end))
        given = given_day(notice, contract.time_zone)
        outcome = notice_outcome(term_end=item.term_end, notice_deadline=item.notice_deadline,
                                 given=given, today=today, given_said=bool(notice and notice.done_on))
        if outcome is not None:
            outcome = with_term_moved(outcome, item.term_moved)
        if outcome is None or outcome == item.outcome:
            continue
        store.update(item, actor=actor, action="outcome.settled", outcome=outcome,
                     detail={"from": item.outcome, "to": outcome, "notice_given": given,
                             "notice_deadline": item.notice_deadline, "today": today})
        changed.append(item.term_end)
    return changed


def heartbeat_waiting(now: datetime | None = None) -> int:
    """Tell Step Functions each waiting decision is still wanted (its HeartbeatSeconds is longer
    than a day); returns how many. A decision whose stored wait deadline passed (the notice
    deadline moved earlier after the wait began: a Step Functions wait cannot be shortened) is
    timed out instead, as its TimeoutSeconds would (``DecisionTimeout``, caught by the definition);
    the embedded default times waits out from the table itself (``renewal/local.py``). A token that
    is gone is left to the workflow's timeout path."""
    now = now or clock.now()
    table_timeouts = os.environ.get(config.ENV_RENEWAL_TIMEOUTS) == "table"
    sent = 0
    for item in store.waiting():
        if not item.task_token:
            continue
        try:
            if not table_timeouts and store.wait_over(item, now):
                sfn.send_task_failure(item.task_token, "DecisionTimeout", store.timeout_cause(item))
                continue
            sfn.send_task_heartbeat(item.task_token)
            sent += 1
        except sfn.TaskGone:
            log.warning("renewal wait gone", extra={"contract_id": item.contract_id, "term_end": item.term_end})
    return sent
