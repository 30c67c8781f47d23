"""Money terms: payment terms ("net 30"), the cap on price increases ("not to exceed 5%", CPI) and
a minimum purchase or spend commitment ("$2,400,000 per contract year")."""

from __future__ import annotations

import re

from ..dates import Duration
from .context import Context, F
from .numbers import DURATION_RE, NUMBER, PERCENT, duration_of, number_value, trim_number

# "net 30", "Net-45 days"
_NET_DAYS = re.compile(rf"\bnet\s*[-]?\s*(?:{NUMBER})(?:\s*days?)?\b", F)
# the words before the number of days to pay: "within", "no later than"
_PAY_WITHIN_CUE = re.compile(
    r"(?:within|no\s+later\s+than|not\s+later\s+than|not\s+more\s+than)\s+$", F)


def read_payment_terms(ctx: Context) -> None:
    """Net days to pay an invoice: "net 30", "within thirty (30) days of receipt of invoice"."""
    doc = ctx.doc
    for m in _NET_DAYS.finditer(doc.text):
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
            if _PAY_WITHIN_CUE.search(before) and re.search(
                    r"^\s*(?:after|of|from|following)\b(?:[^.;]{0,50}invoice|\s+(?:its\s+|the\s+)?(?:receipt|"
                    r"the\s+date\s+of\s+receipt)\b)",
                    after, F):
                value = duration_of(d)
                if value is not None:
                    ctx.terms["payment_terms"] = ctx.term(value.iso(), span)
                    return


def read_price_increase_cap(ctx: Context) -> None:
    """The cap on a price increase: a percentage ("shall not increase by more than 5%") or an index
    ("not to exceed the increase in the Consumer Price Index")."""
    doc = ctx.doc
    for m in re.finditer(r"\bincreas\w*", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        text = doc.text[span.start:span.end]
        if not re.search(r"\b(?:prices?|pricing|fees?|rates?|charges)\b", text, F):
            continue
        p = re.search(rf"(?:not\s+(?:to\s+)?exceed|no\s+more\s+than|not\s+more\s+than|maximum\s+of|up\s+to|capped\s+at|"
                      rf"greater\s+than|in\s+excess\s+of|exceed(?:ing)?|cap\s+of|limited\s+to|more\s+than)\s+"
                      rf"(?:(?:the\s+)?(?:lesser|greater)\s+of\s+[^.]{{0,60}}?)?(?:[a-z-]+\s+(?:and\s+[a-z-]+\s+)?)?"
                      rf"(?:percent\s+)?\(?\s*{PERCENT}", text, F)
        if p:
            ctx.terms["price_increase_cap"] = ctx.term(f"{trim_number(p.group('pct'))}%", span)
            return
        if re.search(r"(?:exceed|more\s+than|limited\s+to|capped\s+at)[^.;]{0,60}(?:Consumer\s+Price|\bCPI\b|\bRPI\b|"
                     r"Retail\s+Price)", text, F):
            index = "RPI" if re.search(r"\bRPI\b|Retail\s+Price", text, F) else "CPI"
            ctx.terms["price_increase_cap"] = ctx.term(index, span)
            return


# an amount of money with its currency: "$2,400,000", "USD 1.5 million", "£250k"
_MONEY_AMOUNT = r"(?:US\s?\$|USD\s?|\$|EUR\s?|€|£|GBP\s?)\s?\d[\d,]*(?:\.\d+)?(?:\s*(?:million|thousand|k)\b)?"
# right after an amount, the period it is per: "per contract year", "(USD) in each calendar quarter"
_PER_PERIOD_AFTER_AMOUNT = re.compile(
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
        money = re.search(_MONEY_AMOUNT, text)
        if not money:
            continue
        value = re.sub(r"\s+", " ", money.group(0)).strip()
        per = _PER_PERIOD_AFTER_AMOUNT.search(text[money.end():money.end() + 60]) or re.search(
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
