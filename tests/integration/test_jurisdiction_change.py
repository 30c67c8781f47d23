"""A contract's jurisdiction changed after upload (legal-ops QA of 2026-12-06: a wrong one chosen at
upload could not be fixed): ``PUT /contracts/{id}/jurisdiction`` checks it as the upload does,
audits it, and everything counted with the contract's calendar follows it as it follows a governing
law entered: the business-day notice deadline is recounted, the reminder days and a renewal
decision waiting for a person follow; null falls back to the governing law.

And a renewal decision under way follows a calendar changed alone: its decide-by day is counted
with the contract's calendar now (it kept the day counted with the old one when the notice
deadline's day did not move).

Thirty business days before Wednesday 30 June 2027: 18 May with England's holidays, 17 May with New
York's, 19 May with Japan's (tests/unit/test_contract_calendar.py). Ten business days before the
SaaS sample's notice deadline of 30 December 2026: 15 December with New York's holidays, 14 with
England's (Christmas and the Boxing Day holiday moved to Monday 28 December); the final cut-off,
three business days before it: 24 December with New York's, 23 with England's."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clausewatch import clock, dates
from clausewatch.config import Settings
from clausewatch.pipeline import entries
from clausewatch.pipeline.record import contract_info
from clausewatch.plan import deadlines_for_contract, plan_reminders
from clausewatch.renewal import planning, steps, store
from clausewatch.schema import RenewalState
from clausewatch.store import repository as repo
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.integration.test_contract_calendar_e2e import AMENDMENT, EDITOR, TEXT, _notice, _recounts, _upload
from tests.integration.test_renewal_workflow import SAAS_ID, asked_saas, body_text, mails_since

USER = "dana.kowalski@example.com"
SAAS_OWNER = "priya.raman@example.com"
SAAS_EDITOR = claims("procurement", "editor", "lee.chen@example.com")


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


# --- 2. a renewal decision waiting for a person follows the calendar ------------------------------------

@pytest.fixture(scope="module")
def saas_waiting(save_cloud):
    return save_cloud(asked_saas)


@pytest.fixture
def waiting(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    return cloud


def _requests_since(cloud, count: int) -> list:
    return [m for m in mails_since(cloud, count) if "renewal decision needed" in m["Subject"].lower()]


def test_a_jurisdiction_changed_while_the_owner_is_asked_moves_the_decide_by_day(waiting):
    """The SaaS decision waits for its owner until 15 December (ten New York business days before
    the notice deadline of 30 December). Set to England: the notice deadline stays (60 calendar days),
    the owner now decides by 14 December and is asked again, once (was: 15 December kept)."""
    before = store.latest(SAAS_ID)
    assert before.state == RenewalState.WAITING and before.recommendation["owner_decides_by"] == "2026-12-15"
    sent = len(waiting.sent_mail())
    reply = _set(SAAS_ID, "GB-ENG", who=SAAS_EDITOR)
    assert reply.status == 200, reply.text
    waiting.pump()
    item = store.latest(SAAS_ID)
    assert item.notice_deadline == "2026-12-30" and item.waiting_round == "owner"
    # (the final cut-off, three business days before: 23 December, was New York's 24th)
    assert (item.recommendation["owner_decides_by"], item.recommendation["final_cutoff"]) == ("2026-12-14",
                                                                                              "2026-12-23")
    assert "10 business days (GB-ENG holidays) = 2026-12-14" in item.recommendation["cutoff_derivation"]
    assert datetime.fromisoformat(item.wait_deadline) == dates.end_of_day(date(2026, 12, 14), "America/New_York")
    [recounted] = [h for h in item.history if h["action"] == store.CUTOFFS_RECOUNTED]
    assert (recounted["previous_calendar"], recounted["calendar"], recounted["decide_by"]) == (
        "US-NY holidays", "GB-ENG holidays", "2026-12-14")
    [asked] = _requests_since(waiting, sent)
    assert asked["To"] == SAAS_OWNER
    assert "Renewal decision needed by 14 Dec 2026 (calendar changed to GB-ENG holidays)" in asked["Subject"]
    text = body_text(asked)
    assert "the contract's calendar changed from US-NY holidays to GB-ENG holidays" in text
    assert "decide by 2026-12-14" in text and "the link mailed before no longer works" in text
    assert steps.asked_decide_by(item) == "2026-12-14"
    # planned again (the sweep, a redelivered record): nobody is asked twice, nothing recounted again
    planning.follow_notice_deadline(Settings.from_env(), repo.get_contract(SAAS_ID))
    waiting.pump()
    assert len(_requests_since(waiting, sent)) == 1
    assert len([h for h in store.latest(SAAS_ID).history if h["action"] == store.CUTOFFS_RECOUNTED]) == 1


def test_a_governing_law_entered_that_changes_the_calendar_moves_the_decide_by_day(waiting):
    """No jurisdiction (cleared: the governing law New York counts, the same calendar, nothing moves),
    then the governing law entered as England and Wales: the owner decides by 14 December."""
    assert _set(SAAS_ID, None, who=SAAS_EDITOR).status == 200
    waiting.pump()
    item = store.latest(SAAS_ID)
    assert item.recommendation["owner_decides_by"] == "2026-12-15"
    assert not [h for h in item.history if h["action"] == "cutoffs.recounted"]
    entries.enter_term(SAAS_ID, "governing_law", "England and Wales", note="clause 14 as signed",
                       actor=SAAS_OWNER, team="procurement")
    waiting.pump()
    item = store.latest(SAAS_ID)
    assert item.notice_deadline == "2026-12-30"
    assert item.recommendation["owner_decides_by"] == "2026-12-14"
    assert steps.asked_decide_by(item) == "2026-12-14"


def test_a_calendar_change_that_moves_a_business_day_notice_deadline_moves_the_decide_by_day(waiting):
    """A notice period of 30 business days entered, then the jurisdiction set to England: the notice
    deadline is recounted with England's holidays and the owner's day is counted from it with them."""
    entries.enter_term(SAAS_ID, "notice_period", "P30BD", note="the order form", actor=SAAS_OWNER, team="procurement")
    waiting.pump()
    ny = store.latest(SAAS_ID).notice_deadline
    assert _set(SAAS_ID, "GB-ENG", who=SAAS_EDITOR).status == 200
    waiting.pump()
    contract = repo.get_contract(SAAS_ID)
    item = store.latest(SAAS_ID)
    notice = dates.subtract_duration(date(2027, 2, 28), "P30BD", "GB-ENG")
    assert contract.current_notice_deadline == item.notice_deadline == notice.isoformat() != ny
    owner_day = dates.add_business_days(notice, -10, "GB-ENG")
    assert item.recommendation["owner_decides_by"] == owner_day.isoformat()
    assert steps.asked_decide_by(item) == owner_day.isoformat()


def test_a_jurisdiction_in_small_letters_is_the_calendar_and_a_note_says_why(cloud, tmp_path, at_now):
    """QA of 2026-12-07: "us-ny" was stored as sent (and US-NY afterwards audited as a change with the
    same calendars), and none of the contract's field changes could say why. Each takes a note, kept
    on its audit line."""
    contract_id = _upload(cloud, tmp_path, "services-ny.pdf", TEXT)
    reply = call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                 body={"jurisdiction": "jp", "note": "governed by Japanese law per the order form"})
    assert reply.status == 200 and reply.json()["jurisdiction"] == "JP", reply.text
    assert _set(contract_id, "JP").status == 200
    [changed] = _trail(contract_id, "contract.jurisdiction_set")
    assert changed["detail"]["to"] == "JP" and changed["detail"]["note"] == "governed by Japanese law per the order form"
    assert call("PUT", f"/contracts/{contract_id}/time-zone", claims=EDITOR,
                body={"time_zone": "Asia/Tokyo", "note": "the customer's office"}).status == 200
    [zoned] = _trail(contract_id, "contract.time_zone_set")
    assert zoned["detail"]["note"] == "the customer's office"
    assert call("PUT", f"/contracts/{contract_id}/owner", claims=EDITOR,
                body={"owner": "sam.new@example.com", "note": "Priya moved to EMEA"}).status == 200
    [owned] = _trail(contract_id, "contract.owner_set")
    assert owned["detail"]["note"] == "Priya moved to EMEA"


def test_a_jurisdiction_stored_in_small_letters_is_the_same_one_in_capitals(cloud, tmp_path, at_now):
    """API QA NIT: a jurisdiction stored as "us-ny" (sent so before 2026-12-07, when it was kept as
    sent; the same calendar: US-NY holidays) was audited as a change when US-NY was set, and written.
    Compared in one spelling: the same jurisdiction, nothing written, nothing audited."""
    contract_id = _upload(cloud, tmp_path, "services-ny.pdf", TEXT)
    stored = repo.get_contract(contract_id)
    repo.update_contract(stored, actor="before", jurisdiction="us-ny", jurisdiction_set_by=USER)  # as stored then
    cloud.pump()
    before = repo.get_contract(contract_id)
    notice = _notice(contract_id)
    for same in ("US-NY", "us-ny", "Us-Ny"):
        reply = _set(contract_id, same)
        assert reply.status == 200, reply.text
    cloud.pump()
    assert _trail(contract_id, "contract.jurisdiction_set") == []
    after = repo.get_contract(contract_id)
    assert (after.jurisdiction, after.version) == ("us-ny", before.version)
    assert _notice(contract_id) == notice
    # another jurisdiction is a change still
    assert _set(contract_id, "GB-ENG").status == 200
    [changed] = _trail(contract_id, "contract.jurisdiction_set")
    assert (changed["detail"]["from"], changed["detail"]["to"]) == ("us-ny", "GB-ENG")


def test_a_jurisdiction_stored_in_small_letters_is_shown_in_capitals_and_counts_that_calendar(cloud, tmp_path,
                                                                                              at_now):
    """API QA of 2026-12-07: a jurisdiction stored as "us-ny" (before intake upper-cased it) was shown
    so by the API, the CLI and so the web page until a person set it again. Shown in its one spelling
    (US-NY) without rewriting it; its holiday calendar is US-NY's already."""
    from clausewatch.local.cli import contract_fields_line
    from clausewatch.pipeline.record import calendar_source, contract_jurisdiction

    contract_id = _upload(cloud, tmp_path, "services-ny.pdf", TEXT)
    stored = repo.get_contract(contract_id)
    repo.update_contract(stored, actor="before", jurisdiction="us-ny", jurisdiction_set_by=USER)  # as stored then
    cloud.pump()
    assert call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()["jurisdiction"] == "US-NY"
    assert _set(contract_id, "us-ny").json()["jurisdiction"] == "US-NY"  # the same: nothing written
    contract = repo.get_contract(contract_id)
    assert contract.jurisdiction == "us-ny"
    assert calendar_source(contract) == f"the jurisdiction US-NY set by {USER}"
    assert f"business days with US-NY holidays (the jurisdiction US-NY set by {USER})" in contract_fields_line(contract)
    # the calendar it counts is US-NY's: Lincoln's Birthday (a New York holiday) is no business day
    calendar = contract_jurisdiction(contract)
    assert dates.same_calendar(calendar, "US-NY") and dates.holidays_words(calendar) == "US-NY holidays"
    assert dates.holiday_name(date(2027, 2, 12), calendar) == "Lincoln's Birthday"
    assert not dates.is_business_day(date(2027, 2, 12), calendar)
