"""A contract deleted while its renewal decision waits for a person: the decision ends with it
(its workflow's wait fails, its record goes with the contract, an audit line says so), and the
forward simulation goes past the wait's deadline instead of trying the gone wait forever."""

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
    assert renewal_local.settle(item.execution_arn) == "FAILED"  # asks no one again
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
