"""GSI5 (schema.BY_NEXT_WORK): the contracts the daily sweep must plan again, and the contracts
in a non-final status the stuck-contract recovery looks at; queried in pages, never scanned."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import schema
from .models import ContractItem, ReminderSentItem
from .repository import update_derived


def set_next_planning(item: ContractItem, day: date | None, derivation: str) -> bool:
    """Keep the contract's next planning day (and why) in GSI5; written only when it changed,
    without touching ``updated_at``. True when written."""
    wanted = day.isoformat() if day else None

    def actions() -> list[Any] | None:
        # (the derivation too: a contract just extracted is due today, "not planned yet", until this)
        if item.next_planning == wanted and (wanted is None or (
                item.gsi5pk == schema.plan_pk(schema.work_shard(item.contract_id))
                and item.next_planning_derivation == derivation)):
            return None
        if wanted is None:
            if item.gsi5pk is None and item.next_planning is None:
                return None
            return [ContractItem.gsi5pk.remove(), ContractItem.gsi5sk.remove(),
                    ContractItem.next_planning.remove(), ContractItem.next_planning_derivation.set(derivation)]
        return [ContractItem.gsi5pk.set(schema.plan_pk(schema.work_shard(item.contract_id))),
                ContractItem.gsi5sk.set(schema.plan_sk(wanted, item.contract_id)),
                ContractItem.next_planning.set(wanted),
                ContractItem.next_planning_derivation.set(derivation)]

    return update_derived(item, ("gsi5pk", "gsi5sk", "next_planning", "next_planning_derivation"), actions)


@dataclass(frozen=True)
class Page:
    """One page of contract ids due for planning, and where the next page starts (None: last)."""

    contract_ids: list[str]
    next_start: dict[str, Any] | None


def due_for_planning(shard: int, today: date, limit: int, start: dict[str, Any] | None = None) -> Page:
    """At most ``limit`` contracts of ``shard`` whose next planning day is ``today`` or earlier,
    earliest first, from ``start`` (the previous page's ``next_start``)."""
    results = ContractItem.by_next_work.query(
        schema.plan_pk(shard), ContractItem.gsi5sk < schema.up_to_day(today.isoformat()),
        limit=limit, last_evaluated_key=start)
    ids = [item.contract_id for item in results]
    return Page(ids, results.last_evaluated_key if len(ids) >= limit else None)


def earliest_planning_day() -> date | None:
    """The earliest next planning day over every shard (the embedded default's scheduler
    emulation: when to run the daily sweep next)."""
    days = []
    for shard in range(schema.WORK_SHARDS):
        for item in ContractItem.by_next_work.query(schema.plan_pk(shard), limit=1):
            days.append(date.fromisoformat(item.next_planning))
            break
    return min(days) if days else None


def pending_since(before_iso: str) -> Iterator[ContractItem]:
    """Contracts in a non-final status unchanged since before ``before_iso`` (every shard)."""
    for shard in range(schema.WORK_SHARDS):
        yield from ContractItem.by_next_work.query(schema.pending_pk(shard),
                                                   ContractItem.gsi5sk < before_iso)


def sent_reminders(contract_id: str, names: list[str] | None = None) -> set[str]:
    """Which of ``names`` (all, when None: a query of the contract's SENT# items) were handled,
    from the keyed SENT# items and the older ALERT# claims; never the audit trail. A claim not
    settled (its email being sent, or its invocation died: ``repository.claim_reminder``) is not
    handled yet."""
    pk = schema.contract_pk(contract_id)
    if names is None:
        found = {i.reminder for i in ReminderSentItem.query(
            pk, ReminderSentItem.sk.startswith(schema.REMINDER_SENT_PREFIX)) if i.sending_until is None}
        from .models import AlertClaimItem

        return found | {i.reminder for i in AlertClaimItem.query(
            pk, AlertClaimItem.sk.startswith(schema.ALERT_PREFIX))}
    keys = [(pk, schema.reminder_sent_sk(n)) for n in names] + [(pk, schema.alert_sk(n)) for n in names]
    return {item.sk.split("#", 1)[1] for item in _batch_get(keys) if item.sending_until is None}


def _batch_get(keys: list[tuple[str, str]]) -> list[ReminderSentItem]:
    """The SENT# items and older ALERT# claims of ``keys`` in one BatchGetItem, read as
    ReminderSentItem (an ALERT# claim has no ``sending_until``: settled)."""
    return list(ReminderSentItem.batch_get(keys)) if keys else []
