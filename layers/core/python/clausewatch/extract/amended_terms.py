"""Which terms an amendment says it changes, by the names of what it amends: its numbered headings
("1. Renewal.") and the sections it names ("Section 5 (Fees)", "Section 7, entitled "Pricing"").
Read for an amendment whose change itself is not read: a person's entry of such a term settles it
(``pipeline.record.NO_CHANGE_READ``). No name read: not known."""

from __future__ import annotations

import re

F = re.IGNORECASE

# where an amendment's operative part begins (its recitals name the agreement's sections too)
_OPERATIVE = re.compile(r"\bNOW,?\s+THEREFORE\b|\bagrees?\s+as\s+follows\b", F)
_NAMES = (
    # "1. Renewal." / "Section 2.1 Fees." at a line's start: the heading of a change
    re.compile(r"^[ \t]*(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+(?P<name>[A-Z][A-Za-z ,&/'-]{1,50}?)\.(?:\s|$)",
               re.MULTILINE),
    # "Section 5 (Fees) of the Agreement", "Section 7, entitled "Pricing","
    re.compile(r"\bSections?\s+\d+(?:\.\d+)*\s*\((?P<name>[A-Za-z ,&/'-]{2,50})\)"),
    re.compile(r"\bSections?\s+\d+(?:\.\d+)*,?\s+(?:entitled|titled|captioned)\s+[\"\u201c](?P<name>[^\"\u201d]{2,50})[\"\u201d]"),
)
# the words of a name, and the terms they are (a section of "Notices" is the addresses: none)
_TERMS = (
    (re.compile(r"\brenewals?\b|\bauto(?:matic)?[- ]renewal\b", F), ("renewal_term", "auto_renewal")),
    (re.compile(r"\bnotice(?!s)\b|\bnon-?renewal\b", F), ("notice_period",)),
    (re.compile(r"\bterm\b(?!\s+and\s+conditions)", F), ("initial_term", "expiration_date")),
    (re.compile(r"\bfees?\b|\bpric(?:e|es|ing)\b|\bcharges\b|\bcompensation\b", F), ("fees",)),
    (re.compile(r"\bprice\s+(?:increases?|adjustments?|escalation)\b", F), ("price_increase_cap",)),
    (re.compile(r"\bpayments?\b|\binvoic(?:e|es|ing)\b", F), ("payment_terms",)),
    (re.compile(r"\bminimum\s+(?:commitment|purchase|spend)\b", F), ("minimum_commitment",)),
    (re.compile(r"\bgoverning\s+law\b|\bchoice\s+of\s+law\b", F), ("governing_law",)),
    (re.compile(r"\bservice\s+levels?\b|\bSLA\b|\bavailability\b|\buptime\b", F), ("sla_availability",)),
    (re.compile(r"\bservice\s+credits?\b", F), ("service_credit_tiers", "service_credit_claim")),
    (re.compile(r"\btermination\s+for\s+convenience\b", F), ("termination_for_convenience",)),
)


def terms_named(text: str) -> tuple[str, ...]:
    """The terms (``extract.model.TERM_NAMES``) an amendment's headings and named sections, in its
    operative part (after "NOW, THEREFORE"; the whole text when none is found), say it changes, in
    the order first named; () when none says."""
    start = _OPERATIVE.search(text)
    operative = text[start.end():] if start else text
    found: list[str] = []
    for pattern in _NAMES:
        for match in pattern.finditer(operative):
            for words, names in _TERMS:
                if words.search(match.group("name")):
                    found += [name for name in names if name not in found]
    return tuple(found)
