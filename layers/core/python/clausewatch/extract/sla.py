"""Service levels: the availability target, response times per severity level and service credits."""

from __future__ import annotations

import re

from .context import Context, F
from .document import Span
from .numbers import NUMBER, PERCENT, number_value, trim_number


def read_sla(ctx: Context) -> None:
    """Availability target, response times per severity, and service credits."""
    doc = ctx.doc
    for m in re.finditer(r"(?P<pct>\d{2}(?:\.\d+)?)\s*%", doc.text):
        pct = float(m.group("pct"))
        if not 90 <= pct < 100:
            continue
        span = doc.sentence(m.start(), m.end())
        if re.search(r"availab|uptime|up\s+time", doc.text[span.start:span.end], F):
            ctx.terms["sla_availability"] = ctx.term(f"{trim_number(m.group('pct'))}%", span)
            break
    _read_response_times(ctx)
    _read_service_credits(ctx)


# "Severity 1", "Priority 2 (High)", "Sev-3", "P4"
_SEVERITY_LEVEL = re.compile(r"\b(?:severity|priority|sev|P)\s*-?\s*(?P<level>[1-4])\b"
                             r"(?:\s*\((?P<name>[A-Za-z]+)\))?", F)
# "4 hours", "thirty (30) minutes", "2 business days"
_RESPONSE_TIME = re.compile(rf"(?:{NUMBER})\s*(?:-\s*)?(?P<unit>hours?|minutes?|business\s+days?|working\s+days?|"
                            rf"days?)\b", F)


def _read_response_times(ctx: Context) -> None:
    """Response time per severity level, from prose or a table ("Severity 2 (High) ... 4 hours")."""
    doc = ctx.doc
    labels = [m for m in _SEVERITY_LEVEL.finditer(doc.text)
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


def _credit_base(words: str) -> str:
    """"monthly fee for availability below 99" -> "monthly fee": the base ends where a condition begins."""
    base = re.split(r"\s+(?:for|if|when|where|in\s+(?:any|each|the|that))\b", words, maxsplit=1, flags=F)[0]
    return re.sub(r"\s+", " ", base).strip()


def _read_service_credits(ctx: Context) -> None:
    """Service credits: "a service credit of 10% of the monthly fees", or a table of tiers."""
    doc = ctx.doc
    for m in re.finditer(r"\bservice\s+credits?\b|\bcredit\s+against", doc.text, F):
        span = doc.sentence(m.start(), m.end())
        for _ in range(3):  # "...5% of the monthly fee; if below 99.0%, 10% of the monthly fee.": one sentence
            if not doc.text[span.start:span.end].rstrip().endswith(";") or span.end >= len(doc.text):
                break
            span = Span(span.start, doc.sentence(span.end).end)
        text = doc.text[span.start:span.end]
        stated = [(trim_number(p.group("pct")), _credit_base(p.group("base")))
                  for p in re.finditer(rf"{PERCENT}\s+of\s+(?:the\s+)?(?P<base>[^.;,:]{{3,60}})", text, F)]
        if stated:
            # every credit the sentence states of the same base ("5% of the monthly fee ...; if below
            # 99.0%, 10% of the monthly fee"): a quote of the first alone drops the other tiers
            base = stated[0][1]
            pcts = list(dict.fromkeys(pct for pct, of in stated if of == base))
            ctx.terms["service_credits"] = ctx.term(f"{' / '.join(p + '%' for p in pcts)} of {base}", span)
            return
        q = re.search(r"percentage\s+of\s+(?P<base>[^:.;]{3,120})", text, F)
        if q:
            # a table follows: each row ends with the credit for that tier
            tiers: list[str] = []
            table = span.start + q.end()
            for line in doc.text[table:table + 800].splitlines()[1:11]:
                pcts = re.findall(r"(\d+(?:\.\d+)?)\s*%", line)
                if len(pcts) >= 2 or (tiers and len(pcts) == 1):
                    tiers.append(trim_number(pcts[-1]) + "%")
                elif tiers:
                    break
            if tiers:
                base = re.sub(r"\s+", " ", q.group("base")).strip()
                ctx.terms["service_credits"] = ctx.term(f"{' / '.join(tiers)} of {base}", span)
                return
