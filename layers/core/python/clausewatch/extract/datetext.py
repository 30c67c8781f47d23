"""Calendar dates as contracts write them, found with their offsets.

Handled: "February 20, 2025", "Feb. 20, 2025", "Sept 29, 2004", "January 10th, 2019",
"20 February 2025", "02 June, 2015", "the 3rd day of June, 2023", "the first day of July, 2017",
"the 20 March day of 1998", "2025-03-01", "03/01/2025" (month first unless ``date_order="DMY"``;
a first number above 12 is a day whatever the order), "9/29/04" (two-digit years: 00-49 are 20xx, 50-99 are 19xx).
A date with blanks ("this ___ day of March, 2018") is not a date: ``find_dates`` finds nothing
there. ``find_blank_dates`` finds such dates, with the parts that are filled in (``PartialDate``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .guards import guarded
from .numbers import ordinal_to_int

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b\.?"


def month_number(name: str) -> int:
    """The month of a name ``_MONTH`` matched: any case, a "." after it. IGNORECASE also matches
    letters whose lower case is not ASCII ("ſept": the long s matches "s"; "APRİL"), which
    ``.lower()`` leaves as they are: such a name is looked up the way the pattern matched it."""
    key = name.lower().rstrip(".")
    if key in MONTHS:
        return MONTHS[key]
    for month, number in MONTHS.items():
        if re.fullmatch(month, name.rstrip("."), re.IGNORECASE):
            return number
    raise KeyError(name)


# "3rd", "18t h" (a PDF artefact), "first", "twenty-first"
_ORDINAL_WORDS = (r"(?:twenty|thirty)-?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
                  r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
                  r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|"
                  r"nineteenth|twentieth|thirtieth")
_DAY = r"(?P<day>[0-3]?\d)(?:\s?(?:s\s?t|n\s?d|r\s?d|t\s?h))?"
_DAY_ANY = rf"(?P<day>[0-3]?\d(?:\s?(?:s\s?t|n\s?d|r\s?d|t\s?h))?|{_ORDINAL_WORDS})"
_YEAR = r"(?P<year>(?:19|20)\d{2})\b"
_SEP = r"\s*,?(?:\s*\n[ \t]*-{3,}[ \t]*(?=\n))?\s*"  # EDGAR text may underline a part: "31 December,\n----\n1996"
_OF = r"of(?:\s*\n[ \t]*-{3,}[ \t]*(?=\n))?"

# the first characters a match can start with, as a lookahead (see `guarded`)
MONTH_FIRST = "[jfmasond]"  # of every name in MONTHS (with IGNORECASE)
_DIGIT_FIRST = r"\d"



_PATTERNS = [
    # February 20, 2025 / Feb. 20, 2025 / January 10th, 2019 / April. 1st 2019
    ("mdy", guarded(MONTH_FIRST, rf"\b{_MONTH}\s*{_DAY}\b(?:{_SEP}|\.[ \t]){_YEAR}", re.IGNORECASE)),
    # the 3rd day of June, 2023 / first day of July 2017 / 19 DAY OF MAY , 2010
    # (a day in figures, or an ordinal word: twenty-, thirty-, third, ... first, fifth, ... second,
    # sixth, ... eighth, eleventh, ... ninth, nineteenth)
    ("day_of", guarded(r"[\dtfsen]", rf"\b{_DAY_ANY}\s+day\s+{_OF}\s+{_MONTH}{_SEP}(?:in\s+the\s+year\s+)?{_YEAR}",
                       re.IGNORECASE)),
    # a template's blank filled with a whole date: "made the 20 March day of 1998"
    ("dm_day_of", guarded(_DIGIT_FIRST, rf"\b{_DAY}\s+{_MONTH}\s+day\s+of{_SEP}{_YEAR}", re.IGNORECASE)),
    # 20 February 2025 / 02 June, 2015 / 1st March 2020
    # (a PDF may glue the day to the word before it: "as of1 August 2019")
    ("dmy", guarded(_DIGIT_FIRST, rf"(?:\b|(?<=[a-z]))(?<!\d){_DAY}\s+(?:of\s+)?{_MONTH}{_SEP}{_YEAR}",
                    re.IGNORECASE)),
    # 2025-03-01
    ("iso", guarded("[12]", r"\b(?P<year>(?:19|20)\d{2})-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b")),
    # 03/01/2025, 9/29/04, 29.3.2018
    ("numeric", guarded(_DIGIT_FIRST, r"(?<![\d/.])(?P<a>[0-3]?\d)\s?(?P<sep>[/.-])\s?(?P<b>[0-3]?\d)\s?(?P=sep)\s?"
                                      r"(?P<year>(?:19|20)\d{2}|\d{2})(?![\d/])")),
]


@dataclass(frozen=True)
class FoundDate:
    value: date
    start: int
    end: int
    text: str


def _year(text: str) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y < 50 else 1900
    return y


def _day(text: str) -> int | None:
    return ordinal_to_int(re.sub(r"\s+", "", text))


def _from_match(kind: str, m: re.Match, date_order: str) -> date | None:
    try:
        if kind == "numeric":
            a, b, year = int(m.group("a")), int(m.group("b")), _year(m.group("year"))
            if m.group("sep") == "." and len(m.group("year")) == 2:
                return None  # "1.2.25" is more often a section number than a date
            if a > 12 and b <= 12:
                day, month = a, b
            elif b > 12 and a <= 12:
                month, day = a, b
            elif m.group("sep") == "." or date_order == "DMY":
                day, month = a, b
            else:
                month, day = a, b
            return date(year, month, day)
        if kind == "iso":
            return date(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        written_day = _day(m.group("day"))
        if written_day is None:
            return None
        return date(int(m.group("year")), month_number(m.group("month")), written_day)
    except ValueError:
        return None


def find_dates(text: str, start: int = 0, end: int | None = None,
               date_order: str = "US") -> list[FoundDate]:
    """All dates in ``text[start:end]``, in order, with offsets into ``text`` (no overlaps)."""
    end = len(text) if end is None else end
    region = text[start:end]
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(region):
            s, e = m.start() + start, m.end() + start
            if any(s < te and ts < e for ts, te in taken):
                continue
            value = _from_match(kind, m, date_order)
            if value is None:
                continue
            taken.append((s, e))
            found.append(FoundDate(value, s, e, text[s:e]))
    found.sort(key=lambda f: f.start)
    return found


@dataclass(frozen=True)
class PartialDate:
    """A date written with blanks: the year, and the month when it is filled in ("March ___, 2018")."""

    year: int
    month: int | None = None

    @classmethod
    def fromisoformat(cls, text: str) -> PartialDate | None:
        """"2018" or "2018-03" (what ``isoformat`` writes); None for anything else, a whole date too."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", str(text))
        return None if m is None else cls(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    def isoformat(self) -> str:
        """ISO 8601 reduced precision: "2018" or "2018-03"."""
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class FoundPartialDate:
    value: PartialDate
    start: int
    end: int
    text: str


# a blank left for a part of a date: "____", "[ ]", "[___]", "[·]", "[●]", "[*]" (the document text
# has its underlines as spaces: "this      day of        , 2004")
_BLANK = r"(?:_+|\[[\s_·●•*]*\])"
_BLANK_PATTERNS = [
    # this ___ day of _____, 2004 / this ____ day of March, 2018 / [ ] day of [ ], 2020 /
    # "this  day of , 2012" (the PDF lost the underlines: nothing is left between the words)
    guarded(r"[t_\[]", rf"(?:\b(?:this|the)\s*(?:{_BLANK}\s*)?|{_BLANK}\s*)day\s+of\s*(?:{_MONTH}|{_BLANK}|(?<=\s\s)|"
                       rf"(?=\s*,))\s*,?\s*(?:in\s+the\s+year\s+)?{_YEAR}", re.IGNORECASE),
    # November ___, 2006 / June , 2010 (a lost underline leaves the comma alone)
    guarded(MONTH_FIRST, rf"\b{_MONTH}\s*(?:{_BLANK}|\s(?=,))\s*,?\s*{_YEAR}", re.IGNORECASE),
    # ____________, 1996 / ___________ __, 2000 / [___], 2020
    guarded(r"[_\[]", rf"{_BLANK}(?:\s*{_BLANK}){{0,2}}\s*,?\s*{_YEAR}", re.IGNORECASE),
    # "dated as of , 2009", "Effective Date:      , 2020", a title block's "\n      , 2006\n": only the
    # comma is left of the month and day
    guarded(r"[ \t,]", rf"(?:(?:(?<=\bof)|(?<=\bdated)|(?<=\bon)|(?<=:))[ \t]+|(?<=\n)[ \t]*(?=,[ \t]*\d{{4}}[ \t]*\n))"
                       rf",[ \t]*{_YEAR}", re.IGNORECASE),
    # "dated April 2013": a month and year without a day
    guarded(MONTH_FIRST, rf"(?<![\d_])(?<!\d\s)\b{_MONTH}\s*,?\s*{_YEAR}", re.IGNORECASE),
]


def find_blank_dates(text: str, start: int = 0, end: int | None = None,
                     whole_dates: list[FoundDate] | None = None) -> list[FoundPartialDate]:
    """Dates written with blanks in ``text[start:end]`` (a blank year is not a date: not found),
    in order, with offsets into ``text``; a whole date ("June 3, 2018") is never one of them
    (``whole_dates``: the range's ``find_dates``, when the caller has them already)."""
    end = len(text) if end is None else end
    region = text[start:end]
    whole = find_dates(text, start, end) if whole_dates is None else whole_dates
    taken = [(f.start - start, f.end - start) for f in whole]
    found: list[FoundPartialDate] = []
    for pattern in _BLANK_PATTERNS:
        for m in pattern.finditer(region):
            if any(m.start() < te and ts < m.end() for ts, te in taken):
                continue
            month = m.groupdict().get("month")
            value = PartialDate(int(m.group("year")), month_number(month) if month else None)
            taken.append((m.start(), m.end()))
            s = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            found.append(FoundPartialDate(value, s + start, m.end() + start, region[s:m.end()]))
    found.sort(key=lambda f: f.start)
    return found


def parse_date(text: str, date_order: str = "US") -> date | None:
    """The first date written in ``text``, or None."""
    found = find_dates(text, date_order=date_order)
    return found[0].value if found else None
