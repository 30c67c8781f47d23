"""The API's reads through the real handler (API Gateway REST proxy events) on the embedded
default: contracts (filters, sorting, pagination), one contract with its current terms, documents
and obligations, a term's history, the audit trail, obligations, renewals; bad input is a 400."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime

import pytest

from clausewatch import clock
from clausewatch.local.handlers import invoke
from clausewatch.store import repository
from tests.integration.api_support import (  # noqa: F401
    AMENDMENT,
    GENERATED,
    IT,
    NOW,
    PROCUREMENT,
    SAAS,
    SERVICES,
    SUPPLY,
    SUPPLY_CHAIN,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    rest_event,
    world,
)

BEACON, COBALT, DELTA = (g[0] for g in GENERATED)
VIEWER = claims(PROCUREMENT)
PRIYA = claims(PROCUREMENT, "viewer", "priya.raman@example.com")


def ids_of(reply) -> list[str]:
    assert reply.status == 200, reply.text
    return [item["id"] if "id" in item else item["contract_id"] for item in reply.json()["items"]]


def all_pages(path: str, who: dict, **query) -> tuple[list[dict], int]:
    """Every item, following next_cursor; and how many pages it took."""
    items, cursor, pages = [], None, 0
    while True:
        reply = call("GET", path, claims=who, query={**query, "cursor": cursor})
        assert reply.status == 200, reply.text
        items += reply.json()["items"]
        pages += 1
        cursor = reply.json()["next_cursor"]
        if cursor is None:
            return items, pages


# --- contracts -----------------------------------------------------------------------------------

def test_contracts_are_the_callers_teams_most_recently_changed_first(world):
    procurement = ids_of(call("GET", "/contracts", claims=VIEWER))
    assert procurement == [world.ids[n] for n in (DELTA, COBALT, BEACON, SAAS)]
    supply_chain = ids_of(call("GET", "/contracts", claims=claims(SUPPLY_CHAIN)))
    # the amendment changed the supply agreement after it was filed: it changed last
    assert supply_chain == [world.ids[SUPPLY], world.ids[AMENDMENT]]


def test_contracts_pages_follow_the_cursor_in_the_same_order(world):
    everything = ids_of(call("GET", "/contracts", claims=VIEWER))
    items, pages = all_pages("/contracts", VIEWER, limit=1)
    assert [i["id"] for i in items] == everything and pages == len(everything)
    first = call("GET", "/contracts", claims=VIEWER, query={"limit": 3}).json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    rest = call("GET", "/contracts", claims=VIEWER, query={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in first["items"] + rest["items"]] == everything and rest["next_cursor"] is None


@pytest.mark.parametrize("query, expected", [
    ({"status": "EXTRACTED"}, [DELTA, COBALT, BEACON, SAAS]),
    ({"status": "QUARANTINED"}, []),
    ({"counterparty": "beacon"}, [BEACON]),
    ({"counterparty": "NORTHWIND"}, [SAAS]),
    ({"owner": "sam.ortiz@example.com"}, [DELTA, COBALT]),
    ({"expires_before": "2027-01-31"}, [COBALT, BEACON]),  # on or before
    ({"notice_before": "2026-12-31"}, [SAAS]),
    ({"notice_before": "2027-01-01", "owner": "priya.raman@example.com"}, [BEACON, SAAS]),
])
def test_contract_filters(world, query, expected):
    assert ids_of(call("GET", "/contracts", claims=VIEWER, query=query)) == [world.ids[n] for n in expected]


def test_owner_me_is_the_caller(world):
    assert ids_of(call("GET", "/contracts", claims=PRIYA, query={"owner": "me"})) == \
        [world.ids[BEACON], world.ids[SAAS]]


def test_filtered_pages_cover_the_filtered_list(world):
    items, _ = all_pages("/contracts", VIEWER, limit=1, owner="sam.ortiz@example.com")
    assert [i["id"] for i in items] == [world.ids[DELTA], world.ids[COBALT]]


def test_an_auto_renewed_contract_shows_its_current_terms_dates(world):
    [supply] = [c for c in call("GET", "/contracts", claims=claims(SUPPLY_CHAIN)).json()["items"]
                if c["id"] == world.ids[SUPPLY]]
    # the initial term ended on 2026-06-02 and renewed; the amendment made the notice 120 days
    assert supply["expiration"] == "2027-06-02" and supply["notice_deadline"] == "2027-02-02"
    assert supply["auto_renew"] is True


def test_the_contracts_list_shows_auto_renewal_without_parsing_each_extraction(world):
    """A page of 50 parsed 50 extractions (0.1 ms each) for one boolean: it reads the renewal
    terms stored with the contract (``ContractItem.renewal_terms``), which say the same."""
    from unittest import mock

    from clausewatch.extract.model import ContractExtraction
    from clausewatch.store import repository as repo

    with mock.patch.object(ContractExtraction, "from_dict", side_effect=AssertionError("parsed")):
        reply = call("GET", "/contracts", claims=claims(SUPPLY_CHAIN))
    assert reply.status == 200, reply.text
    shown = {c["id"]: c["auto_renew"] for c in reply.json()["items"]}
    expected = {}
    for contract_id in shown:
        value = repo.get_contract(contract_id).extracted.value("auto_renewal")
        expected[contract_id] = value if isinstance(value, bool) else None
    assert shown == expected and True in shown.values(), shown


@pytest.mark.parametrize("query, complaint", [
    ({"expires_before": "31/01/2027"}, "expires_before"),
    ({"notice_before": "2027-02-30"}, "notice_before"),
    ({"status": "SIGNED"}, "status"),
    ({"limit": "0"}, "limit"),
    ({"limit": "101"}, "limit"),
    ({"limit": "ten"}, "limit"),
    ({"sort": "title"}, "unknown query parameter(s): sort"),
    ({"cursor": "not-a-cursor"}, "malformed cursor"),
])
def test_bad_contract_queries_are_400_with_a_message(world, query, complaint):
    reply = call("GET", "/contracts", claims=VIEWER, query=query)
    assert reply.status == 400 and reply.headers["Content-Type"] == "application/json"
    assert complaint in reply.message


def test_a_cursor_only_continues_the_query_that_made_it(world):
    cursor = call("GET", "/contracts", claims=VIEWER, query={"limit": 1}).json()["next_cursor"]
    other_filter = call("GET", "/contracts", claims=VIEWER, query={"limit": 1, "cursor": cursor,
                                                                    "owner": "sam.ortiz@example.com"})
    other_team = call("GET", "/contracts", claims=claims(SUPPLY_CHAIN), query={"cursor": cursor})
    assert (other_filter.status, other_team.status) == (400, 400)
    assert "another query" in other_team.message


# --- one contract --------------------------------------------------------------------------------

def test_a_contract_with_its_evidenced_terms_documents_and_obligations(world):
    contract_id = world.ids[SAAS]
    reply = call("GET", f"/contracts/{contract_id}", claims=VIEWER)
    assert reply.status == 200
    contract = reply.json()
    assert contract["title"] == "SaaS Subscription Agreement" and contract["owner"] == "priya.raman@example.com"
    notice = contract["terms"]["notice_period"]
    assert notice["value"] == "P60D" and notice["version"] == 1
    assert notice["source"] == {"contract_id": contract_id, "file_name": SAAS, "kind": "original"}
    assert "sixty (60)" in notice["evidence"]["text"] and notice["evidence"]["page"] >= 1
    # the clause finder's score of the quoted clause, stored with the term and returned
    assert 0 < notice["confidence"] <= 1
    assert contract["terms"]["initial_term"].get("confidence") is None  # not one of the six it scores
    assert contract["terms"]["expiration_date"]["derivation"] == "effective_date 2024-03-01 + P36M - 1 day"
    assert {"name": "Northwind Analytics, Inc.", "role": "Provider"} in contract["parties"]
    [document] = contract["documents"]
    assert document["kind"] == "original" and document["file_name"] == SAAS
    with urllib.request.urlopen(document["download_url"]) as download:  # presigned, short-lived
        assert download.read(5) == b"%PDF-"
    assert "X-Amz-Expires=300" in document["download_url"]
    obligations = {o["id"]: o for o in contract["obligations"]}
    deadline = obligations["notice_deadline"]
    assert deadline["due"] == "2026-12-30" and deadline["status"] == "open" and deadline["days_left"] == 35
    assert deadline["derivation"] == "expiration_date 2027-02-28 - P60D"
    assert deadline["evidence"]["text"] and deadline["action"] and deadline["owner"] == "priya.raman@example.com"
    # the clause is in the contract's own PDF, and the evidence says so
    assert deadline["evidence"]["source"] == {"contract_id": contract_id, "file_name": SAAS, "kind": "original"}
    assert not deadline["acknowledged"] and not deadline["unowned"]


def test_an_amended_term_comes_from_the_amendment(world):
    supply, amendment = world.ids[SUPPLY], world.ids[AMENDMENT]
    contract = call("GET", f"/contracts/{supply}", claims=claims(SUPPLY_CHAIN)).json()
    notice = contract["terms"]["notice_period"]
    assert notice["value"] == "P120D" and notice["version"] == 2
    assert notice["source"] == {"contract_id": amendment, "file_name": AMENDMENT, "kind": "amendment"}
    assert [(d["kind"], d["contract_id"]) for d in contract["documents"]] == \
        [("original", supply), ("amendment", amendment)]
    assert all(d["download_url"] for d in contract["documents"])
    assert contract["amended_by"] == [amendment]
    deadline = next(o for o in contract["obligations"] if o["id"] == "notice_deadline")
    assert deadline["due"] == "2027-02-02" and "P120D" in deadline["derivation"]
    # the deadline's clause is the amendment's: its offsets are in the amendment's text (QA Q2), and
    # the evidence says so, as the term's source does
    evidence = deadline["evidence"]
    assert evidence["source"] == {"contract_id": amendment, "file_name": AMENDMENT, "kind": "amendment"}
    boxes = call("GET", f"/contracts/{amendment}/evidence", claims=claims(SUPPLY_CHAIN),
                 query={"page": evidence["page"], "start": evidence["start"], "end": evidence["end"]}).json()
    assert boxes["quote"] == evidence["text"] and "120" in evidence["text"]


def test_what_the_notice_period_was_before_the_amendment(world):
    supply = world.ids[SUPPLY]
    reply = call("GET", f"/contracts/{supply}/terms/notice_period/history", claims=claims(SUPPLY_CHAIN))
    assert reply.status == 200
    versions = reply.json()["versions"]
    assert [(v["version"], v["value"], v["source"]["kind"]) for v in versions] == \
        [(1, "P90D", "original"), (2, "P120D", "amendment")]
    assert versions[0]["evidence"]["text"] and versions[0]["recorded_at"] <= versions[1]["recorded_at"]


def test_unknown_ids_and_terms_are_404_malformed_ones_400(world):
    assert call("GET", "/contracts/0123456789abcdef", claims=VIEWER).status == 404
    term = call("GET", f"/contracts/{world.ids[SAAS]}/terms/favourite_colour/history", claims=VIEWER)
    assert term.status == 404 and "favourite_colour" in term.message
    assert call("GET", "/contracts/NOT-AN-ID", claims=VIEWER).status == 400
    assert call("GET", f"/contracts/{world.ids[SAAS]}/terms/Bad-Name!/history", claims=VIEWER).status == 400
    assert call("GET", "/nothing/here", claims=VIEWER).status == 404


def test_the_audit_trail_oldest_first_in_pages(world):
    path = f"/contracts/{world.ids[SAAS]}/audit"
    whole = call("GET", path, claims=VIEWER, query={"limit": 100}).json()
    events, pages = all_pages(path, VIEWER, limit=4)
    assert events == whole["items"] and pages > 2
    assert events[0]["action"] == "contract.received" and events[0]["actor"] == "ingest"
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert {"status.extracted", "terms.recorded", "reminders.planned"} <= {e["action"] for e in events}


def test_the_audit_trail_since_a_time_reads_the_events_at_or_after_it(world):
    """A page following a file it sent reads the trail's new lines only (review rv10: every second, the
    whole trail); the same moment written in another offset; a bad time is a 400."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    path = f"/contracts/{world.ids[SAAS]}/audit"
    events = call("GET", path, claims=VIEWER, query={"limit": 100}).json()["items"]
    times = sorted({e["at"] for e in events})
    middle = times[len(times) // 2]
    since = call("GET", path, claims=VIEWER, query={"limit": 100, "since": middle}).json()["items"]
    assert since == [e for e in events if e["at"] >= middle] and since
    just_after = (datetime.fromisoformat(times[-1]) + timedelta(milliseconds=1)).isoformat()
    assert call("GET", path, claims=VIEWER, query={"since": just_after}).json()["items"] == []
    elsewhere = datetime.fromisoformat(middle).astimezone(ZoneInfo("America/New_York")).isoformat()
    assert call("GET", path, claims=VIEWER, query={"limit": 100, "since": elsewhere}).json()["items"] == since
    paged, _ = all_pages(path, VIEWER, limit=2, since=middle)
    assert paged == since
    after = call("GET", path, claims=VIEWER, query={"since": "2999-01-01T00:00:00Z"}).json()["items"]
    assert after == []
    assert call("GET", path, claims=VIEWER, query={"since": "yesterday"}).status == 400


# --- obligations ---------------------------------------------------------------------------------

def test_obligations_are_the_teams_soonest_first(world):
    items = call("GET", "/obligations", claims=VIEWER).json()["items"]
    procurement = {world.ids[n] for n in (SAAS, BEACON, COBALT, DELTA)}
    assert items and {o["contract_id"] for o in items} <= procurement
    assert [o["due"] for o in items] == sorted(o["due"] for o in items)
    assert {"notice_deadline", "expiration"} <= {o["kind"] for o in items}
    assert all(o["status"] == "open" and o["days_left"] >= 0 for o in items)
    paged, pages = all_pages("/obligations", VIEWER, limit=2)
    assert paged == items and pages == (len(items) + 1) // 2


@pytest.mark.parametrize("query, check", [
    ({"kind": "expiration"}, lambda o: o["kind"] == "expiration"),
    ({"owner": "sam.ortiz@example.com"}, lambda o: o["owner"] == "sam.ortiz@example.com"),
    ({"due_after": "2026-12-15", "due_before": "2027-01-01"}, lambda o: "2026-12-15" <= o["due"] <= "2027-01-01"),
    ({"due_before": "2026-12-15", "kind": "expiration"}, lambda o: o["due"] == "2026-12-15"),
])
def test_obligation_filters(world, query, check):
    everything = call("GET", "/obligations", claims=VIEWER, query={"limit": 100}).json()["items"]
    filtered = call("GET", "/obligations", claims=VIEWER, query=query).json()["items"]
    assert filtered and filtered == [o for o in everything if check(o)]


def test_my_obligations(world):
    mine = call("GET", "/obligations", claims=PRIYA, query={"owner": "me"}).json()["items"]
    assert mine and {o["owner"] for o in mine} == {"priya.raman@example.com"}
    assert call("GET", "/obligations", claims=PRIYA, query={"owner": "Priya.Raman@Example.com"}).json()["items"] \
        == mine  # an address in any case


def test_overdue_is_open_and_past_due_in_the_contracts_time_zone(world):
    def overdue_at(hour: int) -> tuple[list[dict], list[dict]]:
        clock.set_now(datetime(2026, 12, 16, hour, 0, tzinfo=UTC))
        try:
            return (call("GET", "/obligations", claims=VIEWER, query={"status": "overdue"}).json()["items"],
                    call("GET", "/obligations", claims=VIEWER, query={"limit": 100}).json()["items"])
        finally:
            clock.set_now(NOW)

    # 15 Dec 2026 ends at 05:00 UTC on the 16th in New York: Cobalt's term end has passed after it
    before, open_before = overdue_at(4)
    after, still_open = overdue_at(6)
    shown = {(o["contract_id"], o["id"]): (o["status"], o["days_left"]) for o in open_before}
    assert shown[(world.ids[COBALT], "expiration")] == ("open", 0)
    # its expiration is a date gone by, no one's duty: "expired", never overdue (was: "overdue", -1)
    shown = {(o["contract_id"], o["id"]): (o["status"], o["days_left"]) for o in still_open}
    assert shown[(world.ids[COBALT], "expiration")] == ("expired", -1)
    assert (world.ids[COBALT], "expiration") not in [(o["contract_id"], o["id"]) for o in before + after]
    assert all(o["status"] == "overdue" and o["days_left"] < 0 and o["kind"] != "expiration" for o in before + after)
    # "open" lists everything still to do: the overdue ones too, shown as overdue
    assert [o for o in still_open if o["status"] == "overdue"] == after


def test_the_portfolio_report_counts_days_in_each_contracts_time_zone_as_the_api_does(world):
    """At 03:00 UTC on 31 Dec it is still 30 Dec in New York, the day the SaaS notice deadline is due:
    the report lists it with 0 days left and not as overdue, as the API does (QA Q8: it counted on
    the UTC date, -1 and overdue); every row's days agree with the API's."""
    saas = world.ids[SAAS]
    clock.set_now(datetime(2026, 12, 31, 3, 0, tzinfo=UTC))
    try:
        report = call("GET", "/reports/portfolio", claims=VIEWER).json()
        api = {(o["contract_id"], o["id"]): o
               for o in call("GET", "/obligations", claims=VIEWER, query={"limit": 100}).json()["items"]}
    finally:
        clock.set_now(NOW)
    assert api[(saas, "notice_deadline")]["days_left"] == 0 and api[(saas, "notice_deadline")]["status"] == "open"
    renewals = {(r["contract_id"], r["kind"]): r["days_left"] for r in report["renewals"]}
    assert renewals[(saas, "notice_deadline")] == 0
    assert (saas, "notice_deadline") not in [(r["contract_id"], r["obligation_id"]) for r in report["overdue"]]
    for (contract_id, kind), days in renewals.items():
        assert api[(contract_id, kind)]["days_left"] == days, (contract_id, kind)
    assert {(r["contract_id"], r["obligation_id"]) for r in report["overdue"]} == \
        {key for key, o in api.items() if o["status"] == "overdue"}
    for row in report["overdue"]:
        assert -api[(row["contract_id"], row["obligation_id"])]["days_left"] == row["days_overdue"]


def test_the_digest_counts_days_from_its_own_date_in_every_time_zone(world):
    """A digest sent at 03:00 UTC on 30 Dec is dated 30 Dec (it is read that day): the SaaS notice
    deadline, 30 Dec in New York, is due today in it, not "1 day(s) left" as counted from the send
    instant in New York (still 29 Dec there: QA q6 MUST-2); a digest dated 31 Dec has it overdue by 1."""
    from datetime import date

    from clausewatch.pipeline.digest import digest_day, items_for

    saas = world.ids[SAAS]
    day = digest_day(datetime(2026, 12, 30, 3, 0, tzinfo=UTC))
    items = {(i.contract_id, i.obligation_id): i for i in items_for("priya.raman@example.com", ["procurement"], day)}
    assert day == date(2026, 12, 30) and items[(saas, "notice_deadline")].due == day
    assert items[(saas, "notice_deadline")].days_left == 0
    later = {(i.contract_id, i.obligation_id): i for i in items_for(
        "priya.raman@example.com", ["procurement"], date(2026, 12, 31))}
    assert later[(saas, "notice_deadline")].days_left == -1


def test_an_expiration_gone_by_is_not_overdue_in_the_digest_nor_the_portfolio(world):
    from clausewatch.pipeline.digest import items_for
    from clausewatch.pipeline.portfolio import team_portfolio

    cobalt = world.ids[COBALT]
    years_later = datetime(2029, 3, 1, 12, tzinfo=UTC)  # Cobalt expired on 15 Dec 2026
    assert (cobalt, "expiration") not in [(i.contract_id, i.obligation_id) for i in items_for(
        "sam.ortiz@example.com", ["procurement"], years_later.date())]  # was: listed under "Overdue"
    overdue = team_portfolio("procurement", datetime(2029, 3, 1, 12, tzinfo=UTC)).overdue
    assert (cobalt, "expiration") not in [(r.contract_id, r.obligation_id) for r in overdue]


def test_done_and_waived_lists_are_empty_until_someone_acts(world):
    for status in ("done", "waived"):
        assert call("GET", "/obligations", claims=VIEWER, query={"status": status}).json() == \
            {"items": [], "next_cursor": None}


@pytest.mark.parametrize("query", [{"status": "late"}, {"due_after": "tomorrow"}, {"kind": "chore"},
                                   {"team": "supply-chain"}])
def test_bad_obligation_queries_are_400(world, query):
    assert call("GET", "/obligations", claims=VIEWER, query=query).status == 400


@pytest.mark.parametrize("path, name, values", [
    ("/obligations", "owner", ["a@example.com", "b@example.com"]),
    ("/obligations", "due_before", ["2027-02-02", "2027-03-01"]),
    ("/contracts", "status", ["EXTRACTED", "FAILED", "EXTRACTED"]),
    ("/renewals", "within", ["30", "60"]),
])
def test_a_query_parameter_given_twice_is_400_saying_so(world, path, name, values):
    """Before: "owner: Input should be a valid string" for two valid owners (no route takes a list)."""
    event = rest_event("GET", path, query={name: values[-1]}, claims=VIEWER)
    event["multiValueQueryStringParameters"][name] = values  # as API Gateway passes a repeated one
    response = invoke("api", event)
    assert response["statusCode"] == 400, response
    assert json.loads(response["body"]) == {"message": f"{name}: given {len(values)} times, give it once"}


@pytest.mark.parametrize("method, path, body, message", [
    ("GET", "/contracts/XYZ", None, "contract_id: should be 16 lowercase hexadecimal digits (an id as listed)"),
    ("GET", "/contracts/{saas}/terms/Notice-Period/history", None,
     "name: should be a term's name: lowercase letters and _ (notice_period, expiration_date, ...)"),
    ("PUT", "/contracts/{saas}/owner", {"owner": "priya at example.com"},
     "owner: should be an email address (name@example.com)"),
    ("POST", "/uploads", {"file_name": "x" * 201 + ".pdf"},
     "file_name: should be a file name of 1 to 200 characters, without / or \\ or control characters"),
    ("POST", "/contracts/{saas}/obligations/notice%20deadline/acknowledge", None,
     "obligation_id: should be an obligation's id as listed: 1 to 100 letters, digits or _ . @ -"),
])
def test_a_value_off_its_pattern_is_told_what_it_should_be(world, method, path, body, message):
    """Before: "file_name: String should match pattern '^[^/\\\\\\x00-\\x1f]{1,200}$'" (the regex)."""
    reply = call(method, path.format(saas=world.ids[SAAS]), claims=claims(PROCUREMENT, "editor"), body=body)
    assert (reply.status, reply.message) == (400, message)


def test_a_due_range_that_holds_no_day_is_400_saying_so(world):
    """Before: 200 with nothing, as if the team had no obligation then (a sync that swapped the two)."""
    reply = call("GET", "/obligations", claims=VIEWER, query={"due_after": "2027-03-01", "due_before": "2027-02-01"})
    assert reply.status == 400
    assert reply.message == "due_after (2027-03-01) is after due_before (2027-02-01): both are inclusive, no day " \
                            "is between them"
    one_day = call("GET", "/obligations", claims=VIEWER, query={"due_after": "2027-01-31", "due_before": "2027-01-31"})
    assert one_day.status == 200


# --- renewals ------------------------------------------------------------------------------------

def test_renewals_in_the_next_90_days_soonest_first_once_each(world):
    reply = call("GET", "/renewals", claims=VIEWER, query={"within": 90})
    renewals = reply.json()["items"]
    assert [(r["contract_id"], r["next_date"]) for r in renewals] == [
        (world.ids[COBALT], "2026-12-15"),  # term ends (no notice clause)
        (world.ids[SAAS], "2026-12-30"),  # last day to give notice
        (world.ids[BEACON], "2027-01-01"),  # notice; its term end (2027-01-31) is in the window too
    ]
    saas = renewals[1]
    assert saas["auto_renew"] is True and saas["notice_period"] == "P60D" and saas["renewal_term"] == "P12M"
    assert saas["notice_deadline"] == "2026-12-30" and saas["days_left_to_give_notice"] == 35
    assert saas["expiration"] == "2027-02-28" and saas["days_to_expiration"] == 95
    assert renewals[0]["notice_deadline"] is None and renewals[0]["days_to_expiration"] == 20
    paged, pages = all_pages("/renewals", VIEWER, within=90, limit=1)
    assert paged == renewals and pages == 3


def test_renewals_window(world):
    assert ids_of(call("GET", "/renewals", claims=VIEWER, query={"within": 20})) == [world.ids[COBALT]]
    assert ids_of(call("GET", "/renewals", claims=VIEWER, query={"within": 0})) == []
    assert call("GET", "/renewals", claims=VIEWER, query={"within": 731}).status == 400
    assert call("GET", "/renewals", claims=VIEWER, query={"within": "soon"}).status == 400


def _renewals_at(at: datetime, who: dict = VIEWER, **query) -> list[tuple]:
    clock.set_now(at)
    renewals, _ = all_pages("/renewals", who, limit=1, **query)
    return [(r["contract_id"], r["next_date"], r["term_ended"], r["days_since_end"]) for r in renewals]


def test_a_term_that_ended_without_renewing_is_listed_for_ended_within_days_after_its_end(world):
    """Before: a contract that does not renew left the list once its term had ended (the list began
    today), though services may go on with no contract. Now, by default for 30 days after its end,
    first (by date), marked ended, with the days since, in its own time zone. A renewing contract's
    passed end, or one whose renewal was not read (unknown is not "no"), is never listed as ended."""
    services, it_viewer = world.ids[SERVICES], claims(IT)
    try:
        # the services agreement (no renewal) ends 2026-12-31 in Los Angeles: at 07:00 UTC on 1 January
        # it is still its last day there, at 09:00 it ended the day before
        assert _renewals_at(datetime(2027, 1, 1, 7, 0, tzinfo=UTC), it_viewer, within=20) == [
            (services, "2026-12-31", False, None)]
        assert _renewals_at(datetime(2027, 1, 1, 9, 0, tzinfo=UTC), it_viewer, within=20) == [
            (services, "2026-12-31", True, 1)]
        [ended] = call("GET", "/renewals", claims=it_viewer, query={"within": 20}).json()["items"]
        assert (ended["auto_renew"], ended["expiration"], ended["days_to_expiration"]) == (False, "2026-12-31", -1)
        # the portfolio report (the CLI's `report` too) lists it as ended, with the days since
        report = call("GET", "/reports/portfolio", claims=it_viewer, query={"format": "json"}).json()
        assert [(r["contract_id"], r["days_left"]) for r in report["ended"]] == [(services, -1)]
        assert services not in [r["contract_id"] for r in report["renewals"]]
        assert _renewals_at(datetime(2027, 1, 30, 14, 0, tzinfo=UTC), it_viewer, within=0) == [
            (services, "2026-12-31", True, 30)]
        assert _renewals_at(datetime(2027, 1, 31, 14, 0, tzinfo=UTC), it_viewer, within=0) == []  # 31 days
        assert _renewals_at(datetime(2027, 2, 5, 14, 0, tzinfo=UTC), it_viewer, within=0, ended_within=60) == [
            (services, "2026-12-31", True, 36)]
        assert _renewals_at(datetime(2027, 2, 5, 14, 0, tzinfo=UTC), it_viewer, within=0, ended_within=0) == []
        # Beacon renews: its term end passed (2027-01-31, not rolled over yet here); Cobalt's renewal
        # was not read (ended 2026-12-15): neither is an ended term (Cobalt is listed, its renewal
        # unknown, never term_ended: test_api_renewals_ended.py)
        cobalt = repository.get_contract(world.ids[COBALT])
        assert cobalt is not None and cobalt.renewal_terms["auto_renewal"] is None
        assert _renewals_at(datetime(2027, 2, 5, 14, 0, tzinfo=UTC), within=0, ended_within=60) == [
            (world.ids[COBALT], "2026-12-15", False, 52)]
        assert call("GET", "/renewals", claims=VIEWER, query={"ended_within": 366}).status == 400
    finally:
        clock.set_now(NOW)


def test_an_auto_renewed_contracts_renewal_is_the_current_terms(world):
    [supply] = call("GET", "/renewals", claims=claims(SUPPLY_CHAIN), query={"within": 90}).json()["items"]
    assert supply["contract_id"] == world.ids[SUPPLY]
    assert supply["notice_deadline"] == "2027-02-02" and supply["notice_period"] == "P120D"
    assert supply["expiration"] == "2027-06-02" and supply["auto_renew"] is True
    assert supply["days_left_to_give_notice"] == 69


# --- meta ----------------------------------------------------------------------------------------

def test_health_and_documents_need_no_token(world):
    assert call("GET", "/health").json() == {"status": "ok"}
    assert call("GET", "/openapi.json").json()["info"]["title"] == "clausewatch API"
    swagger = call("GET", "/swagger")
    assert swagger.status == 200 and "swagger" in swagger.text.lower()
