"""The contract's owner changes while its renewal decision waits: the new owner is asked (a new
link, the same decide-by day), the link mailed to the previous owner stops working, and a decision
from the new link is recorded as the new owner's."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from clausewatch.renewal import local as renewal_local
from clausewatch.renewal import store
from clausewatch.schema import RenewalState
from clausewatch.store import repository as repo
from tests.integration.api_support import call, claims, no_scan_in_api_requests  # noqa: F401
from tests.integration.test_api_renewal import link
from tests.integration.test_renewal_workflow import SAAS_ID, asked_saas, body_text, mails_since, move_notice_earlier

EDITOR = claims("procurement", "editor", "priya.raman@example.com")
NEW_OWNER = "sam.new@example.com"
LINK = re.compile(r"/renewal-decision\?token=([^&\s]+)&decision=renew\b")


@pytest.fixture(scope="module")
def saas_waiting(save_cloud):
    return save_cloud(asked_saas)


@pytest.fixture
def waiting(cloud, saas_waiting):
    saas_waiting.restore(cloud)
    return cloud


def _token(message) -> str:
    from urllib.parse import unquote

    return unquote(LINK.search(body_text(message)).group(1))


def test_a_new_owner_is_asked_and_the_old_link_stops_working(waiting):
    old_token = link(store.latest(SAAS_ID))  # the link mailed to the owner asked first
    sent_before = len(waiting.sent_mail())

    reply = call("PUT", f"/contracts/{SAAS_ID}/owner", body={"owner": NEW_OWNER}, claims=EDITOR)
    assert reply.status == 200, reply.text

    [asked] = [m for m in mails_since(waiting, sent_before) if "Renewal decision needed" in m["Subject"]]
    assert asked["To"] == NEW_OWNER
    assert "15 Dec 2026" in asked["Subject"]  # the same decide-by day
    item = store.latest(SAAS_ID)
    assert item.state == RenewalState.WAITING and item.waiting_round == "owner"
    line = item.history[-1]
    assert line["action"] == "asked.again" and line["to"] == [NEW_OWNER] and line["decide_by"] == "2026-12-15"
    assert "priya.raman@example.com" in line["because"] and NEW_OWNER in line["because"]

    stale = call("POST", "/renewal-decision", query={"token": old_token, "decision": "renew"})
    assert stale.status == 409
    decided = call("POST", "/renewal-decision", query={"token": _token(asked), "decision": "renew"})
    assert decided.status == 200, decided.text
    assert decided.json()["decision"]["by"] == f"{NEW_OWNER} (decision link)"
    renewal_local.settle(store.latest(SAAS_ID).execution_arn)


def test_the_same_owner_again_asks_no_one(waiting):
    sent_before = len(waiting.sent_mail())
    history = len(store.latest(SAAS_ID).history)
    reply = call("PUT", f"/contracts/{SAAS_ID}/owner", body={"owner": "priya.raman@example.com"}, claims=EDITOR)
    assert reply.status == 200, reply.text
    assert not [m for m in mails_since(waiting, sent_before) if "Renewal decision" in m["Subject"]]
    assert len(store.latest(SAAS_ID).history) == history
    assert not [e for e in repo.audit_events(SAAS_ID) if e.action == "renewal.asked.again"]


def test_a_new_owner_asked_after_the_notice_deadline_moved_earlier_gets_the_moved_day(waiting):
    """The moved deadline's day, not the day the first owner was asked by (review M1)."""
    before = store.latest(SAAS_ID)
    move_notice_earlier(waiting)
    moved = store.latest(SAAS_ID)
    assert moved.wait_deadline < before.wait_deadline
    sent_before = len(waiting.sent_mail())
    assert call("PUT", f"/contracts/{SAAS_ID}/owner", body={"owner": NEW_OWNER}, claims=EDITOR).status == 200
    item = store.latest(SAAS_ID)
    assert item.wait_deadline == moved.wait_deadline  # the wait does not run to the old day again
    line = item.history[-1]
    assert line["action"] == "asked.again" and line["decide_by"] == moved.recommendation["owner_decides_by"]
    assert line["decide_by"] < before.recommendation["owner_decides_by"]
    [asked] = [m for m in mails_since(waiting, sent_before) if "Renewal decision needed" in m["Subject"]]
    assert datetime.fromisoformat(line["decide_by"]).strftime("%-d %b %Y") in asked["Subject"]


def test_an_owner_outside_the_allowed_domains_is_refused_and_nobody_is_asked(waiting, monkeypatch):
    """Checked as an upload's owner is (QA of 2026-12-07: the route took x@evil.test and mailed the
    decision link there): with the deployment's allowed recipient domains, another domain is a 400
    saying so, the owner stays and no mail goes; an obligation's owner too."""
    from clausewatch.addresses import ENV_ALLOWED_RECIPIENT_DOMAINS

    monkeypatch.setenv(ENV_ALLOWED_RECIPIENT_DOMAINS, "example.com")
    sent_before = len(waiting.sent_mail())
    reply = call("PUT", f"/contracts/{SAAS_ID}/owner", body={"owner": "x@evil.test"}, claims=EDITOR)
    assert reply.status == 400, reply.text
    assert "outside the allowed recipient domains (example.com)" in reply.json()["message"]
    assert repo.get_contract(SAAS_ID).owner == "priya.raman@example.com"
    assert mails_since(waiting, sent_before) == []
    [obligation] = [o for o in repo.obligations(SAAS_ID) if o.obligation_id == "notice_deadline"]
    reply = call("PUT", f"/contracts/{SAAS_ID}/obligations/notice_deadline/owner", body={"owner": "x@evil.test"},
                 claims=EDITOR)
    assert reply.status == 400, reply.text
    assert repo.get_obligation(SAAS_ID, "notice_deadline").owner == obligation.owner
    # inside them: taken
    assert call("PUT", f"/contracts/{SAAS_ID}/owner", body={"owner": NEW_OWNER}, claims=EDITOR).status == 200


def test_the_same_owner_written_otherwise_asks_no_one(waiting):
    """Priya.Raman@Example.COM is the owner already (QA of 2026-12-07: a case-only change voided the
    link mailed and asked again)."""
    sent_before = len(waiting.sent_mail())
    history = len(store.latest(SAAS_ID).history)
    reply = call("PUT", f"/contracts/{SAAS_ID}/owner", body={"owner": "Priya.Raman@Example.COM"}, claims=EDITOR)
    assert reply.status == 200, reply.text
    assert repo.get_contract(SAAS_ID).owner == "priya.raman@example.com"
    assert mails_since(waiting, sent_before) == [] and len(store.latest(SAAS_ID).history) == history
