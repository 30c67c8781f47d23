"""ingest λ: S3 -> SQS notifications of uploads under inbox/ (partial batch failures reported)."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.intake import ingest_upload, uploads_in_s3_event

# an all-failed batch is reported like a partial one (every id), not raised
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    settings = Settings.from_env()
    for upload in uploads_in_s3_event(record.decoded_nested_s3_event):
        outcome = ingest_upload(settings, upload)
        logger.info("ingested", extra={"key": upload.key, "outcome": outcome.status,
                                       "contract_id": outcome.contract_id, "reason": outcome.reason})


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    return process_partial_response(event=event, record_handler=record_handler,
                                    processor=processor, context=context)
