"""Amendment documents: "Amendment No. 2 to the Supply Agreement dated as of June 3, 2023"."""

from __future__ import annotations

import re
from dataclasses import replace

from .datetext import FoundDate, find_dates
from .document import Document
from .model import Amendment, Term
from .numbers import ordinal_to_int, words_to_int

F = re.IGNORECASE

_TITLE_CHARS = 1500
_NUMBERED = re.compile(
    r"\bAmendment\s+(?:No\.?|Number|#)\s*(?P<num>\d+|[A-Za-z]+)\b(?P<rest>[^\n]{0,20})", F)
# "Amendment No. IV": a Roman numeral, I to XX, numbers it as well (read whole, so "No. Mix" is none)
_ROMAN = {r: n for n, r in enumerate(
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), start=1)}
_ORDINAL = re.compile(
    r"\b(?P<ord>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+Amendment\b", F)
_PLAIN = re.compile(r"^\W*(?:[A-Z][\w&,.-]*\s+){0,6}?AMENDMENT\b|\bThis\s+(?:[A-Z][a-z]+\s+){0,3}Amendment\b"
                    r"(?:\s+No\.?\s*\d+)?\s*\(", re.MULTILINE)
_TO_AGREEMENT = re.compile(
    r"\bto\s+(?:that\s+certain\s+|the\s+)?(?P<amends>(?:[A-Z][\w&'/-]*[\s,]+(?:and\s+|of\s+|for\s+)?){0,8}?"
    r"(?:Agreement|Contract|(?:License|Lease)(?:\s+Agreement)?))\b(?P<tail>[^.]{0,200})")


# an amendment's name with its number: "First Amendment", "Amendment No. 1"
_AMENDMENT_NAME = (r"(?P<ord>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+Amendment"
                   r"|Amendment\s+(?:No\.?|Number|#)\s*(?P<num>\d+|[A-Za-z]+)\b")
# the agreement an earlier amendment's whole name ends with: "the First Amendment to Master Services
# Agreement dated March 10, 2026" dates that amendment, the nearest instrument named (as in "the
# Distributor Agreement dated as of ..., as amended by the First Amendment to Distributor Agreement
# dated as of ...")
_TO_AGREEMENT_NAMED = (r"\s+(?:to|of)\s+(?:that\s+certain\s+|the\s+)?(?P<agreement>(?:(?!Amendment\b)(?-i:[A-Z])[\w&'/-]*[\s,]+"
                       r"(?:and\s+|of\s+|for\s+)?){0,8}?(?:Agreement|Contract|(?:License|Lease)(?:\s+Agreement)?))\b")
# an earlier amendment named with its number and date, in the heading or recitals of an amendment
# that names no dated agreement: "amends the First Amendment dated March 10, 2026", "the First
# Amendment to Master Services Agreement dated ...", "Amendment No. 1 (the "First Amendment"), dated
# as of March 10, 2026", "to Amendment #1 thereto effective ..."
_EARLIER_DATED = re.compile(
    rf"\b(?P<name>{_AMENDMENT_NAME})(?:{_TO_AGREEMENT_NAMED})?"
    r"(?:\s+(?:thereto|hereto))?\s*(?:\([^)]{0,60}\)\s*)?,?\s*"
    r"(?:dated|effective|made|entered\s+into|executed|signed)\s+(?:as\s+of\s+)?(?:on\s+)?(?:the\s+)?", F)
# where an amendment's recitals end and its operative part begins
_OPERATIVE = re.compile(r"\bNOW,?\s+THEREFORE\b|\bagrees?\s+as\s+follows\b|^[ \t]*(?:Section\s+)?1\.\d*[ \t]+[A-Z]",
                        re.MULTILINE | F)
_RECITALS_CHARS = 6000


def label_number(raw: str) -> int | None:
    """The number after an amendment's "No."/"Number"/"#" label: "2", "Two", "IV" (a Roman numeral,
    I to XX, read whole), or None."""
    return int(raw) if raw.isdigit() else (words_to_int(raw) or ordinal_to_int(raw) or _ROMAN.get(raw.lower()))


def _roman(m: re.Match) -> int | None:
    """The Roman numeral of a _NUMBERED match; one glued to the label is a word ("Amendment Nov 3"
    is no Amendment No. V)."""
    if m.string[m.start("num") - 1].isalpha():
        return None
    return _ROMAN.get(m.group("num").lower())


def read_amendment(doc: Document) -> tuple[Amendment | None, tuple[tuple[int, int], ...]]:
    """The amendment heading of the document, if it is one, and the span of the amended
    agreement's date (which is not this document's date)."""
    text = doc.text
    head_end = min(len(text), _TITLE_CHARS)
    number = None
    # another amendment named with its date ("Amendment No. 1 dated March 10, 2025") is not this one's name
    m = next((n for n in _NUMBERED.finditer(text, 0, head_end) if not _another_dated(text, n, n.end("num"))), None)
    anchor = None
    if m:
        raw = m.group("num")
        number = int(raw) if raw.isdigit() else (words_to_int(raw) or ordinal_to_int(raw) or _roman(m))
        anchor = m
    else:
        o = next((n for n in _ORDINAL.finditer(text, 0, head_end) if not _another_dated(text, n, n.end())), None)
        if o:
            number = ordinal_to_int(o.group("ord"))
            anchor = o
        else:
            p = _PLAIN.search(text, 0, min(len(text), 400))
            if not p:
                return None, ()
            anchor = p
    if number is None and anchor is m and m is not None:
        return None, ()
    to = _TO_AGREEMENT.search(text, anchor.start(), min(len(text), anchor.end() + 600))
    amends = original = None
    original_is_amendment = False
    excluded: list[tuple[int, int]] = []
    end = anchor.end()
    if to:
        amends = re.sub(r"\s+", " ", to.group("amends")).strip(" ,")
        amends = re.sub(r"^(?:the|that|certain)\s+", "", amends, flags=F)
        end = to.end("amends")
        # "... Supply Agreement dated June 3, 2023": the amended agreement's own date, wherever the
        # title or recitals give it
        name = r"\s+".join(re.escape(w) for w in amends.split())
        dated = re.compile(rf"{name}\s*(?:\([^)]{{0,40}}\)\s*)?,?\s*(?:dated|effective|made|"
                           rf"entered\s+into)\s+(?:as\s+of\s+)?"
                           rf"(?:on\s+)?(?:the\s+)?", F)
        for d in dated.finditer(text, anchor.start(), min(len(text), anchor.start() + 6000)):
            if _ends_an_earlier_amendments_name(text, d.start(), number):
                continue  # the earlier amendment's date (read below when no agreement's is given)
            found = find_dates(text, d.end(), d.end() + 60)
            if found and found[0].start == d.end():
                original = found[0].value.isoformat()
                excluded.append((found[0].start, found[0].end))
                if d.start() < to.end() + 200:
                    end = found[0].end
                break
    if original is None and (earlier := _earlier_amendment(text, anchor, number)) is not None:
        # "This Second Amendment amends the First Amendment dated March 10, 2026": no agreement dated,
        # an earlier amendment is (the pipeline looks for the amendment of that day on file)
        name, day = earlier
        amends = name if amends is None or re.search(r"\bamendment\b", amends, F) or " to " in name \
            else f"{name} to {amends}"
        original = day.value.isoformat()
        original_is_amendment = True  # the earlier amendment's day, not the agreement's
        excluded.append((day.start, day.end))
        end = max(end, day.end)
    evidence = doc.evidence(anchor.start(), max(end, anchor.end()))
    return Amendment(number=number, amends=amends, original_date=original, evidence=evidence,
                     original_is_amendment=original_is_amendment), tuple(excluded)


# what follows an amendment's name when it is given with its date: ", dated as of", " thereto, effective"
_DATED_AFTER = re.compile(
    r"(?:\s+(?:thereto|hereto))?\s*(?:\([^)]{0,60}\)\s*)?,?\s*"
    r"(?:dated|effective|made|entered\s+into|executed|signed)\s+(?:as\s+of\s+)?(?:on\s+)?(?:the\s+)?", F)


def _another_dated(text: str, m: re.Match, end: int) -> bool:
    """Whether the amendment named at ``m`` (its name ending at ``end``) is named with its date
    directly after ("Amendment No. 1 dated March 10, 2025", "the First Amendment thereto, dated ..."),
    so another amendment than the document (not "This Amendment No. 2, dated as of ...", nor a
    heading line "AMENDMENT NO. 2 DATED AS OF ...": its own)."""
    line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
    if re.search(r"\bthis\s*$", text[max(0, m.start() - 10):m.start()], F) or not re.search(r"\w", line):
        return False
    after = _DATED_AFTER.match(text, end)
    if after is None:
        return False
    found = find_dates(text, after.end(), min(len(text), after.end() + 60))
    return bool(found) and found[0].start == after.end()


# the words before an amendment's own date: "This Second Amendment (this "Amendment") is entered into
# as of", "This Amendment No. 2 is dated": no agreement or other amendment named between
_OWN_DATE_BEFORE = re.compile(
    r"\bThis\s+(?:[\w.#-]+\s+){0,4}?Amendment\b(?:\([^)]{0,60}\)|(?!\b(?:agreement|amendment|amends?|contract)\b)"
    r"[^.(]){0,120}?\b(?:(?:made\s+and\s+)?entered\s+into|made|dated|executed)\s+(?:as\s+of\s+|on\s+)?(?:the\s+)?$", F)


def own_date_at(text: str, start: int) -> bool:
    """Whether the date at ``start`` is the amendment's own, as its own sentence states it ("This
    Second Amendment ... is entered into as of March 10, 2026"), even when it is the amended one's day."""
    return _OWN_DATE_BEFORE.search(text[max(0, start - 240):start]) is not None


def _earlier_amendment(text: str, anchor: re.Match, number: int | None) -> tuple[str, FoundDate] | None:
    """The first earlier amendment the heading or recitals name with its date ("the First Amendment
    dated March 10, 2026", "Amendment No. 1 dated ..."), as (its name, the date found): one of
    a lower number than this amendment's (when it has one), not called "this" (its own name)."""
    limit = min(len(text), anchor.start() + _RECITALS_CHARS)
    operative = _OPERATIVE.search(text, anchor.end(), limit)
    limit = operative.start() if operative else limit
    for m in _EARLIER_DATED.finditer(text, anchor.start(), limit):
        if not _earlier_than(text, m, number):
            continue
        found = find_dates(text, m.end(), min(len(text), m.end() + 60))
        if found and found[0].start == m.end():
            # its whole name when given: "First Amendment to Master Services Agreement"
            parts = [" ".join(m.group(g).strip(" ,").split()) for g in ("name", "agreement") if m.group(g)]
            return " to ".join(_titled(p) if p.isupper() else p for p in parts), found[0]
    return None


def _titled(name: str) -> str:
    """A name given in capitals, as written in a sentence: "First Amendment to Master Services Agreement"."""
    return " ".join(w.lower() if w in ("TO", "OF", "THE", "AND", "FOR") else w.title() for w in name.split())


def _earlier_than(text: str, m: re.Match, number: int | None) -> bool:
    """Whether the amendment a match of ``_AMENDMENT_NAME`` names is an earlier one than this
    amendment (numbered ``number``): not its own number, nor a later one ("a Second Amendment
    effective January 1, 2027" in a First Amendment), nor called "this" (its own name)."""
    named = ordinal_to_int(m.group("ord")) if m.group("ord") else label_number(m.group("num"))
    return named is not None and named != number and (number is None or named < number) \
        and not re.search(r"\bthis\s*$", text[max(0, m.start() - 10):m.start()], F)


# an earlier amendment's name before the agreement's: "the First Amendment to ", "Amendment No. 1 to the "
_AMENDMENT_TO_BEFORE = re.compile(rf"\b(?:{_AMENDMENT_NAME})\s+(?:to|of)\s+(?:that\s+certain\s+|the\s+)?$", F)


def _ends_an_earlier_amendments_name(text: str, at: int, number: int | None) -> bool:
    """Whether the agreement named at ``at`` ends an earlier amendment's whole name ("the First
    Amendment to Master Services Agreement dated March 10, 2026"): the date after it is that
    amendment's, not the agreement's (which "the Master Services Agreement dated March 10, 2026, as
    amended by the First Amendment" gives)."""
    m = _AMENDMENT_TO_BEFORE.search(text, max(0, at - 80), at)
    return m is not None and _earlier_than(text, m, number)


# the words before a date a changing clause states for itself: "With effect from March 1, 2028",
# "This change takes effect on 1 January 2027", "effective as of July 1, 2027"
_OWN_EFFECT_CUE = re.compile(
    r"(?:\bwith\s+effect\s+(?:from|on|as\s+of)|\btakes?\s+effect\s+(?:on|from|as\s+of)|"
    r"\b(?:becomes?|be|is|are)\s+effective\s+(?:on|from|as\s+of)|\beffective\s+(?:as\s+of|from|on))"
    r"\s+(?:the\s+)?(?:date\s+of\s+)?$", F)
# a numbered clause's heading at the start of a line: "2. Notice.", "3.1 "
_CLAUSE_HEADING = re.compile(r"^[ \t]*\d+(?:\.\d+)*\.?[ \t]+(?=[A-Z])", re.MULTILINE)
_CLAUSE_REACH = 600  # characters of a clause before and after a term's own words that are read


def _clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The numbered clause holding ``text[start:end]``: from its heading (at most ``_CLAUSE_REACH``
    before) to the next heading (at most ``_CLAUSE_REACH`` after)."""
    headings = [m.start() for m in _CLAUSE_HEADING.finditer(text, max(0, start - _CLAUSE_REACH),
                                                             min(len(text), end + _CLAUSE_REACH))]
    begin = max([h for h in headings if h <= start], default=max(0, start - _CLAUSE_REACH))
    finish = min([h for h in headings if h >= end], default=min(len(text), end + _CLAUSE_REACH))
    return begin, finish


def own_effective_dates(doc: Document, terms: dict[str, Term | None],
                        excluded: tuple[tuple[int, int], ...] = (), date_order: str = "US") -> None:
    """Each term an amendment states whose clause says when its change takes effect ("With effect
    from March 1, 2028, Section 3 ... is amended", "This change takes effect on 1 January 2027"):
    the date, with the words, on the term (``extra["takes_effect"]``: ``{"date", "text"}``); two
    different dates in one clause are not chosen between (``extra["takes_effect_unclear"]``: the
    words, for a person). The amended agreement's date (``excluded``) is never one. Whether the date
    matters (later than the amendment's own) is for the one applying it (pipeline/record.py)."""
    for name, term in list(terms.items()):
        if term is None or term.evidence is None or term.evidence.page < 1 or name in _NOT_CHANGES:
            continue
        at = doc.page_starts[term.evidence.page - 1] + term.evidence.start
        begin, finish = _clause_of(doc.text, at, at + len(term.evidence.text))
        said: dict[str, str] = {}
        for found in find_dates(doc.text, begin, finish, date_order=date_order):
            if any(s < found.end and found.start < e for s, e in excluded):
                continue
            cue = _OWN_EFFECT_CUE.search(doc.text[max(begin, found.start - 60):found.start])
            if cue is not None:
                words = " ".join(doc.text[found.start - len(cue.group(0)):found.end].split())
                said.setdefault(found.value.isoformat(), words)
        if len(said) == 1:
            day, words = next(iter(said.items()))
            terms[name] = replace(term, extra={**term.extra, "takes_effect": {"date": day, "text": words}})
        elif said:
            terms[name] = replace(term, extra={**term.extra, "takes_effect_unclear": "; ".join(said.values())})


# terms that date the amendment itself, not a change it makes
_NOT_CHANGES = frozenset({"effective_date", "agreement_date", "notice_deadline"})
