"""The contract's money: metrics/<id>/ and invoices/<id>/ files -> money queue -> money λ, which
records SLA breaches, credits owed and invoice findings, and emails the owner."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_ses as ses
from constructs import Construct

from clausewatch import config

from .permissions import grant_table_access
from .queues import QueueWithDeadLetter, visibility_timeout_for
from .runtime import FunctionRuntime
from .storage import ContractStore

_MONEY = config.QUEUE_CONSUMERS[config.MONEY_QUEUE]  # the embedded default's pump reads it too
MONEY_TIMEOUT_SECONDS = _MONEY.timeout_seconds
MONEY_MEMORY_MB = _MONEY.memory_mb
MONEY_BATCH_SIZE = _MONEY.batch_size


class MoneyChecks(Construct):
    """One queue for both prefixes (the function tells them apart by key); the function reads only
    those prefixes, writes only refused/ (why a file was refused), and sends mail only from the
    sender identity."""

    def __init__(self, scope: Construct, id: str, *, store: ContractStore, runtime: FunctionRuntime,
                 sender_identity: ses.EmailIdentity) -> None:
        super().__init__(scope, id)
        bucket = store.bucket
        self._bucket = bucket
        self.files = QueueWithDeadLetter(
            self, "MoneyQueue", visibility_timeout_seconds=visibility_timeout_for(MONEY_TIMEOUT_SECONDS))
        for prefix in config.MONEY_PREFIXES:
            bucket.add_event_notification(s3.EventType.OBJECT_CREATED, s3n.SqsDestination(self.files.queue),
                                          s3.NotificationKeyFilter(prefix=prefix))
        self.function = runtime.function(
            self, "money", timeout_seconds=MONEY_TIMEOUT_SECONDS, memory_mb=MONEY_MEMORY_MB,
            description="clausewatch money: SLA metrics and invoices checked against the contract's terms")
        self.function.add_event_source(sources.SqsEventSource(
            self.files.queue, batch_size=MONEY_BATCH_SIZE, report_batch_item_failures=True))
        for prefix in config.MONEY_PREFIXES:
            bucket.grant_read(self.function, f"{prefix}*")
        bucket.grant_put(self.function, f"{config.REFUSED_PREFIX}*")
        grant_table_access(store, self.function, "money")
        sender_identity.grant_send_email(self.function)

    def allow_sending(self, function) -> None:
        """The API puts metrics and invoice files under the prefixes (the queue does the rest)."""
        function.add_to_role_policy(iam.PolicyStatement(
            actions=["s3:PutObject"],
            resources=[self._bucket.arn_for_objects(f"{prefix}*") for prefix in config.MONEY_PREFIXES]))
