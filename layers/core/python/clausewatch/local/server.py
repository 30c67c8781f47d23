"""The local API Gateway: a stdlib HTTP server that turns each request into the REST API proxy
event (version 1.0) API Gateway would send the `api` λ, calls the handler in-process, and writes
its response back (status, headers and multi-value headers, text or base64 bodies).

Auth is the Cognito authorizer's part: a valid ``Authorization: Bearer`` token from
``clausewatch token create`` puts its claims at ``requestContext.authorizer.claims``, exactly where
the user-pool authorizer puts an ID token's. A missing or invalid token passes no claims, and the
handler's own check answers (401 on every route but the public ones), so the handler has one auth
code path. Unlike API Gateway, this server does not refuse a bad token itself: the handler does.
"""

from __future__ import annotations

import base64
import json
import logging
import sys
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from .. import config
from .web import WebApp, cookie_token

log = logging.getLogger(__name__)

# event -> response, e.g. ``lambda event: handlers.invoke("api", event)``
Invoke = Callable[[dict], dict]
# bearer token -> claims; raises on an invalid one
Verify = Callable[[str], Mapping[str, str]]

STAGE = "local"
PROXY_RESOURCE = "/{proxy+}"
# Hop-by-hop and framing headers this server writes itself
_OWN_HEADERS = {"content-length", "transfer-encoding", "connection", "date", "server"}


def claims_of(headers: Mapping[str, str], verify: Verify) -> dict[str, str] | None:
    """The claims of a valid ``Authorization: Bearer`` token; None without one or for a bad one.
    Without an ``Authorization`` header, the web dashboard's session cookie (set by ``/login``,
    see ``web.py``) is the bearer token, checked the same way."""
    token = _bearer_token(headers)
    if token is None:
        return None
    try:
        return dict(verify(token))
    except Exception:  # any failure to verify is "not authenticated"
        return None


def _bearer_token(headers: Mapping[str, str]) -> str | None:
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
    if not value.strip():
        value = f"Bearer {cookie_token(headers) or ''}"
    scheme, _, token = value.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def refused_token(headers: Mapping[str, str], verify: Verify) -> str | None:
    """Why the bearer token the request carries was refused ("expired", "bad signature ..."); None
    without one or for a valid one."""
    token = _bearer_token(headers)
    if token is None:
        return None
    try:
        verify(token)
    except Exception as refused:
        return str(refused) or type(refused).__name__
    return None


def explain_refusal(status: int, headers: list[tuple[str, str]], data: bytes,
                    refused: str | None) -> tuple[int, list[tuple[str, str]], bytes]:
    """The handler's 401 says why the token was refused: the handler sees no claims for a bad
    token (deployed, API Gateway's authorizer refuses it before the λ), and "authentication
    required" did not tell a nightly job its 30-day token had expired."""
    if status != 401 or refused is None:
        return status, headers, data
    message = (f"authentication required: the bearer token was refused ({refused}); "
               "make a new one with `clausewatch token create`")
    kept = [(name, value) for name, value in headers if name.lower() not in ("content-type", "www-authenticate")]
    return status, kept + [("Content-Type", "application/json"),
                           ("WWW-Authenticate", 'Bearer error="invalid_token"')], \
        json.dumps({"message": message}).encode()


def request_event(method: str, target: str, headers: list[tuple[str, str]], body: bytes, *,
                  claims: Mapping[str, str] | None, source_ip: str = "127.0.0.1") -> dict:
    """The REST API proxy event for one HTTP request (``target`` is the request line's path and
    query). Paths of their own resource deployed (config.API_PUBLIC_PATHS) have it as ``resource``;
    every other path reaches the λ through the greedy ``/{proxy+}`` resource, as deployed."""
    split = urlsplit(target)
    path = split.path or "/"  # REST APIs pass the path still percent-encoded
    query = parse_qsl(split.query, keep_blank_values=True)
    multi_query: dict[str, list[str]] = {}
    for name, value in query:
        multi_query.setdefault(name, []).append(value)
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        multi_headers.setdefault(name, []).append(value)
    if path in config.API_PUBLIC_PATHS or path == "/":
        resource, path_parameters = path, None
    else:
        resource, path_parameters = PROXY_RESOURCE, {"proxy": unquote(path[1:])}
    now = datetime.now(UTC)
    request_context: dict = {
        "accountId": "123456789012", "apiId": "local", "stage": STAGE, "resourceId": "local",
        "resourcePath": resource, "httpMethod": method, "path": path, "protocol": "HTTP/1.1",
        "requestId": str(uuid.uuid4()), "extendedRequestId": str(uuid.uuid4()),
        "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": int(now.timestamp() * 1000),
        "domainName": next((v for k, v in headers if k.lower() == "host"), "127.0.0.1"),
        "identity": {"sourceIp": source_ip,
                     "userAgent": next((v for k, v in headers if k.lower() == "user-agent"), None)},
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": dict(claims)}
    return {
        "resource": resource, "path": path, "httpMethod": method,
        "headers": {name: values[-1] for name, values in multi_headers.items()} or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {name: values[-1] for name, values in multi_query.items()} or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_parameters, "stageVariables": None,
        "requestContext": request_context, "body": _event_body(body), "isBase64Encoded": False,
    }


def _event_body(body: bytes) -> str | None:
    """The body as API Gateway passes it to the λ: the deployed RestApi declares no binary media
    types, so every request body arrives as text (bytes that are not UTF-8 replaced)."""
    return body.decode("utf-8", errors="replace") if body else None


def response_parts(response: object) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body bytes of a proxy response. API Gateway merges ``headers`` and
    ``multiValueHeaders`` (the multi-value list wins for a name in both); a response that is not
    a proxy response is an integration failure (502)."""
    try:
        if not isinstance(response, dict):
            raise TypeError(f"the handler returned {type(response).__name__}, not a proxy response")
        status = int(response["statusCode"])
        multi = {k.lower(): (k, [str(v) for v in vs])
                 for k, vs in (response.get("multiValueHeaders") or {}).items()}
        single = {k.lower(): (k, [str(v)]) for k, v in (response.get("headers") or {}).items()}
        merged = {**single, **multi}
        headers = [(name, value) for name, values in merged.values() for value in values
                   if name.lower() not in _OWN_HEADERS]
        body = response.get("body") or ""
        data = base64.b64decode(body) if response.get("isBase64Encoded") else str(body).encode("utf-8")
        if not 100 <= status <= 599:
            raise ValueError(f"status {status}")
        return status, headers, data
    except (KeyError, TypeError, ValueError) as exc:
        log.error("malformed proxy response: %s", exc)
        return integration_failure()


def integration_failure() -> tuple[int, list[tuple[str, str]], bytes]:
    """What API Gateway answers when the integration fails (the λ raised or returned garbage)."""
    body = json.dumps({"message": "Internal server error"}).encode()
    return 502, [("Content-Type", "application/json")], body


class ApiServer(ThreadingHTTPServer):
    """Serves every request through ``invoke`` (one thread per connection: a slow client does not
    hold up others; whether invocations run one at a time is ``invoke``'s business)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], *, invoke: Invoke, verify: Verify,
                 on_request: Callable[[str, str, int, float], None] | None = None, web: WebApp | None = None):
        self.invoke = invoke
        self.verify = verify
        self.web = web  # the dashboard's pages and sign-in (None: the API only)
        self.on_request = on_request or (lambda method, path, status, seconds: None)
        super().__init__(address, _RequestHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        if not isinstance(host, str):  # bound to an (host, port) address of str, see __init__
            raise TypeError(f"unexpected server address {self.server_address!r}")
        return f"http://{host}:{port}"


class _RequestHandler(BaseHTTPRequestHandler):
    server: ApiServer
    protocol_version = "HTTP/1.1"  # keep-alive: schemathesis and browsers reuse connections
    server_version = "clausewatch-serve"

    def _handle(self) -> None:
        started = time.monotonic()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.send_error(400, "bad Content-Length")
            return
        body = self.rfile.read(length) if length > 0 else b""
        headers = list(self.headers.items())
        page = self.server.web.answer(self.command, self.path, dict(headers)) if self.server.web else None
        if page is not None:
            self._write(*page)
            self.server.on_request(self.command, urlsplit(self.path).path, page[0], time.monotonic() - started)
            return
        event = request_event(self.command, self.path, headers, body,
                              claims=claims_of(dict(headers), self.server.verify),
                              source_ip=self.client_address[0])
        try:
            status, response_headers, data = response_parts(self.server.invoke(event))
        except Exception:  # deployed, a λ that raises is API Gateway's 502
            traceback.print_exc(file=sys.stderr)
            status, response_headers, data = integration_failure()
        status, response_headers, data = explain_refusal(status, response_headers, data,
                                                         refused_token(dict(headers), self.server.verify))
        self._write(status, response_headers, data)
        self.server.on_request(self.command, event["path"], status, time.monotonic() - started)

    def _write(self, status: int, response_headers: list[tuple[str, str]], data: bytes) -> None:
        self.send_response(status)
        for name, value in response_headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def __getattr__(self, name: str):
        """Every method goes to the handler (``do_TRACE`` too): its router answers what it does not
        serve, as behind the deployed ``ANY`` methods."""
        if name.startswith("do_"):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format: str, *args: object) -> None:  # the stdlib's parameter name
        """Quiet: requests are reported through ``on_request``."""
