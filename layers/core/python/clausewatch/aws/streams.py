"""DynamoDB Streams: read again the records of a batch Lambda gave up on (the planner DLQ's
descriptions name them by shard and sequence numbers; the stream keeps records 24 hours)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from .clients import client

_GONE = ("TrimmedDataAccessException", "ExpiredIteratorException", "ResourceNotFoundException",
         "ValidationException")


class RecordsGone(RuntimeError):
    """The records are no longer in the stream (older than its 24 hours, or the stream is gone)."""


def records_between(stream_arn: str, shard_id: str, first: str, last: str) -> list[dict]:
    """The shard's records from sequence number ``first`` to ``last`` (both included), in order,
    as Lambda delivers them."""
    streams = client("dynamodbstreams")
    try:
        iterator = streams.get_shard_iterator(StreamArn=stream_arn, ShardId=shard_id,
                                              ShardIteratorType="AT_SEQUENCE_NUMBER",
                                              SequenceNumber=first)["ShardIterator"]
        records: list[dict] = []
        while iterator:
            page = streams.get_records(ShardIterator=iterator, Limit=100)
            for record in page.get("Records", []):
                if int(record["dynamodb"]["SequenceNumber"]) > int(last):
                    return records
                records.append({**record, "eventSourceARN": stream_arn})
            if not page.get("Records"):
                break  # the end of what the shard holds
            iterator = page.get("NextShardIterator")
    except ClientError as exc:
        if exc.response["Error"]["Code"] in _GONE:
            raise RecordsGone(f"{exc.response['Error']['Code']}: {exc.response['Error'].get('Message', '')}") from exc
        raise
    if not records or records[0]["dynamodb"]["SequenceNumber"] != first:
        raise RecordsGone(f"sequence number {first} is no longer in shard {shard_id}")
    return records
