"""What the recipients' calendars hold of each deadline whose invite was mailed (``C#<id>`` /
``INVITE#<obligation>``, one per obligation, ``calendar_updates``): written by the alert λ when an
email with an ``.ics`` goes out and when a calendar change is sent; read by the planner (one Query)
to plan the changes. The items outlive a deleted contract's other items (its entries are withdrawn
from that record, then the item is removed).

What the subscribed calendar feeds hold of each deadline (``C#<id>`` / ``FEEDENTRY#<obligation>``):
the date and UID last served, written by the API's feed when they change, read by the next serve to
give the entry the UID ``notify.invite_uid`` gives an invite (the same entry, or a later term's)."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from .. import clock, config, schema
from ..calendar_updates import SENT
from .models import ContractItem, _Item, _Meta

INVITE_ITEM = "invite"
FEED_ENTRY_ITEM = "feed_entry"


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
    # the entry's UID (notify.invite_uid); none on entries mailed before UIDs were per term, whose
    # UID is notify.event_uid(contract, obligation)
    uid = UnicodeAttribute(null=True)
    updated_at = UnicodeAttribute()
    # a change being mailed (``claim``): what the entry will say once it is sent ({"due", "state",
    # "sequence"}), and until when the claim holds (ISO UTC); due/state/sequence keep what the
    # calendars hold until the mail is sent (``settle``)
    sending = JSONAttribute(null=True)
    sending_until = UnicodeAttribute(null=True)


class FeedEntryItem(_Item):
    """The entry the subscribed calendar feeds last served of a deadline: subscribers' calendars hold
    it (a calendar app polls the feed), so the next serve keeps its UID while its day has not passed."""

    class Meta(_Meta):
        pass

    contract_id = UnicodeAttribute()
    obligation_id = UnicodeAttribute()
    due = UnicodeAttribute()  # ISO day: the entry's date as served
    uid = UnicodeAttribute()  # the UID it was served with
    updated_at = UnicodeAttribute()


_Bound = TypeVar("_Bound", bound=_Item)


def _bind(model: type[_Bound]) -> type[_Bound]:
    """Bound to the table as ContractItem is (``models.bind``)."""
    source, meta = ContractItem.Meta, model.Meta
    if (meta.table_name, meta.host, meta.region) != (source.table_name, source.host, source.region):
        meta.table_name, meta.host, meta.region = source.table_name, source.host, source.region
        model._connection = None
    return model


def _bound() -> type[InviteItem]:
    return _bind(InviteItem)


def of_contract(contract_id: str) -> list[InviteItem]:
    return list(_bound().query(schema.contract_pk(contract_id), InviteItem.sk.startswith(schema.INVITE_PREFIX),
                               consistent_read=True))


def get(contract_id: str, obligation_id: str) -> InviteItem | None:
    try:
        return _bound().get(schema.contract_pk(contract_id), schema.invite_sk(obligation_id), consistent_read=True)
    except InviteItem.DoesNotExist:
        return None


def record_sent(*, contract_id: str, obligation_id: str, due: str, to: list[str], kind: str, summary: str,
                title: str, counterparty: str | None, time_zone: str, sequence: int,
                uid: str | None = None) -> None:
    """An email with the deadline's invite went out: the recipients' calendars hold it on ``due``
    (with those of earlier invites of the entry still there: a change goes to every calendar that
    holds it)."""
    from ..notify import event_uid

    before = get(contract_id, obligation_id)
    # another entry (a later term's, its own UID): only the calendars it went to hold it; no uid
    # stands for the obligation's first UID (invites recorded before per-term UIDs, and since)
    first = event_uid(contract_id, obligation_id)
    same_entry = before is not None and (before.uid or first) == (uid or first)
    held = list(before.to or []) if before is not None and before.state == SENT and same_entry else []
    to = [*held, *(address for address in to if address not in held)]
    _bound()(schema.contract_pk(contract_id), schema.invite_sk(obligation_id), item_type=INVITE_ITEM,
             contract_id=contract_id, obligation_id=obligation_id, due=due, state=SENT, to=to, kind=kind,
             summary=summary[:1000], title=title, counterparty=counterparty, time_zone=time_zone,
             sequence=sequence, uid=uid, updated_at=clock.iso()).save()


class Claim(enum.Enum):
    CLAIMED = "claimed"  # this delivery mails the change
    CHANGED = "changed"  # the entry is no longer as read: sent already (or a newer invite went out)
    IN_FLIGHT = "in_flight"  # another delivery claimed it and its lease has not run out


def _until(now: datetime, lease_seconds: float) -> str:
    return (now + timedelta(seconds=lease_seconds)).astimezone(UTC).isoformat(timespec="milliseconds")


def claim(item: InviteItem, *, due: str, state: str, sequence: int, now: datetime,
          lease_seconds: float = config.CALENDAR_CHANGE_LEASE_SECONDS) -> Claim:
    """Claim the change about to be mailed (what the entry will say, with a lease), only if the item
    is still as read and no other delivery holds an unexpired claim. The entry keeps saying what the
    calendars hold until ``settle``: an invocation that dies after claiming (before or after the
    mail) leaves a claim that runs out, and the next delivery mails the change again (at most one
    extra mail, never none)."""
    was_due, was_state, was_sequence = item.due, item.state, item.sequence
    until = _until(now, lease_seconds)
    free = InviteItem.sending_until.does_not_exist() | (InviteItem.sending_until < now.astimezone(UTC).isoformat(
        timespec="milliseconds"))
    try:
        item.update(actions=[InviteItem.sending.set({"due": due, "state": state, "sequence": sequence}),
                             InviteItem.sending_until.set(until)],
                    condition=(InviteItem.due == was_due) & (InviteItem.state == was_state)
                    & (InviteItem.sequence == was_sequence) & free)
        return Claim.CLAIMED
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
    now_item = get(item.contract_id, item.obligation_id)
    if now_item is None or (now_item.due, now_item.state, now_item.sequence) != (was_due, was_state, was_sequence):
        return Claim.CHANGED
    return Claim.IN_FLIGHT


def settle(item: InviteItem) -> bool:
    """The change was mailed: the entry says what the calendars now hold and the claim goes. False
    when the claim is no longer this delivery's (its lease ran out and another took it over: that
    one settles it)."""
    claimed, until = dict(item.sending or {}), item.sending_until
    try:
        item.update(actions=[InviteItem.due.set(claimed["due"]), InviteItem.state.set(claimed["state"]),
                             InviteItem.sequence.set(claimed["sequence"]), InviteItem.updated_at.set(clock.iso()),
                             InviteItem.sending.remove(), InviteItem.sending_until.remove()],
                    condition=InviteItem.sending_until == until)
        return True
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False


def give_back(item: InviteItem) -> None:
    """The change could not be mailed: the claim goes at once (the retry sends it)."""
    try:
        item.update(actions=[InviteItem.sending.remove(), InviteItem.sending_until.remove()],
                    condition=InviteItem.sending_until == item.sending_until)
    except UpdateError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise


# --- what the subscribed calendar feeds hold ------------------------------------------------------

def feed_entries(keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[date, str]]:
    """The entries the feeds last served of these (contract, obligation) deadlines: their date and
    UID; a deadline never served has none. BatchGetItem, 100 keys a call."""
    model = _bind(FeedEntryItem)
    wanted = sorted({(schema.contract_pk(c), schema.feed_entry_sk(o)) for c, o in keys})
    return {(item.contract_id, item.obligation_id): (date.fromisoformat(item.due), item.uid)
            for item in model.batch_get(wanted, consistent_read=True)} if wanted else {}


def record_feed_entry(contract_id: str, obligation_id: str, due: date, uid: str,
                      was: tuple[date, str] | None) -> bool:
    """The feed served the deadline on ``due`` under ``uid``: the entry subscribers now hold. Written
    only if the stored entry is still ``was`` (None: none yet): a serve that read it before another
    one changed it writes nothing. Returns whether it was written."""
    model = _bind(FeedEntryItem)
    if was is None:
        condition = model.sk.does_not_exist()
    else:
        condition = (model.due == was[0].isoformat()) & (model.uid == was[1])
    try:
        model(schema.contract_pk(contract_id), schema.feed_entry_sk(obligation_id), item_type=FEED_ENTRY_ITEM,
              contract_id=contract_id, obligation_id=obligation_id, due=due.isoformat(), uid=uid,
              updated_at=clock.iso()).save(condition=condition)
        return True
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False
