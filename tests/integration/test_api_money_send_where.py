"""SLA metrics and invoices are taken only where ``caller_may`` offers sending them (review rv10):
an amendment's money is its contract's, so a file sent to the amendment is refused (409, naming the
contract to send it to) and nothing is stored or checked against the amendment's own terms."""

from __future__ import annotations

from clausewatch.config import Settings
from clausewatch.pipeline.money import put_money_file
from clausewatch.store import repository as repo
from tests.integration.api_support import call, claims
from tests.integration.test_amendment_reapply import AMENDMENT_1, _upload, msa  # noqa: F401

CSV = ("number,issue_date,currency,description,quantity,unit_price,amount\n"
       "X-1,2026-11-30,USD,Services,1,99999.00,99999.00\n")
EDITOR = claims("ops", "editor", "ed@example.com")


def test_a_file_sent_to_an_amendment_is_refused_naming_its_contract(cloud, tmp_path, msa):
    amendment = _upload(cloud, tmp_path, "amd1.pdf", AMENDMENT_1)
    shown = call("GET", f"/contracts/{amendment}", claims=EDITOR).json()
    assert shown["status"] == "EXTRACTED" and "send_money_files" not in shown["caller_may"]
    for route in ("invoices", "metrics"):
        body = {"file_name": "x.csv", "content": CSV if route == "invoices" else "period,metric,value\n"}
        reply = call("POST", f"/contracts/{amendment}/{route}", claims=EDITOR, body=body)
        assert reply.status == 409, reply.text  # was 202: checked against the amendment's own terms
        assert f"is an amendment of contract {msa}: send its metrics and invoices to that contract" in reply.message
    cloud.pump()
    assert not [e for e in repo.audit_events(amendment) if e.action.startswith(("invoice.", "metrics."))]
    # dropped in the bucket's invoices/<amendment id>/ instead: refused by the money λ with the same reason
    put_money_file(Settings.from_env(), "invoice", amendment, "x.csv", CSV.encode(), actor="ed@example.com")
    cloud.pump()
    [refused] = [e for e in repo.audit_events(amendment) if e.action.startswith(("invoice.", "metrics."))]
    assert refused.action == "invoice.refused" and f"is an amendment of contract {msa}" in refused.detail["reason"]
    # the contract it amends takes them, and offers sending
    assert "send_money_files" in call("GET", f"/contracts/{msa}", claims=EDITOR).json()["caller_may"]
    assert call("POST", f"/contracts/{msa}/invoices", claims=EDITOR,
                body={"file_name": "x.csv", "content": CSV}).status == 202
