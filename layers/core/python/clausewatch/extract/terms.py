"""Key terms: dates, term and renewal, notice, termination, payment, pricing, SLA, survival, law.

Each reader looks for the clause wording real contracts use, quotes the sentence it read as
evidence and abstains (returns None) when the wording is ambiguous: a wrong date is worse than a
missing one. Computed dates go through ``clausewatch.dates`` so they carry their arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .. import dates
from ..dates import Duration, TermEndConvention
from .datetext import FoundDate, FoundPartialDate, PartialDate, find_blank_dates, find_dates
from .document import Document, Span
from .jurisdictions import ADJECTIVES, JURISDICTION_RE, canonical
from .model import ExtractOptions, Term
from .numbers import DURATION_RE, NUMBER, duration_of, number_value, ordinal_to_int, words_to_int

F = re.IGNORECASE


@dataclass
class Context:
    doc: Document
    options: ExtractOptions
    terms: dict[str, Term | None]
    # the date of the amended agreement (an amendment quotes it; it is not this document's date)
    excluded_dates: tuple[tuple[int, int], ...] = ()
    # finding dates is the costly part of reading: the same range is not searched twice
    _found: dict = field(default_factory=dict, repr=False)

    def _all_dates(self, start: int, end: int) -> list[FoundDate]:
        key = ("all", start, end)
        if key not in self._found:
            self._found[key] = find_dates(self.doc.text, start, end, self.options.date_order)
        return self._found[key]

    def _kept(self, found: list) -> list:
        return [d for d in found if not any(s <= d.start < e for s, e in self.excluded_dates)
                and not self.doc.in_furniture(d.start)]

    def dates_in(self, start: int, end: int) -> list[FoundDate]:
        key = ("dates", start, end)
        if key not in self._found:
            self._found[key] = self._kept(self._all_dates(start, end))
        return list(self._found[key])

    def blank_dates_in(self, start: int, end: int) -> list[FoundPartialDate]:
        key = ("blank", start, end)
        if key not in self._found:
            self._found[key] = self._kept(find_blank_dates(self.doc.text, start, end,
                                                           whole_dates=self._all_dates(start, end)))
        return list(self._found[key])

    def term(self, value, span: Span | tuple[int, int], derivation: str | None = None,
             confidence: float | None = None, **extra) -> Term:
        s, e = (span.start, span.end) if isinstance(span, Span) else span
        return Term(value=value, evidence=self.doc.evidence(s, e), derivation=derivation,
                    confidence=confidence, extra=extra)


def _iso(value: date | PartialDate) -> str:
    return value.isoformat()


def _full_date(term: Term | None) -> date | None:
    """The date a date term holds, or None when it is absent or written with blanks ("2018-03")."""
    return None if term is None else dates.parse_day(term.value)


# --- agreement and effective dates ---------------------------------------------------------------

# how far into the document the preamble (title, parties, date) may reach
_PREAMBLE_CHARS = 6000
# a date introduced as this document's date: a cue shortly before the date
_AGREEMENT_CUE = re.compile(
    r"(?:\bdated|\bmade|\bentered\s+into|\bexecuted|\beffective|\bsigned|\bconcluded|\bdate|\bupdated|\bas\s+of|"
    r"\bagreement|\bamendment|\bcontract|\baddendum)\b(?:(?!\b(?:until|through|to|expir\w*|terminat\w*|end\w*|"
    r"between|and|prior|after|before)\b)(?:[^.;()\"]|(?<=\b[A-Z])\.)){0,30}$|^\s*$|"
    r"\bbetween\s+the\s+(?:following\s+)?(?:two\s+|three\s+)?parties\s+on\s+$", F)
# ... unless the sentence is about another agreement ("that certain Supply Agreement dated ...")
_OTHER_DOCUMENT = re.compile(
    r"\b(?:WHEREAS|that\s+certain|supersede\w*|previously|original(?:ly)?|prior|existing|filed|(?<!this\s)letter|"
    r"proposal|"
    r"Issue|Revision|Version|pursuant\s+to|described\s+in|under\s+the)\b", F)
_OTHER_DOCUMENT_NEAR = re.compile(r"\b(?:amended|restated|terminat\w*|expir\w*|incorporated|formed|organized)\b"
                                  r"(?![^.]{0,60}\bthis\s+\"?Agreement)[^.;]{0,40}$", F)
# this document's own title: "AMENDED AND RESTATED REMARKETING AGREEMENT" on a line of its own
_RESTATED_TITLE = re.compile(r"(?:^|\n)[ \t]*AMENDED\s+AND\s+RESTATED\s+(?:[A-Z][A-Z&-]*\s+){0,6}"
                             r"(?:AGREEMENT|CONTRACT)[ \t]*\n[ \t]*$")
_TOC = re.compile(r"table\s+of\s+contents", F)
_THIS_DOCUMENT = re.compile(
    r"\bthis\s+(?:[\w&,/-]+\s+){0,8}?(?:Agreement|Contract|Amendment|Addendum|Deed|Memorandum|MOU|Letter)\b|"
    r"\bthis\s+(?:Exhibit|Schedule|Supplement|Statement\s+of\s+Work|Order\s+Form)\b[^.;]{0,20}?\s(?:is|was)\s+"
    r"(?:made|dated|entered\s+into)\b|"
    r"\(\s*(?:the\s+|this\s+)?\"\s*(?:Agreement|Contract|Amendment)\s*\"\s*\)|\bhereby\s+agree|"
    r"\bthe\s+parties\s+hereto|"
    r"(?:^|\n)[ \t]*(?:[A-Z][A-Za-z&,-]*\s+){0,6}AGREEMENT\s+(?:is\s+)?(?:made|dated|entered\s+into)\b", F)


_PREAMBLE_START = re.compile(r"\bTHIS\s+[A-Z ,\-]*?(?:AGREEMENT|CONTRACT|AMENDMENT)\b|\bThis\s+[A-Za-z ,\-]*?"
                             r"(?:Agreement|Contract|Amendment)\s+(?:is|\(|dated|made|entered)")


def preamble_span(doc: Document) -> tuple[int, int]:
    """Where the preamble (title, parties, date) is: after any table of contents."""
    text = doc.text
    m = _TOC.search(text, 0, 3000)
    start = 0
    if m:
        # skip a table of contents: the preamble follows it ("THIS AGREEMENT ... between")
        n = _PREAMBLE_START.search(text, m.end(), m.end() + 30000)
        if n and re.search(r"\bbetween\b|\bamong\b", text[n.start():n.start() + 800], F):
            start = n.start()
    return start, min(len(text), start + _PREAMBLE_CHARS)


_PREAMBLE_STOP = re.compile(
    r"\bWHEREAS\b|\bRECITALS?\b|\bBACKGROUND\b|\bNOW,?\s+THEREFORE\b|\bIN\s+WITNESS\s+WHEREOF|"
    r"\n\s*(?:1\.|1\.1\.?|ARTICLE\s+(?:1|I|ONE)\b|Section\s+1\b\.?)\s", F)


def _preamble_dates(ctx: Context, blank: bool = False) -> list:
    """Dates on the cover and in the preamble, before the recitals or the first section (with
    ``blank``, the dates written with blanks there instead)."""
    doc = ctx.doc
    start, end = preamble_span(doc)
    out = []
    for region_start, region_end in ((0, min(start, 3000)), (start, end)):
        if region_end <= region_start:
            continue
        between = re.search(r"\bbetween\b|\bamong\b|\bby\s+and\b", doc.text[region_start:region_end], F)
        search_from = region_start + (between.end() if between else 0)
        stop_at = _PREAMBLE_STOP.search(doc.text, search_from, region_end)
        stop = stop_at.start() if stop_at else region_end
        out.extend(ctx.blank_dates_in(region_start, stop) if blank else ctx.dates_in(region_start, stop))
    return out


def _title_line(doc: Document, offset: int) -> bool:
    """Is ``offset`` in a title-block line ("SUPPLY AGREEMENT dated as of", "Effective Date:"),
    rather than in the middle of a sentence?"""
    line_start = doc.text.rfind("\n", 0, offset) + 1
    head = doc.text[line_start:offset]
    words = re.sub(r"\b(?:dated|as\s+of|date|effective|made)\b", "", head, flags=F)
    if len(head) > 60 or re.search(r"[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}", words):
        return False
    if re.match(r"[ \t]*(?:Dated|DATED)\b", head):
        return True  # a line of its own that starts "Dated as of": a cover line, not a wrapped sentence
    previous = doc.text[max(0, line_start - 80):max(0, line_start - 1)].rstrip()
    previous_line = previous.rsplit("\n", 1)[-1].strip()
    if re.fullmatch(r"(?:[A-Z][\w&'-]*\s+){0,8}(?:Agreement|Contract)", previous_line):
        return True  # under a title in title case ("Project Cooperation Agreement")
    return not previous or not re.search(r"[a-z,]$", previous)


def _document_date(ctx: Context, candidates: list) -> tuple | None:
    """Of the preamble's dates, the one introduced as this document's date: (date, sentence,
    strong cue?, the words before it)."""
    doc = ctx.doc
    chosen = None
    cover_end = preamble_span(doc)[0]
    for found in candidates:
        span = doc.sentence(found.start, found.end, max_len=300)
        before = doc.text[max(span.start, found.start - 160):found.start]
        if not _AGREEMENT_CUE.search(before[-45:]):
            continue
        if _OTHER_DOCUMENT.search(before) or (_OTHER_DOCUMENT_NEAR.search(before)
                                               and not _RESTATED_TITLE.search(before)):
            continue
        line = doc.text[doc.text.rfind("\n", 0, found.start) + 1:found.start]
        if re.search(r"\bcommenc\w*|\bstart\b", line[-60:], F) and not _STRONG_CUE.search(line[-60:]):
            continue  # when service or the term starts, not when the document was made
        if not before[-45:].strip() and re.match(r"[ \t]*[,.]?[ \t]*[A-Za-z]", doc.text[found.end:found.end + 40]):
            continue  # a bare date that runs into other words (a letterhead, a table row) is not a title date
        if _in_signature_block(doc, found):
            continue  # a signer's date: the signature blocks are read together below
        if _TERM_END_AFTER.search(doc.text[found.end:span.end]):
            continue  # "effective as of August 1, 2024 and shall terminate on July 31, 2029": the term's start
        # the sentence must be about this document, or the date sits in a short title-block line
        wide = doc.sentence(found.start, found.end, max_len=1500)
        if not _THIS_DOCUMENT.search(doc.text[wide.start:found.start]) and not _title_line(doc, found.start):
            continue
        strong = bool(_STRONG_CUE.search(before[-45:]))
        if chosen is not None and chosen[0].start >= cover_end:
            break  # a strong cue in the preamble proper may overrule a weak one on the cover only
        if chosen is None or (strong and not chosen[2]):
            chosen = (found, span, strong, before[-45:])
        if strong:
            break
    return chosen


def read_agreement_date(ctx: Context) -> None:
    """The date of this document: a preamble or cover date introduced as such ("dated as of",
    "made this 3rd day of June, 2023", "entered into on", "Date:"); else the signature dates
    ("Date: 1/26/2020 ... Date: 1/27/2020"): the last signature makes the agreement.

    A date introduced only as when the agreement takes effect ("effective as of June 1",
    "Effective Date: June 1") gives way to dated signatures that differ from it: the document was
    made when the last party signed. Dates of signers, of a service start ("Commencement Date:")
    and bare dates that run into other words (a letterhead) are not taken from the preamble."""
    doc = ctx.doc
    chosen = _document_date(ctx, _preamble_dates(ctx))
    if chosen is not None:
        found, span, strong, cue = chosen
        if not strong and _EFFECTIVE_ONLY_CUE.search(cue):
            # "effective as of June 1" / "Effective Date: June 1" says when the agreement takes
            # effect; when the parties dated their signatures, those date the agreement itself
            last = _last_signature(ctx)
            if last is not None and last[0].value != found.value and not _DATED_AS_OF_EFFECTIVE.search(
                    doc.text, *preamble_span(doc)):
                sig = last[0]
                ctx.terms["agreement_date"] = ctx.term(
                    _iso(sig.value), (_signature_evidence_start(ctx.doc, sig), sig.end), confidence=0.6,
                    derivation=f"the latest signature date (the agreement takes effect on {_iso(found.value)})")
                return
        ctx.terms["agreement_date"] = ctx.term(_iso(found.value), span)
        return
    # the testimonium: "IN WITNESS WHEREOF, the parties have executed this Agreement on the 1st day of June, 2006"
    for m in re.finditer(r"IN\s+WITNESS\s+WHEREOF", doc.text, F):
        span = doc.sentence(m.start(), m.end(), max_len=400)
        found = ctx.dates_in(m.end(), span.end)
        if found and re.search(r"(?:on|this|as\s+of|dated?)\s+(?:the\s+)?(?:day\s+)?$",
                               doc.text[max(m.end(), found[0].start - 20):found[0].start], F):
            ctx.terms["agreement_date"] = ctx.term(_iso(found[0].value), (m.start(), span.end))
            return
    # "This Agreement is dated April 29, 2010." anywhere (often the last clause), "THIS GLOBAL MAINTENANCE
    # AGREEMENT (HEREINAFTER "GMMA") IS MADE ON March 9th 2015" after a cover page and a table of contents
    for m in re.finditer(r"\b(?:This|THIS)\s+(?:[A-Z][\w-]*\s+){0,4}(?i:agreement|contract|amendment)\s+"
                         r"(?:\([^()]{0,120}\)\s*)?(?i:is|was)\s+(?i:dated|made|executed|signed|entered\s+into)\s+"
                         r"(?i:as\s+of\s+|on\s+)?(?i:this\s+|the\s+)?", doc.text):
        found = ctx.dates_in(m.end(), m.end() + 40)
        if found and found[0].start == m.end():
            ctx.terms["agreement_date"] = ctx.term(_iso(found[0].value), doc.sentence(m.start(), found[0].end))
            return
    # signature-page dates: the agreement is made when the last party signs
    last = _last_signature(ctx)
    if last is not None:
        found, derivation = last
        ctx.terms["agreement_date"] = ctx.term(_iso(found.value),
                                               (_signature_evidence_start(ctx.doc, found), found.end),
                                               derivation=derivation, confidence=0.6)
        return
    # the date was left blank in the signed copy ("made this ___ day of March, 2018"): the parts filled in
    chosen = _document_date(ctx, _preamble_dates(ctx, blank=True))
    if chosen is not None:
        found, span, _, _ = chosen
        ctx.terms["agreement_date"] = ctx.term(found.value.isoformat(), span, derivation=_blank_note(found.value))


def _signature_evidence_start(doc: Document, found: FoundDate) -> int:
    """Quote a signer's date with its caption ("Date: 1/27/2020"), not part of the date before it."""
    line_start = doc.text.rfind("\n", 0, found.start) + 1
    caption = re.search(rf"{_SIGNER_CAPTION}\s*:*\s*$", doc.text[line_start:found.start])
    return line_start + caption.start() if caption else found.start


def _blank_note(value: PartialDate) -> str:
    filled = "only the year is" if value.month is None else "only the month and year are"
    return f"written with blanks: {filled} filled in"


# "This Agreement is entered into as of the Effective Date": the document is dated by its Effective Date
_DATED_AS_OF_EFFECTIVE = re.compile(r"\b(?:made|entered\s+into|dated|executed)\s+(?:and\s+is\s+effective\s+)?"
                                    r"(?:as\s+of|on)\s+"
                                    r"the\s+\"?Effective\s+Date\b", F)
# a sentence that goes on to end the term: its first date is when the term starts, not the document's
_TERM_END_AFTER = re.compile(r"\b(?i:terminat\w*|expir\w*|end)\s+(?i:on|upon)\s+(?:the\s+)?[A-Z0-9]")
# a cue that dates the document itself ("dated", "made", "entered into", "executed", "signed"), as
# opposed to one that only says when it takes effect ("effective as of", "Effective Date:")
_STRONG_CUE = re.compile(r"\b(?:dated|made|entered\s+into|executed|signed|concluded)\b", F)
_EFFECTIVE_ONLY_CUE = re.compile(r"\beffective\b|\bcommenc\w*|\bin\s+force\b", F)
# signature-block furniture: "/s/ Jane Roe", "By:", "Name:", "Title:", "Its:"
_SIG_MARK = re.compile(r"/s/|\bB[Yy]\s*:|(?:^|\n)[ \t]*(?:Name|NAME|Title|TITLE|Its|ITS)\s*:|"
                       r"\b(?:Signature|SIGNATURE)\s*:|"
                       r"IN\s+WITNESS\s+WHEREOF|\bAuthorized\s+Signature", 0)
# a heading that starts another document (an exhibit or schedule after the signatures)
_SIG_BREAK = re.compile(r"\n\s*(?:APPENDIX|EXHIBIT|SCHEDULE|ATTACHMENT|ANNEX|ADDENDUM|Appendix|Exhibit|Schedule|"
                        r"Attachment|Annex)\b")
# the caption of a signer's date: "Date:", "Dated:", "Executed on:", "Date signed:"
_SIGNER_CAPTION = r"\b(?:Dated?|DATED?|Executed\s+on|Signed\s+on|Date\s+signed)"
_SIG_DATE_LABEL = re.compile(r"(?<!Effective )(?<!EFFECTIVE )(?<!Commencement )(?<!COMMENCEMENT )(?<!Expiration )"
                             r"(?<!Termination )(?<!Start )(?<!End )" + _SIGNER_CAPTION + r"\s*:+\s*$")


def _in_signature_block(doc: Document, found: FoundDate) -> bool:
    """Is ``found`` a signer's date ("By: /s/ Jane Roe ... Date: 3/21/08")?"""
    if not _SIG_DATE_LABEL.search(doc.text[max(0, found.start - 30):found.start]):
        return False
    before = doc.text[max(0, found.start - 400):found.start]
    cut = list(_SIG_BREAK.finditer(before))
    if cut:
        before = before[cut[-1].end():]
    after = doc.text[found.end:found.end + 300]
    cut = _SIG_BREAK.search(after)
    if cut:
        after = after[:cut.start()]
    return bool(_SIG_MARK.search(before) or _SIG_MARK.search(after))


# what marks a signature in EDGAR text: "/s/ Jane Roe", "\\s\\ Jane Roe", "S/ Jane Roe", "(signature)",
# "Authorized Signature", "Signature:"
_SIGNED = re.compile(r"/s/|\\s\\|(?:^|\s)S/\s|\(signature\)|\bSignature\b", re.IGNORECASE)
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
    cut = list(_SIG_BREAK.finditer(before))
    if cut:
        before = before[cut[-1].end():]
    if _SIGNED.search(before):
        return True
    # a row of dates over a row of "Date" captions ("03/24/06 03/24/06 / ____ ____ / Date Date"),
    # with the signatures around them
    below = doc.text[line_end:line_end + 300]
    # blank lines first: "\s*\n[\s_]*" once, not "(?:\s*\n[ \t_]*)*", which backtracks exponentially
    # over a run of newlines with no caption after it
    caption = re.match(r"(?:\s*\n[\s_]*)?\n[ \t]*(?:Date[ \t]*)+\n", below)
    return bool(caption and not words.strip() and _SIGNED.search(below[caption.end():caption.end() + 200]))


def _signature_dates(ctx: Context) -> list[FoundDate]:
    """The dates of the first signature block: "Date:" lines beside "By:"/"/s/" lines, or dates
    on the signature lines themselves ("/s/ A 7/14/11", a row "7/14/11 7/18/11" under them)."""
    doc = ctx.doc
    out: list[FoundDate] = []
    for d in ctx.dates_in(0, len(doc.text)):
        if not _in_signature_block(doc, d) and not _signature_line_date(doc, d):
            continue
        if out and (d.start - out[-1].end > 400 or _SIG_BREAK.search(doc.text[out[-1].end:d.start])):
            break  # the first block only: later ones sign other documents
        out.append(d)
    return out


def _without_dates(text: str) -> str:
    """``text`` with its dates blanked out (what is left of a row of signature dates)."""
    for f in reversed(find_dates(text)):
        text = text[:f.start] + " " + text[f.end:]
    return text


_DATE_LABELS = re.compile(_SIGNER_CAPTION + r"(?:\s+of)?\s*:", F)


def _last_signature(ctx: Context) -> tuple[FoundDate, str | None] | None:
    """The latest date of the first signature block, when its dates are within 90 days of each
    other (wider spreads are more likely other dates than signatures) and no signer's date line
    is left without a date (then the last signature is unknown)."""
    doc = ctx.doc
    sig = _signature_dates(ctx)
    if not sig or (max(d.value for d in sig) - min(d.value for d in sig)).days > 90:
        return None
    if any(_SIG_DATE_LABEL.search(doc.text[max(0, d.start - 30):d.start]) for d in sig):
        block_start = max(0, sig[0].start - 300)
        for label in _DATE_LABELS.finditer(doc.text[block_start:sig[-1].end + 200]):
            rest = doc.text[block_start + label.end():]
            line, _, following = rest.partition("\n")
            if find_dates(line):
                continue
            labels = 1 + len(_DATE_LABELS.findall(line))
            if _DATE_LABELS.sub("", line).strip() == "" and len(find_dates(following.split("\n", 1)[0])) >= labels:
                continue  # a row of labels ("Date: Date:") over a row of as many dates
            return None  # a signer's date line without a date: the last signature is unknown
    last = max(sig, key=lambda d: (d.value, d.start))
    return last, (None if len({d.value for d in sig}) == 1 else "the latest signature date")


_EFFECTIVE_NAME = r"(?:Amendment\s+)?(?:Effective|Commencement|Start)\s*Date"
_Q = r"\"?\s*"  # an optional quote, with the stray space PDF text often has inside quotes
_EFFECTIVE_AFTER = re.compile(
    rf"^[\s,]*(?:the\s+|,?\s*\d{{4}}\s*)?\(\s*(?:the\s+|this\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?|"
    rf"such\s+date\s+"
    rf"(?:being\s+)?(?:the\s+)?|which\s+(?:date\s+)?shall\s+be\s+(?:the\s+)?)?{_Q}{_EFFECTIVE_NAME}\s*\"?|"
    rf"^\s*,?\s*hereinafter\s+(?:called|referred\s+to\s+as)\s+(?:the\s+)?{_Q}{_EFFECTIVE_NAME}\b", F)
_EFFECTIVE_NAMED_BEFORE = re.compile(
    rf"{_Q}{_EFFECTIVE_NAME}\s*{_Q}\s*(?:(?:of|for|under)\s+this\s+(?:[\w-]+\s+){{0,3}}(?:Agreement|Contract)\s*)?"
    rf"(?:\([^)]{{0,60}}\)\s*)?"
    rf"(?:(?:shall\s+)?(?:mean|means|is|shall\s+be|will\s+be|:|-)|(?<![a-z] )(?<=[Dd][Aa][Tt][Ee])[ \t]*\n)\s*:?\s*"
    rf"(?:the\s+)?(?:date\s+of\s+)?"
    rf"(?:\d{{1,2}}:\d{{2}}\s*[ap]\.?m\.?[^.;]{{0,40}}?\bon\s+|[^.;]{{0,80}}?,?\s*i\.\s?e\.,?\s*)?$|"
    rf"(?:^|\n)[ \t]*(?:[\d.]+[ \t]*)?(?:Effective|Commencement)[ \t]+Date[ \t]+$|"
    rf"(?-i:\b(?:Addendum[ \t]+)?Effective[ \t]+Date)[ \t]+$|"
    rf"(?:^|\n)[ \t]*(?:[\d.]+[ \t]*)?(?:Effective|Commencement)[ \t]+Date[ \t]+(?:for|of)[ \t]+"
    rf"[^:\n.;]{{1,50}}:[ \t]*$|"
    rf"(?:^|\n)[ \t]*(?:[\d.]+[ \t]*)?(?:Contract|Agreement)[ \t]+(?:start|commencement)(?:[ \t]+date)?"
    rf"[ \t]*:[ \t]*$", F)
_EFFECTIVE_VERB_BEFORE = re.compile(
    rf"(?:\b(?:effective(?:\s+for\s+all\s+purposes(?:\s+and\s+in\s+all\s+respects)?)?|commenc\w*|begin\w*|in\s+force|"
    rf"come\s+into\s+(?:force|effect))\s+(?:as\s+)?(?:of|on|from|upon)"
    rf"\s+(?:this\s+|the\s+)?|\beffective\s+(?:date\s+)?(?:of\s+this\s+(?:Agreement|Contract)\s+)?"
    rf"(?:shall\s+be|is)\s*:?\s*|\bentered\s+into\s+effect\s+(?:on\s+)?(?:the\s+)?|\beffective\s+)$", F)
_THIS_AGREEMENT = re.compile(r"\bthis\s+(?:[A-Z][\w-]*\s+){0,7}(?:Agreement|Contract|Amendment|Addendum)\b|"
                             r"\(\s*(?:this|the)\s+\"\s*(?:Agreement|Contract|Amendment)\s*\"\s*\)|"
                             r"\bthe\s+(?:Initial\s+)?Term\b|\bterm\s+of\s+this\b|"
                             r"\bthe\s+Joint\s+Venture\s+shall\s+(?:commence|begin)\b", F)
_AS_OF_SIGNING = (r"(?:the\s+)?(?:first\s+date\s+(?:above\s+)?written(?:\s+above)?|"
                  r"(?:day\s+and\s+year|date\s+and\s+year|date)\s+(?:first\s+)?(?:above\s+)?(?:written|"
                  r"set\s+forth|"
                  r"stated|mentioned|listed|shown)(?:\s+above)?|(?:the\s+)?date\s+(?:hereof|of\s+this\s+(?:Agreement|"
                  r"Contract)))")
_EFFECTIVE_IS_SIGNING = re.compile(
    rf"{_Q}{_EFFECTIVE_NAME}{_Q}\s*(?:shall\s+)?(?:mean|means|is|shall\s+be)\s+(?:{_AS_OF_SIGNING})|"
    rf"(?:this\s+(?:[A-Z][\w-]*\s+){{0,5}}(?:Agreement|Contract)|the\s+\"?Term\"?)(?:(?!\bperiod\b)[^.;]){{0,80}}?"
    rf"\b(?:effective|commenc\w*|begin\w*|start\w*|in\s+(?:full\s+)?force)\s+(?:as\s+of\s+|on\s+|upon\s+|"
    rf"from\s+)(?:{_AS_OF_SIGNING})|"
    rf"\bexecuted\s+as\s+of\s+(?:{_AS_OF_SIGNING})\s+and\s+(?:shall|will)\s+(?:be|become)\s+effective\s+"
    rf"simultaneously", F)
# the agreement takes effect when the last party signs: the signature blocks date it
_EFFECTIVE_IS_LAST_SIGNATURE = re.compile(
    r"(?:effective|come\s+into\s+(?:force|effect)|enter\s+into\s+(?:force|effect)|take\s+effect|commenc\w*|"
    r"begin\w*|entered\s+into)\s+"
    r"(?:on|upon|as\s+of|from)\s+(?:the\s+)?(?:later\s+of\s+the\s+(?:two\s+)?(?:signature\s+)?dates|"
    r"(?:latest|last|later)\s+(?:of\s+the\s+)?dates?\s+(?:referenced|set\s+forth|written|shown|indicated)\s+(?:on|"
    r"below|in)\s+"
    r"(?:the\s+)?signature|"
    r"(?:date|day)\s+(?:of\s+)?(?:the\s+)?(?:last|final|later|latter)\s+(?:signature|execution|date\s+signed)|"
    r"(?:date|day)\s+(?:on\s+which\s+|that\s+|when\s+)?(?:it|this\s+Agreement)\s+(?:is|has\s+been)\s+(?:signed|"
    r"executed)\s+by\s+"
    r"(?:both|all|the\s+last)|last\s+date\s+(?:signed|written)\s+below|date\s+last\s+written\s+below|"
    r"(?:date\s+of\s+)?(?:its\s+)?(?:full\s+)?execution\s+by\s+(?:both|all)\s+parties)|"
    r"\b(?:become|be|shall\s+be)\s+(?:effective|in\s+effect)\s+(?:when|once|after)\s+(?:it|this\s+Agreement)\s+"
    r"(?:shall\s+have\s+been|has\s+been|is)\s+(?:executed|signed)\s+by\s+(?:all|both|each\s+of\s+the)\s+parties|"
    r"\bin\s+effect\s+beginning\s+(?:on\s+)?the\s+last\s+date\s+of\s+(?:execution|signature)\b|"
    r"\"?\s*Effective\s+Date\s*\"?\s*(?:of\s+this\s+Agreement\s+)?(?:shall\s+)?(?:mean|means|is)\s+(?:the\s+)?"
    r"(?:date\s+(?:of\s+|on\s+which\s+)?(?:the\s+)?(?:last|final|later|most\s+recent(?:\s+final)?)\s+(?:signature|"
    r"party\s+(?:hereto\s+)?(?:to\s+|has\s+|shall\s+have\s+)?"
    r"(?:sign|execute)\w*|execution)|later\s+of\s+the\s+(?:two\s+)?(?:signature\s+)?dates|"
    r"date\s+last\s+written\s+below)", F)
# "effective beginning on 12:01 a.m. ... on the day after the date of last signature"
_EFFECTIVE_DAY_AFTER_SIGNATURE = re.compile(
    r"\beffective\s+(?:beginning\s+)?(?:on|as\s+of)\s+(?:\d{1,2}:\d{2}\s*[ap]\.?m\.?[^.;]{0,40}?\bon\s+)?the\s+day\s+"
    r"(?:after|following)\s+the\s+(?:date\s+of\s+(?:the\s+)?last\s+signature|last\s+date\s+of\s+signature|"
    r"date\s+(?:on\s+which\s+)?(?:this\s+Agreement|it)\s+(?:is|has\s+been)\s+signed\s+by\s+(?:both|all|the\s+last))", F)
# the agreement takes effect when it is signed: the signature blocks (or the document's own date) date it
_EFFECTIVE_ON_SIGNING = re.compile(
    r"(?:this\s+(?:[A-Z][\w-]*\s+){0,5}(?:Agreement|Contract|Amendment)|the\s+\"?Term\"?)"
    r"(?:(?!\bperiod\b)[^.;\"]){0,60}?"
    r"\b(?:commenc\w*|begin\w*|take\s+effect|enter\s+into\s+(?:force|effect)|come\s+into\s+(?:force|effect)|"
    r"become\s+effective|be\s+effective|effective)\s+(?:up)?on\s+(?:the\s+)?(?:date\s+of\s+)?(?:its\s+|the\s+)?"
    r"(?:signed\s+acceptance|(?:full\s+)?execution|signature|signing)\b(?!\s+of\s+(?:any|each|an?|such)\b)|"
    r"\b(?:commenc\w*|begin\w*|take\s+effect|effective)\s+(?:up)?on\s+the\s+date\s+(?:on\s+which\s+)?"
    r"(?:(?:this|the)\s+(?:Agreement|Contract|Amendment)|it)\s+(?:is|has\s+been)\s+(?:signed|executed)\b", F)
_EFFECTIVE_DEFINED = re.compile(rf"\"\s*{_EFFECTIVE_NAME}\s*\"|\(\s*the\s+{_EFFECTIVE_NAME}\s*\)", F)


# "the fiscal year which begins on April 1", "installments commencing on January 15": not the agreement
_SCHEDULE_STARTING = re.compile(
    r"\b(?:year|quarter|month|period|week|installments?|payments?)\s+(?:which\s+|that\s+)?(?:shall\s+|will\s+)?"
    r"(?:begin\w*|commenc\w*)\s+(?:on|as\s+of|from|with)\s+(?:the\s+)?$", F)


# "This Agreement sets out ... It shall be effective on DATE": "It" opening the sentence right after
# one whose subject is the agreement stands for the agreement
_IT_OPENS = re.compile(r"\s*It\s+(?:shall|will|is\s+to)\s+(?:be|become|come|enter|take|commence|remain|continue)\b")
_AGREEMENT_OPENS = re.compile(r"\s*(?:[^\n;]{0,60}\n\s*)?(?:[\d.()a-z]+\s+)?(?:This|The)\s+(?:[A-Z][\w-]*\s+){0,5}"
                              r"(?i:agreement|contract)\s+"
                              r"(?:shall|will|may|is|has)?\s*[a-z]+\b")


def _it_is_the_agreement(doc: Document, span: Span) -> bool:
    if not _IT_OPENS.match(doc.text[span.start:span.end]):
        return False
    last = len(doc.text[:span.start].rstrip()) - 1  # the previous sentence's last character
    if last < 0 or span.start - last > 12:
        return False
    prev = doc.sentence(last)
    return bool(_AGREEMENT_OPENS.match(doc.text[prev.start:prev.end]))


def _named_effective_date(ctx: Context, founds: list) -> tuple | None:
    """Of ``founds``, the date named "Effective Date" (first) or said to be when the agreement
    takes effect ("This Agreement shall be effective as of DATE"): (date, sentence), or None."""
    doc = ctx.doc
    candidates = []  # (rank, offset, found): a date named "Effective Date" beats "effective as of"
    preamble_end = preamble_span(doc)[1]
    plain_defined = re.search(r"\"\s*Effective\s+Date\s*\"", doc.text, F)
    for found in founds:
        after = doc.text[found.end:found.end + 120]
        before = doc.text[max(0, found.start - 120):found.start]
        named = _EFFECTIVE_AFTER.search(after) or _EFFECTIVE_NAMED_BEFORE.search(before)
        if not named and not _EFFECTIVE_VERB_BEFORE.search(before):
            continue
        clause = re.split(r"[.;](?=\s)", before)[-1]  # the previous definition or sentence is not this one
        if _OTHER_DOCUMENT.search(clause[-60:] if named else clause[-100:]) \
                or re.search(r"terminat\w*[^.;]{0,60}$", before, F):
            continue
        if not named and _SCHEDULE_STARTING.search(before):
            continue  # a fiscal year or an instalment schedule starting, not the agreement
        if named and re.search(r"Amendment\s+Effective\s+Date", named.group(0), F) and plain_defined:
            continue  # an amendment's date inside a restated agreement that has its own Effective Date
        span = doc.sentence(found.start, found.end, max_len=300)
        if named:
            if (found.start > preamble_end and not re.search(r"\"|\bmeans?\b|\bshall\s+be\b|\bis\b", named.group(0), F)
                    and ctx.terms.get("agreement_date") is not None and _EFFECTIVE_IS_SIGNING.search(doc.text)):
                continue  # a bare "Effective Date:" label deep in a schedule (a price list) loses to the
                # agreement's own rule that it is effective as of its date
            candidates.append((0, found.start, found, span))
            break
        # "this Agreement shall be effective as of DATE": the verb must belong to the agreement
        if _THIS_AGREEMENT.search(doc.text[span.start:found.end]) or _it_is_the_agreement(doc, span):
            candidates.append((1, found.start, found, span))
    if not candidates:
        return None
    _, _, found, span = min(candidates, key=lambda c: (c[0], c[1]))
    return found, span


def read_effective_date(ctx: Context) -> None:
    """The date the agreement takes effect: a date named "Effective Date", "effective as of
    DATE", or an Effective Date defined as the date of the agreement ("the date first written
    above"), as the date of (the day after) the last signature, or as the date of execution
    ("shall become effective on the date of its execution": the last signature, else the
    document's own date when its signatures are not dated). An Effective Date the document uses
    without defining is not guessed: measured on CUAD, taking the agreement date for it was wrong
    more often than a reader would accept."""
    doc = ctx.doc
    named = _named_effective_date(ctx, ctx.dates_in(0, len(doc.text)))
    if named is not None:
        ctx.terms["effective_date"] = ctx.term(_iso(named[0].value), named[1])
        return
    named = _named_effective_date(ctx, ctx.blank_dates_in(0, len(doc.text)))
    if named is not None:  # "effective as of ________, 2020": the parts filled in
        ctx.terms["effective_date"] = ctx.term(_iso(named[0].value), named[1], derivation=_blank_note(named[0].value))
        return
    m = _EFFECTIVE_DAY_AFTER_SIGNATURE.search(doc.text)
    if m:
        last = _last_signature(ctx)
        if last is not None:
            value = last[0].value + timedelta(days=1)
            ctx.terms["effective_date"] = ctx.term(
                _iso(value), doc.sentence(m.start(), m.end(), max_len=300),
                derivation=f"the day after the last signature ({_iso(last[0].value)} + P1D)")
        return
    m = _EFFECTIVE_IS_LAST_SIGNATURE.search(doc.text) or _EFFECTIVE_ON_SIGNING.search(doc.text)
    if m:
        last = _last_signature(ctx)
        agreement = ctx.terms.get("agreement_date")
        span = doc.sentence(m.start(), m.end(), max_len=300)
        if last is not None and agreement is not None and agreement.derivation is None \
                and _full_date(agreement) is not None \
                and abs((last[0].value - _full_date(agreement)).days) > 366:
            return  # signatures and the document's own date a year or more apart: one is a typo
        if last is not None:
            found, _ = last
            ctx.terms["effective_date"] = ctx.term(
                _iso(found.value), span,
                derivation=f"the date of the last signature ({_iso(found.value)}, signature block)")
        elif agreement is not None and agreement.derivation is None and _EFFECTIVE_ON_SIGNING.search(doc.text):
            # no dated signatures: the document's own date ("made on", "executed as of") is its signing
            ctx.terms["effective_date"] = ctx.term(
                agreement.value, span,
                derivation=f"agreement_date {agreement.value} (effective on signature; the signatures are not dated)")
        return
    agreement = ctx.terms.get("agreement_date")
    if agreement is None:
        return
    m = _EFFECTIVE_IS_SIGNING.search(doc.text)
    if m:
        span = doc.sentence(m.start(), m.end(), max_len=300)
        ctx.terms["effective_date"] = ctx.term(
            agreement.value, span,
            derivation=f"agreement_date {agreement.value} (effective as of the date of the agreement)")
        return


def agreement_date_from_effective(ctx: Context) -> None:
    """A document that states no date of its own but an Effective Date is dated by it."""
    effective = ctx.terms.get("effective_date")
    # not when dated signatures did not settle the date, nor when the effective date is when a service
    # starts or commences (that does not date the document)
    if ctx.terms.get("agreement_date") is None and effective is not None and effective.derivation is None \
            and not _signature_dates(ctx) and not re.search(r"\bstart|commenc", effective.evidence.text, F) \
            and not _TERM_END_AFTER.search(effective.evidence.text):
        ctx.terms["agreement_date"] = Term(value=effective.value, evidence=effective.evidence,
                                           derivation="the effective date (the document states no other date)",
                                           confidence=0.5)


# --- term, expiration, renewal, notice ---------------------------------------------------------

# the subject of a term clause ("The term of this Agreement", "This Agreement", "The Initial Term")
_TERM_SUBJECT = re.compile(
    r"\b(?:the\s+)?(?:initial\s+|original\s+)?term\b(?:\s+of\s+(?:this|the)\s+(?:[A-Z][\w-]*\s+){0,5}"
    r"(?:Agreement|Contract|Amendment))?|\bthis\s+(?:[A-Z][\w-]*\s+){0,5}(?:Agreement|Contract|Amendment|Addendum)\b|"
    r"\bthe\s+Agreement\b|\b(?:Contract|Agreement)\s+Period\b|\bInitial\s+Period\b|"
    r"\bthe\s+Joint\s+Venture\s+(?=shall\s+(?:commence|begin|continue|terminate|expire))", F)
# ... followed by a verb that gives it a time span
_TERM_VERB = re.compile(
    r"[^.;]{0,160}?\b(?:commenc\w*|begin\w*|continu\w*|remain\w*|expir\w*|terminat\w*|end|ends|ending|"
    r"be\s+(?:for|valid|in\s+(?:full\s+)?(?:force|effect)|effective)|is\s+for|is|be|run|runs|last|lasts|"
    r"extend\w*|take\s+effect|come\s+into\s+(?:force|effect)|means|mean|have|has)\b", F)
_TERM_OFF_TOPIC = re.compile(
    r"warrant|confidential|surviv|non-?compet|solicit|indemn|insurance|royalt|licen[cs]e\s+term|"
    r"restricted\s+period|payment\s+term|lease\s+term|exclusivity\s+period|\bpatent|option\s+period|"
    r"\b(?:may|right\s+to|entitled\s+to|elect\s+to)\s+terminate\b|\bmay\s+be\s+terminated\s+by\b|"
    r"(?:during|throughout)\s+the\s+term\b[^.;]{0,80}"
    r"\band\s+for\b|\b(?:termination|expiration)\s+of\s+this\s+Agreement\b[^.;]{0,20}\bfor\s+a\s+period|"
    r"\b(?:while|so\s+long\s+as)\s+this\s+Agreement|\band\s+for\s+a\s+period\s+of\b|^\W*(?:and\s+)?WHEREAS\b|"
    r"\bin\s+the\s+event\s+(?:that\s+)?this\s+Agreement\s+is\s+terminated|\b(?:after|upon|following)\s+(?:the\s+)?"
    r"early\s+(?:termination|expiration|expiry)\b|\bmay\s+not\s+be\s+terminated|"
    r"(?:during|throughout)\s+the\s+(?:initial\s+)?term\b", F)
# a term subject that is the object of a preposition ("for the purposes of this Agreement")
_SUBJECT_PREPOSITION = re.compile(
    r"(?:\b(?:of|under|in|to|with|by|for|from|into|upon|on|pursuant\s+to|per|during|after|following|throughout)|"
    r"'s)\s*$", F)
# a definition of something else ("Calendar Quarter" means ...)
_OTHER_DEFINITION = re.compile(r"^\W*(?:[\d.()a-z]+\s*)?\"\s*(?!(?:Initial\s+)?Term\b|Contract\s+Period|"
                               r"Agreement\s+Period)"
                               r"[^\"]{1,40}\"\s*(?:shall\s+)?(?:mean|means|has)\b", F)
_OTHER_ANCHOR = re.compile(
    r"\b(?:later\s+of|earlier\s+of|later\s+to\s+occur|earlier\s+to\s+occur|first\s+to\s+occur|whichever|launch|"
    r"first\s+commercial|commercial\s+(?:sale|launch|operation|production)|in-service|completion|"
    r"approval|delivery|acceptance|installation|opening|closing|expiration\s+of\s+(?:the|any|each|such)|"
    r"expiry|last\s+to\s+expire|date\s+of\s+(?:the\s+)?last\s+signature|receipt|first\s+(?:sale|shipment|order|"
    r"purchase)|"
    r"go-live|availability|contract\s+year|lease\s+year|fiscal|registration|license\s+term|schedule|exhibit|"
    r"appendix|addendum|order\s+form|statement\s+of\s+work|sow|purchase\s+order|calendar\s+year|"
    r"end\s+of\s+(?:the\s+)?(?:year|month|quarter)|year\s+\d)\b", F)
_ANCHOR_EFFECTIVE = re.compile(rf"\b(?:the\s+)?{_EFFECTIVE_NAME}\b", F)
_ANCHOR_SIGNING = re.compile(
    r"\b(?:the\s+)?(?:date\s+(?:hereof|first\s+(?:above\s+)?(?:written|set\s+forth|stated|mentioned)"
    r"(?:\s+above)?|(?:written\s+)?above|of\s+(?:this|the)\s+(?:Agreement|Contract|document)|of\s+execution"
    r"(?:\s+of\s+this\s+(?:Agreement|Contract))?)|Execution\s+Date|day\s+and\s+year\s+first\s+(?:above\s+)?written)", F)
_END_CUE = re.compile(
    r"(?:expir\w*|terminat\w*|\bend\b|\bends\b|ending|until|conclud\w*|end\s+date\s+(?:is|shall\s+be)|"
    r"last\s+day\s+of\s+the\s+term\s+(?:is|shall\s+be)|"
    r"until\s+the\s+(?:earlier|earliest|first)\s+(?:of|to\s+occur)\s*(?:of\s*)?:?\s*(?:\(?(?:a|i|1)\)\s*)?|"
    r"(?:but\s+)?in\s+no\s+event\s+later\s+than)"
    r"\s*(?::\s*)?(?:on\s+)?(?:[^.,;]{0,40}?\bon\s+)?(?:the\s+)?(?:close\s+of\s+business\s+on\s+)?$", F)
_EXTENDED_TO = re.compile(r"\b(?:extended|renewed)\s+(?:to|until|through)\s+(?:and\s+including\s+)?(?:the\s+)?$", F)
_RANGE_END_CUE = re.compile(r"(?:through|thru|including|\bto|until|-)\s*(?:and\s+including\s+)?(?:the\s+)?$", F)
# "shall continue in effect through December 31, 2021", "the Effective Date through June 15, 2001"
_THROUGH_END_CUE = re.compile(
    r"(?:continu\w*|remain\w*|effective|in\s+effect|in\s+force|Effective\s+Date)\s+(?:in\s+(?:full\s+)?(?:force|"
    r"effect)\s+"
    r"(?:and\s+effect\s+)?)?(?:through|thru|up\s+to\s+and\s+including|to\s+and\s+including|"
    r"until)\s+(?:and\s+including\s+)?$", F)
_START_CUE = re.compile(
    r"(?:commenc\w*|begin\w*|beginning|start\w*|effective|from|as\s+of|dated)\s+(?:on\s+|as\s+of\s+|upon\s+)?"
    r"(?:the\s+)?$", F)
_NOTICE_AFTER = re.compile(r"^\s*(?:'s?\s*|s'\s*)?(?:\(\s*\d+\s*\)\s*)?(?:prior|written|advance|"
                           r"notice|before|in\s+advance|preceding|notification)", F)
_RENEWAL_BEFORE = re.compile(
    r"(?:successive|additional|renewal|further|consecutive|subsequent|another|extension|extended|"
    r"renew\w*)\s+(?:[\w()-]+\s+){0,3}$", F)
_TERM_DURATION_BEFORE = re.compile(
    r"(?:\bfor\s+(?:an?\s+|the\s+)?(?:entire\s+|full\s+)?(?:initial\s+|fixed\s+|original\s+)?(?:(?:term|"
    r"period)\s+of\s+)?|"
    r"(?:term|period|duration)\s+(?:of\s+(?:(?:this|the)\s+(?:[\w-]+\s+){0,5}?(?:Agreement|Contract)\s+)?"
    r"(?:shall\s+be|is|will\s+be)\s+|"
    r"shall\s+be\s+|"
    r"is\s+|will\s+be\s+|of\s+)(?:an?\s+|the\s+)?(?:initial\s+)?(?:period\s+of\s+)?|"
    r"\bend\s+|\bexpires?\s+(?:in\s+)?|\bterminate\s+|\buntil\s+|\bcontinu\w*\s+(?:in\s+(?:full\s+)?(?:force|"
    r"effect)\s+)?(?:and\s+effect\s+)?)$", F)
_TERM_DURATION_AFTER = re.compile(
    r"^\s*(?:\(\s*\d+\s*\)\s*)?(?:initial\s+)?(?:term|period|from|after|following|thereafter|commencing|"
    r"beginning|starting|subsequent\s+to)\b", F)
_ANNIVERSARY = re.compile(
    rf"\b(?:the\s+)?(?P<ord>\d+\s*(?:st|nd|rd|th|s\s?t|n\s?d|r\s?d|t\s?h)|first|second|third|fourth|fifth|sixth|"
    rf"seventh|eighth|ninth|"
    rf"tenth|eleventh|twelfth|fifteenth|twentieth|twenty-?fifth)\s*(?:\(\s*\d+\s*(?:st|nd|rd|th|t\s?h)?\s*\)\s*)?"
    rf"anniversary\s+(?:of\s+|(?P<thereof>thereof))(?P<anchor>[^.;,]{{0,60}})|\b(?:the\s+)?(?P<yword>one|two|three|"
    rf"four|five|six|seven|"
    rf"eight|nine|ten|\d+)\s*(?:\(\s*\d+\s*\)\s*)?[\s-]*year\s+anniversary\s+(?:of\s+|"
    rf"thereof)(?P<anchor2>[^.;,]{{0,60}})", F)
# "until the later of ... and ...": the end depends on an event; abstain
_LATER_OF = re.compile(r"\blater\s+(?:of|to\s+occur)\b|\blast\s+to\s+occur\b|"
                       r"\bwhichever\b(?!\s+(?:is\s+|shall\s+|first\s+)?(?:occurs?\s+)?"
                       r"(?:earlier|earliest|sooner|first))", F)
# "until the earlier of (a) the fifth anniversary ... and (b) ...": the stated date is the latest end
_EARLIER_OF = re.compile(r"\b(?:earlier|earliest|sooner)\s+(?:of|to\s+occur)\b|\bfirst\s+to\s+occur\b|"
                         r"\bin\s+no\s+event\s+later\s+than\b|"
                         r"\bwhichever\s+(?:is\s+|shall\s+|first\s+)?(?:occurs?\s+)?"
                         r"(?:earlier|earliest|sooner|first)", F)
_EARLIER_NOTE = " (unless an earlier event the clause lists ends it first)"


_ALIAS = re.compile(r"\(\s*(?:the\s+|this\s+)?\"\s*(?P<alias>[A-Z]{2,8})\s*\"\s*\)")


def _agreement_alias(doc: Document) -> str | None:
    """The short name the preamble gives this agreement: 'THIS ORDERLY MARKETING AGREEMENT (the
    "OMA")' -> "OMA", so that "This OMA shall expire ..." is read as the agreement's term."""
    start, end = preamble_span(doc)
    for m in _ALIAS.finditer(doc.text, start, min(end, start + 1500)):
        if re.search(r"\b(?:agreement|contract)\s*$", doc.text[max(start, m.start() - 40):m.start()], F):
            return m.group("alias")
    return None


def _term_sentences(ctx: Context) -> list[Span]:
    """Sentences that state the term of the agreement, in document order."""
    doc = ctx.doc
    out = []
    alias = _agreement_alias(doc)
    subject = _TERM_SUBJECT if alias is None else re.compile(
        rf"{_TERM_SUBJECT.pattern}|\b(?:this|the)\s+{re.escape(alias)}\b(?=\s+(?:shall|will|is)\b)", F)
    for span in doc.sentences():
        text = doc.text[span.start:span.end]
        # a proviso ("; provided that either party may terminate ...") does not make it off topic
        core = re.split(r"[;,]\s*provided\b", text, maxsplit=1, flags=F)[0]
        if len(text) > 1500 or _OTHER_DEFINITION.search(text) or _TERM_OFF_TOPIC.search(core):
            continue
        if _it_is_the_agreement(doc, span) and _TERM_VERB.match(text, text.index("It") + 2):
            out.append(span)  # "It shall be effective on ... and shall have a duration of two years"
            continue
        for m in subject.finditer(text):
            if _SUBJECT_PREPOSITION.search(text[max(0, m.start() - 30):m.start()]):
                continue
            if re.search(r"\b(?:such|that|which|defined|capitalized)\s*$", text[max(0, m.start() - 15):m.start()], F):
                continue  # "as such term is defined"
            if re.search(r"\b(?:previous|prior|original|existing|other|underlying)\b", m.group(0), F):
                continue  # another agreement's term
            if re.match(r"\s*(?:initial\s+)?term\s+of\s+(?:the\s+|any\s+|each\s+|such\s+|this\s+)?(?:exclusiv|licen|"
                        r"lease|"
                        r"employ|loan|office|cooperation|engagement|service|warrant|patent|protection|payment|"
                        r"the\s+(?!Agreement|Contract))", text[m.start():m.end() + 30], F):
                continue  # "the term of exclusivity"
            if _TERM_VERB.match(text, m.end()):
                out.append(span)
                break
    # the clause that is plainly about the term goes first ("The term of this Agreement shall ...")
    return sorted(out, key=lambda sp: (not _TERM_CLAUSE.search(doc.text[sp.start:sp.end]), sp.start))


_TERM_CLAUSE = re.compile(
    r"\bterm\s+of\s+(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:Agreement|Contract)\b|\binitial\s+(?:term|period)\b|"
    r"\(\s*(?:the\s+)?\"?\s*Term\s*\"?\s*\)|\bthe\s+\"?Term\"?\s+(?:shall|will|is)\b|"
    r"\b(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:Agreement|Contract)\s+(?:shall|will|is\s+to)?\s*(?:commence|continue|"
    r"remain|"
    r"expire|terminate|become\s+effective|be\s+effective|take\s+effect|be\s+in\s+effect|be\s+valid)", F)


def _anchored(term: Term, label: str) -> tuple[date | PartialDate, str] | None:
    """(the date, its name) to count a term from; a date left with blanks is a ``PartialDate``."""
    value = _full_date(term)
    if value is not None:
        return value, label
    partial = PartialDate.fromisoformat(term.value)
    return None if partial is None else (partial, label)


def _term_end(start: date | PartialDate, duration: Duration, convention: TermEndConvention,
              label: str) -> tuple[str, str] | None:
    """(the end of a term of ``duration`` from ``start``, its arithmetic). From a date left with
    blanks ("2015", "2013-07") only what is certain: the anniversary of a year is a year, of a month
    a month, for whole years or months; the day before an anniversary of an unknown day is not."""
    if isinstance(start, date):
        derived = dates.term_end(start, duration, convention, label)
        return derived.iso(), derived.derivation
    months = duration.years * 12 + duration.months
    if convention is not TermEndConvention.ANNIVERSARY or duration.weeks or duration.days \
            or duration.business_days or (start.month is None and months % 12):
        return None
    if start.month is None:
        end = PartialDate(start.year + months // 12)
    else:
        index = start.year * 12 + start.month - 1 + months
        end = PartialDate(index // 12, index % 12 + 1)
    return end.isoformat(), f"{label} {start.isoformat()} + {duration.iso()} (the day was left blank)"


def _anchor(ctx: Context, text: str, clause: str = "") -> tuple[date, str] | None:
    """The start date a term clause counts from (effective or agreement date), when known.
    ``clause`` is the whole sentence: a start it defines as the date of the agreement
    ('commencing on the date first set forth above (the "Commencement Date")') is that date."""
    effective, agreement = ctx.terms.get("effective_date"), ctx.terms.get("agreement_date")
    if _ANCHOR_EFFECTIVE.search(text):
        if effective is not None:
            return _anchored(effective, "effective_date")
        if agreement is not None and clause and re.search(
                rf"(?:commenc\w*|begin\w*|start\w*|effective)\s+(?:on|as\s+of|from)\s+(?:{_AS_OF_SIGNING})\s*"
                rf"\(\s*(?:the\s+)?\"?\s*{_EFFECTIVE_NAME}", clause, F):
            return _anchored(agreement, "agreement_date")
        if agreement is not None and not _EFFECTIVE_DEFINED.search(ctx.doc.text):
            # an Effective Date the document never defines is the date of the agreement
            return _anchored(agreement, "agreement_date")
        return None
    if _ANCHOR_SIGNING.search(text) and agreement is not None:
        return _anchored(agreement, "agreement_date")
    return None


def read_term(ctx: Context) -> None:
    """Initial term and expiration: explicit dates ("commence on ... and expire on ..."),
    a duration from a known start ("five (5) years from the Effective Date"), or an anniversary
    ("until the third anniversary of the Effective Date"); else a labelled date on a cover sheet
    ("Expiration Date: August 31, 2006", "TERM: November 1, 2014 to October 31, 2017").
    Abstains from the expiration when the term runs from an event (launch, first sale) or to
    the later/earlier of several."""
    _read_term_sentences(ctx)
    if ctx.terms.get("expiration_date") is None and not _LATER_OF.search(
            "" if ctx.terms.get("initial_term") is None else ctx.terms["initial_term"].evidence.text):
        # the term clause gave no end date (a duration from an unknown start): a labelled end date may
        _read_labelled_expiration(ctx)


def _read_term_sentences(ctx: Context) -> None:
    """The first term sentence that states the term wins, except that one giving the end date in
    words ("shall expire on July 22, 2016") beats one whose end is only computed from a duration
    ("an Initial Term of three (3) years"): the date the parties wrote is the evidence. (Not the
    end of a renewal or extension period: "renew for one additional period ending December 31".)"""
    readings = []  # (sentence, what it says), up to the first that states the end
    for span in _term_sentences(ctx):
        saved = dict(ctx.terms)
        handled = _read_term_sentence(ctx, span)
        reading = {k: v for k, v in ctx.terms.items() if saved.get(k) is not v}
        ctx.terms.clear()
        ctx.terms.update(saved)
        if handled:
            readings.append((ctx.doc.text[span.start:span.end], reading))
            if _states_the_end(reading):
                break
    if not readings:
        return
    first_text, chosen = readings[0]
    later = [r for text, r in readings[1:] if r.get("expiration_date") is not None and not _RENEWING.search(text)]
    stated = [r for r in later if _states_the_end(r)]
    if not _states_the_end(chosen) and stated:
        chosen = stated[0]
    elif chosen.get("expiration_date") is None and _RENEWING.search(first_text) and later:
        # "After the initial period of two years, the contract shall be renewed ...": the renewal
        # clause gives no end; the clause that does ("It shall have a duration of two years") wins
        chosen = later[0]
    ctx.terms.update(chosen)


_RENEWING = re.compile(r"\brenew\w*|\bextend\w*|\bextension|\badditional\b", F)


def _states_the_end(reading: dict) -> bool:
    end = reading.get("expiration_date")
    return end is not None and (end.derivation or "").startswith("stated in the clause")


_LABELLED_END = re.compile(
    r"(?:^|\n)[ \t]*(?:[\d.]+\s*)?(?:Contract|Agreement)\s+end(?:\s+date)?\s*:\s*$|"
    r"(?:^|\n)[ \t]*(?:[\d.]+\s*)?\"?(?:Expiration|Expiry|Termination|End)\s+Date\"?\s*(?:(?:shall\s+)?(?:means?|is|"
    r"be)\s+|[:-]\s*)"
    r"(?:the\s+)?$|\"\s*(?:Expiration|Expiry|End)\s+Date\s*\"\s*(?:shall\s+)?(?:means?|is|shall\s+be)\s+(?:the\s+)?$|"
    r"(?:^|\n|\.[ \t]+)[ \t]*(?:\d+\.\s*)?(?:TERMS?|Terms?|Contract\s+Period|Agreement\s+Period)"
    r"(?:\s+of\s+(?:the\s+)?\w+)?"
    r"\s*[:-]?\s*(?:[^\n:]{0,30}?\bfrom\s+|From\s+)?$", F)


# "Expiration Date: at midnight on the last day of the month fifteen (15) years from the Effective Date"
_MONTH_END_EXPIRATION = re.compile(
    r"(?:^|\n)[ \t]*\"?(?:Expiration|Expiry|Termination|End)\s+Date\"?\s*(?::|means|is|shall\s+be)\s*"
    r"(?:at\s+(?:midnight|11:59\s*p\.?m\.?)[^\n]{0,30}?\s+on\s+)?the\s+last\s+day\s+of\s+the\s+(?:calendar\s+)?month\s+"
    r"(?:that\s+is\s+|which\s+is\s+)?(?P<dur>" + DURATION_RE.pattern + r")\s+(?:from|after)\s+the\s+Effective\s+Date",
    F)


def _read_month_end_expiration(ctx: Context) -> bool:
    doc = ctx.doc
    m = _MONTH_END_EXPIRATION.search(doc.text)
    effective = _full_date(ctx.terms.get("effective_date"))
    duration = None if m is None else duration_of(DURATION_RE.match(m.group("dur")))
    if effective is None or duration is None or duration.days or duration.weeks or duration.business_days:
        return False
    end = dates.add_duration(effective, duration)
    end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    ctx.terms["expiration_date"] = ctx.term(
        _iso(end), (m.start() + (m.group(0)[0] == "\n"), m.end()),
        derivation=f"effective_date {_iso(effective)} + {duration.iso()}, to the last day of that month")
    return True


def _read_labelled_expiration(ctx: Context) -> None:
    doc = ctx.doc
    if _read_month_end_expiration(ctx):
        return
    for f in ctx.dates_in(0, len(doc.text)):
        line_start = doc.text.rfind("\n", 0, f.start)
        before = doc.text[max(0, line_start):f.start]
        m = _LABELLED_END.search(before)
        if not m:
            continue
        if re.search(r"\bTerms?\b|\bPeriod\b|\bfrom\b", m.group(0), F):
            # "TERM: November 01, 2014 to October 31, 2017": the date after "to"/"until" ends it
            rest = ctx.dates_in(f.end, min(len(doc.text), f.end + 40))
            if not rest or not re.fullmatch(r"\s*(?:-|to|until|through|thru)\s*", doc.text[f.end:rest[0].start], F):
                continue
            if rest[0].value <= f.value:
                continue
            ctx.terms["expiration_date"] = ctx.term(_iso(rest[0].value), (line_start + 1, rest[0].end),
                                                    derivation="stated in the clause")
            if ctx.terms.get("effective_date") is None and not re.search(
                    r"\bof\s+the\s+(?!Agreement\b|Contract\b)\w+", m.group(0), F):
                # "TERM: From January 30, 2012 until July 29, 2012": the term starts on the first date
                # (not "Terms of the project: ...": the project's start is not the agreement's)
                ctx.terms["effective_date"] = ctx.term(_iso(f.value), (line_start + 1, rest[0].end))
            return
        ctx.terms["expiration_date"] = ctx.term(_iso(f.value), (max(0, line_start + 1), f.end),
                                                derivation="stated in the clause")
        return


def _with_its_list(doc: Document, span: Span) -> Span:
    """A sentence that ends in a colon ("until the earlier of the below events occur:") with the
    list that completes it ("(a) the fifth anniversary ...; and (b) ..."), up to the next clause."""
    if not doc.text[span.start:span.end].rstrip().endswith(":"):
        return span
    rest = doc.text[span.end:span.end + 800]
    if not re.match(r"\s*\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)", rest):
        return span
    stop = re.search(r"\n\s*(?:\d+(?:\.\d+)+\.?|\d+\.|ARTICLE|Section)\s", rest)
    end = span.end + (stop.start() if stop else len(rest))
    return Span(span.start, end)


def _read_term_sentence(ctx: Context, span: Span) -> bool:
    doc = ctx.doc
    span = _with_its_list(doc, span)
    convention = ctx.options.term_end_convention
    text = doc.text[span.start:span.end]
    found = ctx.dates_in(span.start, span.end)
    start_date: FoundDate | None = None
    end_date: FoundDate | None = None
    for f in found:
        before = doc.text[max(span.start, f.start - 80):f.start]
        if re.search(r"\b(?:Contract|Calendar|Fiscal|Lease|Agreement)\s+(?:Year|Quarter|Month)\s+(?:ending|"
                     r"ended)\s+(?:on\s+)?$",
                     before, F):
            continue  # "the Contract Year ending October 31, 1999" ends a year, not the term
        ends = (_END_CUE.search(before) or _THROUGH_END_CUE.search(before) or _EXTENDED_TO.search(before)
                or (start_date is not None and _RANGE_END_CUE.search(before)))
        if end_date is None and ends \
                and (start_date is not None or not _START_CUE.search(before)):
            end_date = f
        elif start_date is None and _START_CUE.search(before):
            start_date = f
    if end_date is not None:
        if start_date is not None and end_date.value <= start_date.value:
            return False
        if _LATER_OF.search(text):
            return False
        note = _EARLIER_NOTE if _EARLIER_OF.search(text) else ""
        ctx.terms["expiration_date"] = ctx.term(_iso(end_date.value), span, derivation="stated in the clause" + note)
        if start_date is not None and ctx.terms.get("effective_date") is None:
            ctx.terms["effective_date"] = ctx.term(_iso(start_date.value), span)
        return True
    # "shall remain in effect until the end of the current calendar year": December 31 of the start's year
    m = re.search(r"\b(?:until|through)\s+(?:the\s+)?end\s+of\s+the\s+(?:current|then[\s-]current|same)\s+calendar\s+"
                  r"year\b", text, F)
    if m and not _LATER_OF.search(text) and not _EARLIER_OF.search(text):
        anchor = (start_date.value, "term start") if start_date is not None else _default_anchor(ctx)
        if anchor is not None:
            end = date(anchor[0].year, 12, 31)
            ctx.terms["expiration_date"] = ctx.term(
                _iso(end), span, derivation=f"the end of the calendar year of {anchor[1]} {_iso(anchor[0])}")
            return True
    # "until the fifth anniversary of the Effective Date"
    m = _ANNIVERSARY.search(text)
    if m:
        years = (ordinal_to_int(re.sub(r"\s+", "", m.group("ord"))) if m.group("ord")
                 else words_to_int(m.group("yword")) if not m.group("yword").isdigit() else int(m.group("yword")))
        if years:
            initial = Duration(years=years)
            ctx.terms["initial_term"] = ctx.term(initial.iso(), span)
            if _LATER_OF.search(text):
                return True
            phrase = m.group("anchor") if m.group("ord") else m.group("anchor2")
            if m.group("thereof") or not phrase.strip():
                phrase = text[:m.start()]  # "the tenth anniversary thereof": of the start named before
            anchor = _anchor_from(ctx, phrase, start_date, text)
            end = None if anchor is None else _term_end(anchor[0], initial, TermEndConvention.ANNIVERSARY, anchor[1])
            if end is not None:
                note = _EARLIER_NOTE if _EARLIER_OF.search(text) else ""
                ctx.terms["expiration_date"] = ctx.term(
                    end[0], span, derivation=end[1] + " (the anniversary itself)" + note)
            return True
    duration = _term_duration(ctx, span)
    if duration is None and _read_defined_period(ctx, span):
        return True
    if duration is None:
        if re.search(r"(?:expir|terminat|end)\w*\s+(?:on|upon)\s+the\s+(?:Expiration|Expiry|Termination|End)\s+Date\b",
                     text, F):
            # "shall expire on the Expiration Date": the defined date (cover sheet or definition)
            _read_labelled_expiration(ctx)
            return True
        return False
    dur, _, dend = duration
    ctx.terms["initial_term"] = ctx.term(dur.iso(), span)
    # what the term counts from is said before the duration or right after it; what follows
    # (renewal, notice) is about something else
    lead = doc.text[span.start:dend]
    # an opening carve-out ("Except as set forth in Exhibit A hereof,") names no start
    lead = re.sub(r"^\s*(?:[\d.()a-z]+\s+)?(?:Except|Subject\s+to)\b[^,;]{0,120},", " ", lead, flags=F)
    if _LATER_OF.search(text) or _EARLIER_OF.search(text) or _OTHER_ANCHOR.search(lead):
        return True
    anchor = None
    if start_date is not None:
        effective = ctx.terms.get("effective_date")
        same = effective is not None and effective.value == _iso(start_date.value)
        anchor = (start_date.value, "effective_date" if same else "term start")
    else:
        local = doc.text[dend:min(span.end, dend + 120)]
        counted_from = re.match(r"\s*(?:\(\s*\d+\s*\)\s*)?(?:(?:initial\s+)?(?:term|period)\s+)?,?\s*(?:from|after|"
                                r"following|"
                                r"of|subsequent\s+to|commencing\s+(?:on|from|upon|with)?|beginning\s+(?:on|from|upon|"
                                r"with)?)\s+"
                                r"(?P<what>[^.;,]{0,80})", local, F)
        if counted_from:
            # "five (5) years from the Effective Date": only a start we know
            anchor = _anchor(ctx, counted_from.group("what"), text)
        else:
            anchor = _anchor(ctx, lead, text)
            if anchor is None and not re.search(r"\b(?:from|after|following|commenc\w*|begin\w*|upon)\b", lead, F):
                # "The term of this Agreement shall be three (3) years." counts from the start
                anchor = _default_anchor(ctx)
    end = None if anchor is None else _term_end(anchor[0], dur, convention, anchor[1])
    if end is not None:
        ctx.terms["expiration_date"] = ctx.term(end[0], span, derivation=end[1])
    return True


_FOR_DEFINED_PERIOD = re.compile(
    r"\b(?:for|during|throughout)\s+the\s+(?P<name>(?:[A-Z][\w-]*\s+){1,2}(?:Period|Term))\b")


def _read_defined_period(ctx: Context, span: Span) -> bool:
    """"shall continue in effect for the Service Period" where '"Service Period" means April 1,
    2019 through March 30, 2020': the term ends where the definition says."""
    doc = ctx.doc
    m = _FOR_DEFINED_PERIOD.search(doc.text, span.start, span.end)
    if not m or re.match(r"(?:Initial|Renewal|Extension)\s", m.group("name")):
        return False
    name = re.sub(r"\s+", r"\\s+", re.escape(m.group("name").strip()).replace("\\ ", " "))
    definition = re.search(rf"\"\s*{name}\s*\"\s*(?:shall\s+)?means?\s+", doc.text)
    if not definition:
        return False
    found = ctx.dates_in(definition.end(), min(len(doc.text), definition.end() + 160))
    if len(found) < 2 or not re.fullmatch(r"\s*(?:-|to|until|through|thru)(?:\s+to)?\s*",
                                          doc.text[found[0].end:found[1].start], F) \
            or found[1].value <= found[0].value:
        return False
    evidence = doc.sentence(definition.start(), found[1].end, max_len=300)
    ctx.terms["expiration_date"] = ctx.term(
        _iso(found[1].value), (evidence.start, max(evidence.end, found[1].end)),
        derivation=f"stated in the clause defining the {m.group('name').strip()}")
    if ctx.terms.get("effective_date") is None:
        ctx.terms["effective_date"] = ctx.term(_iso(found[0].value), (evidence.start, max(evidence.end, found[1].end)))
    return True


def _default_anchor(ctx: Context) -> tuple[date, str] | None:
    effective, agreement = ctx.terms.get("effective_date"), ctx.terms.get("agreement_date")
    if effective is not None:
        return _anchored(effective, "effective_date")
    if agreement is not None and not _EFFECTIVE_DEFINED.search(ctx.doc.text):
        return _anchored(agreement, "agreement_date")
    return None


def _anchor_from(ctx: Context, phrase: str, start_date: FoundDate | None, clause: str = "") -> tuple[date, str] | None:
    if _OTHER_ANCHOR.search(phrase):
        return None
    refers_back = re.search(r"\b(?:that\s+date|such\s+date|thereof)\b", phrase, F) or phrase.strip() == ""
    if start_date is not None and refers_back:
        return start_date.value, "term start"
    found = find_dates(phrase, date_order=ctx.options.date_order)
    if found:
        return found[0].value, "start date"
    if re.match(r"\s*(?:this|the)\s+(?:Agreement|Contract)\s*(?:$|[;:)]|and\b|or\b)", phrase, F):
        return _default_anchor(ctx)  # "the fifth anniversary of this Agreement": of its start
    return _anchor(ctx, phrase, clause)


def _term_duration(ctx: Context, span: Span) -> tuple[Duration, int, int] | None:
    """The duration a term sentence gives the initial term (not a notice or renewal period)."""
    text = ctx.doc.text
    for m in DURATION_RE.finditer(text, span.start, span.end):
        before = text[max(span.start, m.start() - 80):m.start()]
        after = text[m.end():min(span.end, m.end() + 60)]
        if _NOTICE_AFTER.search(after) or _RENEWAL_BEFORE.search(before):
            continue
        if ctx.doc.in_furniture(m.start()):
            continue  # a number in a page footer ("Source: ..., 1/20/2009") running into "months" on the next page
        if re.search(r"\bwithin\b[^.;]{0,20}$|\bafter\s*$|\bprior\s*$|\bleast\s*$|\bthan\s*$|\bsuch\s*$|"
                     r"\b(?:expiration|expiry|end)\s+of\s*$", before, F):
            continue
        if not (_TERM_DURATION_BEFORE.search(before) or _TERM_DURATION_AFTER.search(after)):
            continue
        d = duration_of(m)
        if d is None or d.business_days or (d.days and d.days < 28):
            continue
        return d, m.start(), m.end()
    return None


_RENEWAL_SENTENCE = re.compile(
    r"\brenew\w*|\bextend\w*|\bextension|\bsuccessive\b|year[\s-]+to[\s-]+year|month[\s-]+to[\s-]+month|"
    r"\bevergreen|thereafter|until\s+terminated", F)
_RENEWAL_VERB = re.compile(r"\brenew\w*|\bextend\w*|\bextension|\bcontinu\w*\s+(?:\w+\s+){0,3}(?:for|from)\b", F)
_AUTOMATIC = re.compile(
    r"\bautomatic\w*|\btacit\w*|\bshall\s+(?:thereafter\s+)?(?:be\s+)?(?:renew|extend|continue)|"
    r"\bwill\s+(?:thereafter\s+)?"
    r"(?:be\s+)?(?:automatically\s+)?(?:renew|extend|continue)|deemed\s+(?:to\s+be\s+|to\s+have\s+been\s+)?"
    r"(?:renewed|extended)|\bunless\b[^.]{0,200}\b(?:notice|notif\w*|advise\w*)|"
    r"\bthereafter\b[^.]{0,40}\bfrom\s+(?:year|month)",
    F)
_MUTUAL = re.compile(
    r"\bmutual\w*\s+(?:written\s+)?(?:agree\w*|consent|understanding)|\bmutually\s+agree|"
    r"\bupon\s+(?:the\s+)?(?:written\s+)?agreement\s+of\s+(?:both|the)\s+parties|"
    r"\bif\s+(?:both\s+|the\s+)?parties\s+(?:so\s+)?(?:mutually\s+)?agree|\bby\s+(?:written\s+)?agreement\s+of\s+"
    r"(?:both|the)\s+parties|\bparties\s+may\s+(?:mutually\s+)?agree|\bsubject\s+to\s+(?:the\s+)?"
    r"(?:mutual\s+)?(?:written\s+)?agreement|\bagreed\s+(?:to\s+)?(?:in\s+writing\s+)?by\s+(?:both|the)\s+parties"
    r"|\bnegotiat|\bconsent\s+of\s+both|\bby\s+amendment|\bwritten\s+agreement\s+of\s+both|"
    r"\bboth\s+parties\s+(?:agree|consent)"
    r"|\bexpressly\s+agree", F)
_OPTION = re.compile(r"\b(?:option|right)s?\s+to\s+(?:renew|extend)|\bmay\s+(?:elect\s+to\s+)?(?:renew|extend)\b|"
                     r"\bat\s+(?:the\s+|its\s+)?(?:sole\s+)?(?:option|discretion)", F)
_NOT_RENEWABLE = re.compile(r"\b(?:shall|will)\s+not\s+(?:be\s+)?(?:automatically\s+)?renew|"
                            r"\bno\s+(?:automatic\s+)?renewal", F)
_EVERGREEN = re.compile(
    r"(?:continu\w*|remain\w*)\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+(?:and\s+effect\s+)?)?"
    r"(?:thereafter\s+)?(?:indefinitely|perpetually|in\s+perpetuity|until\s+(?:terminated|such\s+time|either|one|"
    r"the\s+(?:parties|agreement)|written\s+notice))|\bevergreen\b|\bindefinitely\b", F)
# what renews is the agreement, its term or the service (not a deadline, a support period...)
_RENEWS_AGREEMENT = re.compile(
    r"(?:renew\w*|extend\w*|extension|continu\w*)\b[^.;]{0,40}?\b(?:agreement|contract|term|franchise|maintenance|"
    r"arrangement|engagement)\b|\b(?:agreement|contract|term|franchise|maintenance|arrangement|engagement|"
    r"it)\b[^.;]{0,200}?"
    r"\b(?:renew\w*|extend\w*|continu\w*)", F)
_RENEWAL_WORD_BEFORE = re.compile(
    r"\b(?:renew\w*|extend\w*|extension|successive|additional|further|consecutive|subsequent|another)\b"
    r"(?P<gap>[^.;]{0,50})$", F)
_NOT_A_RENEWAL_GAP = re.compile(r"\b(?:prior|notice|notif\w*|within|before|least|than|following|after|preceding)\b", F)
_PERIODIC_RENEWAL = re.compile(
    r"(?P<year>year[\s-]+to[\s-]+year|annual(?:ly)?\b|every\s+year|each\s+year|yearly)|"
    r"(?P<month>month[\s-]+to[\s-]+month|"
    r"monthly)", F)
_SAME_AS_INITIAL = re.compile(r"(?:same|equal|identical)\s+(?:in\s+)?(?:duration|length|period|term)|"
                              r"(?:period|term)s?\s+(?:equal|identical)\s+(?:in\s+length\s+)?to\s+the\s+(?:initial|"
                              r"original)", F)


def read_renewal(ctx: Context) -> None:
    """Automatic renewal (with its period), a unilateral renewal option (``False`` with a
    period), renewal by mutual agreement only (``False``, no period: the parties can always
    agree), or evergreen continuation; and the notice needed to stop a renewal."""
    doc = ctx.doc
    mutual_only: Span | None = None
    for span in doc.sentences():
        text = doc.text[span.start:span.end]
        if len(text) > 1500 or not _RENEWAL_SENTENCE.search(text):
            continue
        # "...; thereafter, it shall continue until terminated": the subject may be in the clause before
        context = doc.text[max(0, span.start - 200):span.end]
        if not re.search(r"\bterm\b|\bagreement\b|\bcontract\b|\bperiod|\bfranchise", context, F):
            continue
        if re.search(r"\blicen[cs]e\s+(?:term|period)|warrant|confidential|\blease\b|insurance|"
                     r"\bcredit\s+(?:facility|line)|"
                     r"non-?compet|\bapprov\w*|evaluation\s+period|\bpayment\s+term|\bsurviv|"
                     r"\bextend\w*\s+(?:throughout|during|beyond)\b|\bright\s+to\s+audit", text, F):
            continue
        renews = _RENEWAL_VERB.search(text)
        period = _renewal_period(ctx, span)
        periodic = None
        if period is None and renews:
            p = _PERIODIC_RENEWAL.search(text)
            if p and re.search(r"renew|extend|continu", text[max(0, p.start() - 80):p.end() + 80], F):
                periodic = Duration(years=1) if p.group("year") else Duration(months=1)
        period = period or periodic
        mutual = _MUTUAL.search(text)
        if renews and period is not None:
            if _NOT_RENEWABLE.search(text) or not _RENEWS_AGREEMENT.search(text):
                continue
            if mutual:
                mutual_only = mutual_only or span
                continue
            if _OPTION.search(text) and not re.search(r"automatic|tacit", text, F):
                auto = False
            elif _AUTOMATIC.search(text):
                auto = True
            else:
                continue
            ctx.terms["auto_renewal"] = ctx.term(auto, span)
            ctx.terms["renewal_term"] = ctx.term(period.iso(), span)
            _read_renewal_notice(ctx, span)
            if auto and ctx.terms.get("notice_period") is None:
                _read_non_renewal_notice_elsewhere(ctx)
            return
        if mutual and re.search(r"\b(?:renew\w*|extend\w*|extension)\b", text, F) and \
                re.search(r"\b(?:this\s+Agreement|the\s+(?:Initial\s+)?Term|term\s+of\s+this)\b", text, F):
            mutual_only = mutual_only or span
            continue
        if _EVERGREEN.search(text) and re.search(r"\b(?:this\s+(?:Agreement|Contract)|the\s+Term|term\s+of\s+this|"
                                                 r"it\s+shall)\b",
                                                 text, F) \
                and (re.search(r"thereafter|after\s+(?:that|the\s+(?:initial|end))|expiration\s+of\s+the\s+initial",
                               text, F)
                     or re.search(r"until\s+terminated\s+by\s+(?:either|any|one)\s+party[^.;]{0,60}\bnotice", text, F)):
            ctx.terms["auto_renewal"] = ctx.term(True, span, evergreen=True)
            _read_renewal_notice(ctx, span)
            return
    if mutual_only is not None:
        ctx.terms["auto_renewal"] = ctx.term(False, mutual_only, mutual_agreement=True)


def _renewal_period(ctx: Context, span: Span) -> Duration | None:
    """The period a renewal sentence renews for: the first duration after a renewal word
    ("renew for successive one (1) year terms") that is not a notice period."""
    text = ctx.doc.text
    for m in DURATION_RE.finditer(text, span.start, span.end):
        before = text[max(span.start, m.start() - 90):m.start()]
        after = text[m.end():min(span.end, m.end() + 40)]
        if _NOTICE_AFTER.search(after):
            continue
        if re.search(r"\beach\s+of\s+the\s+(?:subsequent|next|following)\s*$", before, F):
            continue  # "for each of the subsequent three years": yearly, not a three-year period
        w = _RENEWAL_WORD_BEFORE.search(before)
        renewal_after = re.match(r"\s*(?:\(\s*\d+\s*\)\s*)?(?:term\s+)?(?:renewal|extension)s?\b", after, F)
        if (w and not _NOT_A_RENEWAL_GAP.search(w.group("gap"))) or renewal_after:
            d = duration_of(m)
            if d is not None and not d.business_days:
                return d
    if _SAME_AS_INITIAL.search(text[span.start:span.end]):
        initial = ctx.terms.get("initial_term")
        if initial is not None:
            return Duration.parse(initial.value)
    return None


_NOTICE_DURATION_CONTEXT = re.compile(r"notice|notif|written|prior|before|advance|preceding", F)


def _read_renewal_notice(ctx: Context, span: Span, follow: bool = True) -> None:
    """Notice to stop a renewal: "at least sixty (60) days prior to the end of the then-current
    term", "not less than three (3) months' written notice" (this sentence or the next one)."""
    doc = ctx.doc
    spans = [span]
    nxt = doc.sentence(span.end + 1) if follow and span.end + 1 < len(doc.text) else None
    if nxt is not None and nxt.start >= span.end:
        spans.append(nxt)
    for s in spans:
        text = doc.text[s.start:s.end]
        if s is not span and not re.search(r"renew|extend|extension|non-?renewal|expiration|end\s+of\s+the", text, F):
            continue
        if not re.search(r"\bnotice|\bnotif|\binform|\badvise", text, F):
            continue
        for m in DURATION_RE.finditer(doc.text, s.start, s.end):
            after = doc.text[m.end():min(s.end, m.end() + 60)]
            before = doc.text[max(s.start, m.start() - 60):m.start()]
            w = _RENEWAL_WORD_BEFORE.search(before)
            renewal_period = bool(w and not _NOT_A_RENEWAL_GAP.search(w.group("gap")))
            if renewal_period or not _NOTICE_AFTER.search(after):
                if not re.search(r"(?:at\s+least|not\s+less\s+than|no\s+less\s+than|minimum\s+of|"
                                 r"no\s+later\s+than|not\s+later\s+than|with|upon|giving|by\s+giving)\s*$", before, F):
                    continue
                if not _NOTICE_DURATION_CONTEXT.search(after):
                    continue
            d = duration_of(m)
            if d is None:
                continue
            ctx.terms["notice_period"] = ctx.term(d.iso(), s)
            return


_NON_RENEWAL = re.compile(r"non-?\s?renewal|not\s+to\s+(?:renew|extend)|(?:prevent|avoid|stop)\s+(?:the\s+|such\s+|"
                          r"any\s+)?"
                          r"(?:automatic\s+)?(?:renewal|extension)|elect(?:s|ing)?\s+not\s+to\s+renew", F)


def _read_non_renewal_notice_elsewhere(ctx: Context) -> None:
    """The notice of non-renewal stated in its own clause, away from the renewal sentence."""
    for m in _NON_RENEWAL.finditer(ctx.doc.text):
        span = ctx.doc.sentence(m.start(), m.end())
        _read_renewal_notice(ctx, span, follow=False)
        if ctx.terms.get("notice_period") is not None:
            return


def compute_notice_deadline(ctx: Context) -> None:
    """notice_deadline = expiration_date - notice_period (never counted from today)."""
    end, notice = _full_date(ctx.terms.get("expiration_date")), ctx.terms.get("notice_period")
    if end is None or notice is None:
        return  # no expiration, or one left with blanks: no deadline can be counted
    law = ctx.terms.get("governing_law")
    jurisdiction = None
    if law is not None:
        try:
            dates.holiday_name(end, law.value)
            jurisdiction = law.value
        except Exception:  # no holiday calendar for that law: the default calendar applies
            jurisdiction = None
    derived = dates.notice_deadline(end, notice.value, jurisdiction)
    e = notice.evidence
    start = ctx.doc.page_starts[e.page - 1] + e.start
    ctx.terms["notice_deadline"] = replace(
        ctx.term(derived.iso(), (start, start + len(e.text)), derivation=derived.derivation),
        moved_to_business_day=derived.moved_to_business_day)


# --- termination for convenience -----------------------------------------------------------------

_CONVENIENCE = re.compile(
    r"for\s+(?:its\s+|their\s+)?convenience|for\s+any\s+reason|without\s+cause|with\s+or\s+without\s+cause|"
    r"for\s+no\s+reason|without\s+(?:any\s+)?reason|at\s+any\s+time\s+(?:and\s+for\s+any\s+reason\s+)?"
    r"(?:upon|by|on|with|after|for)|at\s+will", F)


def read_termination_for_convenience(ctx: Context) -> None:
    doc = ctx.doc
    for m in re.finditer(r"\bterminat\w*", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        text = doc.text[span.start:span.end]
        if not _CONVENIENCE.search(text) or not re.search(r"\bmay\b|\bshall\s+have\s+the\s+right|\bis\s+entitled|"
                                                          r"\bcan\b", text, F):
            continue
        if re.search(r"\bfor\s+cause\b(?!\s*,?\s*or)|breach|insolven|bankrupt", text, F) and \
                not re.search(r"without\s+cause|for\s+convenience|any\s+reason", text, F):
            continue
        for d in DURATION_RE.finditer(doc.text, span.start, span.end):
            after = doc.text[d.end():min(span.end, d.end() + 60)]
            before = doc.text[max(span.start, d.start() - 40):d.start()]
            if _NOTICE_AFTER.search(after) or re.search(r"(?:at\s+least|not\s+less\s+than|upon|with|giving)\s*$",
                                                        before, F):
                value = duration_of(d)
                if value is not None:
                    ctx.terms["termination_for_convenience"] = ctx.term(value.iso(), span)
                    return
        return


# --- payment, price, commitment, SLA, survival ---------------------------------------------------

_NET = re.compile(rf"\bnet\s*[-]?\s*(?:{NUMBER})(?:\s*days?)?\b", F)
_PAY_WITHIN = re.compile(
    r"(?:within|no\s+later\s+than|not\s+later\s+than|not\s+more\s+than)\s+$", F)


def read_payment_terms(ctx: Context) -> None:
    """Net days to pay an invoice: "net 30", "within thirty (30) days of receipt of invoice"."""
    doc = ctx.doc
    for m in _NET.finditer(doc.text):
        n = number_value(m)
        if n and 0 < n <= 180:
            span = doc.sentence(m.start(), m.end())
            ctx.terms["payment_terms"] = ctx.term(Duration(days=n).iso(), span)
            return
    for m in re.finditer(r"\binvoice", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        text = doc.text[span.start:span.end]
        if not re.search(r"\bpa(?:y|id|yable|yment)", text, F):
            continue
        for d in DURATION_RE.finditer(doc.text, span.start, span.end):
            before = doc.text[max(span.start, d.start() - 30):d.start()]
            after = doc.text[d.end():min(span.end, d.end() + 80)]
            if _PAY_WITHIN.search(before) and re.search(
                    r"^\s*(?:after|of|from|following)\b(?:[^.;]{0,50}invoice|\s+(?:its\s+|the\s+)?(?:receipt|"
                    r"the\s+date\s+of\s+receipt)\b)",
                    after, F):
                value = duration_of(d)
                if value is not None:
                    ctx.terms["payment_terms"] = ctx.term(value.iso(), span)
                    return


_PERCENT = r"(?P<pct>\d+(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b)"


def read_price_increase_cap(ctx: Context) -> None:
    doc = ctx.doc
    for m in re.finditer(r"\bincreas\w*", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        text = doc.text[span.start:span.end]
        if not re.search(r"\b(?:prices?|pricing|fees?|rates?|charges)\b", text, F):
            continue
        p = re.search(rf"(?:not\s+(?:to\s+)?exceed|no\s+more\s+than|not\s+more\s+than|maximum\s+of|up\s+to|capped\s+at|"
                      rf"greater\s+than|in\s+excess\s+of|exceed(?:ing)?|cap\s+of|limited\s+to|more\s+than)\s+"
                      rf"(?:(?:the\s+)?(?:lesser|greater)\s+of\s+[^.]{{0,60}}?)?(?:[a-z-]+\s+(?:and\s+[a-z-]+\s+)?)?"
                      rf"(?:percent\s+)?\(?\s*{_PERCENT}", text, F)
        if p:
            ctx.terms["price_increase_cap"] = ctx.term(f"{_trim_number(p.group('pct'))}%", span)
            return
        if re.search(r"(?:exceed|more\s+than|limited\s+to|capped\s+at)[^.;]{0,60}(?:Consumer\s+Price|\bCPI\b|\bRPI\b|"
                     r"Retail\s+Price)", text, F):
            index = "RPI" if re.search(r"\bRPI\b|Retail\s+Price", text, F) else "CPI"
            ctx.terms["price_increase_cap"] = ctx.term(index, span)
            return


def _trim_number(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


_MONEY = r"(?:US\s?\$|USD\s?|\$|EUR\s?|€|£|GBP\s?)\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|thousand|k)\b)?"
_PER_PERIOD = re.compile(
    r"^\s*(?:\([^)]{0,30}\)\s*)?(?:per|each|every|in\s+each|for\s+each|during\s+each)\s+(?P<qual>calendar\s+|"
    r"contract\s+|"
    r"fiscal\s+)?(?P<unit>year|annum|quarter|month)", F)


def read_minimum_commitment(ctx: Context) -> None:
    """A minimum purchase or spend commitment: "$2,400,000 per contract year"."""
    doc = ctx.doc
    for m in re.finditer(r"\bminimum\b|\bnot\s+less\s+than\b", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        text = doc.text[span.start:span.end]
        if not re.search(r"minimum[^.;]{0,40}(?:purchas|order|commit|spend|volume|quantit|revenue|fees?\b)|"
                         r"(?:shall|will|agrees?\s+to)\s+(?:purchase|order|buy|spend)", text, F):
            continue
        if m.group(0).lower().startswith("not") and not re.search(r"purchas|order|spend",
                                                                   text[:m.end() - span.start], F):
            continue
        money = re.search(_MONEY, text)
        if not money:
            continue
        value = re.sub(r"\s+", " ", money.group(0)).strip()
        per = _PER_PERIOD.search(text[money.end():money.end() + 60]) or re.search(
            r"\b(?:in|for|during)\s+each\s+(?P<qual>calendar\s+|contract\s+|fiscal\s+)?(?P<unit>year|quarter|month)",
            text, F)
        if per:
            qualifier = (per.groupdict().get("qual") or "").strip().lower()
            unit = per.group("unit").lower().replace("annum", "year")
            value += f" per {qualifier + ' ' if qualifier else ''}{unit}"
        elif re.search(r"\bannual(?:ly)?\b", text, F):
            value += " per year"
        elif re.search(r"\bquarterly\b", text, F):
            value += " per quarter"
        elif re.search(r"\bmonthly\b", text, F):
            value += " per month"
        ctx.terms["minimum_commitment"] = ctx.term(value, span)
        return


def read_sla(ctx: Context) -> None:
    """Availability target, response times per severity, and service credits."""
    doc = ctx.doc
    for m in re.finditer(rf"(?P<pct>\d{{2}}(?:\.\d+)?)\s*%", doc.text):
        pct = float(m.group("pct"))
        if not 90 <= pct < 100:
            continue
        span = doc.sentence(m.start(), m.end())
        if re.search(r"availab|uptime|up\s+time", doc.text[span.start:span.end], F):
            ctx.terms["sla_availability"] = ctx.term(f"{_trim_number(m.group('pct'))}%", span)
            break
    _read_response_times(ctx)
    _read_service_credits(ctx)


_SEVERITY = re.compile(r"\b(?:severity|priority|sev|P)\s*-?\s*(?P<level>[1-4])\b(?:\s*\((?P<name>[A-Za-z]+)\))?", F)
_RESPONSE_TIME = re.compile(rf"(?:{NUMBER})\s*(?:-\s*)?(?P<unit>hours?|minutes?|business\s+days?|working\s+days?|"
                            rf"days?)\b", F)


def _read_response_times(ctx: Context) -> None:
    """Response time per severity level, from prose or a table ("Severity 2 (High) ... 4 hours")."""
    doc = ctx.doc
    labels = [m for m in _SEVERITY.finditer(doc.text)
              if re.search(r"respon|acknowledg", doc.text[max(0, m.start() - 1500):m.end() + 200], F)]
    responses: list[dict] = []
    used: list[re.Match] = []
    for i, m in enumerate(labels):
        level = f"{'Priority' if m.group(0).lower().startswith('p') else 'Severity'} {m.group('level')}"
        if any(r["level"] == level for r in responses):
            continue
        end = labels[i + 1].start() if i + 1 < len(labels) else m.end() + 200
        window = doc.text[m.end():min(end, m.end() + 200)]
        d = _RESPONSE_TIME.search(window)
        if not d:
            continue
        n = number_value(d)
        if not n:
            continue
        unit = d.group("unit").lower()
        iso = (f"PT{n}H" if unit.startswith("hour") else f"PT{n}M" if unit.startswith("minute")
               else f"P{n}BD" if unit.startswith(("business", "working")) else f"P{n}D")
        responses.append({"level": level, "response": iso})
        used.append(m)
    if responses:
        first, last = used[0], used[-1]
        start = doc.sentence(first.start(), first.end(), max_len=400).start
        end = last.end() + 120 if doc.page_of(last.start()) == doc.page_of(start) else doc.sentence(first.start()).end
        ctx.terms["sla_response_times"] = ctx.term(responses, (start, min(end, len(doc.text))))


def _read_service_credits(ctx: Context) -> None:
    """Service credits: "a service credit of 10% of the monthly fees", or a table of tiers."""
    doc = ctx.doc
    for m in re.finditer(r"\bservice\s+credits?\b|\bcredit\s+against", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        text = doc.text[span.start:span.end]
        p = re.search(rf"{_PERCENT}\s+of\s+(?:the\s+)?(?P<base>[^.;,:]{{3,60}})", text, F)
        if p:
            base = re.sub(r"\s+", " ", p.group("base")).strip()
            ctx.terms["service_credits"] = ctx.term(f"{_trim_number(p.group('pct'))}% of {base}", span)
            return
        q = re.search(r"percentage\s+of\s+(?P<base>[^:.;]{3,120})", text, F)
        if q:
            # a table follows: each row ends with the credit for that tier
            tiers = []
            table = span.start + q.end()
            for line in doc.text[table:table + 800].splitlines()[1:11]:
                pcts = re.findall(r"(\d+(?:\.\d+)?)\s*%", line)
                if len(pcts) >= 2 or (tiers and len(pcts) == 1):
                    tiers.append(_trim_number(pcts[-1]) + "%")
                elif tiers:
                    break
            if tiers:
                base = re.sub(r"\s+", " ", q.group("base")).strip()
                ctx.terms["service_credits"] = ctx.term(f"{' / '.join(tiers)} of {base}", span)
                return


def read_survival(ctx: Context) -> None:
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


# --- governing law -----------------------------------------------------------------------------

_GOVERNING = re.compile(
    r"(?:governed|construed|interpreted|enforced|determined|regulated|subject|controlled|applied|"
    r"accordance)\b[^.;]{0,140}?"
    r"\b(?:laws?|legislation|regulations)\b(?:\s*,(?:(?!\(|\bcourts?\b|\bvenue\b|\bplace\b|"
    r"\blocated\b)[^.;,]){0,60},\s*of|\s+and\s+(?:judicial\s+)?decisions)?"
    r"\s*(?:(?:in\s+force\s+)?(?:of|in)\s*)?(?=(?P<rest>[^;]{0,160}))", F)
# "The laws of the State of Florida shall govern this Agreement", "the law of Germany applies"
_LAW_FIRST = re.compile(
    r"\b(?:laws?|legislation)\s+(?:of|in\s+force\s+in)\s*(?P<rest>[^;]{0,120}?)\s*(?:,[^.;]{0,40})?\s*"
    r"(?:shall|will|to)?\s*(?:govern|appl(?:y|ies)|control|prevail)", F)
_ADJECTIVE_LAW = re.compile(
    r"(?:governed|construed|interpreted|subject|accordance|controlled)\b[^.;]{0,80}?\b(?:by|with|under|to)\s+"
    r"(?:the\s+)?(?P<adj>[A-Z][A-Za-z]+(?:\s+[A-Z][a-z]+)?|PRC)\s+[Ll][Aa][Ww][Ss]?\b", 0)
# "entered into in the State of Nevada and shall be governed by ... the laws thereof"
_LAWS_THEREOF = re.compile(r"\b(?:laws?)\s+(?:thereof|of\s+(?:that|such|said)\s+State)\b", F)


def _jurisdiction_at(rest: str) -> str | None:
    j = JURISDICTION_RE.match(rest.lstrip())
    if not j:
        return None
    name = canonical(j.group("name"))
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
    for pattern in (_GOVERNING, _LAW_FIRST):
        for m in pattern.finditer(doc.text):
            if re.search(r"(?:organi[sz]ed|incorporated|existing|formed|registered|chartered)\s*(?:and\s+\w+\s+)?"
                         r"(?:under\s+)?(?:the\s+)?$", doc.text[max(0, m.start() - 40):m.start()], F):
                continue
            lead = doc.text[m.start():m.start() + 200]
            if pattern is _GOVERNING and not re.search(r"\bgovern|constru|interpret|control|appl|accordance|subject",
                                                       lead, F):
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
            ctx.terms["governing_law"] = ctx.term(canonical(places[-1].group("name")), span)
            return
    if fallback is not None and fallback[0] == "United States":
        name, m = fallback
        span = doc.sentence(m.start(), m.end())
        sentence = doc.text[span.start:span.end]
        if re.search(r"\bgovern", sentence, F) and re.search(r"this\s+Agreement", sentence, F):
            ctx.terms["governing_law"] = ctx.term(name, span)
