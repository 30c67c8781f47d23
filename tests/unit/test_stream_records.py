"""Reading a given-up stream batch again (aws/streams.py): every record from the first to the last
sequence number, through the empty pages GetRecords may answer on an open shard; records no longer
there, or a batch not read to its end, are said so, never returned as all."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from clausewatch.aws import streams


class FakeStreams:
    """GetShardIterator/GetRecords over ``pages`` (lists of sequence numbers); None ends the shard."""

    def __init__(self, pages: list[list[int]], *, trimmed: bool = False, ends: bool = True) -> None:
        self.pages, self.trimmed, self.ends, self.reads = pages, trimmed, ends, 0

    def get_shard_iterator(self, **kwargs):
        if self.trimmed:
            raise ClientError({"Error": {"Code": "TrimmedDataAccessException", "Message": "trimmed"}},
                              "GetShardIterator")
        return {"ShardIterator": "0"}

    def get_records(self, ShardIterator, Limit):
        index = int(ShardIterator)
        self.reads += 1
        page = self.pages[index] if index < len(self.pages) else []
        more = index + 1 < len(self.pages) or not self.ends
        return {"Records": [{"dynamodb": {"SequenceNumber": str(n)}} for n in page],
                **({"NextShardIterator": str(index + 1)} if more else {})}


def read(monkeypatch, fake: FakeStreams, first: int, last: int) -> list[int]:
    monkeypatch.setattr(streams, "client", lambda service: fake)
    return [int(r["dynamodb"]["SequenceNumber"]) for r in
            streams.records_between("arn:stream", "shard-1", str(first), str(last))]


def test_empty_pages_of_an_open_shard_are_read_through(monkeypatch):
    fake = FakeStreams([[100, 101], [], [], [102, 103], [104]])
    assert read(monkeypatch, fake, 100, 103) == [100, 101, 102, 103]
    assert fake.reads == 4  # it stops at the last


def test_a_batch_not_read_to_its_last_record_is_an_error_not_a_shorter_batch(monkeypatch):
    fake = FakeStreams([[100, 101]] + [[]] * (streams.EMPTY_PAGES + 5), ends=False)
    with pytest.raises(RuntimeError, match="not to 103"):
        read(monkeypatch, fake, 100, 103)
    assert fake.reads == 1 + streams.EMPTY_PAGES


def test_a_closed_shard_that_ends_before_the_last_record_is_an_error(monkeypatch):
    with pytest.raises(RuntimeError, match="not to 103"):
        read(monkeypatch, FakeStreams([[100, 101]]), 100, 103)


def test_records_no_longer_in_the_stream_are_gone(monkeypatch):
    with pytest.raises(streams.RecordsGone, match="TrimmedDataAccessException"):
        read(monkeypatch, FakeStreams([[100]], trimmed=True), 100, 100)
    with pytest.raises(streams.RecordsGone, match="no longer"):  # trimmed up to a later record
        read(monkeypatch, FakeStreams([[102, 103]]), 100, 103)
