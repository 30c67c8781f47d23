"""DynamoDB Streams: read again the records of a batch Lambda gave up on (the planner DLQ's
descriptions name them by shard and sequence numbers; the stream keeps records 24 hours)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from .clients import client

_GONE = ("TrimmedDataAccessException", "ExpiredIteratorException", "ResourceNotFoundException",
         "ValidationException")


class RecordsGone(RuntimeError):
    """The records are no longer in the stream (older than its 24 hours, or the stream is gone)."""


# GetRecords may answer empty pages before the records of an open shard (DynamoDB Streams API
# reference): read on through this many in a row before giving up for now
EMPTY_PAGES = 100


def records_between(stream_arn: str, shard_id: str, first: str, last: str) -> list[dict]:
    """The shard's records from sequence number ``first`` to ``last`` (both included), in order,
    as Lambda delivers them. Raises RecordsGone when they are no longer in the stream, and
    RuntimeError when ``last`` was not reached (read again later: nothing is given as read that
    was not)."""
    streams = client("dynamodbstreams")
    records: list[dict] = []
    try:
        iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard_id,
                                              ShardIteratorType="AT_SEQUENCE_NUMBER",
                                              SequenceNumber=first)["ShardIterator"]
        empty = 0
        while iterator and empty < EMPTY_PAGES:
            page = streams.get_records(ShardIterator=iterator, Limit=100)
            empty = 0 if page.get("Records") else empty + 1
            for record in page.get("Records", []):
                number = int(record["dynamodb"]["SequenceNumber"])
                if number <= int(last):
                    records.append({**record, "eventSourceARN": stream_arn})
                if number >= int(last):
                    iterator = None
                    break
            else:
                iterator = page.get("NextShardIterator")
    except ClientError as exc:
        if exc.response["Error"]["Code"] in _GONE:
            raise RecordsGone(f"{exc.response['Error']['Code']}: {exc.response['Error'].get('Message', '')}") from exc
        raise
    if not records or records[0]["dynamodb"]["SequenceNumber"] != first:
        raise RecordsGone(f"sequence number {first} is no longer in shard {shard_id}")
    if records[-1]["dynamodb"]["SequenceNumber"] != last:
        raise RuntimeError(f"read shard {shard_id} from {first} to {records[-1]['dynamodb']['SequenceNumber']}, "
                           f"not to {last}: try again later")
    return records
