"""renewal λ: every Task state of the renewal decision workflow (clausewatch/renewal/
workflow.asl.json); the event is the state's Payload, ``step`` says which."""

from clausewatch.config import Settings
from clausewatch.observability import logger, tracer
from clausewatch.renewal.steps import run


@logger.inject_lambda_context(correlation_id_path="contract_id")
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    result = run(event, Settings.from_env())
    logger.info("renewal step", extra={"step": event.get("step"), "contract_id": event.get("contract_id"),
                                       "term_end": event.get("term_end")})
    return result
