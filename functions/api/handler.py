"""api λ: API Gateway (REST, Cognito authorizer) proxy events -> the REST resolver
(clausewatch.api.app: routes, validation, authorization, the OpenAPI document)."""

from aws_lambda_powertools import Logger
from aws_lambda_powertools.logging import correlation_paths

from clausewatch.api.app import app

logger = Logger()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
def handler(event: dict, context) -> dict:
    return app.resolve(event, context)
