"""A finding's clauses in the API name the document each is quoted from: an added fee's clause is page 1
of the amendment (amendment-2.pdf), not the contract's page 1, and a line billing the contract's fee and
an added fee together shows both fees' clauses (they were in the stored detail only)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from clausewatch.api import money as money_api
from clausewatch.money.amended_fees import AddedFee
from clausewatch.money.invoices import ContractMoney, Finding, Invoice, InvoiceLine, check_invoice
from clausewatch.store.models import FindingItem

CONTRACT_CLAUSE = {"text": "Subscription Fees: USD 1,000 per month.", "page": 4, "start": 10, "end": 50}
ADDON_CLAUSE = {"text": "Amendment No. 2 adds a Premium Support fee of USD 200 per month.", "page": 1, "start": 0,
                "end": 64, "document": "amendment-2.pdf", "contract_id": "a2"}
ADDON = {"amount": "200.00", "currency": "USD", "period": "month", "name": "Premium Support", "evidence": ADDON_CLAUSE}
TERMS = ContractMoney(fees={"amount": "1000.00", "currency": "USD", "period": "month", "name": "Subscription Fees",
                            "additional_fees": [ADDON]},
                      fees_evidence=CONTRACT_CLAUSE, expiration=date(2027, 12, 31), renewal_term="P12M",
                      added_fees=(AddedFee(ADDON, date(2026, 10, 1), "the effective_date 2026-10-01 of amendment-2.pdf"),))


def _invoice(description: str, amount: str) -> Invoice:
    line = InvoiceLine("1", description, Decimal(1), Decimal(amount), Decimal(amount))
    return Invoice("INV-12", date(2026, 11, 1), "USD", None, (line,), Decimal(amount), date(2026, 11, 1),
                   date(2026, 11, 30))


def _item(finding: Finding) -> FindingItem:
    # stored as the money pipeline stores an invoice finding (evidence, and its to_dict() as detail)
    return FindingItem("CONTRACT#c1", f"FINDING#{finding.kind}", contract_id="c1", finding_id=finding.kind,
                       kind=finding.kind, source="invoice", summary=finding.summary, derivation=finding.derivation,
                       amount=None if finding.at_stake is None else str(finding.at_stake.amount), currency="USD",
                       invoice_number=finding.invoice_number, evidence=finding.evidence, detail=finding.to_dict(),
                       recorded_at="2026-12-06T00:00:00Z")


def test_an_added_fees_finding_names_the_amendment_its_clause_is_quoted_from():
    [finding] = check_invoice(_invoice("Premium Support", "250.00"), TERMS)
    view = money_api._view(_item(finding), {}).model_dump(mode="json")
    assert view["evidence"] == {"page": 1, "start": 0, "end": 64, "text": ADDON_CLAUSE["text"],
                                "document": "amendment-2.pdf", "source_contract_id": "a2"}
    assert view["clauses"] == [view["evidence"]]


def test_a_combined_lines_finding_shows_both_clauses_each_with_its_document():
    [finding] = check_invoice(_invoice("Subscription Fees incl. Premium Support", "1250.00"), TERMS)
    assert finding.kind == "price_above_agreed"
    view = money_api._view(_item(finding), {}).model_dump(mode="json")
    contract = {"page": 4, "start": 10, "end": 50, "text": CONTRACT_CLAUSE["text"], "document": None,
                "source_contract_id": None}  # the finding's contract itself
    amendment = {"page": 1, "start": 0, "end": 64, "text": ADDON_CLAUSE["text"], "document": "amendment-2.pdf",
                 "source_contract_id": "a2"}
    assert view["evidence"] == contract
    assert view["clauses"] == [contract, amendment]


def test_the_contracts_own_clause_names_the_contracts_file_and_id_the_amendments_its_own():
    """Was: the contract's clause had document null: which file "page 4" is in was not said."""
    [finding] = check_invoice(_invoice("Subscription Fees incl. Premium Support", "1250.00"), TERMS)
    view = money_api._view(_item(finding), {}, {"c1": "saas.pdf"}).model_dump(mode="json")
    contract = {"page": 4, "start": 10, "end": 50, "text": CONTRACT_CLAUSE["text"], "document": "saas.pdf",
                "source_contract_id": "c1"}
    amendment = {"page": 1, "start": 0, "end": 64, "text": ADDON_CLAUSE["text"], "document": "amendment-2.pdf",
                 "source_contract_id": "a2"}
    assert view["evidence"] == contract and view["clauses"] == [contract, amendment]
    # another contract's file is never taken for it; a contract no longer on file: null, as before
    other = money_api._view(_item(finding), {}, {"c2": "other.pdf"}).model_dump(mode="json")
    assert (other["evidence"]["document"], other["evidence"]["source_contract_id"]) == (None, None)
    page = money_api._page([_item(finding)], None, {"c1": "saas.pdf"})
    assert page.items[0].evidence is not None and page.items[0].evidence.document == "saas.pdf"


def test_a_finding_without_a_clause_has_none():
    item = FindingItem("CONTRACT#c1", "FINDING#x", contract_id="c1", finding_id="x", kind="duplicate",
                       source="invoice", summary="s", recorded_at="2026-12-06T00:00:00Z")
    view = money_api._view(item, {})
    assert view.evidence is None and view.clauses == []


def test_the_findings_clauses_are_in_the_openapi_document_and_a_view_validates_against_it():
    import json

    from openapi_schema_validator import OAS31Validator

    from clausewatch.api.app import OPENAPI_INFO, app

    document = json.loads(app.get_openapi_json_schema(**OPENAPI_INFO))
    schemas = document["components"]["schemas"]
    assert {"document", "source_contract_id"} <= set(schemas["FindingEvidence"]["properties"])
    assert "clauses" in schemas["FindingView"]["properties"]
    [finding] = check_invoice(_invoice("Subscription Fees incl. Premium Support", "1250.00"), TERMS)
    view = money_api._view(_item(finding), {}).model_dump(mode="json")
    validator = OAS31Validator({"$ref": "#/components/schemas/FindingView", "components": document["components"]})
    assert [e.message for e in validator.iter_errors(view)] == []
