"""A person says which contract a waiting amendment amends (PUT /contracts/{id}/amends): its terms are
applied to that contract as on extraction, the link is audited, doing it again changes nothing, and
what cannot be linked is refused with the reason."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.paths import SAMPLES, sample_metadata
from tests.pdfs import make_pdf

NDA, SAAS = "mutual-nda.pdf", "saas-subscription-northwind.pdf"
TEAM = sample_metadata()[NDA]["team"]
EDITOR = claims(TEAM, "editor", "dana.kowalski@example.com")
# an amendment of the "Supply Agreement" of the day the NDA was made: the NDA does not name it, so
# the amendment waits for a person to say which contract it amends
AMENDMENT_TEXT = (
    "{number} TO SUPPLY AGREEMENT\nThis Amendment (this \"Amendment\") is entered into as of "
    "September 15, 2026 by and between Northwind Traders, Inc. and Redfern Materials Corporation.\nRECITALS\n"
    "A. The parties are parties to that certain Supply Agreement dated February 20, 2025.\n1. Buyer shall pay "
    "each invoice within {days} days of receipt.\n")


def _upload(cloud, path, team: str = TEAM) -> str:
    cloud.upload(path, {**sample_metadata().get(path.name, {}), "team": team})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def _waiting_amendment(cloud, number: str = "AMENDMENT NO. 1", days: str = "forty-five (45)") -> str:
    path = cloud.work_dir / f"{number.lower().replace(' ', '-').replace('.', '')}-supply.pdf"
    path.write_bytes(make_pdf(AMENDMENT_TEXT.format(number=number, days=days)))
    amendment = _upload(cloud, path)
    item = repo.get_contract(amendment)
    assert item.amends_contract_id is None and "does not name the Supply Agreement" in item.status_reason
    return amendment


@pytest.fixture
def waiting(cloud, tmp_path):
    """(the waiting amendment, the NDA, another team's contract)"""
    clock.set_now(NOW)
    cloud.work_dir = tmp_path
    nda = _upload(cloud, SAMPLES / NDA)
    theirs = _upload(cloud, SAMPLES / SAAS, team="someone-else")
    return _waiting_amendment(cloud), nda, theirs


def link(amendment: str, contract_id: str, who: dict = EDITOR):
    return call("PUT", f"/contracts/{amendment}/amends", claims=who, body={"contract_id": contract_id})


def test_a_person_applies_a_waiting_amendment_to_the_contract_it_amends(cloud, waiting):
    amendment, nda, _ = waiting
    assert "payment_terms" not in call("GET", f"/contracts/{nda}", claims=EDITOR).json()["terms"]
    reply = link(amendment, nda)
    assert reply.status == 200, reply.text
    assert reply.json()["amends_contract_id"] == nda and reply.json()["status_reason"] is None
    contract = call("GET", f"/contracts/{nda}", claims=EDITOR).json()
    assert contract["amended_by"] == [amendment]
    terms = contract["terms"]
    assert terms["payment_terms"]["value"] == "P45D" and terms["payment_terms"]["source"]["contract_id"] == amendment
    trail = call("GET", f"/contracts/{amendment}/audit", claims=EDITOR).json()["items"]
    [linked] = [e for e in trail if e["action"] == "amendment.linked"]
    assert linked["actor"] == "dana.kowalski@example.com" and linked["detail"]["contract_id"] == nda
    assert "does not name the Supply Agreement" in linked["detail"]["reason_it_waited"]
    assert repo.unapplied_amendments(TEAM) == []  # no longer waiting

    # again: nothing changes, nothing more is audited
    assert link(amendment, nda).status == 200
    again = call("GET", f"/contracts/{amendment}/audit", claims=EDITOR).json()["items"]
    assert len(again) == len(trail)
    assert repo.get_contract(nda).amended_by == [amendment]


def test_what_cannot_be_linked_is_refused_with_the_reason(cloud, waiting):
    amendment, nda, theirs = waiting
    missing = "0123456789abcdef"
    # another team's contract is not found, exactly as one that does not exist
    assert link(amendment, theirs).status == link(amendment, missing).status == 404
    assert link(amendment, theirs).message.replace(theirs, missing) == link(amendment, missing).message
    reply = link(nda, amendment)  # the NDA is no amendment
    assert reply.status == 409 and "not an extracted amendment" in reply.message
    reply = link(amendment, amendment)  # an amendment amends a contract, not an amendment
    assert reply.status == 409 and f"contract {amendment!r} is an amendment itself" in reply.message
    assert link(amendment, nda, who=claims(TEAM, "viewer")).status == 403
    assert repo.get_contract(amendment).amends_contract_id is None  # nothing was linked
    assert link(amendment, nda).status == 200
    services = _upload(cloud, SAMPLES / "services-agreement-fixed-dates.pdf")  # of this team
    reply = link(amendment, services)
    assert reply.status == 409 and f"already amends contract {nda!r}" in reply.message
    assert repo.get_contract(services).amended_by is None


def _services(cloud) -> str:
    return _upload(cloud, SAMPLES / "services-agreement-fixed-dates.pdf")


def test_a_link_made_on_a_copy_read_before_another_link_is_refused(cloud, waiting, monkeypatch):
    """Two people link the amendment at once, to two contracts: the second, whose copy of the
    amendment was read before the first link was written, is refused, and its contract is not
    amended; the pipeline settling the amendment from such a copy leaves it as the person linked it."""
    from clausewatch.pipeline import actions, record

    amendment, nda, _ = waiting
    services = _services(cloud)
    terms_before = call("GET", f"/contracts/{services}", claims=EDITOR).json()["terms"]
    stale = repo.get_contract(amendment)
    assert link(amendment, nda).status == 200
    real_find = actions.find_contract
    monkeypatch.setattr(actions, "find_contract",
                        lambda cid, team=None: stale if cid == amendment else real_find(cid, team))
    reply = link(amendment, services)
    assert reply.status == 409 and f"already amends contract {nda!r}" in reply.message
    monkeypatch.undo()
    record.settle_amendment(stale, stale.extracted, actor="textract_done", original=repo.get_contract(services))
    assert repo.get_contract(services).amended_by is None
    assert call("GET", f"/contracts/{services}", claims=EDITOR).json()["terms"] == terms_before
    assert repo.get_contract(amendment).amends_contract_id == nda
    assert repo.get_contract(nda).amended_by == [amendment]


def test_a_link_whose_amending_fails_is_recorded_or_finished_by_the_same_link_again(cloud, waiting, monkeypatch):
    """Its terms fail to save: the amendment stays waiting, claimed for the contract (nothing can
    link it elsewhere), and the same link again amends it. The contract's deadlines fail to refresh
    after it is amended: it is claimed, and the contract's settling records it applied."""
    from clausewatch.pipeline import record

    amendment, nda, _ = waiting
    services = _services(cloud)
    real_save = repo.save_terms

    def failing_save(*args, **kwargs):
        raise RuntimeError("the table throttled")

    monkeypatch.setattr(repo, "save_terms", failing_save)
    with pytest.raises(RuntimeError, match="throttled"):  # the invocation's error (API Gateway: 502)
        link(amendment, nda)
    monkeypatch.setattr(repo, "save_terms", real_save)
    claimed = repo.get_contract(amendment)
    assert (claimed.amends_contract_id, claimed.amending_contract_id) == (None, nda)
    assert not repo.get_contract(nda).amended_by
    # still waiting, and the page says how to finish it
    [flag] = call("GET", f"/contracts/{amendment}", claims=EDITOR).json()["attention"]
    assert flag["kind"] == "amendment_waiting" and f"being applied to contract {nda}" in flag["message"]
    assert [a.contract_id for a in repo.unapplied_amendments(TEAM)] == [amendment]
    reply = link(amendment, services)
    assert reply.status == 409 and f"already amends contract {nda!r} (being applied to it)" in reply.message
    assert link(amendment, nda).status == 200  # finished
    assert repo.get_contract(nda).amended_by == [amendment]
    terms = call("GET", f"/contracts/{nda}", claims=EDITOR).json()["terms"]
    assert terms["payment_terms"]["value"] == "P45D"

    # deadlines that fail to refresh leave the link recorded
    second = _waiting_amendment(cloud, "AMENDMENT NO. 2", "sixty (60)")
    monkeypatch.setattr(record, "refresh_deadlines", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("throttled")))
    with pytest.raises(RuntimeError, match="throttled"):
        link(second, nda)
    monkeypatch.undo()
    assert repo.get_contract(second).amending_contract_id == nda
    assert repo.get_contract(nda).amended_by == [amendment, second]  # amended, not recorded as applied yet
    assert link(second, services).status == 409
    # the contract's settling finishes it (here its redelivered message; also the operator's look)
    record.settle_waiting_amendments(repo.get_contract(nda), repo.get_contract(nda).extracted, actor="planner")
    assert repo.get_contract(second).amends_contract_id == nda
    assert [a["kind"] for a in call("GET", f"/contracts/{second}", claims=EDITOR).json()["attention"]] == []
    trail = [e.action for e in repo.audit_events(second)]
    assert trail.count("amendment.applied") + trail.count("amendment.linked") == 1


def test_a_link_racing_another_write_to_the_contract_starts_again_or_is_refused_with_409(cloud, waiting, monkeypatch):
    """The contract is changed by another writer (here its owner, as the pipeline or a person
    would) while the amendment's terms are applied to it: the link starts again from fresh reads and
    keeps both changes. Changed every time: 409 with the reason, the amendment claimed and waiting,
    nothing lost; the same link again finishes it."""
    amendment, nda, _ = waiting
    real_save = repo.save_terms
    owners = iter(f"owner{n}@example.com" for n in range(100))
    races = {"left": 1}

    def save_then_another_writer(contract_id, *args, **kwargs):
        changed = real_save(contract_id, *args, **kwargs)
        if contract_id == nda and races["left"] > 0:
            races["left"] -= 1
            repo.update_contract(repo.get_contract(nda), actor="someone-else", owner=next(owners))
        return changed

    monkeypatch.setattr(repo, "save_terms", save_then_another_writer)
    assert link(amendment, nda).status == 200
    contract = repo.get_contract(nda)
    assert contract.amended_by == [amendment] and contract.owner == "owner0@example.com"
    assert repo.get_contract(amendment).amends_contract_id == nda

    second = _waiting_amendment(cloud, "AMENDMENT NO. 2", "sixty (60)")
    races["left"] = 100
    reply = link(second, nda)
    assert reply.status == 409 and f"contract {nda!r} was changed by another request" in reply.message
    assert "send the same link again" in reply.message
    claimed = repo.get_contract(second)
    assert (claimed.amends_contract_id, claimed.amending_contract_id) == (None, nda)
    assert [a.contract_id for a in repo.unapplied_amendments(TEAM)] == [second]
    races["left"] = 0
    assert link(second, nda).status == 200
    assert repo.get_contract(nda).amended_by == [amendment, second]
    assert call("GET", f"/contracts/{nda}", claims=EDITOR).json()["terms"]["payment_terms"]["value"] == "P60D"
    trail = [e.action for e in repo.audit_events(second)]
    assert trail.count("amendment.linked") == 1


def test_any_write_refused_because_the_record_changed_meanwhile_answers_409_not_500(cloud, waiting, monkeypatch):
    """A route's write is refused by its version check (the contract changed after the route read
    it): 409 with what to do, the other change kept; a write that fails otherwise stays an error."""
    from botocore.exceptions import ClientError
    from pynamodb.exceptions import PutError

    from clausewatch.pipeline import actions

    _, nda, _ = waiting
    stale = repo.get_contract(nda)
    repo.update_contract(repo.get_contract(nda), actor="someone-else", time_zone="Europe/Paris")
    monkeypatch.setattr(actions, "find_contract", lambda cid, team=None: stale)
    reply = call("PUT", f"/contracts/{nda}/owner", claims=EDITOR, body={"owner": "lee@example.com"})
    assert reply.status == 409 and "changed by another request while this one ran" in reply.message
    monkeypatch.undo()
    assert (repo.get_contract(nda).time_zone, repo.get_contract(nda).owner) == ("Europe/Paris", stale.owner)
    assert call("PUT", f"/contracts/{nda}/owner", claims=EDITOR, body={"owner": "lee@example.com"}).status == 200
    assert (repo.get_contract(nda).time_zone, repo.get_contract(nda).owner) == ("Europe/Paris", "lee@example.com")

    invalid = ClientError({"Error": {"Code": "ValidationException", "Message": "item too large"}}, "PutItem")
    monkeypatch.setattr(repo, "set_contract_owner", lambda *a, **k: (_ for _ in ()).throw(PutError("put", invalid)))
    with pytest.raises(PutError, match="put"):  # the invocation's error (API Gateway: 502)
        call("PUT", f"/contracts/{nda}/owner", claims=EDITOR, body={"owner": "kim@example.com"})


def test_deleting_a_contract_releases_its_amendments_and_its_upload_again_applies_them(cloud, tmp_path):
    """The supply agreement, amended by No. 1 (120 days' notice), is deleted: No. 1 waits for its
    contract again (flagged, with why) instead of naming a contract that is gone; the same agreement
    uploaded again (the same id) is amended by it at once, and its notice deadline is No. 1's again.
    (Before: No. 1 kept naming the deleted contract, the upload came back with 90 days' notice and a
    link to it answered 200 with nothing applied.)"""
    clock.set_now(NOW)
    cloud.work_dir = tmp_path
    supply_path, amendment_path = SAMPLES / "supply-agreement-autorenew.pdf", SAMPLES / "amendment-1-supply.pdf"
    team = sample_metadata()[supply_path.name]["team"]
    editor, admin = claims(team, "editor", "dana.kowalski@example.com"), claims(team, "admin", "ida@example.com")
    supply, amendment = _upload(cloud, supply_path, team), _upload(cloud, amendment_path, team)
    assert repo.get_contract(amendment).amends_contract_id == supply
    assert repo.current_terms(supply)["notice_period"].value == "P120D"

    assert call("DELETE", f"/contracts/{supply}", claims=admin).status == 200
    released = repo.get_contract(amendment)
    assert (released.amends_contract_id, released.amending_contract_id) == (None, None)
    assert f"({supply_path.name}, {supply}) was deleted" in released.status_reason
    [flag] = call("GET", f"/contracts/{amendment}", claims=editor).json()["attention"]
    assert flag["kind"] == "amendment_waiting" and "was deleted" in flag["message"]
    assert [a.contract_id for a in repo.unapplied_amendments(team)] == [amendment]
    assert "amendment.released" in [e.action for e in repo.audit_events(amendment)]

    assert _upload(cloud, supply_path, team) == supply  # the same bytes: the same contract id
    contract = call("GET", f"/contracts/{supply}", claims=editor).json()
    assert contract["amended_by"] == [amendment] and contract["terms"]["notice_period"]["value"] == "P120D"
    assert contract["notice_deadline"] == "2027-02-02"  # the term ending 2027-06-02 - P120D
    assert repo.get_contract(amendment).amends_contract_id == supply


def test_an_amendment_naming_a_contract_deleted_before_deletions_released_it_can_be_linked(cloud, waiting):
    amendment, nda, _ = waiting
    gone = "0123456789abcdef"  # deleted before deleting a contract released its amendments
    repo.update_contract(repo.get_contract(amendment), actor="pipeline", amends_contract_id=gone)
    assert link(amendment, nda).status == 200  # before: 409 "already amends contract '0123456789abcdef'"
    assert repo.get_contract(amendment).amends_contract_id == nda
    assert repo.get_contract(nda).amended_by == [amendment]
