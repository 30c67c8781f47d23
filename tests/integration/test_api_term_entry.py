"""A person enters a term the extractor abstained on (PUT /contracts/{id}/terms/{name}): checked
for its kind, audited, planned from (the deadline and its reminders), and never overwritten by a
later re-extraction or an amendment's value."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from clausewatch import clock, config
from clausewatch.extract import extract_contract
from clausewatch.extract.model import Term
from clausewatch.pipeline import record
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.pdfs import make_pdf

TEAM = "legal-ops"
EDITOR = claims(TEAM, "editor", "dana.kowalski@example.com")
# an agreement without a term clause: the extractor abstains on its expiration
TEXT = ("CONSULTING AGREEMENT\nThis Consulting Agreement is entered into as of March 1, 2026 (the "
        "\"Effective Date\") between Acme Widgets, Inc. (\"Client\") and Blue Heron Consulting LLC "
        "(\"Consultant\").\n1. Services. Consultant shall provide the services described in each statement "
        "of work.\n2. Governing Law. This Agreement is governed by the laws of the State of New York.")


@pytest.fixture
def abstained(cloud, tmp_path):
    clock.set_now(NOW)
    path = tmp_path / "consulting.pdf"
    path.write_bytes(make_pdf(TEXT))
    cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com", "time-zone": "America/New_York"})
    cloud.pump()
    contract_id = contract_id_for(sha256_hex(path.read_bytes()))
    contract = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    assert contract["status"] == "EXTRACTED" and "expiration_date" not in contract["terms"]
    assert "expiration" not in {o["id"] for o in contract["obligations"]}
    return contract_id


def entry(contract_id: str, name: str, body: dict, who: dict = EDITOR):
    return call("PUT", f"/contracts/{contract_id}/terms/{name}", claims=who, body=body)


def schedules_of(cloud, contract_id: str, obligation_id: str) -> list[dict]:
    return [s for s in cloud.schedules()
            if json.loads(s["Target"]["Input"]).get("obligation_id") == obligation_id
            and json.loads(s["Target"]["Input"]).get("contract_id") == contract_id]


def test_an_entered_expiration_is_audited_planned_and_kept_over_re_extraction(cloud, abstained):
    reply = entry(abstained, "expiration_date", {"value": "2027-03-31", "note": "Schedule A of the signed copy"})
    assert reply.status == 200, reply.text
    term = reply.json()
    assert (term["value"], term["entered_by"], term["evidence"]) == ("2027-03-31", "dana.kowalski@example.com", None)
    assert term["derivation"] == "entered by dana.kowalski@example.com: Schedule A of the signed copy"
    contract = call("GET", f"/contracts/{abstained}", claims=EDITOR).json()
    assert contract["terms"]["expiration_date"]["entered_by"] == "dana.kowalski@example.com"
    assert contract["expiration"] == "2027-03-31"
    [deadline] = [o for o in contract["obligations"] if o["id"] == "expiration"]
    assert deadline["due"] == "2027-03-31" and deadline["status"] == "open"
    cloud.pump()  # the planner plans its reminders from the stream
    # under the rolling horizon its reminders are schedules once inside the window; until then the
    # contract is due for planning by the day its first reminder (90 days before) enters the window
    first_reminder = date(2027, 3, 31) - timedelta(days=90)
    planned = repo.get_contract(abstained)
    assert schedules_of(cloud, abstained, "expiration") or (
        planned.next_planning and date.fromisoformat(planned.next_planning)
        <= first_reminder - timedelta(days=config.reminder_horizon_days())), planned.next_planning
    audit = call("GET", f"/contracts/{abstained}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    [entered] = [e for e in audit if e["action"] == "term.entered"]
    assert entered["actor"] == "dana.kowalski@example.com"
    assert entered["detail"]["value"] == "2027-03-31" and entered["detail"]["previous"] is None

    # a later re-extraction of the same document (which abstains again, or reads another date)
    # does not overwrite what the person entered; what it read is audited
    stored = repo.get_contract(abstained)
    again = extract_contract([TEXT], source="consulting.pdf")
    record.record_extraction(stored, again, actor="pipeline")
    misread = replace(again, terms={**again.terms, "expiration_date": Term(value="2026-12-31", evidence=None)})
    record.record_extraction(repo.get_contract(abstained), misread, actor="pipeline")
    contract = call("GET", f"/contracts/{abstained}", claims=EDITOR).json()
    assert contract["terms"]["expiration_date"]["value"] == "2027-03-31"
    assert contract["terms"]["expiration_date"]["entered_by"] == "dana.kowalski@example.com"
    assert contract["expiration"] == "2027-03-31"
    assert repo.get_contract(abstained).extracted.value("expiration_date") == "2027-03-31"
    audit = call("GET", f"/contracts/{abstained}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    kept = [e for e in audit if e["action"] == "terms.entered_kept"]
    assert kept and kept[-1]["detail"]["extracted"] == {"expiration_date": "2026-12-31"}


def test_an_entered_notice_period_recomputes_the_notice_deadline_with_its_arithmetic(cloud, abstained):
    assert entry(abstained, "expiration_date", {"value": "2027-03-31"}).status == 200
    reply = entry(abstained, "notice_period", {"value": "p60d"})
    assert reply.status == 200 and reply.json()["value"] == "P60D"
    contract = call("GET", f"/contracts/{abstained}", claims=EDITOR).json()
    deadline = contract["terms"]["notice_deadline"]
    assert deadline["value"] == "2027-01-30"
    assert deadline["derivation"] == ("expiration_date 2027-03-31 - P60D (from expiration_date entered by "
                                      "dana.kowalski@example.com and notice_period entered by dana.kowalski@example.com)")
    assert deadline["entered_by"] is None  # computed, not entered
    assert contract["notice_deadline"] == "2027-01-30"
    [notice] = [o for o in contract["obligations"] if o["id"] == "notice_deadline"]
    assert notice["due"] == "2027-01-30" and notice["status"] == "open"
    # a re-extraction (which finds neither) keeps the deadline counted from the entries
    record.record_extraction(repo.get_contract(abstained), extract_contract([TEXT], source="consulting.pdf"),
                             actor="pipeline")
    contract = call("GET", f"/contracts/{abstained}", claims=EDITOR).json()
    assert contract["terms"]["notice_deadline"]["value"] == "2027-01-30"
    assert contract["notice_deadline"] == "2027-01-30"
    assert [o["due"] for o in contract["obligations"] if o["id"] == "notice_deadline"] == ["2027-01-30"]


def test_an_entry_racing_another_write_is_merged_into_the_record_as_it_is_now_or_refused_saying_so(
        cloud, abstained, monkeypatch):
    """Another request changes the contract (its owner) while a notice period is entered: the entry is
    merged into the record as it is now, both changes kept, the deadline counted from it (before: the
    stale copy's write was refused after the value was saved, and the deadline stayed on the old
    period). Changed each time: 409 saying the value is recorded; the same entry again finishes it."""
    assert entry(abstained, "expiration_date", {"value": "2027-03-31"}).status == 200
    real_save = repo.save_terms
    races = {"left": 1}
    owners = iter(f"owner{n}@example.com" for n in range(100))

    def save_then_another_writer(contract_id, terms, **kwargs):
        changed = real_save(contract_id, terms, **kwargs)
        if "notice_deadline" in terms and races["left"] > 0:
            races["left"] -= 1
            repo.update_contract(repo.get_contract(contract_id), actor="someone-else", owner=next(owners))
        return changed

    monkeypatch.setattr(repo, "save_terms", save_then_another_writer)
    assert entry(abstained, "notice_period", {"value": "P60D"}).status == 200
    contract = call("GET", f"/contracts/{abstained}", claims=EDITOR).json()
    assert contract["owner"] == "owner0@example.com"
    assert (contract["terms"]["notice_period"]["value"], contract["notice_deadline"]) == ("P60D", "2027-01-30")
    assert [o["due"] for o in contract["obligations"] if o["id"] == "notice_deadline"] == ["2027-01-30"]

    races["left"] = 100
    reply = entry(abstained, "notice_period", {"value": "P30D"})
    assert reply.status == 409, reply.text
    assert "notice_period entered is recorded" in reply.message and "enter the same value again" in reply.message
    races["left"] = 0
    assert entry(abstained, "notice_period", {"value": "P30D"}).status == 200
    contract = call("GET", f"/contracts/{abstained}", claims=EDITOR).json()
    assert (contract["terms"]["notice_period"]["value"], contract["notice_deadline"]) == ("P30D", "2027-03-01")
    assert [o["due"] for o in contract["obligations"] if o["id"] == "notice_deadline"] == ["2027-03-01"]
    # recorded and audited once: the entry again wrote no second version and no second line
    history = call("GET", f"/contracts/{abstained}/terms/notice_period/history", claims=EDITOR).json()["versions"]
    assert [v["value"] for v in history] == ["P60D", "P30D"]
    entered = [e.detail["value"] for e in repo.audit_events(abstained) if e.action == "term.entered"]
    assert entered == ["2027-03-31", "P60D", "P30D"]


@pytest.mark.parametrize("name, body, status, complaint", [
    ("expiration_date", {"value": "31/03/2027"}, 400, "ISO date"),
    ("expiration_date", {"value": "2027-02-30"}, 400, "ISO date"),
    ("notice_period", {"value": "60 days"}, 400, "ISO 8601 duration"),
    ("notice_period", {"value": "P99999999Y"}, 400, "at most 100 years"),
    ("notice_period", {"value": "P36600D"}, 400, "at most 100 years"),
    ("renewal_term", {"value": "P9999999999999999999999D"}, 400, "at most 100 years"),
    ("initial_term", {"value": "P0D"}, 400, "longer than zero"),
    ("renewal_term", {"value": "P0Y0M"}, 400, "longer than zero"),
    ("auto_renewal", {"value": "maybe"}, 400, "yes or no"),
    ("governing_law", {"value": "   "}, 400, "non-empty"),
    ("notice_deadline", {"value": "2027-01-01"}, 400, "cannot be entered"),
    ("expiration_date", {"value": "2027-03-31", "extra": 1}, 400, None),
])
def test_bad_entries_are_refused_with_what_is_expected(abstained, name, body, status, complaint):
    reply = entry(abstained, name, body)
    assert reply.status == status, reply.text
    if complaint:
        assert complaint in reply.message
    assert "expiration_date" not in call("GET", f"/contracts/{abstained}", claims=EDITOR).json()["terms"] \
        or name != "expiration_date"


def test_a_notice_period_longer_than_the_renewal_term_is_refused_and_not_recorded(abstained):
    assert entry(abstained, "renewal_term", {"value": "P1Y"}).status == 200
    reply = entry(abstained, "notice_period", {"value": "P18M", "note": "clause 9"})
    assert reply.status == 400, reply.text
    assert "notice_period P18M does not fit the contract's renewal_term P1Y" in reply.message
    assert "notice_period" not in repo.current_terms(abstained)
    assert [e.detail["name"] for e in repo.audit_events(abstained) if e.action == "term.entered"] == ["renewal_term"]
    # the term shortened below a notice period already entered is refused the same way
    assert entry(abstained, "notice_period", {"value": "P60D"}).status == 200
    reply = entry(abstained, "renewal_term", {"value": "P30D"})
    assert reply.status == 400 and "renewal_term P30D does not fit the contract's notice_period P60D" in reply.message
    assert repo.current_terms(abstained)["renewal_term"].value == "P1Y"


def test_only_the_teams_editors_enter_terms(abstained):
    body = {"value": True}
    assert entry(abstained, "auto_renewal", body, claims(TEAM, "viewer")).status == 403
    assert entry(abstained, "auto_renewal", body, claims("someone-else", "admin")).status == 404
    assert call("PUT", f"/contracts/{abstained}/terms/auto_renewal", body=body).status == 401
    reply = entry(abstained, "auto_renewal", {"value": "no"})
    assert reply.status == 200 and reply.json()["value"] is False


AMENDMENT_TEXT = (
    "AMENDMENT NO. 1 TO CONSULTING AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into as of "
    "September 15, 2026 by and between Acme Widgets, Inc. (\"Client\") and Blue Heron Consulting LLC "
    "(\"Consultant\").\nRECITALS\nA. The parties are parties to that certain Consulting Agreement dated "
    "February 27, 2026.\n1. Client shall pay each invoice within forty-five (45) days of receipt.\n")


def test_an_entered_agreement_date_applies_the_amendment_waiting_for_it(cloud, abstained, tmp_path):
    """The amendment names the agreement of February 27 (the day it was signed); the extraction
    read only its effective date, March 1. The amendment waits with its reason; once a person
    enters the agreement date, it is applied to the contract, and one uploaded later finds it too."""
    path = tmp_path / "amendment.pdf"
    path.write_bytes(make_pdf(AMENDMENT_TEXT))
    cloud.upload(path, {"team": TEAM})
    cloud.pump()
    amendment = contract_id_for(sha256_hex(path.read_bytes()))
    waiting = repo.get_contract(amendment)
    assert waiting.amends_contract_id is None and "dated 2026-02-27" in waiting.status_reason

    reply = entry(abstained, "agreement_date", {"value": "2026-02-27", "note": "signed on the 27th"})
    assert reply.status == 200, reply.text
    cloud.pump()

    applied = repo.get_contract(amendment)
    assert applied.amends_contract_id == abstained and applied.status_reason is None
    assert repo.get_contract(abstained).amended_by == [amendment]
    terms = call("GET", f"/contracts/{abstained}", claims=EDITOR).json()["terms"]
    assert terms["payment_terms"]["value"] == "P45D" and terms["payment_terms"]["source"]["contract_id"] == amendment
    assert repo.dated(repo.get_contract(abstained).team, "C", "2026-02-27") == [abstained]


def test_an_entered_agreement_date_applies_the_waiting_amendment_even_when_the_deadlines_fail(
        cloud, abstained, tmp_path, monkeypatch):
    """A request is not delivered again: when recomputing the contract's deadlines fails, the
    amendment waiting for the entered date is applied all the same (the request fails)."""
    path = tmp_path / "amendment.pdf"
    path.write_bytes(make_pdf(AMENDMENT_TEXT))
    cloud.upload(path, {"team": TEAM})
    cloud.pump()
    amendment = contract_id_for(sha256_hex(path.read_bytes()))
    assert repo.get_contract(amendment).amends_contract_id is None
    real_refresh, calls = record.refresh_deadlines, []

    def refresh(contract, **kwargs):
        calls.append(contract.contract_id)
        if len(calls) == 1:
            raise RuntimeError("the table throttled")
        return real_refresh(contract, **kwargs)

    monkeypatch.setattr(record, "refresh_deadlines", refresh)
    with pytest.raises(RuntimeError, match="throttled"):  # the invocation's error (API Gateway: 502)
        entry(abstained, "agreement_date", {"value": "2026-02-27"})
    assert repo.get_contract(amendment).amends_contract_id == abstained
    assert repo.get_contract(abstained).amended_by == [amendment]


def test_an_entered_agreement_date_is_marked_before_the_record_holds_it(cloud, abstained, monkeypatch):
    """As on extraction: the marker of the entered day is written before the record that holds it,
    so an amendment's look by markers alone never misses a contract whose date a person entered."""
    team = repo.get_contract(abstained).team
    real_update, seen = repo.update_contract, []

    def update(contract, **fields):
        extraction = fields.get("extraction") or {}
        if contract.contract_id == abstained and "agreement_date" in (extraction.get("terms") or {}):
            seen.append(abstained in repo.dated(team, "C", "2026-02-27"))
        return real_update(contract, **fields)

    monkeypatch.setattr(repo, "update_contract", update)
    assert repo.dated(team, "C", "2026-02-27") == []
    reply = entry(abstained, "agreement_date", {"value": "2026-02-27"})
    assert reply.status == 200, reply.text
    assert seen and all(seen), seen


def test_an_entry_made_while_an_amendment_waited_settles_it_when_applied_audited(cloud, abstained, tmp_path):
    """An amendment read as changing nothing, naming the renewal, waits for the agreement of its
    day; a person enters the renewal term meanwhile, then the agreement date: applied, it is not
    flagged, and that is said on both trails with the entry named (was: no flag, nothing said)."""
    path = tmp_path / "amendment.pdf"
    path.write_bytes(make_pdf(AMENDMENT_TEXT.replace(
        "1. Client shall pay each invoice within forty-five (45) days of receipt.",
        "1. Renewal. Section 3 of the Agreement is amended as set out in Exhibit A.")))
    cloud.upload(path, {"team": TEAM})
    cloud.pump()
    amendment = contract_id_for(sha256_hex(path.read_bytes()))
    assert repo.get_contract(amendment).amends_contract_id is None
    assert entry(abstained, "renewal_term", {"value": "P1Y"}).status == 200
    assert entry(abstained, "agreement_date", {"value": "2026-02-27"}).status == 200
    cloud.pump()
    assert repo.get_contract(amendment).amends_contract_id == abstained
    for contract_id in (abstained, amendment):
        assert [f for f in repo.get_contract(contract_id).extracted.attention
                if f["kind"] == record.NO_CHANGE_READ] == []
        [line] = [e for e in repo.audit_events(contract_id) if e.action == "amendment.settled_by_entry"]
        assert (line.detail["entry"]["name"], line.detail["entry"]["value"]) == ("renewal_term", "P1Y")
        assert line.detail["amendment_id"] == amendment
