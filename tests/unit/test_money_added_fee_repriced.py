"""An add-on re-priced by a later amendment (money/amended_fees.py, money/added_fee_lines.py): the
later amendment's price from its effective date, the earlier amendment's before it; what part of
which price a line bills, when not known, is told as not checked with why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausewatch.money.amended_fees import AddedFee, merge_amended_fee
from clausewatch.money.amounts import Money
from clausewatch.money.invoices import ContractMoney, Invoice, InvoiceLine, check_invoice

CONTRACT = {"document": "msa.pdf", "contract_id": "c1"}
FIRST = {"document": "amendment-1.pdf", "contract_id": "a1"}
SECOND = {"document": "amendment-2.pdf", "contract_id": "a2"}
LICENCE = {"amount": "20000.00", "currency": "GBP", "period": "month", "name": "Licence Fee",
           "billing": "monthly in arrears"}
MODULE = {"amount": "500.00", "currency": "GBP", "period": "month", "name": "Analytics Module Fee",
          "billing": "monthly in advance"}
ADDS = {"text": "Supplier shall provide the Analytics Module, for which the Customer shall pay a fee of GBP 500 per "
                "month (the \"Analytics Module Fee\")."}
REPRICES = {"text": "With effect from the Amendment Effective Date the Analytics Module Fee is increased to GBP 650 "
                    "per month."}


def _both() -> dict:
    after_first, _, _ = merge_amended_fee(LICENCE, None, CONTRACT, MODULE, ADDS, FIRST)
    after_second, replaces, why = merge_amended_fee(after_first, None, CONTRACT, {**MODULE, "amount": "650.00"},
                                                    REPRICES, SECOND)
    assert not replaces and "re-prices the Analytics Module Fee amendment-1.pdf added" in why
    return after_second


def test_a_later_amendment_that_reprices_an_added_fee_says_which_it_reprices():
    merged = _both()
    assert (merged["amount"], merged["name"]) == ("20000.00", "Licence Fee")  # the contract's fee as it was
    first, second = merged["additional_fees"]
    assert (first["amount"], first["evidence"]["document"]) == ("500.00", "amendment-1.pdf")
    assert (second["amount"], second["evidence"]["document"]) == ("650.00", "amendment-2.pdf")
    assert second["reprices"] == FIRST  # was: none, two add-ons of one name
    # applied again: still two versions, the link kept
    again, _, _ = merge_amended_fee(merged, None, CONTRACT, {**MODULE, "amount": "650.00"}, REPRICES, SECOND)
    assert [f["amount"] for f in again["additional_fees"]] == ["500.00", "650.00"]
    assert again["additional_fees"][1]["reprices"] == FIRST


def test_a_later_amendment_that_adds_another_fee_of_the_name_reprices_nothing():
    after_first, _, _ = merge_amended_fee(LICENCE, None, CONTRACT, MODULE, ADDS, FIRST)
    merged, _, _ = merge_amended_fee(after_first, None, CONTRACT, {**MODULE, "amount": "200.00"},
                                     {"text": "Customer adds a second Analytics Module fee of GBP 200 per month."},
                                     SECOND)
    assert [f.get("reprices") for f in merged["additional_fees"]] == [None, None]


def _terms(first_from: date | None = date(2026, 10, 1)) -> ContractMoney:
    first, second = _both()["additional_fees"]
    return ContractMoney(fees=LICENCE, expiration=date(2028, 12, 31), renewal_term="P12M", added_fees=(
        AddedFee(first, first_from, f"the effective_date {first_from} of amendment-1.pdf"
                 if first_from else "the day the amendment that added it took effect was not read"),
        AddedFee(second, date(2027, 2, 1), "the effective_date 2027-02-01 of amendment-2.pdf")))


def _invoice(module: str, start: date | None, end: date | None, issued: date | None = None) -> Invoice:
    lines = (InvoiceLine("1", "Licence Fee", Decimal(1), Decimal("20000.00"), Decimal("20000.00")),
             InvoiceLine("2", "Analytics Module", Decimal(1), Decimal(module), Decimal(module)))
    return Invoice("INV", issued or end or date(2027, 1, 1), "GBP", None, lines,
                   sum((li.amount for li in lines), Decimal(0)), start, end)


def test_after_the_later_amendment_its_price_is_agreed_and_above_it_is_overcharged():
    assert check_invoice(_invoice("650.00", date(2027, 3, 1), date(2027, 3, 31)), _terms()) == []
    [over] = check_invoice(_invoice("700.00", date(2027, 3, 1), date(2027, 3, 31)), _terms())
    assert (over.kind, over.at_stake, over.line_id) == ("price_above_agreed", Money(Decimal("50.00"), "GBP"), "2")
    assert over.evidence["document"] == "amendment-2.pdf"
    assert over.derivation.startswith("Analytics Module Fee, agreed from the effective_date 2027-02-01 of "
                                      "amendment-2.pdf: expected GBP 650.00 a month")
    assert over.derivation.endswith("charged 700.00 > 650.00: 50.00 over")


def test_before_the_later_amendment_the_earlier_price_holds_until_the_day_before():
    assert check_invoice(_invoice("500.00", date(2027, 1, 1), date(2027, 1, 31)), _terms()) == []
    [over] = check_invoice(_invoice("650.00", date(2027, 1, 1), date(2027, 1, 31)), _terms())
    assert (over.kind, over.at_stake) == ("price_above_agreed", Money(Decimal("150.00"), "GBP"))
    assert over.evidence["document"] == "amendment-1.pdf"
    assert ("agreed from the effective_date 2026-10-01 of amendment-1.pdf until 2027-01-31 (amendment-2.pdf "
            "re-priced it from 2027-02-01)") in over.derivation
    # before the first amendment: billed before it was agreed, at the earlier amendment's clause
    [before] = check_invoice(_invoice("500.00", date(2026, 9, 1), date(2026, 9, 30)), _terms())
    assert (before.kind, before.at_stake) == ("billed_before_agreed", Money(Decimal("500.00"), "GBP"))


@pytest.mark.parametrize(("invoice", "says"), [
    # a quarter across the re-pricing day: one month at 500 and two at 650, or all at one? not guessed
    (_invoice("1800.00", date(2027, 1, 1), date(2027, 3, 31)),
     "the period 2027-01-01 to 2027-03-31 runs across 2027-02-01, the day amendment-2.pdf re-priced"),
    # no period, issued within a month of the day: in advance or in arrears, either price
    (_invoice("650.00", None, None, issued=date(2027, 2, 3)),
     "the invoice states no period and was issued on 2027-02-03, within 1 month(s)"),
])
def test_which_price_a_line_bills_when_not_known_is_not_checked_with_why(invoice, says):
    [finding] = check_invoice(invoice, _terms())
    assert (finding.kind, finding.at_stake) == ("not_checked", None)
    assert says in finding.summary


def test_without_a_period_an_invoice_issued_well_after_the_day_is_priced_at_the_new_price():
    [over] = check_invoice(_invoice("700.00", None, None, issued=date(2027, 5, 3)), _terms())
    assert (over.kind, over.at_stake) == ("price_above_agreed", Money(Decimal("50.00"), "GBP"))


def test_a_version_whose_day_was_not_read_leaves_which_price_unknown():
    [finding] = check_invoice(_invoice("650.00", date(2027, 3, 1), date(2027, 3, 31)), _terms(first_from=None))
    assert finding.kind == "not_checked"
    assert "re-priced by an amendment and the day the amendment that added it took effect was not read" in \
        finding.summary


def _renamed_terms() -> ContractMoney:
    """amendment-2 re-prices the add-on under a name with one word more ("Analytics Module Add-on")."""
    module = {**MODULE, "name": "Analytics Module"}
    after_first, _, _ = merge_amended_fee(LICENCE, None, CONTRACT, module, ADDS, FIRST)
    merged, _, why = merge_amended_fee(after_first, None, CONTRACT,
                                       {**module, "name": "Analytics Module Add-on", "amount": "650.00"},
                                       {"text": "With effect from the Amendment Effective Date the fee for the "
                                                "Analytics Module add-on is increased to GBP 650 per month."}, SECOND)
    assert "re-prices the Analytics Module amendment-1.pdf added" in why
    first, second = merged["additional_fees"]
    return ContractMoney(fees=LICENCE, expiration=date(2028, 12, 31), renewal_term="P12M", added_fees=(
        AddedFee(first, date(2026, 10, 1), "the effective_date 2026-10-01 of amendment-1.pdf"),
        AddedFee(second, date(2027, 2, 1), "the effective_date 2027-02-01 of amendment-2.pdf")))


@pytest.mark.parametrize("name", ["Analytics Module add-on", "Analytics Module"])
def test_a_line_under_the_later_versions_longer_name_is_priced_at_the_price_in_force_then(name):
    def invoice(amount: str, start: date, end: date) -> Invoice:
        lines = (InvoiceLine("1", "Licence Fee", Decimal(1), Decimal("20000.00"), Decimal("20000.00")),
                 InvoiceLine("2", name, Decimal(1), Decimal(amount), Decimal(amount)))
        return Invoice("INV", end, "GBP", None, lines, sum((li.amount for li in lines), Decimal(0)), start, end)

    # January: the earlier price (was, for the longer name: "billed_before_agreed" GBP 500.00 by amendment-2)
    assert check_invoice(invoice("500.00", date(2027, 1, 1), date(2027, 1, 31)), _renamed_terms()) == []
    [over] = check_invoice(invoice("650.00", date(2027, 1, 1), date(2027, 1, 31)), _renamed_terms())
    assert (over.kind, over.at_stake, over.evidence["document"]) == (
        "price_above_agreed", Money(Decimal("150.00"), "GBP"), "amendment-1.pdf")
    assert check_invoice(invoice("650.00", date(2027, 3, 1), date(2027, 3, 31)), _renamed_terms()) == []
