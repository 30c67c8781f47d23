"""Every reply the API gives is one its OpenAPI document describes, as an integrator generating a
client from the document relies on: its status code is among the operation's responses, and its
JSON body validates against that response's schema (openapi-schema-validator, OpenAPI 3.1). Each
route is called as the role it needs with a valid body (the success replies), then with a bad
parameter, a bad body and a body that is not JSON (the error replies)."""

from __future__ import annotations

import pytest

from tests.integration.api_support import (  # noqa: F401
    PROCUREMENT,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    off_the_document,
    world,
)
from tests.integration.test_api_auth import ROUTES, ids, procurement  # noqa: F401

# deleting the contract goes last: the other routes act on it
ORDERED = [route for route in ROUTES if route[:2] != ("DELETE", "/contracts/{contract_id}")] + \
          [route for route in ROUTES if route[:2] == ("DELETE", "/contracts/{contract_id}")]


def request(route, path_ids: dict, role: str | None = None, **kwargs):
    method, template, needs, body = route
    kwargs.setdefault("body", body)
    return call(method, template.format(**path_ids), claims=claims(PROCUREMENT, role or needs), **kwargs)


def test_every_operation_documents_its_success_reply():
    from tests.integration.api_support import _document

    for path, operations in _document()["paths"].items():
        for method, operation in operations.items():
            successes = {code: response for code, response in operation["responses"].items()
                         if code.startswith("2")}
            assert successes, f"{method.upper()} {path}: no success response documented"
            assert all(response.get("content") for response in successes.values()), (method, path)


@pytest.mark.parametrize("route", ORDERED, ids=ids)
def test_each_routes_reply_to_its_role_is_documented(procurement, route):
    reply = request(route, procurement)
    assert reply.status < 500, reply.text
    assert off_the_document(route[0], route[1], reply) is None


@pytest.mark.parametrize("route", [r for r in ROUTES if r[3] is not None], ids=ids)
def test_bad_bodies_get_documented_replies(procurement, route):
    for raw_body, content_type in (("{", "application/json"), ('{"unknown_field": 1}', "application/json"),
                                   ("[]", "application/json"), ("x=1", "application/x-www-form-urlencoded")):
        reply = request(route, procurement, body=None, raw_body=raw_body, headers={"Content-Type": content_type})
        assert 400 <= reply.status < 500, reply.text
        assert off_the_document(route[0], route[1], reply) is None


@pytest.mark.parametrize("method, template, allowed", [
    ("PATCH", "/contracts/{contract_id}", "DELETE, GET"),
    ("POST", "/contracts/{contract_id}/owner", "PUT"),
    ("GET", "/contracts/{contract_id}/obligations/{obligation_id}/complete", "POST"),
    ("DELETE", "/obligations", "GET"),
])
def test_a_method_the_path_is_not_served_with_is_405_naming_the_ones_it_is(procurement, method, template, allowed):
    """Before: 404 "no such resource" for a contract that exists (a PATCH where a PUT is meant)."""
    reply = call(method, template.format(**procurement), claims=claims(PROCUREMENT, "admin"), body={})
    assert (reply.status, reply.headers.get("Allow")) == (405, allowed), reply.text
    assert reply.message == f"{method} is not allowed here: use {allowed.replace(', ', ' or ')}"


def test_a_path_that_is_not_served_is_still_404(procurement):
    reply = call("GET", "/contract", claims=claims(PROCUREMENT, "admin"))
    assert (reply.status, reply.message) == (404, "no such resource")
