"""An expiration is a date, not a duty: past, the contract has expired; it is never "overdue" (the
CLI's obligations table and status count)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from clausewatch.local.report import obligation_state
from clausewatch.schema import ObligationStatus


def _item(kind: str, obligation_id: str, due: str):
    return SimpleNamespace(kind=kind, obligation_id=obligation_id, due=due, status=ObligationStatus.OPEN)


def test_an_expiration_years_ago_is_expired_and_a_duty_past_its_day_is_overdue():
    today = date(2026, 12, 4)
    assert obligation_state(_item("expiration", "expiration", "2021-12-31"), today) == "expired"  # was: "overdue"
    assert obligation_state(_item("expiration", "expiration", "2027-01-31"), today) == "open"
    assert obligation_state(_item("deliverable", "report-q3", "2026-10-31"), today) == "overdue"
    assert obligation_state(_item("credit_claim", "credit-2026-09-availability", "2026-10-30"), today) == "overdue"
