"""What the renewal λ does in each state of ``workflow.asl.json`` (one function per ``step``).

Every step reads the contract afresh, writes the renewal record and the audit trail, and returns a
small JSON result the state machine keeps. AWS calls go through ``clausewatch.aws``."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from urllib.parse import quote

from .. import clock, config, dates
from ..aws import s3
from ..aws.email import send_email
from ..config import Settings
from ..notify import AlertContent, AlertDecision, contract_url, days_left, days_left_phrase, render_alert_email
from ..pipeline.record import contract_info
from ..pipeline.reminders import ALERT_SENT
from ..plan import deadlines_for_contract, format_day, human_duration, passed_notice_deadline
from ..schema import ObligationStatus, RenewalState
from ..store import repository as repo
from ..store.models import ContractItem
from ..text.model import DocumentText
from . import letter, links, store
from .cutoffs import Cutoffs, escalated_day
from .cutoffs import cutoffs as count_cutoffs
from .recommend import Evidence, recommend

log = logging.getLogger(__name__)

ACTOR = "renewal-workflow"
DECISION_LINK_PATH = "/renewal-decision"  # the API's public route the email links to
ROUNDS = ("owner", "final", "escalated")
# obligations the workflow creates, per term (ids end with @<term end>)
SIGN_RENEWAL = "renewal-sign"
SEND_NOTICE = "renewal-notice"
AGREE_TERMS = "renewal-renegotiate"


# the states in which a term's record follows a moved notice deadline (the decision still to come,
# or a branch whose obligation is still open)
_FOLLOWING = (RenewalState.STARTED, RenewalState.RECOMMENDED, RenewalState.WAITING, RenewalState.DECIDED,
              RenewalState.RENEGOTIATING, RenewalState.TERMINATED)


class RenewalError(RuntimeError):
    """The step cannot run (no such contract or term): the execution fails with this message."""


class NoticeDeadlinePassed(RenewalError):
    """The term's notice deadline moved into the past between two steps of its workflow (the
    planner found the record between them, where it follows no passed deadline): the step that runs
    next records it (``NOTICE_PASSED``) and fails with this error, which the definition sends to the
    lapse, as it does a wait failed with it. Nobody is asked, escalated to or asked again."""


class TermMoved(RenewalError):
    """The term's decision was cancelled by the planner (the term no longer ends on that day): a
    step that still runs for it (its execution was between waits) does nothing and fails the
    execution with this error, which no state catches: no one is asked, escalated to or told of a
    lapse for a term the contract no longer has."""


class ContractDeleted(RenewalError):
    """The contract was deleted while its decision was under way (between two steps: deployed, the
    branch runs after the API answered): the step writes nothing (no letter, no obligation, no
    renewal recorded, nobody asked) and fails with this error, which every state of the definition
    sends to its ``ContractDeleted`` end, as a wait failed by the deletion
    (``actions.delete_contract``) ends."""


def obligation_id(kind: str, term_end: str) -> str:
    return f"{kind}@{term_end}"


def notices_prefix(contract_id: str) -> str:
    return f"{config.CONTRACTS_PREFIX}{contract_id}/notices/"


# --- the term's dates ----------------------------------------------------------------------------

def _contract(contract_id: str) -> ContractItem:
    contract = repo.get_contract(contract_id)
    if contract is None and repo.gone_team(contract_id) is not None:
        raise ContractDeleted(f"contract {contract_id} was deleted: its renewal decision ended")
    if contract is None:
        raise RenewalError(f"no contract {contract_id!r}")
    return contract


def _notice_deadline(contract: ContractItem, term_end: str) -> date | None:
    """The notice deadline of the term ending ``term_end`` (the current one's, as planned). When
    the planned deadline is the next term's (this term's passed), this term's as counted now
    (``plan.passed_notice_deadline``), never the next term's."""
    if contract.current_expiration == term_end and contract.current_notice_deadline:
        if contract.current_notice_deadline <= term_end:  # (on the end itself: a notice period of no days)
            return date.fromisoformat(contract.current_notice_deadline)
        passed = _this_terms_passed_deadline(contract, term_end)
        return passed[0] if passed else None
    notice = repo.get_obligation(contract.contract_id, "notice_deadline")
    return date.fromisoformat(notice.due) if notice and notice.due else None


def cutoffs(contract: ContractItem, term_end: str, notice: date | None) -> tuple[date, date]:
    """(the owner's decision day, the final cut-off): business days before the notice deadline
    (else the term end) so that notice can still be sent, never before today while that is ahead
    (``renewal/cutoffs.py``)."""
    days = cutoff_days(contract, term_end, notice)
    return days.owner, days.final


def _reference(term_end: str, notice: date | None) -> tuple[date, str]:
    return (notice, "notice deadline") if notice else (date.fromisoformat(term_end), "term end")


def cutoff_days(contract: ContractItem, term_end: str, notice: date | None) -> Cutoffs:
    reference, kind = _reference(term_end, notice)
    today = clock.now().astimezone(dates.zone(contract.time_zone)).date()
    return count_cutoffs(reference, kind, contract_info(contract).jurisdiction, today)


def notice_derivation(contract: ContractItem, notice: date | None, term_end: str) -> str:
    """How the term's notice deadline was counted (the planner's arithmetic, from the contract's
    notice_deadline obligation), else what stands in for it."""
    if notice is None:
        return f"no notice deadline: term ends {term_end}"
    stored = repo.get_obligation(contract.contract_id, "notice_deadline")
    if stored is not None and stored.due == notice.isoformat() and stored.derivation:
        return stored.derivation
    # the obligation was closed by the decision (a resolved item keeps its old date): the planner's
    # arithmetic for the contract's terms as they are now
    extracted = contract.extracted
    if extracted is not None:
        today = clock.now().astimezone(dates.zone(contract.time_zone)).date()
        for deadline in deadlines_for_contract(contract_info(contract), extracted, today):
            if deadline.obligation_id == "notice_deadline" and deadline.due == notice and deadline.derivation:
                return deadline.derivation
    passed = _this_terms_passed_deadline(contract, term_end)  # the planner counts the next term's now
    if passed is not None and passed[0] == notice:
        return passed[1]
    return f"notice deadline {notice.isoformat()}"


def counted_calendar(item: store.RenewalItem) -> str | None:
    """The calendar the record's cut-offs were counted with, in words (``dates.holidays_words``):
    as recorded (``cutoff_calendar``), else as their arithmetic names it ("- 10 business days
    (US-NY holidays) ="); None when neither says (a record from before calendars were named)."""
    recommendation = item.recommendation or {}
    if recommendation.get("cutoff_calendar"):
        return str(recommendation["cutoff_calendar"])
    named = _CUTOFF_CALENDAR.search(str(recommendation.get("cutoff_derivation") or ""))
    return named.group(1) if named and "holidays" in named.group(1) else None


_CUTOFF_CALENDAR = re.compile(r" - \d+ business days \((.+?)\) = \d{4}-\d{2}-\d{2}")


def follow_notice_deadline(contract: ContractItem, item: store.RenewalItem, *, actor: str
                           ) -> tuple[store.RenewalItem, date | None]:
    """Bring the term's record to the notice deadline the contract has NOW for that term (an
    entered notice period, an amendment, an entered expiration moved it since the evidence was
    gathered), and to the contract's calendar now (its jurisdiction set or cleared, a governing law
    entered or amended: the cut-offs count business days, so a calendar changed moves them even
    when the notice deadline's day stays): its notice deadline, the cut-offs counted from it and,
    while a person is asked, the wait's deadline, earlier or later (a Step Functions wait cannot be
    changed once it began: an earlier end is timed out by the planner, ``planning.sync_wait_timeout``;
    a later one waits again when the round's timer runs out, ``timed_out``). History
    ``notice_deadline.moved``, or ``cutoffs.recounted`` for a calendar changed alone (with both
    calendars). A waiting round's wait first follows the contract's time zone (``follow_time_zone``).
    Returns the record and the new day the waiting round must decide by when it moved (else
    None)."""
    if contract.current_expiration == item.term_end:
        item = follow_time_zone(contract, item, actor=actor)
    if contract.current_expiration != item.term_end or not contract.current_notice_deadline:
        return item, None
    calendar = dates.holidays_words(contract_info(contract).jurisdiction)
    counted = counted_calendar(item)
    recount = counted is not None and counted != calendar
    moved_notice = contract.current_notice_deadline != item.notice_deadline
    if not (moved_notice or recount):
        return item, None
    if contract.current_notice_deadline >= item.term_end:
        # the deadline planned now is the next term's (this term's passed): not this decision's
        return item, None
    if item.state not in _FOLLOWING:
        return item, None
    notice = date.fromisoformat(contract.current_notice_deadline)
    days = cutoff_days(contract, item.term_end, notice)
    owner_day, final_day = days.owner, days.final
    fields: dict = {"notice_deadline": notice.isoformat()}
    if item.recommendation:
        fields["recommendation"] = {**item.recommendation, "owner_decides_by": owner_day.isoformat(),
                                    "final_cutoff": final_day.isoformat(), "cutoff_derivation": days.derivation,
                                    "cutoff_calendar": calendar}
    if item.evidence:
        fields["evidence"] = {**item.evidence, "notice_deadline": notice.isoformat(),
                              "days_left_to_give_notice": days_left(notice, clock.now(), contract.time_zone)}
    moved = None
    if item.recommendation and item.recommendation.get("escalated_decides_by"):
        day, why = escalated_day(final_day, notice, "notice deadline", contract.time_zone, clock.now())
        fields["recommendation"] = {**fields["recommendation"], "escalated_decides_by": (day or final_day).isoformat(),
                                    "escalated_derivation": why}
    if item.state == RenewalState.WAITING and item.wait_deadline:
        day = {"owner": owner_day, "escalated": date.fromisoformat(
            (fields.get("recommendation") or {}).get("escalated_decides_by") or final_day.isoformat())
        }.get(item.waiting_round or "", final_day)
        deadline = dates.end_of_day(day, contract.time_zone).astimezone(dates.zone("UTC"))
        kept = day.isoformat() == asked_decide_by(item) and deadline <= clock.now() \
            < datetime.fromisoformat(item.wait_deadline)  # the same day, its end kept after a zone change
        if deadline != datetime.fromisoformat(item.wait_deadline) and not kept:
            fields["wait_deadline"], moved = deadline.isoformat(), day
    wait = {"wait_deadline": fields["wait_deadline"], "decide_by": moved.isoformat()} if moved else {}
    if moved_notice:
        item = store.update(item, actor=actor, action=store.NOTICE_MOVED, detail={
            "from": item.notice_deadline, "to": notice.isoformat(),
            "derivation": notice_derivation(contract, notice, item.term_end),
            "owner_decides_by": owner_day.isoformat(), "final_cutoff": final_day.isoformat(), **wait}, **fields)
    else:  # the same notice deadline, another calendar: the cut-offs counted again
        item = store.update(item, actor=actor, action=store.CUTOFFS_RECOUNTED, detail={
            "notice_deadline": notice.isoformat(), "previous_calendar": counted, "calendar": calendar,
            "derivation": days.derivation, "owner_decides_by": owner_day.isoformat(),
            "final_cutoff": final_day.isoformat(), **wait}, **fields)
    return item, moved


def follow_time_zone(contract: ContractItem, item: store.RenewalItem, *, actor: str) -> store.RenewalItem:
    """A person changed the contract's time zone while a person is asked (``entries.set_time_zone``):
    the wait ends at the end of the same decide-by day (the one the request said, ``asked_decide_by``)
    counted in the new zone, earlier or later (as for a moved notice deadline, an earlier end is
    timed out by the planner, ``planning.sync_wait_timeout``, and a later one waits again,
    ``timed_out``). The day is the same, but the link mailed expires at the old end and the email
    said that end: the person is asked again, once, with a link until the new end
    (``tell_moved_deadline``: the line says ``decide_by``, the same day).
    History ``time_zone.changed`` (the zones, the day, the old and the new end). Nothing when the
    instant is the same (the zone unchanged, followed already, or one with the same offset then);
    nothing when the record says no day asked and the old zone is not known (not guessed)."""
    if item.state != RenewalState.WAITING or not item.wait_deadline:
        return item
    previous = datetime.fromisoformat(item.wait_deadline)
    asked = asked_decide_by(item)
    if asked:
        day = date.fromisoformat(asked)
    elif contract.rezoned_from:  # a record from before the day asked was kept: its day in the old zone
        day = previous.astimezone(dates.zone(contract.rezoned_from)).date()
    else:
        return item
    deadline = dates.end_of_day(day, contract.time_zone).astimezone(dates.zone("UTC"))
    if deadline == previous:
        return item
    if deadline <= clock.now():
        return _keep_wait(contract, item, day, deadline, actor=actor)
    was = f" (was the end of that day in {contract.rezoned_from}: {item.wait_deadline})" \
        if contract.rezoned_from else f" (was {item.wait_deadline})"
    return store.update(item, actor=actor, action=store.TIME_ZONE_CHANGED, wait_deadline=deadline.isoformat(),
                        detail={"from_zone": contract.rezoned_from, "to_zone": contract.time_zone,
                                "round": item.waiting_round, "day": day.isoformat(), "decide_by": day.isoformat(),
                                "previous_wait_deadline": item.wait_deadline, "wait_deadline": deadline.isoformat(),
                                "derivation": f"the end of {day.isoformat()} in {contract.time_zone}{was}"})


WAIT_KEPT = "time_zone.wait_kept"  # a zone change whose end of the decide-by day had passed: the wait stays


def _keep_wait(contract: ContractItem, item: store.RenewalItem, day: date, deadline: datetime, *, actor: str
               ) -> store.RenewalItem:
    """The decide-by day had already ended in the new zone when it was set (Los Angeles to Tokyo on
    the afternoon of the 15th, UTC: Tokyo's 15th is over): a wait moved there would end at once and
    a link mailed for it would be dead on arrival. The wait keeps the end the person was told (and
    their link); history ``time_zone.wait_kept`` once, saying why (not a move of the wait)."""
    if any(line.get("action") == WAIT_KEPT and line.get("to_zone") == contract.time_zone
           and line.get("wait_deadline") == item.wait_deadline for line in item.history or []):
        return item
    return store.update(item, actor=actor, action=WAIT_KEPT, detail={
        "from_zone": contract.rezoned_from, "to_zone": contract.time_zone, "round": item.waiting_round,
        "day": day.isoformat(), "wait_deadline": item.wait_deadline,
        "derivation": f"the end of {day.isoformat()} in {contract.time_zone} ({deadline.isoformat()}) had passed "
                      f"when the time zone was changed ({clock.now().isoformat(timespec='seconds')}): the wait keeps "
                      f"the end the person was told, {item.wait_deadline}"})


NOTICE_PASSED = "notice_deadline.passed"  # the history line of a deadline moved into the past
NOTICE_PASSED_ERROR = NoticeDeadlinePassed.__name__  # a task fails with it: the definition lapses


def _this_terms_passed_deadline(contract: ContractItem, term_end: str) -> tuple[date, str] | None:
    """(the notice deadline of the term ending ``term_end``, its arithmetic) when it has passed and
    the planner's deadline is therefore the next term's (``plan.passed_notice_deadline``)."""
    if contract.current_expiration != term_end or contract.extracted is None \
            or (contract.current_notice_deadline and contract.current_notice_deadline < term_end):
        return None
    today = clock.now().astimezone(dates.zone(contract.time_zone)).date()
    passed = passed_notice_deadline(contract_info(contract), contract.extracted, today)
    if passed is None or passed[2].isoformat() != term_end:
        return None
    return passed[0], passed[1]


def passed_notice_deadline_of(contract: ContractItem, item: store.RenewalItem) -> tuple[date, str] | None:
    """(the term's notice deadline as counted now, its arithmetic) when it moved into the past
    while the decision was open (a longer notice period entered, an amendment): the planner's
    deadline is then the next term's (``plan.passed_notice_deadline`` counts the running term's).
    None when this term's deadline is still ahead, did not move, or was already passed as the
    record had it (a deadline that ran out is not one that moved)."""
    passed = _this_terms_passed_deadline(contract, item.term_end)
    if passed is None:
        return None
    today = clock.now().astimezone(dates.zone(contract.time_zone)).date()
    if passed[0].isoformat() == item.notice_deadline or (item.notice_deadline or item.term_end) < today.isoformat():
        return None
    return passed


def follow_passed_deadline(contract: ContractItem, item: store.RenewalItem, *, actor: str
                           ) -> tuple[store.RenewalItem, dict | None]:
    """The check each step makes first: a notice deadline that moved into the past since the record
    last had it (the planner ran between two steps, where it follows none) is recorded as the
    planner records it (``record_notice_passed``). Returns the record and its ``NOTICE_PASSED``
    line while that is the latest news (no round asked since): nobody can decide in time."""
    passed = passed_notice_deadline_of(contract, item)
    if passed is not None:
        item = record_notice_passed(contract, item, *passed, actor=actor)
    return item, notice_passed_line(item)


def record_notice_passed(contract: ContractItem, item: store.RenewalItem, due: date, derivation: str, *,
                         actor: str) -> store.RenewalItem:
    """The record of a decision whose notice deadline moved into the past: its deadline and
    evidence take the passed day, and the history says why nobody can decide in time, with the
    arithmetic (``NOTICE_PASSED``; the lapse quotes it)."""
    now = clock.now()
    today = now.astimezone(dates.zone(contract.time_zone)).date()
    renews = Evidence.from_dict(item.evidence or {}).auto_renew is not False
    consequence = (f"the contract renews by its terms on {(date.fromisoformat(item.term_end) + timedelta(days=1)).isoformat()}"
                   if renews else f"the contract ends with its term on {item.term_end}")
    moved = (f"moved from {item.notice_deadline} to {due.isoformat()} ({derivation}), which had passed when it was "
             f"planned on {today.isoformat()}") if item.notice_deadline and item.notice_deadline != due.isoformat() else \
        f"is {due.isoformat()} ({derivation}), which had passed when the decision began on {today.isoformat()}"
    reason = (f"the notice deadline of the term ending {item.term_end} {moved}: "
              f"notice of non-renewal can no longer be given in time; {consequence}")
    fields: dict = {"notice_deadline": due.isoformat()}
    if item.evidence:
        fields["evidence"] = {**item.evidence, "notice_deadline": due.isoformat(),
                              "days_left_to_give_notice": days_left(due, now, contract.time_zone)}
    return store.update(item, actor=actor, action=NOTICE_PASSED, detail={
        "from": item.notice_deadline, "to": due.isoformat(), "derivation": derivation, "today": today.isoformat(),
        "round": item.waiting_round, "reason": reason}, **fields)


def notice_passed_line(item: store.RenewalItem) -> dict | None:
    """The ``NOTICE_PASSED`` line when it is the record's latest news (no round asked since, and the
    decision neither ended nor began again since: a restarted record keeps its history)."""
    for line in reversed(item.history or []):
        action = str(line.get("action", ""))
        if action == NOTICE_PASSED:
            return line
        if action.startswith("asked.") or action in _NEWER_THAN_A_PASSED_DEADLINE:
            return None
    return None


_NEWER_THAN_A_PASSED_DEADLINE = ("escalated", "renegotiating", "decided", "lapsed", "cancelled", "superseded",
                                 "restarted")


def seconds_until(day: date, time_zone: str, now: datetime) -> int:
    """The wait's TimeoutSeconds: whole seconds from ``now`` to the end of ``day`` in the zone, at
    least 1 (a passed cut-off times out at once). The embedded default keeps the deadline in the
    table and times the wait out on the simulated clock, so its state machine waits "forever"."""
    if os.environ.get(config.ENV_RENEWAL_TIMEOUTS) == "table":
        return config.LOCAL_WAIT_SECONDS
    return max(1, int((dates.end_of_day(day, time_zone) - now).total_seconds()))


# --- gather and recommend ------------------------------------------------------------------------

def gather(event: dict) -> dict:
    contract_id, term_end = event["contract_id"], event["term_end"]
    contract = _contract(contract_id)
    item = store.ensure(contract_id, term_end, execution_arn=event.get("execution"))
    if item.execution_arn and event.get("execution") and item.execution_arn != event["execution"]:
        # the term's decision belongs to another execution: a second start is a no-op
        repo.record_audit(contract_id, ACTOR, "renewal.start.duplicate",
                          {"term_end": term_end, "execution": event["execution"], "owner": item.execution_arn})
        return {"duplicate": True}
    # the term's deadline moved into the past after the start was planned: the evidence has this
    # term's (passed) deadline, recorded with why; the recommendation then ends in the lapse
    passed = passed_notice_deadline_of(contract, item)
    was = item.notice_deadline
    evidence = gather_evidence(contract, term_end)
    item = store.update(item, actor=ACTOR, action="evidence.gathered", evidence=evidence.to_dict(),
                        notice_deadline=evidence.notice_deadline,
                        detail={"met": len(evidence.obligations_met), "missed": len(evidence.obligations_missed),
                                "open": len(evidence.obligations_open)})
    if passed is not None:
        item.notice_deadline = was  # what the decision had before (none for a new one): the line's "from"
        record_notice_passed(contract, item, *passed, actor=ACTOR)
    return {"duplicate": False, "notice_deadline": evidence.notice_deadline,
            "days_left_to_give_notice": evidence.days_left_to_give_notice}


def gather_evidence(contract: ContractItem, term_end: str) -> Evidence:
    """Obligations met, missed and open in this term; alerts sent and acknowledged; the money
    terms; days left to give notice; SLA breaches, credits and invoice findings as recorded."""
    today = clock.now().astimezone(dates.zone(contract.time_zone)).date()
    extracted = contract.extracted
    value = (lambda name: extracted.value(name)) if extracted else (lambda name: None)
    term_start = _term_start(contract, term_end)
    met, missed, open_ = [], [], []
    acknowledged: set[tuple[str, str | None]] = set()
    for o in repo.obligations(contract.contract_id):
        if not o.due or o.kind in ("notice_deadline", "expiration") or o.obligation_id.startswith("renewal-"):
            continue
        if o.due > term_end or (term_start and o.due < term_start):
            continue
        row = {"id": o.obligation_id, "summary": o.summary, "due": o.due, "status": o.status}
        if o.acknowledged_by:  # one carried to a day moved: once per duty and period, whichever day is in the term
            boundary = dates.period_boundary(o.derivation) if o.kind == "recurring" else None
            acknowledged.add((o.obligation_id.split("@", 1)[0], boundary) if boundary else (o.obligation_id, None))
        if o.status == ObligationStatus.DONE:
            met.append(row)
        elif o.status == ObligationStatus.OPEN and date.fromisoformat(o.due) < today:
            missed.append(row)
        elif o.status == ObligationStatus.OPEN:
            open_.append(row)
    audit = repo.audit_events(contract.contract_id)
    count = lambda actions: sum(1 for e in audit if e.action in actions)  # noqa: E731
    notice = _notice_deadline(contract, term_end)
    clauses = {}
    for name in ("auto_renewal", "renewal_term", "notice_period", "price_increase_cap", "minimum_commitment",
                 "payment_terms"):
        term = extracted.term(name) if extracted else None
        if term is not None and term.evidence is not None:
            clauses[name] = {"value": term.value, **term.evidence.to_dict()}
    auto = value("auto_renewal")
    return Evidence(
        contract_type=contract.contract_type, auto_renew=auto if isinstance(auto, bool) else None,
        notice_deadline=notice.isoformat() if notice else None, term_end=term_end,
        days_left_to_give_notice=days_left(notice, clock.now(), contract.time_zone) if notice else None,
        obligations_met=met, obligations_missed=missed, obligations_open=open_,
        alerts_sent=count((ALERT_SENT,)), alerts_acknowledged=len(acknowledged),
        price_increase_cap=_text(value("price_increase_cap")), payment_terms=_text(value("payment_terms")),
        minimum_commitment=_text(value("minimum_commitment")),
        **_money_evidence(contract.contract_id, term_end), clauses=clauses)


def _money_evidence(contract_id: str, term_end: str) -> dict[str, int]:
    """SLA breaches, credits owed and invoice findings recorded (``store/money.py``) up to the term's
    end: what a renewal decision weighs."""
    from ..store import money as money_store

    found = [f for f in money_store.findings(contract_id) if (f.period or f.recorded_at[:10]) <= term_end]
    return {"sla_breaches": sum(f.kind == "sla_breach" for f in found),
            "credits": sum(f.kind == "sla_breach" and f.amount is not None for f in found),
            "invoice_findings": sum(f.source == "invoice" and f.kind != "file_refused" for f in found)}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


def _term_start(contract: ContractItem, term_end: str) -> str | None:
    """The first day of the term ending ``term_end``: the day after the previous term's end for a
    renewed term, else the effective date."""
    extracted = contract.extracted
    if extracted is None:
        return None
    renewal = extracted.value("renewal_term")
    first_end = dates.parse_day(extracted.value("expiration_date"))
    if renewal and first_end and first_end.isoformat() < term_end:
        try:
            return (dates.subtract_duration(date.fromisoformat(term_end), renewal) + timedelta(days=1)).isoformat()
        except (ValueError, TypeError):
            return None
    effective = extracted.value("effective_date")
    return effective if isinstance(effective, str) else None


def recommend_step(event: dict) -> dict:
    contract = _contract(event["contract_id"])
    item, _ = follow_notice_deadline(contract, _record(event), actor=ACTOR)
    item, passed = follow_passed_deadline(contract, item, actor=ACTOR)
    recommendation = recommend(Evidence.from_dict(item.evidence or {}))
    notice = date.fromisoformat(item.notice_deadline) if item.notice_deadline else None
    days = cutoff_days(contract, item.term_end, notice)
    owner_day, final_day = days.owner, days.final
    result = {**recommendation.to_dict(), "owner_decides_by": owner_day.isoformat(),
              "final_cutoff": final_day.isoformat(), "cutoff_derivation": days.derivation,
              "cutoff_calendar": dates.holidays_words(contract_info(contract).jurisdiction),
              "owner_timeout_seconds": seconds_until(owner_day, contract.time_zone, clock.now())}
    store.update(item, actor=ACTOR, action="recommended", state=RenewalState.RECOMMENDED.value,
                 recommendation=result, detail=recommendation.to_dict())
    if passed is not None:  # recorded with its evidence for the lapse's email, but nobody is asked
        raise NoticeDeadlinePassed(str(passed["reason"]))
    return result


def _record(event: dict) -> store.RenewalItem:
    item = store.get(event["contract_id"], event["term_end"])
    if item is None:
        raise RenewalError(f"no renewal record for {event['contract_id']} term ending {event['term_end']}")
    if item.state == RenewalState.CANCELLED:
        raise TermMoved(f"the renewal decision for the term ending {item.term_end} was cancelled: {item.outcome}")
    return item


# --- ask ----------------------------------------------------------------------------------------

def ask(event: dict, settings: Settings) -> dict:
    """Store the task token (with the wait's deadline, which the local default enforces) and mail
    the decision links; the execution waits until the API sends the decision."""
    contract = _contract(event["contract_id"])
    item = _record(event)
    round_ = event.get("round", "owner")
    if round_ not in ROUNDS:
        raise RenewalError(f"unknown round {round_!r}")
    if item.state == RenewalState.WAITING and item.waiting_round == round_:
        # an execution rebuilt from the table after a restart (local): the same question, a new
        # task token; the link already mailed stays good
        # (not a step of the decision: no history line, no audit event)
        item.task_token, item.execution_arn = event["task_token"], event.get("execution")
        item.save()
        return {"asked": [], "round": round_, "resumed": True}
    item, passed = follow_passed_deadline(contract, item, actor=ACTOR)
    if passed is not None:  # moved into the past before this round was asked: nobody is asked
        raise NoticeDeadlinePassed(str(passed["reason"]))
    to = _mail_round(contract, item, settings, round_=round_, day=_round_day(item, round_), action=f"asked.{round_}",
                     state=RenewalState.WAITING.value, waiting_round=round_, task_token=event["task_token"])
    return {"asked": to, "round": round_}


def _round_day(item: store.RenewalItem, round_: str) -> date:
    """The day a round's decision is asked by (the recommendation's cut-offs)."""
    recommendation = item.recommendation or {}
    key = {"owner": "owner_decides_by", "final": "final_cutoff", "escalated": "escalated_decides_by"}[round_]
    return date.fromisoformat(recommendation.get(key) or recommendation.get("final_cutoff") or item.term_end)


def _mail_round(contract: ContractItem, item: store.RenewalItem, settings: Settings, *, round_: str, day: date,
                action: str, because: str | None = None, headline: str | None = None, **fields) -> list[str]:
    deadline = dates.end_of_day(day, contract.time_zone)
    now = clock.now()
    nonce = links.new_nonce()
    expires = deadline  # the links work as long as the decision is asked for (the email says until when)
    token = links.sign(store.secret(links.SECRET_NAME), contract.contract_id, item.term_end, nonce, expires)
    to = [contract.owner or settings.default_owner]
    cc = [settings.escalation_email] if round_ == "escalated" and settings.escalation_email not in to else []
    store.update(item, actor=ACTOR, action=action, wait_deadline=deadline.astimezone(dates.zone("UTC")).isoformat(),
                 decision_nonce=nonce, **fields,
                 detail={"to": to, "cc": cc, "decide_by": day.isoformat(), "link_expires": expires.isoformat(),
                         **({"because": because} if because else {})})
    message_id = send_email(decision_email(contract, item, settings, round_=round_, token=token,
                                           decide_by=day, to=to, cc=cc, because=because, headline=headline,
                                           link_expires=expires))
    _record_invite(contract, item, to + cc, now)
    repo.record_audit(contract.contract_id, ACTOR, "renewal.mail.sent",
                      {"term_end": item.term_end, "round": round_, "to": to, "cc": cc, "ses_message_id": message_id})
    return to


def _invite_uid(contract: ContractItem, due: date, now: datetime) -> str:
    """The UID of the notice deadline's invite mailed now (a renewed term's gets its own once the
    last term's entry passed: ``pipeline.calendar_changes.invite_uid_now``)."""
    from ..pipeline.calendar_changes import invite_uid_now

    return invite_uid_now(contract, "notice_deadline", due, now)


def _record_invite(contract: ContractItem, item: store.RenewalItem, to: list[str], now: datetime) -> None:
    """A decision email carries the notice deadline's invite (its UID is the notice_deadline
    obligation's): the recipients' calendars hold it, so a later move or withdrawal reaches them
    (``calendar_updates``)."""
    from ..pipeline.calendar_changes import record_invite

    notice = repo.get_obligation(contract.contract_id, "notice_deadline")
    if notice is not None and notice.due and notice.due == (item.notice_deadline or item.term_end):
        record_invite(contract, notice, to, now)


def ask_again(contract: ContractItem, item: store.RenewalItem, settings: Settings, *, because: str,
              headline: str | None = None) -> list[str]:
    """A waiting decision asked again of whom the contract names now (its owner changed, or its
    notice deadline moved): the same round, the decide-by day as it is now (a moved
    deadline's), a new link (the one mailed before stops working). ``because`` is said in the email
    and kept in the history; ``headline`` is added to the subject. Returns the recipients."""
    round_ = item.waiting_round or "owner"
    last = asked_decide_by(item)
    day = date.fromisoformat(last) if last else _round_day(item, round_)
    if item.wait_deadline:  # never a later day than the wait's own end
        day = min(day, datetime.fromisoformat(item.wait_deadline).astimezone(dates.zone(contract.time_zone)).date())
    return _mail_round(contract, item, settings, round_=round_, day=day, action="asked.again", because=because,
                       headline=headline)


MAIL_FAILED = "mail.failed"  # the planner's asking again could not be mailed: asked again on its retry


def untold_move(item: store.RenewalItem) -> dict | None:
    """The history line of a notice deadline move that moved the waiting round's decide-by day
    (earlier or later) and that nobody was asked again for yet (None: none, or already asked). An asking
    whose mail failed (``MAIL_FAILED`` after it) does not count: the move is still to be told."""
    failed = False
    for line in reversed(item.history or []):
        action = str(line.get("action", ""))
        if action == MAIL_FAILED:
            failed = True
        elif action.startswith("asked."):
            if not failed:
                return None
            failed = False
        elif action in store.WAIT_MOVES and line.get("decide_by"):
            return line
    return None


def tell_moved_deadline(contract: ContractItem, item: store.RenewalItem, settings: Settings, *, actor: str
                        ) -> list[str]:
    """A notice deadline moved while a person is asked (``follow_notice_deadline`` set the round's
    new decide-by day, earlier or later): that person gets a new request saying so, with the new day and a
    new link, once per move (``untold_move``: retries and redeliveries ask nobody twice). A send
    that fails is recorded (``MAIL_FAILED``) and raised, so the planner's retry asks again.
    Returns the recipients (empty: nothing to tell)."""
    from botocore.exceptions import BotoCoreError, ClientError

    move = untold_move(item) if item.state == RenewalState.WAITING else None
    if move is None:
        return []
    day = date.fromisoformat(str(move["decide_by"]))
    if move.get("action") == store.CUTOFFS_RECOUNTED:  # the calendar changed, the notice deadline stayed
        because = (f"the contract's calendar changed from {move.get('previous_calendar')} to {move.get('calendar')}: "
                   f"the cut-offs were counted again from the notice deadline {move.get('notice_deadline')} "
                   f"({move.get('derivation')}): decide by {day.isoformat()}; the link mailed before no longer works")
        headline = f"calendar changed to {move.get('calendar')}"
    elif move.get("action") == store.TIME_ZONE_CHANGED:  # the same day, its end in another zone
        because = (f"the contract's time zone changed from {move.get('from_zone') or 'the one before'} to "
                   f"{move.get('to_zone')}: decide by {day.isoformat()} as before, now until the end of that day "
                   f"in {move.get('to_zone')} ({move.get('wait_deadline')}; was {move.get('previous_wait_deadline')}); "
                   "the link mailed before no longer works")
        headline = f"time zone changed to {move.get('to_zone')}"
    else:
        because = (f"the notice deadline moved from {move.get('from')} to {move.get('to')} "
                   f"({move.get('derivation')}): decide by {day.isoformat()}; the link mailed before no longer works")
        headline = f"notice deadline moved to {format_day(date.fromisoformat(str(move['to'])))}"
    try:
        return ask_again(contract, item, settings, because=because, headline=headline)
    except (ClientError, BotoCoreError) as exc:
        latest = store.get(item.contract_id, item.term_end) or item
        store.update(latest, actor=actor, action=MAIL_FAILED, detail={"error": str(exc)[:300], "because": because})
        raise


def decision_links(api_base_url: str, token: str, *, auto_renew: bool | None = None) -> tuple[tuple[str, str], ...]:
    base = f"{api_base_url.rstrip('/')}{DECISION_LINK_PATH}?token={quote(token, safe='')}"
    stop = "Do not renew (it ends)" if auto_renew is False else "Do not renew (send notice)"
    return tuple((label, f"{base}&decision={d}") for label, d in
                 (("Renew", "renew"), (stop, "terminate"), ("Renegotiate", "renegotiate")))


def evidence_lines(evidence: dict, recommendation: dict, *, now: datetime | None = None,
                   time_zone: str | None = None, gathered_at: str | None = None,
                   notice_deadline: str | None = None) -> tuple[str, ...]:
    """The recommendation and its evidence as an email's lines. The days left to give notice are
    counted at ``now`` (the send time, in the contract's zone) from the notice deadline as it is
    now; the counts (obligations, alerts, breaches) are as gathered, and say on which day."""
    e = Evidence.from_dict(evidence)
    zone = dates.zone(time_zone)
    gathered = f" (as gathered on {format_day(datetime.fromisoformat(gathered_at).astimezone(zone).date())})" \
        if gathered_at else ""
    lines = [f"Recommendation: {str(recommendation.get('decision', '?')).upper()} — "
             + "; ".join(recommendation.get("reasons") or [])]
    lines.append(f"Obligations this term{gathered}: {len(e.obligations_met)} met, {len(e.obligations_missed)} missed, "
                 f"{len(e.obligations_open)} open; {e.alerts_sent} alert(s) sent, "
                 f"{e.alerts_acknowledged} acknowledged")
    if e.price_increase_cap or e.payment_terms or e.minimum_commitment:
        lines.append(f"Price increase cap at renewal: {e.price_increase_cap or 'none stated'}; payment terms "
                     f"{e.payment_terms or '-'}; minimum commitment {e.minimum_commitment or 'none'}")
    lines.append(f"SLA breaches {e.sla_breaches}, credits {e.credits}, invoice findings {e.invoice_findings}")
    deadline = notice_deadline or e.notice_deadline
    if deadline and now is not None:
        today = now.astimezone(zone).date()
        left = (date.fromisoformat(deadline) - today).days
        lines.append(f"Days left to give notice: {left} on {format_day(today)} (notice deadline {deadline}: "
                     f"{deadline} - {today.isoformat()})")
    elif e.days_left_to_give_notice is not None:
        lines.append(f"Days left to give notice: {e.days_left_to_give_notice}{gathered} "
                     f"(notice deadline {e.notice_deadline})")
    return tuple(lines)


def _gathered_at(item: store.RenewalItem) -> str | None:
    return next((str(h["at"]) for h in reversed(item.history or []) if h.get("action") == "evidence.gathered"), None)


def decision_email(contract: ContractItem, item: store.RenewalItem, settings: Settings, *, round_: str,
                   token: str, decide_by: date, to: list[str], cc: list[str], because: str | None = None,
                   headline: str | None = None, link_expires: datetime | None = None):
    """The same renderer as the alerts: the notice deadline, its clause and arithmetic, plus the
    recommendation, the evidence and the decision links; a request asked again says why first
    (``because``) and its subject says what changed (``headline``)."""
    info = contract_info(contract)
    notice = repo.get_obligation(contract.contract_id, "notice_deadline")
    evidence = (notice.evidence if notice else None) or {}
    due = date.fromisoformat(item.notice_deadline or item.term_end)
    now = clock.now()
    prefix = {"owner": "Renewal decision needed", "final": "Final renewal decision needed",
              "escalated": "Escalated: renewal decision overdue, decide"}[round_]
    # after a renegotiation the final decision is renew or not: no link the API would refuse
    final = round_ in ("final", "escalated") and any(h.get("action") == "asked.final" for h in item.history or [])
    content = AlertContent(
        contract_id=contract.contract_id, contract_title=info.title, counterparty=info.counterparty,
        obligation_id="notice_deadline", kind="notice_deadline",
        summary=f"{prefix} by {format_day(decide_by)} for the term ending {format_day(date.fromisoformat(item.term_end))}",
        due=due, deadline_at=dates.end_of_day(due, contract.time_zone),
        days_left=days_left(due, now, contract.time_zone), time_zone=contract.time_zone,
        clause_text=evidence.get("text"), clause_page=evidence.get("page") if isinstance(evidence.get("page"), int) else None,
        derivation=(notice.derivation if notice and notice.derivation else f"term ends {item.term_end}"),
        action=f"Decide by {format_day(decide_by)}: renew, do not renew ("
               + ("it ends with its term, nothing to send" if Evidence.from_dict(item.evidence or {}).auto_renew is False
                  else "a notice letter is prepared")
               + ("). The terms were renegotiated: this is the final decision." if final else "), or renegotiate.")
               + " Without a decision it is escalated, then recorded as lapsed.",
        api_url=contract_url(settings.api_base_url, contract.contract_id) + "/renewal", sent_at=now,
        reminder_name=f"renewal-{round_}-{item.term_end}",
        details=((f"Asked again: {because}",) if because else ())
        + ((f"The decision links below work once, until {_moment_words(link_expires, contract.time_zone)}.",)
           if link_expires else ())
        + evidence_lines(item.evidence or {}, item.recommendation or {}, now=now, time_zone=contract.time_zone,
                         gathered_at=_gathered_at(item), notice_deadline=item.notice_deadline),
        links=decision_links(settings.api_base_url, token,
                             auto_renew=Evidence.from_dict(item.evidence or {}).auto_renew)[:2 if final else 3])
    decision = AlertDecision(send=True, reason=f"renewal decision ({round_})", to=to, cc=cc,
                             escalated=round_ == "escalated", unowned=not contract.owner)
    message = render_alert_email(replace(content, uid=_invite_uid(contract, content.due, now)), decision,
                                 settings.sender_email)
    # the subject's "[Escalation] " says it was escalated: not said twice
    what = f"{prefix.removeprefix('Escalated: ').capitalize()} by {format_day(decide_by)}" \
        + (f" ({headline})" if headline else "")
    message.replace_header("Subject", _subject(what, info.title, info.counterparty, escalated=decision.escalated))
    return message


def _moment_words(at: datetime, time_zone: str | None) -> str:
    """E.g. "23:59 on 15 Mar 2027 (Europe/London)"."""
    local = at.astimezone(dates.zone(time_zone))
    return f"{local:%H:%M} on {format_day(local.date())} ({time_zone or 'UTC'})"


def _subject(what: str, title: str, counterparty: str | None, *, escalated: bool) -> str:
    """One line, single spaces, ASCII punctuation (as ``notify.alert_subject``: an em dash makes the
    folded header an encoded word some clients unfold with a double space)."""
    text = ("[Escalation] " if escalated else "") + f"{what}: {title}" + (f" - {counterparty}" if counterparty else "")
    return " ".join(text.replace("—", "-").replace("…", "...").split())


# --- the branches --------------------------------------------------------------------------------

def _decided(event: dict) -> tuple[ContractItem, store.RenewalItem, dict]:
    contract = _contract(event["contract_id"])
    item, _ = follow_notice_deadline(contract, _record(event), actor=ACTOR)
    # a deadline moved into the past since the decision: recorded; "do not renew" then prepares the
    # notice due on the passed day (overdue, late), as the planner would move it had the branch run
    item, _ = follow_passed_deadline(contract, item, actor=ACTOR)
    return contract, item, dict(item.decision or {})


def _add_obligation(contract: ContractItem, kind: str, term_end: str, summary: str, due: date,
                    action: str, derivation: str, evidence: dict | None) -> str:
    oid = obligation_id(kind, term_end)
    repo.upsert_obligation(contract.contract_id, repo.ObligationRecord(
        obligation_id=oid, kind="deliverable", summary=summary, due=due.isoformat(), action=action,
        derivation=derivation, evidence=evidence, owner=contract.owner), team=contract.team, actor=ACTOR)
    return oid


def _close_notice_deadline(contract: ContractItem, item: store.RenewalItem, decision: dict) -> None:
    """The term's notice deadline is decided: its own reminders stop (a notice to send has its
    obligation), and it is never recorded as missed. The next term's deadline opens it again."""
    notice = repo.get_obligation(contract.contract_id, "notice_deadline")
    if notice is None or notice.status != ObligationStatus.OPEN or notice.due != item.notice_deadline:
        return
    repo.set_obligation_status(contract.contract_id, "notice_deadline", ObligationStatus.DONE, team=contract.team,
                               actor=ACTOR, reason=_decided_reason(decision))


def close_agree_terms(contract: ContractItem, item: store.RenewalItem, status: ObligationStatus,
                      reason: str) -> None:
    """A renegotiation ends with the final decision (or the lapse): its "Agree new terms before ..."
    obligation is closed with that as the reason, and the planner removes its reminders."""
    oid = obligation_id(AGREE_TERMS, item.term_end)
    agree = repo.get_obligation(contract.contract_id, oid)
    if agree is None or agree.status != ObligationStatus.OPEN:
        return
    repo.set_obligation_status(contract.contract_id, oid, status, team=contract.team, actor=ACTOR, reason=reason)


def withdraw_branch(contract: ContractItem, item: store.RenewalItem, settings: Settings, reason: str
                    ) -> dict[str, object]:
    """A decision made for a term end the contract no longer has: its branch's open obligations
    (send the notice, agree new terms, sign the renewal) are superseded with ``reason``, and its
    prepared letter is withdrawn (deleted: the bucket is versioned, so the letter as prepared stays
    among the object's versions; the history keeps its key). Returns what was withdrawn."""
    superseded = []
    for kind in (SEND_NOTICE, AGREE_TERMS, SIGN_RENEWAL):
        oid = obligation_id(kind, item.term_end)
        stored = repo.get_obligation(contract.contract_id, oid)
        if stored is not None and stored.status == ObligationStatus.OPEN:
            repo.set_obligation_status(contract.contract_id, oid, ObligationStatus.SUPERSEDED, team=contract.team,
                                       actor=ACTOR, reason=reason)
            superseded.append(oid)
    if item.notice_key:
        s3.delete_object(settings.bucket, item.notice_key)
    return {"obligations_superseded": superseded, "letter_withdrawn": item.notice_key}


def _decided_reason(decision: dict) -> str:
    return (f"renewal decided: {decision.get('decision')} by {decision.get('by')} "
            f"({decision.get('reason') or 'no reason'})")


def _notice_evidence(contract: ContractItem) -> dict | None:
    notice = repo.get_obligation(contract.contract_id, "notice_deadline")
    return notice.evidence if notice else None


def renew(event: dict) -> dict:
    contract, item, decision = _decided(event)
    evidence = Evidence.from_dict(item.evidence or {})
    created = None
    if not evidence.auto_renew:
        # renews only by signature: someone must sign the renewal before the term ends
        end = date.fromisoformat(item.term_end)
        created = _add_obligation(
            contract, SIGN_RENEWAL, item.term_end, f"Sign the renewal by {format_day(end)}", end,
            action=f"Get the renewal of {contract.title or contract.file_name} signed before the term ends.",
            derivation=f"term ends {item.term_end}; renewal decided by {decision.get('by')} on {decision.get('at')}",
            evidence=_notice_evidence(contract))
    outcome = "renewed: rolls to the next term" if evidence.auto_renew else "renewed: renewal to be signed"
    store.update(item, actor=ACTOR, action="renewed", state=RenewalState.RENEWED.value, outcome=outcome,
                 waiting_round=None, detail={"obligation": created, "decision": decision})
    _close_notice_deadline(contract, item, decision)
    close_agree_terms(contract, item, ObligationStatus.DONE, _decided_reason(decision))
    return {"outcome": outcome, "obligation": created}


def terminate(event: dict, settings: Settings) -> dict:
    contract, item, decision = _decided(event)
    if Evidence.from_dict(item.evidence or {}).auto_renew is False:
        return _let_expire(contract, item, decision)
    notice = date.fromisoformat(item.notice_deadline) if item.notice_deadline else None
    pdf = render_letter(contract, item, settings)
    key = f"{notices_prefix(contract.contract_id)}non-renewal-{item.term_end}.pdf"
    s3.put_file(settings.bucket, key, pdf, metadata={"contract-id": contract.contract_id, "term-end": item.term_end})
    created = _send_notice_obligation(contract, item, notice, decision, key)
    store.update(item, actor=ACTOR, action="terminated", state=RenewalState.TERMINATED.value,
                 outcome="not renewed: notice to send", notice_key=key, waiting_round=None,
                 detail={"letter": key, "obligation": created, "decision": decision})
    _close_notice_deadline(contract, item, decision)
    close_agree_terms(contract, item, ObligationStatus.DONE, _decided_reason(decision))
    return {"letter": key, "obligation": created}


def _let_expire(contract: ContractItem, item: store.RenewalItem, decision: dict) -> dict:
    """"Do not renew" on a contract that does not renew by itself: it ends on its term's end with
    nothing to send (a notice of non-renewal would stop nothing): no letter, no send-notice
    obligation; the decision is recorded and says so."""
    end = date.fromisoformat(item.term_end)
    outcome = (f"not renewed: ends {item.term_end} (the contract does not renew by itself: "
               "no notice of non-renewal to send)")
    store.update(item, actor=ACTOR, action="terminated", state=RenewalState.TERMINATED.value, outcome=outcome,
                 waiting_round=None, detail={"letter": None, "obligation": None, "decision": decision,
                                             "ends": end.isoformat(), "auto_renew": False})
    _close_notice_deadline(contract, item, decision)
    close_agree_terms(contract, item, ObligationStatus.DONE, _decided_reason(decision))
    return {"letter": None, "obligation": None, "outcome": outcome}


def _send_notice_obligation(contract: ContractItem, item: store.RenewalItem, notice: date | None, decision: dict,
                            key: str) -> str:
    due = notice or date.fromisoformat(item.term_end)
    return _add_obligation(
        contract, SEND_NOTICE, item.term_end, f"Send the notice of non-renewal by {format_day(due)}", due,
        action=f"Send the prepared letter ({key}) as the contract requires, then mark this done with the "
               "proof of sending (an object under the contract's evidence folder).",
        derivation=f"notice deadline {due.isoformat()} ({notice_derivation(contract, notice, item.term_end)}); "
                   f"decided {decision.get('decision')} by {decision.get('by')} on {decision.get('at')}",
        evidence=_notice_evidence(contract))


def _agree_terms_obligation(contract: ContractItem, item: store.RenewalItem, notice: date | None,
                            decision: dict) -> str:
    due = notice or date.fromisoformat(item.term_end)
    return _add_obligation(
        contract, AGREE_TERMS, item.term_end, f"Agree new terms before {format_day(due)}", due,
        action="Agree the new terms with the counterparty, then give the final decision (renew or do not renew).",
        derivation=f"notice deadline {due.isoformat()} ({notice_derivation(contract, notice, item.term_end)}); "
                   f"renegotiation decided by {decision.get('by')} on {decision.get('at')}",
        evidence=_notice_evidence(contract))


def reissue_branch_obligations(contract: ContractItem, item: store.RenewalItem, settings: Settings) -> list[str]:
    """After the notice deadline moved: the branch's open obligation (send the notice, agree new
    terms) takes the new date, and a prepared letter is written again with it. Returns the ids."""
    notice = date.fromisoformat(item.notice_deadline) if item.notice_deadline else None
    decision = dict(item.decision or {})
    moved = []
    for kind in (SEND_NOTICE, AGREE_TERMS):
        oid = obligation_id(kind, item.term_end)
        stored = repo.get_obligation(contract.contract_id, oid)
        # without a notice deadline the obligation is due on the term's end: not a move
        if stored is None or stored.status != ObligationStatus.OPEN or \
                stored.due == (item.notice_deadline or item.term_end):
            continue
        if kind == SEND_NOTICE and item.notice_key:
            s3.put_file(settings.bucket, item.notice_key, render_letter(contract, item, settings),
                        metadata={"contract-id": contract.contract_id, "term-end": item.term_end})
            _send_notice_obligation(contract, item, notice, decision, item.notice_key)
        elif kind == AGREE_TERMS:
            _agree_terms_obligation(contract, item, notice, decision)
        else:
            continue
        moved.append(oid)
    return moved


def render_letter(contract: ContractItem, item: store.RenewalItem, settings: Settings) -> bytes:
    extracted = contract.extracted
    parties = extracted.parties if extracted else []
    counterparty = contract.counterparty or (parties[0].name if parties else "the counterparty")
    ours = next((p.name for p in parties if p.name != counterparty
                 and (p.name.lower() not in counterparty.lower() and counterparty.lower() not in p.name.lower())),
                None) or contract.team
    pages = _pages(contract, settings)
    right = None
    clause_term = None
    entered = entered_notice_period(contract)
    for name in ("auto_renewal", "notice_period", "renewal_term"):
        clause_term = extracted.term(name) if extracted else None
        if clause_term is not None and clause_term.evidence is not None and (
                entered is None or _states_period_or_none(clause_term.evidence.text, entered.period)):
            break
        clause_term = None  # none, or a clause stating another notice period than the one in force
    if clause_term is not None and clause_term.evidence is not None:
        ev = clause_term.evidence
        source, document = pages, None
        if clause_term.amended_by:  # quoted from the amendment: its pages and sections, named
            amendment = repo.get_contract(clause_term.amended_by)
            source = _pages(amendment, settings) if amendment else []
            document = (amendment.title or amendment.file_name) if amendment else "the amendment"
        page_text = source[ev.page - 1] if 0 < ev.page <= len(source) else ""
        right = letter.Clause(" ".join(ev.text.split()), ev.page, letter.section_before(page_text, ev.start),
                              document)
    agreement_date = (extracted.value("agreement_date") or extracted.value("effective_date")) if extracted else None
    return letter.render_pdf(letter.NoticeLetter(
        sender=ours, recipient=counterparty, title=contract.title or contract.file_name,
        agreement_date=agreement_date if isinstance(agreement_date, str) else None, right=right,
        notice_terms=letter.notice_terms(pages), term_end=date.fromisoformat(item.term_end),
        notice_deadline=date.fromisoformat(item.notice_deadline) if item.notice_deadline else None,
        dated=clock.now().astimezone(dates.zone(contract.time_zone)).date(),
        signatory=None,  # no person's name is known (only email addresses): a line to sign on
        notice_period=entered.sentence(contract) if entered else None))


@dataclass(frozen=True)
class EnteredPeriod:
    """The notice period in force as a person entered it (the term's latest version is theirs)."""

    period: dates.Duration
    by: str
    at: str  # ISO timestamp of the entry
    note: str | None
    confirmed: bool  # the same period as the extraction had read: the person confirmed it

    def sentence(self, contract: ContractItem) -> str:
        day = format_day(datetime.fromisoformat(self.at).astimezone(dates.zone(contract.time_zone)).date())
        words = human_duration(self.period) + dates.business_days_words(self.period, contract_info(contract).jurisdiction)
        how = "confirmed" if self.confirmed else "entered"
        return (f"The notice period that applies is {words}, as {how} by {self.by} on {day}"
                + (f" ({self.note})" if self.note else "") + ".")


def entered_notice_period(contract: ContractItem) -> EnteredPeriod | None:
    """The notice period a person entered or confirmed, when it is the one in force (the term's
    latest version; an amendment extracted since wrote a newer one, quoted as read), with who
    entered it and when (``store``'s term versions, as ``pipeline/corrections.py`` reads them)."""
    versions = repo.term_history(contract.contract_id).get("notice_period") or []
    if not versions or not versions[-1].entered_by or not isinstance(versions[-1].value, str):
        return None
    latest = versions[-1]
    try:
        period = dates.as_duration(latest.value)
    except ValueError:
        return None
    read = [v for v in versions[:-1] if not v.entered_by]
    note = (latest.derivation or "").partition(": ")[2].strip() or None
    confirmed = bool(read) and isinstance(read[-1].value, str) and _same_period(read[-1].value, period)
    return EnteredPeriod(period, str(latest.entered_by), str(latest.recorded_at), note, confirmed)


def _same_period(value: str, period: dates.Duration) -> bool:
    try:
        return dates.as_duration(value) == period
    except ValueError:
        return False


def _states_period_or_none(clause: str, period: dates.Duration) -> bool:
    """Whether a clause may be quoted beside the period in force: it states that notice period or
    none (read by the extractor's own readers, from the clause's text alone)."""
    from ..extract import extract_contract

    stated = extract_contract([clause]).value("notice_period")
    return not isinstance(stated, str) or _same_period(stated, period)


def _pages(contract: ContractItem, settings: Settings) -> list[str]:
    stored = s3.get_json(settings.bucket, config.text_key(contract.contract_id)) if contract.text_key else None
    return DocumentText.from_dict(stored).page_texts if stored else []


def renegotiate(event: dict) -> dict:
    contract, item, decision = _decided(event)
    passed = notice_passed_line(item)
    if passed is not None:  # no new terms can be agreed in time: nothing to agree, nobody asked again
        raise NoticeDeadlinePassed(str(passed["reason"]))
    notice = date.fromisoformat(item.notice_deadline) if item.notice_deadline else None
    created = _agree_terms_obligation(contract, item, notice, decision)
    _, final_day = cutoffs(contract, item.term_end, notice)
    store.update(item, actor=ACTOR, action="renegotiating", state=RenewalState.RENEGOTIATING.value,
                 waiting_round=None, detail={"obligation": created, "decision": decision})
    return {"obligation": created, "final_timeout_seconds": seconds_until(final_day, contract.time_zone, clock.now())}


def extended_seconds(wait_deadline: str | None, now: datetime) -> int | None:
    """The seconds a round whose Step Functions timer ran out still has to wait, when its stored
    deadline is later (a notice deadline moved later after the round was asked: the timer, set when
    it was asked, cannot be changed); None when the stored deadline passed (or there is none)."""
    if not wait_deadline:
        return None
    left = datetime.fromisoformat(wait_deadline) - now
    return int(left.total_seconds()) + 1 if left.total_seconds() > 0 else None


def timed_out(event: dict) -> dict:
    """A round's wait timed out (its Step Functions timer, or ``DecisionTimeout`` from the planner,
    the sweep or tick). The round still waiting with a stored deadline ahead waits ``again`` until
    it (the definition enters the same round's wait: the ask step takes the new task token and
    mails nobody; the person asked was told of the later day when it moved); else the definition
    escalates, or lapses after the escalated round. Writes nothing when the wait is over."""
    item = _record(event)
    round_ = item.waiting_round or ""
    # (a deadline moved into the past meanwhile: not extended, the escalation step skips to the lapse)
    seconds = extended_seconds(item.wait_deadline, clock.now()) \
        if item.state == RenewalState.WAITING and round_ and notice_passed_line(item) is None else None
    if seconds is None:
        return {"again": "", "round": round_, "timeout_seconds": 1}
    store.update(item, actor=ACTOR, action="wait.extended", detail={
        "round": round_, "wait_deadline": item.wait_deadline, "decide_by": asked_decide_by(item)})
    if os.environ.get(config.ENV_RENEWAL_TIMEOUTS) == "table":
        seconds = config.LOCAL_WAIT_SECONDS  # the embedded default times waits out from the table
    return {"again": round_, "round": round_, "timeout_seconds": seconds}


def escalate(event: dict) -> dict:
    """The round asked timed out: escalate until the final cut-off, or, once that passed (after a
    renegotiation's final round), until the notice deadline itself; with no time left before
    that, the escalation is skipped with the reason and the decision lapses (``skip``)."""
    contract = _contract(event["contract_id"])
    item, _ = follow_notice_deadline(contract, _record(event), actor=ACTOR)
    item, passed = follow_passed_deadline(contract, item, actor=ACTOR)
    notice = date.fromisoformat(item.notice_deadline) if item.notice_deadline else None
    _, final_day = cutoffs(contract, item.term_end, notice)
    reference, kind = _reference(item.term_end, notice)
    now = clock.now()
    day, why = escalated_day(final_day, reference, kind, contract.time_zone, now)
    if passed is not None:  # moved into the past: nobody to escalate to, whatever time the cut-offs had
        day, why = None, str(passed["reason"])
    if day is None:
        store.update(item, actor=ACTOR, action="escalation.skipped", waiting_round=None, task_token=None,
                     detail={"timed_out_round": item.waiting_round, "reason": why})
        return {"skip": True, "final_timeout_seconds": 1}
    store.update(item, actor=ACTOR, action="escalated", waiting_round=None, task_token=None,
                 recommendation={**(item.recommendation or {}), "escalated_decides_by": day.isoformat(),
                                 "escalated_derivation": why},
                 detail={"timed_out_round": item.waiting_round, "final_cutoff": final_day.isoformat(),
                         "decide_by": day.isoformat(), "derivation": why})
    return {"skip": False, "final_timeout_seconds": seconds_until(day, contract.time_zone, now)}


def lapse(event: dict, settings: Settings) -> dict:
    """No decision by the final cut-off: recorded (never silently) and alerted."""
    contract = _contract(event["contract_id"])
    item = _record(event)
    auto = Evidence.from_dict(item.evidence or {}).auto_renew
    state = RenewalState.LAPSED_RENEWED if auto else RenewalState.LAPSED_EXPIRED
    # the notice deadline moved into the past while a person was asked, or between two steps (then
    # recorded now): nobody could decide in time
    item, passed = follow_passed_deadline(contract, item, actor=ACTOR)
    why = str(passed["reason"]) if passed else None
    due = date.fromisoformat(item.notice_deadline or item.term_end)
    now = clock.now()
    # nobody decided by the cut-off, but notice can still be given until the deadline's end: the
    # contract has not renewed, and a late decision is still taken (``decide.decide_after_lapse``),
    # from this email's links too (new ones, until then)
    open_until = dates.end_of_day(due, contract.time_zone)
    still_open = why is None and now <= open_until
    nonce = links.new_nonce() if auto and still_open else None
    store.update(item, actor=ACTOR, action="lapsed", state=state.value, outcome=state.value, waiting_round=None,
                 task_token=None, decision_nonce=nonce,
                 detail={"auto_renew": auto, **({"reason": why} if why else {}),
                         **({"link_expires": open_until.isoformat()} if nonce else {})})
    # the renegotiation, if there was one, ended without a final decision
    close_agree_terms(contract, item, ObligationStatus.SUPERSEDED,
                       f"renewal {state.value}: " + (why or "no final decision by the final cut-off"))
    to = [contract.owner or settings.default_owner]
    cc = [settings.escalation_email] if settings.escalation_email not in to else []
    info = contract_info(contract)
    end = format_day(date.fromisoformat(item.term_end))
    left = days_left(due, now, contract.time_zone)
    late_links: tuple[tuple[str, str], ...] = ()
    if nonce:
        token = links.sign(store.secret(links.SECRET_NAME), contract.contract_id, item.term_end, nonce, open_until)
        late_links = decision_links(settings.api_base_url, token, auto_renew=auto)[:2]  # renew, do not renew
    if why:
        summary = (f"No renewal decision can take effect: the notice deadline moved to {format_day(due)}, "
                   f"already passed: {state.value}")
        derivation, action = why, ("Notice can no longer be given for this term. Review the contract now; the reason "
                                   "is recorded in its audit trail.")
        subject = f"Renewal {state.value}"
    elif auto and still_open:
        summary = (f"No renewal decision by the cut-off {format_day(date.fromisoformat(last_decide_by(item)))}; "
                   f"notice can still be given until {format_day(due)} ({days_left_phrase(left)}); "
                   f"it renews when this term ends on {end} if none is given")
        derivation = f"no decision by {last_decide_by(item)}; notice deadline {due.isoformat()}"
        action = (f"To stop the renewal, decide \"do not renew\" by {format_day(due)} (the link below, the "
                  "contract's renewal page, or POST /contracts/{id}/renewal-decision): the notice letter and the "
                  "send-notice obligation are prepared as for a decision in time. Otherwise nothing is needed. "
                  f"The links below work once, until {_moment_words(open_until, contract.time_zone)}.")
        subject = f"No renewal decision by the cut-off - notice still possible until {format_day(due)}"
    else:
        what = "it renews automatically for another term" if auto else f"it expires on {end}"
        summary = f"No renewal decision was made: {state.value}"
        derivation = f"no decision by {last_decide_by(item)}; {what}"
        action = "Nobody decided in time. Review the contract now; the lapse is recorded in its audit trail."
        subject = f"Renewal {state.value}"
    content = AlertContent(
        contract_id=contract.contract_id, contract_title=info.title, counterparty=info.counterparty,
        obligation_id="notice_deadline", kind="notice_deadline", summary=summary, due=due,
        deadline_at=dates.end_of_day(due, contract.time_zone), days_left=left,
        time_zone=contract.time_zone, clause_text=None, clause_page=None, derivation=derivation, action=action,
        api_url=contract_url(settings.api_base_url, contract.contract_id) + "/renewal", sent_at=now,
        reminder_name=f"renewal-lapsed-{item.term_end}",
        details=evidence_lines(item.evidence or {}, item.recommendation or {}, now=now, time_zone=contract.time_zone,
                               gathered_at=_gathered_at(item), notice_deadline=item.notice_deadline),
        links=late_links)
    message = render_alert_email(replace(content, uid=_invite_uid(contract, content.due, now)), AlertDecision(
        send=True, reason="renewal lapsed", to=to, cc=cc, escalated=True, unowned=not contract.owner),
        settings.sender_email)
    message.replace_header("Subject", _subject(subject, info.title, info.counterparty, escalated=True))
    message_id = send_email(message)
    _record_invite(contract, item, to + cc, now)
    repo.record_audit(contract.contract_id, ACTOR, "renewal.mail.sent",
                      {"term_end": item.term_end, "round": "lapsed", "to": to, "cc": cc, "ses_message_id": message_id})
    return {"outcome": state.value}



def asked_decide_by(item: store.RenewalItem) -> str | None:
    """The last day a person was asked to decide by, a notice deadline moved since counted."""
    asked = [h for h in item.history or [] if h.get("decide_by") and (
        str(h.get("action", "")).startswith("asked.") or h.get("action") in store.WAIT_MOVES)]
    return str(asked[-1]["decide_by"]) if asked else None


def last_decide_by(item: store.RenewalItem) -> str:
    """The last day a person was asked to decide by (the round that timed out last)."""
    return asked_decide_by(item) or str((item.recommendation or {}).get("final_cutoff") or item.term_end)


def run(event: dict, settings: Settings) -> dict:
    """Dispatch on the event's ``step``."""
    step = event.get("step")
    simple = {"gather": gather, "recommend": recommend_step, "renew": renew, "renegotiate": renegotiate,
              "escalate": escalate, "timed_out": timed_out}
    with_settings = {"ask": ask, "terminate": terminate, "lapse": lapse}
    try:
        if step in simple:
            result = simple[step](event)
        elif step in with_settings:
            result = with_settings[step](event, settings)
        else:
            raise RenewalError(f"unknown step {step!r}")
    except ContractDeleted as gone:  # the trail (kept with the contract's deletion) says where it ended
        repo.record_audit(event["contract_id"], ACTOR, "renewal.ended",
                          {"step": step, "term_end": event.get("term_end"), "reason": str(gone)})
        raise
    if step in ("ask", "renew", "terminate", "renegotiate", "lapse") and not result.get("resumed"):
        _publish(settings, step, event, result)
    return result


def _publish(settings: Settings, step: str, event: dict, result: dict) -> None:
    """The team's webhooks hear that a decision is needed (each round asked) or was made (or lapsed)."""
    from ..pipeline.webhooks import publish_quietly
    from ..webhooks import Event, event_id

    contract = _contract(event["contract_id"])
    item = _record(event)
    title = contract.title or contract.file_name
    needed = step == "ask"
    kind = "renewal.decision_needed" if needed else "renewal.decided"
    round_ = result.get("round") or event.get("round") or "owner"
    recommended = (item.recommendation or {}).get("decision")
    summary = (f"{title}: renewal decision needed (term ends {item.term_end}, notice by {item.notice_deadline}; "
               f"recommended {recommended})" if needed else
               f"{title}: {item.outcome or step} (term ends {item.term_end})")
    publish_quietly(settings, contract.team, Event(
        # a decision begun again (its term's end moved away and came back) is news again: its run in the id
        id=event_id(kind, contract.contract_id, item.term_end, round_ if needed else step,
                    *((f"r{item.restarts}",) if item.restarts else ())), type=kind,
        created=clock.iso(), summary=summary,
        data={"contract_id": contract.contract_id, "term_end": item.term_end, "notice_deadline": item.notice_deadline,
              "step": step, "round": round_, "recommended": recommended, "decision": item.decision,
              "outcome": item.outcome},
        link=f"{settings.api_base_url.rstrip('/')}/contracts/{contract.contract_id}/renewal"))
