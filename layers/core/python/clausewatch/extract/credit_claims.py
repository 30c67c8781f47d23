"""The window to claim service credits ("request a service credit in writing within thirty (30)
days after the end of the affected month"): the deadline the customer's claim has, read from the
credits' own clause (up to the next heading) or from a subclause of its own about claiming them
("4.3 Credit Requests. To receive a credit, ..."), never from another section's "request for a
credit". Used by ``credits.read_credit_tiers`` for a table's window and alone for credits in prose."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..dates import Duration
from .context import Context, F
from .document import Document, Span
from .numbers import DURATION_RE, NUMBER, duration_of, number_value

# the words that make a duration a deadline ("within", "no later than", "not later than"), and what it
# counts from when the sentence attaches it ("... days after the end of the affected month", "... days of the
# incident": a day no metrics file gives, so no deadline is counted from it)
_DEADLINE_WORDS = r"\b(?:within|no\s+later\s+than|not\s+later\s+than|no\s+more\s+than|not\s+more\s+than)"
_DEADLINE = re.compile(_DEADLINE_WORDS, F)
_DEADLINE_BEFORE = re.compile(rf"{_DEADLINE_WORDS}\s+(?:a\s+period\s+of\s+)?$", F)
# a day boundary is the end of a measured period, named only by words from an allow-list before "month", "quarter"
# or "period" ("the affected month", "each calendar month", "the Measurement Period", "the month in which ..."); the
# end of any other period is a moment of the incident's ("the period of Downtime", "any period of unavailability",
# "the impact period", "the Service Disruption period"): no claim day is counted from it (one counted from the
# measured period would be weeks late)
_OF_THE_PERIOD = r"(?:affected|applicable|relevant|respective|current|previous|preceding|prior|same|said|such)"
_MEASURED = r"(?:measurement|measured|measuring|service\s+level|sla|billing|calendar|monthly|quarterly|reporting)"
_INCIDENT_WORDS = r"(?:incident|outage|downtime|occurrence|event|failure|interruption|unavailability|maintenance)"
_FROM_PERIOD_END = re.compile(r"\s*(?:after|following|from|of)\s+(?:the\s+)?end\s+of\s+(?:the|each|that|any)\s+"
                              rf"(?:(?:{_OF_THE_PERIOD}\s+)?(?:{_MEASURED}\s+)?(?:month|quarter)\b|"
                              rf"(?:{_OF_THE_PERIOD}\s+)?(?:{_MEASURED}\s+){{1,2}}period\b(?!\s+of\b))", F)
_FROM_INCIDENT = re.compile(r"\s*(?:after|following|from|of)\s+(?:the\s+end\s+of\s+)?(?:the|such|any|each|that|its|an?)"
                            rf"\s+(?:[\w-]+\s+){{0,2}}?{_INCIDENT_WORDS}\b|"
                            r"\s*(?:after|following|from|of)\s+(?:the\s+)?end\s+of\s+(?:the|such|any|each|that|its|an?)\s+"
                            r"(?:[\w-]+\s+){0,3}?(?:month|quarter|period)\b", F)
# a deadline counted from an invoice ("... after the end of the month in which the invoice was issued", "of receipt
# of the invoice"): the invoice's day is not the measured period's, and no metrics file gives it, so it is read as
# counted from "the invoice" and no claim day is counted from it (the breach says so)
_FROM_INVOICE = re.compile(r"\binvoic\w*", F)
_PERIOD_END, _INCIDENT, _NOT_SAID = "end of the measured period", "the incident", "end of the measured period (assumed)"
_INVOICE = "the invoice"
# a moment of the incident's named before the window, its words after naming none ("Upon restoration credit requests
# must be submitted within thirty (30) days", "Following an outage, Customer must request a credit within ..."): the
# window counts from it, not from a measured period's end
_AFTER_INCIDENT = re.compile(r"\b(?:upon|after|following)\s+(?:(?:the|an?|any|such|each|its)\s+)?(?:[\w-]+\s+){0,2}?"
                             rf"(?:restor\w*|resol(?:ution|ved)|{_INCIDENT_WORDS})\b", F)
# a start named but not read ("within twenty-four (24) hours of its start", "of receipt"): not a window stated without
# its start, so a window stated from the month's end does not beat it; said as _NOT_SAID when it is the only start
_NOT_READ = "a day not read"
_NAMES_START = re.compile(r"\s*(?:after|following|from|of|since|upon|before)\b", F)
# a deadline in hours (read as hours, "PT72H": no day stands for it), in business hours (read, not counted) or
# minutes (not read)
# ("48 business-hours" too)
_HOURS = re.compile(rf"{NUMBER}\s*(?:-\s*)?(?P<business>(?:business|working)(?:\s*-\s*|\s+))?(?P<hour_unit>hours?|minutes?)\b",
                    F)


@dataclass(frozen=True)
class Hours:
    """A window in hours ("within seventy-two (72) hours of the incident"): kept as hours, ISO 8601 "PT72H",
    never rounded to days (a deadline at an hour of a day is not the end of that day)."""

    hours: int

    def iso(self) -> str:
        return f"PT{self.hours}H"


@dataclass(frozen=True)
class NotCounted:
    """A window read but not counted ("within forty-eight (48) business hours"): business hours are the hours and
    days the contract's definition of them gives, if it gives one, so no claim day is counted from it and the
    breach says so (``claim_window_not_counted``: "48 business hours")."""

    words: str


# a sentence's clauses (a window is the deadline of the act its own clause names), the customer's act of
# claiming or of meeting a condition of the claim ("must log a support ticket within two (2) days of the
# incident"), and another act with its own deadline (the supplier issuing, answering or reporting)
_CLAUSE_START = re.compile(r"[,;:]|\band\b|\bbut\b", F)
_CLAIM_VERB = re.compile(r"\b(?:request|claim|submit|notif|apply\s+for|ask)\w*|"
                         r"\b(?:must|shall|should|will|may|to)\s+(?:\w+\s+)?(?:log|report|open|file|raise)\b", F)
_OTHER_ACT = re.compile(r"\b(?:will|shall|must|may|agrees?\s+to)\b|\b(?:issue|respond|reply|pay|refund|process|"
                        r"grant|provide|review|confirm|appl(?:y|ied))\w*", F)
# the parties a clause names and the one that acts in it: the first named before its verb. The supplier's act
# is not the customer's, whoever else it names ("Provider will notify Customer of the Availability within ...",
# "We will notify you ..."), but for its receiving the customer's claim ("Provider must receive Customer's
# request ... within", "Requests must be received by Provider within ...": the customer's deadline)
_PARTY = re.compile(r"\b(?:(?P<customer>customer|client|licensee|subscriber|you)|provider|supplier|vendor|licensor|"
                    r"we)\b", F)
_VERB = re.compile(r"\b(?:will|shall|must|may|should|can|agrees?\s+to|is|are)\b", F)
_RECEIVES = re.compile(r"\breceiv(?:e|es|ed)\b", F)
# a clause naming no party: whose act its passive verb is, the customer's ("Credit requests must be submitted
# within ...") or the supplier's ("The request will be answered / reviewed / credited within ..."). A verb
# anyone's act may be (made, sent, given, reported ...) is the customer's only when what is acted on is a
# request, claim, notice or ticket ("Credit requests must be sent within ..."), not "Availability will be
# reported within ..." nor "Service credits will be given within ..." (the supplier's)
_PASSIVE = r"\b(?:be|been|is|are)\s+(?:\w+\s+)?"
_CUSTOMER_PASSIVE = re.compile(rf"{_PASSIVE}(?:requested|claimed|filed|lodged|raised|logged|presented)\b", F)
# "submitted" is the customer's when a request, claim or ticket is ("Credit requests must be submitted within"), or
# when the clause names nothing submitted ("... and must be submitted within"), not "Outage reports will be submitted"
_SUBMITTED = re.compile(rf"{_PASSIVE}submitted\b", F)
_NO_SUBJECT = re.compile(r"\s*(?:(?:must|shall|will|may|should|can|also|then|only)\s+)*", F)
_EITHER_PASSIVE = re.compile(rf"{_PASSIVE}(?:made|sent|delivered|received|reported|given)\b", F)
_CLAIM_SUBJECT = re.compile(r"\b(?:requests?|claims?|notices?|notifications?|tickets?)\b", F)
_SUPPLIER_PASSIVE = re.compile(rf"{_PASSIVE}(?:answered|reviewed|credited|issued|processed|paid|applied|refunded|"
                               r"granted|confirmed|acknowledged|resolved|investigated|evaluated|approved|decided|"
                               r"determined|provided|responded|verified|assessed|calculated|rejected|denied|"
                               r"honou?red|settled)\b", F)
# the supplier's time, in a clause naming no customer ("with a response within four (4) business hours", "The target
# response time for credit requests is within ..."): a response, restoration or acknowledgement, never the claim
_SUPPLIER_TIME = re.compile(r"\b(?:respon[sd]\w*|restor\w*|acknowledg\w*|resol(?:ve|ved|ves|ving|ution)s?)\b", F)
_CREDIT = re.compile(r"\bcredits?\b", F)
# a window in business hours counts only as the claim's own: the clause asks for the credit ("must request",
# "Credit requests must be submitted", "must notify Provider within"), not a condition of it ("notify Provider of the
# outage", "log a support ticket")
_CLAIM_ITSELF = re.compile(r"\b(?:request|claim|submit|apply\s+for)\w*|\bnotif\w*", F)
_CONDITION = re.compile(rf"\b(?:ticket|log|report|open)\w*|\bof\s+(?:the|an?|any|such|each)\s+(?:[\w-]+\s+){{0,2}}?"
                        rf"{_INCIDENT_WORDS}\b", F)
# a window chosen among others ("... or three (3) business days, whichever is later"): which ends when is not read
_WHICHEVER = re.compile(r"\bwhichever\b", F)
# its length (None: not read), what it counts from and the unit of the period whose end that is, when the words say
# one ("the month in which the outage occurred": "month"; "the billing period": "billing period")
Deadline = tuple[Duration | Hours | NotCounted | None, str, str | None]


def _deadlines(sentence: str, claimed: bool = True) -> list[Deadline]:
    """The customer's deadlines the sentence states: each duration that is a deadline ("within", "no later
    than"; not "up to three (3) months per year") whose clause is the customer's claim or a condition of
    it, with what it counts from. ``claimed``: whether a clause with no verb of its own ("and in any event
    within ...") at the sentence's start goes with a claim (the claim's own sentence) or not."""
    deadlines: list[Deadline] = []
    if _WHICHEVER.search(sentence):
        # "within 72 hours or 3 business days, whichever is later": the later of two windows, not read
        return [(None, _NOT_SAID, None)] if _DEADLINE.search(sentence) else []
    found = sorted([*DURATION_RE.finditer(sentence), *_HOURS.finditer(sentence)], key=lambda d: d.start())
    for d in found:
        if not _DEADLINE_BEFORE.search(sentence[max(0, d.start() - 40):d.start()]):
            continue
        clause = _CLAUSE_START.split(sentence[:d.start()])[-1]
        party = _acting_party(clause)
        own = False  # the clause's own subject or verb makes it the customer's (not carried from the one before)
        if party != "customer" and _SUPPLIER_TIME.search(clause) and not _asks_credit(clause, party):
            claimed = False  # the supplier's response, restore or acknowledgement time
        elif party == "supplier":
            claimed = own = bool(_RECEIVES.search(clause))  # the supplier's act, but for receiving the claim
        elif party is None and (act := _passive_act(clause)):
            claimed = own = act == "customer"  # "Requests must be submitted within", not "will be answered within"
        elif _CLAIM_VERB.search(clause):
            claimed = own = True
        elif _OTHER_ACT.search(clause):
            claimed = False  # another act's deadline ("Supplier will issue the credit within ten (10) days")
        if not claimed:
            continue
        if d.re is _HOURS and d.group("business") and not (own and _claims_itself(clause)):
            continue  # business hours of a condition or of a clause with no verb of its own: not the claim's
        period = duration_of(d) if d.re is DURATION_RE else _hours_of(d)
        if _FROM_INVOICE.search(_CLAUSE_START.split(sentence[d.end():])[0]):
            deadlines.append((period, _INVOICE, None))  # counted from an invoice: a day the metrics never give
            continue
        period_end = _FROM_PERIOD_END.match(sentence, d.end())
        start = (_PERIOD_END if period_end else
                 _INCIDENT if _FROM_INCIDENT.match(sentence, d.end()) else
                 _NOT_READ if _NAMES_START.match(sentence, d.end()) else
                 _INCIDENT if _AFTER_INCIDENT.search(sentence, 0, d.start()) else _NOT_SAID)
        deadlines.append((period, start, _unit(period_end)))
    return deadlines


def _asks_credit(clause: str, party: str | None) -> bool:
    """Whether ``clause``, naming no party, is the customer's request of a credit by its subject, whatever else it
    names ("Upon restoration credit requests must be submitted within ..."): the customer's window, not the supplier's
    time (``_SUPPLIER_TIME``)."""
    return party is None and _passive_act(clause) == "customer" and bool(_CREDIT.search(clause))


def _claims_itself(clause: str) -> bool:
    """Whether the customer's ``clause`` asks for the credit itself, not for a condition of it (``_CONDITION``):
    "Customer must request a service credit", not "Customer must notify Provider of the outage"."""
    return bool(_CLAIM_ITSELF.search(clause)) and not (
        _CONDITION.search(clause) and not re.search(r"\b(?:request|claim|submit|apply\s+for)\w*", clause, F))


def _unit(period_end: re.Match[str] | None) -> str | None:
    """The unit of the period a window counts from the end of, when its words say one: "month", "quarter" or
    "billing period" (whose length is the fees'), else None (the measured period itself)."""
    words = period_end.group(0).lower() if period_end else ""
    unit = re.search(r"\b(month|quarter)\b", words) or re.search(r"\bbilling\s+period\b", words)
    return None if unit is None else re.sub(r"\s+", " ", unit.group(0))


def _hours_of(match: re.Match[str]) -> Hours | NotCounted | None:
    """The window in hours of an ``_HOURS`` match (business hours: not counted; None: minutes, or a number not
    read)."""
    n = number_value(match)
    if not n or not match.group("hour_unit").lower().startswith("hour"):
        return None
    return NotCounted(f"{n} business hours") if match.group("business") else Hours(n)


def _passive_act(clause: str) -> str | None:
    """Whose act the last passive verb of ``clause`` is, "customer" or "supplier" (None: none known)."""
    acts = [(m.start(), "customer") for m in _CUSTOMER_PASSIVE.finditer(clause)]
    acts += [(m.start(), "customer" if _CLAIM_SUBJECT.search(clause, 0, m.start()) else "supplier")
             for m in _EITHER_PASSIVE.finditer(clause)]
    acts += [(m.start(), "customer" if _CLAIM_SUBJECT.search(clause, 0, m.start()) or _NO_SUBJECT.fullmatch(
        clause[:m.start()]) else "supplier") for m in _SUBMITTED.finditer(clause)]
    acts += [(m.start(), "supplier") for m in _SUPPLIER_PASSIVE.finditer(clause)]
    return max(acts)[1] if acts else None


def _acting_party(clause: str) -> str | None:
    """Who acts in ``clause``, "customer" or "supplier": the first party named before its verb, else the
    customer when named after it ("Credits are issued to Customer"), else the supplier when named, else None."""
    verb = _VERB.search(clause)
    parties = list(_PARTY.finditer(clause))
    subject = next((p for p in parties if verb is None or p.start() < verb.start()), None)
    if subject is None and parties:
        subject = next((p for p in parties if p.group("customer")), parties[0])
    if subject is None:
        return None
    return "customer" if subject.group("customer") else "supplier"


def _claim_window(deadlines: list[Deadline]) -> dict[str, str] | None:
    """The window to claim a credit of the customer's ``deadlines`` (P30D "within thirty (30) days after
    the end of the affected month" -> {"claim_window": "P30D", "claim_from": "end of the measured
    period"}), and what it counts from (``(assumed)``: not said; "the incident"; "the invoice"; no claim deadline is
    counted from any of these). Two windows stated: the shorter binds, said in ``claim_window_why``; none when
    which is shorter is unclear (months against days, business days against calendar days, or counted
    from different days: a ticket within two days of the incident and a claim within thirty days after
    the end of the month), or when one is not read (minutes), or hours beside days. A window read but not
    counted (business hours) gives ``claim_window_not_counted`` instead, whatever the others: the one that binds
    may be it, so no claim day is counted and the breach says why. A window whose start is stated beats one whose start
    is not ("within thirty (30) days after the end of the affected month" over "within 60 days", said in
    ``claim_window_why``); two stated from different days give ``claim_windows_apart`` ("P30D from end of the
    measured period; P60D from the incident"): no claim day, said."""
    window = _claim_window_of(kept := _stated_over_unstated(deadlines))
    set_aside = [d[0].iso() for d in deadlines if isinstance(d[0], Duration | Hours) and d not in kept]
    if window and "claim_window" in window and set_aside:  # which window binds says the one set aside too
        beats = (f"the window stated from its start binds over {', '.join(dict.fromkeys(set_aside))} stated without "
                 "its start")
        window["claim_window_why"] = "; ".join(filter(None, (window.get("claim_window_why"), beats)))
    return window


def _claim_window_of(deadlines: list[Deadline]) -> dict[str, str] | None:
    """``_claim_window`` of ``deadlines`` whose windows stated without their start were set aside."""
    not_counted = [period.words for period, *_ in deadlines if isinstance(period, NotCounted)]
    if not_counted:
        start = next(start for period, start, _ in deadlines if isinstance(period, NotCounted))
        return {"claim_window_not_counted": "; ".join(dict.fromkeys(not_counted)), "claim_from": _said(start)}
    if not deadlines or any(period is None for period, *_ in deadlines):
        return None  # a deadline not read: no other one stands for it
    if len({start for _, start, _ in deadlines}) > 1:
        # counted from different days: which ends first is not known
        apart = "; ".join(dict.fromkeys(f"{period.iso()} from {start}" for period, start, _ in deadlines
                                        if isinstance(period, Duration | Hours)))
        return {"claim_windows_apart": apart}
    hours = [period for period, *_ in deadlines if isinstance(period, Hours)]
    if hours:
        return _window_in_hours(hours, deadlines) if len(hours) == len(deadlines) else None
    periods = [period for period, *_ in deadlines if isinstance(period, Duration)]
    period, start = periods[0], _said(deadlines[0][1])
    why = None
    if len({p.iso() for p in periods}) > 1:
        shortest = _shortest(periods)
        if shortest is None:
            return None
        period = shortest
        why = f"the shorter of the windows stated ({', '.join(p.iso() for p in periods)})"
    value = {"claim_window": period.iso(), "claim_from": start, **_unit_of(deadlines)}
    if why:
        value["claim_window_why"] = why
    return value


def _stated_over_unstated(deadlines: list[Deadline]) -> list[Deadline]:
    """``deadlines`` without the windows read whose start is not stated when one read states its start (the
    windows not read stay: no other one stands for them)."""
    if not any(period is not None and start != _NOT_SAID for period, start, _ in deadlines):
        return deadlines
    return [d for d in deadlines if d[0] is None or d[1] != _NOT_SAID]


def _said(start: str) -> str:
    """What a window counts from as said on the term: a start named but not read is one not said (assumed)."""
    return _NOT_SAID if start == _NOT_READ else start


def _window_in_hours(hours: list[Hours], deadlines: list[Deadline]) -> dict[str, str]:
    """The shortest of windows in ``hours`` ("PT72H"), saying which binds when two are stated."""
    start = _said(deadlines[0][1])
    shortest = min(hours, key=lambda h: h.hours)
    value = {"claim_window": shortest.iso(), "claim_from": start, **_unit_of(deadlines)}
    if len({h.hours for h in hours}) > 1:
        value["claim_window_why"] = f"the shorter of the windows stated ({', '.join(h.iso() for h in hours)})"
    return value


def _unit_of(deadlines: list[Deadline]) -> dict[str, str]:
    """``claim_from_unit``: the unit of the period the windows count from the end of ("month"), when they say one
    (a month's end is not a quarter's: a window from the end of the incident's month gives no day for a quarter)."""
    units = {unit for *_, unit in deadlines if unit}
    return {"claim_from_unit": "; ".join(sorted(units))} if units else {}


def claim_from_unit_of(clause: str) -> str | None:
    """``claim_from_unit`` read again from a claim window's stored clause ("... within thirty (30) days after the end
    of the affected month" -> "month"): for terms stored before it was always kept."""
    return _unit_of(_deadlines(clause)).get("claim_from_unit")


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
# "Credit requests must be submitted within ...": the customer's claim, though no party is named
CREDIT_REQUESTS_SUBMITTED = (r"\bcredits?\s+(?:requests?|claims?)\b[^.]{0,40}?\bbe\s+(?:submitted|made|filed|sent|"
                             r"lodged|received)\b")
# "Service credits are forfeited unless claimed within ...", "In order to be eligible for Service Credits,
# Customer must notify Provider within ...": the customer's claim too
CREDITS_FORFEITED = (r"\bcredits?\b[^.]{0,40}?\b(?:forfeit\w*|waived|lost)\s+unless\s+(?:\w+\s+){0,2}?"
                     r"(?:claimed|requested|submitted)\b|"
                     r"\bin\s+order\s+to\s+(?:receive|obtain|qualify\s+for|be\s+eligible\s+for)\s+(?:(?:a|any|the|such)\s+)?"
                     r"(?:service\s+)?credits?\b[^.]{0,80}?\b(?:request|claim|notif|submit)")
_CLAIM_WITHOUT_TIERS = re.compile(
    rf"\b(?:request|claim|apply\s+for|submit)\w*\b[^.]{{0,80}}?\bcredits?\b{_NOT_SERVICE}|"
    rf"\bto\s+(?:receive|obtain|qualify\s+for|be\s+eligible\s+for)\s+(?:a|any|the|such)\s+(?:service\s+)?credits?\b"
    rf"{_NOT_SERVICE}[^.]{{0,80}}?\b(?:request|claim|notif|submit)|"
    rf"\bcredits?\b{_NOT_SERVICE}[^.]{{0,40}}?\bbe\s+(?:requested|claimed)\b|{CREDIT_REQUESTS_SUBMITTED}|"
    rf"{CREDITS_FORFEITED}", F)
# the next heading, whatever its case ("4. GOVERNING LAW", "5.2 Billing Disputes", "Section 6. Invoices"),
# or a blank line: a claim window past it is another clause's. After a credit table, a blank line ends
# the clause only before a heading ("\n\nBilling Disputes."): a table's notes often follow a blank line.
_NUMBERED_HEADING = (r"(?:\n|(?<=[.;:])[ \t])[ \t]*(?i:section|article)[ \t]+\d+(?:\.\d+)*\b|"
                     r"\n[ \t]*(?:\d+\.(?:\d+\.?)*|\d+(?=[ \t]+[A-Z]))[ \t]+(?=[A-Za-z(])")
_NEXT_SECTION = re.compile(rf"\n[ \t]*\n|{_NUMBERED_HEADING}")
_TITLE_WORD = r"(?:[A-Z][\w'&/-]*|of|and|or|for|the|to|in|on|a|an)"
NEXT_HEADING = re.compile(rf"\n(?=[ \t]*\n[ \t]*{_TITLE_WORD}(?:[ \t]+{_TITLE_WORD}){{0,7}}[ \t]*(?:[.:]|\n))|"
                          rf"{_NUMBERED_HEADING}")
# the number a heading gives its clause ("4.3 Credit Requests" -> 4.3, "Section 4" -> 4)
_HEADING_NUMBER = re.compile(r"\s*(?:(?i:section|article)[ \t]+)?(\d+(?:\.\d+)*)\.?[ \t]+(?=[A-Za-z(])")


def clause_end(text: str, pos: int, limit: int, headings: re.Pattern[str] = _NEXT_SECTION) -> int:
    """Where the clause that ``pos`` is in ends: at the next of ``headings`` before ``limit``, else ``limit``."""
    heading = headings.search(text, pos, limit)
    return heading.start() if heading else limit


def claim_in(doc: Document, start: int, end: int, claim: re.Pattern[str]) -> tuple[dict[str, str], Span] | None:
    """The claim window of the first sentence in ``[start, end)`` that ``claim`` finds, that claims no
    other kind of credit (``claims_another_credit``) and that states one (not a title: "4.3 Claims for
    Credits"), with that sentence clipped to the clause, or None. The customer's other deadlines in the
    clause count with it ("Any request not received within ten (10) days of the incident is waived":
    none, the two windows start on different days)."""
    for found in claim.finditer(doc.text, start, end):
        sentence = _clipped(doc.sentence(found.start(), found.end()), start, end)
        text = doc.text[sentence.start:sentence.end]
        deadlines = [] if claims_another_credit(text) else _deadlines(text)
        if not deadlines:
            continue
        window = _claim_window(deadlines + _conditions(doc, start, end, sentence))
        if window is not None:
            return window, sentence
    return None


# a sentence that states a window of the customer's claim or of a condition of it ("within ten (10) days",
# "within thirty (30) minutes"): when the credits' own clause states one that is not read (counted from an
# invoice, in minutes, another act's), no other clause's window is read in its stead
_WINDOW_CLAIM = re.compile(r"\b(?:claim|request|submit|notif|eligib|forfeit|waive|report|ticket)\w*", F)


def states_window(doc: Document, start: int, end: int) -> bool:
    """Whether a sentence in ``[start, end)`` that is about claiming (``_WINDOW_CLAIM``), not another credit's,
    states a deadline ("within", "no later than" a duration, hours or minutes)."""
    at = start
    while at < end:
        sentence = _clipped(doc.sentence(at), start, end)
        if sentence.end <= at:
            break
        text = doc.text[sentence.start:sentence.end]
        at = sentence.end
        if not _WINDOW_CLAIM.search(text) or claims_another_credit(text):
            continue
        if any(_DEADLINE_BEFORE.search(text[max(0, d.start() - 40):d.start()])
               for d in (*DURATION_RE.finditer(text), *_HOURS.finditer(text))):
            return True
    return False


def _clipped(span: Span, start: int, end: int) -> Span:
    return Span(max(span.start, start), min(span.end, end))


def _conditions(doc: Document, start: int, end: int, claim: Span) -> list[Deadline]:
    """The customer's deadlines stated in the other sentences of the clause ``[start, end)`` than the
    claim's (``claim``): a condition of the claim ("Customer must report any Downtime ... within
    twenty-four (24) hours"), never another kind of credit's window."""
    deadlines, at = [], start
    while at < end:
        sentence = _clipped(doc.sentence(at), start, end)
        if sentence.end <= at:
            break
        text = doc.text[sentence.start:sentence.end]
        apart = sentence.end <= claim.start or sentence.start >= claim.end
        if apart and not claims_another_credit(text):
            deadlines += _deadlines(text, claimed=False)
        at = sentence.end
    return deadlines


# what another kind of credit than the service's is for ("a credit for overbilling", "for unused prepaid
# fees upon termination", "Promotional Credits", "a referral", "Marketplace purchases", "unused Support Hours";
# not "the Services purchased")
_OTHER_CREDIT = re.compile(r"\b(?:invoic|bill|overbill|overpa|overcharg|disput|refund|terminat|unused|prepaid|promot|"
                           r"referr|tax|chargeback)\w*|\bpurchases?\b|\bsupport\s+hours?\b", F)
# what a claim is for, the only words of it that can name another credit (not the deadline's "end of the
# billing month", nor "to Provider's billing department" or "together with its invoice number"): the words
# before "credit" ("Promotional Credits"), the X of "a credit for / toward / instead of X", and what the claim
# asks for when not the credit itself ("submit any dispute of an invoice", "request a refund of prepaid fees")
_CREDIT_QUALIFIER = re.compile(r"(?:\b[\w-]+\s+){1,2}(?=credits?\b)", F)
_CREDIT_FOR = re.compile(r"\bcredits?\s+(?P<to>for|towards?|instead\s+of|in\s+lieu\s+of)\s+(?P<what>[^,.;:]{1,60})", F)
_CLAIMED = re.compile(r"\b(?:request|claim|submit|apply\s+for|seek)\w*\s+(?P<what>(?:(?!(?:to|with|within|together|by|"
                      r"via|through|at|in\s+writing|no|not)\b)[^\s,.;:]+\s+){1,8})", F)
# X is the service's failure ("a credit for any Downtime", "for the Services purchased"), else another credit
# ("a credit for a Partner Program bonus"); a credit toward future fees is how one is paid
_SERVICE_FAILURE = re.compile(r"\b(?:service\s+(?:level|failure|outage|interruption|unavailab)|sla\b|downtime|outage|"
                              r"unavailab|availab|uptime|incident|failure|interruption|breach|month|quarter|period|"
                              r"the\s+services?\b)", F)
_FEES = re.compile(r"\b(?:fees|charges)\b", F)
# a deadline up to the end of its clause: when the claim is due, not what it is for
_DEADLINE_PHRASE = re.compile(rf"{_DEADLINE_WORDS}.*?(?={_CLAUSE_START.pattern}|$)", F)


# what follows what a claim is for and only qualifies it ("credits for Downtime during termination assistance",
# "for Downtime (including ... any tax filing period)"): its words name no other credit
_QUALIFIES = re.compile(r"\s*\((?!\s*\d)|\s+(?:during|includ\w*|arising|caused|resulting|due\s+to|in\s+connection|that|which|"
                        r"occurring|while|when|whether)\b", F)


# words in what qualifies it that still make a claim another credit's: a billing error ("a credit for any month
# in which Customer was overcharged", "during which Customer was billed twice", "fees invoiced in error")
_BILLING_ERROR = re.compile(r"\b(?:overcharg|overbill|overpa|double[\s-]+(?:bill|charg)|invoic|refund|billed|"
                            r"billing\s+errors?)\w*|\bcharged\s+(?:twice|in\s+error)\b|\bin\s+error\b", F)


def _head(what: str) -> str:
    """What a claim is for, without what qualifies it ("Downtime during termination assistance" -> "Downtime"),
    unless what qualifies it names a billing error (then the whole: another credit's)."""
    qualified = _QUALIFIES.search(what)
    if qualified is None or _BILLING_ERROR.search(what, qualified.start()):
        return what
    return what[:qualified.start()]


def claims_another_credit(text: str) -> bool:
    """Whether the claim in ``text`` is for another kind of credit than the service's, by what it is for
    (``_CREDIT_QUALIFIER``, ``_CREDIT_FOR``, ``_CLAIMED``): billing, invoices, disputes, refunds, termination,
    unused or prepaid fees, promotions, referrals, tax, chargebacks, purchases or support hours, or "a
    credit for X" where X is not the service's failure, downtime or level; what only qualifies X ("Downtime
    during termination assistance") does not count."""
    text = _DEADLINE_PHRASE.sub(" ", text)  # "within thirty (30) days after the end of the billing month"
    claimed = [m.group(0) for m in _CREDIT_QUALIFIER.finditer(text)]
    claimed += [_head(m.group("what")) for m in _CLAIMED.finditer(text)]
    if any(_OTHER_CREDIT.search(what) for what in claimed):
        return True
    return any(_OTHER_CREDIT.search(what) or (
        not _SERVICE_FAILURE.search(what) and not (to.lower().startswith("toward") and _FEES.search(what)))
        for to, what in ((m.group("to"), _head(m.group("what"))) for m in _CREDIT_FOR.finditer(text)))


def read_claim_without_tiers(ctx: Context) -> None:
    """Credits stated in prose, no table read ("a service credit of 5% of the monthly fee ...
    Customer must request a service credit within thirty (30) days after the end of the affected
    month"): the claim window alone, as ``service_credit_claim`` (its clause the sentence that
    states it), so a breach whose credit is to be checked by hand still gets its claim deadline.
    Only from a sentence that asks for a credit in the service credits' own clause: between the
    heading before a mention of service credits and the next heading (or blank line), so a request
    for "a credit" under "5.2 Billing Disputes" is never read as the claim of a service credit;
    else from a subclause of its own about claiming them (``claim_in_subclause``)."""
    doc = ctx.doc
    clauses = []
    for m in _SERVICE_CREDIT.finditer(doc.text):
        span = doc.sentence(m.start(), m.end())
        start = max([span.start] + [h.end() for h in _NEXT_SECTION.finditer(doc.text, span.start, m.start())])
        if not _titled_another_credit(doc.text, start):
            clauses.append((m.start(), start, clause_end(doc.text, m.end(), min(len(doc.text), span.end + 600))))
    found = next(filter(None, (claim_in(doc, start, end, _CLAIM_WITHOUT_TIERS) for _, start, end in clauses)), None)
    own = [(start, end) for _, start, end in clauses if start < clauses[0][2]]  # the first clause's mentions
    if found is None and not any(states_window(doc, start, end) for start, end in own):
        found = _claim_in_subclauses(doc, clauses) or (
            claim_in_later_subclause(doc, clauses[0][2], doc.text[clauses[0][1]:clauses[0][2]]) if clauses else None)
    if found is not None:
        window, claim_span = found
        ctx.terms["service_credit_claim"] = ctx.term(window, claim_span, derivation=window.get("claim_window_why"))


def _titled_another_credit(text: str, at: int) -> bool:
    """Whether ``at`` is in a numbered subclause whose title names another kind of credit than the
    service's ("9.3 Promotional Credit Requests. Customer must submit a request for a service credit ...")."""
    heading = _HEADING_NUMBER.match(text, text.rfind("\n", 0, at) + 1)
    title = re.match(r"[^.:\n]*(?=[.:\n])", text[heading.end():at]) if heading else None
    return bool(title and (_CREDIT_KIND.search(title.group(0)) or _OTHER_CREDIT.search(title.group(0))))


# a subclause about claiming credits: its title ("Credit Requests", "Claims for Credits") or its first
# sentence ("To receive a credit, ...", "Credits must be requested ..."), not one of invoices or billing
_CLAIM_TITLE = re.compile(r"(?:[\w-]+\s+){0,3}?(?:(?:service\s+)?credits?\s+(?:requests?|claims?)|"
                          r"(?:requests?|claims?)\s+for\s+(?:service\s+)?credits?|"
                          r"(?:requesting|claiming)\s+(?:service\s+)?credits?)(?:\s+(?:procedures?|process))?\s*$", F)
_CLAIM_OPENING = re.compile(rf"\s*(?:to\s+(?:receive|obtain|claim|request|qualify\s+for|be\s+eligible\s+for)\s+"
                            rf"(?:a|any|the|such)\s+(?:service\s+)?credits?\b{_NOT_SERVICE}|"
                            rf"(?:(?:any|all|such)\s+)?(?:service\s+)?credits?\s+(?:must|shall|will|may)\s+"
                            rf"(?:only\s+)?be\s+(?:requested|claimed)\b)", F)
# a subclause's title line, and the blank line under it
_TITLE_LINE = re.compile(r"[^.\n]*[.\n]?\s*")
# a title naming another kind of credit than the service's ("Promotional Credits", "Tax Credit Claims",
# "Loyalty Credit Requests"): a capitalised word before "credit" but the service's or a title's own words
_CREDIT_KIND = re.compile(r"\b(?!(?i:service|level|sla|availability|uptime|performance|downtime|hosting|outage|for|of|"
                          r"on|to|and|the|any|all|such|requesting|claiming|requests?|claims?)\b)[A-Z][\w-]*\s+"
                          r"(?i:credits?)\b")
# in such a subclause, the customer's request need not name the credit again ("Customer must submit a request ...")
_CUSTOMER_CLAIMS = re.compile(r"\b(?:customer|client|licensee|subscriber|you)\b[^.]{0,30}?\b(?:must|shall|may|should)"
                              r"\s+(?:\w+\s+){0,2}?(?:request|claim|submit|notify|apply)\w*", F)
_CLAIM_IN_SUBCLAUSE = re.compile(rf"{_CLAIM_WITHOUT_TIERS.pattern}|{_CUSTOMER_CLAIMS.pattern}", F)


def _claim_in_subclauses(doc: Document, clauses: list[tuple[int, int, int]]) -> tuple[dict[str, str], Span] | None:
    """``claim_in_subclause`` for each clause mentioning service credits (``(at, start, end)``), once per
    numbered clause: a clause that mentions them a hundred times has its subclauses looked at once."""
    headings = _numbered_headings(doc.text)
    looked = set()
    for at, _, end in clauses:
        heading = _heading_before(headings, at)
        number = _number(heading) if heading else () if _under_document_title(doc.text, at, headings) else None
        key = heading.start() if heading else -1
        if number is None or key in looked:
            continue
        looked.add(key)
        found = _claim_after(doc, number, end)
        if found is not None:
            return found
    return None


def claim_in_subclause(doc: Document, credits_at: int, credits_end: int) -> tuple[dict[str, str], Span] | None:
    """The claim window of a numbered subclause of its own that says how to claim the credits of the
    clause at ``credits_at`` (which ends at ``credits_end``): "4.2 Service Credits. ... \n4.3 Credit
    Requests. To receive a credit, Customer must submit a request within thirty (30) days ...". Only
    a subclause about claiming credits (``_about_claiming``) in the same numbered section as the
    credits' clause (4.2 -> 4.3 or 4.2.1; a top-level section -> the one directly after it, 3 -> 4),
    so "5.1 Credit Requests" after "4.2 Service Credits" is another section's; when the credits' clause
    has no number, only under a title naming credits at the document's start (every subclause is its)."""
    headings = _numbered_headings(doc.text)
    heading = _heading_before(headings, credits_at)
    if heading is None:
        return _claim_after(doc, (), credits_end) if _under_document_title(doc.text, credits_at, headings) else None
    return _claim_after(doc, _number(heading), credits_end)


# a document's title naming credits ("Service Credits", "SERVICE LEVELS AND SERVICE CREDITS"): a line of its own
# (not "REVOLVING CREDIT AGREEMENT": a loan's)
_CREDITS_TITLE = re.compile(r"\s*[^.\n]{0,80}?\b(?:service\s+(?:level\s+)?credits?|credits)\b[^.\n]{0,40}\.?[ \t]*\n", F)


def _under_document_title(text: str, at: int, headings: list[re.Match[str]]) -> bool:
    """Whether ``at`` is under a title naming credits at the document's very start, no numbered heading
    before it ("Service Credits\n1. If Availability ... \n3. Credit Requests. ..."): each numbered
    subclause of the document is then in the credits' section."""
    title = _CREDITS_TITLE.match(text)
    return bool(title) and not any(h.start() < at for h in headings[:1])


def _numbered_headings(text: str) -> list[re.Match[str]]:
    """The numbered headings of ``text``, in order ("\n4.2 Service Credits" -> its number's match)."""
    return [n for h in _NEXT_SECTION.finditer(text) if (n := _HEADING_NUMBER.match(text, h.start()))]


def _heading_before(headings: list[re.Match[str]], at: int) -> re.Match[str] | None:
    """The numbered heading of the clause at ``at``: the last of ``headings`` before it, if within 3,000
    characters."""
    i = bisect.bisect_right(headings, at, key=lambda h: h.start()) - 1
    return headings[i] if i >= 0 and headings[i].start() >= at - 3000 else None


def _claim_after(doc: Document, number: tuple[int, ...], credits_end: int) -> tuple[dict[str, str], Span] | None:
    """The claim window of the first subclause about claiming credits after the credits' clause
    ``number`` (ending at ``credits_end``) and in its section."""
    text = doc.text
    limit = min(len(text), credits_end + 3000)
    for heading in _NEXT_SECTION.finditer(text, credits_end, limit):
        sub = _HEADING_NUMBER.match(text, heading.start())
        if sub is None:
            continue  # a blank line within a subclause
        if not _in_section(_number(sub), number):
            return None
        # past its title line and the blank line a title may stand over ("4.3 Credit Requests\n\nTo ...")
        title = _TITLE_LINE.match(text, sub.end())
        end = clause_end(text, title.end() if title else sub.end(), limit)
        if _about_claiming(text[sub.end():end]):
            found = claim_in(doc, sub.end(), end, _CLAIM_IN_SUBCLAUSE)
            if found is not None:
                return found
    return None


def _number(heading: re.Match[str]) -> tuple[int, ...]:
    """The number of a heading ("\n4.3 Credit Requests" -> (4, 3))."""
    return tuple(int(n) for n in heading.group(1).split("."))


def _in_section(sub: tuple[int, ...], credits: tuple[int, ...]) -> bool:
    """Whether subclause ``sub``, read after the credits' clause ``credits`` with no heading of
    another section between, is in its numbered section: within it (4.2 -> 4.2.1), a later one of
    the same parent (4.2 -> 4.3, 4.4.1), or, for a top-level section, the one directly after it
    (3 -> 3.1 -> 4; not 5)."""
    if len(sub) > len(credits) and sub[:len(credits)] == credits:
        return True
    parent = len(credits) - 1
    if parent and sub[:parent] == credits[:parent] and len(sub) > parent and sub[parent] > credits[parent]:
        return True
    return not parent and sub == (credits[0] + 1,)


def _about_claiming(subclause: str) -> bool:
    """Whether a subclause is about claiming credits: its title ("Credit Requests", "Claims for
    Credits") or its first sentence ("To receive a credit, ...") says so, and neither claims another
    kind of credit ("Billing Disputes. ... any request for a credit ...", "Promotional Credits", "To
    receive a credit for unused prepaid fees ...")."""
    title, first = ([*re.split(r"[.:]\s+|\n", subclause.strip(), maxsplit=2), ""])[:2]
    if _CREDIT_KIND.search(title) or _OTHER_CREDIT.search(title) or claims_another_credit(first):
        return False
    return bool(_CLAIM_TITLE.match(title.strip()) or _CLAIM_OPENING.match(title) or _CLAIM_OPENING.match(first))


def claim_in_later_subclause(doc: Document, credits_end: int,
                             credits: str = "") -> tuple[dict[str, str], Span] | None:
    """The claim window of a subclause of its own anywhere after the credits' clause (ending at
    ``credits_end``), in a later section or an exhibit ("9.3 Credit Requests. To receive a Service
    Credit, Customer must submit a request within thirty (30) days ...", "Service Credit Claims.
    Customer must submit a claim ..."), when its title or first sentence names service credits and it
    is about claiming them (``_about_claiming``): "5.1 Credit Requests. To receive a credit, ..." may
    be another section's credit, so it is not read, nor one in an exhibit or section whose title names
    another service or SLA than the credits' clause (``credits``) does ("EXHIBIT C - PROFESSIONAL SERVICES
    SLA"). Two such subclauses stating different windows: none (which binds is not known)."""
    text, found, looked = doc.text, [], set()
    for mention in _SERVICE_CREDIT.finditer(text, credits_end):
        line = text.rfind("\n", 0, mention.start()) + 1
        if line in looked or line < credits_end:
            continue  # looked at, or the credits' own clause
        looked.add(line)
        heading = _HEADING_NUMBER.match(text, line)
        start = heading.end() if heading else line + len(text[line:]) - len(text[line:].lstrip())
        title = _TITLE_LINE.match(text, start)
        end = clause_end(text, title.end() if title else start, min(len(text), start + 3000))
        subclause = text[start:end]
        if not (_about_claiming(subclause) and _SERVICE_CREDIT.search(_opening(subclause))):
            continue
        if mention.start() >= start + len(_opening(subclause)):
            continue  # named after the title and first sentence: not what the subclause is about
        if _of_another_service(text[credits_end:line], credits):
            continue
        claim = claim_in(doc, start, end, _CLAIM_IN_SUBCLAUSE)
        if claim is not None:
            found.append(claim)
    if len({tuple(sorted(window.items())) for window, _ in found}) != 1:
        return None
    return found[0]


# the title of an exhibit or of a section of service levels ("EXHIBIT C - PROFESSIONAL SERVICES SLA", "EXHIBIT B\n
# SERVICE LEVELS", "9. SUPPORT SERVICE LEVELS"), and its words that name no particular service
_EXHIBIT_TITLE = re.compile(r"^[ \t]*(?:(?i:exhibit|schedule|annex|appendix|attachment)\b[^\n]*(?:\n[ \t]*[^\n]*)?|"
                            r"(?:\d+\.?[ \t]+)?[^\n.]*\b(?i:sla|service[ \t]+levels?)\b[^\n.]*)", re.MULTILINE)
_GENERIC_TITLE = {"exhibit", "schedule", "annex", "appendix", "attachment", "service", "services", "level", "levels",
                  "sla", "slas", "agreement", "credit", "credits", "and", "of", "the", "to", "for", "availability",
                  "uptime", "terms", "claims", "claim", "requests", "request"}


def _of_another_service(between: str, credits: str) -> bool:
    """Whether the last exhibit or service-levels title in ``between`` (from the credits' clause to a later
    subclause) names a service the credits' clause ``credits`` does not ("PROFESSIONAL SERVICES SLA")."""
    titles = list(_EXHIBIT_TITLE.finditer(between))
    if not titles:
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z][\w-]{2,}", titles[-1].group(0))} - _GENERIC_TITLE
    return any(not re.search(rf"\b{re.escape(w)}\b", credits, F) for w in words)


def titled_for_another_service(text: str, at: int, credits_at: int, credits: str) -> bool:
    """Whether ``at`` is under an exhibit or service-levels title (the last before its line) that is not the
    one the credits' clause at ``credits_at`` is under and names a service that clause (``credits``) does not
    ("SCHEDULE 4 - SUPPORT SLA")."""
    titles = list(_EXHIBIT_TITLE.finditer(text, 0, text.rfind("\n", 0, at) + 1))
    own = [t for t in titles if t.start() < credits_at]
    if not titles or (own and own[-1].start() == titles[-1].start()):
        return False
    return _of_another_service(titles[-1].group(0), credits)


def _opening(subclause: str) -> str:
    """A subclause's title and first sentence ("Credit Requests. To receive a Service Credit, ...")."""
    title = re.match(r"\s*[^.:\n]*(?:[.:]\s+|\n\s*)?", subclause)
    rest = subclause[title.end():] if title else subclause
    first = re.match(r"[^.]*\.?", rest)
    return subclause[:len(subclause) - len(rest)] + (first.group(0) if first else "")


# an unnumbered title after a credit table about claiming its credits ("Credit Requests.", "CLAIMS.")
_UNNUMBERED_TITLE = re.compile(r"\n[ \t]*\n[ \t]*([^.:\n]+)")
_CLAIMS_TITLE = re.compile(r"(?:(?:service\s+)?credits?\s+)?(?:claims?|requests?)(?:\s+(?:procedures?|process))?\s*", F)


def table_clause_end(text: str, pos: int, limit: int) -> int:
    """Where a credit table's clause, from ``pos``, ends: at the next heading (``NEXT_HEADING``) that is
    not an unnumbered title about claiming its credits ("\n\nCredit Requests.\nCustomer must request
    ..." is the table's claim), else ``limit``. A numbered one is a subclause (``claim_in_subclause``)."""
    for heading in NEXT_HEADING.finditer(text, pos, limit):
        title = _UNNUMBERED_TITLE.match(text, heading.start())
        name = title.group(1).strip() if title else ""
        if not name or _CREDIT_KIND.search(name) or _OTHER_CREDIT.search(name) or not (
                _CLAIM_TITLE.match(name) or _CLAIMS_TITLE.fullmatch(name)):
            return heading.start()
    return limit
