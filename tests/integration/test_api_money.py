"""The money routes through the real API handler: send metrics and invoices (stored where the money
λ reads them), list a contract's invoices and findings and the team's findings; another team sees
none of it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from clausewatch import clock
from tests.integration.api_support import (  # noqa: F401
    IT,
    PROCUREMENT,
    SAAS,
    _world,
    call,
    claims,
    no_scan_in_api_requests,
    off_the_document,
    restore,
)
from tests.paths import SAMPLES

EDITOR = claims(PROCUREMENT, "editor", "alex.editor@example.com")
VIEWER = claims(PROCUREMENT, "viewer")


@pytest.fixture
def money_world(_local_cloud_session, _world):
    restore(_local_cloud_session, _world)
    yield _local_cloud_session, _world.ids[SAAS]
    clock.set_now(None)


def test_metrics_and_an_invoice_sent_through_the_api_become_findings(money_world):
    cloud, saas = money_world
    reply = call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
                 body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    assert reply.status == 202 and reply.json()["key"] == f"metrics/{saas}/2026-10.csv"
    reply = call("POST", f"/contracts/{saas}/invoices", claims=EDITOR,
                 body={"file_name": "nwa.xml", "content": (SAMPLES / "invoice-northwind-2026-03.xml").read_text()})
    assert reply.status == 202
    cloud.pump()  # the S3 notifications reach the money λ

    page = call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()
    by_kind = {f["kind"]: f for f in page["items"]}
    assert set(by_kind) == {"sla_breach", "price_above_agreed"}
    credit = by_kind["sla_breach"]
    assert credit["amount"] == {"amount": "1550.00", "currency": "USD"} and credit["claim_status"] == "open"
    assert credit["derivation"] == "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00"
    assert page["total_at_stake"] == [{"amount": "10850.00", "currency": "USD"}]
    invoices = call("GET", f"/contracts/{saas}/invoices", claims=VIEWER).json()["items"]
    assert [(i["number"], i["total"], i["findings"]) for i in invoices] == [("NWA-2026-0301", "195300.00", 1)]

    team = call("GET", "/findings", claims=VIEWER, query={"kind": "sla_breach"}).json()
    assert [f["finding_id"] for f in team["items"]] == [credit["finding_id"]]
    # the claim done: the credit is no longer unclaimed
    done = call("POST", f"/contracts/{saas}/obligations/{credit['claim_obligation_id']}/complete", claims=EDITOR,
                body={"note": "credit note CN-17 received"})
    assert done.status == 200
    again = call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()
    assert {f["kind"]: f["claim_status"] for f in again["items"]}["sla_breach"] == "done"
    # a corrected file withdraws the breach: listed with its amount, no longer at stake (was still counted)
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
         body={"file_name": "2026-10-corrected.csv", "content": "period,metric,value\n2026-10,availability,99.95\n"})
    cloud.pump()
    corrected = call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()
    assert {f["kind"] for f in corrected["items"]} == {"sla_breach_withdrawn", "price_above_agreed"}
    assert corrected["total_at_stake"] == [{"amount": "9300.00", "currency": "USD"}]


def test_another_team_sees_none_of_it_and_a_viewer_cannot_send(money_world):
    cloud, saas = money_world
    body = {"file_name": "m.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"}
    assert call("POST", f"/contracts/{saas}/metrics", claims=VIEWER, body=body).status == 403
    outsider = claims(IT, "editor")
    assert call("POST", f"/contracts/{saas}/metrics", claims=outsider, body=body).status == 404
    assert call("POST", f"/contracts/{saas}/metrics", claims=EDITOR, body=body).status == 202
    cloud.pump()
    assert call("GET", f"/contracts/{saas}/findings", claims=claims(IT)).status == 404
    assert call("GET", f"/contracts/{saas}/invoices", claims=claims(IT)).status == 404
    assert call("GET", "/findings", claims=claims(IT)).json()["items"] == []
    assert len(call("GET", "/findings", claims=VIEWER).json()["items"]) == 1


@pytest.mark.parametrize("body", [{"file_name": "../x.csv", "content": "a"}, {"file_name": "x.csv", "content": ""},
                                  {"file_name": "x.csv"}, {"file_name": "x.csv", "content": "a", "extra": 1}])
def test_a_bad_request_body_is_a_400(money_world, body):
    _, saas = money_world
    assert call("POST", f"/contracts/{saas}/invoices", claims=EDITOR, body=body).status == 400


def test_the_portfolio_report_in_three_formats(money_world):
    cloud, saas = money_world
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
         body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    cloud.pump()
    report = call("GET", "/reports/portfolio", claims=VIEWER)
    assert report.status == 200 and report.headers["Content-Type"] == "application/json"
    data = report.json()
    assert data["team"] == PROCUREMENT and data["totals"]["credits_owed"] == {"USD": "1550.00"}
    saas_renewals = [r for r in data["renewals"] if r["contract_id"] == saas]
    assert [(r["kind"], r["due"]) for r in saas_renewals] == [("notice_deadline", "2026-12-30"),
                                                            ("expiration", "2027-02-28")]
    page = call("GET", "/reports/portfolio", claims=VIEWER, query={"format": "html"})
    assert page.headers["Content-Type"].startswith("text/html") and "<svg" in page.text
    table = call("GET", "/reports/portfolio", claims=VIEWER, query={"format": "csv"})
    assert table.headers["Content-Type"].startswith("text/csv") and "USD" in table.text
    assert call("GET", "/reports/portfolio", claims=claims(IT)).json()["money"] == []
    assert call("GET", "/reports/portfolio", claims=VIEWER, query={"format": "pdf"}).status == 400


def test_the_portfolio_report_shows_the_renewal_decision_of_the_current_term(money_world):
    from datetime import timedelta

    cloud, saas = money_world
    cloud.fire_until(clock.now() + timedelta(minutes=5))  # the start schedules whose lead time passed
    data = call("GET", "/reports/portfolio", claims=VIEWER).json()
    saas_rows = [r for r in data["renewals"] if r["contract_id"] == saas]
    assert saas_rows and all(r["decision"] == "waiting (owner)" for r in saas_rows)


def test_an_over_charge_refunded_by_a_credit_note_is_settled_and_no_longer_at_stake(money_world):
    from tests.unit.test_money_credit_notes import credit_note

    cloud, saas = money_world
    call("POST", f"/contracts/{saas}/invoices", claims=EDITOR,
         body={"file_name": "nwa.xml", "content": (SAMPLES / "invoice-northwind-2026-03.xml").read_text()})
    cloud.pump()
    # a refund of 5,000.00 of the 9,300.00 over-charge, referencing the invoice: 4,300.00 still at stake
    reply = call("POST", f"/contracts/{saas}/invoices", claims=EDITOR,
                 body={"file_name": "cn-200.xml", "content": credit_note(
                     number="CN-200", amount="5000.00", note="Price correction", item="Subscription Fees")})
    assert reply.status == 202
    cloud.pump()
    page = call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()
    by_kind = {f["kind"]: f for f in page["items"]}
    assert set(by_kind) == {"price_above_agreed", "credit_note_partial"}
    settlement = by_kind["price_above_agreed"]["settlement"]
    assert settlement["remaining"] == {"amount": "4300.00", "currency": "USD"}
    assert [s["credit_note"] for s in settlement["settled_by"]] == ["CN-200"]
    assert "9,300.00 - 5,000.00 = USD 4,300.00 still owed" in by_kind["credit_note_partial"]["derivation"]
    assert page["total_at_stake"] == [{"amount": "4300.00", "currency": "USD"}]
    invoices = call("GET", f"/contracts/{saas}/invoices", claims=VIEWER).json()["items"]
    assert sorted((i["number"], i["total"]) for i in invoices) == [("CN-200", "-5000.00"),
                                                                   ("NWA-2026-0301", "195300.00")]


def test_the_portfolio_counts_what_credit_notes_left_owed_as_get_findings_does(money_world):
    from tests.unit.test_money_credit_notes import credit_note

    cloud, saas = money_world
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
         body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    call("POST", f"/contracts/{saas}/invoices", claims=EDITOR,
         body={"file_name": "nwa.xml", "content": (SAMPLES / "invoice-northwind-2026-03.xml").read_text()})
    cloud.pump()
    # 1,000.00 of October's 1,550.00 credit, and 5,000.00 of the 9,300.00 over-charge, credited
    for name, note in (("cn-1.xml", credit_note(number="CN-1", amount="1000.00", note="SLA credit October 2026",
                                                references=())),
                       ("cn-2.xml", credit_note(number="CN-2", amount="5000.00", note="Price correction",
                                                item="Subscription Fees"))):
        assert call("POST", f"/contracts/{saas}/invoices", claims=EDITOR,
                    body={"file_name": name, "content": note}).status == 202
        cloud.pump()
    totals = call("GET", "/reports/portfolio", claims=VIEWER).json()["totals"]
    assert totals["credits_owed"] == {"USD": "550.00"}  # 1,550.00 - 1,000.00, not the credit whole
    assert totals["invoice_findings_at_stake"] == {"USD": "4300.00"}  # 9,300.00 - 5,000.00
    page = call("GET", "/findings", claims=VIEWER).json()
    assert page["total_at_stake"] == [{"amount": "4850.00", "currency": "USD"}]  # the same sums, added
    rows = {r["kind"]: r for r in call("GET", "/reports/portfolio", claims=VIEWER).json()["money"]}
    assert (rows["sla_breach"]["amount"], rows["sla_breach"]["still_owed"]) == ("1550.00", "550.00")
    # the CSV and HTML show it beside the amount too (were: the amount alone)
    table = call("GET", "/reports/portfolio", claims=VIEWER, query={"format": "csv"}).text
    csv_rows = [r for r in csv.DictReader(io.StringIO(table)) if r["section"] == "money"]
    assert ("1550.00", "550.00") in [(r["amount"], r["still_owed"]) for r in csv_rows]
    page = call("GET", "/reports/portfolio", claims=VIEWER, query={"format": "html"}).text
    assert "<td>USD 1,550.00</td><td>USD 550.00</td>" in page


def test_a_claim_a_person_marked_done_before_the_credit_note_shows_who_and_when_in_its_settlement(money_world):
    # was: the settlement's settled_by left claim_kept out: the person's record kept was not in the API
    from tests.unit.test_money_credit_notes import credit_note

    cloud, saas = money_world
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
         body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    cloud.pump()
    [breach] = [f for f in call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]
                if f["kind"] == "sla_breach"]
    claim = breach["claim_obligation_id"]
    clock.set_now(datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    assert call("POST", f"/contracts/{saas}/obligations/{claim}/complete", claims=EDITOR,
                body={"note": "claimed by email"}).status == 200
    clock.set_now(None)
    call("POST", f"/contracts/{saas}/invoices", claims=EDITOR,
         body={"file_name": "cn-123.xml", "content": credit_note(references=())})
    cloud.pump()
    reply = call("GET", f"/contracts/{saas}/findings", claims=VIEWER)
    assert off_the_document("GET", "/contracts/{contract_id}/findings", reply) is None
    [breach] = [f for f in reply.json()["items"] if f["kind"] == "sla_breach"]
    [settled_by] = breach["settlement"]["settled_by"]
    assert settled_by["credit_note"] == "CN-123" and settled_by["status"] == "settled"
    assert settled_by["claim_kept"] == {"obligation_id": claim, "status": "done",
                                        "resolved_by": "alex.editor@example.com",
                                        "resolved_at": "2026-11-20T09:30:00.000+00:00"}
    page = call("GET", "/findings", claims=VIEWER)
    assert off_the_document("GET", "/findings", page) is None


def test_a_claim_the_credit_note_settled_has_no_claim_kept(money_world):
    from tests.unit.test_money_credit_notes import credit_note

    cloud, saas = money_world
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
         body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    cloud.pump()
    call("POST", f"/contracts/{saas}/invoices", claims=EDITOR,
         body={"file_name": "cn-123.xml", "content": credit_note(references=())})
    cloud.pump()
    reply = call("GET", f"/contracts/{saas}/findings", claims=VIEWER)
    assert off_the_document("GET", "/contracts/{contract_id}/findings", reply) is None
    [breach] = [f for f in reply.json()["items"] if f["kind"] == "sla_breach"]
    [settled_by] = breach["settlement"]["settled_by"]
    assert settled_by["claim_kept"] is None


def test_a_credit_whose_claim_was_waived_is_no_longer_at_stake(money_world):
    """A person waived the SLA credit's claim (not worth claiming): GET /findings' total counted it
    still (the Money page kept it among the open ones); the portfolio report did not. Now neither."""
    cloud, saas = money_world
    call("POST", f"/contracts/{saas}/metrics", claims=EDITOR,
         body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    cloud.pump()
    [credit] = call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()["items"]
    waived = call("POST", f"/contracts/{saas}/obligations/{credit['claim_obligation_id']}/waive", claims=EDITOR,
                  body={"reason": "below the threshold worth claiming"})
    assert waived.status == 200
    page = call("GET", f"/contracts/{saas}/findings", claims=VIEWER).json()
    assert [f["claim_status"] for f in page["items"]] == ["waived"]
    assert page["total_at_stake"] == []
    report = call("GET", "/reports/portfolio", claims=VIEWER).json()
    assert report["totals"]["credits_owed"] == {}
    # its row says nothing is owed (review S4: it said 1550.00, in the JSON, the CSV and the HTML)
    [row] = [r for r in report["money"] if r["kind"] == "sla_breach"]
    assert (row["status"], row["amount"], row["still_owed"]) == ("waived", "1550.00", "0.00")
    table = call("GET", "/reports/portfolio", claims=VIEWER, query={"format": "csv"}).text
    [line] = [r for r in csv.DictReader(io.StringIO(table)) if r["section"] == "money"]
    assert (line["status"], line["amount"], line["still_owed"]) == ("waived", "1550.00", "0.00")
    assert list(line)[-5:] == ["still_owed", "ended_by", "renewal", "marked_done_by", "marked_done_on"]  # appended
