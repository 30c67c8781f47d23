"""A line's tax words never silence a check: only a line that is wholly a tax ("VAT 20%", "Sales Tax - CA",
"VAT 20% on Subscription Fees") is set aside; every other line is priced as before, and when lines are set aside
as tax and none is priced, the contract's fee is told not checked, never nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausewatch.money.amounts import Money
from clausewatch.money.invoices import ContractMoney, Invoice, InvoiceLine, check_invoice, parse_invoice
from clausewatch.money.taxes import is_tax_line

CLAUSE = {"text": "Subscription Fees: USD 5,000 per month.", "page": 1}


def _terms(name: str = "Subscription Fees") -> ContractMoney:
    return ContractMoney(fees={"amount": "5000.00", "currency": "USD", "period": "month", "name": name},
                         fees_evidence=CLAUSE, expiration=date(2027, 12, 31), renewal_term="P12M")


def _invoice(*lines: tuple[str, str]) -> Invoice:
    every = tuple(InvoiceLine(str(i + 1), d, Decimal(1), Decimal(a), Decimal(a)) for i, (d, a) in enumerate(lines))
    return Invoice("INV-1", date(2026, 11, 30), "USD", None, every, sum((li.amount for li in every), Decimal(0)),
                   date(2026, 11, 1), date(2026, 11, 30))


def _told(findings) -> list[tuple[str, Money | None]]:
    return [(f.kind, f.at_stake) for f in findings]


OVER_1000 = [("price_above_agreed", Money(Decimal("1000.00"), "USD"))]


@pytest.mark.parametrize("description", [
    "Tax advisory services", "VAT registration service", "Tax preparation", "GST return filing",
    "Sales tax compliance", "Tax-Filing Module",  # was: nothing (read as a tax line)
    "Subscription Fees - VAT", "Subscription Fees: VAT 20%", "Subscription Fees - Tax", "Monthly services - GST"])
def test_a_lone_line_with_tax_words_is_priced_as_the_fee(description):
    assert not is_tax_line(description, ("Subscription Fees",))
    assert _told(check_invoice(_invoice((description, "6000.00")), _terms())) == OVER_1000


@pytest.mark.parametrize(("fee", "description"), [
    ("Tax Filing Fees", "Tax filing - Nov 2026"), ("Tax Filing Fees", "Tax advisory - November"),
    ("Tax Filing Fees", "Sales tax software")])
def test_a_tax_word_on_the_line_of_a_fee_named_with_it_does_not_unprice_it(fee, description):
    # was: not checked ("names a tax or the Tax Filing Fees")
    assert _told(check_invoice(_invoice((description, "6000.00")), _terms(fee))) == OVER_1000


@pytest.mark.parametrize("lines", [
    (("Implementation services", "8000.00"), ("VAT 20%", "1600.00")),  # was: 3,000.00 over (8,000 as the fee)
    (("Professional services", "6000.00"), ("Tax advisory services", "500.00")),  # was: 1,000.00 over
    (("VAT 20%", "1200.00"),)])
def test_a_line_set_aside_as_tax_never_makes_another_the_fees_nor_leaves_nothing(lines):
    [told] = check_invoice(_invoice(*lines), _terms())
    assert (told.kind, told.at_stake) == ("not_checked", None)


@pytest.mark.parametrize("description", ["VAT", "VAT 20%", "VAT: 20%", "GST 10%", "Sales tax (8.25%)",
                                         "Sales Tax - CA", "VAT at standard rate", "VAT 20% on Subscription Fees"])
def test_a_line_wholly_a_tax_is_set_aside_beside_the_fee(description):
    assert is_tax_line(description, ("Subscription Fees",))
    assert _told(check_invoice(_invoice(("Subscription Fees", "6000.00"), (description, "1200.00")), _terms())) \
        == OVER_1000


def test_a_line_over_by_as_much_as_its_own_tax_is_over_charged():
    # was: not checked ("over by exactly the lines' own tax"): only words saying the amount includes tax do that
    invoice = parse_invoice("number,issue_date,currency,period_start,period_end,description,quantity,amount,vat\n"
                            "INV-2,2026-11-30,USD,2026-11-01,2026-11-30,Subscription Fees,1,6250.00,1250.00\n", "csv")
    assert _told(check_invoice(invoice, _terms())) == [("price_above_agreed", Money(Decimal("1250.00"), "USD"))]
