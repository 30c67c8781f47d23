"""A credit table of thresholds ("Less than 99.9%: 5% / Less than 99.0%: 10% / Less than 95.0%: 25%"):
the rows overlap (a level under 99.0% is under 99.9% too); the lowest threshold the level is under
sets the credit. A table that cannot be read that way is not read, and the breach quotes the
contract's credits instead of saying it has none."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clausewatch.extract import extract_contract
from clausewatch.money.amounts import format_amount
from clausewatch.money.credits import assess
from clausewatch.money.metrics import parse_metrics

INTRO = ("1. FEES. Customer shall pay Provider a monthly subscription fee of $10,000 (the \"Subscription Fees\"), "
         "invoiced monthly in advance.\n2. SERVICE LEVELS. Provider shall make the Services available at least "
         "99.9% of the time in each calendar month.\n3. SERVICE CREDITS. If availability in any calendar month is "
         "below the service level, Customer shall be entitled to a service credit equal to the following percentage "
         "of the monthly Subscription Fees:\n")
CLAIM = "\nCustomer must request a service credit within thirty (30) days after the end of the affected month."
FEES = {"amount": "10000.00", "currency": "USD", "period": "month"}


def _terms(table: str) -> dict:
    return extract_contract([INTRO + table + CLAIM], source="t").terms


def _breach(terms: dict, level: str):
    tiers = terms["service_credit_tiers"]
    credits = terms.get("service_credits")
    [breach] = assess(parse_metrics(f"period,metric,value\n2026-10,availability,{level}\n", "csv"),
                      None if tiers is None else tiers.value, "99.9%", FEES, today=date(2026, 12, 1),
                      stated_credits=None if credits is None else credits.value)
    return breach


@pytest.mark.parametrize("table", [
    "Less than 99.9%: 5%\nLess than 99.0%: 10%\nLess than 95.0%: 25%",
    "Below 95.0% - 25%\nBelow 99.0% - 10%\nBelow 99.9% - 5%",  # lowest first
    "Availability less than 99.9%   5%\nAvailability less than 99.0%   10%\nAvailability less than 95.0%   25%",
])
@pytest.mark.parametrize(("level", "credit", "band"), [
    ("98.5", "1000.00", "98.5% < 99%, not < 95%"),  # under 99.9 and 99.0, not 95.0: 10%
    ("99.5", "500.00", "99.5% < 99.9%, not < 99%"),
    ("94", "2500.00", "94% < 95%"),
    ("99.0", "500.00", "99% < 99.9%, not < 99%"),  # "less than 99.0%" does not hold 99.0
])
def test_rows_of_thresholds_are_read_as_bands_the_lowest_threshold_wins(table, level, credit, band):
    breach = _breach(_terms(table), level)
    assert breach.credit is not None and breach.credit.amount == Decimal(credit)  # was: no credit, "no tiers"
    assert band in breach.derivation
    assert f"x USD 10,000.00 = USD {format_amount(Decimal(credit))}" in breach.derivation


def test_thresholds_whose_credit_does_not_grow_are_not_read_and_the_breach_quotes_the_contracts_credits():
    terms = _terms("Less than 99.9%: 10%\nLess than 99.0%: 5%\nLess than 95.0%: 25%")
    assert terms["service_credit_tiers"] is None
    breach = _breach(terms, "98.5")
    assert breach.credit is None
    assert "no credit tiers" not in breach.note and "the contract states service credits (" in breach.note
    assert terms["service_credits"].value in breach.note


@pytest.mark.parametrize(("credits", "quoted"), [
    # the tiers in prose, the second after a semicolon (was: "5% of monthly fee", the 10% dropped)
    ("If availability in a month falls below 99.9%, Customer will receive a service credit of 5% of the monthly "
     "fee; if availability falls below 99.0%, the service credit is 10% of the monthly fee.", "5% / 10% of monthly fee"),
    # the base ends where its condition begins (was: "5% of monthly fee for availability below 99")
    ("Provider will issue a service credit of 5% of the monthly fee for availability below 99.9% and 10% of the "
     "monthly fee for availability below 99.0%.", "5% / 10% of monthly fee"),
])
def test_credits_stated_in_prose_are_quoted_whole_when_their_table_is_not_read(credits, quoted):
    text = INTRO.split("3. SERVICE CREDITS.")[0] + "3. SERVICE CREDITS. " + credits + CLAIM
    terms = extract_contract([text], source="t").terms
    assert terms["service_credit_tiers"] is None
    assert terms["service_credits"].value == quoted
    breach = _breach(terms, "98.5")
    assert breach.credit is None and f"the contract states service credits ({quoted})" in breach.note


PROSE = ("If availability in a month falls below 99.9%, Customer will receive a service credit of 5% of the monthly "
         "fee; if availability falls below 99.0%, the service credit is 10% of the monthly fee.")


def _window(read) -> dict:
    """A claim window as read, without the unit of the period it counts from (``claim_from_unit``: a month's end is
    not a quarter's, tests/unit/test_claim_windows_not_counted.py)."""
    return {k: v for k, v in read.value.items() if k != "claim_from_unit"}


def _prose(after: str) -> dict:
    text = INTRO.split("3. SERVICE CREDITS.")[0] + "3. SERVICE CREDITS. " + PROSE + after
    return extract_contract([text], source="t").terms


@pytest.mark.parametrize(("claim", "window", "claim_from"), [
    (CLAIM, "P30D", "end of the measured period"),
    (" To receive a service credit, Customer must submit a written claim within ten (10) business days after the "
     "end of the month in which the outage occurred.", "P10BD", "end of the measured period"),
    (" Customer shall claim any such credit in writing within sixty (60) days after the end of the calendar month "
     "concerned.", "P60D", "end of the measured period"),
    # counted from the incident: kept as read, and no deadline is counted from it (below)
    (" Service credits must be requested within thirty (30) days of the incident.", "P30D", "the incident"),
    # what the window counts from is not said
    (" Service credits must be requested within thirty (30) days.", "P30D", "end of the measured period (assumed)"),
])
def test_the_claim_window_of_credits_stated_in_prose_is_read_with_its_clause(claim, window, claim_from):
    terms = _prose(claim)
    assert terms["service_credit_tiers"] is None  # no table: nothing read as one (an empty table is no credit owed)
    read = terms["service_credit_claim"]  # was: the window read with a table only
    assert read is not None and _window(read) == {"claim_window": window, "claim_from": claim_from}
    assert read.evidence is not None and read.evidence.text == claim.strip()


@pytest.mark.parametrize("after", [
    "",  # no window stated
    # a request in another section, not for a service credit
    "\n4. INVOICES. Customer may request a credit within thirty (30) days after the end of the month for any "
    "disputed amount.",
    # a credit note is not a service credit
    " Customer may request a credit note within thirty (30) days after the end of the month.",
    # a window that is not to claim the credit
    " Provider shall restore the Services within thirty (30) days after the end of the affected month.",
])
def test_no_claim_window_is_read_from_a_sentence_that_does_not_claim_a_service_credit(after):
    assert _prose(after)["service_credit_claim"] is None


def test_no_claim_window_without_service_credits():
    text = INTRO.split("2. SERVICE LEVELS.")[0] + ("2. REFUNDS. Customer may request a credit within thirty (30) "
                                                   "days after the end of the month for any overpayment.")
    assert extract_contract([text], source="t").terms["service_credit_claim"] is None


def _claim_breach(terms: dict, level: str = "98.5"):
    [breach] = assess(parse_metrics(f"period,metric,value\n2026-10,availability,{level}\n", "csv"),
                      terms["service_credit_claim"].value, "99.9%", FEES, today=date(2026, 12, 1),
                      stated_credits=terms["service_credits"].value)
    return breach


def test_a_breach_of_credits_in_prose_is_claimed_by_the_windows_end_its_amount_never_guessed():
    breach = _claim_breach(_prose(CLAIM))
    assert breach.credit is None and breach.tier is None
    assert breach.amount_unknown == "tiers not read" and "check the credit by hand" in breach.note
    assert breach.claim_by == date(2026, 11, 30)
    assert breach.claim_derivation == "end of 2026-10 2026-10-31 + P30D = 2026-11-30"


def test_a_window_whose_start_is_not_said_gives_no_claim_deadline():
    breach = _claim_breach(_prose(" Service credits must be requested within thirty (30) days of the incident."))
    assert breach.amount_unknown == "tiers not read" and breach.claim_by is None


SECTIONS = INTRO.split("3. SERVICE CREDITS.")[0]


@pytest.mark.parametrize("text", [
    # the service credits' subsection says nothing of claiming them; the next subsection's heading is not in capitals
    SECTIONS + "5.1 Service Credits. Provider shall issue service credits as described in Exhibit B.\n5.2 Billing "
    "Disputes. Customer must submit any dispute of an invoice, and any request for a credit, within sixty (60) days "
    "after the end of the month in which the invoice was issued.",
    # a "Section N" heading, on its own line or after the credits' last sentence
    SECTIONS + "3. SERVICE CREDITS. " + PROSE + "\nSection 6. Invoices. Customer may request a credit for any "
    "overbilling within ninety (90) days after the end of the billing period.",
    SECTIONS + "3. SERVICE CREDITS. " + PROSE + " Section 6. Invoices. Customer may request a credit for any "
    "overbilling within ninety (90) days after the end of the billing period.",
    # a blank line ends the service credits' clause
    SECTIONS + "3. SERVICE CREDITS. " + PROSE + "\n\nCustomer may request a credit for any overbilling within "
    "ninety (90) days after the end of the billing period.",
])
def test_no_claim_window_is_read_from_a_request_for_a_credit_under_another_heading(text):
    assert extract_contract([text], source="t").terms["service_credit_claim"] is None  # was: P60D, P90D


@pytest.mark.parametrize(("claim", "window", "why"), [
    # a duration that is not the deadline comes first
    (" Customer may request credits for up to three (3) months per year, within fifteen (15) days after the end of "
     "the affected month.", "P15D", None),
    # two windows: the shorter binds, and the term says so
    (" Customer must request a service credit no later than ninety (90) days after the end of the quarter, and in "
     "any event within thirty (30) days after the end of the affected month.", "P30D",
     "the shorter of the windows stated (P90D, P30D)"),
    (" Customer must request a service credit not later than two (2) weeks after the end of the affected month, "
     "and in any event within ten (10) days after the end of that month.", "P10D",
     "the shorter of the windows stated (P2W, P10D)"),
    # review of the fixes: "of the end of" states the start; the supplier's own deadline is not the claim's
    (" Customer must request a service credit in writing within thirty (30) days of the end of the month in which "
     "the failure occurred.", "P30D", None),
    (" Customer must request a service credit within sixty (60) days after the end of the month, and Supplier "
     "will issue the credit within ten (10) days after the end of the month.", "P60D", None),
    (" Customer must request a service credit within thirty (30) days after the end of the month, and Supplier "
     "will respond within ten (10) business days.", "P30D", None),
    (" Customer must request a service credit no more than thirty (30) days after the end of the month.", "P30D", None),
])
def test_the_claim_window_is_the_deadline_stated_the_shorter_of_two(claim, window, why):
    read = _prose(claim)["service_credit_claim"]
    assert read is not None and read.value["claim_window"] == window  # was: P3M, P90D, P2W
    assert read.value["claim_from"] == "end of the measured period"
    assert read.value.get("claim_window_why") == why and read.derivation == why


@pytest.mark.parametrize("claim", [
    # which ends first depends on the month
    " Customer must request a service credit within one (1) month after the end of the affected month, and in any "
    "event within thirty (30) days after the end of that month.",
])
def test_two_claim_windows_whose_shorter_is_unclear_give_none(claim):
    assert _prose(claim)["service_credit_claim"] is None  # was: the first read


def test_two_claim_windows_counted_from_different_days_give_no_window_and_say_so():
    claim = (" Customer must request a service credit within thirty (30) days after the end of the affected month, "
             "and in any event within ten (10) days of the incident.")
    assert _prose(claim)["service_credit_claim"].value == {  # hclaim9b: was None, nothing said
        "claim_windows_apart": "P30D from end of the measured period; P10D from the incident"}


def test_the_claim_deadline_says_which_of_two_windows_binds():
    breach = _claim_breach(_prose(" Customer must request a service credit no later than ninety (90) days after the "
                                  "end of the quarter, and in any event within thirty (30) days after the end of the "
                                  "affected month."))
    assert breach.claim_by == date(2026, 11, 30)
    assert breach.claim_derivation == ("end of 2026-10 2026-10-31 + P30D = 2026-11-30 (the shorter of the windows "
                                       "stated (P90D, P30D))")


# QA of 2026-12-07: the window stated in a numbered subclause of its own that does not say "service credit"
CREDITS_42 = ("4.2 Service Credits. If Availability falls below 99.9% in a month, Customer is eligible for a Service "
              "Credit of 10% of the monthly fee.\n")
REQUEST_43 = ("4.3 Credit Requests. To receive a credit, Customer must submit a request within thirty (30) days after "
              "the end of the month in which the failure occurred.")


@pytest.mark.parametrize(("text", "window"), [
    (CREDITS_42 + REQUEST_43, "P30D"),
    # its title says it, not its sentence; a blank line under the title
    (CREDITS_42 + "4.3 Claims for Credits\n\nCustomer must submit a written request within fifteen (15) days after "
     "the end of the affected month.", "P15D"),
    (CREDITS_42 + REQUEST_43.replace("Requests.", "Requests:"), "P30D"),
    # a later subclause of the same section; one within the credits' own subclause
    (CREDITS_42 + "4.3 Exclusions. Scheduled maintenance is not downtime.\n4.4 Credit Requests. Credits must be "
     "requested within ten (10) business days after the end of the month.", "P10BD"),
    (CREDITS_42 + "4.2.1 To receive a credit, Customer must notify Provider within thirty (30) days after the end "
     "of the month.", "P30D"),
    # a top-level section and the one directly after it (its own subclauses between)
    ("3. SERVICE CREDITS. " + PROSE + "\n4. CREDIT REQUESTS. To receive a credit, Customer must submit a "
     "request within thirty (30) days after the end of the month.", "P30D"),
    ("3. SERVICE CREDITS. " + PROSE + "\n3.1 Exclusions. Scheduled maintenance is not downtime.\n4. CREDIT "
     "REQUESTS. To receive a credit, Customer must submit a request within thirty (30) days after the end of the "
     "month.", "P30D"),
    # the supplier's own act is not the window; the shorter of two binds
    (CREDITS_42 + "4.3 Credit Requests. To receive a credit, Customer must submit a request within sixty (60) days "
     "after the end of the month, and Supplier will issue the credit within ten (10) days after the end of the "
     "month.", "P60D"),
    (CREDITS_42 + "4.3 Credit Requests. To receive a credit, Customer must submit a request no later than ninety "
     "(90) days after the end of the quarter, and in any event within thirty (30) days after the end of the "
     "affected month.", "P30D"),
])
def test_a_claim_window_in_a_subclause_of_its_own_about_claiming_credits_is_read(text, window):
    terms = extract_contract([SECTIONS + text], source="t").terms
    read = terms["service_credit_claim"]
    assert read is not None and read.value["claim_window"] == window  # was: none
    assert read.value["claim_from"] == "end of the measured period"
    assert read.evidence is not None and "within" in read.evidence.text
    assert not read.evidence.text.lstrip().startswith(("4.2", "If Availability"))  # the subclause's sentence


def test_a_claim_window_in_a_subclause_of_its_own_gives_the_claim_deadline():
    breach = _claim_breach(extract_contract([SECTIONS + CREDITS_42 + REQUEST_43], source="t").terms)
    assert breach.claim_by == date(2026, 11, 30)  # was: none, the credit to check by hand with no deadline
    assert breach.claim_derivation == "end of 2026-10 2026-10-31 + P30D = 2026-11-30"


@pytest.mark.parametrize("after", [
    # a subclause about invoices or billing disputes, even one that asks for a credit
    "4.3 Billing Disputes. Customer must submit any dispute of an invoice, and any request for a credit, within "
    "sixty (60) days after the end of the month in which the invoice was issued.",
    "4.3 Invoices. To receive a credit for an overbilled invoice, Customer must submit a request within ninety (90) "
    "days after the end of the month.",
    "4.3 Credit Requests. To receive a credit for any disputed amount, Customer must submit a request within ninety "
    "(90) days after the end of the month.",
    # a subclause that is not about claiming credits
    "4.3 Notices. Customer must submit any notice within thirty (30) days after the end of the month.",
    "4.3 Credit Applications. Customer shall submit a credit application within thirty (30) days after the end of "
    "the month.",
    # a credit-request subclause in another section
    "5.1 Credit Requests. To receive a credit, Customer must submit a request within thirty (30) days after the end "
    "of the month.",
    "4.3 Exclusions. Scheduled maintenance is not downtime.\n5. FEES. Fees are due monthly.\n5.1 Credit Requests. To "
    "receive a credit, Customer must submit a request within thirty (30) days after the end of the month.",
    # only the supplier's act has a deadline
    "4.3 Credit Requests. To receive a credit, Customer must ask for it, and Supplier will issue the credit within "
    "ten (10) days after the end of the month.",
])
def test_no_claim_window_from_a_subclause_of_invoices_or_of_another_section(after):
    assert extract_contract([SECTIONS + CREDITS_42 + after], source="t").terms["service_credit_claim"] is None


def test_a_top_level_sections_next_but_one_section_is_not_its_claim():
    text = (SECTIONS + "3. SERVICE CREDITS. " + PROSE + "\n4. SUPPORT. Provider shall answer tickets.\n5. CREDIT "
            "REQUESTS. To receive a credit, Customer must submit a request within thirty (30) days after the end of "
            "the month.")
    assert extract_contract([text], source="t").terms["service_credit_claim"] is None


TABLE = "Less than 99.9%: 5%\nLess than 99.0%: 10%\nLess than 95.0%: 25%"
OVERBILLING = ("Customer may request a credit for overbilling within ninety (90) days after the end of the billing "
               "period.")


@pytest.mark.parametrize("after", [
    "\n5. Billing. " + OVERBILLING,
    "\n\n5. BILLING. " + OVERBILLING,
    "\nSection 5. Billing. " + OVERBILLING,
    "\nsection 5 - billing. " + OVERBILLING,
    "\n\nBilling Adjustments.\n" + OVERBILLING,
    # review of 2026-12-07: another kind of credit, right under the table or in its subclause (was: P90D)
    "\n3.2 Credit Requests. To receive a credit for unused prepaid fees upon termination, Customer must submit a "
    "request within ninety (90) days after the end of the month.",
    "\nBilling Adjustments. " + OVERBILLING,  # its title on its text's line
    "\nBILLING ADJUSTMENTS\n" + OVERBILLING,
    "\n\n" + OVERBILLING,
    "\n(b) Billing Errors. " + OVERBILLING,
])
def test_a_credit_tables_claim_window_is_not_read_past_the_next_heading_nor_from_another_credit(after):
    tiers = extract_contract([INTRO + TABLE + after], source="t").terms["service_credit_tiers"]
    assert tiers is not None and len(tiers.value["tiers"]) == 3
    assert "claim_window" not in tiers.value  # was: P90D, section 5's or the other credit's


@pytest.mark.parametrize(("after", "window"), [
    (CLAIM, "P30D"),  # right under the table
    ("\n\n" + CLAIM.strip(), "P30D"),  # a blank line, no heading: still the table's clause
    ("\n3.2 Claims for Credits. Customer must submit a written request within fifteen (15) days after the end of the "
     "affected month.", "P15D"),  # its own subclause (was: none)
])
def test_a_credit_tables_claim_window_is_read_under_it_or_in_its_own_subclause(after, window):
    tiers = extract_contract([INTRO + TABLE + after], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["claim_window"] == window
    assert tiers.value["claim_evidence"]["text"].splitlines()[-1].startswith("Customer must")  # the claim's sentence


# review of 2026-12-07: another kind of credit is never read as the service credits' claim (a wrong window is
# worse than none), and a condition with its own window (a ticket within two days of the incident) is one
def _request(credit: str) -> str:
    return (f"4.3 Credit Requests. To receive a credit {credit}, Customer must submit a request within thirty (30) days "
            "after the end of the month.")


@pytest.mark.parametrize("text", [
    CREDITS_42 + "4.3 Credit Requests. To receive a credit for unused prepaid fees upon termination, Customer must "
    "submit a request within thirty (30) days after the end of the month in which termination takes effect.",
    # a title naming another kind of credit (its words, or any qualifier but the service's)
    CREDITS_42 + "4.3 Promotional Credits. Credits must be requested within thirty (30) days after the end of the "
    "month.",
    CREDITS_42 + "4.3 Tax Credit Claims. Customer must submit a request within thirty (30) days after the end of the "
    "month.",
    CREDITS_42 + "4.3 Loyalty Credit Requests. Credits must be requested within thirty (30) days after the end of the "
    "month.",
    # a credit for something other than the service's failure
    CREDITS_42 + _request("for a referral"),
    CREDITS_42 + _request("toward Marketplace purchases"),
    CREDITS_42 + _request("instead of a chargeback"),
    CREDITS_42 + _request("for a Partner Program bonus"),
    CREDITS_42 + "4.3 Credit Requests. Credits for unused Support Hours must be requested within thirty (30) days "
    "after the end of the month.",
    "3. SERVICE CREDITS. " + PROSE + "\n4. CREDIT REQUESTS. To receive a credit for unused prepaid fees, Customer "
    "must submit a request within ninety (90) days after the end of the month.",
    # (a)/(b) in the credits' own clause: (b) is another credit's
    "4.2 Service Credits.\n(a) If Availability falls below 99.9% in a month, Customer is eligible for a Service Credit "
    "of 10% of the monthly fee.\n(b) Customer may request a credit for overpayments within ninety (90) days after "
    "the end of the month.",
    "4.2 Service Credits.\n(a) If Availability falls below 99.9% in a month, Customer is eligible for a Service Credit "
    "of 10% of the monthly fee.\n(b) Customer may request a credit for prepaid fees upon termination within ninety "
    "(90) days after the end of the month.",
    # what is claimed after another deadline in its sentence
    CREDITS_42 + "4.3 Credit Requests. Customer must log a ticket within two (2) days after the end of the month, and "
    "request a credit for overbilling within thirty (30) days after the end of the month.",
])
def test_no_claim_window_from_another_kind_of_credit(text):
    assert extract_contract([SECTIONS + text], source="t").terms["service_credit_claim"] is None  # was: P30D, P90D


# a condition with its own window, counted from another day: which ends first is not known, no claim window; hclaim9b:
# said (``claim_windows_apart``; was: nothing, the credit's claim silent)
@pytest.mark.parametrize(("text", "apart"), [
    (CREDITS_42 + "4.3 Credit Requests. To receive a credit, Customer must log a support ticket within two (2) days "
     "of the incident, and submit a request within thirty (30) days after the end of the month.",
     "P2D from the incident; P30D from end of the measured period"),
    (CREDITS_42 + REQUEST_43 + " Customer must report any Downtime to Provider's support desk within twenty-four (24) "
     "hours of its start.", "P30D from end of the measured period; PT24H from a day not read"),
    (CREDITS_42 + REQUEST_43 + " Any request not received within ten (10) days of the incident is waived.",
     "P30D from end of the measured period; P10D from the incident"),
])
def test_no_claim_window_beside_a_condition_of_its_own_and_the_windows_are_said(text, apart):
    read = extract_contract([SECTIONS + text], source="t").terms["service_credit_claim"]
    assert read is not None and read.value == {"claim_windows_apart": apart}


@pytest.mark.parametrize("text", [
    # the supplier's report, or a credit applied to the next invoice, is not another credit's claim
    CREDITS_42 + REQUEST_43 + " Provider will report the Availability within five (5) days after the end of the month.",
    CREDITS_42 + "4.3 Credit Requests. To receive a credit, Customer must submit a request within thirty (30) days "
    "after the end of the month, and Provider will apply the credit to the next invoice.",
    CREDITS_42 + _request("for any Downtime"),
    CREDITS_42 + _request("toward future fees"),
    "3. SERVICE CREDITS. " + PROSE + " Provider must receive Customer's request for a service credit within thirty "
    "(30) days after the end of the month.",
])
def test_a_claim_window_beside_the_suppliers_own_acts_is_read(text):
    read = extract_contract([SECTIONS + text], source="t").terms["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}


# review of 204d76c: the supplier's act that names the customer is the supplier's, not the claim's window
@pytest.mark.parametrize("act", [
    " Provider will notify Customer of the measured Availability within five (5) days after the end of each month.",
    " We will notify you of the measured Availability within five (5) days after the end of each month.",
    " Provider will confirm receipt of Customer's claim within five (5) days after the end of the month.",
    ", and Provider will notify Customer of the measured Availability within five (5) days after the end of the month.",
])
def test_the_suppliers_act_naming_the_customer_is_not_the_claim_window(act):
    claim = " Customer must request a service credit within thirty (30) days after the end of the affected month"
    read = _prose(claim + ("." if act.startswith(" ") else "") + act)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}
    # was: P5D, "the shorter of the windows stated (P30D, P5D)"


@pytest.mark.parametrize("claim", [
    " Requests for service credits must be received by Provider within thirty (30) days after the end of the month.",
    " We must receive your request for a service credit within thirty (30) days after the end of the month.",
])
def test_the_supplier_receiving_the_claim_is_the_customers_deadline(claim):
    read = _prose(claim)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}


# review of 204d76c: another credit's words count only in what the claim is for, not in its deadline, its
# addressee or what goes with it
@pytest.mark.parametrize(("claim", "start"), [
    (" Customer must request a service credit within thirty (30) days after the end of the billing month.",
     "end of the measured period"),
    (" Customer must request a service credit within thirty (30) days after the end of the billing cycle.",
     "end of the measured period (assumed)"),
    (" To receive a service credit, Customer must submit a claim to Provider's billing department within thirty (30) "
     "days after the end of the affected month.", "end of the measured period"),
    (" Customer must request a service credit, together with its invoice number, within thirty (30) days after the "
     "end of the affected month.", "end of the measured period"),
    (" Customer must request a service credit for the Services purchased within thirty (30) days after the end of "
     "the affected month.", "end of the measured period"),
])
def test_words_of_another_credit_outside_what_is_claimed_leave_the_window(claim, start):
    read = _prose(claim)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": start}  # was: none


@pytest.mark.parametrize("title", ["\n\nCredit Requests.\n", "\n\nCLAIMS. ", "\n\nService Credit Claims\n"])
def test_a_credit_tables_claim_window_under_a_title_about_claiming_is_read(title):
    tiers = extract_contract([INTRO + TABLE + title + CLAIM.strip()], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["claim_window"] == "P30D"  # was: none, the title taken for another clause
    assert tiers.value["claim_evidence"]["text"].splitlines()[-1].endswith("after the end of the affected month.")


def test_a_window_counted_from_the_incident_says_so_and_gives_no_deadline():
    terms = _prose(" Customer must request a service credit within ten (10) days after the outage.")
    assert terms["service_credit_claim"].value == {"claim_window": "P10D", "claim_from": "the incident"}
    assert _claim_breach(terms).claim_by is None  # the incident's day is not known


def test_the_subclauses_after_a_clause_are_looked_at_once_however_often_it_mentions_service_credits(monkeypatch):
    from clausewatch.extract import credit_claims
    looked = []
    about = credit_claims._about_claiming
    monkeypatch.setattr(credit_claims, "_about_claiming", lambda text: looked.append(text) or about(text))
    credits = "4.2 Service Credits. " + " ".join(["Service credits are issued monthly."] * 50) + "\n"
    others = "".join(f"4.{n} Exclusions {n}. Scheduled maintenance is not downtime.\n" for n in range(3, 8))
    assert extract_contract([SECTIONS + credits + others], source="t").terms["service_credit_claim"] is None
    assert len(looked) == 5  # was: 250, each subclause once per mention (28 s for 260 KB)


# QA of 2026-12-07: a claim window in a subclause of its own in a later section or an exhibit, read when the
# subclause names service credits in its title or first sentence (a later "Credit Requests. To receive a credit"
# may be another section's credit: not read, above)
LATER = "4.3 Exclusions. Scheduled maintenance is not downtime.\n5. FEES. Fees are due monthly.\n"


@pytest.mark.parametrize("after", [
    LATER + "9.3 Service Credit Requests. Customer must submit a request within thirty (30) days after the end of the "
    "month.",
    LATER + "\nEXHIBIT B\nSERVICE LEVELS\n\nService Credit Claims. Customer must submit a claim within thirty (30) days "
    "after the end of the affected month.",
    LATER + "\nEXHIBIT B\n\nService Credit Claims\n\nCustomer must submit a written request within thirty (30) days after "
    "the end of the affected month.",
])
def test_a_claim_window_in_a_later_subclause_about_claiming_service_credits_is_read(after):
    read = extract_contract([SECTIONS + CREDITS_42 + after], source="t").terms["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}
    assert read.evidence is not None and read.evidence.text.startswith("Customer must submit")  # was: none


def test_a_credit_tables_claim_window_in_a_later_section_is_read():
    text = (INTRO + TABLE + "\n4. FEES. Fees are due monthly.\n9.3 Credit Requests. To receive a Service Credit, "
            "Customer must submit a request within thirty (30) days after the end of the month.")
    tiers = extract_contract([text], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["claim_window"] == "P30D"  # was: none
    assert tiers.value["claim_evidence"]["text"].startswith("To receive a Service Credit")


@pytest.mark.parametrize("after", [
    # another kind of credit, or the service credit named only past the subclause's opening
    LATER + "9.3 Promotional Credit Requests. Customer must submit a request for a service credit within thirty (30) "
    "days after the end of the month.",
    LATER + "9.3 Billing Disputes. Customer may request a service credit for overbilling within thirty (30) days "
    "after the end of the month.",
    LATER + "9.3 Credit Requests. To receive a Service Credit for unused prepaid fees, Customer must submit a request "
    "within thirty (30) days after the end of the month.",
    # two later subclauses with different windows: which binds is not known
    LATER + "9.3 Service Credit Requests. Customer must submit a request within thirty (30) days after the end of the "
    "month.\n\nEXHIBIT B\n\nService Credit Claims. Customer must submit a claim within sixty (60) days after the end of "
    "the month.",
])
def test_no_claim_window_from_a_later_subclause_of_another_credit_or_of_two_windows(after):
    text = SECTIONS + CREDITS_42 + after
    assert extract_contract([text], source="t").terms["service_credit_claim"] is None


# QA of 2026-12-07: a credits heading at the document's very start (no number) has the document's subclauses
START_CREDITS = "If Availability falls below 99.9% in a month, Customer is eligible for a Service Credit of 10% of the monthly fee."
START_REQUEST = "Credit Requests. To receive a credit, Customer must submit a request within thirty (30) days after the end of the month."


@pytest.mark.parametrize("text", [
    "Service Credits\n" + START_CREDITS + "\n1. Exclusions. Scheduled maintenance is not downtime.\n2. " + START_REQUEST,
    "SERVICE CREDITS.\n1. " + START_CREDITS + "\n2. Exclusions. Scheduled maintenance is not downtime.\n3. " + START_REQUEST,
])
def test_a_claim_window_under_credits_titled_at_the_documents_start_is_read(text):
    read = extract_contract([text], source="t").terms["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}  # was: none


def test_a_documents_title_that_is_not_of_service_credits_finds_no_subclause():
    text = "REVOLVING CREDIT AGREEMENT\n" + START_CREDITS + "\n1. Exclusions. None.\n2. " + START_REQUEST
    assert extract_contract([text], source="t").terms["service_credit_claim"] is None


# QA of 2026-12-07: a clause naming no party is the customer's claim or not by its verb's act
@pytest.mark.parametrize("act", [
    " The request will be answered within ten (10) days after the end of the month.",
    " Credit requests will be reviewed within ten (10) days after the end of the month.",
    " Approved requests shall be credited within ten (10) days after the end of the month.",
])
def test_the_suppliers_act_in_a_clause_naming_no_party_is_not_the_claim_window(act):
    read = _prose(CLAIM + act)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}
    # was: P10D, "the shorter of the windows stated (P30D, P10D)"


def test_a_passive_customer_act_naming_no_party_is_the_claim_window():
    claim = " Service credit requests must be submitted within thirty (30) days after the end of the affected month."
    read = _prose(claim)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}
    tiers = extract_contract([INTRO + TABLE + "\n" + claim.strip()], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["claim_window"] == "P30D"  # was: none, in prose and under a table


# QA of 2026-12-07: a window in hours is read as hours; from a moment (the incident, the end of a Downtime Period)
# no claim day is counted from it (a day counted up would be late, one counted down not the contract's)
@pytest.mark.parametrize(("claim", "claim_from"), [
    (" Customer must request a service credit within seventy-two (72) hours of the incident.", "the incident"),
    # hclaim8: the end of a Downtime Period is a moment, not the measured period's end (was: counted from it)
    (" Customer must request a service credit within seventy-two (72) hours after the end of the Downtime Period.",
     "the incident"),
    (" Customer must request a service credit within thirty (30) days after the end of the outage period.",
     "the incident"),
    # review of hclaim8: a period the allow-list does not name as measured is the incident's (was: the measured
    # period's end, a claim day weeks late: 72 hours after the end of the period of Downtime claimed by 2026-11-03)
    (" Customer must request a service credit within seventy-two (72) hours after the end of the period of Downtime.",
     "the incident"),
    (" Customer must request a service credit within seventy-two (72) hours after the end of any period of "
     "unavailability.", "the incident"),
    (" Customer must request a service credit within seventy-two (72) hours after the end of the impact period.",
     "the incident"),
    (" Customer must request a service credit within seventy-two (72) hours after the end of the degradation period.",
     "the incident"),
    (" Customer must request a service credit within thirty (30) days after the end of the Service Disruption period.",
     "the incident"),
    (" Customer must request a service credit within thirty (30) days after the end of the period.", "the incident"),
])
def test_a_claim_window_from_a_moment_gets_no_claim_day(claim, claim_from):
    terms = _prose(claim)
    window = terms["service_credit_claim"].value
    assert window["claim_from"] == claim_from  # was: end of the measured period (the Downtime / outage period)
    breach = _claim_breach(terms)
    assert breach.claim_by is None and breach.amount_unknown == "tiers not read"
    if window["claim_window"] == "PT72H":
        assert breach.claim_derivation == (f"claim window PT72H (hours) from {claim_from}: no claim day is counted, "
                                           "the deadline is an hour of a day; check it by hand")


# hclaim8: hours counted from a day boundary the text names (the end of the month, of the Measurement Period) end
# at a moment: the end of that day + the hours; the claim day is the last whole day before it (72 hours after
# 2026-11-01 00:00 end at 2026-11-04 00:00: claim by 2026-11-03). Was: no claim day, checked by hand
@pytest.mark.parametrize("claim", [
    " Customer must request a service credit within seventy-two (72) hours after the end of the affected month.",
    " Customer must request a service credit within seventy-two (72) hours after the end of the calendar month.",
    " Customer must request a service credit within seventy-two (72) hours after the end of the month in which the "
    "outage occurred.",
    " Customer must request a service credit within seventy-two (72) hours of the end of the Measurement Period.",
    # review of hclaim8: the allow-list of a measured period's words
    " Customer must request a service credit within seventy-two (72) hours after the end of the applicable Service "
    "Level period.",
    " Customer must request a service credit within seventy-two (72) hours after the end of each billing period.",
    " Customer must request a service credit within seventy-two (72) hours after the end of the relevant reporting "
    "period.",
])
def test_a_claim_window_in_hours_from_the_end_of_the_month_gives_the_last_whole_day(claim):
    terms = _prose(claim)
    assert _window(terms["service_credit_claim"]) == {"claim_window": "PT72H",
                                                   "claim_from": "end of the measured period"}
    breach = _claim_breach(terms)
    assert breach.claim_by == date(2026, 11, 3)  # was: None
    assert breach.claim_derivation == ("end of 2026-10 (2026-11-01 00:00) + PT72H = 2026-11-04 00:00 -> claim by "
                                       "2026-11-03")


@pytest.mark.parametrize(("window", "claim_by", "derivation"), [
    # at an hour of a day the reminder does not name: the day before it (a late day is worse than an early one)
    ("PT84H", date(2026, 11, 3), "end of 2026-10 (2026-11-01 00:00) + PT84H = 2026-11-04 12:00 -> claim by 2026-11-03 "
     "(the deadline is 12:00 on 2026-11-04: the claim day is the last whole day before it)"),
    ("PT24H", date(2026, 11, 1), "end of 2026-10 (2026-11-01 00:00) + PT24H = 2026-11-02 00:00 -> claim by 2026-11-01"),
    # no whole day before the deadline: none, by hand
    ("PT12H", None, "claim window PT12H (hours) from end of the measured period: no claim day is counted, the deadline "
     "is an hour of the next day (end of 2026-10 (2026-11-01 00:00) + PT12H = 2026-11-01 12:00); check it by hand"),
])
def test_a_claim_window_in_hours_not_whole_days_takes_the_earlier_day(window, claim_by, derivation):
    breach = _hours_breach(window)
    assert breach.claim_by == claim_by and breach.claim_derivation == derivation


def _hours_breach(window: str, time_zone: str | None = None):
    """A credit computed for 2026-10, claimed within ``window`` (hours) after the end of the month."""
    terms = {"claim_window": window, "claim_from": "end of the measured period"}
    [breach] = assess(parse_metrics("period,metric,value\n2026-10,availability,98.5\n", "csv"),
                      {**terms, "tiers": [{"below": "99.9", "at_least": None, "credit_percent": "5"}],
                       "base": {"fraction": "1", "period": "month"}}, "99.9%",
                      FEES, today=date(2026, 12, 1), time_zone=time_zone)
    assert breach.credit is not None
    return breach


# hclaim8: the hours are elapsed from midnight in the contract's time zone: New York's clock is set back an hour on
# 2026-11-01, so 72 hours end at 23:00 on 2026-11-03 there (claimed by 2026-11-02); London's is not
@pytest.mark.parametrize(("time_zone", "claim_by", "derivation"), [
    ("America/New_York", date(2026, 11, 2), "end of 2026-10 (2026-11-01 00:00 America/New_York) + PT72H = 2026-11-03 "
     "23:00 -> claim by 2026-11-02 (the deadline is 23:00 on 2026-11-03: the claim day is the last whole day before "
     "it)"),
    ("Europe/London", date(2026, 11, 3), "end of 2026-10 (2026-11-01 00:00 Europe/London) + PT72H = 2026-11-04 00:00 "
     "-> claim by 2026-11-03"),
])
def test_a_claim_window_in_hours_counts_elapsed_hours_in_the_contracts_time_zone(time_zone, claim_by, derivation):
    breach = _hours_breach("PT72H", time_zone)
    assert breach.claim_by == claim_by and breach.claim_derivation == derivation


def test_the_shorter_of_two_windows_in_hours_binds_and_minutes_are_not_read():
    read = _prose(" Customer must request a service credit within seventy-two (72) hours, and in any event within "
                  "forty-eight (48) hours, after the end of the affected month.")["service_credit_claim"]
    assert read is not None and read.value["claim_window"] == "PT48H"
    assert read.value["claim_window_why"] == "the shorter of the windows stated (PT72H, PT48H)"
    assert _prose(" Customer must request a service credit within ninety (90) minutes of the incident.")[
        "service_credit_claim"] is None


# QA of 2026-12-07: another credit's words in what only qualifies what a real claim is for leave it read; the
# credit claimed being itself another kind still gives none (above)
@pytest.mark.parametrize("text", [
    "3. SERVICE CREDITS. " + PROSE + " Customer must request service credits for Downtime during termination "
    "assistance within thirty (30) days after the end of the month.",
    CREDITS_42 + _request("for Downtime (including Downtime during any tax filing period)"),
    CREDITS_42 + _request("for any Outage that occurs during the termination assistance period"),
])
def test_words_of_another_credit_qualifying_what_is_claimed_leave_the_window(text):
    read = extract_contract([SECTIONS + text], source="t").terms["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}


@pytest.mark.parametrize("credit", ["for taxes during the outage", "for unused prepaid fees during termination"])
def test_a_claim_for_another_credit_qualified_by_the_services_words_is_not_read(credit):
    assert extract_contract([SECTIONS + CREDITS_42 + _request(credit)], source="t").terms["service_credit_claim"] is None


# QA of 2026-12-07: in the credits' own clause, a window counted from an invoice is not the measured period's
# (no metrics file gives the invoice's day): read as counted from "the invoice" (no claim day, the breach says so,
# tests/integration/test_money_credit_to_check.py), never from the end of the measured month
INVOICE_CLAIM = (" Customer must submit any request for a credit within thirty (30) days after the end of the month in "
                 "which the invoice was issued.")
FROM_INVOICE = {"claim_window": "P30D", "claim_from": "the invoice"}


@pytest.mark.parametrize("claim", [
    INVOICE_CLAIM,
    " Customer must request a service credit within thirty (30) days of the date of the invoice for the affected month.",
])
def test_a_claim_window_counted_from_an_invoice_is_read_as_from_the_invoice(claim):
    # was (2026-12-07): P30D from the end of the measured period; then (hclaim9c): nothing read, nothing said
    assert _prose(claim)["service_credit_claim"].value == FROM_INVOICE
    tiers = extract_contract([INTRO + TABLE + "\n" + claim.strip()], source="t").terms["service_credit_tiers"]
    assert tiers is not None and {k: v for k, v in tiers.value.items() if k in ("claim_window", "claim_from",
                                                                               "claim_from_unit")} == FROM_INVOICE


# QA of 2026-12-07: a credit table's cap is its clause's, up to the next heading, as its claim window is
@pytest.mark.parametrize(("after", "cap"), [
    ("\nService credits in any month shall not exceed 50% of the monthly fees.", "50"),
    # a sentence capping service credits by name binds wherever it stands (review of hclaim6: was None, dropped)
    ("\n4. LIMITATION OF LIABILITY. Service credits in any month shall not exceed 50% of the monthly fees.", "50"),
    ("\n\nSection 4. Refunds. Credits in any month shall not exceed 50% of the monthly fees.", None),
    ("\n5. BILLING. Service credits for overbilling shall not exceed 5% of the monthly fees.", None),  # another credit
])
def test_a_credit_tables_cap_is_read_up_to_the_next_heading(after, cap):
    tiers = extract_contract([INTRO + TABLE + CLAIM + after], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value.get("cap_percent") == cap  # was: 50, another section's


# review of hclaim6: a verb anyone's act may be (reported, given, sent ...) is the customer's only when what is
# acted on is a request, claim, notice or ticket
@pytest.mark.parametrize("act", [
    " Availability will be reported within five (5) days after the end of each month.",
    " Service credits will be given within ten (10) days after the end of the month.",
    " A credit memo will be sent within ten (10) days after the end of the month.",
])
def test_a_passive_act_on_no_request_is_not_the_claim_window(act):
    read = _prose(CLAIM + act)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}
    # was: P5D / P10D, "the shorter of the windows stated"


def test_a_request_sent_naming_no_party_is_the_claim_window():
    read = _prose(" Credit requests must be sent within thirty (30) days after the end of the affected month.")[
        "service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}


# review of hclaim6: what only qualifies what is claimed, naming a billing error, makes it another credit
@pytest.mark.parametrize("text", [
    "3. SERVICE CREDITS. " + PROSE + " Customer may request a credit for any month in which Customer was overcharged "
    "within ninety (90) days after the end of the month.",
    CREDITS_42 + "4.3 Credit Requests. To receive a credit for any period during which Customer was billed twice, "
    "Customer must submit a request within ninety (90) days after the end of the month.",
])
def test_a_claim_qualified_by_a_billing_error_is_another_credit(text):
    assert extract_contract([SECTIONS + text], source="t").terms["service_credit_claim"] is None  # was: P90D


@pytest.mark.parametrize("after", [
    "\nCustomer may request a credit for any month in which fees were invoiced in error within ninety (90) days after "
    "the end of the month.",
    "\n3.2 Credit Requests. To receive a credit for any period during which Customer was billed twice, Customer must "
    "submit a request within ninety (90) days after the end of the month.",
])
def test_a_credit_tables_claim_qualified_by_a_billing_error_is_another_credit(after):
    tiers = extract_contract([INTRO + TABLE + after], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "claim_window" not in tiers.value  # was: P90D


# review of hclaim6: when the credits' own clause states a window that is not read, no later clause's is read in
# its stead; an exhibit of another service's SLA is never the credits'; a credit forfeited unless claimed within
# N days, or "in order to be eligible for Service Credits, ... within N days", is the customer's window
OTHER_EXHIBIT = ("\nEXHIBIT C - PROFESSIONAL SERVICES SLA\n\nService Credit Claims. Customer must submit a claim within "
                 "sixty (60) days after the end of the affected month.")


@pytest.mark.parametrize(("own", "window"), [
    (INVOICE_CLAIM, "P30D"),  # read as from the invoice (no day counted), never the later clause's
    (" Customer must request a service credit within ninety (90) minutes of the incident.", None),
])
def test_a_window_the_credits_clause_states_but_is_not_read_is_not_replaced_by_a_later_one(own, window):
    later = "\n" + LATER + "9.3 Service Credit Requests. Customer must submit a request within sixty (60) days after " \
        "the end of the month."
    read = _prose(own + later)["service_credit_claim"]
    assert (read and read.value.get("claim_window")) == window  # was: P60D, a later clause's
    tiers = extract_contract([INTRO + TABLE + "\n" + own.strip() + later], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value.get("claim_window") == window  # was: P60D


def test_an_exhibit_of_another_services_sla_is_not_the_credits_claim_window():
    assert _prose("\n" + LATER + OTHER_EXHIBIT)["service_credit_claim"] is None  # was: P60D
    tiers = extract_contract([INTRO + TABLE + "\n" + LATER + OTHER_EXHIBIT], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "claim_window" not in tiers.value  # was: P60D


@pytest.mark.parametrize(("own", "window"), [
    (" Service credits are forfeited unless claimed within ten (10) days after the end of the month.", "P10D"),
    (" In order to be eligible for Service Credits, Customer must notify Provider within thirty (30) days after the "
     "end of the affected month.", "P30D"),
])
def test_a_credit_forfeited_unless_claimed_or_a_condition_of_eligibility_is_the_claim_window(own, window):
    read = _prose(own + OTHER_EXHIBIT)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": window, "claim_from": "end of the measured period"}
    assert read.evidence is not None and read.evidence.text == own.strip()  # was: P60D, the exhibit's
    tiers = extract_contract([INTRO + TABLE + "\n" + own.strip() + OTHER_EXHIBIT], source="t").terms[
        "service_credit_tiers"]
    assert tiers is not None and tiers.value["claim_window"] == window


# review of hclaim6: a cap on service credits in a subclause or section of its own binds (was: dropped, the credits
# over-claimed); two caps that differ: neither is applied, and the credit says so
@pytest.mark.parametrize("cap", [
    "\n3.2 Credit Limits. Service credits in any calendar year shall not exceed 10% of the annual Subscription Fees.",
    "\n3.2 Maximum Credits. Service credits in any calendar year shall not exceed 10% of the annual Subscription Fees.",
    "\n4. LIMITATION OF LIABILITY. Service credits in any calendar year shall not exceed 10% of the annual "
    "Subscription Fees.",
])
def test_a_cap_on_service_credits_in_a_clause_of_its_own_binds(cap):
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["cap_percent"] == "10"  # was: no cap
    assert tiers.value["cap_period"] == "calendar year" and tiers.value["cap_base_period"] == "year"
    assert tiers.value["cap_evidence"]["text"].startswith("Service credits in any calendar year")
    months = "".join(f"2026-0{n},availability,94\n" for n in range(1, 7))
    breaches = assess(parse_metrics("period,metric,value\n" + months, "csv"), tiers.value, "99.9%", FEES,
                      today=date(2026, 12, 1))
    assert sum(b.credit.amount for b in breaches) == Decimal("12000.00")  # was: 15,000.00 (6 x 2,500)


def test_two_caps_on_service_credits_that_differ_are_neither_applied_and_the_credit_says_so():
    caps = ("\nService credits in any month shall not exceed 50% of the monthly fees.\n4. LIMITATION OF LIABILITY. "
            "Service credits in any calendar year shall not exceed 10% of the annual Subscription Fees.")
    tiers = extract_contract([INTRO + TABLE + CLAIM + caps], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "cap_percent" not in tiers.value  # was: 50, the table clause's alone
    assert tiers.value["cap_unclear"] == ("two caps on service credits are stated (50% per month, 10% per calendar "
                                          "year): neither is applied")
    breach = _breach(extract_contract([INTRO + TABLE + CLAIM + caps], source="t").terms, "94")
    assert breach.credit.amount == Decimal("2500.00") and "check the cap by hand" in breach.derivation


# review of hclaim6: the credits' own clause titled "Performance / Downtime / Hosting Credits" is theirs
@pytest.mark.parametrize("title", ["Performance", "Downtime", "Hosting"])
def test_the_credits_own_clause_titled_for_their_service_is_read(title):
    text = (SECTIONS + f"4.2 {title} Credits. If Availability falls below 99.9% in a month, Customer is eligible for a "
            "Service Credit of 10% of the monthly fee. Customer must request a service credit within thirty (30) days "
            "after the end of the month.")
    read = extract_contract([text], source="t").terms["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}
    # was: none, the title taken for another kind of credit


def test_the_later_of_two_windows_is_not_read():
    claim = (" Customer must request a service credit within seventy-two (72) hours or three (3) business days after "
             "the end of the affected month, whichever is later.")
    assert _prose(claim)["service_credit_claim"] is None  # was: PT72H


def _hours_finding(amount: str | None):
    from clausewatch.store.models import FindingItem
    detail = {"metric": "availability", "actual": "98.5", "target": "99.9", "claim_by": None,
              "claim_derivation": "claim window PT72H (hours) from end of the measured period: no claim day is "
                                  "counted, the deadline is an hour of a day; check it by hand",
              **({} if amount else {"amount_unknown": "tiers not read"})}
    return FindingItem("CONTRACT#c1", "FINDING#f1", contract_id="c1", finding_id="f1", kind="sla_breach",
                       source="metrics", summary="breach", amount=amount, currency="USD" if amount else None,
                       period="2026-11", detail=detail, recorded_at="2026-12-06T00:00:00Z")


def test_a_credit_to_check_with_a_window_in_hours_says_the_window_is_in_hours():
    from clausewatch.store.money import credit_check_of
    said = "the claim window is in hours (PT72H from end of the measured period): no claim day is counted"
    unknown = credit_check_of(_hours_finding(None), None)
    assert unknown is not None and said in unknown and "no window to claim it was read" not in unknown
    computed = credit_check_of(_hours_finding("1000.00"), None)  # was: no flag, the claim never asked for
    assert computed is not None and "credit USD 1000.00 computed" in computed and said in computed


# final review of hclaim6: a cap on another service's credits (a schedule titled for it, or credits qualified by its
# word) is not this credit's cap, nor a cap on liability that only includes service credits
@pytest.mark.parametrize("other", [
    "\nSCHEDULE 4 - SUPPORT SLA\n4.1 Response times.\n4.2 Service credits in any month shall not exceed 15% of the "
    "monthly support fees.",
    "\n7. SUPPORT. Support service credits shall not exceed 5% of the monthly support fees.",
    "\n8. LIABILITY. Provider's aggregate liability, including service credits, shall not exceed 100% of the fees "
    "paid in the twelve (12) months before the claim.",
    # hclaim8: a word the cap names as a service (its clause's title, its fees) is another's
    "\n7. PLATINUM. Platinum service credits shall not exceed 5% of the monthly fees.",
    "\n7. LIMITS. Platinum service credits shall not exceed 5% of the monthly platinum fees.",
    "\n7. PLATINUM SUPPORT. Provider shall provide the Platinum Services. Platinum service credits shall not exceed "
    "5% of the monthly fees.",
])
def test_a_cap_on_another_services_credits_or_on_liability_is_not_the_credits_cap(other):
    tiers = extract_contract([INTRO + TABLE + CLAIM + other], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "cap_percent" not in tiers.value and "cap_unclear" not in tiers.value  # was: 15, 5, 100
    months = "".join(f"2026-0{n},availability,94\n" for n in range(1, 7))
    breaches = assess(parse_metrics("period,metric,value\n" + months, "csv"), tiers.value, "99.9%", FEES,
                      today=date(2026, 12, 1))
    assert sum(b.credit.amount for b in breaches) == Decimal("15000.00")  # was: 9,000.00 (the support cap)


def test_the_credits_own_schedules_cap_still_binds():
    text = ("SCHEDULE 2 - HOSTING SLA\n" + INTRO + TABLE + CLAIM + "\n4. LIMITS. Service credits in any month shall "
            "not exceed 10% of the monthly Subscription Fees.")
    tiers = extract_contract([text], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["cap_percent"] == "10"


# final review of hclaim6: "submitted" is the customer's act only when what is submitted is a claim, request or ticket
def test_a_report_submitted_is_not_the_claim_window():
    act = " Outage reports will be submitted within five (5) days after the end of each month."
    tiers = extract_contract([INTRO + TABLE + CLAIM + act], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["claim_window"] == "P30D"  # was: P5D, the shorter
    read = _prose(CLAIM + act)["service_credit_claim"]
    assert read is not None and _window(read) == {"claim_window": "P30D", "claim_from": "end of the measured period"}
    still = _prose(" Requests for service credits must be made in writing and must be submitted within thirty (30) days "
                   "after the end of the affected month.")["service_credit_claim"]
    assert still is not None and still.value["claim_window"] == "P30D"


# hclaim8: a cap on credits qualified by a word that names no other service is not dropped (was: taken for another
# service's, the credits counted with no cap: over-claimed). "Excess" / "Aggregate" / "Total" qualify the credits:
# applied; a word the document never names as a service: said on the credit, to check by hand
@pytest.mark.parametrize("cap", [
    "\n4. LIMITS. Excess service credits in any calendar year shall not exceed 10% of the annual Subscription Fees.",
    "\n4. LIMITS. Combined service credits in any calendar year shall not exceed 10% of the annual Subscription Fees.",
])
def test_a_cap_on_credits_qualified_by_a_word_of_quantity_binds(cap):
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["cap_percent"] == "10"  # was: no cap ("Excess", "Combined")
    assert "cap_unclear" not in tiers.value
    months = "".join(f"2026-0{n},availability,94\n" for n in range(1, 7))
    breaches = assess(parse_metrics("period,metric,value\n" + months, "csv"), tiers.value, "99.9%", FEES,
                      today=date(2026, 12, 1))
    assert sum(b.credit.amount for b in breaches) == Decimal("12000.00")  # was: 15,000.00 uncapped


def test_a_cap_on_credits_qualified_by_a_word_naming_no_service_is_said_on_the_credit():
    cap = "\n4. LIMITS. Platinum service credits in any month shall not exceed 10% of the monthly fees."
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "cap_percent" not in tiers.value
    assert tiers.value["cap_unclear"] == ("a cap on Platinum service credits is stated that may apply (10% per "
                                          "month)")  # was: nothing, the cap dropped
    breach = _breach(extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms, "94")
    assert breach.credit.amount == Decimal("2500.00")
    assert breach.derivation.endswith("; a cap on Platinum service credits is stated that may apply (10% per month): "
                                      "check the cap by hand")
    assert breach.to_dict()["cap_unclear"] == tiers.value["cap_unclear"]


def test_a_credit_a_cap_may_apply_to_is_a_credit_to_check_until_claimed():
    from types import SimpleNamespace

    from clausewatch.schema import ObligationStatus
    from clausewatch.store.models import FindingItem
    from clausewatch.store.money import credit_check_of
    detail = {"metric": "availability", "actual": "94", "target": "99.9", "claim_by": "2026-11-30",
              "claim_derivation": "end of 2026-10 2026-10-31 + P30D = 2026-11-30",
              "cap_unclear": "a cap on Platinum service credits is stated that may apply (10% per month)"}
    finding = FindingItem("CONTRACT#c1", "FINDING#f1", contract_id="c1", finding_id="f1", kind="sla_breach",
                          source="metrics", summary="breach", amount="2500.00", currency="USD", period="2026-10",
                          detail=detail, recorded_at="2026-11-06T00:00:00Z")
    claim = SimpleNamespace(status=ObligationStatus.OPEN, due="2026-11-30", obligation_id="credit-2026-10-availability")
    assert credit_check_of(finding, claim) == (  # was: None, the credit claimed as computed
        "SLA breach in 2026-10: availability 94% below the 99.9% target; credit USD 2500.00 computed; a cap on "
        "Platinum service credits is stated that may apply (10% per month): check the cap by hand before claiming it "
        "by 2026-11-30 (obligation credit-2026-10-availability)")
    assert credit_check_of(finding, SimpleNamespace(**{**vars(claim), "status": ObligationStatus.DONE})) is None


def test_a_cap_that_may_apply_is_said_beside_the_cap_applied():
    caps = ("\nService credits in any month shall not exceed 50% of the monthly fees.\n4. LIMITS. Platinum service "
            "credits in any month shall not exceed 10% of the monthly fees.")
    tiers = extract_contract([INTRO + TABLE + CLAIM + caps], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["cap_percent"] == "50"
    assert tiers.value["cap_unclear"] == "a cap on Platinum service credits is stated that may apply (10% per month)"
    breach = _breach(extract_contract([INTRO + TABLE + CLAIM + caps], source="t").terms, "94")
    assert "check the cap by hand" in breach.derivation  # was: the 10% cap dropped, nothing said


def test_a_cap_on_credits_of_services_named_elsewhere_is_still_said():
    # "the Cloud Services" may be the credits' own service: its cap is not dropped (never over-claimed)
    cap = ("\n4. LIMITS. Provider provides the Cloud Services. Cloud service credits in any month shall not exceed 10% "
           "of the monthly fees.")
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["cap_unclear"] == ("a cap on Cloud service credits is stated that may "
                                                                "apply (10% per month)")  # was: nothing, dropped


# review of hclaim8: a clause titled about credits or their limits names no service ("PLATINUM CREDIT LIMIT": which
# credits, not which service): its cap is said, not dropped (was: no cap and no cap_unclear, the credit over-claimed)
def test_a_cap_under_a_title_about_credit_limits_is_said_not_dropped():
    cap = "\n4. PLATINUM CREDIT LIMIT. Platinum service credits shall not exceed 10% of the monthly fees."
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "cap_percent" not in tiers.value
    assert tiers.value["cap_unclear"] == "a cap on Platinum service credits is stated that may apply (10%)"
    # the credits' own word in the title: applied
    own = "\n4. AVAILABILITY CREDIT LIMIT. Availability service credits shall not exceed 10% of the monthly fees."
    tiers = extract_contract([INTRO + TABLE + CLAIM + own], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["cap_percent"] == "10" and "cap_unclear" not in tiers.value


# review of hclaim8: credits "for" / "in respect of" a service the credits do not name are another service's (was:
# the cap applied to these credits, under-claimed); their own service's: applied; unsure: said, not applied
@pytest.mark.parametrize("cap", [
    "\n4. LIMITS. Service credits for the Support Services shall not exceed 10% of the monthly fees.",
    "\n4. LIMITS. Service credits in respect of the Support Services shall not exceed 10% of the monthly fees.",
])
def test_a_cap_on_credits_for_another_service_is_not_applied(cap):
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "cap_percent" not in tiers.value and "cap_unclear" not in tiers.value
    breach = _breach(extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms, "94")
    assert breach.credit.amount == Decimal("2500.00")  # was: 1,000.00 (the Support Services' cap)
    # the credits' own service (their service level names it): applied
    own = INTRO.replace("make the Services available", "make the Support Services available")
    tiers = extract_contract([own + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and tiers.value["cap_percent"] == "10" and "cap_unclear" not in tiers.value


@pytest.mark.parametrize(("cap", "percent", "unclear"), [
    ("Service credits for the Services shall not exceed 10% of the monthly fees.", "10", None),
    ("Service credits for any calendar month shall not exceed 10% of the monthly fees.", "10", None),
    ("Service credits under this Agreement shall not exceed 10% of the monthly fees.", "10", None),
    ("Service credits for the Services provided under this Agreement shall not exceed 10% of the monthly fees.", "10",
     None),
    ("Service credits under this Schedule in any month shall not exceed 10% of the monthly fees.", "10", None),
    ("Service credits for the Gold Tier shall not exceed 10% of the monthly fees.", None,
     "a cap on service credits for Gold Tier is stated that may apply (10%)"),
])
def test_a_cap_on_credits_for_what_names_no_other_service_is_applied_or_said(cap, percent, unclear):
    tiers = extract_contract([INTRO + TABLE + CLAIM + "\n4. LIMITS. " + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None
    assert tiers.value.get("cap_percent") == percent and tiers.value.get("cap_unclear") == unclear


# review of hclaim8: a computed credit whose window in days is counted from the incident says so and is a credit to
# check (was: no claim day, no derivation and no flag: the claim never asked for)
def test_a_computed_credit_claimed_in_days_from_the_incident_is_a_credit_to_check():
    from clausewatch.store.models import FindingItem
    from clausewatch.store.money import credit_check_of
    claim = "\nCustomer must request a service credit within thirty (30) days after the end of the period of Downtime."
    terms = extract_contract([INTRO + TABLE + claim], source="t").terms
    assert terms["service_credit_tiers"].value["claim_from"] == "the incident"  # was: end of the measured period
    breach = _breach(terms, "94")
    assert breach.credit.amount == Decimal("2500.00") and breach.claim_by is None
    assert breach.claim_derivation == ("claim window P30D from the incident: no claim day is counted, the incident's "
                                       "day is not known; check it by hand")  # was: None
    finding = FindingItem("CONTRACT#c1", "FINDING#f1", contract_id="c1", finding_id="f1", kind="sla_breach",
                          source="metrics", summary="breach", amount="2500.00", currency="USD", period="2026-10",
                          detail=breach.to_dict(), recorded_at="2026-11-06T00:00:00Z")
    assert credit_check_of(finding, None) == (  # was: None
        "SLA breach in 2026-10: availability 94% below the 99.9% target; credit USD 2500.00 computed; the claim window "
        "is counted from the incident (P30D from the incident): no claim day is counted, claim it by hand within it")


# review of hclaim8: "In no event shall service credits exceed ..." and "SLA Credits shall not exceed ..." are caps
# (was: not read, the credits over-claimed); "If service credits exceed ..." is a condition, not a cap
@pytest.mark.parametrize(("cap", "percent", "unclear"), [
    ("In no event shall service credits exceed 10% of the monthly fees.", "10", None),
    ("In no event will the total service credits exceed 10% of the monthly fees.", "10", None),
    ("SLA Credits shall not exceed 10% of the monthly fees.", "10", None),
    ("In no event shall Platinum service credits exceed 10% of the monthly fees.", None,
     "a cap on Platinum service credits is stated that may apply (10%)"),
])
def test_a_cap_said_in_no_event_or_on_sla_credits_is_read(cap, percent, unclear):
    text = INTRO + TABLE + CLAIM + "\n4. LIMITS. " + cap
    tiers = extract_contract([text], source="t").terms["service_credit_tiers"]
    assert tiers is not None
    assert tiers.value.get("cap_percent") == percent and tiers.value.get("cap_unclear") == unclear


def test_credits_exceeding_a_share_as_a_condition_are_no_cap():
    cap = "\n4. TERMINATION. If service credits exceed 10% of the monthly fees, Customer may terminate."
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "cap_percent" not in tiers.value and "cap_unclear" not in tiers.value


# second review of hclaim8: "SLA credits" / "Service Level credits" for another service are another's (was: the cap
# applied, under-claimed); credits for several services, theirs among them, or for services the document names
# elsewhere: said, not dropped (was: dropped, over-claimed); "for the Hosting Services" names a service (was: applied)
@pytest.mark.parametrize(("cap", "percent", "unclear"), [
    ("The SLA credits for the Support Services shall not exceed 10% of the monthly fees.", None, None),
    ("SLA Credits in respect of the Support Services shall not exceed 10% of the monthly fees.", None, None),
    ("Service Level credits for the Support Services shall not exceed 10% of the monthly fees.", None, None),
    ("In no event shall service credits for the Support Services exceed 10% of the monthly fees.", None, None),
    ("Service credits for the Hosting Services shall not exceed 10% of the monthly fees.", None, None),
    ("Service credits for the Services and the Support Services shall not exceed 10% of the monthly fees.", None,
     "a cap on service credits for Services and the Support Services is stated that may apply (10%)"),
    ("Service credits for the Support Services and the Services, in aggregate, shall not exceed 10% of the monthly "
     "fees.", None, "a cap on service credits for Support Services and the Services is stated that may apply (10%)"),
    ("Provider provides the Cloud Services. Service credits for the Cloud Services in any month shall not exceed 10% "
     "of the monthly fees.", None, "a cap on service credits for Cloud Services is stated that may apply (10% per "
                                   "month)"),
    ("In no event shall service credits in any calendar month exceed 10% of the monthly fees.", "10", None),
    ("In no event shall service credits accrued in any month exceed 10% of the monthly fees.", "10", None),
])
def test_a_cap_on_credits_for_named_services_is_applied_said_or_dropped_as_the_document_shows(cap, percent, unclear):
    tiers = extract_contract([INTRO + TABLE + CLAIM + "\n4. LIMITS. " + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None
    assert tiers.value.get("cap_percent") == percent and tiers.value.get("cap_unclear") == unclear


def test_a_cap_on_services_with_their_own_service_level_is_another_services():
    cap = ("\n4. SUPPORT. Provider shall make the Cloud Services available 99.5% of the time.\n5. LIMITS. Service "
           "credits for the Cloud Services shall not exceed 10% of the monthly fees.")
    tiers = extract_contract([INTRO + TABLE + CLAIM + cap], source="t").terms["service_credit_tiers"]
    assert tiers is not None and "cap_percent" not in tiers.value and "cap_unclear" not in tiers.value


# second review of hclaim8: a window from the end of the incident's month (or billing period) when credits are
# measured per quarter gives no claim day: the incident's month is not known (was: counted from the quarter's end,
# 2026-10-30, two months late for an outage in July)
@pytest.mark.parametrize(("claim", "window", "unit"), [
    ("Customer must request a service credit within thirty (30) days after the end of the month in which the outage "
     "occurred.", "P30D", "month"),
    ("Customer must request a service credit within seventy-two (72) hours after the end of the billing period in "
     "which the incident occurred.", "PT72H", "billing period"),
])
def test_a_window_from_the_incidents_month_gives_no_day_for_a_quarter(claim, window, unit):
    from clausewatch.store.models import FindingItem
    from clausewatch.store.money import credit_check_of
    intro = INTRO.replace("in each calendar month", "in each calendar quarter").replace("in any calendar month",
                                                                                         "in any calendar quarter")
    tiers = extract_contract([intro + TABLE + "\n" + claim], source="t").terms["service_credit_tiers"].value
    assert tiers["claim_from_unit"] == unit
    [breach] = assess(parse_metrics("period,metric,value\n2026-Q3,availability,94\n", "csv"), tiers, "99.9%", FEES,
                      today=date(2026, 12, 1))
    assert breach.claim_by is None  # was: 2026-10-30 / 2026-10-03
    assert breach.claim_derivation == (f"claim window {window} from the incident: no claim day is counted, the window "
                                       f"counts from the end of the {unit} of the incident and 2026-Q3 is longer: "
                                       f"the incident's {unit} is not known; check it by hand")
    finding = FindingItem("CONTRACT#c1", "FINDING#f1", contract_id="c1", finding_id="f1", kind="sla_breach",
                          source="metrics", summary="breach", amount=str(breach.credit.amount), currency="USD",
                          period="2026-Q3", detail=breach.to_dict(), recorded_at="2026-12-01T00:00:00Z")
    assert credit_check_of(finding, None).endswith(
        f"the claim window is counted from the end of the {unit} of the incident ({window}), which 2026-Q3 does not "
        "tell: no claim day is counted, claim it by hand within it")
    # measured per month: counted from the month's end as before
    [monthly] = assess(parse_metrics("period,metric,value\n2026-10,availability,94\n", "csv"),
                       extract_contract([INTRO + TABLE + "\n" + claim], source="t").terms["service_credit_tiers"].value,
                       "99.9%", FEES, today=date(2026, 12, 1))
    assert monthly.claim_by is not None


def test_a_credit_flag_a_person_checked_is_off_until_the_credit_or_its_reason_changes():
    from clausewatch.store.money import CREDIT_CHECKED, credit_check_of, credit_flag_of
    finding = _hours_finding("1000.00")
    flag = credit_flag_of(finding, None)
    check = {"by": "sam@example.com", "on": "2026-12-07", "note": "claimed by letter", "flag": flag}
    finding.detail = {**finding.detail, CREDIT_CHECKED: check}
    assert credit_check_of(finding, None) is None  # was: the flag, whatever a person checked
    finding.amount = "1500.00"  # a corrected file: another credit, the check was of the old one
    assert credit_check_of(finding, None) == (f"{credit_flag_of(finding, None)} (the check by sam@example.com on "
                                              "2026-12-07 was of an earlier value: check it again)")
