"""QA5 10a: a document that does not read as a contract (a newsletter dropped in by mistake) is
flagged for review from what the readers found, never a contract the readers could read."""

from __future__ import annotations

import pytest

from clausewatch.extract import extract_contract
from clausewatch.extract.contract_language import NOT_A_CONTRACT, contract_wording
from tests.paths import SAMPLES

NEWSLETTER = ("Quarterly Newsletter\nOur team had a great quarter. The picnic is on June 5, 2026. Please bring "
              "sunscreen. Sales grew\n12% year over year. See you in 30 days.")


def flags(*pages: str) -> list[dict]:
    return [f for f in extract_contract(list(pages), source="x.pdf").attention if f["kind"] == NOT_A_CONTRACT]


def test_a_newsletter_is_flagged_saying_what_was_looked_for():
    [flag] = flags(NEWSLETTER)
    assert flag["message"].startswith("does not read as a contract: no parties, no agreement date, term, "
                                      "renewal or governing law, and no contract wording")
    assert flag["candidates"] == [] and flag["term"] is None


@pytest.mark.parametrize("text, flagged", [
    (NEWSLETTER + " The holiday party is on December 18.", True),  # one mention of "party" is not a contract
    (NEWSLETTER + " The parties hereto agree to meet again.", False),  # contract wording twice: not flagged
    (NEWSLETTER + " This Agreement is governed by the laws of the State of New York.", False),  # governing law
])
def test_the_rule_from_table(text, flagged):
    assert bool(flags(text)) is flagged


def test_contract_wording_counts_whole_words():
    assert contract_wording("The Parties hereto; this AGREEMENT; a contractor; partying") == 3


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.pdf") if p.name != "bad-upload.pdf"))
def test_no_sample_contract_or_amendment_is_flagged(name):
    from clausewatch.text.local import document_from_pdf

    assert flags(*document_from_pdf((SAMPLES / name).read_bytes()).page_texts) == []


def test_the_extract_summary_is_not_headed_contract_for_a_document_flagged_as_not_one():
    """A user's QA: `clausewatch extract news.txt` began "news.txt: 1 page(s), contract", then said it does
    not read as a contract."""
    from clausewatch.extract.cli import summary

    head = summary(extract_contract([NEWSLETTER], source="news.txt")).splitlines()[0]
    assert head == "news.txt: 1 page(s), does not read as a contract", head
    assert summary(extract_contract([NEWSLETTER + " This Agreement is governed by the laws of the State of New York."],
                                    source="x.txt")).splitlines()[0].endswith(", contract")
