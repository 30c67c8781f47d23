"""The pages of a document as one searchable text, with offsets that map back to each page.

Extraction searches one string (the pages joined by a newline) whose characters are the page
characters one for one, with typographic variants folded (curly quotes to straight, dashes to
"-", non-breaking spaces to " "). Because the folding never changes a length, every match maps
back to ``(page, start, end)`` in the original page text, which is what evidence quotes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

from .model import Evidence

# one character in, one character out: offsets stay valid
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u200a": " ",
    "\u202f": " ", "\t": " ", "\r": " ", "\x0c": " ", "\u00ad": "-",
    "\u037e": ";", "\uff1b": ";", "\uff0c": ",", "\uff1a": ":", "\uff08": "(", "\uff09": ")",
    "\u00b4": "'", "\u02bc": "'", "\u2039": "'", "\u203a": "'", "\u00ab": '"', "\u00bb": '"',
    "_": " ",  # blanks to fill in ("this ____ day of"): a blank is not part of a date
})

# Abbreviations whose period does not end a sentence.
_ABBREVIATIONS = {
    "inc", "co", "corp", "ltd", "llc", "no", "nos", "sec", "secs", "art", "arts", "para", "mr", "mrs",
    "ms", "dr", "st", "u.s", "e.g", "i.e", "etc", "vs", "v", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "l.p", "n.a", "s.a", "b.v", "n.v", "p.c", "l.l.c", "pty",
    "plc", "gmbh", "ag", "cf", "approx", "dept", "est", "fig", "ph", "u.k", "a.m", "p.m", "ex", "al",
    "apt", "blvd", "ave", "rd", "ste", "fl", "bl", "nr", "bldg", "hwy", "pkwy", "mt", "ft", "jr", "sr", "tel",
    "fax", "attn", "ref",
}

# "March 18. 2021": a period typed for the comma inside a date does not end the sentence
_DATE_PERIOD = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+[0-3]?\d$",
                          re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;!?](?=[\"')\]]*\s)|\n\s*\n|\n(?=\s*(?:\(?[0-9]{1,2}(?:\.[0-9]+)*[.)]?\s+[A-Z]|"
                           r"\(?[a-z]{1,3}\)\s|[A-Z][A-Z ]{3,}\n))")


# the filing stamp on each page of an EDGAR exhibit: "Source: ACME CORP, 10-K, 3/1/2019" (its date is the
# filing's, not the contract's), even when it appears on one page only
_FILING_LINE = re.compile(r"[ \t]*Source:[^\n]{1,120},\s*[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}[ \t]*$")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


# how many lines at the top and at the bottom of a page may be a running header or footer
_EDGE_LINES = 4


class Document:
    """Pages joined into ``text`` (folded), with page mapping and sentence helpers."""

    def __init__(self, pages: list[str]):
        self.pages = [p or "" for p in pages]
        self.page_starts: list[int] = []
        offset = 0
        for page in self.pages:
            self.page_starts.append(offset)
            offset += len(page) + 1
        self.text = "\n".join(p.translate(_FOLD) for p in self.pages)

    # --- offsets -----------------------------------------------------------------------------
    def page_of(self, offset: int) -> int:
        """0-based index of the page holding global ``offset``."""
        return max(0, bisect.bisect_right(self.page_starts, offset) - 1)

    def evidence(self, start: int, end: int) -> Evidence:
        """Evidence for global ``[start, end)``, trimmed of whitespace and clipped to one page
        (the page the span starts on)."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        index = self.page_of(start)
        base = self.page_starts[index]
        page = self.pages[index]
        local_start = start - base
        local_end = min(end - base, len(page))
        return Evidence(page=index + 1, start=local_start, end=local_end,
                        text=page[local_start:local_end])

    @cached_property
    def furniture(self) -> list[tuple[int, int]]:
        """Spans of running headers and footers: lines (digits aside) among the first (last) few
        lines of a page and repeated at the top (bottom) of at least half the pages, e.g. "Source:
        ACME CORP, 10-K, 3/1/2019" or "Page 3 of 12", and filing lines anywhere. Their dates are not
        the contract's. (A sentence repeated in the body of a few short pages is not furniture.)"""
        edges: list[list[tuple[int, int, tuple[str, str]]]] = []  # per page: (start, end, key) of edge lines
        spans = []
        for page_start, page in zip(self.page_starts, self.pages):
            lines = [(page_start + m.start(), page_start + m.end(), m.group(0))
                     for m in re.finditer(r"[^\n]+", page) if m.group(0).strip()]
            for s, e, line in lines:
                if _FILING_LINE.match(line):
                    spans.append((s, e))
            if len(self.pages) >= 2:
                # a header repeats at the top of pages, a footer at the bottom
                edge = [(where, ln) for where, part in (("top", lines[:_EDGE_LINES]),
                                                        ("bottom", lines[_EDGE_LINES:][-_EDGE_LINES:]))
                        for ln in part]
                edges.append([(s, e, (where, re.sub(r"\d+", "#", line.strip().lower())))
                              for where, (s, e, line) in edge])
        counts: dict[tuple[str, str], int] = {}
        for page_edges in edges:
            for key in {k for _, _, k in page_edges}:
                counts[key] = counts.get(key, 0) + 1
        threshold = max(2, (len(self.pages) + 1) // 2)
        repeated = {k for k, n in counts.items() if n >= threshold and len(k[1]) > 3}
        spans += [(s, e) for page_edges in edges for s, e, k in page_edges if k in repeated]
        return sorted(set(spans))

    def in_furniture(self, offset: int) -> bool:
        spans = self.furniture
        i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
        return i >= 0 and spans[i][0] <= offset < spans[i][1]

    # --- sentences ---------------------------------------------------------------------------
    @cached_property
    def _boundaries(self) -> list[int]:
        """Offsets just after each sentence end (sorted)."""
        out = [0]
        text = self.text
        for m in _SENTENCE_END.finditer(text):
            if m.group(0) == ";" and re.match(r"\s*(?:and\s+)?(?:provided|however|but|except|save)\b",
                                              text[m.end():m.end() + 20], re.IGNORECASE):
                continue  # a proviso belongs to its clause
            if m.group(0) == ".":
                # skip abbreviations, initials and numbered headings ("1.", "3.2")
                word = re.search(r"([A-Za-z.]+)$", text[max(0, m.start() - 8):m.start()])
                if word and word.group(1).lower().strip(".") in _ABBREVIATIONS:
                    continue
                if word and len(word.group(1)) == 1 and word.group(1).isupper():
                    continue
                if word and re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word.group(1)):
                    continue  # initialisms: "B.C.", "U.S.A."
                if m.start() > 0 and text[m.start() - 1].isdigit():
                    if _DATE_PERIOD.search(text[max(0, m.start() - 16):m.start()]) \
                            and re.match(r"\s+(?:19|20)\d\d\b", text[m.end():m.end() + 8]):
                        continue
                    nxt = text[m.end():m.end() + 3].lstrip()
                    before = text[max(0, m.start() - 12):m.start()]
                    # "Section 3." inside a sentence or a heading number "1." at a line start
                    if re.search(r"(?:^|\n)\s*[0-9.]+$", before) or (nxt[:1].islower()):
                        continue
                if text[m.end():m.end() + 3].lstrip()[:1].islower():
                    continue
            out.append(m.end())
        out.append(len(text))
        return out

    def sentence(self, start: int, end: int | None = None, max_len: int = 900) -> Span:
        """The sentence around ``[start, end)`` (at most ``max_len`` characters either way)."""
        end = start if end is None else end
        b = self._boundaries
        i = bisect.bisect_right(b, start) - 1
        s = b[max(0, i)]
        j = bisect.bisect_left(b, end)
        if j < len(b) and b[j] <= start:
            j += 1  # the span starts exactly at a boundary: its sentence ends at the next one
        e = b[min(j, len(b) - 1)]
        if e < end:
            e = end
        s = max(s, start - max_len)
        e = min(e, end + max_len)
        return Span(s, e)

    def sentences(self) -> list[Span]:
        b = self._boundaries
        return [Span(b[i], b[i + 1]) for i in range(len(b) - 1) if b[i + 1] > b[i]]

    def flat(self, span: Span) -> str:
        """The span's text with whitespace runs collapsed (for summaries and comparisons)."""
        return re.sub(r"\s+", " ", self.text[span.start:span.end]).strip()
