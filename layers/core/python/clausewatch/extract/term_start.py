"""What a term counts from (the effective date, the agreement date, a date the clause states) and
where a term of a given length from it ends, including from a date written with blanks."""

from __future__ import annotations

import re
from datetime import date

from .. import dates
from ..dates import Duration, TermEndConvention
from .context import Context, F, full_date
from .datetext import FoundDate, PartialDate, find_dates
from .effective_date import DATE_FIRST_WRITTEN_ABOVE, EFFECTIVE_DATE_DEFINED, EFFECTIVE_DATE_NAME
from .model import Term

# a term counted from something other than the agreement's own dates (an event, the later of
# several, a schedule or another document, a contract or calendar year): its end is not known
COUNTS_FROM_ELSEWHERE = re.compile(
    r"\b(?:later\s+of|earlier\s+of|later\s+to\s+occur|earlier\s+to\s+occur|first\s+to\s+occur|whichever|launch|"
    r"first\s+commercial|commercial\s+(?:sale|launch|operation|production)|in-service|completion|"
    r"approval|delivery|acceptance|installation|opening|closing|expiration\s+of\s+(?:the|any|each|such)|"
    r"expiry|last\s+to\s+expire|date\s+of\s+(?:the\s+)?last\s+signature|receipt|first\s+(?:sale|shipment|order|"
    r"purchase)|"
    r"go-live|availability|contract\s+year|lease\s+year|fiscal|registration|license\s+term|schedule|exhibit|"
    r"appendix|addendum|order\s+form|statement\s+of\s+work|sow|purchase\s+order|calendar\s+year|"
    r"end\s+of\s+(?:the\s+)?(?:year|month|quarter)|year\s+\d)\b", F)
# the clause counts from the Effective Date ("from the Effective Date", "the Commencement Date")
NAMES_EFFECTIVE_DATE = re.compile(rf"\b(?:the\s+)?{EFFECTIVE_DATE_NAME}\b", F)
# ... or from the document's own date ("the date hereof", "the date first written above", "Execution Date")
_NAMES_DOCUMENT_DATE = re.compile(
    r"\b(?:the\s+)?(?:date\s+(?:hereof|first\s+(?:above\s+)?(?:written|set\s+forth|stated|mentioned)"
    r"(?:\s+above)?|(?:written\s+)?above|of\s+(?:this|the)\s+(?:Agreement|Contract|document)|of\s+execution"
    r"(?:\s+of\s+this\s+(?:Agreement|Contract))?)|Execution\s+Date|day\s+and\s+year\s+first\s+(?:above\s+)?written)",
    F)


# an amendment's term counted from the amended agreement's start: its initial_term says so in its
# derivation (the one thing stored with it), and the expiration is counted when the amendment is
# applied, from the contract's own effective date (pipeline/record.py); the amendment's own date
# is never the start
AMENDED_AGREEMENT_START = "counted from the Effective Date of the amended agreement"
AMENDED_AGREEMENT_ANNIVERSARY = "; ends on the anniversary itself"
# an amendment counting from its own date says so ("the Amendment Effective Date", "the date of this
# Amendment", "the date hereof")
_NAMES_AMENDMENT_DATE = re.compile(
    r"\bAmendment(?:'s)?\s+(?:Effective\s+)?Date\b|\bdate\s+of\s+this\s+Amendment\b|"
    r"\beffective\s+date\s+of\s+this\s+Amendment\b|\bdate\s+hereof\b", F)


# an amendment's term that ends on December 31 of the year of the amended agreement's Effective Date
# ("until the end of the calendar year in which the Effective Date falls"): no date of its own, so a
# term of that name says it (True, with the clause); the end is counted when the amendment is
# applied, from the contract's own effective date (pipeline/record.py)
AMENDED_AGREEMENT_YEAR_END = "expires_end_of_agreement_year"
# an amendment that calls its own date "the Effective Date" ('as of November 2, 2026 (the "Effective
# Date")', '"Effective Date" means'): "the Effective Date" in its clauses may be its own, or the
# Agreement's in restated agreement text
_QUOTED_EFFECTIVE_DATE = re.compile(r"[\"\u201c]\s*(?:Effective|Commencement|Start)\s*Date\s*[\"\u201d]", F)


def effective_date_meant(ctx: Context, text: str, span: tuple[int, int]) -> str:
    """Whose date "the Effective Date" of an amendment's clause ``text`` (at ``span`` of the
    document) is: "amendment" when the clause names the amendment's own date ("the Amendment
    Effective Date", "the date hereof"); "unclear" when the amendment also calls a date "the
    Effective Date" outside this clause; else "agreement" (a capitalised term it takes from the
    amended Agreement)."""
    if _NAMES_AMENDMENT_DATE.search(text):
        return "amendment"
    doc = ctx.doc.text
    if _QUOTED_EFFECTIVE_DATE.search(doc[:span[0]]) or _QUOTED_EFFECTIVE_DATE.search(doc[span[1]:]):
        return "unclear"
    return "agreement"


def counts_from_amended_agreement(ctx: Context, text: str, anchor: tuple[date | PartialDate, str] | None,
                                  stated_start: bool) -> bool:
    """Whether a term clause of an amendment counts from the amended agreement's start, not the
    amendment's: it counts from "the Effective Date" (a capitalised term of the Agreement) or names
    no start, and the start found for it is the effective date read in the amendment (its own
    date). A start the clause states as a date, or the amendment's own date by name, is not."""
    return ctx.amendment and not stated_start and anchor is not None and anchor[1] == "effective_date" \
        and not _NAMES_AMENDMENT_DATE.search(text)


def _as_start(term: Term, label: str) -> tuple[date | PartialDate, str] | None:
    """(the date, its name) to count a term from; a date left with blanks is a ``PartialDate``."""
    value = full_date(term)
    if value is not None:
        return value, label
    partial = PartialDate.fromisoformat(term.value)
    return None if partial is None else (partial, label)


def term_end_from(start: date | PartialDate, duration: Duration, convention: TermEndConvention,
                  label: str) -> tuple[str, str] | None:
    """(the end of a term of ``duration`` from ``start``, its arithmetic). From a date left with
    blanks ("2015", "2013-07") only what is certain: the anniversary of a year is a year, of a month
    a month, for whole years or months; the day before an anniversary of an unknown day is not."""
    if isinstance(start, date):
        derived = dates.term_end(start, duration, convention, label)
        return derived.iso(), derived.derivation
    months = duration.years * 12 + duration.months
    if convention is not TermEndConvention.ANNIVERSARY or duration.weeks or duration.days \
            or duration.business_days or (start.month is None and months % 12):
        return None
    if start.month is None:
        end = PartialDate(start.year + months // 12)
    else:
        index = start.year * 12 + start.month - 1 + months
        end = PartialDate(index // 12, index % 12 + 1)
    return end.isoformat(), f"{label} {start.isoformat()} + {duration.iso()} (the day was left blank)"


def named_start(ctx: Context, text: str, clause: str = "") -> tuple[date | PartialDate, str] | None:
    """The start date a term clause counts from (effective or agreement date), when known.
    ``clause`` is the whole sentence: a start it defines as the date of the agreement
    ('commencing on the date first set forth above (the "Commencement Date")') is that date."""
    effective, agreement = ctx.terms.get("effective_date"), ctx.terms.get("agreement_date")
    if NAMES_EFFECTIVE_DATE.search(text):
        if effective is not None:
            return _as_start(effective, "effective_date")
        if agreement is not None and clause and re.search(
                rf"(?:commenc\w*|begin\w*|start\w*|effective)\s+(?:on|as\s+of|from)\s+"
                rf"(?:{DATE_FIRST_WRITTEN_ABOVE})\s*"
                rf"\(\s*(?:the\s+)?\"?\s*{EFFECTIVE_DATE_NAME}", clause, F):
            return _as_start(agreement, "agreement_date")
        if agreement is not None and not EFFECTIVE_DATE_DEFINED.search(ctx.doc.text):
            # an Effective Date the document never defines is the date of the agreement
            return _as_start(agreement, "agreement_date")
        return None
    if _NAMES_DOCUMENT_DATE.search(text) and agreement is not None:
        return _as_start(agreement, "agreement_date")
    return None


def default_start(ctx: Context) -> tuple[date | PartialDate, str] | None:
    """What a term that names no start counts from: the effective date, else the agreement date
    when the document defines no Effective Date."""
    effective, agreement = ctx.terms.get("effective_date"), ctx.terms.get("agreement_date")
    if effective is not None:
        return _as_start(effective, "effective_date")
    if agreement is not None and not EFFECTIVE_DATE_DEFINED.search(ctx.doc.text):
        return _as_start(agreement, "agreement_date")
    return None


def anniversary_start(ctx: Context, phrase: str, start_date: FoundDate | None,
                      clause: str = "") -> tuple[date | PartialDate, str] | None:
    """What "the fifth anniversary of ``phrase``" counts from: the term start the clause states
    ("thereof"), a date in the phrase, the agreement's start, or a start the phrase names."""
    if COUNTS_FROM_ELSEWHERE.search(phrase):
        return None
    refers_back = re.search(r"\b(?:that\s+date|such\s+date|thereof)\b", phrase, F) or phrase.strip() == ""
    if start_date is not None and refers_back:
        return start_date.value, "term start"
    found = find_dates(phrase, date_order=ctx.options.date_order)
    if found:
        return found[0].value, "start date"
    if re.match(r"\s*(?:this|the)\s+(?:Agreement|Contract)\s*(?:$|[;:)]|and\b|or\b)", phrase, F):
        return default_start(ctx)  # "the fifth anniversary of this Agreement": of its start
    return named_start(ctx, phrase, clause)
