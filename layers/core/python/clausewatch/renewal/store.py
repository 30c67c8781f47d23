"""The renewal record of one contract term (``C#<id>`` / ``RENEWAL#<term end>``): its state, the
evidence and recommendation, the stored task token while a person is asked, the decision, and a
history of every step. Every write also appends to the contract's audit trail."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import TypeVar

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import PutError

from .. import clock, schema
from ..schema import ItemType, RenewalState
from ..store import repository as repo
from ..store.models import INDEX_CLASSES, ContractItem, _Item, _Meta

RENEWAL_ITEM = "renewal"
SECRET_ITEM = "secret"


class RenewalItem(_Item):
    class Meta(_Meta):
        pass

    version = VersionAttribute()
    contract_id = UnicodeAttribute()
    term_end = UnicodeAttribute()  # ISO day: the end of the term being decided
    notice_deadline = UnicodeAttribute(null=True)
    state = UnicodeAttribute()  # schema.RenewalState
    execution_arn = UnicodeAttribute(null=True)
    evidence = JSONAttribute(null=True)
    recommendation = JSONAttribute(null=True)
    waiting_round = UnicodeAttribute(null=True)  # owner | final | escalated, while WAITING
    task_token = UnicodeAttribute(null=True)  # only while WAITING; never leaves the table
    wait_deadline = UnicodeAttribute(null=True)  # ISO UTC: when the waiting task times out
    decision_nonce = UnicodeAttribute(null=True)  # the live decision link's, until used
    decision = JSONAttribute(null=True)  # {decision, reason, by, at, evidence_at}
    outcome = UnicodeAttribute(null=True)
    notice_key = UnicodeAttribute(null=True)  # the non-renewal letter under contracts/<id>/notices/
    # the term's end moved after its notice of non-renewal was given: {term_end_now, derivation,
    # notice_given, message} (renewal/planning.supersede_moved_decisions); the notice stands
    term_moved = JSONAttribute(null=True)
    # times the term's decision began again after it was cancelled or superseded (its end moved,
    # then came back to this day): its execution is named with it (``schedule.execution_name``)
    restarts = NumberAttribute(default=0)
    history = JSONAttribute(default=list)
    updated_at = UnicodeAttribute()
    # in schema.BY_NEXT_WORK under WAIT#<shard> only while WAITING (sparse: set by save)
    gsi5pk = UnicodeAttribute(null=True, attr_name=schema.BY_NEXT_WORK.partition_key)
    gsi5sk = UnicodeAttribute(null=True, attr_name=schema.BY_NEXT_WORK.sort_key)
    by_next_work = INDEX_CLASSES[schema.BY_NEXT_WORK.name]()

    def save(self, *args, **kwargs):
        """Every write keeps the record's place in the waiting index in step with its state."""
        if self.state == RenewalState.WAITING.value:
            self.gsi5pk = schema.waiting_pk(schema.work_shard(self.contract_id))
            self.gsi5sk = schema.waiting_sk(self.wait_deadline or self.updated_at, self.contract_id, self.term_end)
        else:
            self.gsi5pk = self.gsi5sk = None
        return super().save(*args, **kwargs)


class SecretItem(_Item):
    class Meta(_Meta):
        pass

    value = UnicodeAttribute()


M = TypeVar("M", bound=_Item)


def _bound(model: type[M]) -> type[M]:
    """The models in store/models.py are bound to the table (and endpoint) by ``models.bind``;
    these follow ContractItem's binding."""
    source = ContractItem.Meta
    meta = model.Meta
    if (meta.table_name, meta.host, meta.region) != (source.table_name, source.host, source.region):
        meta.table_name, meta.host, meta.region = source.table_name, source.host, source.region
        model._connection = None
    return model


def get(contract_id: str, term_end: str) -> RenewalItem | None:
    try:
        return _bound(RenewalItem).get(schema.contract_pk(contract_id), schema.renewal_sk(term_end),
                                       consistent_read=True)
    except RenewalItem.DoesNotExist:
        return None


def reindex_waiting() -> int:
    """Put every waiting decision saved before the waiting index existed into it (re-saved: the
    save sets its WAIT# keys); returns how many. A one-off after an upgrade: it scans the table,
    which no function's role may do, so an operator runs it (``python -m
    clausewatch.renewal.reindex``, README "Renewal decisions"); a local state folder is reindexed on
    load. Until then, such a decision gets no heartbeat from the daily sweep."""
    model = _bound(RenewalItem)
    count = 0
    for item in model.scan((RenewalItem.state == RenewalState.WAITING.value) & RenewalItem.gsi5pk.does_not_exist()):
        item.save()
        count += 1
    return count


def by_term(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], RenewalItem]:
    """Renewal records by (contract id, term end), read in BatchGetItem calls of 100 keys, with only
    what a list shows of a decision (its evidence and history, which grows with every step, stay
    behind: the models are ``partial``, for reading only); a term whose workflow has not started
    has none."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return {}
    found = _bound(RenewalItem).batch_get([(schema.contract_pk(c), schema.renewal_sk(t)) for c, t in wanted],
                                          consistent_read=True, attributes_to_get=_LISTED)
    records = {}
    for item in found:
        item.partial = True
        records[(item.contract_id, item.term_end)] = item
    return records


_LISTED = [attribute.attr_name for attribute in (
    RenewalItem.pk, RenewalItem.sk, RenewalItem.item_type, RenewalItem.contract_id, RenewalItem.term_end,
    RenewalItem.state, RenewalItem.recommendation, RenewalItem.waiting_round, RenewalItem.decision,
    RenewalItem.outcome)]


def decided_renew(item: RenewalItem | None) -> bool:
    """The term's renewal decision is "renew" (decided, being signed, or renewed by default at a
    lapse): its end passing is no end of the contract. A decision for a term the contract no longer
    has (superseded, cancelled) is not."""
    if item is None or item.state in (RenewalState.SUPERSEDED, RenewalState.CANCELLED):
        return False
    return item.state in (RenewalState.RENEWED, RenewalState.LAPSED_RENEWED) or \
        (item.decision or {}).get("decision") == "renew"


def of_contract(contract_id: str) -> list[RenewalItem]:
    """Every term's renewal record, oldest term first."""
    return list(_bound(RenewalItem).query(schema.contract_pk(contract_id),
                                          RenewalItem.sk.startswith(schema.RENEWAL_PREFIX)))


def latest(contract_id: str) -> RenewalItem | None:
    items = of_contract(contract_id)
    return items[-1] if items else None


def waiting() -> list[RenewalItem]:
    """Every record waiting for a person (the daily sweep's heartbeats, the local timeouts), from
    the sparse waiting index (schema.BY_NEXT_WORK, WAIT#<shard>), soonest deadline first within a
    shard; never a scan."""
    model = _bound(RenewalItem)
    return [item for shard in range(schema.WORK_SHARDS) for item in model.by_next_work.query(schema.waiting_pk(shard))]


RESTARTABLE = (RenewalState.CANCELLED.value, RenewalState.SUPERSEDED.value)
# the history lines that move a waiting round's wait after it was asked: a notice deadline moved,
# or the cut-offs counted again with a changed calendar (both may move its decide-by day), or the
# contract's time zone changed (the same day, its end counted in the new zone); each line then says
# ``decide_by``, and the person is asked again with a link until the new end (renewal.steps)
NOTICE_MOVED = "notice_deadline.moved"
CUTOFFS_RECOUNTED = "cutoffs.recounted"
TIME_ZONE_CHANGED = "time_zone.changed"
WAIT_MOVES = (NOTICE_MOVED, CUTOFFS_RECOUNTED, TIME_ZONE_CHANGED)


def ensure(contract_id: str, term_end: str, *, execution_arn: str | None) -> RenewalItem:
    """The term's record, created STARTED on the first step. A record CANCELLED or SUPERSEDED (the
    term's end moved away) whose term ends on that day again begins again for the new execution:
    STARTED, what was asked and decided for it cleared, its history kept with a ``restarted`` line."""
    found = get(contract_id, term_end)
    if found is not None and found.state in RESTARTABLE and execution_arn and execution_arn != found.execution_arn:
        return update(found, actor="renewal", action="restarted", state=RenewalState.STARTED.value,
                      execution_arn=execution_arn, restarts=int(found.restarts or 0) + 1, evidence=None,
                      recommendation=None, waiting_round=None, task_token=None, wait_deadline=None,
                      decision_nonce=None, decision=None, outcome=None, notice_key=None, term_moved=None,
                      detail={"was": found.state, "why": f"the term ends {term_end} again",
                              "execution": execution_arn})
    if found is not None:
        return found
    item = _bound(RenewalItem)(schema.contract_pk(contract_id), schema.renewal_sk(term_end),
                               item_type=RENEWAL_ITEM, contract_id=contract_id, term_end=term_end,
                               state=RenewalState.STARTED.value, execution_arn=execution_arn,
                               history=[], updated_at=clock.iso())
    try:
        item.save(condition=RenewalItem.sk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        existing = get(contract_id, term_end)
        if existing is None:
            raise
        return existing
    return item


def update(item: RenewalItem, *, actor: str, action: str, detail: dict | None = None, **fields) -> RenewalItem:
    """Change the record (optimistic lock), add a history line and an audit event."""
    for key, value in fields.items():
        setattr(item, key, value)
    at = clock.iso()
    item.updated_at = at
    line = {"at": at, "actor": actor, "action": action, "state": item.state, **(detail or {})}
    item.history = [*(item.history or []), line]
    item.save()
    repo.record_audit(item.contract_id, actor, f"renewal.{action}",
                      {"term_end": item.term_end, "state": item.state, **(detail or {})})
    return item


def wait_over(item: RenewalItem, now: datetime) -> bool:
    """The person asked had until the stored wait deadline, and it passed at ``now``: the wait
    times out (the embedded default's tick, the daily sweep, a moved deadline's timeout schedule)."""
    return bool(item.wait_deadline) and datetime.fromisoformat(str(item.wait_deadline)) <= now


def timeout_cause(item: RenewalItem) -> str:
    """The cause of the ``DecisionTimeout`` a wait fails with, whoever times it out."""
    return f"no decision by {item.wait_deadline} ({item.waiting_round}; notice deadline {item.notice_deadline})"


def existing_secret(name: str) -> bytes | None:
    """The secret kept in the table, or None when nothing has made it yet (read only: a reader of
    tokens, such as the api λ, is not allowed to write it)."""
    try:
        return bytes.fromhex(_bound(SecretItem).get(schema.secret_pk(name), schema.SECRET_SK,
                                                    consistent_read=True).value)
    except SecretItem.DoesNotExist:
        return None


def secret(name: str) -> bytes:
    """A random secret kept in the table (created on first use; the first writer wins)."""
    model = _bound(SecretItem)
    if (existing := existing_secret(name)) is not None:
        return existing
    value = secrets.token_hex(32)
    try:
        model(schema.secret_pk(name), schema.SECRET_SK, item_type=SECRET_ITEM, value=value).save(
            condition=SecretItem.pk.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
            raise
        return bytes.fromhex(model.get(schema.secret_pk(name), schema.SECRET_SK, consistent_read=True).value)
    return bytes.fromhex(value)


__all__ = ["RenewalItem", "ItemType", "ensure", "existing_secret", "get", "latest", "of_contract", "secret",
           "timeout_cause", "update", "wait_over", "waiting"]
