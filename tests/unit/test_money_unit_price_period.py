"""A fee per unit a period ("USD 744 per Authorized User per year") on an invoice for another number
of months (money/invoices.py): priced for the months billed, rounded once to the cent; a line that
counts time, not the fee's units, is not priced (was: a quarter's 186.00 a user passed whatever it
was, two years' 1,488.00 and one 'ANN' line of 186,000.00 were told hundreds of thousands over)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausewatch.money.amounts import Money
from clausewatch.money.invoices import ContractMoney, Invoice, InvoiceLine, check_invoice

PER_USER = {"amount": "744.00", "currency": "USD", "period": "year", "name": "Subscription Fees",
            "unit": "Authorized User", "unit_price": "744.00", "quantity": 250, "quantity_unit": "Authorized Users"}
TERMS = ContractMoney(fees=PER_USER, expiration=date(2028, 12, 31), renewal_term="P12M", price_increase_cap="5%")


def _invoice(quantity: str, price: str, amount: str, start: date | None, end: date | None, unit: str = "C62",
             terms_billing: str | None = None) -> Invoice:
    line = InvoiceLine("1", "Subscription Fees - Authorized Users", Decimal(quantity), Decimal(price), Decimal(amount),
                       unit)
    return Invoice("INV-1", start or date(2027, 1, 1), "USD", None, (line,), Decimal(amount), start, end)


@pytest.mark.parametrize(("invoice", "at_stake", "says"), [
    # a quarter of 744.00 a year is 186.00 a user: 200.00 is 14.00 x 250 over (was: no finding, below 744.00)
    (_invoice("250", "200.00", "50000.00", date(2027, 1, 1), date(2027, 3, 31)), "3500.00",
     "744.00 x 250 Authorized User x 3/12 months = 46,500.00; charged 50,000.00 > 46,500.00"),
    (_invoice("250", "186.00", "46500.00", date(2027, 1, 1), date(2027, 3, 31)), None, None),
    # two years paid at once: 1,488.00 a user is as agreed (was: USD 186,000.00 "over")
    (_invoice("250", "1488.00", "372000.00", date(2027, 1, 1), date(2028, 12, 31)), None, None),
])
def test_a_per_user_rate_a_year_is_priced_for_the_months_the_invoice_covers(invoice, at_stake, says):
    findings = check_invoice(invoice, TERMS)
    assert [(f.kind, f.at_stake) for f in findings] == (
        [("price_above_agreed", Money(Decimal(at_stake), "USD"))] if at_stake else [])
    if says:
        assert says in findings[0].derivation


def test_a_monthly_share_is_rounded_once_so_a_supplier_four_decimal_price_is_as_agreed():
    fees = {**PER_USER, "amount": "1000.00", "unit_price": "1000.00"}
    terms = ContractMoney(fees=fees, expiration=date(2028, 12, 31), renewal_term="P12M")
    # 1,000.00 x 250 / 12 = 20,833.33: 83.3333 a user is as agreed (a unit rate rounded to 83.33 would say 0.83 over)
    assert check_invoice(_invoice("250", "83.3333", "20833.33", date(2027, 1, 1), date(2027, 1, 31)), terms) == []
    [over] = check_invoice(_invoice("250", "83.34", "20835.00", date(2027, 1, 1), date(2027, 1, 31)), terms)
    assert over.at_stake == Money(Decimal("1.67"), "USD")


def test_a_per_user_fee_billed_as_one_line_in_years_is_not_priced_and_says_why():
    [finding] = check_invoice(_invoice("1", "186000.00", "186000.00", date(2027, 1, 1), date(2027, 12, 31),
                                       unit="ANN"), TERMS)
    assert (finding.kind, finding.at_stake) == ("not_checked", None)  # was: USD 185,256.00 "above agreed"
    assert "its quantity counts ANN (time), not Authorized Users" in finding.summary


def test_without_a_period_the_months_are_how_the_fees_are_invoiced():
    terms = ContractMoney(fees={**PER_USER, "billing": "quarterly in advance"}, expiration=date(2028, 12, 31),
                          renewal_term="P12M")
    [over] = check_invoice(_invoice("250", "200.00", "50000.00", None, None), terms)
    assert over.at_stake == Money(Decimal("3500.00"), "USD")
    assert "x 3/12 months (the invoice states no period; the fees are invoiced quarterly in advance)" in \
        over.derivation


def _adjusted(quantity: str, price: str, adjustments: str, amount: str) -> Invoice:
    line = InvoiceLine("1", "Subscription Fees - Authorized Users", Decimal(quantity), Decimal(price), Decimal(amount),
                       "C62", Decimal(adjustments))
    return Invoice("INV-1", date(2027, 1, 1), "USD", None, (line,), Decimal(amount), date(2027, 1, 1),
                   date(2027, 12, 31))


def test_a_per_unit_lines_own_surcharge_is_an_overcharge_of_its_net_amount():
    # 250 x 744.00 + a line charge of 5,000.00 = 191,000.00 (was: no finding, the unit price 744.00 is the agreed)
    [finding] = check_invoice(_adjusted("250", "744.00", "5000.00", "191000.00"), TERMS)
    assert (finding.kind, finding.at_stake) == ("price_above_agreed", Money(Decimal("5000.00"), "USD"))
    assert "744.00 x 250 Authorized User = 186,000.00; charged 191,000.00 > 186,000.00" in finding.derivation
    assert "250 x 744.00 + 5,000.00 the line's charges less allowances" in finding.summary


def test_a_per_unit_line_discounted_below_the_agreed_amount_is_no_overcharge():
    # 250 x 800.00 less a line allowance of 20,000.00 = 180,000.00 < 186,000.00 (was: USD 14,000.00 "above")
    assert check_invoice(_adjusted("250", "800.00", "-20000.00", "180000.00"), TERMS) == []
    # a discount that still leaves the line above the agreed amount: over by the net difference
    [finding] = check_invoice(_adjusted("250", "800.00", "-10000.00", "190000.00"), TERMS)
    assert finding.at_stake == Money(Decimal("4000.00"), "USD")


MONTHLY = ContractMoney(fees={**PER_USER, "amount": "10.00", "unit_price": "10.00", "period": "month"},
                        expiration=date(2028, 12, 31), renewal_term="P12M")


@pytest.mark.parametrize(("quantity", "price", "kind", "at_stake"), [
    # 750 may be users (10.00 x 750 x 3 = 22,500.00) or user-months (7,500.00): 9,000.00 is over by one reading
    # only (was: no finding, any unit price up to 30.00 passed)
    ("750", "12.00", "not_checked", None),
    ("750", "10.00", None, None),  # as agreed by both readings
    ("750", "31.00", "price_above_agreed", "750.00"),  # over by both: at stake the smaller, 23,250 - 22,500
    ("250", "30.00", None, None),  # the 250 users the contract includes, for three months
    # 260 at exactly the quarter's 30.00 a user counts users (review rv10: was not_checked, "5,200.00 over")
    ("260", "30.00", None, None),
    ("260", "29.00", "not_checked", None),  # below the users' reading, above the user-months': not known
    # 750 = the 250 included x 3 months at the quarter's price: may be user-months billed at three times the rate
    ("750", "30.00", "not_checked", None),
])
def test_a_quarter_of_a_monthly_per_unit_rate_prices_both_readings_of_the_quantity(quantity, price, kind, at_stake):
    amount = str(Decimal(quantity) * Decimal(price))
    findings = check_invoice(_invoice(quantity, price, amount, date(2027, 1, 1), date(2027, 3, 31)), MONTHLY)
    assert [(f.kind, f.at_stake) for f in findings] == (
        [(kind, Money(Decimal(at_stake), "USD") if at_stake else None)] if kind else [])
    if kind == "not_checked":
        assert f"whether its quantity {quantity} counts Authorized Users or Authorized User-months" in \
            findings[0].summary


def test_an_included_quantity_that_is_not_a_number_leaves_both_readings():
    fees = {**PER_USER, "amount": "10.00", "unit_price": "10.00", "period": "month", "quantity": "two hundred fifty"}
    terms = ContractMoney(fees=fees, expiration=date(2028, 12, 31), renewal_term="P12M")
    [finding] = check_invoice(_invoice("250", "20.00", "5000.00", date(2027, 1, 1), date(2027, 3, 31)), terms)
    assert (finding.kind, finding.at_stake) == ("not_checked", None)  # never a crash, never a guess


@pytest.mark.parametrize(("quantity", "price", "kind", "at_stake"), [
    # a quarter of 744.00 a user a year: 750 may be users (744.00 x 750 x 3/12 = 139,500.00) or user-months
    # (744.00 x 750 / 12 = 46,500.00): 52,500.00 is over by the second reading only (was: no finding, priced
    # as users alone, though 70.00 a user-month is 8.00 above the 62.00 agreed)
    ("750", "70.00", "not_checked", None),
    ("750", "62.00", None, None),  # as agreed by both readings
    ("750", "190.00", "price_above_agreed", "3000.00"),  # over by both: at stake the smaller, 142,500 - 139,500
    ("250", "186.00", None, None),  # the 250 users the contract includes, for the quarter
    ("250", "190.00", "price_above_agreed", "1000.00"),
    # seats moved from the 250 included, billed at exactly the quarter's 186.00 a user: users, as agreed (review
    # rv10: every such quarterly invoice was not_checked)
    ("260", "186.00", None, None),
    ("1000", "186.00", None, None),
    ("750", "186.00", "not_checked", None),  # 250 x 3: may be 750 user-months at three times the 62.00 agreed
])
def test_a_quarter_of_a_yearly_per_unit_rate_prices_both_readings_of_the_quantity(quantity, price, kind, at_stake):
    amount = str(Decimal(quantity) * Decimal(price))
    findings = check_invoice(_invoice(quantity, price, amount, date(2027, 1, 1), date(2027, 3, 31)), TERMS)
    assert [(f.kind, f.at_stake) for f in findings] == (
        [(kind, Money(Decimal(at_stake), "USD") if at_stake else None)] if kind else [])
    if kind == "not_checked":
        assert "whether its quantity 750 counts Authorized Users or Authorized User-months" in findings[0].summary
    if (quantity, price) == ("750", "70.00"):
        assert ("as 750 Authorized Users for 3 months, 744.00 x 750 Authorized User x 3/12 months = 139,500.00, "
                "as agreed; as 750 Authorized User-months, 744.00 x 750 / 12 = 46,500.00, 6,000.00 over") \
            in findings[0].derivation


def test_a_month_of_a_yearly_per_unit_rate_has_one_reading():
    # one month billed: 260 users or 260 user-months are the same 744.00 x 260 / 12 = 16,120.00
    assert check_invoice(_invoice("260", "62.00", "16120.00", date(2027, 1, 1), date(2027, 1, 31)), TERMS) == []
    [over] = check_invoice(_invoice("260", "63.00", "16380.00", date(2027, 1, 1), date(2027, 1, 31)), TERMS)
    assert (over.kind, over.at_stake) == ("price_above_agreed", Money(Decimal("260.00"), "USD"))
