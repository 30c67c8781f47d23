"""money λ: S3 -> SQS notifications of files under metrics/<id>/ and invoices/<id>/ (SLA measurements
and invoices), checked against the contract's terms (partial batch failures reported)."""

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.intake import uploads_in_s3_event
from clausewatch.pipeline.money import process_money_file

# an all-failed batch is reported like a partial one (every id), not raised
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def record_handler(record: SQSRecord) -> None:
    settings = Settings.from_env()
    for upload in uploads_in_s3_event(record.decoded_nested_s3_event):
        outcome = process_money_file(settings, upload)
        logger.info("money file", extra={"key": upload.key, "outcome": outcome.status, "kind": outcome.kind,
                                         "contract_id": outcome.contract_id, "findings": outcome.findings,
                                         "reason": outcome.reason})


@logger.inject_lambda_context(correlation_id_path="Records[0].messageId")
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    return process_partial_response(event=event, record_handler=record_handler,
                                    processor=processor, context=context)
