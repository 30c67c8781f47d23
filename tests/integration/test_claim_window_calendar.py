"""A credit claim's window in business days follows the contract's calendar when it changes (until
2026-12-07 a claim counted before a jurisdiction was set, or a governing law entered, kept its day:
a claim due a day later than the contract allows).

"Within ten (10) Business Days after the end of the month", October 2026 (ends Saturday the 31st):
Tuesday 17 November with New York's holidays (Election Day, Tuesday 3 November, and Veterans Day,
Wednesday 11 November, are two), Friday 13 November with England's (tests/unit/test_money.py counts
the same way for August)."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.pipeline.money import breach_finding_id
from clausewatch.store import money as store
from tests.integration.api_support import NOW, call, no_scan_in_api_requests  # noqa: F401
from tests.integration.test_contract_calendar_e2e import EDITOR, TEAM, _upload

TEXT = ("HOSTING AGREEMENT\nThis Hosting Agreement is entered into as of January 1, 2026 (the \"Effective Date\") "
        "between Acme Widgets, Inc. (\"Customer\") and Blue Heron Hosting LLC (\"Provider\").\n"
        "1. Fees. Customer shall pay hosting fees of $10,000 per month (the \"Monthly Fees\").\n"
        "2. Service Levels. Provider shall make the Service available 99.9% of the time in each calendar month. "
        "Service credits apply as a percentage of the Monthly Fees:\n99.0% - 99.9%: 10%\n95.0% - 99.0%: 25%\n"
        "Customer must claim a credit within ten (10) Business Days after the end of the month.\n"
        "3. Governing Law. This Agreement is governed by the laws of the State of New York.")
CLAIM = "credit-2026-10-availability"


@pytest.fixture
def breached(cloud, tmp_path):
    """The hosting agreement, its October availability below target: a credit claim due 17 November."""
    clock.set_now(NOW)
    contract_id = _upload(cloud, tmp_path, "hosting.pdf", TEXT)
    reply = call("POST", f"/contracts/{contract_id}/metrics", claims=EDITOR,
                 body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    assert reply.status == 202, reply.json()
    cloud.pump()
    assert _claim(contract_id)["due"] == "2026-11-17", _claim(contract_id)
    yield cloud, contract_id
    clock.set_now(None)


def _claim(contract_id: str) -> dict:
    contract = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    [claim] = [o for o in contract["obligations"] if o["id"] == CLAIM]
    return claim


def _claim_by(contract_id: str) -> tuple[str, str]:
    """The breach's own claim-by (what its email and `clausewatch findings` say)."""
    finding = store.get_finding(contract_id, breach_finding_id("2026-10", "availability"))
    return finding.detail["claim_by"], finding.detail["claim_derivation"]


def test_a_jurisdiction_set_recounts_an_open_claims_business_day_window(breached):
    cloud, contract_id = breached
    reply = call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR, body={"jurisdiction": "GB-ENG"})
    assert reply.status == 200, reply.json()
    cloud.pump()
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-13"
    assert claim["derivation"].startswith(
        "end of 2026-10 2026-10-31 + P10BD (business days, GB-ENG holidays) = 2026-11-13: recounted because the "
        "jurisdiction was set to GB-ENG by dana.kowalski@example.com; counted before: 2026-11-17; credit "), claim
    assert "by 2026-11-13" in claim["action"] and "2026-11-17" not in claim["action"]
    claim_by, derivation = _claim_by(contract_id)
    assert claim_by == "2026-11-13" and "GB-ENG holidays" in derivation
    # cleared: the governing law's calendar counts again
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                body={"jurisdiction": None}).status == 200
    cloud.pump()
    assert _claim(contract_id)["due"] == "2026-11-17"
    assert _claim_by(contract_id)[0] == "2026-11-17"


def test_a_governing_law_entered_recounts_it_too(breached):
    cloud, contract_id = breached
    reply = call("PUT", f"/contracts/{contract_id}/terms/governing_law", claims=EDITOR,
                 body={"value": "England and Wales"})
    assert reply.status == 200, reply.json()
    cloud.pump()
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-13"
    assert "recounted because the governing law was entered by dana.kowalski@example.com" in claim["derivation"]


def test_a_claim_already_made_keeps_its_day(breached):
    cloud, contract_id = breached
    done = call("POST", f"/contracts/{contract_id}/obligations/{CLAIM}/complete", claims=EDITOR,
                body={"note": "claimed by email on 12 November"})
    assert done.status == 200, done.json()
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                body={"jurisdiction": "GB-ENG"}).status == 200
    cloud.pump()
    claim = _claim(contract_id)
    assert (claim["due"], claim["status"]) == ("2026-11-17", "done")
    assert _claim_by(contract_id)[0] == "2026-11-17"


def test_a_claim_completed_while_it_is_recounted_is_not_reopened(breached, monkeypatch):
    """Review S1: the claim read open, then completed by another request before the recount wrote its
    new day: the write is refused (checked against the claim read) and, read again, the claim is
    done: it keeps its day and stays done (was: reopened, its completion cleared)."""
    from clausewatch.pipeline import money
    from clausewatch.schema import ObligationStatus
    from clausewatch.store import repository as repo

    cloud, contract_id = breached
    read = repo.get_obligation
    completed: list[str] = []

    def read_then_completed_elsewhere(cid, obligation_id):
        item = read(cid, obligation_id)
        if obligation_id == CLAIM and not completed:
            completed.append(obligation_id)  # another request completes it now
            repo.set_obligation_status(cid, CLAIM, ObligationStatus.DONE, team=TEAM,
                                       actor="lee@example.com", reason="claimed by phone")
        return item

    monkeypatch.setattr(repo, "get_obligation", read_then_completed_elsewhere)
    contract = repo.get_contract(contract_id)
    contract.jurisdiction = "GB-ENG"  # the calendar as a jurisdiction set would make it
    assert money.recount_claim_windows(contract, actor="dana@example.com", why="a test") == []
    monkeypatch.setattr(repo, "get_obligation", read)
    claim = _claim(contract_id)
    assert completed and (claim["due"], claim["status"]) == ("2026-11-17", "done")


def _recounted(contract_id: str) -> list[tuple[str, dict]]:
    """The trail's ``claim.recounted`` lines, oldest first: (actor, detail)."""
    audit = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR, query={"limit": 100}).json()
    assert audit["next_cursor"] is None
    return [(e["actor"], e["detail"]) for e in audit["items"] if e["action"] == "claim.recounted"]


def test_each_recount_has_its_own_audit_line(breached):
    """Until 2026-12-07 only the jurisdiction or the term was audited: the claim's old day, its new
    one and why were on no trail line of their own."""
    cloud, contract_id = breached
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                body={"jurisdiction": "GB-ENG"}).status == 200
    cloud.pump()
    [(actor, line)] = _recounted(contract_id)
    assert actor == "dana.kowalski@example.com"
    assert line == {"obligation_id": CLAIM, "period": "2026-10", "previous": "2026-11-17", "value": "2026-11-13",
                    "calendar": "GB-ENG holidays",
                    "why": "the jurisdiction was set to GB-ENG by dana.kowalski@example.com",
                    "derivation": _claim_by(contract_id)[1]}
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                body={"jurisdiction": None}).status == 200
    cloud.pump()
    assert [(d["previous"], d["value"], d["calendar"]) for _, d in _recounted(contract_id)] == [
        ("2026-11-17", "2026-11-13", "GB-ENG holidays"), ("2026-11-13", "2026-11-17", "US-NY holidays")]
    # a governing law entered that gives the same day: nothing moved, no line
    assert call("PUT", f"/contracts/{contract_id}/terms/governing_law", claims=EDITOR,
                body={"value": "New York"}).status == 200
    cloud.pump()
    assert len(_recounted(contract_id)) == 2
    # one that moves it: a line naming the entry
    assert call("PUT", f"/contracts/{contract_id}/terms/governing_law", claims=EDITOR,
                body={"value": "England and Wales"}).status == 200
    cloud.pump()
    *_, (actor, line) = _recounted(contract_id)
    assert (line["previous"], line["value"], line["why"]) == (
        "2026-11-17", "2026-11-13", "the governing law was entered by dana.kowalski@example.com")


def test_a_recount_stopped_before_its_trail_line_is_finished_when_sent_again(breached, monkeypatch):
    """Review: the claim moved, then its ``claim.recounted`` line failed; the request sent again found
    the claim at its day and the jurisdiction set, and wrote neither the line nor the finding's
    claim-by (the breach's email kept 17 November)."""
    from clausewatch.store import repository as repo

    cloud, contract_id = breached
    real, failed = repo.record_audit, []

    def failing_once(contract, actor, action, detail=None):
        if action == "claim.recounted" and not failed:
            failed.append(action)
            raise RuntimeError("throttled")
        return real(contract, actor, action, detail)

    monkeypatch.setattr(repo, "record_audit", failing_once)
    try:
        first = call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                     body={"jurisdiction": "GB-ENG"}).status
    except RuntimeError:
        first = None
    assert failed and first != 200
    assert _claim(contract_id)["due"] == "2026-11-13" and _claim_by(contract_id)[0] == "2026-11-17"  # half done
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                body={"jurisdiction": "GB-ENG"}).status == 200
    cloud.pump()
    [(actor, line)] = _recounted(contract_id)
    assert (line["previous"], line["value"], line["why"]) == (
        "2026-11-17", "2026-11-13", "the jurisdiction was set to GB-ENG by dana.kowalski@example.com")
    assert _claim_by(contract_id)[0] == "2026-11-13"
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                body={"jurisdiction": "GB-ENG"}).status == 200  # again: nothing more
    assert len(_recounted(contract_id)) == 1


# the credits in prose, no table read: the claim's window in business days is recounted all the same
PROSE = TEXT.replace("Service credits apply as a percentage of the Monthly Fees:\n99.0% - 99.9%: 10%\n"
                     "95.0% - 99.0%: 25%\n", "Provider will issue a service credit of 10% of the Monthly Fees for any "
                     "month below that level. ")


def test_a_claim_of_credits_stated_in_prose_is_recounted_with_its_clause_kept(cloud, tmp_path):
    clock.set_now(NOW)
    contract_id = _upload(cloud, tmp_path, "hosting-prose.pdf", PROSE)
    reply = call("POST", f"/contracts/{contract_id}/metrics", claims=EDITOR,
                 body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    assert reply.status == 202, reply.json()
    cloud.pump()
    assert _claim(contract_id)["due"] == "2026-11-17"  # was: no claim (the window read with a table only)
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", claims=EDITOR,
                body={"jurisdiction": "GB-ENG"}).status == 200
    cloud.pump()
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-13"
    assert "+ P10BD (business days, GB-ENG holidays) = 2026-11-13: recounted because" in claim["derivation"]
    # still an amount to check by hand, and the clause of the window, after the recount
    assert "credit not computed (tiers not read)" in claim["derivation"]
    assert "the claim window as stated on page 1" in claim["derivation"]
    assert "within ten (10) Business Days after the end of the month" in claim["derivation"]


# second review of hclaim8: a window in hours the new time zone gives no whole day for drops the claim day (was:
# the claim kept 2026-11-01, counted in the old zone, with no flag)
def test_a_time_zone_giving_no_claim_day_drops_it_and_flags_the_credit(cloud, tmp_path):
    from clausewatch.store import repository as repo
    clock.set_now(NOW)
    try:
        text = TEXT.replace("within ten (10) Business Days", "within twenty-four (24) hours")
        contract_id = _upload(cloud, tmp_path, "hosting-hours.pdf", text)
        assert call("POST", f"/contracts/{contract_id}/metrics", claims=EDITOR, body={
            "file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"}).status == 202
        cloud.pump()
        assert _claim(contract_id)["due"] == "2026-11-01"
        reply = call("PUT", f"/contracts/{contract_id}/time-zone", claims=EDITOR,
                     body={"time_zone": "America/New_York"})
        assert reply.status == 200, reply.json()
        cloud.pump()
        claim = repo.get_obligation(contract_id, CLAIM)
        assert claim.status == "cancelled"  # was: open, due 2026-11-01 (the old zone's day)
        finding = store.get_finding(contract_id, breach_finding_id("2026-10", "availability"))
        assert finding.detail["claim_by"] is None and finding.claim_obligation_id is None
        assert "America/New_York" in finding.detail["claim_derivation"]
        assert "Europe/London" not in finding.detail["claim_derivation"]
        flag = repo.get_contract(contract_id).credit_checks[finding.finding_id]
        assert "the claim window is in hours (PT24H from end of the measured period)" in flag
        audit = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
        [line] = [e for e in audit if e["action"] == "claim.recounted"]
        assert line["detail"]["previous"] == "2026-11-01" and line["detail"]["value"] is None
    finally:
        clock.set_now(None)


# hclaim9: the zone changed back gives the claim day again: the cancelled claim is opened again at the day the zone
# gives, the breach follows it, its flag is taken off, audited like the cancel; sent again, nothing more (was: the
# claim stayed cancelled and the credit was claimed by hand, though the window gives a whole day again)
def test_a_claim_day_a_time_zone_dropped_is_restored_by_a_zone_that_gives_it(cloud, tmp_path):
    from clausewatch.store import repository as repo
    clock.set_now(NOW)
    try:
        text = TEXT.replace("within ten (10) Business Days", "within twenty-four (24) hours")
        contract_id = _upload(cloud, tmp_path, "hosting-hours-back.pdf", text)
        assert call("POST", f"/contracts/{contract_id}/metrics", claims=EDITOR, body={
            "file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"}).status == 202
        cloud.pump()
        first = _claim(contract_id)
        for zone in ("America/New_York", "Europe/London", "Europe/London"):
            assert call("PUT", f"/contracts/{contract_id}/time-zone", claims=EDITOR,
                        body={"time_zone": zone}).status == 200
            cloud.pump()
        claim = repo.get_obligation(contract_id, CLAIM)
        assert (claim.status, claim.due) == ("open", "2026-11-01")  # was: cancelled
        assert "recounted because the time zone was set to Europe/London" in claim.derivation
        assert claim.derivation.endswith(first["derivation"].partition("; credit ")[2])  # the credit's part kept
        assert "2026-11-01" in claim.action
        finding = store.get_finding(contract_id, breach_finding_id("2026-10", "availability"))
        assert finding.claim_obligation_id == CLAIM and finding.detail["claim_by"] == "2026-11-01"
        assert "Europe/London" in finding.detail["claim_derivation"]
        assert not (repo.get_contract(contract_id).credit_checks or {})  # claimed by its day, not by hand
        lines = [(d["previous"], d["value"]) for _, d in _recounted(contract_id)]
        assert lines == [("2026-11-01", None), (None, "2026-11-01")]  # the zone sent twice: one line
    finally:
        clock.set_now(None)


def _dropped_in_new_york(cloud, tmp_path, name: str) -> str:
    """A contract whose October claim (24 hours after the month's end) a New York zone dropped: cancelled, its
    credit (USD 1000.00) to check by hand."""
    from clausewatch.store import repository as repo
    text = TEXT.replace("within ten (10) Business Days", "within twenty-four (24) hours")
    contract_id = _upload(cloud, tmp_path, name, text)
    assert call("POST", f"/contracts/{contract_id}/metrics", claims=EDITOR, body={
        "file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"}).status == 202
    cloud.pump()
    _set_zone(cloud, contract_id, "America/New_York")
    assert repo.get_obligation(contract_id, CLAIM).status == "cancelled"
    return contract_id


def _set_zone(cloud, contract_id: str, zone: str) -> None:
    assert call("PUT", f"/contracts/{contract_id}/time-zone", claims=EDITOR, body={"time_zone": zone}).status == 200
    cloud.pump()


def _not_restored(contract_id: str) -> list[dict]:
    audit = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR, query={"limit": 100}).json()["items"]
    return [e["detail"] for e in audit if e["action"] == "claim.not_restored"]


# review of hclaim9 (hclaim9b): a credit handled by hand after its claim day was dropped is not claimed again when
# the zone gives the day back (was: the cancelled claim opened again, with reminders, for a credit settled or checked)
def test_a_dropped_claim_settled_by_a_credit_note_is_not_restored(cloud, tmp_path):
    from clausewatch.store import repository as repo
    from tests.integration.test_money_e2e import put
    from tests.unit.test_money_credit_notes import credit_note
    clock.set_now(NOW)
    try:
        contract_id = _dropped_in_new_york(cloud, tmp_path, "hosting-hours-settled.pdf")
        put(f"invoices/{contract_id}/cn-7.xml", credit_note(number="CN-7", amount="1000.00", references=()))
        cloud.pump()
        finding_id = breach_finding_id("2026-10", "availability")
        assert list(store.settlements_of(store.get_finding(contract_id, finding_id))) == ["CN-7"]
        for zone in ("Europe/London", "Europe/London"):
            _set_zone(cloud, contract_id, zone)
        assert repo.get_obligation(contract_id, CLAIM).status == "cancelled"  # was: open again, due 2026-11-01
        finding = store.get_finding(contract_id, finding_id)
        assert finding.claim_obligation_id is None and finding.detail["claim_by"] is None
        [line] = _not_restored(contract_id)  # the zone sent twice: one line
        assert (line["obligation_id"], line["handled"]) == (CLAIM, "settled by credit note CN-7")
        assert "Europe/London" in line["why"]
    finally:
        clock.set_now(None)


def test_a_dropped_claim_whose_credit_a_person_checked_is_not_restored(cloud, tmp_path):
    from clausewatch.pipeline.credit_checks import check_credit
    from clausewatch.store import repository as repo
    clock.set_now(NOW)
    try:
        contract_id = _dropped_in_new_york(cloud, tmp_path, "hosting-hours-checked.pdf")
        finding_id = breach_finding_id("2026-10", "availability")
        check_credit(contract_id, finding_id, actor="dana.kowalski@example.com", note="claimed by letter")
        _set_zone(cloud, contract_id, "Europe/London")
        assert repo.get_obligation(contract_id, CLAIM).status == "cancelled"  # was: open again, due 2026-11-01
        [line] = _not_restored(contract_id)
        assert line["handled"].startswith("checked by dana.kowalski@example.com on ")
        assert not (repo.get_contract(contract_id).credit_checks or {})  # still checked: no flag raised again
    finally:
        clock.set_now(None)


def test_a_restored_claim_is_dropped_again_by_a_zone_giving_no_day(cloud, tmp_path):
    from clausewatch.store import repository as repo
    clock.set_now(NOW)
    try:
        contract_id = _dropped_in_new_york(cloud, tmp_path, "hosting-hours-again.pdf")
        _set_zone(cloud, contract_id, "Europe/London")
        assert repo.get_obligation(contract_id, CLAIM).status == "open"
        _set_zone(cloud, contract_id, "America/New_York")
        assert repo.get_obligation(contract_id, CLAIM).status == "cancelled"
        finding = store.get_finding(contract_id, breach_finding_id("2026-10", "availability"))
        assert finding.claim_obligation_id is None and finding.detail["claim_by"] is None
        assert "America/New_York" in finding.detail["claim_derivation"]
        assert [(d["previous"], d["value"]) for _, d in _recounted(contract_id)] == [
            ("2026-11-01", None), (None, "2026-11-01"), ("2026-11-01", None)]
        _set_zone(cloud, contract_id, "Europe/London")  # and back once more
        assert (repo.get_obligation(contract_id, CLAIM).status, repo.get_obligation(contract_id, CLAIM).due) == (
            "open", "2026-11-01")
    finally:
        clock.set_now(None)
