"""A value a person corrects is a human-confirmed version with its author, never overwritten by a
later re-extraction, and exported as a training label (GET /corrections, admins; JSONL)."""

from __future__ import annotations

import json

import pytest

from clausewatch import clock
from clausewatch.extract import extract_contract
from clausewatch.pipeline import record
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims, no_scan_in_api_requests  # noqa: F401
from tests.pdfs import make_pdf

TEAM = "legal-ops"
EDITOR = claims(TEAM, "editor", "dana.kowalski@example.com")
ADMIN = claims(TEAM, "admin", "ada.admin@example.com")
TEXT = ("SERVICES AGREEMENT\nThis Services Agreement is entered into as of March 1, 2026 (the \"Effective "
        "Date\") between Acme Widgets, Inc. (\"Client\") and Blue Heron Consulting LLC (\"Consultant\").\n"
        "1. Term. The term of this Agreement shall be two (2) years from the Effective Date.\n"
        "2. Governing Law. This Agreement is governed by the laws of the State of New York.")


@pytest.fixture
def extracted(cloud, tmp_path):
    clock.set_now(NOW)
    path = tmp_path / "services.pdf"
    path.write_bytes(make_pdf(TEXT))
    cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com", "time-zone": "America/New_York"})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes())), sha256_hex(path.read_bytes())


def test_a_corrected_value_is_kept_over_re_extraction_and_exported_with_what_it_corrected(cloud, extracted):
    contract_id, sha = extracted
    before = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()["terms"]["governing_law"]
    assert before["value"] == "New York" and before["entered_by"] is None and before["evidence"]

    reply = call("PUT", f"/contracts/{contract_id}/terms/governing_law", claims=EDITOR,
                 body={"value": "Delaware", "note": "side letter"})
    assert reply.status == 200, reply.text
    # re-extraction of the same document reads New York again: the person's value stands
    record.record_extraction(repo.get_contract(contract_id), extract_contract([TEXT], source="services.pdf"),
                             actor="pipeline")
    history = call("GET", f"/contracts/{contract_id}/terms/governing_law/history", claims=EDITOR).json()["versions"]
    assert [(v["value"], v["entered_by"]) for v in history] == [
        ("New York", None), ("Delaware", "dana.kowalski@example.com")]
    current = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()["terms"]["governing_law"]
    assert (current["value"], current["entered_by"]) == ("Delaware", "dana.kowalski@example.com")

    assert call("GET", "/corrections", claims=EDITOR).status == 403
    listed = call("GET", "/corrections", claims=ADMIN)
    assert listed.status == 200, listed.text
    exported = call("GET", "/corrections", claims=ADMIN, query={"format": "jsonl"})
    assert exported.status == 200
    assert exported.headers["Content-Type"].startswith("application/x-ndjson")
    [line] = [json.loads(raw) for raw in exported.text.splitlines()]
    assert listed.json()["items"] == [line]
    assert line["contract_id"] == contract_id and line["document_sha256"] == sha
    assert (line["field"], line["extracted_value"], line["corrected_value"]) == ("governing_law", "New York", "Delaware")
    assert line["author"] == "dana.kowalski@example.com" and line["at"] == current["recorded_at"]
    assert line["extracted_evidence"]["text"] == before["evidence"]["text"]
    assert line["extracted_evidence"]["page"] == before["evidence"]["page"]
    assert line["clause"]["text"] == before["evidence"]["text"] and line["clause_source"] == "extraction"
    assert "New York" in line["clause"]["text"]
    assert line["derivation"] == "entered by dana.kowalski@example.com: side letter" and line["current"] is True

    # another team's admin sees none of it
    assert call("GET", "/corrections", claims=claims("procurement", "admin", "x@example.com")).json() == {"items": []}
