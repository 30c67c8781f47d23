"""Amendment documents: "Amendment No. 2 to the Supply Agreement dated as of June 3, 2023"."""

from __future__ import annotations

import re

from .datetext import find_dates
from .document import Document
from .model import Amendment
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
    r"(?:Agreement|Contract|License|Lease))\b(?P<tail>[^.]{0,200})")


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
    m = _NUMBERED.search(text, 0, head_end)
    anchor = None
    if m:
        raw = m.group("num")
        number = int(raw) if raw.isdigit() else (words_to_int(raw) or ordinal_to_int(raw) or _roman(m))
        anchor = m
    else:
        o = _ORDINAL.search(text, 0, head_end)
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
            found = find_dates(text, d.end(), d.end() + 60)
            if found and found[0].start == d.end():
                original = found[0].value.isoformat()
                excluded.append((found[0].start, found[0].end))
                if d.start() < to.end() + 200:
                    end = found[0].end
                break
    evidence = doc.evidence(anchor.start(), max(end, anchor.end()))
    return Amendment(number=number, amends=amends, original_date=original, evidence=evidence), tuple(excluded)
