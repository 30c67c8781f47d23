"""GET /findings' claim statuses are each contract's own (review 2026-12-06, M1): claim obligation ids
are per contract (``credit-<period>-<metric>``), so two contracts' credits of one month share an id;
the page looked statuses up by the id alone, and one contract's waived claim dropped the other's
open credit from the total at stake (or counted the waived one), depending on set order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from clausewatch.api import money as api

CLAIM = "credit-2026-10-availability"


def finding(contract_id: str, amount: str) -> SimpleNamespace:
    return SimpleNamespace(
        contract_id=contract_id, finding_id="breach-2026-10-availability", kind="sla_breach", source="metrics",
        summary="availability 99.4% < 99.5%", derivation="...", amount=amount, currency="USD", period="2026-10",
        invoice_number=None, claim_obligation_id=CLAIM, evidence=None, source_key=None,
        recorded_at="2026-11-02T10:00:00+00:00", detail={})


@pytest.mark.parametrize("order", [("A", "B"), ("B", "A")])
def test_each_contracts_claim_status_is_its_own_and_only_the_open_credit_is_at_stake(monkeypatch, order):
    statuses = {"A": "waived", "B": "open"}
    monkeypatch.setattr(api.repo, "obligations",
                        lambda contract_id: [SimpleNamespace(obligation_id=CLAIM, status=statuses[contract_id])])
    amounts = {"A": "700.00", "B": "1550.00"}
    page = api._page([finding(c, amounts[c]) for c in order], None)
    assert {v.contract_id: v.claim_status for v in page.items} == statuses
    assert [(a.amount, a.currency) for a in page.total_at_stake] == [("1550.00", "USD")]
