"""The window to claim service credits ("request a service credit in writing within thirty (30)
days after the end of the affected month"): the deadline the customer's claim has, read from the
credits' own clause (up to the next heading) or from a subclause of its own about claiming them
("4.3 Credit Requests. To receive a credit, ..."), never from another section's "request for a
credit". Used by ``credits.read_credit_tiers`` for a table's window and alone for credits in prose."""

from __future__ import annotations

import re

from ..dates import Duration
from .context import Context, F
from .document import Document, Span
from .numbers import DURATION_RE, duration_of

# the words that make a duration a deadline ("within", "no later than", "not later than"), and what it
# counts from when the sentence attaches it ("... days after the end of the affected month")
_DEADLINE_BEFORE = re.compile(r"\b(?:within|no\s+later\s+than|not\s+later\s+than|no\s+more\s+than|"
                              r"not\s+more\s+than)\s+(?:a\s+period\s+of\s+)?$", F)
_FROM_PERIOD_END = re.compile(r"\s*(?:after|following|from|of)\s+(?:the\s+)?end\s+of\s+(?:the|each|that|any)\s+"
                              r"(?:[\w-]+\s+){0,2}?(?:month|quarter|period)", F)


# a sentence's clauses (a window is the deadline of the act its own clause names), the customer's act of
# claiming, and another act with its own deadline (the supplier issuing or answering)
_CLAUSE_START = re.compile(r"[,;:]|\band\b|\bbut\b", F)
_CLAIM_VERB = re.compile(r"\b(?:request|claim|submit|notif|apply\s+for|ask)\w*", F)
_OTHER_ACT = re.compile(r"\b(?:will|shall|must|may|agrees?\s+to)\b|\b(?:issue|respond|reply|pay|refund|process|"
                        r"grant|provide|review|confirm|appl(?:y|ied))\w*", F)


def _claim_window(sentence: str) -> dict[str, str] | None:
    """The window to claim a credit the sentence states ("within thirty (30) days after the end of
    the affected month" -> {"claim_window": "P30D", "claim_from": "end of the measured period"}), and
    what it counts from (``(assumed)``: not said; no claim deadline is counted from an assumption).
    Only a duration that is a deadline ("within", "no later than"): not "up to three (3) months per
    year". Two windows stated: the shorter binds, said in ``claim_window_why``; none when which is
    shorter is unclear (months against days, business days against calendar days, or one counted
    from the end of the period and the other not)."""
    windows = []
    claimed = True  # a clause with no verb of its own ("and in any event within ...") goes with the one before
    for d in DURATION_RE.finditer(sentence):
        if not _DEADLINE_BEFORE.search(sentence[max(0, d.start() - 40):d.start()]):
            continue
        clause = _CLAUSE_START.split(sentence[:d.start()])[-1]
        if _CLAIM_VERB.search(clause):
            claimed = True
        elif _OTHER_ACT.search(clause):
            claimed = False  # another act's deadline ("Supplier will issue the credit within ten (10) days")
        if not claimed:
            continue
        period = duration_of(d)
        if period is None:
            return None  # a deadline not read: no other one stands for it
        windows.append((period, bool(_FROM_PERIOD_END.match(sentence, d.end()))))
    if not windows:
        return None
    if len({stated for _, stated in windows}) > 1:
        return None  # counted from different days: which ends first is not known
    period, stated = windows[0]
    why = None
    if len({p.iso() for p, _ in windows}) > 1:
        shortest = _shortest([p for p, _ in windows])
        if shortest is None:
            return None
        period = shortest
        why = f"the shorter of the windows stated ({', '.join(p.iso() for p, _ in windows)})"
    value = {"claim_window": period.iso(),
             "claim_from": "end of the measured period" if stated else "end of the measured period (assumed)"}
    if why:
        value["claim_window_why"] = why
    return value


def _shortest(periods: list[Duration]) -> Duration | None:
    """The shortest of ``periods`` when each is in days and weeks, each in months and years, or each in
    business days (else None: which ends first depends on the month or the calendar)."""
    def in_(p: Duration, kind: str) -> int | None:
        days, months, business = p.days + 7 * p.weeks, p.months + 12 * p.years, p.business_days
        counts = {"days": days, "months": months, "business": business}
        return counts[kind] if counts[kind] and not any(v for k, v in counts.items() if k != kind) else None
    for kind in ("days", "months", "business"):
        lengths = [in_(p, kind) for p in periods]
        if all(n is not None for n in lengths):
            return periods[lengths.index(min(n for n in lengths if n is not None))]
    return None


_SERVICE_CREDIT = re.compile(r"\bservice\s+credits?\b", F)
# a request for a credit, not for a credit note, card or limit ("Customer must request a service credit
# ...", "to receive a service credit, Customer must submit a claim ...", "credits must be requested ...")
_NOT_SERVICE = r"(?!\s+(?:cards?|limits?|notes?|memos?|lines?|facilit(?:y|ies)|ratings?|checks?|reports?)\b)"
_CLAIM_WITHOUT_TIERS = re.compile(
    rf"\b(?:request|claim|apply\s+for|submit)\w*\b[^.]{{0,80}}?\bcredits?\b{_NOT_SERVICE}|"
    rf"\bto\s+(?:receive|obtain|qualify\s+for|be\s+eligible\s+for)\s+(?:a|any|the|such)\s+(?:service\s+)?credits?\b"
    rf"{_NOT_SERVICE}[^.]{{0,80}}?\b(?:request|claim|notif|submit)|"
    rf"\bcredits?\b{_NOT_SERVICE}[^.]{{0,40}}?\bbe\s+(?:requested|claimed)\b", F)
# the next heading, whatever its case ("4. GOVERNING LAW", "5.2 Billing Disputes", "Section 6. Invoices"),
# or a blank line: a claim window past it is another clause's. After a credit table, a blank line ends
# the clause only before a heading ("\n\nBilling Disputes."): a table's notes often follow a blank line.
_NUMBERED_HEADING = (r"(?:\n|(?<=[.;:])[ \t])[ \t]*(?i:section|article)[ \t]+\d+(?:\.\d+)*\b|"
                     r"\n[ \t]*(?:\d+\.(?:\d+\.?)*|\d+(?=[ \t]+[A-Z]))[ \t]+(?=[A-Za-z(])")
_NEXT_SECTION = re.compile(rf"\n[ \t]*\n|{_NUMBERED_HEADING}")
_TITLE_WORD = r"(?:[A-Z][\w'&/-]*|of|and|or|for|the|to|in|on|a|an)"
NEXT_HEADING = re.compile(rf"\n(?=[ \t]*\n[ \t]*{_TITLE_WORD}(?:[ \t]+{_TITLE_WORD}){{0,7}}[ \t]*(?:[.:]|\n))|"
                          rf"{_NUMBERED_HEADING}")
# the number a heading gives its clause ("4.3 Credit Requests" -> 4.3, "Section 4" -> 4)
_HEADING_NUMBER = re.compile(r"\s*(?:(?i:section|article)[ \t]+)?(\d+(?:\.\d+)*)\.?[ \t]+(?=[A-Za-z(])")


def clause_end(text: str, pos: int, limit: int, headings: re.Pattern[str] = _NEXT_SECTION) -> int:
    """Where the clause that ``pos`` is in ends: at the next of ``headings`` before ``limit``, else ``limit``."""
    heading = headings.search(text, pos, limit)
    return heading.start() if heading else limit


def claim_in(doc: Document, start: int, end: int, claim: re.Pattern[str]) -> tuple[dict[str, str], Span] | None:
    """The claim window of the first sentence in ``[start, end)`` that ``claim`` finds and that states
    one (not a title: "4.3 Claims for Credits"), with that sentence clipped to the clause, or None."""
    for found in claim.finditer(doc.text, start, end):
        sentence = doc.sentence(found.start(), found.end())
        sentence = Span(max(sentence.start, start), min(sentence.end, end))
        window = _claim_window(doc.text[sentence.start:sentence.end])
        if window is not None:
            return window, sentence
    return None


def read_claim_without_tiers(ctx: Context) -> None:
    """Credits stated in prose, no table read ("a service credit of 5% of the monthly fee ...
    Customer must request a service credit within thirty (30) days after the end of the affected
    month"): the claim window alone, as ``service_credit_claim`` (its clause the sentence that
    states it), so a breach whose credit is to be checked by hand still gets its claim deadline.
    Only from a sentence that asks for a credit in the service credits' own clause: between the
    heading before a mention of service credits and the next heading (or blank line), so a request
    for "a credit" under "5.2 Billing Disputes" is never read as the claim of a service credit;
    else from a subclause of its own about claiming them (``claim_in_subclause``)."""
    doc = ctx.doc
    clauses = []
    for m in _SERVICE_CREDIT.finditer(doc.text):
        span = doc.sentence(m.start(), m.end())
        start = max([span.start] + [h.end() for h in _NEXT_SECTION.finditer(doc.text, span.start, m.start())])
        clauses.append((m.start(), start, clause_end(doc.text, m.end(), min(len(doc.text), span.end + 600))))
    found = next(filter(None, (claim_in(doc, start, end, _CLAIM_WITHOUT_TIERS) for _, start, end in clauses)),
                 None) or next(filter(None, (claim_in_subclause(doc, at, end) for at, _, end in clauses)), None)
    if found is not None:
        window, claim_span = found
        ctx.terms["service_credit_claim"] = ctx.term(window, claim_span, derivation=window.get("claim_window_why"))


# a subclause about claiming credits: its title ("Credit Requests", "Claims for Credits") or its first
# sentence ("To receive a credit, ...", "Credits must be requested ..."), not one of invoices or billing
_CLAIM_TITLE = re.compile(r"(?:[\w-]+\s+){0,3}?(?:(?:service\s+)?credits?\s+(?:requests?|claims?)|"
                          r"(?:requests?|claims?)\s+for\s+(?:service\s+)?credits?|"
                          r"(?:requesting|claiming)\s+(?:service\s+)?credits?)(?:\s+(?:procedures?|process))?\s*$", F)
_CLAIM_OPENING = re.compile(rf"\s*(?:to\s+(?:receive|obtain|claim|request|qualify\s+for|be\s+eligible\s+for)\s+"
                            rf"(?:a|any|the|such)\s+(?:service\s+)?credits?\b{_NOT_SERVICE}|"
                            rf"(?:(?:any|all|such)\s+)?(?:service\s+)?credits?\s+(?:must|shall|will|may)\s+"
                            rf"(?:only\s+)?be\s+(?:requested|claimed)\b)", F)
# a subclause's title line, and the blank line under it
_TITLE_LINE = re.compile(r"[^.\n]*[.\n]?\s*")
_NOT_CREDIT_CLAIM = re.compile(r"\b(?:invoic|bill|overbill|overpa|overcharg|disput|refund)\w*", F)
# in such a subclause, the customer's request need not name the credit again ("Customer must submit a request ...")
_CUSTOMER_CLAIMS = re.compile(r"\b(?:customer|client|licensee|subscriber|you)\b[^.]{0,30}?\b(?:must|shall|may|should)"
                              r"\s+(?:\w+\s+){0,2}?(?:request|claim|submit|notify|apply)\w*", F)
_CLAIM_IN_SUBCLAUSE = re.compile(rf"{_CLAIM_WITHOUT_TIERS.pattern}|{_CUSTOMER_CLAIMS.pattern}", F)


def claim_in_subclause(doc: Document, credits_at: int, credits_end: int) -> tuple[dict[str, str], Span] | None:
    """The claim window of a numbered subclause of its own that says how to claim the credits of the
    clause at ``credits_at`` (which ends at ``credits_end``): "4.2 Service Credits. ... \n4.3 Credit
    Requests. To receive a credit, Customer must submit a request within thirty (30) days ...". Only
    a subclause about claiming credits (``_about_claiming``) in the same numbered section as the
    credits' clause (4.2 -> 4.3 or 4.2.1; a top-level section -> the one directly after it, 3 -> 4),
    so "5.1 Credit Requests" after "4.2 Service Credits" is another section's; none when the credits'
    clause has no number."""
    text = doc.text
    # the number of the credits' clause (a blank line between its paragraphs gives none)
    numbered = [_HEADING_NUMBER.match(text, h.start())
                for h in _NEXT_SECTION.finditer(text, max(0, credits_at - 3000), credits_at + 1)]
    number = next((_number(n) for n in reversed(numbered) if n is not None), None)
    if number is None:
        return None
    limit = min(len(text), credits_end + 3000)
    for heading in _NEXT_SECTION.finditer(text, credits_end, limit):
        sub = _HEADING_NUMBER.match(text, heading.start())
        if sub is None:
            continue  # a blank line within a subclause
        if not _in_section(_number(sub), number):
            return None
        # past its title line and the blank line a title may stand over ("4.3 Credit Requests\n\nTo ...")
        title = _TITLE_LINE.match(text, sub.end())
        end = clause_end(text, title.end() if title else sub.end(), limit)
        if _about_claiming(text[sub.end():end]):
            found = claim_in(doc, sub.end(), end, _CLAIM_IN_SUBCLAUSE)
            if found is not None:
                return found
    return None


def _number(heading: re.Match[str]) -> tuple[int, ...]:
    """The number of a heading ("\n4.3 Credit Requests" -> (4, 3))."""
    return tuple(int(n) for n in heading.group(1).split("."))


def _in_section(sub: tuple[int, ...], credits: tuple[int, ...]) -> bool:
    """Whether subclause ``sub``, read after the credits' clause ``credits`` with no heading of
    another section between, is in its numbered section: within it (4.2 -> 4.2.1), a later one of
    the same parent (4.2 -> 4.3, 4.4.1), or, for a top-level section, the one directly after it
    (3 -> 3.1 -> 4; not 5)."""
    if len(sub) > len(credits) and sub[:len(credits)] == credits:
        return True
    parent = len(credits) - 1
    if parent and sub[:parent] == credits[:parent] and len(sub) > parent and sub[parent] > credits[parent]:
        return True
    return not parent and sub == (credits[0] + 1,)


def _about_claiming(subclause: str) -> bool:
    """Whether a subclause is about claiming credits: its title ("Credit Requests", "Claims for
    Credits") or its first sentence ("To receive a credit, ...") says so, and neither is of invoices,
    billing or disputes ("Billing Disputes. ... any request for a credit ...")."""
    title, first = ([*re.split(r"[.:]\s+|\n", subclause.strip(), maxsplit=2), ""])[:2]
    if _NOT_CREDIT_CLAIM.search(f"{title} {first}"):
        return False
    return bool(_CLAIM_TITLE.match(title.strip()) or _CLAIM_OPENING.match(title) or _CLAIM_OPENING.match(first))
