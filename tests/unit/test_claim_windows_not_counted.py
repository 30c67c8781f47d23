"""Claim windows the reader finds but does not count are said on the breach, never silent (hclaim9): a window in
business hours (whose hours depend on a definition the contract may or may not give), a window stated without its
start, and a window from the end of the outage's month on metrics measured per quarter whatever the contract says
of quarters. Each gives no claim day and the breach's credit is a ``credit_to_check`` saying why."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch.extract import extract_contract
from clausewatch.money.credits import assess
from clausewatch.money.metrics import parse_metrics
from clausewatch.store.models import FindingItem
from clausewatch.store.money import credit_check_of
from tests.unit.test_credit_thresholds import FEES, INTRO, TABLE, _prose


def _table(claim: str, intro: str = INTRO) -> dict:
    """The credit table's terms, its claim window read from ``claim`` under it."""
    return extract_contract([intro + TABLE + "\n" + claim.strip()], source="t").terms["service_credit_tiers"].value


def _breach(credit_terms: dict, period: str = "2026-10"):
    [breach] = assess(parse_metrics(f"period,metric,value\n{period},availability,94\n", "csv"), credit_terms,
                      "99.9%", FEES, today=date(2026, 12, 1))
    return breach


def _flag(breach) -> str | None:
    """The contract's Needs attention flag for the breach stored as a finding, no claim obligation."""
    finding = FindingItem("CONTRACT#c1", "FINDING#f1", contract_id="c1", finding_id="f1", kind="sla_breach",
                          source="metrics", summary="breach",
                          amount=None if breach.credit is None else str(breach.credit.amount),
                          currency=None if breach.credit is None else "USD", period=breach.period,
                          detail=breach.to_dict(), recorded_at="2026-12-01T00:00:00Z")
    return credit_check_of(finding, None)


BUSINESS_HOURS = " Customer must request a service credit within forty-eight (48) business hours after the end of the " \
                 "affected month."


@pytest.mark.parametrize(("claim", "hours", "claim_from"), [
    (BUSINESS_HOURS, 48, "end of the measured period"),
    (" Customer must request a service credit within 48 working hours of the incident.", 48, "the incident"),
    (" To receive a service credit, Customer must notify Provider within twenty-four (24) business hours.", 24,
     "end of the measured period (assumed)"),
])
def test_a_window_in_business_hours_is_read_as_not_counted(claim, hours, claim_from):
    read = _prose(claim)["service_credit_claim"]
    assert read is not None  # was: nothing read, nothing said
    assert read.value == {"claim_window_not_counted": f"{hours} business hours", "claim_from": claim_from}
    assert "claim_window" not in _table(claim)  # no day is counted from it


def test_a_credit_claimed_in_business_hours_gets_no_claim_day_and_is_a_credit_to_check():
    computed = _breach(_table(BUSINESS_HOURS))
    assert computed.credit is not None and computed.claim_by is None
    assert computed.claim_derivation == (
        "claim window 48 business hours from end of the measured period: no claim day is counted, business hours "
        "are counted by the contract's definition of them, which is not read; check it by hand")
    said = ("the claim window is in business hours (48 business hours from end of the measured period): no claim day "
            "is counted, claim it by hand within it")
    flag = _flag(computed)
    assert flag is not None and "credit USD 2500.00 computed" in flag and flag.endswith(said)  # was: no flag
    unknown = _flag(_breach(_prose(BUSINESS_HOURS)["service_credit_claim"].value))
    assert unknown is not None and unknown.endswith(said)  # was: "no window to claim it was read"


def test_a_later_subclauses_window_is_not_read_for_one_in_business_hours():
    later = "\n9.3 Credit Requests. To receive a Service Credit, Customer must submit a request within thirty (30) " \
            "days after the end of the affected month."
    read = _prose(BUSINESS_HOURS + later)["service_credit_claim"]
    assert read is not None and "claim_window" not in read.value  # was: P30D, a day the contract does not give
    assert read.value["claim_window_not_counted"] == "48 business hours"


def test_the_suppliers_answer_in_business_hours_leaves_the_claim_window():
    claim = (" Provider will respond to each credit request within four (4) business hours. Customer must request a "
             "service credit within thirty (30) days after the end of the affected month.")
    assert _prose(claim)["service_credit_claim"].value == {"claim_window": "P30D", "claim_from": "end of the measured "
                                                           "period", "claim_from_unit": "month"}


NO_START = " Customer must request Service Credits within thirty (30) days."


def test_a_window_stated_without_its_start_gives_no_claim_day_and_is_a_credit_to_check():
    computed = _breach(_table(NO_START))
    assert computed.credit is not None and computed.claim_by is None
    assert computed.claim_derivation == ("claim window P30D stated without its start: no claim day is counted; check "
                                         "it by hand")  # was: none, nothing said
    said = "claim window stated without its start (P30D): check it; no claim day is counted, claim it by hand within it"
    flag = _flag(computed)
    assert flag is not None and "credit USD 2500.00 computed" in flag and flag.endswith(said)  # was: no flag
    unknown = _flag(_breach(_prose(NO_START)["service_credit_claim"].value))
    assert unknown is not None and unknown.endswith(said)  # was: "no window to claim it was read"


# the contract says nothing of quarters (no "calendar month" either: the credits are not said to be per month)
NO_PERIOD = INTRO.replace(" in each calendar month", "").replace(" in any calendar month", "")


@pytest.mark.parametrize("claim", [
    "Customer must request a service credit within thirty (30) days after the end of the month in which the outage "
    "occurred.",
    "Customer must request a service credit within thirty (30) days after the end of the affected month.",
])
def test_a_window_from_the_outages_month_gives_no_day_for_a_quarter_whatever_the_contract_says_of_quarters(claim):
    for credit_terms in (_table(claim, NO_PERIOD), _prose(" " + claim)["service_credit_claim"].value):
        assert "quarter" not in str(credit_terms) and credit_terms["claim_from_unit"] == "month"
        breach = _breach(credit_terms, "2026-Q3")
        assert breach.claim_by is None  # was: 2026-10-30, counted from the quarter's end (weeks late for July)
        assert "the incident's month is not known; check it by hand" in breach.claim_derivation
        assert "the claim window is counted from the end of the month of the incident (P30D), which 2026-Q3 does " \
               "not tell" in _flag(breach)
        assert _breach(credit_terms, "2026-10").claim_by == date(2026, 11, 30)  # a month's end: counted as before


def test_a_window_from_the_measured_periods_end_is_counted_from_the_quarters_end():
    claim = "Customer must request a service credit within thirty (30) days after the end of the measurement period."
    for credit_terms in (_table(claim, NO_PERIOD), _prose(" " + claim)["service_credit_claim"].value):
        breach = _breach(credit_terms, "2026-Q3")
        assert breach.claim_by == date(2026, 10, 30)
        assert breach.claim_derivation == "end of 2026-Q3 2026-09-30 + P30D = 2026-10-30"


# review of hclaim9 (hclaim9b)
MONTH_30 = " Customer must request a service credit within thirty (30) days after the end of the affected month"
COUNTED = {"claim_window": "P30D", "claim_from": "end of the measured period", "claim_from_unit": "month"}


@pytest.mark.parametrize("claim", [
    # the supplier's response time, in a clause naming no party or in a sentence of its own
    MONTH_30 + ", with a response within four (4) business hours.",
    MONTH_30 + ". The target response time for credit requests is within four (4) business hours.",
    # the notice of the outage is a condition of the claim, not the claim
    " Customer must notify Provider of the outage within forty-eight (48) business hours and must request a service "
    "credit within thirty (30) days after the end of the affected month.",
    # a window stated from the month's end beats one stated without its start
    MONTH_30 + ". Service credits must be requested in writing within 60 days.",
])
def test_the_customers_window_from_the_months_end_is_counted_beside_another(claim):
    for credit_terms in (_table(claim), _prose(claim)["service_credit_claim"].value):
        assert {k: v for k, v in credit_terms.items()
                if k.startswith("claim_") and k not in ("claim_evidence", "claim_window_why")} == COUNTED
        # was: 4 business hours, 48 business hours, P60D (assumed): no claim day
        assert _breach(credit_terms).claim_by == date(2026, 11, 30)


def test_a_window_in_business_hours_written_with_a_hyphen_is_read():
    claim = " Customer must request a service credit within 48 business-hours after the end of the affected month."
    assert _prose(claim)["service_credit_claim"].value == {  # was: nothing read, nothing said
        "claim_window_not_counted": "48 business hours", "claim_from": "end of the measured period"}


def test_windows_counted_from_different_days_give_no_claim_day_and_say_so():
    claim = MONTH_30 + ". Service credits must be requested in writing within 60 days of the incident."
    for credit_terms in (_table(claim), _prose(claim)["service_credit_claim"].value):
        # was: none said for the table, P60D from the incident (a later sentence's alone) for the prose
        assert credit_terms["claim_windows_apart"] == "P30D from end of the measured period; P60D from the incident"
        assert "claim_window" not in credit_terms
        breach = _breach(credit_terms)
        assert breach.claim_by is None
        assert _flag(breach).endswith("the claim windows are counted from different days (P30D from end of the "
                                      "measured period; P60D from the incident): no claim day is counted, claim it by "
                                      "hand within the first to end")


def test_a_window_in_business_hours_without_its_start_is_said_as_one_in_days_is():
    breach = _breach(_prose(" To receive a service credit, Customer must notify Provider within twenty-four (24) "
                            "business hours.")["service_credit_claim"].value)
    assert breach.claim_derivation.startswith("claim window 24 business hours stated without its start: no claim day")
    assert _flag(breach).endswith("the claim window is in business hours (24 business hours stated without its "
                                  "start): no claim day is counted, claim it by hand within it")
    # was: "... (24 business hours from end of the measured period (assumed))"


# review of hclaim9 (hclaim9c): a window counted from an invoice's day (its issue, its receipt) gives no claim day, no
# metrics file gives that day: the breach says so, its amount computed or not (was: no window read, nothing said)
FROM_INVOICE_SAID = ("the claim window counts from an invoice's day (P30D from the invoice), which no metrics file "
                     "gives: no claim day is counted, claim it by hand within it")


@pytest.mark.parametrize("claim", [
    " Customer must request a service credit within thirty (30) days of receipt of the invoice.",
    " Customer must request a service credit within thirty (30) days after the end of the month in which the invoice "
    "was issued.",
])
def test_a_window_from_an_invoice_gives_no_claim_day_and_is_a_credit_to_check(claim):
    computed = _breach(_table(claim))
    assert computed.credit is not None and computed.claim_by is None
    assert computed.claim_derivation == ("claim window P30D from the invoice: no claim day is counted, the window "
                                         "counts from an invoice's day, which no metrics file gives; check it by hand")
    flag = _flag(computed)
    assert flag is not None and "credit USD 2500.00 computed" in flag and flag.endswith(FROM_INVOICE_SAID)
    unknown = _flag(_breach(_prose(claim)["service_credit_claim"].value))
    assert unknown is not None and unknown.endswith(FROM_INVOICE_SAID)  # was: "no window to claim it was read"


def test_a_window_from_an_invoice_beside_one_from_the_months_end_is_said_apart():
    claim = MONTH_30 + ". Credit requests must be submitted within sixty (60) days of receipt of the invoice."
    for credit_terms in (_table(claim), _prose(claim)["service_credit_claim"].value):
        # was: none read, nothing said
        assert credit_terms["claim_windows_apart"] == "P30D from end of the measured period; P60D from the invoice"
        assert _breach(credit_terms).claim_by is None


# review of hclaim9 (hclaim9c): a clause whose subject is the credit request is the customer's window whatever else it
# names, a restoration too (was: the supplier's restoration time, no window read, nothing said); a restoration named
# before the window, its words after naming no start, is what it counts from: the incident's moment, no claim day
@pytest.mark.parametrize(("claim", "window"), [
    (" Upon restoration credit requests must be submitted within thirty (30) days.",
     {"claim_window": "P30D", "claim_from": "the incident"}),
    (" Upon restoration requests for credits must be submitted within thirty (30) days after the end of the affected "
     "month.", COUNTED),
])
def test_a_credit_request_named_with_a_restoration_is_the_customers_window(claim, window):
    for credit_terms in (_table(claim), _prose(claim)["service_credit_claim"].value):
        assert {k: v for k, v in credit_terms.items() if k.startswith("claim_") and k != "claim_evidence"} == window


# review of hclaim9 (hclaim9c): which window binds says the one stated without its start that it beat (was: nothing
# said of it, the breach's arithmetic as if one window were stated)
def test_a_window_stated_from_its_start_says_the_unstated_one_it_beats():
    claim = MONTH_30 + ". Service credits must be requested in writing within 60 days."
    why = "the window stated from its start binds over P60D stated without its start"
    for credit_terms in (_table(claim), _prose(claim)["service_credit_claim"].value):
        assert credit_terms["claim_window_why"] == why
        assert _breach(credit_terms).claim_derivation == f"end of 2026-10 2026-10-31 + P30D = 2026-11-30 ({why})"
    alone = _prose(MONTH_30 + ".")["service_credit_claim"].value
    assert "claim_window_why" not in alone


def test_a_window_from_a_restoration_named_before_it_is_apart_from_one_from_the_months_end():
    claim = MONTH_30 + ". Upon restoration, credit requests must be submitted within ten (10) days."
    for credit_terms in (_table(claim), _prose(claim)["service_credit_claim"].value):
        # was: P30D from the month's end alone (the other set aside as stated without its start): a day late for a
        # restoration on the 5th
        assert credit_terms["claim_windows_apart"] == "P30D from end of the measured period; P10D from the incident"
        assert _breach(credit_terms).claim_by is None
