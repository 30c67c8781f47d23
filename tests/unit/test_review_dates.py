"""Dates never guessed: an impossible Effective Date and two different ones are left out and
flagged for review with every candidate and its clause (issue #13 section 5)."""

from __future__ import annotations

from clausewatch.extract import extract_contract
from clausewatch.extract.model import ContractExtraction
from clausewatch.extract.review import impossible_dates

PARTIES = ('by and between Acme Robotics, Inc., a Delaware corporation ("Provider"), and Beta Foods LLC '
           '("Customer").')
TERM = ("2. Term. The initial term of this Agreement begins on the Effective Date and continues for "
        "two (2) years. Either party may terminate with sixty (60) days written notice.")
SIGNED = "IN WITNESS WHEREOF the parties have signed this Agreement.\nDate: March 3, 2025\nDate: March 4, 2025"


def test_impossible_dates_are_found_with_their_text():
    text = "due February 30, 2025 and 31 April 2024, but not February 29, 2024 or April 30, 2024"
    assert [t for _, _, t in impossible_dates(text)] == ["February 30, 2025", "31 April 2024"]
    assert impossible_dates("February 29, 2023") != [] and impossible_dates("February 29, 2024") == []


def test_february_30_as_the_effective_date_is_flagged_not_replaced_by_a_signature_date():
    text = (f'SERVICES AGREEMENT\n\nThis Services Agreement is entered into as of February 30, 2025 '
            f'(the "Effective Date") {PARTIES}\n\n{TERM}\n\n{SIGNED}')
    result = extract_contract([text], source="feb30.pdf")
    assert result.value("effective_date") is None
    assert result.value("expiration_date") is None  # nothing counts from a guess
    [flag] = result.attention
    assert flag["kind"] == "impossible_date" and flag["term"] == "effective_date"
    assert "February 30, 2025" in flag["message"]
    values = [c["value"] for c in flag["candidates"]]
    assert values[0] == "February 30, 2025"
    assert "February 30, 2025" in flag["candidates"][0]["evidence"]["text"]
    assert flag["candidates"][0]["evidence"]["page"] == 1
    # stored and read back
    assert ContractExtraction.from_dict(result.to_dict()).attention == result.attention


def test_two_different_effective_dates_are_both_kept_as_candidates_and_none_taken():
    text = (f'SERVICES AGREEMENT\n\nThis Services Agreement is made as of March 1, 2025 '
            f'(the "Effective Date") {PARTIES}\n\n{TERM}\n\n3. Commencement. This Agreement shall be '
            f'effective as of April 15, 2025.\n\n{SIGNED}')
    result = extract_contract([text], source="two-dates.pdf")
    assert result.value("effective_date") is None
    [flag] = result.attention
    assert flag["kind"] == "conflicting_dates"
    assert [c["value"] for c in flag["candidates"]] == ["2025-03-01", "2025-04-15"]
    texts = [c["evidence"]["text"] for c in flag["candidates"]]
    assert "March 1, 2025" in texts[0] and "April 15, 2025" in texts[1]


def test_one_effective_date_named_twice_the_same_is_not_a_conflict():
    text = (f'SERVICES AGREEMENT\n\nThis Services Agreement is made as of March 1, 2025 '
            f'(the "Effective Date") {PARTIES}\n\n{TERM}\n\n3. Commencement. This Agreement shall be '
            f'effective as of March 1, 2025.\n\n{SIGNED}')
    result = extract_contract([text], source="same.pdf")
    assert result.value("effective_date") == "2025-03-01" and result.attention == []
    assert "attention" not in result.to_dict()
