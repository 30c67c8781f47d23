"""textract_done λ: Textract completion (SNS -> SQS) -> stored text -> extracted terms."""

import json

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.textjob import complete_text_job

# an all-failed batch is reported like a partial one (every id), not raised
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    envelope = record.json_body  # the SNS notification (raw delivery off)
    notification = json.loads(envelope["Message"]) if "Message" in envelope else envelope
    outcome = complete_text_job(Settings.from_env(), notification)
    logger.info("text job handled", extra={"job_id": notification.get("JobId"),
                                           "contract_id": outcome.contract_id,
                                           "status": outcome.status, "reason": outcome.reason})


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    return process_partial_response(event=event, record_handler=record_handler,
                                    processor=processor, context=context)
