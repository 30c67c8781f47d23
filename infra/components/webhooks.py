"""Alerts where teams work: the webhook queue (one message per subscription and event) and the
webhook λ that delivers to Slack, Teams and generic endpoints, retrying with backoff."""

from __future__ import annotations

from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_ses as ses
from constructs import Construct

from clausewatch import config

from .permissions import grant_table_access
from .queues import QueueWithDeadLetter, visibility_timeout_for
from .runtime import FunctionRuntime
from .storage import ContractStore

_WEBHOOK = config.QUEUE_CONSUMERS[config.WEBHOOK_QUEUE]  # the embedded default's pump reads it too
WEBHOOK_TIMEOUT_SECONDS = _WEBHOOK.timeout_seconds
WEBHOOK_BATCH_SIZE = _WEBHOOK.batch_size


class Webhooks(Construct):
    def __init__(self, scope: Construct, id: str, *, store: ContractStore, runtime: FunctionRuntime,
                 sender_identity: ses.EmailIdentity) -> None:
        super().__init__(scope, id)
        self.deliveries = QueueWithDeadLetter(
            self, "WebhookQueue", visibility_timeout_seconds=visibility_timeout_for(WEBHOOK_TIMEOUT_SECONDS),
            max_receive_count=config.WEBHOOK_MAX_ATTEMPTS)
        self.function = runtime.function(
            self, "webhook", timeout_seconds=WEBHOOK_TIMEOUT_SECONDS, memory_mb=_WEBHOOK.memory_mb,
            description="clausewatch webhook: deliver events to Slack, Teams and signed generic webhooks",
            environment={config.ENV_WEBHOOK_QUEUE_URL: self.deliveries.queue.queue_url})
        self.function.add_event_source(sources.SqsEventSource(
            self.deliveries.queue, batch_size=WEBHOOK_BATCH_SIZE, report_batch_item_failures=True))
        grant_table_access(store, self.function, "webhook")
        sender_identity.grant_send_email(self.function)  # a subscription disabled: its creator is told

    def allow_publishing(self, *functions: lambda_.IFunction) -> None:
        """Functions that publish events: they may send to the queue and know its URL."""
        for function in functions:
            self.deliveries.queue.grant_send_messages(function)
            if isinstance(function, lambda_.Function):
                function.add_environment(config.ENV_WEBHOOK_QUEUE_URL, self.deliveries.queue.queue_url)
