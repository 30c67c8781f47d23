"""Calendar entries already mailed, kept true (``calendar_updates``): the planner plans one
schedule per change (it sends no mail), the alert λ mails it and records it (sent once)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from .. import clock, dates
from ..aws import scheduler
from ..aws.email import send_email
from ..calendar_updates import CANCEL, CANCELLED, SENT, UPDATE, CalendarChange, change_for, schedule_name
from ..config import Settings
from ..notify import CalendarEntry, contract_url, invite_uid, render_calendar_change, sequence_at
from ..plan import _safe_contract_id
from ..schema import ContractStatus
from ..store import invites
from ..store import repository as repo
from .claims import DeliveryInFlight

log = logging.getLogger(__name__)

CALENDAR_EVENT = "calendar"  # the alert λ's event: {"calendar": "update" | "cancel", ...}


def wanted_changes(contract_id: str, now: datetime) -> list[CalendarChange]:
    """The changes the contract's mailed entries need now: the obligations as stored (none when the
    contract is gone), each entry's day compared in the contract's (the entry's) time zone."""
    contract = repo.get_contract(contract_id)
    if contract is not None and contract.status != ContractStatus.EXTRACTED:
        return []  # quarantined or failed: its deadlines are not planned, its entries left as they are
    obligations = {o.obligation_id: o for o in repo.obligations(contract_id)} if contract is not None else {}
    changes = []
    for entry in invites.of_contract(contract_id):
        obligation = obligations.get(entry.obligation_id)
        today = now.astimezone(dates.zone(entry.time_zone)).date()
        change = change_for(entry.obligation_id, sent_due=date.fromisoformat(entry.due), sent_state=entry.state,
                            status=None if contract is None else (obligation.status if obligation else "cancelled"),
                            due=date.fromisoformat(obligation.due) if obligation and obligation.due else None,
                            today=today)
        if change is not None:
            changes.append(change)
    return changes


def sync_calendar_changes(settings: Settings, contract_id: str, now: datetime | None = None,
                          actor: str = "planner") -> int:
    """One schedule firing at once per change the mailed entries need (its target the alert λ),
    named by the change, so planning again while it waits creates nothing more (Scheduler refuses
    the same name). No ListSchedules: a contract with no entry mailed costs one Query, and a change
    no longer needed when its schedule fires is found so by the alert λ (which computes it again)
    and not sent. Returns how many were created (audited ``calendar.change.planned``)."""
    now = now or clock.now()
    changes = wanted_changes(contract_id, now)
    if not changes:
        return 0
    safe = _safe_contract_id(contract_id)
    at = (now + timedelta(minutes=1)).astimezone(dates.zone("UTC")).replace(tzinfo=None, microsecond=0)
    created = []
    for change in changes:
        if scheduler.create_target_schedule(
            settings, name=schedule_name(safe, change), expression=f"at({at.isoformat(timespec='seconds')})",
            time_zone="UTC", target_arn=settings.alert_function_arn, role_arn=settings.scheduler_role_arn,
            payload={CALENDAR_EVENT: change.action, "name": schedule_name(safe, change), "contract_id": contract_id,
                     "obligation_id": change.obligation_id, "was": change.was.isoformat(),
                     "due": change.due.isoformat() if change.due else None, "reason": change.reason},
            description=f"calendar {change.action} {change.obligation_id} {change.was}"):
            created.append(change)
    # a deleted contract's trail ends with its deletion (its withdrawn entries' mail is audited when sent)
    if created and repo.get_contract(contract_id) is not None:
        repo.record_audit(contract_id, actor, "calendar.change.planned", {"changes": [
            {"schedule": schedule_name(safe, c), "obligation_id": c.obligation_id, "action": c.action,
             "was": c.was.isoformat(), "due": c.due.isoformat() if c.due else None, "reason": c.reason}
            for c in created]})
    return len(created)


def forget_settled_entries(contract_id: str, now: datetime | None = None) -> int:
    """A contract being deleted keeps nothing but its audit trail: the records of its mailed entries
    that need no withdrawal (withdrawn already, or their day gone by) go now, with their recipients,
    title and counterparty (the same file uploaded again starts with none); the others once their
    withdrawal is mailed (``send_calendar_change``). Returns how many went."""
    now = now or clock.now()
    gone = 0
    for entry in invites.of_contract(contract_id):
        today = now.astimezone(dates.zone(entry.time_zone)).date()
        if change_for(entry.obligation_id, sent_due=date.fromisoformat(entry.due), sent_state=entry.state,
                      status=None, due=None, today=today) is None:
            entry.delete()
            gone += 1
    return gone


def invite_uid_now(contract, obligation_id: str, due: date | str, now: datetime) -> str:
    """The UID an invite of ``obligation_id`` on ``due`` mailed now carries (``notify.invite_uid``
    from the entry the calendars hold of it): the held entry's while its day has not passed, a new
    one for a later term's deadline once it has."""
    entry = invites.get(contract.contract_id, obligation_id)
    held = None if entry is None else (date.fromisoformat(entry.due), entry.uid)
    day = due if isinstance(due, date) else date.fromisoformat(due)
    return invite_uid(contract.contract_id, obligation_id, day, held,
                      now.astimezone(dates.zone(contract.time_zone)).date())


def record_invite(contract, obligation, to: list[str], sent_at: datetime) -> None:
    """An email with the obligation's invite went out to ``to``: their calendars hold it on its due day
    (under the UID it was mailed with: computed as it was, from the entry held before this one)."""
    invites.record_sent(contract_id=contract.contract_id, obligation_id=obligation.obligation_id,
                        due=obligation.due, to=to, kind=obligation.kind, summary=obligation.summary,
                        title=contract.title or contract.file_name, counterparty=contract.counterparty,
                        time_zone=contract.time_zone, sequence=sequence_at(sent_at),
                        uid=invite_uid_now(contract, obligation.obligation_id, obligation.due, sent_at))


class ChangeInFlight(DeliveryInFlight):
    """Another delivery holds an unexpired claim on this change: this one fails, to be retried."""


def send_calendar_change(settings: Settings, payload: dict, now: datetime | None = None) -> dict:
    """The alert λ's work for a calendar change: compute it again from the entry and the
    obligation as they are now, claim it on the entry's record with a lease (a retried or
    duplicated delivery sends nothing; one arriving while another holds the claim fails, and is
    retried), mail it to the entry's recipients, then settle the entry and audit it. A crash after
    the claim, before or after the mail, leaves the entry as the calendars held it and the claim to
    run out (``config.CALENDAR_CHANGE_LEASE_SECONDS``): the next delivery mails it, so a change is
    mailed once, or twice after such a crash, never not at all."""
    from .reminders import deadline_of

    now = now or clock.now()
    contract_id, obligation_id = payload["contract_id"], payload["obligation_id"]
    entry = invites.get(contract_id, obligation_id)
    change = next((c for c in wanted_changes(contract_id, now) if c.obligation_id == obligation_id), None)
    if entry is None or change is None:
        reason = "the calendar entry is right as it is (changed since this was planned, or already sent)"
        if repo.get_contract(contract_id) is not None:
            repo.record_audit(contract_id, "alert", "calendar.change.suppressed",
                              {"obligation_id": obligation_id, "schedule": payload.get("name"), "reason": reason})
        return {"sent": False, "reason": reason}
    contract = repo.get_contract(contract_id)
    obligation = repo.get_obligation(contract_id, obligation_id) if contract is not None else None
    sequence = sequence_at(now)
    new_due = change.due.isoformat() if change.action == UPDATE and change.due else entry.due
    claimed = invites.claim(entry, due=new_due, state=SENT if change.action == UPDATE else CANCELLED,
                            sequence=sequence, now=now)
    if claimed == invites.Claim.CHANGED:
        return {"sent": False, "reason": "already sent"}
    if claimed == invites.Claim.IN_FLIGHT:  # failed: Lambda's retry (or a redrive) comes after the lease
        held = invites.get(contract_id, obligation_id)
        until = held.sending_until if held is not None else None
        raise ChangeInFlight(f"calendar {change.action} of {contract_id} {obligation_id} is being mailed by "
                             f"another delivery (claimed until {until}); tried again after it", until)
    info = CalendarEntry(contract_id=contract_id, contract_title=entry.title, counterparty=entry.counterparty,
                         obligation_id=obligation_id, kind=entry.kind, summary=entry.summary,
                         was=change.was, time_zone=entry.time_zone, uid=entry.uid)
    to = list(entry.to or [])
    try:
        message = render_calendar_change(
            info, action=change.action, reason=change.reason, to=to, sender=settings.sender_email, sent_at=now,
            api_url=contract_url(settings.api_base_url, contract_id),
            deadline=deadline_of(obligation) if change.action == UPDATE and obligation is not None else None)
        message_id = send_email(message)
    except Exception:
        invites.give_back(entry)  # the retry sends it
        raise
    # sent, then settled: a crash in between leaves the claim to run out, and the change is mailed
    # again (once more at most); settled first, a crash before the mail would lose it
    invites.settle(entry)
    repo.record_audit(contract_id, "alert", f"calendar.{'updated' if change.action == UPDATE else 'cancelled'}",
                      {"obligation_id": obligation_id, "to": to, "was": change.was.isoformat(),
                       "due": change.due.isoformat() if change.due else None, "reason": change.reason,
                       "sequence": sequence, "subject": message["Subject"], "ses_message_id": message_id})
    if contract is None and change.action == CANCEL:
        entry.delete()  # a deleted contract's entries withdrawn: nothing of it is kept but its audit trail
    return {"sent": True, "action": change.action, "to": to}
