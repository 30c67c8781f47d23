"""Pure date arithmetic: ISO 8601 durations, term ends, notice deadlines, business days, time zones.

Every function that computes a date returns it with a derivation: the arithmetic in words, so a
person can check it against the clause. Conventions (documented in the README):

* a term of N months that starts on D ends on the day before the N-month anniversary
  (2025-03-01 + P36M - 1 day = 2028-02-29); ``TermEndConvention.ANNIVERSARY`` ends on the
  anniversary itself instead;
* month arithmetic clamps to the month's end (2025-01-31 + P1M = 2025-02-28);
* a notice deadline is the last day notice can still be given: the expiration date minus the
  notice period (2028-02-29 - P60D = 2027-12-31), moved back to a business day when the clause
  counts business days or when asked to;
* a deadline is the end of its day (23:59:59) in the contract's time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta

_DURATION = re.compile(r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
                       r"(?:(?P<days>\d+)D)?(?:(?P<business_days>\d+)BD)?$")


@dataclass(frozen=True)
class Duration:
    """A calendar duration; ``business_days`` is our extension of ISO 8601 (``P10BD``)."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    business_days: int = 0

    @classmethod
    def parse(cls, iso: str) -> "Duration":
        m = _DURATION.match(iso.strip().upper())
        if not m or iso.strip().upper() == "P":
            raise ValueError(f"not an ISO 8601 duration: {iso!r}")
        return cls(**{k: int(v) for k, v in m.groupdict().items() if v})

    def iso(self) -> str:
        parts = [(self.years, "Y"), (self.months, "M"), (self.weeks, "W"), (self.days, "D"),
                 (self.business_days, "BD")]
        body = "".join(f"{n}{unit}" for n, unit in parts if n)
        return "P" + (body or "0D")

    @property
    def calendar(self) -> relativedelta:
        return relativedelta(years=self.years, months=self.months, weeks=self.weeks, days=self.days)


@dataclass(frozen=True)
class DerivedDate:
    """A computed date with the arithmetic that produced it."""

    value: date
    derivation: str

    def iso(self) -> str:
        return self.value.isoformat()


class TermEndConvention(str, Enum):
    DAY_BEFORE_ANNIVERSARY = "day_before_anniversary"
    ANNIVERSARY = "anniversary"


def as_duration(duration: str | Duration) -> Duration:
    return duration if isinstance(duration, Duration) else Duration.parse(duration)


def add_duration(start: date, duration: str | Duration, jurisdiction: str | None = None) -> date:
    """start + duration (month ends clamp; business days skip weekends and holidays)."""
    d = as_duration(duration)
    result = start + d.calendar
    if d.business_days:
        result = add_business_days(result, d.business_days, jurisdiction)
    return result


def subtract_duration(end: date, duration: str | Duration, jurisdiction: str | None = None) -> date:
    d = as_duration(duration)
    result = end - d.calendar
    if d.business_days:
        result = add_business_days(result, -d.business_days, jurisdiction)
    return result


def term_end(start: date, duration: str | Duration,
             convention: TermEndConvention = TermEndConvention.DAY_BEFORE_ANNIVERSARY,
             start_label: str = "effective_date") -> DerivedDate:
    """The last day of a term of ``duration`` that starts on ``start``."""
    d = as_duration(duration)
    anniversary = add_duration(start, d)
    if convention is TermEndConvention.ANNIVERSARY:
        return DerivedDate(anniversary, f"{start_label} {start.isoformat()} + {d.iso()}")
    return DerivedDate(anniversary - timedelta(days=1),
                       f"{start_label} {start.isoformat()} + {d.iso()} - 1 day")


def notice_deadline(expiration: date, notice_period: str | Duration,
                    jurisdiction: str | None = None, roll_to_business_day: bool = False,
                    end_label: str = "expiration_date") -> DerivedDate:
    """The last day notice can be given: ``expiration - notice_period``.

    Notice periods counted in business days skip weekends and holidays of ``jurisdiction``;
    with ``roll_to_business_day`` a deadline on a non-business day moves back to the business
    day before it (never later: a late notice is worse than an early one).
    """
    d = as_duration(notice_period)
    value = subtract_duration(expiration, d, jurisdiction)
    text = f"{end_label} {expiration.isoformat()} - {d.iso()}"
    if d.business_days:
        text += f" (business days, {_calendar_name(jurisdiction)} holidays)"
    if roll_to_business_day and not is_business_day(value, jurisdiction):
        rolled = previous_business_day(value, jurisdiction)
        text += f" = {value.isoformat()}, not a business day, moved back to {rolled.isoformat()}"
        value = rolled
    return DerivedDate(value, text)


# --- business days -------------------------------------------------------------------------------

# Names a contract might use for its governing law, mapped to the holidays library's codes.
_JURISDICTION_ALIASES = {
    "new york": ("US", "NY"), "delaware": ("US", "DE"), "california": ("US", "CA"),
    "texas": ("US", "TX"), "illinois": ("US", "IL"), "massachusetts": ("US", "MA"),
    "washington": ("US", "WA"), "florida": ("US", "FL"), "new jersey": ("US", "NJ"),
    "england": ("GB", "ENG"), "england and wales": ("GB", "ENG"), "scotland": ("GB", "SCT"),
    "united kingdom": ("GB", None), "uk": ("GB", None), "united states": ("US", None),
    "ireland": ("IE", None), "germany": ("DE", None), "france": ("FR", None),
    "canada": ("CA", None), "ontario": ("CA", "ON"), "australia": ("AU", None),
    "netherlands": ("NL", None), "singapore": ("SG", None),
}


def _resolve(jurisdiction: str | None) -> tuple[str, str | None]:
    from . import config

    j = (jurisdiction or config.DEFAULT_JURISDICTION).strip()
    alias = _JURISDICTION_ALIASES.get(j.lower())
    if alias:
        return alias
    if "-" in j:
        country, subdiv = j.split("-", 1)
        return country.upper(), subdiv.upper()
    return j.upper(), None


def _calendar_name(jurisdiction: str | None) -> str:
    country, subdiv = _resolve(jurisdiction)
    return f"{country}-{subdiv}" if subdiv else country


@lru_cache(maxsize=64)
def _holiday_calendar(country: str, subdiv: str | None, year: int) -> holidays.HolidayBase:
    try:
        return holidays.country_holidays(country, subdiv=subdiv, years=year)
    except NotImplementedError as exc:  # unknown country code
        raise ValueError(f"no holiday calendar for jurisdiction {country!r}") from exc


def holiday_name(day: date, jurisdiction: str | None = None) -> str | None:
    """The public holiday on ``day`` in ``jurisdiction``, or None."""
    country, subdiv = _resolve(jurisdiction)
    return _holiday_calendar(country, subdiv, day.year).get(day)


def is_business_day(day: date, jurisdiction: str | None = None) -> bool:
    return day.weekday() < 5 and holiday_name(day, jurisdiction) is None


def add_business_days(start: date, count: int, jurisdiction: str | None = None) -> date:
    """The ``count``-th business day after ``start`` (before it when count is negative)."""
    step = 1 if count >= 0 else -1
    day, left = start, abs(count)
    while left:
        day += timedelta(days=step)
        if is_business_day(day, jurisdiction):
            left -= 1
    return day


def previous_business_day(day: date, jurisdiction: str | None = None) -> date:
    while not is_business_day(day, jurisdiction):
        day -= timedelta(days=1)
    return day


def next_business_day(day: date, jurisdiction: str | None = None) -> date:
    while not is_business_day(day, jurisdiction):
        day += timedelta(days=1)
    return day


# --- time zones ----------------------------------------------------------------------------------

def zone(name: str | None) -> ZoneInfo:
    from . import config

    return ZoneInfo(name or config.DEFAULT_TIME_ZONE)


def end_of_day(day: date, time_zone: str | None = None) -> datetime:
    """23:59:59 on ``day`` in ``time_zone``: when a deadline on that day passes."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone(time_zone))


def start_of_day(day: date, time_zone: str | None = None, hour: int = 9) -> datetime:
    """Working-hours start on ``day`` in ``time_zone`` (when reminders are sent)."""
    return datetime.combine(day, time(hour, 0, 0), tzinfo=zone(time_zone))
