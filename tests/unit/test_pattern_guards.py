"""The patterns' first-character guards (`extract.guards.guarded`: the date patterns, numbers and
durations) change no match: each guarded pattern finds exactly what its unguarded source finds, on
every way of writing a date, a number or a duration the readers know, in any case, with Unicode
digits and case folds, and on generated text (hypothesis)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clausewatch.extract import datetext, guards, numbers, review  # noqa: F401  (each adds its patterns)

DATES = [
    "February 20, 2025", "Feb. 20, 2025", "Sept 29, 2004", "January 10th, 2019", "April. 1st 2019",
    "20 February 2025", "02 June, 2015", "1st March 2020", "as of1 August 2019", "the 3rd day of June, 2023",
    "this 18t h day of August 2014", "the first day of July, 2017", "the twenty-first day of May, 2020",
    "eleventh day of June 1999", "nineteenth day of March 2001", "sixth day of May, 2002", "19 DAY OF MAY , 2010",
    "made the 20 March day of 1998", "2025-03-01", "03/01/2025", "9/29/04", "29/3/18", "1.4.2011",
    "31 December,\n----\n1996", "this ____ day of March, 2018", "this ____ day of _________, 2004",
    "[ ] day of [ ], 2020", "dated as of November ___, 2006", "June , 2010", "[___], 2020",
    "dated as of , 2009", "Effective Date:      , 2020", "AGENCY AGREEMENT\n      , 2006\nLadies",
    "Cooperation Agreement\nApril 2013\n", "February 30, 2025", "31 April 2024", "0 May 2020",
    "FEBRUARY 20, 2025", "dEcEmBeR 1st, 2030", "\u017fept 29, 2004", "\u0663/\u0661/2025", "\u0661\u0669 May 2020",
    "x2020-01-01", "_April 2013", "1 2 April 2013", "Section 3.1.2", "1.2.25",
    "AGENCY AGREEMENT\n, 2006\nLadies", "AGENCY AGREEMENT\n\t, 2006\nLadies", "1999-01-01", "\u0661 May 2020",
    "\u0663rd day of May, 2020", "\u0663\u0661 April 2024", "\u0663\u0660 February 2024", "\u212aeep 1 May 2020",
    "APR\u0130L 3, 2020",
    # every month name and abbreviation in every form with a month
    *(f"{form.format(month=name)}" for name in datetext.MONTHS for form in (
        "{month} 3, 2020", "{month}. 3, 2020", "3 {month} 2020", "the 3rd day of {month}, 2020",
        "3 {month} day of 2020", "{month} ___, 2006", "{month} 2013", "{month} 31, 2021", "31 {month} 2021")),
    # numbers and durations: every number word, in figures, in brackets, in both cases
    *(f"{word} ({n}) days" for word, n in list(numbers._UNITS.items()) + list(numbers._TENS.items())
      if word not in ("a", "an")),
    *(f"{word.upper()} MONTHS" for word in list(numbers._UNITS) + list(numbers._TENS) if word not in ("a", "an")),
    "one hundred eighty (180) days", "twenty-four months", "(30) days", "30 days", "3 months'", "12-month",
    "a one-year period", "ten (10) business days", "1,000 calendar days", "two thousand five hundred",
    "\u0663\u0660 days", "(\u0665) years", "\u017fixty (60) days", "\u017feven years",
    # an ordinal day for every first letter, in both cases
    *(f"{word} day of May, 2020" for ordinal in ("twenty-first", "thirtieth", "first", "fifth", "second", "sixth",
                                                 "eighth", "eleventh", "ninth", "nineteenth")
      for word in (ordinal, ordinal.upper())),
]


def _matches(pattern: re.Pattern, text: str) -> list[tuple[int, int, dict]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text)]


PAIRS = [(re.compile(source, flags), guarded) for guarded, source, flags in guards.GUARDED]


def test_every_date_pattern_is_guarded():
    # find_dates' six, find_blank_dates' five, impossible_dates' two, NUMBER_RE and DURATION_RE
    assert len(PAIRS) == len(datetext._PATTERNS) + len(datetext._BLANK_PATTERNS) + 2 + 2
    assert {numbers.NUMBER_RE, numbers.DURATION_RE} <= {guarded for _, guarded in PAIRS}
    assert all(guarded.pattern.startswith("(?=") for _, guarded in PAIRS)


@pytest.mark.parametrize("date", DATES)
def test_guards_change_no_match(date):
    found = 0
    for text in (date, f"on {date} and", f"x{date}y", f"(the {date}.)", date.upper(), date.lower()):
        for plain, guarded in PAIRS:
            expected = _matches(plain, text)
            assert _matches(guarded, text) == expected, (plain.pattern, text)
            found += len(expected)
    if date not in ("Section 3.1.2", "x2020-01-01", "_April 2013", "\u0661\u0669 May 2020",
                    "\u0661 May 2020", "\u0663\u0661 April 2024", "\u0663\u0660 February 2024"):  # none meant
        assert found, f"no pattern matches {date!r}: the test says nothing about it"


PIECES = st.sampled_from(DATES + [" ", "\n", "\t", ",", ".", "_", "of ", "day ", "the ", "this ", "in the year ",
                                  "1", "19", "2020", "st ", "-", "/", "\u017f", "\u212a", "\u0130", "Agreement ",
                                  "(", ")", "thirty ", "days", "-year", "hundred ", "1,000"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=30).map("".join))
def test_guards_change_no_match_on_generated_text(text):
    for plain, guarded in PAIRS:
        assert _matches(guarded, text) == _matches(plain, text), (plain.pattern, text)
