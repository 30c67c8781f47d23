"""From upload to text: inbox/ -> ingest queue -> ingest λ -> Textract -> SNS -> textract queue -> textract_done λ."""

from __future__ import annotations

from aws_cdk import Aws
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_notifications as s3n
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from clausewatch import config

from .permissions import grant_table_access
from .queues import QueueWithDeadLetter, standalone_queue, visibility_timeout_for
from .runtime import FunctionRuntime
from .storage import ContractStore

# batch size, timeout and memory: config.QUEUE_CONSUMERS (the embedded default's pump reads them too)
_INGEST = config.QUEUE_CONSUMERS[config.INGEST_QUEUE]
INGEST_TIMEOUT_SECONDS = _INGEST.timeout_seconds
INGEST_MEMORY_MB = _INGEST.memory_mb
INGEST_BATCH_SIZE = _INGEST.batch_size
# Textract's Start* calls have a low per-account TPS quota; two pollers keep ingest well under it.
INGEST_MAX_CONCURRENCY = 2
_TEXTRACT_DONE = config.QUEUE_CONSUMERS[config.TEXTRACT_QUEUE]
TEXTRACT_DONE_TIMEOUT_SECONDS = _TEXTRACT_DONE.timeout_seconds
TEXTRACT_DONE_MEMORY_MB = _TEXTRACT_DONE.memory_mb
TEXTRACT_DONE_BATCH_SIZE = _TEXTRACT_DONE.batch_size


class Ingestion(Construct):
    """Uploads to inbox/ are queued for the ingest function, which files them under contracts/ (or
    quarantine/) and starts Textract; Textract reports through an SNS topic to a second queue read
    by textract_done, which stores the text under text/.

    Textract publishes with `textract_role` (assumed by textract.amazonaws.com, sns:Publish on the
    topic only); ingest passes that role's ARN and the topic ARN in NotificationChannel, read from
    config.ENV_TEXTRACT_ROLE_ARN / config.ENV_TEXTRACT_TOPIC_ARN. The SNS subscription is not raw:
    the textract queue's message body is the SNS envelope whose "Message" is Textract's JSON.
    """

    def __init__(
        self, scope: Construct, id: str, *, store: ContractStore, runtime: FunctionRuntime
    ) -> None:
        super().__init__(scope, id)
        bucket = store.bucket
        self._bucket = bucket

        # --- upload -> ingest queue --------------------------------------------------------------
        self.ingest = QueueWithDeadLetter(
            self, "IngestQueue", visibility_timeout_seconds=visibility_timeout_for(INGEST_TIMEOUT_SECONDS)
        )
        bucket.add_event_notification(
            s3.EventType.OBJECT_CREATED,
            s3n.SqsDestination(self.ingest.queue),
            s3.NotificationKeyFilter(prefix=config.INBOX_PREFIX),
        )

        # --- Textract completion channel ---------------------------------------------------------
        self.textract_topic = sns.Topic(self, "TextractDone", enforce_ssl=True)
        self.textract_role = iam.Role(
            self,
            "TextractPublishRole",
            description="Assumed by Textract to publish job completion to the clausewatch topic",
            assumed_by=iam.ServicePrincipal(
                "textract.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}},
            ),
        )
        self.textract_role.add_to_policy(
            iam.PolicyStatement(actions=["sns:Publish"], resources=[self.textract_topic.topic_arn])
        )
        self.textract = QueueWithDeadLetter(
            self,
            "TextractQueue",
            visibility_timeout_seconds=visibility_timeout_for(TEXTRACT_DONE_TIMEOUT_SECONDS),
        )
        # a completion SNS cannot deliver to the queue (a policy or KMS mistake, the queue gone) is
        # kept in a DLQ of its own instead of being dropped after SNS's retries
        self.subscription_dlq = standalone_queue(self, "TextractSubscriptionDeadLetter")
        self.textract_topic.add_subscription(
            subscriptions.SqsSubscription(self.textract.queue, dead_letter_queue=self.subscription_dlq))

        # --- ingest λ ---------------------------------------------------------------------------
        self.ingest_function = runtime.function(
            self,
            "ingest",
            timeout_seconds=INGEST_TIMEOUT_SECONDS,
            memory_mb=INGEST_MEMORY_MB,
            description="clausewatch ingest: file an inbox/ upload and start Textract",
            environment={
                config.ENV_TEXTRACT_TOPIC_ARN: self.textract_topic.topic_arn,
                config.ENV_TEXTRACT_ROLE_ARN: self.textract_role.role_arn,
            },
        )
        self.ingest_function.add_event_source(
            sources.SqsEventSource(
                self.ingest.queue,
                batch_size=INGEST_BATCH_SIZE,
                report_batch_item_failures=True,
                max_concurrency=INGEST_MAX_CONCURRENCY,
            )
        )
        fn = self.ingest_function
        bucket.grant_read(fn, f"{config.INBOX_PREFIX}*")
        bucket.grant_read(fn, f"{config.CONTRACTS_PREFIX}*")  # Textract reads with the caller's rights
        bucket.grant_put(fn, f"{config.CONTRACTS_PREFIX}*")
        bucket.grant_put(fn, f"{config.QUARANTINE_PREFIX}*")
        bucket.grant_delete(fn, f"{config.INBOX_PREFIX}*")
        grant_table_access(store, fn, "ingest")
        fn.add_to_role_policy(
            iam.PolicyStatement(
                sid="TextractStartHasNoResourceLevelPermissions",
                actions=["textract:StartDocumentTextDetection"],
                resources=["*"],
            )
        )
        # Handing the publish role to Textract in NotificationChannel: only this role, only to Textract.
        fn.add_to_role_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[self.textract_role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "textract.amazonaws.com"}},
            )
        )

        # --- textract_done λ --------------------------------------------------------------------
        self.textract_done_function = runtime.function(
            self,
            "textract_done",
            timeout_seconds=TEXTRACT_DONE_TIMEOUT_SECONDS,
            memory_mb=TEXTRACT_DONE_MEMORY_MB,
            description="clausewatch textract_done: fetch Textract text, store it under text/",
        )
        self.textract_done_function.add_event_source(
            sources.SqsEventSource(
                self.textract.queue,
                batch_size=TEXTRACT_DONE_BATCH_SIZE,
                report_batch_item_failures=True,
            )
        )
        fn = self.textract_done_function
        bucket.grant_read(fn, f"{config.CONTRACTS_PREFIX}*")
        bucket.grant_read(fn, f"{config.TEXT_PREFIX}*")
        bucket.grant_put(fn, f"{config.TEXT_PREFIX}*")
        grant_table_access(store, fn, "textract_done")
        fn.add_to_role_policy(
            iam.PolicyStatement(
                sid="TextractGetHasNoResourceLevelPermissions",
                actions=["textract:GetDocumentTextDetection"],
                resources=["*"],
            )
        )

    def grant_recovery(self, fn: lambda_.Function) -> None:
        """What settling a stuck contract (the planner's sweep) and retrying a failed one (the
        planner, on the API's request) need: a text job's status and results, a new text job (with the publish role, only to
        Textract), the original and the stored text (pipeline/recovery.py)."""
        bucket = self._bucket
        fn.add_environment(config.ENV_TEXTRACT_TOPIC_ARN, self.textract_topic.topic_arn)
        fn.add_environment(config.ENV_TEXTRACT_ROLE_ARN, self.textract_role.role_arn)
        bucket.grant_read(fn, f"{config.CONTRACTS_PREFIX}*")
        bucket.grant_read(fn, f"{config.TEXT_PREFIX}*")
        bucket.grant_put(fn, f"{config.TEXT_PREFIX}*")
        fn.add_to_role_policy(iam.PolicyStatement(
            sid="TextractHasNoResourceLevelPermissions",
            actions=["textract:GetDocumentTextDetection", "textract:StartDocumentTextDetection"],
            resources=["*"]))
        fn.add_to_role_policy(iam.PolicyStatement(
            actions=["iam:PassRole"], resources=[self.textract_role.role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "textract.amazonaws.com"}}))
