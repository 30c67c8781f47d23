"""The extraction's typed model: what is stored reads back as the same values, and facts code
needs (a date moved to a business day) are fields, never searched for in a derivation."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch.extract import extract_contract
from clausewatch.extract.model import ContractExtraction, Evidence, Obligation, Term
from clausewatch.plan import ContractInfo, deadlines_for_contract
from clausewatch.text.local import document_from_pdf
from tests.paths import SAMPLES

SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"))

CONTRACT = ContractInfo(contract_id="c-1", title="Supply Agreement", counterparty="Granite Ridge",
                        owner="dana@example.com", team="procurement", contract_type=None,
                        time_zone="America/New_York", jurisdiction="US")


@pytest.mark.parametrize("pdf", [p for p in SAMPLE_PDFS if p.name != "bad-upload.pdf"],
                         ids=lambda p: p.name)
def test_a_stored_extraction_reads_back_as_the_same_values(pdf):
    extraction = extract_contract(document_from_pdf(pdf.read_bytes()).page_texts, source=pdf.name)
    extraction.title = "A title"
    stored = extraction.to_dict()
    back = ContractExtraction.from_dict(stored)
    assert back.to_dict() == stored
    assert back.title == "A title" and back.document_type == extraction.document_type
    for name, term in extraction.present_terms().items():
        assert back.value(name) == term.value
        assert back.term(name).evidence == term.evidence
        assert back.term(name).derivation == term.derivation
    assert [o.id for o in back.obligations] == [o.id for o in extraction.obligations]
    assert back.parties == extraction.parties


def test_absent_and_partial_stored_values_are_absent_not_guessed():
    back = ContractExtraction.from_dict({"terms": {
        "expiration_date": None, "notice_period": {"value": None}, "renewal_term": {"value": ""},
        "governing_law": {"value": "New York"}},
        "obligations": [{"summary": "no id"}, {"id": "ob-1", "due_date": "2027-01-31"}],
        "parties": [{"role": "Provider"}]})
    assert back.present_terms().keys() == {"governing_law"}
    assert back.term("governing_law").evidence is None
    assert [o.id for o in back.obligations] == ["ob-1"]
    assert back.obligations[0].kind == "other"
    assert back.parties == []
    assert ContractExtraction.from_dict(None).present_terms() == {}


def _evidence(text: str) -> Evidence:
    return Evidence(page=1, start=0, end=len(text), text=text)


def _renewing(notice: Term) -> ContractExtraction:
    """Expires 2026-06-05, renews yearly, 90 days' notice; the renewed term ends 2027-06-05, and
    2027-06-05 - P90D = Sunday 2027-03-07."""
    extraction = ContractExtraction(source="supply.pdf", pages=1)
    extraction.terms.update(
        expiration_date=Term("2026-06-05", _evidence("expires on June 5, 2026")),
        auto_renewal=Term(True, _evidence("renews automatically")),
        renewal_term=Term("P1Y", _evidence("for successive one-year terms")),
        notice_period=Term("P90D", _evidence("ninety (90) days' notice")),
        notice_deadline=notice)
    return extraction


def test_a_deadline_moved_to_a_business_day_moves_the_renewed_terms_deadlines_too():
    moved = Term("2026-03-06", _evidence("ninety (90) days' notice"),
                 derivation="expiration_date 2026-06-05 - P90D = 2026-03-07, not a business day, "
                            "moved back to 2026-03-06", moved_to_business_day=True)
    notice = {d.obligation_id: d for d in deadlines_for_contract(
        CONTRACT, _renewing(moved), date(2026, 11, 25))}["notice_deadline"]
    assert notice.due == date(2027, 3, 5)  # Sunday 7 March -> Friday 5 March
    assert "moved back to 2027-03-05" in notice.derivation


def test_the_derivation_text_is_never_searched_for_that_fact():
    # the same words in the derivation, without the fact: the renewed deadline is not moved
    worded = Term("2026-03-06", _evidence("ninety (90) days' notice"),
                  derivation="expiration_date 2026-06-05 - P90D, moved back (not a business day)")
    notice = {d.obligation_id: d for d in deadlines_for_contract(
        CONTRACT, _renewing(worded), date(2026, 11, 25))}["notice_deadline"]
    assert notice.due == date(2027, 3, 7)


def test_the_stored_form_keeps_the_fact():
    term = Term("2026-03-06", None, derivation="...", moved_to_business_day=True, amended_by="a-1")
    assert Term.from_dict(term.to_dict()) == term
    assert "moved_to_business_day" not in Term("2026-03-06", None).to_dict()


def test_obligations_read_back_typed():
    ob = Obligation(id="ob-1", party="Provider", kind="report", summary="Monthly report",
                    evidence=_evidence("Provider shall deliver a monthly report"),
                    recurrence="RRULE:FREQ=MONTHLY;BYMONTHDAY=1", offset="+P10BD")
    assert Obligation.from_dict(ob.to_dict()) == ob
