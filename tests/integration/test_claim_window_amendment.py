"""An amendment that changes the governing law moves an open credit claim's business-day window, as
a governing law entered does (until 2026-12-07 it kept the day counted with the old calendar: a claim
due a day later than the contract allows), and unlinking it moves the window back; each move has its
own audit line (``claim.recounted``).

The hosting agreement of tests/integration/test_claim_window_calendar.py: "within ten (10) Business
Days after the end of the month", October 2026: Tuesday 17 November with New York's holidays, Friday
13 November with England's. Its amendment, made as of 1 September 2026, governs it by the laws of
England and Wales: the terms in force for October are the amended ones."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.store import repository as repo
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.integration.test_claim_window_calendar import CLAIM, TEXT, _claim, _claim_by
from tests.integration.test_contract_calendar_e2e import EDITOR, TEAM, _upload

AMENDMENT = ("AMENDMENT NO. 1 TO HOSTING AGREEMENT\nThis Amendment (this \"Amendment\") is entered into as of "
             "{day} by and between Acme Widgets, Inc. and Blue Heron Hosting LLC.\nRECITALS\n"
             "A. The parties are parties to that certain Hosting Agreement dated January 1, 2026.\n"
             "1. Section 3 of the Agreement is amended to read: This Agreement is governed by the laws of England "
             "and Wales.\n")
NAME = "amendment-1-hosting.pdf"
BEFORE = "end of 2026-10 2026-10-31 + P10BD (business days, US-NY holidays) = 2026-11-17"


@pytest.fixture
def at_now(cloud):
    clock.set_now(NOW)
    yield
    clock.set_now(None)


def _breached(cloud, tmp_path, **metadata: str) -> str:
    """The hosting agreement, its October availability below target: a credit claim due 17 November."""
    contract_id = _upload(cloud, tmp_path, "hosting.pdf", TEXT, **metadata)
    reply = call("POST", f"/contracts/{contract_id}/metrics", claims=EDITOR,
                 body={"file_name": "2026-10.csv", "content": "period,metric,value\n2026-10,availability,99.4\n"})
    assert reply.status == 202, reply.json()
    cloud.pump()
    assert _claim(contract_id)["due"] == "2026-11-17", _claim(contract_id)
    return contract_id


def _amend(cloud, tmp_path, contract_id: str, day: str = "September 1, 2026") -> str:
    amendment_id = _upload(cloud, tmp_path, NAME, AMENDMENT.format(day=day))
    assert repo.get_contract(amendment_id).amends_contract_id == contract_id
    terms = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()["terms"]
    assert terms["governing_law"]["value"] == "England and Wales"
    return amendment_id


def _recounted(contract_id: str) -> list[dict]:
    """The trail's ``claim.recounted`` lines, oldest first (each its detail and its actor)."""
    lines: list[dict] = []
    cursor = None
    while True:
        query = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = call("GET", f"/contracts/{contract_id}/audit", claims=EDITOR, query=query).json()
        lines += [{"actor": e["actor"], **e["detail"]} for e in page["items"] if e["action"] == "claim.recounted"]
        if not (cursor := page["next_cursor"]):
            return lines


def test_an_amended_governing_law_recounts_an_open_claim_and_unlinking_it_recounts_it_back(cloud, tmp_path, at_now):
    contract_id = _breached(cloud, tmp_path)
    amendment_id = _amend(cloud, tmp_path, contract_id)
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-13"
    assert claim["derivation"].startswith(
        "end of 2026-10 2026-10-31 + P10BD (business days, GB-ENG holidays) = 2026-11-13: recounted because "
        f"{NAME} amended the governing law; counted before: 2026-11-17; credit "), claim
    assert "by 2026-11-13" in claim["action"] and "2026-11-17" not in claim["action"]
    claim_by, derivation = _claim_by(contract_id)
    assert claim_by == "2026-11-13" and "GB-ENG holidays" in derivation
    [moved] = _recounted(contract_id)
    assert (moved["obligation_id"], moved["period"], moved["previous"], moved["value"]) == (
        CLAIM, "2026-10", "2026-11-17", "2026-11-13")
    assert moved["why"] == f"{NAME} amended the governing law" and moved["calendar"] == "GB-ENG holidays"
    assert moved["derivation"] == claim["derivation"].split("; credit ")[0]

    # unlinked: the agreement's own governing law (New York) counts again
    assert call("DELETE", f"/contracts/{amendment_id}/amends", claims=EDITOR).status == 200
    cloud.pump()
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-17"
    assert claim["derivation"].startswith(
        f"{BEFORE}: recounted because {NAME} was unlinked by dana.kowalski@example.com; counted before: 2026-11-13")
    assert _claim_by(contract_id)[0] == "2026-11-17"
    back = _recounted(contract_id)[-1]
    assert (back["previous"], back["value"], back["actor"]) == ("2026-11-13", "2026-11-17",
                                                                "dana.kowalski@example.com")

    # linked again by a person: England's holidays again
    reply = call("PUT", f"/contracts/{amendment_id}/amends", claims=EDITOR, body={"contract_id": contract_id})
    assert reply.status == 200, reply.json()
    cloud.pump()
    assert _claim(contract_id)["due"] == "2026-11-13"
    assert _claim_by(contract_id)[0] == "2026-11-13"
    assert [(line["previous"], line["value"]) for line in _recounted(contract_id)] == [
        ("2026-11-17", "2026-11-13"), ("2026-11-13", "2026-11-17"), ("2026-11-17", "2026-11-13")]


def test_the_uploads_jurisdiction_keeps_the_claims_day_whatever_the_amendment_says(cloud, tmp_path, at_now):
    contract_id = _breached(cloud, tmp_path, jurisdiction="US-NY")
    amendment_id = _amend(cloud, tmp_path, contract_id)
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-17" and "recounted" not in claim["derivation"]
    assert call("DELETE", f"/contracts/{amendment_id}/amends", claims=EDITOR).status == 200
    cloud.pump()
    assert _claim(contract_id)["due"] == "2026-11-17"
    assert _recounted(contract_id) == []


def test_an_amendment_in_force_after_the_period_keeps_its_claims_day(cloud, tmp_path, at_now):
    """Made as of 1 December 2026: October's terms are the agreement's own (New York), as the metrics
    check counts them; the claim keeps its day and nothing is recounted."""
    contract_id = _breached(cloud, tmp_path)
    _amend(cloud, tmp_path, contract_id, day="December 1, 2026")
    assert _claim(contract_id)["due"] == "2026-11-17"
    assert _claim_by(contract_id)[0] == "2026-11-17"
    assert _recounted(contract_id) == []


def test_the_amendment_deleted_recounts_the_claim_back(cloud, tmp_path, at_now):
    contract_id = _breached(cloud, tmp_path)
    amendment_id = _amend(cloud, tmp_path, contract_id)
    assert _claim(contract_id)["due"] == "2026-11-13"
    admin = claims(TEAM, "admin", "olga@example.com")
    assert call("DELETE", f"/contracts/{amendment_id}", claims=admin).status == 200
    cloud.pump()
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-17"
    assert claim["derivation"].startswith(f"{BEFORE}: recounted because {NAME} was deleted 2026-11-25; "
                                          "counted before: 2026-11-13")
    assert [(line["previous"], line["value"]) for line in _recounted(contract_id)] == [
        ("2026-11-17", "2026-11-13"), ("2026-11-13", "2026-11-17")]


def _failing_once(monkeypatch) -> dict[str, int]:
    """``money.recount_claim_windows`` raising on its first call (a throttled write, a timeout)."""
    from clausewatch.pipeline import money

    real, calls = money.recount_claim_windows, {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("throttled")
        return real(*args, **kwargs)

    monkeypatch.setattr(money, "recount_claim_windows", flaky)
    return calls


def test_a_recount_failed_after_the_amendment_was_recorded_is_finished_by_its_redelivery(cloud, tmp_path, at_now,
                                                                                         monkeypatch):
    """Review: a redelivered message of an amendment already applied returned at once (was: the claim
    kept New York's 17 November for good)."""
    from clausewatch.pipeline import record

    contract_id = _breached(cloud, tmp_path)
    calls = _failing_once(monkeypatch)
    try:
        _upload(cloud, tmp_path, NAME, AMENDMENT.format(day="September 1, 2026"))
    except RuntimeError:
        pass  # the invocation failed; its message comes back
    cloud.pump()
    assert calls["n"] >= 1
    [amendment_id] = repo.get_contract(contract_id).amended_by
    amendment = repo.get_contract(amendment_id)
    assert amendment.amends_contract_id == contract_id
    record.settle_extracted(amendment, actor="redelivery")  # what the redelivered text-job message runs
    assert _claim(contract_id)["due"] == "2026-11-13"
    assert [(line["previous"], line["value"]) for line in _recounted(contract_id)] == [("2026-11-17", "2026-11-13")]
    record.settle_extracted(amendment, actor="redelivery")  # again: nothing moves twice
    assert len(_recounted(contract_id)) == 1


@pytest.mark.parametrize("how", ["unlinked", "deleted"])
def test_a_removal_retried_after_the_recount_failed_moves_the_claim_back(cloud, tmp_path, at_now, monkeypatch, how):
    """Review: the retried DELETE found the contract no longer listing the amendment and skipped what
    followed (was: the claim kept England's 13 November, its derivation naming the amendment)."""
    contract_id = _breached(cloud, tmp_path)
    amendment_id = _amend(cloud, tmp_path, contract_id)
    assert _claim(contract_id)["due"] == "2026-11-13"
    _failing_once(monkeypatch)
    path = f"/contracts/{amendment_id}/amends" if how == "unlinked" else f"/contracts/{amendment_id}"
    who = EDITOR if how == "unlinked" else claims(TEAM, "admin", "olga@example.com")
    try:
        first = call("DELETE", path, claims=who).status
    except RuntimeError:
        first = None
    assert first != 200
    assert _claim(contract_id)["due"] == "2026-11-13"  # the failure left it
    assert call("DELETE", path, claims=who).status == 200
    cloud.pump()
    claim = _claim(contract_id)
    assert claim["due"] == "2026-11-17"
    assert f"recounted because {NAME} was {how}" in claim["derivation"]
    assert [(line["previous"], line["value"]) for line in _recounted(contract_id)] == [
        ("2026-11-17", "2026-11-13"), ("2026-11-13", "2026-11-17")]
