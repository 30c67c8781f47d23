"""A date in a query is an ISO calendar date, YYYY-MM-DD: a Unix timestamp, a datetime or another
spelling is a 400 naming the parameter, not a day pydantic's lax parsing makes of it ("0" is not
1970-01-01)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from clausewatch.api.params import IsoDate
from tests.integration.api_support import (  # noqa: F401
    PROCUREMENT,
    SAAS,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    world,
)

VIEWER = claims(PROCUREMENT)
DATE_PARAMETERS = [("/contracts", "expires_before"), ("/contracts", "notice_before"),
                   ("/obligations", "due_after"), ("/obligations", "due_before")]
NOT_ISO = ["0", "1733356800", "1733356800.5", "2024-12-04T00:00:00", "2024-12-04 00:00", "20241204",
           "2024-12-4", " 2024-12-04", "2024-12-04Z", "\u0662\u0660\u0662\u0664-\u0661\u0662-\u0660\u0664"]


@pytest.mark.parametrize("path, name", DATE_PARAMETERS)
@pytest.mark.parametrize("value", NOT_ISO)
def test_a_date_query_that_is_not_yyyy_mm_dd_is_400(world, path, name, value):
    reply = call("GET", path, claims=VIEWER, query={name: value})
    assert reply.status == 400, reply.text
    assert reply.message == f"{name}: Input should be a valid date in the format YYYY-MM-DD"


@pytest.mark.parametrize("path, name", DATE_PARAMETERS)
def test_an_iso_date_is_read_and_an_impossible_one_refused(world, path, name):
    assert call("GET", path, claims=VIEWER, query={name: "2027-01-31"}).status == 200
    impossible = call("GET", path, claims=VIEWER, query={name: "2027-02-30"})
    assert impossible.status == 400 and impossible.message.startswith(f"{name}: ")


def test_the_type_takes_only_iso_dates():
    days = TypeAdapter(IsoDate)
    assert days.validate_python("2024-12-04").isoformat() == "2024-12-04"
    for value in NOT_ISO:
        with pytest.raises(ValidationError):
            days.validate_python(value)
    assert days.json_schema() == {"type": "string", "format": "date"}


@pytest.mark.parametrize("value", [*NOT_ISO, 0, 1764979200, 1764979200.0])
def test_a_date_in_a_body_that_is_not_yyyy_mm_dd_is_400(world, value):
    """done_on, the day an obligation was done: "2025-12-06T00:00:00" or the Unix time of a
    midnight (1764979200) was taken as a day, which the README says is refused."""
    path = f"/contracts/{world.ids[SAAS]}/obligations/expiration/complete"
    reply = call("POST", path, claims=claims(PROCUREMENT, "editor"), body={"done_on": value})
    assert reply.status == 400, reply.text
    assert reply.message == "done_on: Input should be a valid date in the format YYYY-MM-DD"
