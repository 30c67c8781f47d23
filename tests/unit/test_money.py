"""The contract's money, pure: amounts, fees and credit tiers read from contracts, metrics files,
breaches and credits with their arithmetic, invoices and their findings."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from clausewatch.extract import extract_contract
from clausewatch.money.amounts import (
    Money,
    at_stake_totals,
    dollar_currency,
    format_amount,
    parse_decimal,
    parse_money,
    parse_typed_amount,
)
from clausewatch.money.credits import assess, credit_base, period_end, tier_for
from clausewatch.money.invoices import (
    ContractMoney,
    InvoiceError,
    allowed_price,
    check_invoice,
    parse_invoice,
    renewal_terms_begun,
)
from clausewatch.money.metrics import MetricsError, parse_metrics
from tests.paths import SAMPLES

SAAS_FEES = {"amount": "186000.00", "currency": "USD", "period": "year", "name": "Subscription Fees",
             "billing": "annually in advance"}
SAAS_TIERS = {"metric": "availability", "target": "99.9", "claim_from": "end of the measured period",
              "tiers": [{"below": "99.9", "at_least": "99.5", "credit_percent": "5"},
                        {"below": "99.5", "at_least": "99", "credit_percent": "10"},
                        {"below": "99", "at_least": "95", "credit_percent": "25"},
                        {"below": "95", "at_least": None, "credit_percent": "50"}],
              "base": {"fraction": "1/12", "of": "annual Subscription Fees", "period": "year"},
              "claim_window": "P30D"}


# --- amounts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, amount, currency", [
    ("One Hundred Eighty-Six Thousand Dollars ($186,000)", "186000", "USD"),
    ("a fee of USD 1.5 million", "1500000", "USD"),
    ("EUR 12,500.50 per month", "12500.50", "EUR"),
    ("£250k", "250000", "GBP"),
])
def test_amounts_as_contracts_write_them(text, amount, currency):
    money = parse_money(text)
    assert money is not None and money.amount == Decimal(amount) and money.currency == currency


@pytest.mark.parametrize("text", ["EUR 12.500,00", "$1,5 million", "CHF 1'200.00", "USD 1.234.567"])
def test_amounts_written_another_way_are_left_out_never_misread(text):
    assert parse_money(text) is None


@pytest.mark.parametrize("text, read", [
    ("GBP 500", "GBP 500.00"), ("gbp 1,500.5", "GBP 1500.50"), ("EUR  12,345,678.10", "EUR 12345678.10"),
    ("EUR 500,00", "groups of three"), ("EUR 1,50", "groups of three"), ("GBP 1,5000", "groups of three"),
    ("GBP 500.999", "more than two decimals"), ("GBP 1,500.001", "more than two decimals"),
    ("500", "currency code"), ("£500", "currency code"), ("GBP -5", "currency code"),
    ("GBP 1000000000000000", "too large"), ("GBP \u0661\u0662\u0663", "currency code"),
    ("GBP \uff11\uff12\uff13", "currency code"),
])
def test_an_amount_a_person_types_is_read_exactly_or_refused_saying_why(text, read):
    """The amount claimed by hand (API, CLI, web): "EUR 500,00" was read as 50000.00, "GBP 500.999" rounded."""
    try:
        said = f"{parse_typed_amount(text).currency} {parse_typed_amount(text).to_dict()['amount']}"
    except ValueError as exc:
        said = str(exc)
    assert read in said, said


def test_a_bare_dollar_is_the_dollar_the_contract_names():
    assert dollar_currency("All amounts are in Canadian dollars.") == "CAD"
    assert dollar_currency("payable in U.S. dollars") == "USD"
    assert dollar_currency("no currency named") == "USD"
    assert parse_money("$100", dollar="CAD").currency == "CAD"


def test_decimals_from_files_refuse_what_is_not_a_number():
    assert parse_decimal("1,550.00") == Decimal("1550.00")
    assert parse_decimal("99.4%") == Decimal("99.4")
    assert parse_decimal("1,234,567.5") == Decimal("1234567.5") and parse_decimal("-1,000") == Decimal("-1000")
    for bad in ("", "abc", "1.2.3", True, "NaN", "Infinity", "1e999999", "1e15", float("nan"), float("inf"),
                1e308, Decimal("NaN"), Decimal("-Infinity"), 10**16, "195.300,00", "99,4", "1,5", "12,34,567"):
        with pytest.raises(ValueError):
            parse_decimal(bad)
    assert format_amount(Decimal("1549.995")) == "1,550.00"


# --- extraction ----------------------------------------------------------------------------------

def _sample_terms():
    from clausewatch.text.local import document_from_pdf

    pages = document_from_pdf((SAMPLES / "saas-subscription-northwind.pdf").read_bytes()).page_texts
    return extract_contract(pages, source="saas").terms


def test_the_saas_samples_fees_and_credit_tiers_exactly():
    terms = _sample_terms()
    fees = terms["fees"]
    assert {k: fees.value[k] for k in ("amount", "currency", "period", "name", "billing", "quantity",
                                       "quantity_unit")} == {
        **SAAS_FEES, "quantity": 250, "quantity_unit": "Authorized Users"}
    assert "($186,000)" in fees.evidence.text and fees.derivation == '"$" read as USD'
    assert "up to two hundred fifty (250) Authorized Users" in fees.value["quantity_evidence"]["text"]
    tiers = terms["service_credit_tiers"]
    assert {k: tiers.value[k] for k in SAAS_TIERS} == SAAS_TIERS  # claim_from: the clause says from the month's end
    assert tiers.value["measured_per"] == "month"
    assert "Less than 95.0% 50%" in tiers.evidence.text


def _terms(text: str):
    return extract_contract([text], source="t").terms


def test_an_hourly_rate_with_a_not_to_exceed_amount():
    terms = _terms("STATEMENT OF WORK\nConsultant shall be paid at a rate of USD 150 per hour for the Services. "
                   "Total fees under this Statement of Work shall not exceed USD 40,000 without a change order.")
    fees = terms["fees"].value
    assert (fees["unit"], fees["unit_price"], fees["currency"]) == ("hour", "150.00", "USD")
    assert fees["not_to_exceed"]["amount"] == "40000.00"


def test_an_overage_rate_per_additional_user():
    terms = _terms("Customer shall pay a monthly subscription fee of $12,000 for up to one hundred (100) Named "
                   "Users. Use of the Services by additional users is charged at $95 per additional Named User "
                   "per month.")
    fees = terms["fees"].value
    assert (fees["amount"], fees["period"]) == ("12000.00", "month")
    assert (fees["quantity"], fees["quantity_unit"]) == (100, "Named Users")
    assert (fees["overage"]["amount"], fees["overage"]["unit"]) == ("95.00", "Named User")


def test_money_that_is_not_a_fee_is_not_read_as_one():
    terms = _terms("In no event shall either party's aggregate liability exceed $1,000,000 per year. "
                   "Supplier shall maintain insurance of at least $5,000,000 per occurrence.")
    assert terms["fees"] is None


def test_credit_tiers_written_as_ranges_with_a_cap():
    terms = _terms("Provider shall make the Service available 99.5% of the time in each month. Service credits "
                   "apply as a percentage of the monthly fees:\n99.0% - 99.5%: 10%\n95.0% - 99.0%: 25%\n"
                   "Service credits in any month shall not exceed 50% of the monthly fees. Customer must claim "
                   "a credit within fifteen (15) days after the end of the month.")
    value = terms["service_credit_tiers"].value
    assert value["tiers"] == [{"at_most": "99.5", "at_least": "99", "credit_percent": "10"},
                              {"at_most": "99", "at_least": "95", "credit_percent": "25"}]
    assert value["base"] == {"fraction": "1", "of": "monthly fees", "period": "month"}
    assert (value["cap_percent"], value["claim_window"]) == ("50", "P15D")


# --- metrics -------------------------------------------------------------------------------------

def test_availability_names_and_month_stamps_real_exports_use_are_read():
    text = ("period,metric,value\n2026-10-01,availability_excluding_planned_downtime,99.4\n"
            "2026-09-01,uptime_with_failover,99.95\n")
    assert [(m.period, m.metric, m.value) for m in parse_metrics(text, "csv")] == [
        ("2026-09", "availability", Decimal("99.95")), ("2026-10", "availability", Decimal("99.4"))]


def test_metrics_in_the_three_formats_read_the_same():
    csv_text = "period,metric,value\n2026-10,availability,99.4\n2026-09,Uptime,99.95%\n"
    json_text = '{"measurements": [{"period": "2026-10", "metric": "availability", "value": 99.4},' \
                ' {"period": "2026-09", "metric": "uptime", "value": "99.95"}]}'
    prom = ('# TYPE sla_availability_ratio gauge\nsla_availability_ratio{period="2026-10"} 0.994\n'
            'sla_availability_ratio{period="2026-09"} 0.9995\n')
    read = [[(m.period, m.metric, m.value) for m in parse_metrics(t, f)]
            for t, f in ((csv_text, "csv"), (json_text, "json"), (prom, "openmetrics"))]
    assert read[0] == read[1] == read[2] == [("2026-09", "availability", Decimal("99.95")),
                                             ("2026-10", "availability", Decimal("99.4"))]


@pytest.mark.parametrize("text, fmt, says", [
    ("month,value\n2026-10,99\n", "csv", "header"),
    ("period,metric,value\n2026-10,availability,high\n", "csv", "line 2"),
    ("period,metric,value\nOctober,availability,99\n", "csv", "is not a month"),
    ("period,metric,value\n2026-10,latency,99\n", "csv", "unknown metric"),
    ("period,metric,value\n2026-10,availability,0.994\n", "csv", "looks like a ratio"),
    ("period,metric,value\n2026-10,availability,99.1\n2026-10,availability,99.8\n", "csv", "twice"),
    ("[{\"period\": \"2026-10\"}]", "json", "needs"),
    ("{not json", "json", "not JSON"),
    ("sla_availability_ratio 0.99\n", "openmetrics", "period"),
    ("period,metric,value\n", "csv", "no measurements"),
    # downtime is the complement of availability: 0.6% down is 99.4% up, never "0.6% available"
    ("period,metric,value\n2026-08,unavailability_ratio,0.006\n", "csv", "what was not available"),
    ("period,metric,value\n2026-08,sla_unavailability_percent,1.2\n", "csv", "what was not available"),
    ('[{"period": "2026-08", "metric": "sla_downtime_percent", "value": 0.5}]', "json", "not available"),
    # one day's measurement is not the month's, and a day that does not exist is not a month
    ("period,metric,value\n2026-02-14,availability,96.0\n", "csv", "is a day"),
    ("period,metric,value\n2026-02-31,availability,96.0\n", "csv", "is a day"),
    # numbers no check can use: refused with the line, not raised as decimal.InvalidOperation
    ('# TYPE sla_availability_ratio gauge\nsla_availability_ratio{period="2026-05"} NaN\n# EOF\n', "openmetrics",
     "not a number"),
    ('[{"period": "2026-05", "metric": "availability", "value": NaN}]', "json", "item 1"),
    ("period,metric,value\n2026-05,availability,1e999999\n", "csv", "line 2"),
])
def test_a_metrics_file_that_cannot_be_used_is_refused_whole(text, fmt, says):
    with pytest.raises(MetricsError, match=says):
        parse_metrics(text, fmt)


# --- breaches and credits ------------------------------------------------------------------------

def _measure(value: str, period: str = "2026-10"):
    return parse_metrics(f"period,metric,value\n{period},availability,{value}\n", "csv")


def test_a_month_at_99_4_earns_the_10_percent_tier_with_its_arithmetic():
    [breach] = assess(_measure("99.4"), SAAS_TIERS, "99.9%", SAAS_FEES)
    assert breach.tier == SAAS_TIERS["tiers"][1]
    assert breach.credit.amount == Decimal("1550.00") and breach.credit.currency == "USD"
    assert breach.derivation == "99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00"
    assert breach.claim_by == date(2026, 11, 30)
    assert breach.claim_derivation == "end of 2026-10 2026-10-31 + P30D = 2026-11-30"


def test_bands_edges_and_the_target():
    assert assess(_measure("99.9"), SAAS_TIERS, "99.9%", SAAS_FEES) == []
    assert tier_for(Decimal("99.5"), SAAS_TIERS["tiers"])["credit_percent"] == "5"  # "at least 99.5%"
    [worst] = assess(_measure("90"), SAAS_TIERS, "99.9%", SAAS_FEES)
    assert worst.credit.amount == Decimal("7750.00")


def test_a_cap_limits_the_credit_and_says_so():
    capped = {**SAAS_TIERS, "cap_percent": "20"}
    [breach] = assess(_measure("90"), capped, "99.9%", SAAS_FEES)
    assert breach.credit.amount == Decimal("3100.00") and "capped at 20%" in breach.derivation


def test_without_the_fee_the_breach_is_recorded_but_no_amount_is_guessed():
    [breach] = assess(_measure("99.4"), SAAS_TIERS, "99.9%", None)
    assert breach.credit is None and "not computed" in breach.note


def test_range_rows_include_their_stated_ends_and_a_shared_edge_is_not_guessed():
    tiers = [{"at_least": "99.0", "at_most": "99.49", "credit_percent": "10"},
             {"at_least": "95.0", "at_most": "98.99", "credit_percent": "25"},
             {"at_least": "90.0", "at_most": "95.0", "credit_percent": "50"}]
    assert tier_for(Decimal("99.49"), tiers)["credit_percent"] == "10"
    assert tier_for(Decimal("98.995"), tiers) is None  # between two bands: no credit is guessed
    assert tier_for(Decimal("95.0"), tiers) is None  # on the edge of two bands
    [breach] = assess(_measure("99.2"), {**SAAS_TIERS, "tiers": tiers}, "99.5%", SAAS_FEES)
    assert breach.derivation == "99% <= 99.2% <= 99.49% -> 10% x USD 186,000.00 / 12 = USD 1,550.00"


def test_a_credit_of_a_per_user_fee_needs_the_quantity():
    per_user = {"amount": "744.00", "currency": "USD", "period": "year", "unit": "Authorized User",
                "unit_price": "744.00"}
    assert credit_base(per_user, SAAS_TIERS["base"]) is None
    base = credit_base({**per_user, "quantity": 250}, SAAS_TIERS["base"])
    assert base[0].amount == Decimal("15500") and base[1] == "USD 744.00 x 250 / 12"


def test_no_claim_deadline_is_guessed_and_a_quarter_is_not_a_month():
    [breach] = assess(_measure("99.4"), {**SAAS_TIERS, "claim_from": "end of the measured period (assumed)"},
                      "99.9%", SAAS_FEES)
    assert breach.credit.amount == Decimal("1550.00") and breach.claim_by is None
    [quarter] = assess(_measure("99.4", "2026-Q3"), {**SAAS_TIERS, "measured_per": "month"}, "99.9%", SAAS_FEES)
    assert quarter.credit is None and "per month" in quarter.note
    with pytest.raises(ValueError, match="not a percentage"):
        assess(_measure("99.4"), SAAS_TIERS, "about ninety-nine", SAAS_FEES)


def test_credit_base_converts_between_periods():
    monthly = credit_base(SAAS_FEES, {"fraction": "1", "of": "monthly fees", "period": "month"})
    assert monthly[0].amount == Decimal("15500") and monthly[1] == "USD 186,000.00 / 12"
    assert credit_base({**SAAS_FEES, "period": "one-off"}, SAAS_TIERS["base"]) is None
    assert period_end("2026-Q3") == date(2026, 9, 30) and period_end("2028-02") == date(2028, 2, 29)


# --- invoices ------------------------------------------------------------------------------------

def ubl(number: str = "INV-1", issued: str = "2026-03-01", price: str = "186000.00", currency: str = "USD",
        start: str = "2026-03-01", end: str = "2027-02-28", quantity: str = "1") -> str:
    amount = f"{Decimal(price) * Decimal(quantity):.2f}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>{number}</cbc:ID><cbc:IssueDate>{issued}</cbc:IssueDate>
 <cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>
 <cac:InvoicePeriod><cbc:StartDate>{start}</cbc:StartDate><cbc:EndDate>{end}</cbc:EndDate></cac:InvoicePeriod>
 <cac:AccountingSupplierParty><cac:Party><cac:PartyLegalEntity>
  <cbc:RegistrationName>Northwind Analytics, Inc.</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>
 </cac:AccountingSupplierParty>
 <cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="{currency}">{amount}</cbc:TaxExclusiveAmount>
  <cbc:PayableAmount currencyID="{currency}">{amount}</cbc:PayableAmount></cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="ANN">{quantity}</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="{currency}">{amount}</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Subscription Fees</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="{currency}">{price}</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>"""


SAAS_MONEY = ContractMoney(fees=SAAS_FEES, price_increase_cap="5%", expiration=date(2027, 2, 28),
                           renewal_term="P12M")


def test_the_peppol_sample_invoice_reads_whole():
    invoice = parse_invoice((SAMPLES / "invoice-northwind-2026-03.xml").read_text(), "ubl")
    assert (invoice.number, invoice.issue_date, invoice.currency, invoice.total) == (
        "NWA-2026-0301", date(2026, 3, 1), "USD", Decimal("195300.00"))
    assert invoice.supplier == "Northwind Analytics, Inc." and len(invoice.lines) == 1


def test_a_compliant_invoice_has_no_finding():
    assert check_invoice(parse_invoice(ubl(), "ubl"), SAAS_MONEY) == []


def test_an_increase_before_any_renewal_term_is_a_finding_with_the_amount():
    [finding] = check_invoice(parse_invoice(ubl(price="195300.00"), "ubl"), SAAS_MONEY)
    assert finding.kind == "price_above_agreed" and finding.at_stake.amount == Decimal("9300.00")
    assert "initial term" in finding.derivation


def test_the_cap_compounds_per_renewal_term():
    second = dict(issued="2028-03-01", start="2028-03-01", end="2029-02-28")
    assert check_invoice(parse_invoice(ubl(price="205065.00", **second), "ubl"), SAAS_MONEY) == []
    [finding] = check_invoice(parse_invoice(ubl(price="205100.00", **second), "ubl"), SAAS_MONEY)
    assert "186,000.00 x (1 + 5%)^2 = 205,065.00" in finding.derivation
    assert finding.at_stake.amount == Decimal("35.00")
    assert renewal_terms_begun(date(2027, 3, 1), date(2027, 2, 28), "P12M")[0] == 1
    assert allowed_price(Decimal(100), "CPI", 1) is None  # an index's value is not known: no check


def test_periods_are_whole_months_and_priced_by_the_term_they_bill():
    from clausewatch.money.invoices import _months

    month = parse_invoice(ubl(start="2026-01-15", end="2026-02-14", price="15500.00"), "ubl")
    assert _months(month) == 1 and check_invoice(month, SAAS_MONEY) == []
    assert _months(parse_invoice(ubl(start="2026-03-15", end="2027-03-14"), "ubl")) == 12
    # issued before the first renewal term, billing it: the 5% increase is allowed
    advance = parse_invoice(ubl(issued="2027-02-01", start="2027-03-01", end="2028-02-29", price="195300.00"),
                            "ubl")
    assert check_invoice(advance, SAAS_MONEY) == []


def test_a_fee_split_over_two_lines_is_checked_as_one():
    two = ubl(price="100000.00").replace(
        '<cbc:TaxExclusiveAmount currencyID="USD">100000.00', '<cbc:TaxExclusiveAmount currencyID="USD">200000.00'
    ).replace("</Invoice>", """ <cac:InvoiceLine><cbc:ID>2</cbc:ID>
  <cbc:InvoicedQuantity unitCode="ANN">1</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="USD">100000.00</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Subscription Fees (second half)</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="USD">100000.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>""")
    [finding] = check_invoice(parse_invoice(two, "ubl"), SAAS_MONEY)
    assert finding.at_stake.amount == Decimal("14000.00") and "100,000.00 + 100,000.00" in finding.summary
    # the verdict names every line it sums (was: "the fee's lines")
    assert finding.summary.startswith("lines 1 + 2 (Subscription Fees + Subscription Fees (second half)): ")
    assert (finding.line_id, finding.line_ids) == (None, ("1", "2"))


def test_a_fee_split_over_two_lines_counts_its_over_charge_once_with_a_lines_own_finding():
    # line 2 states 100,000.00 a unit and bills 107,000.00: the 7,000.00 is within the 21,000.00 the two
    # lines bill above the fee (was: 28,000.00 at stake, the 7,000.00 counted twice)
    two = ubl(price="100000.00").replace(
        '<cbc:TaxExclusiveAmount currencyID="USD">100000.00', '<cbc:TaxExclusiveAmount currencyID="USD">207000.00'
    ).replace("</Invoice>", """ <cac:InvoiceLine><cbc:ID>2</cbc:ID>
  <cbc:InvoicedQuantity unitCode="ANN">1</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="USD">107000.00</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Subscription Fees (second half)</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="USD">100000.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>""")
    findings = check_invoice(parse_invoice(two, "ubl"), SAAS_MONEY)
    assert sorted((f.kind, str(f.at_stake.amount), f.counted_on()) for f in findings) == [
        ("arithmetic", "7000.00", "2"), ("price_above_agreed", "21000.00", frozenset({"1", "2"}))]
    totals = at_stake_totals((f.at_stake.currency, f.at_stake.amount, f.counted_on()) for f in findings)
    assert totals == {"USD": Decimal("21000.00")}


def test_duplicate_number_currency_and_arithmetic():
    invoice = parse_invoice(ubl(), "ubl")
    [dup] = check_invoice(invoice, dataclasses.replace(SAAS_MONEY, known_numbers=frozenset({"INV-1"})))
    assert dup.kind == "duplicate"
    [cur] = check_invoice(parse_invoice(ubl(currency="EUR"), "ubl"), SAAS_MONEY)
    assert cur.kind == "currency"
    bad = ubl().replace("<cbc:LineExtensionAmount currencyID=\"USD\">186000.00", "<cbc:LineExtensionAmount "
                        "currencyID=\"USD\">186500.00")
    kinds = [f.kind for f in check_invoice(parse_invoice(bad, "ubl"), SAAS_MONEY)]
    assert "arithmetic" in kinds


def test_a_not_to_exceed_amount_counts_earlier_invoices():
    terms = ContractMoney(fees={"amount": "150.00", "currency": "USD", "unit": "hour", "unit_price": "150.00",
                                "period": None, "not_to_exceed": {"amount": "40000.00", "currency": "USD"}},
                          invoiced_before=Decimal("35000"))
    invoice = parse_invoice('{"number": "7", "issue_date": "2026-05-31", "currency": "USD", "lines": '
                            '[{"description": "Consulting hours", "quantity": 40, "unit_price": "150"}]}', "json")
    [finding] = check_invoice(invoice, terms)
    assert finding.kind == "above_not_to_exceed" and finding.at_stake.amount == Decimal("1000")


def test_an_overage_billed_above_the_agreed_rate():
    fees = {"amount": "12000.00", "currency": "USD", "period": "month", "quantity": 100,
            "quantity_unit": "Named Users", "overage": {"amount": "95.00", "currency": "USD", "unit": "Named User"}}
    csv_text = ("number,issue_date,currency,description,quantity,unit_price,amount\n"
                "A-9,2026-04-01,USD,Additional Named Users,10,120,1200\n")
    [finding] = check_invoice(parse_invoice(csv_text, "csv"), ContractMoney(fees=fees))
    assert finding.kind == "quantity_beyond_included" and finding.at_stake.amount == Decimal("250.00")


@pytest.mark.parametrize("text, fmt, says", [
    ("<Invoice><oops", "ubl", "not well-formed"),
    # a credit note is read (tests/unit/test_money_credit_notes.py); an empty one is refused whole
    ("<CreditNote xmlns='urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2'/>", "ubl", "missing currency"),
    ("<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>", "ubl", "not a UBL"),
    (ubl().replace("<cbc:ID>INV-1</cbc:ID>", ""), "ubl", "invoice number"),
    (ubl().replace("2026-03-01</cbc:IssueDate>", "March 1</cbc:IssueDate>"), "ubl", "not a date"),
    ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><x>&b;</x>', "ubl", "not well"),
    ("number,issue_date,currency,description,quantity,unit_price,amount\n"
     "1,2026-01-01,USD,a,1,1,1\n2,2026-01-01,USD,b,1,1,1\n", "csv", "differs"),
    ("number,issue_date\n1,2026-01-01\n", "csv", "header"),
    ('{"number": "1"}', "json", "lines"),
    ('{"number": "1", "issue_date": "2026-01-01", "currency": "dollars", "lines": [{"amount": 1}]}', "json",
     "currency"),
])
def test_an_invoice_that_cannot_be_read_is_refused_whole(text, fmt, says):
    with pytest.raises(InvoiceError, match=says):
        parse_invoice(text, fmt)


# --- what the QA pass of 2026-12-04 found: each amount checked by hand ------------------------------

def test_a_period_that_is_not_whole_months_is_not_priced_by_guess():
    from clausewatch.money.invoices import _months

    # 1.5 months billed pro rata (15,500 x 1.5 = 23,250) was "above the allowed 15,500 for 1 month";
    # 15 days at a full month's 15,500 passed: neither is priced now, and each says why
    for start, end, price in (("2026-03-01", "2026-04-15", "23250.00"), ("2026-03-01", "2026-03-15", "15500.00"),
                              ("2026-03-01", "2027-04-15", "209250.00")):
        [finding] = check_invoice(parse_invoice(ubl(start=start, end=end, price=price), "ubl"), SAAS_MONEY)
        assert finding.kind == "not_checked" and finding.at_stake is None
        assert f"{start} to {end} is not a whole number of months" in finding.summary
    # whole months still are: a calendar month, a month from the 15th, a month from the 31st of January
    for start, end, months in (("2026-02-01", "2026-02-28", 1), ("2026-01-15", "2026-02-14", 1),
                               ("2026-01-31", "2026-02-28", 1), ("2026-03-01", "2026-05-31", 3)):
        assert _months(parse_invoice(ubl(start=start, end=end), "ubl")) == months
    three = parse_invoice(ubl(start="2026-03-01", end="2026-05-31", price="46500.00"), "ubl")
    assert check_invoice(three, SAAS_MONEY) == []
    [over] = check_invoice(parse_invoice(ubl(start="2026-03-01", end="2026-05-31", price="47000.00"), "ubl"),
                           SAAS_MONEY)
    assert over.at_stake.amount == Decimal("500.00") and "x 3/12 months = 46,500.00" in over.derivation


M1_FEES = {"amount": "12000.00", "currency": "USD", "period": "month", "name": "Subscription Fees",
           "quantity": 100, "quantity_unit": "Authorized Users",
           "overage": {"amount": "100.00", "currency": "USD", "unit": "Authorized User", "period": "month"}}


def test_an_overage_rate_per_month_is_the_rate_for_each_month_the_invoice_covers():
    quarter = ("number,issue_date,currency,description,quantity,unit_price,amount,period_start,period_end\n"
               "CC-Q4,2026-10-01,USD,Subscription Fees Q4 2026,3,12000.00,36000.00,2026-10-01,2026-12-31\n"
               "CC-Q4,2026-10-01,USD,Additional Authorized Users (10 users x 3 months),10,{price},{amount},"
               "2026-10-01,2026-12-31\n")

    def check(price: str, fees: dict = M1_FEES) -> list:
        invoice = parse_invoice(quarter.format(price=price, amount=f"{Decimal(price) * 10:.2f}"), "csv")
        assert (invoice.period_start, invoice.period_end) == (date(2026, 10, 1), date(2026, 12, 31))
        return check_invoice(invoice, ContractMoney(fees=fees))

    assert check("300.00") == []  # 10 users x $100 x 3 months = 3,000.00, as billed (was: USD 2,000.00 "owed")
    [finding] = check("400.00")
    assert finding.kind == "quantity_beyond_included" and finding.at_stake.amount == Decimal("1000.00")
    assert "agreed overage rate 100.00 per month x 3 months = 300.00" in finding.summary
    # a rate whose period was not read, on a quarter's invoice: not guessed
    no_period = {**M1_FEES, "overage": {k: v for k, v in M1_FEES["overage"].items() if k != "period"}}
    assert check("400.00", no_period) == []


def test_additional_users_at_the_overage_rate_are_not_priced_at_the_base_unit_price():
    fees = {"amount": "80.00", "currency": "USD", "period": "month", "name": "Subscription Fees",
            "unit": "Authorized User", "unit_price": "80.00", "quantity": 50, "quantity_unit": "Authorized Users",
            "overage": {"amount": "95.00", "currency": "USD", "unit": "Authorized User", "period": "month"},
            "billing": "monthly in arrears"}  # the invoice states no period: the month is the contract's cadence
    june = ("number,issue_date,currency,description,quantity,unit_price,amount\n"
            "HD-2506,2025-07-01,USD,Authorized Users June 2025,50,80.00,4000.00\n"
            "HD-2506,2025-07-01,USD,Additional Authorized Users June 2025,5,{price},{amount}\n")
    terms = ContractMoney(fees=fees, expiration=date(2026, 2, 28), renewal_term="P1M")
    # 50 x 80 + 5 x 95: as agreed (was: "price_above_agreed" USD 75.00, the 95 priced against 80)
    assert check_invoice(parse_invoice(june.format(price="95.00", amount="475.00"), "csv"), terms) == []
    [finding] = check_invoice(parse_invoice(june.format(price="99.00", amount="495.00"), "csv"), terms)
    assert (finding.kind, finding.at_stake.amount) == ("quantity_beyond_included", Decimal("20.00"))


CAPPED = {**SAAS_TIERS, "cap_percent": "10", "cap_period": "calendar year", "cap_base_period": "year"}


def test_a_cap_over_a_calendar_year_counts_the_years_credits_not_each_month():
    # 10% of the annual fees (186,000) = 18,600 a calendar year; a month at 90% earns 50% x 15,500 = 7,750
    [first] = assess(_measure("90", "2026-10"), CAPPED, "99.9%", SAAS_FEES)
    assert first.credit.amount == Decimal("7750.00") and "capped" not in first.derivation  # was capped at 1,550
    owed = {"2026-03": Money(Decimal("7750.00"), "USD"), "2026-05": Money(Decimal("7750.00"), "USD"),
            "2025-12": Money(Decimal("7750.00"), "USD")}
    [third] = assess(_measure("90", "2026-10"), CAPPED, "99.9%", SAAS_FEES, credited=owed)
    assert third.credit.amount == Decimal("3100.00")  # 18,600 - 7,750 - 7,750; December 2025 is another year
    assert ("capped for calendar year 2026 at 10% x USD 186,000.00 = USD 18,600.00, less 7,750.00 (2026-03) + "
            "7,750.00 (2026-05) already owed = USD 3,100.00") in third.derivation
    # two months in one file: the second gets what the first left
    both = assess(_measure("90", "2026-10") + _measure("90", "2026-11") + _measure("90", "2026-12"), CAPPED,
                  "99.9%", SAAS_FEES)
    assert [b.credit.amount for b in both] == [Decimal("7750.00"), Decimal("7750.00"), Decimal("3100.00")]


def test_a_cap_over_a_year_whose_fee_is_not_named_is_not_applied_by_guess():
    vague = {**SAAS_TIERS, "cap_percent": "10", "cap_period": "year"}
    [breach] = assess(_measure("90", "2026-10"), vague, "99.9%", SAAS_FEES)
    assert breach.credit.amount == Decimal("7750.00") and "was not read" in breach.note
    assert "a cap of 10% applies, but the fee it is a share of was not read" in breach.derivation  # in the email


@pytest.mark.parametrize("sentence, periods", [
    ("Service credits in any calendar year shall not exceed 10% of the annual Subscription Fees.",
     {"cap_period": "calendar year", "cap_base_period": "year"}),
    ("Service credits in any month shall not exceed 50% of the monthly fees.",
     {"cap_period": "month", "cap_base_period": "month"}),
    ("Service credits shall not exceed 50% of the fees.", {}),
])
def test_what_a_cap_on_credits_counts_over_and_is_a_share_of(sentence, periods):
    value = _terms("Provider shall make the Service available 99.5% of the time in each month. Service credits "
                   "apply as a percentage of the monthly fees:\n99.0% - 99.5%: 10%\n95.0% - 99.0%: 25%\n"
                   + sentence)["service_credit_tiers"].value
    assert {k: value[k] for k in ("cap_period", "cap_base_period") if k in value} == periods


def test_an_overage_rate_keeps_its_period():
    fees = _terms("Customer shall pay the subscription fees of $12,000 per month (the \"Subscription Fees\"). "
                  "Additional Authorized Users in excess of one hundred (100) will be charged at $100 per "
                  "additional Authorized User per month.")["fees"].value
    assert fees["overage"]["amount"] == "100.00" and fees["overage"]["period"] == "month"


def test_a_claim_window_in_business_days_skips_the_contracts_holidays_and_says_whose():
    tiers = {**SAAS_TIERS, "claim_window": "P10BD"}
    # after 2026-08-31 in England: 7 September is a US holiday (Labor Day), not an English one
    [english] = assess(_measure("98.5", "2026-08"), tiers, "99.9%", SAAS_FEES, jurisdiction="GB-ENG")
    assert english.claim_by == date(2026, 9, 14)  # was 2026-09-15, a claim on the 15th out of time
    assert english.claim_derivation == "end of 2026-08 2026-08-31 + P10BD (business days, GB-ENG holidays) = 2026-09-14"
    # after 2027-04-30: 3 May 2027 is the English Early May bank holiday
    [may] = assess(_measure("98.5", "2027-04"), tiers, "99.9%", SAAS_FEES, jurisdiction="GB-ENG")
    assert may.claim_by == date(2027, 5, 17)  # was 2027-05-14
    [default] = assess(_measure("98.5", "2026-08"), tiers, "99.9%", SAAS_FEES)
    assert default.claim_by == date(2026, 9, 15) and "(business days, US holidays)" in default.claim_derivation


def test_a_total_that_is_not_the_sum_of_the_lines_is_a_finding():
    # the lines at the agreed 186,000.00, the total to pay 195,300.00 (was: no finding)
    padded = ubl().replace('<cbc:TaxExclusiveAmount currencyID="USD">186000.00',
                           '<cbc:TaxExclusiveAmount currencyID="USD">195300.00')
    [finding] = check_invoice(parse_invoice(padded, "ubl"), SAAS_MONEY)
    assert (finding.kind, finding.at_stake.amount) == ("arithmetic", Decimal("9300.00"))
    assert finding.derivation == "186,000.00 = 186,000.00 != total 195,300.00"
    # a document-level charge accounts for it
    charged = padded.replace("<cac:LegalMonetaryTotal>", "<cac:AllowanceCharge><cbc:ChargeIndicator>true"
                             "</cbc:ChargeIndicator><cbc:Amount currencyID=\"USD\">9300.00</cbc:Amount>"
                             "</cac:AllowanceCharge><cac:LegalMonetaryTotal>")
    assert [f.kind for f in check_invoice(parse_invoice(charged, "ubl"), SAAS_MONEY)] == []
    # no TaxExclusiveAmount: the lines' total (LineExtensionAmount) is before an allowance, not a finding
    lines_only = ubl().replace('<cbc:TaxExclusiveAmount currencyID="USD">186000.00</cbc:TaxExclusiveAmount>',
                               '<cbc:LineExtensionAmount currencyID="USD">186000.00</cbc:LineExtensionAmount>').replace(
        "<cac:LegalMonetaryTotal>", "<cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
        "<cbc:Amount currencyID=\"USD\">1000.00</cbc:Amount></cac:AllowanceCharge><cac:LegalMonetaryTotal>")
    assert "arithmetic" not in [f.kind for f in check_invoice(parse_invoice(lines_only, "ubl"), SAAS_MONEY)]
    json_total = ('{"number": "J-1", "issue_date": "2026-03-01", "currency": "USD", "total": "195300.00", '
                  '"period_start": "2026-03-01", "period_end": "2027-02-28", '
                  '"lines": [{"description": "Subscription Fees", "amount": "186000.00"}]}')
    assert [f.kind for f in check_invoice(parse_invoice(json_total, "json"), SAAS_MONEY)] == ["arithmetic"]


def test_no_credit_for_a_month_before_the_contract_or_one_not_ended():
    measured = _measure("98.0", "2023-05") + _measure("98.0", "2026-11") + _measure("98.0", "2027-06") + \
        _measure("98.0", "2026-10")
    breaches = assess(measured, SAAS_TIERS, "99.9%", SAAS_FEES, effective=date(2024, 3, 1), today=date(2026, 11, 25))
    by_period = {b.period: b for b in breaches}
    assert by_period["2023-05"].credit is None and "before the contract's effective date 2024-03-01" in \
        by_period["2023-05"].note
    for period in ("2026-11", "2027-06"):  # was: a credit owed, and a claim reminder for a month to come
        assert by_period[period].credit is None and "has not ended (today is 2026-11-25)" in by_period[period].note
    assert by_period["2026-10"].credit.amount == Decimal("3875.00")  # 25% x 186,000 / 12


def test_a_quarterly_level_with_credits_of_the_monthly_fee_is_measured_per_quarter():
    value = _terms("Provider shall make the Service available at least 99.5% of the time in each calendar quarter "
                   "(\"Quarterly Availability\"). If Quarterly Availability falls below 99.5% in any calendar quarter, "
                   "Customer shall be entitled to a service credit equal to the following percentage of the monthly "
                   "Hosting Fees:\nLess than 99.5% but at least 99.0% 10%\nLess than 99.0% 25%\n"
                   )["service_credit_tiers"].value
    assert value["measured_per"] == "quarter" and value["base"]["period"] == "month"  # was: "month"
    fees = {"amount": "9000.00", "currency": "USD", "period": "month"}
    by_period = {b.period: b for b in assess(_measure("98.9", "2026-07") + _measure("98.9", "2026-Q4"), value,
                                             "99.5%", fees)}
    assert by_period["2026-07"].credit is None and by_period["2026-Q4"].credit.amount == Decimal("2250.00")


def test_a_cap_on_increases_is_yearly_when_the_renewal_terms_are_months():
    fees = {"amount": "80.00", "currency": "USD", "period": "month", "name": "Subscription Fees",
            "unit": "Authorized User", "unit_price": "80.00", "quantity": 50, "quantity_unit": "Authorized Users"}
    terms = ContractMoney(fees=fees, price_increase_cap="4%", expiration=date(2026, 2, 28), renewal_term="P1M",
                          cap_evidence={"text": "Fees may increase by no more than four percent (4%) per year."})
    november = ("number,issue_date,currency,description,quantity,unit_price,amount\n"
                "HD-2611,2026-12-01,USD,Authorized Users November 2026,50,{price},{amount}\n")
    # nine monthly renewals begun, but one year: at most 80 x 1.04 = 83.20 (was: 80 x 1.04^9 = 113.86)
    [finding] = check_invoice(parse_invoice(november.format(price="110.00", amount="5500.00"), "csv"), terms)
    assert finding.at_stake.amount == Decimal("1340.00")  # (110 - 83.20) x 50
    assert "80.00 x (1 + 4%)^1 = 83.20" in finding.derivation and "one increase a year" in finding.derivation
    assert check_invoice(parse_invoice(november.format(price="83.20", amount="4160.00"), "csv"), terms) == []
    # a clause that says neither per year nor per renewal term: the years could allow too few increases
    # (nine monthly terms: 80 x 1.04^9 = 113.86), so the price is told not checked, never a false over-charge
    neither = dataclasses.replace(terms, cap_evidence={"text": "Fees may increase by no more than four percent (4%)."})
    [told] = check_invoice(parse_invoice(november.format(price="110.00", amount="5500.00"), "csv"), neither)
    assert told.kind == "not_checked" and told.at_stake is None
    assert "the renewal terms begun are shorter than a year (P1M)" in told.derivation


def test_an_invoice_from_another_supplier_or_after_the_term_is_told():
    uk = ContractMoney(fees={"amount": "20000.00", "currency": "GBP", "period": "month"}, expiration=date(2028, 12, 31),
                       counterparty="Kestrel Hosting Limited", auto_renewal=False)

    def invoice(supplier: str, start: str, end: str) -> str:
        return ubl(number="K-1", issued=start, price="20000.00", currency="GBP", start=start, end=end).replace(
            "Northwind Analytics, Inc.", supplier)

    assert check_invoice(parse_invoice(invoice("KESTREL HOSTING LTD", "2027-02-01", "2027-02-28"), "ubl"), uk) == []
    [other] = check_invoice(parse_invoice(invoice("Northwind Analytics, Inc.", "2027-02-01", "2027-02-28"), "ubl"), uk)
    assert other.kind == "other_supplier" and other.at_stake is None  # was: no finding; told, nothing claimed
    [after] = check_invoice(parse_invoice(invoice("Kestrel Hosting Limited", "2029-02-01", "2029-02-28"), "ubl"), uk)
    assert after.kind == "after_term_end" and after.at_stake is None
    assert "2029-02-01 > expiration_date 2028-12-31 and it does not renew" in after.derivation
    unknown = dataclasses.replace(uk, auto_renewal=None)
    [told] = check_invoice(parse_invoice(invoice("Kestrel Hosting Limited", "2029-02-01", "2029-02-28"), "ubl"),
                           unknown)
    assert told.kind == "after_term_end" and told.at_stake is None  # not known not to renew: nothing claimed


def test_a_period_running_into_the_next_term_is_priced_by_it_never_overstating():
    # 2027-01-01 to 2027-12-31: two months of the initial term, ten of the first renewal term (5% allowed)
    span = parse_invoice(ubl(issued="2027-01-01", start="2027-01-01", end="2027-12-31", price="195300.00"), "ubl")
    assert check_invoice(span, SAAS_MONEY) == []  # was: USD 9,300.00 "above" the initial term's price
    [over] = check_invoice(parse_invoice(ubl(issued="2027-01-01", start="2027-01-01", end="2027-12-31",
                                             price="196000.00"), "ubl"), SAAS_MONEY)
    assert over.at_stake.amount == Decimal("700.00") and "runs into a later term" in over.derivation


def test_an_invoice_without_a_period_is_priced_by_how_the_fee_is_invoiced_or_told_not_checked():
    fees = _terms("The Licensee shall pay an annual licence fee of £64,000 (the \"Licence Fee\"), which the Licensor "
                  "shall invoice annually in advance on 1 April in each year.")["fees"].value
    assert fees["billing"] == "annually in advance"  # was: not read
    terms = ContractMoney(fees=fees, expiration=date(2027, 3, 31), renewal_term="P12M")
    undated = ubl(number="FL-2026", issued="2026-04-01", price="70000.00", currency="GBP").replace(
        "<cac:InvoicePeriod><cbc:StartDate>2026-03-01</cbc:StartDate><cbc:EndDate>2027-02-28</cbc:EndDate>"
        "</cac:InvoicePeriod>", "")
    [finding] = check_invoice(parse_invoice(undated, "ubl"), terms)
    assert (finding.kind, finding.at_stake.amount) == ("price_above_agreed", Decimal("6000.00"))
    unknown = ContractMoney(fees={k: v for k, v in fees.items() if k != "billing"}, expiration=date(2027, 3, 31),
                            renewal_term="P12M")
    [told] = check_invoice(parse_invoice(undated, "ubl"), unknown)
    assert told.kind == "not_checked" and "states no period" in told.summary  # was: 0 findings, no word


def test_an_overage_rate_per_month_on_an_invoice_without_a_period_is_not_taken_for_one_month():
    # the documented CSV columns: no period_start/period_end
    csv = ("number,issue_date,currency,description,quantity,unit_price,amount\n"
           "CC-Q4,2026-10-01,USD,Subscription Fees Q4 2026,3,12000.00,36000.00\n"
           "CC-Q4,2026-10-01,USD,Additional Authorized Users,10,{price},{amount}\n")

    def check(price: str, fees: dict) -> list:
        invoice = parse_invoice(csv.format(price=price, amount=f"{Decimal(price) * 10:.2f}"), "csv")
        assert invoice.period_start is None and invoice.period_end is None
        return [f for f in check_invoice(invoice, ContractMoney(fees=fees)) if f.line_id == "2"]

    # the contract invoices quarterly: the rate for three months, said in the arithmetic
    quarterly = {**M1_FEES, "billing": "quarterly in advance"}
    assert check("300.00", quarterly) == []  # was: USD 2,000.00 "owed" on a correct invoice
    [finding] = check("400.00", quarterly)
    assert finding.kind == "quantity_beyond_included" and finding.at_stake.amount == Decimal("1000.00")
    assert ("per month x 3 months (the invoice states no period; the fees are invoiced quarterly in advance) = "
            "300.00") in finding.summary
    # how the fees are invoiced not read: not priced, and the person is told why, nothing claimed
    [unknown] = check("300.00", M1_FEES)
    assert (unknown.kind, unknown.at_stake) == ("not_checked", None)
    assert "the invoice states no period" in unknown.derivation and "per month" in unknown.derivation
    # a rate whose period was not read, on a period that is not whole months: not compared as one month
    part = ("number,issue_date,currency,description,quantity,unit_price,amount,period_start,period_end\n"
            "P-1,2026-10-01,USD,Additional Authorized Users,10,400.00,4000.00,2026-10-01,2026-11-15\n")
    no_period = {**M1_FEES, "overage": {k: v for k, v in M1_FEES["overage"].items() if k != "period"}}
    assert check_invoice(parse_invoice(part, "csv"), ContractMoney(fees=no_period)) == []  # was: 3,000.00 "owed"


def _analytics_invoice(description: str, amount: str):
    from clausewatch.money.invoices import Invoice, InvoiceLine
    return Invoice("INV-7", date(2026, 11, 1), "USD", "Northwind Analytics, Inc.",
                   (InvoiceLine("1", description, Decimal(1), Decimal(amount), Decimal(amount)),),
                   Decimal(amount), date(2026, 11, 1), date(2026, 11, 30))


ADDED_ANALYTICS = {"amount": "5000.00", "currency": "USD", "period": "month", "name": "Subscription Fees",
                   "additional_fees": [{"amount": "500.00", "currency": "USD", "period": "month",
                                        "name": "Analytics Module", "evidence": {"document": "amendment-1.pdf"}}]}


@pytest.mark.parametrize(("description", "amount", "kinds", "told"), [
    # the counterparty's own name shares "Analytics" with the added module: still the subscription,
    # priced (review: it was dropped as the module's line and the USD 1,000 overcharge was lost)
    ("Northwind Analytics subscription, November 2026", "6000.00", ["price_above_agreed"], None),
    ("Analytics Module, November 2026", "500.00", ["not_checked"], "it is the Analytics Module an amendment added"),
    ("Analytics Module subscription, November 2026", "5500.00", ["not_checked"],
     "it names both the contract's Subscription Fees and the Analytics Module"),
])
def test_a_line_is_an_added_fees_only_when_it_names_it_more_than_the_contracts_fee(description, amount, kinds, told):
    from clausewatch.money.invoices import ContractMoney
    terms = ContractMoney(fees=ADDED_ANALYTICS, counterparty="Northwind Analytics, Inc.",
                          expiration=date(2027, 12, 31))
    findings = check_invoice(_analytics_invoice(description, amount), terms)
    assert [f.kind for f in findings] == kinds
    if told:
        assert told in findings[0].summary
    else:
        assert findings[0].at_stake == Money(Decimal("1000.00"), "USD")
