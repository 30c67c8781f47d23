"""clausewatch.evaluate: answer normalisation and scoring (the run on a CUAD subset is in
tests/cuad/test_eval.py)."""

from __future__ import annotations

import pytest

from clausewatch import evaluate
from clausewatch.evaluate import (
    answer_durations,
    compare_date,
    compare_duration,
    compare_law,
    compare_parties,
    evidence_overlaps,
    parse_answer_date,
)

# --- normalisation (no corpus needed) -------------------------------------------------------------

def test_parse_answer_date():
    assert parse_answer_date("6/21/1999") == (1999, 6, 21)
    assert parse_answer_date("31/01/2025") == (2025, 1, 31)  # day first when it cannot be a month
    assert parse_answer_date("[]/[]/2004") == (2004, None, None)
    assert parse_answer_date("perpetual") is None


@pytest.mark.parametrize("answer, ours, outcome", [
    ("6/21/1999", "1999-06-21", "correct"),
    ("6/21/1999", "1999-06-22", "wrong"),
    ("6/21/1999", None, "missing"),
    ("", None, "correctly_absent"),
    ("", "1999-06-21", "wrong"),
    ("perpetual", None, "correctly_absent"),
    ("Perpetual", "2020-01-01", "wrong"),
    ("[]/[]/2004", None, "missing"),
    ("[]/[]/2004", "2004-05-01", "unverifiable"),
    ("[]/[]/2004", "2005-05-01", "wrong"),
    ("03/[]/2018", "2018-04-01", "wrong"),
    # our value written with blanks too ("this ___ day of March, 2018" -> "2018-03")
    ("03/[]/2018", "2018-03", "correct"),
    ("[]/[]/2018", "2018", "correct"),
    ("[]/[]/2018", "2019", "wrong"),
    ("03/[]/2018", "2018-04", "wrong"),
    ("03/[]/2018", "2018", "missing"),      # the answer knows the month; we did not read it
    ("[]/[]/2018", "2018-03", "unverifiable"),
    ("3/14/2018", "2018-03", "missing"),    # a whole date in the answer; ours is incomplete
    ("[]/[]/19[]", "1998", "unverifiable"),
    ("", "2018", "wrong"),
])
def test_compare_date(answer, ours, outcome):
    assert compare_date(answer, ours) == outcome


def test_expiration_from_a_duration_accepts_either_convention():
    # labels mostly use the anniversary, some the day before: 2000-06-21 (anniversary) vs 6/20/2000
    assert compare_date("6/20/2000", "2000-06-21", from_duration=True) == "correct"
    assert compare_date("6/20/2000", "2000-06-21", from_duration=False) == "wrong"


@pytest.mark.parametrize("answer, expected", [
    ("successive 1 year", [(12, 0)]), ("12 months", [(12, 0)]), ("0.5 year", [(6, 0)]),
    ("4 years, 6 months", [(54, 0)]), ("180 days / 6 months", [(0, 180), (6, 0)]), ("6 weeks", [(0, 42)]),
    ("three (3) years", [(36, 0)]), ("perpetual", None),
])
def test_answer_durations(answer, expected):
    assert answer_durations(answer) == expected


@pytest.mark.parametrize("answer, ours, evergreen, outcome", [
    ("successive 1 year", "P12M", False, "correct"),
    ("successive 1 year", "P1Y", False, "correct"),
    ("2 successive 5 years", "P5Y", False, "correct"),
    ("30 days", "P1M", False, "wrong"),
    ("", None, False, "correctly_absent"),
    ("", "P1Y", False, "wrong"),
    ("perpetual", None, True, "correct"),
    ("perpetual", None, False, "missing"),
    ("[]", None, False, "missing"),
])
def test_compare_duration(answer, ours, evergreen, outcome):
    assert compare_duration(answer, ours, evergreen) == outcome


@pytest.mark.parametrize("answer, ours, outcome", [
    ("New York", "New York", "correct"),
    ("Ontario, Canada", "Ontario", "correct"),
    ("England; Wales", "England and Wales", "correct"),
    ("England, United Kingdom; Wales, United Kingdom", "England and Wales", "correct"),
    ("Republic of Kazakhstan", "Kazakhstan", "correct"),
    ("Delaware", "New York", "wrong"),
    ("", None, "correctly_absent"),
    ("Texas", None, "missing"),
])
def test_compare_law(answer, ours, outcome):
    assert compare_law(answer, ours) == outcome


def test_compare_parties():
    highlights = ["Northwind Analytics, Inc.", "Provider", "CONTOSO RETAIL LTD."]
    assert compare_parties(highlights, ["Northwind Analytics, Inc", "Contoso Retail Ltd."]) \
        == {"found": 2, "matched": 2}
    assert compare_parties(highlights, ["Address: Suite 2512"]) == {"found": 1, "matched": 0}
    assert compare_parties([], []) == {"found": 0, "matched": 0}


def test_evidence_overlap():
    spans = ["This Agreement shall be governed by the laws of the State of New York."]
    assert evidence_overlaps("12.1 This Agreement shall be governed by the laws of the State of New\nYork.", spans)
    assert evidence_overlaps("dated as of June 21, 1999", ["June 21, 1999"])
    assert not evidence_overlaps("Customer shall pay within thirty days.", spans)


def test_missing_corpus_is_reported_not_failed(tmp_path, capsys):
    assert evaluate.main(["--corpus", str(tmp_path / "nowhere"), "--json", str(tmp_path / "out.json")]) == 0
    assert "CUAD corpus not found" in capsys.readouterr().out
    assert not (tmp_path / "out.json").exists()
