"""The money at stake counts each sum once: the findings on one invoice line (quantity x price is not
the line amount; the line is above the agreed rate) tell the same charge from two sides, and were
added together in the API's total, the portfolio report and the owner's email subject."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clausewatch.api import money as money_api
from clausewatch.money.amounts import at_stake_totals
from clausewatch.reports.portfolio import MoneyRow, build
from clausewatch.store.models import FindingItem
from clausewatch.store.money import finding_line


def test_findings_on_one_line_count_their_largest_amount_and_others_add_up():
    line = ("c1", "INV-7", "1")
    totals = at_stake_totals([("USD", "5000.00", line), ("USD", "5000.00", line),  # one surcharge, two findings
                              ("USD", "1200.00", ("c1", "INV-7", "2")),  # another line
                              ("USD", "300.00", line),  # a smaller finding on the same line
                              ("USD", "1550.00", None), ("USD", "1550.00", None),  # two credits: each its own
                              ("EUR", "10.00", line), ("GBP", None, None), (None, "5.00", None)])
    assert totals == {"USD": Decimal("9300.00"), "EUR": Decimal("10.00")}


def _finding(finding_id: str, kind: str, amount: str, line_id: str | None, invoice: str = "INV-7") -> FindingItem:
    return FindingItem("CONTRACT#c1", f"FINDING#{finding_id}", contract_id="c1", finding_id=finding_id, kind=kind,
                       source="invoice", summary=kind, amount=amount, currency="USD", invoice_number=invoice,
                       detail={"line_id": line_id}, recorded_at="2026-12-06T00:00:00Z")


def test_the_apis_total_at_stake_counts_a_line_once():
    items = [_finding("a", "arithmetic", "5000.00", "1"), _finding("b", "price_above_agreed", "5000.00", "1"),
             _finding("c", "price_above_agreed", "1200.00", "1", invoice="INV-8")]
    assert finding_line(items[0]) == finding_line(items[1]) != finding_line(items[2])
    page = money_api._page(items, None)
    assert [(a.amount, a.currency) for a in page.total_at_stake] == [("6200.00", "USD")]


def test_the_portfolio_counts_a_line_once():
    line = ("c1", "INV-7", "1")
    money = [MoneyRow("c1", "SaaS", "arithmetic", "s", "d", "5000.00", "USD", "open", "INV-7", line),
             MoneyRow("c1", "SaaS", "price_above_agreed", "s", "d", "5000.00", "USD", "open", "INV-7", line),
             MoneyRow("c1", "SaaS", "sla_breach", "credit", "d", "1550.00", "USD", "owed", "2026-10")]
    report = build("procurement", date(2026, 12, 6), contracts=1, renewals=[], overdue=[], money=money,
                   amendments=[])
    assert report.totals["invoice_findings_at_stake"] == {"USD": "5000.00"}
    assert report.totals["credits_owed"] == {"USD": "1550.00"}
