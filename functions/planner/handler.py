"""planner λ: re-plan reminder schedules.

Three triggers: the table's DynamoDB stream (a contract, term or obligation changed); a daily
sweep rule (``{"sweep": true}``), which fans the contracts due for planning (GSI5: reminders
coming inside the rolling horizon, recurring duties to roll) out as one SQS message per page; and
the sweep queue, one bounded page per message (clausewatch.pipeline.sweep). An operator's redrive
of the planner DLQ invokes it with a given-up batch's description (``DDBStreamBatchInfo``); the
one-time schedule of a renewal decision's wait whose deadline moved earlier, with ``renewal_timeout``.
"""

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.pipeline.recovery import recover_stuck, retry_requested_in_stream
from clausewatch.pipeline.reminders import replan_stream_batch, replay_given_up, sweep
from clausewatch.pipeline.sweep import handle_sweep_batch, is_sweep_batch
from clausewatch.renewal.planning import TIMEOUT_EVENT, heartbeat_waiting, time_out_moved_wait


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    settings = Settings.from_env()
    if event.get("sweep"):
        # contracts stuck in a non-final state (a lost Textract completion) are settled first
        recovered = recover_stuck(settings)
        synced = sweep(settings)
        heartbeats = heartbeat_waiting()  # renewal decisions waiting for a person
        # synced: the page messages sent to the sweep queue (one per GSI5 shard), or, with no sweep
        # queue configured, the contracts re-planned in this invocation
        logger.info("sweep", extra={"sweep_messages": synced, "recovered": len(recovered),
                                    "renewal_heartbeats": heartbeats})
        return {"sweep_messages": synced, "recovered": [r.__dict__ for r in recovered]}
    if TIMEOUT_EVENT in event:  # a renewal decision's wait, its deadline moved earlier, ends now
        return time_out_moved_wait(event[TIMEOUT_EVENT])
    if "DDBStreamBatchInfo" in event:  # a stream batch given up on, redriven from the planner DLQ
        return replay_given_up(settings, event)
    records = event.get("Records") or []
    if is_sweep_batch(records):  # pages of the daily sweep (the sweep queue)
        return handle_sweep_batch(settings, records)
    retry_requested_in_stream(settings, records)  # POST /contracts/{id}/retry marked them
    return {"batchItemFailures": replan_stream_batch(settings, records)}
