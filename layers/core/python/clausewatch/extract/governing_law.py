"""Governing law: the jurisdiction whose law the parties chose ("laws of the State of New York" ->
"New York", "English law" -> "England", "laws of England and Wales" -> "England and Wales")."""

from __future__ import annotations

import re

from .context import Context, F
from .jurisdictions import ADJECTIVES, JURISDICTION_RE, canonical, name_of

# "governed by and construed in accordance with the laws of", followed by the jurisdiction (group "rest")
_GOVERNED_BY_LAWS_OF = re.compile(
    r"(?:governed|construed|interpreted|enforced|determined|regulated|subject|controlled|applied|"
    r"accordance)\b[^.;]{0,140}?"
    r"\b(?:laws?|legislation|regulations)\b(?:\s*,(?:(?!\(|\bcourts?\b|\bvenue\b|\bplace\b|"
    r"\blocated\b)[^.;,]){0,60},\s*of|\s+and\s+(?:judicial\s+)?decisions)?"
    r"\s*(?:(?:in\s+force\s+)?(?:of|in)\s*)?(?=(?P<rest>[^;]{0,160}))", F)
# "The laws of the State of Florida shall govern this Agreement", "the law of Germany applies"
_LAWS_OF_GOVERN = re.compile(
    r"\b(?:laws?|legislation)\s+(?:of|in\s+force\s+in)\s*(?P<rest>[^;]{0,120}?)\s*(?:,[^.;]{0,40})?\s*"
    r"(?:shall|will|to)?\s*(?:govern|appl(?:y|ies)|control|prevail)", F)
# "governed by English law", "construed in accordance with PRC law"
_ADJECTIVE_LAW = re.compile(
    r"(?:governed|construed|interpreted|subject|accordance|controlled)\b[^.;]{0,80}?\b(?:by|with|under|to)\s+"
    r"(?:the\s+)?(?P<adj>[A-Z][A-Za-z]+(?:\s+[A-Z][a-z]+)?|PRC)\s+[Ll][Aa][Ww][Ss]?\b", 0)
# "entered into in the State of Nevada and shall be governed by ... the laws thereof"
_LAWS_THEREOF = re.compile(r"\b(?:laws?)\s+(?:thereof|of\s+(?:that|such|said)\s+State)\b", F)


def _jurisdiction_at(rest: str) -> str | None:
    """The jurisdiction ``rest`` opens with ("the State of New York, without ..." -> "New York")."""
    j = JURISDICTION_RE.match(rest.lstrip())
    if not j:
        return None
    name = name_of(j)
    tail = rest.lstrip()[j.end():]
    if name == "England" and re.match(r"\s+and\s+Wales", tail, F):
        return "England and Wales"
    if name in ("United States", "United States of America"):
        # "the laws of the United States and the State of Florida": the state decides contract law
        state = re.match(r"\s*(?:of\s+America\s*)?(?:,\s*)?(?:and|&)\s+(?:of\s+)?(?:the\s+)?(?P<s>.{0,60})", tail, F)
        if state:
            inner = JURISDICTION_RE.match(state.group("s"))
            if inner:
                return canonical(inner.group("name"))
    return name


def read_governing_law(ctx: Context) -> None:
    """The law chosen to govern the agreement ("laws of the State of New York" -> "New York",
    "English law" -> "England", "laws of England and Wales" -> "England and Wales")."""
    doc = ctx.doc
    fallback = None
    for pattern in (_GOVERNED_BY_LAWS_OF, _LAWS_OF_GOVERN):
        for m in pattern.finditer(doc.text):
            if re.search(r"(?:organi[sz]ed|incorporated|existing|formed|registered|chartered)\s*(?:and\s+\w+\s+)?"
                         r"(?:under\s+)?(?:the\s+)?$", doc.text[max(0, m.start() - 40):m.start()], F):
                continue
            lead = doc.text[m.start():m.start() + 200]
            if pattern is _GOVERNED_BY_LAWS_OF and not re.search(
                    r"\bgovern|constru|interpret|control|appl|accordance|subject", lead, F):
                continue
            if re.search(r"\b(?:organi[sz]ed|incorporated|existing|formed)\s+(?:and\s+\w+\s+)?under\s+the\s+laws?\b",
                         lead[:120], F):
                continue
            name = _jurisdiction_at(m.group("rest"))
            if name is None:
                continue
            if name == "United States" or re.search(r"patent|invent|bankruptcy|securities|export|\btax|copyright",
                                                    lead[:160], F):
                # federal law governs patents and the like; the contract's law is a state's
                fallback = fallback or (name, m)
                continue
            if name == "PRC":
                name = "People's Republic of China"
            span = doc.sentence(m.start(), m.end())
            ctx.terms["governing_law"] = ctx.term(name, span)
            return
    for m in _ADJECTIVE_LAW.finditer(doc.text):
        adj = m.group("adj").lower()
        name = ADJECTIVES.get(adj) or (canonical(m.group("adj")) if JURISDICTION_RE.fullmatch(m.group("adj")) else None)
        if name:
            ctx.terms["governing_law"] = ctx.term(name, doc.sentence(m.start(), m.end()))
            return
    for m in _LAWS_THEREOF.finditer(doc.text):
        span = doc.sentence(m.start(), m.end())
        if not re.search(r"\bgovern|constru|interpret", doc.text[span.start:span.end], F):
            continue
        places = [j for j in JURISDICTION_RE.finditer(doc.text, span.start, m.start())
                  if re.search(r"(?:State|Commonwealth|Province)\s+of\s*$",
                               doc.text[max(0, j.start("name") - 20):j.start("name")], F)]
        if places:
            ctx.terms["governing_law"] = ctx.term(name_of(places[-1]), span)
            return
    if fallback is not None and fallback[0] == "United States":
        name, m = fallback
        span = doc.sentence(m.start(), m.end())
        sentence = doc.text[span.start:span.end]
        if re.search(r"\bgovern", sentence, F) and re.search(r"this\s+Agreement", sentence, F):
            ctx.terms["governing_law"] = ctx.term(name, span)
