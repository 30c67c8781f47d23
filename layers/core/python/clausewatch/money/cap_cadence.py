"""How often a cap on price increases applies, as its clause states it (pure): once each renewal
term ("upon each renewal", "per Renewal Term") or once a year ("annually", "per year", "once in any
twelve (12) month period", "on each anniversary"; never "a year's notice"). It matters where a
renewal term is not a year long (month-to-month renewals, alone or amended to yearly ones; two-year
terms): there the count of increases differs by the reading, and a clause that says neither, or
both, leaves it not known over terms shorter than a year. Once each anniversary of a named day ("each
anniversary of the Effective Date", "of the Order Form"): counted from that day, in the initial term
too, never from the initial term's end."""

from __future__ import annotations

import re
from dataclasses import dataclass

TERM, YEAR, ANNIVERSARY = "renewal term", "year", "anniversary"

_F = re.IGNORECASE
_TWELVE = r"(?:twelve|12)(?:\s*\(\s*12\s*\))?[\s-]*months?"
# once each renewal term, whatever its length
_PER_TERM = re.compile(r"\b(?:per|each|every|any|upon|on|at|for)\s+(?:(?:each|every|any|the|a)\s+)?renewal"
                       r"(?:\s+(?:term|period))?\b", _F)
# once a year: 12-month steps
_PER_YEAR = re.compile(rf"\bannually\b|\bper\s+annum\b|\byear[\s-]+(?:over|on)[\s-]+year\b|"
                       rf"\b(?:per|each|every|any)\s+(?:year|{_TWELVE}(?:\s+period)?)\b(?!['’]s)|"
                       # "3% a year", "once a year", "a 12-month period", never "a year's notice"
                       rf"(?:%\)?|\bpercent|\bonce)\s+a\s+year\b(?!['’]s)|\ba\s+{_TWELVE}\s+period\b|"
                       rf"\bannual\s+(?:increase|adjustment|escalation)s?\b|"
                       rf"\b(?:per|each|every|any)\s+anniversary\b", _F)
# a year that is not 12-month steps from the initial term's end: a calendar, contract or fiscal year
_OTHER_YEAR = re.compile(r"\b(?:calendar|contract|fiscal|financial)\s+years?\b", _F)
_BARE_ANNIVERSARY = re.compile(r"\b(?:per|each|every|any)\s+anniversary\b", _F)
# once each anniversary of a named day: the day's name ("Effective Date", "Subscription Start Date", "Order Form")
_ANNIVERSARY_OF = re.compile(r"\banniversar(?:y|ies)\s+of\s+(?:the|this|each)\s+"
                             r"((?:[\w-]+\s+){0,3}?(?:date|form|agreement))\b", _F)


@dataclass(frozen=True)
class CapCadence:
    """How often the cap allows an increase (``TERM``, ``YEAR`` or ``ANNIVERSARY``) and the clause's
    words that say so (``reading``: no words, a reading of a clause that says neither, in words)."""

    per: str
    words: str
    # the day whose anniversaries count ("Effective Date"): ANNIVERSARY; YEAR for "on each anniversary",
    # in the initial term only
    anchor: str | None = None
    reading: bool = False

    @property
    def said(self) -> str:
        """How the cap is counted, for arithmetic: "the cap applies 'annually'"."""
        return f"the cap read as {self.words}" if self.reading else f"the cap applies {self.words!r}"


def cap_cadence(evidence: dict | None) -> CapCadence | None:
    """How often the cap in ``evidence`` (its clause, ``{"text": ...}``) applies; None when its
    words say neither, say both ("upon each renewal ... per year"), or count a year that is not
    12-month steps ("per calendar year"): how many increases it allows is then not exact."""
    text = " ".join(((evidence or {}).get("text") or "").split())
    if _OTHER_YEAR.search(text):
        return None
    term, year = _PER_TERM.search(text), _PER_YEAR.search(text)
    anniversary = _ANNIVERSARY_OF.search(text)
    if anniversary and not term:
        return CapCadence(ANNIVERSARY, anniversary.group(0), anniversary.group(1))
    if year and not term and _BARE_ANNIVERSARY.search(text):
        # "on each anniversary": yearly from the initial term's end, in the initial term of the Effective Date
        return CapCadence(YEAR, year.group(0), "Effective Date")
    if term and not year:
        return CapCadence(TERM, term.group(0))
    if year and not term:
        return CapCadence(YEAR, year.group(0))
    return None
