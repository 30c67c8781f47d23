"""What the recipients' calendars hold of each deadline whose invite was mailed (``C#<id>`` /
``INVITE#<obligation>``, one per obligation, ``calendar_updates``): written by the alert λ when an
email with an ``.ics`` goes out and when a calendar change is sent; read by the planner (one Query)
to plan the changes. The items outlive a deleted contract's other items (its entries are withdrawn
from that record, then the item is removed)."""

from __future__ import annotations

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError

from .. import clock, schema
from ..calendar_updates import SENT
from .models import ContractItem, _Item, _Meta

INVITE_ITEM = "invite"


class InviteItem(_Item):
    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    obligation_id = UnicodeAttribute()
    due = UnicodeAttribute()  # ISO day: the entry's date in the recipients' calendars
    state = UnicodeAttribute()  # calendar_updates.SENT | CANCELLED
    to = JSONAttribute(default=list)  # whom the invites went to (the calendars that hold it)
    kind = UnicodeAttribute()
    summary = UnicodeAttribute()
    title = UnicodeAttribute()
    counterparty = UnicodeAttribute(null=True)
    time_zone = UnicodeAttribute()
    sequence = NumberAttribute(default=0)  # the SEQUENCE last mailed
    updated_at = UnicodeAttribute()


def _bound() -> type[InviteItem]:
    """Bound to the table as ContractItem is (``models.bind``)."""
    source, meta = ContractItem.Meta, InviteItem.Meta
    if (meta.table_name, meta.host, meta.region) != (source.table_name, source.host, source.region):
        meta.table_name, meta.host, meta.region = source.table_name, source.host, source.region
        InviteItem._connection = None
    return InviteItem


def of_contract(contract_id: str) -> list[InviteItem]:
    return list(_bound().query(schema.contract_pk(contract_id), InviteItem.sk.startswith(schema.INVITE_PREFIX),
                               consistent_read=True))


def get(contract_id: str, obligation_id: str) -> InviteItem | None:
    try:
        return _bound().get(schema.contract_pk(contract_id), schema.invite_sk(obligation_id), consistent_read=True)
    except InviteItem.DoesNotExist:
        return None


def record_sent(*, contract_id: str, obligation_id: str, due: str, to: list[str], kind: str, summary: str,
                title: str, counterparty: str | None, time_zone: str, sequence: int) -> None:
    """An email with the deadline's invite went out: the recipients' calendars hold it on ``due``
    (with those of earlier invites of the entry still there: a change goes to every calendar that
    holds it)."""
    before = get(contract_id, obligation_id)
    held = list(before.to or []) if before is not None and before.state == SENT else []
    to = [*held, *(address for address in to if address not in held)]
    _bound()(schema.contract_pk(contract_id), schema.invite_sk(obligation_id), item_type=INVITE_ITEM,
             contract_id=contract_id, obligation_id=obligation_id, due=due, state=SENT, to=to, kind=kind,
             summary=summary[:1000], title=title, counterparty=counterparty, time_zone=time_zone,
             sequence=sequence, updated_at=clock.iso()).save()


def claim(item: InviteItem, *, due: str, state: str, sequence: int) -> bool:
    """Write the change about to be mailed, only if the item is still as read (a retried or
    duplicated delivery, or a newer reminder's invite, finds it changed: nothing is sent); False
    when it changed."""
    was_due, was_state, was_sequence = item.due, item.state, item.sequence
    item.due, item.state, item.sequence, item.updated_at = due, state, sequence, clock.iso()
    try:
        item.save(condition=(InviteItem.due == was_due) & (InviteItem.state == was_state)
                  & (InviteItem.sequence == was_sequence))
        return True
    except PutError as exc:
        item.due, item.state, item.sequence = was_due, was_state, was_sequence
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False


def give_back(item: InviteItem, *, due: str, state: str, sequence: int) -> None:
    """The change could not be mailed: the item says what the calendars hold again (the retry sends it)."""
    item.due, item.state, item.sequence = due, state, sequence
    item.save()
