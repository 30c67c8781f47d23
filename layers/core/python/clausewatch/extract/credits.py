"""Service credits as tiers: the band of the measured service level each credit applies to, the
credit as a percentage of a named base ("one-twelfth (1/12) of the annual Subscription Fees"), the
cap on credits and the window to claim them ("request a service credit in writing within thirty
(30) days after the end of the affected month"). Read after the SLA target (``read_sla``)."""

from __future__ import annotations

import re
from typing import Any

from ..dates import Duration
from .context import Context, F
from .document import Document, Span
from .numbers import DURATION_RE, duration_of, trim_number

_PCT = r"(\d{1,3}(?:\.\d+)?)\s*%"
# "Less than 99.9% but at least 99.5%   5%", "Below 95.0%: 50%"
_BELOW_ROW = re.compile(rf"(?:less\s+than|below|under|lower\s+than|<)\s*{_PCT}"
                        rf"(?:\s*(?:but|and)\s*(?:at\s+least|not\s+less\s+than|greater\s+than\s+or\s+equal\s+to|"
                        rf"equal\s+to\s+or\s+(?:greater|more)\s+than|>=|≥)\s*{_PCT})?"
                        rf"\s*[:=\-–—]?\s*(?:a\s+credit\s+of\s+)?{_PCT}", F)
# "99.0% - 99.5%   10%", "99.0% to 99.49%: 10%"
_RANGE_ROW = re.compile(rf"{_PCT}\s*(?:-|–|—|to)\s*{_PCT}\s*[:=\-–—]?\s*{_PCT}", F)
_CREDIT_INTRO = re.compile(r"\bservice\s+credits?\b|\bcredit\s+against\b|\bentitled\s+to\s+a\s+credit\b", F)
_FRACTIONS = {"one-twelfth": "1/12", "one twelfth": "1/12", "one-quarter": "1/4", "one quarter": "1/4",
              "one-half": "1/2", "one half": "1/2", "one-third": "1/3", "one third": "1/3"}
_BASE = re.compile(r"percentage\s+of\s+(?P<base>[^:;]{3,140}?)\s*(?::|$)|"
                   r"\d\s*%\s+of\s+(?:the\s+)?(?P<base2>[^.;:]{3,100}?)(?:[.;:]|\s+for\s+|$)", F)
_CLAIM = re.compile(r"\b(?:request|claim|apply\s+for)\w*\b[^.]{0,80}?\bcredit", F)
_CAP = re.compile(rf"(?:credits?[^.]{{0,80}}?(?:shall\s+not|will\s+not|may\s+not|in\s+no\s+event)\s+(?:\w+\s+){{0,3}}"
                  rf"(?:exceed|be\s+more\s+than)|maximum\s+(?:service\s+)?credit[^.]{{0,40}}?(?:is|of|shall\s+be))"
                  rf"\s+(?:an?\s+amount\s+equal\s+to\s+)?{_PCT}", F)


_FEE_OF_PERIOD = re.compile(r"\bof\s+(?:one[\s-]+twelfth\s+(?:\(1/12\)\s+)?of\s+)?(?:the\s+)?(?:customer's\s+)?"
                            r"(?:monthly|quarterly|annual|yearly)\b[^.:;]{0,60}?\b(?:fees?|charges?)\b", F)


def read_credit_tiers(ctx: Context) -> None:
    doc = ctx.doc
    target = ctx.terms.get("sla_availability")
    for m in _CREDIT_INTRO.finditer(doc.text):
        span = doc.sentence(m.start(), m.end())
        window_end = min(len(doc.text), span.end + 900)
        tiers = _tiers(doc.text[span.start:window_end])
        if not tiers:
            continue
        # the words before the table (the heading may be a sentence of its own)
        first = _BELOW_ROW.search(doc.text, span.start, window_end) or _RANGE_ROW.search(doc.text, span.start,
                                                                                         window_end)
        intro = doc.text[span.start:first.start() if first else span.end]
        value: dict[str, Any] = {"metric": "availability", "tiers": tiers}
        # the period measured, not the fee the credit is a share of ("... below 99.5% in any calendar
        # quarter ... a percentage of the monthly Hosting Fees" is measured per quarter)
        measured = _FEE_OF_PERIOD.sub(" ", intro)
        if re.search(r"\bmonth(?:ly)?\b", measured, F):
            value["measured_per"] = "month"
        elif re.search(r"\bquarter(?:ly)?\b", measured, F):
            value["measured_per"] = "quarter"
        if target is not None:
            value["target"] = str(target.value).rstrip("%")
        base = _base(intro + " " + doc.text[len(intro) + span.start:window_end])
        if base:
            value["base"] = base
        after = doc.text[span.start:window_end]
        end = span.end
        last = _last_row_end(after)
        if last:
            end = max(end, span.start + last)
        # the claim window is the table's clause's (up to the next heading after the table) or its own
        # subclause's, never a later section's ("5. Billing. Customer may request a credit ...")
        claim_end = _clause_end(doc.text, end, window_end, _NEXT_HEADING)
        claim = _claim_in(doc, span.start, claim_end, _CLAIM) or _claim_in_subclause(doc, m.start(), claim_end)
        if claim:
            window, claim_span = claim
            value.update(window)
            value["claim_evidence"] = doc.evidence(claim_span.start, claim_span.end).to_dict()
        cap = _CAP.search(after)
        if cap:
            value["cap_percent"] = trim_number(cap.group(1))
            value.update(_cap_periods(cap.group(0), after[cap.end():cap.end() + 100].split(".")[0]))
        ctx.terms["service_credit_tiers"] = ctx.term(value, (span.start, end))
        return
    _read_claim_without_tiers(ctx)


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
_NEXT_HEADING = re.compile(rf"\n(?=[ \t]*\n[ \t]*{_TITLE_WORD}(?:[ \t]+{_TITLE_WORD}){{0,7}}[ \t]*(?:[.:]|\n))|"
                           rf"{_NUMBERED_HEADING}")
# the number a heading gives its clause ("4.3 Credit Requests" -> 4.3, "Section 4" -> 4)
_HEADING_NUMBER = re.compile(r"\s*(?:(?i:section|article)[ \t]+)?(\d+(?:\.\d+)*)\.?[ \t]+(?=[A-Za-z(])")


def _clause_end(text: str, pos: int, limit: int, headings: re.Pattern[str] = _NEXT_SECTION) -> int:
    """Where the clause that ``pos`` is in ends: at the next of ``headings`` before ``limit``, else ``limit``."""
    heading = headings.search(text, pos, limit)
    return heading.start() if heading else limit


def _claim_in(doc: Document, start: int, end: int, claim: re.Pattern[str]) -> tuple[dict[str, str], Span] | None:
    """The claim window of the first sentence in ``[start, end)`` that ``claim`` finds and that states
    one (not a title: "4.3 Claims for Credits"), with that sentence clipped to the clause, or None."""
    for found in claim.finditer(doc.text, start, end):
        sentence = doc.sentence(found.start(), found.end())
        sentence = Span(max(sentence.start, start), min(sentence.end, end))
        window = _claim_window(doc.text[sentence.start:sentence.end])
        if window is not None:
            return window, sentence
    return None


def _read_claim_without_tiers(ctx: Context) -> None:
    """Credits stated in prose, no table read ("a service credit of 5% of the monthly fee ...
    Customer must request a service credit within thirty (30) days after the end of the affected
    month"): the claim window alone, as ``service_credit_claim`` (its clause the sentence that
    states it), so a breach whose credit is to be checked by hand still gets its claim deadline.
    Only from a sentence that asks for a credit in the service credits' own clause: between the
    heading before a mention of service credits and the next heading (or blank line), so a request
    for "a credit" under "5.2 Billing Disputes" is never read as the claim of a service credit;
    else from a subclause of its own about claiming them (``_claim_in_subclause``)."""
    doc = ctx.doc
    clauses = []
    for m in _SERVICE_CREDIT.finditer(doc.text):
        span = doc.sentence(m.start(), m.end())
        start = max([span.start] + [h.end() for h in _NEXT_SECTION.finditer(doc.text, span.start, m.start())])
        clauses.append((m.start(), start, _clause_end(doc.text, m.end(), min(len(doc.text), span.end + 600))))
    found = next(filter(None, (_claim_in(doc, start, end, _CLAIM_WITHOUT_TIERS) for _, start, end in clauses)),
                 None) or next(filter(None, (_claim_in_subclause(doc, at, end) for at, _, end in clauses)), None)
    if found is not None:
        window, claim_span = found
        ctx.terms["service_credit_claim"] = ctx.term(window, claim_span, derivation=window.get("claim_window_why"))


# a subclause about claiming credits: its title ("Credit Requests", "Claims for Credits") or its first
# sentence ("To receive a credit, ...", "Credits must be requested ..."), not one of invoices or billing
_CLAIM_TITLE = re.compile(r"(?:[\w-]+\s+){0,3}?(?:(?:service\s+)?credits?\s+(?:requests?|claims?|applications?)|"
                          r"(?:requests?|claims?|applications?)\s+for\s+(?:service\s+)?credits?|"
                          r"(?:requesting|claiming)\s+(?:service\s+)?credits?)(?:\s+(?:procedures?|process))?\s*$", F)
_CLAIM_OPENING = re.compile(rf"\s*(?:to\s+(?:receive|obtain|claim|request|qualify\s+for|be\s+eligible\s+for)\s+"
                            rf"(?:a|any|the|such)\s+(?:service\s+)?credits?\b{_NOT_SERVICE}|"
                            rf"(?:(?:any|all|such)\s+)?(?:service\s+)?credits?\s+(?:must|shall|will|may)\s+"
                            rf"(?:only\s+)?be\s+(?:requested|claimed)\b)", F)
_TITLE_LINE = re.compile(r"[^.\n]*[.\n]?\s*")
_NOT_CREDIT_CLAIM = re.compile(r"\b(?:invoic|bill|overbill|overpa|overcharg|disput|refund)\w*", F)
# in such a subclause, the customer's request need not name the credit again ("Customer must submit a request ...")
_CUSTOMER_CLAIMS = re.compile(r"\b(?:customer|client|licensee|subscriber|you)\b[^.]{0,30}?\b(?:must|shall|may|should)"
                              r"\s+(?:\w+\s+){0,2}?(?:request|claim|submit|notify|apply)\w*", F)
_CLAIM_IN_SUBCLAUSE = re.compile(rf"{_CLAIM_WITHOUT_TIERS.pattern}|{_CUSTOMER_CLAIMS.pattern}", F)


def _claim_in_subclause(doc: Document, credits_at: int, clause_end: int) -> tuple[dict[str, str], Span] | None:
    """The claim window of a numbered subclause of its own that says how to claim the credits of the
    clause at ``credits_at`` (which ends at ``clause_end``): "4.2 Service Credits. ... \n4.3 Credit
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
    limit = min(len(text), clause_end + 3000)
    directly_after = True
    for heading in _NEXT_SECTION.finditer(text, clause_end, limit):
        sub = _HEADING_NUMBER.match(text, heading.start())
        if sub is None:
            continue  # a blank line within a subclause
        if not _in_section(_number(sub), number, directly_after):
            return None
        directly_after = False
        # past its title line and the blank line a title may stand over ("4.3 Credit Requests\n\nTo ...")
        title = _TITLE_LINE.match(text, sub.end())
        end = _clause_end(text, title.end() if title else sub.end(), limit)
        if _about_claiming(text[sub.end():end]):
            found = _claim_in(doc, sub.end(), end, _CLAIM_IN_SUBCLAUSE)
            if found is not None:
                return found
    return None


def _number(heading: re.Match[str]) -> tuple[int, ...]:
    """The number of a heading ("\n4.3 Credit Requests" -> (4, 3))."""
    return tuple(int(n) for n in heading.group(1).split("."))


def _in_section(sub: tuple[int, ...], credits: tuple[int, ...], directly_after: bool) -> bool:
    """Whether subclause ``sub`` is in the numbered section of the credits' clause ``credits``: within
    it (4.2 -> 4.2.1), a later one of the same parent (4.2 -> 4.3, 4.4.1), or, for a top-level
    section, the one directly after it (3 -> 4)."""
    if len(sub) > len(credits) and sub[:len(credits)] == credits:
        return True
    parent = len(credits) - 1
    if parent and sub[:parent] == credits[:parent] and len(sub) > parent and sub[parent] > credits[parent]:
        return True
    return not parent and directly_after and sub == (credits[0] + 1,)


def _about_claiming(subclause: str) -> bool:
    """Whether a subclause is about claiming credits: its title ("Credit Requests", "Claims for
    Credits") or its first sentence ("To receive a credit, ...") says so, and neither is of invoices,
    billing or disputes ("Billing Disputes. ... any request for a credit ...")."""
    title, first = ([*re.split(r"\.\s+|\n", subclause.strip(), maxsplit=2), ""])[:2]
    if _NOT_CREDIT_CLAIM.search(f"{title} {first}"):
        return False
    return bool(_CLAIM_TITLE.match(title.strip()) or _CLAIM_OPENING.match(title) or _CLAIM_OPENING.match(first))


# what the cap counts over ("credits in any calendar year shall not exceed ...") and what its
# percentage is of ("... 10% of the annual Subscription Fees")
_CAP_OVER = [("calendar year", re.compile(r"\bcalendar\s+year", F)),
             ("year", re.compile(r"\b(?:contract|agreement|service|any|each|per|a|one)\s+year\b|\bannual|\byearly\b|"
                                 r"\btwelve[\s-]*(?:\(12\)\s*)?months?\b|\b12[\s-]*months?\b|\bper\s+annum\b", F)),
             ("quarter", re.compile(r"\b(?:any|each|per|a|calendar)\s+quarter\b|\bquarterly\b", F)),
             ("month", re.compile(r"\b(?:any|each|per|a|calendar)\s+month\b|\bmonthly\b", F))]
_CAP_OF = [("year", re.compile(r"\bannual|\byearly\b|\bper\s+(?:year|annum)\b", F)),
           ("quarter", re.compile(r"\bquarterly\b|\bper\s+quarter\b", F)),
           ("month", re.compile(r"\bmonthly\b|\bmonth's\b|\bper\s+month\b", F))]


def _cap_periods(before: str, after: str) -> dict[str, str]:
    """The period a cap on credits counts over (``cap_period``) and the period of the fee its
    percentage is of (``cap_base_period``), each only when the words say it."""
    out = {}
    over = next((name for name, pattern in _CAP_OVER if pattern.search(before)), None)
    of = next((name for name, pattern in _CAP_OF if pattern.search(after)), None)
    if over:
        out["cap_period"] = over
    if of:
        out["cap_base_period"] = of
    return out


def _tiers(text: str) -> list[dict[str, str | None]]:
    """The credit table's rows, highest band first, as {below, at_least, credit_percent} (a
    measurement below ``below``, exclusive, and at or above ``at_least`` earns the credit) or, for a
    range row, {at_least, at_most, credit_percent} with both ends inclusive."""
    tiers: list[dict[str, str | None]] = []
    for m in _BELOW_ROW.finditer(text):
        tiers.append({"below": trim_number(m.group(1)),
                      "at_least": trim_number(m.group(2)) if m.group(2) else None,
                      "credit_percent": trim_number(m.group(3))})
    ranges = list(_RANGE_ROW.finditer(text))
    if len(tiers) > 1 and not ranges and all(t["at_least"] is None for t in tiers):
        return _bands_of_thresholds(tiers)
    if tiers and ranges:
        return []  # a table mixing "below" rows and ranges: not read rather than half read
    for m in ranges:
        low, high = sorted((m.group(1), m.group(2)), key=float)
        # "99.0% - 99.49%": the stated upper end is in the band (inclusive)
        tiers.append({"at_most": trim_number(high), "at_least": trim_number(low),
                      "credit_percent": trim_number(m.group(3))})
    # every credit is a percentage, and the bands must not overlap: otherwise the table was misread
    bands = sorted((float(t["at_least"] or 0), float(t.get("below") or t.get("at_most") or 0)) for t in tiers)
    if any(hi > lo_next for (_, hi), (lo_next, _) in zip(bands, bands[1:], strict=False)):
        return []
    return tiers


def _bands_of_thresholds(rows: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
    """Rows that each say only "less than X%" ("Less than 99.9%: 5% / Less than 99.0%: 10% / Less
    than 95.0%: 25%") overlap: a level under 99.0% is under 99.9% too. Read as a table of thresholds,
    the lowest threshold the level is under sets the credit (98.5% -> 10%), so each row is the band
    from the next lower threshold (inclusive) up to its own (exclusive), marked ``thresholds``. Only
    when a lower threshold always earns a larger credit (else which row applies is not clear: not read)."""
    ordered = sorted(rows, key=lambda t: float(t["below"] or 0), reverse=True)
    thresholds = [float(t["below"] or 0) for t in ordered]
    credits = [float(t["credit_percent"] or 0) for t in ordered]
    if len(set(thresholds)) != len(thresholds) or any(b <= a for a, b in zip(credits, credits[1:])):
        return []
    return [{**row, "at_least": lower["below"] if lower else None, "thresholds": "lowest threshold below"}
            for row, lower in zip(ordered, [*ordered[1:], None])]


def _last_row_end(text: str) -> int | None:
    ends = [m.end() for m in _BELOW_ROW.finditer(text)] or [m.end() for m in _RANGE_ROW.finditer(text)]
    return max(ends) if ends else None


def _base(text: str) -> dict[str, str] | None:
    """"one-twelfth (1/12) of the annual Subscription Fees" -> {"fraction": "1/12", "of": "annual
    Subscription Fees", "period": "year"}; "the monthly fees" -> fraction 1, period month."""
    m = _BASE.search(text)
    if not m:
        return None
    base = re.sub(r"\s+", " ", m.group("base") or m.group("base2")).strip()
    fraction = "1"
    for words, value in _FRACTIONS.items():
        if base.lower().startswith(words):
            fraction = value
            base = base[len(words):]
            break
    paren = re.match(r"\s*\(\s*(\d+)\s*/\s*(\d+)\s*\)", base)
    if paren:
        fraction = f"{paren.group(1)}/{paren.group(2)}"
        base = base[paren.end():]
    base = re.sub(r"^\s*(?:of\s+)?(?:the\s+)?", "", base, flags=F).strip()
    out = {"fraction": fraction, "of": base}
    if re.search(r"\bannual|yearly|per\s+year\b", base, F):
        out["period"] = "year"
    elif re.search(r"\bmonth", base, F):
        out["period"] = "month"
    elif re.search(r"\bquarter", base, F):
        out["period"] = "quarter"
    return out
