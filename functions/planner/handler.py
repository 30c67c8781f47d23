"""planner λ: re-plan reminder schedules.

Two triggers: the table's DynamoDB stream (a contract, term or obligation changed), and a daily
sweep rule (``{"sweep": true}``) so recurring duties roll to their next occurrence and passed
lead times turn into overdue alerts even when nothing in the table changes.
"""

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.recovery import recover_stuck, retry_requested_in_stream
from clausewatch.pipeline.reminders import replan_stream_batch, sweep
from clausewatch.renewal.planning import heartbeat_waiting


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    settings = Settings.from_env()
    if event.get("sweep"):
        # contracts stuck in a non-final state (a lost Textract completion) are settled first
        recovered = recover_stuck(settings)
        synced = sweep(settings)
        heartbeats = heartbeat_waiting()  # renewal decisions waiting for a person
        logger.info("sweep", extra={"contracts": synced, "recovered": len(recovered),
                                    "renewal_heartbeats": heartbeats})
        return {"contracts": synced, "recovered": [r.__dict__ for r in recovered]}
    records = event.get("Records") or []
    retry_requested_in_stream(settings, records)  # POST /contracts/{id}/retry marked them
    return {"batchItemFailures": replan_stream_batch(settings, records)}
