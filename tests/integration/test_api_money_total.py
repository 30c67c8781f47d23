"""The team's one total at stake across pages (GET /findings/total) and the document of a finding's
clause from the contract itself, through the real API handler.

Before: GET /findings totalled each page alone: the two findings of one surcharged invoice line (the
line's quantity x price is not its amount; the line is above the agreed fee) on two pages were 5,000.00
each, added up 10,000.00 for one 5,000.00 charge, and no reply gave the team's one figure. A contract's
own clause had ``document: null``: which file "page 4" is in was not said."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from clausewatch import clock
from tests.integration.api_support import (  # noqa: F401
    PROCUREMENT,
    SAAS,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    off_the_document,
    restore,
)
from tests.paths import SAMPLES, sample_metadata

EDITOR = claims(PROCUREMENT, "editor", "alex.editor@example.com")
VIEWER = claims(PROCUREMENT, "viewer")
# the SaaS subscription (USD 186,000.00 a year, 250 users: 744.00 a user) billed 191,000.00 on a line
# whose quantity x price is 186,000.00: one surcharge of 5,000.00, told by two findings on line 1
SURCHARGED = json.dumps({
    "number": "NWA-2026-0302", "issue_date": "2026-03-01", "currency": "USD", "supplier": "Northwind Analytics",
    "period_start": "2026-03-01", "period_end": "2027-02-28",
    "lines": [{"description": "Subscription Fees", "quantity": "250", "unit_price": "744.00", "amount": "191000.00"}]})
# 1,000.00 of October's 1,550.00 credit: 550.00 is still owed
PARTIAL_CREDIT = json.dumps({"number": "CN-7", "issue_date": "2026-11-20", "currency": "USD",
                             "document_type": "credit_note", "note": "SLA credit October 2026",
                             "lines": [{"description": "Service credit", "amount": "1000.00"}]})


@pytest.fixture
def money_world(_local_cloud_session, _world):
    restore(_local_cloud_session, _world)
    yield _local_cloud_session, _world.ids[SAAS]
    clock.set_now(None)


def _send(cloud, contract_id: str, kind: str, file_name: str, content: str) -> None:
    reply = call("POST", f"/contracts/{contract_id}/{kind}", claims=EDITOR,
                 body={"file_name": file_name, "content": content})
    assert reply.status == 202, reply.text
    cloud.pump()


def _pages(query: dict) -> list[dict]:
    pages, cursor = [], None
    while True:
        reply = call("GET", "/findings", claims=VIEWER, query={**query, "cursor": cursor})
        assert reply.status == 200 and off_the_document("GET", "/findings", reply) is None
        pages.append(reply.json())
        cursor = pages[-1]["next_cursor"]
        if cursor is None:
            return pages


def test_one_total_across_pages_counts_a_line_once_and_what_credit_notes_and_waivers_leave(money_world):
    cloud, saas = money_world
    _send(cloud, saas, "invoices", "nwa-0302.json", SURCHARGED)
    _send(cloud, saas, "metrics", "2026-10.csv", "period,metric,value\n2026-10,availability,99.4\n")
    _send(cloud, saas, "metrics", "2026-09.csv", "period,metric,value\n2026-09,availability,99.4\n")
    _send(cloud, saas, "invoices", "cn-7.json", PARTIAL_CREDIT)
    found = {(f["kind"], f["period"]): f for f in call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]}
    line = [f for f in found.values() if f["invoice_number"] == "NWA-2026-0302"]
    assert sorted((f["kind"], f["amount"]["amount"]) for f in line) == [("arithmetic", "5000.00"),
                                                                       ("price_above_agreed", "5000.00")]
    september = found[("sla_breach", "2026-09")]
    waived = call("POST", f"/contracts/{saas}/obligations/{september['claim_obligation_id']}/waive", claims=EDITOR,
                  body={"reason": "below the threshold worth claiming"})
    assert waived.status == 200

    # one finding a page: the line's two findings on two pages, each page totalling one of them
    pages = _pages({"limit": "1"})
    assert len(pages) == len(found) == 5
    added_up = sum(Decimal(a["amount"]) for p in pages for a in p["total_at_stake"])
    assert added_up == Decimal("10550.00")  # what the page totals say added: the line twice

    reply = call("GET", "/findings/total", claims=VIEWER)
    assert reply.status == 200 and off_the_document("GET", "/findings/total", reply) is None
    total = reply.json()
    # 5,000.00 (the line, once) + 1,550.00 - 1,000.00 (October, credited in part); September waived
    assert total["total_at_stake"] == [{"amount": "5550.00", "currency": "USD"}]
    assert total["findings"] == 5
    # the portfolio report's sums, from the same helpers, say the same
    report = call("GET", "/reports/portfolio", claims=VIEWER).json()["totals"]
    assert (report["credits_owed"], report["invoice_findings_at_stake"]) == ({"USD": "550.00"}, {"USD": "5000.00"})

    # of one kind, as GET /findings?kind= lists them
    arithmetic = call("GET", "/findings/total", claims=VIEWER, query={"kind": "arithmetic"}).json()
    assert arithmetic == {"total_at_stake": [{"amount": "5000.00", "currency": "USD"}], "findings": 1,
                          "kind": "arithmetic", "amount_unknown": 0}
    # another team's total is its own
    assert call("GET", "/findings/total", claims=claims("it-vendor-management")).json()["total_at_stake"] == []
    assert call("GET", "/findings/total", claims=VIEWER, query={"kind": "nonsense"}).status == 400


def test_a_clause_of_the_contract_itself_names_its_file_and_contract(money_world):
    cloud, saas = money_world
    _send(cloud, saas, "metrics", "2026-10.csv", "period,metric,value\n2026-10,availability,99.4\n")
    reply = call("GET", f"/contracts/{saas}/findings", claims=VIEWER)
    assert off_the_document("GET", "/contracts/{contract_id}/findings", reply) is None
    [credit] = reply.json()["items"]
    assert credit["evidence"]["page"] >= 1
    # was: document null, source_contract_id null
    assert (credit["evidence"]["document"], credit["evidence"]["source_contract_id"]) == (SAAS, saas)
    assert credit["clauses"] == [credit["evidence"]]
    [team] = call("GET", "/findings", claims=VIEWER).json()["items"]
    assert team["evidence"] == credit["evidence"] and team["clauses"] == credit["clauses"]



def test_a_findings_clause_never_names_another_teams_file(money_world):
    """Review rv9 S3: a finding outlives its contract, and a contract deleted before deletions were
    marked can have its id taken by another team's upload of the same bytes (until the operator's
    upgrade). GET /findings then named that team's file as the clause's document. Only the team's
    own contract's file is given; else null, as for a deleted contract."""
    from clausewatch.store import repository as repo

    cloud, saas = money_world
    _send(cloud, saas, "metrics", "2026-10.csv", "period,metric,value\n2026-10,availability,99.4\n")
    taken = repo.get_contract(saas)  # the id now another team's (file and team), as before the upgrade
    repo.update_contract(taken, actor="test", team="legal", file_name="legal-copy.pdf")
    [finding] = call("GET", "/findings", claims=VIEWER).json()["items"]
    assert finding["evidence"]["document"] is None and finding["evidence"]["source_contract_id"] is None


def test_a_deleted_contracts_findings_stay_listed_and_leave_the_total(money_world):
    """Before: the deleted contract's claim obligations went with it, so the full count took its waived
    credit (September, 1,550.00) as open again while the running totals kept it waived: the two
    differed, and either way its money counted at stake for a contract nobody can claim under."""
    from clausewatch.store import stake

    cloud, saas = money_world
    _send(cloud, saas, "invoices", "nwa-0302.json", SURCHARGED)
    _send(cloud, saas, "metrics", "2026-09.csv", "period,metric,value\n2026-09,availability,99.4\n")
    _send(cloud, saas, "metrics", "2026-10.csv", "period,metric,value\n2026-10,availability,99.4\n")
    [september] = [f for f in call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]
                   if f["period"] == "2026-09"]
    assert call("POST", f"/contracts/{saas}/obligations/{september['claim_obligation_id']}/waive", claims=EDITOR,
                body={"reason": "below the threshold worth claiming"}).status == 200
    before = call("GET", "/findings/total", claims=VIEWER).json()
    assert before["total_at_stake"] == [{"amount": "6550.00", "currency": "USD"}]  # the line once + October

    admin = claims(PROCUREMENT, "admin", "dana.admin@example.com")
    assert call("DELETE", f"/contracts/{saas}", claims=admin).status == 200
    total = call("GET", "/findings/total", claims=VIEWER).json()
    assert total["total_at_stake"] == [] and total["findings"] == before["findings"] == 4
    assert stake.recount(PROCUREMENT) == ({}, 4) == stake.totals(PROCUREMENT)
    reply = call("GET", "/findings", claims=VIEWER, query={"limit": "100"})
    assert off_the_document("GET", "/findings", reply) is None
    listed = reply.json()
    assert listed["total_at_stake"] == [] and len(listed["items"]) == 4
    assert {f["contract_deleted"]["by"] for f in listed["items"]} == {"dana.admin@example.com"}
    # deleting again (a retried request) marks nothing twice and moves nothing
    from clausewatch.store import money

    assert money.mark_contract_deleted(saas, PROCUREMENT, at=clock.iso(), by="someone else") == 0
    assert stake.totals(PROCUREMENT) == ({}, 4)
    assert {f["contract_deleted"]["by"] for f in call("GET", "/findings", claims=VIEWER).json()["items"]} == {
        "dana.admin@example.com"}
    # the portfolio report counts it as the total does (was: USD 1,550.00 owed, 5,000.00 at stake)
    report = call("GET", "/reports/portfolio", claims=VIEWER).json()
    assert (report["totals"]["credits_owed"], report["totals"]["invoice_findings_at_stake"]) == ({}, {})
    assert {r["status"] for r in report["money"]} == {"contract deleted"}

    # the same file uploaded again is a contract again: its invoice sent again is checked again (was: a
    # duplicate of the deleted contract's, its findings left marked deleted, nothing at stake)
    metadata = sample_metadata()[SAAS]
    cloud.upload(SAMPLES / SAAS, metadata)
    cloud.pump()
    _send(cloud, saas, "invoices", "nwa-0302.json", SURCHARGED)
    line = [f for f in call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]
            if f["invoice_number"] == "NWA-2026-0302"]
    assert len(line) == 2 and all(f["contract_deleted"] is None for f in line)
    assert call("GET", "/findings/total", claims=VIEWER).json()["total_at_stake"] == [
        {"amount": "5000.00", "currency": "USD"}]
    assert stake.totals(PROCUREMENT) == stake.recount(PROCUREMENT)
