"""Service credits as tiers: the band of the measured service level each credit applies to, the
credit as a percentage of a named base ("one-twelfth (1/12) of the annual Subscription Fees"), the
cap on credits and the window to claim them ("request a service credit in writing within thirty
(30) days after the end of the affected month", read by ``credit_claims``). Read after the SLA
target (``read_sla``)."""

from __future__ import annotations

import re
from typing import Any

from .context import Context, F
from .credit_claims import (
    CREDIT_REQUESTS_SUBMITTED,
    CREDITS_FORFEITED,
    claim_in,
    claim_in_later_subclause,
    claim_in_subclause,
    claims_another_credit,
    read_claim_without_tiers,
    states_window,
    table_clause_end,
    titled_for_another_service,
)
from .numbers import trim_number

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
_CLAIM = re.compile(rf"\b(?:request|claim|apply\s+for)\w*\b[^.]{{0,80}}?\bcredit|{CREDIT_REQUESTS_SUBMITTED}|"
                    rf"{CREDITS_FORFEITED}", F)
_CAP = re.compile(rf"(?:credits?[^.]{{0,80}}?(?:shall\s+not|will\s+not|may\s+not|in\s+no\s+event)\s+(?:\w+\s+){{0,3}}"
                  rf"(?:exceed|be\s+more\s+than)|maximum\s+(?:service\s+)?credit[^.]{{0,40}}?(?:is|of|shall\s+be))"
                  rf"\s+(?:an?\s+amount\s+equal\s+to\s+)?{_PCT}", F)


# a sentence capping service credits by name, wherever it stands ("Service credits in any calendar year shall not
# exceed 10% ...", "The maximum service credit in any month is 50% ...")
# ("SLA Credits shall not exceed ...", "In no event shall service credits exceed ...": the cap's words start at
# the credits, and "credits exceed" is a cap only after "in no event shall", ``_NO_EVENT``)
_SERVICE_CAP = re.compile(rf"(?:\b(?:service|sla)\s+credits?[^.]{{0,80}}?(?:shall\s+not|will\s+not|may\s+not|"
                          rf"in\s+no\s+event)\s+(?:\w+\s+){{0,3}}(?:exceed|be\s+more\s+than)|"
                          rf"(?P<bare>\b(?:service|sla)\s+credits?\s+(?:\w+\s+){{0,6}}?(?:exceed|be\s+more\s+than))|"
                          rf"maximum\s+service\s+credits?[^.]{{0,40}}?(?:is|of|shall\s+be))\s+"
                          rf"(?:an?\s+amount\s+equal\s+to\s+)?{_PCT}", F)
_NO_EVENT = re.compile(r"\b(?:in\s+no\s+(?:event|case)|under\s+no\s+circumstances?)\s+(?:shall|will|may|can)\s+"
                       r"(?:[\w'’-]+\s+){0,3}$", F)
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
        last = _last_row_end(after)
        rows_end = span.start + last if last else span.end
        end = max(span.end, rows_end)
        # the claim window is the table's clause's (up to the next heading after the table that is not a
        # title about claiming them) or its own subclause's, never a later section's ("5. Billing. Customer
        # may request a credit ..."); read under the table, else before it (a sentence running on through the
        # table's rows is not read whole: its credit "against the next invoice" is not what is claimed)
        claim_end = table_clause_end(doc.text, rows_end, window_end)
        # (a window its clause states but that is not read, counted from an invoice or in minutes: none, rather
        # than another clause's)
        claim = (claim_in(doc, rows_end, claim_end, _CLAIM)
                 or claim_in(doc, span.start, first.start() if first else rows_end, _CLAIM))
        if claim is None and not states_window(doc, span.start, claim_end):
            claim = (claim_in_subclause(doc, m.start(), claim_end)
                     or claim_in_later_subclause(doc, claim_end, doc.text[span.start:claim_end]))
        if claim:
            window, claim_span = claim
            value.update(window)  # its unit kept: a month's end is not a quarter's (money.credits)
            value["claim_evidence"] = doc.evidence(claim_span.start, claim_span.end).to_dict()
        value.update(_credit_cap(ctx, span.start, claim_end, doc.text[span.start:claim_end]))
        ctx.terms["service_credit_tiers"] = ctx.term(value, (span.start, end))
        return
    read_claim_without_tiers(ctx)


def _credit_cap(ctx: Context, start: int, end: int, credits: str) -> dict[str, Any]:
    """The cap on the credits: "credits ... shall not exceed 10% ..." in the table's clause ``[start, end)``
    (its text ``credits``), or a sentence anywhere capping service credits by name ("3.2 Credit Limits.
    Service credits in any calendar year shall not exceed 10% of the annual Subscription Fees", "4. LIMITATION
    OF LIABILITY. Service credits ..."), not another credit's ("Credits for overbilling ..."), nor another
    service's (``_whose_cap``), nor a cap on liability that includes them, with its sentence as evidence. Two
    caps that differ: none, said in ``cap_unclear`` (which binds is not known); a cap on credits qualified by a
    word naming no service known ("Platinum service credits ..."): said in ``cap_unclear`` too, beside the cap
    applied if any (it may bind: never dropped, a credit over-claimed)."""
    doc = ctx.doc
    found = [c for c in (_CAP.search(doc.text, start, end), *_SERVICE_CAP.finditer(doc.text)) if c is not None]
    # the credits' own words: their clause's and their service level's ("... make the Support Services available")
    target = ctx.terms.get("sla_availability")
    own = credits + ("\n" + target.evidence.text if target is not None and target.evidence is not None else "")
    caps: dict[tuple[tuple[str, str], ...], tuple[dict[str, str], tuple[int, int]]] = {}
    unclear: list[str] = []
    for cap in found:
        sentence = doc.sentence(cap.start(), cap.end())
        before = doc.text[sentence.start:cap.start()].split(".")[-1]  # the cap's own words before "credits"
        if claims_another_credit(doc.text[sentence.start:sentence.end]) or _LIABILITY.search(before):
            continue
        if cap.groupdict().get("bare") and not _NO_EVENT.search(before):
            continue  # "If service credits exceed 10% ...": a condition, not a cap
        read = {"cap_percent": trim_number(cap.groups()[-1]),
                **_cap_periods(cap.group(0), doc.text[cap.end():cap.end() + 100].split(".")[0])}
        whose = _whose_cap(doc.text, cap.start(), before, start, own, doc.text[sentence.start:sentence.end])
        if whose == "another":
            continue
        if whose != "theirs":  # a service or word not known as theirs: the cap may be theirs (a credit over-claimed)
            unclear.append(f"a cap on {whose} is stated that may apply ({_cap_words(read)})")
            continue
        caps.setdefault(tuple(sorted(read.items())), (read, (sentence.start, sentence.end)))
    may_apply = {"cap_unclear": "; ".join(dict.fromkeys(unclear))} if unclear else {}
    if len(caps) > 1:
        stated = ", ".join(_cap_words(read) for read, _ in caps.values())
        return {"cap_unclear": "; ".join([f"two caps on service credits are stated ({stated}): neither is applied",
                                          *dict.fromkeys(unclear)])}
    if not caps:
        return may_apply
    [(read, (cap_start, cap_end))] = caps.values()
    return {**read, "cap_evidence": doc.evidence(cap_start, cap_end).to_dict(), **may_apply}


def _cap_words(read: dict[str, str]) -> str:
    """A cap as said ("10% per calendar year")."""
    return f"{read['cap_percent']}%" + (f" per {read['cap_period']}" if read.get("cap_period") else "")


# a cap on liability that service credits are only part of ("Provider's aggregate liability, including service
# credits, shall not exceed 100% of the fees ..."): not a cap on the credits
_LIABILITY = re.compile(r"\bliabilit\w*|\bdamages\b|\b(?:including|inclusive\s+of|together\s+with)\s+(?:any\s+|all\s+)?$", F)
# the words that may qualify capped credits without naming a service ("The total service credits ...", "Excess
# service credits ...": all of them, not another service's)
_CAP_QUALIFIERS = {"the", "any", "all", "such", "total", "aggregate", "cumulative", "maximum", "these", "those", "its",
                   "your", "our", "applicable", "monthly", "annual", "quarterly", "sla", "availability", "uptime",
                   "performance", "downtime", "hosting", "outage", "service", "no", "in", "of", "and", "or", "for",
                   "each", "per", "if", "when", "where", "that", "which", "to", "by", "with", "on", "as", "at",
                   "both", "provided", "however", "under", "then", "excess", "combined", "overall", "accrued",
                   "accumulated", "earned", "additional", "resulting", "owed", "payable", "shall", "will", "may",
                   "can", "event", "case", "circumstances"}


def _whose_cap(text: str, at: int, before: str, credits_at: int, credits: str, sentence: str) -> str:
    """Whose the cap at ``at`` is: "theirs" (the credits' words ``credits``, their clause at ``credits_at``),
    "another" service's (under a schedule or section of service levels titled for another service, "SCHEDULE 4 -
    SUPPORT SLA"; capping credits qualified by a word the credits do not say that the cap names as a service: "7.
    SUPPORT. Support service credits ... of the monthly support fees"; or credits "for the Support Services" / "in
    respect of the Support Services", a service the credits do not name), else what the capped credits are said to
    be ("Platinum service credits", "service credits for the Gold Tier": a cap that may be theirs, to check by hand;
    never dropped, a credit over-claimed)."""
    if titled_for_another_service(text, at, credits_at, credits):
        return "another"
    named = _FOR_WHAT.match(text, at)
    if named and (what := _whose_service(text, at, named.group("what"), credits, sentence)) != "theirs":
        return what
    qualifier = re.search(r"(?<![\w'’-])([A-Za-z][\w'’-]*)\s*$", before)
    word = qualifier.group(1) if qualifier else ""
    if word.lower().endswith(("'s", "’s")):
        return "theirs"  # "Customer's service credits": whose, not which service
    if not word or word.lower() in _CAP_QUALIFIERS or re.search(rf"\b{re.escape(word)}\b", credits, F):
        return "theirs"
    return "another" if _names_a_service(text, at - len(before), word, sentence) else f"{word} service credits"


# what capped credits are for, after them ("Service credits for the Support Services shall not exceed ...", "in
# respect of the Gold Tier"), and the words that name no service there ("for any calendar month", "for Downtime")
_FOR_WHAT = re.compile(r"(?:(?:service(?:\s+level)?|sla)\s+)?credits?\s+(?:for|in\s+respect\s+of|with\s+respect\s+to|relating\s+to|"
                       r"applicable\s+to|under)\s+(?:(?:the|any|all|such|each|a|an)\s+)?(?P<what>[^,.;:()]{1,60}?)\s*"
                       r"(?=,|\b(?:shall|will|may|must|in|during|per|for|are|is|to|together|combined|cannot|can|exceed|would|"
                       r"under|hereunder|provided|accrued|earned|issued|owed|payable)\b)", F)
_NO_SERVICE = {"services", "month", "months", "year", "years", "quarter", "quarters", "calendar", "period", "periods",
               "contract", "agreement", "level", "levels", "slas", "breach", "breaches", "failure", "failures", "term",
               "day", "days", "measurement", "billing", "affected", "relevant", "given", "single", "one", "same",
               "incidents", "incident", "outages", "interruptions", "unavailability", "customer", "provider", "this",
               "schedule", "exhibit", "section", "clause", "appendix", "annex", "attachment", "order", "document"}


def _whose_service(text: str, at: int, what: str, credits: str, sentence: str) -> str:
    """Whose the credits "for <what>" are: "theirs" (words naming no service, or only the credits' own),
    "another" (a service the cap names that the credits do not: "the Support Services", "Support" with its own
    fees or clause title), else what they are said to be (unsure: to check by hand)."""
    parts = [p for p in re.split(r"\s*(?:,|&|\band\b|\bor\b)\s*(?:the\s+)?", what, flags=F) if p.strip()]
    if len(parts) > 1:  # several services capped together: theirs only if all are, another's only if none is
        whose = {_whose_service(text, at, part, credits, sentence) for part in parts}
        return whose.pop() if len(whose) == 1 and whose <= {"theirs", "another"} else f"service credits for {what}"
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", what)
             if w.lower() not in _CAP_QUALIFIERS - {"hosting"} and w.lower() not in _NO_SERVICE]
    if all(re.search(rf"\b{re.escape(w)}\b", credits, F) for w in words):
        return "theirs"
    if any(_names_a_service(text, at, w, sentence) for w in words):
        return "another"
    if re.search(r"\bservices?\s*$", what, F):
        # "the Cloud Services": another's when only the cap names them or the document gives them their own
        # service level or credits; named elsewhere (they may be the credits' own): unsure, said
        rest = text.replace(sentence, " ")
        if not any(re.search(rf"\b{re.escape(w)}\b", rest, F) for w in words) or any(
                _OWN_LEVEL.search(rest.replace(w, "{X}")) for w in words):
            return "another"
    return f"service credits for {what}"


# a service given its own service level or credits ("make the Support Services available", "Support service credits")
_OWN_LEVEL = re.compile(r"\{X\}[^.]{0,60}?\b(?:available|availability|uptime|service\s+levels?|sla|credits?)\b|"
                        r"\b(?:service\s+levels?|slas?|credits?|availability)\s+(?:for|of)\s+(?:the\s+)?\{X\}", F)


# the title of a numbered clause ("7. SUPPORT.", "Section 9 Support Credits:")
_CLAUSE_TITLE = re.compile(r"[ \t]*(?:(?:section|article)[ \t]+)?\d+(?:\.\d+)*\.?[ \t]+([^.:\n]{1,80})[.:]", F)


_CREDITS_TITLE = re.compile(r"\b(?:credits?|limits?|limitations?|caps?|maximum|ceiling|liability)\b", F)


def _names_a_service(text: str, at: int, word: str, sentence: str) -> bool:
    """Whether the cap names ``word`` as a service of its own: in the title of the clause the cap's words (from
    ``at``) stand in ("7. SUPPORT. ..."), or with its own fees in the cap's ``sentence`` ("the monthly support
    fees"). Not "the Platinum Services" elsewhere: the credits' own service may be so named."""
    escaped = re.escape(word)
    title = _CLAUSE_TITLE.match(text, text.rfind("\n", 0, at) + 1, at)
    # a title about credits or their limits names no service ("4. PLATINUM CREDIT LIMIT.": which credits, not which
    # service; "7. PLATINUM." or "7. PLATINUM SUPPORT." names one)
    if title and _CREDITS_TITLE.search(title.group(1)):
        title = None
    if title and re.search(rf"\b{escaped}\b", title.group(1), F) and title.end() <= at:
        return True
    return re.search(rf"\b{escaped}\s+(?:fees?|charges?)\b", sentence, F) is not None
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
