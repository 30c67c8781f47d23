"""Which sentences state the agreement's term: a term subject ("The term of this Agreement",
"This Agreement", "The Initial Term", the agreement's short name) followed by a verb that gives it
a time span, in a sentence that is not about another period (a warranty, a licence, a lease)."""

from __future__ import annotations

import re

from .context import Context, F
from .document import Document, Span
from .effective_date import it_is_the_agreement
from .preamble import preamble_span

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
# ... in a sentence about another period or about ending the agreement early
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
_PREPOSITION_BEFORE = re.compile(
    r"(?:\b(?:of|under|in|to|with|by|for|from|into|upon|on|pursuant\s+to|per|during|after|following|throughout)|"
    r"'s)\s*$", F)
# a definition of something else ("Calendar Quarter" means ...)
_DEFINES_SOMETHING_ELSE = re.compile(r"^\W*(?:[\d.()a-z]+\s*)?\"\s*(?!(?:Initial\s+)?Term\b|Contract\s+Period|"
                                     r"Agreement\s+Period)"
                                     r"[^\"]{1,40}\"\s*(?:shall\s+)?(?:mean|means|has)\b", F)
# the clause that is plainly about the term, read first ("The term of this Agreement shall ...")
_PLAINLY_ABOUT_THE_TERM = re.compile(
    r"\bterm\s+of\s+(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:Agreement|Contract)\b|\binitial\s+(?:term|period)\b|"
    r"\(\s*(?:the\s+)?\"?\s*Term\s*\"?\s*\)|\bthe\s+\"?Term\"?\s+(?:shall|will|is)\b|"
    r"\b(?:this|the)\s+(?:[\w-]+\s+){0,3}?(?:Agreement|Contract)\s+(?:shall|will|is\s+to)?\s*(?:commence|continue|"
    r"remain|"
    r"expire|terminate|become\s+effective|be\s+effective|take\s+effect|be\s+in\s+effect|be\s+valid)", F)
# a short name in quotes and parentheses: '(the "OMA")'
_SHORT_NAME_IN_QUOTES = re.compile(r"\(\s*(?:the\s+|this\s+)?\"\s*(?P<alias>[A-Z]{2,8})\s*\"\s*\)")


def _agreement_alias(doc: Document) -> str | None:
    """The short name the preamble gives this agreement: 'THIS ORDERLY MARKETING AGREEMENT (the
    "OMA")' -> "OMA", so that "This OMA shall expire ..." is read as the agreement's term."""
    start, end = preamble_span(doc)
    for m in _SHORT_NAME_IN_QUOTES.finditer(doc.text, start, min(end, start + 1500)):
        if re.search(r"\b(?:agreement|contract)\s*$", doc.text[max(start, m.start() - 40):m.start()], F):
            return m.group("alias")
    return None


def term_sentences(ctx: Context) -> list[Span]:
    """Sentences that state the term of the agreement, in document order (the plainest first).

    Found once per document (the term and the conditional-term readers both ask)."""
    key = ("term_sentences",)
    if key not in ctx._found:
        ctx._found[key] = _term_sentences(ctx.doc)
    return list(ctx._found[key])


def _term_sentences(doc: Document) -> list[Span]:
    out = []
    alias = _agreement_alias(doc)
    subject = _TERM_SUBJECT if alias is None else re.compile(
        rf"{_TERM_SUBJECT.pattern}|\b(?:this|the)\s+{re.escape(alias)}\b(?=\s+(?:shall|will|is)\b)", F)
    for span in doc.sentences():
        text = doc.text[span.start:span.end]
        if len(text) > 1500 or not _states_a_term(doc, span, text, subject):
            continue
        # a sentence about something else is not the term's, even with a term subject and verb
        # (tested last: the costliest pattern, and most sentences have no term subject)
        # a proviso ("; provided that either party may terminate ...") does not make it off topic
        core = re.split(r"[;,]\s*provided\b", text, maxsplit=1, flags=F)[0]
        if not _DEFINES_SOMETHING_ELSE.search(text) and not _TERM_OFF_TOPIC.search(core):
            out.append(span)
    # the clause that is plainly about the term goes first ("The term of this Agreement shall ...")
    return sorted(out, key=lambda sp: (not _PLAINLY_ABOUT_THE_TERM.search(doc.text[sp.start:sp.end]), sp.start))


def _states_a_term(doc: Document, span: Span, text: str, subject: re.Pattern) -> bool:
    """Has the sentence a term subject followed by a verb that gives it a time span?"""
    if it_is_the_agreement(doc, span) and _TERM_VERB.match(text, text.index("It") + 2):
        return True  # "It shall be effective on ... and shall have a duration of two years"
    for m in subject.finditer(text):
        if _PREPOSITION_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            continue
        if re.search(r"\b(?:such|that|which|defined|capitalized)\s*$", text[max(0, m.start() - 15):m.start()],
                     F):
            continue  # "as such term is defined"
        if re.search(r"\b(?:previous|prior|original|existing|other|underlying)\b", m.group(0), F):
            continue  # another agreement's term
        if re.match(r"\s*(?:initial\s+)?term\s+of\s+(?:the\s+|any\s+|each\s+|such\s+|this\s+)?(?:exclusiv|licen|"
                    r"lease|"
                    r"employ|loan|office|cooperation|engagement|service|warrant|patent|protection|payment|"
                    r"the\s+(?!Agreement|Contract))", text[m.start():m.end() + 30], F):
            continue  # "the term of exclusivity"
        if _TERM_VERB.match(text, m.end()):
            return True
    return False
