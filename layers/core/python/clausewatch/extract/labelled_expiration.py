"""An expiration date given by a label rather than a term sentence: "Expiration Date: August 31,
2006" on a cover sheet, "TERM: November 1, 2014 to October 31, 2017", or "Expiration Date: the
last day of the month fifteen (15) years from the Effective Date"."""

from __future__ import annotations

import re
from datetime import timedelta

from .. import dates
from .context import Context, F, full_date, iso
from .numbers import DURATION_RE, duration_of

# a label before an end date: "Expiration Date:", '"End Date" means', "Contract end:", "TERM: ... from"
_END_DATE_LABEL = re.compile(
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
    """"Expiration Date: ... the last day of the month N years from the Effective Date"; whether found."""
    doc = ctx.doc
    m = _MONTH_END_EXPIRATION.search(doc.text)
    effective = full_date(ctx.terms.get("effective_date"))
    written = None if m is None else DURATION_RE.match(m.group("dur"))
    duration = None if written is None else duration_of(written)
    if m is None or effective is None or duration is None or duration.days or duration.weeks \
            or duration.business_days:
        return False
    end = dates.add_duration(effective, duration)
    end = (end.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    ctx.terms["expiration_date"] = ctx.term(
        iso(end), (m.start() + (m.group(0)[0] == "\n"), m.end()),
        derivation=f"effective_date {iso(effective)} + {duration.iso()}, to the last day of that month")
    return True


def read_labelled_expiration(ctx: Context) -> None:
    """The expiration date a label gives, when the term sentences gave none (or point to it)."""
    doc = ctx.doc
    if _read_month_end_expiration(ctx):
        return
    for f in ctx.dates_in(0, len(doc.text)):
        line_start = doc.text.rfind("\n", 0, f.start)
        before = doc.text[max(0, line_start):f.start]
        m = _END_DATE_LABEL.search(before)
        if not m:
            continue
        if re.search(r"\bTerms?\b|\bPeriod\b|\bfrom\b", m.group(0), F):
            # "TERM: November 01, 2014 to October 31, 2017": the date after "to"/"until" ends it
            rest = ctx.dates_in(f.end, min(len(doc.text), f.end + 40))
            if not rest or not re.fullmatch(r"\s*(?:-|to|until|through|thru)\s*", doc.text[f.end:rest[0].start],
                                            F):
                continue
            if rest[0].value <= f.value:
                continue
            ctx.terms["expiration_date"] = ctx.term(iso(rest[0].value), (line_start + 1, rest[0].end),
                                                    derivation="stated in the clause")
            if ctx.terms.get("effective_date") is None and not re.search(
                    r"\bof\s+the\s+(?!Agreement\b|Contract\b)\w+", m.group(0), F):
                # "TERM: From January 30, 2012 until July 29, 2012": the term starts on the first date
                # (not "Terms of the project: ...": the project's start is not the agreement's)
                ctx.terms["effective_date"] = ctx.term(iso(f.value), (line_start + 1, rest[0].end))
            return
        ctx.terms["expiration_date"] = ctx.term(iso(f.value), (max(0, line_start + 1), f.end),
                                                derivation="stated in the clause")
        return
