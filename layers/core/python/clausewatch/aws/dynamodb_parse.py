"""DynamoDB's read answers parsed at the cost of ``json.loads``, for the pynamodb models.

botocore parses a response by walking its service model: for DynamoDB's items every attribute
value is a union structure of ten members, each member a shape handled by its own method. 50
contracts of 21 attributes (a BatchGetItem of the API's renewals page) take 8.8 ms to parse that
way and 0.7 ms to ``json.loads``, and the API's pages read 50-200 items each (`make bench-scale`:
a third of the handler's own time went to this parse). The wire's JSON of an attribute value is
already what botocore returns for it, except binary, which the wire writes as base64.

``install()`` registers, on the botocore sessions pynamodb creates, a ``before-parse`` handler
(botocore's hook for customised parsing: what it puts in ``customized_response_dict`` is merged
into the parsed response) for GetItem, Query, Scan and BatchGetItem: it takes the items out of the
answer (``Item``, ``Items``, ``Responses``), converts them itself (base64 to bytes for B and BS,
nested maps and lists walked) and leaves botocore the rest (counts, keys, unprocessed keys,
consumed capacity) to parse as usual. An error answer, a body that is not JSON, or a value with a
member this module does not know (a newer union member) is left entirely to botocore.
``tests/unit/test_dynamodb_parse.py`` holds the result equal to botocore's own on random items.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

# the answer's members that hold items, by operation
_ITEM_KEYS = {"GetItem": ("Item",), "Query": ("Items",), "Scan": ("Items",), "BatchGetItem": ("Responses",)}
_AS_ON_THE_WIRE = frozenset({"S", "N", "BOOL", "NULL", "SS", "NS"})  # botocore returns these unchanged


_parsed = [0]  # answers whose items this module parsed


def answers_parsed() -> int:
    return _parsed[0]


class _Unknown(ValueError):
    """A value this module does not parse: botocore parses the whole answer."""


def _value(value: Any) -> dict:
    if type(value) is not dict or len(value) != 1:
        raise _Unknown(repr(value)[:80])
    ((kind, inner),) = value.items()
    if kind in _AS_ON_THE_WIRE:
        return value
    if kind == "M":
        return {"M": _item(inner)}
    if kind == "L":
        if type(inner) is not list:
            raise _Unknown("L")
        return {"L": [_value(v) for v in inner]}
    if kind == "B":
        return {"B": base64.b64decode(inner)}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) for v in inner]}
    raise _Unknown(kind)


def _item(item: Any) -> dict:
    if type(item) is not dict:
        raise _Unknown("item")
    return {name: _value(v) for name, v in item.items()}


def _items(key: str, value: Any) -> Any:
    if key == "Item":
        return _item(value)
    if key == "Items":
        return [_item(i) for i in value]
    return {table: [_item(i) for i in items] for table, items in value.items()}  # Responses


def before_parse(operation_model: Any, response_dict: dict, customized_response_dict: dict, **_: Any) -> None:
    """botocore's ``before-parse.dynamodb.*`` event: parse the items of a read's answer."""
    keys = _ITEM_KEYS.get(operation_model.name)
    if keys is None or response_dict.get("status_code", 500) >= 300:
        return
    try:
        data = json.loads(response_dict["body"])
        if not isinstance(data, dict):
            return
        parsed = {key: _items(key, data.pop(key)) for key in keys if key in data}
    except (ValueError, TypeError, AttributeError, KeyError, binascii.Error):  # _Unknown is a ValueError
        return
    if not parsed:
        return
    response_dict["body"] = json.dumps(data).encode()
    customized_response_dict.update(parsed)
    _parsed[0] += 1


def install() -> None:
    """Have every botocore session pynamodb creates parse DynamoDB's items with ``before_parse``
    (idempotent)."""
    from pynamodb.connection import base

    if getattr(base.get_session, "clausewatch_items", False):
        return
    original = base.get_session

    def get_session(*args: Any, **kwargs: Any) -> Any:
        session = original(*args, **kwargs)
        session.register("before-parse.dynamodb", before_parse)
        return session

    get_session.clausewatch_items = True  # type: ignore[attr-defined]
    base.get_session = get_session
