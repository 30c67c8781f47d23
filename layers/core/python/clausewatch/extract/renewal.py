"""Renewal (automatic, by option, by mutual agreement only, evergreen) with its period; the notice
needed to stop a renewal; and the notice deadline that follows from the expiration date."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from .. import dates
from ..dates import Duration
from .context import NOTICE_FOLLOWS, Context, F, full_date
from .document import Span
from .numbers import DURATION_RE, duration_of

# a sentence that may be about renewal: "renew", "extend", "successive", "year to year", "until terminated"
_RENEWAL_WORDING = re.compile(
    r"\brenew\w*|\bextend\w*|\bextension|\bsuccessive\b|year[\s-]+to[\s-]+year|month[\s-]+to[\s-]+month|"
    r"\bevergreen|thereafter|until\s+terminated", F)
# ... that says the agreement renews, extends or continues for or from a period
_RENEWAL_VERB = re.compile(r"\brenew\w*|\bextend\w*|\bextension|\bcontinu\w*\s+(?:\w+\s+){0,3}(?:for|from)\b", F)
# the renewal happens unless someone acts: "automatically", "shall be renewed", "unless ... notice"
_AUTOMATIC_RENEWAL = re.compile(
    r"\bautomatic\w*|\btacit\w*|\bshall\s+(?:thereafter\s+)?(?:be\s+)?(?:renew|extend|continue)|"
    r"\bwill\s+(?:thereafter\s+)?"
    r"(?:be\s+)?(?:automatically\s+)?(?:renew|extend|continue)|deemed\s+(?:to\s+be\s+|to\s+have\s+been\s+)?"
    r"(?:renewed|extended)|\bunless\b[^.]{0,200}\b(?:notice|notif\w*|advise\w*)|"
    r"\bthereafter\b[^.]{0,40}\bfrom\s+(?:year|month)",
    F)
# the renewal needs both parties: "upon mutual written agreement", "if the parties so agree"
_BY_MUTUAL_AGREEMENT = re.compile(
    r"\bmutual\w*\s+(?:written\s+)?(?:agree\w*|consent|understanding)|\bmutually\s+agree|"
    r"\bupon\s+(?:the\s+)?(?:written\s+)?agreement\s+of\s+(?:both|the)\s+parties|"
    r"\bif\s+(?:both\s+|the\s+)?parties\s+(?:so\s+)?(?:mutually\s+)?agree|\bby\s+(?:written\s+)?agreement\s+of\s+"
    r"(?:both|the)\s+parties|\bparties\s+may\s+(?:mutually\s+)?agree|\bsubject\s+to\s+(?:the\s+)?"
    r"(?:mutual\s+)?(?:written\s+)?agreement|\bagreed\s+(?:to\s+)?(?:in\s+writing\s+)?by\s+(?:both|the)\s+parties"
    r"|\bnegotiat|\bconsent\s+of\s+both|\bby\s+amendment|\bwritten\s+agreement\s+of\s+both|"
    r"\bboth\s+parties\s+(?:agree|consent)"
    r"|\bexpressly\s+agree", F)
# one party may renew: "option to renew", "may elect to extend", "at its sole discretion"
_RENEWAL_OPTION = re.compile(r"\b(?:option|right)s?\s+to\s+(?:renew|extend)|"
                             r"\bmay\s+(?:elect\s+to\s+)?(?:renew|extend)\b|"
                             r"\bat\s+(?:the\s+|its\s+)?(?:sole\s+)?(?:option|discretion)", F)
_NOT_RENEWABLE = re.compile(r"\b(?:shall|will)\s+not\s+(?:be\s+)?(?:automatically\s+)?renew|"
                            r"\bno\s+(?:automatic\s+)?renewal", F)
# the agreement continues with no end: "indefinitely", "until terminated by either party", "evergreen"
_EVERGREEN = re.compile(
    r"(?:continu\w*|remain\w*)\s+(?:in\s+(?:full\s+)?(?:force|effect)\s+(?:and\s+effect\s+)?)?"
    r"(?:thereafter\s+)?(?:indefinitely|perpetually|in\s+perpetuity|until\s+(?:terminated|such\s+time|either|one|"
    r"the\s+(?:parties|agreement)|written\s+notice))|\bevergreen\b|\bindefinitely\b|"
    r"(?:renew\w*|continu\w*|extend\w*)\s+(?:\w+\s+){0,2}for\s+an?\s+(?:unlimited|indefinite)\s+(?:period|term|"
    r"number)", F)
# what renews is the agreement, its term or the service (not a deadline, a support period...)
_RENEWS_AGREEMENT = re.compile(
    r"(?:renew\w*|extend\w*|extension|continu\w*)\b[^.;]{0,40}?\b(?:agreement|contract|term|franchise|maintenance|"
    r"arrangement|engagement)\b|\b(?:agreement|contract|term|franchise|maintenance|arrangement|engagement|"
    r"it)\b[^.;]{0,200}?"
    r"\b(?:renew\w*|extend\w*|extension|continu\w*)", F)
# a renewal word before a duration, and the words between ("successive one (1) year", "additional")
_RENEWAL_WORD_BEFORE = re.compile(
    r"\b(?:renew\w*|extend\w*|extension|successive|additional|further|consecutive|subsequent|another)\b"
    r"(?P<gap>[^.;]{0,50})$", F)
# ... words between that make the duration a notice period ("renewal ... at least 60 days prior")
_NOT_A_RENEWAL_GAP = re.compile(r"\b(?:prior|notice|notif\w*|within|before|least|than|following|after|preceding|"
                                r"unless|gives?|giving|provides?|providing|serves?|delivers?|"
                                r"sent|sends?|served|given|delivered)\b", F)
# a renewal period given as a rhythm: "year to year", "annually", "month-to-month"
_PERIODIC_RENEWAL = re.compile(
    r"(?P<year>year[\s-]+to[\s-]+year|annual(?:ly)?\b|every\s+year|each\s+year|yearly)|"
    r"(?P<month>month[\s-]+to[\s-]+month|"
    r"monthly)", F)
# the renewal period is the initial term's: "for periods equal in length to the initial term"
_SAME_AS_INITIAL = re.compile(r"(?:same|equal|identical)\s+(?:in\s+)?(?:duration|length|period|term)|"
                              r"(?:period|term)s?\s+(?:equal|identical)\s+(?:in\s+length\s+)?to\s+the\s+(?:initial|"
                              r"original)", F)


# a sentence about another period that renews (a licence term, a lease, a warranty, a credit line)
_RENEWS_SOMETHING_ELSE = re.compile(
    r"\blicen[cs]e\s+(?:term|period)|warrant|confidential|\blease\b|insurance|"
    r"\bcredit\s+(?:facility|line)|"
    r"non-?compet|\bapprov\w*|evaluation\s+period|\bpayment\s+term|\bsurviv|"
    r"\bextend\w*\s+(?:throughout|during|beyond)\b|\bright\s+to\s+audit|"
    # the term of a programme, project, plan or statement of work within the agreement
    r"\bterm\s+of\s+(?:the|each|any|such|a|an)\s+(?:[\w-]+\s+){0,3}?(?:program(?:me)?|project|plan|phase|"
    r"statement\s+of\s+work|work\s+order|purchase\s+order)s?\b", F)


def read_renewal(ctx: Context) -> None:
    """Automatic renewal (with its period), a unilateral renewal option (``False`` with a
    period), renewal by mutual agreement only (``False``, no period: the parties can always
    agree), or evergreen continuation; and the notice needed to stop a renewal. The first sentence
    that renews the agreement (or lets it continue indefinitely) decides; a renewal by mutual
    agreement counts only when no sentence does."""
    doc = ctx.doc
    mutual_only: Span | None = None
    for span in _renewal_sentences(ctx):
        text = doc.text[span.start:span.end]
        renews = _RENEWAL_VERB.search(text)
        period = _renewal_period_or_rhythm(ctx, span, text, renews)
        # "(as extended by mutual written agreement or automatically) ... shall automatically renew":
        # an automatic renewal stated outright is not one by mutual agreement only
        mutual = _BY_MUTUAL_AGREEMENT.search(text) and not re.search(r"\bautomatically\s+(?:be\s+)?(?:renew|extend)",
                                                                    text, F)
        if renews and period is not None:
            if _NOT_RENEWABLE.search(text) or not _RENEWS_AGREEMENT.search(text):
                continue
            if mutual:
                mutual_only = mutual_only or span
                continue
            if _read_renewal_with_period(ctx, span, text, period):
                return
            continue
        if mutual and re.search(r"\b(?:renew\w*|extend\w*|extension)\b", text, F) and \
                re.search(r"\b(?:this\s+Agreement|the\s+(?:Initial\s+)?Term|term\s+of\s+this)\b", text, F):
            mutual_only = mutual_only or span
            continue
        if _continues_indefinitely(text):
            ctx.terms["auto_renewal"] = ctx.term(True, span, evergreen=True)
            _read_renewal_notice(ctx, span)
            return
    if mutual_only is not None:
        # renewal only if both parties agree: no renewal term (the parties can always agree; giving
        # the period they might agree on was measured: on the tuning part as many values where the
        # attorneys wrote none as correct ones)
        ctx.terms["auto_renewal"] = ctx.term(False, mutual_only, mutual_agreement=True)
    if ctx.terms.get("notice_period") is None:
        # no notice read with a renewal (none read, or its period left as "*" in the filing): a
        # notice of non-renewal in its own clause ("unless notice of non-renewal is sent one year
        # before the natural expiry date", "may cancel this Agreement at the end of the Initial
        # Term ... upon thirty days prior written notice") is still the notice that stops it
        _read_non_renewal_notice_elsewhere(ctx)


def _renewal_sentences(ctx: Context) -> Iterator[Span]:
    """Sentences that may renew the agreement: renewal wording, the agreement or its term in them or
    just before ("...; thereafter, it shall continue until terminated"), not about another period."""
    doc = ctx.doc
    for span in doc.sentences():
        text = doc.text[span.start:span.end]
        if len(text) > 1500 or not _RENEWAL_WORDING.search(text):
            continue
        # "...; thereafter, it shall continue until terminated": the subject may be in the clause before
        context = doc.text[max(0, span.start - 200):span.end]
        if not re.search(r"\bterm\b|\bagreement\b|\bcontract\b|\bperiod|\bfranchise", context, F):
            continue
        if _RENEWS_SOMETHING_ELSE.search(text):
            continue
        yield span


def _renewal_period_or_rhythm(ctx: Context, span: Span, text: str, renews: re.Match | None) -> Duration | None:
    """The period the sentence renews for; else, when it renews, its rhythm ("from year to year":
    a year, "month-to-month": a month)."""
    period = _renewal_period(ctx, span)
    periodic = None
    if period is None and renews:
        p = _PERIODIC_RENEWAL.search(text)
        if p and re.search(r"renew|extend|continu", text[max(0, p.start() - 80):p.end() + 80], F):
            periodic = Duration(years=1) if p.group("year") else Duration(months=1)
    return period or periodic


def _read_renewal_with_period(ctx: Context, span: Span, text: str, period: Duration) -> bool:
    """A renewal for a period: by one party's option (``auto_renewal`` False) or automatic (True),
    with the notice that stops it; False when the sentence says neither."""
    if _RENEWAL_OPTION.search(text) and not re.search(r"automatic|tacit", text, F):
        auto = False
    elif _AUTOMATIC_RENEWAL.search(text):
        auto = True
    else:
        return False
    ctx.terms["auto_renewal"] = ctx.term(auto, span)
    ctx.terms["renewal_term"] = ctx.term(period.iso(), span)
    _read_renewal_notice(ctx, span)
    if ctx.terms.get("notice_period") is None:
        # automatic or by option: a notice of non-renewal stated in its own clause stops it
        _read_non_renewal_notice_elsewhere(ctx)
    return True


def _continues_indefinitely(text: str) -> bool:
    """Evergreen: the agreement (or its term) continues after the initial term until terminated,
    or until either party ends it by notice."""
    return bool(_EVERGREEN.search(text)
                and re.search(r"\b(?:this\s+(?:Agreement|Contract)|the\s+Term|term\s+of\s+this|it\s+shall)\b", text, F)
                and (re.search(r"thereafter|after\s+(?:that|the\s+(?:initial|end))|expiration\s+of\s+the\s+initial",
                               text, F)
                     or re.search(r"until\s+terminated\s+by\s+(?:either|any|one)\s+party[^.;]{0,60}\bnotice", text, F)))


# a renewal period written without a number: "for one further year", "an additional year", "another
# month", "an additional period of half a year" (not "a further year's notice")
_ONE_MORE_PERIOD = re.compile(
    r"\b(?:an?|one|another)\s+(?:additional\s+|further\s+|successive\s+|extra\s+)?(?:period\s+of\s+)?"
    r"(?:(?P<half>half\s+a\s+year|half[\s-]year)|(?:additional|further|successive|extra)\s+(?P<unit>year|month))\b"
    r"(?!\s*(?:'s?|s')?\s*(?:prior|notice|written|advance))", F)


def _period_after_renewal_word(text: str, start: int, end: int) -> Duration | None:
    """In text[start:end], the first duration after a renewal word that is not a notice period
    ("renew for successive one (1) year terms", "two (2) year term extensions"), else a period
    written without a figure ("one further year", "an additional period of half a year")."""
    for m in DURATION_RE.finditer(text, start, end):
        before = text[max(start, m.start() - 90):m.start()]
        after = text[m.end():min(end, m.end() + 40)]
        if NOTICE_FOLLOWS.search(after):
            continue
        if re.search(r"\beach\s+of\s+the\s+(?:subsequent|next|following)\s*$", before, F):
            continue  # "for each of the subsequent three years": yearly, not a three-year period
        w = _RENEWAL_WORD_BEFORE.search(before)
        renewal_after = re.match(r"\s*(?:\(\s*\d+\s*\)\s*)?(?:term\s+)?(?:renewal|extension)s?\b", after, F)
        if (w and not _NOT_A_RENEWAL_GAP.search(w.group("gap"))) or renewal_after:
            d = duration_of(m)
            if d is not None and not d.business_days:
                return d
    one_more = _ONE_MORE_PERIOD.search(text, start, end)
    if one_more:
        return Duration(months=6) if one_more.group("half") else \
            Duration(years=1) if one_more.group("unit").lower() == "year" else Duration(months=1)
    return None


def _renewal_period(ctx: Context, span: Span) -> Duration | None:
    """The period a renewal sentence renews for: the first duration after a renewal word
    ("renew for successive one (1) year terms") that is not a notice period."""
    text = ctx.doc.text
    period = _period_after_renewal_word(text, span.start, span.end)
    if period is not None:
        return period
    if _SAME_AS_INITIAL.search(text[span.start:span.end]):
        initial = ctx.terms.get("initial_term")
        if initial is not None:
            return Duration.parse(initial.value)
    return None


# notice wording after a duration ("days' prior written notice")
_NOTICE_WORDING = re.compile(r"notice|notif|written|prior|before|advance|preceding", F)


# the notice that exercises a renewal (an option's), not one that stops it: "provided the extending
# party gives the other party at least sixty (60) days' notice", "a party wishing to renew shall give
# notice", "exercise its option by written notice" (not "a party that does not wish to renew")
_NOTICE_TO_RENEW = re.compile(
    r"\b(?:extending|renewing)\s+party\b|"
    r"\b(?P<wish>wish\w*|desir\w*|intend\w*|intention|decid\w*|decision)\s+to\s+(?:renew|extend)\b|"
    r"\bexercis\w*\s+(?:\w+\s+){0,3}?(?:option|right)s?\b", F)
# "does not wish", "no longer wishes", "neither party wishes", "decides not to": a wish not to renew
_NEGATED = re.compile(r"\b(?:not|no|no\s+longer|neither|never)\b[^.;]{0,15}$", F)


def _notice_to_renew(text: str) -> bool:
    """The sentence's notice exercises a renewal and nothing in it stops one."""
    renews = any(not (m.group("wish") and _NEGATED.search(text[max(0, m.start() - 30):m.start()]))
                 for m in _NOTICE_TO_RENEW.finditer(text))
    return renews and not _NON_RENEWAL.search(text) \
        and not re.search(r"\bterminat|\bcancel|\bunless\b", text, F)


def _read_renewal_notice(ctx: Context, span: Span, follow: bool = True) -> None:
    """Notice to stop a renewal: "at least sixty (60) days prior to the end of the then-current
    term", "not less than three (3) months' written notice" (this sentence or the next one); not the
    notice that exercises an option to renew."""
    doc = ctx.doc
    spans = [span]
    nxt = doc.sentence(span.end + 1) if follow and span.end + 1 < len(doc.text) else None
    if nxt is not None and nxt.start >= span.end:
        spans.append(nxt)
    for s in spans:
        text = doc.text[s.start:s.end]
        if s is not span and not re.search(r"renew|extend|extension|non-?renewal|expiration|end\s+of\s+the", text, F):
            continue
        if not re.search(r"\bnotice|\bnotif|\binform|\badvise|\bin\s+writing|\bwritten\b", text, F):
            continue
        if _notice_to_renew(text):
            continue
        for m in DURATION_RE.finditer(doc.text, s.start, s.end):
            after = doc.text[m.end():min(s.end, m.end() + 60)]
            before = doc.text[max(s.start, m.start() - 60):m.start()]
            w = _RENEWAL_WORD_BEFORE.search(before)
            renewal_period = bool(w and not _NOT_A_RENEWAL_GAP.search(w.group("gap")))
            if renewal_period or not NOTICE_FOLLOWS.search(after):
                if not re.search(r"(?:at\s+least|not\s+less\s+than|no\s+less\s+than|minimum\s+of|"
                                 r"no\s+later\s+than|not\s+later\s+than|with|upon|giving|by\s+giving)\s*$", before, F):
                    continue
                if not _NOTICE_WORDING.search(after):
                    continue
            d = duration_of(m)
            if d is None:
                continue
            ctx.terms["notice_period"] = ctx.term(d.iso(), s)
            return


# "notice of non-renewal", "elects not to renew", "to prevent the automatic renewal"
_NON_RENEWAL = re.compile(r"non-?\s?renewal|not\s+to\s+(?:renew|extend)|(?:prevent|avoid|stop)\s+(?:the\s+|such\s+|"
                          r"any\s+)?"
                          r"(?:automatic\s+)?(?:renewal|extension)|elect(?:s|ing)?\s+not\s+to\s+renew|"
                          # "may terminate this Agreement at the end of the Initial Term or any renewal term upon
                          # thirty (30) days' notice": ending it at a term's end is not renewing it
                          r"\b(?:terminat\w*|cancel\w*)\b[^.;]{0,80}?\b(?:at|upon|on|as\s+of|effective\s+(?:at|as\s+of|on))"
                          r"\s+the\s+(?:end|expiration|expiry)\s+of\s+(?:the|its|any|such|each|this)\s+(?:[\w-]+\s+){0,2}"
                          r"(?:term|period)", F)


# a non-renewal that is not the agreement's: an insurance policy's "cancellation or nonrenewal", a
# licence's
_NOT_THE_AGREEMENTS_RENEWAL = re.compile(r"\bpolic(?:y|ies)\b", F)
# a right to end the agreement "at any time" is a termination for convenience, not a notice that
# stops a renewal ...
_AT_ANY_TIME = re.compile(r"\bany\s+time\b", F)
# ... unless its period is counted back from the end of a term: "at any time up to sixty (60) days
# before the end of the then-current Term" (a period, then before / prior to the end or expiration;
# not "at any time prior to the expiration of the Term", which has no period before the anchor)
_BEFORE_THE_END_OF_A_TERM = re.compile(
    r"\b(?:days?|weeks?|months?|years?)(?:'s?|s')?\s+(?:\w+\s+){0,3}?(?:before|prior\s+to)\s+(?:the\s+)?"
    r"(?:end|expiration|expiry|termination)\s+of\s+(?:the|its|any|such|each|this|that)\s+(?:[\w-]+\s+){0,2}"
    r"(?:term|period|agreement|contract)\b", F)


def _termination_for_convenience(text: str) -> bool:
    """An "at any time" right with no period counted back from the end of a term."""
    return bool(_AT_ANY_TIME.search(text) and not _BEFORE_THE_END_OF_A_TERM.search(text))


def _read_non_renewal_notice_elsewhere(ctx: Context) -> None:
    """The notice of non-renewal stated in its own clause, away from the renewal sentence."""
    for m in _NON_RENEWAL.finditer(ctx.doc.text):
        span = ctx.doc.sentence(m.start(), m.end())
        text = ctx.doc.text[span.start:span.end]
        if _RENEWS_SOMETHING_ELSE.search(text) or _NOT_THE_AGREEMENTS_RENEWAL.search(text) \
                or _termination_for_convenience(text):
            continue
        _read_renewal_notice(ctx, span, follow=False)
        if ctx.terms.get("notice_period") is not None:
            return


def compute_notice_deadline(ctx: Context) -> None:
    """notice_deadline = expiration_date - notice_period (never counted from today)."""
    end, notice = full_date(ctx.terms.get("expiration_date")), ctx.terms.get("notice_period")
    if end is None or notice is None:
        return  # no expiration, or one left with blanks: no deadline can be counted
    law = ctx.terms.get("governing_law")
    # the governing law's holiday calendar; for one we have none for, the default's, and the
    # derivation says so (dates.holidays_words; the contract is flagged, pipeline/attention.py)
    jurisdiction = law.value if law is not None and isinstance(law.value, str) else None
    derived = dates.notice_deadline(end, notice.value, jurisdiction)
    e = notice.evidence
    if e is None:
        return
    start = ctx.doc.page_starts[e.page - 1] + e.start
    ctx.terms["notice_deadline"] = replace(
        ctx.term(derived.iso(), (start, start + len(e.text)), derivation=derived.derivation),
        moved_to_business_day=derived.moved_to_business_day)


# --- one clause on its own (the clause finder's fill) ---------------------------------------------

def renewal_period_in_clause(text: str) -> Duration | None:
    """The renewal period of one clause read on its own, by the reader's own rules: the clause
    renews or extends (the finder chose it as the renewal clause; its subject may be in the passage
    before) and is not "shall not renew", by mutual agreement only or about another period such as
    a licence, and the period is the first duration after a renewal word
    that is not a notice period ("automatically renew for successive one (1) year periods"), a
    period written without a figure ("one further year") or a rhythm ("from year to year"). None
    when the clause holds no such period, or when it says the renewal is "the same" as the initial
    term (the initial term is not in the clause)."""
    renews = _RENEWAL_VERB.search(text)
    if not renews or _NOT_RENEWABLE.search(text) or _BY_MUTUAL_AGREEMENT.search(text) \
            or _RENEWS_SOMETHING_ELSE.search(text):
        return None
    period = _period_after_renewal_word(text, 0, len(text))
    if period is not None:
        return period
    p = _PERIODIC_RENEWAL.search(text)
    if p and re.search(r"renew|extend|continu", text[max(0, p.start() - 80):p.end() + 80], F):
        return Duration(years=1) if p.group("year") else Duration(months=1)
    return None


# a notice period written after the notice: "notice of termination of not less than six (6) months"
_AT_LEAST_BEFORE = re.compile(r"(?:at\s+least|not\s+less\s+than|no\s+less\s+than|(?:a\s+)?minimum\s+of|"
                              r"no\s+later\s+than|not\s+later\s+than)\s*$", F)


def is_notice_duration(text: str, start: int, end: int) -> bool:
    """Whether the duration text[start:end] is a notice period: notice wording follows it ("ninety
    (90) days' prior written notice", "60 days before the end") or a minimum precedes it in a
    sentence about notice ("written notice ... of not less than six (6) months")."""
    if NOTICE_FOLLOWS.match(text[end:end + 60]):
        return True
    before = re.split(r"[.;]\s", text[max(0, start - 120):start])[-1]  # within its own sentence
    return bool(_AT_LEAST_BEFORE.search(before) and re.search(r"\bnotice|\bnotif|\bin\s+writing", before, F))
