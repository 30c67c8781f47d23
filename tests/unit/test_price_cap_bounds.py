"""A price cap whose count of increases is not exact, priced by bounds instead of left unchecked
(review of hcap's doubts): a clause that says neither once each renewal term nor once a year over
terms shorter than a year is read both ways (the years begun, the terms begun): at or under the lower
limit no finding, above the higher an over-charge measured against the higher (both readings in the
derivation), between not checked naming both. A cap "on each anniversary of the Effective Date" counts
the anniversaries of the effective date read, in a multi-year initial term too; of a day not read,
the agreed rate is the only limit known (above it: not checked, never a false over-charge)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clausewatch.money.invoices import ContractMoney, check_invoice
from tests.unit.test_price_cap_count import FEES, _invoice
from tests.unit.test_price_cap_mixed_lengths import NEITHER, _terms

# month-to-month after the initial term ending 2027-12-31: five monthly terms begun by May 2028, one year
MONTHLY = ContractMoney(**{**_terms(NEITHER).__dict__, "renewal_term": "P1M", "renewal_earlier": ()})
MAY = (date(2028, 5, 1), date(2028, 5, 31))


def test_a_month_to_month_charge_at_or_under_the_years_reading_has_no_finding():
    assert check_invoice(_invoice("10000.00", *MAY), MONTHLY) == []  # was: not_checked at the agreed price
    assert check_invoice(_invoice("10300.00", *MAY), MONTHLY) == []  # one year begun: 10,000 x 1.03


def test_a_month_to_month_charge_above_the_terms_reading_is_over_against_the_higher_limit():
    # five terms begun: 10,000 x 1.03^5 = 11,592.74 (was: not checked)
    [over] = check_invoice(_invoice("11600.00", *MAY), MONTHLY)
    assert over.kind == "price_above_agreed" and over.at_stake.amount == Decimal("7.26")
    assert "says neither once each renewal term nor once a year: read once a year, 1 year(s) begun by 2028-05-01: " \
           "2028-01-01 (" in over.derivation
    assert "allowed 10,000.00 x (1 + 3%)^1 = 10,300.00; read once each renewal term, the higher, used: 5 renewal " \
           "term(s) begun by 2028-05-01" in over.derivation
    assert over.derivation.endswith("allowed 10,000.00 x (1 + 3%)^5 = 11,592.74; charged 11,600.00 > 11,592.74")


def test_a_month_to_month_charge_between_the_readings_is_not_checked_naming_both_limits():
    [told] = check_invoice(_invoice("10609.00", *MAY), MONTHLY)
    assert told.kind == "not_checked" and told.at_stake is None
    assert "charged 10,609.00: above contract fee 10,300.00 (" in told.derivation
    assert "at or under contract fee 11,592.74 (" in told.derivation


def test_mixed_lengths_under_a_cap_that_says_neither_are_bounded_too():
    terms = _terms(NEITHER)
    # by March 2029: two years begun (10,609.00), six terms (11,940.52)
    assert check_invoice(_invoice("10609.00", date(2029, 3, 1), date(2029, 3, 31)), terms) == []  # was: not_checked
    [over] = check_invoice(_invoice("12000.00", date(2029, 3, 1), date(2029, 3, 31)), terms)
    assert over.kind == "price_above_agreed" and over.at_stake.amount == Decimal("59.48")


def test_a_per_unit_fee_is_bounded_line_by_line():
    fees = {"amount": "8000.00", "currency": "USD", "period": "month", "name": "Subscription Fees",
            "unit": "User", "unit_price": "80.00", "quantity": 100}
    terms = ContractMoney(**{**MONTHLY.__dict__, "fees": fees})

    def at(price: str):
        invoice = _invoice(str(Decimal(price) * 100), *MAY, "Subscription Fees Users")
        line = invoice.lines[0]
        line = type(line)(**{**line.__dict__, "quantity": Decimal(100), "unit_price": Decimal(price)})
        return check_invoice(type(invoice)(**{**invoice.__dict__, "lines": (line,)}), terms)

    assert at("82.40") == []  # 80 x 1.03, one year begun (was: not checked)
    [between] = at("85.00")
    assert between.kind == "not_checked"
    [over] = at("95.00")  # five terms: 80 x 1.03^5 = 92.74
    assert over.kind == "price_above_agreed" and over.at_stake.amount == Decimal("226.00")


# a three-year initial term from 2025-01-01 to 2027-12-31
ANNIVERSARY = ContractMoney(fees=FEES, price_increase_cap="3%", expiration=date(2027, 12, 31), renewal_term="P1Y",
                            cap_evidence={"text": "Fees may increase by no more than 3% on each anniversary of the "
                                                  "Effective Date.", "page": 3},
                            effective_date=date(2025, 1, 1))


def test_an_anniversary_cap_counts_the_anniversaries_of_the_effective_date_in_the_initial_term():
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert check_invoice(_invoice("10300.00", *march), ANNIVERSARY) == []  # was: USD 300.00 over-charged
    [over] = check_invoice(_invoice("10400.00", *march), ANNIVERSARY)
    assert over.at_stake.amount == Decimal("100.00")
    assert over.derivation.startswith("1 anniversary(ies) of the effective date 2025-01-01 by 2026-03-01: "
                                      "2026-01-01 (the cap applies 'anniversary of the Effective Date': one increase "
                                      "each anniversary, in the initial term too); allowed 10,000.00 x (1 + 3%)^1")
    # after the initial term: four anniversaries by March 2029
    assert check_invoice(_invoice("11255.09", date(2029, 3, 1), date(2029, 3, 31)), ANNIVERSARY) == []


def test_an_anniversary_of_a_day_not_read_is_not_checked_above_the_agreed_rate():
    order_form = ContractMoney(**{**ANNIVERSARY.__dict__, "cap_evidence": {
        "text": "Fees may increase by no more than 3% on each anniversary of the Order Form.", "page": 3}})
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert check_invoice(_invoice("10000.00", *march), order_form) == []
    [told] = check_invoice(_invoice("10300.00", *march), order_form)  # was: USD 300.00 over-charged
    assert told.kind == "not_checked" and told.at_stake is None
    assert told.summary == ("line 1 (Service Fees) not priced: the cap on increases (3%) applies on each anniversary "
                            "of the Order Form, whose day is not read")
    assert "the Order Form is not a date read" in told.derivation
    unread = ContractMoney(**{**ANNIVERSARY.__dict__, "effective_date": None})
    [told] = check_invoice(_invoice("10300.00", *march), unread)
    assert told.kind == "not_checked" and "the contract's effective date was not read" in told.derivation


def test_a_bare_anniversary_cap_counts_the_effective_dates_anniversaries_in_the_initial_term():
    bare = ContractMoney(**{**ANNIVERSARY.__dict__, "cap_evidence": {
        "text": "Fees may increase on each anniversary by no more than 3%.", "page": 3}})
    march = (date(2026, 3, 1), date(2026, 3, 31))
    assert check_invoice(_invoice("10300.00", *march), bare) == []  # was: USD 300.00 over-charged
    [over] = check_invoice(_invoice("10400.00", *march), bare)
    assert over.derivation.startswith("1 anniversary(ies) of the effective date 2025-01-01 by 2026-03-01: 2026-01-01")
    [told] = check_invoice(_invoice("10300.00", *march), ContractMoney(**{**bare.__dict__, "effective_date": None}))
    assert told.kind == "not_checked" and "the contract's effective date was not read" in told.derivation
    # after the initial term: still the effective date's anniversaries (three by March 2028, never fewer than
    # in December 2027); not read, the years since its end, as before (one)
    assert check_invoice(_invoice("10927.27", date(2028, 3, 1), date(2028, 3, 31)), bare) == []
    unread = ContractMoney(**{**bare.__dict__, "effective_date": None})
    [over] = check_invoice(_invoice("10400.00", date(2028, 3, 1), date(2028, 3, 31)), unread)
    assert over.at_stake.amount == Decimal("100.00")
