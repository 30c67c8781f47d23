"""Numbers and durations as contracts write them: "thirty (30) days", "one hundred eighty (180)
days", "three (3) months'", "12-month", "a one-year period", "ten (10) business days"."""

from __future__ import annotations

import re

from ..dates import Duration
from .guards import guarded

_UNITS = {
    "zero": 0, "one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}

_SMALL = "|".join(sorted((k for k in _UNITS if k not in ("a", "an")), key=len, reverse=True))
_TEN = "|".join(_TENS)
# a number in words, up to the thousands: "one hundred eighty", "twenty-four", "thirty"
WORD_NUMBER = (rf"(?:(?:{_SMALL}|{_TEN})(?:[\s-]+(?:{_SMALL}))?\s+thousand(?:[\s,]+(?:and\s+)?)?)?"
               rf"(?:(?:{_SMALL})\s+hundred(?:\s+(?:and\s+)?)?)?"
               rf"(?:(?:{_TEN})(?:[\s-]+(?:{_SMALL}))?|{_SMALL})"
               rf"|(?:{_SMALL})\s+hundred|(?:{_SMALL}|{_TEN})\s+thousand")
DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
# "thirty (30)", "(30)", "30", "thirty"; also the odd "thirty(30)" and "3 0" is not handled
NUMBER = (rf"(?:(?P<words>\b(?:{WORD_NUMBER}))\s*\(\s*(?P<paren>{DIGITS})\s*\)"
          rf"|\(\s*(?P<onlyparen>{DIGITS})\s*\)|(?P<digits>\b(?:{DIGITS}))|(?P<onlywords>\b(?:{WORD_NUMBER})\b))")
# a match starts with a digit, "(" or a number word's first letter (zero, one, two ... twelve,
# thirteen ... nineteen, twenty, thirty, forty, fourty, fifty, sixty, seventy, eighty, ninety)
NUMBER_FIRST = r"[(\dzotfsen]"
NUMBER_RE = guarded(NUMBER_FIRST, NUMBER, re.IGNORECASE)

_UNIT_WORDS = {
    "day": "D", "days": "D", "calendar day": "D", "calendar days": "D",
    "business day": "BD", "business days": "BD", "working day": "BD", "working days": "BD",
    "banking day": "BD", "banking days": "BD", "week": "W", "weeks": "W", "month": "M",
    "months": "M", "calendar month": "M", "calendar months": "M", "year": "Y", "years": "Y",
    "calendar year": "Y", "calendar years": "Y", "contract year": "Y", "contract years": "Y",
}
UNIT = (r"(?:full\s+)?(?P<unit>(?:calendar\s+|business\s+|working\s+|banking\s+|contract\s+)?"
        r"(?:days?|weeks?|months?|years?))\b")
# number + unit: "sixty (60) days", "3 months'", "12-month", "one-year", "(5) year"
DURATION_RE = guarded(NUMBER_FIRST, rf"{NUMBER}\s*(?:-\s*)?{UNIT}(?:'s?|s')?", re.IGNORECASE)


def words_to_int(text: str) -> int | None:
    """"one hundred eighty" -> 180, "twenty-four" -> 24; None when it is not a number in words."""
    total, current = 0, 0
    seen = False
    for token in re.split(r"[\s,-]+", text.lower().strip()):
        if not token or token == "and":
            continue
        if token in _UNITS:
            current += _UNITS[token]
        elif token in _TENS:
            current += _TENS[token]
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def ordinal_to_int(text: str) -> int | None:
    """"third" -> 3, "3rd" -> 3, "twenty-first" -> 21."""
    t = re.sub(r"\s+", "", text.lower())
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)?", t)
    if m:
        return int(m.group(1))
    if t in _ORDINALS:
        return _ORDINALS[t]
    m = re.fullmatch(r"(twenty|thirty)-?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)", t)
    if m:
        return _TENS[m.group(1)] + _ORDINALS[m.group(2)]
    return None


def number_value(match: re.Match) -> int | None:
    """The number of a NUMBER match. Words and figures that disagree ("thirty (60)") give None:
    a wrong figure is worse than none."""
    g = match.groupdict()
    if g.get("words") is not None:
        words = words_to_int(g["words"])
        digits = int(g["paren"].replace(",", ""))
        if words is not None and words != digits:
            return None
        return digits
    for key in ("onlyparen", "digits"):
        if g.get(key) is not None:
            return int(g[key].replace(",", ""))
    if g.get("onlywords") is not None:
        return words_to_int(g["onlywords"])
    return None


def unit_code(unit: str) -> str:
    return _UNIT_WORDS[re.sub(r"\s+", " ", unit.lower())]


def duration_of(match: re.Match) -> Duration | None:
    """The Duration of a DURATION_RE match (None when the number is unreadable, zero, or more
    than a hundred years: "99999999 years" is a slip, not a term)."""
    n = number_value(match)
    if not n:
        return None
    code = unit_code(match.group("unit"))
    duration = {"D": Duration(days=n), "BD": Duration(business_days=n), "W": Duration(weeks=n),
                "M": Duration(months=n), "Y": Duration(years=n)}[code]
    return duration if duration.plausible else None


def years_of(n: int | None) -> Duration | None:
    """A term of ``n`` whole years ("the fifth anniversary"), None for none, zero or more than a
    hundred."""
    duration = Duration(years=n) if n else None
    return duration if duration is not None and duration.plausible else None


def parse_duration(text: str) -> Duration | None:
    """The first duration written in ``text``: "sixty (60) days" -> P60D."""
    m = DURATION_RE.search(text)
    return duration_of(m) if m else None


def parse_number(text: str) -> int | None:
    m = NUMBER_RE.search(text)
    return number_value(m) if m else None


# a percentage written in digits: "5%", "3.5 percent", "10 per cent" (the number is group "pct")
PERCENT = r"(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)"


def trim_number(text: str) -> str:
    """A decimal number without trailing zeros: "3.50" -> "3.5", "5.0" -> "5"."""
    return text.rstrip("0").rstrip(".") if "." in text else text
