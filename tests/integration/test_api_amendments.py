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
    "AMENDMENT NO. 1 TO SUPPLY AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into as of "
    "September 15, 2026 by and between Northwind Traders, Inc. and Redfern Materials Corporation.\nRECITALS\n"
    "A. The parties are parties to that certain Supply Agreement dated February 20, 2025.\n1. Buyer shall pay "
    "each invoice within forty-five (45) days of receipt.\n")


def _upload(cloud, path, team: str = TEAM) -> str:
    cloud.upload(path, {**sample_metadata().get(path.name, {}), "team": team})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


@pytest.fixture
def waiting(cloud, tmp_path):
    """(the waiting amendment, the NDA, another team's contract)"""
    clock.set_now(NOW)
    nda = _upload(cloud, SAMPLES / NDA)
    theirs = _upload(cloud, SAMPLES / SAAS, team="someone-else")
    path = tmp_path / "amendment-1-supply.pdf"
    path.write_bytes(make_pdf(AMENDMENT_TEXT))
    amendment = _upload(cloud, path)
    item = repo.get_contract(amendment)
    assert item.amends_contract_id is None and "does not name the Supply Agreement" in item.status_reason
    return amendment, nda, theirs


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
    assert reply.status == 409 and "is not an extracted contract an amendment can amend" in reply.message
    assert link(amendment, nda, who=claims(TEAM, "viewer")).status == 403
    assert repo.get_contract(amendment).amends_contract_id is None  # nothing was linked
    assert link(amendment, nda).status == 200
    services = _upload(cloud, SAMPLES / "services-agreement-fixed-dates.pdf")  # of this team
    reply = link(amendment, services)
    assert reply.status == 409 and f"already amends contract {nda!r}" in reply.message
    assert repo.get_contract(services).amended_by is None
