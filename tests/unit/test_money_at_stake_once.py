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


def test_a_verdict_on_lines_summed_counts_once_with_the_findings_of_those_lines():
    one, two, three = (("c1", "INV-7", n) for n in ("1", "2", "3"))
    # line 1 bills 50.00 beyond quantity x price; lines 1 + 2 summed are 50.00 above the fee: the same money
    assert at_stake_totals([("USD", "50.00", one), ("USD", "50.00", frozenset({one, two}))]) == {"USD": Decimal("50.00")}
    # their own findings more than the summed verdict: those; another line and a credit add up
    assert at_stake_totals([("USD", "30.00", one), ("USD", "40.00", two), ("USD", "50.00", frozenset({one, two})),
                            ("USD", "7.00", three), ("USD", "5.00", None)]) == {"USD": Decimal("82.00")}
    # two summed verdicts sharing a line: one sum of money
    assert at_stake_totals([("USD", "20.00", frozenset({one, two})), ("USD", "60.00", frozenset({two, three}))]) == \
        {"USD": Decimal("60.00")}


def test_the_apis_and_the_running_totals_count_a_verdict_on_lines_summed_once():
    from clausewatch.store.stake import _line_of, entry_of, sums_of

    items = [_finding("a", "arithmetic", "50.00", "1"), _finding("b", "price_above_agreed", "50.00", None)]
    items[1].detail = {"line_id": None, "line_ids": ["1", "2"]}
    assert finding_line(items[1]) == frozenset({("c1", "INV-7", "1"), ("c1", "INV-7", "2")})
    page = money_api._page(items, None)
    assert [(a.amount, a.currency) for a in page.total_at_stake] == [("50.00", "USD")]  # was 100.00
    entries = [entry_of(i, None) for i in items]
    assert (entries[1]["line"], entries[1]["lines"]) == (None, [["INV-7", "1"], ["INV-7", "2"]])
    assert _line_of(entries[1]) == frozenset({("INV-7", "1"), ("INV-7", "2")})
    sums, _ = sums_of(entries)
    assert sums[("*", "USD")] == (Decimal("50.00"), 2)
