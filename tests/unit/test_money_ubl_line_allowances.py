"""A UBL invoice line's own allowances and charges (cac:InvoiceLine/cac:AllowanceCharge): its amount is
quantity x price less the allowances plus the charges (was: a 10% line discount told as an arithmetic
error with the discount at stake)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clausewatch.money.amounts import Money
from clausewatch.money.invoices import ContractMoney, check_invoice, parse_invoice

TERMS = ContractMoney(fees={"amount": "20000.00", "currency": "GBP", "period": "month", "name": "Licence Fee"},
                      expiration=date(2028, 12, 31))


def _ubl(line_amount: str) -> str:
    return f"""<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>OC-1107</cbc:ID><cbc:IssueDate>2026-11-30</cbc:IssueDate><cbc:DocumentCurrencyCode>GBP</cbc:DocumentCurrencyCode>
 <cac:InvoicePeriod><cbc:StartDate>2026-11-01</cbc:StartDate><cbc:EndDate>2026-11-30</cbc:EndDate></cac:InvoicePeriod>
 <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="GBP">{line_amount}</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="GBP">{line_amount}</cbc:TaxExclusiveAmount></cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="C62">1</cbc:InvoicedQuantity>
  <cbc:LineExtensionAmount currencyID="GBP">{line_amount}</cbc:LineExtensionAmount>
  <cac:AllowanceCharge><cbc:ChargeIndicator>false</cbc:ChargeIndicator>
   <cbc:AllowanceChargeReason>Loyalty discount 10%</cbc:AllowanceChargeReason>
   <cbc:Amount currencyID="GBP">2000.00</cbc:Amount></cac:AllowanceCharge>
  <cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>
   <cbc:AllowanceChargeReason>Data residency surcharge</cbc:AllowanceChargeReason>
   <cbc:Amount currencyID="GBP">150.00</cbc:Amount></cac:AllowanceCharge>
  <cac:Item><cbc:Name>Licence Fee November 2026</cbc:Name></cac:Item>
  <cac:Price><cbc:PriceAmount currencyID="GBP">20000.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>"""


def test_a_lines_discount_and_surcharge_are_part_of_its_amount():
    invoice = parse_invoice(_ubl("18150.00"), "ubl")
    assert invoice.lines[0].adjustments == Decimal("-1850.00")
    assert check_invoice(invoice, TERMS) == []  # was: "arithmetic", GBP 1,850.00 at stake


def test_a_line_amount_that_is_not_price_less_allowances_plus_charges_is_still_told():
    [finding] = check_invoice(parse_invoice(_ubl("18500.00"), "ubl"), TERMS)
    assert (finding.kind, finding.at_stake) == ("arithmetic", Money(Decimal("350.00"), "GBP"))
    assert finding.derivation == ("1 x 20,000.00 - 1,850.00 the line's charges less allowances = 18,150.00 "
                                  "!= 18,500.00")
