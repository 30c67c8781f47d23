"""Sending reminders: the SES sender identity and the alert λ (invoked by EventBridge Scheduler)."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .permissions import grant_table_access
from .runtime import FunctionRuntime
from .storage import ContractStore

ALERT_TIMEOUT_SECONDS = 30
ALERT_MEMORY_MB = 256
ALERT_ASYNC_RETRIES = 2
ALERT_MAX_EVENT_AGE = Duration.hours(6)


class Alerting(Construct):
    """The alert function (reads the obligation, sends the email, writes an audit item) and the SES
    email identity it may send from — and nothing else in SES.

    Scheduler invokes the function asynchronously; an invocation that still fails after Lambda's
    retries is sent to `failed_alerts` (the scheduler DLQ), so every reminder that did not go out
    ends up in one queue.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        store: ContractStore,
        runtime: FunctionRuntime,
        sender_email: str,
        failed_alerts: sqs.IQueue,
    ) -> None:
        super().__init__(scope, id)
        self.sender_identity = ses.EmailIdentity(
            self, "SenderIdentity", identity=ses.Identity.email(sender_email)
        )
        self.alert_function = runtime.function(
            self,
            "alert",
            timeout_seconds=ALERT_TIMEOUT_SECONDS,
            memory_mb=ALERT_MEMORY_MB,
            description="clausewatch alert: email one reminder and record it in the audit trail",
        )
        self.alert_function.configure_async_invoke(
            retry_attempts=ALERT_ASYNC_RETRIES,
            max_event_age=ALERT_MAX_EVENT_AGE,
            on_failure=destinations.SqsDestination(failed_alerts),
        )
        grant_table_access(store, self.alert_function, "alert")
        self.sender_identity.grant_send_email(self.alert_function)
