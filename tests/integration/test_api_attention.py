"""The API shows what `status` shows as needing attention (issue #13 section 5): refused uploader
metadata (an unknown time zone or jurisdiction, an owner that is not one address) and dates left
out rather than guessed, each with its candidates and clauses."""

from __future__ import annotations

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import (  # noqa: F401
    NOW,
    call,
    claims,
    contract_text,
    no_scan_in_api_requests,
)
from tests.pdfs import make_pdf

TEAM = "legal"


def _upload(cloud, tmp_path, name: str, text: str, metadata: dict[str, str]) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    clock.set_now(NOW)
    cloud.upload(path, {"team": TEAM, **metadata})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def test_refused_metadata_is_in_the_contract_and_the_list(cloud, tmp_path):
    contract_id = _upload(cloud, tmp_path, "zones.pdf",
                          contract_text("Acme LLC", effective="March 1, 2025", expires="February 28, 2027"),
                          {"time-zone": "Mars/Olympus", "jurisdiction": "XX-NOWHERE",
                           "owner": "victim@example.com, attacker@evil.test"})
    reply = call("GET", f"/contracts/{contract_id}", claims=claims(TEAM))
    assert reply.status == 200, reply.text
    body = reply.json()
    assert body["time_zone"] == "UTC" and body["owner"] is None
    messages = [a["message"] for a in body["attention"]]
    assert all(a["kind"] == "metadata_refused" for a in body["attention"])
    assert any("unknown time-zone 'Mars/Olympus'" in m for m in messages)
    assert any("unknown jurisdiction 'XX-NOWHERE'" in m for m in messages)
    assert any("not exactly one address" in m for m in messages)
    listed = call("GET", "/contracts", claims=claims(TEAM)).json()["items"]
    assert [len(c["attention"]) for c in listed if c["id"] == contract_id] == [3]


def test_two_effective_dates_are_shown_with_both_candidates(cloud, tmp_path):
    text = contract_text("Acme LLC", effective="March 1, 2025", expires="February 28, 2027") + \
        "3. Commencement. This Agreement shall be effective as of April 15, 2025.\n"
    contract_id = _upload(cloud, tmp_path, "two-dates.pdf", text, {})
    body = call("GET", f"/contracts/{contract_id}", claims=claims(TEAM)).json()
    [flag] = body["attention"]
    assert flag["kind"] == "conflicting_dates" and flag["term"] == "effective_date"
    assert [c["value"] for c in flag["candidates"]] == ["2025-03-01", "2025-04-15"]
    assert all(c["evidence"]["page"] == 1 for c in flag["candidates"])
    assert "April 15, 2025" in flag["candidates"][1]["evidence"]["text"]
    assert "effective_date" not in {k for k, v in body["terms"].items() if v}


NEWSLETTER = ("Quarterly Newsletter\nOur team had a great quarter. The picnic is on June 5, 2026. Please bring "
              "sunscreen. Sales grew 12% year over year. See you in 30 days.")


def test_a_person_dismisses_the_does_not_read_as_a_contract_flag_and_it_stays_gone(cloud, tmp_path):
    """Brief s22 2: the flag went only when a person entered a term or deleted the document. Now a
    person says it is a contract: the flag goes, audited with them, the document and its (empty)
    terms stay, and a re-extraction does not bring it back; a viewer may not, and a contract never
    flagged has nothing to dismiss (409)."""
    from clausewatch.extract import extract_contract
    from clausewatch.pipeline import record
    from clausewatch.store import repository as repo

    contract_id = _upload(cloud, tmp_path, "newsletter.pdf", NEWSLETTER, {})
    path = f"/contracts/{contract_id}/is-a-contract"
    body = call("GET", f"/contracts/{contract_id}", claims=claims(TEAM)).json()
    assert [a["kind"] for a in body["attention"]] == ["not_a_contract"]
    assert call("POST", path, claims=claims(TEAM)).status == 403  # a viewer
    editor = claims(TEAM, "editor", "dana.kowalski@example.com")
    reply = call("POST", path, claims=editor, body={"note": "the sponsorship agreement, scanned oddly"})
    assert reply.status == 200, reply.text
    assert reply.json()["attention"] == [] and reply.json()["status"] == "EXTRACTED"
    assert call("GET", f"/contracts/{contract_id}", claims=claims(TEAM)).json()["attention"] == []
    assert call("POST", path, claims=editor).status == 200  # again: no change, no second audit line
    audit = call("GET", f"/contracts/{contract_id}/audit", claims=editor, query={"limit": 100}).json()["items"]
    [confirmed] = [e for e in audit if e["action"] == "contract.confirmed"]
    assert confirmed["actor"] == "dana.kowalski@example.com"
    assert confirmed["detail"]["note"] == "the sponsorship agreement, scanned oddly"
    assert confirmed["detail"]["flag"].startswith("does not read as a contract")
    # extracted again (an upgrade), the text alone still flags it: the person's word stands
    record.record_extraction(repo.get_contract(contract_id), extract_contract([NEWSLETTER], source="newsletter.pdf"),
                             actor="pipeline")
    assert call("GET", f"/contracts/{contract_id}", claims=claims(TEAM)).json()["attention"] == []
    other = _upload(cloud, tmp_path, "acme.pdf",
                    contract_text("Acme LLC", effective="March 1, 2025", expires="February 28, 2027"), {})
    refused = call("POST", f"/contracts/{other}/is-a-contract", claims=editor)
    assert refused.status == 409 and "nothing to dismiss" in refused.json()["message"]
    assert call("POST", f"/contracts/{'f' * 16}/is-a-contract", claims=editor).status == 404


def test_a_contract_says_what_the_callers_role_may_do_to_it_in_lists_and_in_its_page(cloud, tmp_path):
    """API QA 2026-12-06: Needs attention offered "It is a contract" (and Apply, and term and event
    date fields) to viewers, each a 403, since a contract summary said nothing of the caller's role.
    Each summary and detail now carries `caller_may`: confirm_contract while the flag stands, to an
    editor or admin; enter_terms, set_owner, set_jurisdiction and set_time_zone to them; enter_event to the contract's
    owner or an admin."""
    contract_id = _upload(cloud, tmp_path, "newsletter.pdf", NEWSLETTER, {"owner": "dana.kowalski@example.com"})
    owner = claims(TEAM, "editor", "dana.kowalski@example.com")
    other_editor = claims(TEAM, "editor", "eli@example.com")
    admin = claims(TEAM, "admin", "ada@example.com")

    def may(who) -> tuple[list[str], list[str]]:
        detail = call("GET", f"/contracts/{contract_id}", claims=who).json()["caller_may"]
        [summary] = [c["caller_may"] for c in call("GET", "/contracts", claims=who).json()["items"]
                     if c["id"] == contract_id]
        return summary, detail

    assert may(claims(TEAM)) == ([], [])  # a viewer
    fields = ["set_owner", "set_jurisdiction", "set_time_zone"]
    assert may(owner) == (["confirm_contract", "enter_terms", "enter_event", *fields],) * 2
    assert may(other_editor) == (["confirm_contract", "enter_terms", *fields],) * 2
    assert may(admin) == (["confirm_contract", "enter_terms", "enter_event", *fields],) * 2
    reply = call("POST", f"/contracts/{contract_id}/is-a-contract", claims=other_editor)
    # nothing left to confirm; a contract now, its SLA metrics and invoices may be sent
    assert reply.status == 200 and reply.json()["caller_may"] == ["enter_terms", "send_money_files", *fields]
    assert may(owner) == (["enter_terms", "enter_event", "send_money_files", *fields],) * 2


def test_the_owner_and_jurisdiction_are_offered_to_whom_their_routes_take_them_from(cloud, tmp_path):
    """The contract page offers a change of the owner and of the jurisdiction by `caller_may`
    (set_owner, set_jurisdiction): to an editor or an admin, whom PUT /contracts/{id}/owner and
    /jurisdiction take them from; a viewer is offered neither and the routes refuse them (403)."""
    contract_id = _upload(cloud, tmp_path, "fields.pdf",
                          contract_text("Acme LLC", effective="March 1, 2025", expires="February 28, 2027"),
                          {"owner": "dana.kowalski@example.com"})
    viewer, editor = claims(TEAM), claims(TEAM, "editor", "eli@example.com")
    admin = claims(TEAM, "admin", "ada@example.com")
    offered = {who: {a for a in call("GET", f"/contracts/{contract_id}", claims=c).json()["caller_may"]
                     if a.startswith("set_")} for who, c in {"viewer": viewer, "editor": editor, "admin": admin}.items()}
    assert offered == {"viewer": set(), "editor": {"set_owner", "set_jurisdiction", "set_time_zone"},
                       "admin": {"set_owner", "set_jurisdiction", "set_time_zone"}}
    assert call("PUT", f"/contracts/{contract_id}/owner", body={"owner": "vic@example.com"}, claims=viewer).status == 403
    assert call("PUT", f"/contracts/{contract_id}/jurisdiction", body={"jurisdiction": "GB-ENG"},
                claims=viewer).status == 403
    reply = call("PUT", f"/contracts/{contract_id}/owner", body={"owner": "eli@example.com"}, claims=editor)
    # what a change answers says it again (the owner's summary)
    assert reply.status == 200 and {"set_owner", "set_jurisdiction"} <= set(reply.json()["caller_may"])
    reply = call("PUT", f"/contracts/{contract_id}/jurisdiction", body={"jurisdiction": "GB-ENG"}, claims=editor)
    assert reply.status == 200 and reply.json()["jurisdiction"] == "GB-ENG"
    assert {"set_owner", "set_jurisdiction"} <= set(reply.json()["caller_may"])
