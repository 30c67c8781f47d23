"""textract_done λ: Textract completion (SNS -> SQS) -> stored text -> extracted terms."""

import json

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.textjob import complete_text_job

# an all-failed batch is reported like a partial one (every id), not raised
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def textract_notification(record: SQSRecord) -> dict:
    """Textract's completion message: the Message of the SNS envelope (the subscription is not raw),
    or the body itself if raw delivery is switched on."""
    envelope = record.decoded_nested_sns_event
    return json.loads(envelope.message) if "Message" in envelope else record.json_body


def record_handler(record: SQSRecord) -> None:
    notification = textract_notification(record)
    outcome = complete_text_job(Settings.from_env(), notification)
    logger.info("text job handled", extra={"job_id": notification.get("JobId"),
                                           "contract_id": outcome.contract_id,
                                           "status": outcome.status, "reason": outcome.reason})


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    return process_partial_response(event=event, record_handler=record_handler,
                                    processor=processor, context=context)
