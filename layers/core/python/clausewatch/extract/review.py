"""Dates a person must look at: never guessed, flagged "needs attention" with every candidate and
the clause it was read from.

- An impossible calendar date ("February 30, 2025") is no date: ``find_dates`` skips it. Where
  it names the Effective Date (or is the date the agreement takes effect) the effective date is
  left out, whatever another rule (the signatures, the document's own date) would have made of it,
  and the contract is flagged with the written date and its clause.
- Two different dates each named the Effective Date, or each said to be when this agreement takes
  effect ("March 1" and "April 15"): the effective date is left out and both are flagged.

Each flag is a dict (stored in the extraction's ``attention`` list):
``{"kind": "impossible_date" | "conflicting_dates", "term": "effective_date", "message": ...,
"candidates": [{"value": "2025-03-01" | "February 30, 2025", "evidence": {page, start, end, text}}]}``.
"""

from __future__ import annotations

import re

from .agreement_date import ABOUT_ANOTHER_DOCUMENT
from .context import Context, F
from .datetext import _MONTH, _YEAR, MONTH_FIRST, guarded, month_number
from .effective_date import (
    _EFFECTIVE_DATE_NAMED_AFTER,
    _EFFECTIVE_DATE_NAMED_BEFORE,
    _SCHEDULE_STARTING,
    _TAKES_EFFECT_BEFORE,
    _THE_AGREEMENT_OR_ITS_TERM,
)

_DAYS_IN_MONTH = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}
_DAY_NUMBER = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
# the written dates whose day the month does not have: "February 30, 2025", "31 April 2024"
_WRITTEN = (guarded(MONTH_FIRST, rf"\b{_MONTH}\s*{_DAY_NUMBER}\b,?\s*{_YEAR}", F),
            guarded(r"\d", rf"(?<!\d){_DAY_NUMBER}\s+(?:day\s+of\s+)?{_MONTH},?\s*{_YEAR}", F))


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def impossible_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each written date whose day does not exist in its month and year."""
    out = []
    for pattern in _WRITTEN:
        for m in pattern.finditer(text):
            day, month, year = int(m.group("day")), month_number(m.group("month")), int(m.group("year"))
            last = _DAYS_IN_MONTH[month] - (1 if month == 2 and not _is_leap(year) else 0)
            if day == 0 or last < day <= 31:
                out.append((m.start(), m.end(), m.group(0)))
    return sorted(set(out))


def _names_the_effective_date(ctx: Context, start: int, end: int) -> str | None:
    """How the date at ``[start, end)`` is this agreement's effective date: "named" (the
    Effective Date), "takes_effect" ("this Agreement shall be effective as of DATE"), or None
    (the same tests the effective date reader applies)."""
    text = ctx.doc.text
    after = text[end:end + 120]
    before = text[max(0, start - 120):start]
    named = _EFFECTIVE_DATE_NAMED_AFTER.search(after) or _EFFECTIVE_DATE_NAMED_BEFORE.search(before)
    clause = re.split(r"[.;](?=\s)", before)[-1]
    if ABOUT_ANOTHER_DOCUMENT.search(clause[-60:] if named else clause[-100:]) \
            or re.search(r"terminat\w*[^.;]{0,60}$", before, F):
        return None
    if named:
        return None if re.search(r"Amendment\s+Effective\s+Date", named.group(0), F) else "named"
    if not _TAKES_EFFECT_BEFORE.search(before) or _SCHEDULE_STARTING.search(before):
        return None
    span = ctx.doc.sentence(start, end, max_len=300)
    return "takes_effect" if _THE_AGREEMENT_OR_ITS_TERM.search(text[span.start:end]) else None


# "this Agreement shall be effective as of": the agreement itself (not its term, not a schedule)
_THIS_AGREEMENT_EFFECTIVE = re.compile(r"\bthis\s+(?:[A-Z][\w-]*\s+){0,5}(?:Agreement|Contract)\b[^.;]{0,80}"
                                       r"\beffective\b", F)


def _candidate(ctx: Context, value: str, start: int, end: int) -> dict:
    span = ctx.doc.sentence(start, end, max_len=300)
    return {"value": value, "evidence": ctx.doc.evidence(span.start, span.end).to_dict()}


def review_effective_date(ctx: Context) -> None:
    """Leave the effective date out, and flag it, when the document names an impossible date as
    its Effective Date or names two different ones (runs right after ``read_effective_date``)."""
    text = ctx.doc.text
    impossible = [(s, e, written) for s, e, written in impossible_dates(text)
                  if not ctx.doc.in_furniture(s) and _names_the_effective_date(ctx, s, e)]
    if impossible:
        chosen = ctx.terms.get("effective_date")
        candidates = [_candidate(ctx, written, s, e) for s, e, written in impossible]
        message = (f"the Effective Date is written as {impossible[0][2]!r}, a day that does not exist: "
                   f"no effective date was taken")
        if chosen is not None:
            message += f" (another rule would have made it {chosen.value}; not guessed)"
            candidates.append({"value": chosen.value, "derivation": chosen.derivation,
                               "evidence": None if chosen.evidence is None else chosen.evidence.to_dict()})
        ctx.attention.append({"kind": "impossible_date", "term": "effective_date", "message": message,
                              "candidates": candidates})
        ctx.terms["effective_date"] = None
        return
    named: dict[str, tuple[int, int]] = {}
    any_named = False
    for found in ctx.dates_in(0, len(text)):
        how = _names_the_effective_date(ctx, found.start, found.end)
        if how == "takes_effect":
            span = ctx.doc.sentence(found.start, found.end, max_len=300)
            if not _THIS_AGREEMENT_EFFECTIVE.search(text[span.start:found.start]):
                continue  # "the Term commencing on", "begins on": a start, not a second Effective Date
        if how is not None:
            any_named = any_named or how == "named"
            named.setdefault(found.value.isoformat(), (found.start, found.end))
    if any_named and len(named) > 1:
        values = sorted(named)
        ctx.attention.append({
            "kind": "conflicting_dates", "term": "effective_date",
            "message": f"the document names {len(values)} different Effective Dates "
                       f"({', '.join(values)}): none was taken",
            "candidates": [_candidate(ctx, value, *named[value]) for value in values]})
        ctx.terms["effective_date"] = None
