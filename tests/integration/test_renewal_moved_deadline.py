"""A notice deadline that moves while the renewal decision waits for a person (QA 2026-12-04):
the person asked gets a new request with the new decide-by day and a new link, once per move;
deployed, the wait ends at the new deadline by a one-time schedule that invokes the planner (not at
the next daily sweep); a deadline moved into the past ends the wait as a lapse, with the reason.

The SaaS sample at 2026-11-25 (notice deadline 2026-12-30 = term end 2027-02-28 - P60D, the owner
asked to decide by 2026-12-15), as in test_renewal_workflow.py."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from botocore.exceptions import ClientError

from clausewatch import clock, config
from clausewatch.config import Settings
from clausewatch.local.handlers import invoke
from clausewatch.pipeline import entries
from clausewatch.renewal import decide, planning, steps, store
from clausewatch.renewal import local as renewal_local
from clausewatch.schema import RenewalState
from clausewatch.store import repository as repo
from tests.integration.api_support import call
from tests.integration.test_renewal_workflow import (
    SAAS_ID,
    asked_saas,
    body_text,
    mails_since,
    move_notice_earlier,
    notice_day,
)

OWNER = "priya.raman@example.com"
LINK = re.compile(r"/renewal-decision\?token=([^&\s]+)&decision=renew\b")
PLANNER_ARN_PREFIX = "arn:aws:lambda:us-east-1:123456789012:function:"
TIMEOUT_ROLE = "arn:aws:iam::123456789012:role/clausewatch-renewal-timeout"


@pytest.fixture(scope="module")
def saas_waiting(save_cloud):
    return save_cloud(asked_saas)


@pytest.fixture
def waiting(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    return cloud


def requests_since(cloud, count: int) -> list:
    return [m for m in mails_since(cloud, count) if "renewal decision needed" in m["Subject"].lower()]


def replan(cloud) -> None:
    """The planner plans the contract again (another change, a redelivered record, the sweep)."""
    planning.follow_notice_deadline(Settings.from_env(), repo.get_contract(SAAS_ID))
    cloud.pump()


# --- 1. the person asked is told, once per move ---------------------------------------------------

def test_a_notice_deadline_moved_earlier_asks_the_owner_again_with_the_new_day_and_link(waiting):
    first = store.latest(SAAS_ID)
    sent = len(waiting.sent_mail())
    notice = move_notice_earlier(waiting)
    item = store.latest(SAAS_ID)
    day = item.recommendation["owner_decides_by"]
    assert day < first.recommendation["owner_decides_by"] == "2026-12-15"
    [asked] = requests_since(waiting, sent)
    assert asked["To"] == OWNER
    assert f"Renewal decision needed by {notice_day(day)} (notice deadline moved to {notice_day(notice)})" \
        in asked["Subject"]
    text = body_text(asked)
    assert f"Asked again: the notice deadline moved from 2026-12-30 to {notice}" in text and "P75D" in text
    assert f"decide by {day}" in text and "the link mailed before no longer works" in text
    line = item.history[-1]
    assert line["action"] == "asked.again" and line["decide_by"] == day and line["to"] == [OWNER]
    assert datetime.fromisoformat(item.wait_deadline) == datetime.fromisoformat(
        [h for h in item.history if h["action"] == "notice_deadline.moved"][0]["wait_deadline"])
    # locally the wait is timed out from the table (tick): no timeout schedule is made
    assert not [s for s in waiting.schedules() if s["Name"].startswith(planning.timeout_schedule_prefix(SAAS_ID))]
    # planned again (a redelivered record, the daily sweep): nobody is asked twice for one move
    replan(waiting)
    invoke("planner", {"sweep": True})
    waiting.pump()
    assert len(requests_since(waiting, sent)) == 1
    # the new link decides; it is the only one that does
    decided = call("POST", "/renewal-decision",
                   query={"token": unquote(LINK.search(text).group(1)), "decision": "renew"})
    assert decided.status == 200, decided.text
    renewal_local.settle(store.latest(SAAS_ID).execution_arn)
    assert store.latest(SAAS_ID).state == RenewalState.RENEWED


def test_a_request_that_could_not_be_mailed_is_sent_on_the_planners_retry(waiting, monkeypatch):
    sent = len(waiting.sent_mail())
    real_send = steps.send_email
    failures = []

    def throttled(message):
        if not failures:
            failures.append(message["Subject"])
            raise ClientError({"Error": {"Code": "Throttling", "Message": "Maximum sending rate exceeded"}},
                              "SendRawEmail")
        return real_send(message)

    monkeypatch.setattr(steps, "send_email", throttled)
    entries.enter_term(SAAS_ID, "notice_period", "P75D", note="the order form says 75 days",
                       actor=OWNER, team="procurement")
    waiting.pump()  # the planner's first try fails: its stream record is retried
    assert failures and len(requests_since(waiting, sent)) == 1
    item = store.latest(SAAS_ID)
    seen = [h["action"] for h in item.history]
    assert seen[-4:] == ["notice_deadline.moved", "asked.again", steps.MAIL_FAILED, "asked.again"]
    [failed] = [h for h in item.history if h["action"] == steps.MAIL_FAILED]
    assert "Throttling" in failed["error"] and failed["because"].startswith("the notice deadline moved from")
    assert steps.untold_move(item) is None  # told on the retry
    replan(waiting)
    assert len(requests_since(waiting, sent)) == 1


# --- 2. deployed: the wait ends at the moved deadline, by a schedule --------------------------------

@pytest.fixture
def deployed_timeouts(monkeypatch):
    """The planner as deployed: no table timeouts, the timeout role and its own ARN."""
    monkeypatch.delenv(config.ENV_RENEWAL_TIMEOUTS, raising=False)
    monkeypatch.setenv(config.ENV_RENEWAL_TIMEOUT_ROLE_ARN, TIMEOUT_ROLE)
    monkeypatch.setenv(config.ENV_FUNCTION_ARN_PREFIX, PLANNER_ARN_PREFIX)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "clausewatch-planner")
    return monkeypatch


def timeout_schedules(cloud) -> list[dict]:
    return [s for s in cloud.schedules() if s["Name"].startswith(planning.timeout_schedule_prefix(SAAS_ID))]


def test_deployed_a_moved_wait_ends_at_its_new_deadline_by_a_schedule_to_the_planner(waiting, deployed_timeouts):
    move_notice_earlier(waiting)
    item = store.latest(SAAS_ID)
    deadline = datetime.fromisoformat(item.wait_deadline)
    day = item.recommendation["owner_decides_by"]
    assert deadline == datetime.fromisoformat(f"{day}T23:59:59").replace(tzinfo=ZoneInfo("America/New_York"))
    [schedule] = timeout_schedules(waiting)
    # a second after the decide-by day's end in the contract's zone (New York), then deleted
    next_day = (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()
    assert schedule["ScheduleExpression"] == f"at({next_day}T00:00:00)"
    assert schedule["ScheduleExpressionTimezone"] == "America/New_York"
    assert schedule["fire_at"] == deadline.astimezone(UTC) + timedelta(seconds=1)
    assert schedule["ActionAfterCompletion"] == "DELETE"
    target = schedule["Target"]
    assert target["Arn"] == f"{PLANNER_ARN_PREFIX}clausewatch-planner" and target["RoleArn"] == TIMEOUT_ROLE
    event = json.loads(target["Input"])
    assert event == {"renewal_timeout": {"contract_id": SAAS_ID, "term_end": "2027-02-28",
                                         "wait_deadline": item.wait_deadline}}
    # planned again: the same one schedule
    replan(waiting)
    assert [s["Name"] for s in timeout_schedules(waiting)] == [schedule["Name"]]
    # fired early (not possible, but a retry could come late or early): nothing happens
    clock.set_now(deadline - timedelta(minutes=1))
    assert invoke("planner", event)["timed_out"] is False
    assert store.latest(SAAS_ID).waiting_round == "owner"
    # fired on time: the task fails with DecisionTimeout, and the real definition escalates
    clock.set_now(schedule["fire_at"])
    assert invoke("planner", event) == {"timed_out": True, "contract_id": SAAS_ID, "term_end": "2027-02-28",
                                        "round": "owner"}
    renewal_local.settle(item.execution_arn)
    escalated = store.latest(SAAS_ID)
    assert escalated.waiting_round == "escalated"
    assert [h["action"] for h in escalated.history][-2:] == ["escalated", "asked.escalated"]
    # a redelivery of the same event after that changes nothing
    assert invoke("planner", event)["timed_out"] is False
    assert store.latest(SAAS_ID).waiting_round == "escalated"
    # the escalated round waits by its own TimeoutSeconds: planned again, the schedule of the
    # owner's round is deleted (Scheduler deletes a fired one too: ActionAfterCompletion)
    replan(waiting)
    assert timeout_schedules(waiting) == []


def test_deployed_a_decision_made_before_the_moved_deadline_makes_its_schedule_a_no_op(waiting, deployed_timeouts):
    move_notice_earlier(waiting)
    [schedule] = timeout_schedules(waiting)
    event = json.loads(schedule["Target"]["Input"])
    arn = store.latest(SAAS_ID).execution_arn
    decide.decide(SAAS_ID, "renew", "keeps its price", actor=OWNER)
    renewal_local.settle(arn)
    waiting.pump()
    assert timeout_schedules(waiting) == []  # the planner deleted it
    clock.set_now(schedule["fire_at"])
    assert invoke("planner", event) == {"timed_out": False,
                                        "reason": "no decision waits for that term (decided, ended or gone)"}
    assert store.latest(SAAS_ID).state == RenewalState.RENEWED


def test_the_local_and_the_deployed_timeouts_fail_the_task_alike(waiting, monkeypatch):
    """Locally tick times the moved wait out from the table, with the cause the schedule's event and
    the daily sweep give (store.timeout_cause), at the same moment (store.wait_over)."""
    from clausewatch.aws import stepfunctions as sfn

    move_notice_earlier(waiting)
    item = store.latest(SAAS_ID)
    failures: list[tuple] = []
    monkeypatch.setattr(sfn, "send_task_failure", lambda token, error, cause: failures.append((error, cause)))
    # nothing is sent, so the execution never moves past its wait: nothing to settle
    monkeypatch.setattr(renewal_local, "settle", lambda arn, **_: "WAITING")
    deadline = datetime.fromisoformat(item.wait_deadline)
    assert renewal_local.due_timeouts(deadline - timedelta(seconds=1)) == []
    [(at, due)] = renewal_local.due_timeouts(deadline)
    assert at == deadline and due.term_end == item.term_end
    renewal_local.time_out(due)
    clock.set_now(deadline)
    planning.time_out_moved_wait({"contract_id": SAAS_ID, "term_end": item.term_end,
                                  "wait_deadline": item.wait_deadline})
    assert failures[0] == failures[1] == ("DecisionTimeout", store.timeout_cause(item))
    assert f"no decision by {item.wait_deadline} (owner; notice deadline {item.notice_deadline})" == failures[0][1]


# --- 3. a notice deadline moved into the past ---------------------------------------------------------

def test_a_notice_deadline_moved_into_the_past_lapses_the_decision_and_says_why(waiting):
    """A person enters the notice period the order form states, 100 days: the term ending
    2027-02-28 needed notice by 2026-11-20, five days ago. Nobody can decide in time: the wait ends
    as a lapse ("auto-renewed by default": it renews by its terms), the owner and the escalation
    contact are told with the arithmetic, and nobody is escalated to or asked again."""
    sent = len(waiting.sent_mail())
    arn = store.latest(SAAS_ID).execution_arn
    entries.enter_term(SAAS_ID, "notice_period", "P100D", note="the order form says 100 days",
                       actor=OWNER, team="procurement")
    waiting.pump()
    item = store.latest(SAAS_ID)
    assert renewal_local.settle(arn) == "SUCCEEDED"
    assert item.state == RenewalState.LAPSED_RENEWED and item.task_token is None and store.waiting() == []
    assert item.notice_deadline == "2026-11-20" and item.evidence["notice_deadline"] == "2026-11-20"
    [passed] = [h for h in item.history if h["action"] == steps.NOTICE_PASSED]
    assert passed["from"] == "2026-12-30" and passed["to"] == "2026-11-20" and passed["today"] == "2026-11-25"
    assert passed["derivation"] == "expiration_date 2027-02-28 - P100D (from notice_period entered by priya.raman@example.com)"
    assert passed["reason"] == (
        f"the notice deadline of the term ending 2027-02-28 moved from 2026-12-30 to 2026-11-20 "
        f"({passed['derivation']}), which had passed when it was planned on 2026-11-25: notice of non-renewal "
        "can no longer be given in time; the contract renews by its terms on 2027-03-01")
    [lapsed] = [h for h in item.history if h["action"] == "lapsed"]
    assert lapsed["reason"] == passed["reason"]
    seen = [h["action"] for h in item.history]
    assert "escalated" not in seen and "escalation.skipped" not in seen and "asked.again" not in seen
    mails = mails_since(waiting, sent)
    [told] = [m for m in mails if "lapsed" in m["Subject"]]
    assert told["To"] == OWNER and config.DEFAULT_ESCALATION_EMAIL in told["Cc"]
    text = body_text(told)
    assert "the notice deadline moved to 20 Nov 2026, already passed" in text
    assert "expiration_date 2027-02-28 - P100D" in text and "renews by its terms on 2027-03-01" in text
    assert not requests_since(waiting, sent)
    # planned again: nothing more happens, nobody is told twice
    replan(waiting)
    invoke("planner", {"sweep": True})
    waiting.pump()
    assert len([m for m in mails_since(waiting, sent) if "lapsed" in m["Subject"]]) == 1
    assert store.latest(SAAS_ID).history == item.history


# --- 4. a notice deadline moved later ------------------------------------------------------------------

def move_notice_later(cloud) -> str:
    """A person enters a shorter notice period (30 days, not 60): the SaaS term's notice deadline
    moves from 2026-12-30 to 2027-01-29. Returns the contract's new notice deadline."""
    entries.enter_term(SAAS_ID, "notice_period", "P30D", note="the order form says 30 days",
                       actor=OWNER, team="procurement")
    cloud.pump()
    notice = repo.get_contract(SAAS_ID).current_notice_deadline
    assert "2026-12-30" < notice < "2027-02-28"
    return notice


def test_a_notice_deadline_moved_later_moves_the_decide_by_day_and_asks_the_owner_again(waiting):
    """QA 2026-12-04: was, the owner's day stayed 15 Dec 2026 and the decision escalated then, weeks
    before the new cut-off. Now the waiting round follows the later deadline: a new request with the
    new day and link, once per move, and the escalation on the new day's end."""
    first = store.latest(SAAS_ID)
    sent = len(waiting.sent_mail())
    notice = move_notice_later(waiting)
    item = store.latest(SAAS_ID)
    day = item.recommendation["owner_decides_by"]
    assert day > first.recommendation["owner_decides_by"] == "2026-12-15"
    assert item.recommendation["final_cutoff"] < notice and item.notice_deadline == notice
    deadline = datetime.fromisoformat(item.wait_deadline)
    assert deadline == datetime.fromisoformat(f"{day}T23:59:59").replace(tzinfo=ZoneInfo("America/New_York"))
    [moved] = [h for h in item.history if h["action"] == "notice_deadline.moved"]
    assert moved["from"] == "2026-12-30" and moved["to"] == notice and moved["decide_by"] == day
    assert moved["derivation"] == "expiration_date 2027-02-28 - P30D (from notice_period entered by priya.raman@example.com)"
    [asked] = requests_since(waiting, sent)
    assert asked["To"] == OWNER
    assert f"Renewal decision needed by {notice_day(day)} (notice deadline moved to {notice_day(notice)})" \
        in asked["Subject"]
    text = body_text(asked)
    assert f"Asked again: the notice deadline moved from 2026-12-30 to {notice}" in text and "P30D" in text
    assert f"decide by {day}" in text and "the link mailed before no longer works" in text
    assert item.history[-1]["action"] == "asked.again" and item.history[-1]["decide_by"] == day
    # planned again (a redelivered record, the daily sweep): nobody is asked twice for one move
    replan(waiting)
    invoke("planner", {"sweep": True})
    waiting.pump()
    assert len(requests_since(waiting, sent)) == 1
    # the old day (15 Dec) ends: nobody is escalated to
    waiting.fire_until(datetime(2026, 12, 17, tzinfo=UTC))
    item = store.latest(SAAS_ID)
    assert item.waiting_round == "owner" and "escalated" not in [h["action"] for h in item.history]
    assert not [m for m in mails_since(waiting, sent) if "renewal decision overdue" in m["Subject"].lower()]
    # the new day ends: escalated, until the final cut-off counted from the new deadline
    waiting.fire_until(deadline + timedelta(days=1))
    item = store.latest(SAAS_ID)
    assert item.waiting_round == "escalated"
    [escalated] = [h for h in item.history if h["action"] == "asked.escalated"]
    assert escalated["decide_by"] == item.recommendation["final_cutoff"] > "2026-12-24"


def test_deployed_a_wait_moved_later_waits_again_when_its_own_timer_runs_out(waiting, deployed_timeouts):
    """Deployed, the owner's round has a Step Functions timer set when it was asked (the end of
    15 Dec): when it runs out, the round waits again until the moved day (no escalation, nobody
    mailed), and the moved day's schedule times it out then."""
    from clausewatch.aws import stepfunctions as sfn

    move_notice_later(waiting)
    item = store.latest(SAAS_ID)
    deadline = datetime.fromisoformat(item.wait_deadline)
    [schedule] = timeout_schedules(waiting)  # the one-time schedule follows the later day
    assert schedule["fire_at"] == deadline.astimezone(UTC) + timedelta(seconds=1)
    assert json.loads(schedule["Target"]["Input"]) == {"renewal_timeout": {
        "contract_id": SAAS_ID, "term_end": "2027-02-28", "wait_deadline": item.wait_deadline}}
    clock.set_now(datetime(2026, 12, 16, 5, 0, tzinfo=UTC))  # 15 Dec ended in New York
    sent = len(waiting.sent_mail())
    # the timer running out (States.Timeout, which a SendTaskFailure may not name: the definition
    # catches it and DecisionTimeout with one clause)
    sfn.send_task_failure(item.task_token, "DecisionTimeout", "the task timed out")
    assert renewal_local.settle(item.execution_arn) == "WAITING"
    again = store.latest(SAAS_ID)
    assert (again.state, again.waiting_round, again.wait_deadline) == (RenewalState.WAITING, "owner",
                                                                      item.wait_deadline)
    assert again.task_token and again.task_token != item.task_token
    [extended] = [h for h in again.history if h["action"] == "wait.extended"]
    assert extended["round"] == "owner" and extended["wait_deadline"] == item.wait_deadline
    assert "escalated" not in [h["action"] for h in again.history] and mails_since(waiting, sent) == []
    # the moved day's end: the schedule's event times the wait out, and the definition escalates
    clock.set_now(schedule["fire_at"])
    assert invoke("planner", json.loads(schedule["Target"]["Input"]))["timed_out"] is True
    renewal_local.settle(item.execution_arn)
    assert store.latest(SAAS_ID).waiting_round == "escalated"
