"""The values a person may enter for a term (`pipeline.entries.parse_value`): each kind checked,
durations bounded before any date arithmetic meets them."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from clausewatch import dates
from clausewatch.pipeline import actions
from clausewatch.pipeline.entries import check_notice_fits, parse_value


@pytest.mark.parametrize("name, raw, stored", [
    ("notice_period", "p0d", "P0D"),  # notice at any time
    ("survival_period", "P0D", "P0D"),
    ("initial_term", "P100Y", "P100Y"),
    ("renewal_term", "p1y6m", "P1Y6M"),
    ("notice_period", "P30BD", "P30BD"),
    ("notice_period", "P36525D", "P36525D"),
    ("expiration_date", "2199-12-31", "2199-12-31"),
    ("agreement_date", "1900-01-01", "1900-01-01"),
])
def test_durations_up_to_a_hundred_years_are_kept_in_iso_form(name, raw, stored):
    assert parse_value(name, raw) == stored


@pytest.mark.parametrize("name, raw, complaint", [
    ("notice_period", "P101Y", "at most 100 years"),
    ("notice_period", "P1201M", "at most 100 years"),
    ("renewal_term", "P26100BD", "at most 100 years"),
    ("initial_term", "P0D", "longer than zero"),
    ("renewal_term", "P0W", "longer than zero"),
    ("expiration_date", "2927-03-31", "a date from 1900 to 2199"),
    ("effective_date", "0001-01-01", "a date from 1900 to 2199"),
])
def test_absurd_or_empty_durations_are_refused_saying_what_is_allowed(name, raw, complaint):
    with pytest.raises(actions.InvalidInput, match=complaint):
        parse_value(name, raw)


@given(st.integers(min_value=0, max_value=10**30), st.sampled_from(["Y", "M", "W", "D", "BD"]))
@example(25442, "BD")  # ~97.5 years of weekdays (accepted): with a century of holidays skipped, 1925
@example(26089, "BD")  # the most accepted: 1923-06-19 with New York's holidays
def test_any_accepted_duration_can_be_counted_back_from_an_expiration(n, unit):
    try:
        value = parse_value("notice_period", f"P{n}{unit}")
    except actions.InvalidInput:
        return
    deadline = dates.subtract_duration(dates.parse_day("2027-02-28"), value, "US-NY")
    # at most 100 years at five business days a week: the holidays skipped besides (about eleven a
    # year in New York) add under four years more, never a date off the calendar
    assert deadline.year >= 1923


@pytest.mark.parametrize("name, value, stored, complaint", [
    # the notice entered against the renewal term (and the initial term) stored
    ("notice_period", "P18M", {"renewal_term": "P1Y", "initial_term": "P3Y"}, "notice_period P18M does not fit"
     " the contract's renewal_term P1Y"),
    ("notice_period", "P400D", {"initial_term": "P1Y"}, "initial_term P1Y"),
    ("notice_period", "P30BD", {"renewal_term": "P30D"}, "renewal_term P30D"),  # 30 business days: 6 weeks
    # a term entered shorter than the notice period stored
    ("renewal_term", "P3M", {"notice_period": "P6M"}, "renewal_term P3M does not fit the contract's notice_period P6M"),
    ("initial_term", "P60D", {"notice_period": "P90D", "auto_renewal": False}, "initial term it is given on"),
])
def test_a_notice_period_longer_than_the_term_it_is_given_on_is_refused_naming_both(name, value, stored, complaint):
    with pytest.raises(actions.InvalidInput, match=complaint):
        check_notice_fits(name, value, stored)


@pytest.mark.parametrize("name, value, stored", [
    ("notice_period", "P1Y", {"renewal_term": "P12M"}),  # as long as the term: due the day it begins
    ("notice_period", "P31D", {"renewal_term": "P1M"}),  # a month may be 31 days
    ("notice_period", "P1M", {"renewal_term": "P28D"}),
    ("notice_period", "P18M", {"renewal_term": "P1Y", "auto_renewal": False, "initial_term": "P2Y"}),  # never renews
    ("notice_period", "P90D", {}),  # nothing to compare with
    ("notice_period", "P90D", {"renewal_term": "not a duration"}),
    ("initial_term", "P5Y", {"notice_period": "P18M", "renewal_term": "P1Y"}),  # the stored pair is not this entry's
    ("auto_renewal", True, {"notice_period": "P18M", "renewal_term": "P1Y"}),
    ("renewal_term", "P2Y", {"notice_period": None}),
])
def test_a_notice_period_that_fits_its_terms_is_accepted(name, value, stored):
    check_notice_fits(name, value, stored)
