"""A notice deadline moved into the past between two steps of the renewal workflow (QA 2026-12-04):
the planner follows a passed deadline while a person is asked and after "do not renew" or
"renegotiate" (test_renewal_moved_deadline.py, test_renewal_workflow.py), but between the steps it
found the record STARTED, RECOMMENDED, DECIDED or RENEGOTIATING and did nothing, so the next step
asked, escalated or wrote the letter on the old deadline (or on the NEXT term's). Now the step that
runs next checks the stored deadline: the record says the deadline passed with its arithmetic, and
the decision lapses as a wait failed with NoticeDeadlinePassed does (the owner and the escalation
contact told), or, after "do not renew", the notice and its letter take the passed day (overdue).

Each test moves the deadline just before one step runs: a person enters the 100-day notice period
the order form states on 2026-11-25, so the SaaS term ending 2027-02-28 needed notice by
2026-11-20; then the planner plans the contract (as its stream would), then the step runs."""

from __future__ import annotations

from datetime import UTC, datetime
from unittest import mock

import pytest

from clausewatch import config
from clausewatch.config import Settings
from clausewatch.pipeline import entries
from clausewatch.renewal import decide, planning, steps, store
from clausewatch.renewal import local as renewal_local
from clausewatch.schema import ObligationStatus, RenewalState
from clausewatch.store import repository as repo
from tests.integration.test_renewal_workflow import (
    SAAS,
    SAAS_ID,
    TODAY,
    asked_saas,
    body_text,
    execution_status,
    letter_text,
    mails_since,
    start_due,
    upload,
)

OWNER = "priya.raman@example.com"
PASSED = "2026-11-20"  # 2027-02-28 - P100D
DERIVATION = "expiration_date 2027-02-28 - P100D (from notice_period entered by priya.raman@example.com)"


@pytest.fixture(scope="module")
def saas_waiting(save_cloud):
    return save_cloud(asked_saas)


@pytest.fixture
def waiting(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    return cloud


def move_before(monkeypatch, step: str, round_: str | None = None) -> list[str]:
    """Just before the workflow's ``step`` (of ``round_``, for ask) runs: the notice deadline moves
    into the past and the planner plans the contract (what it does between steps)."""
    real = getattr(steps, step)
    moved: list[str] = []

    def moving(event, *args):
        if not moved and (round_ is None or event.get("round") == round_):
            entries.enter_term(SAAS_ID, "notice_period", "P100D", note="the order form says 100 days",
                               actor=OWNER, team="procurement")
            contract = repo.get_contract(SAAS_ID)
            moved.append(contract.current_notice_deadline)
            item = store.get(SAAS_ID, "2027-02-28")
            moved.append(item.state if item else "no record")
            # the planner runs in its own function; here it runs inside the execution's step, so it
            # must not wait for that execution to settle (the embedded default's settle)
            with mock.patch.object(renewal_local, "settle", lambda arn, **_: "RUNNING"):
                planning.follow_notice_deadline(Settings.from_env(), contract)
        return real(event, *args)

    monkeypatch.setattr(steps, step, moving)
    return moved


def assert_lapsed_with_the_reason(cloud, sent: int, *, began: bool = False) -> store.RenewalItem:
    item = store.get(SAAS_ID, "2027-02-28")
    assert execution_status(item) == "SUCCEEDED"
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.LAPSED_RENEWED and item.notice_deadline == PASSED
    assert item.evidence["notice_deadline"] == PASSED
    [passed] = [h for h in item.history if h["action"] == steps.NOTICE_PASSED]
    assert passed["to"] == PASSED and passed["derivation"] == DERIVATION and passed["today"] == "2026-11-25"
    moved = "is 2026-11-20" if began else "moved from 2026-12-30 to 2026-11-20"
    assert passed["reason"].startswith(f"the notice deadline of the term ending 2027-02-28 {moved} ({DERIVATION})")
    assert passed["reason"].endswith("notice of non-renewal can no longer be given in time; the contract renews "
                                     "by its terms on 2027-03-01")
    [lapsed] = [h for h in item.history if h["action"] == "lapsed"]
    assert lapsed["reason"] == passed["reason"]
    seen = [h["action"] for h in item.history]
    assert "asked.escalated" not in seen and "asked.again" not in seen and "asked.final" not in seen
    mails = mails_since(cloud, sent)
    assert not [m for m in mails if "renewal decision needed" in m["Subject"].lower()
                or "renewal decision overdue" in m["Subject"].lower()]
    [told] = [m for m in mails if "lapsed" in m["Subject"]]
    assert told["To"] == OWNER and config.DEFAULT_ESCALATION_EMAIL in told["Cc"]
    text = body_text(told)
    assert "the notice deadline moved to 20 Nov 2026, already passed" in text and "P100D" in text
    return item


# --- between the start and the wait ----------------------------------------------------------------

@pytest.mark.parametrize("step", ["gather", "recommend_step", "ask"])
def test_a_deadline_moved_into_the_past_before_the_owner_is_asked_lapses_with_the_reason(cloud, monkeypatch, step):
    """Started, evidence gathered or recommended: was, the owner asked to decide by a day after the
    deadline (or, before gather, on the next term's deadline, 2027-11-20) and the decision escalated
    and lapsed weeks later as if in time."""
    from clausewatch import clock

    clock.set_now(TODAY)
    upload(cloud, SAAS)
    moved = move_before(monkeypatch, step, "owner" if step == "ask" else None)
    sent = len(cloud.sent_mail())
    start_due(cloud)
    assert moved[0] > "2027-02-28"  # the planned deadline is the next term's
    assert moved[1] == {"gather": "no record", "recommend_step": RenewalState.STARTED,
                        "ask": RenewalState.RECOMMENDED}[step]
    item = assert_lapsed_with_the_reason(cloud, sent, began=step == "gather")
    assert "asked.owner" not in [h["action"] for h in item.history]
    assert item.recommendation and item.recommendation["decision"] == "renegotiate"  # its evidence, for the record
    assert store.waiting() == []


# --- between the decision and its branch ------------------------------------------------------------

def test_do_not_renew_with_the_deadline_moved_into_the_past_before_its_branch_prepares_an_overdue_notice(
        waiting, monkeypatch):
    """Decided, the branch not run yet: was, a letter "no later than 30 Dec 2026" and an obligation due
    then (a notice sent by then ended the contract). Now as when the move comes after the branch
    (planning.decided_notice_passed): the passed day, overdue, with why."""
    moved = move_before(monkeypatch, "terminate")
    decide.decide(SAAS_ID, "terminate", "moving to another vendor", actor=OWNER)
    assert moved[1] == RenewalState.DECIDED
    item = store.get(SAAS_ID, "2027-02-28")  # the step's own result, before the planner runs again
    assert item.state == RenewalState.TERMINATED and item.notice_deadline == PASSED
    [passed] = [h for h in item.history if h["action"] == steps.NOTICE_PASSED]
    assert passed["from"] == "2026-12-30" and passed["derivation"] == DERIVATION
    assert "can no longer be given in time" in passed["reason"]
    send = repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28")
    assert (send.status, send.due, send.summary) == (ObligationStatus.OPEN, PASSED,
                                                      "Send the notice of non-renewal by 20 Nov 2026")
    assert send.derivation.startswith(f"notice deadline {PASSED} ({DERIVATION})")
    text = letter_text(item.notice_key)
    assert "no later than 20 Nov 2026" in text and "30 Dec 2026" not in text
    waiting.pump()  # planned again: nothing more
    assert [h["action"] for h in store.get(SAAS_ID, "2027-02-28").history].count(steps.NOTICE_PASSED) == 1


def test_renegotiate_with_the_deadline_moved_into_the_past_before_its_branch_lapses(waiting, monkeypatch):
    """Was: "Agree new terms before 30 Dec 2026" and the final decision asked until 24 Dec."""
    sent = len(waiting.sent_mail())
    moved = move_before(monkeypatch, "renegotiate")
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor=OWNER)
    assert moved[1] == RenewalState.DECIDED
    assert_lapsed_with_the_reason(waiting, sent)
    assert repo.get_obligation(SAAS_ID, "renewal-renegotiate@2027-02-28") is None


def test_the_final_round_after_renegotiating_is_not_asked_once_the_deadline_passed(waiting, monkeypatch):
    """The renegotiation's obligation created, the final round not asked yet (RENEGOTIATING): the
    planner moved the obligation to the passed day (decided_notice_passed), and was, the final
    decision was then asked all the same."""
    sent = len(waiting.sent_mail())
    moved = move_before(monkeypatch, "ask", "final")
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor=OWNER)
    assert moved[1] == RenewalState.RENEGOTIATING
    assert_lapsed_with_the_reason(waiting, sent)
    agree = repo.get_obligation(SAAS_ID, "renewal-renegotiate@2027-02-28")
    assert agree.status == ObligationStatus.SUPERSEDED and agree.due == PASSED


def test_renew_with_the_deadline_moved_into_the_past_before_its_branch_records_it(waiting, monkeypatch):
    moved = move_before(monkeypatch, "renew")
    decide.decide(SAAS_ID, "renew", "price agreed", actor=OWNER)
    assert moved[1] == RenewalState.DECIDED
    item = store.get(SAAS_ID, "2027-02-28")
    assert execution_status(item) == "SUCCEEDED"
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.RENEWED and item.notice_deadline == PASSED  # it renews by its terms anyway
    assert [h["action"] for h in item.history][-2:] == [steps.NOTICE_PASSED, "renewed"]


# --- between a timed-out round and the escalation ------------------------------------------------------

@pytest.mark.parametrize("step", ["escalate", "ask"])
def test_a_deadline_moved_into_the_past_after_the_owners_round_timed_out_is_not_escalated(waiting, monkeypatch,
                                                                                           step):
    """The owner's round timed out (2026-12-15) and the escalation runs, or ran and its round is not
    asked yet: was, the escalation contact asked to decide by a day already passed."""
    moved = move_before(monkeypatch, step, "escalated" if step == "ask" else None)
    sent = len(waiting.sent_mail())
    waiting.fire_until(datetime(2026, 12, 16, 6, tzinfo=UTC))  # past 2026-12-15 in New York
    assert moved and moved[1] == RenewalState.WAITING
    item = store.get(SAAS_ID, "2027-02-28")
    assert execution_status(item) == "SUCCEEDED"
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.LAPSED_RENEWED and item.notice_deadline == PASSED
    [passed] = [h for h in item.history if h["action"] == steps.NOTICE_PASSED]
    [lapsed] = [h for h in item.history if h["action"] == "lapsed"]
    assert lapsed["reason"] == passed["reason"] and passed["from"] == "2026-12-30"
    assert passed["today"] == "2026-12-15"  # the owner's day ended at 05:00 UTC on the 16th
    seen = [h["action"] for h in item.history]
    assert "asked.escalated" not in seen
    if step == "escalate":
        [skipped] = [h for h in item.history if h["action"] == "escalation.skipped"]
        assert skipped["reason"] == passed["reason"]
    mails = mails_since(waiting, sent)
    assert not [m for m in mails if "renewal decision overdue" in m["Subject"].lower()]
    [told] = [m for m in mails if "lapsed" in m["Subject"]]
    assert "the notice deadline moved to 20 Nov 2026, already passed" in body_text(told)
