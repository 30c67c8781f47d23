"""The clausewatch CDK app: one stack with the whole deployed flow.

    python3 -m infra.app      # from the repo root: synthesize into cdk.out (no AWS credentials, no lookups)
    cdk synth | cdk deploy    # via cdk.json (bin/cdk-python); synthesis builds the Lambda layer

Context (cdk.json or `-c key=value`), each defaulting to clausewatch.config:
sender_email, escalation_email, default_owner (all three required when their defaults are example
addresses: synthesis refuses placeholders), operators_email (alarms; default escalation_email),
time_zone, log_level; clausewatch:profile (default | production) and clausewatch:kms (true |
false; customer-managed KMS keys, on by default in production: components/encryption.py); and for the API:
api_base_url (the links in alert emails and calendar feeds; default: the deployed REST API's own
URL, so set it only for a custom domain), auth_domain_prefix (the Cognito hosted UI's domain,
default clausewatch-<account id>), web_callback_urls (comma-separated, default
http://localhost:8000/).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")

from aws_cdk import App, Aws, CfnOutput, Stack
from constructs import Construct

from clausewatch import config

from .components import nag
from .components.alerting import Alerting
from .components.api import Api
from .components.deploy_guard import require_real_addresses
from .components.digest import WeeklyDigest
from .components.encryption import CustomerManagedKeys, kms_enabled
from .components.ingestion import Ingestion
from .components.log_retention import give_every_function_a_log_group
from .components.money import MoneyChecks
from .components.monitoring import Monitoring
from .components.renewal import Renewal
from .components.runtime import FunctionRuntime
from .components.scheduling import Scheduling
from .components.storage import ContractStore
from .components.web import Web, web_url_output
from .components.webhooks import Webhooks

REPO_ROOT = Path(__file__).resolve().parents[1]
STACK_NAME = "Clausewatch"
CDK_JSON = REPO_ROOT / "cdk.json"


def _context(scope: Construct, key: str, default: str) -> str:
    value = scope.node.try_get_context(key)
    return str(value) if value not in (None, "") else default


class ClausewatchStack(Stack):
    """Bucket, table, queues, Textract channel, the functions, scheduler group, SES identity, and
    the API (Cognito user pool, REST API, api function).

    Attributes `store`, `ingestion`, `scheduling`, `alerting`, `money`, `webhooks`, `api` expose the constructs (tests
    use them).
    """

    def __init__(self, scope: Construct, id: str, **kwargs: Any) -> None:
        super().__init__(scope, id, **kwargs)
        sender_email = _context(self, "sender_email", config.DEFAULT_SENDER_EMAIL)

        self.store = ContractStore(self, "Store")
        common_environment = {
            config.ENV_BUCKET: self.store.bucket.bucket_name,
            config.ENV_TABLE: self.store.table.table_name,
            config.ENV_AUDIT_TABLE: self.store.audit_table.table_name,
            config.ENV_TEXT_ENGINE: "textract",
            config.ENV_SCHEDULE_GROUP: config.SCHEDULE_GROUP,
            config.ENV_SENDER_EMAIL: sender_email,
            config.ENV_ESCALATION_EMAIL: _context(self, "escalation_email", config.DEFAULT_ESCALATION_EMAIL),
            config.ENV_DEFAULT_OWNER: _context(self, "default_owner", config.DEFAULT_OWNER_EMAIL),
            config.ENV_TIME_ZONE: _context(self, "time_zone", config.DEFAULT_TIME_ZONE),
            "POWERTOOLS_LOG_LEVEL": _context(self, "log_level", "INFO"),
        }
        operators_email = _context(self, "operators_email", common_environment[config.ENV_ESCALATION_EMAIL])
        require_real_addresses(self, {
            "operators_email": operators_email,
            "sender_email": sender_email,
            "default_owner": common_environment[config.ENV_DEFAULT_OWNER],
            "escalation_email": common_environment[config.ENV_ESCALATION_EMAIL]})
        self.runtime = FunctionRuntime(self, "Runtime", common_environment=common_environment)

        self.ingestion = Ingestion(self, "Ingestion", store=self.store, runtime=self.runtime)
        self.scheduling = Scheduling(self, "Scheduling", store=self.store, runtime=self.runtime)
        self.alerting = Alerting(
            self,
            "Alerting",
            store=self.store,
            runtime=self.runtime,
            sender_email=sender_email,
            failed_alerts=self.scheduling.scheduler_dlq,
        )
        self.scheduling.allow_schedules_to_invoke(self.alerting.alert_function)
        self.money = MoneyChecks(self, "Money", store=self.store, runtime=self.runtime,
                                 sender_identity=self.alerting.sender_identity)
        self.webhooks = Webhooks(self, "Webhooks", store=self.store, runtime=self.runtime,
                                 sender_identity=self.alerting.sender_identity)
        self.digest = WeeklyDigest(self, "Digest", alert_function=self.alerting.alert_function)
        self.api = Api(
            self,
            "Api",
            store=self.store,
            runtime=self.runtime,
            auth_domain_prefix=_context(self, "auth_domain_prefix", f"{config.APP}-{Aws.ACCOUNT_ID}"),
            callback_urls=_context(self, "web_callback_urls", "http://localhost:8000/").split(","),
        )
        self.money.allow_sending(self.api.function)
        self.renewal = Renewal(self, "Renewal", store=self.store, runtime=self.runtime, scheduling=self.scheduling,
                               sender_identity=self.alerting.sender_identity, api_function=self.api.function)
        self.webhooks.allow_publishing(self.alerting.alert_function, self.money.function, self.renewal.function)
        # links in emails and calendar entries: the deployed API, or the custom domain in front of it
        # (the planner's: a renewal decision asked again when its notice deadline moved)
        api_base_url = _context(self, "api_base_url", self.api.url)
        for function in (self.alerting.alert_function, self.api.function, self.money.function,
                         self.renewal.function, self.scheduling.planner_function):
            function.add_environment(config.ENV_API_BASE_URL, api_base_url)
        # the web dashboard: static files on S3 behind CloudFront, the API on the same origin
        self.web = Web(self, "Web", api=self.api, store=self.store)
        # the planner settles stuck contracts (sweep) and retries failed ones (pipeline/recovery.py)
        self.ingestion.grant_recovery(self.scheduling.planner_function)
        # alarms on every function and DLQ of the stack: keep this after every component
        self.monitoring = Monitoring(self, "Monitoring", operators_email=operators_email)
        self.monitoring.watch(self)
        # a retention on every log group, CDK's provider functions' too (before the keys: they get one)
        give_every_function_a_log_group(self)
        # customer-managed KMS keys: the production profile's default, or clausewatch:kms=true
        self.keys: CustomerManagedKeys | None = None
        if kms_enabled(self):
            self.keys = CustomerManagedKeys(self, "Keys")
            self.keys.apply(self, keep_s3_managed=[self.store.access_logs, self.web.bucket],
                            key_users=[self.scheduling.execution_role, self.ingestion.textract_role,
                                       self.renewal.start_role, self.renewal.timeout_role])
        nag.suppress(self)  # cdk-nag AwsSolutions: the findings that are decisions, with reasons
        self._outputs()

    def _outputs(self) -> None:
        outputs = {
            "BucketName": self.store.bucket.bucket_name,
            "TableName": self.store.table.table_name,
            "AuditTableName": self.store.audit_table.table_name,
            "IngestQueueUrl": self.ingestion.ingest.queue.queue_url,
            "IngestDeadLetterQueueUrl": self.ingestion.ingest.dead_letter_queue.queue_url,
            "TextractQueueUrl": self.ingestion.textract.queue.queue_url,
            "TextractDeadLetterQueueUrl": self.ingestion.textract.dead_letter_queue.queue_url,
            "PlannerDeadLetterQueueUrl": self.scheduling.planner_dlq.queue_url,
            "SchedulerDeadLetterQueueUrl": self.scheduling.scheduler_dlq.queue_url,
            "MoneyQueueUrl": self.money.files.queue.queue_url,
            "MoneyDeadLetterQueueUrl": self.money.files.dead_letter_queue.queue_url,
            "WebhookQueueUrl": self.webhooks.deliveries.queue.queue_url,
            "WebhookDeadLetterQueueUrl": self.webhooks.deliveries.dead_letter_queue.queue_url,
            "DigestDeadLetterQueueUrl": self.digest.dead_letter_queue.queue_url,
            "SweepDeadLetterQueueUrl": self.scheduling.sweep_dlq.queue_url,
            "SweepPageQueueUrl": self.scheduling.sweep_pages.queue.queue_url,
            "SweepPageDeadLetterQueueUrl": self.scheduling.sweep_pages.dead_letter_queue.queue_url,
            "TextractSubscriptionDeadLetterQueueUrl": self.ingestion.subscription_dlq.queue_url,
            "OperatorAlarmTopicArn": self.monitoring.topic.topic_arn,
            "TextractTopicArn": self.ingestion.textract_topic.topic_arn,
            "ScheduleGroupName": config.SCHEDULE_GROUP,
            "AlertFunctionArn": self.alerting.alert_function.function_arn,
            "ApiUrl": self.api.url,
            "UserPoolId": self.api.user_pool.user_pool_id,
            "UserPoolClientId": self.api.web_client.user_pool_client_id,
            "HostedUiDomain": self.api.domain.base_url(),
            "WebUrl": web_url_output(self.web),
            "RenewalStateMachineArn": self.renewal.state_machine_arn,
        }
        for name, value in outputs.items():
            CfnOutput(self, name, value=value)


def cdk_json_context(path: Path = CDK_JSON) -> dict[str, Any]:
    """The "context" of cdk.json, so `python -m infra.app` synthesizes like `cdk synth` does."""
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("context", {}))


def build_app(context: Mapping[str, Any] | None = None, outdir: str | None = None) -> tuple[App, ClausewatchStack]:
    """The app with its one stack; `context` defaults to cdk.json's (the CDK CLI's own wins)."""
    if outdir is None and "CDK_OUTDIR" not in os.environ:  # run directly, not by the CDK CLI
        outdir = str(REPO_ROOT / "cdk.out")
    app = App(context=dict(cdk_json_context() if context is None else context), outdir=outdir)
    stack = ClausewatchStack(
        app, STACK_NAME, description="clausewatch: evidenced contract terms, deadlines and reminders"
    )
    return app, stack


if __name__ == "__main__":
    build_app()[0].synth()
