"""Terms that run from the later (or earlier) of several events: "until the later of (a) ten (10)
years from the First Commercial Sale and (b) the expiration of the last Valid Claim", "for five
years from the later of the Effective Date and the date of Regulatory Approval", "... or until the
Studies are completed, whichever is later".

Two shapes, both recorded as one conditional term naming every event and the rule:

- each candidate is an end ("ten years from X", "the expiration of Y", "the third anniversary of
  the Effective Date"): the term ends on the later (earlier) of the candidates' ends;
- one duration counts from the later (earlier) of several events ("five years from the later of
  A and B"): the start is chosen first, then the duration counted from it (``duration`` on the term).

An event that is one of the agreement's own dates (the Effective Date, the date hereof) or a date
written in the clause is filled from it; every other event waits for a person to enter its date.
No expiration is computed until every event has a date: with the later of, a missing event may
still end the term later than any known candidate; with the earlier of, it may still end it
earlier (the notice deadline counted from a known candidate would then come too late).

``read_later_of`` reads one sentence (pure, table-tested); ``combined_end`` computes the end of a
stored term once every event is dated, with the arithmetic that shows each candidate and which won.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import dates
from ..dates import Duration, TermEndConvention
from .context import NOTICE_FOLLOWS, F
from .datetext import find_dates
from .effective_date import EFFECTIVE_DATE_NAME
from .numbers import DURATION_RE, duration_of, ordinal_to_int, years_of

RULES = ("later", "earlier")

# "the later of", "the later to occur of", "the earlier of the below events occur:"
_OF = re.compile(r"\b(?:the\s+)?(?P<rule>later|earlier|latest|earliest)\s+(?:to\s+occur\s+|date\s+)?of\b"
                 r"(?:\s+the\s+(?:following|below)(?:\s+(?:dates|events))?(?:\s+(?:to\s+)?occurs?)?)?\s*:?\s*", F)
# "..., whichever is later", "whichever comes later", "whichever occurs first"
_WHICHEVER = re.compile(r",?\s*whichever\s+(?:is|shall\s+be|occurs|comes|happens|falls)\s+(?:the\s+)?"
                        r"(?P<rule>later|earlier|last|first|sooner|latest|earliest)\b", F)
# where the list of a "later of" stops
_LIST_END = re.compile(r"\s*(?:[;.]|,?\s*\b(?:unless|whichever|subject\s+to|provided|except|whereupon|after\s+which|"
                       r"and\s+(?:shall|will)|(?:shall|will)\s+(?:automatically|be\s+renewed|renew))\b|"
                       r"\(\s*(?:the|such\s+period|collectively)\b[^)]*\"[^)]*\)|$)", F)
# what introduces a list's items: "(a)", "(ii)", "(x)", "(1)"
_ENUM = re.compile(r"(?:^|\s|,|;)\(\s*(?:[a-h]|[ivx]{1,4}|[xyz]|\d)\s*\)\s*", F)
# words joining two items when the list has no enumerators
_JOIN = re.compile(r"\s*,?\s*\b(?:and|or)\b\s+(?:(?:until|upon|on)\s+)?", F)
# the words before a term's first day: "commence on", "begin", "take effect on", "become effective as of"
_STARTS = re.compile(r"\b(?:commenc\w*|begin\w*|began|start\w*|takes?\s+effect|becomes?\s+effective|effective|"
                     r"dated)\s*(?:on|upon|as\s+of|from|at|with)?\s*(?:the\s+)?$", F)
# the beginning of a "whichever" list: the term's own verb phrase, before the first item
_WHICHEVER_START = re.compile(
    r"(?:\b(?:shall|will)\s+(?:be|continue|remain|expire|terminate|end|run)\w*(?:\s+in\s+(?:full\s+)?(?:force|effect)"
    r"(?:\s+and\s+effect)?)?\s+(?:for\s+)?|\buntil\s+|\bfor\s+(?:a\s+period\s+of\s+)?)", F)

# an item's leading words that say nothing about the event
_LEAD = re.compile(r"^(?:\s*(?:until|upon|on|at|the\s+date\s+(?:that\s+is|which\s+is)|that\s+is|which\s+is|and|or)\b\s*)+",
                   F)
# an item that is the end of this agreement's own term or its early termination
_OWN_END = re.compile(r"\b(?:terminat\w*|expir\w*|cancel\w*|end)\b[^.;]{0,60}?\b(?:this|the)\s+(?:Agreement|"
                      r"Contract|Initial\s+Term|Term)\b|\b(?:this|the)\s+(?:Agreement|Contract)\s+(?:is|shall\s+be)\s+"
                      r"terminat|\bits\s+(?:earlier\s+)?terminat|\bterminat\w*\s+(?:by|pursuant|in\s+accordance|under|"
                      r"as\s+provided)|\b(?:this|the)\s+(?:Agreement|Contract)\s+(?:\w+\s+){0,2}(?:expir|terminat|end)|\b(?:election|right)\s+to\s+terminat|\bmutual\s+(?:written\s+)?(?:consent|"
                      r"agreement)|\bnotice\b|\bInitial\s+Term\b|\brenewal\b", F)
_EARLY_TERMINATION = re.compile(r"\bterminat|\bcancel|\bmutual\b|\bnotice\b|\belection\b", F)
# the agreement's own dates: filled from what the extraction read
_EFFECTIVE = re.compile(rf"^(?:the\s+)?{EFFECTIVE_DATE_NAME}$", F)
_AGREEMENT_DATE = re.compile(r"^(?:the\s+)?(?:date\s+(?:hereof|of\s+(?:this|the)\s+(?:Agreement|Contract))|"
                             r"(?:this|the)\s+(?:Agreement|Contract)|Execution\s+Date|date\s+of\s+execution(?:\s+of\s+"
                             r"(?:this|the)\s+(?:Agreement|Contract))?)$", F)
# what makes a bare phrase an event (something that happens on a day a person can name)
_EVENT_WORDS = re.compile(
    r"\b(?:launch\w*|commercial\w*|sale|sales|sold|deliver\w*|accept\w*|install\w*|go-live|complet\w*|approv\w*|"
    r"opening|closing|shipment|shipped|first\s+(?:order|purchase|use)|in-service|operation\w*|production|"
    r"availability|registration|clearance|issuance|achievement|milestone|expir\w*|expiry|cease[sd]?|ceasing|"
    r"occur\w*|receipt|termination\s+of\s+(?!this\b)|payment|paid|date)\b|\b(?:[A-Z][\w-]*\s+){1,3}Date\b", F)
_ANNIVERSARY = re.compile(
    r"^(?:the\s+)?(?P<ord>\d+\s*(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|fifteenth|twentieth)\s*(?:\(\s*\d+\s*(?:st|nd|rd|th)?\s*\)\s*)?anniversary\s+of\s+(?P<event>.+)$",
    F)
_FROM = re.compile(r"^\s*(?:\(\s*\d+\s*\)\s*)?(?:(?:years?|months?)\s+)?(?:from|after|following|of)\s+(?P<event>.+)$", F)
_DEFINED_AFTER = re.compile(r"\s*\(\s*(?:the\s+)?\"\s*(?P<name>[^\"]{2,40}?)\s*\"\s*\)\s*$", F)


@dataclass(frozen=True)
class Candidate:
    """One event of a later/earlier-of term. ``duration`` counts from the event to this candidate's
    end (None: the event's date is the end itself, or, when the term has a duration of its own, the
    start). ``known`` names where its date comes from when the extraction knows it: "effective_date",
    "agreement_date", or "stated" (a date written in the clause, ``stated``)."""

    event: str
    duration: Duration | None = None
    convention: TermEndConvention | None = None
    known: str | None = None
    stated: date | None = None


@dataclass(frozen=True)
class LaterOfTerm:
    rule: str  # "later" | "earlier"
    candidates: tuple[Candidate, ...]
    duration: Duration | None  # counted from the chosen event ("five years from the later of A and B")
    convention: TermEndConvention | None
    start: int  # the phrase read, as offsets into the sentence
    end: int


def _rule(word: str) -> str:
    return "later" if word.lower() in ("later", "latest", "last") else "earlier"


def _clean(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;:")
    text = _LEAD.sub("", text).strip(" ,;:")
    return re.sub(r"^(?:the|such)\s+", "", text, flags=F).strip(" ,;:")


def _event_of(text: str) -> Candidate | None:
    """A bare event phrase: "the expiration of the last Valid Claim", "the Effective Date"."""
    phrase = " ".join(text.split()).strip(" ,;:")
    defined = _DEFINED_AFTER.search(phrase)
    name = defined.group("name") if defined else None
    if defined:
        phrase = phrase[:defined.start()].strip(" ,;:")
    event = _clean(phrase)
    if not event or len(event) > 120 or re.search(r"\[|\*\*", event):
        return None  # nothing, or a redacted phrase ("the [***] anniversary")
    if _EFFECTIVE.match(event):
        return Candidate(event="Effective Date", known="effective_date")
    if _AGREEMENT_DATE.match(event):
        own = re.match(r"^(?:this|the)\s+(?:Agreement|Contract)$", event, F)
        return Candidate(event=f"date of {event}" if own else event, known="agreement_date")
    found = find_dates(event)
    if len(found) == 1 and len(event) - len(found[0].text) < 12:
        return Candidate(event=found[0].text, known="stated", stated=found[0].value)
    if found or not _EVENT_WORDS.search(event) or re.search(r"\b\d{4}\b", event):
        return None  # a date inside a longer phrase, or nothing that happens on a day
    if name and _EVENT_WORDS.search(name) and not _EFFECTIVE.match(name):
        event = name  # '(the "First Sale Date")' names the event; '(the "Initial Term")' does not
    return Candidate(event=event)


def _candidate(text: str) -> Candidate | None:
    """One item of the list: an end (a duration from an event, an anniversary, an event) or an event."""
    item = " ".join(text.split()).strip(" ,;:")
    item = _LEAD.sub("", item).strip(" ,;:")
    m = _ANNIVERSARY.match(item)
    if m:
        raw = re.sub(r"\s+", "", m.group("ord"))
        years = years_of(ordinal_to_int(raw))
        base = _event_of(m.group("event"))
        if years is None or base is None:
            return None
        return Candidate(base.event, years, TermEndConvention.ANNIVERSARY, base.known, base.stated)
    d = DURATION_RE.match(item)
    if d:
        duration = duration_of(d)
        rest = _FROM.match(item[d.end():])
        if duration is None or rest is None or duration.business_days or 0 < duration.days < 28 \
                or NOTICE_FOLLOWS.search(item[d.end():d.end() + 40]):
            return None
        base = _event_of(rest.group("event"))
        if base is None or base.duration is not None:
            return None
        return Candidate(base.event, duration, None, base.known, base.stated)
    if DURATION_RE.search(item):
        return None  # a duration somewhere inside: not a phrase read here
    return _event_of(item)


_SEQUENCES = ("abcdefgh", ("i", "ii", "iii", "iv", "v", "vi"), "xyz", "123456789")


def _enumerators(text: str) -> list[re.Match]:
    """The list's enumerators in sequence: "(a)", "(b)", ...; a "(3)" after "three" is not one."""
    out: list[re.Match] = []
    expected: str | None = None
    sequence: tuple[str, ...] = ()
    for m in _ENUM.finditer(text):
        label = re.sub(r"[\s(),;]", "", m.group(0)).lower()
        if not out:
            sequence = next((tuple(seq) for seq in _SEQUENCES if label == tuple(seq)[0]), ())
            if not sequence:
                continue
        elif label != expected:
            continue
        out.append(m)
        index = len(out)
        expected = sequence[index] if index < len(sequence) else None
    return out


def _split(items_text: str) -> list[str] | None:
    """The list's items: by their enumerators "(a) ... (b) ...", else at one "and"/"or"."""
    marks = _enumerators(items_text)
    if len(marks) >= 2:
        parts = [items_text[a.end():b.start()] for a, b in zip(marks, marks[1:], strict=False)]
        parts.append(items_text[marks[-1].end():])
        if not re.fullmatch(r"\s*(?:the\s+(?:date|day)\s+(?:that|which)\s+is\s*)?", items_text[:marks[0].start()], F):
            return None  # words before the first enumerator: not a plain list
        return [re.sub(r"\s*,?\s*\b(?:and|or)\s*$", "", p.strip(" ,;"), flags=F) for p in parts]
    joins = list(_JOIN.finditer(items_text))
    if joins and re.search(r",\s*(?:the\s+)?[A-Z]", items_text[:joins[-1].start()]):
        return None  # "A, B and C" unenumerated: which commas part events is not read (abstain)
    splits = []
    for j in joins:
        left, right = items_text[:j.start()], items_text[j.end():]
        if _candidate(left) is not None and _candidate(right) is not None:
            splits.append([left, right])
    return splits[0] if len(splits) == 1 else None  # none, or ambiguous: abstain


def _own_end(items: list[str], rule: str) -> list[str] | None:
    """The items without the agreement's own early termination (with the earlier of: any contract
    may end early, the scheduled end is the other items'); None when an item is the agreement's own
    end or termination in a way that is not an early termination (nothing to wait for)."""
    kept = []
    for item in items:
        if _OWN_END.search(re.sub(r"\(\s*(?:the\s+)?\"[^\"]*\"\s*\)", "", item)):  # not '(the "Initial Term")'
            if rule == "earlier" and _EARLY_TERMINATION.search(item):
                continue
            return None
        kept.append(item)
    return kept


def _term(rule: str, raw_items: list[str], start: int, end: int, duration: Duration | None = None,
          convention: TermEndConvention | None = None) -> LaterOfTerm | None:
    items = _own_end(raw_items, rule)
    if items is None or len(items) < 2:
        return None  # one item left: a plain term, the term readers' (not a later/earlier-of)
    candidates = []
    for item in items:
        c = _candidate(item)
        if c is None:
            return None  # an item not read: the rule over the rest would be wrong
        candidates.append(c)
    if duration is not None and any(c.duration is not None for c in candidates):
        return None
    if len({c.event.casefold() for c in candidates}) < len(candidates) and \
            len({(c.event.casefold(), c.duration) for c in candidates}) < len(candidates):
        return None
    return LaterOfTerm(rule, tuple(candidates), duration, convention, start, end)


def read_later_of(sentence: str) -> LaterOfTerm | None:
    """The later/earlier-of term a sentence states, or None (not one, or not read whole)."""
    m = _OF.search(sentence)
    if m:
        # "(a) ...; and (b) ...": the semicolons between enumerated items do not end the list
        rest = re.sub(r";(?=\s*(?:(?:and|or)\s+)?\(\s*(?:[a-h]|[ivx]{1,4}|[xyz]|\d)\s*\))", ",", sentence[m.end():])
        stop = _LIST_END.search(rest)
        items_text = rest[:stop.start()] if stop else rest
        before = sentence[max(0, m.start() - 80):m.start()]
        # "for five (5) years from the later of A and B": the duration counts from the chosen event
        lead = re.search(rf"(?P<duration>{DURATION_RE.pattern})\s*(?:\(\s*\d+\s*\)\s*)?(?:(?:initial\s+)?(?:term|period)"
                         r"\s+)?,?\s*(?:from|after|following|commencing\s+(?:on|upon))\s*$", before, F)
        anniversary = re.search(r"\b(?P<ord>\d+\s*(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|"
                                r"eighth|ninth|tenth)\s*(?:\(\s*\d+\s*(?:st|nd|rd|th)?\s*\)\s*)?anniversary\s+of\s*$",
                                before, F)
        if re.search(r"\b(?:within|no\s+later\s+than|not\s+later\s+than|prior\s+to|before|notice)\b[^.;]{0,40}$",
                      before, F):
            return None  # a deadline to do something, not the term
        # "shall commence on the later of ...", "take effect on the fifth anniversary of the later
        # of ...": the day the term starts, not its end (a duration before it, "for five years
        # commencing on the later of", counts from it and is read below)
        if lead is None and _STARTS.search(before[:anniversary.start()] if anniversary else before):
            return None
        items = _split(items_text)
        if items is None:
            return None
        start = m.start()
        if lead:
            duration = duration_of(lead)
            if duration is None or duration.business_days or 0 < duration.days < 28 or \
                    re.search(r"\b(?:within|successive|renewal|additional)\b[^.;]{0,20}$",
                              sentence[max(0, m.start() - 80):max(0, m.start() - 80) + lead.start()], F):
                return None
            return _term(_rule(m.group("rule")), items, max(0, m.start() - 80) + lead.start(),
                         m.end() + len(items_text), duration)
        if anniversary:
            years = years_of(ordinal_to_int(re.sub(r"\s+", "", anniversary.group("ord"))))
            if years is None:
                return None
            return _term(_rule(m.group("rule")), items, max(0, m.start() - 80) + anniversary.start(),
                         m.end() + len(items_text), years, TermEndConvention.ANNIVERSARY)
        return _term(_rule(m.group("rule")), items, start, m.end() + len(items_text))
    w = _WHICHEVER.search(sentence)
    if w is None:
        return None
    # the items run from the term's verb phrase to "whichever": "... shall be five (5) years following
    # the Effective Date or until the Studies are completed, whichever is later"
    head = sentence[:w.start()]
    starts = list(_WHICHEVER_START.finditer(head))
    if not starts:
        return None
    first = starts[0]
    items_text = head[first.end():]
    items = _split(items_text)
    if items is None:
        return None
    rule = _rule(w.group("rule"))
    left = _candidate(items[0])
    if len(items) == 2 and left is not None and left.duration is not None and left.convention is None:
        right_raw = items[1]
        right = _candidate(right_raw)
        joined_directly = not re.search(r"[,)]\s*(?:or|and)\s+" + re.escape(right_raw.strip()[:20]), items_text, F)
        ends = re.search(r"\b(?:expir\w*|expiry|complet\w*|end|ceas\w*|terminat\w*|last)\b", right_raw, F)
        if right is not None and right.duration is None and joined_directly and not ends and \
                not re.match(r"\s*(?:until|upon)\b", right_raw, F):
            # "five (5) years from the Effective Date or the date of first sale, whichever is later":
            # the duration counts from the later of the two events
            return _term(rule, [f"the {left.event}" if left.known is None else left.event, right_raw],
                         first.end(), w.end(), left.duration)
    return _term(rule, items, first.end(), w.end())


# --- stored form and arithmetic -------------------------------------------------------------------

def events_value(read: LaterOfTerm, known: dict[str, date | None]) -> list[dict[str, Any]]:
    """The stored events: each with its own duration (or None) and its date when the extraction
    knows it (``filled_from`` says from what), else waiting for a person (``event_date`` None)."""
    out = []
    for c in read.candidates:
        day = c.stated if c.known == "stated" else (known.get(c.known) if c.known else None)
        out.append({"event": c.event, "duration": None if c.duration is None else c.duration.iso(),
                    "convention": None if c.convention is None else c.convention.value,
                    "event_date": None if day is None else day.isoformat(), "entered_by": None,
                    "filled_from": c.known if day is not None else None})
    return out


def describe(read: LaterOfTerm) -> str:
    """How the term is named: "later of First Commercial Sale + P10Y and expiration of the last Valid Claim"."""
    def one(c: Candidate) -> str:
        return c.event if c.duration is None else f"{c.event} + {c.duration.iso()}"
    names = [one(c) for c in read.candidates]
    body = ", ".join(names[:-1]) + " and " + names[-1]
    return f"{read.rule} of {body}" + ("" if read.duration is None else f", + {read.duration.iso()}")


def is_combined(item: dict[str, Any]) -> bool:
    """Whether a stored conditional term is a later/earlier-of (old single-event items are not)."""
    return item.get("rule") in RULES and isinstance(item.get("events"), list)


def missing_events(item: dict[str, Any]) -> list[str]:
    """The events of a stored conditional term that still have no date."""
    if is_combined(item):
        return [str(e.get("event")) for e in item["events"] if not e.get("event_date")]
    return [] if item.get("event_date") else [str(item.get("event"))]


def _dated(event: dict[str, Any]) -> str:
    if event.get("filled_from") == "stated" and not event.get("entered_by"):
        return f"{event['event_date']} stated in the clause"
    by = f"entered by {event['entered_by']}" if event.get("entered_by") else \
        f"the contract's {event['filled_from']}" if event.get("filled_from") in ("effective_date", "agreement_date") \
        else None
    return f"{event['event']} {event['event_date']}" + (f" ({by})" if by else "")


def _counted(label: str, day: date, duration: str, convention: TermEndConvention) -> tuple[date, str]:
    """``label`` names the start with its date already: "Launch Date 2026-03-01 (entered by a@b.com)"."""
    derived = dates.term_end(day, duration, convention, start_label="@")
    tail = derived.derivation[len(f"@ {day.isoformat()}"):]
    return derived.value, f"{label}{tail}"


@dataclass(frozen=True)
class CombinedEnd:
    value: str  # the end, ISO
    derivation: str  # each candidate with its arithmetic, and which won
    decided_by: int  # the index (in ``events``) of the event that decided it (the first of equals)


def combined_end(item: dict[str, Any], default: TermEndConvention) -> CombinedEnd | None:
    """The end of a later/earlier-of term once every event has a date, else None.

    ``later of 2031-02-28 (Launch Date 2026-03-01 (entered by a@b.com) + P5Y - 1 day) and 2030-06-30
    (expiration of the last Valid Claim 2030-06-30 (entered by a@b.com)): 2031-02-28``"""
    if not is_combined(item) or missing_events(item):
        return None
    return _combined(item, item["events"], default)


def bound_so_far(item: dict[str, Any], default: TermEndConvention) -> CombinedEnd | None:
    """While some of a later/earlier-of term's events are dated and others are not: what the dated
    ones give, with their arithmetic. Not the expiration, a bound on it: a later-of term ends no
    earlier than this (a missing event can only move it later), an earlier-of term no later.
    None when every event or none is dated. ``decided_by`` indexes the dated events."""
    if not is_combined(item) or not missing_events(item):
        return None
    dated = [e for e in item["events"] if e.get("event_date")]
    if len(dated) != 1:
        return _combined(item, dated, default) if dated else None
    [event] = dated  # one: its own arithmetic, no "later of" one day
    day = date.fromisoformat(str(event["event_date"]))
    duration = item.get("duration") or event.get("duration")
    if not duration:
        return CombinedEnd(day.isoformat(), _dated(event), 0)
    owner = item if item.get("duration") else event
    convention = TermEndConvention(owner["convention"]) if owner.get("convention") else default
    end, arithmetic = _counted(_dated(event), day, str(duration), convention)
    note = ", the anniversary itself" if convention is TermEndConvention.ANNIVERSARY else ""
    return CombinedEnd(end.isoformat(), f"{arithmetic}{note} = {end.isoformat()}", 0)


def _combined(item: dict[str, Any], events: list[dict[str, Any]], default: TermEndConvention) -> CombinedEnd:
    """The later (earlier) of ``events``, each dated, with the arithmetic of each."""
    rule = str(item["rule"])
    days = [date.fromisoformat(str(e["event_date"])) for e in events]
    if item.get("duration"):
        # the duration counts from the chosen event
        chosen = _pick(rule, days)
        listing = " and ".join(_dated(e) for e in events)
        convention = TermEndConvention(item["convention"]) if item.get("convention") else default
        end, arithmetic = _counted(str(events[chosen]["event"]) + f" {days[chosen].isoformat()}", days[chosen],
                                   str(item["duration"]), convention)
        note = " (the anniversary itself)" if convention is TermEndConvention.ANNIVERSARY else ""
        return CombinedEnd(end.isoformat(), f"{rule} of {listing}: {days[chosen].isoformat()}; {arithmetic} = "
                                            f"{end.isoformat()}{note}", chosen)
    candidates = []
    for e, day in zip(events, days, strict=True):
        if e.get("duration"):
            convention = TermEndConvention(e["convention"]) if e.get("convention") else default
            end, arithmetic = _counted(_dated(e), day, str(e["duration"]), convention)
            if convention is TermEndConvention.ANNIVERSARY:
                arithmetic += ", the anniversary itself"
        else:
            end, arithmetic = day, _dated(e)
        candidates.append((end, arithmetic))
    chosen = _pick(rule, [end for end, _ in candidates])
    listing = " and ".join(f"{end.isoformat()} ({arithmetic})" for end, arithmetic in candidates)
    equal = all(end == candidates[chosen][0] for end, _ in candidates)
    return CombinedEnd(candidates[chosen][0].isoformat(),
                       f"{rule} of {listing}: {candidates[chosen][0].isoformat()}" + (" (equal)" if equal else ""),
                       chosen)


def _pick(rule: str, days: list[date]) -> int:
    """The index of the later (earlier) day; the first of equal ones."""
    best = max(days) if rule == "later" else min(days)
    return days.index(best)


def waiting_message(item: dict[str, Any], default: TermEndConvention) -> str:
    """What a person reads about a later/earlier-of term still waiting for event dates: what is
    missing, what is known, and the bound the dated events already set (``bound_so_far``)."""
    missing = missing_events(item)
    known = [_dated(e) for e in item.get("events") or [] if e.get("event_date")]
    why = ("an event not dated yet may still end the term later than any known one" if item.get("rule") == "later"
           else "an event not dated yet may still end the term earlier than any known one")
    bound = bound_so_far(item, default)
    so_far = "" if bound is None else (
        f"; so far the term ends no {'earlier' if item.get('rule') == 'later' else 'later'} than {bound.value} "
        f"({bound.derivation})")
    return (f"waiting for event dates: {item.get('phrase')} (page {item.get('page')}); still missing: "
            f"{'; '.join(missing)}" + (f"; known: {'; '.join(known)}" if known else "") +
            f"; no expiration until every event is dated ({item.get('rule')} of: {why})" + so_far)
