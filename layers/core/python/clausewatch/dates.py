"""Pure date arithmetic: ISO 8601 durations, term ends, notice deadlines, business days, time zones.

Every function that computes a date returns it with a derivation: the arithmetic in words, so a
person can check it against the clause. Conventions (documented in the README):

* a term of N months that starts on D ends on the day before the N-month anniversary
  (2025-03-01 + P36M - 1 day = 2028-02-29); when that month has no such day (a year from
  2024-02-29) the term ends on the month's last day (2025-02-28);
  ``TermEndConvention.ANNIVERSARY`` ends on the anniversary itself instead;
* month arithmetic clamps to the month's end (2025-01-31 + P1M = 2025-02-28);
* a notice deadline is the last day notice can still be given: the expiration date minus the
  notice period (2028-02-29 - P60D = 2027-12-31), moved back to a business day when the clause
  counts business days or when asked to;
* a deadline is the end of its day (23:59:59) in the contract's time zone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from dateutil.relativedelta import relativedelta

_DURATION = re.compile(r"^P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
                       r"(?:(?P<days>\d+)D)?(?:(?P<business_days>\d+)BD)?$")


MAX_DURATION_DAYS = 36525  # 100 years


@dataclass(frozen=True)
class Duration:
    """A calendar duration; ``business_days`` is our extension of ISO 8601 (``P10BD``)."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    business_days: int = 0

    @classmethod
    def parse(cls, iso: str) -> Duration:
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
    def approximate_days(self) -> float:
        """The length in days on average (a Gregorian year, a twelfth of it, five business days
        a week): only to tell a plausible length (``plausible``) before any date arithmetic."""
        return (self.years * 365.2425 + self.months * 30.436875 + self.weeks * 7 + self.days
                + self.business_days * 7 / 5)

    @property
    def plausible(self) -> bool:
        """At most MAX_DURATION_DAYS (100 years): a longer term or period is a slip ("99999 days"),
        never a contract's, and its dates would run off the calendar."""
        return self.approximate_days <= MAX_DURATION_DAYS

    @property
    def calendar(self) -> relativedelta:
        return relativedelta(years=self.years, months=self.months, weeks=self.weeks, days=self.days)


@dataclass(frozen=True)
class DerivedDate:
    """A computed date with the arithmetic that produced it; ``moved_to_business_day`` when it
    was moved back from a weekend or holiday (the derivation says so in words)."""

    value: date
    derivation: str
    moved_to_business_day: bool = False

    def iso(self) -> str:
        return self.value.isoformat()


class TermEndConvention(str, Enum):
    DAY_BEFORE_ANNIVERSARY = "day_before_anniversary"
    ANNIVERSARY = "anniversary"


def parse_day(value) -> date | None:
    """A whole ISO date ("2025-03-01", or a ``date``); None when absent, not a date, or written
    with blanks in the contract ("2025-03", "2025": nothing can be counted from it)."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


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
    if anniversary.day != start.day and not (d.weeks or d.days or d.business_days):
        # the anniversary day does not exist in that month (29 Feb, 31 Apr...): the term runs to
        # the month's last day, which month arithmetic already clamped to
        return DerivedDate(anniversary, f"{start_label} {start.isoformat()} + {d.iso()} - 1 day "
                                        f"(no {start.day} {anniversary:%B} {anniversary.year}: "
                                        f"the term ends on the month's last day)")
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
    text += business_days_words(d, jurisdiction, expiration)
    if roll_to_business_day and not is_business_day(value, jurisdiction):
        rolled = previous_business_day(value, jurisdiction)
        # the calendar that says so is named, unless the business days above named it already
        calendar = "" if d.business_days else f" ({holidays_words(jurisdiction, value)})"
        text += f" = {value.isoformat()}, not a business day{calendar}, moved back to {rolled.isoformat()}"
        return DerivedDate(rolled, text, moved_to_business_day=True)
    return DerivedDate(value, text)


# --- business days -------------------------------------------------------------------------------

def contract_calendar(jurisdiction: str | None, governing_law: object) -> str | None:
    """The jurisdiction whose business days (holidays, weekends) every date of a contract counts:
    its upload metadata's ``jurisdiction`` (intake admits only one we have a calendar for), else its
    governing law as read or entered (or amended), else None (the default calendar). The one rule:
    the extractor's notice deadline is recounted by it (``pipeline.record``), and the planner, the
    renewal cut-offs, reminder days and the money's claim windows count with it.

    A governing law we have no holiday calendar for is kept as written: business days then count
    weekends and the default calendar's holidays, and every derivation that counted them says so
    (``holidays_words``); the contract is flagged for a person to set it (``pipeline.attention``).
    Before, it fell back to the default calendar silently (a Japanese contract's notice deadline
    counted with US holidays)."""
    for value in (jurisdiction, governing_law):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def same_calendar(one: str | None, other: str | None) -> bool:
    """Whether two jurisdictions count the same business days with the same words: the same holiday
    calendar, both known ("JP" and "Japan"), or the same unknown name (whose words name it)."""
    return holidays_words(one) == holidays_words(other)


# Names a contract might use for its governing law that the holidays library's own names do not
# settle (a state that is also a country's name, a short form, the usual pair "England and Wales").
_JURISDICTION_ALIASES: dict[str, tuple[str, str | None]] = {
    "england and wales": ("GB", "ENG"), "uk": ("GB", None), "prc": ("CN", None),
    # the extractor reads "Georgia" and "Washington" as US states (extract/jurisdictions.py)
    "georgia": ("US", "GA"), "washington": ("US", "WA"), "united states of america": ("US", None),
    "republic of georgia": ("GE", None),  # the country (the extractor says so: extract/jurisdictions.name_of)
    "czech republic": ("CZ", None), "russian federation": ("RU", None),
}
# words around a place's name in a governing-law clause: "the laws of the State of New York"
_PLACE_WORDS = re.compile(
    r"^(?:the\s+)?(?:laws?\s+of\s+)?(?:the\s+)?(?:(?:state|commonwealth|province|canton|territory|"
    r"(?:federal\s+|people's\s+|peoples\s+)?republic|kingdom|special\s+administrative\s+region)\s+of\s+)?"
    r"(?:the\s+)?", re.IGNORECASE)


def _plain(name: str) -> str:
    """Lower case, no accents, single spaces: "Zürich" -> "zurich", "Hong  Kong" -> "hong kong"."""
    flat = unicodedata.normalize("NFKD", name)
    flat = "".join(c for c in flat if not unicodedata.combining(c)).replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", flat).strip().lower()


def _words_of(class_name: str) -> str:
    """ "HongKong" -> "hong kong" (the library's class names spell its countries)."""
    return _plain(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name))


@lru_cache(maxsize=1)
def _library_names() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """(country name or code -> country code, subdivision name -> [(country, subdivision)]), all
    from the holidays library's own data (its registry of countries and each country's
    ``subdivisions_aliases``): no table of our own to keep up to date."""
    from holidays import registry

    countries: dict[str, str] = {}
    subdivisions: dict[str, list[tuple[str, str]]] = {}
    for module, (class_name, code, alpha3, *aliases) in registry.COUNTRIES.items():
        for name in (module, class_name, *aliases, code, alpha3):
            if not name.startswith("Holidays"):
                countries.setdefault(_words_of(name) if name[:1].isupper() and not name.isupper()
                                     else _plain(name), code)
        cls = getattr(holidays, class_name, None)
        for sub_name, sub_code in (getattr(cls, "subdivisions_aliases", None) or {}).items():
            if sub_code in (getattr(cls, "subdivisions", None) or ()):
                entries = subdivisions.setdefault(_plain(sub_name), [])
                if (code, sub_code) not in entries:
                    entries.append((code, sub_code))
    return countries, subdivisions


def _country_code(name: str) -> str | None:
    return _library_names()[0].get(_plain(name))


def _subdivision(name: str, country: str | None = None) -> tuple[str, str] | None:
    """The one (country, subdivision) of that name (in ``country`` when given); None for none or
    for a name several countries' subdivisions share."""
    found = [entry for entry in _library_names()[1].get(_plain(name), [])
             if country is None or entry[0] == country]
    return found[0] if len(found) == 1 else None


@lru_cache(maxsize=1024)  # asked for each day a count steps over
def map_jurisdiction(jurisdiction: str) -> tuple[str, str | None] | None:
    """The holiday calendar (country code, subdivision or None) of a jurisdiction as metadata or a
    governing-law clause names it, or None when there is none we can name for sure.

    Accepted: codes ("JP", "US-NY", "GB-ENG", "JPN"), the holidays library's names of countries
    ("Japan", "Hong Kong", "Switzerland") and of their subdivisions ("Pennsylvania", "Ontario",
    "Bavaria"; a name two countries' subdivisions share is not guessed), "<subdivision>, <country>",
    and the few names in ``_JURISDICTION_ALIASES``. The words of the clause around the name ("the
    laws of the State of") are left out."""
    text = re.sub(r"\s+", " ", jurisdiction).strip().rstrip(".")
    if not text:
        return None
    plain = _plain(text)
    if plain in _JURISDICTION_ALIASES:
        return _JURISDICTION_ALIASES[plain]
    codes = re.fullmatch(r"([A-Za-z]{2,3})(?:-([A-Za-z0-9]{1,10}))?", text)
    if codes:
        country = _country_code(codes.group(1)) if len(codes.group(1)) == 3 else codes.group(1).upper()
        subdiv = codes.group(2).upper() if codes.group(2) else None
        if country and _has_calendar(country, subdiv):
            return country, subdiv
    name = _PLACE_WORDS.sub("", text)
    plain = _plain(name)
    # "the Republic of Georgia" is the country, never the US state the bare name is read as
    country_form = re.search(r"\b(?:republic|kingdom)\b", text[:len(text) - len(name)], re.IGNORECASE)
    if plain in _JURISDICTION_ALIASES and not (country_form and _country_code(name)):
        return _JURISDICTION_ALIASES[plain]
    country = _country_code(name)
    if country:
        return country, None
    parts = [part.strip() for part in re.split(r",|\(|\)", name) if part.strip()]
    if len(parts) == 2:  # "Ontario, Canada", "Zurich (Switzerland)"
        outer = map_jurisdiction(parts[1])
        if outer and outer[1] is None:
            inner = _subdivision(_PLACE_WORDS.sub("", parts[0]), outer[0])
            return inner or outer
    return _subdivision(name)


def _has_calendar(country: str, subdiv: str | None) -> bool:
    try:
        _holiday_calendar(country, subdiv, 2000)
    except ValueError:
        return False
    return True


def _resolve(jurisdiction: str | None) -> tuple[str, str | None]:
    """The holiday calendar of ``jurisdiction`` (the default's for none); ValueError when it names
    none we know (``calendar_words`` then says which one was counted)."""
    from . import config

    j = (jurisdiction or "").strip() or config.DEFAULT_JURISDICTION
    mapped = map_jurisdiction(j)
    if mapped is None:
        raise ValueError(f"no holiday calendar for jurisdiction {j!r}")
    return mapped


def _resolve_or_default(jurisdiction: str | None) -> tuple[str, str | None]:
    """As ``_resolve``, but a jurisdiction we have no calendar for counts the default one: only
    for a jurisdiction a caller passed on knowingly (``contract_calendar``), whose
    derivations say so (``_calendar_name``)."""
    from . import config

    try:
        return _resolve(jurisdiction)
    except ValueError:
        return _resolve(config.DEFAULT_JURISDICTION)


def business_days_words(duration: str | Duration, jurisdiction: str | None, on: date | None = None) -> str:
    """" (business days, GB-ENG holidays)" for a duration counted in business days, else ""
    (``on``: a day of the count, for a weekend that changed: ``weekend_words``)."""
    return f" (business days, {holidays_words(jurisdiction, on)})" if as_duration(duration).business_days else ""


def holidays_words(jurisdiction: str | None, on: date | None = None) -> str:
    """"GB-ENG holidays", "SA holidays, weekend Friday and Saturday" (a weekend other than Saturday
    and Sunday is named: ``weekend_words``); for a jurisdiction we have no calendar for, that the
    default one was counted and why, in words: never the default's holidays silently."""
    name = _calendar_name(jurisdiction)
    if known_jurisdiction(jurisdiction):
        return f"{name} holidays{weekend_words(jurisdiction, on)}"
    return (f"{name} holidays, the default: no holiday calendar is known for {jurisdiction!r}; "
            f"a person must set the contract's jurisdiction")


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_SATURDAY_SUNDAY = frozenset({5, 6})


def weekend_days(jurisdiction: str | None, on: date | None = None) -> frozenset[int]:
    """The weekdays (Monday = 0) that are the weekend of ``jurisdiction``'s calendar, as the
    ``holidays`` library has them per country (Friday and Saturday in Saudi Arabia and Israel, Friday
    alone in Iran): in the week of ``on`` when given (a country that changed its weekend, the UAE in
    2022, has the one of that day), else its current one."""
    country, subdiv = _resolve_or_default(jurisdiction)
    calendar = _holiday_calendar(country, subdiv, (on or date(2000, 1, 1)).year)
    if on is None:
        return frozenset(calendar.weekend)
    monday = on - timedelta(days=on.weekday())
    return frozenset(d for d in range(7) if calendar.is_weekend(monday + timedelta(days=d)))


def weekend_words(jurisdiction: str | None, on: date | None = None) -> str:
    """"" for a Saturday and Sunday weekend, else ", weekend Friday and Saturday"."""
    days = weekend_days(jurisdiction, on)
    if days == _SATURDAY_SUNDAY:
        return ""
    names = [_DAY_NAMES[d] for d in sorted(days)]
    return ", weekend " + (" and ".join(names) if names else "none")


def known_jurisdiction(jurisdiction: str | None) -> bool:
    """None (the default calendar) or a jurisdiction ``map_jurisdiction`` names a calendar for."""
    return not (jurisdiction or "").strip() or map_jurisdiction(jurisdiction or "") is not None


_CODE_SHAPED = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,3})?")
_SMALL_WORDS = frozenset({"and", "of", "the", "de", "del", "la", "le"})


def jurisdiction_spelling(jurisdiction: str | None) -> str | None:
    """The jurisdiction in its one spelling: a code of a holiday calendar in capitals ("us-ny" is
    US-NY), a name as written ("New York"). Intake stores an upload's so; the API, the CLI and the
    web show a stored one so (one stored before, "us-ny", is never rewritten: the calendars read
    codes in any letters, ``map_jurisdiction``). A name intake stored in capitals (the morning of
    2026-12-07, "NEW YORK") is shown in title case ("New York") when that names the same calendar;
    the calendar is the stored value's either way."""
    if jurisdiction is None or not jurisdiction.strip():
        return jurisdiction
    text = jurisdiction.strip()
    calendar = map_jurisdiction(text)
    if calendar is None:
        return jurisdiction
    if _CODE_SHAPED.fullmatch(text):
        return text.upper()
    if text.isupper() and re.search(r"[A-Z]{4}", text):  # a name in capitals, not an acronym ("U.S.")
        titled = " ".join(w.lower() if i and w.lower() in _SMALL_WORDS else w.title()
                          for i, w in enumerate(text.split()))
        return titled if map_jurisdiction(titled) == calendar else jurisdiction
    return jurisdiction


def _calendar_name(jurisdiction: str | None) -> str:
    country, subdiv = _resolve_or_default(jurisdiction)
    return f"{country}-{subdiv}" if subdiv else country


@lru_cache(maxsize=64)
def _holiday_calendar(country: str, subdiv: str | None, year: int) -> holidays.HolidayBase:
    try:
        calendar = holidays.country_holidays(country, subdiv=subdiv, years=year)
        # the holidays' names in English where the library has them ("Emperor's Birthday", not
        # "天皇誕生日"): they are quoted in derivations and emails
        if not str(calendar.default_language or "en").startswith("en") \
                and "en_US" in (calendar.supported_languages or ()):
            calendar = holidays.country_holidays(country, subdiv=subdiv, years=year, language="en_US")
        return calendar
    except NotImplementedError as exc:  # unknown country code
        raise ValueError(f"no holiday calendar for jurisdiction {country!r}") from exc


def holiday_name(day: date, jurisdiction: str | None = None) -> str | None:
    """The public holiday on ``day`` in ``jurisdiction``, or None; ValueError for a jurisdiction
    we have no holiday calendar for."""
    country, subdiv = _resolve(jurisdiction)
    return _holiday_calendar(country, subdiv, day.year).get(day)


def is_business_day(day: date, jurisdiction: str | None = None) -> bool:
    """Not a weekend day nor a public holiday of ``jurisdiction`` (of the default calendar for one
    we have none for: the derivations name it, ``_calendar_name``). The weekend is the country's as
    the ``holidays`` library has it (Friday and Saturday in Saudi Arabia; was Saturday and Sunday
    everywhere)."""
    country, subdiv = _resolve_or_default(jurisdiction)
    calendar = _holiday_calendar(country, subdiv, day.year)
    return not calendar.is_weekend(day) and calendar.get(day) is None


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


def day_at(at: datetime, time_zone: str | None) -> date:
    """The day it is at the instant ``at`` in ``time_zone`` (UTC for none or one this machine does
    not know): the day a contract's deadlines are counted from."""
    return at.astimezone(zone(time_zone if time_zone and is_time_zone(time_zone) else "UTC")).date()


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone this machine knows. Any text is answered, never
    raised on: ZoneInfo raises ValueError for some bad names and OSError for others (a name longer
    than the file system allows, found by fuzzing the upload metadata)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


# zoneinfo knows these names but a person setting one means something else: "localtime" is whatever
# this machine runs in, "Factory" a placeholder; a bare name is an abbreviation or an old alias
# ("EST" keeps one offset all year, an hour off in New York's summer; "Japan" is Asia/Tokyo)
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@cache
def _place_zones() -> frozenset[str]:
    import zoneinfo

    return frozenset(n for n in zoneinfo.available_timezones()
                     if n not in _NOT_PLACES and ("/" in n or n in ("UTC", "GMT")))


def is_place_time_zone(name: str) -> bool:
    """Whether a person may set ``name`` as a time zone (an upload's, a contract's, a reader's): an
    IANA region/city name this machine knows (America/New_York; Etc/GMT+5 for a fixed offset said as
    such), UTC or GMT; not "localtime", "Factory", a bare abbreviation or alias ("EST", "Japan") or a
    path into the zone files ("right/...", "posix/...")."""
    return name in _place_zones() and is_time_zone(name)


def end_of_day(day: date, time_zone: str | None = None) -> datetime:
    """23:59:59 on ``day`` in ``time_zone``: when a deadline on that day passes."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=zone(time_zone))


def start_of_day(day: date, time_zone: str | None = None, hour: int = 9) -> datetime:
    """Working-hours start on ``day`` in ``time_zone`` (when reminders are sent)."""
    return datetime.combine(day, time(hour, 0, 0), tzinfo=zone(time_zone))


# --- recurring duties (RFC 5545 RRULE + offset) --------------------------------------------------
#
# Convention shared with the extractor: the RRULE gives the *period boundary* (the first day of the
# next period) and ``offset`` the time after it when the duty is due.
#
# * a positive offset counts from the END of the period that closes at the boundary, i.e. from the
#   day before the boundary, as contracts do ("within ten (10) business days after the end of each
#   month" = RRULE monthly on day 1 + "+P10BD": the boundary 2026-12-01 closes November, and the
#   report is due on the 10th business day after 2026-11-30, i.e. 2026-12-14);
# * a zero offset ("+P0D", or none) means the boundary day itself ("no later than the fifth day of
#   each month" = monthly on day 5 + "+P0D"); so "+P1D" and "+P0D" both fall on the boundary;
# * a negative offset ("-P5D") counts back from the boundary ("five days before each quarter").

_RRULE_PREFIX = re.compile(r"^\s*RRULE:", re.IGNORECASE)
# a recurrence that has not produced a boundary within this many years is treated as never recurring
RECURRENCE_HORIZON_YEARS = 10


def parse_offset(offset: str | Duration | None) -> tuple[int, Duration]:
    """``"+P10BD"`` -> ``(1, Duration(business_days=10))``; ``"-P5D"`` -> ``(-1, ...)``; None -> P0D."""
    if offset is None or (isinstance(offset, str) and not offset.strip()):
        return 1, Duration()
    if isinstance(offset, Duration):
        return 1, offset
    text = offset.strip()
    sign = -1 if text.startswith("-") else 1
    return sign, Duration.parse(text.lstrip("+-"))


def _rrule_parts(rule: str) -> dict[str, str]:
    body = _RRULE_PREFIX.sub("", rule.strip()).strip()
    parts: dict[str, str] = {}
    for item in filter(None, body.upper().split(";")):
        key, sep, value = item.partition("=")
        if not sep or not value:
            raise ValueError(f"not an RRULE: {rule!r}")
        parts[key.strip()] = value.strip()
    if "FREQ" not in parts:
        raise ValueError(f"RRULE without FREQ: {rule!r}")
    return parts


def normalise_rrule(rule: str) -> str:
    """The RRULE body (no ``RRULE:`` prefix, upper case) as dateutil should read it.

    A monthly rule that names its months (``BYMONTH=1,4,7,10``) already fixes them; an ``INTERVAL``
    next to it only makes the result depend on the start month (INTERVAL=3 started in February
    would never hit January), so it is dropped.
    """
    parts = _rrule_parts(rule)
    if parts["FREQ"] == "MONTHLY" and "BYMONTH" in parts:
        parts.pop("INTERVAL", None)
    return ";".join(f"{k}={v}" for k, v in parts.items())


def rrule_needs_anchor(rule: str) -> bool:
    """True when the rule's dates depend on its start date (DTSTART), not only on the rule.

    E.g. "FREQ=MONTHLY;BYMONTHDAY=1" is the 1st of every month whatever the start, while
    "FREQ=MONTHLY" repeats the start's day and "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1" its phase.
    Such a rule needs a real anchor (the effective date); without one we abstain.
    """
    parts = _rrule_parts(normalise_rrule(rule))
    keys = parts.keys()
    if parts.get("INTERVAL", "1") != "1" or "COUNT" in keys:
        return True
    freq = parts["FREQ"]
    if freq == "DAILY":
        return False
    if freq == "WEEKLY":
        return "BYDAY" not in keys
    if freq == "MONTHLY":
        return not ({"BYMONTHDAY", "BYDAY"} & keys)
    if freq == "YEARLY":
        fixed_day = "BYMONTH" in keys and bool({"BYMONTHDAY", "BYDAY"} & keys)
        return not (fixed_day or "BYYEARDAY" in keys or "BYWEEKNO" in keys)
    return True  # HOURLY and finer are not contract periods


def due_after_boundary(boundary: date, offset: str | Duration | None,
                       jurisdiction: str | None = None) -> DerivedDate:
    """When a recurring duty whose period ends at ``boundary`` is due (see the convention above)."""
    sign, d = parse_offset(offset)
    bd_note = business_days_words(d, jurisdiction, boundary)
    if d == Duration():
        return DerivedDate(boundary, f"due on the period boundary {boundary.isoformat()}")
    if sign > 0:
        period_end = boundary - timedelta(days=1)
        value = add_duration(period_end, d, jurisdiction)
        return DerivedDate(value, f"period end {period_end.isoformat()} (day before boundary "
                                  f"{boundary.isoformat()}) + {d.iso()}{bd_note} = {value.isoformat()}")
    value = subtract_duration(boundary, d, jurisdiction)
    return DerivedDate(value, f"period boundary {boundary.isoformat()} - {d.iso()}{bd_note} "
                              f"= {value.isoformat()}")


_BOUNDARY = re.compile(r"\bboundary (\d{4}-\d{2}-\d{2})")


def period_boundary(derivation: str | None) -> str | None:
    """The period boundary a recurring occurrence's derivation (``due_after_boundary``) names: the
    period it is due for, whatever day it is due (a calendar changed moves the day, not the period)."""
    found = _BOUNDARY.search(derivation or "")
    return found.group(1) if found else None


def _offset_reach_days(sign: int, d: Duration) -> int:
    """An upper bound on how many days after its boundary a duty can fall due."""
    if sign < 0:
        return 0
    return d.years * 366 + d.months * 31 + d.weeks * 7 + d.days + d.business_days * 2 + 14


def recurring_dues(rule: str, offset: str | Duration | None, on_or_after: date, anchor: date,
                   jurisdiction: str | None = None, until: date | None = None) -> Iterator[DerivedDate]:
    """The due dates (>= ``on_or_after``, ascending) of a duty recurring by ``rule`` + ``offset``.

    ``anchor`` is the rule's DTSTART (no boundary before it); boundaries after ``until`` (e.g. the
    day after the term ends) are not produced. Each date's derivation names the rule and the period
    it closes. Raises ValueError for a malformed rule or offset.
    """
    from dateutil.rrule import rrulestr

    body = normalise_rrule(rule)
    sign, d = parse_offset(offset)
    start = max(anchor, on_or_after - timedelta(days=_offset_reach_days(sign, d)))
    horizon = on_or_after + relativedelta(years=RECURRENCE_HORIZON_YEARS)
    last = min(until, horizon) if until else horizon
    recurrence = rrulestr(body, dtstart=datetime.combine(anchor, time()), ignoretz=True)
    for occurrence in recurrence.xafter(datetime.combine(start, time()), inc=True):
        boundary = occurrence.date()
        if boundary > last:
            return
        due = due_after_boundary(boundary, offset, jurisdiction)
        if due.value >= on_or_after:
            yield DerivedDate(due.value, f"RRULE:{body} -> {due.derivation}")


def recurring_due_for(rule: str, offset: str | Duration | None, boundary: date, anchor: date,
                      jurisdiction: str | None = None) -> DerivedDate | None:
    """The due date of the period of a duty recurring by ``rule`` + ``offset`` that ends at
    ``boundary``, counted with ``jurisdiction`` (derivation as ``recurring_dues``'); None when
    ``boundary`` is not one of the rule's boundaries from ``anchor`` (the rule changed since the
    occurrence was counted: no day is guessed). Raises ValueError for a malformed rule or offset."""
    from dateutil.rrule import rrulestr

    body = normalise_rrule(rule)
    parse_offset(offset)  # a malformed offset is refused before the rule is looked at
    at = datetime.combine(boundary, time())
    recurrence = rrulestr(body, dtstart=datetime.combine(anchor, time()), ignoretz=True)
    if boundary < anchor or at not in recurrence.between(at, at, inc=True):
        return None
    due = due_after_boundary(boundary, offset, jurisdiction)
    return DerivedDate(due.value, f"RRULE:{body} -> {due.derivation}")


def next_recurring_due(rule: str, offset: str | Duration | None, on_or_after: date, anchor: date,
                       jurisdiction: str | None = None, until: date | None = None) -> DerivedDate | None:
    """The first due date on or after ``on_or_after`` (see ``recurring_dues``), or None."""
    return next(recurring_dues(rule, offset, on_or_after, anchor, jurisdiction, until), None)
