"""pipeline.record: an amendment's initial term restated from the Agreement's Effective Date ends
counted from the contract's effective date, with that in the arithmetic; without one, no end is
kept (not the earlier end of another length) and a person is asked (QA4 Q1)."""

from __future__ import annotations

from types import SimpleNamespace

from clausewatch.extract.model import ContractExtraction, Term
from clausewatch.extract.term_start import (
    AMENDED_AGREEMENT_ANNIVERSARY,
    AMENDED_AGREEMENT_START,
    AMENDED_AGREEMENT_YEAR_END,
)
from clausewatch.pipeline.record import _count_amended_term

ORIGINAL = SimpleNamespace(file_name="msa.pdf", contract_id="c0")
AMENDMENT = SimpleNamespace(file_name="amdR.pdf", contract_id="a1")
NO_RULE = ContractExtraction(source="amdR.pdf", pages=1)  # the amendment's extraction, with no year-end term


def _merged(effective: str | None) -> ContractExtraction:
    merged = ContractExtraction(source="msa.pdf", pages=1)
    merged.terms["effective_date"] = None if effective is None else Term(value=effective, evidence=None)
    merged.terms["expiration_date"] = Term(value="2027-02-28", evidence=None, derivation="effective_date 2024-03-01 + P3Y - 1 day")
    return merged


def _changes(derivation: str = AMENDED_AGREEMENT_START) -> dict[str, Term]:
    return {"initial_term": Term(value="P4Y", evidence=None, derivation=derivation, amended_by="a1")}


def test_the_end_is_counted_from_the_contracts_effective_date():
    changes = _changes()
    _count_amended_term(ORIGINAL, _merged("2024-03-01"), changes, AMENDMENT, NO_RULE)
    end = changes["expiration_date"]
    assert end.value == "2028-02-29" and end.amended_by == "a1"
    assert end.derivation == "effective_date 2024-03-01 (of msa.pdf) + P4Y - 1 day (initial term of amdR.pdf)"


def test_an_amendment_read_to_end_on_the_anniversary_itself_does():
    changes = _changes(AMENDED_AGREEMENT_START + AMENDED_AGREEMENT_ANNIVERSARY)
    _count_amended_term(ORIGINAL, _merged("2024-03-01"), changes, AMENDMENT, NO_RULE)
    assert changes["expiration_date"].value == "2028-03-01"


def test_without_the_contracts_effective_date_no_end_is_kept_and_a_person_is_asked():
    merged, changes = _merged(None), _changes()
    _count_amended_term(ORIGINAL, merged, changes, AMENDMENT, NO_RULE)
    assert changes["expiration_date"].value is None  # replaces 2027-02-28, the end of a 3-year term
    [flag] = merged.attention
    assert flag["kind"] == "amended_term_start" and "enter the expiration date" in flag["message"]


def test_a_term_not_marked_or_with_a_stated_end_is_left_as_the_amendment_states_it():
    changes = _changes(derivation=None)
    _count_amended_term(ORIGINAL, _merged("2024-03-01"), changes, AMENDMENT, NO_RULE)
    assert "expiration_date" not in changes
    stated = {**_changes(), "expiration_date": Term(value="2029-03-31", evidence=None, derivation="stated in the clause")}
    _count_amended_term(ORIGINAL, _merged("2024-03-01"), stated, AMENDMENT, NO_RULE)
    assert stated["expiration_date"].value == "2029-03-31"


def test_the_notice_clause_is_numbered_only_by_the_section_it_says_it_amends():
    """The notice deadline's arithmetic names the amended section ("amd2.pdf §4.1", QA4 Q3); a section a
    clause merely mentions is not its number."""
    from clausewatch.pipeline.record import _section_number

    assert _section_number("Section 4.1 of the Agreement is amended to read in its second sentence: ...") == "4.1"
    assert _section_number("Section 11.1 of the Agreement is hereby amended by deleting ...") == "11.1"
    assert _section_number("Subject to Section 12, either party may give notice of non-renewal thirty (30) days "
                           "before the term ends.") is None


def _year_end_amendment() -> ContractExtraction:
    extraction = ContractExtraction(source="amdY.pdf", pages=1, document_type="amendment")
    extraction.terms[AMENDED_AGREEMENT_YEAR_END] = Term(
        value=True, evidence=None, derivation=AMENDED_AGREEMENT_START + "; ends on December 31 of its calendar year")
    return extraction


def test_a_term_to_the_end_of_the_calendar_year_ends_in_the_year_of_the_contracts_effective_date():
    changes: dict[str, Term] = {}
    _count_amended_term(ORIGINAL, _merged("2024-03-01"), changes, AMENDMENT, _year_end_amendment())
    end = changes["expiration_date"]
    assert end.value == "2024-12-31" and end.amended_by == "a1"
    assert end.derivation == ("the end of the calendar year of effective_date 2024-03-01 (of msa.pdf) "
                              "(term of amdR.pdf)")


def test_a_term_to_the_end_of_the_calendar_year_without_the_contracts_effective_date_asks_a_person():
    merged, changes = _merged(None), {}
    _count_amended_term(ORIGINAL, merged, changes, AMENDMENT, _year_end_amendment())
    assert changes["expiration_date"].value is None  # replaces 2027-02-28
    [flag] = merged.attention
    assert flag["kind"] == "amended_term_start" and "a term to the end of the calendar year" in flag["message"]


def test_a_year_end_term_and_a_stated_end_keeps_the_stated_end():
    stated = {"expiration_date": Term(value="2029-03-31", evidence=None, derivation="stated in the clause")}
    _count_amended_term(ORIGINAL, _merged("2024-03-01"), stated, AMENDMENT, _year_end_amendment())
    assert stated["expiration_date"].value == "2029-03-31"
