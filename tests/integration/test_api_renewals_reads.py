"""GET /renewals reads a page's contracts and each deadline's partner (a term end's notice
deadline, a notice deadline's term end) by BatchGetItem, a Query page at a time: its DynamoDB calls
do not grow with the deadlines it examines (issue #11 part 4)."""

from __future__ import annotations

from clausewatch.aws import dynamodb_parse
from tests.integration import table_calls
from tests.integration.api_support import PROCUREMENT, _world, call, claims, world  # noqa: F401

VIEWER = claims(PROCUREMENT)


def _renewals_calls(**query) -> tuple[list[dict], list[table_calls.TableCall]]:
    parsed = dynamodb_parse.answers_parsed()
    with table_calls.recording() as calls:
        reply = call("GET", "/renewals", claims=VIEWER, query=query)
    assert reply.status == 200, reply.text
    assert dynamodb_parse.answers_parsed() > parsed  # the handler's reads went through aws/dynamodb_parse
    return reply.json()["items"], [c for c in calls if c.function == "api"]


def test_renewals_read_partner_deadlines_in_batches_not_one_getitem_each(world):
    items, calls = _renewals_calls(within=400)
    assert len(items) >= 3
    # the page: one Query of GSI2; its contracts and the partners of its deadlines: BatchGetItem;
    # the listed terms' renewal decisions: one BatchGetItem more
    operations = [c.operation for c in calls]
    assert "GetItem" not in operations, operations
    assert operations.count("Query") == 1, operations
    assert 2 <= operations.count("BatchGetItem") <= 3, operations
    # each listed contract carries both of its dates (read from the batch), as before
    assert any(r["notice_deadline"] and r["expiration"] for r in items), items


def test_renewals_pages_cost_the_same_calls_whatever_they_examine(world):
    _, first = _renewals_calls(within=400, limit=1)
    _, full = _renewals_calls(within=400)
    assert len(first) == len(full)  # one Query, the batches: not one read per deadline
