"""A contract's jurisdiction changed after upload (legal-ops QA of 2026-12-06: a wrong one chosen at
upload could not be fixed): ``PUT /contracts/{id}/jurisdiction`` checks it as the upload does,
audits it, and everything counted with the contract's calendar follows it as it follows a governing
law entered: the business-day notice deadline is recounted, the reminder days follow; null falls back to the governing law.

Thirty business days before Wednesday 30 June 2027: 18 May with England's holidays, 17 May with New
York's, 19 May with Japan's (tests/unit/test_contract_calendar.py)."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch import clock
from clausewatch.pipeline.record import contract_info
from clausewatch.plan import deadlines_for_contract, plan_reminders
from clausewatch.store import repository as repo
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.integration.test_contract_calendar_e2e import AMENDMENT, EDITOR, TEXT, _notice, _recounts, _upload

USER = "dana.kowalski@example.com"


@pytest.fixture
def at_now(cloud):
    clock.set_now(NOW)
    yield


def _set(contract_id: str, jurisdiction: str | None, who: dict = EDITOR):
    return call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=who, body={"jurisdiction": jurisdiction})


def _trail(contract_id: str, action: str, who: dict = EDITOR) -> list[dict]:
    audit = call("GET", f"/contracts/{contract_id}/audit", claims=who, query={"limit": 100}).json()["items"]
    return [e for e in audit if e["action"] == action]


def _reminder_days(contract_id: str) -> dict[int, date]:
    """The notice deadline's reminder days as the planner plans them now (lead days: day)."""
    contract = repo.get_contract(contract_id)
    info = contract_info(contract)
    deadlines = deadlines_for_contract(info, contract.extracted, date(2026, 12, 6))
    reminders = plan_reminders(info, [d for d in deadlines if d.obligation_id == "notice_deadline"], NOW)
    return {r.lead_days: r.fire_at.date() for r in reminders}


# --- 1. the route -----------------------------------------------------------------------------------

def test_a_jurisdiction_set_recounts_the_notice_deadline_and_the_reminder_days_audited(cloud, tmp_path, at_now):
    """Uploaded as US-NY (17 May), set to Japan: 19 May, its arithmetic naming the calendar, who set
    it and the day counted before; the 14-day reminder moves off Children's Day (5 May) to Friday
    30 April; the trail has the change (old, new, who) and the recount."""
    contract_id = _upload(cloud, tmp_path, "services-ny.pdf", TEXT, jurisdiction="US-NY")
    assert _notice(contract_id)[0] == "2027-05-17"
    assert _reminder_days(contract_id)[14] == date(2027, 5, 3)
    reply = _set(contract_id, "JP")
    assert reply.status == 200, reply.text
    assert reply.json()["jurisdiction"] == "JP"
    cloud.pump()
    value, derivation, due = _notice(contract_id)
    assert (value, due) == ("2027-05-19", "2027-05-19")
    assert derivation == ("expiration_date 2027-06-30 - P30BD (business days, JP holidays) = 2027-05-19: recounted "
                          f"with the contract's calendar (the jurisdiction JP set by {USER}) because the jurisdiction "
                          f"was set to JP by {USER} (was US-NY); counted before with US-NY holidays: 2027-05-17")
    [obligation] = [o for o in repo.obligations(contract_id) if o.obligation_id == "notice_deadline"]
    assert (obligation.due, obligation.derivation) == ("2027-05-19", derivation)
    assert _reminder_days(contract_id)[14] == date(2027, 4, 30)
    [changed] = _trail(contract_id, "contract.jurisdiction_set")
    assert changed["actor"] == USER
    assert {k: changed["detail"][k] for k in ("from", "to", "previous_calendar", "calendar")} == {
        "from": "US-NY", "to": "JP", "previous_calendar": "US-NY holidays", "calendar": "JP holidays"}
    recounts = _recounts(contract_id)
    assert (recounts[-1]["previous"], recounts[-1]["value"], recounts[-1]["previous_calendar"],
            recounts[-1]["calendar"]) == ("2027-05-17", "2027-05-19", "US-NY holidays", "JP holidays")
    # the same again: nothing changes, nothing audited
    assert _set(contract_id, "JP").status == 200
    assert len(_trail(contract_id, "contract.jurisdiction_set")) == 1 and _recounts(contract_id) == recounts


def test_a_jurisdiction_cleared_falls_back_to_the_governing_law(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-ny.pdf", TEXT, jurisdiction="US-NY")
    reply = _set(contract_id, None)
    assert reply.status == 200, reply.text
    assert reply.json()["jurisdiction"] is None
    value, derivation, due = _notice(contract_id)
    assert (value, due) == ("2027-05-18", "2027-05-18")
    assert derivation == ("expiration_date 2027-06-30 - P30BD (business days, GB-ENG holidays) = 2027-05-18: recounted "
                          "with the contract's calendar (the governing law 'England and Wales') because the "
                          f"jurisdiction US-NY was cleared by {USER}; counted before with US-NY holidays: 2027-05-17")
    [changed] = _trail(contract_id, "contract.jurisdiction_set")
    assert (changed["detail"]["from"], changed["detail"]["to"], changed["detail"]["calendar"]) == (
        "US-NY", None, "GB-ENG holidays")
    assert repo.get_contract(contract_id).jurisdiction is None


def test_an_unknown_jurisdiction_is_a_400_that_says_what_to_send_and_changes_nothing(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-ny.pdf", TEXT, jurisdiction="US-NY")
    for bad in ("XX-YY", "Atlantis", " "):
        reply = _set(contract_id, bad)
        assert reply.status == 400, (bad, reply.text)
        assert "US-NY" in reply.json()["message"], reply.text  # an example of what to send
    assert "unknown jurisdiction 'XX-YY'" in _set(contract_id, "XX-YY").json()["message"]
    assert _set(contract_id, "US-NY-EXTRA-LONG-CODE").status == 400  # longer than an upload takes
    assert repo.get_contract(contract_id).jurisdiction == "US-NY" and _notice(contract_id)[0] == "2027-05-17"
    assert _trail(contract_id, "contract.jurisdiction_set") == []
    # a viewer may not; another team's contract is not found
    assert _set(contract_id, "JP", who=claims("legal-ops", "viewer")).status == 403
    assert _set(contract_id, "JP", who=claims("procurement", "editor")).status == 404


def test_a_jurisdiction_refused_at_upload_is_set_and_its_note_settled(cloud, tmp_path, at_now):
    """Intake refused 'Atlantis' (the contract is on Needs attention with the note): the person sets
    GB-ENG and the note goes."""
    contract_id = _upload(cloud, tmp_path, "services-bad.pdf", TEXT, jurisdiction="Atlantis")
    attention = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()["attention"]
    assert any("unknown jurisdiction 'Atlantis'" in a["message"] for a in attention)
    reply = _set(contract_id, "GB-ENG")
    assert reply.status == 200, reply.text
    assert not any("jurisdiction" in a["message"] for a in reply.json()["attention"])
    assert _notice(contract_id)[0] == "2027-05-18"  # GB-ENG, as the governing law counted it: no recount
    assert _recounts(contract_id) == []


def test_an_amendments_jurisdiction_is_its_contracts_409(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-eng.pdf", TEXT)
    amendment_id = _upload(cloud, tmp_path, "amendment-1-services.pdf", AMENDMENT)
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    reply = _set(amendment_id, "GB-ENG")
    assert reply.status == 409 and "the contract it amends" in reply.json()["message"]
