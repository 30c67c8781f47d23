"""A person's entry stands over a later amendment's different value (as documented), and the contract
says so on Needs attention (was: only in the notice deadline's derivation and the audit trail), until
a person enters the term again; an expiration computed from an event's date is named so."""

from __future__ import annotations

from datetime import UTC, datetime

from clausewatch import clock
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.text.validate import sha256_hex
from tests.integration.api_support import call, claims
from tests.pdfs import make_pdf

TEAM = "legal-ops"
EDITOR = claims(TEAM, "editor", "olga@example.com")
MSA = ('MASTER SERVICES AGREEMENT\nThis Master Services Agreement (the "Agreement") is entered into as of March 1, '
       '2025 (the "Effective Date") by and between Acme Widgets, Inc. ("Customer") and Borealis Software LLC '
       '("Provider").\n1. Term. The initial term of this Agreement begins on the Effective Date and continues for '
       'three (3) years (the "Initial Term"). Thereafter, this Agreement shall renew automatically for successive one '
       '(1) year periods, unless either party gives the other party written notice of non-renewal at least ninety '
       '(90) days prior to the expiration of the then-current term.\n2. Governing Law. This Agreement is governed by '
       'the laws of the State of New York.\n')
AMENDMENT = ('AMENDMENT NO. 1 TO MASTER SERVICES AGREEMENT\nThis Amendment No. 1 (this "Amendment") is entered into '
             'as of October 20, 2027 by and between Acme Widgets, Inc. ("Customer") and Borealis Software LLC '
             '("Provider").\nRECITALS\nA. Customer and Provider are parties to that certain Master Services Agreement '
             'dated March 1, 2025 (the "Agreement").\n1. Term. The Initial Term is hereby extended until February 28, '
             '2029.\nExcept as expressly amended by this Amendment, the Agreement remains in full force and effect.\n')


def upload(cloud, tmp_path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_bytes(make_pdf(text))
    cloud.upload(path, {"team": TEAM, "owner": "olga@example.com", "time-zone": "UTC"})
    cloud.pump()
    return contract_id_for(sha256_hex(path.read_bytes()))


def kept_flags(contract_id: str) -> list[dict]:
    contract = call("GET", f"/contracts/{contract_id}", claims=EDITOR).json()
    return [a for a in contract["attention"] if a["kind"] == "entry_kept_over_amendment"]


def test_an_entry_kept_over_a_later_amendment_is_on_needs_attention_until_a_person_enters_the_term(cloud, tmp_path):
    clock.set_now(datetime(2027, 10, 15, 15, 0, tzinfo=UTC))
    msa = upload(cloud, tmp_path, "msa.pdf", MSA)
    reply = call("PUT", f"/contracts/{msa}/terms/expiration_date", claims=EDITOR,
                 body={"value": "2028-08-31", "note": "side letter of 2027-09-01"})
    assert reply.status == 200, reply.text
    assert kept_flags(msa) == []
    clock.set_now(datetime(2027, 10, 20, 15, 0, tzinfo=UTC))
    upload(cloud, tmp_path, "amend1.pdf", AMENDMENT)
    contract = call("GET", f"/contracts/{msa}", claims=EDITOR).json()
    assert contract["terms"]["expiration_date"]["value"] == "2028-08-31"  # the entry stands, as documented
    [flag] = kept_flags(msa)
    assert flag["term"] == "expiration_date"
    assert flag["message"].startswith("amend1.pdf changes expiration_date to 2029-02-28; the value 2028-08-31 "
                                      "entered by olga@example.com stands")
    # the person takes the amendment's: the flag goes
    reply = call("PUT", f"/contracts/{msa}/terms/expiration_date", claims=EDITOR, body={"value": "2029-02-28"})
    assert reply.status == 200, reply.text
    assert kept_flags(msa) == []
