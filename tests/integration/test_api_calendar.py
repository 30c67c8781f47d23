"""Calendar feeds: an admin creates one (the token shown once, only its hash stored); a calendar
app fetches it with no header; it holds exactly the feed's open deadlines; revoked, it is gone."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar

from clausewatch import clock
from clausewatch.aws.clients import client
from clausewatch.notify import event_uid
from clausewatch.store import repository as repo
from tests.integration.api_support import (  # noqa: F401
    GENERATED,
    NOW,
    PROCUREMENT,
    SAAS,
    SUPPLY_CHAIN,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    world,
)

ADMIN = claims(PROCUREMENT, "admin", "ada.admin@example.com")
VIEWER = claims(PROCUREMENT)
SAM = "sam.ortiz@example.com"
COBALT = GENERATED[1][0]


def open_deadlines(who: dict, **query) -> dict[str, date]:
    """The open dated obligations the API lists, as calendar UIDs -> due dates."""
    items, cursor = [], None
    while True:
        page = call("GET", "/obligations", claims=who, query={**query, "limit": 100, "cursor": cursor}).json()
        items += page["items"]
        if not (cursor := page["next_cursor"]):
            break
    return {event_uid(o["contract_id"], o["id"]): date.fromisoformat(o["due"]) for o in items}


def fetch(token: str):
    reply = call("GET", "/calendar.ics", query={"feed": token})  # a calendar app: no claims
    assert reply.status == 200, reply.text
    assert reply.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(reply.text)
    return calendar, {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}


@pytest.fixture(scope="module")
def team_feed(world):
    reply = call("POST", "/feeds", claims=ADMIN, body={"label": "Procurement deadlines"})
    assert reply.status == 201, reply.text
    return reply.json()


def test_a_team_feed_holds_exactly_the_teams_open_deadlines(team_feed):
    assert team_feed["path"] == f"/calendar.ics?feed={team_feed['token']}"
    calendar, events = fetch(team_feed["token"])
    assert events == open_deadlines(VIEWER) and len(events) > 5
    assert str(calendar["X-WR-CALNAME"]) == "clausewatch: Procurement deadlines"
    event = next(e for e in calendar.walk("VEVENT") if "Notice deadline" in str(e["SUMMARY"]))
    assert "Northwind" in str(event["SUMMARY"]) and "P60D" in str(event["DESCRIPTION"])


def test_an_owners_feed_holds_only_their_open_deadlines(world):
    feed = call("POST", "/feeds", claims=ADMIN, body={"owner": SAM}).json()
    assert feed["owner"] == SAM
    _, events = fetch(feed["token"])
    assert events == open_deadlines(VIEWER, owner=SAM) and events
    assert events.keys() < open_deadlines(VIEWER).keys()


def test_only_the_tokens_hash_is_stored(team_feed):
    digest = hashlib.sha256(team_feed["token"].encode()).hexdigest()
    stored = repo.feed_of_token(digest)
    assert stored.feed_id == team_feed["id"] == digest[:16] and stored.team == PROCUREMENT
    dumped = str(client("dynamodb").get_item(TableName=stored.Meta.table_name,
                                            Key={"pk": {"S": stored.pk}, "sk": {"S": stored.sk}}))
    assert team_feed["token"] not in dumped


def test_feeds_are_listed_for_the_teams_admins_without_tokens(team_feed):
    listed = call("GET", "/feeds", claims=ADMIN).json()["items"]
    assert team_feed["id"] in {f["id"] for f in listed} and all("token" not in f for f in listed)
    assert call("GET", "/feeds", claims=claims(SUPPLY_CHAIN, "admin")).json()["items"] == []
    assert call("POST", "/feeds", claims=claims(PROCUREMENT, "editor"), body={}).status == 403


def test_unknown_tokens_and_missing_ones(world):
    assert call("GET", "/calendar.ics", query={"feed": "x" * 43}).status == 404
    assert call("GET", "/calendar.ics").status == 400
    assert call("GET", "/calendar.ics", query={"feed": "short"}).status == 400


def test_a_done_deadline_leaves_the_feed(world, team_feed):
    saas = world.ids[SAAS]
    assert event_uid(saas, "notice_deadline") in fetch(team_feed["token"])[1]
    editor = claims(PROCUREMENT, "editor")
    assert call("POST", f"/contracts/{saas}/obligations/notice_deadline/complete", claims=editor,
                body={}).status == 200
    _, events = fetch(team_feed["token"])
    assert event_uid(saas, "notice_deadline") not in events and events == open_deadlines(VIEWER)


def test_an_expiration_gone_by_leaves_the_feed_in_its_contracts_time_zone(world, team_feed):
    """Cobalt's term ends on 15 Dec 2026 (New York): on its day the entry is there; once the day has
    passed there (05:00 UTC on the 16th) the contract expired, no one's duty, and the feed no longer
    holds it, while the API lists it as "expired" (QA: it stayed in the feed for ever)."""
    cobalt = event_uid(world.ids[COBALT], "expiration")
    try:
        clock.set_now(datetime(2026, 12, 16, 4, 0, tzinfo=UTC))
        assert cobalt in fetch(team_feed["token"])[1]
        clock.set_now(datetime(2026, 12, 16, 6, 0, tzinfo=UTC))
        _, events = fetch(team_feed["token"])
        listed = call("GET", "/obligations", claims=VIEWER, query={"limit": 100}).json()["items"]
        expired = {event_uid(o["contract_id"], o["id"]) for o in listed if o["status"] == "expired"}
        assert cobalt in expired and cobalt not in events
        assert events == {uid: due for uid, due in open_deadlines(VIEWER).items() if uid not in expired}
    finally:
        clock.set_now(NOW)


def test_a_revoked_feed_is_gone(world):
    feed = call("POST", "/feeds", claims=ADMIN, body={}).json()
    fetch(feed["token"])
    assert call("DELETE", f"/feeds/{feed['id']}", claims=claims(SUPPLY_CHAIN, "admin")).status == 404
    revoked = call("DELETE", f"/feeds/{feed['id']}", claims=ADMIN)
    assert revoked.status == 200 and revoked.json()["revoked"] is True
    assert revoked.json()["revoked_by"] == "ada.admin@example.com"
    assert call("GET", "/calendar.ics", query={"feed": feed["token"]}).status == 404
    assert call("DELETE", f"/feeds/{feed['id']}", claims=ADMIN).status == 200  # idempotent
