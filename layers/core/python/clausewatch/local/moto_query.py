"""The embedded default's DynamoDB Query at a cost that follows the partition read, as DynamoDB's does.

moto 5.2's ``Table.query`` starts from ``all_items()``, which sorts every item of the table, and
for an index Query then compares every item's key with the one asked for: a Query of 50 items on a
table of 110,000 takes seconds (``make bench-scale``), so `clausewatch serve` over a few thousand
contracts answers each page slowly although the API reads one index partition.

``install()`` leaves moto's Query as it is and changes only which items it starts from:
- a table Query starts from its partition's items (``Table.items[hash]``) instead of the whole table;
- an index Query (one hash attribute) starts from the items holding that attribute value, bucketed
  once per index and kept until the next write to any table; the partition's sort for that index is
  kept as well;
- an index Query with a sort-key condition (=, <, <=, >, >=, BETWEEN) starts from the run of that
  sorted partition that meets it, found by bisection, and one item either side (moto ends a full
  page on the next item, and a reversed Query starts from the far end), instead of moto comparing
  every item of the partition (5,000 for a team's open obligations at 10,000 contracts). One case
  answers otherwise: a page moto would end at 1 MB on an item outside the run.
moto still applies every key condition, page, limit, filter and projection itself, to the same
items in the same order. Two more of its costs per item read are cut: an item's size (which it
computes for every candidate while filling a page, and for every item of a BatchGetItem) is kept
per item until the next write; and the answer of a read (GetItem, Query, Scan, BatchGetItem),
which moto builds in the wire's JSON shape already, is written with ``json.dumps`` straight from
moto's values (its ``DynamoType`` through json's ``default``, bytes as base64, as the wire has
them) instead of moto converting every value in Python (``dynamo_to_dict``, a fifth of the server's
time) and then writing it with its shape-driven serializer (two thirds of a 100-item Query's time).
Before a Query or Scan filters its page, moto deep-copies the items (a snapshot: the answer is
written after the call, and a write may change the stored items meanwhile); that copy took a third of
the server thread's time on a page of 50 obligations. It is now made by one function per item and
value (``_copier``: new objects equal to what moto's ``__deepcopy__`` makes, nothing mutable shared, without ``copy.deepcopy``'s
dispatch and memo per value), and the answer's plain values (strings, numbers, booleans, nulls,
string and number sets) are handed to ``json.dumps`` as dicts, so only binary, list and map values
still go through ``default``.
The answers are unchanged (``tests/integration/test_moto_query.py`` compares them with moto's own
on random tables and writes). Every method of moto's DynamoDB
backend that may write (anything but get/describe/list/query/scan), and the table's own put and
delete, end the buckets' life; a Query on an index with several hash or sort-key attributes, or
none, or one that meets a concurrent write, goes moto's own way.
Local only: deployed, DynamoDB answers.
"""

from __future__ import annotations

import base64
import bisect
import copy
import functools
import inspect
import itertools
import json
import threading
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_installed = False
_enabled = True
_counter = itertools.count(1)  # next() is atomic under the GIL
_generation = 0  # a new number before and after every backend call that may write
_local = threading.local()
_served = [0]  # Queries started from a partition or an index bucket (not moto's whole table)


_written = [0]  # read answers written with json.dumps (not moto's serializer)


def served() -> int:
    return _served[0]


def written() -> int:
    return _written[0]


_runs = [0]  # index Queries started from the run of their sort-key condition


def runs() -> int:
    return _runs[0]
_READ_PREFIXES = ("get_", "describe_", "list_", "query", "scan", "batch_get", "transact_get",
                  "default_vpc_endpoint_service", "iter_tagged_resources")


@contextmanager
def moto_only() -> Iterator[None]:
    """Every Query goes moto's own way meanwhile (the tests compare both answers)."""
    global _enabled
    _enabled = False
    try:
        yield
    finally:
        _enabled = True


# reads whose answer moto builds as the wire's JSON already (AttributeValue maps; bytes for B):
# written with json.dumps, as moto's shape-driven serializer writes them at many times the cost
_READS = frozenset({"GetItem", "Query", "Scan", "BatchGetItem"})


def enabled() -> bool:
    return _enabled


_SIZES_KEPT = 200_000  # items whose size is kept at once (projected copies are new objects each read)
_sizes: dict[int, tuple[Any, int]] = {}  # id(item) -> (item, its size), for one generation
_sizes_generation = [0]


def kept_size(item: Any, compute: Any) -> int:
    """``compute(item)`` (moto's ``Item.size``), kept per item object until the next write."""
    generation = _generation
    if _sizes_generation[0] != generation or len(_sizes) >= _SIZES_KEPT:
        _sizes.clear()
        _sizes_generation[0] = generation
    found = _sizes.get(id(item))
    if found is not None and found[0] is item:
        return found[1]
    value = compute(item)
    if generation == _generation:  # no write began or ended meanwhile
        _sizes[id(item)] = (item, value)
    return value


def _base64(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(type(value).__name__)


def _binary(value: Any) -> bytes:
    return value if isinstance(value, bytes) else base64.b64decode(value)


def _wire(value: Any) -> Any:
    """json.dumps's ``default`` for a read's answer as moto builds it (items of ``DynamoType``
    values): the wire's JSON of each, as moto's ``dynamo_to_dict`` and serializer write it (binary
    as base64 of its bytes), with the dicts, lists and strings around them walked in C."""
    kind = getattr(value, "type", None)
    if isinstance(kind, str) and hasattr(value, "cast_value"):  # moto's DynamoType
        if kind == "B":
            return {"B": _base64(_binary(value.value))}
        if kind == "BS":
            return {"BS": [_base64(_binary(v)) for v in value.value]}
        return {kind: value.value}
    if hasattr(value, "to_json"):
        return value.to_json()
    return _base64(value)


# values json.dumps writes as they are: {type: value} (binary, lists and maps go through _wire)
_PLAIN = frozenset({"S", "N", "BOOL", "NULL", "SS", "NS"})


def _plain_item(attrs: Any, value_type: Any) -> Any:
    """An item of a read's answer as json.dumps writes it, its plain values as ``{type: value}``."""
    if not isinstance(attrs, dict):
        return attrs
    return {name: {value.type: value.value} if type(value) is value_type and value.type in _PLAIN else value
            for name, value in attrs.items()}


def _plain_answer(result: dict, value_type: Any) -> dict:
    """GetItem's Item, Query's and Scan's Items, BatchGetItem's Responses, with plain values made
    dicts (everything else as it is)."""
    out = dict(result)
    if isinstance(out.get("Item"), dict):
        out["Item"] = _plain_item(out["Item"], value_type)
    if isinstance(out.get("Items"), list):
        out["Items"] = [_plain_item(attrs, value_type) for attrs in out["Items"]]
    if isinstance(out.get("Responses"), dict):
        out["Responses"] = {table: [_plain_item(attrs, value_type) for attrs in items] if isinstance(items, list)
                            else items for table, items in out["Responses"].items()}
    return out


def _copier(value_type: Any, sized_dict: Any) -> tuple[Any, Any]:
    """``(copy_value, copy_item)``: what moto's ``DynamoType.__deepcopy__`` and
    ``Item.__deepcopy__`` make (new values all the way down, a set's list copied, strings, numbers
    and bytes shared as immutable; an item's hash key, range key and attributes only, its
    attributes in a size-limited dict built without re-checking the size), in one call per value."""
    new: Any = object.__new__
    set_item = dict.__setitem__

    def copy_value(value: Any) -> Any:
        if type(value) is not value_type:  # not a value moto made: copy's own way
            return copy.deepcopy(value)
        made = new(value_type)
        kind = made.type = value.type
        inner = value.value
        if kind == "L":
            made.value = [copy_value(v) for v in inner]
        elif kind == "M":
            made.value = {k: copy_value(v) for k, v in inner.items()}
        elif kind in ("SS", "NS", "BS"):
            made.value = list(inner)
        else:
            made.value = inner
        return made

    def copy_item(item: Any, memo: dict) -> Any:
        found = memo.get(id(item))
        if found is not None:
            return found
        made = new(type(item))
        memo[id(item)] = made
        hash_key, range_key = item.hash_key, item.range_key
        hash_copy = range_copy = None  # a key the attributes hold too stays one object in the copy
        attrs = sized_dict.__new__(sized_dict)
        dict.__init__(attrs)
        for name, value in item.attrs.items():
            done = copy_value(value)
            if value is hash_key:
                hash_copy = done
            if value is range_key:
                range_copy = done
            set_item(attrs, name, done)
        made.hash_key = hash_copy if hash_copy is not None or hash_key is None else copy_value(hash_key)
        made.range_key = range_copy if range_copy is not None or range_key is None else copy_value(range_key)
        made.attrs = attrs
        return made

    return copy_value, copy_item


def _bump() -> None:
    global _generation
    _generation = next(_counter)


def _writing(method):
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _bump()
        try:
            return method(*args, **kwargs)
        finally:
            _bump()
    return wrapper


class _Entry:
    """One index's items by hash value, for one generation, and each partition's sorted items."""

    def __init__(self, generation: int, buckets: dict):
        self.generation = generation
        self.buckets = buckets
        self.sorted: dict[tuple, Any] = {}  # a partition sorted, or (sorted, its sort-key values)


def _index_entry(table: Any, index_name: str, hash_attr: str) -> _Entry | None:
    cache: dict[str, _Entry] = table.__dict__.setdefault("_clausewatch_query_cache", {})
    entry = cache.get(index_name)
    if entry is not None and entry.generation == _generation:
        return entry
    started = _generation
    buckets: dict[Any, list] = defaultdict(list)
    try:
        for hash_set in list(table.items.values()):
            for item in (list(hash_set.values()) if table.range_key_attr else [hash_set]):
                value = item.attrs.get(hash_attr)
                if value is not None:
                    buckets[value].append(item)
    except RuntimeError:  # a write changed the table under us: moto's own way this time
        return None
    if started != _generation:
        return None
    entry = cache[index_name] = _Entry(started, dict(buckets))
    return entry


# a sort-key condition's run in a partition sorted by that key: (first, end) positions by bisection
_RUNS = {
    "BETWEEN": lambda v, x: (bisect.bisect_left(v, x[0]), bisect.bisect_right(v, x[1])),
    ">=": lambda v, x: (bisect.bisect_left(v, x[0]), len(v)),
    ">": lambda v, x: (bisect.bisect_right(v, x[0]), len(v)),
    "<=": lambda v, x: (0, bisect.bisect_right(v, x[0])),
    "<": lambda v, x: (0, bisect.bisect_left(v, x[0])),
    "=": lambda v, x: (bisect.bisect_left(v, x[0]), bisect.bisect_right(v, x[0])),
}
for _long, _short in (("GE", ">="), ("GT", ">"), ("LE", "<="), ("LT", "<"), ("EQ", "=")):
    _RUNS[_long] = _RUNS[_short]


def _range_run(sort: Any, entry: _Entry, hash_value: Any, bucket: list, hash_attrs: list, range_attrs: list,
               comparison: str, range_objs: list) -> list | None:
    """The items of an index partition whose sort key meets ``comparison``, in moto's order, and
    one item either side (moto's loop ends a full page on the next item, in range or not, and
    starts a reversed Query from the far end); None when the condition is not one bisection
    answers (moto's own way then)."""
    runs = _RUNS.get(comparison)
    if runs is None or range_attrs[0] is None:
        return None
    key = (hash_value, "run", tuple(hash_attrs), tuple(range_attrs))
    found = entry.sorted.get(key)
    if found is None:
        # the items the index holds (moto keeps only those with the sort key), in moto's order
        eligible = [item for item in bucket if item.attrs.get(range_attrs[0])]
        ordered = list(sort(hash_attrs, range_attrs, eligible))
        found = entry.sorted[key] = (ordered, [item.attrs[range_attrs[0]].cast_value for item in ordered])
    ordered, values = found
    try:
        first, end = runs(values, [obj.cast_value for obj in range_objs])
    except (TypeError, IndexError):  # values of another type, or too few: moto answers
        return None
    return ordered[max(first - 1, 0):end + 1]


def install() -> None:
    """Patch moto's DynamoDB Table once per process (idempotent)."""
    global _installed
    if _installed:
        return
    from moto.core.responses import ActionResult
    from moto.dynamodb import responses as dynamodb_responses
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoResult

    for name, member in list(vars(DynamoDBBackend).items()):
        if inspect.isfunction(member) and not name.startswith("_") and not name.startswith(_READ_PREFIXES):
            setattr(DynamoDBBackend, name, _writing(member))
    # and the table's own writes, which an import's thread calls without the backend
    for name in ("put_item", "delete_item"):
        setattr(Table, name, _writing(getattr(Table, name)))

    original_query: Any = Table.query
    original_all_items: Any = Table.all_items
    original_sorted_items: Any = Table.sorted_items
    signature = inspect.signature(original_query)

    def all_items(self: Any) -> list:
        if getattr(_local, "table", None) is self:
            return list(_local.candidates)
        return original_all_items(self)

    def sorted_items(self: Any, hash_key_attrs: list, range_key_attrs: list, items: list) -> list:
        entry = getattr(_local, "entry", None)
        if getattr(_local, "table", None) is not self or entry is None:
            return original_sorted_items(self, hash_key_attrs, range_key_attrs, items)
        if _local.presorted:  # a run of the partition in moto's order already
            return list(items)
        key = (_local.hash_value, tuple(hash_key_attrs), tuple(range_key_attrs), len(items))
        found = entry.sorted.get(key)
        if found is None:
            found = entry.sorted[key] = list(original_sorted_items(self, hash_key_attrs, range_key_attrs, items))
        return list(found)

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not _enabled:
            return original_query(self, *args, **kwargs)
        bound = signature.bind(self, *args, **kwargs)
        arguments = bound.arguments
        presorted = False
        index_name = arguments.get("index_name")
        entry, hash_value = None, None
        if not index_name:
            hash_key = arguments.get("hash_key")
            if hash_key is None:
                return original_query(self, *args, **kwargs)
            partition = self.items.get(hash_key)
            if partition is None:
                candidates: list = []
            else:
                candidates = list(partition.values()) if self.range_key_attr else [partition]
        else:
            index = {i.name: i for i in self.all_indexes()}.get(index_name)
            conditions = dict(arguments.get("hash_key_conditions") or [])
            hashes = [] if index is None else [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"]
            ranges = [] if index is None else [k for k in index.schema if k["KeyType"] == "RANGE"]
            # several sort-key attributes: moto filters on the leading ones before its sort, so the
            # partition's sorted items are not one list: moto's own way
            if len(hashes) != 1 or hashes[0] not in conditions or len(ranges) > 1:
                return original_query(self, *args, **kwargs)
            hash_value = conditions[hashes[0]]
            entry = _index_entry(self, index_name, hashes[0])
            if entry is None:
                return original_query(self, *args, **kwargs)
            candidates = entry.buckets.get(hash_value, [])
            if ranges and arguments.get("range_comparison") and not arguments.get("filter_kwargs"):
                run = _range_run(functools.partial(original_sorted_items, self), entry, hash_value, candidates,
                                 [hashes[0], self.hash_key_attr], [ranges[0]["AttributeName"], self.range_key_attr],
                                 arguments["range_comparison"], arguments.get("range_objs") or [])
                if run is not None:
                    candidates, presorted = run, True
                    _runs[0] += 1
        _local.table, _local.candidates, _local.entry, _local.hash_value = self, candidates, entry, hash_value
        _local.presorted = presorted
        _served[0] += 1
        try:
            return original_query(self, *args, **kwargs)
        finally:
            _local.table = _local.candidates = _local.entry = _local.hash_value = _local.presorted = None

    original_size: Any = Item.size
    original_item_copy: Any = Item.__deepcopy__
    original_project: Any = Item.project
    copy_value, copy_item = _copier(DynamoType, LimitedSizeDict)

    def project(self: Any, expressions: list[list[str]]) -> Any:
        """moto's ``Item.project`` for top-level names: the item with only those attributes, each a
        copy. moto's own turns the whole item into plain Python once per name and back (about
        0.6 ms for a contract of 25 attributes and 13 names); a nested path or a list element
        (``lst[1]``, which moto keeps as one name) still goes its way."""
        if not _enabled or any(len(path) != 1 or "[" in path[0] for path in expressions):
            return original_project(self, expressions)
        made = Item(hash_key=self.hash_key, range_key=self.range_key, attrs={})
        attrs = made.attrs
        for (name,) in expressions:
            value = self.attrs.get(name)
            if value is not None and name not in attrs:
                # as copy_item: no size check per attribute (moto's sums every value each time); a
                # part of a stored item is within the limit
                dict.__setitem__(attrs, name, copy_value(value))
        return made

    def item_deepcopy(self: Any, memo: dict) -> Any:
        return copy_item(self, memo) if _enabled else original_item_copy(self, memo)

    def size(self: Any) -> int:
        return kept_size(self, original_size) if _enabled else original_size(self)

    original_execute: Any = ActionResult.execute_result
    original_result_init: Any = DynamoResult.__init__

    def result_init(self: Any, result: object) -> None:
        if not _enabled:
            return original_result_init(self, result)
        ActionResult.__init__(self, result)  # moto's values as they are: converted below if need be
        self._clausewatch_raw = True

    def execute_result(self: Any, context: Any) -> Any:
        raw = self.__dict__.pop("_clausewatch_raw", False)
        if not _enabled or type(self) not in (ActionResult, DynamoResult) or not isinstance(self.result, dict) \
                or context.service_model.service_name != "dynamodb" or context.operation_model.name not in _READS:
            return original_execute(_converted(self, raw), context)
        try:
            body = json.dumps(_plain_answer(self.result, DynamoType), default=_wire)
        except (TypeError, ValueError):
            return original_execute(_converted(self, raw), context)
        _written[0] += 1
        return 200, {"Content-Type": "application/x-amz-json-1.0", "server": "amazon.com",
                     "x-amzn-requestid": uuid.uuid4().hex}, body

    def _converted(result: Any, raw: bool) -> Any:
        if raw:  # as moto's DynamoResult would have held it
            result._result = dynamodb_responses.dynamo_to_dict(result._result)
        return result

    ActionResult.execute_result = execute_result  # type: ignore[method-assign]
    DynamoResult.__init__ = result_init  # type: ignore[method-assign]
    Item.size = size  # type: ignore[method-assign]
    Item.__deepcopy__ = item_deepcopy  # type: ignore[method-assign]
    Item.project = project  # type: ignore[method-assign,assignment]
    Table.query = query  # type: ignore[method-assign]  # patching moto's table
    Table.all_items = all_items  # type: ignore[method-assign]
    Table.sorted_items = sorted_items  # type: ignore[method-assign]
    _installed = True
