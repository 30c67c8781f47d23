"""planner λ: re-plan reminder schedules.

Two triggers: the table's DynamoDB stream (a contract, term or obligation changed), and a daily
sweep rule (``{"sweep": true}``) so recurring duties roll to their next occurrence and passed
lead times turn into overdue alerts even when nothing in the table changes.
"""

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.reminders import contracts_in_stream, sweep, sync_reminders


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    settings = Settings.from_env()
    if event.get("sweep"):
        synced = sweep(settings)
        logger.info("sweep", extra={"contracts": synced})
        return {"contracts": synced}
    failures = []
    # one re-plan per contract, however many of its items changed in this batch
    for contract_id, sequence_numbers in contracts_in_stream(event.get("Records") or []).items():
        try:
            created, deleted = sync_reminders(settings, contract_id)
            logger.info("reminders synced", extra={"contract_id": contract_id,
                                                   "created": created, "deleted": deleted})
        except Exception:
            logger.exception("re-planning failed", extra={"contract_id": contract_id})
            failures.extend({"itemIdentifier": s} for s in sequence_numbers)
    return {"batchItemFailures": failures}
