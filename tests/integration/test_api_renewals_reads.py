"""GET /renewals reads a page's contracts and each deadline's partner (a term end's notice
deadline, a notice deadline's term end) by BatchGetItem, a Query page at a time: its DynamoDB calls
do not grow with the deadlines it examines (issue #11 part 4)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from pynamodb.connection.base import Connection
from pynamodb.transactions import TransactWrite

from clausewatch import clock, config, schema
from clausewatch.aws import dynamodb_parse
from clausewatch.plan import EXPIRATION_ID, NOTICE_DEADLINE_ID
from clausewatch.store import queries
from clausewatch.store import repository as repo
from clausewatch.store.models import ContractItem
from tests.integration import table_calls
from tests.integration.api_support import NOW, PROCUREMENT, _world, call, claims, world  # noqa: F401

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
    assert operations.count("BatchGetItem") == 2, operations
    # each listed contract carries both of its dates (read from the batch), as before
    assert any(r["notice_deadline"] and r["expiration"] for r in items), items


def test_renewals_pages_cost_the_same_calls_whatever_they_examine(world):
    _, first = _renewals_calls(within=400, limit=1)
    _, full = _renewals_calls(within=400)
    assert len(first) == len(full)  # one Query, the batches: not one read per deadline


def _batches(**query) -> tuple[list[dict], list[dict]]:
    """The renewals page and the RequestItems of each BatchGetItem it made."""
    sent, dispatch = [], Connection.dispatch

    def recording(self, operation, kwargs):
        if operation == "BatchGetItem":
            sent.append(kwargs["RequestItems"][config.TABLE_NAME])
        return dispatch(self, operation, kwargs)

    with mock.patch.object(Connection, "dispatch", recording):
        items, _ = _renewals_calls(**query)
    return items, sent


def test_a_page_reads_its_contracts_and_partner_deadlines_in_one_batch_without_the_extraction(world):
    items, sent = _batches(within=400)
    first = sent[0]
    sort_keys = [key[schema.SORT_KEY]["S"] for key in first["Keys"]]
    assert schema.CONTRACT_SK in sort_keys and any(k != schema.CONTRACT_SK for k in sort_keys), sort_keys
    names = set(first["ExpressionAttributeNames"].values())
    assert "renewal_terms" in names and "due" in names and "extraction" not in names, names
    # the listed terms' renewal records: their state and decision, not their evidence and history
    decisions = set(sent[1]["ExpressionAttributeNames"].values())
    assert {"state", "decision", "outcome"} <= decisions and not {"history", "evidence"} & decisions, decisions
    # what each renewal shows of its terms is what its stored extraction says
    shown = 0
    for renewal in items:
        extracted = repo.get_contract(renewal["contract_id"]).extracted
        expected = extracted.renewal_summary()
        assert (renewal["auto_renew"], renewal["renewal_term"], renewal["notice_period"]) == (
            expected["auto_renewal"], expected["renewal_term"], expected["notice_period"])
        shown += expected["renewal_term"] is not None
    assert shown, items  # a renewal term was compared, not only Nones


def test_a_contract_saved_before_its_renewal_terms_were_stored_shows_them_from_its_extraction(world):
    before, _ = _batches(within=400)
    assert any(r["renewal_term"] for r in before), before
    for renewal in before:  # as an item last written before the attribute existed
        ContractItem.get(schema.contract_pk(renewal["contract_id"]), schema.CONTRACT_SK).update(
            actions=[ContractItem.renewal_terms.remove()])
    try:
        assert all(repo.get_contract(r["contract_id"]).renewal_terms is None for r in before)
        after, calls = _renewals_calls(within=400)
        # those contracts read again whole in one BatchGetItem more, not one GetItem each
        assert [c.operation for c in calls].count("BatchGetItem") == 3 and "GetItem" not in [
            c.operation for c in calls], calls
        # the upgrade's one-off stores them (python -m clausewatch.renewal.reindex)
        assert repo.store_renewal_terms() >= len(before)
        assert repo.store_renewal_terms() == 0  # safe to run again
    finally:
        repo.store_renewal_terms()
    assert after == before
    for renewal in before:
        contract = repo.get_contract(renewal["contract_id"])
        assert contract.renewal_terms == contract.extracted.renewal_summary()


def test_storing_the_renewal_terms_alone_does_not_plan_the_contract_again():
    from clausewatch.pipeline.reminders import _only_planner_fields

    old = {"pk": {"S": "C#x"}, "version": {"N": "3"}, "extraction": {"S": "{}"}}
    stored = {**old, "version": {"N": "4"}, "renewal_terms": {"S": "{}"}}
    assert _only_planner_fields({"dynamodb": {"OldImage": old, "NewImage": stored}})
    changed = {**stored, "extraction": {"S": '{"terms": {}}'}}
    assert not _only_planner_fields({"dynamodb": {"OldImage": old, "NewImage": changed}})


def test_the_obligations_list_reads_its_contracts_without_their_extraction(world):
    sent, dispatch = [], Connection.dispatch

    def recording(self, operation, kwargs):
        if operation == "BatchGetItem":
            sent.append(kwargs["RequestItems"][config.TABLE_NAME])
        return dispatch(self, operation, kwargs)

    with mock.patch.object(Connection, "dispatch", recording):
        reply = call("GET", "/obligations", claims=VIEWER)
    assert reply.status == 200 and reply.json()["items"], reply.text
    names = set(sent[0]["ExpressionAttributeNames"].values())
    assert {"title", "time_zone"} <= names and "extraction" not in names, names
    assert all(item["contract_title"] for item in reply.json()["items"])


def test_the_renewal_terms_stored_with_a_contract_are_its_extractions(world):
    items, _ = _batches(within=400)
    for renewal in items:
        contract = repo.get_contract(renewal["contract_id"])
        assert contract.renewal_terms == contract.extracted.renewal_summary()


def test_an_item_read_in_part_cannot_be_written_back(world):
    items, _ = _batches(within=400)
    contract_id = items[0]["contract_id"]
    key = (schema.contract_pk(contract_id), schema.CONTRACT_SK)
    partial = queries.items_by_key([key], [ContractItem.title])[key]
    assert partial.partial and partial.title == repo.get_contract(contract_id).title
    assert partial.extraction is None  # left behind, not the stored one
    with pytest.raises(TypeError, match="some attributes only"):
        partial.save()
    with pytest.raises(TypeError, match="some attributes only"):
        partial.update(actions=[ContractItem.title.set("changed")])
    with pytest.raises(TypeError, match="some attributes only"):
        partial.delete()
    for write in (lambda t: t.save(partial), lambda t: t.delete(partial),
                  lambda t: t.update(partial, actions=[ContractItem.title.set("changed")])):
        with pytest.raises(TypeError, match="some attributes only"), TransactWrite(connection=ContractItem._get_connection().connection) as transaction:
            write(transaction)
    for write in (lambda b: b.save(partial), lambda b: b.delete(partial)):
        with pytest.raises(TypeError, match="some attributes only"), ContractItem.batch_write() as batch:
            write(batch)
    whole = repo.get_contract(contract_id)
    assert whole.title == partial.title and whole.extraction  # neither changed nor deleted
    with ContractItem.batch_write() as batch:  # a whole item still goes through
        batch.save(whole)
    assert repo.get_contract(contract_id).extraction == whole.extraction


def test_the_overdue_list_reads_the_contracts_it_tests_in_batches_not_one_getitem_each(world):
    # "overdue" decides each obligation in its contract's time zone while paging: the Query page's
    # contracts are read before it asks (BatchGetItem), not one GetItem per contract
    clock.set_now(datetime(2027, 6, 1, 12, 0, tzinfo=UTC))
    try:
        with table_calls.recording() as calls:
            reply = call("GET", "/obligations", claims=VIEWER, query={"status": "overdue"})
    finally:
        clock.set_now(NOW)
    items = reply.json()["items"]
    assert reply.status == 200 and len({o["contract_id"] for o in items}) >= 2, reply.text
    assert all(o["status"] == "overdue" for o in items)
    operations = [c.operation for c in calls if c.function == "api"]
    assert "GetItem" not in operations and operations.count("BatchGetItem") == 1, operations


def test_a_partner_deadline_in_the_same_query_page_is_not_read_again(world):
    items, sent = _batches(within=400)
    last_day = (NOW.date() + timedelta(days=400)).isoformat()
    both = [r for r in items if r["notice_deadline"] and r["expiration"] and r["expiration"] <= last_day]
    assert both, items  # contracts with both dates in the window: each date's partner is in the page
    read = {(key[schema.PARTITION_KEY]["S"], key[schema.SORT_KEY]["S"]) for batch in sent for key in batch["Keys"]}
    for renewal in both:
        pk = schema.contract_pk(renewal["contract_id"])
        assert not {(pk, schema.obligation_sk(o)) for o in (NOTICE_DEADLINE_ID, EXPIRATION_ID)} & read, renewal
        # ... and the row shows both dates as stored, listed once, at the notice deadline
        notice = repo.get_obligation(renewal["contract_id"], NOTICE_DEADLINE_ID)
        expiration = repo.get_obligation(renewal["contract_id"], EXPIRATION_ID)
        assert (renewal["notice_deadline"], renewal["notice_status"], renewal["expiration"]) == (
            notice.due, notice.status, expiration.due), renewal
        assert renewal["next_date"] == notice.due
    assert len({r["contract_id"] for r in items}) == len(items)


def test_the_overdue_list_of_one_kind_reads_only_that_kinds_contracts(world):
    clock.set_now(datetime(2027, 6, 1, 12, 0, tzinfo=UTC))
    try:
        every = call("GET", "/obligations", claims=VIEWER, query={"status": "overdue", "limit": 100}).json()["items"]
        kinds = {o["kind"] for o in every}
        kind = next(k for k in sorted(kinds) if {o["contract_id"] for o in every if o["kind"] == k}
                    < {o["contract_id"] for o in every})  # a kind some overdue contracts lack
        _, sent = _overdue_batches(kind)
    finally:
        clock.set_now(NOW)
    read = {key[schema.PARTITION_KEY]["S"] for batch in sent for key in batch["Keys"]}
    wanted = {o["contract_id"] for o in every if o["kind"] == kind}
    assert read == {schema.contract_pk(c) for c in wanted}, (kind, read)


def _overdue_batches(kind: str) -> tuple[list[dict], list[dict]]:
    sent, dispatch = [], Connection.dispatch

    def recording(self, operation, kwargs):
        if operation == "BatchGetItem":
            sent.append(kwargs["RequestItems"][config.TABLE_NAME])
        return dispatch(self, operation, kwargs)

    with mock.patch.object(Connection, "dispatch", recording):
        reply = call("GET", "/obligations", claims=VIEWER, query={"status": "overdue", "kind": kind, "limit": 100})
    assert reply.status == 200 and reply.json()["items"], reply.text
    assert {o["kind"] for o in reply.json()["items"]} == {kind}
    return reply.json()["items"], sent
