"""LocalCloud: moto's server on 127.0.0.1 holding the resources the CDK app declares, and the
event routing AWS does for us when deployed (S3 -> SQS -> λ, SNS -> SQS -> λ, DynamoDB stream -> λ,
EventBridge Scheduler -> λ), done by draining queues/streams into the same handlers."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from .. import clock, config, schema
from ..aws import clients, s3
from ..aws.clients import client
from ..pipeline.claims import DeliveryInFlight
from ..pipeline.digest import digest_due, next_run_at, reader_zone
from ..renewal import local as renewal_local
from ..store import models, preferences
from ..text.budget import FORK_LOCK
from ..webhooks import backoff_seconds
from . import moto_dispatch, moto_query, s3post, stream
from .handlers import invoke
from .invocations import Invocations, Outcome

if TYPE_CHECKING:
    from moto.server import ThreadedMotoServer

log = logging.getLogger(__name__)

REGION = "us-east-1"
ACCOUNT = "123456789012"
ARN = f"arn:aws:{{service}}:{REGION}:{ACCOUNT}:{{resource}}"


def arn(service: str, resource: str) -> str:
    return ARN.format(service=service, resource=resource)


# Roles and the alert function exist only as ARNs locally: nothing assumes them, the handler is
# called in-process.
TEXTRACT_ROLE_ARN = arn("iam", "role/clausewatch-textract-publish").replace(f":{REGION}:", "::")
SCHEDULER_ROLE_ARN = arn("iam", "role/clausewatch-scheduler").replace(f":{REGION}:", "::")
ALERT_FUNCTION_ARN = arn("lambda", "function:clausewatch-alert")
RENEWAL_ROLE_ARN = arn("iam", "role/clausewatch-renewal").replace(f":{REGION}:", "::")


def next_digest_at(after: datetime) -> datetime:
    """When the digest rule next fires strictly after ``after`` (config.DIGEST_SCHEDULE, as the
    deployed EventBridge rule: ``pipeline.digest.next_run_at``): `fire_until` covers (now, until], so
    a call that ends on the firing instant fires it and the next, starting there, does not."""
    return next_run_at(after)


@dataclass(frozen=True)
class Fired:
    """One schedule fired by the local scheduler emulation."""

    at: datetime
    name: str
    payload: dict
    result: dict


class LocalCloud:
    """Start with ``start()``; ``pump()`` delivers events until quiet; ``fire_until(t)`` fires due
    schedules in time order; ``stop()`` shuts the server down and restores the environment."""

    def __init__(self, on_event: Callable[[str, dict], None] | None = None, concurrency: int = 1):
        self.on_event = on_event or (lambda kind, info: None)
        # queued messages' invocations at once (local.invocations); 1: one after another, here
        self.concurrency = max(1, concurrency)
        self._server: ThreadedMotoServer | None = None
        self._saved_env: dict[str, str | None] = {}
        self._stream_iterators: dict[str, str] = {}
        self._mail_seen = 0
        self._schedule_details: dict[str, dict] = {}  # name -> detail (while made once: CreationDate)
        self.failures: list[tuple[str, object]] = []  # handler failures the local router saw
        self._queue_urls: dict[str, str] = {}
        # failed messages a function hid for its backoff (QueueConsumer.backs_off): queue ->
        # (receipt handle, when they come back on the product clock)
        self._backing_off: dict[str, list[tuple[str, datetime]]] = {}
        self.endpoint = ""
        self.renewals_started: list[Fired] = []  # renewal workflows started by fire_until
        self.renewal_timeouts: list[Fired] = []  # decision waits fire_until timed out
        self.digests: list[Fired] = []  # digest runs fire_until fired that met a reader's Monday 07:00
        # deliveries fire_until found held by another's unexpired claim (a crashed invocation's):
        # left to fire again after its lease, as Lambda's retry would
        self.held: list[Fired] = []

    # --- life cycle ------------------------------------------------------------------------------
    def start(self) -> LocalCloud:
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
        # S3 checks a presigned POST's policy (the API's uploads depend on it); moto does not
        s3post.install(secret_key=self.environment()["AWS_SECRET_ACCESS_KEY"])
        # a Query reads its partition, not the whole table (moto's sorts and compares every item)
        moto_query.install()
        # and what moto's server works out again on every request (a host's backend, ...)
        moto_dispatch.install()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint = f"http://{host}:{port}"
        self.reset()  # moto's backends live in the process, not in the server: start empty
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env = {}
        clients.reset()

    def __enter__(self) -> LocalCloud:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def reset(self) -> None:
        """Empty every resource and provision again (tests share one server this way). The
        (simulated) clock is not a resource: it is left as it is."""
        import urllib.request

        urllib.request.urlopen(urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST"))
        environment = self.environment()
        same = all(os.environ.get(key) == value for key, value in environment.items())
        self._set_env(environment)
        # the clients and the models' connections are kept when nothing they were made with changed
        # (a client costs about 0.1 s to make: most of a reset, which every test's cloud does)
        if not same or not models.is_bound(config.TABLE_NAME, host=self.endpoint, region=REGION,
                                           audit_table_name=config.AUDIT_TABLE_NAME):
            clients.reset()
            models.bind(config.TABLE_NAME, host=self.endpoint, region=REGION,
                        audit_table_name=config.AUDIT_TABLE_NAME)
        self._stream_iterators.clear()
        self._schedule_details.clear()
        self._queue_urls.clear()
        self._backing_off.clear()
        self._mail_seen = 0
        self.renewals_started.clear()
        self.failures.clear()  # what the router saw since this reset (tests share one cloud)
        self.renewal_timeouts.clear()
        self.held.clear()
        self._empty_default_outbox(environment[config.ENV_WEBHOOK_OUTBOX])
        self.provision()

    def _empty_default_outbox(self, outbox: str) -> None:
        """The deliveries a reset forgets: the default outbox is this server's own (named by its
        port), so what a cloud before it on the same port (or before this reset) delivered there is
        not read as this one's. A folder someone named (the CLI's state folder) is never touched."""
        import shutil

        if outbox == self.default_webhook_outbox():
            shutil.rmtree(outbox, ignore_errors=True)

    def default_webhook_outbox(self) -> str:
        """Where webhook deliveries go when no outbox was named: a temporary folder named by this
        server's port (one per running cloud: parallel test workers and two CLIs never mix files)."""
        return str(Path(tempfile.gettempdir()) / f"clausewatch-webhook-outbox-{self.endpoint.rsplit(':', 1)[-1]}")

    def environment(self) -> dict[str, str]:
        """What a deployed Lambda would find in its environment, pointed at the local server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION,
            "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
            "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_LOG_LEVEL": "WARNING",
            # deployed, each function has its own (config.service_name); here one process runs all
            "POWERTOOLS_SERVICE_NAME": f"{config.APP}-local",
            config.ENV_BUCKET: config.BUCKET_NAME, config.ENV_TABLE: config.TABLE_NAME,
            config.ENV_AUDIT_TABLE: config.AUDIT_TABLE_NAME,
            config.ENV_TEXT_ENGINE: "local",
            config.ENV_TEXTRACT_TOPIC_ARN: arn("sns", config.TEXTRACT_TOPIC),
            config.ENV_TEXTRACT_ROLE_ARN: TEXTRACT_ROLE_ARN,
            config.ENV_SCHEDULE_GROUP: config.SCHEDULE_GROUP,
            config.ENV_ALERT_FUNCTION_ARN: ALERT_FUNCTION_ARN,
            config.ENV_SCHEDULER_ROLE_ARN: SCHEDULER_ROLE_ARN,
            config.ENV_SCHEDULER_DLQ_ARN: arn("sqs", config.SCHEDULER_DLQ),
            config.ENV_API_BASE_URL: "http://127.0.0.1:8000",
            config.ENV_WEBHOOK_QUEUE_URL: f"{self.endpoint}/{ACCOUNT}/{config.WEBHOOK_QUEUE}",
            # deliveries to other hosts are written here (the CLI points it into the state folder);
            # by default a folder of this server's own, so two clouds at once never share one
            config.ENV_WEBHOOK_OUTBOX: os.environ.get(config.ENV_WEBHOOK_OUTBOX) or self.default_webhook_outbox(),
            # the renewal workflow (clausewatch.renewal.local): moto's ASL interpreter calls back
            # into this server (MOTO_PORT); decision waits time out on the simulated clock
            "MOTO_PORT": self.endpoint.rsplit(":", 1)[-1],
            config.ENV_RENEWAL_STATE_MACHINE_ARN: renewal_local.state_machine_arn(REGION, ACCOUNT),
            config.ENV_RENEWAL_START_ROLE_ARN: SCHEDULER_ROLE_ARN,
            config.ENV_RENEWAL_TIMEOUTS: "table",
            # the daily sweep's pages (issue #11 part 3); pump() delivers them to the planner
            config.ENV_SWEEP_QUEUE_URL: f"{self.endpoint}/{ACCOUNT}/{config.SWEEP_QUEUE}",
        }

    def _set_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    # --- provisioning (mirrors infra/: same names from config) -----------------------------------
    def provision(self) -> None:
        s3, sqs, sns = client("s3"), client("sqs"), client("sns")
        s3.create_bucket(Bucket=config.BUCKET_NAME)
        s3.put_bucket_versioning(Bucket=config.BUCKET_NAME, VersioningConfiguration={"Status": "Enabled"})
        s3.put_bucket_encryption(Bucket=config.BUCKET_NAME, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        s3.put_public_access_block(Bucket=config.BUCKET_NAME, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        for dlq in (config.INGEST_DLQ, config.TEXTRACT_DLQ, config.SCHEDULER_DLQ, config.PLANNER_DLQ,
                    config.MONEY_DLQ, config.WEBHOOK_DLQ, config.SWEEP_DLQ):
            sqs.create_queue(QueueName=dlq)
        # each queue hidden as long as the CDK app hides it (six times its function's timeout, or
        # more): an invocation still running is never handed its messages again
        for queue, dlq, receives in ((config.INGEST_QUEUE, config.INGEST_DLQ, config.QUEUE_MAX_RECEIVES),
                                     (config.TEXTRACT_QUEUE, config.TEXTRACT_DLQ, config.QUEUE_MAX_RECEIVES),
                                     (config.MONEY_QUEUE, config.MONEY_DLQ, config.QUEUE_MAX_RECEIVES),
                                     (config.SWEEP_QUEUE, config.SWEEP_DLQ, config.QUEUE_MAX_RECEIVES),
                                     (config.WEBHOOK_QUEUE, config.WEBHOOK_DLQ, config.WEBHOOK_MAX_ATTEMPTS)):
            timeout = config.QUEUE_CONSUMERS[queue].timeout_seconds
            sqs.create_queue(QueueName=queue, Attributes={
                "VisibilityTimeout": str(config.visibility_timeout_seconds(timeout)),
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": arn("sqs", dlq),
                                             "maxReceiveCount": str(receives)})})
        topic_arn = sns.create_topic(Name=config.TEXTRACT_TOPIC)["TopicArn"]
        sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=arn("sqs", config.TEXTRACT_QUEUE))
        s3.put_bucket_notification_configuration(Bucket=config.BUCKET_NAME, NotificationConfiguration={
            "QueueConfigurations": [{
                "QueueArn": arn("sqs", config.INGEST_QUEUE), "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": config.INBOX_PREFIX}]}}}] + [{
                "QueueArn": arn("sqs", config.MONEY_QUEUE), "Events": ["s3:ObjectCreated:*"],
                "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": prefix}]}}}
                for prefix in config.MONEY_PREFIXES]})
        attributes = {schema.PARTITION_KEY, schema.SORT_KEY} | {
            a for index in schema.INDEXES for a in (index.partition_key, index.sort_key)}
        client("dynamodb").create_table(
            TableName=config.TABLE_NAME, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": schema.PARTITION_KEY, "KeyType": "HASH"},
                       {"AttributeName": schema.SORT_KEY, "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
            GlobalSecondaryIndexes=[{"IndexName": index.name, "Projection": {"ProjectionType": "ALL"},
                                     "KeySchema": [{"AttributeName": index.partition_key, "KeyType": "HASH"},
                                                   {"AttributeName": index.sort_key, "KeyType": "RANGE"}]}
                                    for index in schema.INDEXES],
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            SSESpecification={"Enabled": True})
        # the audit trail's own table (schema.py): same keys, no index, no stream
        client("dynamodb").create_table(
            TableName=config.AUDIT_TABLE_NAME, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": schema.PARTITION_KEY, "KeyType": "HASH"},
                       {"AttributeName": schema.SORT_KEY, "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"}
                                  for a in (schema.PARTITION_KEY, schema.SORT_KEY)],
            SSESpecification={"Enabled": True})
        # a table created empty has no item from before its data's upgrades (the operator's
        # `python -m clausewatch.renewal.reindex` records them on a deployed table; a saved state
        # folder is upgraded on load, local/state.py)
        from ..store.repository import record_upgrade

        record_upgrade(schema.UPGRADE_DATED_MARKERS)
        record_upgrade(schema.UPGRADE_AMENDMENT_DATES)
        record_upgrade(schema.UPGRADE_DELETION_MARKERS)
        record_upgrade(schema.UPGRADE_RULES_MARKED_DONE)
        record_upgrade(schema.UPGRADE_ENDED_TERMS)
        record_upgrade(schema.UPGRADE_WAIVED_TERM_ENDS)
        record_upgrade(schema.UPGRADE_AMENDMENT_NAMES)
        client("scheduler").create_schedule_group(Name=config.SCHEDULE_GROUP)
        client("ses").verify_email_identity(EmailAddress=config.DEFAULT_SENDER_EMAIL)
        renewal_local.provision(self.endpoint, REGION, ACCOUNT, RENEWAL_ROLE_ARN)

    # --- uploads ---------------------------------------------------------------------------------
    def upload(self, path: Path, metadata: dict[str, str] | None = None, name: str | None = None) -> str:
        """Put a file under inbox/ as a user (or the console) would."""
        return self.put_upload(path.read_bytes(), name or path.name, metadata)[0]

    def put_upload(self, body: bytes, name: str, metadata: dict[str, str] | None = None) -> tuple[str, str | None]:
        """Put ``body`` under inbox/``name``; returns its key and version (the upload intake records).
        Metadata in any script is sent as S3 carries it (``s3.metadata_value``: RFC 2047-encoded)."""
        key = f"{config.INBOX_PREFIX}{name}"
        response = client("s3").put_object(Bucket=config.BUCKET_NAME, Key=key, Body=body,
                                           Metadata={k: s3.metadata_value(v) for k, v in (metadata or {}).items()},
                                           ContentType="application/pdf")
        self.on_event("uploaded", {"key": key})
        return key, response.get("VersionId")

    # --- event routing ---------------------------------------------------------------------------
    def pump(self, max_rounds: int = 100) -> int:
        """Deliver queued messages and stream records to their handlers until nothing is left.
        Returns how many messages/records were delivered. A round empties the queues, then the
        table's stream (its planner in this process, once no invocation runs: one batch at a
        time, in order, as Lambda reads a shard)."""
        total = 0
        self._end_backoffs()
        with Invocations(self.concurrency) as invocations:
            for _ in range(max_rounds):
                delivered = self._drain(invocations, tuple(config.QUEUE_CONSUMERS)) + self._drain_stream()
                total += delivered
                if not delivered:
                    return total
        raise RuntimeError(f"events kept coming after {max_rounds} rounds: a handler loop?")

    def _queue_url(self, name: str) -> str:
        if name not in self._queue_urls:
            self._queue_urls[name] = client("sqs").get_queue_url(QueueName=name)["QueueUrl"]
        return self._queue_urls[name]

    def _drain_queue(self, queue: str) -> int:
        """Deliver one queue's messages (and only its) until it is empty."""
        self._end_backoffs(queue)
        with Invocations(self.concurrency) as invocations:
            return self._drain(invocations, (queue,))

    def _drain(self, invocations: Invocations, queues: tuple[str, ...]) -> int:
        """Give the queues' messages to each queue's function in batches of its event source's
        size (config.QUEUE_CONSUMERS), as many invocations at once as ``invocations`` runs, until
        the queues are empty. Each time an invocation can start, its batch is the first of
        ``queues`` that has messages: above a concurrency of 1, textract_done runs while ingest
        still files other uploads.

        What each invocation processed is deleted and its failures made visible again (retried,
        then the DLQ). An invocation over its function's timeout or memory failed its whole
        batch (kept in ``failures``). Anything raised (by a handler, or here) is raised once the
        running invocations have ended and been settled, and the batches received but not
        started are visible again."""
        running: dict[Future[Outcome], tuple[str, list[dict]]] = {}
        received: deque[tuple[str, list[dict]]] = deque()
        delivered, raised = 0, None
        while True:
            # this thread's calls hold FORK_LOCK: an invocation is forked only while it waits
            try:
                with FORK_LOCK:
                    while raised is None and len(running) < invocations.concurrency:
                        if not received:
                            received.extend(self._receive_batches(queues))
                        if not received:
                            break
                        queue, batch = received.popleft()  # (one that raises is left in flight)
                        event = {"Records": [sqs_record(m, arn("sqs", queue)) for m in batch]}
                        running[invocations.submit(config.QUEUE_CONSUMERS[queue], event)] = (queue, batch)
            except BaseException as exc:  # settle what runs, then raise it
                raised = raised or exc
            if not running:
                break
            try:
                done = wait(running, return_when=FIRST_COMPLETED).done
            except BaseException as exc:  # (an interrupt) the children still run: wait for them
                raised = raised or exc
                done = wait(running).done
            with FORK_LOCK:
                for future in done:
                    queue, batch = running.pop(future)
                    try:
                        outcome = future.result()
                        if outcome.error is not None and not outcome.over_budget:
                            raise outcome.error
                        self._settle(queue, batch, outcome)
                        delivered += len(batch)
                    except BaseException as exc:  # the batch is left in flight, as Lambda's
                        raised = raised or exc
        if raised is not None:
            with FORK_LOCK:
                for queue, batch in received:  # not started: visible again at once
                    self._release(queue, batch)
            raise raised
        return delivered

    def _receive_batches(self, queues: tuple[str, ...]) -> list[tuple[str, list[dict]]]:
        """Up to ten messages of the first of ``queues`` that has any, in its function's batches."""
        sqs = client("sqs")
        for queue in queues:
            messages = sqs.receive_message(QueueUrl=self._queue_url(queue), MaxNumberOfMessages=10,
                                           WaitTimeSeconds=0, AttributeNames=["All"],
                                           MessageAttributeNames=["All"]).get("Messages", [])
            if messages:
                size = config.QUEUE_CONSUMERS[queue].batch_size
                return [(queue, messages[i:i + size]) for i in range(0, len(messages), size)]
        return []

    def _settle(self, queue: str, batch: list[dict], outcome: Outcome, report: bool = True) -> None:
        """Delete what an invocation processed; make its failures visible again."""
        sqs, url, function = client("sqs"), self._queue_url(queue), config.QUEUE_CONSUMERS[queue].function
        if outcome.over_budget:
            self.failures.append((function, str(outcome.error)))
            failed = {m["MessageId"] for m in batch}
        else:
            failed = {f["itemIdentifier"] for f in (outcome.response or {}).get("batchItemFailures", [])}
        backs_off = config.QUEUE_CONSUMERS[queue].backs_off and not outcome.over_budget
        for message in batch:
            if message["MessageId"] in failed and backs_off:
                # the function hid it for its backoff (as deployed): it comes back once the
                # product clock has passed it (`_end_backoffs`), under `serve` the real clock
                tries = int(message.get("Attributes", {}).get("ApproximateReceiveCount", 1))
                due = clock.now() + timedelta(seconds=backoff_seconds(tries))
                self._backing_off.setdefault(queue, []).append((message["ReceiptHandle"], due))
            elif message["MessageId"] in failed:
                # visible again at once so the local retry (and the DLQ after
                # QUEUE_MAX_RECEIVES) happens now instead of after the visibility timeout
                sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"],
                                              VisibilityTimeout=0)
            else:
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if report:
            self.on_event(function, {"messages": len(batch), "failed": len(failed)})

    def _end_backoffs(self, queue: str | None = None) -> None:
        """Messages whose backoff has passed on the product clock visible again (the queue's own
        clock is the real one: a simulated day would otherwise never end a 30 s backoff)."""
        now = clock.now()
        for name in [queue] if queue else list(self._backing_off):
            waiting = self._backing_off.get(name, [])
            due = [receipt for receipt, at in waiting if at <= now]
            self._backing_off[name] = [(receipt, at) for receipt, at in waiting if at > now]
            for receipt in due:
                try:
                    client("sqs").change_message_visibility(QueueUrl=self._queue_url(name), ReceiptHandle=receipt,
                                                            VisibilityTimeout=0)
                except ClientError:
                    pass  # already back (its real-time visibility ended) and received again

    def _release(self, queue: str, batch: list[dict]) -> None:
        """Received but never given to an invocation: visible again at once."""
        for message in batch:
            client("sqs").change_message_visibility(QueueUrl=self._queue_url(queue),
                                                    ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0)

    def _drain_stream(self) -> int:
        """The table stream's records to the planner, in this process, in order, in the planner's
        batches (config.STREAM_CONSUMER). A batch that fails is retried, split and given up as
        Lambda's mapping does (local/stream.py): what is given up is described in the planner's
        DLQ and kept in ``failures``, and the shard reads on."""
        stream_arn = client("dynamodb").describe_table(TableName=config.TABLE_NAME)["Table"]["LatestStreamArn"]
        streams = client("dynamodbstreams")
        delivered = 0
        for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            iterator = self._stream_iterators.get(shard_id) or streams.get_shard_iterator(
                StreamArn=stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while True:
                page = streams.get_records(ShardIterator=iterator, Limit=config.STREAM_CONSUMER.batch_size)
                records = page.get("Records", [])
                if not records:
                    self._stream_iterators[shard_id] = page.get("NextShardIterator") or iterator
                    break
                for record in records:
                    record.setdefault("eventSourceARN", stream_arn)
                for given_up in stream.deliver(records, self._invoke_planner, config.STREAM_CONSUMER):
                    self._stream_on_failure(given_up, shard_id=shard_id, stream_arn=stream_arn)
                # the checkpoint moves once the batch is done or given up (an interrupt in the
                # planner leaves it to be delivered again, as Lambda would)
                iterator = page.get("NextShardIterator") or iterator
                self._stream_iterators[shard_id] = iterator
                self.on_event("planner", {"records": len(records)})
                delivered += len(records)
        return delivered

    @staticmethod
    def _invoke_planner(records: list[dict]) -> Outcome:
        """One invocation of the stream's function, in this process; its exception is its end."""
        try:
            return Invocations.run_here(config.STREAM_CONSUMER, {"Records": records})
        except Exception as exc:  # the invocation failed: Lambda retries (stream.deliver)
            return Outcome(error=exc)

    def _stream_on_failure(self, given_up: stream.GivenUp, *, shard_id: str, stream_arn: str) -> None:
        """Records the planner failed on ``retry_attempts`` times: described in its on-failure
        queue, as Lambda does, and kept in ``failures``; the shard reads on."""
        consumer = config.STREAM_CONSUMER
        record = stream.on_failure_record(given_up, shard_id=shard_id, stream_arn=stream_arn,
                                          function_arn=arn("lambda", f"function:clausewatch-{consumer.function}"))
        if consumer.on_failure:
            client("sqs").send_message(QueueUrl=self._queue_url(consumer.on_failure), MessageBody=json.dumps(record))
        self.failures.append((consumer.function, given_up.reason))

    def skip_stream(self) -> int:
        """Drop the table's stream records not delivered yet (e.g. the puts that restored a saved
        state, which are not changes: its schedules were restored with it). Returns how many."""
        stream_arn = client("dynamodb").describe_table(TableName=config.TABLE_NAME)["Table"]["LatestStreamArn"]
        streams, skipped = client("dynamodbstreams"), 0
        for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            iterator = self._stream_iterators.get(shard_id) or streams.get_shard_iterator(
                StreamArn=stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            while True:
                page = streams.get_records(ShardIterator=iterator, Limit=1000)
                iterator = page.get("NextShardIterator") or iterator
                skipped += len(page.get("Records", []))
                if not page.get("Records"):
                    break
            self._stream_iterators[shard_id] = iterator
        return skipped

    # --- EventBridge Scheduler emulation ---------------------------------------------------------
    def schedules(self) -> list[dict]:
        """Every schedule in the group with its firing time (UTC), earliest first."""
        from ..plan import validate_at_expression

        scheduler = client("scheduler")
        pages = scheduler.get_paginator("list_schedules").paginate(GroupName=config.SCHEDULE_GROUP)
        # a name made again (a contract's time zone changed: every reminder made anew in the new
        # zone) is another schedule: told apart by its creation time
        made = {s["Name"]: s.get("CreationDate") for page in pages for s in page.get("Schedules", [])}
        names = set(made)
        for name in names:
            if name in self._schedule_details and self._schedule_details[name].get("CreationDate") != made[name]:
                del self._schedule_details[name]
        for name in names - self._schedule_details.keys():
            detail = scheduler.get_schedule(Name=name, GroupName=config.SCHEDULE_GROUP)
            local = validate_at_expression(detail["ScheduleExpression"])
            zone = ZoneInfo(detail.get("ScheduleExpressionTimezone") or "UTC")
            detail["fire_at"] = local.replace(tzinfo=zone).astimezone(UTC)
            self._schedule_details[name] = detail
        for name in list(self._schedule_details):
            if name not in names:
                del self._schedule_details[name]
        out = [self._schedule_details[name] for name in names]
        return sorted(out, key=lambda d: (d["fire_at"], d["Name"]))

    def fire_until(self, until: datetime, outbox: Path | None = None) -> list[Fired]:
        """Fire, in time order, every schedule due up to ``until`` with the payload Scheduler
        delivers (the target's Input), then delete it (ActionAfterCompletion DELETE). The clock
        follows each firing, and a daily sweep re-plans, so planning sees the simulated day."""
        fired: list[Fired] = []
        swept_day = None
        last_sweep: datetime | None = None
        digest_at: datetime | None = next_digest_at(clock.now())
        # the readers' zones, read once: an hourly run meeting none of their Mondays 07:00 sends
        # nothing and writes nothing, so it is not invoked (a simulated year has 2,496 runs; nothing
        # in a tick changes preferences)
        digest_zones = {reader_zone(p) for p in preferences.weekly_subscribers()}
        # a timeout that could not take effect is not tried again (a round's wait: the escalated round may
        # end when the final one did)
        tried: set[tuple[str, str, str | None, str | None]] = set()
        held: dict[str, datetime] = {}  # schedule name -> when it is tried again (after another's claim)
        while True:
            # the digest rule's runs meeting none of the readers' Mondays 07:00 are passed over here,
            # before anything is read: they send nothing and write nothing
            while digest_at is not None and digest_at <= until and \
                    not any(digest_due(digest_at, zone) for zone in digest_zones):
                digest_at = next_digest_at(digest_at)
            due = self._due_schedules(until, held)
            timeouts = [(at, item) for at, item in renewal_local.due_timeouts(until)  # decision waits past their deadline
                        if (item.contract_id, item.term_end, item.wait_deadline, item.waiting_round) not in tried]
            # the daily sweep on a day a contract is due for planning (GSI5: a reminder coming
            # inside the rolling horizon, a deadline to roll) even when no schedule fires that day
            plan_at = self._planning_sweep_at(until, last_sweep)
            if digest_at is not None and digest_at > until:
                digest_at = None
            if not due and not timeouts and plan_at is None and digest_at is None:
                break
            # the weekly digest rule, when it comes before everything else that is due
            if digest_at is not None and all(digest_at <= t for t in (
                    plan_at, due[0]["fire_at"] if due else None, timeouts[0][0] if timeouts else None) if t):
                clock.set_now(max(digest_at, clock.now()))
                event = {**config.DIGEST_EVENT, config.DIGEST_RUN_AT: digest_at.isoformat()}
                result = invoke("alert", event)
                if any(result.values()):  # a run that met some reader's Monday 07:00 (most meet none,
                    # and write nothing: nothing to pump)
                    self.digests.append(Fired(clock.now(), f"digest {clock.now():%Y-%m-%dT%H}", event, result))
                    self.on_event("digest", {"at": clock.now(), "result": result})
                    self.pump()
                digest_at = next_digest_at(digest_at)
                continue
            if plan_at is not None and (not due or plan_at < due[0]["fire_at"]) and \
                    (not timeouts or plan_at < timeouts[0][0]):
                clock.set_now(max(plan_at, clock.now()))
                swept_day, last_sweep = clock.now().date(), clock.now()
                invoke("planner", {"sweep": True})
                self.pump()
                continue
            if timeouts and (not due or timeouts[0][0] < due[0]["fire_at"]):
                clock.set_now(max(timeouts[0][0], clock.now()))
                waited = timeouts[0][1]
                tried.add((waited.contract_id, waited.term_end, waited.wait_deadline, waited.waiting_round))
                result = renewal_local.time_out(waited)
                self.renewal_timeouts.append(Fired(clock.now(), f"{waited.contract_id} {waited.term_end}",
                                                   {"contract_id": waited.contract_id, "term_end": waited.term_end},
                                                   result))
                self.on_event("renewal", {"at": clock.now(), "timeout": waited.contract_id, **result})
                self.pump()
                continue
            schedule = due[0]
            clock.set_now(max(schedule["fire_at"], clock.now()))
            if swept_day != clock.now().date():
                swept_day, last_sweep = clock.now().date(), clock.now()
                invoke("planner", {"sweep": True})
                self.pump()
                continue  # the sweep may have changed what is due
            payload = json.loads(schedule["Target"]["Input"])
            if renewal_local.is_start_schedule(schedule):  # Scheduler -> StartExecution
                client("scheduler").delete_schedule(Name=schedule["Name"], GroupName=config.SCHEDULE_GROUP)
                result = renewal_local.fire_start(schedule)
                self.renewals_started.append(Fired(clock.now(), schedule["Name"], payload, result))
                self.on_event("renewal", {"at": clock.now(), "payload": payload, **result})
                self.pump()
                continue
            try:
                result = invoke("alert", payload)
            except DeliveryInFlight as exc:  # a crashed delivery's claim, its lease not run out
                held[schedule["Name"]] = exc.retry_at(clock.now())
                self._held(schedule["Name"], payload, exc, held[schedule["Name"]])
                continue
            client("scheduler").delete_schedule(Name=schedule["Name"], GroupName=config.SCHEDULE_GROUP)
            fired.append(Fired(clock.now(), schedule["Name"], payload, result))
            self.on_event("alert", {"at": clock.now(), "payload": payload, "result": result})
            self.pump()
            if outbox is not None:
                self.write_outbox(outbox)
        clock.set_now(max(until, clock.now()))
        invoke("planner", {"sweep": True})
        self.pump()
        if outbox is not None:
            self.write_outbox(outbox)
        return fired

    def _due_schedules(self, until: datetime, held: dict[str, datetime]) -> list[dict]:
        """The schedules due by ``until``, earliest first; a held one (``held``: name -> when it is
        tried again) is due at that time instead."""
        due = []
        for schedule in self.schedules():
            at = max(schedule["fire_at"], held.get(schedule["Name"], schedule["fire_at"]))
            if at <= until:
                due.append(schedule if at == schedule["fire_at"] else {**schedule, "fire_at": at})
        return sorted(due, key=lambda d: (d["fire_at"], d["Name"]))

    def _held(self, name: str, payload: dict, exc: DeliveryInFlight, retry_at: datetime) -> None:
        """Say (log, ``held``, the progress callback) that a delivery was left for after a claim's lease."""
        log.warning("%s: %s; fired again at %s", name, exc, retry_at.isoformat(timespec="seconds"))
        result = {"sent": False, "held_until": exc.until, "retry_at": retry_at.isoformat(), "reason": str(exc)}
        self.held.append(Fired(clock.now(), name, payload, result))
        self.on_event("held", {"at": clock.now(), "payload": payload, "result": result})

    @staticmethod
    def _planning_sweep_at(until: datetime, last_sweep: datetime | None) -> datetime | None:
        """When the emulated daily sweep must run next for the earliest next planning day (its
        00:00 UTC; the day after the last sweep when that sweep left it due), or None (none due by
        ``until``)."""
        from datetime import time, timedelta

        from ..store.work import earliest_planning_day

        day = earliest_planning_day()
        if day is None:
            return None
        at = datetime.combine(day, time(0), UTC)
        if last_sweep is not None and at <= last_sweep:
            at = datetime.combine(last_sweep.astimezone(UTC).date() + timedelta(days=1), time(0), UTC)
        at = max(at, clock.now())
        return at if at <= until else None

    # --- SES outbox ------------------------------------------------------------------------------
    def sent_mail(self) -> list[bytes]:
        """Raw messages SES accepted (moto keeps them in-process)."""
        from moto.ses.models import ses_backends

        return [m.raw_data.encode() if isinstance(m.raw_data, str) else m.raw_data
                for m in ses_backends[ACCOUNT][REGION].sent_messages if hasattr(m, "raw_data")]

    def write_outbox(self, outbox: Path) -> list[Path]:
        """Write mail sent since the last call as .eml files (open them in a mail client)."""
        import email

        outbox.mkdir(parents=True, exist_ok=True)
        mail = self.sent_mail()
        written: list[Path] = []
        for raw in mail[self._mail_seen:]:
            message = email.message_from_bytes(raw)
            stamp = clock.now().strftime("%Y%m%dT%H%M")
            # a reminder's name is unique per contract only (two contracts' renewal-owner-<day>
            # mails of one tick must not overwrite each other): the contract id goes in the name
            name = "-".join(filter(None, (message.get("X-Clausewatch-Contract"),
                                          message.get("X-Clausewatch-Reminder")))) or "mail"
            path = outbox / f"{stamp}-{name}.eml"
            if path.exists() or path in written:
                path = outbox / f"{stamp}-{name}-{len(written)}.eml"
            path.write_bytes(raw)
            written.append(path)
        self._mail_seen = len(mail)
        return written


def sqs_record(message: dict, queue_arn: str) -> dict:
    """An SQS message as the Lambda SQS event source delivers it."""
    return {"messageId": message["MessageId"], "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"], "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""), "eventSource": "aws:sqs",
            "eventSourceARN": queue_arn, "awsRegion": REGION}
