"""Terms that run from the later (or earlier) of several events (extract/later_of.py): synthetic
sentences, never corpus text."""

from __future__ import annotations

from datetime import date

import pytest

from clausewatch.api.models import ConditionalTerm
from clausewatch.dates import TermEndConvention
from clausewatch.extract import extract_contract
from clausewatch.extract.conditional import TERM_NAME, read_event_term
from clausewatch.extract.later_of import combined_end, is_combined, missing_events, read_later_of, waiting_message
from clausewatch.pipeline.events import waiting_for_event

DAY_BEFORE = TermEndConvention.DAY_BEFORE_ANNIVERSARY

# (sentence, rule, [(event, duration or None, known or None)], duration counted from the chosen event)
READ = [
    ("This Agreement shall continue until the later of (a) ten (10) years from the First Commercial Sale and "
     "(b) the expiration of the last Valid Claim.", "later",
     [("First Commercial Sale", "P10Y", None), ("expiration of the last Valid Claim", None, None)], None),
    ("This Agreement shall remain in force for five years from the later of the Effective Date and the date of "
     "Regulatory Approval.", "later",
     [("Effective Date", None, "effective_date"), ("date of Regulatory Approval", None, None)], "P5Y"),
    ("The term of this Agreement shall be three (3) years following the Effective Date or until the Trials are "
     "completed, whichever is later, unless terminated earlier.", "later",
     [("Effective Date", "P3Y", "effective_date"), ("Trials are completed", None, None)], None),
    ("The term shall be five (5) years from the Effective Date or the date of first commercial sale, whichever "
     "is later.", "later",
     [("Effective Date", None, "effective_date"), ("date of first commercial sale", None, None)], "P5Y"),
    ("This Agreement shall continue in full force for eight (8) years from the Launch (the \"Initial Term\"), "
     "or the date of expiry of the last valid patent of the Product, whichever comes later.", "later",
     [("Launch", "P8Y", None), ("date of expiry of the last valid patent of the Product", None, None)], None),
    ("This Agreement shall terminate on the later of (i) the third anniversary of the Effective Date or (ii) the "
     "date on which Alpha ceases to be a Subsidiary of Beta.", "later",
     [("Effective Date", "P3Y", "effective_date"), ("date on which Alpha ceases to be a Subsidiary of Beta", None,
                                                    None)], None),
    ("This Agreement shall remain in effect until the later to occur of the date that is (x) two (2) years from "
     "the date hereof and (y) the date on which the Manager ceases to act.", "later",
     [("date hereof", "P2Y", "agreement_date"), ("date on which the Manager ceases to act", None, None)], None),
    ("This Agreement shall expire upon the earlier of (i) the second anniversary of the Effective Date and (ii) "
     "the date all Units have been sold.", "earlier",
     [("Effective Date", "P2Y", "effective_date"), ("date all Units have been sold", None, None)], None),
    ("This Agreement shall remain in effect until the earlier of the following events: (a) the fifth (5th) "
     "anniversary of this Agreement; and (b) Alpha ceasing to hold any shares of Beta.", "earlier",
     [("date of this Agreement", "P5Y", "agreement_date"), ("Alpha ceasing to hold any shares of Beta", None, None)],
     None),
    ("The term shall run for three years from the earlier of the Go-Live Date or the date of first use.", "earlier",
     [("Go-Live Date", None, None), ("date of first use", None, None)], "P3Y"),
    ("This Agreement shall remain in effect until the fifth anniversary of the later of the Launch Date and the "
     "Acceptance Date.", "later", [("Launch Date", None, None), ("Acceptance Date", None, None)], "P5Y"),
    ("The term shall end on the later of December 31, 2030 and four (4) years after the Launch Date.", "later",
     [("December 31, 2030", None, "stated"), ("Launch Date", "P4Y", None)], None),
    # the agreement's own early termination is not an event to wait for (with the earlier of)
    ("This Agreement shall continue until the earlier of (a) six (6) years from the Launch Date, (b) the date of "
     "Regulatory Withdrawal and (c) its termination in accordance with Section 12.", "earlier",
     [("Launch Date", "P6Y", None), ("date of Regulatory Withdrawal", None, None)], None),
]

NOT_READ = [
    # the day the term starts, not its end
    "The term of this Agreement shall commence on the later of the Effective Date and December 31, 2025 and "
    "shall continue for five (5) years.",
    "The Term shall take effect on the later of the Effective Date or July 1, 2025 and shall continue until "
    "terminated.",
    "The Term shall begin on the later of the Effective Date or the Launch Date and shall continue until terminated.",
    "This Agreement shall renew for successive one-year terms commencing on the later of the end of the Initial "
    "Term and the Launch Date.",
    "The Term shall commence on the fifth anniversary of the later of the Effective Date and the Launch Date.",
    # three events without enumerators: which commas part them is not read
    "This Agreement shall terminate on the later of the Effective Date, the Closing Date and the Approval Date.",
    # a deadline to do something after the later of two events, not the term
    "Payment is due within thirty (30) days after the later of the Launch Date and receipt of the invoice.",
    # the agreement's own early termination leaves one candidate: a plain term, the term readers'
    "This Agreement shall be effective until the earlier of (a) its termination in accordance with Article 9 or "
    "(b) the date that is two (2) years after the date of this Agreement.",
    # the later of the agreement's own end and something: nothing to wait for
    "This Agreement shall continue until the later of the end of the Initial Term and the Launch Date.",
    # an item that is not an event ("the Share Agreement") and a list that cannot be split for sure
    "This Agreement shall continue until the expiration of the payment obligations under Article 4 or the Share "
    "Agreement, whichever is later.",
    "This Agreement shall continue for five (5) years.",
    # a redacted candidate cannot be dated; the agreement's own expiry is no event to wait for
    "This Agreement shall remain in effect until the earlier of (a) the [***] anniversary of the Start Date or (b) "
    "the Launch Date.",
    "This Agreement shall remain in effect until the later of (a) the Launch Date or (b) the date this Agreement "
    "expires.",
    "The term of this Agreement shall be five (5) years from the Launch Date.",
]


@pytest.mark.parametrize(("sentence", "rule", "events", "duration"), READ)
def test_the_later_or_earlier_of_several_events_is_read_with_each_event(sentence, rule, events, duration):
    read = read_later_of(sentence)
    assert read is not None
    assert read.rule == rule
    got = [(c.event, None if c.duration is None else c.duration.iso(), c.known) for c in read.candidates]
    assert got == events
    assert (None if read.duration is None else read.duration.iso()) == duration
    assert sentence[read.start:read.end]  # the phrase is quoted from the sentence
    assert read_event_term(sentence) is None  # not a single event


@pytest.mark.parametrize("sentence", NOT_READ)
def test_what_is_not_a_later_of_term_is_not_read(sentence):
    assert read_later_of(sentence) is None


def test_anniversaries_keep_their_convention_and_stated_dates_their_value():
    read = read_later_of(READ[5][0])
    assert read is not None and read.candidates[0].convention is TermEndConvention.ANNIVERSARY
    read = read_later_of(READ[11][0])
    assert read is not None and read.candidates[0].stated == date(2030, 12, 31)
    read = read_later_of(READ[10][0])  # "the fifth anniversary of the later of ...": the anniversary itself
    assert read is not None and read.convention is TermEndConvention.ANNIVERSARY


CONTRACT = """LICENSE AGREEMENT

This License Agreement is made as of March 3, 2025 (the "Effective Date") between Alpha Corp. and Beta LLC.

1. Term. This Agreement shall continue until the later of (a) ten (10) years from the First Commercial Sale
and (b) the third anniversary of the Effective Date. Thereafter it shall automatically renew for successive
one (1) year periods unless either party gives notice of non-renewal at least ninety (90) days prior to the
end of the then-current term.

2. Governing Law. This Agreement shall be governed by the laws of the State of Delaware.
"""


def test_the_extractor_records_one_conditional_term_with_every_event_and_no_expiration():
    result = extract_contract([CONTRACT], source="synthetic.pdf")
    assert result.value("effective_date") == "2025-03-03"
    assert result.value("expiration_date") is None and result.value("notice_deadline") is None
    term = result.term(TERM_NAME)
    assert term is not None and term.evidence is not None
    [item] = term.value
    assert is_combined(item) and item["rule"] == "later" and item["sets"] == "expiration_date"
    assert item["event_date"] is None and item["duration"] is None
    first, effective = item["events"]
    assert (first["event"], first["duration"], first["event_date"]) == ("First Commercial Sale", "P10Y", None)
    # the Effective Date is known: filled from the extraction, not waited for
    assert (effective["event"], effective["duration"], effective["convention"]) == ("Effective Date", "P3Y",
                                                                                      "anniversary")
    assert (effective["event_date"], effective["filled_from"], effective["entered_by"]) == ("2025-03-03",
                                                                                           "effective_date", None)
    assert missing_events(item) == ["First Commercial Sale"]
    assert CONTRACT[item["start"]:item["end"]] == term.evidence.text
    assert "the later of (a) ten (10) years from the First Commercial Sale" in item["phrase"]
    # listed as waiting, naming what is missing and what is known
    stored = result.to_dict()
    [waiting] = waiting_for_event(stored)
    message = waiting_message(waiting, DAY_BEFORE)
    assert "still missing: First Commercial Sale" in message
    assert "known: Effective Date 2025-03-03 (the contract's effective_date)" in message
    assert "no expiration until every event is dated" in message
    # what the one dated event already says: a later-of term ends no earlier than it
    assert message.endswith("; so far the term ends no earlier than 2028-03-03 (Effective Date 2025-03-03 (the "
                            "contract's effective_date) + P3Y, the anniversary itself = 2028-03-03)")


def test_a_term_starting_on_the_later_of_two_known_days_gives_no_expiration():
    # both days known: read as the term's end, the start day would have become its expiration
    text = ('SERVICES AGREEMENT\nThis Services Agreement is made as of March 3, 2025 (the "Effective Date") by and '
            'between Harbor Logistics LLC ("Provider") and Meridian Foods Inc. ("Customer").\n'
            "1. Term. The term of this Agreement shall commence on the later of the Effective Date and December 31, "
            "2025 and shall continue until terminated by either party.\n")
    result = extract_contract([text], source="synthetic.pdf")
    assert result.term(TERM_NAME) is None
    assert result.term("expiration_date") is None


def test_a_later_of_whose_events_are_all_known_gives_the_expiration_with_each_candidate():
    text = CONTRACT.replace("ten (10) years from the First Commercial Sale", "December 31, 2027")
    result = extract_contract([text], source="synthetic.pdf")
    assert result.term(TERM_NAME) is None
    term = result.term("expiration_date")
    assert term is not None and term.value == "2028-03-03"
    assert term.derivation == ("later of 2027-12-31 (2027-12-31 stated in the clause) and "
                               "2028-03-03 (Effective Date 2025-03-03 (the contract's effective_date) + P3Y, the "
                               "anniversary itself): 2028-03-03")


def _item(rule: str, events: list[tuple[str, str | None, str | None, str | None]], duration: str | None = None,
          convention: str | None = None) -> dict:
    return {"event": "x", "rule": rule, "duration": duration, "convention": convention,
            "events": [{"event": e, "duration": d, "convention": c, "event_date": day,
                        "entered_by": "a@b.com" if day else None, "filled_from": None}
                       for e, d, c, day in events]}


# (rule, events (name, duration, convention, date), duration from the chosen event, end, arithmetic, decided by)
ENDS = [
    ("later", [("Launch Date", "P5Y", None, "2026-03-01"), ("Valid Claim expiry", None, None, "2030-06-30")], None,
     "2031-02-28", "later of 2031-02-28 (Launch Date 2026-03-01 (entered by a@b.com) + P5Y - 1 day) and 2030-06-30 "
                   "(Valid Claim expiry 2030-06-30 (entered by a@b.com)): 2031-02-28", 0),
    ("earlier", [("Launch Date", "P5Y", None, "2026-03-01"), ("Valid Claim expiry", None, None, "2030-06-30")], None,
     "2030-06-30", "earlier of 2031-02-28 (Launch Date 2026-03-01 (entered by a@b.com) + P5Y - 1 day) and "
                   "2030-06-30 (Valid Claim expiry 2030-06-30 (entered by a@b.com)): 2030-06-30", 1),
    # month ends: 31 January + one month has no 31 February
    ("later", [("Go-Live Date", "P1M", None, "2027-01-31"), ("Acceptance Date", "P30D", None, "2027-01-20")], None,
     "2027-02-28", "later of 2027-02-28 (Go-Live Date 2027-01-31 (entered by a@b.com) + P1M - 1 day (no 31 "
                   "February 2027: the term ends on the month's last day)) and 2027-02-18 (Acceptance Date "
                   "2027-01-20 (entered by a@b.com) + P30D - 1 day): 2027-02-28", 0),
    ("later", [("Launch Date", "P2Y", "anniversary", "2028-02-29"), ("Patent expiry", None, None, "2030-02-28")],
     None, "2030-02-28", "later of 2030-02-28 (Launch Date 2028-02-29 (entered by a@b.com) + P2Y, the anniversary "
                         "itself) and 2030-02-28 (Patent expiry 2030-02-28 (entered by a@b.com)): 2030-02-28 (equal)",
     0),
    # one duration counted from the later (earlier) event
    ("later", [("Effective Date", None, None, "2026-01-31"), ("Regulatory Approval", None, None, "2026-08-31")],
     "P6M", "2027-02-28", "later of Effective Date 2026-01-31 (entered by a@b.com) and Regulatory Approval 2026-08-31 "
                          "(entered by a@b.com): 2026-08-31; Regulatory Approval 2026-08-31 + P6M - 1 day (no 31 "
                          "February 2027: the term ends on the month's last day) = 2027-02-28", 1),
    ("earlier", [("Effective Date", None, None, "2026-01-31"), ("Regulatory Approval", None, None, "2026-08-31")],
     "P5Y", "2031-01-30", "earlier of Effective Date 2026-01-31 (entered by a@b.com) and Regulatory Approval "
                          "2026-08-31 (entered by a@b.com): 2026-01-31; Effective Date 2026-01-31 + P5Y - 1 day = "
                          "2031-01-30", 0),
]


@pytest.mark.parametrize(("rule", "events", "duration", "end", "arithmetic", "decided"), ENDS)
def test_once_every_event_is_dated_the_end_shows_each_candidate_and_the_winner(rule, events, duration, end,
                                                                               arithmetic, decided):
    got = combined_end(_item(rule, events, duration), DAY_BEFORE)
    assert got is not None
    assert (got.value, got.derivation, got.decided_by) == (end, arithmetic, decided)


@pytest.mark.parametrize("rule", ["later", "earlier"])
def test_while_an_event_is_missing_there_is_no_end(rule):
    item = _item(rule, [("Launch Date", "P5Y", None, "2026-03-01"), ("Valid Claim expiry", None, None, None)])
    assert combined_end(item, DAY_BEFORE) is None
    assert missing_events(item) == ["Valid Claim expiry"]
    assert "still missing: Valid Claim expiry" in waiting_message(item, DAY_BEFORE)


# (rule, events, duration from the chosen event, the bound so far, its arithmetic)
BOUNDS = [
    # a later-of term ends no earlier than its dated events give; an earlier-of term no later
    ("later", [("Launch Date", "P5Y", None, "2026-03-01"), ("Valid Claim expiry", None, None, None)], None,
     "no earlier than 2031-02-28 (Launch Date 2026-03-01 (entered by a@b.com) + P5Y - 1 day = 2031-02-28)"),
    ("earlier", [("Launch Date", "P5Y", None, None), ("Valid Claim expiry", None, None, "2030-06-30")], None,
     "no later than 2030-06-30 (Valid Claim expiry 2030-06-30 (entered by a@b.com))"),
    # one duration counted from the chosen event: counted from the one dated
    ("earlier", [("Effective Date", None, None, "2026-01-31"), ("Regulatory Approval", None, None, None)], "P5Y",
     "no later than 2031-01-30 (Effective Date 2026-01-31 (entered by a@b.com) + P5Y - 1 day = 2031-01-30)"),
    # two of three dated: the later (earlier) of those two, with each one's arithmetic
    ("later", [("Launch Date", "P1Y", None, "2026-03-01"), ("Approval", None, None, "2027-06-30"),
               ("Patent expiry", None, None, None)], None,
     "no earlier than 2027-06-30 (later of 2027-02-28 (Launch Date 2026-03-01 (entered by a@b.com) + P1Y - 1 day) "
     "and 2027-06-30 (Approval 2027-06-30 (entered by a@b.com)): 2027-06-30)"),
]


@pytest.mark.parametrize(("rule", "events", "duration", "bound"), BOUNDS)
def test_while_an_event_is_missing_the_dated_ones_bound_the_end(rule, events, duration, bound):
    item = _item(rule, events, duration)
    assert combined_end(item, DAY_BEFORE) is None  # still no expiration
    assert waiting_message(item, DAY_BEFORE).endswith(f"; so far the term ends {bound}")


def test_no_bound_before_any_event_is_dated():
    item = _item("later", [("Launch Date", "P5Y", None, None), ("Valid Claim expiry", None, None, None)])
    assert "so far" not in waiting_message(item, DAY_BEFORE)


def test_single_event_items_stored_before_still_load_and_wait_as_before():
    old = {"event": "Launch Date", "duration": "P5Y", "sets": "expiration_date", "phrase": "five (5) years from the "
           "Launch Date", "convention": None, "page": 1, "start": 0, "end": 10, "clause": "...",
           "event_date": None, "entered_by": None}
    assert not is_combined(old) and missing_events(old) == ["Launch Date"]
    assert combined_end(old, DAY_BEFORE) is None
    assert ConditionalTerm(**old).rule is None
    assert waiting_for_event({"terms": {TERM_NAME: {"value": [old]}}}) == [old]
    assert waiting_for_event({"terms": {TERM_NAME: {"value": [dict(old, event_date="2027-01-01")]}}}) == []
