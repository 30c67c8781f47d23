"""Which terms an amendment says it changes, by the names of what it amends: its numbered headings
("1. Renewal.") and the sections it names ("Section 5 (Fees)", "Section 7, entitled "Pricing"").
Read for an amendment whose change itself is not read: a person's entry of every term so named
settles it (``pipeline.record.NO_CHANGE_READ``). A name counts only where its own clause amends
(``_AMENDS``: "is amended", "shall be amended", "is hereby revised", "is deleted and replaced", "shall
read", "replaces", "apply from"): "Section 5 (Fees) remains in full force" and the recitals name what
is not changed. A heading of a tracked term whose clause has none of those words ("1. Notice. All
notices ...", or a change in words not known here) makes the amendment's terms not known: its change
is not read, and the other headings' terms must not settle it. A heading's clause ends at the next
heading or at the closing "Except as expressly amended ..." sentence; a named section's sentence runs
across the lines a PDF wrapped it on (to a full stop, a semicolon, a blank line or the next heading or
list item), and a section named as a numbered heading's whole caption ("1. Amendment to Section 5
(Fees).") is read as that heading. No name read: not known."""

from __future__ import annotations

import re

F = re.IGNORECASE

# where an amendment's operative part begins (its recitals name the agreement's sections too)
_OPERATIVE = re.compile(r"\bNOW,?\s+THEREFORE\b|\bagrees?\s+as\s+follows\b", F)
# with no such words: the recitals, lines that begin "WHEREAS", and the lettered lines ("A. ...",
# "(B) ...") that follow a "RECITALS" or "BACKGROUND" heading
_WHEREAS = re.compile(r"^[ \t]*WHEREAS\b.*$", re.MULTILINE)
_RECITALS = re.compile(r"^[ \t]*(?:RECITALS|BACKGROUND)\b.*$(?:\n[ \t]*(?:\(?[A-Z]\)|[A-Z]\.)[ \t].*$)*", re.MULTILINE)
# the words of a clause that changes what it names
_AMENDS = re.compile(r"\b(?:is|are|shall\s+be|will\s+be)\s+(?:hereby\s+)?(?:further\s+)?"
                     r"(?:amended|modified|changed|extended|revised)\b|\bappl(?:y|ies)\s+from\b"
                     r"|\bdeleted\s+(?:in\s+its\s+entirety\s+)?and\s+replaced\b|\bshall\s+(?:hereafter\s+)?read\b"
                     r"|\breplac(?:e|es|ed|ing)\b|\bamended\s+(?:and\s+restated|to\s+read|by)\b", F)
# the closing sentence ("Except as expressly amended by this Amendment, the Agreement remains ..."):
# a heading's clause ends before it
_CLOSING = re.compile(r"\bExcept\s+as\s+(?:\w+\s+){0,2}?(?:amended|modified|set\s+(?:out|forth)|provided)\b", F)
# where a sentence naming a section ends: a full stop, a semicolon, a blank line, or a line that
# begins a heading or a list item ("(b) ..."); a line break alone is where a PDF's line wrapped
_SENTENCE_END = re.compile(r"\.(?=\s|$)|;\s|\n[ \t]*\n|\n(?=[ \t]*(?:\(?[a-z0-9]{1,4}\)|(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+[A-Z]))")
# a heading's caption that is only the section it amends ("1. Amendment to Section 5 (Fees)."): the
# section's clause is the heading's
_CAPTION = re.compile(r"[ \t]*(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+(?:(?:Amendments?|Changes?|Modifications?)\s+(?:to|of)\s+)?")
_HEADING = re.compile(r"^[ \t]*(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+[A-Z]", re.MULTILINE)
_NAMES = (
    # "1. Renewal." / "Section 2.1 Fees." at a line's start: the heading of a change
    re.compile(r"^[ \t]*(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+(?P<name>[A-Z][A-Za-z ,&/'-]{1,50}?)\.(?:\s|$)",
               re.MULTILINE),
    # "Section 5 (Fees) of the Agreement", "Section 5 ("Fees")", "Section 7, entitled "Pricing","
    re.compile(r"\bSections?\s+\d+(?:\.\d+)*\s*\(\"?(?P<name>[A-Za-z ,&/'-]{2,50})\"?\)"),
    re.compile(r"\bSections?\s+\d+(?:\.\d+)*,?\s+(?:entitled|titled|captioned)\s+[\"\u201c](?P<name>[^\"\u201d]{2,50})[\"\u201d]"),
)
# the words of a name, and the term an entry of which enters what it changes (a section of "Notices"
# is the addresses: none). A name of several is settled by an entry of each: "Renewal Fees" never, as
# the fees (and a section of "Service Credits", whose tiers the money checks count with) are not
# entered (``pipeline.entries.ENTERABLE``): such an amendment is marked checked by a person
_TERMS = (
    (re.compile(r"(?<!non-)(?<!non)\brenewals?\b|\bauto(?:matic)?[- ]renewal\b", F), ("renewal_term",)),
    (re.compile(r"\bnotice(?!s)\b|\bnon-?renewal\b", F), ("notice_period",)),
    (re.compile(r"\bterm\b(?!\s+and\s+conditions)", F), ("expiration_date",)),
    (re.compile(r"\bfees?\b|\bpric(?:e|es|ing)\b|\bcharges\b|\bcompensation\b", F), ("fees",)),
    (re.compile(r"\bprice\s+(?:increases?|adjustments?|escalation)\b", F), ("price_increase_cap",)),
    (re.compile(r"\bpayments?\b|\binvoic(?:e|es|ing)\b", F), ("payment_terms",)),
    (re.compile(r"\bminimum\s+(?:commitment|purchase|spend)\b", F), ("minimum_commitment",)),
    (re.compile(r"\bgoverning\s+law\b|\bchoice\s+of\s+law\b", F), ("governing_law",)),
    (re.compile(r"\bservice\s+levels?\b|\bSLA\b|\bavailability\b|\buptime\b", F), ("sla_availability",)),
    (re.compile(r"\bservice\s+credits?\b", F), ("service_credit_tiers",)),
    (re.compile(r"\btermination\s+for\s+convenience\b", F), ("termination_for_convenience",)),
)


def terms_named(text: str) -> tuple[str, ...]:
    """The terms (``extract.model.TERM_NAMES``) an amendment's headings and named sections, in its
    operative part (after "NOW, THEREFORE"; else the whole text but its recitals), say it changes, in
    the order first named: a heading's when its clause (to the next heading) amends, a named
    section's when its sentence does; () when none says."""
    start = _OPERATIVE.search(text)
    operative = text[start.end():] if start else _WHEREAS.sub("", _RECITALS.sub("", text))
    found: list[str] = []
    for pattern in _NAMES:
        for match in pattern.finditer(operative):
            named = [name for words, names in _TERMS if words.search(match.group("name")) for name in names]
            heading = pattern is _NAMES[0] or _is_caption(operative, match)
            if not _AMENDS.search(_clause_of(operative, match, heading=heading)):
                if named and heading:
                    return ()  # a heading of a tracked term whose change is not read: not known
                continue
            found += [name for name in named if name not in found]
    return tuple(found)


def _clause_of(text: str, match: re.Match[str], *, heading: bool) -> str:
    """A heading's clause (to the next heading, before the closing sentence), or the sentence a section
    is named in, its wrapped lines joined."""
    if heading:
        following = _HEADING.search(text, match.end())
        clause = text[match.end():following.start() if following else len(text)]
        closing = _CLOSING.search(clause)
        return clause[:closing.start()] if closing else clause
    begins = max((end.end() for end in _SENTENCE_END.finditer(text, 0, match.start())), default=0)
    ends = _SENTENCE_END.search(text, match.end())
    return text[begins:ends.start() if ends else len(text)]


def _is_caption(text: str, match: re.Match[str]) -> bool:
    """Whether the section is named as a numbered heading's whole caption ("1. Amendment to Section 5
    (Fees)." or "2. Section 3 (Renewal)" on a line of its own)."""
    line = text.rfind("\n", 0, match.start()) + 1
    after = re.match(r"\.?[ \t]*(?:\n|$)|\.[ \t]+[A-Z]", text[match.end():])
    return after is not None and _CAPTION.fullmatch(text, line, match.start()) is not None
