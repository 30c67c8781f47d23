"""The agreement date: the date of this document, from its preamble or cover ("dated as of",
"made this 3rd day of June, 2023"), its testimonium, a sentence that dates it, or the last
signature; and, when it states none, its Effective Date."""

from __future__ import annotations

import re

from .context import Context, F, blank_note, evidence_text, iso
from .document import Document
from .model import Term
from .preamble import preamble_dates, preamble_span
from .signatures import in_signature_block, last_signature, signature_dates, signature_evidence_start

# a date introduced as this document's date: a cue shortly before the date
_DOCUMENT_DATE_CUE = re.compile(
    r"(?:\bdated|\bmade|\bentered\s+into|\bexecuted|\beffective|\bsigned|\bconcluded|\bdate|\bupdated|\bas\s+of|"
    r"\bagreement|\bamendment|\bcontract|\baddendum)\b(?:(?!\b(?:until|through|to|expir\w*|terminat\w*|end\w*|"
    r"between|and|prior|after|before)\b)(?:[^.;()\"]|(?<=\b[A-Z])\.)){0,30}$|^\s*$|"
    r"\bbetween\s+the\s+(?:following\s+)?(?:two\s+|three\s+)?parties\s+on\s+$", F)
# ... unless the sentence is about another agreement ("that certain Supply Agreement dated ...")
ABOUT_ANOTHER_DOCUMENT = re.compile(
    r"\b(?:WHEREAS|that\s+certain|supersede\w*|previously|original(?:ly)?|prior|existing|filed|(?<!this\s)letter|"
    r"proposal|"
    r"Issue|Revision|Version|pursuant\s+to|described\s+in|under\s+the)\b", F)
# ... or the words just before the date say another document was amended, ended or formed then
_ANOTHER_DOCUMENT_JUST_BEFORE = re.compile(
    r"\b(?:amended|restated|terminat\w*|expir\w*|incorporated|formed|organized)\b"
    r"(?![^.]{0,60}\bthis\s+\"?Agreement)[^.;]{0,40}$", F)
# this document's own title: "AMENDED AND RESTATED REMARKETING AGREEMENT" on a line of its own
_RESTATED_TITLE = re.compile(r"(?:^|\n)[ \t]*AMENDED\s+AND\s+RESTATED\s+(?:[A-Z][A-Z&-]*\s+){0,6}"
                             r"(?:AGREEMENT|CONTRACT)[ \t]*\n[ \t]*$")
# the sentence is about this document: "this Agreement", '(the "Agreement")', "the parties hereto"
_MENTIONS_THIS_DOCUMENT = re.compile(
    r"\bthis\s+(?:[\w&,/-]+\s+){0,8}?(?:Agreement|Contract|Amendment|Addendum|Deed|Memorandum|MOU|Letter)\b|"
    r"\bthis\s+(?:Exhibit|Schedule|Supplement|Statement\s+of\s+Work|Order\s+Form)\b[^.;]{0,20}?\s(?:is|was)\s+"
    r"(?:made|dated|entered\s+into)\b|"
    r"\(\s*(?:the\s+|this\s+)?\"\s*(?:Agreement|Contract|Amendment)\s*\"\s*\)|\bhereby\s+agree|"
    r"\bthe\s+parties\s+hereto|"
    r"(?:^|\n)[ \t]*(?:[A-Z][A-Za-z&,-]*\s+){0,6}AGREEMENT\s+(?:is\s+)?(?:made|dated|entered\s+into)\b", F)
# "This Agreement is entered into as of the Effective Date": the document is dated by its Effective Date
_DATED_AS_OF_EFFECTIVE = re.compile(r"\b(?:made|entered\s+into|dated|executed)\s+(?:and\s+is\s+effective\s+)?"
                                    r"(?:as\s+of|on)\s+"
                                    r"the\s+\"?Effective\s+Date\b", F)
# a sentence that goes on to end the term: its first date is when the term starts, not the document's
_TERM_END_FOLLOWS = re.compile(r"\b(?i:terminat\w*|expir\w*|end)\s+(?i:on|upon)\s+(?:the\s+)?[A-Z0-9]")
# a cue that dates the document itself ("dated", "made", "entered into", "executed", "signed"), as
# opposed to one that only says when it takes effect ("effective as of", "Effective Date:")
_MADE_OR_SIGNED_CUE = re.compile(r"\b(?:dated|made|entered\s+into|executed|signed|concluded)\b", F)
_EFFECTIVE_ONLY_CUE = re.compile(r"\beffective\b|\bcommenc\w*|\bin\s+force\b", F)
# the testimonium: "IN WITNESS WHEREOF, the parties have executed this Agreement on ..."
_TESTIMONIUM = re.compile(r"IN\s+WITNESS\s+WHEREOF", F)
# "This Agreement is dated", "THIS ... AGREEMENT (HEREINAFTER "GMMA") IS MADE ON", right before the date
_THIS_AGREEMENT_IS_DATED = re.compile(
    r"\b(?:This|THIS)\s+(?:[A-Z][\w-]*\s+){0,4}(?i:agreement|contract|amendment)\s+"
    r"(?:\([^()]{0,120}\)\s*)?(?i:is|was)\s+(?i:dated|made|executed|signed|entered\s+into)\s+"
    r"(?i:as\s+of\s+|on\s+)?(?i:this\s+|the\s+)?")


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
        if not _DOCUMENT_DATE_CUE.search(before[-45:]):
            continue
        if ABOUT_ANOTHER_DOCUMENT.search(before) or (_ANOTHER_DOCUMENT_JUST_BEFORE.search(before)
                                                     and not _RESTATED_TITLE.search(before)):
            continue
        line = doc.text[doc.text.rfind("\n", 0, found.start) + 1:found.start]
        if re.search(r"\bcommenc\w*|\bstart\b", line[-60:], F) and not _MADE_OR_SIGNED_CUE.search(line[-60:]):
            continue  # when service or the term starts, not when the document was made
        if not before[-45:].strip() and re.match(r"[ \t]*[,.]?[ \t]*[A-Za-z]", doc.text[found.end:found.end + 40]):
            continue  # a bare date that runs into other words (a letterhead, a table row) is not a title date
        if in_signature_block(doc, found):
            continue  # a signer's date: the signature blocks are read together below
        if _TERM_END_FOLLOWS.search(doc.text[found.end:span.end]):
            continue  # "effective as of August 1, 2024 and shall terminate on July 31, 2029": the term's start
        # the sentence must be about this document, or the date sits in a short title-block line
        wide = doc.sentence(found.start, found.end, max_len=1500)
        if not _MENTIONS_THIS_DOCUMENT.search(doc.text[wide.start:found.start]) \
                and not _title_line(doc, found.start):
            continue
        strong = bool(_MADE_OR_SIGNED_CUE.search(before[-45:]))
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
    for step in (_preamble_date, _testimonium_date, _stated_date, _last_signature_date, _blank_preamble_date):
        agreement_date = step(ctx)
        if agreement_date is not None:
            ctx.terms["agreement_date"] = agreement_date
            return


def _preamble_date(ctx: Context) -> Term | None:
    """A preamble or cover date introduced as this document's date."""
    doc = ctx.doc
    chosen = _document_date(ctx, preamble_dates(ctx))
    if chosen is None:
        return None
    found, span, strong, cue = chosen
    if not strong and _EFFECTIVE_ONLY_CUE.search(cue):
        # "effective as of June 1" / "Effective Date: June 1" says when the agreement takes
        # effect; when the parties dated their signatures, those date the agreement itself
        last = last_signature(ctx)
        if last is not None and last[0].value != found.value and not _DATED_AS_OF_EFFECTIVE.search(
                doc.text, *preamble_span(doc)):
            sig = last[0]
            return ctx.term(
                iso(sig.value), (signature_evidence_start(ctx.doc, sig), sig.end), confidence=0.6,
                derivation=f"the latest signature date (the agreement takes effect on {iso(found.value)})")
    return ctx.term(iso(found.value), span)


def _testimonium_date(ctx: Context) -> Term | None:
    """"IN WITNESS WHEREOF, the parties have executed this Agreement on the 1st day of June, 2006"."""
    doc = ctx.doc
    for m in _TESTIMONIUM.finditer(doc.text):
        span = doc.sentence(m.start(), m.end(), max_len=400)
        found = ctx.dates_in(m.end(), span.end)
        if found and re.search(r"(?:on|this|as\s+of|dated?)\s+(?:the\s+)?(?:day\s+)?$",
                               doc.text[max(m.end(), found[0].start - 20):found[0].start], F):
            return ctx.term(iso(found[0].value), (m.start(), span.end))
    return None


def _stated_date(ctx: Context) -> Term | None:
    """"This Agreement is dated April 29, 2010." anywhere (often the last clause), "THIS GLOBAL
    MAINTENANCE AGREEMENT (HEREINAFTER "GMMA") IS MADE ON March 9th 2015" after a cover page and a
    table of contents."""
    doc = ctx.doc
    for m in _THIS_AGREEMENT_IS_DATED.finditer(doc.text):
        found = ctx.dates_in(m.end(), m.end() + 40)
        if found and found[0].start == m.end():
            return ctx.term(iso(found[0].value), doc.sentence(m.start(), found[0].end))
    return None


def _last_signature_date(ctx: Context) -> Term | None:
    """Signature-page dates: the agreement is made when the last party signs."""
    last = last_signature(ctx)
    if last is None:
        return None
    found, derivation = last
    return ctx.term(iso(found.value), (signature_evidence_start(ctx.doc, found), found.end),
                    derivation=derivation, confidence=0.6)


def _blank_preamble_date(ctx: Context) -> Term | None:
    """The date was left blank in the signed copy ("made this ___ day of March, 2018"): the parts
    filled in."""
    chosen = _document_date(ctx, preamble_dates(ctx, blank=True))
    if chosen is None:
        return None
    found, span, _, _ = chosen
    return ctx.term(found.value.isoformat(), span, derivation=blank_note(found.value))


def agreement_date_from_effective(ctx: Context) -> None:
    """A document that states no date of its own but an Effective Date is dated by it."""
    effective = ctx.terms.get("effective_date")
    # not when dated signatures did not settle the date, nor when the effective date is when a service
    # starts or commences (that does not date the document)
    if ctx.terms.get("agreement_date") is None and effective is not None and effective.derivation is None \
            and not signature_dates(ctx) and not re.search(r"\bstart|commenc", evidence_text(effective), F) \
            and not _TERM_END_FOLLOWS.search(evidence_text(effective)):
        ctx.terms["agreement_date"] = Term(value=effective.value, evidence=effective.evidence,
                                           derivation="the effective date (the document states no other date)",
                                           confidence=0.5)
