"""Amendment documents: "Amendment No. 2 to the Supply Agreement dated as of June 3, 2023"."""

from __future__ import annotations

import re
from dataclasses import replace

from .amended_terms import terms_named
from .datetext import FoundDate, find_dates
from .document import Document
from .effective_date import DATE_FIRST_WRITTEN_ABOVE
from .model import Amendment, Term
from .numbers import ordinal_to_int, words_to_int

F = re.IGNORECASE

_TITLE_CHARS = 1500
_NUMBERED = re.compile(
    r"\bAmendment\s+(?:No\.?|Number|#)\s*(?P<num>\d+|[A-Za-z]+)\b(?P<rest>[^\n]{0,20})", F)
# "Amendment No. IV": a Roman numeral, I to XX, numbers it as well (read whole, so "No. Mix" is none)
_ROMAN = {r: n for n, r in enumerate(
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), start=1)}
_ORDINAL = re.compile(
    r"\b(?P<ord>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+Amendment\b", F)
_PLAIN = re.compile(r"^\W*(?:[A-Z][\w&,.-]*\s+){0,6}?AMENDMENT\b|\bThis\s+(?:[A-Z][a-z]+\s+){0,3}Amendment\b"
                    r"(?:\s+No\.?\s*\d+)?\s*\(", re.MULTILINE)
# an agreement's name: "Master Services Agreement", "SUPPLY AND SERVICES AGREEMENT" (a capital "TO" or
# "AMENDMENT" is no word of it: "TO FIRST AMENDMENT TO ...")
_NAME_WORD = r"(?:(?!(?:TO|AMENDMENT)\b)[A-Z][\w&'/-]*[\s,]+(?:(?:and|of|for|AND|OF|FOR)\s+)?)"
_KIND = (r"(?:Agreement|AGREEMENT|Contract|CONTRACT|(?:License|Lease|LICENSE|LEASE)"
         r"(?:\s+(?:Agreement|AGREEMENT))?)")
_THE = r"(?:that\s+certain\s+|the\s+|THAT\s+CERTAIN\s+|THE\s+)?"
_A = r"(?:an?\s+|AN?\s+)"
# the words that say an agreement is amended, affirmatively: "amends the Supply Agreement", "wish to amend",
# "hereby amend", "desire to amend", "agree to amend", "... ("Customer") to amend" (not "shall not amend", "may
# amend", "nothing herein shall be deemed to amend", "is not intended to modify", "without amending": none)
_AMENDING = (r"(?:\b(?:amends|modifies)"
             r"|(?<!\bnot\s)(?<!\bnor\s)(?<!\bno\s)\b(?:(?:wish(?:es)?|desires?|agree[sd]?|intends?|hereby)\s+"
             r"(?:to\s+)?|(?<=[)\"\u201d][ \n])to\s+)(?:amend|modify))")
# "to" before an agreement's name that does not say the amendment is of it: "pursuant to", "subject to"
_TO = (r"(?<![Pp]ursuant\s)(?<![Ss]ubject\s)(?<![Aa]ccording\s)(?<![Rr]elating\s)(?<![Rr]elated\s)"
       r"(?<![Pp]rior\s)\b(?:to|TO)")
# "of" after the amendment's name: "This Amendment of the Master Services Agreement"
_OF = r"(?<=[Aa]mendment\s)of|(?<=AMENDMENT\s)OF"
# the agreement named after "to", in a sentence or in a heading in capitals ("TO MASTER SERVICES
# AGREEMENT"), or by a name of its own after "entered into", "to a" or the amending words ("entered
# into the Master Services Agreement", "parties to a Supply Agreement", "and amends the Master
# Services Agreement", not "entered into the Agreement")
_TO_AGREEMENT = re.compile(rf"(?:{_TO}|{_OF})\s+{_THE}(?P<amends>{_NAME_WORD}{{0,8}}?{_KIND})\b|"
                           rf"(?:\bentered\s+into|{_TO})\s+(?:{_THE}|{_A})(?P<entered>{_NAME_WORD}{{1,8}}?{_KIND})\b|"
                           rf"{_AMENDING}\s+(?:{_THE}|{_A})(?P<amending>{_NAME_WORD}{{1,8}}?{_KIND})\b")


# an amendment's name with its number: "First Amendment", "Amendment No. 1"
_AMENDMENT_NAME = (r"(?P<ord>First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+Amendment"
                   r"|Amendment\s+(?:No\.?|Number|#)\s*(?P<num>\d+|[A-Za-z]+)\b")
# the agreement an earlier amendment's whole name ends with: "the First Amendment to Master Services
# Agreement dated March 10, 2026" dates that amendment, the nearest instrument named (as in "the
# Distributor Agreement dated as of ..., as amended by the First Amendment to Distributor Agreement
# dated as of ...")
_TO_AGREEMENT_NAMED = (r"\s+(?:to|of)\s+(?:that\s+certain\s+|the\s+)?(?P<agreement>(?:(?!Amendment\b)(?-i:[A-Z])[\w&'/-]*[\s,]+"
                       r"(?:and\s+|of\s+|for\s+)?){0,8}?(?:Agreement|Contract|(?:License|Lease)(?:\s+Agreement)?))\b")
# an earlier amendment named with its number and date, in the heading or recitals of an amendment
# that names no dated agreement: "amends the First Amendment dated March 10, 2026", "the First
# Amendment to Master Services Agreement dated ...", "Amendment No. 1 (the "First Amendment"), dated
# as of March 10, 2026", "to Amendment #1 thereto effective ..."
_EARLIER_DATED = re.compile(
    rf"\b(?P<name>{_AMENDMENT_NAME})(?:{_TO_AGREEMENT_NAMED})?"
    r"(?:\s+(?:thereto|hereto))?\s*(?:\([^)]{0,60}\)\s*)?,?\s*"
    r"(?:dated|effective|made|entered\s+into|executed|signed)\s+(?:as\s+of\s+)?(?:on\s+)?(?:the\s+)?", F)
# where an amendment's recitals end and its operative part begins
_OPERATIVE = re.compile(r"\bNOW,?\s+THEREFORE\b|\bagrees?\s+as\s+follows\b|^[ \t]*(?:Section\s+)?1\.\d*[ \t]+[A-Z]",
                        re.MULTILINE | F)
_RECITALS_CHARS = 6000


def label_number(raw: str) -> int | None:
    """The number after an amendment's "No."/"Number"/"#" label: "2", "Two", "IV" (a Roman numeral,
    I to XX, read whole), or None."""
    return int(raw) if raw.isdigit() else (words_to_int(raw) or ordinal_to_int(raw) or _ROMAN.get(raw.lower()))


def _roman(m: re.Match) -> int | None:
    """The Roman numeral of a _NUMBERED match; one glued to the label is a word ("Amendment Nov 3"
    is no Amendment No. V)."""
    if m.string[m.start("num") - 1].isalpha():
        return None
    return _ROMAN.get(m.group("num").lower())


def read_amendment(doc: Document, date_order: str = "US") -> tuple[Amendment | None, tuple[tuple[int, int], ...]]:
    """The amendment heading of the document, if it is one, and the spans of dates that are not this
    document's own (the amended agreement's, or a heading's date nothing places). ``date_order`` reads
    numeric dates as the contract's other readers do."""
    text = doc.text
    heading = _heading(text, min(len(text), _TITLE_CHARS), date_order)
    # no heading: the amending words of its opening paragraphs or recitals, checked below
    opening = _amended_in_opening(text) if heading is None else None
    if heading is not None:
        anchor, number = heading
    elif opening is not None:
        anchor, number = opening[0], None
    else:
        return None, ()
    end = anchor.end()
    named = _agreement_named(text, anchor)
    if named is not None and named is not _UNCLEAR and _replaced(text, anchor, named[0]):
        named = _UNCLEAR  # the agreement named was restated or replaced by another: which is amended, a person says
    if number is None:  # a plain "AMENDMENT": numbered after the earlier amendments its recitals name
        number, end = _number_after_earlier(text, anchor, named, date_order)
    amends, original, excluded, agreement_end = _amended_agreement(text, anchor, number, named, date_order)
    if original is not None and any(day < original for day in _own_days(text, anchor, date_order, signed=True)):
        original, excluded = None, []  # an agreement dated after the amendment's own day: no agreement it amends
    end = max(end, agreement_end)
    original_is_amendment = False
    if original is None and named is not _UNCLEAR and \
            (earlier := _earlier_amendment(text, anchor, number, amends, date_order)) is not None:
        # "This Second Amendment amends the First Amendment dated March 10, 2026": no agreement dated,
        # an earlier amendment is (the pipeline looks for the amendment of that day on file)
        name, day = earlier
        amends = name if amends is None or re.search(r"\bamendment\b", amends, F) or " to " in name \
            else f"{name} to {amends}"
        original = day.value.isoformat()
        original_is_amendment = True  # the earlier amendment's day, not the agreement's
        excluded.append((day.start, day.end))
        end = max(end, day.end)
    if opening is not None and (original is None or original_is_amendment or amends is None
                                or _key(amends) != _key(opening[1])):
        return None, ()  # no heading says it is an amendment: only of the agreement its words amend, dated
    if opening is not None:
        end = max(end, opening[2])  # the evidence quotes the amending words
    evidence = doc.evidence(anchor.start(), end)
    return Amendment(number=number, amends=amends, original_date=original, evidence=evidence,
                     original_is_amendment=original_is_amendment, names_terms=terms_named(text)), tuple(excluded)


def _heading(text: str, head_end: int, date_order: str = "US") -> tuple[re.Match, int | None] | None:
    """The document's own amendment name within ``head_end`` and its number ("Amendment No. 2",
    "Second Amendment"; a plain "AMENDMENT": None), or None when it names itself no amendment.
    Another amendment it names ("Amendment No. 1 dated March 10, 2025", "as amended by the First
    Amendment") is not its name."""
    m = next((n for n in _NUMBERED.finditer(text, 0, head_end)
              if not _another_named(text, n, n.end("num"), date_order)), None)
    if m:
        raw = m.group("num")
        number = int(raw) if raw.isdigit() else (words_to_int(raw) or ordinal_to_int(raw) or _roman(m))
        return (m, number) if number is not None else None
    o = next((n for n in _ORDINAL.finditer(text, 0, head_end) if not _another_named(text, n, n.end(), date_order)),
             None)
    if o:
        return o, ordinal_to_int(o.group("ord"))
    p = _PLAIN.search(text, 0, min(len(text), 400)) or _opening_amendment(text, head_end)
    return (p, None) if p else None


# a sentence at a line's start that begins "This", as a document's opening sentence does
_LINE_THIS = re.compile(r"^[ \t]*(?P<this>This)\b", re.MULTILINE | F)
# ... with "Amendment": "This Amendment", "This Amendment No. 2", "This Second Amendment", "This Amendment
# Agreement", followed by "(", ",", "is", "to", "of", "dated", "amends" or "entered" (not "This Amendment
# Process Policy", "This Agreement and this Amendment")
_AMENDMENT_OPENS = re.compile(
    r"\s+(?:(?:First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth)\s+)?Amendment"
    r"(?:\s+(?:No\.?|Number|#)\s*\w+)?(?:\s+Agreement)?"
    r"(?=\s*[(,]|\s+(?:is|to|of|dated|amends|entered)\b)", F)
# ... saying what it amends by a name of its own: "to the Master Services Agreement", "and amends the
# Supply Agreement", "and amends Statement of Work No. 4" (not "pursuant to the Framework Agreement")
_AMENDS_NAMED = re.compile(rf"(?:{_TO}|{_OF}|{_AMENDING})\s+(?:{_THE}|{_A})(?:{_NAME_WORD}{{1,8}}?{_KIND})\b"
                           rf"|{_AMENDING}\s+(?:{_THE}|{_A})?Statement\s+of\s+Work\b")
# ... and not a letter's: "Dear Customer: This Amendment ... is enclosed for your signature", a letter's
# salutation ("Ladies and Gentlemen:", "Gentlemen:", "Dear Sirs")
_LETTER = re.compile(r"\b(?:enclosed|attached|herewith|for\s+your\s+(?:signature|review|records))\b|^\s*Dear\s"
                     r"|^\s*(?:Ladies\s+and\s+Gentlemen|Gentlemen|Sirs|Madams?|To\s+whom\s+it\s+may\s+concern)\s*[:,]",
                     re.MULTILINE | F)


def _opening_amendment(text: str, head_end: int) -> re.Match | None:
    """The document's opening sentence, when it begins "This Amendment" and itself says what it amends
    by a name of its own ("This Amendment is entered into as of March 1, 2027 by and between ... and
    amends the Master Services Agreement dated January 5, 2025"): its name after "This". Not an
    agreement "as amended from time to time", nor a letter that mentions "any amendment"."""
    first = _LINE_THIS.search(text, 0, head_end)
    opens = _AMENDMENT_OPENS.match(text, first.end("this")) if first else None
    if first is None or opens is None:
        return None
    ends = _SENTENCE_END.search(text, opens.end())
    sentence_end = ends.start() if ends else min(len(text), opens.end() + 600)
    if not _AMENDS_NAMED.search(text, opens.end(), sentence_end) or _LETTER.search(text, 0, sentence_end):
        return None
    # its name without "This", as "This Second Amendment" gives "Second Amendment"
    return re.compile(r"\S.*", re.DOTALL).search(text, opens.start(), opens.end())


# a sentence's end: a full stop before a capital that no abbreviation or initial ("Co.", "Inc.",
# "No.", "U.S.") ends, or a blank line
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bNo)(?<!\bCo)(?<!\bInc)(?<!\bLtd)(?<!\bCorp)(?<!\bSt)(?<!\bNos)"
                           r"[.;](?=[\"')\u201d]*\s+[A-Z])|\n\s*\n")


# an amendment with no heading whose opening does not name the agreement in its first sentence: the
# statement in its opening paragraphs or recitals by which the parties amend an agreement now, in the
# present tense and affirmatively: "the parties hereby amend", "(now mutually) agree to amend", "Licensor
# and Licensee amend ... as follows", "This Amendment amends"; a wish ("the parties wish to amend") only
# with an operative "as follows" (``_affirmed`` checks the rest). Not "Customer wishes to amend", "Each
# SOW amends", "Nothing herein modifies", "may amend", "amend and restate"
_PARTIES = r"(?:(?:the\s+)?[Pp]arties(?:\s+hereto)?|(?P<one>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)?)\s+and\s+(?P<other>[A-Z][\w.&-]*))"
_AMENDS_NOW = (r"(?:\bhereby\s+(?:agree\s+to\s+)?|(?P<agree>\b(?:now\s+)?(?:mutually\s+)?agree\s+to\s+)"
               r"|(?P<wish>\b(?:wish|desire)\s+to\s+)"
               rf"|(?P<bare>\b{_PARTIES}(?:\s+(?:mutually|jointly))*\s+))(?:amend|modify)\b"
               r"|\bThis\s+(?:[\w.#-]+\s+){0,3}?Amendment(?:\s*\([^)]{0,40}\))?\s+(?:hereby\s+)?(?:amends|modifies)\b")
_AMENDS_OPENING = re.compile(
    rf"(?:{_AMENDS_NOW})\s+(?:(?P<defined>(?:the|that|said|such)\s+Agreement)\b"
    rf"|(?:{_THE}|{_A})(?P<name>{_NAME_WORD}{{1,8}}?{_KIND})\b)")
# in the amending statement's sentence, before its verb: a negation ("Nothing herein modifies", "Neither
# party wishes to", "do not intend to", "have been unable to", "failed / refused / declined to"; not
# "Amendment No. 2"), reported speech ("Customer alleges that"), a condition or a subordinate clause ("If
# the parties amend", "Until", "Unless", "When"), a modal ("may", "shall", "will")
_NOT_NOW_BEFORE = re.compile(
    r"\b(?:not|no(?!\.?\s*\d)|nothing|neither|nor|never|none|without|cannot|unable|fail(?:s|ed|ing)?|"
    r"refus(?:e|es|ed|ing)|declin(?:e|es|ed|ing)|reject(?:s|ed|ing)?|"
    r"alleg(?:e|es|ed|ing)|claim(?:s|ed|ing)|contend(?:s|ed|ing)?|disput(?:e|es|ed|ing)|assert(?:s|ed|ing)?|"
    r"den(?:y|ies|ied|ying)|if|unless|until|when|whenever|once|"
    r"although|though|whether|should|provided|in\s+the\s+event|to\s+the\s+extent|may|might|shall|will|would|"
    r"could|can|must)\b|n[\'\u2019]t\b", F)
# ... and, from where its clause begins to its verb, only the parties or one of them ("the parties
# (hereto)", "Each party", "This Amendment", 'Acme Inc. ("Customer") and Beta LLC ("Vendor")'), "hereby",
# "now", "mutually", "each", "do", and "agree(s) to" or a wish: an allow-list, so "intend to agree to",
# "previously did agree to", "would", "had" are refused unlisted
_A_PARTY = (r"(?:(?:the\s+)?parties(?:\s+hereto)?|each\s+(?:of\s+the\s+parties|party)(?:\s+hereto)?"
            r"|This\s+(?:[\w.#-]+\s+){0,3}?Amendment(?:\s*\([^)]{0,40}\))?"
            r"|(?-i:[A-Z])[\w.&'-]*(?:\s+(?-i:[A-Z])[\w.&'-]*)*(?:\s*\([^()]{0,80}\))?)")
_NOW_SUBJECT = re.compile(
    rf"\s*(?:\(?(?-i:[A-Z]|\d{{1,2}}|[ivx]{{1,4}})[.)]\s+)?(?:(?:whereas|now,?\s+therefore|and)\b\s*,?\s*)?(?:{_A_PARTY}(?:\s*,?\s+(?:and|&)\s+{_A_PARTY})*\s+)?"
    r"(?:(?:hereby|now|mutually|jointly|each|do|does)\s+)*(?:(?:agrees?|wish(?:es)?|desires?)\s+to\s+)?"
    r"(?:hereby\s+)?", F)
# (a clause begins after a comma, a semicolon, a colon, or "are parties to ... and": "The parties are
# parties to the Agreement and wish to amend it as follows")
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:are|is)\s+(?:the\s+)?part(?:y|ies)\s+to\b[^;]*\band"
                           r"(?=\s+(?:(?:hereby|now|mutually)\s+)*(?:wish|desire|agree)\w*\s+to\b)", F)
# ... after it: a limit or a condition ("only as to the Services it describes", "if", "from time to time")
_NOT_NOW_AFTER = re.compile(r"\bonly\s+(?:as\s+to|with\s+respect\s+to|to\s+the\s+extent|insofar)\b|"
                            r"\b(?:if|unless|until|when|whenever|from\s+time\s+to\s+time|in\s+the\s+future)\b", F)
# ... or, before the changes it introduces, a later time, another instrument or a limit: "within thirty
# (30) days", "by a separate written amendment", "upon completion of the audit", "at its next renewal",
# "to the extent required by"
_LATER_AFTER = re.compile(
    r"\b(?:within|(?<!effective\s)upon|no\s+later\s+than|at\s+(?:its|the|each)\s+next|"
    r"to\s+the\s+extent|by\s+(?:a|an|means\s+of\s+a)\s+(?:\w+\s+){0,2}?(?:amendment|instrument|agreement|writing)|"
    r"in\s+(?:a|an)\s+(?:\w+\s+){0,2}?(?:amendment|instrument|agreement|writing))\b", F)
_VERB = re.compile(r"\b(?:amend|modify|amends|modifies)\b")
# "as follows": the statement makes the changes that follow
_AS_FOLLOWS = re.compile(r"\bas\s+(?:follows|set\s+forth\s+(?:below|herein))\b", F)
# ... or a colon introducing them
_CHANGES_FOLLOW = re.compile(rf"{_AS_FOLLOWS.pattern}|:", F)
_NOW_THEREFORE = re.compile(r"\bNOW,?\s+THEREFORE\b")
# where an amendment's operative part begins: its first numbered clause ("1.", "1)", "1.1", "Section 1.",
# "SECTION 1.", "ARTICLE 1", "Article I", "I."), or the words that begin a contract's ("agree as follows")
_FIRST_CLAUSE = re.compile(
    r"^[ \t]*(?:(?:Section|Article|Clause|Part)[ \t]+(?:1|I|One)\b\.?[ \t]*|1[.)](?:\d+\.?)?[ \t]*|I\.[ \t]+)"
    r"(?=(?-i:[A-Z]))|\bagrees?\s+as\s+follows\b", re.MULTILINE | F)
_OPENING_CHARS = 3000
# the document naming itself another instrument in its opening paragraphs: "This Agreement", "this
# Addendum", "this SOW", "these Terms and Conditions", "Each SOW" (not "This Amendment", "This Amendment
# Agreement")
_ITSELF_ANOTHER = re.compile(
    r"\bthis\s+(?:[\w-]+\s+){0,4}?(?:Agreement|Addendum|Contract|Letter|Lease|License|Consent|Waiver|Assignment|"
    r"Guarant\w+|Deed|Policy|Memorandum|Instrument|Order|Statement|SOW|NDA|Notice|Release|Settlement|Schedule|"
    r"Exhibit|Extension|Certificate|Terms|Form|Quot\w+|Proposal)\b"
    r"|\b(?:these|each)\s+(?:SOWs?|Statements?\s+of\s+Work|(?:Purchase\s+|Work\s+)?Orders?|Order\s+Forms?|Terms|"
    r"Schedules?|Exhibits?|Releases?|Notices?|Polic(?:y|ies))\b", F)
# a title line naming an instrument other than an amendment: "STATEMENT OF WORK NO. 4", "Order No. 17",
# "CONSENT TO ASSIGNMENT", "SETTLEMENT AND RELEASE", "EXTENSION", "SUPPLY AGREEMENT"
_INSTRUMENT = re.compile(
    r"\b(?:agreement|contract|lease|licen[cs]e|addendum|statement\s+of\s+work|sow|(?:purchase\s+|work\s+|change\s+)?order"
    r"|release|settlement|guarant(?:y|ee)|consent|notice|schedule|exhibit|annex|appendix|terms|conditions|policy"
    r"|extension|renewal|waiver|assignment|letter|memorandum|deed|certificate|resolution|quot(?:e|ation)|proposal"
    r"|invoice|joinder|novation|instrument|undertaking|acknowledge?ment|nda|mou)\b", F)
# a title line saying the document is not yet, or not, an agreement: "DRAFT - FOR DISCUSSION ONLY", "Term
# Sheet", "LETTER OF INTENT", "Memorandum of Understanding", "PROPOSAL" (any case)
_NOT_BINDING_TITLE = re.compile(
    r"\b(?:draft|term\s+sheet|letter\s+of\s+intent|memorandum\s+of\s+understanding|proposal)\b", F)
_TITLE_SMALL_WORDS = frozenset("of to and for the no a an in on by with under".split())


# ... or restating an agreement ("amend and restate", "the Amended and Restated Supply Agreement")
_RESTATED = re.compile(r"\brestat(?:e|ed|es|ing|ement)\b", F)
# after an agreement's name, its definition as "the Agreement": ' dated March 1, 2024 (the "Agreement")'
_DEFINED_AGREEMENT = re.compile(r"(?:(?!\bagreement\b)[^();]){0,80}?\(\s*(?:the|this)?\s*[\"\u201c]Agreement[\"\u201d]", F)


def _amended_in_opening(text: str) -> tuple[re.Match, str, int] | None:
    """A document with no amendment heading that amends an agreement in its opening paragraphs or
    recitals (before its first numbered clause): the amendment's name its opening sentence begins
    with ("This Amendment is entered into ...", the agreement named in a later sentence) or, with no
    such sentence, the document's first word; the agreement the amending statement names, by a name
    of its own or as "the Agreement" that one agreement named there is defined as ("... the Software
    License Agreement dated March 1, 2024 (the "Agreement")"); and where the statement ends. None
    unless its first amending statement is the parties' own, now (``_affirmed``); None for a letter,
    another instrument (``_another_instrument``), or a statement amending two agreements or none
    named. Whether the agreement is dated the caller checks."""
    clause = _FIRST_CLAUSE.search(text, 0, min(len(text), _OPENING_CHARS))
    end = clause.start() if clause else min(len(text), _OPENING_CHARS)
    said = _AMENDS_OPENING.search(text, 0, end)
    if said is None or not _affirmed(text, said, end) or _ALSO_AMENDED.match(text, said.end()) or \
            _another_instrument(text, end):
        return None
    first = _LINE_THIS.search(text, 0, said.start())
    opens = _AMENDMENT_OPENS.match(text, first.end("this")) if first else None
    if first is not None and opens is None:
        return None  # its opening sentence names it something else: "This Amendment Process Policy"
    if said.group("name"):
        name = " ".join(re.sub(_POINTING, "", said.group("name")).split())
        if not re.search(r"\s", name) or re.search(r"\bamendment\b", name, F):
            return None
    else:  # "the Agreement": the one agreement named there that is defined so
        defined = {n for n, _, at in _agreements_in(text, 0, said.start()) if _DEFINED_AGREEMENT.match(text, at)}
        if len(defined) != 1:
            return None
        name = defined.pop()
    anchor = re.compile(r"\S.*", re.DOTALL).search(text, opens.start(), opens.end()) if opens \
        else re.compile(r"\w+").search(text)
    return (anchor, name, said.end()) if anchor else None


def _affirmed(text: str, said: re.Match, end: int) -> bool:
    """Whether the amending statement ``said`` (in ``text[:end]``) amends the agreement now: no negation,
    condition, subordinate clause or modal before its verb in its sentence ("Nothing herein modifies",
    "If the parties amend", "may amend"), no limit or condition after it ("only as to", "if"); two
    parties named by it ("Licensor and Licensee amend") are ones defined before ('("Licensor")'); a
    wish ("the parties wish to amend") or amending words with no "hereby" ("agree to amend", "Licensor and
    Licensee amend") make the changes that follow ("as follows", "as set forth below", a colon; or "NOW,
    THEREFORE" after the wish); no negation ("unable / failed / refused / declined to"), reported speech
    ("Customer alleges that") or later time ("within thirty (30) days", "by a separate written amendment",
    "upon completion of the audit") comes before them."""
    sentence_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, said.start())), default=0)
    ends = _SENTENCE_END.search(text, said.end(), end)
    sentence_end = ends.start() if ends else end
    verb = said.start() + next(_VERB.finditer(said.group(0))).start()
    if _NOT_NOW_BEFORE.search(text, sentence_start, verb) or _NOT_NOW_AFTER.search(text, said.end(), sentence_end):
        return False
    own_start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, verb)), default=0)  # its subject's too
    clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(text, own_start, verb)), default=own_start)
    if not _NOW_SUBJECT.fullmatch(text, clause_start, verb):
        return False  # "The parties intend to agree to amend", "previously did agree to amend": not the parties now
    follows = _CHANGES_FOLLOW.search(text, said.end(), sentence_end)
    if _LATER_AFTER.search(text, said.end(), follows.start() if follows else sentence_end):
        return False  # "agree to amend the Agreement within thirty (30) days": not now
    if said.group("one") and not all(re.search(rf"[\"\u201c]{re.escape(party)}[\"\u201d]", text[:said.start()])
                                     for party in (said.group("one"), said.group("other"))):
        return False  # "Terms and Conditions amend": not two parties defined before
    if said.group("wish"):
        return bool(follows or _NOW_THEREFORE.search(text, sentence_end, end))
    # "agree to amend" and "Licensor and Licensee amend" only with the changes following ("as follows",
    # "as set forth below", a colon); "hereby amend" and "This Amendment amends" as they stand
    return bool(follows) if said.group("agree") or said.group("bare") else True


def _another_instrument(text: str, end: int) -> bool:
    """Whether the opening paragraphs (``text[:end]``) are another instrument's than an amendment's:
    a letter, a restatement, one with a title line naming another instrument ("SUPPLY AGREEMENT",
    "STATEMENT OF WORK NO. 4", "Order No. 17", "CONSENT TO ASSIGNMENT"), or one that calls itself an
    agreement or another instrument ("This Agreement", "this SOW", "these Terms and Conditions", "Each
    SOW")."""
    itself = (m for m in _ITSELF_ANOTHER.finditer(text, 0, end) if not re.search(r"\bamendment\b", m.group(0), F))
    return bool(_LETTER.search(text, 0, end) or _RESTATED.search(text, 0, end) or _titled_another(text[:end])
                or next(itself, None))


def _titled_another(opening: str) -> bool:
    """Whether a line of ``opening`` is a title naming an instrument other than an amendment: a short
    line of capitalised words (and "of", "to", "and", ...) with an instrument's name in it, or a short
    line of no sentence saying it is a draft, a term sheet, a letter of intent, a memorandum of
    understanding or a proposal (any case)."""
    for line in opening.splitlines():
        words = line.split()
        if 0 < len(words) <= 12 and _NOT_BINDING_TITLE.search(line) and not _SENTENCE_END.search(line):
            return True  # "DRAFT - FOR DISCUSSION ONLY", "Term Sheet": no agreement yet
        if 0 < len(words) <= 12 and _INSTRUMENT.search(line) and not re.search(r"\bamendment\b", line, F) and \
                all(not w[0].isalpha() or w[0].isupper() or w.lower() in _TITLE_SMALL_WORDS for w in words):
            return True
    return False


_NAMED_AMENDMENT = re.compile(rf"\b(?:{_AMENDMENT_NAME})", F)


def _named_number(m: re.Match) -> int | None:
    """The number of an amendment a match of ``_AMENDMENT_NAME`` names."""
    return ordinal_to_int(m.group("ord")) if m.group("ord") else label_number(m.group("num"))


def _number_after_earlier(text: str, anchor: re.Match, named: tuple[str, int] | None,
                          date_order: str = "US") -> tuple[int | None, int]:
    """A plain "AMENDMENT"'s number: one after the highest earlier amendment its heading or recitals
    name as earlier ("as amended by the First Amendment to Master Services Agreement dated March 10,
    2025": 2), and where that name ends (its ground); none when they name none, or name one of a
    higher number without saying it is earlier (which this one is, is not guessed). An amendment of
    another agreement than the one ``named`` ("the Master Services Agreement, as amended by Amendment
    No. 4 thereto" in an amendment of the Supply Agreement) numbers nothing; when which agreement is
    amended is unclear, neither does any."""
    if named is _UNCLEAR:
        return None, anchor.end()
    placed: list[tuple[int, int]] = []
    unplaced: list[int] = []
    for m in _NAMED_AMENDMENT.finditer(text, anchor.start(), _recitals_end(text, anchor)):
        named_number = _named_number(m)
        if named_number is None or re.search(r"\bthis\s*$", text[max(0, m.start() - 10):m.start()], F):
            continue
        if not _of_the_agreement(text, anchor.start(), m.start(), m.end(), named):
            continue
        # "Amendment No. 1 and No. 2": the numbers listed after the name are named alike
        more = _MORE_NUMBERS.match(text, m.end())
        numbers = [named_number]
        if more:
            numbers += [n for n in (label_number(x) for x in _LISTED_NUMBER.findall(more.group(0))) if n is not None]
        if _another_named(text, m, m.end(), date_order):
            placed.extend((n, more.end() if more else m.end()) for n in numbers)
        else:
            unplaced.extend(numbers)
    if not placed:
        return None, anchor.end()
    highest, end = max(placed)
    if any(n > highest + 1 for n in unplaced):
        return None, anchor.end()
    return highest + 1, end


# a name of an agreement of its own anywhere in the heading or recitals ("the Mutual Nondisclosure
# Agreement"); words that only point at one ("This Agreement", "the Original Agreement") are no name
_ANY_AGREEMENT = re.compile(rf"\b(?P<name>{_NAME_WORD}{{1,8}}?{_KIND})\b")
_POINTING = re.compile(r"^(?:(?:this|the|that|such|said|each|any|whereas|original|existing|prior|other|recitals?)"
                       r"[\s,]+)+", F)
# a sentinel: two agreements named and the amendment does not say which it amends
_UNCLEAR: tuple[str, int] = ("", -1)


def _key(name: str) -> str:
    return " ".join(re.sub(r"^(?:that\s+certain|the)\s+", "", name.strip(" ,"), flags=F).lower().split())


def _agreements_in(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The agreements named by a name of their own in ``text[start:end]``, as (name, start, end)."""
    named = []
    for m in _ANY_AGREEMENT.finditer(text, start, end):
        pointing = _POINTING.match(m.group("name"))
        name = m.group("name")[pointing.end():] if pointing else m.group("name")
        if re.search(r"\s", name.strip(" ,")) and not re.search(r"\bamendment\b", name, F):
            # a word of its own before "Agreement"; an "Amendment Agreement" is the amendment, not the amended
            named.append((" ".join(name.strip(" ,").split()), m.end() - len(name), m.end()))
    return named


def _agreement_named(text: str, anchor: re.Match) -> tuple[str, int] | None:
    """The agreement the heading or recitals say the amendment amends ("... TO SUPPLY AGREEMENT", "to
    that certain Supply Agreement", "entered into the Supply Agreement", "and amends the Supply
    Agreement") and where its name ends; None when none is named; ``_UNCLEAR`` when the recitals name
    two (a Quality Agreement and a Supply Agreement) and neither the heading nor the amendment says
    which it amends ("wish to amend the Supply Agreement", the one defined as "the Agreement"). A
    shortened name is the same agreement ("the Supply Agreement" after "Master Supply Agreement")."""
    recitals_end = _recitals_end(text, anchor)
    to = _TO_AGREEMENT.search(text, anchor.start(), min(len(text), anchor.end() + 600))
    names = [n for n, _, _ in _agreements_in(text, anchor.start(), recitals_end)]
    if not to:  # none named near the heading: the one the recitals' amending words name, if any
        said = _said_amended(text, anchor.start(), recitals_end, names)
        return said if said is not _UNCLEAR else None
    group = next(g for g in ("amends", "entered", "amending") if to.group(g))
    if group != "entered" and _ALSO_AMENDED.match(text, to.end(group)):
        return _UNCLEAR  # two agreements amended: which this amendment's changes apply to, a person says
    amends = re.sub(r"\s+", " ", to.group(group)).strip(" ,")
    amends = re.sub(r"^(?:the|that|certain)\s+", "", amends, flags=F)
    if _in_capitals(amends):  # as a heading gives it
        amends = _as_written(text, amends, anchor.start(), recitals_end)
    if not re.search(r"[a-z]{3,}", text[anchor.end():to.start()]) or _key(amends) == "agreement":
        return amends, to.end(group)  # the heading or "This Amendment" names it, or the one defined "Agreement"
    if len(set(_full_names(names + [amends], _listed(text, anchor.start(), recitals_end)).values())) == 1:
        return amends, to.end(group)
    return _said_amended(text, anchor.start(), recitals_end, names + [amends])


def _replaced(text: str, anchor: re.Match, name: str) -> bool:
    """Whether the heading or recitals say another agreement restated or replaced the agreement ``name``
    ("an Amended and Restated Supply Agreement dated ..., which amended and restated the Supply
    Agreement dated ..."): amending words naming it then may mean either."""
    words = r"\s+".join(re.escape(w) for w in name.split())
    return re.search(rf"\b(?:amended\s+and\s+restated|restated|replaced|superseded|supersedes|replaces|restates)"
                     rf"\s+(?:in\s+(?:its|their)\s+entirety\s+)?(?:that\s+certain|the)\s+{words}\b",
                     text[anchor.start():_recitals_end(text, anchor)], F) is not None


def _same_agreement(short: str, name: str) -> bool:
    """Whether ``short`` names the agreement ``name`` names: the same words, or its last two or more
    ("Supply Agreement" for "Master Supply Agreement"; not for an "Amended and Restated Supply
    Agreement", another agreement than the one it restated)."""
    words, its = _key(short).split(), _key(name).split()
    return len(words) >= 2 and its[-len(words):] == words and \
        (words == its or not {"amended", "restated"} & set(its[:-len(words)]))


def _full_names(names: list[str], listed: frozenset[str] = frozenset()) -> dict[str, frozenset[str]]:
    """Each name's key, and the full names (as written) of the agreements it may be a shortened name
    of: one for a full name or a shortened name of one, more for one that ends two ("Supply
    Agreement" beside "Master Supply Agreement" and "Component Supply Agreement"). A name ``listed``
    (keys) as an agreement of its own ("a Master Services Agreement dated ... and a Services Agreement
    dated ...") is that agreement, not a shortened name of another."""
    written = {_key(n): n for n in names}
    full = [k for k in written
            if k in listed or not any(k != other and _same_agreement(k, other) for other in written)]
    return {k: frozenset([written[k]]) if k in listed else frozenset(written[f] for f in full if _same_agreement(k, f))
            for k in written}


def _listed(text: str, start: int, end: int) -> frozenset[str]:
    """The keys of the agreements ``text[start:end]`` lists as agreements of their own: introduced as
    one ("a Services Agreement", "that certain Services Agreement") or given a date ("the Services
    Agreement dated ...")."""
    keys = set()
    for name, at, to in _agreements_in(text, start, end):
        if re.search(r"\b(?:an?|that\s+certain)\s+$", text[max(start, at - 20):at], F) or \
                _LISTED_DATED.match(text, to):
            keys.add(_key(name))
    return frozenset(keys)


_LISTED_DATED = re.compile(r"\s*(?:\([^)]{0,60}\)\s*)?,?\s*(?:dated|effective|made|entered\s+into)\b", F)


# the amendment saying which agreement it amends: "wish to amend the Supply Agreement", "This Amendment to
# the Supply Agreement"
_SAYS_AMENDED = re.compile(rf"(?:{_AMENDING}\s+|(?i:this\s+(?:[\w.#-]+\s+){{0,4}}?Amendment\s+(?:to|of))\s+)"
                           rf"{_THE}(?P<name>{_NAME_WORD}{{1,8}}?{_KIND})\b")


# another agreement named as amended beside the first: "amend the Supply Agreement and the Quality Agreement",
# "amends the Supply Agreement dated January 5, 2024 and the Quality Agreement dated ...", "..., the Quality
# Agreement and the Price List"
_ALSO_AMENDED = re.compile(
    rf"(?:\s*\([^)]{{0,60}}\))?(?:,?\s*(?:dated|effective)\s+[^;.]{{0,40}}?\b\d{{4}}\b)?\s*(?:,|,?\s+and|,?\s+&)\s+"
    rf"(?:to\s+amend\s+)?(?:{_THE}|{_A})(?:{_NAME_WORD}{{1,8}}?{_KIND})\b")


def _said_amended(text: str, start: int, end: int, names: list[str]) -> tuple[str, int]:
    """The agreement of ``names`` (named in ``text[start:end]``) the amendment says it amends, by its
    name or a shortened one ("amends the Supply Agreement", "This Amendment to the Supply Agreement"),
    or by defining it "the Agreement"; where those words end; ``_UNCLEAR`` when they say none, or
    more than one, or a shortened name of two."""
    full_names = _full_names(names, _listed(text, start, end))
    said: dict[str, int] = {}
    unclear = False
    for m in _SAYS_AMENDED.finditer(text, start, end):
        meant = full_names.get(_key(re.sub(_POINTING, "", m.group("name"))), frozenset())
        unclear |= len(meant) > 1 or _ALSO_AMENDED.match(text, m.end()) is not None
        for name in meant:
            said[name] = max(said.get(name, 0), m.end())
    for name in {n for meant in full_names.values() for n in meant}:  # the full names
        words = r"\s+".join(re.escape(w) for w in name.split())
        defined = re.search(rf"\b{words}\b(?:(?!\bagreement\b)[^();\n]){{0,80}}?\(\s*(?:the|this)?\s*"
                            rf"[\"\u201c]Agreement[\"\u201d]", text[start:end], F)
        if defined:
            said[name] = max(said.get(name, 0), start + defined.end())
    if unclear or len(said) != 1:
        return _UNCLEAR
    return next(iter(said.items()))


def _of_the_agreement(text: str, lo: int, start: int, end: int, named: tuple[str, int] | None) -> bool:
    """Whether the earlier amendment named at ``text[start:end]`` amends the agreement ``named``: the
    agreement its whole name gives ("the Third Amendment to Master Services Agreement"), else the
    nearest named before it ("the Master Services Agreement, as amended by Amendment No. 4 thereto")
    is that one (or none is named)."""
    if named is None or _key(named[0]) == "agreement":
        return True
    if named is _UNCLEAR:
        return False
    to = _AMENDMENT_OF.match(text, end)
    if to:
        its = to.group("agreement")
    else:
        before = _agreements_in(text, lo, start)
        its = before[-1][0] if before else None
    return its is None or _key(its) in ("agreement", _key(named[0]))


_AMENDMENT_OF = re.compile(_TO_AGREEMENT_NAMED, F)


# the numbers listed after an amendment's number: " and No. 2", ", No. 3 and No. 4"
_LISTED_NUMBER = re.compile(r"(?:No\.?|Number|#)\s*(\d+|[IVXivx]+)\b")
_MORE_NUMBERS = re.compile(r"(?:\s*(?:,|,?\s*and|&)\s*(?:No\.?|Number|#)\s*(?:\d+|[IVXivx]+)\b)+")


def _amended_agreement(text: str, anchor: re.Match, number: int | None, named: tuple[str, int] | None,
                       date_order: str = "US") -> tuple[str | None, str | None, list[tuple[int, int]], int]:
    """The agreement the amendment amends (``named``), its date when given ("... Supply Agreement dated
    June 3, 2023", wherever the title or recitals give it; "that certain agreement dated as of January
    5, 2024 (the "Supply Agreement")" in the recitals), the spans of dates that are not the
    amendment's own, and where the words read end. Two different dates the recitals give it are
    neither read (a person links it). A date after the agreement's name in the amendment's own
    heading ("SECOND AMENDMENT TO MASTER SERVICES AGREEMENT DATED JUNE 1, 2026") is the agreement's
    only when the text says so (``_heading_date_is_the_agreements``); one after it in the amendment's
    own sentence ("This Second Amendment to Services Agreement, dated as of March 1, 2016") is not
    when the recitals date the agreement, or the sentence names the amendment after it ("(this
    "Second Amendment")")."""
    if named is None or named is _UNCLEAR:
        return None, None, [], anchor.end()
    amends, end = named
    name = r"\s+".join(re.escape(w) for w in amends.split())
    dated = re.compile(rf"{name}\s*(?:\([^)]{{0,40}}\)\s*)?,?\s*{_BETWEEN_PARTIES}(?P<verb>dated|effective|"
                       rf"made|entered\s+into|with\s+an\s+effective\s+date\s+of)\s+(?:as\s+of\s+)?"
                       rf"(?:on\s+)?(?:the\s+)?", F)
    heading_date = own_sentence = None
    dates: list[tuple[int, FoundDate]] = []
    # another agreement listed whose name ends with this one's ("Master Services Agreement" beside a
    # "Services Agreement" of its own): its date is not this one's
    longer = [k for k in _listed(text, anchor.start(), _recitals_end(text, anchor)) if k.endswith(" " + _key(amends))]
    own_days = _own_days(text, anchor, date_order)
    for d in dated.finditer(text, anchor.start(), min(len(text), anchor.start() + 6000)):
        if longer and (word := re.search(r"(?-i:[A-Z])[\w&'-]*\s+$", text[max(0, d.start() - 40):d.start()])) and \
                any(k.endswith(_key(word.group(0) + amends)) for k in longer):
            continue
        if _ends_an_earlier_amendments_name(text, d.start(), number, anchor):
            continue  # the earlier amendment's date (read by the caller when no agreement's is given)
        found = find_dates(text, d.end(), d.end() + 60, date_order=date_order)
        if not found or found[0].start != d.end():
            continue
        if d.group("verb").lower().startswith("with") and re.search(
                rf"\b(?:amend|modify|amends|modifies)\s+{_THE}$", text[max(0, d.start() - 40):d.start()], F):
            continue  # "amend the Software License Agreement with an Effective Date of ...": as likely the amendment's
        if d.group("verb").lower().startswith("with") and (
                _ends_its_own_name(text, d.start(), anchor, number)
                or _THIS_AMENDMENT_TO_BEFORE.search(text[max(0, d.start() - 120):d.start()])):
            continue  # "This Amendment No. 1 to the Supply Agreement, with an effective date of ...": its own day
        if d.group("verb").lower() != "dated" and any(day <= found[0].value.isoformat() for day in own_days):
            continue  # "... effective March 1, 2027" on or after the amendment's own day: as likely its own
        if d.group("between") and d.group("verb").lower() != "dated":
            continue  # "... Agreement between A and B, effective March 1, 2027": as likely the amendment's own day
        if d.group("between") and d.group("between").rstrip(", \t\n").endswith(".") and \
                text[d.end("between")].isupper():
            continue  # "between A and Beta Inc. Effective ...": a sentence may end at "Inc."; a person links it
        if d.group("between") and (_ends_its_own_name(text, d.start(), anchor, number) or own_date_at(text, d.end())
                                   or _THIS_AMENDMENT_TO_BEFORE.search(text[max(0, d.start() - 120):d.start()])):
            continue  # "... Agreement between A and B dated ..." as the amendment names itself: whose date is unclear
        if _ends_its_own_name(text, d.start(), anchor, number):
            heading_date = heading_date or found[0]
        elif _THIS_AMENDMENT_TO_BEFORE.search(text[max(0, d.start() - 120):d.start()]):
            own_sentence = own_sentence or found[0]
        else:
            dates.append((d.start(), found[0]))
    recitals_end = _recitals_end(text, anchor)
    # "that certain agreement dated as of January 5, 2024 (the "Master Services Agreement")"
    for d in _AN_AGREEMENT_DATED.finditer(text, anchor.start(), recitals_end):
        found = find_dates(text, d.end(), d.end() + 60, date_order=date_order)
        if found and found[0].start == d.end() and re.match(
                rf"\s*,?\s*\(\s*(?:as\s+amended,?\s*)?(?:the|this)?\s*[\"\u201c]{name}[\"\u201d]", text[found[0].end:], F):
            dates.append((d.start(), found[0]))
    dates.sort(key=lambda pair: pair[0])
    dates = [(at, f) for at, f in dates if at < recitals_end] or dates[:1]
    if own_sentence is not None and not dates and not _NAMED_AFTER.match(text, own_sentence.end):
        dates = [(own_sentence.start, own_sentence)]  # "This First Amendment to the Supply Agreement dated ..."
    if dates:
        spans = [(f.start, f.end) for _, f in dates]
        if len({f.value for _, f in dates}) > 1:  # two dates for one agreement: neither is read
            return amends, None, spans, end
        at, first = dates[0]
        if at < max(end + 200, anchor.end() + _TITLE_CHARS):
            end = max(end, first.end)
        return amends, first.value.isoformat(), spans, end
    if heading_date is None:
        return amends, None, [], end
    day = (heading_date.start, heading_date.end)
    said = _heading_date_is_the_agreements(text, anchor, heading_date, date_order)
    if said is None:  # whose it is, nothing says: neither the agreement's nor the amendment's own
        return amends, None, [day], end
    return amends, heading_date.value.isoformat() if said else None, [day] if said else [], max(end, day[1])


# the parties an agreement's name gives before its date, and only they: "Supply Agreement between Acme Inc. and
# Beta LLC dated ...", "..., by and between Acme Inc., a Delaware corporation, and Beta LLC, dated ..."; names of
# capitalised words ("Inc.", "Co.", "L.L.C."; "Bank of America"), a defined name ('("Supplier")'), commas and
# "and", the date right after them. No other words: not "between A and B and is dated ..." (the amendment's
# own date), "between A and B, as varied by a Deed of Variation dated ...", "between A and B. The price
# increase is effective ..." (a sentence's end)
_WS = r"(?:[ \t]+\n?[ \t]*|\n[ \t]*)"
_PARTY_WORD = r"(?-i:(?:[A-Z][A-Za-z]{0,4}\.)+|[A-Z][\w&'\u2019-]*|&)"
_PARTY = (rf"{_PARTY_WORD}(?:{_WS}(?:(?-i:of|de|du|la|van|von|the){_WS})?{_PARTY_WORD}){{0,9}}"
          rf"(?:,{_WS}an?{_WS}(?:[\w-]+{_WS}){{0,4}}?(?:corporation|company|partnership|association|bank|trust))?"
          rf"(?:{_WS}?\(\s*(?:the\s+)?[\"\u201c][^\"\u201d\n]{{1,40}}[\"\u201d]\s*\))?")
_BETWEEN_PARTIES = (rf"(?P<between>(?:by{_WS}and{_WS})?between{_WS}{_PARTY}(?:,{_WS}{_PARTY}){{0,3}},?{_WS}and{_WS}"
                    rf"{_PARTY},?{_WS})?")
# an agreement named by no name of its own before its date: "that certain agreement dated as of "
_AN_AGREEMENT_DATED = re.compile(r"\b(?:that\s+certain|an?)\s+agreement\s*,?\s*(?:dated|effective|made|entered\s+into)"
                                 r"\s+(?:as\s+of\s+)?(?:on\s+)?(?:the\s+)?", F)
# the amendment's own sentence naming it and the agreement it amends: "This SECOND AMENDMENT TO "
_THIS_AMENDMENT_TO_BEFORE = re.compile(
    r"\bThis\s+(?:[\w.#-]+\s+){0,4}?Amendment(?:\s+(?:No\.?|Number|#)\s*\w+)?\s+(?:to|of)\s+"
    r"(?:that\s+certain\s+|the\s+)?$", F)
# ... naming the amendment after its date: ' (this "Second Amendment")'
_NAMED_AFTER = re.compile(r"\s*\(\s*(?:this|the)\s+[\"\u201c][^\"\u201d]{0,40}Amendment", F)


def _in_capitals(name: str) -> bool:
    """Whether a name is written in capitals, as a heading gives it ("SUPPLY AND SERVICES AGREEMENT",
    "ACME, LLC and BETA CORP. LICENSE AGREEMENT")."""
    return not re.search(r"[a-z]", re.sub(r"\b(?:and|of|for)\b", "", name))


def _as_written(text: str, name: str, start: int, end: int) -> str:
    """An agreement's name its heading gives in capitals, as the heading or recitals write it in a
    sentence: the longest end of it of two words or more they do ("STREMICK'S HERITAGE FOODS, LLC and
    PREMIER NUTRITION CORPORATION MANUFACTURING AGREEMENT": "that certain Manufacturing Agreement"),
    else the whole name in title case. "AMENDED AND RESTATED" stays in it: the restated agreement is
    another than the one it restated."""
    words = name.split()
    restated = next((i for i, w in enumerate(words) if w.upper() in ("AMENDED", "RESTATED")), len(words))
    for first in range(min(restated + 1, len(words) - 1 if len(words) > 1 else 1)):
        pattern = r"\b" + r"\s+".join(re.escape(w) for w in words[first:]) + r"\b"
        written = next((m.group(0) for m in re.finditer(pattern, text[start:end], F) if not _in_capitals(m.group(0))),
                       None)
        if written is not None:
            return " ".join(written.split())
    return _titled(name)


def _recitals_end(text: str, anchor: re.Match) -> int:
    """Where the recitals that follow an amendment's heading end: its operative part ("NOW,
    THEREFORE", "agree as follows", its first numbered clause), or ``_RECITALS_CHARS`` after it."""
    limit = min(len(text), anchor.start() + _RECITALS_CHARS)
    operative = _OPERATIVE.search(text, anchor.end(), limit)
    return operative.start() if operative else limit


# what follows an amendment's name when it is given with its date: ", dated as of", " thereto, effective"
_DATED_AFTER = re.compile(
    r"(?:\s+(?:thereto|hereto))?\s*(?:\([^)]{0,60}\)\s*)?,?\s*"
    r"(?:dated|effective|made|entered\s+into|executed|signed)\s+(?:as\s+of\s+)?(?:on\s+)?(?:the\s+)?", F)
# ... or with the agreement it amends, then its date: " to Master Services Agreement dated"
_DATED_AFTER_ITS_AGREEMENT = re.compile(_TO_AGREEMENT_NAMED + _DATED_AFTER.pattern, F)
# the words before an amendment said to have amended the agreement: "as amended by the ", "amended by
# Amendment No. 1 dated March 10, 2025 and "
_AMENDED_BY_BEFORE = re.compile(
    r"\bamended\s+by\s+(?:(?:[^.;]|(?<=\bNo)\.){0,200}?(?:,|\band)\s+(?:by\s+)?)?(?:that\s+certain\s+|that\s+|the\s+)?$", F)


def _another_named(text: str, m: re.Match, end: int, date_order: str = "US") -> bool:
    """Whether the amendment named at ``m`` (its name ending at ``end``) is another than the
    document: named with its date directly after or after the agreement it amends ("Amendment No. 1
    dated March 10, 2025", "the First Amendment thereto, dated ...", "the First Amendment to Master
    Services Agreement dated ..."), or said to have amended the agreement ("as amended by the First
    Amendment"); not "This Amendment No. 2, dated as of ...", nor a heading line "AMENDMENT NO. 2
    DATED AS OF ...": its own."""
    line = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
    if re.search(r"\bthis\s*$", text[max(0, m.start() - 10):m.start()], F) or not re.search(r"\w", line):
        return False
    if _AMENDED_BY_BEFORE.search(text[max(0, m.start() - 240):m.start()]):
        return True
    after = _DATED_AFTER.match(text, end) or _DATED_AFTER_ITS_AGREEMENT.match(text, end)
    if after is None:
        return False
    found = find_dates(text, after.end(), min(len(text), after.end() + 60), date_order=date_order)
    return bool(found) and found[0].start == after.end()


# an amendment's name and "to" before an agreement's name: "SECOND AMENDMENT TO ", "Amendment to the "
_AMENDMENT_NAME_TO_BEFORE = re.compile(
    rf"(?:\b(?:{_AMENDMENT_NAME})|\bAmendment)\s+(?:to|of)\s+(?:that\s+certain\s+|the\s+)?$", F)


def _ends_its_own_name(text: str, at: int, anchor: re.Match, number: int | None) -> bool:
    """Whether the agreement named at ``at`` ends the amendment's own whole name in its heading, at
    a line's start ("SECOND AMENDMENT TO MASTER SERVICES AGREEMENT"): a date right after it may be
    the amendment's. In a sentence ("This First Amendment to the Supply Agreement dated April 1,
    2017") the date is the agreement's, as filings write it."""
    m = _AMENDMENT_NAME_TO_BEFORE.search(text[max(0, at - 80):at])
    if m is None or re.search(r"\w", text[text.rfind("\n", 0, anchor.start()) + 1:anchor.start()]):
        return False
    start = max(0, at - 80) + m.start()
    # a plain "AMENDMENT TO ..." is its own name whatever number the earlier ones named give it
    named = _named_number(m) if m.group("ord") or m.group("num") else number
    return anchor.start() <= start <= anchor.end() and named == number


# the amendment's own sentence dating it, before the date: "This Second Amendment (this "Amendment")
# is entered into as of", "This Amendment No. 2 is dated": no agreement or other amendment named between
_THIS_AMENDMENT = (r"\bThis\s+(?:[\w.#-]+\s+){0,4}?Amendment\b(?:\s+(?:No\.?|Number|#)\s*\w+)?(?:\([^)]{0,60}\)|"
                   r"(?!\b(?:agreement|amendment|amends?|contract)\b)[^.(]){0,120}?")
_OWN_DATE_BEFORE = re.compile(
    _THIS_AMENDMENT + r"\b(?:(?:made\s+and\s+)?entered\s+into|made|dated|executed)\s+(?:as\s+of\s+|on\s+)?(?:the\s+)?$", F)
# ... saying when it takes effect: "This Second Amendment is entered into effective as of"
_OWN_EFFECT_BEFORE = re.compile(_THIS_AMENDMENT + r"\beffective\s+(?:as\s+of\s+|on\s+|from\s+)?(?:the\s+)?$", F)
# ... or that it is dated by the date its heading gives: "effective as of the date first written above"
_OWN_DATE_ABOVE = re.compile(
    _THIS_AMENDMENT + r"\b(?:(?:made\s+and\s+)?entered\s+into|made|dated|executed|effective)\s+(?:and\s+effective\s+)?"
    rf"(?:as\s+of|on)\s+(?:{DATE_FIRST_WRITTEN_ABOVE})", F)


def _heading_date_is_the_agreements(text: str, anchor: re.Match, heading_date: FoundDate,
                                    date_order: str = "US") -> bool | None:
    """Whose the date after the agreement's name in the amendment's own heading is, when no other
    date of the agreement is given: the amendment's (False) when its own sentence dates it so ("This
    Second Amendment is dated as of June 1, 2026", "... effective as of the date first written
    above", even when it is executed on another day); the agreement's (True) when that sentence dates
    the amendment a later day ("AMENDMENT NO. 1 TO SUPPLY AGREEMENT DATED JUNE 3, 2023" entered into
    as of September 15, 2026); else not known (None): a person links it, rather than a wrong
    agreement amended (a day after the amendment's own is no amended agreement's)."""
    limit = _recitals_end(text, anchor)
    signed, effective = set(), set()
    for found in find_dates(text, anchor.end(), limit, date_order=date_order):
        before = text[max(0, found.start - 240):found.start]
        if _OWN_DATE_BEFORE.search(before):
            signed.add(found.value)
        elif _OWN_EFFECT_BEFORE.search(before):
            effective.add(found.value)
    if heading_date.value in signed | effective or _OWN_DATE_ABOVE.search(text, anchor.end(), limit):
        return False
    if signed and all(heading_date.value < day for day in signed):
        return True
    return None


def _own_days(text: str, anchor: re.Match, date_order: str = "US", signed: bool = False) -> list[str]:
    """The days (ISO) the amendment's own sentence gives itself in its heading or recitals ("This
    Amendment is entered into as of February 1, 2027", "... effective ..."); with ``signed`` only the
    days it is entered into, made or dated (an amendment may take effect before the agreement's day)."""
    days = []
    for found in find_dates(text, anchor.start(), _recitals_end(text, anchor), date_order=date_order):
        before = text[max(0, found.start - 240):found.start]
        if _OWN_DATE_BEFORE.search(before) or (not signed and _OWN_EFFECT_BEFORE.search(before)):
            days.append(found.value.isoformat())
    return days


def own_date_at(text: str, start: int) -> bool:
    """Whether the date at ``start`` is the amendment's own, as its own sentence states it ("This
    Second Amendment ... is entered into as of March 10, 2026"), even when it is the amended one's day."""
    return _OWN_DATE_BEFORE.search(text[max(0, start - 240):start]) is not None


def _earlier_amendment(text: str, anchor: re.Match, number: int | None, amends: str | None,
                       date_order: str = "US") -> tuple[str, FoundDate] | None:
    """The first earlier amendment the heading or recitals name with its date ("the First Amendment
    dated March 10, 2026", "Amendment No. 1 dated ..."), as (its name, the date found): one of
    a lower number than this amendment's (when it has one), not called "this" (its own name), of the
    agreement ``amends`` (when named)."""
    named = (amends, 0) if amends else None
    for m in _EARLIER_DATED.finditer(text, anchor.start(), _recitals_end(text, anchor)):
        if not _earlier_than(text, m, number) or not _of_the_agreement(text, anchor.start(), m.start(),
                                                                         m.end("name"), named):
            continue
        found = find_dates(text, m.end(), min(len(text), m.end() + 60), date_order=date_order)
        if found and found[0].start == m.end():
            # its whole name when given: "First Amendment to Master Services Agreement"
            parts = [" ".join(m.group(g).strip(" ,").split()) for g in ("name", "agreement") if m.group(g)]
            return " to ".join(_titled(p) if p.isupper() else p for p in parts), found[0]
    return None


def _titled(name: str) -> str:
    """A name given in capitals, as written in a sentence: "First Amendment to Master Services Agreement"."""
    return " ".join(w.lower() if w in ("TO", "OF", "THE", "AND", "FOR") else w.title() for w in name.split())


def _earlier_than(text: str, m: re.Match, number: int | None) -> bool:
    """Whether the amendment a match of ``_AMENDMENT_NAME`` names is an earlier one than this
    amendment (numbered ``number``): not its own number, nor a later one ("a Second Amendment
    effective January 1, 2027" in a First Amendment), nor called "this" (its own name)."""
    named = _named_number(m)
    return named is not None and named != number and (number is None or named < number) \
        and not re.search(r"\bthis\s*$", text[max(0, m.start() - 10):m.start()], F)


# an earlier amendment's name before the agreement's: "the First Amendment to ", "Amendment No. 1 to the "
_AMENDMENT_TO_BEFORE = re.compile(rf"\b(?:{_AMENDMENT_NAME})\s+(?:to|of)\s+(?:that\s+certain\s+|the\s+)?$", F)


def _ends_an_earlier_amendments_name(text: str, at: int, number: int | None, anchor: re.Match) -> bool:
    """Whether the agreement named at ``at`` ends an earlier amendment's whole name ("the First
    Amendment to Master Services Agreement dated March 10, 2026", "the Amendment to Services Agreement
    dated ..." in a Second Amendment's recitals): the date after it is that amendment's, not the
    agreement's (which "the Master Services Agreement dated March 10, 2026, as amended by the First
    Amendment" gives)."""
    m = _AMENDMENT_TO_BEFORE.search(text, max(0, at - 80), at)
    if m is not None:
        return _earlier_than(text, m, number)
    plain = _PLAIN_AMENDMENT_TO_BEFORE.search(text, max(0, at - 80), at)
    return plain is not None and number is not None and not anchor.start() <= plain.start() <= anchor.end()


# an unnumbered amendment another names: "the Amendment to ", "that certain Amendment of "
_PLAIN_AMENDMENT_TO_BEFORE = re.compile(r"\b(?:the|that\s+certain)\s+Amendment\s+(?:to|of)\s+(?:the\s+)?$", F)


# the words before a date a changing clause states for itself: "With effect from March 1, 2028",
# "This change takes effect on 1 January 2027", "effective as of July 1, 2027"
_OWN_EFFECT_CUE = re.compile(
    r"(?:\bwith\s+effect\s+(?:from|on|as\s+of)|\btakes?\s+effect\s+(?:on|from|as\s+of)|"
    r"\b(?:becomes?|be|is|are)\s+effective\s+(?:on|from|as\s+of)|\beffective\s+(?:as\s+of|from|on))"
    r"\s+(?:the\s+)?(?:date\s+of\s+)?$", F)
# a numbered clause's heading at the start of a line: "2. Notice.", "3.1 "
_CLAUSE_HEADING = re.compile(r"^[ \t]*\d+(?:\.\d+)*\.?[ \t]+(?=[A-Z])", re.MULTILINE)
_CLAUSE_REACH = 600  # characters of a clause before and after a term's own words that are read


def _clause_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The numbered clause holding ``text[start:end]``: from its heading (at most ``_CLAUSE_REACH``
    before) to the next heading (at most ``_CLAUSE_REACH`` after)."""
    headings = [m.start() for m in _CLAUSE_HEADING.finditer(text, max(0, start - _CLAUSE_REACH),
                                                             min(len(text), end + _CLAUSE_REACH))]
    begin = max([h for h in headings if h <= start], default=max(0, start - _CLAUSE_REACH))
    finish = min([h for h in headings if h >= end], default=min(len(text), end + _CLAUSE_REACH))
    return begin, finish


def own_effective_dates(doc: Document, terms: dict[str, Term | None],
                        excluded: tuple[tuple[int, int], ...] = (), date_order: str = "US") -> None:
    """Each term an amendment states whose clause says when its change takes effect ("With effect
    from March 1, 2028, Section 3 ... is amended", "This change takes effect on 1 January 2027"):
    the date, with the words, on the term (``extra["takes_effect"]``: ``{"date", "text"}``); two
    different dates in one clause are not chosen between (``extra["takes_effect_unclear"]``: the
    words, for a person). The amended agreement's date (``excluded``) is never one. Whether the date
    matters (later than the amendment's own) is for the one applying it (pipeline/record.py)."""
    for name, term in list(terms.items()):
        if term is None or term.evidence is None or term.evidence.page < 1 or name in _NOT_CHANGES:
            continue
        at = doc.page_starts[term.evidence.page - 1] + term.evidence.start
        begin, finish = _clause_of(doc.text, at, at + len(term.evidence.text))
        said: dict[str, str] = {}
        for found in find_dates(doc.text, begin, finish, date_order=date_order):
            if any(s < found.end and found.start < e for s, e in excluded):
                continue
            cue = _OWN_EFFECT_CUE.search(doc.text[max(begin, found.start - 60):found.start])
            if cue is not None:
                words = " ".join(doc.text[found.start - len(cue.group(0)):found.end].split())
                said.setdefault(found.value.isoformat(), words)
        if len(said) == 1:
            day, words = next(iter(said.items()))
            terms[name] = replace(term, extra={**term.extra, "takes_effect": {"date": day, "text": words}})
        elif said:
            terms[name] = replace(term, extra={**term.extra, "takes_effect_unclear": "; ".join(said.values())})


# terms that date the amendment itself, not a change it makes
_NOT_CHANGES = frozenset({"effective_date", "agreement_date", "notice_deadline"})
