"""A credit note matched to what it settles: an SLA credit claimed for a period, or an over-charge
found on the invoice it corrects.

    credit note CN-123 of USD 1,550.00 settles the 2026-10 SLA credit of USD 1,550.00

It settles an SLA credit of the same currency when it names the credit's period (its words, or a
credit note period of that month or quarter), else when exactly one open credit is of its amount to
the cent; an over-charge when it references the invoice it was found on. It pays several claims at
once when exactly one set of them sums to its amount to the cent (its lines, when each names one
period, say which gets what, whatever the sums). A credit of less leaves the rest open, with the
difference; one that matches nothing, or two open claims or sets alike, is told with why, never
guessed (a wrong match closes a claim still owed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .amounts import Money, cents, format_amount
from .credits import period_end, period_start
from .invoices import CREDIT_NOTE, Invoice, InvoiceLine

SETTLED, PARTIAL, NOT_MATCHED, AMBIGUOUS = "settled", "partial", "not_matched", "ambiguous"
_MONTHS = {name: n for n, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTH_WORD = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
              r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"


@dataclass(frozen=True)
class OpenClaim:
    """Money owed to the customer and not yet credited: an SLA credit (``period``) or an over-charge
    found on an invoice (``invoice_number``). ``owed`` is what is still open, ``credited`` the credit
    notes already applied to it (number -> amount)."""

    finding_id: str
    kind: str
    owed: Money
    original: Money
    period: str | None = None
    invoice_number: str | None = None
    credited: tuple[tuple[str, Decimal], ...] = ()

    @property
    def label(self) -> str:
        if self.period is not None:
            return f"the {self.period} SLA credit of {self.original}"
        return f"the over-charge ({self.kind}) of {self.original} on invoice {self.invoice_number}"

    def owed_words(self) -> str:
        """The claim and, after earlier partial credits, what is still owed of it."""
        if not self.credited:
            return self.label
        earlier = " + ".join(f"{format_amount(a)} ({n})" for n, a in self.credited)
        return f"{self.label} ({format_amount(self.original.amount)} - {earlier} = {self.owed} still owed)"


@dataclass(frozen=True)
class Part:
    """What a credit note applies to one claim: ``applied`` of it, ``remaining`` still owed after,
    and the arithmetic (the claim's own settlement entry, and its obligation's resolution)."""

    claim: OpenClaim
    applied: Money
    remaining: Money
    derivation: str

    @property
    def status(self) -> str:
        return SETTLED if self.remaining.amount <= 0 else PARTIAL

    def to_dict(self) -> dict[str, Any]:
        return {"finding_id": self.claim.finding_id, "status": self.status, "applied": self.applied.to_dict(),
                "remaining": self.remaining.to_dict()}


@dataclass(frozen=True)
class Settlement:
    """What a credit note settles: ``status`` settled | partial | not_matched | ambiguous, the claims
    it is applied to (``parts``: none when not matched, several when it pays several at once), what
    it paid beyond them, and the arithmetic."""

    status: str
    credit_note: str
    credit: Money
    parts: tuple[Part, ...]
    surplus: Money | None
    derivation: str

    @property
    def claim(self) -> OpenClaim | None:
        """The claim, when the credit note settles exactly one."""
        return self.parts[0].claim if len(self.parts) == 1 else None

    @property
    def applied(self) -> Money | None:
        return self.parts[0].applied if len(self.parts) == 1 else None

    @property
    def remaining(self) -> Money | None:
        return self.parts[0].remaining if len(self.parts) == 1 else None

    def summary(self) -> str:
        """What it settles in a line (its finding's summary): the claims, what is still owed of each
        partly paid, and what it paid beyond them."""
        claims = " and ".join(p.claim.label for p in self.parts)
        beyond = "" if self.surplus is None else f"; {self.surplus} more than was owed (not applied to anything else)"
        if self.status == SETTLED:
            return f"{self.credit} settles {claims}{beyond}"
        if self.status == PARTIAL:
            left = "; ".join(f"{p.remaining} of {p.claim.label}" for p in self.parts if p.status == PARTIAL)
            return f"{self.credit} settles part of {claims}, {left} still owed{beyond}"
        if self.status == AMBIGUOUS:
            return f"{self.credit} could settle several open claims: settle it by hand"
        return f"{self.credit} matches no open claim"

    def to_dict(self) -> dict[str, Any]:
        def money(m: Money | None) -> dict | None:
            return None if m is None else m.to_dict()
        return {"status": self.status, "credit_note": self.credit_note, "credit": self.credit.to_dict(),
                "finding_id": None if self.claim is None else self.claim.finding_id,
                "finding_ids": [p.claim.finding_id for p in self.parts], "parts": [p.to_dict() for p in self.parts],
                "applied": money(self.applied), "remaining": money(self.remaining), "surplus": money(self.surplus),
                "derivation": self.derivation}


_CREDIT_LINE = re.compile(r"\b(credit|refund|sla|service level)", re.IGNORECASE)


def netted_credits(invoice: Invoice) -> list[Invoice]:
    """The credits an invoice nets against its charges: each negative line that says it is a credit
    or refund ("SLA credit October 2026", -1,550.00), as a credit note of its own numbered after the
    line ("INV-9 line 3"), to be matched like one. A negative line that does not say so (a discount)
    is no credit for a claim."""
    return [Invoice(number=f"{invoice.number} line {li.line_id}", issue_date=invoice.issue_date,
                    currency=invoice.currency, supplier=invoice.supplier,
                    lines=(InvoiceLine(li.line_id, li.description, abs(li.quantity),
                                       None if li.unit_price is None else abs(li.unit_price), -li.amount, li.unit),),
                    total=-li.amount, document=CREDIT_NOTE, references=invoice.references)
            for li in invoice.lines if li.amount < 0 and _CREDIT_LINE.search(li.description)]


def named_periods(note: Invoice) -> set[str]:
    """The months ("2026-10") or quarters ("2026-Q3") a credit note names: in its notes or lines
    ("SLA credit October 2026", "2026-10"), or its period when that is one month or one quarter."""
    found: set[str] = set()
    for words in (*note.notes, *(li.description for li in note.lines)):
        found |= periods_in(words)
    if note.period_start is not None and note.period_end is not None:
        found |= {p for p in _periods_of(note.period_start)
                  if period_start(p) == note.period_start and period_end(p) == note.period_end}
    return found


def periods_in(words: str) -> set[str]:
    """The months and quarters ``words`` name ("SLA credit October 2026" -> {"2026-10"})."""
    lower = words.lower()
    found = {f"{y}-{int(m):02d}" for y, m in re.findall(r"\b(20\d\d)-(0[1-9]|1[0-2])\b(?!-\d)", lower)}
    found |= {f"{y}-Q{q}" for y, q in re.findall(r"\b(20\d\d)[- ]?q([1-4])\b", lower)}
    found |= {f"{y}-Q{q}" for q, y in re.findall(r"\bq([1-4])[- ]?(20\d\d)\b", lower)}
    for month, year in re.findall(rf"\b{_MONTH_WORD}\.?\s+(20\d\d)\b", lower):
        number = next(n for name, n in _MONTHS.items() if name.startswith(month[:3]))
        found.add(f"{year}-{number:02d}")
    return found


def _periods_of(day: date) -> tuple[str, str]:
    return f"{day.year}-{day.month:02d}", f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def match_credit_note(note: Invoice, claims: list[OpenClaim]) -> Settlement:
    """The open claims ``note`` settles, or why none: by the period it names (an SLA credit; several
    named, by its lines' periods, else the one set of them its amount is that covers every period
    named with an open claim), by the invoice it references (an over-charge found on it; several,
    the one claim or set of them its amount is), else by its amount to the cent: the one open SLA
    credit, or the one set of open SLA credits, its amount is. Two claims or sets alike are told,
    never chosen between."""
    credit = Money(cents(note.total), note.currency)
    head = f"credit note {note.number} of {credit}"
    if credit.amount <= 0:
        return _unmatched(note, credit, f"{head}: its total is not a credit (nothing to settle)")
    lines = sum((li.amount for li in note.lines), Decimal(0)) + note.adjustments
    if cents(lines) != credit.amount:
        # which of the two the supplier credits is not known: nothing is settled by a guess
        return _unmatched(note, credit, f"{head}: its lines {' + '.join(format_amount(li.amount) for li in note.lines)}"
                          f" = {format_amount(lines)} != total {format_amount(credit.amount)}: not applied, check it "
                          "with the supplier")
    same = [c for c in claims if c.owed.currency == note.currency and c.owed.amount > 0]
    other = sorted({str(c.owed) for c in claims if c.owed.currency != note.currency and c.owed.amount > 0})
    in_other = f"; open in another currency: {', '.join(other)}" if other else ""
    periods = named_periods(note)
    if periods:
        by_period = [c for c in same if c.period in periods]
        if len(by_period) == 1:
            return _apply(note, credit, by_period[0], f"names {', '.join(sorted(periods))}")
        if len(by_period) > 1:
            # what its lines say of each period wins over sums; else the one set of them it pays that
            # covers every period it names with an open claim (a credit for "September and October" of
            # October's amount is not October's: 400.00 + 400.00 is as likely)
            why = f"it names {', '.join(sorted(periods))}"
            return (_by_lines(note, credit, by_period)
                    or _by_sum(note, credit, by_period, why, covering=frozenset(c.period for c in by_period if c.period))
                    or _ambiguous(note, credit, by_period, why))
    referenced = [c for c in same if c.invoice_number is not None and c.invoice_number in note.references]
    if referenced:
        if len(referenced) == 1:
            return _apply(note, credit, referenced[0], f"references invoice {referenced[0].invoice_number}")
        # several: one claim of its amount and a set of its amount are alike, as for SLA credits
        why = f"it references invoice(s) {', '.join(note.references)}"
        return _by_sum(note, credit, referenced, why) or _ambiguous(note, credit, referenced, why)
    open_credits = [c for c in same if c.period is not None]
    # a credit note that names a period is for that period: never matched to another's credit by amount
    by_amount = None if periods else _by_sum(note, credit, open_credits, _NO_PERIOD)
    if by_amount is not None:
        return by_amount
    said = []
    if periods:
        said.append(f"it names {', '.join(sorted(periods))}, for which no SLA credit is open")
    if note.references:
        said.append(f"no over-charge is open on invoice(s) {', '.join(note.references)} it references")
    said.append(("another period's credit is not matched by its amount" if periods else
                 "no open SLA credit is of its amount") + (
        f" (open: {', '.join(f'{c.period} {c.owed}' for c in open_credits)})" if open_credits else
        f" (none is open in {note.currency})") + (
        ", nor does any set of them sum to it" if len(open_credits) > 1 and not periods else ""))
    return _unmatched(note, credit, f"{head} matches nothing: {'; '.join(said)}{in_other}")


# The sets of open claims that sum to a credit note's amount are counted with a dynamic programme over
# cents: each claim in turn, the partial sums reachable (keyed by sum, and by which periods that must be
# covered are), each with at most two of the sets reaching it (two are enough to know it is ambiguous),
# a sum kept only while the claims still to come can bring it to the amount, the search over once two
# sets reach it. Its work is bounded: at most MAX_PARTIAL_SUMS partial sums carried from one claim to
# the next in all (each two dictionary updates at most: under 2 seconds); past it the credit note is
# settled by hand, saying so.
MAX_PARTIAL_SUMS = 300_000
_NO_PERIOD = "no period named"


def _by_sum(note: Invoice, credit: Money, pool: list[OpenClaim], why: str,
            covering: frozenset[str] = frozenset()) -> Settlement | None:
    """The one claim, or the one set of claims of ``pool``, whose owed amounts sum to the credit to
    the cent (with ``covering``: a set with a claim of each of those periods): applied to each in
    full. Two sets that sum to it are ambiguous (two named); none: None. A search past
    ``MAX_PARTIAL_SUMS`` partial sums: settled by hand, with why."""
    sets = _sets_of_amount(pool, credit.amount, covering)
    if isinstance(sets, int):
        return Settlement(AMBIGUOUS, note.number, credit, (), None,
                          f"credit note {note.number} of {credit} ({why}): its {sets} open claims of at most its "
                          f"amount make more than {MAX_PARTIAL_SUMS:,} partial sums on the way to it, more than are "
                          "searched: which of them it pays is not known, settle it by hand")
    if not sets:
        return None
    if len(sets) > 1:
        named = "; ".join(" + ".join(c.owed_words() for c in each) for each in sets)
        return Settlement(AMBIGUOUS, note.number, credit, (), None,
                          f"credit note {note.number} of {credit} ({why}) could settle at least 2 different sets "
                          f"of open claims, each its amount to the cent: {named}: which one is not guessed, "
                          "settle it by hand")
    [found] = sets
    if len(found) == 1:
        one = "the same amount to the cent" if why == _NO_PERIOD else f"{why}; the same amount to the cent"
        return _apply(note, credit, found[0], one)
    sum_words = (" + ".join(f"{format_amount(c.owed.amount)} ({c.period or c.invoice_number})" for c in found)
                 + f" = {credit}")
    reason = f"{why}; the one set of open claims of its amount to the cent: {sum_words}"
    head = f"credit note {note.number} of {credit} ({reason})"
    parts = tuple(Part(c, c.owed, Money(Decimal(0), credit.currency), f"{head} settles {c.owed_words()}")
                  for c in found)
    return Settlement(SETTLED, note.number, credit, parts, None,
                      f"{head} settles {' and '.join(c.owed_words() for c in found)}")


def _in_cents(amount: Decimal) -> int:
    return int(cents(amount) * 100)


def _sets_of_amount(pool: list[OpenClaim], amount: Decimal,
                    covering: frozenset[str] = frozenset()) -> list[tuple[OpenClaim, ...]] | int:
    """Up to two sets of claims in ``pool`` whose owed amounts (each to the cent) sum to ``amount``
    exactly, each with a claim of every period in ``covering``; the smaller set first. None found:
    []; one: it alone (there is no other). When the partial sums carried pass ``MAX_PARTIAL_SUMS``:
    the number of claims searched (int), nothing known."""
    target = _in_cents(amount)
    # every owed amount is > 0: a claim owed more than the credit is in no set
    pool = [c for c in pool if _in_cents(c.owed.amount) <= target]
    owed = [_in_cents(c.owed.amount) for c in pool]
    bits = {period: 1 << n for n, period in enumerate(sorted(covering))}
    every = (1 << len(bits)) - 1
    still = [sum(owed[i:]) for i in range(len(pool) + 1)]  # what the claims from i on could add
    reached: dict[tuple[int, int], list[tuple[int, ...]]] = {(0, 0): [()]}
    carried = 0
    for i, (claim, amount_i) in enumerate(zip(pool, owed, strict=True)):
        carried += len(reached)
        if carried > MAX_PARTIAL_SUMS:
            return len(pool)
        if len(reached.get((target, every), [])) == 2:
            break  # two sets already: ambiguous whatever the rest add
        bit = bits.get(claim.period or "", 0)
        after: dict[tuple[int, int], list[tuple[int, ...]]] = {}
        for (total, covered), sets in reached.items():
            if total + still[i + 1] >= target:  # without this claim, the rest can still make the amount
                _keep_two(after, (total, covered), sets)
            grown = total + amount_i
            if grown <= target and grown + still[i + 1] >= target:
                _keep_two(after, (grown, covered | bit), [each + (i,) for each in sets])
        reached = after
    found = sorted(reached.get((target, every), []), key=lambda each: (len(each), each))
    return [tuple(pool[i] for i in each) for each in found]


def _keep_two(reached: dict[tuple[int, int], list[tuple[int, ...]]], key: tuple[int, int],
              sets: list[tuple[int, ...]]) -> None:
    have = reached.setdefault(key, [])
    have.extend(sets[:2 - len(have)])


def _by_lines(note: Invoice, credit: Money, pool: list[OpenClaim]) -> Settlement | None:
    """Each line applied to the claim of the one period it names ("SLA credit September 2026" 1,200.00,
    "SLA credit October 2026" 800.00), when every line names one period and each period has one open
    claim; else None (its lines do not say which is which)."""
    if note.adjustments or len(note.lines) < 2:
        return None
    by_claim: dict[str, Decimal] = {}
    for li in note.lines:
        named = periods_in(li.description)
        claims = [c for c in pool if c.period in named]
        if len(named) != 1 or len(claims) != 1 or li.amount <= 0:
            return None
        by_claim[claims[0].finding_id] = by_claim.get(claims[0].finding_id, Decimal(0)) + li.amount
    head = f"credit note {note.number} of {credit}"
    parts, surplus = [], Decimal(0)
    for claim in (c for c in pool if c.finding_id in by_claim):
        paid, owed = cents(by_claim[claim.finding_id]), claim.owed.amount
        what = f"{head} (its line(s) for {claim.period}: {format_amount(paid)})"
        if paid < owed:
            left = Money(owed - paid, credit.currency)
            parts.append(Part(claim, Money(paid, credit.currency), left,
                              f"{what} settles part of {claim.owed_words()}: {format_amount(owed)} - "
                              f"{format_amount(paid)} = {left} still owed"))
            continue
        words = f"{what} settles {claim.owed_words()}"
        if paid > owed:
            surplus += paid - owed
            words += (f"; {format_amount(paid)} - {format_amount(owed)} = {Money(paid - owed, credit.currency)} more "
                      "than was owed (told, not applied to anything else)")
        parts.append(Part(claim, claim.owed, Money(Decimal(0), credit.currency), words))
    status = SETTLED if all(p.status == SETTLED for p in parts) else PARTIAL
    return Settlement(status, note.number, credit, tuple(parts),
                      Money(surplus, credit.currency) if surplus else None, "; ".join(p.derivation for p in parts))


def _apply(note: Invoice, credit: Money, claim: OpenClaim, why: str) -> Settlement:
    owed = claim.owed.amount
    head = f"credit note {note.number} of {credit}"
    if credit.amount < owed:
        left = Money(owed - credit.amount, credit.currency)
        words = (f"{head} ({why}) settles part of {claim.owed_words()}: {format_amount(owed)} - "
                 f"{format_amount(credit.amount)} = {left} still owed")
        return Settlement(PARTIAL, note.number, credit, (Part(claim, credit, left, words),), None, words)
    surplus = Money(credit.amount - owed, credit.currency) if credit.amount > owed else None
    derivation = f"{head} ({why}) settles {claim.owed_words()}"
    if surplus is not None:
        derivation += (f"; {format_amount(credit.amount)} - {format_amount(owed)} = {surplus} more than was owed "
                       "(told, not applied to anything else)")
    part = Part(claim, Money(owed, credit.currency), Money(Decimal(0), credit.currency), derivation)
    return Settlement(SETTLED, note.number, credit, (part,), surplus, derivation)


def _ambiguous(note: Invoice, credit: Money, claims: list[OpenClaim], why: str) -> Settlement:
    alike = "; ".join(c.owed_words() for c in claims)
    return Settlement(AMBIGUOUS, note.number, credit, (), None,
                      f"credit note {note.number} of {credit} could settle {len(claims)} open claims ({why}): "
                      f"{alike}: which one is not guessed, settle it by hand")


def _unmatched(note: Invoice, credit: Money, derivation: str) -> Settlement:
    return Settlement(NOT_MATCHED, note.number, credit, (), None, derivation)
