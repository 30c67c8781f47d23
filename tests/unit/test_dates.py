"""clausewatch.dates: durations, month ends, leap years, business days, time zones, recurrences."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clausewatch import dates
from clausewatch.dates import Duration, TermEndConvention

# --- durations -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("P30D", Duration(days=30)),
    ("P3M", Duration(months=3)),
    ("P1Y", Duration(years=1)),
    ("P10BD", Duration(business_days=10)),
    ("p2w", Duration(weeks=2)),
    ("P1Y6M", Duration(years=1, months=6)),
])
def test_duration_parse(text, expected):
    assert Duration.parse(text) == expected


@pytest.mark.parametrize("text", ["P", "30D", "P1.5Y", "", "PT5H", "P-1D"])
def test_duration_parse_rejects(text):
    with pytest.raises(ValueError):
        Duration.parse(text)


def test_duration_iso_round_trip():
    for text in ("P30D", "P3M", "P1Y6M", "P10BD", "P2W"):
        assert Duration.parse(text).iso() == text
    assert Duration().iso() == "P0D"


# --- month ends and leap years -------------------------------------------------------------------

@pytest.mark.parametrize("start, duration, expected", [
    (date(2025, 1, 31), "P1M", date(2025, 2, 28)),   # clamps to the shorter month
    (date(2024, 1, 31), "P1M", date(2024, 2, 29)),   # leap year February
    (date(2025, 8, 31), "P3M", date(2025, 11, 30)),
    (date(2024, 2, 29), "P1Y", date(2025, 2, 28)),   # no 29 February in 2025
    (date(2024, 2, 29), "P4Y", date(2028, 2, 29)),
    (date(2025, 12, 15), "P30D", date(2026, 1, 14)),
])
def test_add_duration_month_ends(start, duration, expected):
    assert dates.add_duration(start, duration) == expected


def test_subtract_duration_clamps_month_end():
    assert dates.subtract_duration(date(2025, 3, 31), "P1M") == date(2025, 2, 28)
    assert dates.subtract_duration(date(2024, 3, 31), "P1M") == date(2024, 2, 29)


def test_term_end_day_before_anniversary_reaches_leap_day():
    end = dates.term_end(date(2025, 3, 1), "P36M")
    assert end.value == date(2028, 2, 29)
    assert end.derivation == "effective_date 2025-03-01 + P36M - 1 day"


def test_term_end_anniversary_convention():
    end = dates.term_end(date(2023, 6, 21), "P1Y", TermEndConvention.ANNIVERSARY)
    assert end.value == date(2024, 6, 21)
    assert end.derivation == "effective_date 2023-06-21 + P1Y"


def test_term_end_one_year_from_march_first():
    assert dates.term_end(date(2027, 3, 1), "P1Y").value == date(2028, 2, 29)
    assert dates.term_end(date(2026, 3, 1), "P1Y").value == date(2027, 2, 28)


def test_term_end_from_leap_day():
    end = dates.term_end(date(2024, 2, 29), "P1Y")
    assert end.value == date(2025, 2, 28)
    assert "month's last day" in end.derivation


def test_term_end_from_a_month_end_into_a_shorter_month():
    assert dates.term_end(date(2025, 1, 31), "P1M").value == date(2025, 2, 28)
    assert dates.term_end(date(2025, 1, 30), "P1M").value == date(2025, 2, 28)  # the 29th+ clamps too
    assert dates.term_end(date(2025, 1, 28), "P1M").value == date(2025, 2, 27)


def test_notice_deadline_across_year_end_in_leap_year():
    deadline = dates.notice_deadline(date(2028, 2, 29), "P60D")
    assert deadline.value == date(2027, 12, 31)
    assert deadline.derivation == "expiration_date 2028-02-29 - P60D"


def test_notice_deadline_in_months_clamps():
    assert dates.notice_deadline(date(2027, 5, 31), "P3M").value == date(2027, 2, 28)


# --- business days -------------------------------------------------------------------------------

def test_thanksgiving_is_not_a_us_business_day():
    thanksgiving = date(2026, 11, 26)
    assert dates.holiday_name(thanksgiving, "US") == "Thanksgiving Day"
    assert not dates.is_business_day(thanksgiving, "US")
    assert dates.add_business_days(date(2026, 11, 25), 1, "US") == date(2026, 11, 27)
    # an English contract works that Thursday
    assert dates.add_business_days(date(2026, 11, 25), 1, "England") == date(2026, 11, 26)


def test_christmas_and_boxing_day_observed_in_england():
    # 26 Dec 2026 is a Saturday: Boxing Day is observed on Monday 28 Dec in England, not in the US
    assert dates.holiday_name(date(2026, 12, 28), "GB-ENG") is not None
    assert dates.holiday_name(date(2026, 12, 28), "US") is None
    assert dates.add_business_days(date(2026, 12, 24), 1, "England and Wales") == date(2026, 12, 29)
    assert dates.add_business_days(date(2026, 12, 24), 1, "US") == date(2026, 12, 28)


def test_easter_monday_in_england_only():
    easter_monday = date(2026, 4, 6)
    assert dates.holiday_name(easter_monday, "GB-ENG") == "Easter Monday"
    assert dates.is_business_day(easter_monday, "US")
    # Thursday 2 April + 1 business day: Good Friday and Easter Monday are skipped in England
    assert dates.add_business_days(date(2026, 4, 2), 1, "England") == date(2026, 4, 7)
    assert dates.add_business_days(date(2026, 4, 2), 1, "US") == date(2026, 4, 3)


def test_weekends_are_not_business_days():
    assert not dates.is_business_day(date(2026, 11, 28))  # Saturday
    assert not dates.is_business_day(date(2026, 11, 29))  # Sunday
    assert dates.add_business_days(date(2026, 11, 27), 1) == date(2026, 11, 30)
    assert dates.add_business_days(date(2026, 11, 30), -1) == date(2026, 11, 27)


def test_previous_and_next_business_day():
    assert dates.previous_business_day(date(2026, 11, 26), "US") == date(2026, 11, 25)
    assert dates.next_business_day(date(2026, 12, 25), "US") == date(2026, 12, 28)
    assert dates.next_business_day(date(2026, 12, 25), "England") == date(2026, 12, 29)


def test_notice_deadline_in_business_days_skips_christmas():
    # counting back 10 business days from 31 Dec 2026 skips 25 Dec and two weekends
    deadline = dates.notice_deadline(date(2026, 12, 31), "P10BD", "US")
    assert deadline.value == date(2026, 12, 16)
    assert "business days, US holidays" in deadline.derivation


def test_notice_deadline_rolls_back_from_thanksgiving():
    # 2027-01-25 - 60 days = Thursday 26 Nov 2026 (Thanksgiving): notice must go the day before
    plain = dates.notice_deadline(date(2027, 1, 25), "P60D", "US")
    rolled = dates.notice_deadline(date(2027, 1, 25), "P60D", "US", roll_to_business_day=True)
    assert plain.value == date(2026, 11, 26)
    assert rolled.value == date(2026, 11, 25)
    assert "moved back to 2026-11-25" in rolled.derivation


def test_unknown_jurisdiction_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        dates.holiday_name(date(2026, 11, 26), "Atlantis")
    # counting business days for it uses the default calendar, and the words say so
    assert not dates.is_business_day(date(2026, 11, 26), "Atlantis")
    assert "no holiday calendar is known for 'Atlantis'" in dates.business_days_words("P10BD", "Atlantis")


def test_jurisdiction_aliases_use_state_calendars():
    # Lincoln's Birthday (12 Feb) is a New York state holiday, not a federal one
    assert dates.holiday_name(date(2026, 2, 12), "New York") is not None
    assert dates.holiday_name(date(2026, 2, 12), "US") is None


# --- time zones ----------------------------------------------------------------------------------

def test_end_of_day_across_us_dst_start():
    # DST starts in New York at 02:00 on Sunday 8 March 2026
    before = dates.end_of_day(date(2026, 3, 7), "America/New_York")
    after = dates.end_of_day(date(2026, 3, 8), "America/New_York")
    assert before.utcoffset() == timedelta(hours=-5)
    assert after.utcoffset() == timedelta(hours=-4)
    assert (before.hour, before.minute, before.second) == (23, 59, 59)
    assert after.astimezone(UTC) == datetime(2026, 3, 9, 3, 59, 59, tzinfo=UTC)
    # the day of the change is 23 hours long (subtract in UTC: Python subtracts wall-clock times
    # of the same zone)
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=23)


def test_end_of_day_across_uk_dst_end():
    # BST ends in London at 02:00 on Sunday 25 October 2026
    before = dates.end_of_day(date(2026, 10, 24), "Europe/London")
    after = dates.end_of_day(date(2026, 10, 25), "Europe/London")
    assert before.astimezone(UTC).hour == 22
    assert after.astimezone(UTC).hour == 23
    assert after.astimezone(UTC) - before.astimezone(UTC) == timedelta(hours=25)


def test_start_of_day_is_local_working_hours():
    morning = dates.start_of_day(date(2026, 3, 9), "America/New_York")
    assert (morning.hour, morning.minute) == (9, 0)
    assert morning.astimezone(UTC).hour == 13
    assert dates.start_of_day(date(2026, 3, 6), "America/New_York").astimezone(UTC).hour == 14


def test_default_time_zone_is_utc():
    assert dates.end_of_day(date(2026, 1, 1)).utcoffset() == timedelta(0)


# --- recurring duties ----------------------------------------------------------------------------

def test_parse_offset():
    assert dates.parse_offset("+P10BD") == (1, Duration(business_days=10))
    assert dates.parse_offset("-P5D") == (-1, Duration(days=5))
    assert dates.parse_offset(None) == (1, Duration())
    with pytest.raises(ValueError):
        dates.parse_offset("+10 days")


def test_ten_business_days_after_month_end_counts_from_the_last_day():
    # "within ten (10) business days after the end of each month": November 2026 ends on Monday
    # 30 Nov; the 10th business day after it is Monday 14 December
    due = dates.due_after_boundary(date(2026, 12, 1), "+P10BD", "US")
    assert due.value == date(2026, 12, 14)
    assert "period end 2026-11-30" in due.derivation
    assert due.derivation.endswith("= 2026-12-14")


def test_ten_business_days_after_october_skip_veterans_day():
    due = dates.next_recurring_due("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", "+P10BD", date(2026, 11, 3),
                                   anchor=date(2024, 3, 1), jurisdiction="US")
    # Nov 2-6 (5), 9, 10, [11 Veterans Day], 12, 13 (9), 16 (10)
    assert due.value == date(2026, 11, 16)


def test_business_days_after_march_differ_by_jurisdiction_over_easter():
    rule = "RRULE:FREQ=MONTHLY;BYMONTHDAY=1"
    us = dates.next_recurring_due(rule, "+P10BD", date(2026, 4, 1), date(2025, 1, 1), "US")
    england = dates.next_recurring_due(rule, "+P10BD", date(2026, 4, 1), date(2025, 1, 1), "England")
    assert us.value == date(2026, 4, 14)
    assert england.value == date(2026, 4, 16)  # Good Friday and Easter Monday
    assert "GB-ENG holidays" in england.derivation


def test_day_of_month_with_zero_offset_is_the_boundary():
    # "no later than the fifth day of each month"
    due = dates.next_recurring_due("FREQ=MONTHLY;BYMONTHDAY=5", "+P0D", date(2026, 11, 25),
                                   date(2024, 3, 1))
    assert due.value == date(2026, 12, 5)
    assert dates.next_recurring_due("FREQ=MONTHLY;BYMONTHDAY=5", None, date(2026, 12, 5),
                                    date(2024, 3, 1)).value == date(2026, 12, 5)


def test_thirty_days_after_quarter_end():
    # the extractor's quarterly form; INTERVAL=3 next to BYMONTH must not depend on the start month
    rule = "RRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTH=1,4,7,10;BYMONTHDAY=1"
    for anchor in (date(2024, 1, 1), date(2024, 2, 15), date(2024, 3, 1)):
        due = dates.next_recurring_due(rule, "+P30D", date(2026, 11, 25), anchor)
        assert due.value == date(2027, 1, 30)  # 31 Dec 2026 + 30 days
    assert dates.next_recurring_due(rule, "+P30D", date(2026, 10, 20), date(2024, 1, 1)).value \
        == date(2026, 10, 30)  # 30 Sep + 30 days, still ahead


def test_negative_offset_counts_back_from_the_boundary():
    due = dates.next_recurring_due("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", "-P30D", date(2026, 11, 25),
                                   date(2024, 1, 1))
    assert due.value == date(2026, 12, 2)


def test_recurring_dues_are_ascending_and_stop_at_until():
    dues = list(dates.recurring_dues("FREQ=MONTHLY;BYMONTHDAY=1", "+P10BD", date(2026, 11, 1),
                                     date(2026, 1, 1), "US", until=date(2027, 3, 1)))
    values = [d.value for d in dues]
    assert values == sorted(values)
    assert values[0] == date(2026, 11, 16)
    assert len(values) == 5  # boundaries Nov 1, Dec 1, Jan 1, Feb 1, Mar 1
    assert all(v >= date(2026, 11, 1) for v in values)


def test_a_period_gone_by_is_counted_again_with_another_calendar():
    """An earlier period's due day (an overdue occurrence, a calendar changed): as the next one's
    would be counted, with the calendar given; none for a day that is no boundary of the rule (an
    amended rule: no day guessed) or before its anchor."""
    rule = "RRULE:FREQ=MONTHLY;BYMONTHDAY=1"
    us = dates.recurring_due_for(rule, "+P10BD", date(2026, 4, 1), date(2025, 1, 1), "US")
    england = dates.recurring_due_for(rule, "+P10BD", date(2026, 4, 1), date(2025, 1, 1), "England")
    assert us is not None and england is not None
    assert (us.value, england.value) == (date(2026, 4, 14), date(2026, 4, 16))
    assert england == dates.next_recurring_due(rule, "+P10BD", date(2026, 4, 2), date(2025, 1, 1), "England")
    assert dates.recurring_due_for(rule, "+P10BD", date(2026, 4, 2), date(2025, 1, 1), "US") is None
    assert dates.recurring_due_for(rule, "+P10BD", date(2024, 4, 1), date(2025, 1, 1), "US") is None


def test_no_boundary_before_the_anchor():
    due = dates.next_recurring_due("FREQ=MONTHLY;BYMONTHDAY=1", "+P0D", date(2026, 1, 1),
                                   anchor=date(2026, 6, 15))
    assert due.value == date(2026, 7, 1)


@pytest.mark.parametrize("rule, needs", [
    ("RRULE:FREQ=MONTHLY;BYMONTHDAY=1", False),
    ("FREQ=MONTHLY", True),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", True),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTH=1,4,7,10;BYMONTHDAY=1", False),
    ("FREQ=YEARLY", True),
    ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=31", False),
    ("FREQ=WEEKLY;BYDAY=MO", False),
    ("FREQ=WEEKLY", True),
    ("FREQ=MONTHLY;BYMONTHDAY=1;COUNT=12", True),
])
def test_rrule_needs_anchor(rule, needs):
    assert dates.rrule_needs_anchor(rule) is needs


@pytest.mark.parametrize("rule", ["", "MONTHLY", "RRULE:BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY"])
def test_malformed_rrule_is_rejected(rule):
    with pytest.raises(ValueError):
        dates.next_recurring_due(rule, "+P0D", date(2026, 1, 1), date(2025, 1, 1))
