"""store/queries.py ``items_by_key``: keys DynamoDB leaves unprocessed are asked again, after a
pause that doubles, until none are left; every item comes back once, as its model, read in part."""

from __future__ import annotations

from clausewatch import schema
from clausewatch.store import queries
from clausewatch.store.models import ContractItem, ObligationItem, _Item


class _Throttling:
    """A connection answering each BatchGetItem with its first item only, the rest unprocessed."""

    def __init__(self) -> None:
        self.asked: list[list[dict]] = []

    def batch_get_item(self, keys, consistent_read=None, attributes_to_get=None):
        assert consistent_read and schema.PARTITION_KEY in attributes_to_get and "title" in attributes_to_get
        self.asked.append(list(keys))
        table = _Item.Meta.table_name
        first, rest = keys[0], keys[1:]
        sk = first[schema.SORT_KEY]["S"]
        item_type = "contract" if sk == schema.CONTRACT_SK else "obligation"
        raw = {**first, "item_type": {"S": item_type}, "contract_id": {"S": first[schema.PARTITION_KEY]["S"][2:]}}
        return {"Responses": {table: [raw]}, "UnprocessedKeys": {table: {"Keys": rest}} if rest else {}}


def test_unprocessed_keys_are_asked_again_after_a_growing_pause(monkeypatch):
    connection, pauses = _Throttling(), []
    monkeypatch.setattr(_Item, "_get_connection", classmethod(lambda cls: connection))
    monkeypatch.setattr(queries.time, "sleep", pauses.append)
    keys = [(schema.contract_pk(f"c{n}"), schema.CONTRACT_SK) for n in range(3)] + \
        [(schema.contract_pk("c0"), schema.obligation_sk("expiration"))] * 2  # a key twice: asked once
    found = queries.items_by_key(keys, [ContractItem.title, ObligationItem.due])
    assert list(found) == list(dict.fromkeys(keys))  # every item once
    assert [len(asked) for asked in connection.asked] == [4, 3, 2, 1]
    assert pauses == [0.05, 0.1, 0.2]  # none before the first call
    assert isinstance(found[keys[0]], ContractItem) and isinstance(found[keys[3]], ObligationItem)
    assert all(item.partial for item in found.values())
