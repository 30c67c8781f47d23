"""The renewal terms a price cap compounds over (QA q7: the count "rolls one length"): none in the
initial term, one step in the first renewal term, two in the second, a period across a term's end
priced by the later term, each term the renewal length in force when it began (an amendment's
new length only for the terms beginning after it took effect), and a fee an amendment re-priced
counted from the day it took effect. The derivation spells the count and the first day of each
term counted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausewatch.dates import Duration
from clausewatch.money.amended_fees import AddedFee
from clausewatch.money.amounts import Money
from clausewatch.money.cap_cadence import cap_cadence
from clausewatch.money.invoices import ContractMoney, Invoice, InvoiceLine, check_invoice, renewal_terms_begun
from clausewatch.plan import EarlierValue

FEES = {"amount": "10000.00", "currency": "USD", "period": "month", "name": "Service Fees"}
CAP = {"text": "Provider may increase the Fees upon each renewal by no more than three percent (3%).", "page": 3}
# a three-year initial term from 2025-03-01: it ends 2028-02-29; one-year renewal terms
TERMS = ContractMoney(fees=FEES, price_increase_cap="3%", cap_evidence=CAP, expiration=date(2028, 2, 29),
                      renewal_term="P1Y")


def _invoice(amount: str, start: date, end: date, description: str = "Service Fees") -> Invoice:
    line = InvoiceLine("1", description, Decimal(1), Decimal(amount), Decimal(amount))
    return Invoice("INV-1", end, "USD", None, (line,), Decimal(amount), period_start=start, period_end=end)


def _month_end(start: date) -> date:
    after = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date.fromordinal(after.toordinal() - 1)


def _over(amount: str, start: date, end: date, terms: ContractMoney = TERMS) -> Decimal | None:
    findings = [f for f in check_invoice(_invoice(amount, start, end), terms) if f.kind == "price_above_agreed"]
    return findings[0].at_stake.amount if findings else None


@pytest.mark.parametrize(("start", "end", "allowed"), [
    (date(2028, 2, 1), date(2028, 2, 29), "10000.00"),  # the initial term's last month: no increase
    (date(2028, 3, 1), date(2028, 3, 31), "10300.00"),  # the first renewal term's first month: one step
    (date(2029, 2, 1), date(2029, 2, 28), "10300.00"),  # its last month: still one
    (date(2029, 3, 1), date(2029, 3, 31), "10609.00"),  # the second renewal term: two steps
    (date(2030, 3, 1), date(2030, 3, 31), "10927.27"),  # the third: 10,000 x 1.03^3
])
def test_the_cap_compounds_once_per_renewal_term_begun(start, end, allowed):
    assert _over(allowed, start, end) is None
    assert _over(str(Decimal(allowed) + 1), start, end) == Decimal("1.00")


def test_the_derivation_spells_the_count_and_each_terms_first_day():
    [finding] = check_invoice(_invoice("10700.00", date(2029, 3, 1), date(2029, 3, 31)), TERMS)
    assert finding.at_stake == Money(Decimal("91.00"), "USD")
    assert finding.derivation.startswith("2 renewal term(s) begun by 2029-03-01: 2028-03-01, 2029-03-01 "
                                         "(expiration_date 2028-02-29 renewed 2 x P1Y -> 2030-02-28); "
                                         "allowed 10,000.00 x (1 + 3%)^2 = 10,609.00")
    assert finding.evidence == CAP


@pytest.mark.parametrize(("start", "end", "allowed"), [
    # two months, one of the initial term and one of the first renewal term: priced by the later, never overstating
    (date(2028, 2, 1), date(2028, 3, 31), "20600.00"),
    (date(2029, 2, 1), date(2029, 3, 31), "21218.00"),
])
def test_a_period_across_a_terms_end_is_priced_by_the_later_term(start, end, allowed):
    assert _over(allowed, start, end) is None
    [finding] = check_invoice(_invoice(str(Decimal(allowed) + 10), start, end), TERMS)
    assert finding.at_stake == Money(Decimal("10.00"), "USD") and "runs into a later term" in finding.derivation


# five one-year renewals from 2023-03-01; an amendment of 2027-10-01 makes the terms beginning from then two years
AMENDED_LENGTH = ContractMoney(fees=FEES, price_increase_cap="3%", cap_evidence=CAP, expiration=date(2023, 2, 28),
                               renewal_term="P2Y",
                               renewal_earlier=(EarlierValue(Duration(years=1), date(2027, 10, 1), "amend.pdf"),))


@pytest.mark.parametrize(("start", "count", "allowed"), [
    (date(2027, 11, 1), 5, "11592.74"),  # the fifth one-year term, begun 2027-03-01 (was 3: rolled at two years)
    (date(2028, 3, 1), 6, "11940.52"),  # the sixth, the first of two years
    (date(2029, 6, 1), 6, "11940.52"),  # still the sixth (was 4: a term from 2029-03-01 at one length)
    (date(2030, 3, 1), 7, "12298.74"),
])
def test_a_renewal_length_an_amendment_changed_counts_each_term_at_the_length_it_began_with(start, count, allowed):
    end = _month_end(start)
    k, said = renewal_terms_begun(start, AMENDED_LENGTH.expiration, "P2Y", AMENDED_LENGTH.renewal_earlier)
    assert k == count and said.startswith(f"{count} renewal term(s) begun by {start.isoformat()}: 2023-03-01, ")
    assert _over(allowed, start, end, AMENDED_LENGTH) is None
    assert _over(str(Decimal(allowed) + 1), start, end, AMENDED_LENGTH) == Decimal("1.00")


def test_renewal_lengths_that_cannot_be_read_count_no_term():
    unread = ContractMoney(fees=FEES, price_increase_cap="3%", expiration=date(2023, 2, 28), renewal_term="P2Y",
                           renewal_earlier=None)
    assert _over("20000.00", date(2028, 3, 1), date(2028, 3, 31), unread) is None  # no wrong value: not priced
    assert renewal_terms_begun(date(2028, 3, 1), date(2023, 2, 28), "P2Y", None) is None


# an amendment re-priced the fee to 12,000 a month from the first renewal term's first day
REPRICED = ContractMoney(fees={**FEES, "amount": "12000.00"}, fees_evidence={"text": "...", "document": "amd.pdf"},
                         price_increase_cap="3%", cap_evidence=CAP, expiration=date(2028, 2, 29), renewal_term="P1Y",
                         fees_since=date(2028, 3, 1))


@pytest.mark.parametrize(("terms", "start", "allowed"), [
    (REPRICED, date(2028, 3, 1), "12000.00"),  # the amended price is that term's: no step on it (was 12,360.00)
    (REPRICED, date(2029, 3, 1), "12360.00"),  # one renewal term begun since (was 12,730.80)
    (ContractMoney(**{**REPRICED.__dict__, "fees_since": date(2028, 6, 1)}), date(2028, 7, 1), "12000.00"),
    (ContractMoney(**{**REPRICED.__dict__, "fees_since": date(2028, 6, 1)}), date(2029, 3, 1), "12360.00"),
])
def test_a_fee_an_amendment_repriced_compounds_over_the_terms_begun_since_it_took_effect(terms, start, allowed):
    end = _month_end(start)
    assert _over(allowed, start, end, terms) is None
    assert _over(str(Decimal(allowed) + 1), start, end, terms) == Decimal("1.00")


def test_the_repriced_fees_derivation_names_the_day_and_the_amendment():
    [finding] = check_invoice(_invoice("12400.00", date(2029, 3, 1), date(2029, 3, 31)), REPRICED)
    assert finding.derivation.startswith("1 renewal term(s) begun since 2028-03-01 by 2029-03-01: 2029-03-01 (")
    assert "the fee as amd.pdf re-priced it from 2028-03-01; allowed 12,000.00 x (1 + 3%)^1 = 12,360.00" \
        in finding.derivation


def test_an_added_fee_counts_the_terms_begun_since_it_was_agreed_at_each_length():
    support = {"amount": "1000.00", "currency": "USD", "period": "month", "name": "Premium Support",
               "evidence": {"text": "adds Premium Support", "document": "amend.pdf", "contract_id": "a1"}}
    terms = ContractMoney(fees=FEES, price_increase_cap="3%",
                          cap_evidence={"text": "Provider may increase all Fees upon each renewal by no more than 3%."},
                          expiration=AMENDED_LENGTH.expiration, renewal_term="P2Y",
                          renewal_earlier=AMENDED_LENGTH.renewal_earlier,
                          added_fees=(AddedFee(support, date(2026, 6, 1), "2026-06-01 (amend.pdf)"),))
    # begun since 2026-06-01 by 2029-06-30: 2027-03-01 and 2028-03-01 (was 1: 2027-03-01 alone, at two years)
    invoice = _invoice("1060.90", date(2029, 6, 1), date(2029, 6, 30), "Premium Support")
    assert [f for f in check_invoice(invoice, terms) if f.kind != "not_checked"] == []
    [over] = check_invoice(_invoice("1070.00", date(2029, 6, 1), date(2029, 6, 30), "Premium Support"), terms)
    assert over.at_stake == Money(Decimal("9.10"), "USD")
    assert "1,000.00 x (1 + 3%)^2 = 1,060.90 a month (2 renewal term(s) begun since 2026-06-01 by 2029-06-30: " \
           "2027-03-01, 2028-03-01 (" in over.derivation


def test_a_length_that_never_ran_a_renewal_term_does_not_make_the_count_unknown():
    """Review 2026-12-06 S1: month-to-month renewals amended to yearly terms before the initial term
    ended (the monthly length never ran a term) left the count unknown, so no over-cap line was told."""
    monthly_before = (EarlierValue(Duration.parse("P1M"), date(2026, 6, 1), "amd.pdf"),)
    counted = renewal_terms_begun(date(2029, 3, 1), date(2027, 12, 31), "P1Y", monthly_before)
    assert counted is not None and counted[0] == 2
    assert counted == renewal_terms_begun(date(2029, 3, 1), date(2027, 12, 31), "P1Y", ())[:1] + counted[1:]
    yearly_before = (EarlierValue(Duration.parse("P1Y"), date(2026, 6, 1), "amd.pdf"),)
    monthly = renewal_terms_begun(date(2029, 3, 1), date(2027, 12, 31), "P1M", yearly_before,
                                  cadence=cap_cadence({"text": "Fees may increase by no more than 3% annually."}))
    assert monthly is not None and monthly[0] == 2 and "one increase a year" in monthly[1]
    # a length that did run a term beside a yearly one: still not known
    mixed = (EarlierValue(Duration.parse("P1M"), date(2028, 6, 1), "amd.pdf"),)
    assert renewal_terms_begun(date(2029, 3, 1), date(2027, 12, 31), "P1Y", mixed) is None
