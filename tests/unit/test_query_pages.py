"""store/queries._page on a stand-in Query (DynamoDB's Limit and ExclusiveStartKey semantics over a
sorted index partition): the Query pages a filtered page reads (the first a quarter larger than the
page, then 100s), and the items it keeps, in order, none skipped or repeated across cursors."""

from __future__ import annotations

import pytest

from clausewatch import schema
from clausewatch.schema import ItemType
from clausewatch.store import queries
from clausewatch.store.models import ObligationItem

PARTITION = "T#team#OBL#OPEN"


def _item(n: int) -> ObligationItem:
    contract, obligation = f"c{n:04d}", f"payment-{n}"
    item = ObligationItem(schema.contract_pk(contract), schema.obligation_sk(obligation), item_type=ItemType.OBLIGATION,
                          contract_id=contract, obligation_id=obligation, kind="payment" if n % 3 else "report",
                          summary="s", due="2027-01-01", derivation="d", action="a", updated_at="t", version=1)
    item.gsi1pk, item.gsi1sk = PARTITION, f"2027-01-01#{contract}#{obligation}"
    return item


class StandIn:
    """Model.query's arguments; DynamoDB's pages: ``page_size`` items from after
    ``last_evaluated_key``, one recorded Query call per page."""

    def __init__(self, count: int) -> None:
        self.items = [_item(n) for n in range(count)]
        self.pages: list[int] = []  # the Limit of each Query call made

    def run(self, hash_key, range_condition, *, scan_index_forward, last_evaluated_key, page_size):
        assert hash_key == PARTITION and range_condition is None and scan_index_forward
        position = 0
        if last_evaluated_key is not None:
            after = last_evaluated_key[schema.BY_TEAM.sort_key]["S"]
            assert last_evaluated_key[schema.PARTITION_KEY]["S"]  # the whole key, as DynamoDB needs
            position = next(i for i, item in enumerate(self.items) if item.gsi1sk == after) + 1
        while True:
            self.pages.append(page_size)
            page = self.items[position:position + page_size]
            yield from page
            position += len(page)
            if position >= len(self.items):
                return

    def query(self) -> queries._Query:
        return queries._Query(self.run, schema.BY_TEAM.partition_key, PARTITION,
                              (schema.PARTITION_KEY, schema.SORT_KEY, schema.BY_TEAM.partition_key,
                               schema.BY_TEAM.sort_key), None, True, "fingerprint")


def _all_pages(stand_in: StandIn, limit: int, keep) -> list[list[str]]:
    pages, cursor = [], None
    while True:
        page = queries._page(stand_in.query(), limit=limit, cursor=cursor, keep=keep)
        pages.append([item.contract_id for item in page.items])
        if page.cursor is None:
            return pages
        cursor = page.cursor


def test_an_unfiltered_page_reads_one_query_page_of_one_more_than_it_holds():
    stand_in = StandIn(300)
    page = queries._page(stand_in.query(), limit=50, cursor=None)
    assert len(page.items) == 50 and page.cursor is not None
    assert stand_in.pages == [51]


def test_a_filtered_page_reads_a_first_query_page_a_quarter_larger_then_pages_of_100():
    stand_in = StandIn(1000)
    kept = queries._page(stand_in.query(), limit=50, cursor=None, keep=lambda item: item.kind == "report")
    # a third of the items are reports: 63 read hold 21, then one page of 100 fills the 50 and one more
    assert [item.kind for item in kept.items] == ["report"] * 50
    assert stand_in.pages == [63, 100]
    # a filter that keeps all: the first Query page alone
    everything = StandIn(1000)
    queries._page(everything.query(), limit=50, cursor=None, keep=lambda item: True)
    assert everything.pages == [63]


@pytest.mark.parametrize("limit", [1, 7, 50, 100])
def test_filtered_pages_hold_every_kept_item_once_in_order(limit):
    stand_in = StandIn(640)
    pages = _all_pages(stand_in, limit, keep=lambda item: item.kind == "report")
    listed = [contract for page in pages for contract in page]
    assert listed == [item.contract_id for item in stand_in.items if item.kind == "report"]
    assert all(len(page) <= limit for page in pages)


def test_a_page_that_ends_with_the_partition_does_not_query_again():
    stand_in = StandIn(20)
    page = queries._page(stand_in.query(), limit=50, cursor=None, keep=lambda item: True)
    assert len(page.items) == 20 and page.cursor is None
    assert stand_in.pages == [63]


@pytest.mark.parametrize("limit", [1, 20, 50, 79, 100])
def test_a_filter_that_keeps_nothing_reads_max_examined_items_and_no_more(limit):
    stand_in = StandIn(2000)
    page = queries._page(stand_in.query(), limit=limit, cursor=None, keep=lambda item: False)
    assert page.items == [] and page.cursor is not None
    assert sum(stand_in.pages) == queries.MAX_EXAMINED
