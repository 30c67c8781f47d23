"""The one source of resource names, key prefixes, limits and defaults.

Read by the CDK app (infra/), by the Lambda handlers (through environment variables the CDK app
sets from these same names) and by the embedded default (local/), so the three cannot drift apart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

APP = "clausewatch"

# --- resource names (logical; the CDK app and the embedded default both use them) ----------------
BUCKET_NAME = "clausewatch-contracts"
TABLE_NAME = "clausewatch"
# the audit trail: a table of its own that functions may only append to (PutItem, conditional on a
# new key) and read (Query); never update or delete (issue #13)
AUDIT_TABLE_NAME = "clausewatch-audit"
INGEST_QUEUE = "clausewatch-ingest"
INGEST_DLQ = "clausewatch-ingest-dlq"
TEXTRACT_QUEUE = "clausewatch-textract"
TEXTRACT_DLQ = "clausewatch-textract-dlq"
TEXTRACT_TOPIC = "clausewatch-textract-done"
SCHEDULE_GROUP = "clausewatch"
SCHEDULER_DLQ = "clausewatch-scheduler-dlq"
PLANNER_DLQ = "clausewatch-planner-dlq"
MONEY_QUEUE = "clausewatch-money"  # S3 notifications of metrics/ and invoices/ files
MONEY_DLQ = "clausewatch-money-dlq"
WEBHOOK_QUEUE = "clausewatch-webhooks"  # one message per (subscription, event) to deliver
WEBHOOK_DLQ = "clausewatch-webhooks-dlq"

# Lambda function names: one folder functions/<name>/handler.py each
FUNCTIONS: tuple[str, ...] = ("ingest", "textract_done", "planner", "alert", "api", "money", "webhook")


def service_name(function: str) -> str:
    """A function's name in its logs and traces: POWERTOOLS_SERVICE_NAME, which the CDK app sets
    on each function (``clausewatch-textract-done``)."""
    return f"{APP}-{function.replace('_', '-')}"


# API paths open without a token (deployed: no Cognito authorizer on them): the health check, the
# OpenAPI document and its Swagger UI, and the calendar feed (calendar apps send no headers; its
# URL carries a feed token). Every other path needs one.
API_PUBLIC_PATHS: tuple[str, ...] = ("/health", "/openapi.json", "/swagger", "/calendar.ics")

# --- S3 key layout -------------------------------------------------------------------------------
INBOX_PREFIX = "inbox/"
CONTRACTS_PREFIX = "contracts/"
QUARANTINE_PREFIX = "quarantine/"
TEXT_PREFIX = "text/"
EVIDENCE_PREFIX = "evidence/"  # evidence/<contract id>/...: proof that an obligation was done
METRICS_PREFIX = "metrics/"  # metrics/<contract id>/<file>: SLA measurements (CSV, JSON, OpenMetrics)
INVOICES_PREFIX = "invoices/"  # invoices/<contract id>/<file>: UBL 2.1 XML, CSV or JSON
REFUSED_PREFIX = "refused/"  # refused/<original key>.error.json: why a metrics or invoice file was refused
MONEY_PREFIXES = (METRICS_PREFIX, INVOICES_PREFIX)


def original_key(contract_id: str) -> str:
    return f"{CONTRACTS_PREFIX}{contract_id}/original.pdf"


def upload_file_name(inbox_key: str) -> str:
    """The file name of an upload: ``inbox/msa.pdf`` and ``inbox/<uuid>/msa.pdf`` (an API upload,
    in its own folder so two people's ``msa.pdf`` never meet) are both ``msa.pdf``."""
    return inbox_key.rsplit("/", 1)[-1]


def evidence_prefixes(contract_id: str) -> tuple[str, str]:
    """Where the evidence an obligation was done may be: the contract's own folder or its
    evidence folder."""
    return f"{CONTRACTS_PREFIX}{contract_id}/", f"{EVIDENCE_PREFIX}{contract_id}/"


def text_key(contract_id: str) -> str:
    return f"{TEXT_PREFIX}{contract_id}.json"


def quarantine_key(inbox_key: str, contract_id: str) -> str:
    """quarantine/<contract id>/<name>: two bad files with the same name never overwrite each other."""
    name = inbox_key[len(INBOX_PREFIX):] if inbox_key.startswith(INBOX_PREFIX) else inbox_key
    return f"{QUARANTINE_PREFIX}{contract_id}/{name}"


# --- limits --------------------------------------------------------------------------------------
MAX_PDF_BYTES = 50 * 1024 * 1024  # a larger upload is quarantined ("too large")
# a calendar change being mailed is claimed for this long (store/invites.claim): twice the alert λ's
# timeout (30 s, infra/components/alerting.py), so a claim older than that belongs to an invocation
# that ended, and its change is mailed again by the next delivery (Lambda's retry, a redrive)
CALENDAR_CHANGE_LEASE_SECONDS = 60
# a reminder being emailed is claimed for as long, for the same reason (store/repository.claim_reminder)
REMINDER_LEASE_SECONDS = CALENDAR_CHANGE_LEASE_SECONDS
MAX_MONEY_FILE_BYTES = 5 * 1024 * 1024  # a larger metrics or invoice file is refused
QUEUE_MAX_RECEIVES = 3  # after this many failed receives a message goes to its DLQ
WEBHOOK_MAX_ATTEMPTS = 6  # tries of one webhook delivery (with backoff) before its DLQ
WEBHOOK_TIMEOUT_SECONDS = 5.0  # one try's bound: connecting, sending and the answer (ENV_WEBHOOK_TIMEOUT_SECONDS)
QUEUE_VISIBILITY_SECONDS = 300  # >= 6x the ingest/textract Lambda timeout is AWS's advice; see infra
TEXTRACT_PAGE_SIZE = 1000  # MaxResults per GetDocumentTextDetection call
DOWNLOAD_URL_SECONDS = 300  # a presigned link to a contract's PDF lives this long
UPLOAD_URL_SECONDS = 900  # a presigned POST into the inbox lives this long
MAX_EVIDENCE_BYTES = 25 * 1024 * 1024  # a proof file (a sent letter, a receipt) posted from the page
# a proof file is stored with its own type only when it is one of these (else as opaque bytes), so
# nothing uploaded as evidence is ever served as a page or a script
EVIDENCE_CONTENT_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain", "message/rfc822",
    "application/vnd.ms-outlook", "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
EVIDENCE_OTHER_CONTENT_TYPE = "application/octet-stream"

# --- defaults ------------------------------------------------------------------------------------
DEFAULT_TIME_ZONE = "UTC"
DEFAULT_OWNER_EMAIL = "contracts@example.com"
DEFAULT_SENDER_EMAIL = "clausewatch@example.com"
DEFAULT_ESCALATION_EMAIL = "legal-ops@example.com"
DEFAULT_TEAM = "default"
DEFAULT_JURISDICTION = "US"  # holiday calendar for business days when a contract names none
DEFAULT_LEAD_TIMES_DAYS = (90, 60, 30, 14, 7)
# a recurring duty (monthly report, forecast) recurs faster than the long lead times make sense
RECURRING_LEAD_TIMES_DAYS = (7,)
# per contract type (metadata "contract-type"); falls back to DEFAULT_LEAD_TIMES_DAYS
LEAD_TIMES_BY_CONTRACT_TYPE: dict[str, tuple[int, ...]] = {
    "nda": (30, 7),
}

# S3 object metadata the uploader may set (x-amz-meta-<name>); kept on the contract record
# ("uploader" and "team" of an API upload are fixed by the presigned POST's policy)
UPLOAD_METADATA_KEYS = ("owner", "team", "contract-type", "time-zone", "counterparty", "jurisdiction",
                        "uploader")

# Environment variable names the CDK app sets on every function (and the embedded default sets
# in-process); Settings.from_env() reads them.
ENV_BUCKET = "CLAUSEWATCH_BUCKET"
ENV_TABLE = "CLAUSEWATCH_TABLE"
ENV_AUDIT_TABLE = "CLAUSEWATCH_AUDIT_TABLE"
ENV_TEXTRACT_TOPIC_ARN = "CLAUSEWATCH_TEXTRACT_TOPIC_ARN"
ENV_TEXTRACT_ROLE_ARN = "CLAUSEWATCH_TEXTRACT_ROLE_ARN"
ENV_TEXT_ENGINE = "CLAUSEWATCH_TEXT_ENGINE"  # "textract" (deployed) or "local" (text layer)
ENV_SCHEDULE_GROUP = "CLAUSEWATCH_SCHEDULE_GROUP"
ENV_ALERT_FUNCTION_ARN = "CLAUSEWATCH_ALERT_FUNCTION_ARN"
ENV_SCHEDULER_ROLE_ARN = "CLAUSEWATCH_SCHEDULER_ROLE_ARN"
ENV_SCHEDULER_DLQ_ARN = "CLAUSEWATCH_SCHEDULER_DLQ_ARN"
ENV_SENDER_EMAIL = "CLAUSEWATCH_SENDER_EMAIL"
ENV_DEFAULT_OWNER = "CLAUSEWATCH_DEFAULT_OWNER"
ENV_ESCALATION_EMAIL = "CLAUSEWATCH_ESCALATION_EMAIL"
ENV_TIME_ZONE = "CLAUSEWATCH_TIME_ZONE"
ENV_API_BASE_URL = "CLAUSEWATCH_API_BASE_URL"
ENV_WEBHOOK_QUEUE_URL = "CLAUSEWATCH_WEBHOOK_QUEUE_URL"
# the embedded default: deliveries to hosts other than this machine are written here as JSON instead
ENV_WEBHOOK_OUTBOX = "CLAUSEWATCH_WEBHOOK_OUTBOX"
# seconds one webhook try may take (WEBHOOK_TIMEOUT_SECONDS unless set; tests set it small)
ENV_WEBHOOK_TIMEOUT_SECONDS = "CLAUSEWATCH_WEBHOOK_TIMEOUT_SECONDS"


@dataclass(frozen=True)
class Settings:
    """Run-time settings of one Lambda (or of the embedded default), from the environment."""

    bucket: str = BUCKET_NAME
    table: str = TABLE_NAME
    audit_table: str = AUDIT_TABLE_NAME
    textract_topic_arn: str = ""
    textract_role_arn: str = ""
    text_engine: str = "textract"
    schedule_group: str = SCHEDULE_GROUP
    alert_function_arn: str = ""
    scheduler_role_arn: str = ""
    scheduler_dlq_arn: str = ""
    sender_email: str = DEFAULT_SENDER_EMAIL
    default_owner: str = DEFAULT_OWNER_EMAIL
    escalation_email: str = DEFAULT_ESCALATION_EMAIL
    time_zone: str = DEFAULT_TIME_ZONE
    api_base_url: str = "https://clausewatch.example.com/api"
    webhook_queue_url: str = ""
    webhook_outbox: str = ""
    webhook_timeout_seconds: float = WEBHOOK_TIMEOUT_SECONDS

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        d = cls()
        return cls(
            bucket=env.get(ENV_BUCKET, d.bucket),
            table=env.get(ENV_TABLE, d.table),
            audit_table=env.get(ENV_AUDIT_TABLE, d.audit_table),
            textract_topic_arn=env.get(ENV_TEXTRACT_TOPIC_ARN, d.textract_topic_arn),
            textract_role_arn=env.get(ENV_TEXTRACT_ROLE_ARN, d.textract_role_arn),
            text_engine=env.get(ENV_TEXT_ENGINE, d.text_engine),
            schedule_group=env.get(ENV_SCHEDULE_GROUP, d.schedule_group),
            alert_function_arn=env.get(ENV_ALERT_FUNCTION_ARN, d.alert_function_arn),
            scheduler_role_arn=env.get(ENV_SCHEDULER_ROLE_ARN, d.scheduler_role_arn),
            scheduler_dlq_arn=env.get(ENV_SCHEDULER_DLQ_ARN, d.scheduler_dlq_arn),
            sender_email=env.get(ENV_SENDER_EMAIL, d.sender_email),
            default_owner=env.get(ENV_DEFAULT_OWNER, d.default_owner),
            escalation_email=env.get(ENV_ESCALATION_EMAIL, d.escalation_email),
            time_zone=env.get(ENV_TIME_ZONE, d.time_zone),
            api_base_url=env.get(ENV_API_BASE_URL, d.api_base_url),
            webhook_queue_url=env.get(ENV_WEBHOOK_QUEUE_URL, d.webhook_queue_url),
            webhook_outbox=env.get(ENV_WEBHOOK_OUTBOX, d.webhook_outbox),
            webhook_timeout_seconds=float(env.get(ENV_WEBHOOK_TIMEOUT_SECONDS) or d.webhook_timeout_seconds),
        )


def lead_times_for(contract_type: str | None) -> tuple[int, ...]:
    """Reminder lead times (days before a deadline) for a contract type."""
    return LEAD_TIMES_BY_CONTRACT_TYPE.get((contract_type or "").lower(), DEFAULT_LEAD_TIMES_DAYS)


# --- renewal decisions (issue #10): the Step Functions workflow and its rules --------------------
FUNCTIONS = (*FUNCTIONS, "renewal")  # the renewal workflow's Task states
# the decision link in a renewal email: its signed token is the credential (no Cognito token);
# GET shows what it would decide, only POST decides
API_PUBLIC_PATHS = (*API_PUBLIC_PATHS, "/renewal-decision")
API_PUBLIC_POST_PATHS = ("/renewal-decision",)
RENEWAL_STATE_MACHINE = "clausewatch-renewal"
# "table": the embedded default enforces the decision waits from the deadline kept in the table, on
# the simulated clock (tick); deployed (unset) the state machine's TimeoutSeconds does
ENV_RENEWAL_TIMEOUTS = "CLAUSEWATCH_RENEWAL_TIMEOUTS"
LOCAL_WAIT_SECONDS = 99_999_999  # the longest TimeoutSeconds Step Functions takes
ENV_RENEWAL_STATE_MACHINE_ARN = "CLAUSEWATCH_RENEWAL_STATE_MACHINE_ARN"
ENV_RENEWAL_START_ROLE_ARN = "CLAUSEWATCH_RENEWAL_START_ROLE_ARN"  # the Scheduler role that starts it
# the Scheduler role that invokes the planner at a wait's moved deadline (renewal/planning.py), and
# "arn:<partition>:lambda:<region>:<account>:function:": the planner's own ARN is that plus its name
# (AWS_LAMBDA_FUNCTION_NAME; its ARN in its own environment would be a circular reference)
ENV_RENEWAL_TIMEOUT_ROLE_ARN = "CLAUSEWATCH_RENEWAL_TIMEOUT_ROLE_ARN"
ENV_FUNCTION_ARN_PREFIX = "CLAUSEWATCH_FUNCTION_ARN_PREFIX"
# the decision workflow starts this many days before the notice deadline (or the term end when the
# contract has no notice deadline); per contract type below
RENEWAL_LEAD_DAYS = 90
RENEWAL_LEAD_DAYS_BY_CONTRACT_TYPE: dict[str, int] = {"nda": 30}
# the owner must decide by the notice deadline minus this many business days (time to send notice);
# after that the escalation waits until the final cut-off, this many business days before it
RENEWAL_OWNER_BUSINESS_DAYS = 10
RENEWAL_FINAL_BUSINESS_DAYS = 3
RENEWAL_HEARTBEAT_SECONDS = 3 * 24 * 3600  # the daily sweep heartbeats waiting decisions


@dataclass(frozen=True)
class RenewalRules:
    """What the renewal recommendation weighs (clausewatch.renewal.recommend)."""

    missed_to_renegotiate: int = 1  # obligations missed this term
    missed_to_terminate: int = 3
    breaches_to_renegotiate: int = 1  # SLA breaches recorded this term
    breaches_to_terminate: int = 3
    findings_to_renegotiate: int = 1  # invoice findings recorded this term
    max_price_increase_percent: float = 5.0  # a renewal allowing more is renegotiated
    min_commitment_use: float = 0.8  # spend / minimum commitment below this: renegotiate
    review_every_term: tuple[str, ...] = ("saas",)  # contract types that never renew silently


RENEWAL_RULES = RenewalRules()


def renewal_lead_days_for(contract_type: str | None) -> int:
    """Days before the notice deadline the renewal decision workflow starts, for a contract type."""
    return RENEWAL_LEAD_DAYS_BY_CONTRACT_TYPE.get((contract_type or "").lower(), RENEWAL_LEAD_DAYS)

# --- extraction confidence (issue #15) -------------------------------------------------------------
# a term whose clause the clause finder scored below this (0-1) is marked for review: the API's
# `needs_review` on each term and `review_confidence_below` on the contract, the web page's marker.
# Calibrated by 5-fold CV over the CUAD tuning part (`python -m clausewatch.review_calibration`):
# at 0.9, 164 of 919 values marked, 9 of the 26 wrong ones among them (5.5% wrong below, 2.3% at or
# above); at the former 0.5 the marked values were no more often wrong than the others (2.6% vs 2.8%)
REVIEW_CONFIDENCE_BELOW = 0.9


# --- reminders at scale (issue #11 part 3): the rolling horizon and the paged sweep --------------
# Only reminders firing within this many days exist as EventBridge Scheduler schedules; the rest
# are planned (the obligations keep their dates and arithmetic) and scheduled by the daily sweep
# once they come inside the window. The CDK context key ``reminder_horizon_days`` sets it deployed.
REMINDER_HORIZON_DAYS = 35
ENV_REMINDER_HORIZON_DAYS = "CLAUSEWATCH_REMINDER_HORIZON_DAYS"
# the daily sweep sends one message per page of due contracts (GSI5) to this queue; the planner
# re-plans one page per message, so each invocation's work is bounded by the page size
SWEEP_QUEUE = "clausewatch-sweep"
SWEEP_DLQ = "clausewatch-sweep-dlq"
SWEEP_PAGE_SIZE = 50
ENV_SWEEP_PAGE_SIZE = "CLAUSEWATCH_SWEEP_PAGE_SIZE"
ENV_SWEEP_QUEUE_URL = "CLAUSEWATCH_SWEEP_QUEUE_URL"


def _positive_int(name: str, default: int, environ: dict[str, str] | None) -> int:
    env = os.environ if environ is None else environ
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of at least 1, not {raw!r}") from None
    if value < 1:
        raise ValueError(f"{name} must be at least 1, not {value}")
    return value


def reminder_horizon_days(environ: dict[str, str] | None = None) -> int:
    """Days ahead within which reminders are scheduled (``CLAUSEWATCH_REMINDER_HORIZON_DAYS``)."""
    return _positive_int(ENV_REMINDER_HORIZON_DAYS, REMINDER_HORIZON_DAYS, environ)


def sweep_page_size(environ: dict[str, str] | None = None) -> int:
    """Contracts re-planned per sweep message (``CLAUSEWATCH_SWEEP_PAGE_SIZE``)."""
    return _positive_int(ENV_SWEEP_PAGE_SIZE, SWEEP_PAGE_SIZE, environ)


def sweep_queue_url(environ: dict[str, str] | None = None) -> str:
    """The sweep queue's URL; empty: the pages are re-planned in the same invocation."""
    env = os.environ if environ is None else environ
    return env.get(ENV_SWEEP_QUEUE_URL, "")

# the weekly digest (issue #14): each reader's goes out on DIGEST_WEEKDAY at DIGEST_HOUR_LOCAL:00 in
# their own time zone (their preference, UTC by default). An EventBridge rule invokes the alert λ at
# the top of every hour of the UTC days DIGEST_RUN_DAYS (DIGEST_SCHEDULE, the one expression: the CDK
# rule is built from it, infra/components/digest.py, and `clausewatch tick` fires it on each hour it
# crosses, local/cloud.py) with DIGEST_EVENT and the run's scheduled time under DIGEST_RUN_AT; each
# run sends to the readers for whom it is then DIGEST_WEEKDAY DIGEST_HOUR_LOCAL:xx. Monday 07:00 is
# Sunday 17:00 UTC at UTC+14 and Monday 19:00 UTC at UTC-12, the zones furthest apart: SUN and MON
DIGEST_WEEKDAY = "MON"
DIGEST_HOUR_LOCAL = 7
DIGEST_RUN_DAYS = ("SUN", "MON")
DIGEST_SCHEDULE = f"cron(0 * ? * {','.join(DIGEST_RUN_DAYS)} *)"
DIGEST_EVENT: dict[str, bool] = {"digest": True}
DIGEST_RUN_AT = "at"  # the event's key for the run's scheduled time (ISO; a retried run keeps it)


# --- how Lambda feeds each queue to its function ---------------------------------------------------
@dataclass(frozen=True)
class QueueConsumer:
    """A queue's event source mapping: the function Lambda invokes with at most ``batch_size``
    messages a call, its timeout and its memory. The CDK app declares these (infra/components);
    the embedded default's pump invokes the same function with batches of the same size, as
    concurrent invocations when it runs more than one at a time (``local_concurrency``)."""

    function: str
    batch_size: int
    timeout_seconds: int
    memory_mb: int
    # the function hides a failed message for its backoff itself (its visibility timeout): the
    # embedded default's pump keeps it hidden until then instead of retrying at once
    backs_off: bool = False


QUEUE_CONSUMERS: dict[str, QueueConsumer] = {
    # hash + copy of an upload of up to MAX_PDF_BYTES, then Textract start
    INGEST_QUEUE: QueueConsumer("ingest", batch_size=5, timeout_seconds=60, memory_mb=1024),
    # one document per invocation (each gets the whole timeout): pages through
    # GetDocumentTextDetection, writes text/ and the items
    TEXTRACT_QUEUE: QueueConsumer("textract_done", batch_size=1, timeout_seconds=180, memory_mb=1024),
    # one metrics or invoice file of up to MAX_MONEY_FILE_BYTES a message
    MONEY_QUEUE: QueueConsumer("money", batch_size=5, timeout_seconds=60, memory_mb=512),
    # one delivery an invocation (5 s timeout): an endpoint that hangs holds up no other endpoint's
    WEBHOOK_QUEUE: QueueConsumer("webhook", batch_size=1, timeout_seconds=30, memory_mb=256, backs_off=True),
    # one sweep page (SWEEP_PAGE_SIZE contracts) an invocation
    SWEEP_QUEUE: QueueConsumer("planner", batch_size=1, timeout_seconds=300, memory_mb=512),
}
def visibility_timeout_seconds(function_timeout_seconds: int, batching_window_seconds: int = 0) -> int:
    """Visibility timeout (seconds) of a queue consumed by a Lambda with the given timeout: AWS
    advises at least six times the function timeout plus the batching window, so that a message is
    not handed to a second invocation while the first still runs; never less than
    QUEUE_VISIBILITY_SECONDS. The CDK app's queues and the embedded default's are made with it."""
    if function_timeout_seconds <= 0 or batching_window_seconds < 0:
        raise ValueError("timeouts must be positive")
    return max(QUEUE_VISIBILITY_SECONDS, 6 * function_timeout_seconds + batching_window_seconds)


@dataclass(frozen=True)
class StreamConsumer(QueueConsumer):
    """The table stream's event source mapping: as a queue's, and what Lambda does with a batch that
    fails. With partial batch responses it retries from the first failed record; a batch whose
    invocation fails is split in two (``bisect_on_error``); after ``retry_attempts`` retries the
    records are described in ``on_failure`` (a queue) and the shard reads on. The CDK app declares
    these; the embedded default's pump does the same with the stream's records."""

    retry_attempts: int = 0
    bisect_on_error: bool = False
    on_failure: str | None = None

    def __post_init__(self) -> None:
        if self.retry_attempts < 0:  # AWS's -1 retries until the record expires: no poison bound
            raise ValueError("a stream consumer's retry_attempts must be 0 or more")


# the table's stream, read by the same planner function: a batch of 25 records an invocation, one
# batch at a time (in order, as Lambda reads a shard); a poison record is retried 5 times, then
# described in the planner DLQ instead of blocking its shard
STREAM_CONSUMER = StreamConsumer("planner", batch_size=25, timeout_seconds=300, memory_mb=512,
                                 retry_attempts=5, bisect_on_error=True, on_failure=PLANNER_DLQ)
# the CLI's embedded default: queued invocations at once (forked processes, as Lambda runs each
# invocation in an execution environment of its own); 1 runs them one after another in its process
ENV_LOCAL_CONCURRENCY = "CLAUSEWATCH_LOCAL_CONCURRENCY"


def local_concurrency(environ: dict[str, str] | None = None, default: int = 1) -> int:
    """Invocations the CLI's embedded default runs at once (``CLAUSEWATCH_LOCAL_CONCURRENCY``, else
    ``default``: 1; `make bench` measures with one per core)."""
    return _positive_int(ENV_LOCAL_CONCURRENCY, default, environ)
