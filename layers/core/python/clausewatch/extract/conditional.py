"""Terms that run from an event: "for five (5) years from the Launch Date", "commencing on the first
commercial sale and continuing for three years", "until the fifth anniversary of the date of first
delivery". Their end is not known until the event happens, so no expiration is computed: the term is
recorded as conditional, naming the event, the duration, and the clause, and waits for a person
to enter the event's date (pipeline/events.py computes the expiration then).

``read_event_term`` reads one sentence (pure, table-tested); ``read_conditional_terms`` is the
reader: it looks at the sentences that state the agreement's term, only when no expiration was
read from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..dates import Duration, TermEndConvention
from . import later_of
from .context import NOTICE_FOLLOWS, Context, F, full_date
from .effective_date import EFFECTIVE_DATE_NAME
from .numbers import DURATION_RE, duration_of, ordinal_to_int, words_to_int, years_of
from .term_clauses import term_sentences

TERM_NAME = "conditional_terms"  # the term that lists them (a list of ``EventTerm.to_value()``)
SETS = "expiration_date"  # what the event's date decides

# the words that start what a term counts from
_COUNTS_FROM = r"(?:from|after|following|commencing\s+(?:on|upon|with|from)?|beginning\s+(?:on|upon|with|from)?|" \
               r"starting\s+(?:on|upon|with|from)?)"
# an event: where the phrase stops (punctuation, the next verb of the sentence)
_EVENT = r"(?P<event>(?:the\s+)?[A-Za-z][^.,;:()\"]{2,80}?)"
_EVENT_END = (r"(?=\s*(?:[.,;:(\"]|$|\band\s+(?:shall|will|may|continu|remain|thereafter|expir|terminat|end|"
              r"automatic|renew)|\b(?:unless|subject|thereafter|until|after\s+which|for\s+(?:a|an|the)\s+|"
              r"shall|will)\b))")
# "five (5) years from the Launch Date", "a period of three years following the first commercial sale"
_DURATION_FROM_EVENT = re.compile(
    rf"(?P<duration>{DURATION_RE.pattern})\s*(?:\(\s*\d+\s*\)\s*)?(?:(?:initial\s+)?(?:term|period)\s+)?,?\s*"
    rf"{_COUNTS_FROM}\s+{_EVENT}{_EVENT_END}", F)
# "commence on the date of first delivery and continue for three (3) years"
_STARTS_ON_EVENT = re.compile(rf"\b(?:commenc|begin|start)\w*\s+(?:on|upon|with|as\s+of)\s+{_EVENT}{_EVENT_END}", F)
# "until the fifth anniversary of the Launch Date"
_ANNIVERSARY_OF_EVENT = re.compile(
    r"\banniversary\s+of\s+" + _EVENT + _EVENT_END, F)
_ANNIVERSARY_ORDINAL = re.compile(
    r"\b(?P<ord>\d+\s*(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|fifteenth|twentieth)\s*(?:\(\s*\d+\s*(?:st|nd|rd|th)?\s*\)\s*)?$|"
    r"\b(?P<years>one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s*(?:\(\s*\d+\s*\)\s*)?[\s-]*year\s+$", F)
# what makes a phrase an event rather than one of the agreement's own dates
_EVENT_WORDS = re.compile(
    r"(?i:\b(?:launch\w*|commercial\w*|sale|sales|deliver\w*|acceptance|accepted|installation|installed|go-live|"
    r"completion|completed|approval|approved|opening|closing|shipment|shipped|first\s+(?:order|purchase|use)|"
    r"in-service|operation\w*|production|availability|registration|clearance|issuance|achievement|"
    r"milestone)\b)|\b(?:[A-Z][\w-]*\s+){1,3}Date\b")  # a defined "... Date" is capitalised
# ... and what makes it not one: the agreement's dates, several events, notice or the end of something
_NOT_AN_EVENT = re.compile(
    rf"\b{EFFECTIVE_DATE_NAME}\b|\bdate\s+(?:hereof|of\s+(?:this|the)\s+(?:Agreement|Contract)|first\s+"
    r"(?:above\s+)?written|of\s+execution|of\s+signature)|\bExecution\s+Date\b|\bSignature\s+Date\b|"
    r"\b(?:later|earlier|earliest|latest|last|first)\s+(?:of|to\s+occur)\b|\bwhichever\b|\bnotice\b|"
    r"\breceipt\b|\binvoice\b|\b(?:termination|expiration|expiry|end)\b|\b(?:this|the)\s+Agreement\b|"
    r"\b\d{4}\b|\bRenewal\b", F)
# a duration that is a deadline to do something ("within sixty (60) days after the Launch Date")
_DEADLINE_BEFORE = re.compile(r"\b(?:within|no\s+later\s+than|not\s+later\s+than|at\s+least|not\s+less\s+than|"
                              r"prior\s+to|before)\s+(?:the\s+)?$", F)
# a duration that is a renewal or notice period, not the term
_RENEWAL_BEFORE = re.compile(r"(?:successive|additional|renewal|further|consecutive|subsequent|extension|"
                             r"renew\w*)\s+(?:[\w()-]+\s+){0,3}$", F)
# the event's own defined name right after it: '(the "First Sale Date")'
_DEFINED_AS = re.compile(r"^\s*\(\s*(?:the\s+|such\s+date\s+(?:being\s+)?(?:the\s+)?)?\"\s*(?P<name>[^\"]{2,40}?)\s*\"\s*\)",
                         F)


@dataclass(frozen=True)
class EventTerm:
    """A term of ``duration`` that runs from ``event``; ``start``/``end`` index the sentence read
    (the phrase "five (5) years from the Launch Date"). ``convention`` is the anniversary itself
    for "until the fifth anniversary of ...", else the extraction's."""

    event: str
    duration: Duration
    start: int
    end: int
    convention: TermEndConvention | None = None


def event_name(phrase: str) -> str:
    """The event as a person would name it: "the Launch Date" -> "Launch Date"."""
    return re.sub(r"^(?:the|such)\s+", "", " ".join(phrase.split()), flags=F).strip()


def same_event(a: str, b: str) -> bool:
    """Whether two ways of writing an event name it ("launch date" and "the Launch Date")."""
    return event_name(a).casefold() == event_name(b).casefold()


def _is_event(phrase: str) -> bool:
    return bool(_EVENT_WORDS.search(phrase)) and not _NOT_AN_EVENT.search(phrase)


def _named(sentence: str, m: re.Match) -> str:
    defined = _DEFINED_AS.match(sentence[m.end("event"):])
    # '(the "First Sale Date")' names the event; '(the "Term")' names the period, not the event
    return defined.group("name") if defined and _is_event(defined.group("name")) else event_name(m.group("event"))


def _term_duration_after(sentence: str, start: int) -> re.Match | None:
    """The first duration after ``start`` that is the term (not a notice or renewal period)."""
    for d in DURATION_RE.finditer(sentence, start):
        if NOTICE_FOLLOWS.search(sentence[d.end():d.end() + 40]) or _RENEWAL_BEFORE.search(sentence[start:d.start()]):
            continue
        if re.search(r"\b(?:for|of|continu\w*|remain\w*|be|last\w*|period\s+of)\s+(?:an?\s+|the\s+)?"
                     r"(?:(?:initial\s+)?(?:term|period)\s+of\s+)?$", sentence[max(start, d.start() - 40):d.start()], F):
            return d
    return None


def read_event_term(sentence: str) -> EventTerm | None:
    """The term a sentence says runs from an event, or None (it names no event, or one of the
    agreement's own dates, or the later/earlier of several things: those are not one event)."""
    if re.search(r"\b(?:later|earlier|earliest)\s+(?:of|to\s+occur)\b|\bwhichever\b", sentence, F):
        return None
    for m in _DURATION_FROM_EVENT.finditer(sentence):
        duration = duration_of(m)
        before = sentence[max(0, m.start() - 60):m.start()]
        if duration is None or NOTICE_FOLLOWS.search(sentence[m.end("duration"):m.end("duration") + 40]) \
                or _RENEWAL_BEFORE.search(before) or _DEADLINE_BEFORE.search(before):
            continue
        if _is_event(m.group("event")) and not duration.business_days and not 0 < duration.days < 28:
            return EventTerm(_named(sentence, m), duration, m.start(), m.end("event"))
    for m in _ANNIVERSARY_OF_EVENT.finditer(sentence):
        which = _ANNIVERSARY_ORDINAL.search(sentence[max(0, m.start() - 40):m.start()])
        if which is None or not _is_event(m.group("event")):
            continue
        years = ordinal_to_int(re.sub(r"\s+", "", which.group("ord"))) if which.group("ord") else \
            (int(which.group("years")) if which.group("years").isdigit() else words_to_int(which.group("years")))
        if (duration := years_of(years)) is not None:
            return EventTerm(_named(sentence, m), duration, max(0, m.start() - 40) + which.start(),
                             m.end("event"), TermEndConvention.ANNIVERSARY)
    for m in _STARTS_ON_EVENT.finditer(sentence):
        if not _is_event(m.group("event")):
            continue
        d = _term_duration_after(sentence, m.end("event"))
        duration = None if d is None else duration_of(d)
        if duration is not None and not duration.business_days:
            return EventTerm(_named(sentence, m), duration, m.start(), d.end() if d else m.end("event"))
    return None


def read_conditional_terms(ctx: Context) -> None:
    """Reader: when no expiration was read, the term sentences that run the term from an event
    become ``conditional_terms`` (one per event, the first sentence naming it)."""
    if ctx.terms.get("expiration_date") is not None:
        return
    found: list[dict[str, Any]] = []
    first = None
    known = {name: full_date(ctx.terms.get(name)) for name in ("effective_date", "agreement_date")}
    for span in term_sentences(ctx):
        sentence = ctx.doc.text[span.start:span.end]
        combined = later_of.read_later_of(sentence)
        if combined is not None:
            evidence = ctx.doc.evidence(span.start, span.end)
            item = combined_value(combined, sentence, evidence.page, evidence.start, evidence.end, known)
            if any(f.get("phrase") == item["phrase"] for f in found):
                continue
            end = later_of.combined_end(item, ctx.options.term_end_convention)
            if end is not None:
                # every event is one of the agreement's dates or stated: nothing to wait for
                ctx.terms["expiration_date"] = ctx.term(end.value, span, derivation=end.derivation)
                ctx.terms.pop(TERM_NAME, None)
                return
            first = first or span
            found.append(item)
            continue
        read = read_event_term(sentence)
        if read is None or any(same_event(read.event, f["event"]) for f in found):
            continue
        evidence = ctx.doc.evidence(span.start, span.end)
        first = first or span
        found.append(to_value(read, sentence, evidence.page, evidence.start, evidence.end))
    if found:
        assert first is not None
        ctx.terms[TERM_NAME] = ctx.term(found, first, derivation="runs from an event: no expiration is "
                                                                 "computed until a person enters the event's date")


def to_value(read: EventTerm, sentence: str, page: int, start: int, end: int) -> dict[str, Any]:
    """How a conditional term is stored (a list item of the ``conditional_terms`` value)."""
    return {"event": read.event, "duration": read.duration.iso(), "sets": SETS,
            "phrase": " ".join(sentence[read.start:read.end].split()),
            "convention": None if read.convention is None else read.convention.value,
            "page": page, "start": start, "end": end, "clause": sentence,
            "event_date": None, "entered_by": None}


def combined_value(read: later_of.LaterOfTerm, sentence: str, page: int, start: int, end: int,
                   known: dict[str, Any]) -> dict[str, Any]:
    """How a later/earlier-of term is stored: the single-event item's keys (``event`` names the whole
    rule, ``duration`` is the one counted from the chosen event or None, ``event_date`` stays None
    until every event is dated, then is the deciding event's date) plus ``rule`` and ``events``."""
    return {"event": later_of.describe(read), "duration": None if read.duration is None else read.duration.iso(),
            "sets": SETS, "phrase": " ".join(sentence[read.start:read.end].split()),
            "convention": None if read.convention is None else read.convention.value,
            "page": page, "start": start, "end": end, "clause": sentence,
            "event_date": None, "entered_by": None,
            "rule": read.rule, "events": later_of.events_value(read, known)}
