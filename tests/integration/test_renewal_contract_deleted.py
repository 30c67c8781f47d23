"""A contract deleted while its renewal decision waits for a person: the decision ends with it
(its workflow's wait fails and the execution ends at the definition's ContractDeleted state, its
record goes with the contract, an audit line says so), and the forward simulation goes past the
wait's deadline instead of trying the gone wait forever. Its decision links are refused in words
(410), and a deletion between the decision and its branch writes nothing for the contract."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clausewatch import clock
from clausewatch.pipeline import actions
from clausewatch.renewal import local as renewal_local
from clausewatch.renewal import store
from clausewatch.schema import RenewalState
from clausewatch.store import repository as repo
from tests.integration.test_renewal_workflow import SAAS_ID, asked_saas


@pytest.fixture(scope="module")
def saas_waiting(save_cloud):
    return save_cloud(asked_saas)


def test_a_deleted_contracts_waiting_decision_ends_and_time_goes_on(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.task_token
    actions.delete_contract(SAAS_ID, actor="ida.admin@example.com")
    cloud.pump()
    assert store.of_contract(SAAS_ID) == [] and store.waiting() == []
    assert renewal_local.settle(item.execution_arn) == "SUCCEEDED"  # at its ContractDeleted end: asks no one again
    assert ("renewal.cancelled", "ida.admin@example.com") in [(e.action, e.actor) for e in repo.audit_events(SAAS_ID)]
    # past every deadline the wait had (was: the simulation tried the gone wait forever, at one instant)
    end = clock.now() + timedelta(days=120)
    cloud.fire_until(end)
    assert clock.now() <= end and store.of_contract(SAAS_ID) == []


def test_a_wait_that_cannot_time_out_is_tried_once(cloud, saas_waiting, monkeypatch):
    saas_waiting.restore(cloud)
    item = store.latest(SAAS_ID)
    tried = []

    def lost(waited):
        tried.append(waited.term_end)
        return {"timed_out": False, "reason": "no task token"}  # the record stays waiting

    monkeypatch.setattr(renewal_local, "time_out", lost)
    cloud.fire_until(clock.now() + timedelta(days=40))
    assert tried == [item.term_end]


def test_a_decision_from_the_link_is_the_recipients_after_the_owner_changed(cloud, saas_waiting):
    from clausewatch.renewal import decide
    from tests.integration.test_renewal_workflow import link_token

    saas_waiting.restore(cloud)
    item = store.latest(SAAS_ID)
    actions.set_contract_owner(SAAS_ID, "new.owner@example.com", actor="alex.editor@example.com")
    cloud.pump()
    # the new owner was asked with a new link: the one mailed to the owner of the time no longer decides
    with pytest.raises(actions.Conflict):
        decide.decide_by_link(link_token(item), "renew", None)
    decided = decide.decide_by_link(link_token(store.latest(SAAS_ID)), "renew", None)
    # a decision from a link is whom that link was mailed to (was: whoever owned the contract when it was used)
    assert decided.decision["by"] == "new.owner@example.com (decision link)"


def test_renegotiating_is_decided_once(cloud, saas_waiting):
    from clausewatch.pipeline.actions import InvalidInput
    from clausewatch.renewal import decide

    saas_waiting.restore(cloud)
    decide.decide(SAAS_ID, "renegotiate", "price too high", actor="priya.raman@example.com")
    asked = store.latest(SAAS_ID)
    assert asked.state == RenewalState.WAITING and asked.waiting_round == "final"
    with pytest.raises(InvalidInput, match="renew or terminate"):  # was: asked the final question again
        decide.decide(SAAS_ID, "renegotiate", "again", actor="priya.raman@example.com")
    assert decide.decide(SAAS_ID, "terminate", "moving on", actor="priya.raman@example.com").decision["decision"] \
        == "terminate"


# --- the decision links, the branch and the reminders of a deleted contract (QA 2026-12-06) -----

BROWSER = {"Accept": "text/html,application/xhtml+xml"}


def _notice_letters() -> list[str]:
    from clausewatch import config
    from clausewatch.aws.clients import client
    from clausewatch.renewal.steps import notices_prefix

    listed = client("s3").list_objects_v2(Bucket=config.BUCKET_NAME, Prefix=notices_prefix(SAAS_ID))
    return [o["Key"] for o in listed.get("Contents", [])]


def _nothing_left_of_the_decision() -> None:
    """No renewal record, no obligation (no send-notice, no sign-the-renewal), no letter."""
    assert store.of_contract(SAAS_ID) == [] and store.waiting() == []
    assert repo.obligations(SAAS_ID) == [] and _notice_letters() == []


def test_a_deleted_contracts_decision_link_is_refused_in_words_and_records_nothing(cloud, saas_waiting):
    from tests.integration.api_support import call
    from tests.integration.test_renewal_workflow import link_token

    saas_waiting.restore(cloud)
    token = link_token(store.latest(SAAS_ID))
    actions.delete_contract(SAAS_ID, actor="ida.admin@example.com")
    cloud.pump()
    for method in ("GET", "POST"):
        reply = call(method, "/renewal-decision", query={"token": token, "decision": "terminate"})
        assert reply.status == 410, (method, reply.status, reply.text)  # was: 404 "no contract '…'"
        assert "was deleted" in reply.message and "ida.admin@example.com" in reply.message, reply.message
        assert "no longer asked" in reply.message
        page = call(method, "/renewal-decision", query={"token": token, "decision": "terminate"}, headers=BROWSER)
        assert page.status == 410 and page.headers["Content-Type"].startswith("text/html"), page.text
        assert "cannot be used" in page.text and "was deleted" in page.text
    _nothing_left_of_the_decision()


@pytest.mark.parametrize("decision", ["terminate", "renew"])
def test_a_contract_deleted_between_the_decision_and_its_branch_ends_the_workflow_cleanly(
        cloud, saas_waiting, monkeypatch, decision):
    """Deployed, the branch runs after the API answered: a deletion can land between the decision
    and its step. The step finds the contract gone and the execution ends at the definition's
    ContractDeleted state (was: the execution FAILED with "no contract")."""
    from clausewatch.aws import stepfunctions as sfn
    from clausewatch.renewal import decide

    saas_waiting.restore(cloud)
    item = store.latest(SAAS_ID)
    send = sfn.send_task_success

    def deleted_before_the_branch(token, output):  # the record says decided: the deletion fails no wait
        actions.delete_contract(SAAS_ID, actor="ida.admin@example.com")
        return send(token, output)

    monkeypatch.setattr(sfn, "send_task_success", deleted_before_the_branch)
    decide.decide(SAAS_ID, decision, "deleted meanwhile", actor="priya.raman@example.com")
    assert renewal_local.settle(item.execution_arn) == "SUCCEEDED"
    _nothing_left_of_the_decision()
    [ended] = [e for e in repo.audit_events(SAAS_ID) if e.action == "renewal.ended"]
    assert ended.detail["step"] == decision and ended.detail["term_end"] == item.term_end
    assert "was deleted" in ended.detail["reason"]


def test_a_deleted_contracts_waiting_decision_ends_cleanly_and_nothing_more_is_mailed(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    item = store.latest(SAAS_ID)
    title = repo.get_contract(SAAS_ID).title
    actions.delete_contract(SAAS_ID, actor="ida.admin@example.com")
    cloud.pump()
    sent = len(cloud.sent_mail())
    assert renewal_local.settle(item.execution_arn) == "SUCCEEDED"  # at ContractDeleted (was: FAILED)
    # past the owner's day, the final cut-off, the notice deadline (2026-12-30) and the term's end:
    # no escalation, no lapse, no reminder of its deadlines, no next term's decision
    cloud.fire_until(clock.now() + timedelta(days=120))
    assert [m for m in cloud.sent_mail()[sent:] if title.encode() in m] == []
    assert not [s for s in cloud.schedules() if SAAS_ID in s["Name"]]
    _nothing_left_of_the_decision()


def test_a_deleted_contracts_lapse_link_is_refused(cloud, saas_waiting):
    """The lapse email's links (renew / do not renew, until the notice deadline's end) die with the
    contract: no letter, no send-notice obligation for a deleted contract."""
    from datetime import UTC, datetime

    from clausewatch.renewal import decide
    from tests.integration.test_renewal_workflow import link_token

    saas_waiting.restore(cloud)
    cloud.fire_until(datetime(2026, 12, 26, tzinfo=UTC))
    lapsed = store.latest(SAAS_ID)
    assert lapsed.state == RenewalState.LAPSED_RENEWED and lapsed.decision_nonce
    token = link_token(lapsed)
    actions.delete_contract(SAAS_ID, actor="ida.admin@example.com")
    cloud.pump()
    with pytest.raises(decide.ContractGone, match="was deleted"):
        decide.decide_by_link(token, "terminate", None)
    _nothing_left_of_the_decision()
