"""clausewatch.extract: reading numbers, durations and dates as contracts write them."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch.dates import Duration
from clausewatch.extract.datetext import find_blank_dates, find_dates, parse_date
from clausewatch.extract.document import Document
from clausewatch.extract.numbers import ordinal_to_int, parse_duration, parse_number, words_to_int


@pytest.mark.parametrize("text, expected", [
    ("thirty", 30), ("one hundred eighty", 180), ("twenty-four", 24), ("one hundred and twenty", 120),
    ("two thousand five hundred", 2500), ("seven", 7), ("ninety", 90),
])
def test_words_to_int(text, expected):
    assert words_to_int(text) == expected


def test_words_to_int_rejects_other_words():
    assert words_to_int("thirty days") is None
    assert words_to_int("") is None


@pytest.mark.parametrize("text, expected", [
    ("third", 3), ("3rd", 3), ("twenty-first", 21), ("31st", 31), ("fifth", 5),
])
def test_ordinals(text, expected):
    assert ordinal_to_int(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("within thirty (30) days of receipt", Duration(days=30)),
    ("one hundred eighty (180) days' notice", Duration(days=180)),
    ("not less than three (3) months' written notice", Duration(months=3)),
    ("a 12-month period", Duration(months=12)),
    ("a one-year term", Duration(years=1)),
    ("ten (10) business days after", Duration(business_days=10)),
    ("ten (10) Business Days after", Duration(business_days=10)),
    ("two (2) weeks", Duration(weeks=2)),
    ("sixty (60) calendar days", Duration(days=60)),
    ("(5) year", Duration(years=5)),
    ("twelve (12) full calendar months", Duration(months=12)),
])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


def test_words_and_figures_that_disagree_give_nothing():
    # "thirty (60)": a wrong figure is worse than none
    assert parse_duration("within thirty (60) days") is None
    assert parse_number("thirty (60)") is None


@pytest.mark.parametrize("text, expected", [
    ("February 20, 2025", date(2025, 2, 20)),
    ("Feb. 20, 2025", date(2025, 2, 20)),
    ("Sept 29, 2004", date(2004, 9, 29)),
    ("January 10th, 2019", date(2019, 1, 10)),
    ("20 February 2025", date(2025, 2, 20)),
    ("02 June, 2015", date(2015, 6, 2)),
    ("the 3rd day of June, 2023", date(2023, 6, 3)),
    ("this 18t h day of August 2014", date(2014, 8, 18)),
    ("the first day of July, 2017", date(2017, 7, 1)),
    ("19 DAY OF MAY , 2010", date(2010, 5, 19)),
    ("2025-03-01", date(2025, 3, 1)),
    ("03/01/2025", date(2025, 3, 1)),
    ("9/29/04", date(2004, 9, 29)),
    ("29/3/18", date(2018, 3, 29)),  # a first number above 12 is a day
    ("1.4.2011", date(2011, 4, 1)),  # dotted dates are day first
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_date_order_dmy():
    assert parse_date("03/01/2025", date_order="DMY") == date(2025, 1, 3)
    assert parse_date("03/01/2025", date_order="US") == date(2025, 3, 1)


@pytest.mark.parametrize("text", [
    "this ____ day of March, 2018", "April ____, 2003", "March 2018", "February 30, 2025", "Section 3.1.2",
])
def test_not_a_full_date(text):
    assert parse_date(text) is None


def test_find_dates_gives_offsets_into_the_text():
    text = "commence on March 1, 2025 and expire on 28 February 2028."
    found = find_dates(text)
    assert [f.value for f in found] == [date(2025, 3, 1), date(2028, 2, 28)]
    for f in found:
        assert text[f.start:f.end] == f.text


def test_document_folds_typography_without_moving_offsets():
    pages = ["This \u201cAgreement\u201d is dated\u00a0March 1, 2025.", "Page two \u2013 text."]
    doc = Document(pages)
    assert doc.text == 'This "Agreement" is dated March 1, 2025.\nPage two - text.'
    start = doc.text.index("March")
    ev = doc.evidence(start, start + len("March 1, 2025"))
    assert (ev.page, pages[ev.page - 1][ev.start:ev.end]) == (1, "March 1, 2025")
    second = doc.text.index("two")
    ev2 = doc.evidence(second, second + 3)
    assert ev2.page == 2 and pages[1][ev2.start:ev2.end] == "two"


def test_sentences_keep_abbreviations_and_provisos_together():
    doc = Document(["Northwind Analytics, Inc. shall pay Contoso Ltd. the fees; provided that no increase "
                    "shall exceed 5%. Next sentence."])
    span = doc.sentence(0)
    assert doc.text[span.start:span.end].endswith("exceed 5%.")


def test_running_footer_lines_are_furniture():
    bodies = ["The Supplier shall deliver.", "The Buyer shall pay.", "Either party may terminate."]
    pages = [f"{body}\nSource: ACME CORP, 10-K, 3/1/2019\nPage {n} of 3" for n, body in enumerate(bodies, 1)]
    doc = Document(pages)
    footer = doc.text.index("3/1/2019")
    assert doc.in_furniture(footer)
    assert doc.in_furniture(doc.text.index("Page 2 of 3"))
    assert not doc.in_furniture(doc.text.index("Buyer"))


@pytest.mark.parametrize("text, expected", [
    ("made this ____ day of _________, 2004 by", [("2004", "this ____ day of _________, 2004")]),
    ("this ____ day of March, 2018", [("2018-03", "this ____ day of March, 2018")]),
    ("dated as of November ___, 2006", [("2006-11", "November ___, 2006")]),
    ("[ ] day of [ ], 2020 (the", [("2020", "[ ] day of [ ], 2020")]),
    ("[___], 2020", [("2020", "[___], 2020")]),
    ("dated as of , 2009, by", [("2009", ", 2009")]),  # the PDF lost the underlines
    ("AGENCY AGREEMENT\n      , 2006\nLadies", [("2006", ", 2006")]),
    ("Cooperation Agreement\nApril 2013\n", [("2013-04", "April 2013")]),
    # not dates with blanks: a whole date, a blank year, a plain comma before a year
    ("on June 3, 2018 and the 3rd day of June, 2023", []),
    ("this ____ day of ________, 19____", []),
    ("Acme Inc., 2009 annual report", []),
])
def test_find_blank_dates(text, expected):
    found = find_blank_dates(text)
    assert [(f.value.isoformat(), f.text) for f in found] == expected
    assert all(text[f.start:f.end] == f.text for f in found)


@pytest.mark.parametrize("text, expected", [
    ("made as of \u017fept 29, 2004", date(2004, 9, 29)),  # a long s: the pattern (IGNORECASE) matches "sept"
    ("APR\u0130L 3, 2020", date(2020, 4, 3)),  # a dotted capital I, whose lower case is not "i"
    ("the 3rd day of \u017fEPTEMBER, 2021", date(2021, 9, 3)),
])
def test_a_month_with_a_non_ascii_case_fold_is_read(text, expected):
    # was a KeyError in the month lookup, which stopped the whole term extraction
    assert parse_date(text) == expected
    from clausewatch.extract.datetext import month_number
    from clausewatch.extract.review import impossible_dates

    assert month_number("Sept.") == 9 and month_number("\u017fept") == 9
    with pytest.raises(KeyError):
        month_number("Smarch")
    assert impossible_dates("\u017fept 31, 2004") == [(0, 13, "\u017fept 31, 2004")]
    assert [f.value.month for f in find_blank_dates("\u017fept ___, 2004")] == [9]
