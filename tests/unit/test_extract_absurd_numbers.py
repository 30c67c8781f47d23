"""A figure too large to be a contract's term ("99999999 years", "the 99999999th anniversary")
is a slip: the extractor abstains on that term and reads the rest of the contract, instead of
running the date arithmetic off the calendar (before: a ValueError that failed the whole
contract)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausewatch.extract import extract_contract

OPENING = ("MASTER SERVICES AGREEMENT\nThis Master Services Agreement is entered into as of March 1, 2026 (the "
           "\"Effective Date\") between Acme Widgets, Inc. and Blue Heron Consulting LLC.\n")
LAW = "\n9. Governing Law. This Agreement is governed by the laws of the State of New York."
TERMS = [
    "1. Term. This Agreement shall commence on the Effective Date and continue for an initial term of {n} years.",
    "1. Term. This Agreement shall remain in effect until the {n}th anniversary of the Effective Date.",
    "1. Term. This Agreement shall continue for {n} months after the Launch Date.",
    "1. Term. This Agreement shall expire on the later of (a) the {n}th anniversary of the Effective Date "
    "and (b) the date of the last delivery.",
    "1. Term. This Agreement continues for one (1) year and renews automatically for successive periods of {n} "
    "months unless either party gives written notice of non-renewal at least {n} days before the end of the "
    "then-current term.",
]


@pytest.mark.parametrize("template", TERMS)
def test_an_absurd_figure_is_abstained_on_and_the_rest_is_read(template):
    terms = extract_contract([OPENING + template.format(n=99999999) + LAW]).terms
    assert terms["effective_date"] is not None and terms["effective_date"].value == "2026-03-01"
    assert terms["governing_law"] is not None and terms["governing_law"].value == "New York"
    for name in ("initial_term", "renewal_term", "notice_period"):
        assert terms[name] is None or terms[name].value in ("P1Y",), (name, terms[name])
    assert terms["expiration_date"] is None or terms["expiration_date"].value < "2028-01-01"


def test_a_hundred_years_is_still_read():
    terms = extract_contract([OPENING + TERMS[0].format(n=100) + LAW]).terms
    assert terms["initial_term"] is not None and terms["initial_term"].value == "P100Y"
    assert terms["expiration_date"] is not None and terms["expiration_date"].value == "2126-02-28"


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.sampled_from(TERMS), st.integers(min_value=1, max_value=10**40))
def test_no_figure_in_a_term_clause_breaks_the_extraction(template, n):
    extract_contract([OPENING + template.format(n=n) + LAW])
