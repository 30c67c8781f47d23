"""One holiday calendar per contract, end to end (legal-ops QA of 2026-12-06): the extractor's
business-day notice deadline is recounted with the upload's jurisdiction when it names another
calendar than the governing law; a governing law entered by a person, or amended, recounts every
business-day deadline with the new calendar (notice deadline, reminder days), audited with the old
and new value and why.

Thirty business days before Wednesday 30 June 2027: 18 May with England's holidays, 17 May with New
York's, 19 May with Japan's (tests/unit/test_contract_calendar.py)."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.pipeline.record import contract_info
from clausewatch.plan import deadlines_for_contract, plan_reminders
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.pdfs import make_pdf

TEAM = "legal-ops"
EDITOR = claims(TEAM, "editor", "dana.kowalski@example.com")
TEXT = ("SERVICES AGREEMENT\nThis Services Agreement is entered into as of July 1, 2025 (the \"Effective Date\") "
        "between Acme Widgets, Inc. (\"Customer\") and Blue Heron Services Limited (\"Provider\").\n1. Term. The "
        "initial term of this Agreement begins on the Effective Date and ends on June 30, 2027. Thereafter this "
        "Agreement shall automatically renew for successive one (1) year terms unless either party gives written "
        "notice of non-renewal at least thirty (30) business days before the end of the then-current term.\n"
        "2. Governing Law. This Agreement is governed by the laws of England and Wales.")
AMENDMENT = ("AMENDMENT NO. 1 TO SERVICES AGREEMENT\nThis Amendment (this \"Amendment\") is entered into as of "
             "December 1, 2026 by and between Acme Widgets, Inc. and Blue Heron Services Limited.\nRECITALS\n"
             "A. The parties are parties to that certain Services Agreement dated July 1, 2025.\n"
             "1. Section 2 of the Agreement is amended to read: This Agreement is governed by the laws of Japan.\n")


def _upload(cloud, tmp_path, name: str, text: str, **metadata: str) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com", "time-zone": "Europe/London",
                        **metadata})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def _notice(contract_id: str) -> tuple[str, str, str]:
    """(the notice deadline term's value and derivation, the notice deadline obligation's due)."""
    contract = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    term = contract["terms"]["notice_deadline"]
    [obligation] = [o for o in contract["obligations"] if o["id"] == "notice_deadline"]
    return term["value"], term["derivation"], obligation["due"]


def _recounts(contract_id: str) -> list[dict]:
    audit = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    return [e["detail"] for e in audit if e["action"] == "notice_deadline.recounted"]


@pytest.fixture
def at_now(cloud):
    clock.set_now(NOW)
    yield


def test_the_extractors_deadline_is_recounted_with_the_uploads_jurisdiction(cloud, tmp_path, at_now):
    """Metadata US-NY, governing law England: the extractor counted 18 May (England's holidays); the
    contract's calendar is New York's, 17 May (was: 18 May planned and mailed, the renewal cut-offs
    and reminder days counted with New York's)."""
    contract_id = _upload(cloud, tmp_path, "services-ny.pdf", TEXT, jurisdiction="US-NY")
    value, derivation, due = _notice(contract_id)
    assert (value, due) == ("2027-05-17", "2027-05-17")
    assert derivation.startswith("expiration_date 2027-06-30 - P30BD (business days, US-NY holidays) = 2027-05-17: "
                                 "recounted with the contract's calendar (the upload's jurisdiction US-NY)")
    assert derivation.endswith("counted before with GB-ENG holidays: 2027-05-18")
    [recount] = _recounts(contract_id)
    assert (recount["previous"], recount["value"], recount["previous_calendar"], recount["calendar"]) == (
        "2027-05-18", "2027-05-17", "GB-ENG holidays", "US-NY holidays")
    # the obligation's arithmetic is the term's
    [obligation] = [o for o in repo.obligations(contract_id) if o.obligation_id == "notice_deadline"]
    assert obligation.derivation == derivation
    # delivered again: no second recount on the trail
    from clausewatch.pipeline import record

    contract = repo.get_contract(contract_id)
    from clausewatch.extract import extract_contract

    record.record_extraction(contract, extract_contract([TEXT], source="services-ny.pdf"), actor="pipeline")
    assert len(_recounts(contract_id)) == 1 and _notice(contract_id)[0] == "2027-05-17"


def test_the_governing_laws_calendar_counts_without_an_upload_jurisdiction(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-eng.pdf", TEXT)
    assert _notice(contract_id) == ("2027-05-18", "expiration_date 2027-06-30 - P30BD (business days, GB-ENG holidays)",
                                    "2027-05-18")
    assert _recounts(contract_id) == []


def test_a_governing_law_entered_recounts_the_notice_deadline_and_the_reminder_days(cloud, tmp_path, at_now):
    """A person enters the governing law Japan (read as England): the notice deadline is counted with
    Japan's holidays, 19 May (was: 18 May kept), audited with both values and why; the reminder days
    follow the new calendar (the 14-day reminder's 5 May is Children's Day in Japan: moved back to
    Friday 30 April, past Golden Week)."""
    contract_id = _upload(cloud, tmp_path, "services-eng.pdf", TEXT)
    reply = call("PUT", f"/contracts/{contract_id}/terms/governing_law", claims=EDITOR,
                 body={"value": "Japan", "note": "clause 2 as signed"})
    assert reply.status == 200, reply.text
    value, derivation, due = _notice(contract_id)
    assert (value, due) == ("2027-05-19", "2027-05-19")
    assert derivation == ("expiration_date 2027-06-30 - P30BD (business days, JP holidays) = 2027-05-19: recounted "
                          "with the contract's calendar (the governing law 'Japan') because the governing law was "
                          "entered by dana.kowalski@example.com; counted before with GB-ENG holidays: 2027-05-18")
    [recount] = _recounts(contract_id)
    assert (recount["previous"], recount["value"], recount["calendar"]) == ("2027-05-18", "2027-05-19", "JP holidays")
    assert recount["why"] == "the governing law was entered by dana.kowalski@example.com"
    contract = repo.get_contract(contract_id)
    info = contract_info(contract)
    assert info.jurisdiction == "Japan"
    deadlines = deadlines_for_contract(info, contract.extracted, date(2026, 12, 6))
    reminders = plan_reminders(info, [d for d in deadlines if d.obligation_id == "notice_deadline"], NOW)
    assert {r.lead_days: r.fire_at.date() for r in reminders}[14] == date(2027, 4, 30)
    # entered again as it is: nothing to recount
    call("PUT", f"/contracts/{contract_id}/terms/governing_law", claims=EDITOR, body={"value": "Japan"})
    assert len(_recounts(contract_id)) == 1


def test_an_amendment_of_the_governing_law_recounts_the_notice_deadline(cloud, tmp_path, at_now):
    contract_id = _upload(cloud, tmp_path, "services-eng.pdf", TEXT)
    amendment_id = _upload(cloud, tmp_path, "amendment-1-services.pdf", AMENDMENT)
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    value, derivation, due = _notice(contract_id)
    assert (value, due) == ("2027-05-19", "2027-05-19")  # was 18 May: England's holidays still counted
    assert "(business days, JP holidays) = 2027-05-19: recounted with the contract's calendar (the governing law " \
           "'Japan') because amendment-1-services.pdf amended the governing law" in derivation
    [recount] = _recounts(contract_id)
    assert (recount["previous"], recount["value"]) == ("2027-05-18", "2027-05-19")
    assert recount["why"] == "amendment-1-services.pdf amended the governing law"


def test_a_notice_period_entered_is_counted_with_the_governing_laws_calendar(cloud, tmp_path, at_now):
    """No upload jurisdiction, governing law England: a notice period a person enters is counted with
    England's holidays, 25 May 2027 (was: the upload's jurisdiction only, none: US holidays, 24 May)."""
    contract_id = _upload(cloud, tmp_path, "services-eng.pdf", TEXT)
    reply = call("PUT", f"/contracts/{contract_id}/terms/notice_period", claims=EDITOR, body={"value": "P25BD"})
    assert reply.status == 200, reply.text
    assert _notice(contract_id) == (
        "2027-05-25", "expiration_date 2027-06-30 - P25BD (business days, GB-ENG holidays) (from notice_period "
        "entered by dana.kowalski@example.com)", "2027-05-25")
