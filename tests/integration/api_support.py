"""For the API tests: API Gateway REST proxy events with Cognito claims, sent through the real
handler (functions/api/handler.py); a count of DynamoDB Scans issued while a request is handled;
and one world of contracts (several teams) ingested once per session and restored per module."""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import botocore.session
import pytest

from clausewatch import clock
from clausewatch.local import state
from clausewatch.local.handlers import invoke
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.text.validate import sha256_hex
from tests.paths import SAMPLES, sample_metadata
from tests.pdfs import make_pdf

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=UTC)


# --- counting Scans ------------------------------------------------------------------------------

class ScanCounter:
    """Counts the DynamoDB Scan calls made while ``during_request()`` is active. A botocore
    ``before-call.dynamodb.Scan`` hook is registered on every botocore client created from now
    on: boto3's and pynamodb's (pynamodb makes its calls through a botocore client of its own)."""

    def __init__(self) -> None:
        self.active = False
        self.scans: list[str] = []

    def on_scan(self, params=None, **_) -> None:
        if self.active:
            self.scans.append(json.dumps(params, default=str)[:200])

    @contextmanager
    def during_request(self):
        self.active = True
        try:
            yield
        finally:
            self.active = False


SCANS = ScanCounter()
_create_client = botocore.session.Session.create_client


def _create_client_with_scan_hook(self, *args, **kwargs):
    client = _create_client(self, *args, **kwargs)
    if client.meta.service_model.service_name == "dynamodb":
        client.meta.events.register("before-call.dynamodb.Scan", SCANS.on_scan)
    return client


botocore.session.Session.create_client = _create_client_with_scan_hook


@pytest.fixture(autouse=True)
def no_scan_in_api_requests():
    """Fails the test when any API request it made issued a Scan."""
    SCANS.scans.clear()
    yield
    assert SCANS.scans == [], f"API requests issued Scans: {SCANS.scans}"


# --- requests ------------------------------------------------------------------------------------

def claims(team: str, role: str = "viewer", user: str | None = None) -> dict[str, str]:
    """The claims API Gateway's Cognito authorizer passes on."""
    user = user or f"{role}@{team}.example.com"
    return {"sub": str(uuid.uuid5(uuid.NAMESPACE_URL, user)), "email": user, "custom:team": team,
            "custom:role": role, "token_use": "id"}


def rest_event(method: str, path: str, *, query: dict | None = None, body=None,
               claims: dict | None = None, raw_body: str | None = None, headers: dict | None = None) -> dict:
    """An API Gateway REST API (v1) proxy event, as the ``/{proxy+}`` resource delivers it."""
    query = {k: str(v) for k, v in (query or {}).items() if v is not None}
    context = {"resourcePath": "/{proxy+}", "httpMethod": method, "path": f"/prod{path}", "stage": "prod",
               "requestId": str(uuid.uuid4()), "accountId": "123456789012", "apiId": "abcdef1234",
               "protocol": "HTTP/1.1", "requestTimeEpoch": 1764079200000,
               "identity": {"sourceIp": "127.0.0.1", "userAgent": "pytest"}}
    if claims is not None:
        context["authorizer"] = {"claims": claims}
    text = raw_body if raw_body is not None else (None if body is None else json.dumps(body))
    extra_headers, headers = headers, {"Host": "api.example.com", "Accept": "application/json"}
    if text is not None:
        headers["Content-Type"] = "application/json"
    headers = {**headers, **(extra_headers or {})}
    return {"resource": "/{proxy+}", "path": path, "httpMethod": method, "headers": headers,
            "multiValueHeaders": {k: [v] for k, v in headers.items()},
            "queryStringParameters": query or None,
            "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} or None,
            "pathParameters": {"proxy": path.lstrip("/")}, "stageVariables": None,
            "requestContext": context, "body": text, "isBase64Encoded": False}


@dataclass
class Reply:
    status: int
    headers: dict
    text: str

    def json(self):
        return json.loads(self.text)

    @property
    def message(self) -> str:
        return self.json()["message"]


def call(method: str, path: str, *, query: dict | None = None, body=None, claims: dict | None = None,
         raw_body: str | None = None, headers: dict | None = None) -> Reply:
    """One request through functions/api/handler.py, as API Gateway sends it."""
    with SCANS.during_request():
        response = invoke("api", rest_event(method, path, query=query, body=body, claims=claims,
                                            raw_body=raw_body, headers=headers))
    headers = {name: values[-1] for name, values in (response.get("multiValueHeaders") or {}).items()}
    return Reply(response["statusCode"], {**headers, **(response.get("headers") or {})},
                 response.get("body") or "")


def url(path: str, **query) -> str:
    return f"{path}?{urlencode(query)}" if query else path


# --- the world -----------------------------------------------------------------------------------

PROCUREMENT, SUPPLY_CHAIN, IT = "procurement", "supply-chain", "it-vendor-management"
SAAS, SUPPLY, AMENDMENT, SERVICES = ("saas-subscription-northwind.pdf", "supply-agreement-autorenew.pdf",
                                     "amendment-1-supply.pdf", "services-agreement-fixed-dates.pdf")


def contract_text(provider: str, *, effective: str, expires: str, notice_days: str | None = None,
                  renews: bool = False) -> str:
    """A short agreement the extractor reads (dates written out, e.g. "March 1, 2025")."""
    renewal = (" This Agreement shall automatically renew for successive one (1) year periods unless either "
               f"party gives written notice of non-renewal at least {notice_days} days prior to the end of "
               "the then-current term.") if renews else ""
    return (f"MASTER SERVICES AGREEMENT\nThis Master Services Agreement is made and entered into as of "
            f"{effective} (the \"Effective Date\") by and between {provider} (\"Provider\") and Meridian Foods "
            f"Inc. (\"Customer\").\n1. Term. This Agreement shall commence on the Effective Date and shall "
            f"expire on {expires}, unless terminated earlier.{renewal}\n"
            "2. Governing Law. This Agreement shall be governed by the laws of the State of New York.\n")


# procurement's generated contracts: (file, provider, effective, expires, notice, renews, owner)
GENERATED = (
    ("beacon-msa.pdf", "Beacon Analytics LLC", "March 1, 2025", "January 31, 2027", "thirty (30)", True,
     "priya.raman@example.com"),
    ("cobalt-msa.pdf", "Cobalt Logistics Inc.", "January 5, 2025", "December 15, 2026", None, False,
     "sam.ortiz@example.com"),
    ("delta-msa.pdf", "Delta Print Services LLC", "October 1, 2024", "September 30, 2027", None, False,
     "sam.ortiz@example.com"),
)


@dataclass(frozen=True)
class World:
    """The contracts ingested once: ids by file name, and the saved state folder."""

    ids: dict[str, str]
    state_dir: Path


def _ingest_world(cloud, tmp: Path) -> dict[str, str]:
    """Each upload a minute after the one before (contracts list by time of change), the last at
    NOW."""
    metadata = sample_metadata()
    uploads = [(SAMPLES / name, metadata[name]) for name in (SAAS, SUPPLY, AMENDMENT, SERVICES)]
    for name, provider, effective, expires, notice, renews, owner in GENERATED:
        path = tmp / name
        path.write_bytes(make_pdf(contract_text(provider, effective=effective, expires=expires,
                                                notice_days=notice, renews=renews)))
        uploads.append((path, {"owner": owner, "team": PROCUREMENT, "time-zone": "America/New_York",
                               "jurisdiction": "US-NY"}))
    ids = {}
    for n, (path, meta) in enumerate(uploads):
        clock.set_now(NOW - timedelta(minutes=len(uploads) - 1 - n))
        cloud.upload(path, meta)
        cloud.pump()
        ids[path.name] = contract_id_for(sha256_hex(path.read_bytes()))
    return ids


_built: list[World] = []  # pytest defines an imported fixture once per importing module: build once


@pytest.fixture(scope="session")
def _world(_local_cloud_session, tmp_path_factory) -> World:
    if _built:
        return _built[0]
    cloud = _local_cloud_session
    clock.set_now(NOW)
    cloud.reset()
    try:
        ids = _ingest_world(cloud, tmp_path_factory.mktemp("world-pdfs"))
        state_dir = tmp_path_factory.mktemp("world-state")
        state.save(state_dir)
    finally:
        clock.set_now(None)
    _built.append(World(ids, state_dir))
    return _built[0]


def restore(cloud, world: World) -> None:
    """Empty the cloud and load the world as it was saved (clock at NOW)."""
    cloud.reset()
    clock.set_now(NOW)
    state.load(world.state_dir)
    cloud.skip_stream()  # the restored items are not changes: the schedules came with them


@pytest.fixture(scope="module")
def world(_local_cloud_session, _world):
    """The world, restored once for a module whose tests only read it."""
    restore(_local_cloud_session, _world)
    yield _world
    clock.set_now(None)


# --- the OpenAPI document as a checker of replies -----------------------------------------------

def _document() -> dict:
    from clausewatch.api.app import OPENAPI_INFO, app

    if not _documents:
        _documents.append(json.loads(app.get_openapi_json_schema(**OPENAPI_INFO)))
    return _documents[0]


_documents: list[dict] = []


def off_the_document(method: str, template: str, reply: Reply) -> str | None:
    """Why a reply is not one the OpenAPI document describes for the operation ``method template``
    (its status is not among the operation's responses, or its JSON body does not validate against
    that response's schema); None when it is."""
    from openapi_schema_validator import OAS31Validator

    document = _document()
    responses = document["paths"][template][method.lower()]["responses"]
    described = responses.get(str(reply.status))
    if described is None:
        return f"{method} {template}: status {reply.status} is not documented (only {sorted(responses)}): {reply.text[:300]}"
    schema = (described.get("content") or {}).get("application/json", {}).get("schema")
    if schema is None or "json" not in str(reply.headers.get("Content-Type", "")):
        return None
    errors = sorted(OAS31Validator({**schema, "components": document["components"]}).iter_errors(reply.json()),
                    key=lambda error: list(error.absolute_path))
    if errors:
        return (f"{method} {template} -> {reply.status}: "
                + "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5]))
    return None
