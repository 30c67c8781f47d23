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
# the words of a clause that changes what it names (a section deleted is changed)
_AMENDS = re.compile(r"\b(?:is|are|shall\s+be|will\s+be)\s+(?:hereby\s+)?(?:further\s+)?"
                     r"(?:amended|modified|changed|extended|revised)\b|\bappl(?:y|ies)\s+from\b"
                     r"|\bdelet(?:e|es|ed|ing)\b|\bshall\s+(?:hereafter\s+)?read\b"
                     r"|\breplac(?:e|es|ed|ing)\b|\bamended\s+(?:and\s+restated|to\s+read|by)\b", F)
# the words of a sentence naming a section that stays as it is ("Section 5 (Fees) remains in full force")
_STAYS = re.compile(r"\bremains?\b|\bunchanged\b|\bunaffected\b|\bcontinues?\s+(?:to\s+apply|in\s+(?:full\s+)?"
                    r"(?:force|effect))\b|\bin\s+full\s+force\b", F)
# the closing sentence ("Except as expressly amended by this Amendment, the Agreement remains ..."):
# a heading's clause ends before it
_CLOSING = re.compile(r"\bExcept\s+as\s+(?:\w+\s+){0,2}?(?:amended|modified|set\s+(?:out|forth)|provided)\b", F)
# a numbered heading's start ("2. ", "Section 2.1 "), never a date wrapped to a line's start ("31 December")
_NUMBERED = (r"(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+(?!(?:January|February|March|April|May|June|July|August|"
             r"September|October|November|December)\b)")
# a full stop that ends a sentence, not an abbreviation's ("Acme Inc.", "U.S.", "No. 2")
_FULL_STOP = r"(?<!\bInc)(?<!\bLtd)(?<!\bCorp)(?<!\bCo)(?<!\bNo)(?<!\bU\.S)(?<!\be\.g)(?<!\bi\.e)\.(?=\s|$)"
# where a sentence naming a section ends: a full stop, a semicolon, a blank line, or a line that
# begins a heading or a list item ("(b) ..."); a line break alone is where a PDF's line wrapped
_SENTENCE_END = re.compile(_FULL_STOP + r"|;\s|\n[ \t]*\n|\n(?=[ \t]*(?:\(?[a-z0-9]{1,4}\)|" + _NUMBERED + "[A-Z]))")
# the whole sentence a list's item is in ("... are amended as set out in Exhibit A: Section 3 (Renewal);
# Section 4 (Notice)."): its lead-in amends each item
_LIST_END = re.compile(_FULL_STOP + r"|\n[ \t]*\n|\n(?=[ \t]*" + _NUMBERED + "[A-Z])")
# a heading's caption that is only the section it amends ("1. Amendment to Section 5 (Fees)."): the
# section's clause is the heading's
_CAPTION = re.compile(r"[ \t]*(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+(?:(?:Amendments?|Changes?|Modifications?)\s+(?:to|of)\s+)?")
_HEADING = re.compile(r"^[ \t]*" + _NUMBERED + "[A-Z]", re.MULTILINE)
_SECTION_NUMBER = r"\d+(?:\.\d+)*(?:\([a-z0-9]{1,4}\))*"
_NAMES = (
    # "1. Renewal." / "Section 2.1 Fees." at a line's start: the heading of a change
    re.compile(r"^[ \t]*(?:Section\s+)?\d+(?:\.\d+)*\.?[ \t]+(?P<name>[A-Z][A-Za-z ,&/'-]{1,50}?)\.(?:\s|$)",
               re.MULTILINE),
    # "Section 5 (Fees) of the Agreement", "Section 5 ("Fees")", "Section 9.2(a) (Notice)"
    re.compile(r"\bSections?\s+" + _SECTION_NUMBER + r"\s*\(\"?(?P<name>[A-Za-z ,&/'-]{2,50})\"?\)"),
    # "Section 7, entitled "Pricing","
    re.compile(r"\bSections?\s+\d+(?:\.\d+)*,?\s+(?:entitled|titled|captioned)\s+[\"\u201c](?P<name>[^\"\u201d]{2,50})[\"\u201d]"),
)
# the further sections of "Sections 3 (Renewal) and 4 (Notice)", "Sections 3 (Renewal), 4 (Notice) and 5 (Fees)"
_AND_SECTION = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+(?:and|&)\s+)" + _SECTION_NUMBER
                          + r"\s*\(\"?(?P<name>[A-Za-z ,&/'-]{2,50})\"?\)")
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
    section's when its sentence (or the lead-in of the list it is an item of) does; () when none says,
    or when a heading or a named section of a tracked term is in a clause neither amending nor saying
    it stays (its change is not read: the other names must not settle the amendment)."""
    start = _OPERATIVE.search(text)
    operative = text[start.end():] if start else _WHEREAS.sub("", _RECITALS.sub("", text))
    found: list[str] = []
    for begins, ends, name, heading in _names(operative):
        named = [term for words, terms in _TERMS if words.search(name) for term in terms]
        changed = _changes(operative, begins, ends, heading=heading)
        if changed is None and named:
            return ()  # a name of a tracked term whose change is not read: not known
        if changed:
            found += [term for term in named if term not in found]
    return tuple(found)


def _names(text: str) -> list[tuple[int, int, str, bool]]:
    """Each name read (where it is, the name, whether it heads a clause), in the order of ``_NAMES``:
    a section named as a numbered heading's whole caption heads its clause; each section of
    "Sections 3 (Renewal) and 4 (Notice)" is named."""
    names = []
    for pattern in _NAMES:
        for match in pattern.finditer(text):
            heading = pattern is _NAMES[0] or _is_caption(text, match.start(), match.end())
            names.append((match.start(), match.end(), match.group("name"), heading))
            further = match.end()
            while match.group(0).startswith("Sections") and (more := _AND_SECTION.match(text, further)):
                names.append((more.start(), more.end(), more.group("name"), False))
                further = more.end()
    return names


def _changes(text: str, begins: int, ends: int, *, heading: bool) -> bool | None:
    """Whether the clause of the name at ``text[begins:ends]`` changes it: True when it amends, False
    when it stays (only a sentence can say so: a heading's clause not amending is not read), None
    when not read. A sentence neither amending nor staying is read in the sentence of the list it is
    an item of (its lead-in: "The following are amended: Section 3 (Renewal); Section 4 (Notice).")."""
    if heading:
        return True if _AMENDS.search(_heading_clause(text, ends)) else None
    for ending in (_SENTENCE_END, _LIST_END):
        sentence = _sentence(text, begins, ends, ending)
        if _AMENDS.search(sentence):
            return True
        if _STAYS.search(sentence):
            return False
    return None


def _heading_clause(text: str, ends: int) -> str:
    """A heading's clause: to the next heading, before the closing sentence."""
    following = _HEADING.search(text, ends)
    clause = text[ends:following.start() if following else len(text)]
    closing = _CLOSING.search(clause)
    return clause[:closing.start()] if closing else clause


def _sentence(text: str, begins: int, ends: int, ending: re.Pattern[str]) -> str:
    """The sentence a name is in, as ``ending`` ends sentences, its wrapped lines joined."""
    start = max((end.end() for end in ending.finditer(text, 0, begins)), default=0)
    stop = ending.search(text, ends)
    return text[start:stop.start() if stop else len(text)]


def _is_caption(text: str, begins: int, ends: int) -> bool:
    """Whether the section is named as a numbered heading's whole caption ("1. Amendment to Section 5
    (Fees)." or "2. Section 3 (Renewal)" on a line of its own)."""
    line = text.rfind("\n", 0, begins) + 1
    after = re.match(r"\.?[ \t]*(?:\n|$)|\.[ \t]+[A-Z]", text[ends:])
    return after is not None and _CAPTION.fullmatch(text, line, begins) is not None
