"""Termination for convenience (the notice either party needs to end the agreement without cause)
and the survival period (how long obligations last after the agreement ends)."""

from __future__ import annotations

import re

from .context import NOTICE_FOLLOWS, Context, F
from .numbers import DURATION_RE, duration_of

# a right to terminate without cause: "for convenience", "for any reason", "at any time upon", "at will"
_FOR_CONVENIENCE = re.compile(
    r"for\s+(?:its\s+|their\s+)?convenience|for\s+any\s+reason|without\s+cause|with\s+or\s+without\s+cause|"
    r"for\s+no\s+reason|without\s+(?:any\s+)?reason|at\s+any\s+time\s+(?:and\s+for\s+any\s+reason\s+)?"
    r"(?:upon|by|on|with|after|for)|at\s+will", F)


def read_termination_for_convenience(ctx: Context) -> None:
    """The notice period to terminate without cause ("may terminate this Agreement for convenience
    upon ninety (90) days' prior written notice"), from the first sentence that grants the right."""
    doc = ctx.doc
    for m in re.finditer(r"\bterminat\w*", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        text = doc.text[span.start:span.end]
        if not _FOR_CONVENIENCE.search(text) or not re.search(r"\bmay\b|\bshall\s+have\s+the\s+right|"
                                                              r"\bis\s+entitled|\bcan\b", text, F):
            continue
        if re.search(r"\bfor\s+cause\b(?!\s*,?\s*or)|breach|insolven|bankrupt", text, F) and \
                not re.search(r"without\s+cause|for\s+convenience|any\s+reason", text, F):
            continue
        for d in DURATION_RE.finditer(doc.text, span.start, span.end):
            after = doc.text[d.end():min(span.end, d.end() + 60)]
            before = doc.text[max(span.start, d.start() - 40):d.start()]
            if NOTICE_FOLLOWS.search(after) or re.search(r"(?:at\s+least|not\s+less\s+than|upon|with|giving)\s*$",
                                                        before, F):
                value = duration_of(d)
                if value is not None:
                    ctx.terms["termination_for_convenience"] = ctx.term(value.iso(), span)
                    return
        return


def read_survival(ctx: Context) -> None:
    """How long provisions survive the end of the agreement ("shall survive for three (3) years
    after termination")."""
    doc = ctx.doc
    for m in re.finditer(r"\bsurviv\w*", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        for d in DURATION_RE.finditer(doc.text, m.start(), span.end):
            after = doc.text[d.end():min(span.end, d.end() + 60)]
            if re.match(r"\s*(?:\(\s*\d+\s*\)\s*)?(?:after|following|from|beyond|post)\b[^.;]{0,40}(?:terminat|expir)",
                        after, F):
                value = duration_of(d)
                if value is not None:
                    ctx.terms["survival_period"] = ctx.term(value.iso(), span)
                    return
