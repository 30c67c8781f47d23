"""The initial term and the expiration date, read from the sentences that state the term: an end
date the clause states, the end of the calendar year, an anniversary, or a duration from a known
start; else a labelled end date (``labelled_expiration``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..dates import Duration, TermEndConvention
from .context import NOTICE_FOLLOWS, Context, F, evidence_text, iso
from .datetext import FoundDate, PartialDate
from .document import Document, Span
from .labelled_expiration import read_labelled_expiration
from .numbers import DURATION_RE, duration_of, ordinal_to_int, words_to_int, years_of
from .term_clauses import term_sentences
from .term_start import (
    AMENDED_AGREEMENT_ANNIVERSARY,
    AMENDED_AGREEMENT_START,
    AMENDED_AGREEMENT_YEAR_END,
    COUNTS_FROM_ELSEWHERE,
    NAMES_EFFECTIVE_DATE,
    anniversary_start,
    counts_from_amended_agreement,
    default_start,
    effective_date_meant,
    named_start,
    term_end_from,
)

# the words before a date that make it the term's end: "expire on", "until", "ending", "terminate on the"
_END_DATE_CUE = re.compile(
    r"(?:expir\w*|terminat\w*|\bend\b|\bends\b|ending|until|conclud\w*|end\s+date\s+(?:is|shall\s+be)|"
    r"last\s+day\s+of\s+the\s+term\s+(?:is|shall\s+be)|"
    r"until\s+the\s+(?:earlier|earliest|first)\s+(?:of|to\s+occur)\s*(?:of\s*)?:?\s*(?:\(?(?:a|i|1)\)\s*)?|"
    r"(?:but\s+)?in\s+no\s+event\s+later\s+than)"
    r"\s*(?::\s*)?(?:on\s+)?(?:[^.,;]{0,40}?\bon\s+)?(?:the\s+)?(?:close\s+of\s+business\s+on\s+)?$", F)
# ... "extended to", "renewed until"
_EXTENDED_TO = re.compile(r"\b(?:extended|renewed)\s+(?:to|until|through)\s+(?:and\s+including\s+)?(?:the\s+)?$", F)
# ... the second date of a range: "from June 1, 2020 through May 31, 2023", "June 1, 2020 - May 31, 2023"
_RANGE_END_CUE = re.compile(r"(?:through|thru|including|\bto|until|-)\s*(?:and\s+including\s+)?(?:the\s+)?$", F)
# "shall continue in effect through December 31, 2021", "the Effective Date through June 15, 2001"
_THROUGH_END_CUE = re.compile(
    r"(?:continu\w*|remain\w*|effective|in\s+effect|in\s+force|Effective\s+Date)\s+(?:in\s+(?:full\s+)?(?:force|"
    r"effect)\s+"
    r"(?:and\s+effect\s+)?)?(?:through|thru|up\s+to\s+and\s+including|to\s+and\s+including|"
    r"until)\s+(?:and\s+including\s+)?$", F)
# the words before a date that make it the term's start: "commencing on", "effective as of", "from"
_START_DATE_CUE = re.compile(
    r"(?:commenc\w*|begin\w*|beginning|start\w*|effective|from|as\s+of|dated)\s+(?:on\s+|as\s+of\s+|upon\s+)?"
    r"(?:the\s+)?$", F)
# a duration that is a renewal period: "successive one (1) year", "additional two-year"
_RENEWAL_WORD_JUST_BEFORE = re.compile(
    r"(?:successive|additional|renewal|further|consecutive|subsequent|another|extension|extended|"
    r"renew\w*)\s+(?:[\w()-]+\s+){0,3}$", F)
# a duration that is the term: "for a period of", "the term of this Agreement shall be", "until"
_TERM_DURATION_BEFORE = re.compile(
    r"(?:\bfor\s+(?:an?\s+|the\s+)?(?:entire\s+|full\s+)?(?:initial\s+|fixed\s+|original\s+)?(?:(?:term|"
    r"period)\s+of\s+)?|"
    r"(?:term|period|duration)\s+(?:of\s+(?:(?:this|the)\s+(?:[\w-]+\s+){0,5}?(?:Agreement|Contract)\s+)?"
    r"(?:shall\s+be|is|will\s+be)\s+|"
    r"shall\s+be\s+|"
    r"is\s+|will\s+be\s+|of\s+)(?:an?\s+|the\s+)?(?:initial\s+)?(?:period\s+of\s+)?|"
    r"\bend\s+|\bexpires?\s+(?:in\s+)?|\bterminate\s+|\buntil\s+|\bcontinu\w*\s+(?:in\s+(?:full\s+)?(?:force|"
    r"effect)\s+)?(?:and\s+effect\s+)?)$", F)
# ... or followed by "term", "period", "from", "after", "commencing"
_TERM_DURATION_AFTER = re.compile(
    r"^\s*(?:\(\s*\d+\s*\)\s*)?(?:initial\s+)?(?:term|period|from|after|following|thereafter|commencing|"
    r"beginning|starting|subsequent\s+to)\b", F)
# "the fifth anniversary of", "the 3rd anniversary thereof", "the two year anniversary of"
_NTH_ANNIVERSARY = re.compile(
    r"\b(?:the\s+)?(?P<ord>\d+\s*(?:st|nd|rd|th|s\s?t|n\s?d|r\s?d|t\s?h)|first|second|third|fourth|fifth|sixth|"
    r"seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth|fifteenth|twentieth|twenty-?fifth)\s*(?:\(\s*\d+\s*(?:st|nd|rd|th|t\s?h)?\s*\)\s*)?"
    r"anniversary\s+(?:of\s+|(?P<thereof>thereof))(?P<anchor>[^.;,]{0,60})|\b(?:the\s+)?(?P<yword>one|two|three|"
    r"four|five|six|seven|"
    r"eight|nine|ten|\d+)\s*(?:\(\s*\d+\s*\)\s*)?[\s-]*year\s+anniversary\s+(?:of\s+|"
    r"thereof)(?P<anchor2>[^.;,]{0,60})", F)
# "until the later of ... and ...": the end depends on an event; abstain
_LATER_OF = re.compile(r"\blater\s+(?:of|to\s+occur)\b|\blast\s+to\s+occur\b|"
                       r"\bwhichever\b(?!\s+(?:is\s+|shall\s+|first\s+)?(?:occurs?\s+)?"
                       r"(?:earlier|earliest|sooner|first))", F)
# "until the earlier of (a) the fifth anniversary ... and (b) ...": the stated date is the latest end
_EARLIER_OF = re.compile(r"\b(?:earlier|earliest|sooner)\s+(?:of|to\s+occur)\b|\bfirst\s+to\s+occur\b|"
                         r"\bin\s+no\s+event\s+later\s+than\b|"
                         r"\bwhichever\s+(?:is\s+|shall\s+|first\s+)?(?:occurs?\s+)?"
                         r"(?:earlier|earliest|sooner|first)", F)
_EARLIER_NOTE = " (unless an earlier event the clause lists ends it first)"


# a date that ends a contract, calendar or fiscal year, not the term: "the Contract Year ending October 31"
_A_YEAR_ENDING = re.compile(r"\b(?:Contract|Calendar|Fiscal|Lease|Agreement)\s+(?:Year|Quarter|Month)\s+(?:ending|"
                            r"ended)\s+(?:on\s+)?$", F)
# "shall remain in effect until the end of the current calendar year" (the year the term starts in),
# "until December 31 of the calendar year in which the Effective Date falls", "through the end of the
# calendar year of the Effective Date" (the year of the date it names)
_UNTIL_END_OF_CALENDAR_YEAR = re.compile(
    r"\b(?:until|through|(?:expir|terminat)\w*\s+(?:on|at))\s+(?:the\s+)?"
    r"(?:end\s+of|last\s+day\s+of|December\s+31(?:st)?\s*,?\s*of|31st\s+day\s+of\s+December\s*,?\s*of)\s+the\s+"
    r"(?:(?:current|then[\s-]current|same)\s+calendar\s+year\b|"
    r"(?:calendar\s+)?year\s+(?:of|in\s+which|during\s+which|that\s+includes|containing)\s+(?P<named>[^.;,]{1,60}))", F)
# the date a year is named by ends before these words: "the year in which the Effective Date falls"
_NAMED_DATE_END = re.compile(r"\s+(?:falls|occurs|is|shall|will|and|or|unless|provided)\b.*$", F | re.DOTALL)
# "shall expire on the Expiration Date": an end date defined elsewhere (a cover sheet, a definition)
_ENDS_ON_DEFINED_DATE = re.compile(
    r"(?:expir|terminat|end)\w*\s+(?:on|upon)\s+the\s+(?:Expiration|Expiry|Termination|End)\s+Date\b", F)
# an opening carve-out ("Except as set forth in Exhibit A hereof,"), which names no start
_OPENING_CARVE_OUT = re.compile(r"^\s*(?:[\d.()a-z]+\s+)?(?:Except|Subject\s+to)\b[^,;]{0,120},", F)
# right after the duration, what it counts from: "from the Effective Date", "commencing on the date hereof"
_COUNTED_FROM = re.compile(r"\s*(?:\(\s*\d+\s*\)\s*)?(?:(?:initial\s+)?(?:term|period)\s+)?,?\s*(?:from|after|"
                           r"following|"
                           r"of|subsequent\s+to|commencing\s+(?:on|from|upon|with)?|beginning\s+(?:on|from|upon|"
                           r"with)?)\s+"
                           r"(?P<what>[^.;,]{0,80})", F)


# an amendment that lengthens the term by a period: "The Initial Term is hereby extended by twelve
# (12) months", "the Term is extended for an additional period of one (1) year"
TERM_EXTENSION = "term_extension"
_EXTENDED_BY = re.compile(
    r"\b(?:Initial\s+Term|Term|term\s+of\s+(?:this|the)\s+Agreement)\s+(?:is|shall\s+be|will\s+be)\s+(?:hereby\s+)?"
    r"extended\s+(?:by\s+(?:an?\s+(?:additional|further)\s+)?|for\s+an?\s+(?:additional|further)\s+)"
    r"(?:period\s+of\s+)?$", F)


def read_extension(ctx: Context) -> None:
    """An amendment's extension of the term by a period ("extended by twelve (12) months"), when it
    states no end date: the period (``TERM_EXTENSION``, a duration), counted from the expiration
    in force when the amendment is applied (pipeline/record.py), never from a date of its own."""
    if not ctx.amendment or ctx.terms.get("expiration_date") is not None:
        return
    text = ctx.doc.text
    for m in DURATION_RE.finditer(text):
        if not _EXTENDED_BY.search(text[max(0, m.start() - 90):m.start()]):
            continue
        duration = duration_of(m)
        if duration is None or duration.business_days:
            return  # no period, or one of business days: not a term's length
        ctx.terms[TERM_EXTENSION] = ctx.term(duration.iso(), ctx.doc.sentence(m.start()),
                                             derivation=f"the term extended by {duration.iso()}")
        return


def read_term(ctx: Context) -> None:
    """Initial term and expiration: explicit dates ("commence on ... and expire on ..."),
    a duration from a known start ("five (5) years from the Effective Date"), or an anniversary
    ("until the third anniversary of the Effective Date"); else a labelled date on a cover sheet
    ("Expiration Date: August 31, 2006", "TERM: November 1, 2014 to October 31, 2017").
    Abstains from the expiration when the term runs from an event (launch, first sale) or to
    the later/earlier of several."""
    _read_term_sentences(ctx)
    if ctx.terms.get("expiration_date") is None and not _LATER_OF.search(
            evidence_text(ctx.terms.get("initial_term"))):
        # the term clause gave no end date (a duration from an unknown start): a labelled end date may
        read_labelled_expiration(ctx)
    read_extension(ctx)


def _read_term_sentences(ctx: Context) -> None:
    """The first term sentence that states the term wins, except that one giving the end date in
    words ("shall expire on July 22, 2016") beats one whose end is only computed from a duration
    ("an Initial Term of three (3) years"): the date the parties wrote is the evidence. (Not the
    end of a renewal or extension period: "renew for one additional period ending December 31".)"""
    readings = []  # (sentence, what it says), up to the first that states the end
    for span in term_sentences(ctx):
        saved = dict(ctx.terms)
        handled = _read_term_sentence(ctx, span)
        reading = {k: v for k, v in ctx.terms.items() if saved.get(k) is not v}
        ctx.terms.clear()
        ctx.terms.update(saved)
        if handled:
            readings.append((ctx.doc.text[span.start:span.end], reading))
            if _states_the_end(reading):
                break
    if not readings:
        return
    first_text, chosen = readings[0]
    later = [r for text, r in readings[1:] if r.get("expiration_date") is not None and not _RENEWING.search(text)]
    stated = [r for r in later if _states_the_end(r)]
    if not _states_the_end(chosen) and stated:
        chosen = stated[0]
    elif chosen.get("expiration_date") is None and _RENEWING.search(first_text) and later:
        # "After the initial period of two years, the contract shall be renewed ...": the renewal
        # clause gives no end; the clause that does ("It shall have a duration of two years") wins
        chosen = later[0]
    ctx.terms.update(chosen)


_RENEWING = re.compile(r"\brenew\w*|\bextend\w*|\bextension|\badditional\b", F)


def _states_the_end(reading: dict) -> bool:
    end = reading.get("expiration_date")
    return end is not None and (end.derivation or "").startswith("stated in the clause")


def _with_its_list(doc: Document, span: Span) -> Span:
    """A sentence that ends in a colon ("until the earlier of the below events occur:") with the
    list that completes it ("(a) the fifth anniversary ...; and (b) ..."), up to the next clause."""
    if not doc.text[span.start:span.end].rstrip().endswith(":"):
        return span
    rest = doc.text[span.end:span.end + 800]
    if not re.match(r"\s*\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)", rest):
        return span
    stop = re.search(r"\n\s*(?:\d+(?:\.\d+)+\.?|\d+\.|ARTICLE|Section)\s", rest)
    end = span.end + (stop.start() if stop else len(rest))
    return Span(span.start, end)


@dataclass(frozen=True)
class _TermSentence:
    """A term sentence (with the list that completes it) and the dates it says the term starts and
    ends on."""
    span: Span
    text: str
    start_date: FoundDate | None
    end_date: FoundDate | None


def _term_sentence(ctx: Context, span: Span) -> _TermSentence:
    doc = ctx.doc
    span = _with_its_list(doc, span)
    start_date: FoundDate | None = None
    end_date: FoundDate | None = None
    for f in ctx.dates_in(span.start, span.end):
        before = doc.text[max(span.start, f.start - 80):f.start]
        if _A_YEAR_ENDING.search(before):
            continue  # "the Contract Year ending October 31, 1999" ends a year, not the term
        ends = (_END_DATE_CUE.search(before) or _THROUGH_END_CUE.search(before) or _EXTENDED_TO.search(before)
                or (start_date is not None and _RANGE_END_CUE.search(before)))
        if end_date is None and ends \
                and (start_date is not None or not _START_DATE_CUE.search(before)):
            end_date = f
        elif start_date is None and _START_DATE_CUE.search(before):
            start_date = f
    return _TermSentence(span, doc.text[span.start:span.end], start_date, end_date)


def _read_term_sentence(ctx: Context, span: Span) -> bool:
    """Read one term sentence into ``ctx.terms``; whether it states the term. The first of these
    wordings the sentence has decides (a step returns None when its wording is not there): an end
    date it states, the end of the calendar year, an anniversary, a duration."""
    sentence = _term_sentence(ctx, span)
    for step in (_read_stated_end, _read_calendar_year_end, _read_anniversary):
        states_the_term = step(ctx, sentence)
        if states_the_term is not None:
            return states_the_term
    return _read_duration(ctx, sentence)


def _read_stated_end(ctx: Context, sentence: _TermSentence) -> bool | None:
    """"shall commence on June 1, 2020 and expire on May 31, 2023": the end date as written (and
    the start, when no effective date is known). Not a range that ends before it starts, nor an
    end that is only the later of several."""
    if sentence.end_date is None:
        return None
    start_date, end_date, text = sentence.start_date, sentence.end_date, sentence.text
    if start_date is not None and end_date.value <= start_date.value:
        return False
    if _LATER_OF.search(text):
        return False
    note = _EARLIER_NOTE if _EARLIER_OF.search(text) else ""
    ctx.terms["expiration_date"] = ctx.term(iso(end_date.value), sentence.span,
                                            derivation="stated in the clause" + note)
    if start_date is not None and ctx.terms.get("effective_date") is None:
        ctx.terms["effective_date"] = ctx.term(iso(start_date.value), sentence.span)
    return True


def _read_calendar_year_end(ctx: Context, sentence: _TermSentence) -> bool | None:
    """"shall remain in effect until the end of the current calendar year": December 31 of the
    start's year; "until December 31 of the calendar year in which the Effective Date falls": of the
    named date's year. In an amendment, the Agreement's Effective Date is counted from when the
    amendment is applied (``_amended_year_end``)."""
    text = sentence.text
    m = _UNTIL_END_OF_CALENDAR_YEAR.search(text)
    if not m or _LATER_OF.search(text) or _EARLIER_OF.search(text):
        return None
    named = None if m.group("named") is None else _NAMED_DATE_END.sub("", m.group("named"))
    if ctx.amendment and (named is not None or sentence.start_date is None):
        amended = _amended_year_end(ctx, sentence, named)
        if amended is not None:
            return amended
    if named is not None:
        anchor = None if COUNTS_FROM_ELSEWHERE.search(named) else named_start(ctx, named, text)
    else:
        anchor = (sentence.start_date.value, "term start") if sentence.start_date is not None else default_start(ctx)
    if anchor is None:
        return None if named is None else False
    end = date(anchor[0].year, 12, 31)
    ctx.terms["expiration_date"] = ctx.term(
        iso(end), sentence.span, derivation=f"the end of the calendar year of {anchor[1]} {iso(anchor[0])}")
    return True


def _amended_year_end(ctx: Context, sentence: _TermSentence, named: str | None) -> bool | None:
    """An amendment's term to the end of a calendar year (of a date it names, or of a start it does
    not state as a date): of the
    Agreement's Effective Date ("the calendar year in which the Effective Date falls", or "the
    then-current calendar year" of a term that "shall commence on the Effective Date") it is marked
    (``AMENDED_AGREEMENT_YEAR_END``) and counted when applied; nothing (False) when it is unclear
    which Effective Date is meant, or which year "the current calendar year" is (the amendment's or
    the Agreement's); None when it counts from the amendment's own date (read as any term)."""
    text, span = sentence.text, sentence.span
    names_effective_date = bool(NAMES_EFFECTIVE_DATE.search(named if named is not None else text))
    if named is not None and not names_effective_date:
        return None  # "the year in which the First Commercial Sale occurs": not a date of the agreement
    meant = effective_date_meant(ctx, text, (span.start, span.end))
    if meant == "amendment":
        return None
    if meant == "unclear" or not names_effective_date:
        return False
    ctx.terms[AMENDED_AGREEMENT_YEAR_END] = ctx.term(
        True, span, derivation=AMENDED_AGREEMENT_START + "; ends on December 31 of its calendar year")
    return True


def _read_anniversary(ctx: Context, sentence: _TermSentence) -> bool | None:
    """"until the fifth anniversary of the Effective Date": a term of whole years, ending on the
    anniversary itself when what it counts from is known."""
    text, span = sentence.text, sentence.span
    m = _NTH_ANNIVERSARY.search(text)
    if not m:
        return None
    years = (ordinal_to_int(re.sub(r"\s+", "", m.group("ord"))) if m.group("ord")
             else words_to_int(m.group("yword")) if not m.group("yword").isdigit() else int(m.group("yword")))
    initial = years_of(years)
    if initial is None:
        return None
    ctx.terms["initial_term"] = ctx.term(initial.iso(), span)
    if _LATER_OF.search(text):
        return True
    phrase = m.group("anchor") if m.group("ord") else m.group("anchor2")
    if m.group("thereof") or not phrase.strip():
        phrase = text[:m.start()]  # "the tenth anniversary thereof": of the start named before
    anchor = anniversary_start(ctx, phrase, sentence.start_date, text)
    if counts_from_amended_agreement(ctx, text, anchor, sentence.start_date is not None):
        # "the fifth anniversary of the Effective Date" in an amendment: the Agreement's, counted when applied
        ctx.terms["initial_term"] = ctx.term(initial.iso(), span,
                                             derivation=AMENDED_AGREEMENT_START + AMENDED_AGREEMENT_ANNIVERSARY)
        return True
    end = None if anchor is None else term_end_from(anchor[0], initial, TermEndConvention.ANNIVERSARY, anchor[1])
    if end is not None:
        note = _EARLIER_NOTE if _EARLIER_OF.search(text) else ""
        ctx.terms["expiration_date"] = ctx.term(
            end[0], span, derivation=end[1] + " (the anniversary itself)" + note)
    return True


def read_term_clause(ctx: Context, span: Span) -> bool:
    """Read one clause as a term sentence (the clause finder's choice, extract/finder.py): sets
    initial_term / expiration_date as read_term would from it."""
    return _read_term_sentence(ctx, span)


def _read_duration(ctx: Context, sentence: _TermSentence) -> bool:
    """"The term of this Agreement shall be three (3) years from the Effective Date": the initial
    term, and its end when what it counts from is known. A sentence with no duration may still
    name a defined period or end date ("for the Service Period", "expire on the Expiration Date")."""
    duration = _term_duration(ctx, sentence.span)
    if duration is None:
        return _read_defined_end(ctx, sentence)
    dur, _, dend = duration
    ctx.terms["initial_term"] = ctx.term(dur.iso(), sentence.span)
    anchor = _duration_start(ctx, sentence, dend)
    if counts_from_amended_agreement(ctx, sentence.text, anchor, sentence.start_date is not None):
        # "the Effective Date" of restated agreement text: the contract's, counted when applied
        anniversary = ctx.options.term_end_convention is TermEndConvention.ANNIVERSARY
        ctx.terms["initial_term"] = ctx.term(
            dur.iso(), sentence.span,
            derivation=AMENDED_AGREEMENT_START + (AMENDED_AGREEMENT_ANNIVERSARY if anniversary else ""))
        return True
    end = None if anchor is None else term_end_from(anchor[0], dur, ctx.options.term_end_convention, anchor[1])
    if end is not None:
        ctx.terms["expiration_date"] = ctx.term(end[0], sentence.span, derivation=end[1])
    return True


def _read_defined_end(ctx: Context, sentence: _TermSentence) -> bool:
    """A term "for the Service Period" that a definition dates, or one that "shall expire on the
    Expiration Date" (the defined date: a cover sheet or a definition)."""
    if _read_defined_period(ctx, sentence.span):
        return True
    if _ENDS_ON_DEFINED_DATE.search(sentence.text):
        read_labelled_expiration(ctx)
        return True
    return False


def _duration_start(ctx: Context, sentence: _TermSentence, duration_end: int) -> tuple[date | PartialDate, str] | None:
    """What a term of a duration counts from, when known: the start date the sentence states, a
    start named right after the duration or before it, else the agreement's start. None when it
    counts from an event or the later/earlier of several."""
    doc, text, span = ctx.doc, sentence.text, sentence.span
    # what the term counts from is said before the duration or right after it; what follows
    # (renewal, notice) is about something else
    lead = _OPENING_CARVE_OUT.sub(" ", doc.text[span.start:duration_end])
    if _LATER_OF.search(text) or _EARLIER_OF.search(text) or COUNTS_FROM_ELSEWHERE.search(lead):
        return None
    if sentence.start_date is not None:
        effective = ctx.terms.get("effective_date")
        same = effective is not None and effective.value == iso(sentence.start_date.value)
        return sentence.start_date.value, "effective_date" if same else "term start"
    counted_from = _COUNTED_FROM.match(doc.text[duration_end:min(span.end, duration_end + 120)])
    if counted_from:
        # "five (5) years from the Effective Date": only a start we know
        return named_start(ctx, counted_from.group("what"), text)
    anchor = named_start(ctx, lead, text)
    if anchor is None and not re.search(r"\b(?:from|after|following|commenc\w*|begin\w*|upon)\b", lead, F):
        # "The term of this Agreement shall be three (3) years." counts from the start
        anchor = default_start(ctx)
    return anchor


_FOR_DEFINED_PERIOD = re.compile(
    r"\b(?:for|during|throughout)\s+the\s+(?P<name>(?:[A-Z][\w-]*\s+){1,2}(?:Period|Term))\b")


def _read_defined_period(ctx: Context, span: Span) -> bool:
    """"shall continue in effect for the Service Period" where '"Service Period" means April 1,
    2019 through March 30, 2020': the term ends where the definition says."""
    doc = ctx.doc
    m = _FOR_DEFINED_PERIOD.search(doc.text, span.start, span.end)
    if not m or re.match(r"(?:Initial|Renewal|Extension)\s", m.group("name")):
        return False
    name = re.sub(r"\s+", r"\\s+", re.escape(m.group("name").strip()).replace("\\ ", " "))
    definition = re.search(rf"\"\s*{name}\s*\"\s*(?:shall\s+)?means?\s+", doc.text)
    if not definition:
        return False
    found = ctx.dates_in(definition.end(), min(len(doc.text), definition.end() + 160))
    if len(found) < 2 or not re.fullmatch(r"\s*(?:-|to|until|through|thru)(?:\s+to)?\s*",
                                          doc.text[found[0].end:found[1].start], F) \
            or found[1].value <= found[0].value:
        return False
    evidence = doc.sentence(definition.start(), found[1].end, max_len=300)
    ctx.terms["expiration_date"] = ctx.term(
        iso(found[1].value), (evidence.start, max(evidence.end, found[1].end)),
        derivation=f"stated in the clause defining the {m.group('name').strip()}")
    if ctx.terms.get("effective_date") is None:
        ctx.terms["effective_date"] = ctx.term(iso(found[0].value),
                                               (evidence.start, max(evidence.end, found[1].end)))
    return True


def _term_duration(ctx: Context, span: Span) -> tuple[Duration, int, int] | None:
    """The duration a term sentence gives the initial term (not a notice or renewal period)."""
    text = ctx.doc.text
    for m in DURATION_RE.finditer(text, span.start, span.end):
        before = text[max(span.start, m.start() - 80):m.start()]
        after = text[m.end():min(span.end, m.end() + 60)]
        if NOTICE_FOLLOWS.search(after) or _RENEWAL_WORD_JUST_BEFORE.search(before):
            continue
        if ctx.doc.in_furniture(m.start()):
            continue  # a number in a page footer ("Source: ..., 1/20/2009") running into "months" on the
            # next page
        if re.search(r"\bwithin\b[^.;]{0,20}$|\bafter\s*$|\bprior\s*$|\bleast\s*$|\bthan\s*$|\bsuch\s*$|"
                     r"\b(?:expiration|expiry|end)\s+of\s*$", before, F):
            continue
        if not (_TERM_DURATION_BEFORE.search(before) or _TERM_DURATION_AFTER.search(after)):
            continue
        d = duration_of(m)
        if d is None or d.business_days or (d.days and d.days < 28):
            continue
        return d, m.start(), m.end()
    return None
