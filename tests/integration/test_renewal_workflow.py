"""The renewal decision workflow end to end on the embedded default: the REAL definition
(clausewatch/renewal/workflow.asl.json) executed by moto, its Lambda tasks calling
functions/renewal/handler.py in-process, the waits timed out on the simulated clock.

The SaaS sample at the demo's today (2026-11-25): notice deadline 2026-12-30, term end 2027-02-28,
auto-renewing; the lead time (90 days) has passed, so the start fires at once and the owner is asked.
Every test restores that state: the waiting execution is rebuilt from the table (a restart)."""

from __future__ import annotations

import email
import email.policy
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from pypdf import PdfReader

from clausewatch import clock, config, schema
from clausewatch.aws.clients import client
from clausewatch.pipeline import actions, entries
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.renewal import decide, links, planning, store
from clausewatch.renewal import local as renewal_local
from clausewatch.renewal.schedule import schedule_prefix
from clausewatch.schema import ObligationStatus, RenewalState
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.paths import SAMPLES, sample_metadata

TODAY = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
SAAS = "saas-subscription-northwind.pdf"
SERVICES = "services-agreement-fixed-dates.pdf"
SAAS_ID = contract_id_for(sha256_hex((SAMPLES / SAAS).read_bytes()))
SERVICES_ID = contract_id_for(sha256_hex((SAMPLES / SERVICES).read_bytes()))


def upload(cloud, name: str) -> str:
    cloud.upload(SAMPLES / name, sample_metadata()[name])
    cloud.pump()
    return contract_id_for(sha256_hex((SAMPLES / name).read_bytes()))


def start_due(cloud) -> None:
    """Fire what is due in the next minutes: the start schedule of a passed lead time."""
    cloud.fire_until(clock.now() + (datetime(2026, 1, 1, 0, 5, tzinfo=UTC) - datetime(2026, 1, 1, tzinfo=UTC)))


def asked_saas(cloud) -> None:
    clock.set_now(TODAY)
    upload(cloud, SAAS)
    start_due(cloud)


@pytest.fixture(scope="module")
def saas_waiting(save_cloud):
    return save_cloud(asked_saas)


@pytest.fixture
def waiting(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    return cloud


def execution_status(item: store.RenewalItem) -> str:
    return renewal_local.settle(item.execution_arn)


def mails_since(cloud, count: int) -> list[email.message.Message]:
    return [email.message_from_bytes(raw, policy=email.policy.default) for raw in cloud.sent_mail()[count:]]


def dates_end(day: str) -> str:
    from clausewatch import dates

    return dates.end_of_day(date.fromisoformat(day), "America/New_York").isoformat()


def body_text(message: email.message.Message) -> str:
    return next(p.get_content() for p in message.walk() if p.get_content_type() == "text/plain")


# --- start ---------------------------------------------------------------------------------------

def test_the_start_schedule_fires_the_workflow_which_asks_the_owner_with_a_decision_link(cloud):
    clock.set_now(TODAY)
    contract_id = upload(cloud, SAAS)
    [start] = [s for s in cloud.schedules() if s["Name"].startswith(schedule_prefix(contract_id))]
    assert start["Target"]["Arn"] == "arn:aws:scheduler:::aws-sdk:sfn:startExecution"
    sent_before = len(cloud.sent_mail())
    start_due(cloud)
    [started] = cloud.renewals_started
    assert started.result["started"] and started.result["status"] == "WAITING"
    item = store.latest(contract_id)
    assert item.state == RenewalState.WAITING and item.waiting_round == "owner" and item.task_token
    assert item.evidence["notice_deadline"] == "2026-12-30" and item.evidence["auto_renew"] is True
    assert item.recommendation["decision"] == "renegotiate"  # a SaaS contract is reviewed every term
    assert item.recommendation["owner_decides_by"] == "2026-12-15"  # 10 US-NY business days before
    decision_mail = [m for m in mails_since(cloud, sent_before) if "Renewal decision needed" in m["Subject"]]
    [message] = decision_mail
    assert message["To"] == "priya.raman@example.com"
    text = body_text(message)
    assert "Recommendation: RENEGOTIATE" in text and "expiration_date 2027-02-28 - P60D" in text
    assert "Obligations this term (as gathered on 25 Nov 2026):" in text
    assert "Days left to give notice: 35 on 25 Nov 2026 (notice deadline 2026-12-30: 2026-12-30 - 2026-11-25)" in text
    # QA q6 SHOULD-3: the links work as long as the decision is asked for, and the email says until when
    # (was: 14 days, 9 Dec, unsaid, in an email saying "Decide by 15 Dec")
    assert "The decision links below work once, until 23:59 on 15 Dec 2026 (America/New_York)." in text
    [asked] = [h for h in item.history if h["action"] == "asked.owner"]
    assert asked["link_expires"] == "2026-12-15T23:59:59-05:00" == dates_end("2026-12-15")
    assert item.task_token not in message.as_string()  # the links carry their own token, never the task's
    assert "/renewal-decision?token=" in text and "&decision=terminate" in text
    audit = [e.action for e in repo.audit_events(contract_id) if e.action.startswith("renewal.")]
    assert audit[:5] == ["renewal.start.planned", "renewal.evidence.gathered", "renewal.recommended",
                         "renewal.asked.owner", "renewal.mail.sent"]
    # the term's workflow started: its start schedule is gone and not planned again
    assert not [s for s in cloud.schedules() if s["Name"].startswith(schedule_prefix(contract_id))]


def test_a_second_start_of_the_same_term_is_a_no_op(waiting):
    before = store.latest(SAAS_ID)
    request = {"Target": {"Arn": "arn:aws:scheduler:::aws-sdk:sfn:startExecution", "Input": json.dumps({
        "StateMachineArn": renewal_local.state_machine_arn("us-east-1", "123456789012"),
        "Name": f"renewal-{SAAS_ID}-2027-02-28",
        "Input": json.dumps({"contract_id": SAAS_ID, "term_end": "2027-02-28", "resume": "no"})})}}
    # after the restart moto no longer knows the first execution's name: the start runs, and its
    # first step finds the term's decision taken by the rebuilt execution
    first = renewal_local.fire_start(request)
    assert first["started"] and first["status"] == "SUCCEEDED"
    second = renewal_local.fire_start(request)  # the same name again: Step Functions refuses it
    assert second["started"] is False or second["execution"] == first["execution"]
    after = store.latest(SAAS_ID)
    assert after.state == RenewalState.WAITING and after.task_token == before.task_token
    assert [h["action"] for h in after.history] == [h["action"] for h in before.history]
    duplicates = [e for e in repo.audit_events(SAAS_ID) if e.action == "renewal.start.duplicate"]
    assert len(duplicates) == 1 and duplicates[0].detail["execution"] == first["execution"]


# --- the branches --------------------------------------------------------------------------------

def test_renew_an_auto_renewing_contract(waiting):
    decide.decide(SAAS_ID, "renew", "price agreed", actor="priya.raman@example.com")
    item = store.latest(SAAS_ID)
    assert execution_status(item) == "SUCCEEDED"
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.RENEWED and item.outcome == "renewed: rolls to the next term"
    assert item.decision["by"] == "priya.raman@example.com" and item.decision["reason"] == "price agreed"
    assert item.decision["recommended"] == "renegotiate" and item.decision["evidence_at"]
    assert item.task_token is None
    assert repo.get_obligation(SAAS_ID, f"renewal-sign@{item.term_end}") is None


def test_the_notice_deadline_is_not_marked_done_by_hand_while_its_decision_waits(waiting):
    """Marked done by hand it read as notice given, with no proof, while the decision still
    waited: refused with what to do; the decision closes it."""
    with pytest.raises(actions.Conflict) as refused:
        actions.complete_obligation(SAAS_ID, "notice_deadline", actor="priya.raman@example.com", note="sent")
    item = store.latest(SAAS_ID)
    assert f"the term ending {item.term_end} is waiting for the owner" in str(refused.value)
    assert "not marked done by hand" in str(refused.value)
    assert f"clausewatch renewal decide {SAAS_ID}" in str(refused.value)
    assert f"renewal-notice@{item.term_end}" in str(refused.value)
    with pytest.raises(actions.Conflict, match="not waived by hand"):  # nor waived (a renewal decided by hand)
        actions.waive_obligation(SAAS_ID, "notice_deadline", actor="priya.raman@example.com", reason="renewing")
    assert repo.get_obligation(SAAS_ID, "notice_deadline").status == ObligationStatus.OPEN
    decide.decide(SAAS_ID, "renew", "price agreed", actor="priya.raman@example.com")
    assert repo.get_obligation(SAAS_ID, "notice_deadline").status == ObligationStatus.DONE  # by the decision


def test_a_decision_that_no_longer_waits_leaves_the_notice_deadline_to_a_person(waiting):
    """Review: a decision stuck as decided (its sending to the workflow failed: TaskGone) or whose run
    ended otherwise is not decided again; the notice deadline it would have closed is closed by hand."""
    item = store.latest(SAAS_ID)
    item.update(actions=[store.RenewalItem.state.set(RenewalState.DECIDED.value)])
    done = actions.complete_obligation(SAAS_ID, "notice_deadline", actor="priya.raman@example.com", note="renewing")
    assert done.status == ObligationStatus.DONE


def test_waiting_decisions_come_from_the_waiting_index_never_a_scan(waiting, monkeypatch):
    def no_scan(*args, **kwargs):
        raise AssertionError("a table scan for the waiting decisions")

    monkeypatch.setattr(store.RenewalItem, "scan", no_scan)
    [item] = store.waiting()
    assert item.contract_id == SAAS_ID and item.state == RenewalState.WAITING
    assert item.gsi5pk == schema.waiting_pk(schema.work_shard(SAAS_ID))
    assert item.gsi5sk == schema.waiting_sk(item.wait_deadline, SAAS_ID, item.term_end)
    decide.decide(SAAS_ID, "renew", "price agreed", actor="priya.raman@example.com")
    execution_status(store.latest(SAAS_ID))
    assert store.latest(SAAS_ID).state == RenewalState.RENEWED and store.latest(SAAS_ID).gsi5pk is None
    assert store.waiting() == []


def test_a_decision_waiting_from_before_the_index_is_reindexed_and_found(waiting):
    from clausewatch.aws.clients import client

    raw = client("dynamodb")
    [item] = store.waiting()
    key = {schema.PARTITION_KEY: {"S": item.pk}, schema.SORT_KEY: {"S": item.sk}}
    # as saved before the waiting index existed: no GSI5 keys
    raw.update_item(TableName=config.TABLE_NAME, Key=key, UpdateExpression="REMOVE #p, #s", ExpressionAttributeNames={
        "#p": schema.BY_NEXT_WORK.partition_key, "#s": schema.BY_NEXT_WORK.sort_key})
    assert store.waiting() == []
    assert store.reindex_waiting() == 1
    [found] = store.waiting()
    assert (found.contract_id, found.term_end, found.gsi5pk) == (SAAS_ID, item.term_end, item.gsi5pk)
    assert store.reindex_waiting() == 0  # once is enough


def test_renew_by_signature_creates_the_sign_the_renewal_obligation_with_reminders(cloud):
    clock.set_now(TODAY)
    contract_id = upload(cloud, SERVICES)  # ends 2026-12-31, no renewal clause
    start_due(cloud)
    item = store.latest(contract_id)
    assert item.state == RenewalState.WAITING and item.evidence["auto_renew"] in (False, None)
    decide.decide(contract_id, "renew", "extend the support", actor="marcus.lee@example.com")
    assert execution_status(item) == "SUCCEEDED"
    cloud.pump()
    obligation = repo.get_obligation(contract_id, "renewal-sign@2026-12-31")
    assert obligation.summary == "Sign the renewal by 31 Dec 2026" and obligation.due == "2026-12-31"
    assert obligation.status == ObligationStatus.OPEN
    item = store.latest(contract_id)
    assert item.outcome == "renewed: renewal to be signed"
    reminders = [s for s in cloud.schedules() if "renewal-sign@2026-12-31" in s["Target"]["Input"]]
    assert reminders, "the new obligation gets its reminders from the planner"


def test_do_not_renew_on_a_contract_that_does_not_renew_by_itself_writes_no_letter(cloud):
    """QA R14: the services agreement ends on 2026-12-31 and renews only by mutual written
    agreement: "do not renew" records that it ends then; no notice letter, no send-notice obligation."""
    clock.set_now(TODAY)
    contract_id = upload(cloud, SERVICES)
    start_due(cloud)
    item = store.latest(contract_id)
    assert item.evidence["auto_renew"] is False
    assert "Do not renew (it ends)" in body_text(mails_since(cloud, len(cloud.sent_mail()) - 1)[0])
    decide.decide(contract_id, "terminate", "no longer needed", actor="marcus.lee@example.com")
    assert execution_status(item) == "SUCCEEDED"
    cloud.pump()
    item = store.latest(contract_id)
    assert item.state == RenewalState.TERMINATED and item.notice_key is None
    assert item.outcome == ("not renewed: ends 2026-12-31 (the contract does not renew by itself: "
                            "no notice of non-renewal to send)")
    assert repo.get_obligation(contract_id, "renewal-notice@2026-12-31") is None
    assert not [o for o in client("s3").list_objects_v2(Bucket=config.BUCKET_NAME,
                                                        Prefix=f"contracts/{contract_id}/notices/").get("Contents", [])]
    cloud.fire_until(datetime(2027, 1, 2, 12, tzinfo=UTC))  # past the term's end and its sweep
    contract = repo.get_contract(contract_id)
    assert contract.current_expiration == "2026-12-31"
    assert contract.ended == {"last_day": "2026-12-31", "derivation": (
        "ended 2026-12-31: renewal decision terminate by marcus.lee@example.com and the contract does not "
        "renew by itself")}


def test_terminate_generates_the_letter_and_the_notice_obligation_with_reminders(waiting):
    decide.decide(SAAS_ID, "terminate", "moving to another vendor", actor="priya.raman@example.com")
    item = store.latest(SAAS_ID)
    assert execution_status(item) == "SUCCEEDED"
    waiting.pump()
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.TERMINATED
    assert item.notice_key == f"contracts/{SAAS_ID}/notices/non-renewal-2027-02-28.pdf"
    pdf = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=item.notice_key)["Body"].read()
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Northwind Analytics, Inc." in text
    assert "hereby gives Northwind Analytics, Inc. written notice that it will not renew" in text
    assert "end of its current term on 28 Feb 2027" in text
    assert "Section 3.2" in text and "automatically renew for successive twelve (12) month periods" in text
    assert "no later than 30 Dec 2026" in text
    assert "by email with confirmation of receipt" in text  # the notice method the contract requires
    # QA q6 SHOULD-7: a line to sign on, never the decider's email address or how it was decided
    assert "Yours faithfully, ________________________________ Name: Title: for" in text, text
    assert "priya.raman@example.com" not in text and "decision link" not in text
    obligation = repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28")
    assert obligation.due == "2026-12-30" and obligation.summary == "Send the notice of non-renewal by 30 Dec 2026"
    reminders = [s for s in waiting.schedules() if "renewal-notice@2027-02-28" in s["Target"]["Input"]]
    assert reminders
    # the contract ends with this term: nothing of a next term is reminded of
    dues = [json.loads(s["Target"]["Input"]).get("due") for s in waiting.schedules()
            if SAAS_ID in s["Name"] and s["Target"]["Input"].startswith("{")]
    assert dues and all(due <= "2027-02-28" for due in dues if due), dues
    with pytest.raises(actions.InvalidInput, match="proof of sending"):
        actions.complete_obligation(SAAS_ID, obligation.obligation_id, actor="priya.raman@example.com")


def test_renegotiate_then_the_final_decision(waiting):
    decide.decide(SAAS_ID, "renegotiate", "ask for a 10% discount", actor="priya.raman@example.com")
    item = store.latest(SAAS_ID)
    assert execution_status(item) == "WAITING"
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.waiting_round == "final"
    agree = repo.get_obligation(SAAS_ID, "renewal-renegotiate@2027-02-28")
    assert agree.summary == "Agree new terms before 30 Dec 2026" and agree.due == "2026-12-30"
    decide.decide(SAAS_ID, "renew", "discount agreed", actor="priya.raman@example.com")
    assert execution_status(item) == "SUCCEEDED"
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.RENEWED and item.decision["round"] == "final"
    actions_seen = [h["action"] for h in item.history]
    assert actions_seen.index("renegotiating") < actions_seen.index("asked.final") < actions_seen.index("renewed")


def agree_terms_reminders(cloud) -> list[dict]:
    return [s for s in cloud.schedules() if "renewal-renegotiate@2027-02-28" in s["Target"]["Input"]]


@pytest.mark.parametrize("final", ["terminate", "renew"])
def test_the_final_decision_closes_the_agree_terms_obligation_and_its_reminders(waiting, final):
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor="priya.raman@example.com")
    waiting.pump()
    assert agree_terms_reminders(waiting), "the agree-terms obligation is reminded while renegotiating"
    decide.decide(SAAS_ID, final, "decided after talks", actor="priya.raman@example.com")
    assert execution_status(store.latest(SAAS_ID)) == "SUCCEEDED"
    waiting.pump()
    agree = repo.get_obligation(SAAS_ID, "renewal-renegotiate@2027-02-28")
    assert agree.status == ObligationStatus.DONE
    assert agree.resolution_note == f"renewal decided: {final} by priya.raman@example.com (decided after talks)"
    assert agree_terms_reminders(waiting) == []


def test_a_lapse_after_renegotiating_closes_the_agree_terms_obligation(waiting):
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor="priya.raman@example.com")
    waiting.pump()
    waiting.fire_until(datetime(2026, 12, 26, tzinfo=UTC))  # past the final cut-off, 2026-12-24: escalated
    assert store.latest(SAAS_ID).waiting_round == "escalated"
    waiting.fire_until(datetime(2027, 1, 1, tzinfo=UTC))  # past the notice deadline, 2026-12-30
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.LAPSED_RENEWED
    agree = repo.get_obligation(SAAS_ID, "renewal-renegotiate@2027-02-28")
    assert agree.status == ObligationStatus.SUPERSEDED
    [closed] = [e.detail for e in repo.audit_events(SAAS_ID) if e.action == "obligation.superseded"
                and e.detail["obligation_id"] == "renewal-renegotiate@2027-02-28"]
    assert closed["reason"] == "renewal lapsed: auto-renewed by default: no final decision by the final cut-off"
    waiting.pump()
    assert agree_terms_reminders(waiting) == []


def test_no_decision_escalates_then_lapses_on_the_simulated_clock(waiting):
    sent = len(waiting.sent_mail())
    waiting.fire_until(datetime(2026, 12, 17, tzinfo=UTC))  # past 2026-12-15, end of day New York
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.waiting_round == "escalated"
    escalations = [m for m in mails_since(waiting, sent) if m["Subject"].startswith("[Escalation]")
                   and "renewal decision overdue" in body_text(m)]
    [escalation] = escalations
    assert escalation["To"] == "priya.raman@example.com" and config.DEFAULT_ESCALATION_EMAIL in escalation["Cc"]
    # QA q6 NITs: not "[Escalation] ESCALATION: ... overdue by <a later day>", one space, ASCII dashes
    assert escalation["Subject"] == ("[Escalation] Renewal decision overdue, decide by 24 Dec 2026: "
                                     "SaaS Subscription Agreement - Northwind Analytics, Inc."), escalation["Subject"]
    sent = len(waiting.sent_mail())
    waiting.fire_until(datetime(2026, 12, 26, tzinfo=UTC))  # past the final cut-off, 2026-12-24
    item = store.latest(SAAS_ID)
    assert execution_status(item) == "SUCCEEDED"
    assert item.state == RenewalState.LAPSED_RENEWED == "lapsed: auto-renewed by default"
    # QA q6 MUST-3: it has not renewed yet: notice can still be given until 30 Dec (was: "Renewal
    # lapsed: auto-renewed by default" while days remained); SHOULD-6: evidence counted when sent
    [lapse_mail] = [m for m in mails_since(waiting, sent) if "No renewal decision by the cut-off" in body_text(m)]
    assert lapse_mail["Subject"] == ("[Escalation] No renewal decision by the cut-off - notice still possible until "
                                     "30 Dec 2026: SaaS Subscription Agreement - Northwind Analytics, Inc."), \
        lapse_mail["Subject"]
    text = " ".join(body_text(lapse_mail).split())
    assert ("No renewal decision by the cut-off 24 Dec 2026; notice can still be given until 30 Dec 2026 "
            "(6 days left); it renews when this term ends on 28 Feb 2027 if none is given") in text, text
    assert "auto-renewed" not in text
    assert "Days left to give notice: 6 on 24 Dec 2026 (notice deadline 2026-12-30: 2026-12-30 - 2026-12-24)" in text
    assert "Obligations this term (as gathered on 25 Nov 2026):" in text
    seen = [h["action"] for h in item.history]
    assert seen.index("asked.owner") < seen.index("escalated") < seen.index("asked.escalated") < seen.index("lapsed")
    assert "decided" not in seen


def test_after_renegotiating_the_escalation_has_until_the_notice_deadline(waiting):
    """QA R7: the final round times out at its cut-off (2026-12-24); the escalation then asks until
    the notice deadline itself (was: "Decide by 24 Dec" sent at the lapse, its links expired)."""
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor="priya.raman@example.com")
    waiting.pump()
    sent = len(waiting.sent_mail())
    waiting.fire_until(datetime(2026, 12, 26, tzinfo=UTC))
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.waiting_round == "escalated"
    [asked] = [h for h in item.history if h["action"] == "asked.escalated"]
    assert asked["decide_by"] == "2026-12-30" and asked["link_expires"] > asked["at"]
    assert datetime.fromisoformat(item.wait_deadline) == datetime(2026, 12, 31, 4, 59, 59, tzinfo=UTC)
    [escalated] = [h for h in item.history if h["action"] == "escalated"]
    assert escalated["derivation"] == "the final cut-off 2026-12-24 passed: until the notice deadline 2026-12-30 itself"
    mails = [m for m in mails_since(waiting, sent) if m["Subject"].startswith("[Escalation]")]
    [mail] = [m for m in mails if "renewal decision overdue" in m["Subject"].lower()]
    assert "Decide by 30 Dec 2026" in body_text(mail) and "lapsed" not in mail["Subject"]
    decide.decide(SAAS_ID, "renew", "agreed at last", actor="priya.raman@example.com")  # still in time
    assert execution_status(store.latest(SAAS_ID)) == "SUCCEEDED"
    assert store.latest(SAAS_ID).state == RenewalState.RENEWED


def test_a_decision_first_planned_on_its_notice_deadline_asks_until_that_days_end(cloud):
    """QA G12: planned on the notice deadline's day (its cut-offs passed), the owner is asked until
    the deadline's end (was: lapsed at once); with no time left the escalation is skipped."""
    clock.set_now(datetime(2026, 12, 30, 15, tzinfo=UTC))  # 10:00 in New York, the deadline's day
    upload(cloud, SAAS)
    start_due(cloud)
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.waiting_round == "owner"
    assert item.recommendation["owner_decides_by"] == item.recommendation["final_cutoff"] == "2026-12-30"
    assert "the notice deadline 2026-12-30 itself" in item.recommendation["cutoff_derivation"]
    cloud.fire_until(datetime(2026, 12, 31, 6, tzinfo=UTC))  # the deadline's end passed (05:00 UTC)
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.LAPSED_RENEWED
    seen = [h["action"] for h in item.history]
    assert "escalation.skipped" in seen and "asked.escalated" not in seen
    [lapsed] = [h for h in item.history if h["action"] == "lapsed"]
    assert lapsed["at"] >= "2026-12-31T04:59:59"  # never before the notice deadline passed


# --- decisions refused ---------------------------------------------------------------------------

def test_a_decision_after_completion_is_a_conflict(waiting):
    decide.decide(SAAS_ID, "renew", "ok", actor="priya.raman@example.com")
    execution_status(store.latest(SAAS_ID))
    with pytest.raises(actions.Conflict, match="renewed"):
        decide.decide(SAAS_ID, "terminate", "changed my mind", actor="priya.raman@example.com")


def link_token(item: store.RenewalItem, *, expires: datetime | None = None) -> str:
    """The token of the link mailed for the waiting decision (signed as the ask step signs it)."""
    return links.sign(store.secret(links.SECRET_NAME), item.contract_id, item.term_end, item.decision_nonce,
                      expires or clock.now().replace(year=clock.now().year + 1))


def test_a_decision_link_decides_once_and_never_by_opening_it(waiting):
    item = store.latest(SAAS_ID)
    token = link_token(item)
    target = decide.open_link(token)  # what GET does: nothing decided
    assert target.renewal.state == RenewalState.WAITING and store.latest(SAAS_ID).state == RenewalState.WAITING
    decide.decide_by_link(token, "renew", None)
    assert execution_status(item) == "SUCCEEDED"
    assert store.latest(SAAS_ID).decision["via"] == "link"
    with pytest.raises(actions.Conflict, match="already used"):
        decide.decide_by_link(token, "terminate", None)


def test_an_expired_or_forged_decision_link_is_refused(waiting):
    item = store.latest(SAAS_ID)
    expired = link_token(item, expires=clock.now())
    with pytest.raises(decide.RefusedLink, match="expired"):
        decide.open_link(expired)
    forged = links.sign(b"x" * 32, item.contract_id, item.term_end, item.decision_nonce,
                        clock.now().replace(year=clock.now().year + 1))
    with pytest.raises(decide.RefusedLink, match="not signed"):
        decide.decide_by_link(forged, "terminate", None)
    assert store.latest(SAAS_ID).state == RenewalState.WAITING


# --- planning ------------------------------------------------------------------------------------

def starts(cloud, contract_id: str) -> list[dict]:
    return [s for s in cloud.schedules() if s["Name"].startswith(schedule_prefix(contract_id))]


def test_an_amendment_moving_the_notice_deadline_re_plans_the_start(cloud):
    clock.set_now(datetime(2026, 9, 1, 15, tzinfo=UTC))
    contract_id = upload(cloud, "supply-agreement-autorenew.pdf")
    # 2027-03-04 - 90 days = 2026-12-04 09:00 Chicago: beyond the 35-day horizon, planned not scheduled
    assert starts(cloud, contract_id) == []
    contract = repo.get_contract(contract_id)
    assert contract.next_planning <= "2026-10-30"  # by 2026-12-04 - 35 days (its duties may come sooner)
    clock.set_now(datetime(2026, 10, 1, 15, tzinfo=UTC))
    upload(cloud, "amendment-1-supply.pdf")  # notice period 90 -> 120 days: deadline 2027-02-02
    [after] = starts(cloud, contract_id)  # 2026-11-04 09:00 Chicago: inside the horizon now
    assert after["ScheduleExpression"] == "at(2026-11-04T09:00:00)"
    planned = [e.detail for e in repo.audit_events(contract_id) if e.action == "renewal.start.planned"]
    assert planned[-1]["deleted"] == [] and planned[-1]["created"] == after["Name"]
    assert "2027-02-02 - P90D = 2026-11-04" in planned[-1]["derivation"]


def test_the_letter_cites_the_amendment_for_a_renewal_clause_it_wrote(cloud):
    """QA R2: the supply agreement's renewal clause as Amendment No. 1 rewrote it: the letter cites
    the amendment's section and page (was: the agreement's Section 2.1, the purchase clause)."""
    clock.set_now(TODAY)
    contract_id = upload(cloud, "supply-agreement-autorenew.pdf")
    amendment_id = upload(cloud, "amendment-1-supply.pdf")
    start_due(cloud)
    amendment = repo.get_contract(amendment_id)
    decide.decide(contract_id, "terminate", "second source found", actor="dana.kowalski@example.com")
    assert execution_status(store.latest(contract_id)) == "SUCCEEDED"
    text = letter_text(store.latest(contract_id).notice_key)
    assert "This notice is given under Section 2.1 (page 1)" not in text
    assert f"of {amendment.title or amendment.file_name} (page 1), which provides:" in text
    assert "As so amended, the second sentence of Section 11.1 reads" in text
    # the notices clause (the agreement's 12.2) is quoted without a piece of its number
    assert '"Notices shall be in writing and delivered by hand' in text and '"2 Notices' not in text


def test_a_start_beyond_the_horizon_is_scheduled_by_the_daily_sweep_and_fires_on_its_day(cloud):
    clock.set_now(datetime(2026, 9, 1, 15, tzinfo=UTC))
    contract_id = upload(cloud, "supply-agreement-autorenew.pdf")
    assert starts(cloud, contract_id) == []
    cloud.fire_until(datetime(2026, 10, 29, 23, tzinfo=UTC))
    assert starts(cloud, contract_id) == [] and cloud.renewals_started == []
    cloud.fire_until(datetime(2026, 10, 30, 12, tzinfo=UTC))  # the sweep of 2026-10-30 brings it in
    [start] = starts(cloud, contract_id)
    assert start["ScheduleExpression"] == "at(2026-12-04T09:00:00)"
    assert start["ScheduleExpressionTimezone"] == "America/Chicago"
    cloud.fire_until(datetime(2026, 12, 4, 16, tzinfo=UTC))
    [started] = [f for f in cloud.renewals_started if f.payload and contract_id in json.dumps(f.payload)]
    assert started.at == datetime(2026, 12, 4, 15, tzinfo=UTC)  # 09:00 in Chicago
    assert starts(cloud, contract_id) == []
    assert store.latest(contract_id).state == RenewalState.WAITING


def test_the_sample_event_names_a_step_and_an_unknown_contract_fails_it(cloud):
    from clausewatch.local.handlers import invoke
    from clausewatch.renewal.steps import RenewalError
    from tests.paths import EVENTS

    event = json.loads((EVENTS / "renewal-step-gather.json").read_text())
    with pytest.raises(RenewalError, match="no contract"):
        invoke("renewal", event)  # the Task fails (the execution with it), nothing is recorded
    assert store.get(event["contract_id"], event["term_end"]) is None


def test_the_teams_webhooks_hear_the_decision_needed_and_made(cloud, tmp_path, monkeypatch):
    """A Slack webhook of the SaaS contract's team: the ask and the decision reach it (locally, as
    JSON in the outbox: nothing leaves the machine)."""
    from clausewatch.config import Settings
    from clausewatch.pipeline import webhooks

    monkeypatch.setenv(config.ENV_WEBHOOK_OUTBOX, str(tmp_path))
    clock.set_now(TODAY)
    contract_id = upload(cloud, SAAS)
    team = repo.get_contract(contract_id).team
    webhooks.subscribe(Settings.from_env(), team=team, kind="slack", url="https://hooks.slack.com/services/T/B/X",
                       events=["renewal.decision_needed", "renewal.decided"], label=None, actor="ada@example.com")
    start_due(cloud)
    decide.decide(contract_id, "renew", "price agreed", actor="priya.raman@example.com")
    execution_status(store.latest(contract_id))
    cloud.pump()
    texts = [json.loads(p.read_text())["body"]["text"] for p in sorted(tmp_path.glob("*.json"))]
    assert any("renewal decision needed" in t and "notice by 2026-12-30" in t for t in texts), texts
    assert any("renewed: rolls to the next term" in t for t in texts), texts


# --- a notice deadline that moves while the decision waits (QA R1) -------------------------------

def move_notice_earlier(cloud) -> str:
    """A person enters a longer notice period (75 days, not 60): the SaaS term's notice deadline
    moves from 2026-12-30 to mid-December. Returns the contract's new notice deadline."""
    entries.enter_term(SAAS_ID, "notice_period", "P75D", note="the order form says 75 days",
                       actor="priya.raman@example.com", team="procurement")
    cloud.pump()
    contract = repo.get_contract(SAAS_ID)
    assert contract.current_notice_deadline < "2026-12-30"
    return contract.current_notice_deadline


def notice_day(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%-d %b %Y")


def letter_text(key: str) -> str:
    pdf = client("s3").get_object(Bucket=config.BUCKET_NAME, Key=key)["Body"].read()
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_notice_deadline_moved_earlier_moves_the_waiting_decision_and_its_timeout(waiting):
    before = store.latest(SAAS_ID)
    sent = len(waiting.sent_mail())
    notice = move_notice_earlier(waiting)
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.waiting_round == "owner"
    assert item.notice_deadline == notice and item.evidence["notice_deadline"] == notice
    owner_day = item.recommendation["owner_decides_by"]
    assert owner_day < before.recommendation["owner_decides_by"] == "2026-12-15"
    assert item.recommendation["final_cutoff"] < notice
    assert item.wait_deadline < before.wait_deadline
    [moved] = [h for h in item.history if h["action"] == "notice_deadline.moved"]
    assert moved["from"] == "2026-12-30" and moved["to"] == notice and "P75D" in moved["derivation"]
    # the owner hears of the new date from a new request (test_renewal_moved_deadline.py) and from
    # the notice deadline's own reminder (its lead times passed)
    waiting.fire_until(clock.now() + (datetime(2026, 1, 1, 0, 5) - datetime(2026, 1, 1)))
    [told] = [m for m in mails_since(waiting, sent) if notice_day(notice) in m["Subject"]
              and "Renewal decision needed" not in m["Subject"]]
    assert told["To"] == "priya.raman@example.com" and "P75D" in body_text(told)
    # the wait times out on the new cut-off, not the old one (2026-12-15)
    waiting.fire_until(datetime.fromisoformat(item.wait_deadline) + (datetime(2026, 1, 2) - datetime(2026, 1, 1)))
    item = store.latest(SAAS_ID)
    assert item.waiting_round == "escalated"
    assert [h for h in item.history if h["action"] == "asked.escalated"][0]["decide_by"] == \
        item.recommendation["final_cutoff"]


def test_do_not_renew_after_the_notice_deadline_moved_uses_the_current_deadline(waiting):
    notice = move_notice_earlier(waiting)
    day = datetime.fromisoformat(notice).strftime("%-d %b %Y")
    decide.decide(SAAS_ID, "terminate", "moving to another vendor", actor="priya.raman@example.com")
    assert execution_status(store.latest(SAAS_ID)) == "SUCCEEDED"
    waiting.pump()
    obligation = repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28")
    assert obligation.due == notice and obligation.summary == f"Send the notice of non-renewal by {day}"
    assert obligation.derivation.startswith(f"notice deadline {notice} (") and "P75D" in obligation.derivation
    dues = {json.loads(s["Target"]["Input"])["due"] for s in waiting.schedules()
            if "renewal-notice@2027-02-28" in s["Target"]["Input"]}
    assert dues == {notice}
    assert f"no later than {day}" in letter_text(store.latest(SAAS_ID).notice_key)
    assert repo.get_obligation(SAAS_ID, "notice_deadline").status == ObligationStatus.DONE  # decided


def test_a_notice_deadline_moved_after_the_decision_moves_the_open_obligation_and_the_letter(waiting):
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor="priya.raman@example.com")
    waiting.pump()
    notice = move_notice_earlier(waiting)
    day = datetime.fromisoformat(notice).strftime("%-d %b %Y")
    agree = repo.get_obligation(SAAS_ID, "renewal-renegotiate@2027-02-28")
    assert agree.due == notice and agree.summary == f"Agree new terms before {day}"
    item = store.latest(SAAS_ID)
    assert item.waiting_round == "final" and item.wait_deadline < "2026-12-25"  # the old final cut-off 2026-12-24
    decide.decide(SAAS_ID, "terminate", "no agreement", actor="priya.raman@example.com")
    assert execution_status(store.latest(SAAS_ID)) == "SUCCEEDED"
    assert repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28").due == notice


def test_the_daily_sweep_times_out_a_wait_whose_deadline_moved_earlier_when_deployed(waiting, monkeypatch):
    """Deployed, a Step Functions wait cannot be shortened: the sweep fails the task with the
    definition's DecisionTimeout once the stored (moved) wait deadline passed, else heartbeats."""
    from clausewatch.aws import stepfunctions as sfn
    from clausewatch.renewal import planning

    move_notice_earlier(waiting)
    item = store.latest(SAAS_ID)
    calls: list[tuple] = []
    monkeypatch.setattr(sfn, "send_task_heartbeat", lambda token: calls.append(("heartbeat", token)))
    monkeypatch.setattr(sfn, "send_task_failure", lambda token, error, cause: calls.append((error, token)))
    monkeypatch.delenv(config.ENV_RENEWAL_TIMEOUTS, raising=False)
    deadline = datetime.fromisoformat(item.wait_deadline)
    planning.heartbeat_waiting(deadline - (datetime(2026, 1, 1, 0, 1) - datetime(2026, 1, 1)))
    assert calls == [("heartbeat", item.task_token)]
    calls.clear()
    planning.heartbeat_waiting(deadline)
    assert calls == [("DecisionTimeout", item.task_token)]


# --- "do not renew": the contract ends only once the notice was given (QA R5, R6) ----------------

def terminate_saas(cloud) -> None:
    decide.decide(SAAS_ID, "terminate", "moving to another vendor", actor="priya.raman@example.com")
    assert execution_status(store.latest(SAAS_ID)) == "SUCCEEDED"
    cloud.pump()


def test_do_not_renew_with_the_notice_given_ends_the_contract_at_the_term_end(waiting):
    terminate_saas(waiting)
    receipt = f"{config.EVIDENCE_PREFIX}{SAAS_ID}/courier-receipt.pdf"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=receipt, Body=b"%PDF-1.4 receipt")
    actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                note="sent by email, receipt confirmed", evidence_key=receipt)
    waiting.pump()
    # `clausewatch status` before the last day: the contract ends then, not "ended" (QA hcli 7), the
    # row still aligned under its header
    from clausewatch.local.report import contracts_table, renewal_text

    assert renewal_text(repo.get_contract(SAAS_ID)) == "ends 2027-02-28 (not renewed)"
    header, _, row = contracts_table([repo.get_contract(SAAS_ID)]).splitlines()
    assert row.index("ends 2027-02-28 (not renewed)") == header.index("renewal")
    after = header.index("notice by")  # the next column starts where its header does
    assert row[after - 1] == " " and row[after] != " "
    # a credit owed for the last month is claimed after the end: it stays (was: superseded with the term)
    repo.upsert_obligation(SAAS_ID, repo.ObligationRecord(
        obligation_id="credit-2027-02-availability", kind="credit_claim", summary="Claim the service credit",
        due="2027-03-30", derivation="end of 2027-02 2027-02-28 + P30D = 2027-03-30"), team="procurement", actor="test")
    waiting.fire_until(datetime(2027, 3, 3, 12, tzinfo=UTC))  # past the term end and its sweep
    assert repo.get_obligation(SAAS_ID, "credit-2027-02-availability").status == ObligationStatus.OPEN
    repo.set_obligation_status(SAAS_ID, "credit-2027-02-availability", ObligationStatus.DONE, team="procurement",
                               actor="test")
    contract = repo.get_contract(SAAS_ID)
    assert contract.current_expiration == "2027-02-28"  # not rolled to 2028-02-29
    assert contract.current_notice_deadline is None or contract.current_notice_deadline <= "2027-02-28"
    end = repo.get_obligation(SAAS_ID, "expiration")
    assert end.due == "2027-02-28" and "renews automatically" not in end.summary
    assert end.derivation == ("ended 2027-02-28: notice of non-renewal given 2026-11-25 "
                              "(renewal decision terminate by priya.raman@example.com)")
    assert end.status == ObligationStatus.DONE  # the end passed
    assert store.get(SAAS_ID, "2027-02-28").outcome == \
        "not renewed: notice of non-renewal given 2026-11-25; the contract ends 2027-02-28"
    from clausewatch.local.report import renewal_text

    assert renewal_text(contract) == "ended 2027-02-28"  # `clausewatch status`, not "auto P12M"
    # nothing after the end but the report on its last month (February's period is within the term:
    # owed, due after the end, as for a term that does not renew; before 2026-12-07 it was dropped)
    after = [o for o in repo.obligations(SAAS_ID) if o.status == ObligationStatus.OPEN and o.due and o.due > "2027-02-28"]
    assert [(o.kind, o.due) for o in after] == [("recurring", "2027-03-12")]
    assert "boundary 2027-03-01" in after[0].derivation
    assert "due after the term's last day 2027-02-28: its period is within the term, so it is owed" \
        in after[0].derivation
    assert not [o for o in repo.obligations(SAAS_ID) if o.status == ObligationStatus.OPEN and o.kind == "recurring"
                and o.due > "2027-03-12"], "no period after the term is asked"
    dues = [json.loads(s["Target"]["Input"]).get("due") for s in waiting.schedules()
            if SAAS_ID in s["Name"] and s["Target"]["Input"].startswith("{")]
    assert all(due <= "2027-02-28" or due == "2027-03-12" for due in dues if due), dues
    assert not [s for s in waiting.schedules() if s["Name"].startswith(schedule_prefix(SAAS_ID))]


def test_do_not_renew_without_the_notice_renews_by_its_terms_and_is_planned_again(waiting):
    terminate_saas(waiting)  # the notice is never sent (its obligation stays open)
    sent = len(waiting.sent_mail())
    waiting.fire_until(datetime(2027, 3, 10, 15, tzinfo=UTC))  # past the term end: the contract renews
    contract = repo.get_contract(SAAS_ID)
    assert contract.current_expiration == "2028-02-29"
    notice = repo.get_obligation(SAAS_ID, "notice_deadline")
    assert notice.status == ObligationStatus.OPEN and notice.due == contract.current_notice_deadline > "2027-02-28"
    assert "renewed 1 x P12M" in notice.derivation or "renewed 1 x P1Y" in notice.derivation, notice.derivation
    assert repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28").status == ObligationStatus.OPEN  # missed
    # the next term is planned as for any contract: its decision's start (90 days before its notice
    # deadline, beyond the horizon: the sweep brings it in), and its notice deadline's reminders
    start = planning.wanted_start(SAAS_ID, clock.now())
    assert start is not None and start.term_end.isoformat() == "2028-02-29"
    assert start.reference.isoformat() == notice.due and start.fire_at.date().isoformat() < notice.due
    assert contract.next_planning <= (start.fire_at.date() - (datetime(2026, 2, 5) - datetime(2026, 1, 1))).isoformat()
    assert "2027-02-28" < contract.next_planning
    assert repo.get_obligation(SAAS_ID, "expiration").summary.endswith("renews automatically for 12 months") or \
        "renews automatically" in repo.get_obligation(SAAS_ID, "expiration").summary
    assert len(waiting.sent_mail()) >= sent
    # the decision's record says what happened (was: "not renewed: notice to send" for ever)
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.TERMINATED
    assert item.outcome == ("renewed by its terms on 2027-03-01: no notice of non-renewal was given by 2026-12-30; "
                            "the next term's renewal decision follows")
    # once the deadline passed (the planner's run after it), then once the term rolled
    assert [h["to"].split(":")[0] for h in item.history if h["action"] == "outcome.settled"] == [
        "renews by its terms on 2027-03-01", "renewed by its terms on 2027-03-01"]


def test_a_notice_of_non_renewal_given_after_its_deadline_ends_nothing(waiting):
    terminate_saas(waiting)
    waiting.fire_until(datetime(2027, 1, 5, 12, tzinfo=UTC))  # the notice deadline 2026-12-30 passed
    receipt = f"{config.EVIDENCE_PREFIX}{SAAS_ID}/late-receipt.pdf"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=receipt, Body=b"%PDF-1.4 receipt")
    actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                note="sent late", evidence_key=receipt)
    waiting.pump()
    waiting.fire_until(datetime(2027, 3, 3, 12, tzinfo=UTC))
    # too late to stop the renewal: the contract renewed by its terms (was: ended on 2027-02-28)
    assert repo.get_contract(SAAS_ID).current_expiration == "2028-02-29"
    assert store.get(SAAS_ID, "2027-02-28").outcome == (
        "renewed by its terms on 2027-03-01: the notice of non-renewal was marked done 2027-01-05, after the "
        "last day to give it (2026-12-30), with no day said: if it was sent by 2026-12-30, mark it done again "
        "with that day (done_on); the next term's renewal decision follows")


def test_a_notice_sent_on_its_deadline_and_recorded_later_ends_the_contract(waiting):
    """Review 6: the day a notice was given was the day someone clicked done, so a notice couriered on
    the deadline (30 Dec) and recorded on 5 Jan was "given late" and the contract planned as renewing.
    The person says the day (done_on; not after today); one marked done without it can be given it."""
    terminate_saas(waiting)
    waiting.fire_until(datetime(2027, 1, 5, 12, tzinfo=UTC))
    receipt = f"{config.EVIDENCE_PREFIX}{SAAS_ID}/courier-receipt.pdf"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=receipt, Body=b"%PDF-1.4 receipt")
    with pytest.raises(actions.InvalidInput, match="after today"):
        actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                    evidence_key=receipt, done_on=date(2027, 1, 6))
    # a year typo (2025 for 2026) would make a late notice one given in time: before the decision, refused
    with pytest.raises(actions.InvalidInput, match="before the day not to renew was decided"):
        actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                    evidence_key=receipt, done_on=date(2025, 12, 30))
    actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                note="couriered 30 Dec", evidence_key=receipt)
    waiting.pump()
    assert store.get(SAAS_ID, "2027-02-28").outcome.startswith("renews by its terms on 2027-03-01: the notice "
                                                               "of non-renewal was marked done 2027-01-05")
    # the day it was sent, said afterwards: audited, and the decision settles on it
    done = actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                       note="the courier's receipt is dated 30 Dec", evidence_key=receipt,
                                       done_on=date(2026, 12, 30))
    assert done.done_on == "2026-12-30" and done.resolved_at.startswith("2027-01-05")
    assert [e.detail for e in repo.audit_events(SAAS_ID) if e.action == "obligation.done_on"] == [
        {"obligation_id": "renewal-notice@2027-02-28", "from": None, "to": "2026-12-30",
         "reason": "the courier's receipt is dated 30 Dec"}]
    waiting.pump()
    waiting.fire_until(datetime(2027, 3, 3, 12, tzinfo=UTC))
    assert repo.get_contract(SAAS_ID).current_expiration == "2027-02-28"  # ended, not renewed to 2028
    assert store.get(SAAS_ID, "2027-02-28").outcome == \
        "not renewed: notice of non-renewal given 2026-12-30; the contract ends 2027-02-28"


def test_do_not_renew_then_a_notice_deadline_moved_into_the_past_moves_the_notice_and_its_letter(waiting):
    """Review (rv5) 1: "do not renew" decided (notice by 30 Dec 2026), then a 120-day notice period
    entered puts this term's deadline on 31 Oct 2026, already passed. The send-notice obligation and
    the letter kept 30 Dec, and a notice sent by then ended the contract. Now they take the passed
    day with why: the obligation is overdue, and a notice given after it is late: the contract renews."""
    terminate_saas(waiting)
    entries.enter_term(SAAS_ID, "notice_period", "P120D", note="the order form says 120 days",
                       actor="priya.raman@example.com", team="procurement")
    waiting.pump()
    item = store.get(SAAS_ID, "2027-02-28")
    send = repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28")
    assert (item.state, item.notice_deadline, send.status, send.due) == (
        RenewalState.TERMINATED, "2026-10-31", ObligationStatus.OPEN, "2026-10-31")
    [passed] = [h for h in item.history if h["action"] == "notice_deadline.passed"]
    assert passed["from"] == "2026-12-30" and "can no longer be given in time" in passed["reason"]
    assert "no later than 31 Oct 2026" in letter_text(item.notice_key)
    waiting.pump()  # planning again changes nothing more
    assert [h["action"] for h in store.get(SAAS_ID, "2027-02-28").history].count("notice_deadline.passed") == 1
    receipt = f"{config.EVIDENCE_PREFIX}{SAAS_ID}/receipt.pdf"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=receipt, Body=b"%PDF-1.4 receipt")
    actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                note="sent anyway", evidence_key=receipt)
    waiting.pump()
    waiting.fire_until(datetime(2027, 3, 3, 12, tzinfo=UTC))
    assert repo.get_contract(SAAS_ID).current_expiration == "2028-02-29"  # renewed: the notice was late


# --- review S7, S8 -------------------------------------------------------------------------------

def test_the_notice_derivation_is_the_planners_arithmetic_without_the_obligation(waiting, monkeypatch):
    """Review S8: the send-notice / agree-terms derivation quotes the planner's arithmetic for the
    contract's terms as they are now, not only a stored notice_deadline obligation of that date
    (one the decision closed keeps its own date): never a bare "notice deadline 2026-12-30"."""
    from datetime import date

    from clausewatch.renewal import steps

    contract = repo.get_contract(SAAS_ID)
    stored = repo.get_obligation(SAAS_ID, "notice_deadline")
    monkeypatch.setattr(steps.repo, "get_obligation", lambda contract_id, oid: None)
    derivation = steps.notice_derivation(contract, date(2026, 12, 30), "2027-02-28")
    assert derivation == stored.derivation == "expiration_date 2027-02-28 - P60D"


def test_a_letter_without_a_notice_deadline_is_not_written_again_on_every_planning(waiting, monkeypatch):
    """Review S7: with no notice deadline the send-notice obligation is due on the term's end; the
    planner does not take that for a move (was: the letter rendered and put again on every run)."""
    from clausewatch.config import Settings
    from clausewatch.renewal import steps

    terminate_saas(waiting)
    item = store.latest(SAAS_ID)
    item = store.update(item, actor="test", action="test", notice_deadline=None)
    steps._send_notice_obligation(repo.get_contract(SAAS_ID), item, None, dict(item.decision), item.notice_key)
    assert repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28").due == "2027-02-28"
    puts: list[str] = []
    monkeypatch.setattr(steps.s3, "put_file", lambda bucket, key, *a, **k: puts.append(key))
    moved = steps.reissue_branch_obligations(repo.get_contract(SAAS_ID), item, Settings.from_env())
    assert moved == [] and puts == []


# --- a term whose end moved: its decision ends (QA Q6) --------------------------------------------

def test_a_term_end_moved_later_ends_the_old_terms_waiting_decision(waiting):
    """QA Q6: the SaaS term is extended (its end entered as 2028-02-29, as Amendment No. 1 would)
    while the decision for the term ending 2027-02-28 waits: that decision ends (its wait fails
    with TermMoved, nothing times it out later, no escalation or lapse is mailed quoting the old
    notice deadline 30 Dec 2026) and the new term's decision is planned by its own start."""
    from datetime import date, timedelta

    from clausewatch.renewal import steps

    before = store.latest(SAAS_ID)
    assert before.term_end == "2027-02-28" and before.state == RenewalState.WAITING
    sent = len(waiting.sent_mail())
    entries.enter_term(SAAS_ID, "expiration_date", "2028-02-29", note="Amendment No. 1 extends the term",
                       actor="priya.raman@example.com", team="procurement")
    waiting.pump()
    contract = repo.get_contract(SAAS_ID)
    assert contract.current_expiration == "2028-02-29" and contract.current_notice_deadline == "2027-12-31"
    old = store.get(SAAS_ID, "2027-02-28")
    assert old.state == RenewalState.CANCELLED == "cancelled"
    assert old.task_token is None and old.decision_nonce is None and store.waiting() == []
    assert execution_status(old) == "FAILED"  # TermMoved: no state catches it
    assert old.outcome.startswith("cancelled: the term no longer ends 2027-02-28: the current term ends 2028-02-29 (")
    assert "entered by priya.raman@example.com: Amendment No. 1 extends the term" in old.outcome
    [line] = [h for h in old.history if h["action"] == "cancelled"]
    assert line["was"] == "waiting" and line["round"] == "owner" and line["term_end_now"] == "2028-02-29"
    [audit] = [e.detail for e in repo.audit_events(SAAS_ID) if e.action == "renewal.cancelled"]
    assert audit["term_end_now"] == "2028-02-29" and audit["notice_deadline_now"] == "2027-12-31"
    assert "no longer ends 2027-02-28" in audit["reason"]
    # a step of the old term that still ran does nothing
    with pytest.raises(steps.TermMoved):
        steps.escalate({"contract_id": SAAS_ID, "term_end": "2027-02-28"})
    # past the old owner's day (2026-12-15), final cut-off (2026-12-24) and notice deadline
    waiting.fire_until(datetime(2027, 1, 5, tzinfo=UTC))
    later = mails_since(waiting, sent)
    assert not [m for m in later if "renewal" in m["Subject"].lower()]  # was: escalated, then "lapsed"
    # the one email that names the old date moves it in the owner's calendar (QA Q7)
    assert [m["Subject"][:len("Calendar update")] for m in later if "30 Dec 2026" in body_text(m)] == \
        ["Calendar update"]
    assert store.get(SAAS_ID, "2027-02-28").state == RenewalState.CANCELLED
    # the new term gets its decision from its own start: 90 days before its notice deadline
    start = planning.wanted_start(SAAS_ID, clock.now())
    assert start is not None and start.term_end == date(2028, 2, 29) and start.reference == date(2027, 12, 31)
    assert start.fire_at.date() == date(2027, 12, 31) - timedelta(days=90)


def test_a_term_end_moved_away_and_back_begins_its_decision_again(waiting):
    """Review 1: an expiration entered with a typo (2028-02-29) and corrected a minute later
    (2027-02-28) cancelled the waiting decision, and the term, back on its day, never got one
    again: the cancelled record counted as "already started". It now begins again in a new
    execution (named -r1, Step Functions refusing a name used before), its history kept, and the
    owner is asked again and can decide."""
    sent = len(waiting.sent_mail())
    for day, why in (("2028-02-29", "typo"), ("2027-02-28", "typo corrected")):
        entries.enter_term(SAAS_ID, "expiration_date", day, note=why, actor="priya.raman@example.com",
                           team="procurement")
        waiting.pump()
    assert repo.get_contract(SAAS_ID).current_expiration == "2027-02-28"
    start = planning.wanted_start(SAAS_ID, clock.now())
    assert start is not None and start.restart == 1 and start.execution_name.endswith("-2027-02-28-r1")
    waiting.fire_until(clock.now() + timedelta(minutes=5))
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.WAITING and item.restarts == 1 and item.execution_arn.endswith("-r1")
    actions_seen = [h["action"] for h in item.history]
    assert actions_seen[actions_seen.index("cancelled"):] == [
        "cancelled", "restarted", "evidence.gathered", "recommended", "asked.owner"]
    [restarted] = [h for h in item.history if h["action"] == "restarted"]
    assert restarted["was"] == "cancelled" and restarted["why"] == "the term ends 2027-02-28 again"
    asked = [m for m in mails_since(waiting, sent) if m["Subject"].startswith("Renewal decision needed by")]
    assert len(asked) == 1, "the owner is asked again, once"
    decide.decide(SAAS_ID, "renew", "keep it", actor="priya.raman@example.com")
    waiting.pump()
    assert store.get(SAAS_ID, "2027-02-28").state == RenewalState.RENEWED


def test_a_decision_begun_again_is_news_to_the_teams_webhooks_again(cloud, tmp_path, monkeypatch):
    """Review: the webhook event of the decision begun again had the first run's id (contract, term
    end, round), so it was dropped as already delivered while the owner was emailed again."""
    import json as _json

    from clausewatch.config import Settings
    from clausewatch.pipeline import webhooks

    monkeypatch.setenv(config.ENV_WEBHOOK_OUTBOX, str(tmp_path))
    clock.set_now(TODAY)
    upload(cloud, SAAS)
    webhooks.subscribe(Settings.from_env(), team=repo.get_contract(SAAS_ID).team, kind="slack",
                       url="https://hooks.slack.com/services/T/B/X", events=["renewal.decision_needed"],
                       label=None, actor="ada@example.com")
    start_due(cloud)
    cloud.pump()
    for day in ("2028-02-29", "2027-02-28"):
        entries.enter_term(SAAS_ID, "expiration_date", day, note="typo, then corrected",
                           actor="priya.raman@example.com", team="procurement")
        cloud.pump()
    cloud.fire_until(clock.now() + timedelta(minutes=5))
    cloud.pump()
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.restarts == 1 and [h["action"] for h in item.history].count("asked.owner") == 2
    told = [p for p in sorted(tmp_path.glob("*.json"))
            if "renewal decision needed" in _json.loads(p.read_text())["body"]["text"]]
    assert len(told) == 2


# --- a decision already made for a term whose end then moved (QA 2026-12-04) ----------------------

def extend_saas(cloud) -> None:
    """Amendment No. 1 extends the SaaS term to 2028-02-29 (entered, as in QA Q6)."""
    entries.enter_term(SAAS_ID, "expiration_date", "2028-02-29", note="Amendment No. 1 extends the term",
                       actor="priya.raman@example.com", team="procurement")
    cloud.pump()


def plan_again(cloud, contract_id: str = SAAS_ID) -> None:
    """The planner's run for the contract (as every table change and the daily sweep make it)."""
    from clausewatch.config import Settings
    from clausewatch.pipeline.reminders import sync_reminders

    sync_reminders(Settings.from_env(), contract_id)


def test_do_not_renew_then_the_term_end_moves_supersedes_the_notice_and_withdraws_the_letter(waiting):
    """A "do not renew" whose notice was not given yet, then the term is extended: no live "Send
    the notice of non-renewal by 30 Dec 2026" and no letter naming 28 Feb 2027 stay; the record is
    superseded (history and audit with the old and new ends and why), and the new term end gets its
    own decision from its start schedule (was: the obligation, its reminders and the letter stayed,
    and the planner settled "renews by its terms" for a term the contract no longer has)."""
    from clausewatch.aws import s3

    terminate_saas(waiting)
    letter = store.latest(SAAS_ID).notice_key
    assert s3.head_object(config.BUCKET_NAME, letter) is not None
    extend_saas(waiting)
    contract = repo.get_contract(SAAS_ID)
    assert contract.current_expiration == "2028-02-29" and contract.current_notice_deadline == "2027-12-31"
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.SUPERSEDED == "superseded"
    assert item.outcome == ("superseded: the term no longer ends 2027-02-28: the current term ends 2028-02-29 "
                            "(entered by priya.raman@example.com: Amendment No. 1 extends the term), notice deadline "
                            "2027-12-31 (was not renewed: notice to send)")
    assert item.notice_key is None and item.decision["decision"] == "terminate"  # what was decided stays
    notice = repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28")
    assert notice.status == ObligationStatus.SUPERSEDED
    assert not [s for s in waiting.schedules() if "renewal-notice@2027-02-28" in s["Target"]["Input"]]
    assert s3.head_object(config.BUCKET_NAME, letter) is None  # withdrawn (the versioned bucket keeps it)
    [line] = [h for h in item.history if h["action"] == "superseded"]
    assert line["term_end"] == "2027-02-28" and line["term_end_now"] == "2028-02-29" and line["was"] == "terminated"
    assert line["letter_withdrawn"] == letter and line["obligations_superseded"] == ["renewal-notice@2027-02-28"]
    [audit] = [e.detail for e in repo.audit_events(SAAS_ID) if e.action == "renewal.superseded"]
    assert audit["notice_deadline_now"] == "2027-12-31" and "no longer ends 2027-02-28" in audit["reason"]
    assert "entered by priya.raman@example.com" in audit["derivation"]
    # the new term's decision is planned as usual: 90 days before its notice deadline
    start = planning.wanted_start(SAAS_ID, clock.now())
    assert start is not None and start.term_end.isoformat() == "2028-02-29"
    # idempotent: the planner's next runs change nothing
    history = len(store.get(SAAS_ID, "2027-02-28").history)
    plan_again(waiting)
    plan_again(waiting)
    assert len(store.get(SAAS_ID, "2027-02-28").history) == history
    # past the old notice deadline: nothing reminds of it, nothing settles "renews by its terms"
    sent = len(waiting.sent_mail())
    waiting.fire_until(datetime(2027, 1, 5, 12, tzinfo=UTC))
    assert not [m for m in mails_since(waiting, sent) if "non-renewal" in m["Subject"].lower()]
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.SUPERSEDED and item.outcome.startswith("superseded: ")
    assert not [h for h in item.history if h["action"] == "outcome.settled"]


def test_a_notice_given_stays_when_the_term_end_then_moves_and_a_person_is_told(waiting):
    """The notice of non-renewal was given (its obligation done with the proof), then the term is
    extended: a notice given is given (the contract is still shown ending 28 Feb 2027), and the
    record's outcome and the contract's attention list say the term moved after it."""
    from clausewatch.pipeline.attention import attention_of

    terminate_saas(waiting)
    receipt = f"{config.EVIDENCE_PREFIX}{SAAS_ID}/courier-receipt.pdf"
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=receipt, Body=b"%PDF-1.4 receipt")
    actions.complete_obligation(SAAS_ID, "renewal-notice@2027-02-28", actor="priya.raman@example.com",
                                note="sent by email, receipt confirmed", evidence_key=receipt)
    waiting.pump()
    extend_saas(waiting)
    item = store.get(SAAS_ID, "2027-02-28")
    assert item.state == RenewalState.TERMINATED and item.notice_key is not None
    assert repo.get_obligation(SAAS_ID, "renewal-notice@2027-02-28").status == ObligationStatus.DONE
    note = ("the term's end moved after the notice of non-renewal was given 2026-11-25: the term no longer ends "
            "2027-02-28: the current term ends 2028-02-29 (entered by priya.raman@example.com: Amendment No. 1 "
            "extends the term)")
    assert item.outcome.startswith(
        "not renewed: notice of non-renewal given 2026-11-25; the contract ends 2027-02-28; " + note)
    assert item.outcome.endswith("the notice stands (the contract is shown ending 2027-02-28): check whether the "
                                 "change replaces it")
    assert item.term_moved["term_end_now"] == "2028-02-29" and item.term_moved["notice_given"] == "2026-11-25"
    contract = repo.get_contract(SAAS_ID)
    assert contract.current_expiration == "2027-02-28"  # the notice ends the contract, as it did
    [flag] = [f for f in attention_of(contract) if f["kind"] == "term_moved_after_notice"]
    assert flag["message"] == item.term_moved["message"]
    # idempotent: one note, whatever the planner's runs
    plan_again(waiting)
    plan_again(waiting)
    item = store.get(SAAS_ID, "2027-02-28")
    assert len([h for h in item.history if h["action"] == "term.moved_after_notice"]) == 1
    assert len([h for h in item.history if h["action"] == "outcome.settled"]) == 1
    assert store.get(SAAS_ID, "2027-02-28").outcome.count("moved after the notice") == 1


def test_do_not_renew_of_a_contract_that_ends_by_itself_then_extended_is_superseded(cloud):
    """The services agreement does not renew by itself: "do not renew" ended it on 2026-12-31 with
    nothing to send; an amendment then extends it to 2027-06-30: that decision no longer ends the
    contract (was: the contract stayed ended on 2026-12-31), and the new end gets its own decision."""
    clock.set_now(TODAY)
    contract_id = upload(cloud, SERVICES)
    start_due(cloud)
    decide.decide(contract_id, "terminate", "no longer needed", actor="marcus.lee@example.com")
    cloud.pump()
    plan_again(cloud, contract_id)
    assert repo.get_contract(contract_id).ended["last_day"] == "2026-12-31"
    entries.enter_term(contract_id, "expiration_date", "2027-06-30", note="Amendment No. 1 extends the term",
                       actor="marcus.lee@example.com", team=repo.get_contract(contract_id).team)
    cloud.pump()
    item = store.get(contract_id, "2026-12-31")
    assert item.state == RenewalState.SUPERSEDED
    assert item.outcome.startswith("superseded: the term no longer ends 2026-12-31: the current term ends 2027-06-30")
    contract = repo.get_contract(contract_id)
    assert contract.ended is None and contract.current_expiration == "2027-06-30"
    start = planning.wanted_start(contract_id, clock.now())
    assert start is not None and start.term_end.isoformat() == "2027-06-30"


# --- the letter cites the notice period in force (QA 2026-12-04) ----------------------------------

def test_the_letter_cites_an_entered_notice_period_not_a_clause_stating_another(waiting):
    """A person entered 75 days (the order form), where Section 3.2 reads sixty (60) days: the
    letter says the period in force, who entered it and when, and quotes no sentence that states
    60 days (was: Section 3.2 quoted as extracted beside a deadline counted from 75 days)."""
    notice = move_notice_earlier(waiting)
    terminate_saas(waiting)
    text = letter_text(store.latest(SAAS_ID).notice_key)
    assert ("The notice period that applies is 75 days, as entered by priya.raman@example.com on 25 Nov 2026 "
            "(the order form says 75 days).") in text
    assert "sixty (60) days" not in text and "Section 3.2" not in text
    assert f"no later than {notice_day(notice)}" in text
    assert "will not renew, at the end of its current term on 28 Feb 2027" in text


def test_the_letter_keeps_the_clause_where_the_entered_period_agrees(waiting):
    """A person confirmed the 60 days Section 3.2 states: the clause is quoted, and the letter says
    who confirmed the period and when."""
    entries.enter_term(SAAS_ID, "notice_period", "P60D", note="checked against the signed copy",
                       actor="priya.raman@example.com", team="procurement")
    waiting.pump()
    terminate_saas(waiting)
    text = letter_text(store.latest(SAAS_ID).notice_key)
    assert "Section 3.2" in text and "at least sixty (60) days prior" in text
    assert ("The notice period that applies is 60 days, as confirmed by priya.raman@example.com on 25 Nov 2026 "
            "(checked against the signed copy).") in text
    assert "no later than 30 Dec 2026" in text


def test_a_term_whose_notice_deadline_passed_before_it_was_planned_gets_no_start(cloud):
    """Uploaded on 2027-01-05, after the SaaS term's notice deadline (2026-12-30): the planner's
    deadline is the next term's (2027-12-30 or so), and a start was planned for the term ending
    2027-02-28 timed from it, whose gather then lapsed a decision nobody could make. Now no start for
    that term (the missed deadline is its own open obligation); once the term rolls over, the next
    term's decision is planned from its own deadline."""
    clock.set_now(datetime(2027, 1, 5, 15, tzinfo=UTC))
    contract_id = upload(cloud, SAAS)
    contract = repo.get_contract(contract_id)
    assert contract.current_expiration == "2027-02-28" and contract.current_notice_deadline > "2027-02-28"
    assert planning.wanted_start(contract_id, clock.now()) is None
    assert starts(cloud, contract_id) == []
    assert "renewal.start.planned" not in [e.action for e in repo.audit_events(contract_id)]
    missed = [o for o in repo.obligations(contract_id) if o.obligation_id == "notice_deadline@2026-12-30"]
    assert [o.status for o in missed] == [ObligationStatus.OPEN]
    cloud.fire_until(datetime(2027, 3, 2, 15, tzinfo=UTC))  # past the term end: the contract renewed
    contract = repo.get_contract(contract_id)
    assert contract.current_expiration == "2028-02-29"
    start = planning.wanted_start(contract_id, clock.now())
    assert start is not None and start.term_end.isoformat() == "2028-02-29"
    assert start.reference.isoformat() == contract.current_notice_deadline < "2028-02-29"
    assert cloud.renewals_started == [] and store.latest(contract_id) is None
