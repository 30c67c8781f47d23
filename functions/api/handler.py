"""api λ: API Gateway (REST, Cognito authorizer) proxy events -> the REST resolver
(clausewatch.api.app: routes, validation, authorization, the OpenAPI document)."""

from aws_lambda_powertools.logging import correlation_paths

from clausewatch.api.app import app
from clausewatch.observability import logger, tracer


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
def handler(event: dict, context) -> dict:
    return app.resolve(event, context)
