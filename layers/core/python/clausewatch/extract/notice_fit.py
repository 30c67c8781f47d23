"""A notice period that does not fit the term it is given on.

Notice of non-renewal is counted back from the end of a term (the initial term, and the renewal
term of a contract that renews). A notice period longer than that term would fall due before the
term began, so no notice could ever be given in time on it: one of the two values is a slip or a
misreading ("eighteen (18) months" read where the clause says days, a term read from another
agreement). A person entering such a value is refused (pipeline/entries.py); an extraction that
reads such a pair is flagged for a person with both values and their clauses, and a notice deadline
counted from an initial term the notice does not fit is left out rather than shown (it would be a
date before the term began).

"Longer" means longer by more than a month's spread (a month is 28 to 31 days): "P1M" against
"P31D", either of which may be the longer by the month, never counts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import dates
from .context import Context

NOTICE_GIVEN_ON = ("initial_term", "renewal_term")  # the terms a notice period is counted back from the end of
NOTICE_MARGIN_DAYS = 3
NOTICE_LONGER = "notice_longer_than_term"  # the attention flag's kind


def misfits(values: Mapping[str, Any]) -> list[str]:
    """The names of the terms in ``values`` (term name -> stored value) that the notice period is
    longer than; the renewal term only when ``auto_renewal`` is not False (a contract said not to
    renew gives no notice on a renewal term)."""
    notice_days = _days(values.get("notice_period"))
    if notice_days is None:
        return []
    out = []
    for name in NOTICE_GIVEN_ON:
        if name == "renewal_term" and values.get("auto_renewal") is False:
            continue
        term_days = _days(values.get(name))
        if term_days is not None and notice_days > term_days + NOTICE_MARGIN_DAYS:
            out.append(name)
    return out


def _days(value: Any) -> float | None:
    """A stored duration's length in days on average; None for none or a value that is not one."""
    try:
        return dates.as_duration(value).approximate_days if isinstance(value, str) else None
    except ValueError:
        return None


def review_notice_fit(ctx: Context) -> None:
    """Flag an extracted notice period longer than the extracted initial or renewal term, with both
    values and their clauses; drop the notice deadline counted from an initial term it does not
    fit (counted back from that term's end it falls before the term began)."""
    terms = ctx.terms
    notice = terms.get("notice_period")
    longer = misfits({name: term.value for name, term in terms.items() if term is not None})
    if notice is None or not longer:
        return
    for name in longer:
        term = terms[name]
        assert term is not None  # misfits names only the terms with a value
        dropped = name == "initial_term" and terms.pop("notice_deadline", None) is not None
        ctx.attention.append({
            "kind": NOTICE_LONGER, "term": "notice_period", "given_on": name,
            "message": (f"notice period {notice.value} read longer than the {name.replace('_', ' ')} "
                        f"{term.value} it is given on: counted back from that term's end the notice would be "
                        "due before the term began; one of the two is misread or a slip: enter the right one"
                        + ("; no notice deadline is shown until then" if dropped else "")),
            "candidates": [_candidate("notice_period", notice), _candidate(name, term)]})


def without_settled(attention: list[dict[str, Any]], values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``attention`` without the flags of a notice period that fits the term now (a person entered
    one of the two: ``values`` are the contract's values by name, entries included)."""
    still = misfits(values)
    return [flag for flag in attention if flag.get("kind") != NOTICE_LONGER or flag.get("given_on") in still]


def _candidate(name: str, term: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"value": str(term.value), "derivation": f"the {name.replace('_', ' ')} as read"}
    if term.evidence is not None:
        out["evidence"] = term.evidence.to_dict()
    return out
