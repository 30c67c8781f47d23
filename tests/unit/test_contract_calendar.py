"""One holiday calendar per contract (legal-ops QA of 2026-12-06): its upload metadata's jurisdiction,
else its governing law as read, entered or amended (``dates.contract_calendar``), for every date
counted of it: the extractor's notice deadline (recounted by the record), a deadline counted from an
entry, an amendment or an event, the renewal cut-offs, reminder days, the money's claim windows.
Each derivation that counts business days names the calendar.

Thirty business days before Wednesday 30 June 2027: Tuesday 18 May with England's holidays (the
spring bank holiday, 31 May), Monday 17 May with New York's (Memorial Day 31 May and Juneteenth,
observed Friday 18 June), Wednesday 19 May with Japan's (no public holiday between)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from clausewatch import clock, dates
from clausewatch.extract.model import ContractExtraction, Term
from clausewatch.pipeline import record
from clausewatch.plan import ContractInfo, deadlines_for_contract
from clausewatch.store.models import ContractItem

END, PERIOD = date(2027, 6, 30), "P30BD"
BY_CALENDAR = {"GB-ENG": "2027-05-18", "US-NY": "2027-05-17", "JP": "2027-05-19"}


def _extraction(law: str | None, notice_deadline: str | None = None) -> ContractExtraction:
    terms = {"expiration_date": Term(value=END.isoformat(), evidence=None, derivation="stated in the clause"),
             "notice_period": Term(value=PERIOD, evidence=None, derivation=None)}
    if law is not None:
        terms["governing_law"] = Term(value=law, evidence=None, derivation=None)
    if notice_deadline is not None:
        terms["notice_deadline"] = Term(value=notice_deadline, evidence=None,
                                        derivation=dates.notice_deadline(END, PERIOD, law).derivation)
    return ContractExtraction(source="c.pdf", pages=1, terms=terms)


def _item(jurisdiction: str | None, extraction: ContractExtraction) -> ContractItem:
    return ContractItem("C#x", "META", contract_id="x", file_name="c.pdf", team="t", time_zone="UTC",
                        jurisdiction=jurisdiction, extraction=extraction.to_dict())


def test_the_calendars_of_the_three_jurisdictions_differ_in_these_dates():
    assert {j: dates.notice_deadline(END, PERIOD, j).iso() for j in BY_CALENDAR} == BY_CALENDAR


@pytest.mark.parametrize(("jurisdiction", "law", "calendar"), [
    ("US-NY", "England and Wales", "US-NY"),  # the upload's metadata first
    (None, "England and Wales", "England and Wales"),  # else the governing law, as written
    ("  ", " Japan ", "Japan"),
    (None, None, None),  # the default calendar
    (None, "Dubai", "Dubai"),  # one with no calendar is kept: its derivations say the default was counted
])
def test_a_contracts_calendar_is_its_uploads_jurisdiction_else_its_governing_law(jurisdiction, law, calendar):
    assert dates.contract_calendar(jurisdiction, law) == calendar
    item = _item(jurisdiction, _extraction(law))
    assert record.contract_jurisdiction(item) == calendar
    # the terms about to be stored (a governing law entered, amended) count over the record's
    assert record.contract_jurisdiction(item, _extraction("Japan")) == (jurisdiction or "").strip() or "Japan"


def test_two_names_of_one_calendar_are_the_same_calendar():
    assert dates.same_calendar("JP", "Japan") and dates.same_calendar(None, "US")
    assert not dates.same_calendar("US-NY", "England and Wales")
    assert not dates.same_calendar("Dubai", None)  # the default counted, but said to be a stand-in


@pytest.mark.parametrize(("stored", "shown"), [
    ("us-ny", "US-NY"), ("Gb-Eng", "GB-ENG"), (" jp ", "JP"), ("US-NY", "US-NY"),
    ("Atlantis", "Atlantis"),  # no calendar of that name: as written (intake refuses it; one stored stays)
    (None, None),
    # a name as written (review of 2026-12-07: "New York" was shown NEW YORK), one intake stored in
    # capitals in title case when that is the same calendar; an acronym stays
    ("New York", "New York"), ("Delaware", "Delaware"), ("England and Wales", "England and Wales"),
    ("NEW YORK", "New York"), ("DELAWARE", "Delaware"), ("ENGLAND AND WALES", "England and Wales"),
    ("U.S.A.", "U.S.A."), ("jpn", "JPN"),
])
def test_a_jurisdiction_is_shown_in_its_one_spelling(stored, shown):
    """API QA of 2026-12-07: one stored "us-ny" (before intake upper-cased it) was shown so."""
    assert dates.jurisdiction_spelling(stored) == shown
    # the calendar shown is the one stored: the same holidays counted
    assert dates.map_jurisdiction(shown or "") == dates.map_jurisdiction(stored or "")
    if stored and dates.known_jurisdiction(stored):
        assert dates.holidays_words(shown) == dates.holidays_words(stored)


def test_the_extractors_notice_deadline_is_recounted_with_the_uploads_calendar():
    """Upload metadata says US-NY, the governing law read is England: the extractor counted 18 May
    with England's holidays; the contract's calendar is New York's: 17 May, and the arithmetic says
    which calendar, where it comes from and what was counted before."""
    extraction = _extraction("England and Wales", BY_CALENDAR["GB-ENG"])
    recounted = record.recount_notice_deadline(_item("US-NY", extraction), extraction,
                                               counted_with="England and Wales", why="a test")
    assert recounted is not None and recounted.value == BY_CALENDAR["US-NY"]
    assert recounted.derivation == (
        "expiration_date 2027-06-30 - P30BD (business days, US-NY holidays) = 2027-05-17: recounted with the "
        "contract's calendar (the upload's jurisdiction US-NY) because a test; counted before with GB-ENG "
        "holidays: 2027-05-18")
    # the same calendar: nothing to recount
    assert record.recount_notice_deadline(_item(None, extraction), extraction, counted_with="England and Wales",
                                          why="a test") is None
    # a notice period in calendar days is counted with no calendar
    days = _extraction("England and Wales", "2027-05-01")
    days.terms["notice_period"] = Term(value="P60D", evidence=None, derivation=None)
    assert record.recount_notice_deadline(_item("US-NY", days), days, counted_with="England and Wales",
                                          why="a test") is None


def test_the_renewal_cut_offs_count_the_governing_laws_calendar_when_no_upload_jurisdiction():
    from clausewatch.renewal.steps import cutoff_days

    clock.set_now(datetime(2027, 4, 1, 12, 0, tzinfo=UTC))
    try:
        days = cutoff_days(_item(None, _extraction("Japan")), END.isoformat(), date(2027, 5, 19))
    finally:
        clock.set_now(None)
    # ten business days before Wednesday 19 May 2027 in Japan: Friday 30 April (3-5 May are Golden Week);
    # with US holidays (was: the upload's jurisdiction only, here none) Wednesday 5 May
    assert days.owner == date(2027, 4, 30)
    assert days.derivation.startswith("owner decides by notice deadline 2027-05-19 - 10 business days "
                                      "(JP holidays) = 2027-04-30")


def test_the_planner_counts_the_same_calendar_from_the_record():
    item = _item(None, _extraction("Japan"))
    [notice] = [d for d in deadlines_for_contract(record.contract_info(item), item.extracted, date(2026, 12, 6))
                if d.obligation_id == "notice_deadline"]
    assert (notice.due.isoformat(), notice.derivation) == (
        BY_CALENDAR["JP"], "expiration_date 2027-06-30 - P30BD (business days, JP holidays)")
    info = ContractInfo(contract_id="x", title="c", counterparty=None, owner=None, team="t", contract_type=None,
                        time_zone="UTC", jurisdiction="US-NY")
    [notice] = [d for d in deadlines_for_contract(info, item.extracted, date(2026, 12, 6))
                if d.obligation_id == "notice_deadline"]
    assert notice.due.isoformat() == BY_CALENDAR["US-NY"]


def test_a_deadline_moved_back_to_a_business_day_names_the_calendar():
    """A notice period in calendar days whose deadline falls on a holiday, moved back (a renewed term's
    deadline rolls as the first one did): the derivation names whose holiday (was: only for a
    jurisdiction with no calendar)."""
    moved = dates.notice_deadline(date(2027, 8, 2), "P1D", "GB-ENG", roll_to_business_day=True)
    assert moved.value == date(2027, 7, 30) and moved.moved_to_business_day
    assert moved.derivation == ("expiration_date 2027-08-02 - P1D = 2027-08-01, not a business day (GB-ENG holidays), "
                                "moved back to 2027-07-30")


# --- weekends per country (the holidays library's) -----------------------------------------------

@pytest.mark.parametrize(("jurisdiction", "expected", "words"), [
    # one business day before Monday 28 June 2027: Sunday 27 June where the weekend is Friday and Saturday
    ("SA", date(2027, 6, 27), "SA holidays, weekend Friday and Saturday"),
    ("Israel", date(2027, 6, 27), "IL holidays, weekend Friday and Saturday"),
    ("IR", date(2027, 6, 27), "IR holidays, weekend Friday"),
    ("US-NY", date(2027, 6, 25), "US-NY holidays"),  # Saturday and Sunday: not said
    ("AE", date(2027, 6, 25), "AE holidays"),  # Saturday and Sunday since 2022
])
def test_business_days_skip_the_countrys_own_weekend_and_say_so(jurisdiction, expected, words):
    counted = dates.notice_deadline(date(2027, 6, 28), "P1BD", jurisdiction)
    assert counted.value == expected  # was Friday 25 June everywhere
    assert counted.derivation == f"expiration_date 2027-06-28 - P1BD (business days, {words})"


def test_a_weekend_that_changed_is_the_one_of_the_days_counted():
    # the UAE's weekend was Friday and Saturday until 2022: one business day before Sunday 27 June 2021
    counted = dates.notice_deadline(date(2021, 6, 27), "P1BD", "AE")
    assert counted.value == date(2021, 6, 24)  # Thursday
    assert counted.derivation.endswith("(business days, AE holidays, weekend Friday and Saturday)")


def test_a_reminder_due_on_a_friday_in_riyadh_comes_on_the_thursday_and_a_sunday_stands():
    from clausewatch.plan import reminder_day

    assert reminder_day(date(2027, 7, 2), 0, "SA") == date(2027, 7, 1)  # Friday -> Thursday
    assert reminder_day(date(2027, 7, 4), 0, "SA") == date(2027, 7, 4)  # Sunday: a business day
    assert reminder_day(date(2027, 7, 4), 0, "US") == date(2027, 7, 2)
