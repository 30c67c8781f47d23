"""The embedded default's reads (clausewatch/local/moto_query.py) answer as moto's own do: the same
items, order, pages and keys for Query, and the same GetItem, BatchGetItem and Scan answers (binary,
set and nested values included), on random tables after random puts, updates and deletes; with
clausewatch/local/moto_dispatch.py's shortcuts in place (moto_only() turns them off too)."""

from __future__ import annotations

import json
import random

import pytest

from clausewatch.aws.clients import client
from clausewatch.local import moto_query

TABLE = "clausewatch-moto-query-check"
S, N = "S", "N"


def _create(ddb) -> None:
    ddb.create_table(
        TableName=TABLE, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": t}
                              for a, t in (("pk", S), ("sk", S), ("ga", S), ("gr", S), ("gb", S), ("gn", N))],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {"IndexName": "GSI_A", "KeySchema": [{"AttributeName": "ga", "KeyType": "HASH"},
                                             {"AttributeName": "gr", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "ALL"}},
            {"IndexName": "GSI_B", "KeySchema": [{"AttributeName": "gb", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "KEYS_ONLY"}},
            {"IndexName": "GSI_C", "KeySchema": [{"AttributeName": "ga", "KeyType": "HASH"},
                                             {"AttributeName": "gn", "KeyType": "RANGE"}],
             "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}},
        ])


def _item(rng: random.Random) -> dict:
    item = {"pk": {S: f"P{rng.randrange(4)}"}, "sk": {S: f"s{rng.randrange(12):02d}"},
            "x": {N: str(rng.randrange(100))}}
    if rng.random() < 0.8:
        item["ga"] = {S: f"A{rng.randrange(3)}"}
    if rng.random() < 0.7:
        item["gr"] = {S: f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"}
    if rng.random() < 0.5:
        item["gb"] = {S: f"B{rng.randrange(2)}"}
    if rng.random() < 0.6:
        item["gn"] = {N: str(rng.randrange(-2, 12))}  # ties at a bound
    if rng.random() < 0.3:  # written as base64 on the wire
        item["blob"] = {"B": bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))}
    if rng.random() < 0.3:
        item["nested"] = {"M": {"l": {"L": [{"S": "x"}, {"NULL": True}, {"N": "1.50"}]}, "ok": {"BOOL": False}}}
    if rng.random() < 0.3:  # sets, and binary inside a map
        item["sets"] = {"M": {"ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"\x00\x01"]},
                              "b": {"B": b"\xff"}}}
    if rng.random() < 0.3:  # every plain type at the top level too
        item.update({"flag": {"BOOL": rng.random() < 0.5}, "none": {"NULL": True},
                     "tags": {"SS": ["t1", "t2"][:rng.randrange(1, 3)]}, "nums": {"NS": ["3", "-0.5"]}})
    return item


def _write(ddb, rng: random.Random) -> None:
    for _ in range(rng.randrange(5, 25)):
        roll = rng.random()
        if roll < 0.6:
            ddb.put_item(TableName=TABLE, Item=_item(rng))
            continue
        key = {"pk": {S: f"P{rng.randrange(4)}"}, "sk": {S: f"s{rng.randrange(12):02d}"}}
        if roll < 0.85:  # an update changes index keys in place
            ddb.update_item(TableName=TABLE, Key=key, UpdateExpression="SET ga = :a, gr = :r, gn = :n",
                            ExpressionAttributeValues={":a": {S: f"A{rng.randrange(3)}"},
                                                       ":r": {S: f"2026-0{rng.randrange(1, 10)}-15"},
                                                       ":n": {N: str(rng.randrange(50))}})
        else:
            ddb.delete_item(TableName=TABLE, Key=key)


def _sort_condition(rng: random.Random, name: str, value) -> str:
    """A random sort-key condition on ``name``; its values in the query's ExpressionAttributeValues
    via the caller (``:lo``/``:hi`` are added to ``_CONDITION_VALUES``)."""
    kind = rng.choice(("BETWEEN", "<", "<=", ">", ">=", "=", "begins_with"))
    low, high = sorted((value(), value()), key=lambda v: next(iter(v.values())) if S in v else float(v[N]))
    _CONDITION_VALUES.clear()
    if kind == "BETWEEN":
        _CONDITION_VALUES.update({":lo": low, ":hi": high})
        return f"{name} BETWEEN :lo AND :hi"
    if kind == "begins_with":
        if S not in low:
            kind = "="
        else:
            _CONDITION_VALUES[":lo"] = low
            return f"begins_with({name}, :lo)"
    _CONDITION_VALUES[":lo"] = low
    return f"{name} {kind} :lo"


_CONDITION_VALUES: dict = {}


def _queries(rng: random.Random) -> list[dict]:
    out = []
    for _ in range(12):
        kind = rng.choice(("table", "A", "B", "C"))
        forward = rng.random() < 0.5
        if kind == "table":
            q = {"KeyConditionExpression": "pk = :h", "ExpressionAttributeValues": {":h": {S: f"P{rng.randrange(7)}"}}}
            if rng.random() < 0.5:
                q["KeyConditionExpression"] += " AND sk < :r"
                q["ExpressionAttributeValues"][":r"] = {S: f"s{rng.randrange(12):02d}"}
        elif kind == "A":
            q = {"IndexName": "GSI_A", "KeyConditionExpression": "ga = :h",
                 "ExpressionAttributeValues": {":h": {S: f"A{rng.randrange(4)}"}}}
            if rng.random() < 0.7:  # every sort-key comparison, bounds on and between stored values
                q["KeyConditionExpression"] += " AND " + _sort_condition(rng, "gr", lambda: {S: rng.choice(
                    (f"2026-{rng.randrange(1, 13):02d}", f"2026-0{rng.randrange(1, 10)}-15", "2025", "2027"))})
            if rng.random() < 0.4:
                q["FilterExpression"] = "x > :x"
                q["ExpressionAttributeValues"][":x"] = {N: "40"}
        elif kind == "B":
            q = {"IndexName": "GSI_B", "KeyConditionExpression": "gb = :h",
                 "ExpressionAttributeValues": {":h": {S: f"B{rng.randrange(3)}"}}}
        else:
            q = {"IndexName": "GSI_C", "KeyConditionExpression": "ga = :h",
                 "ExpressionAttributeValues": {":h": {S: f"A{rng.randrange(3)}"}}}
            q["KeyConditionExpression"] += " AND " + _sort_condition(rng, "gn", lambda: {N: str(rng.randrange(-3, 14))})
        q["ExpressionAttributeValues"].update(_CONDITION_VALUES)
        _CONDITION_VALUES.clear()
        q["ScanIndexForward"] = forward
        if rng.random() < 0.6:
            q["Limit"] = rng.randrange(1, 6)
        out.append(q)
    return out


def _pages(ddb, query: dict) -> list[tuple[list, dict | None, int, int]]:
    pages, start = [], None
    while True:
        response = ddb.query(TableName=TABLE, **query, **({"ExclusiveStartKey": start} if start else {}))
        start = response.get("LastEvaluatedKey")
        pages.append((response["Items"], start, response["Count"], response["ScannedCount"]))
        if start is None or len(pages) > 60:
            return pages


def _same_reads(ddb, keys: list[dict]) -> None:
    reads = [lambda: ddb.get_item(TableName=TABLE, Key=keys[0]).get("Item"),
             lambda: sorted(ddb.batch_get_item(RequestItems={TABLE: {"Keys": keys}})["Responses"][TABLE],
                            key=lambda i: (i["pk"][S], i["sk"][S])),
             lambda: ddb.scan(TableName=TABLE)["Items"]]
    for read in reads:
        ours = read()
        with moto_query.moto_only():
            assert ours == read()


# top-level names (ours), a missing one, and nested paths (moto's own way)
_PROJECTED = ("pk", "sk", "x", "ga", "gr", "blob", "nested", "sets", "flag", "none", "tags", "nums", "absent")
_NESTED = ("sets.ss", "nested.l[0]", "nested.ok")


def _sets_sorted(value):
    """Sets in one order: moto's projection makes Python sets of them, whose order is arbitrary."""
    if isinstance(value, dict):
        return {k: sorted(v) if k in ("SS", "NS", "BS") else _sets_sorted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_sets_sorted(v) for v in value]
    return value


def _same_projected_reads(ddb, rng: random.Random, keys: list[dict]) -> int:
    """GetItem, BatchGetItem and Query with a ProjectionExpression answer as moto's own."""
    names = rng.sample(_PROJECTED, rng.randrange(1, 8)) + (rng.sample(_NESTED, 1) if rng.random() < 0.2 else [])
    placeholders = {f"#n{i}": name.split(".")[0].split("[")[0] for i, name in enumerate(names)}
    expression = ", ".join(f"#n{i}" + name[len(placeholders[f"#n{i}"]):] for i, name in enumerate(names))
    projection = {"ProjectionExpression": expression, "ExpressionAttributeNames": placeholders}
    reads = [lambda: ddb.get_item(TableName=TABLE, Key=keys[0], **projection).get("Item"),
             lambda: sorted(ddb.batch_get_item(RequestItems={TABLE: {"Keys": keys, **projection}})["Responses"][TABLE],
                            key=lambda i: json.dumps(i, sort_keys=True, default=repr)),
             lambda: ddb.query(TableName=TABLE, KeyConditionExpression="pk = :h",
                               ExpressionAttributeValues={":h": keys[0]["pk"]}, **projection)["Items"]]
    compared = 0
    for read in reads:
        ours = _sets_sorted(read())
        with moto_query.moto_only():
            assert ours == _sets_sorted(read()), (names, ours)
        compared += len(ours or []) if isinstance(ours, list) else ours is not None
    return compared


def test_projected_reads_answer_as_motos_own(cloud):
    """moto's ``Item.project`` for top-level names is ours (``install``): the same attributes and
    values as moto's own, on random items, with names missing, repeated and nested (moto's way)."""
    from moto.dynamodb.models.dynamo_type import Item

    moto_query.install()
    assert Item.project.__module__ == moto_query.__name__
    ddb = client("dynamodb")
    _create(ddb)
    rng = random.Random(9)
    compared = 0
    try:
        for _ in range(6):
            _write(ddb, rng)
            for _ in range(10):
                keys = [{"pk": {S: f"P{rng.randrange(4)}"}, "sk": {S: f"s{rng.randrange(12):02d}"}} for _ in range(8)]
                compared += _same_projected_reads(ddb, rng, list({json.dumps(k, sort_keys=True): k for k in keys}.values()))
    finally:
        ddb.delete_table(TableName=TABLE)
    assert compared > 100


def test_a_projected_item_shares_nothing_mutable_with_the_stored_one():
    from moto.dynamodb.models.dynamo_type import DynamoType, Item

    moto_query.install()
    attrs = {"pk": {S: "p"}, "sk": {S: "s"}, "tags": {"SS": ["a"]},
             "nested": {"M": {"l": {"L": [{"NS": ["1"]}]}}}}
    stored = Item(DynamoType(attrs["pk"]), DynamoType(attrs["sk"]), attrs)
    before = stored.to_json()
    # a list element moto keeps as one name ("lst[1]") goes its way: the same as moto's own
    listed = Item(DynamoType({S: "p"}), DynamoType({S: "s"}), {**attrs, "lst": {"L": [{S: "x"}, {S: "y"}]}})
    for paths in ([["lst[1]"]], [["lst[0]"], ["tags"]]):
        ours = listed.project(paths).to_json()
        with moto_query.moto_only():
            assert ours == listed.project(paths).to_json() and "lst" in ours["Attributes"], paths
    made = stored.project([["tags"], ["nested"], ["absent"]])
    assert sorted(made.attrs) == ["nested", "tags"]
    made.attrs["tags"].value.append("b")
    made.attrs["nested"].value["l"].value[0].value.append("2")
    assert stored.to_json() == before


@pytest.mark.parametrize("seed", range(4))
def test_query_answers_as_motos_own(cloud, seed):
    ddb = client("dynamodb")
    _create(ddb)
    rng = random.Random(seed)
    compared, served, written, runs = 0, moto_query.served(), moto_query.written(), moto_query.runs()
    try:
        for _ in range(5):
            _write(ddb, rng)
            for query in _queries(rng):
                ours = _pages(ddb, query)
                with moto_query.moto_only():
                    theirs = _pages(ddb, query)
                assert ours == theirs, query
                compared += sum(len(page[0]) for page in ours)
            keys = [{"pk": {S: f"P{rng.randrange(6)}"}, "sk": {S: f"s{rng.randrange(12):02d}"}} for _ in range(8)]
            _same_reads(ddb, list({json.dumps(k, sort_keys=True): k for k in keys}.values()))
    finally:
        ddb.delete_table(TableName=TABLE)
    assert compared > 0  # the queries found items to compare
    assert moto_query.served() > served  # and ours were answered the new way
    assert moto_query.runs() > runs  # some from the run of their sort-key condition
    assert moto_query.written() > written


def test_a_write_between_two_queries_is_seen(cloud):
    ddb = client("dynamodb")
    _create(ddb)
    try:
        query = {"IndexName": "GSI_A", "KeyConditionExpression": "ga = :h", "ExpressionAttributeValues": {":h": {S: "A1"}}}
        ddb.put_item(TableName=TABLE, Item={"pk": {S: "P1"}, "sk": {S: "s1"}, "ga": {S: "A2"}, "gr": {S: "2026-01-01"}})
        served = moto_query.served()
        assert ddb.query(TableName=TABLE, **query)["Items"] == []
        assert moto_query.served() == served + 1  # answered from the buckets
        ddb.update_item(TableName=TABLE, Key={"pk": {S: "P1"}, "sk": {S: "s1"}}, UpdateExpression="SET ga = :a",
                        ExpressionAttributeValues={":a": {S: "A1"}})  # moves the item into A1, in place
        assert [i["sk"][S] for i in ddb.query(TableName=TABLE, **query)["Items"]] == ["s1"]
    finally:
        ddb.delete_table(TableName=TABLE)


def test_an_index_with_two_sort_key_attributes_answers_as_motos_own(cloud):
    ddb = client("dynamodb")
    table = "clausewatch-moto-query-multi"
    ddb.create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": a, "AttributeType": S} for a in ("pk", "h", "r1", "r2")],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        GlobalSecondaryIndexes=[{"IndexName": "GSI_MULTI", "KeySchema": [
            {"AttributeName": "h", "KeyType": "HASH"}, {"AttributeName": "r1", "KeyType": "RANGE"},
            {"AttributeName": "r2", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "ALL"}}])
    try:
        for pk, r1, r2 in [("a", "X", "3"), ("b", "X", "1"), ("c", "Y", "2"), ("d", "Y", "0")]:
            ddb.put_item(TableName=table, Item={"pk": {S: pk}, "h": {S: "H"}, "r1": {S: r1}, "r2": {S: r2}})

        def keys(r1: str) -> list[str]:
            return [i["pk"][S] for i in ddb.query(
                TableName=table, IndexName="GSI_MULTI", KeyConditionExpression="h = :h AND r1 = :r1 AND r2 >= :z",
                ExpressionAttributeValues={":h": {S: "H"}, ":r1": {S: r1}, ":z": {S: "0"}})["Items"]]

        ours = (keys("X"), keys("Y"))
        with moto_query.moto_only():
            assert ours == (keys("X"), keys("Y")) == (["b", "a"], ["d", "c"])
    finally:
        ddb.delete_table(TableName=table)


def test_every_sort_key_condition_at_every_bound_answers_as_motos_own(cloud):
    """Ties at the bounds (several items with one sort-key value), every comparison at every value
    and between them, both directions, limits that end a page on the run's last item."""
    ddb = client("dynamodb")
    _create(ddb)
    try:
        for n in range(18):
            ddb.put_item(TableName=TABLE, Item={"pk": {S: f"P{n % 4}"}, "sk": {S: f"s{n:02d}"}, "ga": {S: "A0"},
                                                "gr": {S: f"2026-0{n % 5 + 1}-01"}, "gn": {N: str(n % 6)}})
        runs, compared = moto_query.runs(), 0
        for op in ("<", "<=", ">", ">=", "=", "BETWEEN"):
            for bound in range(-1, 7):
                for attribute, value in (("gn", lambda b: {N: str(b)}), ("gr", lambda b: {S: f"2026-0{b}-01"})):
                    condition = f"{attribute} BETWEEN :lo AND :hi" if op == "BETWEEN" else f"{attribute} {op} :lo"
                    values = {":h": {S: "A0"}, ":lo": value(bound)}
                    if op == "BETWEEN":
                        values[":hi"] = value(bound + 2)
                    for forward in (True, False):
                        for limit in (None, 3):
                            query = {"IndexName": "GSI_C" if attribute == "gn" else "GSI_A",
                                     "KeyConditionExpression": f"ga = :h AND {condition}",
                                     "ExpressionAttributeValues": values, "ScanIndexForward": forward,
                                     **({"Limit": limit} if limit else {})}
                            ours = _pages(ddb, query)
                            with moto_query.moto_only():
                                assert ours == _pages(ddb, query), query
                            compared += sum(len(page[0]) for page in ours)
        assert compared > 0 and moto_query.runs() > runs
    finally:
        ddb.delete_table(TableName=TABLE)


def test_an_items_copy_is_motos_copy_and_shares_nothing_mutable():
    """Query and Scan deep-copy their page (the answer is written after the call): the copy is
    equal to moto's own, keeps a key the attributes hold as one object, and changing any value of
    the copy (a list, a map, a set) leaves the stored item as it was."""
    import copy

    from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict

    moto_query.install()
    # the copy compared below is ours: installed on moto's Item and switched on
    assert Item.__deepcopy__.__module__ == moto_query.__name__ and moto_query._enabled
    rng = random.Random(5)
    for n in range(40):
        attrs = _item(rng)
        attrs["list"] = {"L": [{"SS": ["a"]}, {"M": {"deep": {"L": [{"BS": [b"\x01"]}]}}}]}
        stored = Item(DynamoType(attrs["pk"]), DynamoType(attrs["sk"]), attrs)
        if n % 2:  # the keys as the attributes' own objects
            stored.hash_key, stored.range_key = stored.attrs["pk"], stored.attrs["sk"]
        before = json.dumps(stored.to_json(), sort_keys=True, default=repr)
        with moto_query.moto_only():
            theirs = copy.deepcopy([stored])[0]
        ours = copy.deepcopy([stored])[0]
        assert type(ours.attrs) is LimitedSizeDict and ours == theirs
        assert ours.to_json() == theirs.to_json() and vars(ours).keys() == vars(theirs).keys()
        assert (ours.hash_key is ours.attrs["pk"]) == (theirs.hash_key is theirs.attrs["pk"]) == bool(n % 2)
        assert (ours.range_key is ours.attrs["sk"]) == bool(n % 2)
        # every object of the copy is new, down to the innermost list
        ours.attrs["list"].value[0].value.append("b")
        ours.attrs["list"].value[1].value["deep"].value[0].value.append(b"\x02")
        ours.attrs["list"].value[1].value["new"] = DynamoType({"S": "x"})
        if "nested" in ours.attrs:
            ours.attrs["nested"].value["l"].value.pop()
        if "sets" in ours.attrs:
            ours.attrs["sets"].value["ss"].value.append("c")
        if "tags" in ours.attrs:  # a string and a number set at the top level
            ours.attrs["tags"].value.append("t3")
            ours.attrs["nums"].value.append("9")
        ours.attrs["x"].value = "changed"
        ours.hash_key.value = "changed"
        assert json.dumps(stored.to_json(), sort_keys=True, default=repr) == before
