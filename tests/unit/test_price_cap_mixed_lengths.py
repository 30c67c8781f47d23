"""A price cap over renewal lengths that mix terms shorter than a year with longer ones (month-to-month
renewals amended to yearly terms after some monthly terms ran): counted as the cap's clause says it
applies, once each renewal term begun whatever its length, or once a year (12-month steps from the
initial term's end, never a monthly term as a year); a clause that says neither leaves the count not
known, and the fee's lines are then told not checked, with why (before: not priced, nothing said)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausewatch.dates import Duration
from clausewatch.money.amended_fees import AddedFee
from clausewatch.money.cap_cadence import ANNIVERSARY, TERM, YEAR, cap_cadence
from clausewatch.money.invoices import (
    ContractMoney,
    NotPriced,
    check_invoice,
    contract_fee_expected,
    renewal_terms_begun,
)
from clausewatch.plan import EarlierValue
from tests.unit.test_price_cap_count import FEES, _invoice, _over

# the initial term ends 2027-12-31; month-to-month renewals until an amendment makes the terms beginning
# on or after 2028-06-01 one year long: five monthly terms ran (2028-01-01 .. 2028-05-01), then 2028-06-01
MONTHLY_THEN_YEARLY = (EarlierValue(Duration.parse("P1M"), date(2028, 6, 1), "amd.pdf"),)
PER_RENEWAL = "Provider may increase the Fees upon each renewal by no more than three percent (3%)."
ANNUALLY = "Provider may increase the Fees by no more than three percent (3%) annually."
TWELVE_MONTHS = "Provider may increase the Fees no more than once in any twelve (12) month period, by at most 3%."
NEITHER = "Provider may increase the Fees by no more than three percent (3%)."


def _terms(cap_text: str, **more) -> ContractMoney:
    return ContractMoney(fees=FEES, price_increase_cap="3%", cap_evidence={"text": cap_text, "page": 3},
                         expiration=date(2027, 12, 31), renewal_term="P1Y", renewal_earlier=MONTHLY_THEN_YEARLY,
                         **more)


@pytest.mark.parametrize(("text", "per"), [
    (PER_RENEWAL, TERM),
    ("Fees for each Renewal Term shall not increase by more than 3%.", TERM),
    ("Upon renewal, Provider may increase the Fees by up to 3%.", TERM),
    (ANNUALLY, YEAR),
    (TWELVE_MONTHS, YEAR),
    ("Fees may increase by no more than 3% per year.", YEAR),
    ("Fees may increase on each anniversary by no more than 3%.", YEAR),
    (NEITHER, None),
    ("Upon each renewal, Provider may increase the Fees by no more than 3% per year.", None),  # both: not exact
    ("Provider may increase the Fees by no more than 3% per calendar year.", None),  # not 12-month steps
    # counted from the day named, in the initial term too (was: None, or yearly from the initial term's end)
    ("Fees may increase by 3% on each anniversary of the Effective Date.", ANNIVERSARY),
    ("Fees may increase by 3% on each anniversary of the Order Form.", ANNIVERSARY),
    ("Fees for a one year renewal term may increase by no more than 3%.", None),  # a term's length, not a cadence
    # a notice period is not a cadence (was: "a year" read as yearly, so both, not known)
    ("Upon each renewal Provider may increase the Fees by no more than 3% on not less than a year's notice.", TERM),
    ("Fees may increase by no more than three percent (3%) a year.", YEAR),
    ("Provider may increase the Fees once a year by no more than 3%.", YEAR),
    ("Provider may increase the Fees at most once in a twelve (12) month period, by no more than 3%.", YEAR),
])
def test_how_often_the_cap_applies_is_read_from_its_clause(text, per):
    cadence = cap_cadence({"text": text})
    assert (cadence.per if cadence else None) == per


def test_a_cap_per_renewal_term_counts_each_term_begun_whatever_its_length():
    terms = _terms(PER_RENEWAL)
    # five monthly terms and the first yearly one begun by March 2029: 10,000 x 1.03^6 = 11,940.52
    assert _over("11940.52", date(2029, 3, 1), date(2029, 3, 31), terms) is None
    [over] = check_invoice(_invoice("11950.00", date(2029, 3, 1), date(2029, 3, 31)), terms)
    assert over.kind == "price_above_agreed" and over.at_stake.amount == Decimal("9.48")
    assert over.derivation.startswith(
        "6 renewal term(s) begun by 2029-03-01: 2028-01-01, 2028-02-01, 2028-03-01, 2028-04-01, 2028-05-01, "
        "2028-06-01 (expiration_date 2027-12-31 renewed 5 x P1M")
    assert "the cap applies 'upon each renewal': one increase each renewal term, whatever its length); " \
           "allowed 10,000.00 x (1 + 3%)^6 = 11,940.52" in over.derivation
    assert over.evidence == terms.cap_evidence


@pytest.mark.parametrize("text", [ANNUALLY, TWELVE_MONTHS])
def test_a_cap_stated_yearly_counts_the_years_begun_never_a_monthly_term_as_a_year(text):
    terms = _terms(text)
    # the years begun since the initial term's end by March 2029: 2028-01-01 and 2029-01-01 (not six terms)
    assert _over("10609.00", date(2029, 3, 1), date(2029, 3, 31), terms) is None
    [over] = check_invoice(_invoice("10700.00", date(2029, 3, 1), date(2029, 3, 31)), terms)
    assert over.at_stake.amount == Decimal("91.00")
    assert over.derivation.startswith(
        "2 year(s) begun by 2029-03-01: 2028-01-01, 2029-01-01 (years after the initial term end 2027-12-31; renewal "
        "terms of P1M for terms beginning before 2028-06-01, then P1Y (amd.pdf): the cap applies ")
    assert "one increase a year); allowed 10,000.00 x (1 + 3%)^2 = 10,609.00" in over.derivation


def test_a_repriced_fee_under_a_yearly_cap_counts_the_years_begun_since_its_day():
    terms = _terms(ANNUALLY, fees_since=date(2028, 3, 1))
    counted = renewal_terms_begun(date(2029, 3, 1), terms.expiration, "P1Y", MONTHLY_THEN_YEARLY, date(2028, 3, 1),
                                  cap_cadence(terms.cap_evidence))
    assert counted is not None and counted[0] == 1
    assert counted[1].startswith("1 year(s) begun since 2028-03-01 by 2029-03-01: 2029-01-01 (")


@pytest.mark.parametrize("text", [NEITHER, "Upon each renewal, Provider may increase the Fees by no more than 3% "
                                           "per year."])
def test_a_cap_that_says_neither_leaves_the_fee_not_checked_and_says_why(text):
    terms = _terms(text)
    # between the years' reading (10,609.00) and the terms' (11,940.52): not known
    [told] = check_invoice(_invoice("11000.00", date(2029, 3, 1), date(2029, 3, 31)), terms)  # before: [] (silent)
    assert told.kind == "not_checked" and told.at_stake is None and told.line_id == "1"
    assert told.summary == ("line 1 (Service Fees) not priced: the renewal lengths mix terms shorter than a year with "
                            "longer ones, and the cap on increases (3%) says neither once each renewal term nor once a "
                            "year")
    assert "the renewal lengths mix terms shorter than a year with longer ones (P1M for terms beginning before " \
           "2028-06-01, then P1Y (amd.pdf)), and the cap on increases, 3% (" in told.derivation
    assert "how many increases it allows by 2029-03-31 is not known" in told.derivation
    assert told.derivation.endswith("check the amount by hand") and told.evidence == terms.cap_evidence


def test_a_per_unit_fee_under_mixed_lengths_and_a_cap_that_says_neither_is_told_not_checked():
    fees = {"amount": "8000.00", "currency": "USD", "period": "month", "name": "Subscription Fees",
            "unit": "User", "unit_price": "80.00", "quantity": 100}
    terms = ContractMoney(**{**_terms(NEITHER).__dict__, "fees": fees})
    invoice = _invoice("9000.00", date(2029, 3, 1), date(2029, 3, 31), "Subscription Fees Users")
    line = invoice.lines[0]
    invoice = type(invoice)(**{**invoice.__dict__, "lines": (type(line)(**{**line.__dict__, "quantity": Decimal(100),
                                                                          "unit_price": Decimal("90.00")}),)})
    [told] = check_invoice(invoice, terms)
    assert told.kind == "not_checked" and told.line_id == "1" and "renewal lengths mix" in told.summary


def test_an_added_fee_under_mixed_lengths_names_them_when_the_cap_says_neither():
    support = {"amount": "1000.00", "currency": "USD", "period": "month", "name": "Premium Support",
               "evidence": {"text": "adds Premium Support", "document": "amend.pdf", "contract_id": "a1"}}
    terms = _terms("Provider may increase all Fees by no more than 3%.",
                   added_fees=(AddedFee(support, date(2027, 6, 1), "2027-06-01 (amend.pdf)"),))
    [told] = check_invoice(_invoice("1100.00", date(2029, 3, 1), date(2029, 3, 31), "Premium Support"), terms)
    assert told.kind == "not_checked" and "P1M for terms beginning before 2028-06-01, then P1Y" in told.derivation


# review 2026-12-07 (rv35a): the lengths counted are those of the terms that began by the period's last day
# (``plan.rolled_terms``), never the amendment's effective day; under "per renewal" each term begun counts,
# whatever its length, also when every term begun is a month

def test_a_cap_per_renewal_term_counts_the_monthly_terms_while_no_yearly_one_has_begun():
    terms = _terms(PER_RENEWAL)
    # May 2028: five monthly terms begun (2028-01-01 .. 2028-05-01), no yearly one: 10,000 x 1.03^5 = 11,592.74
    assert check_invoice(_invoice("10609.00", date(2028, 5, 1), date(2028, 5, 31)), terms) == []  # was: USD 309.00
    assert check_invoice(_invoice("11592.74", date(2028, 5, 1), date(2028, 5, 31)), terms) == []
    [over] = check_invoice(_invoice("11600.00", date(2028, 5, 1), date(2028, 5, 31)), terms)
    assert over.at_stake.amount == Decimal("7.26")
    assert over.derivation.startswith("5 renewal term(s) begun by 2028-05-01: 2028-01-01, 2028-02-01, 2028-03-01, "
                                      "2028-04-01, 2028-05-01 (expiration_date 2027-12-31 renewed 5 x P1M")


def test_a_month_to_month_contract_under_a_cap_per_renewal_term_counts_each_monthly_term():
    terms = ContractMoney(**{**_terms(PER_RENEWAL).__dict__, "renewal_term": "P1M", "renewal_earlier": ()})
    assert check_invoice(_invoice("11592.74", date(2028, 5, 1), date(2028, 5, 31)), terms) == []  # was: USD 1,292.74
    [over] = check_invoice(_invoice("11600.00", date(2028, 5, 1), date(2028, 5, 31)), terms)
    assert "5 renewal term(s) begun by 2028-05-01" in over.derivation
    assert "one increase each renewal term, whatever its length); allowed 10,000.00 x (1 + 3%)^5" in over.derivation


def test_a_month_to_month_contract_under_a_cap_that_says_neither_is_told_not_checked():
    terms = ContractMoney(**{**_terms(NEITHER).__dict__, "renewal_term": "P1M", "renewal_earlier": ()})
    [told] = check_invoice(_invoice("10609.00", date(2028, 5, 1), date(2028, 5, 31)), terms)  # was: USD 309.00
    assert told.kind == "not_checked" and told.at_stake is None
    assert told.summary.startswith("line 1 (Service Fees) not priced: the renewal terms begun are shorter than a year")
    assert "(P1M), and the cap on increases, 3% (" in told.derivation
    assert "the years begun could allow too few, the terms begun too many" in told.derivation


MID_MONTH = (EarlierValue(Duration.parse("P1M"), date(2028, 5, 15), "amd.pdf"),)


def test_the_lengths_counted_are_the_terms_begun_not_the_amendments_effective_day():
    # the amendment takes effect 2028-05-15: the term beginning 2028-05-01 is still monthly, the first yearly
    # one begins 2028-06-01
    per_renewal = ContractMoney(**{**_terms(PER_RENEWAL).__dict__, "renewal_earlier": MID_MONTH})
    assert check_invoice(_invoice("11255.09", date(2028, 4, 1), date(2028, 4, 30)), per_renewal) == []  # was: 955.09
    neither = ContractMoney(**{**_terms(NEITHER).__dict__, "renewal_earlier": MID_MONTH})
    [told] = check_invoice(_invoice("10500.00", date(2028, 5, 1), date(2028, 5, 31)), neither)
    # was: "the renewal lengths mix ...", though no yearly term had begun by 2028-05-31
    assert "the renewal terms begun are shorter than a year (P1M for terms beginning before 2028-05-15)" \
           in told.derivation and "mix" not in told.derivation


def test_an_added_fee_under_a_cap_per_renewal_counts_the_monthly_terms_begun_since_it_was_agreed():
    support = {"amount": "1000.00", "currency": "USD", "period": "month", "name": "Premium Support",
               "evidence": {"text": "adds Premium Support", "document": "amend.pdf", "contract_id": "a1"}}
    terms = _terms("Provider may increase all Fees upon each renewal by no more than 3%.",
                   added_fees=(AddedFee(support, date(2027, 6, 1), "2027-06-01 (amend.pdf)"),))
    # five monthly terms begun by May 2028: 1,000 x 1.03^5 = 1,159.27 (was: one year, 1,030.00: USD 30.90 claimed)
    fine = check_invoice(_invoice("1159.27", date(2028, 5, 1), date(2028, 5, 31), "Premium Support"), terms)
    assert [f for f in fine if f.kind != "not_checked"] == []
    over = [f for f in check_invoice(_invoice("1160.00", date(2028, 5, 1), date(2028, 5, 31), "Premium Support"), terms)
            if f.kind == "price_above_agreed"]
    assert [f.at_stake.amount for f in over] == [Decimal("0.73")]


def test_a_period_across_the_first_yearly_term_is_priced_by_the_terms_begun_by_its_last_day():
    # 2028-05-15 to 2028-06-14: the yearly term beginning 2028-06-01 is the sixth term begun
    per_renewal = _terms(PER_RENEWAL)
    assert check_invoice(_invoice("11940.52", date(2028, 5, 15), date(2028, 6, 14)), per_renewal) == []
    [over] = check_invoice(_invoice("11950.00", date(2028, 5, 15), date(2028, 6, 14)), per_renewal)
    assert over.at_stake.amount == Decimal("9.48") and "runs into a later term, priced by it: 6 renewal term(s)" \
        in over.derivation
    [told] = check_invoice(_invoice("11940.52", date(2028, 5, 15), date(2028, 6, 14)), _terms(NEITHER))
    assert told.kind == "not_checked" and "how many increases it allows by 2028-06-14 is not known" in told.derivation
    assert "(P1M for terms beginning before 2028-06-01, then P1Y (amd.pdf))" in told.derivation


def test_a_cap_stated_yearly_over_two_year_terms_counts_the_years_begun():
    terms = ContractMoney(**{**_terms(ANNUALLY).__dict__, "renewal_term": "P2Y", "renewal_earlier": ()})
    # one two-year term begun by March 2029, but two years: 10,000 x 1.03^2 = 10,609.00 (was: one, USD 309.00)
    assert check_invoice(_invoice("10609.00", date(2029, 3, 1), date(2029, 3, 31)), terms) == []
    [over] = check_invoice(_invoice("10700.00", date(2029, 3, 1), date(2029, 3, 31)), terms)
    assert over.derivation.startswith("2 year(s) begun by 2029-03-01: 2028-01-01, 2029-01-01 (years after the initial "
                                      "term end 2027-12-31; renewal terms of P2Y: the cap applies 'annually'")


def test_an_index_cap_over_mixed_lengths_says_why_the_terms_are_not_counted():
    terms = ContractMoney(**{**_terms("Provider may increase the Fees by no more than the CPI.").__dict__,
                             "price_increase_cap": "CPI"})
    expected = contract_fee_expected(_invoice("10000.00", date(2029, 3, 1), date(2029, 3, 31)), terms)
    assert isinstance(expected, NotPriced)
    # was: "the term's end or its renewal period was not read", though both were
    assert "was not read" not in expected.why
    assert expected.why.startswith("the renewal lengths mix terms shorter than a year with longer ones (P1M for terms "
                                   "beginning before 2028-06-01, then P1Y (amd.pdf)), and the cap on increases, CPI (")


def test_a_yearly_cap_names_the_lengths_of_the_terms_begun():
    [over] = check_invoice(_invoice("10700.00", date(2028, 5, 1), date(2028, 5, 31)), _terms(ANNUALLY))
    # was: "renewal terms of P1Y", the length in force today, though every term begun was a month
    assert "(years after the initial term end 2027-12-31; renewal terms of P1M for terms beginning before 2028-06-01: " \
           "the cap applies 'annually': one increase a year)" in over.derivation
