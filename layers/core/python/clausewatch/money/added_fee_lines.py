"""The invoice lines of a fee an amendment added ("Amendment No. 2 adds a Premium Support fee of USD
1,500 per month"), priced at its own rate like any other fee (pure: no store, no AWS).

A line that bills one added fee, and only it, is checked against the amendment's clause from the
day the amendment took effect: its currency, its quantity and units, the amount expected for the
months the invoice covers (with the arithmetic), over- or under-charged by the difference. A cap on
increases applies to the added fee only when its clause says so (all fees, or the added fee by
name, in a sentence that keeps no fees out), and only for the renewal terms begun since the
amendment; a line above the agreed rate whose increase no cap covers (or none read, or an index)
is not checked, and says why; a line at or below it needs no cap (below it under an index that may fall,
not checked). A line billing it alone while another bills it with the contract's fee is not checked. A line for a period that ended
before the amendment took effect is billed before the fee was agreed. What is not known (two added
fees named, the contract's fee named too, units that do not match, a period across the
amendment's day, a quantity that may count units or unit-periods) is told as not checked, with
why: a wrong value is worse than a missing one."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .amended_fees import AddedFee, LineAddedFees, first_version, line_added_fees, name_words
from .amounts import Money, cents, format_amount
from .beside_combined import CREDIT, SERVICE_CREDIT, words_beyond
from .cap_cadence import ANNIVERSARY, cap_cadence
from .invoices import (
    _BILLED_MONTHS,
    TIME_UNITS,
    ContractMoney,
    Expected,
    Finding,
    Invoice,
    InvoiceLine,
    NotPriced,
    _months,
    added_fees_of,
    agreed_names,
    allowed_price,
    anniversaries_begun,
    billed_from,
    cadence_why,
    index_may_lower,
    other_reading,
    renewal_terms_begun,
    unit_readings,
)
from .taxes import is_tax_line

_PERIOD_MONTHS = {"year": 12, "quarter": 3, "month": 1}
# a cap whose clause covers every fee ("all Fees", "any fees or charges"): an added fee's too
_ALL_FEES = re.compile(r"\b(?:all|any|each)\s+(?:(?:of\s+)?the\s+)?(?:fees|charges|prices|amounts\s+payable)\b",
                       re.IGNORECASE)
_TIME_UNITS = TIME_UNITS
# a sentence that keeps fees out of the cap ("This cap does not apply to any fees added by an
# amendment", "all Fees except ..."), not one that limits the increase ("shall not exceed 5%")
_NEGATION = re.compile(r"\b(?:(?:not|n't|never)\s+(?:apply|applies|applicable|cover|covers|extend|extends)|"
                       r"except\w*|exclud\w*|other\s+than|save\s+for|but\s+not)\b|n't\s+(?:apply|cover|extend)",
                       re.IGNORECASE)


def added_fee_findings(invoice: Invoice, terms: ContractMoney) -> list[Finding]:
    """A finding for each line of a fee an amendment added that departs from it or cannot be
    priced (none for a line as agreed). A flat fee split over lines of one each ("Premium Support
    (part 1)", "(part 2)") is one fee: its lines are priced together, as the contract's fee's are; so
    is a fee per unit billed on several lines each counting its units (20 Users and 20 Users: 40
    Users, their amounts summed), the verdict on the sum naming every line."""
    added = added_fees_of(terms)
    every = tuple(a.fee for a in added)
    out = []
    fees: dict[int, list[tuple[InvoiceLine, tuple[AddedFee, ...]]]] = {}
    combined: dict[int, InvoiceLine] = {}  # a line billing the added fee with the contract's, by fee
    credits: dict[int, list[tuple[InvoiceLine, str]]] = {}  # negative lines naming an added fee, why not netted
    for li in invoice.lines:
        named = line_added_fees(li.description, terms.fees, added, terms.counterparty)
        if named is None or is_tax_line(li.description, agreed_names(terms)):
            continue  # no added fee's line, or a tax on it ("VAT 20% on Premium Support"): never the fee
        if li.amount < 0:  # never priced as the fee by itself: netted with its line, or its check not made
            if not named.names_contract_fee_too and not SERVICE_CREDIT.search(li.description):
                for a in named.fees:  # (a combined charge's credits: `beside_combined`)
                    credits.setdefault(id(first_version(a.fee, every)), []).append((li, _credit_why(li, named)))
            continue
        if named.names_contract_fee_too and named.added_versions:
            # the contract's fee and this one billed together: priced as both (`combined_fee_lines`)
            combined.setdefault(id(first_version(named.added_versions[0].fee, every)), li)
            continue
        if not named.versions:
            out.append(_not_checked(invoice, li, named.fees[0], _ambiguous(named), None))
            continue
        fees.setdefault(id(first_version(named.versions[0].fee, every)), []).append((li, named.versions))
    for key, lines in fees.items():
        versions = lines[0][1]
        if key in combined:
            # another line bills it with the contract's fee ("Subscription Fees incl. Premium Support (part
            # 1/2)", "Premium Support (part 2/2)"): this line alone is not the whole of it
            both = combined[key]
            out += [_not_checked(invoice, li, v[-1], f"line {both.line_id} ({both.description}) bills the {v[-1].name} "
                                 "with the contract's fee: what part of each line is the "
                                 f"{v[-1].name}'s is not known", None) for li, v in lines]
            continue
        mine = [li for li, _ in lines]
        one = _one_fees_lines(mine, versions)
        if key in credits:
            out += _credited_fee(invoice, terms, mine, one, versions, credits[key])
        elif isinstance(one, str):
            summed = together(mine, Decimal(1))
            out.append(said_of_lines(_not_checked(invoice, summed, versions[-1], one, None), summed, mine))
        elif one is not None:
            out += [said_of_lines(f, one, mine) for f in _check_versions(invoice, one, versions, terms)]
        else:
            out += [f for li, v in lines for f in _check_versions(invoice, li, v, terms)]
    return out


def _credit_why(li: InvoiceLine, named: LineAddedFees) -> str:
    """Why a negative line naming an added fee is not known to credit its charge ("" when it is: a
    credit, discount or adjustment naming that fee and nothing else)."""
    what = f"line {li.line_id} ({li.description}, {format_amount(li.amount)})"
    if len(named.fees) > 1 and not named.one_fee:
        return f"{what} names the {' and the '.join(a.name for a in named.fees)}: what part of it credits each is not known"
    if not CREDIT.search(li.description):
        return f"{what} names the {named.fees[-1].name} but not as a credit, discount or adjustment"
    if beyond := words_beyond(CREDIT.sub(" ", li.description), tuple(a.name for a in named.fees)):
        return (f"{what} names {beyond} beside the {named.fees[-1].name} (a period, a reference or a reason): "
                "whether it reduces this invoice's price of it is not known")
    return ""


def _credited_fee(invoice: Invoice, terms: ContractMoney, mine: list[InvoiceLine], one: InvoiceLine | str | None,
                  versions: tuple[AddedFee, ...], credits: list[tuple[InvoiceLine, str]]) -> list[Finding]:
    """An added fee's lines with negative lines naming it: priced net of them when each credits it and
    nothing else and they are less than its one charge; else not checked, with why."""
    line = one if isinstance(one, InvoiceLine) else mine[0] if len(mine) == 1 and one is None else None
    credited = -sum((c.amount for c, _ in credits), Decimal(0))
    ids = " + ".join(c.line_id for c, _ in credits)
    why = "; ".join(w for _, w in credits if w) or (one if isinstance(one, str) else None)
    if why is None and line is None:
        why = f"line {ids} credits it, and which of its lines is not known"
    if why is None and line is not None and credited >= line.amount:
        why = (f"the credits on line {ids} ({format_amount(credited)}) are as much as or more than the "
               f"{format_amount(line.amount)} charged for it: what they are against is not known")
    if why is not None or line is None:
        summed = line if line is not None else together(mine, Decimal(1))
        told = _not_checked(invoice, summed, versions[-1], why or "", None)
        return [said_of_lines(told, summed, mine) if len(mine) > 1 else told]
    net = replace(line, amount=line.amount - credited)
    less = (f"line {line.line_id} {format_amount(line.amount)} less the credit on line {ids} "
            f"{format_amount(credited)} = {format_amount(net.amount)} charged for it; ")
    found = [replace(f, derivation=less + f.derivation) for f in _check_versions(invoice, net, versions, terms)]
    return [said_of_lines(f, line, mine) for f in found] if len(mine) > 1 else found


def _one_fees_lines(lines: list[InvoiceLine], versions: tuple[AddedFee, ...]) -> InvoiceLine | str | None:
    """Several lines of one added fee as one line (None: one line, or lines not known to add up):
    a flat fee's lines of one each marked as its parts ("(part 1/2)"; lines alike with no such
    marker, or "Instalment 2", may bill successive periods), or a fee per unit's lines each counting
    its units in the same unit code (their quantities summed); or why the parts are not priced."""
    if len(lines) < 2:
        return None
    per_unit = [v.fee for v in versions if v.fee.get("unit_price") is not None and v.fee.get("unit")]
    if not per_unit:
        return together(lines, Decimal(1)) if all(li.quantity == 1 for li in lines) and parts_marked(lines) else None
    if len(per_unit) < len(versions) or len({f["unit"] for f in per_unit}) > 1 or len({li.unit for li in lines}) > 1 \
            or any(stated_units(li, per_unit[0]) for li in lines):
        return None  # re-priced flat or per another unit, lines in different units, or one not counting the fee's
    repeated = repeated_parts(lines, per_unit[0]["unit"])
    return repeated or together(lines, sum((li.quantity for li in lines), Decimal(0)))


# what marks a line as a part of one charge ("(part 1/2)", "Part 2 of 2", "(1/2)"); an instalment is not
# one ("Instalment 2" may bill another period)
PART = re.compile(r"\(?\bpart\s*\d{1,2}(?:\s*(?:/|of)\s*\d{1,2})?\b\)?|\(\s*\d{1,2}\s*(?:/|of)\s*\d{1,2}\s*\)", re.IGNORECASE)


def parts_marked(lines: list[InvoiceLine]) -> bool:
    """Whether every line says it is a part of one charge (``PART``)."""
    return all(PART.search(li.description) for li in lines)


def repeated_parts(lines: list[InvoiceLine], unit: str) -> str | None:
    """Why lines marked as parts that each state the same quantity are not summed (40 Users and 40
    Users: each may restate the whole, or count its half); None when they are not such."""
    if not parts_marked(lines) or len({li.quantity for li in lines}) > 1:
        return None
    return (f"its parts each state {lines[0].quantity} {unit}(s): whether each restates the whole quantity or counts "
            "its own share is not known")


def together(lines: list[InvoiceLine], quantity: Decimal) -> InvoiceLine:
    """One fee's lines as one: their amounts (and their own charges less allowances) summed, its
    quantity ``quantity`` (1 for a flat fee's; a fee per unit's, the units summed) in their unit."""
    return InvoiceLine(" + ".join(li.line_id for li in lines), " + ".join(li.description for li in lines),
                       quantity, None, sum((li.amount for li in lines), Decimal(0)), lines[0].unit,
                       sum((li.adjustments for li in lines), Decimal(0)))


def said_of_lines(finding: Finding, one: InvoiceLine, lines: list[InvoiceLine]) -> Finding:
    """A finding on lines priced as one (``one``), naming every line and how they were summed."""
    quantities = (f"quantities {' + '.join(str(li.quantity) for li in lines)} = {one.quantity}, "
                  if one.quantity != 1 else "")
    summed = (f"lines {one.line_id} billed together: {quantities}amounts "
              f"{' + '.join(format_amount(li.amount) for li in lines)} = {format_amount(one.amount)}; ")
    return replace(finding, line_id=None, line_ids=tuple(li.line_id for li in lines),
                   derivation=summed + finding.derivation,
                   summary=finding.summary.replace(f"line {one.line_id} ", f"lines {one.line_id} ", 1))


def _check_versions(invoice: Invoice, li: InvoiceLine, versions: tuple[AddedFee, ...],
                    terms: ContractMoney) -> list[Finding]:
    version = version_billed(invoice, li, versions)
    if isinstance(version, Unpriced):
        return [_not_checked(invoice, li, version.added, version.why, version.agreed)]
    finding = _check_line(invoice, li, version, terms)
    return [] if finding is None else [finding]


def version_billed(invoice: Invoice, li: InvoiceLine, versions: tuple[AddedFee, ...]) -> AddedFee | Unpriced:
    """The price of the added fee in force for the invoice's period when a later amendment re-priced
    it: the latest version agreed by the period's first day (the first version before it: billed
    before agreed, or not known, as ``_before_agreed`` says), until the day the next took effect.
    Not known (why): a period across a re-pricing day, a version whose day was
    not read, an invoice with no period issued within the fee's billing cycle of a re-pricing day
    (in advance or in arrears, it may bill either price)."""
    if len(versions) == 1:
        return versions[0]
    undated = [v for v in versions if v.agreed_from is None]
    if undated:
        return Unpriced(versions[-1], f"the {versions[-1].name} was re-priced by an amendment and "
                            f"{undated[0].agreed_from_derivation} ({undated[0].document or 'an amendment'}): which "
                            "price is in force is not known", None)
    start = invoice.period_start if invoice.period_end is not None else None
    day = start or billed_from(invoice)
    current = 0
    for n, v in enumerate(versions):
        if v.agreed_from is not None and v.agreed_from <= day:
            current = n
    chosen, later = versions[current], versions[current + 1] if current + 1 < len(versions) else None
    if start is not None and invoice.period_end is not None:
        if later is not None and later.agreed_from is not None and later.agreed_from <= invoice.period_end:
            return Unpriced(later, f"the period {start} to {invoice.period_end} runs across "
                                f"{later.agreed_from}, the day {later.document or 'an amendment'} re-priced the "
                                f"{later.name} (from {_rate(chosen.fee)}), and how part of a period is counted is "
                                "not read", f"{_rate(later.fee)}, agreed from {later.agreed_from_derivation}")
    else:
        cycle = _BILLED_MONTHS.get((chosen.fee.get("billing") or "").split(" ")[0]) \
            or _PERIOD_MONTHS.get(chosen.fee.get("period") or "") or 12
        near = next((v for v in versions[1:] if v.agreed_from is not None
                     and v.agreed_from - relativedelta(months=cycle) < day < v.agreed_from + relativedelta(months=cycle)),
                    None)
        if near is not None:
            return Unpriced(near, f"the invoice states no period and was issued on {day}, within "
                                f"{cycle} month(s) (the fee's billing cycle) of {near.agreed_from}, the day "
                                f"{near.document or 'an amendment'} re-priced the {near.name}: whether it bills the "
                                "earlier price or the new one is not known", None)
    if later is None or later.agreed_from is None:
        return chosen
    until = later.agreed_from - timedelta(days=1)
    return replace(chosen, agreed_from_derivation=f"{chosen.agreed_from_derivation} until {until} "
                   f"({later.document or 'a later amendment'} re-priced it from {later.agreed_from})")


def _ambiguous(named: LineAddedFees) -> str:
    each = " and ".join(f"the {a.name} ({a.document or 'an amendment'}: {_rate(a.fee)})" for a in named.fees)
    return f"it names {each} as much, each added by an amendment: which it bills is not known"


def _rate(fee: dict) -> str:
    per = f" per {fee['unit']}" if fee.get("unit_price") is not None and fee.get("unit") else ""
    amount = fee.get("unit_price") if per else fee.get("amount")
    return (f"{fee.get('currency', '')} {format_amount(Decimal(amount)) if amount else '?'}{per} "
            f"per {fee.get('period') or 'period'}").strip()


@dataclass(frozen=True)
class Unpriced:
    """Why the added fee's line is not priced (told as not checked): ``added`` the version it is
    about, ``agreed`` its rate in words when not its own."""

    added: AddedFee
    why: str
    agreed: str | None = None


def _not_checked(invoice: Invoice, li: InvoiceLine, added: AddedFee, why: str, agreed: str | None) -> Finding:
    where = f" ({added.document})" if added.document else ""
    return Finding(
        "not_checked", invoice.number, f"line {li.line_id} ({li.description}) not priced: {why}",
        f"{added.name}: {agreed or _rate(added.fee)}{where}; {why}: check the amount by hand", None, li.line_id,
        added.fee.get("evidence"))


@dataclass(frozen=True)
class _Priced:
    """The agreed rate per period (per unit, for a per-unit fee) and the most the contract allows
    (above it only by an increase a cap covering the fee allows), with how."""

    agreed: Decimal
    limit: Decimal
    derivation: str  # the limit's
    agreed_derivation: str


@dataclass(frozen=True)
class _LineTerms:
    """What an added fee's line is priced by: the rate allowed (or why not known), the months billed
    and those of the fee's period, with what says so (``share``, in words)."""

    priced: _Priced | str
    billed: int
    per_period: int
    share: str
    agreed: str  # the rate agreed, in words


def _line_terms(invoice: Invoice, li: InvoiceLine, added: AddedFee, terms: ContractMoney
                ) -> _LineTerms | Unpriced | Finding:
    """The terms the line is priced by; or why it is not priced; or what departs from the fee before
    any price (billed before agreed, another currency)."""
    fee = added.fee
    agreed = f"{_rate(fee)}, agreed from {added.agreed_from_derivation}"
    if added.agreed_from is None:
        return Unpriced(added, f"it is the {added.name} an amendment added, and {added.agreed_from_derivation}")
    before = _before_agreed(invoice, li, added, agreed)
    if isinstance(before, (Finding, Unpriced)):
        return before
    if fee.get("currency") and fee["currency"] != invoice.currency:
        return Finding("currency", invoice.number, f"line {li.line_id} ({li.description}): invoiced in "
                       f"{invoice.currency}, the {added.name} agreed in {fee['currency']}",
                       f"{added.name}: {agreed}; invoice currency {invoice.currency}", None, li.line_id,
                       fee.get("evidence"))
    per_period = _PERIOD_MONTHS.get(fee.get("period") or "")
    if per_period is None:
        return Unpriced(added, f"the period the {added.name} is for (a month, a quarter, a year) was not read",
                         agreed)
    months = _months_billed(invoice, fee)
    if isinstance(months, str):
        return Unpriced(added, months, agreed)
    billed, cadence = months
    share = f" x {billed}/{per_period} month(s){cadence}" if billed != per_period or cadence else ""
    return _LineTerms(_allowed(invoice, added, terms), billed, per_period, share, agreed)


def _check_line(invoice: Invoice, li: InvoiceLine, added: AddedFee, terms: ContractMoney) -> Finding | None:
    found = _line_terms(invoice, li, added, terms)
    if isinstance(found, Unpriced):
        return _not_checked(invoice, li, added, found.why, found.agreed)
    if isinstance(found, Finding):
        return found
    fee = added.fee
    per_unit = fee.get("unit_price") is not None and bool(fee.get("unit"))
    counted = stated_units(li, fee) if per_unit else _flat_quantity(li, added.name, found.billed)
    months = (found.billed, found.per_period)
    if isinstance(found.priced, str):
        # the most allowed is not known, but no increase is needed to check a line at or below the
        # agreed rate: only a line above it is not checked
        if counted is None:
            compared = _compared(invoice, li, added, _agreed_rate(added), found.share, months, found.priced)
            lower = index_lowers(terms, added)
            if compared is not None and compared.kind == "price_below_agreed" and lower:
                return _not_checked(invoice, li, added, f"{found.priced}; {lower}", found.agreed)
            if compared is None or compared.kind == "price_below_agreed":
                return compared
        return _not_checked(invoice, li, added, found.priced, found.agreed)
    if counted is not None:
        return _not_checked(invoice, li, added, counted, found.agreed)
    return _compared(invoice, li, added, found.priced, found.share, months)


def added_fee_expected(invoice: Invoice, li: InvoiceLine, added: AddedFee, terms: ContractMoney,
                       units: Decimal | None = None, reading_said: bool = False) -> Expected | NotPriced:
    """The most the added fee may be billed on ``li`` for the months the invoice covers (a fee per
    unit: for the ``units`` the line states it bills; a flat fee beside them: once), with the
    arithmetic and the amendment's clause; or why that is not known (a fee per unit without
    ``units``: how many units the line bills of it is not stated when it bills another fee too; the
    increase allowed, with the fee at its agreed rate as ``agreed``: a floor; ``reading_said``: the
    line says ``units`` are units for every month billed, not unit-months)."""
    found = _line_terms(invoice, li, added, terms)
    if isinstance(found, Unpriced):
        return NotPriced(found.why)
    if isinstance(found, Finding):
        if found.kind == "currency":
            return NotPriced(f"the {added.name} is agreed in {added.fee.get('currency')}, the invoice is in "
                             f"{invoice.currency}")
        return NotPriced(f"the period {invoice.period_start} to {invoice.period_end} ends before {added.agreed_from}, "
                         f"the day the {added.name} was agreed from: what part of the line bills it is not known")
    fee = added.fee
    per_unit = fee.get("unit_price") is not None and bool(fee.get("unit"))
    if per_unit and units is None:
        return NotPriced(f"the {added.name} is per {fee['unit']}: how many {fee['unit']}s the line bills of it is "
                         "not stated")
    counted = None if units is not None else _flat_quantity(li, added.name, found.billed)
    if counted is not None:
        return NotPriced(counted)
    count = units if per_unit else None
    least = _expected_at(added, _agreed_rate(added), found, count, "before any increase", reading_said)
    if isinstance(found.priced, str):
        return NotPriced(found.priced, agreed=least if isinstance(least, Expected) else None)
    most = _expected_at(added, found.priced, found, count, None, reading_said)
    if isinstance(most, str):
        return NotPriced(most)
    if isinstance(least, Expected) and least.amount != most.amount:
        least = _expected_at(added, found.priced, found, count, "before the increase the cap allows",
                             reading_said)
        return replace(most, agreed=least if isinstance(least, Expected) else None)
    return most


def _expected_at(added: AddedFee, priced: _Priced, found: _LineTerms, units: Decimal | None,
                 before: str | None, reading_said: bool = False) -> Expected | str:
    """The added fee for the months billed (times ``units`` for a fee per unit), at the most
    ``priced`` allows, or (``before`` said) at its agreed rate; or why not known (a quantity that
    may count units or unit-periods)."""
    fee = added.fee
    rate = priced.agreed if before else priced.limit
    months = (found.billed, found.per_period)
    count = ""
    if units is None:
        amount = cents(rate * found.billed / found.per_period)
    else:
        as_periods, amount = unit_readings(rate, units, months, fee.get("quantity"), reading_said=reading_said)
        if as_periods != amount:
            counts, reading = other_reading(str(fee["unit"]), fee.get("period"), rate, units, months)
            return (f"whether its quantity {units} counts {fee['unit']}s or {counts} is not known (as {fee['unit']}s, "
                    f"{format_amount(rate)} x {units}{found.share} = {format_amount(amount)}; as {counts}, {reading} = "
                    f"{format_amount(as_periods)})")
        count = f" x {units} {fee['unit']}"
    derivation = f"{priced.agreed_derivation}, {before}" if before else priced.derivation
    return Expected(f"added fee {added.name}", amount, f"{derivation}{found.share}{count} = {format_amount(amount)}",
                    f"agreed from {added.agreed_from_derivation}", fee.get("evidence"), found.billed)


def _compared(invoice: Invoice, li: InvoiceLine, added: AddedFee, priced: _Priced, share: str,
              months: tuple[int, int], unknown: str | None = None) -> Finding | None:
    """The line's amount against the amount expected for the months billed (``months``: those billed
    and those of the fee's period, ``share`` in words): above the most allowed, over-charged by the difference;
    below the agreed rate, under-charged (told, nothing claimed); between: as agreed. A per-unit line
    on an invoice for several of the fee's periods may count units or unit-periods: over or under
    only when both readings say so, not checked when they disagree on an over-charge. ``unknown``:
    why the increase allowed is not known (``priced`` is then the agreed rate): below it is
    under-charged whatever the increase, a cap allowing none below the rate agreed."""
    fee = added.fee
    per_unit = fee.get("unit_price") is not None and bool(fee.get("unit"))
    count = f" x {li.quantity} {fee['unit']}" if per_unit else ""

    def expected(rate: Decimal) -> tuple[Decimal, Decimal]:
        # multiplied before divided: 12,000.00 a year x 1/12 is 1,000.00 exactly; a per-unit line on an
        # invoice for several of the rate's periods: (as unit-periods, as units) when they may differ
        if per_unit:
            return unit_readings(rate, li.quantity, months, fee.get("quantity"), cents(li.amount))
        flat = cents(rate * months[0] / months[1])
        return flat, flat

    least_most, most = expected(priced.limit)
    charged = cents(li.amount)
    where = f"line {li.line_id} ({li.description})"
    source = f"{added.name}, agreed from {added.agreed_from_derivation}"  # the derivation names the amendment
    if most >= charged > least_most:
        unit = fee.get("unit")
        counts, reading = other_reading(str(unit), fee.get("period"), priced.limit, li.quantity, months)
        return _not_checked(invoice, li, added, f"whether its quantity {li.quantity} counts {unit}s or "
                            f"{counts} is not known: as {unit}s for {months[0]} months, "
                            f"{priced.derivation}{share}{count} = {format_amount(most)}, {format_amount(charged)} "
                            f"is as agreed; as {counts}, {reading} = {format_amount(least_most)}, "
                            f"{format_amount(charged - least_most)} over", None)
    if charged > most:
        return Finding("price_above_agreed", invoice.number,
                       f"{where}: {format_amount(charged)} above the {format_amount(most)} agreed for the {added.name}",
                       f"{source}: expected {priced.derivation}{share}{count} = {format_amount(most)}; charged "
                       f"{format_amount(charged)} > {format_amount(most)}: {format_amount(charged - most)} over",
                       Money(charged - most, invoice.currency), li.line_id, fee.get("evidence"))
    least, least_as_units = expected(priced.agreed)
    if least != least_as_units:  # under-charged only when under by both readings of the quantity
        counts, _ = other_reading(str(fee["unit"]), fee.get("period"), priced.agreed, li.quantity, months)
        count = f" x {li.quantity} {counts}" + ("" if months[0] > months[1] else f" / {months[1]}")
        share = ""
    if charged < least:
        rate = priced.derivation if priced.agreed == priced.limit else priced.agreed_derivation
        # a line discount is the supplier's to give: said, so the difference is not read as an error
        discount = (f", after the line's own allowances less charges of {format_amount(-li.adjustments)}"
                    if li.adjustments < 0 else "")
        return Finding("price_below_agreed", invoice.number,
                       f"{where}: {format_amount(charged)} below the {format_amount(least)} agreed for the "
                       f"{added.name} (under-charged by {format_amount(least - charged)}{discount})",
                       f"{source}: expected {rate}{share}{count} = {format_amount(least)}; charged "
                       f"{format_amount(charged)} < {format_amount(least)}: {format_amount(least - charged)} under "
                       "(told, nothing claimed)" + (f"; {unknown}, but no increase takes it below the rate agreed: "
                                                    "under-charged whatever increase is allowed" if unknown else ""),
                       None, li.line_id, fee.get("evidence"))
    return None


def _before_agreed(invoice: Invoice, li: InvoiceLine, added: AddedFee, agreed: str) -> Finding | Unpriced | None:
    """A line for a period that ended before the fee was agreed: billed before it (the line's amount
    at stake); one whose period runs across that day, or an invoice with no period issued before
    it: not known what part is the fee's."""
    start, end, day = invoice.period_start, invoice.period_end, added.agreed_from
    assert day is not None
    if start is not None and end is not None:
        if end < day:
            return Finding(
                "billed_before_agreed", invoice.number,
                f"line {li.line_id} ({li.description}): the {added.name} billed for {start} to {end}, before "
                f"an amendment agreed it from {day}",
                f"the period {start} to {end} ends before {added.agreed_from_derivation}: the {added.name} "
                f"({_rate(added.fee)}) was not agreed for it; billed {format_amount(li.amount)}",
                Money(cents(li.amount), invoice.currency), li.line_id, added.fee.get("evidence"))
        if start < day:
            return Unpriced(added, f"the period {start} to {end} begins before the {added.name} "
                                f"was agreed ({day}), and how part of a period is counted is not read", agreed)
        return None
    if billed_from(invoice) < day:
        return Unpriced(added, f"the invoice states no whole period and is billed from "
                            f"{billed_from(invoice)}, before the {added.name} was agreed ({day}): whether the line "
                            "is for a period before it is not known", agreed)
    return None


def _months_billed(invoice: Invoice, fee: dict) -> tuple[int, str] | str:
    """The months the line is for (the invoice's period, else how the added fee is invoiced), with
    what says so; or why that is not known."""
    billed = _months(invoice)
    if billed == 0:
        return (f"the invoice period {invoice.period_start} to {invoice.period_end} is not a whole number of "
                "months, and how the contract prorates part of a month is not read")
    if billed is not None:
        return billed, ""
    cadence = _BILLED_MONTHS.get((fee.get("billing") or "").split(" ")[0])
    if cadence is None:
        return ("the invoice states no period (UBL InvoicePeriod, CSV/JSON period_start and period_end) and how the "
                "added fee is invoiced was not read")
    return cadence, f" (the invoice states no period; the fee is invoiced {fee['billing']})"


def _agreed_rate(added: AddedFee) -> _Priced:
    """The added fee's rate as the amendment states it, with no increase."""
    fee = added.fee
    base = Decimal(fee["unit_price"] if fee.get("unit_price") is not None and fee.get("unit") else fee["amount"])
    per_unit = f" per {fee['unit']}" if fee.get("unit_price") is not None and fee.get("unit") else ""
    agreed = f"{fee.get('currency', '')} {format_amount(base)}{per_unit} a {fee['period']}".strip()
    return _Priced(base, base, agreed, agreed)


def _allowed(invoice: Invoice, added: AddedFee, terms: ContractMoney) -> _Priced | str:
    """The added fee's rate, increased by the cap only when the cap's clause covers it and only for
    the renewal terms begun since the amendment; or why the most allowed is not known (the terms
    begun not known; begun, and no cap read, an index, or a cap whose clause does not cover it)."""
    fee = added.fee
    rate = _agreed_rate(added)
    base, agreed = rate.agreed, rate.agreed_derivation
    per_unit = f" per {fee['unit']}" if fee.get("unit_price") is not None and fee.get("unit") else ""
    cap = terms.price_increase_cap
    since = _renewal_terms_since(invoice, added, terms)
    if since is None:
        # terms shorter than a year under a cap that says neither per term nor per year: said as such
        mixed = cadence_why(invoice.period_end or billed_from(invoice), terms, cap_cadence(terms.cap_evidence))
        return (f"how many renewal terms have begun since the {added.name} was agreed is not known"
                + (f": {mixed}" if mixed else " (the term's end or its renewal period was not read), so the increase "
                   "the contract allows is not known"))
    k, derivation = since
    if k == 0:
        return _Priced(base, base, f"{agreed} ({derivation}: no increase)", agreed)
    if cap is not None and not _cap_covers(terms, added):
        clause = " ".join(((terms.cap_evidence or {}).get("text") or "").split())
        return (f"{derivation}, and the increase allowed is not known (the cap on increases, {cap}, is not applied: "
                f"its clause {f'{clause!r} ' if clause else ''}does not say it covers all fees or the {added.name})")
    allowed = allowed_price(base, cap, k)
    if allowed is None:
        return (f"{derivation}, and the increase allowed is not known ("
                + ("no cap on increases was read" if cap is None else f"the cap {cap} is an index, its value not known")
                + ")")
    limit, arithmetic = allowed
    return _Priced(base, limit, f"{arithmetic}{per_unit} a {fee['period']} ({derivation}; the cap's clause covers it)",
                   agreed)


def index_lowers(terms: ContractMoney, added: AddedFee) -> str | None:
    """Why the added fee below its agreed rate may be as agreed (``invoices.index_may_lower``: the
    change allowed is linked to an index, and the index's clause covers the fee); None when not."""
    return index_may_lower(terms) if _cap_covers(terms, added) else None


def _cap_covers(terms: ContractMoney, added: AddedFee) -> bool:
    """Whether the cap's clause covers the added fee: it says all fees, or names the added fee."""
    text = (terms.cap_evidence or {}).get("text") or ""
    # each sentence alone; one that keeps fees out of the cap is not read as covering it
    return any(not _NEGATION.search(sentence)
               and (bool(_ALL_FEES.search(sentence)) or bool(name_words(added.fee.get("name")) & name_words(sentence)))
               for sentence in re.split(r"(?<=[.;])\s+", text))


def _renewal_terms_since(invoice: Invoice, added: AddedFee, terms: ContractMoney) -> tuple[int, str] | None:
    """The renewal terms begun between the day the fee was agreed and the day the line is billed
    from (a period into a later term: that term's, never overstating), with the arithmetic."""
    assert added.agreed_from is not None
    on: date = invoice.period_end or billed_from(invoice)
    cadence = cap_cadence(terms.cap_evidence)
    if cadence is not None and cadence.per == ANNIVERSARY:  # of a named day, from the day it was agreed
        counted = anniversaries_begun(on, terms, cadence, added.agreed_from)
        return None if isinstance(counted, str) else counted
    return renewal_terms_begun(on, terms.expiration, terms.renewal_term, terms.renewal_earlier, added.agreed_from,
                               cadence)


def stated_units(li: InvoiceLine, fee: dict) -> str | None:
    """Why the line's quantity is not known to count the fee's units (None: it is)."""
    unit = fee["unit"]
    wanted = name_words(unit)
    if li.unit and li.unit.upper() in _TIME_UNITS:
        return f"the {unit} fee's line counts its quantity in {li.unit} (time), not in {unit}s"
    stated = name_words(li.unit) if li.unit and len(li.unit) > 3 else set()
    if stated and not stated & wanted:
        return f"the line counts {li.unit}, the fee is per {unit}"
    if not (stated | name_words(li.description)) & wanted:
        return f"the line does not say its quantity ({li.quantity}) counts {unit}s, which the fee is per"
    if li.quantity == 1 and not stated & wanted:
        return f"its quantity 1 is in no unit of {unit}s, and a flat fee's line bills 1"
    return None


def _flat_quantity(li: InvoiceLine, name: str, billed: int) -> str | None:
    """A flat fee's line bills it once, or once per month billed (3 x a monthly fee on a quarter)."""
    if li.quantity in (1, billed):
        return None
    return f"the line bills {li.quantity} of the {name}, a flat fee: what its quantity counts is not known"
