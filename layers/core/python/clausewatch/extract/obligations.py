"""Duties with a schedule: one-off deliverables with a due date, and recurring reports,
forecasts, payments and notices as an RFC 5545 RRULE plus an offset.

Recurrence convention (shared with ``clausewatch.dates.recurring_dues``, which turns it into due
dates): the RRULE marks the *period boundary* and ``offset`` is the time allowed after the period
that closes there (negative: before the boundary; "+P0D": on the boundary day).

* "within ten (10) business days after the end of each month" ->
  ``RRULE:FREQ=MONTHLY;BYMONTHDAY=1`` + ``+P10BD`` (the boundary is the start of the next month);
* "within thirty (30) days after the end of each calendar quarter" ->
  ``RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1`` + ``+P30D``;
* "within ninety (90) days after the end of each calendar year" ->
  ``RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1`` + ``+P90D``;
* "no later than the fifth day of each month" -> ``RRULE:FREQ=MONTHLY;BYMONTHDAY=5`` + ``+P0D``;
* "by the fifth business day of each month" ->
  ``RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=5`` + ``+P0D``;
* "at least thirty (30) days before the start of each calendar quarter" -> quarterly + ``-P30D``.

Only duties with a schedule are reported: a duty without a deadline cannot be reminded of.
The ``id`` is a short hash of kind, party and the normalised clause text, so it is stable across
re-runs on the same text (reminders are keyed by it).
"""

from __future__ import annotations

import hashlib
import re

from .. import dates
from .datetext import find_dates
from .document import Document, Span
from .model import ExtractOptions, Obligation, Party, Term
from .numbers import DURATION_RE, duration_of, ordinal_to_int

F = re.IGNORECASE

_PERIOD_RULES = {
    "month": "RRULE:FREQ=MONTHLY;BYMONTHDAY=1",
    "quarter": "RRULE:FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1",
    "half": "RRULE:FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=1",
    "year": "RRULE:FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1",
    "week": "RRULE:FREQ=WEEKLY;BYDAY=MO",
}
_PERIOD = (r"(?P<period>month|calendar\s+month|quarter|calendar\s+quarter|fiscal\s+quarter|year|calendar\s+year|week|"
           r"half[\s-]year|six[\s-]month\s+period)")
_DUTY = re.compile(r"\b(?:shall|will|must|agrees?\s+to|is\s+required\s+to|undertakes\s+to)\b", F)
_AFTER_PERIOD = re.compile(
    rf"(?:after|following|of|from)\s+(?:the\s+)?(?:end|close|expiration|last\s+day)\s+of\s+(?:each|every|"
    rf"the\s+(?:preceding|previous|prior)|the\s+applicable)\s+{_PERIOD}", F)
_BEFORE_PERIOD = re.compile(
    rf"(?:before|prior\s+to|in\s+advance\s+of|preceding)\s+(?:the\s+)?(?:start|beginning|commencement|"
    rf"first\s+day)\s+of\s+"
    rf"(?:each|every|the\s+(?:next|following|upcoming))\s+{_PERIOD}", F)
_DAY_OF_PERIOD = re.compile(
    r"(?:no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|by|before|on)\s+(?:the\s+)?(?P<day>\d{1,2}(?:st|nd|"
    r"rd|th)?|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|fifteenth|twentieth|"
    r"last)\s*(?:\(\s*\d+\s*(?:st|nd|rd|th)?\s*\)\s*)?"
    r"(?P<bd>business\s+|working\s+|calendar\s+)?day\s+of\s+(?:each|every|the\s+(?:following|next|"
    r"succeeding))\s+(?:calendar\s+)?"
    r"(?P<period>month|quarter)\b", F)
_WITHIN = re.compile(r"(?:within|no\s+later\s+than|not\s+later\s+than|no\s+more\s+than|not\s+more\s+than|"
                     r"at\s+least|not\s+less\s+than|no\s+less\s+than)\s*$", F)
_ONE_OFF_DATE = re.compile(r"(?:no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|\bby|\bbefore|prior\s+to|"
                           r"\bdue(?:\s+on)?)\s+(?:the\s+)?$", F)
_AFTER_EFFECTIVE = re.compile(
    r"^\s*(?:\(\s*\d+\s*\)\s*)?(?:after|following|of|from)\s+(?:the\s+)?(?P<anchor>Effective\s+Date|"
    r"date\s+of\s+this\s+Agreement|"
    r"date\s+hereof|Commencement\s+Date)", F)


def _kind(text: str) -> str:
    if re.search(r"\bforecast", text, F):
        return "forecast"
    if re.search(r"\breport|\bstatement|\bcertif|\baccounting\b", text, F):
        return "report"
    if re.search(r"\bpa(?:y|ys|id|yable|yment)\b|\bremit|\broyalt|\binvoice", text, F):
        return "payment"
    if re.search(r"\bdeliver|\bprovide|\bsubmit|\bfurnish|\bsend|\bcomplete", text, F):
        return "deliverable"
    if re.search(r"\bnotif|\bnotice", text, F):
        return "notice"
    return "other"


def _party(text: str, parties: list[Party]) -> str | None:
    """The party that owes the duty: the first defined role (or name) before "shall"."""
    duty = _DUTY.search(text)
    head = text[:duty.start()] if duty else text
    best: tuple[int, str] | None = None
    for p in parties:
        for label in (p.role, p.name):
            if not label:
                continue
            for m in re.finditer(rf"\b{re.escape(label)}\b", head):
                if best is None or m.start() > best[0]:
                    best = (m.start(), p.role or p.name)
    return best[1] if best else None


def obligation_id(kind: str, party: str | None, clause: str) -> str:
    norm = re.sub(r"\s+", " ", clause).strip().lower()
    return hashlib.sha256(f"{kind}|{party or ''}|{norm}".encode()).hexdigest()[:16]


def _period_key(period: str) -> str:
    p = period.lower()
    for key in ("month", "quarter", "year", "week"):
        if key in p and not p.startswith("six"):
            return key
    return "half"


def _summary(doc: Document, span: Span) -> str:
    flat = doc.flat(span)
    flat = re.sub(r"^(?:\(?[0-9a-z]{1,3}[.)]\s*)+(?:[0-9.]+\s*)?", "", flat)
    return clip_words(flat, 200)


def clip_words(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters, cut at a word boundary and marked "…" when cut (a
    summary never ends mid-word: "opened and r.")."""
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def read_obligations(doc: Document, parties: list[Party], terms: dict[str, Term | None],
                     options: ExtractOptions) -> list[Obligation]:
    out: list[Obligation] = []
    seen: set[str] = set()
    for span in doc.sentences():
        text = doc.text[span.start:span.end]
        if len(text) > 1200 or not _DUTY.search(text):
            continue
        schedule = _recurring(doc, span, text) or _one_off(doc, span, text, terms, options)
        if schedule is None:
            continue
        due, recurrence, offset, derivation = schedule
        kind = _kind(text)
        if kind == "other":
            continue  # a schedule without a deliverable, payment, report or notice is noise
        party = _party(text, parties)
        evidence = doc.evidence(span.start, span.end)
        oid = obligation_id(kind, party, evidence.text)
        if oid in seen:
            continue
        seen.add(oid)
        out.append(Obligation(id=oid, party=party, kind=kind, summary=_summary(doc, span), evidence=evidence,
                              due_date=due, recurrence=recurrence, offset=offset, derivation=derivation))
    out.extend(_listed_deliverables(doc, parties, options, out))
    return out


_DUE_CUE = re.compile(r"(?:\bdue\s+(?:no\s+later\s+than\s+|not\s+later\s+than\s+|on\s+or\s+before\s+|by\s+|on\s+)?|"
                      r"\bno\s+later\s+than\s+|\bnot\s+later\s+than\s+|\bon\s+or\s+before\s+|\bby\s+)(?:the\s+)?$", F)
_LEAD_IN = re.compile(r"\b(?:shall|will|must|agrees?\s+to)\s+(?:deliver|provide|submit|furnish|"
                      r"complete)\b[^.]{0,400}?:\s*"
                      r"(?=\(\s*(?:a|i|1)\s*\))", F)


def _listed_deliverables(doc: Document, parties: list[Party], options: ExtractOptions,
                         found: list[Obligation]) -> list[Obligation]:
    """Deliverables listed under a lead-in ("Consultant shall deliver each of the following
    Deliverables ...: (a) the Discovery Report, due no later than April 30, 2025; (b) ...")."""
    out: list[Obligation] = []
    known = {(o.due_date, o.party) for o in found if o.due_date}
    for lead in _LEAD_IN.finditer(doc.text):
        lead_span = doc.sentence(lead.start(), lead.start() + 1)
        lead_text = doc.text[lead_span.start:lead.end()]
        party = _party(lead_text, parties)
        list_end = min(len(doc.text), lead.end() + 3000)
        items = list(re.finditer(r"\(\s*(?:[a-z]|[ivx]+|\d{1,2})\s*\)\s", doc.text[lead.end():list_end]))
        for i, item in enumerate(items):
            start = lead.end() + item.start()
            if i + 1 < len(items):
                end = lead.end() + items[i + 1].start()
            else:
                end = lead.end() + min(item.end() + 400, list_end - lead.end())
            # the list ends at the next numbered clause
            stop = re.search(r"\n\s*\d+(?:\.\d+)+\s", doc.text[start:end])
            if stop:
                end = start + stop.start()
            for f in find_dates(doc.text, start, end, options.date_order):
                if not _DUE_CUE.search(doc.text[max(start, f.start - 40):f.start]):
                    continue
                due = f.value.isoformat()
                if (due, party) in known:
                    break
                known.add((due, party))
                evidence = doc.evidence(start, end)
                summary = re.sub(r"\s+", " ", evidence.text).strip().rstrip(";,. ")
                summary = re.sub(r"^\(\s*\w+\s*\)\s*", "", summary)
                summary = re.sub(r";?\s*(?:and|or)$", "", summary)
                out.append(Obligation(id=obligation_id("deliverable", party, evidence.text), party=party,
                                      kind="deliverable", summary=clip_words(summary, 200), evidence=evidence, due_date=due,
                                      derivation="stated in the clause"))
                break
            if stop:
                break
    return out


def _offset_before(doc: Document, span: Span, boundary_start: int, sign: str) -> str | None:
    """The "within N days" / "at least N days" duration that precedes a period boundary phrase."""
    best = None
    for m in DURATION_RE.finditer(doc.text, span.start, boundary_start):
        before = doc.text[max(span.start, m.start() - 30):m.start()]
        between = doc.text[m.end():boundary_start]
        if _WITHIN.search(before) and len(between) < 40:
            best = m
    if best is None:
        # no time allowed after the boundary: due at it only when the clause says so ("on the
        # end of each month"); a redacted or unreadable period ("within [***]") gives nothing
        lead = doc.text[max(span.start, boundary_start - 60):boundary_start]
        if sign == "+" and re.search(r"\b(?:on|at|upon|as\s+of)\s*$", lead, F):
            return "+P0D"
        return None
    d = duration_of(best)
    return None if d is None else f"{sign}{d.iso()}"


def _recurring(doc: Document, span: Span, text: str):
    m = _AFTER_PERIOD.search(doc.text, span.start, span.end)
    if m:
        offset = _offset_before(doc, span, m.start(), "+")
        if offset is not None:
            return None, _PERIOD_RULES[_period_key(m.group("period"))], offset, None
    m = _BEFORE_PERIOD.search(doc.text, span.start, span.end)
    if m:
        offset = _offset_before(doc, span, m.start(), "-")
        if offset is not None:
            return None, _PERIOD_RULES[_period_key(m.group("period"))], offset, None
    m = _DAY_OF_PERIOD.search(doc.text, span.start, span.end)
    if m and m.group(0).lower().startswith("on ") and not re.search(
            r"\b(?:due|payable|paid|pay|deliver\w*|submit\w*|provide\w*|made|furnish\w*|send|sent)\b[^.;]{0,40}$",
            doc.text[max(span.start, m.start() - 60):m.start()], F):
        m = None  # "the exchange rate on the last day of each month" is not a deadline
    if m:
        day_word = m.group("day").lower()
        period = (m.group("period") or "month").lower()
        if period == "quarter":
            return None
        if day_word == "last":
            return None, "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1", "+P0D", None
        day = ordinal_to_int(day_word)
        if not day or day > 28:
            return None
        if m.group("bd") and not m.group("bd").lower().startswith("calendar"):
            return None, f"RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS={day}", "+P0D", None
        return None, f"RRULE:FREQ=MONTHLY;BYMONTHDAY={day}", "+P0D", None
    return None


def _one_off(doc: Document, span: Span, text: str, terms: dict[str, Term | None], options: ExtractOptions):
    if not re.search(r"\bdeliver|\bprovide|\bsubmit|\bfurnish|\bcomplete|\bpay\b|\bsend", text, F):
        return None
    if re.search(r"\beach\b|\bevery\b|\bmonthly|\bquarterly|\bannual|\bterminat", text, F):
        return None
    for f in find_dates(doc.text, span.start, span.end, options.date_order):
        before = doc.text[max(span.start, f.start - 40):f.start]
        if not _ONE_OFF_DATE.search(before):
            continue
        # the date must belong to the duty, not to a condition ("provided that this Agreement is
        # executed not later than ...")
        duties = list(re.finditer(r"\b(?:deliver|provide|submit|furnish|complete|pay|send)\w*",
                                  doc.text[span.start:f.start], F))
        if not duties:
            continue
        duty = duties[-1]  # the duty verb nearest the date
        between = doc.text[span.start + duty.end():f.start]
        if re.search(r"\bexecuted\b|\bsigned\b", between, F) or \
                re.search(r"\bprovided\b|\bif\b|\bunless\b|\bin\s+the\s+event\b", doc.text[span.start:f.start], F):
            continue  # a condition, or a conditional duty: its date is not a deadline to rely on
        return f.value.isoformat(), None, None, "stated in the clause"
    for m in DURATION_RE.finditer(doc.text, span.start, span.end):
        before = doc.text[max(span.start, m.start() - 30):m.start()]
        after = doc.text[m.end():min(span.end, m.end() + 60)]
        a = _AFTER_EFFECTIVE.match(after)
        if not (a and re.search(r"within\s*$|no\s+later\s+than\s*$|not\s+later\s+than\s*$", before, F)):
            continue
        if re.search(r"Effective|Commencement", a.group("anchor"), F):
            anchor_term, label = terms.get("effective_date"), "effective_date"
        else:
            anchor_term, label = terms.get("agreement_date"), "agreement_date"
        d = duration_of(m)
        start = None if anchor_term is None else dates.parse_day(anchor_term.value)
        if start is None or d is None:
            return None  # no start, or one left with blanks ("2018-03"): nothing to count from
        due = dates.add_duration(start, d)
        return due.isoformat(), None, None, f"{label} {start.isoformat()} + {d.iso()}"
    return None

