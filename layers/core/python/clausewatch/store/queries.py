"""The API's reads: each one GetItem, or one Query on a key or index designed for it (schema.py),
paged with an opaque cursor. Nothing here scans the table.

A page holds at most ``limit`` items. A filter that the key cannot express (a counterparty, an
obligation's kind, "overdue" in the contract's time zone) is applied to the items the Query
returns; to keep one request cheap it reads at most ``MAX_EXAMINED`` of them, so a filtered page
may hold fewer items than ``limit`` while ``cursor`` says there is more: follow the cursor until it
is None.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import itertools
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar, cast

from pynamodb.attributes import Attribute
from pynamodb.constants import BATCH_GET_PAGE_LIMIT
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import GlobalSecondaryIndex

from .. import schema
from ..schema import ObligationStatus
from .models import AuditItem, ContractItem, DeletedItem, FeedItem, GoneItem, ObligationItem, TermItem, _Item

T = TypeVar("T", bound=_Item)

MAX_EXAMINED = 500  # items one request may read to fill a filtered page
FILTERED_QUERY_PAGE = 100  # items per Query page after the first when a filter applies
_DAY_END = "#~"  # after every "#<contract>#<obligation>" of a day: '~' sorts after [0-9A-Za-z_@.-]


class BadCursor(ValueError):
    """A cursor that is not one this query handed out."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursor: str | None  # pass back for the next page; None on the last page


@dataclass(frozen=True)
class _Query:
    """One Query: on the table or an index, with a partition key, an optional sort-key range, the
    direction, and a fingerprint of everything that shapes the result (a cursor is valid only for
    the query that made it)."""

    run: Callable[..., Iterable[_Item]]  # Model.query or Index.query
    partition_key: str  # the partition (hash) key attribute: its value must be the cursor's
    hash_key: str
    key_names: tuple[str, ...]  # the attributes of a LastEvaluatedKey of this query
    range_condition: Condition | None
    forward: bool
    fingerprint: str

    def items(self, start: dict | None, page_size: int) -> Iterator[_Item]:
        return iter(self.run(self.hash_key, self.range_condition, scan_index_forward=self.forward,
                             last_evaluated_key=start, page_size=page_size))


def _index_query(model_index: GlobalSecondaryIndex, index: schema.Index, hash_key: str,
                 range_condition: Condition | None, *, forward: bool, shape: tuple) -> _Query:
    return _Query(model_index.query, index.partition_key, hash_key,
                  (schema.PARTITION_KEY, schema.SORT_KEY, index.partition_key, index.sort_key),
                  range_condition, forward, _fingerprint((index.name, hash_key, forward, *shape)))


def _table_query(model: type[T], hash_key: str, range_condition: Condition | None, *, forward: bool,
                 shape: tuple) -> _Query:
    return _Query(model.query, schema.PARTITION_KEY, hash_key, (schema.PARTITION_KEY, schema.SORT_KEY),
                  range_condition, forward, _fingerprint(("table", hash_key, forward, *shape)))


def _fingerprint(shape: tuple) -> str:
    return hashlib.sha256(json.dumps(shape, default=str).encode()).hexdigest()[:12]


# --- cursors -------------------------------------------------------------------------------------

def encode_cursor(key: dict[str, str], fingerprint: str) -> str:
    """urlsafe base64 of the key of the last item returned (a LastEvaluatedKey) and the query's
    fingerprint."""
    raw = json.dumps({"k": key, "q": fingerprint}, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, query: _Query) -> dict:
    """The ExclusiveStartKey (DynamoDB JSON) a cursor stands for; BadCursor when it is malformed or
    was made by another query."""
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadCursor("malformed cursor") from exc
    key = data.get("k") if isinstance(data, dict) else None
    if not isinstance(key, dict) or set(key) != set(query.key_names) or \
            not all(isinstance(v, str) and 0 < len(v) <= 1024 for v in key.values()):
        raise BadCursor("malformed cursor")
    if data.get("q") != query.fingerprint or key[query.partition_key] != query.hash_key:
        raise BadCursor("the cursor belongs to another query (other filters): start again without it")
    return {name: {"S": value} for name, value in key.items()}


def _key_of(item: _Item, names: tuple[str, ...]) -> dict[str, str]:
    serialized = item.serialize()
    return {name: serialized[name]["S"] for name in names}


def _batches(query: _Query, start: dict | None, first: int, then: int, cap: int) -> Iterator[list[_Item]]:
    """The Query's items in lists, each one Query page: the first of ``first`` items, the rest of
    ``then``, ``cap`` items in all (taking a list never reads the next page before it is needed)."""
    size, items, fetched = min(first, cap), query.items(start, min(first, cap)), 0
    while size > 0 and (batch := list(islice(items, size))):
        yield batch
        fetched += len(batch)
        if len(batch) < size:  # the Query had no more
            return
        following = min(then, cap - fetched)
        if following != size and following > 0:  # go on after this page's last item with pages of the new size
            last = _key_of(batch[-1], query.key_names)
            items = query.items({name: {"S": value} for name, value in last.items()}, following)
        size = following


def _page(query: _Query, *, limit: int, cursor: str | None,
          keep: Callable[[T], bool] | None = None,
          prepare: Callable[[list[T]], None] | None = None) -> Page[T]:
    """One page of ``query``. ``prepare`` (with ``keep``) sees each Query page's items before
    ``keep`` tests them one by one: it reads what ``keep`` needs of the whole page at once
    (BatchGetItem) instead of one GetItem per item."""
    start = decode_cursor(cursor, query) if cursor else None
    if keep is None:
        first = then = min(limit + 1, MAX_EXAMINED)
    else:  # a filter may drop some: the first Query page a quarter larger than the page, then 100s
        first, then = min(limit + 1 + max(limit // 4, 10), FILTERED_QUERY_PAGE), FILTERED_QUERY_PAGE
    kept: list[T] = []
    examined = 0
    for batch in _batches(query, start, first, then, MAX_EXAMINED):
        found_page = cast(list[T], batch)  # the query runs on T's table or index
        if prepare is not None:
            prepare(found_page[:MAX_EXAMINED - examined])
        for item in found_page:
            examined += 1
            if keep is None or keep(item):
                if len(kept) == limit:  # one more than fits: there is a next page
                    return Page(kept, encode_cursor(_key_of(kept[-1], query.key_names), query.fingerprint))
                kept.append(item)
            if examined >= MAX_EXAMINED:  # a selective filter: continue after this item next time
                return Page(kept, encode_cursor(_key_of(item, query.key_names), query.fingerprint))
    return Page(kept, None)


def _between(attribute, low: str | None, high: str | None) -> Condition | None:
    if low and high:
        return attribute.between(low, high)
    if low:
        return attribute >= low
    if high:
        return attribute <= high
    return None


def _due_range(attribute, due_from: str | None, due_to: str | None) -> Condition | None:
    """Sort keys ``<due>#...`` of the days from ``due_from`` to ``due_to`` (ISO days, inclusive)."""
    return _between(attribute, due_from, f"{due_to}{_DAY_END}" if due_to else None)


# --- contracts -----------------------------------------------------------------------------------

def team_contracts(team: str, *, status: str | None = None, changed_since: str | None = None, limit: int,
                   cursor: str | None = None, keep: Callable[[ContractItem], bool] | None = None,
                   filters: tuple = ()) -> Page[ContractItem]:
    """The team's contracts, most recently changed first: GSI1 ``T#<team>#CONTRACTS``, or with a
    status GSI4 ``T#<team>#CONTRACTS#<status>``; with ``changed_since`` (an ISO time as
    ``clock.iso`` writes it, UTC), only those changed at or after it: a sort-key range
    (``<changed_at>#<id>``: the record, an obligation, the current term's dates;
    ``repository.last_change``). ``filters`` names what ``keep`` tests (it is part of the cursor's
    fingerprint)."""
    shape = (changed_since, *filters)
    if status:
        since = ContractItem.gsi4sk >= changed_since if changed_since else None
        query = _index_query(ContractItem.by_status, schema.BY_STATUS,
                             schema.team_contracts_of_status_pk(team, status), since, forward=False, shape=shape)
    else:
        since = ContractItem.gsi1sk >= changed_since if changed_since else None
        query = _index_query(ContractItem.by_team, schema.BY_TEAM, schema.team_contracts_pk(team), since,
                             forward=False, shape=shape)
    return _page(query, limit=limit, cursor=cursor, keep=keep)


def team_deletions(team: str, *, since: str | None = None, limit: int,
                   cursor: str | None = None) -> Page[DeletedItem]:
    """The team's deleted contracts, oldest deletion first (a deletion made while a client pages
    comes on a later page): ``T#<team>#DELETED`` from ``since`` (an ISO time as ``clock.iso``
    writes it)."""
    query = _table_query(DeletedItem, schema.team_deleted_pk(team), DeletedItem.sk >= since if since else None,
                         forward=True, shape=("deleted", since))
    return _page(query, limit=limit, cursor=cursor)


# --- obligations ---------------------------------------------------------------------------------

def team_obligations(team: str, status: ObligationStatus, *, owner: str | None = None,
                     due_from: str | None = None, due_to: str | None = None, limit: int,
                     cursor: str | None = None, keep: Callable[[ObligationItem], bool] | None = None,
                     filters: tuple = (),
                     prepare: Callable[[list[ObligationItem]], None] | None = None) -> Page[ObligationItem]:
    """The team's dated obligations of one stored status, soonest first, due in
    [``due_from``, ``due_to``]: GSI1 ``T#<team>#OBL#<status>``, or for one owner GSI3
    ``T#<team>#O#<owner>#<status>`` (sort key ``<due>#<contract>#<obligation>``). ``prepare``: see
    ``_page``."""
    if owner:
        model_index, index = ObligationItem.by_owner, schema.BY_OWNER
        hash_key, attribute = schema.owner_obligations_pk(team, owner, status), ObligationItem.gsi3sk
    else:
        model_index, index = ObligationItem.by_team, schema.BY_TEAM
        hash_key, attribute = schema.team_obligations_pk(team, status), ObligationItem.gsi1sk
    query = _index_query(model_index, index, hash_key, _due_range(attribute, due_from, due_to),
                         forward=True, shape=(due_from, due_to, *filters))
    return _page(query, limit=limit, cursor=cursor, keep=keep, prepare=prepare)


def open_obligations(team: str, owner: str | None = None) -> Iterator[ObligationItem]:
    """Every open dated obligation of the team (or of one owner in it), soonest first (a calendar
    feed: all of them, in as many Query pages as it takes)."""
    if owner:
        return iter(ObligationItem.by_owner.query(
            schema.owner_obligations_pk(team, owner, ObligationStatus.OPEN)))
    return iter(ObligationItem.by_team.query(schema.team_obligations_pk(team, ObligationStatus.OPEN)))


def renewal_deadlines(team: str, *, first_day: str, last_day: str, limit: int, cursor: str | None = None,
                      keep: Callable[[ObligationItem], bool] | None = None,
                      filters: tuple = (),
                      prepare: Callable[[list[ObligationItem]], None] | None = None) -> Page[ObligationItem]:
    """The team's open notice deadlines and term ends, and its term ends closed done, due from
    ``first_day`` to ``last_day``, soonest first: GSI2 ``T#<team>#RENEWAL`` (``keep`` tells which
    are listed). ``prepare``: see ``_page``."""
    query = _index_query(ObligationItem.renewals, schema.RENEWALS, schema.team_renewals_pk(team),
                         _due_range(ObligationItem.gsi2sk, first_day, last_day), forward=True,
                         shape=(first_day, last_day, *filters))
    return _page(query, limit=limit, cursor=cursor, keep=keep, prepare=prepare)


def items_by_key(keys: Iterable[tuple[str, str]], attributes: Iterable[Attribute]) -> dict[tuple[str, str], _Item]:
    """Items of any model by (partition key, sort key), with only ``attributes`` (of any model; the
    keys and ``item_type`` always), read strongly consistent in BatchGetItem calls of 100 keys,
    keys DynamoDB leaves unprocessed asked again after a pause that doubles (50 ms to 1 s); a key with no item, or of a model not in
    ``_BY_TYPE``, is left out. One call where a page reads two models' items (a renewal's contract
    and its partner deadline). The models are ``partial``: for reading only."""
    wanted = list(dict.fromkeys(keys))
    names = sorted({schema.PARTITION_KEY, schema.SORT_KEY, _Item.item_type.attr_name,
                    *(attribute.attr_name for attribute in attributes)})
    connection, table = _Item._get_connection(), _Item.Meta.table_name
    found: dict[tuple[str, str], _Item] = {}
    for start in range(0, len(wanted), BATCH_GET_PAGE_LIMIT):
        todo: list | None = [{schema.PARTITION_KEY: {"S": pk}, schema.SORT_KEY: {"S": sk}}
                             for pk, sk in wanted[start:start + BATCH_GET_PAGE_LIMIT]]
        for attempt in itertools.count():
            if not todo:
                break
            if attempt:  # what DynamoDB left unprocessed (throttled): asked again after a pause
                time.sleep(min(0.05 * 2 ** (attempt - 1), 1.0))
            answer = connection.batch_get_item(todo, consistent_read=True, attributes_to_get=names)
            for raw in answer.get("Responses", {}).get(table, []):
                model = _model_of(raw)
                if model is not None:
                    item = model.from_raw_data(raw)
                    item.partial = True
                    found[(item.pk, item.sk)] = item
            todo = answer.get("UnprocessedKeys", {}).get(table, {}).get("Keys")
    return found


_BY_TYPE: dict[str, type[_Item]] = {schema.ItemType.CONTRACT: ContractItem,
                                    schema.ItemType.OBLIGATION: ObligationItem}


def _model_of(raw: dict[str, Any]) -> type[_Item] | None:
    """A deleted contract's marker (``C#<id>`` / ``GONE``: a sync's deletions) by its key; the others
    by their type."""
    if raw.get(schema.SORT_KEY, {}).get("S") == schema.GONE_SK:
        return GoneItem
    return _BY_TYPE.get(raw.get(_Item.item_type.attr_name, {}).get("S"))


# --- terms and audit -----------------------------------------------------------------------------

def term_versions(contract_id: str, name: str) -> list[TermItem]:
    """Every version of one term, oldest first: ``C#<id>`` / ``TERM#<name>#``."""
    return list(TermItem.query(schema.contract_pk(contract_id),
                               TermItem.sk.startswith(f"{schema.TERM_PREFIX}{name}#")))


def audit_trail(contract_id: str, *, limit: int, cursor: str | None = None,
                since: str | None = None) -> Page[AuditItem]:
    """The contract's audit events, oldest first: ``C#<id>`` / ``AUDIT#``; with ``since`` (an instant
    as ``clock.iso`` writes it), only those at or after it (a sort-key range: a page that follows a
    file reads the few new lines, not the whole trail)."""
    condition = AuditItem.sk.startswith(schema.AUDIT_PREFIX) if since is None else \
        AuditItem.sk.between(schema.audit_sk(since, ""), schema.AUDIT_PREFIX + "\uffff")
    query = _table_query(AuditItem, schema.contract_pk(contract_id), condition, forward=True,
                         shape=("audit", since))
    return _page(query, limit=limit, cursor=cursor)


# --- calendar feeds ------------------------------------------------------------------------------

def team_feeds(team: str) -> list[FeedItem]:
    """The team's calendar feeds (GSI1 ``T#<team>#FEEDS``), by id."""
    return list(FeedItem.by_team.query(schema.team_feeds_pk(team)))


def team_feed(team: str, feed_id: str) -> FeedItem | None:
    """One of the team's feeds by its id (another team's id finds nothing)."""
    return next(iter(FeedItem.by_team.query(schema.team_feeds_pk(team), FeedItem.gsi1sk == feed_id)),
                None)
