"""Signature blocks: the dates signers wrote ("By: /s/ Jane Roe ... Date: 3/21/08"), and the
last of them, which dates an agreement made when the last party signed."""

from __future__ import annotations

import re

from .context import Context, F
from .datetext import FoundDate, find_dates
from .document import Document

# signature-block furniture: "/s/ Jane Roe", "By:", "Name:", "Title:", "Its:"
_SIGNATURE_BLOCK_FURNITURE = re.compile(r"/s/|\bB[Yy]\s*:|(?:^|\n)[ \t]*(?:Name|NAME|Title|TITLE|Its|ITS)\s*:|"
                                        r"\b(?:Signature|SIGNATURE)\s*:|"
                                        r"IN\s+WITNESS\s+WHEREOF|\bAuthorized\s+Signature", 0)
# a heading that starts another document (an exhibit or schedule after the signatures)
_NEXT_DOCUMENT_HEADING = re.compile(r"\n\s*(?:APPENDIX|EXHIBIT|SCHEDULE|ATTACHMENT|ANNEX|ADDENDUM|Appendix|Exhibit|"
                                    r"Schedule|Attachment|Annex)\b")
# the caption of a signer's date: "Date:", "Dated:", "Executed on:", "Date signed:"
_SIGNER_CAPTION_WORDS = r"\b(?:Dated?|DATED?|Executed\s+on|Signed\s+on|Date\s+signed)"
# ... right before a date, and not an "Effective Date:" or "Expiration Date:" label
_SIGNER_CAPTION_BEFORE_DATE = re.compile(r"(?<!Effective )(?<!EFFECTIVE )(?<!Commencement )(?<!COMMENCEMENT )"
                                         r"(?<!Expiration )(?<!Termination )(?<!Start )(?<!End )"
                                         + _SIGNER_CAPTION_WORDS + r"\s*:+\s*$")
# ... with its colon, anywhere ("Date:", "Date of:")
_SIGNER_CAPTION_WITH_COLON = re.compile(_SIGNER_CAPTION_WORDS + r"(?:\s+of)?\s*:", F)


def in_signature_block(doc: Document, found: FoundDate) -> bool:
    """Is ``found`` a signer's date ("By: /s/ Jane Roe ... Date: 3/21/08")?"""
    if not _SIGNER_CAPTION_BEFORE_DATE.search(doc.text[max(0, found.start - 30):found.start]):
        return False
    before = doc.text[max(0, found.start - 400):found.start]
    headings = list(_NEXT_DOCUMENT_HEADING.finditer(before))
    if headings:
        before = before[headings[-1].end():]
    after = doc.text[found.end:found.end + 300]
    heading = _NEXT_DOCUMENT_HEADING.search(after)
    if heading:
        after = after[:heading.start()]
    return bool(_SIGNATURE_BLOCK_FURNITURE.search(before) or _SIGNATURE_BLOCK_FURNITURE.search(after))


def signature_evidence_start(doc: Document, found: FoundDate) -> int:
    """Quote a signer's date with its caption ("Date: 1/27/2020"), not part of the date before it."""
    line_start = doc.text.rfind("\n", 0, found.start) + 1
    caption = re.search(rf"{_SIGNER_CAPTION_WORDS}\s*:*\s*$", doc.text[line_start:found.start])
    return line_start + caption.start() if caption else found.start


# what marks a signature in EDGAR text: "/s/ Jane Roe", "\\s\\ Jane Roe", "S/ Jane Roe", "(signature)",
# "Authorized Signature", "Signature:"
_SIGNATURE_MARK = re.compile(r"/s/|\\s\\|(?:^|\s)S/\s|\(signature\)|\bSignature\b", re.IGNORECASE)
# a line that says more than who signed and when
_NOT_A_SIGNATURE_LINE = re.compile(r"effective|commenc|expir|terminat|\bterm\b|renew|period|\bthrough\b|"
                                   r"\buntil\b|\bfrom\b|\bto\b|\bfor\b|\bof\b|\bshall\b|\bwill\b", F)


def _signature_line_date(doc: Document, d: FoundDate) -> bool:
    """Is ``d`` written on a signature line: "/s/ Jane Roe 5/17/12", "Markham, ON 24 OCT 2011",
    "Date 13/07/05", a row of dates under the signatures, with a signature just before it?"""
    line_start = doc.text.rfind("\n", 0, d.start) + 1
    line_end = doc.text.find("\n", d.end)
    line_end = len(doc.text) if line_end < 0 else line_end
    rest = _without_dates(doc.text[line_start:line_end])
    words = re.sub(r"[\d/.,\-\s]+", " ", rest).strip()
    if len(words) > 40 or _NOT_A_SIGNATURE_LINE.search(rest):
        return False
    before = doc.text[max(0, line_start - 200):line_end]
    cut = list(_NEXT_DOCUMENT_HEADING.finditer(before))
    if cut:
        before = before[cut[-1].end():]
    if _SIGNATURE_MARK.search(before):
        return True
    # a row of dates over a row of "Date" captions ("03/24/06 03/24/06 / ____ ____ / Date Date"),
    # with the signatures around them
    below = doc.text[line_end:line_end + 300]
    # blank lines first: "\s*\n[\s_]*" once, not "(?:\s*\n[ \t_]*)*", which backtracks exponentially
    # over a run of newlines with no caption after it
    caption = re.match(r"(?:\s*\n[\s_]*)?\n[ \t]*(?:Date[ \t]*)+\n", below)
    return bool(caption and not words.strip()
                and _SIGNATURE_MARK.search(below[caption.end():caption.end() + 200]))


def signature_dates(ctx: Context) -> list[FoundDate]:
    """The dates of the first signature block: "Date:" lines beside "By:"/"/s/" lines, or dates
    on the signature lines themselves ("/s/ A 7/14/11", a row "7/14/11 7/18/11" under them)."""
    doc = ctx.doc
    out: list[FoundDate] = []
    for d in ctx.dates_in(0, len(doc.text)):
        if not in_signature_block(doc, d) and not _signature_line_date(doc, d):
            continue
        if out and (d.start - out[-1].end > 400
                    or _NEXT_DOCUMENT_HEADING.search(doc.text[out[-1].end:d.start])):
            break  # the first block only: later ones sign other documents
        out.append(d)
    return out


def _without_dates(text: str) -> str:
    """``text`` with its dates blanked out (what is left of a row of signature dates)."""
    for f in reversed(find_dates(text)):
        text = text[:f.start] + " " + text[f.end:]
    return text


def last_signature(ctx: Context) -> tuple[FoundDate, str | None] | None:
    """The latest date of the first signature block, when its dates are within 90 days of each
    other (wider spreads are more likely other dates than signatures) and no signer's date line
    is left without a date (then the last signature is unknown)."""
    doc = ctx.doc
    sig = signature_dates(ctx)
    if not sig or (max(d.value for d in sig) - min(d.value for d in sig)).days > 90:
        return None
    if any(_SIGNER_CAPTION_BEFORE_DATE.search(doc.text[max(0, d.start - 30):d.start]) for d in sig):
        block_start = max(0, sig[0].start - 300)
        for label in _SIGNER_CAPTION_WITH_COLON.finditer(doc.text[block_start:sig[-1].end + 200]):
            rest = doc.text[block_start + label.end():]
            line, _, following = rest.partition("\n")
            if find_dates(line):
                continue
            labels = 1 + len(_SIGNER_CAPTION_WITH_COLON.findall(line))
            if _SIGNER_CAPTION_WITH_COLON.sub("", line).strip() == "" \
                    and len(find_dates(following.split("\n", 1)[0])) >= labels:
                continue  # a row of labels ("Date: Date:") over a row of as many dates
            return None  # a signer's date line without a date: the last signature is unknown
    last = max(sig, key=lambda d: (d.value, d.start))
    return last, (None if len({d.value for d in sig}) == 1 else "the latest signature date")
