"""The API: one powertools REST resolver (API Gateway REST proxy events), a router per resource,
request/response validation from the pydantic models (which the OpenAPI document is generated
from), one authorization step for every route, and domain errors mapped to HTTP:

    401 Unauthorized · 403 Forbidden · 404 NotFound (another team's too) · 409 Conflict (also a
    write refused because the record changed meanwhile) ·
    400 invalid parameter/body/cursor, unknown parameter · every error body is {"message": ...}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from re import Match
from typing import Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import OpenAPIRequestValidationMiddleware
from aws_lambda_powertools.event_handler.openapi.dependant import get_typed_signature
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer
from pydantic import BaseModel
from pynamodb.exceptions import PutError, UpdateError

from ..pipeline.actions import Conflict, InvalidInput, NotFound, StatusConflict
from ..store import repository as repo
from ..store.queries import BadCursor
from . import (
    amendments,
    auth,
    contracts,
    feeds,
    health,
    money,
    obligations,
    preferences,
    renewals,
    uploads,
    views,
    webhooks,
)
from . import corrections as correction_routes
from . import events as event_routes
from . import evidence as evidence_routes
from . import recovery as recovery_api
from . import renewal as renewal_decisions
from . import terms as term_routes
from .models import PATTERN_MEANS, ErrorMessage, ObligationConflict, error_responses

OPENAPI_PATH = "/openapi.json"
SWAGGER_PATH = "/swagger"
SECURITY_SCHEMES = {"bearerAuth": HTTPBearer(
    description="Deployed: a Cognito ID token (API Gateway's user-pool authorizer passes its claims). "
                "Locally: a token from `clausewatch token create`.")}
OPENAPI_INFO: dict[str, Any] = dict(
    title="clausewatch API", version="1",
    description="Contracts, their evidenced terms and obligations, renewals, actions, uploads and "
                "calendar feeds of the caller's team. Roles: viewer reads, editor acts, admin also "
                "deletes contracts and manages calendar feeds.",
    security_schemes=SECURITY_SCHEMES)


class Resolver(APIGatewayRestResolver):
    """The REST resolver, whose OpenAPI document says what a validation error is here: a 400 with
    ``{"message": ...}`` (powertools' default is a 422 with its own body); an operation that takes
    a body also answers 415 to one that is not JSON."""

    def get_openapi_schema(self, **kwargs: Any):
        document = super().get_openapi_schema(**kwargs)
        def error(code: int) -> dict[str, Any]:
            return {"description": error_responses(code)[code]["description"],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorMessage"}}}}

        for path in (document.paths or {}).values():
            for operation in (path.get, path.put, path.post, path.delete, path.patch):
                if operation is not None and operation.responses:
                    if operation.responses.pop(422, None) is not None:
                        operation.responses.setdefault(400, error(400))
                    if operation.requestBody is not None:  # a body that is not JSON (_JsonBodies)
                        operation.responses.setdefault(415, error(415))
        schemas = document.components.schemas if document.components else None
        if schemas is not None:
            for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
                schemas.pop(unused, None)
        return document

    def _convert_matches_into_route_keys(self, match: Match) -> dict[str, str]:
        """The path parameters decoded, as API Gateway decodes ``pathParameters``: its REST proxy
        event's ``path`` (which the routes match) is still percent-encoded, so an occurrence id sent
        as ``635b...%402026-12-05`` is ``635b...@2026-12-05`` (decoded once matched: a ``%2F``
        stays inside its segment)."""
        return {name: unquote(value) for name, value in super()._convert_matches_into_route_keys(match).items()}


app = Resolver(enable_validation=True)
app.configure_openapi(**OPENAPI_INFO)
app.enable_swagger(path=SWAGGER_PATH, **OPENAPI_INFO)
for module in (health, contracts, obligations, renewals, uploads, feeds, money, webhooks, preferences,
               recovery_api):
    app.include_router(module.router)
app.include_router(evidence_routes.router)  # the web dashboard's viewer: evidence boxes, the original PDF
app.include_router(term_routes.router)  # a person enters a term the extractor abstained on
app.include_router(renewal_decisions.router)
app.include_router(event_routes.router)  # a person dates the event a conditional term runs from
app.include_router(correction_routes.router)  # people's corrections as training labels
app.include_router(amendments.router)  # a person says which contract a waiting amendment amends


def document_success_responses(resolver: APIGatewayRestResolver) -> None:
    """Give each route's success response its returned model in the OpenAPI document.

    powertools documents a route's return type only when the route names no ``responses``; ours
    name their errors (``error_responses``), which left every success response out of the document
    (no schema for a client generator, nothing for schemathesis to check a 200 against). A route
    that returns a model gets it under its status code (200, or the 201/202 it declares); a route
    that builds its own ``Response`` documents it itself."""
    for route in resolver._static_routes + resolver._dynamic_routes:
        returned = get_typed_signature(route.func).return_annotation
        if not route.responses or route.status_code in route.responses \
                or not (isinstance(returned, type) and issubclass(returned, BaseModel)):
            continue
        route.responses = {route.status_code: {"description": f"{HTTPStatus(route.status_code).phrase}: {returned.__name__}",
                                               "content": {"application/json": {"model": returned}}},
                           **route.responses}
        route._dependant = None  # made again from the responses (their models join the document)
        route._body_field = None


document_success_responses(app)


@app.get(OPENAPI_PATH, summary="This document", tags=["meta"],
         responses={200: {"description": "OpenAPI 3 document",
                          "content": {"application/json": {"schema": {"type": "object"}}}}})
@auth.public
def openapi_document() -> Response[str]:
    return Response(status_code=200, content_type=content_types.APPLICATION_JSON,
                    body=app.get_openapi_json_schema(**OPENAPI_INFO))


# --- one authorization step for every route ------------------------------------------------------

def _route():
    return app.context.get("_route")


def _authorize() -> auth.Caller | None:
    """The caller of the matched route (None on a public one), or Unauthorized / Forbidden."""
    route = _route()
    if route is None or route.path == SWAGGER_PATH:
        return None
    return auth.authorize(route.func, app.current_event.request_context.authorizer.claims)


def authorize_request(app: Resolver, next_middleware):
    """Every route: who is calling and may they (before anything else the route does); then no
    query parameter the route does not declare."""
    app.append_context(**{auth.CONTEXT_KEY: _authorize()})
    route = _route()
    if route is not None and auth.is_declared(route.func):
        declared = {field.alias for field in route.dependant.query_params}
        unknown = sorted(set(app.current_event.query_string_parameters or {}) - declared)
        if unknown:
            raise InvalidInput(f"unknown query parameter(s): {', '.join(unknown)}"
                               + (f"; known: {', '.join(sorted(declared))}" if declared else ""))
    return next_middleware(app)


app.use(middlewares=[authorize_request])


# --- errors --------------------------------------------------------------------------------------

def _error(status: HTTPStatus, message: str) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON,
                    body=ErrorMessage(message=message).model_dump())


@app.exception_handler(auth.Unauthorized)
def _unauthorized(exc: auth.Unauthorized) -> Response:
    return _error(HTTPStatus.UNAUTHORIZED, str(exc))


@app.exception_handler(auth.Forbidden)
def _forbidden(exc: auth.Forbidden) -> Response:
    return _error(HTTPStatus.FORBIDDEN, str(exc))


@app.exception_handler(NotFound)
def _not_found(exc: NotFound) -> Response:
    return _error(HTTPStatus.NOT_FOUND, str(exc.args[0] if exc.args else "not found"))


@app.exception_handler(NotFoundError)
def _no_route(exc: NotFoundError) -> Response:
    """No route: 405 with ``Allow`` when the path is served with other methods (a PATCH or a POST
    where a PUT is meant: a 404 said the contract did not exist), else 404."""
    event = app.current_event
    path = app._remove_prefix(event.path)
    allowed = sorted({route.method for route in app._static_routes + app._dynamic_routes
                      if route.path != SWAGGER_PATH and route.rule.match(path)})
    if not allowed:
        return _error(HTTPStatus.NOT_FOUND, "no such resource")
    response = _error(HTTPStatus.METHOD_NOT_ALLOWED,
                      f"{event.http_method.upper()} is not allowed here: use {' or '.join(allowed)}")
    response.headers["Allow"] = ", ".join(allowed)
    return response


@app.exception_handler(Conflict)
def _conflict(exc: Conflict) -> Response:
    return _error(HTTPStatus.CONFLICT, str(exc))


@app.exception_handler(StatusConflict)
def _status_conflict(exc: StatusConflict) -> Response:
    """An obligation's action refused for its status: the status it is in now, as the API shows it."""
    obligation = exc.obligation
    contract = repo.get_contract(obligation.contract_id)
    shown = views.obligation_state(obligation, contract.time_zone if contract else "UTC")
    return Response(status_code=HTTPStatus.CONFLICT, content_type=content_types.APPLICATION_JSON,
                    body=ObligationConflict(message=str(exc), current_status=shown).model_dump(mode="json"))


@app.exception_handler([PutError, UpdateError])
def _refused_write(exc: Exception) -> Response:
    """A write refused by its version check after the retries a route makes (another request, or
    the pipeline, changed the record meanwhile): 409, never a 500; any other failed write is raised
    again (500)."""
    if not repo.refused_by_another_write(exc):
        raise exc
    return _error(HTTPStatus.CONFLICT, "the record was changed by another request while this one ran: read it again,"
                                       " and send this request again if it still applies")


@app.exception_handler([InvalidInput, BadCursor])
def _bad_request(exc: Exception) -> Response:
    return _error(HTTPStatus.BAD_REQUEST, str(exc))


@app.exception_handler(RequestValidationError)
def _invalid_request(exc: RequestValidationError) -> Response:
    """Request validation runs before the middleware: authorize first, so a caller without a
    token learns nothing about the parameters (401 before 400)."""
    try:
        _authorize()
    except auth.Unauthorized as denied:
        return _unauthorized(denied)
    except auth.Forbidden as denied:
        return _forbidden(denied)
    repeated = _repeated_query_parameters()
    if repeated:  # each fails validation as a list ("owner: Input should be a valid string"): say why
        return _error(HTTPStatus.BAD_REQUEST, "; ".join(f"{name}: given {count} times, give it once"
                                                        for name, count in repeated))
    return _error(HTTPStatus.BAD_REQUEST, validation_message(exc.errors()))


def _repeated_query_parameters() -> list[tuple[str, int]]:
    """The query parameters given more than once (``owner=a&owner=b``): no route takes a list."""
    given = app.current_event.multi_value_query_string_parameters or {}
    return sorted((name, len(values)) for name, values in given.items() if len(values or ()) > 1)


UNSUPPORTED_BODY = "the body must be JSON (Content-Type: application/json)"


@app.exception_handler(RequestUnsupportedContentType)
def _unsupported_content_type(exc: RequestUnsupportedContentType) -> Response:
    """A body that is not JSON, form or multipart: 415 (after the caller is authorized)."""
    return _refused_body()


@app.exception_handler(ValueError)
def _unparsable_multipart(exc: ValueError) -> Response:
    """powertools' validation parses a ``multipart/form-data`` body by the Content-Type's boundary
    and raises a bare ValueError when it names none: the client's error (415), found by
    schemathesis against `clausewatch serve`. Any other ValueError is a bug, raised again (500)."""
    if "multipart/form-data" not in str(exc):
        raise exc
    return _refused_body()


FORM_BODIES = ("application/x-www-form-urlencoded", "multipart/form-data")


class _JsonBodies(OpenAPIRequestValidationMiddleware):
    """Request validation that reads a route's body as JSON only. powertools also parses a form
    body (curl's default Content-Type) into lists of strings, which the body's model refuses with a
    misleading 400 ("owner: Input should be a valid string"); no route takes a form (the renewal
    link page's form posts to a route without a body, which reads the form itself): 415, through
    ``_unsupported_content_type``, as for any other body that is not JSON."""

    def _get_body(self, resolver: Any) -> dict[str, Any]:
        content_type = resolver.current_event.headers.get("content-type") or ""
        if content_type.split(";")[0].strip().lower() in FORM_BODIES:
            raise RequestUnsupportedContentType("Unsupported content type", errors=[
                {"type": "unsupported_content_type", "loc": ("body",), "msg": UNSUPPORTED_BODY}])
        return super()._get_body(resolver)


# the resolver builds every route's middleware stack with this one first (on the route's first request)
app._request_validation_middleware = _JsonBodies()


def _refused_body() -> Response:
    try:
        _authorize()
    except auth.Unauthorized as denied:
        return _unauthorized(denied)
    except auth.Forbidden as denied:
        return _forbidden(denied)
    return _error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, UNSUPPORTED_BODY)


def validation_message(errors: Sequence[Mapping[str, Any]]) -> str:
    """``expires_before: Input should be a valid date ...; limit: ...`` (where and what, no input
    values echoed; a pattern in words, not its regex)."""
    parts = []
    for error in errors:
        where = list(error.get("loc", ()))
        named = [str(part) for part in where[1:] if isinstance(part, str)]
        fallback = "request body" if where[:1] == ["body"] else "request"
        means = PATTERN_MEANS.get(str((error.get("ctx") or {}).get("pattern"))) \
            if error.get("type") == "string_pattern_mismatch" else None
        parts.append(f"{'.'.join(named) or fallback}: {f'should be {means}' if means else error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"
