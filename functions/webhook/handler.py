"""webhook λ: one SQS message per (subscription, event) to deliver to Slack, Teams or a generic
endpoint (partial batch failures reported; a failed try comes back after its backoff)."""

import json

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.webhooks import deliver

processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    message = json.loads(record.body)
    attempt = int(record.attributes.approximate_receive_count or 1)
    outcome = deliver(Settings.from_env(), message, attempt, record.receipt_handle)
    logger.info("webhook", extra={"webhook_id": message.get("webhook_id"), "outcome": outcome, "attempt": attempt})


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    return process_partial_response(event=event, record_handler=record_handler,
                                    processor=processor, context=context)
