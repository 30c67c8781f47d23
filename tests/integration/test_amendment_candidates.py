"""An amendment that waits for a person to say which contract it amends lists the contracts it could
amend, each with why (none applied, none guessed): the agreements of its day when several match, the
agreement an earlier amendment of its day amends (an amendment of an amendment); a candidate deleted
or unlinked from since is not offered, and linking one clears them."""

from __future__ import annotations

import pytest

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.schema import ContractStatus
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims, contract_text
from tests.pdfs import make_pdf

TEAM = "procurement"
EDITOR = claims(TEAM, "editor", "dana.kowalski@example.com")
ADMIN = claims(TEAM, "admin", "ida@example.com")
PARTIES = "by and between {provider} (\"Provider\") and Meridian Foods Inc. (\"Customer\")"


def _upload(cloud, tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, {"team": TEAM})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def _agreement(cloud, tmp_path, name: str, provider: str) -> str:
    contract_id = _upload(cloud, tmp_path, name, contract_text(provider, effective="March 1, 2025",
                                                               expires="February 28, 2027"))
    item = repo.get_contract(contract_id)
    assert item.extracted.value("effective_date") == "2025-03-01" and not item.is_amendment
    return contract_id


def _waiting(contract_id: str) -> dict:
    detail = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    assert detail["amends_contract_id"] is None
    [flag] = [a for a in detail["attention"] if a["kind"] == "amendment_waiting"]
    return flag


@pytest.fixture
def two_of_the_day(cloud, tmp_path):
    """Two Master Services Agreements effective March 1, 2025, and an amendment of "the Master
    Services Agreement dated March 1, 2025": both are it, as far as what they say tells."""
    clock.set_now(NOW)
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    cobalt = _agreement(cloud, tmp_path, "cobalt-msa.pdf", "Cobalt Logistics Inc.")
    amendment = _upload(cloud, tmp_path, "amendment-1-msa.pdf", (
        "AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into "
        "as of September 15, 2026 " + PARTIES.format(provider="the Provider") + ".\nRECITALS\nA. The parties are "
        "parties to that certain Master Services Agreement dated March 1, 2025.\n1. Customer shall pay each "
        "invoice within forty-five (45) days of receipt.\n"))
    return amendment, beacon, cobalt


def test_an_amendment_of_an_ambiguous_day_offers_both_agreements_and_linking_one_clears_them(cloud, two_of_the_day):
    amendment, beacon, cobalt = two_of_the_day
    flag = _waiting(amendment)
    assert flag["message"] == ("amendment: 2 agreements dated 2025-03-01 match; not applied (which one is "
                               "ambiguous)")
    offered = {c["value"]: c["why"] for c in flag["candidates"]}
    assert set(offered) == {beacon, cobalt}
    for contract_id, file_name in ((beacon, "beacon-msa.pdf"), (cobalt, "cobalt-msa.pdf")):
        assert offered[contract_id].startswith("an agreement dated 2025-03-01, as the amendment says: ")
        assert file_name in offered[contract_id]
    assert repo.get_contract(beacon).amended_by is None and repo.get_contract(cobalt).amended_by is None
    # the list carries them too (the Needs attention page reads it)
    [summary] = [c for c in call("GET", "/contracts", claims=EDITOR, query={"status": "EXTRACTED"}).json()["items"]
                 if c["id"] == amendment]
    assert {c["value"] for c in summary["attention"][0]["candidates"]} == {beacon, cobalt}

    reply = call("PUT", f"/contracts/{amendment}/amends", claims=EDITOR, body={"contract_id": cobalt})
    assert reply.status == 200, reply.text
    assert reply.json()["amends_contract_id"] == cobalt
    assert not [a for a in reply.json()["attention"] if a["kind"] == "amendment_waiting"]
    assert repo.get_contract(amendment).amendment_candidates is None

    # unlinked from it: it waits again, the contract it was unlinked from is never offered, the other
    # agreement of the day still is (not applied to it: a person says which)
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=EDITOR).status == 200
    flag = _waiting(amendment)
    assert flag["message"].startswith(f"unlinked from cobalt-msa.pdf ({cobalt}) by ")
    assert [(c["value"], c["why"]) for c in flag["candidates"]] == [
        (beacon, "an agreement dated 2025-03-01, as the amendment says: Master Services Agreement (beacon-msa.pdf)")]
    assert repo.get_contract(beacon).amended_by is None


def test_the_agreement_it_was_unlinked_from_is_still_on_file_when_the_other_is_deleted(cloud, two_of_the_day):
    """Unlinked from cobalt, then beacon (its other candidate) deleted: its reason does not say no
    agreement of its day is on file (before: "no Master Services Agreement dated 2025-03-01 on file",
    cobalt still extracted); it names the one it was unlinked from, and offers none (not applied)."""
    amendment, beacon, cobalt = two_of_the_day
    assert call("PUT", f"/contracts/{amendment}/amends", claims=EDITOR, body={"contract_id": cobalt}).status == 200
    assert call("DELETE", f"/contracts/{amendment}/amends", claims=EDITOR).status == 200
    assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
    flag = _waiting(amendment)
    assert flag["message"] == (
        "amendment: no Master Services Agreement dated 2025-03-01 on file other than Master Services Agreement "
        "(cobalt-msa.pdf), which it was unlinked from; not applied (say which contract it amends)")
    assert flag["candidates"] == []
    assert not repo.get_contract(cobalt).amended_by


def test_an_amendment_released_by_its_contracts_deletion_still_offers_the_other_agreement_of_its_day(
        cloud, two_of_the_day):
    amendment, beacon, cobalt = two_of_the_day
    assert call("PUT", f"/contracts/{amendment}/amends", claims=EDITOR, body={"contract_id": cobalt}).status == 200
    assert call("DELETE", f"/contracts/{cobalt}", claims=ADMIN).status == 200
    flag = _waiting(amendment)
    assert "was deleted" in flag["message"]
    assert [(c["value"], c["why"]) for c in flag["candidates"]] == [
        (beacon, "an agreement dated 2025-03-01, as the amendment says: Master Services Agreement (beacon-msa.pdf)")]
    assert repo.get_contract(amendment).amends_contract_id is None and repo.get_contract(beacon).amended_by is None


def test_an_amendment_being_applied_offers_only_the_contract_it_is_applied_to(cloud, two_of_the_day):
    """Claimed by a contract, then its applying failed (``amending_contract_id``): the link refuses any
    other contract (409), so that contract is its one candidate (preselected on the page), and applying
    it to that contract finishes it."""
    amendment, beacon, cobalt = two_of_the_day
    repo.update_contract(repo.get_contract(amendment), actor="pipeline", amending_contract_id=beacon)
    flag = _waiting(amendment)
    assert flag["message"].startswith(f"amendment: being applied to contract {beacon}, not finished")
    assert [(c["value"], c["why"]) for c in flag["candidates"]] == [
        (beacon, "being applied to it, not finished: apply it to this contract again")]
    assert call("PUT", f"/contracts/{amendment}/amends", claims=EDITOR, body={"contract_id": cobalt}).status == 409
    reply = call("PUT", f"/contracts/{amendment}/amends", claims=EDITOR, body={"contract_id": beacon})
    assert reply.status == 200, reply.text
    assert reply.json()["amends_contract_id"] == beacon
    assert repo.get_contract(beacon).amended_by == [amendment]


def test_a_deleted_candidate_is_not_offered(cloud, two_of_the_day):
    amendment, beacon, cobalt = two_of_the_day
    assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
    flag = _waiting(amendment)
    assert [c["value"] for c in flag["candidates"]] == [cobalt]
    assert repo.get_contract(amendment).amends_contract_id is None  # still no guess


def test_a_candidate_the_link_would_refuse_is_not_offered(cloud, two_of_the_day):
    """A stored candidate no longer extracted (its document being processed again) is not offered:
    the link route would refuse it (409)."""
    amendment, beacon, cobalt = two_of_the_day
    repo.update_contract(repo.get_contract(beacon), actor="pipeline", status=ContractStatus.TEXT_READY)
    assert call("PUT", f"/contracts/{amendment}/amends", claims=EDITOR, body={"contract_id": beacon}).status == 409
    assert [c["value"] for c in _waiting(amendment)["candidates"]] == [cobalt]


def test_a_second_amendment_dated_as_the_first_offers_the_agreement_the_first_amends(cloud, tmp_path, monkeypatch):
    """An agreement, its First Amendment (applied to it) and a Second Amendment "to the First
    Amendment to Master Services Agreement dated March 10, 2026" (the First Amendment's day, no
    agreement's): it waits, naming the agreement the First Amendment amends, with why. The First
    Amendment is found by its own date's marker, not by reading the team's extracted contracts."""
    clock.set_now(NOW)
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", (
        "FIRST AMENDMENT TO MASTER SERVICES AGREEMENT\nThis First Amendment (this \"Amendment\") is entered into "
        "as of March 10, 2026 " + PARTIES.format(provider="Beacon Analytics LLC") + ".\nRECITALS\nA. The parties "
        "are parties to that certain Master Services Agreement dated March 1, 2025.\n1. Customer shall pay each "
        "invoice within forty-five (45) days of receipt.\n"))
    assert repo.get_contract(first).amends_contract_id == beacon

    def whole_team(*args, **kwargs):
        raise AssertionError("the team's extracted contracts were read")

    monkeypatch.setattr(repo, "contracts_of_team", whole_team)
    second = _upload(cloud, tmp_path, "second-amendment-msa.pdf", (
        "SECOND AMENDMENT TO FIRST AMENDMENT TO MASTER SERVICES AGREEMENT\nThis Second Amendment (this "
        "\"Amendment\") is entered into as of September 15, 2026 " + PARTIES.format(provider="Beacon Analytics LLC")
        + ".\nRECITALS\nA. This Amendment amends the First Amendment to Master Services Agreement dated March 10, "
        "2026.\n1. Customer shall pay each invoice within sixty (60) days of receipt.\n"))
    assert repo.get_contract(second).extracted.amendment.original_date == "2026-03-10"
    flag = _waiting(second)
    assert "an amendment of an amendment" in flag["message"]
    assert "first-amendment-msa.pdf" in flag["message"]
    assert "it would then amend Master Services Agreement (beacon-msa.pdf)" in flag["message"]
    assert flag["candidates"] == [{"value": beacon, "derivation": None, "evidence": None,
                                   "why": "amends first-amendment-msa.pdf, which amends Master Services "
                                          "Agreement (beacon-msa.pdf)"}]
    assert repo.get_contract(beacon).amended_by == [first]  # not applied by itself


FIRST_AMENDMENT = (
    "FIRST AMENDMENT TO MASTER SERVICES AGREEMENT\nThis First Amendment (this \"Amendment\") is entered into "
    "as of March 10, 2026 " + PARTIES.format(provider="Beacon Analytics LLC") + ".\nRECITALS\nA. The parties "
    "are parties to that certain Master Services Agreement dated March 1, 2025.\n1. Customer shall pay each "
    "invoice within forty-five (45) days of receipt.\n")


@pytest.mark.parametrize("heading,recital,amends", [
    ("AMENDMENT NO. 1 TO SUPPLY AGREEMENT", "The parties are parties to that certain Supply Agreement",
     "Supply Agreement"),
    ("SECOND AMENDMENT TO FIRST AMENDMENT TO SUPPLY AGREEMENT",
     # the date after the First Amendment's whole name is its own: no First Amendment to a Supply Agreement
     # of that day is on file (before 2026-12-07: read as the Supply Agreement's date)
     "This Amendment amends the First Amendment to Supply Agreement", "First Amendment to Supply Agreement")])
def test_an_amendment_of_another_agreement_dated_as_an_earlier_amendment_is_not_an_amendment_of_it(
        cloud, tmp_path, heading, recital, amends):
    """The team's Master Services Agreement and its First Amendment of March 10, 2026; an amendment
    of another team's "Supply Agreement dated March 10, 2026" (or of a First Amendment to it) is not
    an amendment of the First Amendment: it waits with no Supply Agreement of that day on file, and
    the Master Services Agreement is not offered (one click would have applied Supply Agreement
    terms to it)."""
    clock.set_now(NOW)
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", FIRST_AMENDMENT)
    assert repo.get_contract(first).amends_contract_id == beacon
    supply = _upload(cloud, tmp_path, "amendment-supply.pdf", (
        f"{heading}\nThis Amendment (this \"Amendment\") is entered into as of September 15, 2026 by and "
        f"between Northwind Traders, Inc. and Contoso Ltd.\nRECITALS\nA. {recital} dated March 10, 2026.\n"
        "1. Buyer shall pay each invoice within ninety (90) days of receipt.\n"))
    info = repo.get_contract(supply).extracted.amendment
    assert (info.original_date, info.amends) == ("2026-03-10", amends)
    flag = _waiting(supply)
    assert flag["message"] == f"amendment: no {amends} dated 2026-03-10 on file"
    assert flag["candidates"] == []
    assert repo.get_contract(beacon).amended_by == [first]


SECOND_AMENDMENT = (
    "SECOND AMENDMENT TO FIRST AMENDMENT TO MASTER SERVICES AGREEMENT\nThis Second Amendment (this "
    "\"Amendment\") is entered into as of September 15, 2026 " + PARTIES.format(provider="Beacon Analytics LLC")
    + ".\nRECITALS\nA. This Amendment amends the First Amendment to Master Services Agreement dated March 10, "
    "2026.\n1. Customer shall pay each invoice within sixty (60) days of receipt.\n")


@pytest.mark.parametrize("gone", ["deleted", "unlinked"])
def test_a_second_amendment_no_longer_offers_the_agreement_once_the_first_is_deleted_or_unlinked(
        cloud, tmp_path, gone):
    """The Second Amendment waits offering the agreement the First Amendment amends; the First
    Amendment deleted (or unlinked from that agreement), it is looked at again: no agreement of its
    day on file, no candidate (its why "amends first-amendment-msa.pdf, which amends ..." no longer
    holds)."""
    clock.set_now(NOW)
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", FIRST_AMENDMENT)
    second = _upload(cloud, tmp_path, "second-amendment-msa.pdf", SECOND_AMENDMENT)
    assert [c["value"] for c in _waiting(second)["candidates"]] == [beacon]
    path = f"/contracts/{first}" if gone == "deleted" else f"/contracts/{first}/amends"
    assert call("DELETE", path, claims=ADMIN).status == 200
    flag = _waiting(second)
    assert flag["message"] == ("amendment: no First Amendment to Master Services Agreement dated 2026-03-10 on file"
                               if gone == "deleted"
                               # on file still, applied to none (before: "no ... on file")
                               else "amendment: an amendment of an amendment: the document dated 2026-03-10 is "
                               "first-amendment-msa.pdf, on file but applied to no contract yet; not applied (apply "
                               "it first, or say which contract this amends)")
    assert flag["candidates"] == []
    assert repo.get_contract(second).amendment_candidates is None
    [line] = [a for a in repo.audit_events(second) if a.action == "amendment.candidates"]
    assert line.detail["candidates"] == [] and line.detail["before"]["candidates"] == [beacon]
    assert not repo.get_contract(beacon).amended_by  # nothing applied by the look


def test_the_one_agreement_of_the_day_naming_itself_another_is_offered_with_that_reason(cloud, tmp_path):
    """The team's one agreement of February 20, 2025 is a mutual NDA; an amendment of the "Supply
    Agreement" of that day waits (not applied to the NDA), offering the NDA with why it was not taken."""
    from tests.paths import SAMPLES, sample_metadata

    clock.set_now(NOW)
    team = sample_metadata()["mutual-nda.pdf"]["team"]
    cloud.upload(SAMPLES / "mutual-nda.pdf", sample_metadata()["mutual-nda.pdf"])
    cloud.pump()
    nda = contract_id_for(sha256_hex((SAMPLES / "mutual-nda.pdf").read_bytes()))
    path = tmp_path / "amendment-supply.pdf"
    path.write_bytes(make_pdf(
        "AMENDMENT NO. 1 TO SUPPLY AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into as of "
        "September 15, 2026 by and between Northwind Traders, Inc. and Contoso Ltd.\nRECITALS\nA. The parties are "
        "parties to that certain Supply Agreement dated February 20, 2025.\n1. Buyer shall pay each invoice "
        "within forty-five (45) days of receipt.\n"))
    cloud.upload(path, {"team": team})
    cloud.pump()
    amendment = contract_id_for(sha256_hex(path.read_bytes()))
    detail = call("GET", f"/contracts/{amendment}", claims=claims(team, "editor", "dana.kowalski@example.com")).json()
    [flag] = [a for a in detail["attention"] if a["kind"] == "amendment_waiting"]
    assert "does not name the Supply Agreement; not applied" in flag["message"]
    [offered] = flag["candidates"]
    assert offered["value"] == nda
    assert offered["why"] == ("the one agreement dated 2025-02-20 on file, Mutual Non-disclosure Agreement "
                              "(mutual-nda.pdf); it names itself another agreement than the Supply Agreement")
    assert repo.get_contract(nda).amended_by is None


# --- looked at again while it still waits: its candidates and reason as they are now ----------------

SUPPLY_AMENDMENT = (
    "AMENDMENT NO. 1 TO SUPPLY AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into as of "
    "September 15, 2026 by and between Northwind Traders, Inc. and Contoso Ltd.\nRECITALS\nA. The parties are "
    "parties to that certain Supply Agreement dated February 20, 2025.\n1. Buyer shall pay each invoice "
    "within forty-five (45) days of receipt.\n")


def test_an_agreement_of_its_day_extracted_later_refreshes_a_waiting_amendments_candidates(cloud, tmp_path):
    """An amendment of the "Supply Agreement dated February 20, 2025" waits with no candidate (no
    agreement of the day on file); the team's mutual NDA of that day, extracted later, is not applied
    to (it names itself another agreement) but becomes its candidate, with that reason."""
    from tests.paths import SAMPLES, sample_metadata

    clock.set_now(NOW)
    team = sample_metadata()["mutual-nda.pdf"]["team"]
    path = tmp_path / "amendment-supply.pdf"
    path.write_bytes(make_pdf(SUPPLY_AMENDMENT))
    cloud.upload(path, {"team": team})
    cloud.pump()
    amendment = contract_id_for(sha256_hex(path.read_bytes()))
    waiting = repo.get_contract(amendment)
    assert waiting.status_reason == "amendment: no Supply Agreement dated 2025-02-20 on file"
    assert waiting.amendment_candidates is None

    cloud.upload(SAMPLES / "mutual-nda.pdf", sample_metadata()["mutual-nda.pdf"])
    cloud.pump()
    nda = contract_id_for(sha256_hex((SAMPLES / "mutual-nda.pdf").read_bytes()))
    now = repo.get_contract(amendment)
    assert now.amends_contract_id is None and repo.get_contract(nda).amended_by is None  # no guess
    assert "does not name the Supply Agreement; not applied" in now.status_reason
    assert now.amendment_candidates == [{
        "contract_id": nda, "why": "the one agreement dated 2025-02-20 on file, Mutual Non-disclosure Agreement "
                                   "(mutual-nda.pdf); it names itself another agreement than the Supply Agreement"}]
    detail = call("GET", f"/contracts/{amendment}", claims=claims(team, "editor", "dana.kowalski@example.com")).json()
    [flag] = [a for a in detail["attention"] if a["kind"] == "amendment_waiting"]
    assert flag["message"] == now.status_reason and [c["value"] for c in flag["candidates"]] == [nda]
    [line] = [a for a in repo.audit_events(amendment) if a.action == "amendment.candidates"]
    assert line.detail["candidates"] == [nda] and line.detail["before"] == {
        "reason": "amendment: no Supply Agreement dated 2025-02-20 on file", "candidates": []}


def test_a_third_agreement_of_an_ambiguous_day_joins_the_candidates(cloud, tmp_path, two_of_the_day):
    amendment, beacon, cobalt = two_of_the_day
    delta = _agreement(cloud, tmp_path, "delta-msa.pdf", "Delta Freight Co.")
    now = repo.get_contract(amendment)
    assert now.amends_contract_id is None
    assert now.status_reason == "amendment: 3 agreements dated 2025-03-01 match; not applied (which one is ambiguous)"
    assert {c["contract_id"] for c in now.amendment_candidates} == {beacon, cobalt, delta}
    assert {c["value"] for c in _waiting(amendment)["candidates"]} == {beacon, cobalt, delta}


def test_a_deleted_candidate_leaves_the_stored_list_on_the_next_look_again(cloud, tmp_path, two_of_the_day):
    from clausewatch.pipeline import record

    amendment, beacon, cobalt = two_of_the_day
    delta = _agreement(cloud, tmp_path, "delta-msa.pdf", "Delta Freight Co.")
    assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
    assert record.look_again_for_waiting_amendments(actor="operator") == (0, 0)
    now = repo.get_contract(amendment)
    assert now.amends_contract_id is None  # two agreements of the day still: no guess
    assert {c["contract_id"] for c in now.amendment_candidates} == {cobalt, delta}
    assert now.status_reason == "amendment: 2 agreements dated 2025-03-01 match; not applied (which one is ambiguous)"
    def refreshes() -> int:
        return len([a for a in repo.audit_events(amendment) if a.action == "amendment.candidates"])

    written = refreshes()
    # looked at again with nothing changed: no second write
    assert record.look_again_for_waiting_amendments(actor="operator") == (0, 0)
    assert refreshes() == written


def test_an_earlier_amendment_recorded_before_its_own_dates_markers_is_offered_after_the_upgrade(cloud, tmp_path):
    """A First Amendment recorded before an amendment's own dates were marked (no ``S#`` marker):
    a Second Amendment naming its day waits with no candidate; the markers' upgrade
    (``store_dated_markers``, the operator's reindex) marks it, and the look at waiting amendments
    that follows offers the agreement it amends."""
    from clausewatch import schema
    from clausewatch.pipeline import record
    from clausewatch.store.models import DatedItem

    clock.set_now(NOW)
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", (
        "FIRST AMENDMENT TO MASTER SERVICES AGREEMENT\nThis First Amendment (this \"Amendment\") is entered into "
        "as of March 10, 2026 " + PARTIES.format(provider="Beacon Analytics LLC") + ".\nRECITALS\nA. The parties "
        "are parties to that certain Master Services Agreement dated March 1, 2025.\n1. Customer shall pay each "
        "invoice within forty-five (45) days of receipt.\n"))
    assert repo.get_contract(first).amends_contract_id == beacon
    DatedItem(schema.team_dated_pk(TEAM), schema.dated_sk(schema.DATED_AMENDMENT_ITSELF, "2026-03-10", first)).delete()
    assert repo.dated(TEAM, schema.DATED_AMENDMENT_ITSELF, "2026-03-10") == []  # as recorded before them
    second = _upload(cloud, tmp_path, "second-amendment-msa.pdf", (
        "SECOND AMENDMENT TO FIRST AMENDMENT TO MASTER SERVICES AGREEMENT\nThis Second Amendment (this "
        "\"Amendment\") is entered into as of September 15, 2026 " + PARTIES.format(provider="Beacon Analytics LLC")
        + ".\nRECITALS\nA. This Amendment amends the First Amendment to Master Services Agreement dated March 10, "
        "2026.\n1. Customer shall pay each invoice within sixty (60) days of receipt.\n"))
    assert _waiting(second)["candidates"] == []

    assert repo.store_dated_markers() == 1  # the First Amendment, marked by its own date
    assert repo.dated(TEAM, schema.DATED_AMENDMENT_ITSELF, "2026-03-10") == [first]
    assert repo.store_dated_markers() == 0  # safe to run again
    assert record.look_again_for_waiting_amendments(actor="operator") == (0, 0)
    flag = _waiting(second)
    assert "an amendment of an amendment" in flag["message"]
    assert [(c["value"], c["why"]) for c in flag["candidates"]] == [
        (beacon, "amends first-amendment-msa.pdf, which amends Master Services Agreement (beacon-msa.pdf)")]
    assert repo.get_contract(beacon).amended_by == [first]  # not applied by itself


# --- an amendment of an amendment that names only the earlier amendment ("amends the First Amendment
# dated March 10, 2026"): its date is read, and the earlier amendment of that day found ----------------

def _only_the_earlier(recital: str, own: str = "Second Amendment", heading: str = "SECOND AMENDMENT") -> str:
    return (f"{heading}\nThis {own} (this \"Amendment\") is entered into as of September 15, 2026 "
            + PARTIES.format(provider="Beacon Analytics LLC") + f".\nRECITALS\nA. {recital}\n1. Customer shall pay "
            "each invoice within sixty (60) days of receipt.\n")


@pytest.mark.parametrize("heading,own,recital,amends", [
    ("SECOND AMENDMENT", "Second Amendment", "This Second Amendment amends the First Amendment dated March 10, 2026.",
     "First Amendment"),
    ("AMENDMENT NO. 2", "Amendment No. 2", "The parties entered into Amendment No. 1 dated as of March 10, 2026, "
     "which this Amendment No. 2 amends.", "Amendment No. 1")])
def test_an_amendment_naming_only_the_earlier_amendment_offers_the_agreement_it_amends(
        cloud, tmp_path, heading, own, recital, amends):
    """No agreement in its heading or recitals, only "the First Amendment dated March 10, 2026" (or
    "Amendment No. 1 dated ..."): it waits offering the agreement the First Amendment of that day
    amends, with why; nothing is applied by itself (before: "the date of the amended agreement was
    not found", no candidate)."""
    clock.set_now(NOW)
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", FIRST_AMENDMENT)
    assert repo.get_contract(first).amends_contract_id == beacon
    second = _upload(cloud, tmp_path, "second-amendment.pdf", _only_the_earlier(recital, own, heading))
    info = repo.get_contract(second).extracted.amendment
    assert (info.amends, info.original_date) == (amends, "2026-03-10")
    flag = _waiting(second)
    assert flag["message"] == (
        "amendment: an amendment of an amendment: the document dated 2026-03-10 is first-amendment-msa.pdf, an "
        "amendment of Master Services Agreement (beacon-msa.pdf); it would then amend Master Services Agreement "
        "(beacon-msa.pdf); not applied (say which contract it amends)")
    assert [(c["value"], c["why"]) for c in flag["candidates"]] == [
        (beacon, "amends first-amendment-msa.pdf, which amends Master Services Agreement (beacon-msa.pdf)")]
    assert repo.get_contract(beacon).amended_by == [first]  # not applied by itself
    # a person applies it to that agreement
    reply = call("PUT", f"/contracts/{second}/amends", claims=EDITOR, body={"contract_id": beacon})
    assert reply.status == 200, reply.text
    assert repo.get_contract(beacon).amended_by == [first, second]


@pytest.mark.parametrize("text", [
    SECOND_AMENDMENT, _only_the_earlier("This Second Amendment amends the First Amendment dated March 10, 2026.")])
def test_an_earlier_amendment_on_file_but_applied_to_nothing_is_not_called_none_on_file(cloud, tmp_path, text):
    """The First Amendment of March 10, 2026 is on file, waiting (no agreement of its day): the Second,
    naming it, says it is on file but applied to no contract yet (before: "no First Amendment dated
    2026-03-10 on file"); nothing is offered or applied."""
    clock.set_now(NOW)
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", FIRST_AMENDMENT)
    assert repo.get_contract(first).amends_contract_id is None
    second = _upload(cloud, tmp_path, "second-amendment-msa.pdf", text)
    flag = _waiting(second)
    assert flag["message"] == (
        "amendment: an amendment of an amendment: the document dated 2026-03-10 is first-amendment-msa.pdf, on "
        "file but applied to no contract yet; not applied (apply it first, or say which contract this amends)")
    assert flag["candidates"] == []


@pytest.mark.parametrize("text,amends", [
    (SECOND_AMENDMENT, "First Amendment to Master Services Agreement"),
    (_only_the_earlier("This Second Amendment amends the First Amendment dated March 10, 2026."), "First Amendment")])
def test_a_second_amendment_filed_before_the_first_is_told_once_the_first_is_recorded_waiting(
        cloud, tmp_path, monkeypatch, text, amends):
    """The Second Amendment arrives first: no First Amendment of its day on file. The First is
    recorded, waiting itself (no agreement of its day): the Second is looked at again at once and says
    the First is on file but applied to no contract yet, audited (before: "no ... on file" until the
    First was applied); nothing is offered or applied, and the look reads no contract in bulk."""
    clock.set_now(NOW)
    second = _upload(cloud, tmp_path, "second-amendment-msa.pdf", text)
    assert _waiting(second)["message"] == f"amendment: no {amends} dated 2026-03-10 on file"
    _no_bulk_reads(monkeypatch)
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", FIRST_AMENDMENT)
    assert repo.get_contract(first).amends_contract_id is None
    flag = _waiting(second)
    assert flag["message"] == (
        "amendment: an amendment of an amendment: the document dated 2026-03-10 is first-amendment-msa.pdf, on "
        "file but applied to no contract yet; not applied (apply it first, or say which contract this amends)")
    assert flag["candidates"] == []
    [line] = [a for a in repo.audit_events(second) if a.action == "amendment.candidates"]
    assert line.detail["before"]["reason"] == f"amendment: no {amends} dated 2026-03-10 on file"
    assert line.detail["reason"] == flag["message"] and line.detail["candidates"] == []
    assert repo.get_contract(second).amends_contract_id is None


_AS_AMENDED = ('The parties are parties to the Master Services Agreement (the "Agreement"), as amended by the First '
               "Amendment thereto, dated March 10, 2026.")


@pytest.mark.parametrize("own,recital,amends", [
    ("Second Amendment", "This Second Amendment amends the First Amendment dated March 10, 2026.", "First Amendment"),
    # the agreement named without a date, the earlier amendment with one: the date is the First
    # Amendment's, not the agreement's (before: the agreement of that day was applied by itself)
    ("Second Amendment", _AS_AMENDED, "First Amendment to Master Services Agreement"),
    # ... and the agreement named by no name of its own (before: offered, or applied when it named none)
    ("Second Amendment to the Agreement", _AS_AMENDED, "First Amendment to Agreement"),
    # the date after the First Amendment's whole name is its own (before: read as the agreement's, and
    # the team's one agreement of that day was applied by itself)
    ("Second Amendment", "This Second Amendment amends the First Amendment to Master Services Agreement dated "
     "March 10, 2026.", "First Amendment to Master Services Agreement"),
])
def test_an_agreement_of_the_earlier_amendments_day_is_not_the_amendment_it_names(cloud, tmp_path, own, recital,
                                                                                   amends):
    """"amends the First Amendment dated March 10, 2026": the team's agreement signed March 10, 2026 is no
    amendment (not amended, not offered), nor is its Third Amendment of that day the First Amendment:
    it waits with no First Amendment of that day on file."""
    clock.set_now(NOW)
    delta = _upload(cloud, tmp_path, "delta-msa.pdf", contract_text(
        "Delta Freight Co.", effective="March 10, 2026", expires="March 9, 2028"))
    assert repo.get_contract(delta).extracted.value("effective_date") == "2026-03-10"
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    third = _upload(cloud, tmp_path, "third-amendment-msa.pdf", FIRST_AMENDMENT.replace("FIRST", "THIRD").replace(
        "First", "Third"))
    assert repo.get_contract(third).amends_contract_id == beacon
    assert repo.get_contract(third).extracted.amendment.number == 3
    second = _upload(cloud, tmp_path, "second-amendment.pdf", _only_the_earlier(recital, own))
    info = repo.get_contract(second).extracted.amendment
    assert (info.amends, info.original_date) == (amends, "2026-03-10")
    flag = _waiting(second)
    assert flag["message"] == f"amendment: no {amends} dated 2026-03-10 on file"
    assert flag["candidates"] == []
    assert repo.get_contract(delta).amended_by is None and repo.get_contract(beacon).amended_by == [third]


# --- looked at again at once: an earlier amendment of its day applied later, a candidate deleted -------

def _no_bulk_reads(monkeypatch) -> None:
    """The look goes by the day's markers: neither the team's contracts nor every waiting amendment is read."""
    def bulk(*args, **kwargs):
        raise AssertionError("read in bulk")

    monkeypatch.setattr(repo, "contracts_of_team", bulk)
    monkeypatch.setattr(repo, "waiting_amendments", bulk)


@pytest.mark.parametrize("how", ["linked", "its agreement arrives"])
def test_an_earlier_amendment_applied_later_offers_its_agreement_to_the_waiting_second_at_once(
        cloud, tmp_path, monkeypatch, how):
    """The First Amendment waits (two agreements of its day; or none on file yet), and the Second
    Amendment, naming the First's day, waits with no candidate. Once the First is applied to its
    agreement (a person's link; or the pipeline, its agreement uploaded), the Second is looked at
    again at once: it offers that agreement through the First, with why (not applied); before, only
    its next look (its redelivery, the operator's look at waiting amendments) did."""
    clock.set_now(NOW)
    if how == "linked":
        beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
        _agreement(cloud, tmp_path, "cobalt-msa.pdf", "Cobalt Logistics Inc.")
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", FIRST_AMENDMENT)
    second = _upload(cloud, tmp_path, "second-amendment-msa.pdf", SECOND_AMENDMENT)
    assert repo.get_contract(first).amends_contract_id is None
    waiting = repo.get_contract(second)
    assert waiting.status_reason == (
        "amendment: an amendment of an amendment: the document dated 2026-03-10 is first-amendment-msa.pdf, on "
        "file but applied to no contract yet; not applied (apply it first, or say which contract this amends)")
    assert waiting.amendment_candidates is None

    _no_bulk_reads(monkeypatch)
    if how == "linked":
        assert call("PUT", f"/contracts/{first}/amends", claims=EDITOR, body={"contract_id": beacon}).status == 200
    else:
        beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    assert repo.get_contract(first).amends_contract_id == beacon
    now = repo.get_contract(second)
    assert now.amends_contract_id is None and repo.get_contract(beacon).amended_by == [first]  # not applied
    assert now.status_reason.startswith("amendment: an amendment of an amendment: the document dated 2026-03-10 is "
                                        "first-amendment-msa.pdf, an amendment of Master Services Agreement")
    assert now.amendment_candidates == [{
        "contract_id": beacon,
        "why": "amends first-amendment-msa.pdf, which amends Master Services Agreement (beacon-msa.pdf)"}]
    assert [c["value"] for c in _waiting(second)["candidates"]] == [beacon]
    [line] = [a for a in repo.audit_events(second) if a.action == "amendment.candidates"]
    assert line.detail["candidates"] == [beacon] and line.detail["before"]["candidates"] == []

    # a look at the Second from a read made before the First was applied (its own settling, at the
    # same time), that found it changed (its copy held an older reason), writes on a version since
    # replaced: refused, it looks again, and does not put the older state back
    from clausewatch.pipeline import record

    waiting.status_reason = "amendment: the date of the amended agreement was not found"
    record._still_waiting(waiting, "amendment: no Master Services Agreement dated 2026-03-10 on file",
                          actor="pipeline")
    assert repo.get_contract(second).amendment_candidates == now.amendment_candidates
    assert repo.get_contract(second).status_reason == now.status_reason


def test_a_deleted_candidate_leaves_the_stored_list_at_once(cloud, two_of_the_day, monkeypatch):
    """An amendment of an ambiguous day: one of its two agreements deleted, it is looked at again at
    once: the other is its one candidate, offered with why (not applied: no guess), and its reason
    says so (before: the stored list kept the deleted one until its next look; the API hid it)."""
    amendment, beacon, cobalt = two_of_the_day
    _no_bulk_reads(monkeypatch)
    assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
    now = repo.get_contract(amendment)
    assert now.amends_contract_id is None and repo.get_contract(cobalt).amended_by is None
    assert now.amendment_candidates == [{
        "contract_id": cobalt,
        "why": "an agreement dated 2025-03-01, as the amendment says: Master Services Agreement (cobalt-msa.pdf)"}]
    assert now.status_reason == (
        "amendment: one agreement dated 2025-03-01 on file now, Master Services Agreement (cobalt-msa.pdf); not "
        "applied by itself (apply it to this contract, or say which contract it amends)")
    [line] = [a for a in repo.audit_events(amendment) if a.action == "amendment.candidates"]
    assert line.detail["candidates"] == [cobalt] and set(line.detail["before"]["candidates"]) == {beacon, cobalt}


def test_an_agreement_offered_through_an_earlier_amendment_deleted_leaves_the_stored_list_at_once(
        cloud, tmp_path, monkeypatch):
    """The Second Amendment is offered the Master Services Agreement through the First; the agreement
    deleted (the First released from it), the Second is looked at again at once: no candidate."""
    clock.set_now(NOW)
    beacon = _agreement(cloud, tmp_path, "beacon-msa.pdf", "Beacon Analytics LLC")
    first = _upload(cloud, tmp_path, "first-amendment-msa.pdf", FIRST_AMENDMENT)
    second = _upload(cloud, tmp_path, "second-amendment-msa.pdf", SECOND_AMENDMENT)
    assert [c["contract_id"] for c in repo.get_contract(second).amendment_candidates] == [beacon]
    _no_bulk_reads(monkeypatch)
    assert call("DELETE", f"/contracts/{beacon}", claims=ADMIN).status == 200
    assert repo.get_contract(first).amends_contract_id is None  # released
    assert "was deleted" in repo.get_contract(first).status_reason  # its release's reason, not the look's
    now = repo.get_contract(second)
    assert now.amendment_candidates is None
    # the First is on file still, released: not "no ... dated 2026-03-10 on file"
    assert now.status_reason == (
        "amendment: an amendment of an amendment: the document dated 2026-03-10 is first-amendment-msa.pdf, on "
        "file but applied to no contract yet; not applied (apply it first, or say which contract this amends)")
    assert _waiting(second)["candidates"] == []
