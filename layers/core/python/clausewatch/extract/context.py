"""What every term reader shares: the document being read, the terms found so far, and helpers.

Readers are functions ``read_x(ctx: Context) -> None`` that set ``ctx.terms[name]`` or leave it
alone (abstain); ``extract/__init__.py`` lists them in the order they run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from .. import dates
from .datetext import FoundDate, FoundPartialDate, PartialDate, find_blank_dates, find_dates
from .document import Document, Span
from .model import ExtractOptions, Term

# the flag nearly every clause pattern is compiled with: contract wording comes in any case
F = re.IGNORECASE


@dataclass
class Context:
    """One document being read: its text, the options, and the terms the readers have set so far."""
    doc: Document
    options: ExtractOptions
    terms: dict[str, Term | None]
    # the date of the amended agreement (an amendment quotes it; it is not this document's date)
    excluded_dates: tuple[tuple[int, int], ...] = ()
    # the document is an amendment: its "Effective Date" in restated agreement text is the amended
    # agreement's, not the amendment's own date (extract/term_start.counts_from_amended_agreement)
    amendment: bool = False
    # what a person must look at (extract/review.py): flags with their candidates and clauses
    attention: list[dict] = field(default_factory=list)
    # finding dates is the costly part of reading: the same range is not searched twice
    _found: dict = field(default_factory=dict, repr=False)

    def _all_dates(self, start: int, end: int) -> list[FoundDate]:
        key = ("all", start, end)
        if key not in self._found:
            self._found[key] = find_dates(self.doc.text, start, end, self.options.date_order)
        return self._found[key]

    def _kept(self, found: list) -> list:
        return [d for d in found if not any(s <= d.start < e for s, e in self.excluded_dates)
                and not self.doc.in_furniture(d.start)]

    def dates_in(self, start: int, end: int) -> list[FoundDate]:
        key = ("dates", start, end)
        if key not in self._found:
            self._found[key] = self._kept(self._all_dates(start, end))
        return list(self._found[key])

    def blank_dates_in(self, start: int, end: int) -> list[FoundPartialDate]:
        key = ("blank", start, end)
        if key not in self._found:
            self._found[key] = self._kept(find_blank_dates(self.doc.text, start, end,
                                                           whole_dates=self._all_dates(start, end)))
        return list(self._found[key])

    def term(self, value, span: Span | tuple[int, int], derivation: str | None = None,
             confidence: float | None = None, **extra) -> Term:
        s, e = (span.start, span.end) if isinstance(span, Span) else span
        return Term(value=value, evidence=self.doc.evidence(s, e), derivation=derivation,
                    confidence=confidence, extra=extra)


# what a term reader is: it reads the document and sets ctx.terms[...] (or abstains)
Reader = Callable[[Context], None]


def iso(value: date | PartialDate) -> str:
    """A date as a term value: "2027-02-28", or "2018-03" when written with blanks."""
    return value.isoformat()


def full_date(term: Term | None) -> date | None:
    """The date a date term holds, or None when it is absent or written with blanks ("2018-03")."""
    return None if term is None else dates.parse_day(term.value)


def evidence_text(term: Term | None) -> str:
    """The quoted clause of a term ("" when it is absent or has none)."""
    return "" if term is None or term.evidence is None else term.evidence.text


def blank_note(value: PartialDate) -> str:
    """The derivation of a date written with blanks ("made this ___ day of March, 2018")."""
    filled = "only the year is" if value.month is None else "only the month and year are"
    return f"written with blanks: {filled} filled in"


# a duration followed by notice wording is a notice period ("sixty (60) days' prior written notice"),
# not the term or a renewal period
NOTICE_FOLLOWS = re.compile(r"^\s*(?:'s?\s*|s'\s*)?(?:\(\s*\d+\s*\)\s*)?(?:prior|written|advance|"
                            r"notice|before|in\s+advance|preceding|notification)", F)
