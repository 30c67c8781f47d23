"""A body that is not JSON, a form among them (curl's default Content-Type), is a 415 on every route
that takes a body, after the caller is authorized (401/403 first); the renewal link page's form
still posts to its route, which takes no body and reads the form itself (test_api_renewal.py)."""

from __future__ import annotations

import pytest

from clausewatch.api.app import UNSUPPORTED_BODY
from tests.integration.api_support import (  # noqa: F401
    PROCUREMENT,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    world,
)
from tests.integration.test_api_auth import LOWER, ROUTES, ids, procurement  # noqa: F401

WITH_BODY = [route for route in ROUTES if route[3] is not None]
NOT_JSON = {
    "form": ("owner=a%40example.com&contract_id=0123456789abcdef", "application/x-www-form-urlencoded"),
    "form, charset": ("owner=a%40example.com", "application/x-www-form-urlencoded; charset=UTF-8"),
    "multipart": ('--b\r\nContent-Disposition: form-data; name="owner"\r\n\r\na@example.com\r\n--b--\r\n',
                  "multipart/form-data; boundary=b"),
    "multipart, no boundary": ("owner=a", "multipart/form-data"),
    "text": ('{"owner": "a@example.com"}', "text/plain"),
}


def send(route, path_ids: dict, who: dict | None, body: str, content_type: str):
    method, template, *_ = route
    return call(method, template.format(**path_ids), claims=who, raw_body=body,
                headers={"Content-Type": content_type})


@pytest.mark.parametrize("route", WITH_BODY, ids=ids)
@pytest.mark.parametrize("kind", NOT_JSON)
def test_a_body_that_is_not_json_is_415(procurement, route, kind):
    reply = send(route, procurement, claims(PROCUREMENT, route[2]), *NOT_JSON[kind])
    assert (reply.status, reply.message) == (415, UNSUPPORTED_BODY), reply.text


@pytest.mark.parametrize("route", WITH_BODY, ids=ids)
def test_a_form_is_refused_only_to_a_caller_who_may_use_the_route(procurement, route):
    form = NOT_JSON["form"]
    assert send(route, procurement, None, *form).status == 401
    for role in LOWER[route[2]]:
        assert send(route, procurement, claims(PROCUREMENT, role), *form).status == 403, role
