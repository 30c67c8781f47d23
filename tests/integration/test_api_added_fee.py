"""The lines of a fee an amendment added, through the real API handler: an invoice sent with
POST /contracts/{id}/invoices is checked, and GET /contracts/{id}/findings lists the add-on's line
over-charged (with the amendment's clause and the arithmetic) and one billed before the amendment
took effect, counted in the page's total at stake."""

from __future__ import annotations

import json

from tests.integration.api_support import call, claims, no_scan_in_api_requests  # noqa: F401
from tests.integration.test_money_amended_fees import ADD_ON, META, _file

EDITOR = claims(META["team"], "editor", "sam.ortiz@example.com")
VIEWER = claims(META["team"], "viewer")


def _send(contract_id: str, number: str, module: str, period: tuple[str, str]) -> None:
    body = {"number": number, "issue_date": period[1], "currency": "GBP", "supplier": "Osprey Cloud Limited",
            "period_start": period[0], "period_end": period[1],
            "lines": [{"description": "Licence Fee", "quantity": 1, "unit_price": "20000.00"},
                      {"description": "Analytics Module", "quantity": 1, "unit_price": module}]}
    reply = call("POST", f"/contracts/{contract_id}/invoices", claims=EDITOR,
                 body={"file_name": f"{number}.json", "content": json.dumps(body)})
    assert reply.status == 202


def test_the_api_lists_the_added_fees_lines_priced_at_the_amendments_rate(cloud, tmp_path):
    contract_id, _ = _file(cloud, tmp_path, ADD_ON)
    _send(contract_id, "NOV", "620.00", ("2026-11-01", "2026-11-30"))
    _send(contract_id, "SEP", "500.00", ("2026-09-01", "2026-09-30"))
    cloud.pump()  # the S3 notifications reach the money λ

    page = call("GET", f"/contracts/{contract_id}/findings", claims=VIEWER).json()
    by_kind = {f["kind"]: f for f in page["items"]}
    assert set(by_kind) == {"price_above_agreed", "billed_before_agreed"}  # was: two "not_checked", nothing at stake
    over = by_kind["price_above_agreed"]
    assert (over["invoice_number"], over["amount"]) == ("NOV", {"amount": "120.00", "currency": "GBP"})
    assert over["derivation"] == (  # as README's "A fee an amendment added" quotes it
        "Analytics Module Fee, agreed from the effective_date 2026-10-01 of licence-amendment-1.pdf: expected GBP "
        "500.00 a month (0 renewal term(s) begun since 2026-10-01 (2026-11-30 <= initial term end 2028-12-31: "
        "initial term): no increase) = 500.00; charged 620.00 > 500.00: 120.00 over")
    assert "Analytics Module" in " ".join(over["evidence"]["text"].split())
    before = by_kind["billed_before_agreed"]
    assert (before["invoice_number"], before["amount"]) == ("SEP", {"amount": "500.00", "currency": "GBP"})
    assert page["total_at_stake"] == [{"amount": "620.00", "currency": "GBP"}]
