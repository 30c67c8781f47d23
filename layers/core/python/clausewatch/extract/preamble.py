"""The preamble: where the title, the parties and the document's date are (after any table of
contents), and the dates written there."""

from __future__ import annotations

import re

from .context import Context, F
from .document import Document

# how far into the document the preamble (title, parties, date) may reach
_PREAMBLE_CHARS = 6000
_TABLE_OF_CONTENTS = re.compile(r"table\s+of\s+contents", F)
# where the preamble starts after a table of contents: "THIS AGREEMENT", "This Agreement is made"
_PREAMBLE_START = re.compile(r"\bTHIS\s+[A-Z ,\-]*?(?:AGREEMENT|CONTRACT|AMENDMENT)\b|\bThis\s+[A-Za-z ,\-]*?"
                             r"(?:Agreement|Contract|Amendment)\s+(?:is|\(|dated|made|entered)")


def preamble_span(doc: Document) -> tuple[int, int]:
    """Where the preamble (title, parties, date) is: after any table of contents."""
    text = doc.text
    m = _TABLE_OF_CONTENTS.search(text, 0, 3000)
    start = 0
    if m:
        # skip a table of contents: the preamble follows it ("THIS AGREEMENT ... between")
        n = _PREAMBLE_START.search(text, m.end(), m.end() + 30000)
        if n and re.search(r"\bbetween\b|\bamong\b", text[n.start():n.start() + 800], F):
            start = n.start()
    return start, min(len(text), start + _PREAMBLE_CHARS)


# where the preamble ends: the recitals, the testimonium or the first section
_RECITALS_OR_FIRST_SECTION = re.compile(
    r"\bWHEREAS\b|\bRECITALS?\b|\bBACKGROUND\b|\bNOW,?\s+THEREFORE\b|\bIN\s+WITNESS\s+WHEREOF|"
    r"\n\s*(?:1\.|1\.1\.?|ARTICLE\s+(?:1|I|ONE)\b|Section\s+1\b\.?)\s", F)


def preamble_dates(ctx: Context, blank: bool = False) -> list:
    """Dates on the cover and in the preamble, before the recitals or the first section (with
    ``blank``, the dates written with blanks there instead)."""
    doc = ctx.doc
    start, end = preamble_span(doc)
    out: list = []
    for region_start, region_end in ((0, min(start, 3000)), (start, end)):
        if region_end <= region_start:
            continue
        between = re.search(r"\bbetween\b|\bamong\b|\bby\s+and\b", doc.text[region_start:region_end], F)
        search_from = region_start + (between.end() if between else 0)
        stop_at = _RECITALS_OR_FIRST_SECTION.search(doc.text, search_from, region_end)
        stop = stop_at.start() if stop_at else region_end
        out.extend(ctx.blank_dates_in(region_start, stop) if blank else ctx.dates_in(region_start, stop))
    return out
