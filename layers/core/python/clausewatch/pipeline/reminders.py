"""Reminders: keep a contract's schedules equal to what its open deadlines need, and turn a
schedule's firing into an email (or a recorded reason not to send one)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, date, datetime

from .. import clock, config, dates, schema
from ..aws import scheduler
from ..aws.email import send_email
from ..config import Settings
from ..horizon import split_by_horizon, with_later_start
from ..notify import AlertDecision, content_for, days_left_phrase, decide_alert, render_alert_email
from ..plan import (
    Deadline,
    after_the_term,
    diff_schedules,
    format_day,
    is_schedule_of,
    plan_reminders,
    schedule_name_prefix,
)
from ..schema import ContractStatus, ObligationStatus
from ..store import repository as repo
from ..store import work
from ..store.models import ContractItem, ObligationItem
from .calendar_changes import invite_uid_now, record_invite, sync_calendar_changes
from .claims import DeliveryInFlight
from .record import contract_info, is_missed_record, refresh_deadlines


def sync_renewal_start(settings: Settings, contract_id: str, now: datetime, *, actor: str,
                       rezoned: bool = False) -> datetime | None:
    """The renewal decision's start schedule within the horizon; returns when a start left out of
    it fires (None: none is waiting). ``rezoned``: the contract's time zone was changed, so a start
    made in the old one is deleted first and made again in the new one (its name does not say it)."""
    from ..renewal.planning import sync_start  # the renewal package imports this module
    from ..renewal.schedule import diff_starts, schedule_prefix

    if rezoned:
        existing = scheduler.schedule_names(settings, schedule_prefix(contract_id))
        scheduler.delete_schedules(settings, diff_starts(None, existing, contract_id)[1])
    later = sync_start(settings, contract_id, now, actor=actor)
    return later.fire_at if later is not None else None


def follow_renewal(settings: Settings, contract: ContractItem, *, actor: str) -> ContractItem:
    """A renewal decision for a term that no longer ends on its day ends (one still open) or is
    superseded (one made whose notice was not given; one whose notice was given says the term
    moved after it); one on the current term follows its notice deadline as just refreshed; a "do
    not renew" says what it came to (the notice given, or missed and the contract renewed).
    Returns the contract as planned now (planned again when a decision that ended it changed)."""
    from ..renewal.planning import (  # the renewal package imports this module
        end_moved_terms,
        follow_notice_deadline,
        settle_outcomes,
        supersede_moved_decisions,
    )

    if supersede_moved_decisions(settings, contract, actor=actor) and contract.ended:
        # the decision that ended the contract is superseded (or notes the move): its terms are
        # planned again in this run, not the next
        contract = repo.get_contract(contract.contract_id) or contract
        refresh_deadlines(contract, today=clock.now().astimezone(dates.zone(contract.time_zone)).date(),
                          actor=actor)
        contract = repo.get_contract(contract.contract_id) or contract
    end_moved_terms(contract, actor=actor)
    follow_notice_deadline(settings, contract, actor=actor)
    settle_outcomes(contract, actor=actor)
    return contract


log = logging.getLogger(__name__)

ALERT_SENT = "alert.sent"
ALERT_SUPPRESSED = "alert.suppressed"
ALERT_HELD = "alert.held"  # handled: the recipient's weekly digest lists it instead


def open_deadlines(contract: ContractItem) -> list[Deadline]:
    """The contract's open, dated obligations as planning input (a missed notice deadline kept for
    the record is not reminded about: the renewed term's deadline has the reminders). Once a
    renewal decision ended the contract (the notice of non-renewal given, or expired), nothing after
    that term's end is reminded of; a "do not renew" whose notice was not given ends nothing."""
    end = contract_end(contract.contract_id, contract.time_zone)
    return [deadline_of(item) for item in repo.obligations(contract.contract_id)
            if item.status == ObligationStatus.OPEN and item.due and not is_missed_record(item.obligation_id)
            and (end is None or not after_the_term(item.kind, item.due, item.derivation, end))]


def earlier_days_of_periods(contract_id: str, deadlines: list[Deadline]) -> dict[str, list[tuple[str, date]]]:
    """For each open occurrence of a recurring duty among ``deadlines``, the (obligation id, due) of
    its period's occurrences superseded on the days it was due before (a calendar changed: the day
    moved, ``record._supersede_recounted_occurrences``), so the reminders sent of them count
    (``plan.plan_reminders``' ``earlier_days``). Read only when there is such an occurrence."""
    periods = {(d.obligation_id.split("@", 1)[0], dates.period_boundary(d.derivation)): d.obligation_id
               for d in deadlines if d.kind == "recurring" and "@" in d.obligation_id}
    if not any(boundary for _, boundary in periods):
        return {}
    earlier: dict[str, list[tuple[str, date]]] = {}
    for item in repo.obligations(contract_id):
        if item.status != ObligationStatus.SUPERSEDED or item.kind != "recurring" or "@" not in item.obligation_id \
                or not item.due:
            continue
        current = periods.get((item.obligation_id.split("@", 1)[0], dates.period_boundary(item.derivation)))
        if current is not None and current != item.obligation_id and dates.period_boundary(item.derivation):
            earlier.setdefault(current, []).append((item.obligation_id, date.fromisoformat(item.due)))
    return earlier


def contract_end(contract_id: str, time_zone: str = "UTC") -> str | None:
    """The last day of the contract when a renewal decision ended it (``renewal.ended``); None
    while it goes on."""
    from ..renewal.ended import contract_ended  # the renewal package imports this module

    ended = contract_ended(contract_id, time_zone)
    return ended.last_day if ended else None


def sync_reminders(settings: Settings, contract_id: str, now: datetime | None = None,
                   actor: str = "planner") -> tuple[int, int]:
    """Create the schedules the contract's open deadlines need within the rolling horizon
    (``config.reminder_horizon_days``) and delete the rest; keep the contract's next planning day
    (GSI5, when the daily sweep plans it again) with its arithmetic.

    Returns (created, deleted). A deleted, quarantined or failed contract ends with none.
    """
    now = now or clock.now()
    existing = scheduler.schedule_names(settings, schedule_name_prefix(contract_id))
    contract = repo.get_contract(contract_id)
    if contract is None or contract.status != ContractStatus.EXTRACTED:
        scheduler.delete_schedules(settings, existing)
        sync_renewal_start(settings, contract_id, now, actor=actor)
        sync_calendar_changes(settings, contract_id, now, actor=actor)  # a deleted contract's entries withdrawn
        return 0, len(existing)
    refresh_deadlines(contract, today=now.astimezone(dates.zone(contract.time_zone)).date(), actor=actor)
    contract = follow_renewal(settings, contract, actor=actor)
    sync_calendar_changes(settings, contract_id, now, actor=actor)  # mailed entries whose date moved or is gone
    deadlines = open_deadlines(contract)
    wanted = plan_reminders(contract_info(contract), deadlines, now, sent=sent_reminders(contract_id),
                            earlier_days=earlier_days_of_periods(contract_id, deadlines))
    horizon = config.reminder_horizon_days()
    split = split_by_horizon(wanted, deadlines, now, horizon, contract.time_zone)
    to_create, to_delete = diff_schedules(split.scheduled, existing, contract_id)
    rezoned, zone = contract.rezoned_from, contract.time_zone
    if rezoned:  # made in the zone before a person changed it: a name does not say its zone, so all made again
        to_create = list(split.scheduled)
        to_delete = {name for name in existing if is_schedule_of(name, contract_id)}
        scheduler.delete_schedules(settings, to_delete)  # first: a name made again is refused while it is there
    for reminder in to_create:
        scheduler.create_schedule(settings, reminder,
                                  description=f"{reminder.kind} {reminder.due} for {contract.title}")
    if not rezoned:
        scheduler.delete_schedules(settings, to_delete)
    # the renewal decision's start, under the same horizon: one beyond it is planned again in time
    split = with_later_start(split, sync_renewal_start(settings, contract_id, now, actor=actor, rezoned=bool(rezoned)),
                             horizon)
    work.set_next_planning(contract, split.next_planning, split.derivation)
    if rezoned:
        planned_in_zone(contract, rezoned, zone)
    if to_create or to_delete:
        repo.record_audit(contract_id, actor, "reminders.planned",
                          {"created": sorted(r.schedule_name for r in to_create), "deleted": sorted(to_delete),
                           "wanted": len(wanted), "later": len(split.later),
                           "next_planning": split.next_planning.isoformat() if split.next_planning else None,
                           "next_planning_derivation": split.derivation})
    return len(to_create), len(to_delete)


def planned_in_zone(contract: ContractItem, rezoned: str, zone: str) -> bool:
    """The contract's schedules are made in ``zone``: its ``rezoned_from`` mark goes, unless the
    time zone was changed again meanwhile (then the next planning makes them again)."""
    def actions() -> list | None:
        same = contract.rezoned_from == rezoned and contract.time_zone == zone
        return [ContractItem.rezoned_from.remove()] if same else None

    return repo.update_derived(contract, ("rezoned_from",), actions)


def sent_reminders(contract_id: str, names: list[str] | None = None) -> set[str]:
    """Names of the contract's reminders already handled (emailed, or held for the recipient's
    weekly digest: ``_told`` says which of those told them), from their keyed SENT# items (``store.work``), never the
    audit trail: with ``names``, which of those (one BatchGetItem)."""
    return work.sent_reminders(contract_id, names)


def deadline_of(item) -> Deadline:
    """A stored dated obligation as a deadline (planning, alert emails, calendar feeds)."""
    return Deadline(obligation_id=item.obligation_id, kind=item.kind, summary=item.summary,
                    due=date.fromisoformat(item.due), owner=item.owner, evidence=item.evidence,
                    derivation=item.derivation or "", action=item.action or "")


def send_alert(settings: Settings, payload: dict, now: datetime | None = None) -> AlertDecision:
    """The alert λ's work: re-read the obligation, decide, send (SES) and audit."""
    now = now or clock.now()
    contract_id, obligation_id = payload["contract_id"], payload["obligation_id"]
    contract = repo.get_contract(contract_id)
    obligation = repo.get_obligation(contract_id, obligation_id) if contract else None
    decision = decide_alert(
        payload,
        current_due=date.fromisoformat(obligation.due) if obligation and obligation.due else None,
        obligation_status=obligation.status if obligation else ObligationStatus.CANCELLED,
        # a reminder held for the owner's digest counts as told once a digest listed the deadline:
        # the next one may escalate
        already_sent=_told(settings, contract, obligation, payload) if contract else set(),
        owner=obligation.owner if obligation else None,
        contract_owner=contract.owner if contract else None,
        escalation_email=settings.escalation_email,
        default_owner=settings.default_owner,
        acknowledged=bool(obligation and obligation.acknowledged),
    )
    if not decision.send:
        if contract:
            repo.record_audit(contract_id, "alert", ALERT_SUPPRESSED,
                              {"reminder": payload.get("name"), "obligation_id": obligation_id,
                               "reason": decision.reason})
            # a catch-up not sent (its occurrence done, moved or already told of): those it carried
            # are each told of on their own, never lost with it
            _hand_on(settings, payload, payload.get("together") or [], now)
        return decision
    # decide_alert sends nothing about a missing contract or obligation (status cancelled)
    assert contract is not None and obligation is not None
    name = payload.get("name", "")
    held = _held_for_digest(decision, payload, obligation, contract, now)
    if held is not None:
        if not _claim(contract_id, name, "held", now, lease=False):
            return _duplicate(settings, payload, now)
        carried: list[tuple[str, ObligationItem, str, dict]] = []
        left_out = _claim_carried(settings, contract, payload, decision, "held", now, lease=False, into=carried)
        told = [(name, obligation, {}), *((n, item, {"with": name}) for n, item, _, _ in carried)]
        for told_name, item, carried_by in told:
            repo.record_audit(contract_id, "alert", ALERT_HELD, {"reminder": told_name, **carried_by,
                                                                 "obligation_id": item.obligation_id,
                                                                 "reason": held.reason})
        # the team's channels hear every reminder, whatever one person chose for their own inbox
        for told_name, item, _ in told:
            _publish_reminder(settings, contract, item,
                              content_for(contract_info(contract), deadline_of(item), sent_at=now,
                                          api_base_url=settings.api_base_url, reminder_name=told_name), told_name, now)
        _hand_on(settings, payload, left_out, now)
        return held
    until = _claim(contract_id, name, "sent", now, lease=True)
    if not until:  # a concurrent or retried delivery got here first
        return _duplicate(settings, payload, now)
    carried = []
    try:  # every claim made here is given back when the email is not sent (the retry claims them again)
        left_out = _claim_carried(settings, contract, payload, decision, "sent", now, lease=True, into=carried)
        content = content_for(contract_info(contract), deadline_of(obligation), sent_at=now,
                              api_base_url=settings.api_base_url, reminder_name=name,
                              uid=invite_uid_now(contract, obligation.obligation_id, obligation.due, now))
        also = [content_for(contract_info(contract), deadline_of(item), sent_at=now,
                            api_base_url=settings.api_base_url, reminder_name=carried_name,
                            uid=invite_uid_now(contract, item.obligation_id, item.due, now))
                for carried_name, item, _, _ in carried]
        message = render_alert_email(replace(content, also=tuple(also)), decision, settings.sender_email)
        message_id = send_email(message)
    except Exception:
        repo.give_back_reminder(contract_id, name, until)  # not sent: the retry may claim it again
        for carried_name, _, carried_until, _ in carried:
            repo.give_back_reminder(contract_id, carried_name, carried_until)
        raise
    # sent, then settled at once: only a crash between the two sends it again (once more at most);
    # settled first, a crash before the email would lose it. Nothing that can fail runs in between
    # (a failed calendar record or audit line there made the retry, after the lease, send it twice)
    if not repo.settle_reminder(contract_id, name, until):
        log.warning("reminder %s of %s: its claim ran out while it was sent and another delivery took it "
                    "over (that one sends it too)", name, contract_id)
    # what follows the email is each tried, whatever failed before it (a retry finds the reminder
    # handled and does none of them again); the first failure is raised after, for the DLQ and alarms.
    # The carried reminders are settled first, each on its own (one that fails leaves the rest done)
    _after_sending([
        *(lambda carried_name=carried_name, carried_until=carried_until: repo.settle_reminder(
            contract_id, carried_name, carried_until) for carried_name, _, carried_until, _ in carried),
        lambda: repo.record_audit(contract_id, "alert", ALERT_SENT, {
            "reminder": payload.get("name"), "obligation_id": obligation_id,
            "to": decision.to, "cc": decision.cc, "escalated": decision.escalated,
            "unowned": decision.unowned, "acknowledged": obligation.acknowledged,
            "subject": message["Subject"], "ses_message_id": message_id, "due": obligation.due,
            "lead_days": payload.get("lead_days")}),
        lambda: record_invite(contract, obligation, decision.to + decision.cc, now),  # the .ics is in their calendars
        lambda: _publish_reminder(settings, contract, obligation, content, name, now),
        *(step for (carried_name, item, _, entry), shown in zip(carried, also, strict=True) for step in (
            lambda carried_name=carried_name, item=item, entry=entry: repo.record_audit(
                contract_id, "alert", ALERT_SENT, {
                    "reminder": carried_name, "with": name, "obligation_id": item.obligation_id, "to": decision.to,
                    "cc": decision.cc, "escalated": decision.escalated, "unowned": decision.unowned,
                    "acknowledged": item.acknowledged, "subject": message["Subject"], "ses_message_id": message_id,
                    "due": item.due, "lead_days": entry.get("lead_days")}),
            lambda item=item: record_invite(contract, item, decision.to + decision.cc, now),
            lambda item=item, shown=shown, carried_name=carried_name: _publish_reminder(
                settings, contract, item, shown, carried_name, now))),
        lambda: _hand_on(settings, payload, left_out, now),  # those for someone else: their own catch-up
    ], what=f"reminder {name} of {contract_id}")
    return decision


def _carried_payload(payload: dict, entry: dict, rest: list[dict]) -> dict:
    """A carried occurrence's own catch-up (``together``'s ``entry``), carrying ``rest``: the
    catch-up's payload with that occurrence's reminder, its sequence and earlier names (so it escalates
    as its own catch-up would; an entry planned before they were kept: none, not escalated)."""
    return {**payload, "name": entry.get("name") or "", "obligation_id": entry.get("obligation_id") or "",
            "due": entry.get("due"), "lead_days": entry.get("lead_days") or 0,
            "sequence": entry.get("sequence") or 0, "earlier_names": list(entry.get("earlier_names") or []),
            "together": rest}


def _claim_carried(settings: Settings, contract, payload: dict, decision: AlertDecision, outcome: str,
                   now: datetime, *, lease: bool, into: list[tuple[str, ObligationItem, str, dict]]) -> list[dict]:
    """The occurrences a catch-up carries (``together``: one duty's other overdue occurrences,
    ``plan.one_catch_up_per_duty``) still open on the day it was planned for and going to the same
    person as it (``decision.to``; one handed to someone else since is left out), each one's
    reminder claimed as this one's was, appended to ``into`` as they are claimed (so a failure
    part-way gives back those claimed): (its name, the occurrence, its claim, its ``together``
    entry). One done, waived or moved meanwhile is left to its own planning; one already handled,
    or being sent by another delivery, is told of there. Returns the entries left out for their
    recipient: each to get its own catch-up (``_hand_on``), none marked handled here."""
    left_out: list[dict] = []
    same = [address.lower() for address in decision.to]
    for each in payload.get("together") or []:
        item = repo.get_obligation(contract.contract_id, each.get("obligation_id") or "")
        if item is None or item.status != ObligationStatus.OPEN or item.due != each.get("due"):
            continue  # done, waived or moved meanwhile: its own planning reminds of it
        own = decide_alert(_carried_payload(payload, each, []), current_due=date.fromisoformat(item.due),
                           obligation_status=item.status, already_sent=set(), owner=item.owner,
                           contract_owner=contract.owner, escalation_email=settings.escalation_email,
                           default_owner=settings.default_owner, acknowledged=bool(item.acknowledged))
        if [address.lower() for address in own.to] != same:
            left_out.append(each)  # handed to someone else since the planning: told of in their own email
            continue
        try:
            until = _claim(contract.contract_id, each["name"], outcome, now, lease=lease)
        except ReminderInFlight:
            continue
        if until:
            into.append((each["name"], item, until, each))
    return left_out


def _hand_on(settings: Settings, payload: dict, entries: list[dict], now: datetime) -> None:
    """The carried occurrences (``entries``) a catch-up did not tell of (it was not sent, or they go
    to someone else): the first one's own catch-up is sent now, carrying the rest (its own checks:
    each done or moved is left out, each for another person handed on again), so none of them falls
    between a catch-up and a planning that counted it carried."""
    if entries:
        send_alert(settings, _carried_payload(payload, entries[0], list(entries[1:])), now)


def _after_sending(steps: list, *, what: str) -> None:
    """Run each step of what follows a sent email; raise the first failure once all were tried."""
    failed: Exception | None = None
    for step in steps:
        try:
            step()
        except Exception as exc:  # the others still run; raised below
            log.exception("%s was sent, but what follows it failed", what)
            failed = failed or exc
    if failed is not None:
        raise failed


class ReminderInFlight(DeliveryInFlight):
    """Another delivery holds an unexpired claim on this reminder: this one fails, to be retried
    (Lambda's async retries, then the scheduler DLQ) after the lease."""


def _claim(contract_id: str, name: str, outcome: str, now: datetime, *, lease: bool) -> str | None:
    """Claim the reminder's ``SENT#`` item before anything goes out (``repository.claim_reminder``):
    with ``lease``, the lease's end (settled once the email went), else "settled"; None when a
    concurrent or earlier delivery handled it already (then nothing is sent). Raises
    ``ReminderInFlight`` while another delivery's claim holds."""
    claimed, until = repo.claim_reminder(contract_id, name, outcome, now=now,
                                         lease_seconds=config.REMINDER_LEASE_SECONDS if lease else None)
    if claimed == repo.ReminderClaim.HANDLED:
        return None
    if claimed == repo.ReminderClaim.IN_FLIGHT:
        raise ReminderInFlight(f"reminder {name} of {contract_id} is being sent by another delivery (claimed "
                               f"until {until}); tried again after it", until)
    return until or "settled"


def _duplicate(settings: Settings, payload: dict, now: datetime) -> AlertDecision:
    """A reminder already handled: nothing sent for it; what it carries (``together``) is each told
    of on its own unless it was told of already (its reminder claimed too)."""
    contract_id, name = payload["contract_id"], payload.get("name", "")
    decision = AlertDecision(send=False, reason=f"already sent: {name}", to=[], cc=[],
                             escalated=False, unowned=False)
    repo.record_audit(contract_id, "alert", ALERT_SUPPRESSED,
                      {"reminder": name, "obligation_id": payload["obligation_id"], "reason": decision.reason})
    _hand_on(settings, payload, payload.get("together") or [], now)
    return decision


def _told(settings: Settings, contract, obligation, payload: dict) -> set[str]:
    """Which of this reminder and its deadline's earlier ones were handled and told the owner: an
    emailed one; one held for the recipient's weekly digest only once a digest sent to them listed
    this deadline (its obligation at this due date). The digest lists 14 days ahead while reminders
    are held 90, 60, 30 and 21 days ahead: counted at once, the first email a digest reader got was
    an escalation copied to the escalation contact, about a deadline nobody had told them of."""
    from ..digest import listed_key
    from ..store import preferences
    from ..store.models import ReminderSentItem

    name, earlier = payload.get("name") or "", list(payload.get("earlier_names") or [])
    handled = sent_reminders(contract.contract_id, [name, *earlier])
    handled_earlier = [n for n in earlier if n in handled]
    if obligation is None or not obligation.due or not handled_earlier:
        return handled
    pk = schema.contract_pk(contract.contract_id)
    held = {i.reminder for i in ReminderSentItem.batch_get([(pk, schema.reminder_sent_sk(n)) for n in handled_earlier])
            if i.outcome == "held"}
    if not held:
        return handled
    # the recipient decide_alert picks: the obligation's owner, else the contract's, else the default
    recipient = (obligation.owner or "").strip() or (contract.owner or "").strip() or settings.default_owner
    key = listed_key(contract.contract_id, obligation.obligation_id, date.fromisoformat(obligation.due))
    if recipient and preferences.listed_in_digest(recipient, key):
        return handled
    return handled - held


def _held_for_digest(decision: AlertDecision, payload: dict, obligation, contract,
                     now: datetime) -> AlertDecision | None:
    """A reminder the recipient chose not to get one by one (their weekly digest lists it);
    escalations and urgent ones always go out (``digest.wants_reminder``)."""
    from ..digest import wants_reminder
    from ..notify import days_left
    from ..store import preferences

    if len(decision.to) != 1 or decision.escalated:
        return None
    prefs = preferences.get(decision.to[0])
    if prefs is None or prefs.digest != "weekly" or contract.team not in (prefs.teams or []):
        return None  # only a person whose weekly digest lists it has it held
    left = days_left(date.fromisoformat(obligation.due), now, contract.time_zone)
    if wants_reminder(prefs.reminders, lead_days=int(payload.get("lead_days") or 0), days_left=left,
                      escalated=False):
        return None
    return AlertDecision(send=False, reason=f"held for {decision.to[0]}'s digest (reminders: {prefs.reminders})",
                         to=[], cc=[], escalated=False, unowned=decision.unowned)


def _publish_reminder(settings: Settings, contract, obligation, content, name: str, now: datetime) -> None:
    """The same reminder to the team's webhooks (Slack, Teams, generic)."""
    from ..webhooks import Event, event_id
    from .webhooks import publish_quietly

    overdue = content.days_left < 0 and schema.is_overdue_when_past(obligation.kind)  # an expiry gone by is no duty
    kind = "obligation.overdue" if overdue else "reminder.due"
    # named as the alert's subject names it (title and counterparty), its days as the emails say them
    party = f" — {content.counterparty}" if content.counterparty else ""
    summary = (f"{contract.title or contract.file_name}{party}: {obligation.summary[:160]} — due "
               f"{format_day(content.due)} ({days_left_phrase(content.days_left, obligation.kind)})")
    publish_quietly(settings, contract.team, Event(
        id=event_id(kind, name), type=kind, created=now.isoformat(), summary=summary,
        data={"contract_id": contract.contract_id, "obligation_id": obligation.obligation_id,
              "kind": obligation.kind, "due": obligation.due, "days_left": content.days_left,
              "owner": obligation.owner or contract.owner, "derivation": obligation.derivation,
              "reminder": name},
        link=f"{settings.api_base_url.rstrip('/')}/contracts/{contract.contract_id}"))


def contracts_in_stream(records: list[dict]) -> dict[str, list[str]]:
    """Contract id -> sequence numbers of the DynamoDB stream records that touch it.

    Audit events and alert claims are history and never change a plan, so they are skipped.
    """
    out: dict[str, list[str]] = {}
    for record in records:
        keys = (record.get("dynamodb") or {}).get("Keys") or {}
        pk = (keys.get(schema.PARTITION_KEY) or {}).get("S", "")
        sk = (keys.get(schema.SORT_KEY) or {}).get("S", "")
        contract_id = schema.contract_id_of(pk)
        if contract_id is None or not schema.changes_plan(pk, sk) or _only_planner_fields(record):
            continue
        out.setdefault(contract_id, []).append(record["dynamodb"].get("SequenceNumber", ""))
    return out


# contract fields the planner itself keeps (its own writes must not plan the contract again)
PLANNER_FIELDS = frozenset({"gsi5pk", "gsi5sk", "next_planning", "next_planning_derivation", "version"})
# contract fields derived from others, stored on their own only to fill them in after an upgrade
# (repository.store_renewal_terms), and the time of the last change with the sort keys that list
# the contract by it, written alone before an obligation is (repository.mark_changed: the
# obligation's own stream record plans it): nothing to plan either
DERIVED_FIELDS = frozenset({"renewal_terms", "changed_at", schema.BY_TEAM.sort_key, schema.BY_STATUS.sort_key})


def _only_planner_fields(record: dict) -> bool:
    """A change to a contract record that touched only what the planner keeps (its next planning
    day): nothing to plan again."""
    images = record.get("dynamodb") or {}
    old, new = images.get("OldImage"), images.get("NewImage")
    if not old or not new:
        return False
    changed = {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}
    return bool(changed) and changed <= PLANNER_FIELDS | DERIVED_FIELDS


def replan_stream_batch(settings: Settings, records: list[dict]) -> list[dict[str, str]]:
    """Re-plan each contract a stream batch changed, once however many of its items changed.

    Returns the batch item failures (``{"itemIdentifier": sequence number}``) of the contracts
    whose re-planning failed: Lambda retries from the first of them; the others are not lost."""
    failures: list[dict[str, str]] = []
    for contract_id, sequence_numbers in contracts_in_stream(records).items():
        try:
            created, deleted = sync_reminders(settings, contract_id)
            log.info("reminders synced", extra={"contract_id": contract_id,
                                                "created": created, "deleted": deleted})
        except Exception:
            log.exception("re-planning failed", extra={"contract_id": contract_id})
            failures.extend({"itemIdentifier": s} for s in sequence_numbers)
            due_for_the_sweep(contract_id)
    return failures


def due_for_the_sweep(contract_id: str, now: datetime | None = None) -> bool:
    """An extracted contract whose re-planning failed is due for planning today (GSI5, with why):
    should Lambda give up on its stream records, and they leave the stream, the next daily sweep
    plans it again instead of the plan from before the change standing until its next planning day.
    A successful re-plan (the batch retried, a redrive, the sweep) sets the day forward again. Best
    effort: a failure here is logged (the batch's failure is reported anyway). True when marked."""
    day = (now or clock.now()).astimezone(UTC).date()
    try:
        contract = repo.get_contract(contract_id)
        if contract is None or contract.status != ContractStatus.EXTRACTED or contract.is_amendment:
            return False  # nothing to plan (the planner ends its schedules), or its dates are its contract's
        if contract.next_planning is not None and contract.next_planning <= day.isoformat():
            return False  # due already (just extracted, or its planning day has come)
        return work.set_next_planning(contract, day, f"re-planning failed {day}: the daily sweep plans it again")
    except Exception:
        log.exception("a contract whose re-planning failed could not be marked due", extra={"contract_id": contract_id})
        return False


class ReplayFailed(RuntimeError):
    """Re-planning the records of a redriven stream batch failed again (the description stays in
    the planner DLQ)."""


def replay_given_up(settings: Settings, described: dict) -> dict:
    """A stream batch Lambda gave up on, redriven from the planner DLQ (its description, the
    ``DDBStreamBatchInfo`` of `local.stream.on_failure_record`): its records are read again from
    the stream and their contracts re-planned. Records no longer in the stream (after its 24 hours)
    leave the daily sweep to plan what is due (``gone`` says why). Raises ReplayFailed when a
    contract fails again."""
    from ..aws import streams

    info = described["DDBStreamBatchInfo"]
    try:
        records = streams.records_between(info["streamArn"], info["shardId"], info["startSequenceNumber"],
                                          info["endSequenceNumber"])
    except streams.RecordsGone as exc:
        log.warning("redriven stream batch: records gone, sweeping", extra={"reason": str(exc)})
        return {"replayed": 0, "gone": str(exc), "sweep_messages": sweep(settings)}
    failures = replan_stream_batch(settings, records)
    if failures:
        raise ReplayFailed(f"{len(failures)} of {len(records)} records failed again: "
                           f"{', '.join(f['itemIdentifier'] for f in failures[:5])}")
    return {"replayed": len(records), "contracts": sorted(contracts_in_stream(records))}


def sweep(settings: Settings, now: datetime | None = None) -> int:
    """The daily sweep, without a scan: the contracts whose next planning day (GSI5) is today or
    earlier are re-planned, one page per SQS message (pipeline/sweep.py). Returns how many shard
    messages were sent, or, with no sweep queue configured, how many contracts were re-planned in
    this invocation."""
    from .sweep import start_sweep

    return start_sweep(settings, now)
