"""The effective date: a date named "Effective Date" or said to be when the agreement takes effect,
or one defined by the signatures ("the date of the last signature") or by the document's own date
("effective as of the date first written above")."""

from __future__ import annotations

import re
from datetime import timedelta

from .agreement_date import ABOUT_ANOTHER_DOCUMENT
from .context import Context, F, blank_note, full_date, iso
from .document import Document, Span
from .model import Term
from .preamble import preamble_span
from .signatures import last_signature

# the name of the date the agreement takes effect: "Effective Date", "Commencement Date", "Start Date"
EFFECTIVE_DATE_NAME = r"(?:Amendment\s+)?(?:Effective|Commencement|Start)\s*Date"
_OPTIONAL_QUOTE = r"\"?\s*"  # an optional quote, with the stray space PDF text often has inside quotes
# a date followed by its name: 'June 1, 2020 (the "Effective Date")'
_EFFECTIVE_DATE_NAMED_AFTER = re.compile(
    rf"^[\s,]*(?:the\s+|,?\s*\d{{4}}\s*)?\(\s*(?:the\s+|this\s+|hereinafter\s+(?:referred\s+to\s+as\s+)?(?:the\s+)?|"
    rf"such\s+date\s+"
    rf"(?:being\s+)?(?:the\s+)?|which\s+(?:date\s+)?shall\s+be\s+(?:the\s+)?)?"
    rf"{_OPTIONAL_QUOTE}{EFFECTIVE_DATE_NAME}\s*\"?|"
    rf"^\s*,?\s*hereinafter\s+(?:called|referred\s+to\s+as)\s+(?:the\s+)?{_OPTIONAL_QUOTE}{EFFECTIVE_DATE_NAME}\b",
    F)
# a date preceded by its name: '"Effective Date" means', "Effective Date:", a label on the line before
_EFFECTIVE_DATE_NAMED_BEFORE = re.compile(
    rf"{_OPTIONAL_QUOTE}{EFFECTIVE_DATE_NAME}\s*{_OPTIONAL_QUOTE}\s*"
    rf"(?:(?:of|for|under)\s+this\s+(?:[\w-]+\s+){{0,3}}(?:Agreement|Contract)\s*)?"
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
# a date preceded by the verb that makes it the start: "effective as of", "commencing on", "in force from"
_TAKES_EFFECT_BEFORE = re.compile(
    r"(?:\b(?:effective(?:\s+for\s+all\s+purposes(?:\s+and\s+in\s+all\s+respects)?)?|commenc\w*|begin\w*|in\s+force|"
    r"come\s+into\s+(?:force|effect))\s+(?:as\s+)?(?:of|on|from|upon)"
    r"\s+(?:this\s+|the\s+)?|\beffective\s+(?:date\s+)?(?:of\s+this\s+(?:Agreement|Contract)\s+)?"
    r"(?:shall\s+be|is)\s*:?\s*|\bentered\s+into\s+effect\s+(?:on\s+)?(?:the\s+)?|\beffective\s+)$", F)
# the subject of that verb is the agreement or its term ("this Agreement", '(the "Agreement")', "the Term")
_THE_AGREEMENT_OR_ITS_TERM = re.compile(
    r"\bthis\s+(?:[A-Z][\w-]*\s+){0,7}(?:Agreement|Contract|Amendment|Addendum)\b|"
    r"\(\s*(?:this|the)\s+\"\s*(?:Agreement|Contract|Amendment)\s*\"\s*\)|"
    r"\bthe\s+(?:Initial\s+)?Term\b|\bterm\s+of\s+this\b|"
    r"\bthe\s+Joint\s+Venture\s+shall\s+(?:commence|begin)\b", F)
# the document's own date, referred to: "the date first written above", "the date hereof"
DATE_FIRST_WRITTEN_ABOVE = (r"(?:the\s+)?(?:first\s+date\s+(?:above\s+)?written(?:\s+above)?|"
                            r"(?:day\s+and\s+year|date\s+and\s+year|date)\s+(?:first\s+)?(?:above\s+)?(?:written|"
                            r"set\s+forth|"
                            r"stated|mentioned|listed|shown)(?:\s+above)?|(?:the\s+)?date\s+(?:hereof|"
                            r"of\s+this\s+(?:Agreement|"
                            r"Contract)))")
# the agreement takes effect as of its own date: '"Effective Date" means the date first written above'
_EFFECTIVE_AS_OF_DOCUMENT_DATE = re.compile(
    rf"{_OPTIONAL_QUOTE}{EFFECTIVE_DATE_NAME}{_OPTIONAL_QUOTE}\s*(?:shall\s+)?(?:mean|means|is|shall\s+be)\s+"
    rf"(?:{DATE_FIRST_WRITTEN_ABOVE})|"
    rf"(?:this\s+(?:[A-Z][\w-]*\s+){{0,5}}(?:Agreement|Contract)|the\s+\"?Term\"?)(?:(?!\bperiod\b)[^.;]){{0,80}}?"
    rf"\b(?:effective|commenc\w*|begin\w*|start\w*|in\s+(?:full\s+)?force)\s+(?:as\s+of\s+|on\s+|upon\s+|"
    rf"from\s+)(?:{DATE_FIRST_WRITTEN_ABOVE})|"
    rf"\bexecuted\s+as\s+of\s+(?:{DATE_FIRST_WRITTEN_ABOVE})\s+and\s+(?:shall|will)\s+(?:be|become)\s+effective\s+"
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
# the document defines an Effective Date ('"Effective Date"', "(the Effective Date)")
EFFECTIVE_DATE_DEFINED = re.compile(rf"\"\s*{EFFECTIVE_DATE_NAME}\s*\"|\(\s*the\s+{EFFECTIVE_DATE_NAME}\s*\)", F)


# "the fiscal year which begins on April 1", "installments commencing on January 15": not the agreement
_SCHEDULE_STARTING = re.compile(
    r"\b(?:year|quarter|month|period|week|installments?|payments?)\s+(?:which\s+|that\s+)?(?:shall\s+|will\s+)?"
    r"(?:begin\w*|commenc\w*)\s+(?:on|as\s+of|from|with)\s+(?:the\s+)?$", F)


# "This Agreement sets out ... It shall be effective on DATE": "It" opening the sentence right after
# one whose subject is the agreement stands for the agreement
_IT_OPENS_THE_SENTENCE = re.compile(
    r"\s*It\s+(?:shall|will|is\s+to)\s+(?:be|become|come|enter|take|commence|remain|continue)\b")
_AGREEMENT_OPENS_THE_SENTENCE = re.compile(
    r"\s*(?:[^\n;]{0,60}\n\s*)?(?:[\d.()a-z]+\s+)?(?:This|The)\s+(?:[A-Z][\w-]*\s+){0,5}"
    r"(?i:agreement|contract)\s+"
    r"(?:shall|will|may|is|has)?\s*[a-z]+\b")


def it_is_the_agreement(doc: Document, span: Span) -> bool:
    """Does the sentence at ``span`` open with an "It" that stands for the agreement?"""
    if not _IT_OPENS_THE_SENTENCE.match(doc.text[span.start:span.end]):
        return False
    last = len(doc.text[:span.start].rstrip()) - 1  # the previous sentence's last character
    if last < 0 or span.start - last > 12:
        return False
    prev = doc.sentence(last)
    return bool(_AGREEMENT_OPENS_THE_SENTENCE.match(doc.text[prev.start:prev.end]))


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
        named = _EFFECTIVE_DATE_NAMED_AFTER.search(after) or _EFFECTIVE_DATE_NAMED_BEFORE.search(before)
        if not named and not _TAKES_EFFECT_BEFORE.search(before):
            continue
        clause = re.split(r"[.;](?=\s)", before)[-1]  # the previous definition or sentence is not this one
        if ABOUT_ANOTHER_DOCUMENT.search(clause[-60:] if named else clause[-100:]) \
                or re.search(r"terminat\w*[^.;]{0,60}$", before, F):
            continue
        if not named and _SCHEDULE_STARTING.search(before):
            continue  # a fiscal year or an instalment schedule starting, not the agreement
        if named and re.search(r"Amendment\s+Effective\s+Date", named.group(0), F) and plain_defined:
            continue  # an amendment's date inside a restated agreement that has its own Effective Date
        span = doc.sentence(found.start, found.end, max_len=300)
        if named:
            if (found.start > preamble_end
                    and not re.search(r"\"|\bmeans?\b|\bshall\s+be\b|\bis\b", named.group(0), F)
                    and ctx.terms.get("agreement_date") is not None
                    and _EFFECTIVE_AS_OF_DOCUMENT_DATE.search(doc.text)):
                continue  # a bare "Effective Date:" label deep in a schedule (a price list) loses to the
                # agreement's own rule that it is effective as of its date
            candidates.append((0, found.start, found, span))
            break
        # "this Agreement shall be effective as of DATE": the verb must belong to the agreement
        if _THE_AGREEMENT_OR_ITS_TERM.search(doc.text[span.start:found.end]) or it_is_the_agreement(doc, span):
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
    effective = _named_date(ctx)
    if effective is None:
        # the first wording that ties the date to the signatures decides, even when they do not date it
        day_after = _EFFECTIVE_DAY_AFTER_SIGNATURE.search(doc.text)
        on_signing = None if day_after else (_EFFECTIVE_IS_LAST_SIGNATURE.search(doc.text)
                                             or _EFFECTIVE_ON_SIGNING.search(doc.text))
        if day_after:
            effective = _day_after_last_signature(ctx, day_after)
        elif on_signing:
            effective = _date_of_signing(ctx, on_signing)
        else:
            effective = _date_of_the_agreement(ctx)
    if effective is not None:
        ctx.terms["effective_date"] = effective


def _named_date(ctx: Context) -> Term | None:
    """A date named "Effective Date" or said to be when the agreement takes effect; else one
    written with blanks there ("effective as of ________, 2020"): the parts filled in."""
    doc = ctx.doc
    named = _named_effective_date(ctx, ctx.dates_in(0, len(doc.text)))
    if named is not None:
        return ctx.term(iso(named[0].value), named[1])
    named = _named_effective_date(ctx, ctx.blank_dates_in(0, len(doc.text)))
    if named is not None:
        return ctx.term(iso(named[0].value), named[1], derivation=blank_note(named[0].value))
    return None


def _day_after_last_signature(ctx: Context, wording: re.Match) -> Term | None:
    """"effective beginning on ... the day after the date of last signature": None when the
    signatures are not dated."""
    last = last_signature(ctx)
    if last is None:
        return None
    value = last[0].value + timedelta(days=1)
    return ctx.term(iso(value), ctx.doc.sentence(wording.start(), wording.end(), max_len=300),
                    derivation=f"the day after the last signature ({iso(last[0].value)} + P1D)")


def _date_of_signing(ctx: Context, wording: re.Match) -> Term | None:
    """Effective on the last signature, or on execution: the last signature date, else (no dated
    signatures, effective on execution) the document's own date. None when neither is known, or
    when the signatures and the document's own date are a year or more apart (one is a typo)."""
    doc = ctx.doc
    last = last_signature(ctx)
    agreement = ctx.terms.get("agreement_date")
    span = doc.sentence(wording.start(), wording.end(), max_len=300)
    agreed = full_date(agreement)
    if last is not None and agreement is not None and agreement.derivation is None \
            and agreed is not None and abs((last[0].value - agreed).days) > 366:
        return None  # signatures and the document's own date a year or more apart: one is a typo
    if last is not None:
        found, _ = last
        return ctx.term(iso(found.value), span,
                        derivation=f"the date of the last signature ({iso(found.value)}, signature block)")
    if agreement is not None and agreement.derivation is None and _EFFECTIVE_ON_SIGNING.search(doc.text):
        # no dated signatures: the document's own date ("made on", "executed as of") is its signing
        return ctx.term(agreement.value, span,
                        derivation=f"agreement_date {agreement.value} (effective on signature; the signatures "
                                   f"are not dated)")
    return None


def _date_of_the_agreement(ctx: Context) -> Term | None:
    """An Effective Date defined as the document's own date ("the date first written above")."""
    doc = ctx.doc
    agreement = ctx.terms.get("agreement_date")
    if agreement is None:
        return None
    m = _EFFECTIVE_AS_OF_DOCUMENT_DATE.search(doc.text)
    if m is None:
        return None
    span = doc.sentence(m.start(), m.end(), max_len=300)
    return ctx.term(agreement.value, span,
                    derivation=f"agreement_date {agreement.value} (effective as of the date of the agreement)")
