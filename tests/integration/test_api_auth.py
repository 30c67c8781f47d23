"""Auth and team isolation on every route (no token: 401; a role too low: 403; another team's
contract, obligation or feed: 404 exactly as one that does not exist), the OpenAPI document
(valid, and exactly the routes the resolver serves), and the Scan counter itself."""

from __future__ import annotations

import json

import pytest
from openapi_spec_validator import validate

from clausewatch import config
from clausewatch.api.app import OPENAPI_INFO, SWAGGER_PATH, app
from clausewatch.aws.clients import client
from clausewatch.store import repository as repo
from tests.integration.api_support import (  # noqa: F401
    PROCUREMENT,
    SAAS,
    SCANS,
    SUPPLY_CHAIN,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    world,
)

OWNER = {"owner": "x@example.com"}
# every route but the public ones: (method, path, the role it needs, a valid body)
ROUTES = [
    ("GET", "/contracts", "viewer", None),
    ("GET", "/deleted-contracts", "viewer", None),
    ("GET", "/contracts/{contract_id}", "viewer", None),
    ("GET", "/contracts/{contract_id}/terms/{name}/history", "viewer", None),
    ("GET", "/contracts/{contract_id}/audit", "viewer", None),
    ("PUT", "/contracts/{contract_id}/owner", "editor", OWNER),
    ("POST", "/contracts/{contract_id}/is-a-contract", "editor", None),
    ("POST", "/contracts/{contract_id}/amendment-checked", "editor", None),
    ("PUT", "/contracts/{contract_id}/jurisdiction", "editor", {"jurisdiction": "US-NY"}),
    ("PUT", "/contracts/{contract_id}/time-zone", "editor", {"time_zone": "Europe/London"}),
    ("DELETE", "/contracts/{contract_id}", "admin", None),
    ("GET", "/obligations", "viewer", None),
    ("POST", "/contracts/{contract_id}/obligations/{obligation_id}/complete", "editor", {"note": "n"}),
    ("POST", "/contracts/{contract_id}/obligations/{obligation_id}/acknowledge", "editor", {}),
    ("POST", "/contracts/{contract_id}/obligations/{obligation_id}/waive", "editor", {"reason": "r"}),
    ("POST", "/contracts/{contract_id}/obligations/{obligation_id}/reopen", "editor", {"note": "n"}),
    ("PUT", "/contracts/{contract_id}/obligations/{obligation_id}/owner", "editor", OWNER),
    ("GET", "/renewals", "viewer", None),
    ("POST", "/uploads", "editor", {"file_name": "msa.pdf"}),
    ("POST", "/contracts/{contract_id}/evidence-uploads", "editor", {"file_name": "letter.pdf"}),
    ("POST", "/feeds", "admin", {}),
    ("GET", "/feeds", "admin", None),
    ("DELETE", "/feeds/{feed_id}", "admin", None),
    # the web dashboard's: the viewer's evidence boxes and PDF, a person's entry of a term
    ("GET", "/contracts/{contract_id}/evidence", "viewer", None),
    ("GET", "/contracts/{contract_id}/original.pdf", "viewer", None),
    ("PUT", "/contracts/{contract_id}/terms/{name}", "editor", {"value": "P90D"}),
    # the money: metrics and invoices sent, invoices and findings read, the portfolio report
    ("POST", "/contracts/{contract_id}/metrics", "editor",
     {"file_name": "m.csv", "content": "period,metric,value\n2026-10,availability,99.95\n"}),
    ("POST", "/contracts/{contract_id}/invoices", "editor", {"file_name": "i.json", "content": "{}"}),
    ("GET", "/contracts/{contract_id}/invoices", "viewer", None),
    ("POST", "/contracts/{contract_id}/findings/{finding_id}/checked", "editor", {"note": "checked: nothing owed"}),
    ("GET", "/contracts/{contract_id}/findings", "viewer", None),
    ("GET", "/findings", "viewer", None),
    ("GET", "/findings/total", "viewer", None),
    ("GET", "/findings/contracts", "viewer", None),
    ("GET", "/reports/portfolio", "viewer", None),
    # alerts where teams work: webhooks (admins), a person's own preferences (anyone)
    ("POST", "/webhooks", "admin", {"kind": "slack", "url": "https://hooks.slack.com/services/T0/B0/X"}),
    ("GET", "/webhooks", "admin", None),
    ("POST", "/webhooks/{webhook_id}/enable", "admin", None),
    ("DELETE", "/webhooks/{webhook_id}", "admin", None),
    ("GET", "/me/preferences", "viewer", None),
    ("PUT", "/me/preferences", "viewer", {"digest": "off", "reminders": "each"}),
    ("GET", "/contracts/{contract_id}/renewal", "viewer", None),
    ("POST", "/contracts/{contract_id}/renewal-decision", "editor", {"decision": "renew", "reason": "r"}),
    ("POST", "/contracts/{contract_id}/retry", "editor", None),
    # issue #15: a conditional term's event dated (the owner or an admin), corrections exported (admins)
    ("POST", "/contracts/{contract_id}/events", "editor", {"event": "Launch Date", "date": "2027-03-01"}),
    ("GET", "/corrections", "admin", None),
    # a person says which contract a waiting amendment amends
    ("PUT", "/contracts/{contract_id}/amends", "editor", {"contract_id": "0123456789abcdef"}),
    # ... and unlinks one applied to the wrong contract
    ("DELETE", "/contracts/{contract_id}/amends", "editor", None),
]
# lists that may be empty for the world's procurement team (their isolation is tested with items in
# test_api_money.py and test_money_webhooks.py)
MAY_BE_EMPTY = ("/renewals", "/findings", "/findings/total", "/webhooks", "/me/preferences", "/corrections", "/deleted-contracts")
PUBLIC = [("GET", "/health"), ("GET", "/openapi.json"), ("GET", "/calendar.ics"),
          ("GET", "/renewal-decision"), ("POST", "/renewal-decision")]  # the decision link's token decides
LOWER = {"viewer": [], "editor": ["viewer"], "admin": ["viewer", "editor"]}
MISSING_ID = "0123456789abcdef"


def ids(route) -> str:
    return f"{route[0]} {route[1]}"


@pytest.fixture(scope="module")
def procurement(world):
    """The ids in procurement's paths: a contract, an obligation, a term, a feed."""
    feed = call("POST", "/feeds", claims=claims(PROCUREMENT, "admin"), body={}).json()
    hook = call("POST", "/webhooks", claims=claims(PROCUREMENT, "admin"),
                body={"kind": "teams", "url": "https://contoso.webhook.office.com/webhookb2/x"}).json()
    return {"contract_id": world.ids[SAAS], "obligation_id": "notice_deadline", "name": "notice_period",
            "feed_id": feed["id"], "token": feed["token"], "webhook_id": hook["id"],
            "finding_id": "breach-2026-10-availability"}


def request(route, path_ids: dict, who: dict | None):
    method, template, _, body = route
    return call(method, template.format(**path_ids), claims=who, body=body)


@pytest.mark.parametrize("route", ROUTES, ids=ids)
def test_no_token_or_a_bad_one_is_401(procurement, route):
    for who in (None, {}, {"email": "a@example.com", "custom:role": "admin"},  # no team
                {"custom:team": PROCUREMENT, "custom:role": "admin"}):  # no user
        reply = request(route, procurement, who)
        assert reply.status == 401, (who, reply.text)
        assert reply.message


@pytest.mark.parametrize("route", [r for r in ROUTES if r[2] != "viewer"], ids=ids)
def test_a_role_below_the_routes_is_403(procurement, route):
    for role in LOWER[route[2]] + ["auditor"]:
        reply = request(route, procurement, claims(PROCUREMENT, role))
        assert reply.status == 403, (role, reply.text)
        assert route[2] in reply.message or "no role" in reply.message


@pytest.mark.parametrize("route", [r for r in ROUTES if "{" in r[1]], ids=ids)
def test_another_teams_item_is_404_exactly_like_a_missing_one(procurement, route):
    stranger = claims(SUPPLY_CHAIN, "admin")
    theirs = request(route, procurement, stranger)
    missing_ids = {**procurement, "contract_id": MISSING_ID, "feed_id": MISSING_ID, "webhook_id": MISSING_ID}
    missing = request(route, missing_ids, stranger)
    assert theirs.status == missing.status == 404
    normalised = theirs.message.replace(procurement["contract_id"], MISSING_ID) \
        .replace(procurement["feed_id"], MISSING_ID).replace(procurement["webhook_id"], MISSING_ID)
    assert normalised == missing.message


@pytest.mark.parametrize("route", [r for r in ROUTES if r[0] == "GET" and "{" not in r[1]], ids=ids)
def test_lists_hold_only_the_callers_team(procurement, world, route):
    theirs = json.dumps(request(route, {}, claims(SUPPLY_CHAIN, "admin")).json())
    ours = json.dumps(request(route, {}, claims(PROCUREMENT, "admin")).json())
    assert procurement["contract_id"] not in theirs and procurement["feed_id"] not in theirs
    assert procurement["contract_id"] not in theirs and procurement["webhook_id"] not in theirs
    assert procurement["contract_id"] in ours or procurement["feed_id"] in ours or route[1] in MAY_BE_EMPTY


def test_the_lowest_role_that_may_use_a_route_can(procurement, world):
    """The matrix above is about refusals: each route does serve its role (the read-only ones here;
    the actions in test_api_actions)."""
    for route in ROUTES:
        if route[0] == "GET":
            assert request(route, procurement, claims(PROCUREMENT, route[2])).status == 200, route


def test_public_routes_need_no_token(procurement):
    assert call("GET", "/health").status == 200
    assert call("GET", "/openapi.json").status == 200
    assert call("GET", SWAGGER_PATH).status == 200
    assert call("GET", "/calendar.ics", query={"feed": procurement["token"]}).status == 200


def test_a_request_without_a_token_learns_nothing_about_its_parameters(procurement):
    reply = call("GET", "/contracts", query={"expires_before": "not a date"})
    assert reply.status == 401
    reply = call("POST", "/uploads", claims=claims(PROCUREMENT, "viewer"), body={"bad": True})
    assert reply.status == 403


# --- the OpenAPI document ------------------------------------------------------------------------

def served_routes() -> set[tuple[str, str]]:
    return {(route.method, route.openapi_path) for route in app._static_routes + app._dynamic_routes
            if route.path != SWAGGER_PATH}  # the UI that shows the document is not in it


def test_the_openapi_document_is_valid_and_lists_exactly_the_served_routes():
    document = json.loads(app.get_openapi_json_schema(**OPENAPI_INFO))
    validate(document)
    documented = {(method.upper(), path) for path, operations in document["paths"].items()
                  for method in operations}
    assert documented == served_routes()
    assert served_routes() == {(m, p) for m, p, *_ in ROUTES} | set(PUBLIC)


def test_the_document_says_which_routes_need_a_token_and_what_errors_look_like():
    document = json.loads(app.get_openapi_json_schema(**OPENAPI_INFO))
    for method, path, *_ in ROUTES:
        operation = document["paths"][path][method.lower()]
        assert operation["security"] == [{"bearerAuth": []}]
        assert {"400", "401", "403"} <= set(operation["responses"]), (method, path)
        assert "422" not in operation["responses"]
    for method, path in PUBLIC:
        assert "security" not in document["paths"][path][method.lower()]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_served_document_is_the_resolvers(world):
    assert call("GET", "/openapi.json").json() == json.loads(app.get_openapi_json_schema(**OPENAPI_INFO))


# --- no Scan on an API path ----------------------------------------------------------------------

def test_the_scan_counter_sees_pynamodb_and_boto3_scans(world):
    """The guard every API test runs under (no_scan_in_api_requests) does see a Scan."""
    with SCANS.during_request():
        repo.list_contracts()  # pynamodb
        client("dynamodb").scan(TableName=config.TABLE_NAME, Limit=1)  # boto3
    assert len(SCANS.scans) == 2
    SCANS.scans.clear()
