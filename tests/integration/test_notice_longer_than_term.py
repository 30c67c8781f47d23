"""An extracted notice period longer than the term it is given on: the contract is flagged with
both values and their clauses, no notice deadline is counted from an initial term it does not fit
(it would fall before the term began), and a person's entry of the right value settles the flag and
counts the deadline."""

from __future__ import annotations

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import NOW, call, claims
from tests.pdfs import make_pdf

TEAM = "legal-ops"
EDITOR = claims(TEAM, "editor", "dana.kowalski@example.com")
TEXT = ("SERVICES AGREEMENT\nThis Services Agreement is entered into as of March 1, 2027 (the \"Effective Date\") "
        "by and between Acme Corp. (\"Customer\") and Widget Services LLC (\"Provider\").\n1. Term. The initial "
        "term of this Agreement shall be six (6) months from the Effective Date. Thereafter this Agreement shall "
        "automatically renew for successive periods of one (1) year unless either party gives written notice of "
        "non-renewal at least {notice} prior to the end of the then-current term.\n2. Governing Law. This Agreement "
        "is governed by the laws of the State of New York.")


def upload(cloud, tmp_path, notice: str) -> str:
    clock.set_now(NOW)
    path = tmp_path / "services.pdf"
    path.write_bytes(make_pdf(TEXT.format(notice=notice)))
    cloud.upload(path, {"team": TEAM, "owner": "dana.kowalski@example.com", "time-zone": "America/New_York"})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def test_a_notice_longer_than_the_term_read_is_flagged_and_no_deadline_counted_until_a_person_enters_one(
        cloud, tmp_path):
    contract_id = upload(cloud, tmp_path, "eighteen (18) months")
    contract = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    assert contract["status"] == "EXTRACTED"
    assert contract["terms"]["notice_period"]["value"] == "P18M"
    assert contract["terms"]["initial_term"]["value"] == "P6M"
    flags = [f for f in contract["attention"] if f["kind"] == "notice_longer_than_term"]
    assert [f["message"].split(" it is given on")[0] for f in flags] == [
        "notice period P18M read longer than the initial term P6M",
        "notice period P18M read longer than the renewal term P1Y"]
    assert [c["value"] for c in flags[0]["candidates"]] == ["P18M", "P6M"]
    assert "six (6) months" in flags[0]["candidates"][1]["evidence"]["text"]
    # counted back 18 months from 2027-08-31 it would be 2026-02-28, before the term began
    assert "notice_deadline" not in contract["terms"]
    assert "notice_deadline" not in {o["id"] for o in contract["obligations"]}
    # the person enters the notice the clause means: both flags go, the deadline is counted
    reply = call("PUT", f"/contracts/{contract_id}/terms/notice_period", claims=EDITOR, body={"value": "P60D"})
    assert reply.status == 200, reply.text
    contract = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    assert not [f for f in contract["attention"] if f["kind"] == "notice_longer_than_term"]
    assert contract["terms"]["notice_deadline"]["value"] == "2027-07-02"
    assert [o["due"] for o in contract["obligations"] if o["id"] == "notice_deadline"] == ["2027-07-02"]


def test_a_notice_that_fits_the_terms_is_not_flagged(cloud, tmp_path):
    contract = call("GET", f"/contracts/{upload(cloud, tmp_path, 'sixty (60) days')}", claims=EDITOR).json()
    assert not [f for f in contract["attention"] if f["kind"] == "notice_longer_than_term"]
    assert contract["terms"]["notice_deadline"]["value"] == "2027-07-02"
