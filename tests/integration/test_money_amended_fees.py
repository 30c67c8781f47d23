"""An amendment that re-prices one fee changes that fee only: the overage rate, the quantity
included and how the fee is invoiced stay as the earlier document stated them, each with its own
clause and document; an amendment that adds another fee leaves the contract's fee as it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from clausewatch import clock, config
from clausewatch.aws.clients import client
from clausewatch.pipeline.intake import contract_id_for
from clausewatch.store import money as store
from clausewatch.store import repository as repo
from clausewatch.text.validate import sha256_hex
from tests.pdfs import make_pdf

PARTIES = ("by and between Osprey Cloud Limited (\"Supplier\") and Lark Foods Limited (\"Customer\").\n")
AGREEMENT = (
    "SOFTWARE LICENCE AGREEMENT\nThis Software Licence Agreement (this \"Agreement\") is entered into as of 1 January "
    "2026 (the \"Effective Date\") " + PARTIES + "1. TERM. This Agreement commences on the Effective Date and shall "
    "continue for an initial term of three (3) years.\n2. FEES. The Customer shall pay the Supplier a monthly licence "
    "fee of GBP 20,000 (the \"Licence Fee\"), invoiced monthly in arrears. The Licence Fee includes the right to use "
    "the Software for up to one hundred (100) Named Users. Named Users in excess of one hundred shall be charged at "
    "GBP 50 per additional Named User per month.\n3. GOVERNING LAW. This Agreement shall be governed by the laws of "
    "England and Wales.")
HEAD = ("AMENDMENT NO. 1 TO SOFTWARE LICENCE AGREEMENT\nThis Amendment No. 1 (this \"Amendment\") is entered into as "
        "of 1 October 2026 (the \"Amendment Effective Date\") " + PARTIES + "A. Supplier and Customer are parties to "
        "that certain Software Licence Agreement dated 1 January 2026 (the \"Agreement\").\n")
TAIL = "\n2. Except as expressly amended by this Amendment, the Agreement remains unchanged."
REPRICE = HEAD + ("1. Licence Fee. With effect from the Amendment Effective Date the monthly licence fee is increased "
                  "to GBP 30,000 (the \"Licence Fee\").") + TAIL
ADD_ON = HEAD + ("1. Analytics Module. Supplier shall provide the Analytics Module, for which the Customer shall pay a "
                 "fee of GBP 500 per month (the \"Analytics Module Fee\").") + TAIL
META = {"team": "it", "owner": "sam.ortiz@example.com", "time-zone": "Europe/London", "jurisdiction": "GB-ENG"}


def _words(text: str) -> str:
    return " ".join(text.split())  # the PDF's line breaks


def _file(cloud, tmp_path, amendment: str) -> tuple[str, str]:
    clock.set_now(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    ids = []
    for name, text in (("licence.pdf", AGREEMENT), ("licence-amendment-1.pdf", amendment)):
        path = tmp_path / name
        path.write_bytes(make_pdf(text))
        cloud.upload(path, META)
        cloud.pump()
        ids.append(contract_id_for(sha256_hex(path.read_bytes())))
    assert repo.get_contract(ids[1]).amends_contract_id == ids[0]
    return ids[0], ids[1]


def _invoice(cloud, contract_id: str, number: str, lines: list[dict],
             period: tuple[str, str] = ("2026-11-01", "2026-11-30")) -> dict:
    body = {"number": number, "issue_date": period[1], "currency": "GBP", "supplier": "Osprey Cloud Limited",
            "period_start": period[0], "period_end": period[1], "lines": lines}
    client("s3").put_object(Bucket=config.BUCKET_NAME, Key=f"invoices/{contract_id}/{number}.json",
                            Body=json.dumps(body).encode())
    cloud.pump()
    return {f.kind: f for f in store.findings(contract_id) if f.invoice_number == number}


def test_an_amendment_that_reprices_the_licence_fee_keeps_the_overage_rate_with_its_own_clause(cloud, tmp_path):
    contract_id, amendment_id = _file(cloud, tmp_path, REPRICE)
    fees = repo.current_terms(contract_id)["fees"]
    value = fees.value
    # the amount is the amendment's, with the amendment's clause
    assert (value["amount"], value["period"], fees.source_contract_id) == ("30000.00", "month", amendment_id)
    assert "increased to GBP 30,000" in _words(fees.evidence["text"])
    # the overage rate, the quantity included and the billing are the agreement's, each with its clause and document
    assert (value["overage"]["amount"], value["overage"]["period"]) == ("50.00", "month")
    assert "per additional Named User" in _words(value["overage"]["evidence"]["text"])
    assert value["overage"]["evidence"]["document"] == "licence.pdf"
    assert value["overage"]["evidence"]["contract_id"] == contract_id
    assert (value["quantity"], value["quantity_evidence"]["document"]) == (100, "licence.pdf")
    assert value["billing"] == "monthly in arrears" and "GBP 20,000" in _words(value["billing_evidence"]["text"])
    # November: the new fee as agreed; 10 more users at 60 a month, 10 above the agreement's rate
    found = _invoice(cloud, contract_id, "NOV", [
        {"description": "Licence Fee", "quantity": 1, "unit_price": "30000.00", "amount": "30000.00"},
        {"description": "Additional Named Users", "quantity": 10, "unit_price": "60.00", "amount": "600.00"}])
    assert set(found) == {"quantity_beyond_included"}  # was: none (the amendment dropped the overage rate)
    overage = found["quantity_beyond_included"]
    assert (overage.amount, overage.currency) == ("100.00", "GBP")
    assert "(60.00 - 50.00) x 10 = 100.00" in overage.derivation
    assert overage.evidence["document"] == "licence.pdf"


def test_an_amendment_that_adds_a_fee_leaves_the_contracts_fee_as_it_was(cloud, tmp_path):
    contract_id, amendment_id = _file(cloud, tmp_path, ADD_ON)
    value = repo.current_terms(contract_id)["fees"].value
    assert (value["amount"], value["name"], value["overage"]["amount"]) == ("20000.00", "Licence Fee", "50.00")
    [added] = value["additional_fees"]
    assert (added["amount"], added["name"]) == ("500.00", "Analytics Module Fee")
    assert (added["evidence"]["document"], added["evidence"]["contract_id"]) == ("licence-amendment-1.pdf",
                                                                               amendment_id)
    # the licence at 20,000 and the module at its 500: both as agreed (was: the module's line told "not priced")
    found = _invoice(cloud, contract_id, "NOV", [
        {"description": "Licence Fee", "quantity": 1, "unit_price": "20000.00", "amount": "20000.00"},
        {"description": "Analytics Module", "quantity": 1, "unit_price": "500.00", "amount": "500.00"}])
    assert found == {}
    # the licence above its agreed fee is still found
    found = _invoice(cloud, contract_id, "DEC", [
        {"description": "Licence Fee", "quantity": 1, "unit_price": "21000.00", "amount": "21000.00"},
        {"description": "Analytics Module", "quantity": 1, "unit_price": "500.00", "amount": "500.00"}])
    assert set(found) == {"price_above_agreed"}
    assert (found["price_above_agreed"].amount, found["price_above_agreed"].currency) == ("1000.00", "GBP")


def test_the_lines_of_a_fee_an_amendment_added_are_priced_from_its_effective_date(cloud, tmp_path):
    contract_id, _ = _file(cloud, tmp_path, ADD_ON)
    # the module above its rate: over-charged by the difference, with the amendment's clause (was: "not priced")
    found = _invoice(cloud, contract_id, "NOV", [
        {"description": "Licence Fee", "quantity": 1, "unit_price": "20000.00", "amount": "20000.00"},
        {"description": "Analytics Module", "quantity": 1, "unit_price": "650.00", "amount": "650.00"}])
    assert set(found) == {"price_above_agreed"}
    over = found["price_above_agreed"]
    assert (over.amount, over.currency) == ("150.00", "GBP")
    assert "the effective_date 2026-10-01 of licence-amendment-1.pdf" in over.derivation
    assert "expected GBP 500.00 a month" in over.derivation and "charged 650.00 > 500.00: 150.00 over" in over.derivation
    assert over.evidence["document"] == "licence-amendment-1.pdf" and "Analytics Module" in _words(over.evidence["text"])
    # September, before the amendment took effect: the module billed before it was agreed (not the licence's line)
    found = _invoice(cloud, contract_id, "SEP", [
        {"description": "Licence Fee", "quantity": 1, "unit_price": "20000.00", "amount": "20000.00"},
        {"description": "Analytics Module", "quantity": 1, "unit_price": "500.00", "amount": "500.00"}],
        period=("2026-09-01", "2026-09-30"))
    assert set(found) == {"billed_before_agreed"}
    assert (found["billed_before_agreed"].amount, found["billed_before_agreed"].currency) == ("500.00", "GBP")


def test_a_combined_line_is_checked_net_of_tax_and_of_the_credit_against_it(cloud, tmp_path):
    contract_id, _ = _file(cloud, tmp_path, ADD_ON)
    combined = "Licence Fee incl. Analytics Module"
    # 21,000.00 less a 500.00 credit against it: the 20,500.00 agreed; the VAT line and the line's own tax
    # never compared (was: the credit, naming the charge, taken for another line billing it: not checked)
    found = _invoice(cloud, contract_id, "NOV", [
        {"description": combined, "quantity": 1, "unit_price": "21000.00", "amount": "21000.00", "tax": "4100.00"},
        {"description": "VAT 20%", "quantity": 1, "unit_price": "4100.00", "amount": "4100.00"},
        {"description": f"Credit: {combined}", "quantity": 1, "unit_price": "-500.00", "amount": "-500.00"}])
    assert found == {}
    found = _invoice(cloud, contract_id, "DEC", [
        {"description": combined, "quantity": 1, "unit_price": "21500.00", "amount": "21500.00"},
        {"description": "VAT 20%", "quantity": 1, "unit_price": "4200.00", "amount": "4200.00"},
        {"description": f"Credit: {combined}", "quantity": 1, "unit_price": "-500.00", "amount": "-500.00"}],
        period=("2026-12-01", "2026-12-31"))
    assert set(found) == {"price_above_agreed"}
    over = found["price_above_agreed"]
    assert (over.amount, over.currency, over.detail["line_ids"]) == ("500.00", "GBP", ["1", "3"])
    assert over.derivation.startswith(f"charged 21,500.00 - 500.00 (line 3, Credit: {combined}) = 21,000.00 for it")
    assert over.derivation.endswith("charged 21,000.00 > 20,500.00: 500.00 over; amounts net of tax (line 2 (VAT 20%) "
                                    "4,200.00: tax, not compared with the fees)")
