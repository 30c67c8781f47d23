"""aws/dynamodb_parse.py: a read's answer parsed through its before-parse handler equals botocore's
own parse of the same bytes, for random items of every attribute type (nested, binary, sets), for
GetItem, Query, Scan and BatchGetItem; what it does not know is left to botocore whole."""

from __future__ import annotations

import base64
import json
import random

import botocore.session
import pytest
from botocore.parsers import create_parser

from clausewatch.aws import dynamodb_parse

MODEL = botocore.session.get_session().get_service_model("dynamodb")


def _value(rng: random.Random, depth: int = 0) -> dict:
    kinds = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS"] + (["M", "L"] if depth < 3 else [])
    kind = rng.choice(kinds)
    blob = lambda: base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.randrange(0, 9)))).decode()  # noqa: E731
    return {
        "S": lambda: {"S": rng.choice(["", "x", "é ✓", "2027-01-01#c#o"])},
        "N": lambda: {"N": rng.choice(["0", "-1.50", "1e3", "12345678901234567890"])},
        "B": lambda: {"B": blob()},
        "BOOL": lambda: {"BOOL": rng.random() < 0.5},
        "NULL": lambda: {"NULL": True},
        "SS": lambda: {"SS": ["a", "b c"][:rng.randrange(1, 3)]},
        "NS": lambda: {"NS": ["1", "2.5"][:rng.randrange(1, 3)]},
        "BS": lambda: {"BS": [blob() for _ in range(rng.randrange(1, 3))]},
        "M": lambda: {"M": _item(rng, depth + 1)},
        "L": lambda: {"L": [_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]},
    }[kind]()


def _item(rng: random.Random, depth: int = 0) -> dict:
    return {f"a{n}": _value(rng, depth) for n in range(rng.randrange(0, 6))}


def _answer(rng: random.Random, operation: str) -> dict:
    key = {"pk": {"S": "C#1"}, "sk": {"S": "CONTRACT"}}
    if operation == "GetItem":
        return {"Item": _item(rng)} if rng.random() < 0.9 else {}
    if operation in ("Query", "Scan"):
        answer = {"Items": [_item(rng) for _ in range(rng.randrange(0, 5))], "Count": 3, "ScannedCount": 7}
        if rng.random() < 0.5:
            answer["LastEvaluatedKey"] = key
        return answer
    return {"Responses": {"table": [_item(rng) for _ in range(rng.randrange(0, 5))]},
            "UnprocessedKeys": {"table": {"Keys": [key]}} if rng.random() < 0.3 else {},
            "ConsumedCapacity": [{"TableName": "table", "CapacityUnits": 2.0}]}


def _parse(operation: str, body: bytes, status: int = 200, *, fast: bool) -> dict:
    model = MODEL.operation_model(operation)
    response = {"body": body, "headers": {"x-amzn-requestid": "r", "x-amz-crc32": "1"}, "status_code": status}
    customized: dict = {}
    if fast:
        dynamodb_parse.before_parse(operation_model=model, response_dict=response, customized_response_dict=customized)
    parsed = create_parser("json").parse(response, model.output_shape)
    parsed.update(customized)
    return parsed


@pytest.mark.parametrize("operation", ["GetItem", "Query", "Scan", "BatchGetItem"])
def test_a_reads_answer_parses_as_botocores_own(operation):
    rng = random.Random(operation)
    kinds_seen: set[str] = set()
    for _ in range(150):
        body = json.dumps(_answer(rng, operation)).encode()
        kinds_seen |= {k for k in ("\"B\"", "\"BS\"", "\"M\"", "\"L\"", "\"NULL\"") if k in body.decode()}
        assert _parse(operation, body, fast=True) == _parse(operation, body, fast=False)
    assert kinds_seen == {"\"B\"", "\"BS\"", "\"M\"", "\"L\"", "\"NULL\""}  # every kind was compared


def test_binary_comes_back_as_bytes_and_the_rest_of_the_answer_is_botocores():
    body = json.dumps({"Items": [{"b": {"B": base64.b64encode(b"\x00\xff").decode()}}], "Count": 1,
                       "ScannedCount": 1, "LastEvaluatedKey": {"pk": {"B": "AAE="}}}).encode()
    model = MODEL.operation_model("Query")
    response = {"body": body, "headers": {}, "status_code": 200}
    customized: dict = {}
    dynamodb_parse.before_parse(operation_model=model, response_dict=response, customized_response_dict=customized)
    assert customized == {"Items": [{"b": {"B": b"\x00\xff"}}]}
    assert b"Items" not in response["body"]  # botocore parses only what is left
    assert _parse("Query", body, fast=True)["LastEvaluatedKey"] == {"pk": {"B": b"\x00\x01"}}


@pytest.mark.parametrize("body, status", [
    (b'{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", "message": "no"}', 400),
    (b'{"Item": {"a": {"XYZ": "a member not known here"}}}', 200),
    (b'not json', 200),
    (b'{"Item": {"a": {"S": "x", "N": "1"}}}', 200),
])
def test_what_it_does_not_know_is_left_to_botocore_whole(body, status):
    model = MODEL.operation_model("GetItem")
    response = {"body": body, "headers": {}, "status_code": status}
    customized: dict = {}
    dynamodb_parse.before_parse(operation_model=model, response_dict=response, customized_response_dict=customized)
    assert customized == {} and response["body"] == body


def test_writes_are_left_to_botocore():
    body = json.dumps({"Attributes": {"a": {"B": "AAE="}}}).encode()
    model = MODEL.operation_model("UpdateItem")
    response = {"body": body, "headers": {}, "status_code": 200}
    customized: dict = {}
    dynamodb_parse.before_parse(operation_model=model, response_dict=response, customized_response_dict=customized)
    assert customized == {} and response["body"] == body
