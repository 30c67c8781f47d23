"""Terms that run from an event (extract/conditional.py): synthetic sentences, never corpus text."""

from __future__ import annotations

import pytest

from clausewatch.dates import TermEndConvention
from clausewatch.extract import extract_contract
from clausewatch.extract.conditional import TERM_NAME, event_name, read_event_term, same_event

# (sentence, event, duration, convention or None)
READ = [
    ("The term of this Agreement shall be five (5) years from the Launch Date.", "Launch Date", "P5Y", None),
    ("This Agreement shall continue in force for a period of three (3) years commencing on the first "
     "commercial sale of the Product.", "first commercial sale of the Product", "P3Y", None),
    ("The Term shall run for two years from the date of first delivery, and shall renew thereafter.",
     "date of first delivery", "P2Y", None),
    ("This Agreement shall commence on the Go-Live Date and continue for thirty-six (36) months.",
     "Go-Live Date", "P36M", None),
    ("This Agreement shall remain in effect until the fifth anniversary of the Acceptance Date.",
     "Acceptance Date", "P5Y", TermEndConvention.ANNIVERSARY),
    ("The initial term will begin on the Effective Date and end twelve (12) months after the Launch (the "
     "\"Term\").", "Launch", "P12M", None),
    ("The initial term is seven (7) years following the first commercial sale (the \"First Sale Date\").",
     "First Sale Date", "P7Y", None),
]

NOT_EVENTS = [
    "The term of this Agreement shall be five (5) years from the Effective Date.",
    "This Agreement shall commence on the date hereof and continue for three (3) years.",
    "The term shall be two (2) years from the later of the Launch Date and the Acceptance Date.",
    "Either party may terminate on ninety (90) days notice from the Launch Date.",
    "This Agreement shall automatically renew for successive one (1) year periods after the Launch Date.",
    "The term of this Agreement shall be three (3) years from March 1, 2024.",
    "Payment is due thirty (30) days after receipt of the invoice.",
    "The Agreement shall continue for five (5) years.",
    "During the term of this Agreement the Distributor shall register within sixty (60) days after the Launch Date.",
    "The term of this Agreement shall end ten (10) days after the Acceptance Date.",
]


@pytest.mark.parametrize(("sentence", "event", "duration", "convention"), READ)
def test_a_term_that_runs_from_an_event_names_it(sentence, event, duration, convention):
    read = read_event_term(sentence)
    assert read is not None
    assert read.event == event
    assert read.duration.iso() == duration
    assert read.convention == convention
    assert event_name(read.event) in sentence or event == "First Sale Date"
    assert sentence[read.start:read.end]  # the phrase is quoted from the sentence


@pytest.mark.parametrize("sentence", NOT_EVENTS)
def test_the_agreements_own_dates_and_other_periods_are_not_events(sentence):
    assert read_event_term(sentence) is None


def test_event_names_match_however_written():
    assert same_event("the Launch Date", "launch  date")
    assert not same_event("Launch Date", "Acceptance Date")


CONTRACT = """MARKETING AGREEMENT

This Marketing Agreement is made as of March 3, 2025 between Alpha Corp. and Beta LLC.

1. Term. The term of this Agreement shall be five (5) years from the Launch Date. Thereafter it shall
automatically renew for successive one (1) year periods unless either party gives notice of non-renewal at
least ninety (90) days prior to the end of the then-current term.

2. Governing Law. This Agreement shall be governed by the laws of the State of Delaware.
"""


def test_the_extractor_records_a_conditional_term_and_no_expiration():
    result = extract_contract([CONTRACT], source="synthetic.pdf")
    assert result.value("expiration_date") is None
    assert result.value("notice_deadline") is None
    term = result.term(TERM_NAME)
    assert term is not None and term.evidence is not None
    [item] = term.value
    assert item["event"] == "Launch Date"
    assert item["duration"] == "P5Y"
    assert item["sets"] == "expiration_date"
    assert item["event_date"] is None
    assert item["page"] == 1
    assert "five (5) years from the Launch Date" in item["phrase"]
    assert CONTRACT[item["start"]:item["end"]] == term.evidence.text
    assert result.to_dict()["terms"][TERM_NAME]["value"][0]["event"] == "Launch Date"


def test_a_term_with_a_known_start_has_no_conditional_term():
    text = CONTRACT.replace("from the Launch Date", "from the Effective Date")
    result = extract_contract([text], source="synthetic.pdf")
    assert result.value("expiration_date") is not None
    assert result.term(TERM_NAME) is None


# (duration, convention, event date, expiration, arithmetic after "<event> <date> (entered by a@b.com)")
DATED = [
    ("P5Y", None, "2027-03-01", "2032-02-29", " + P5Y - 1 day = 2032-02-29"),
    ("P36M", None, "2027-01-31", "2030-01-30", " + P36M - 1 day = 2030-01-30"),
    ("P1M", None, "2027-01-31", "2027-02-28", " + P1M - 1 day (no 31 February 2027: the term ends on the month's "
                                              "last day) = 2027-02-28"),
    ("P5Y", "anniversary", "2027-03-01", "2032-03-01", " + P5Y = 2032-03-01 (the anniversary itself)"),
]


@pytest.mark.parametrize(("duration", "convention", "day", "expiration", "arithmetic"), DATED)
def test_an_event_date_gives_the_expiration_with_its_arithmetic(duration, convention, day, expiration, arithmetic):
    from datetime import date

    from clausewatch.pipeline.events import expiration_from_event

    item = {"event": "Launch Date", "duration": duration, "convention": convention}
    value, derivation = expiration_from_event(item, date.fromisoformat(day), "a@b.com")
    assert value == expiration
    assert derivation == f"Launch Date {day} (entered by a@b.com){arithmetic}"
