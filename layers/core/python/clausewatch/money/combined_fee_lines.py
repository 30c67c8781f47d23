"""An invoice line billing the contract's fee and a fee an amendment added together ("Subscription
Fees incl. Premium Support", 6,500.00), priced against the two agreed fees summed (pure: no store,
no AWS): above the most they allow summed, over-charged; below their agreed rates summed,
under-charged (told, nothing claimed), as a line of an added fee alone below its rate is, also when
the increase allowed on a part is not known (no increase takes a fee below its rate agreed).

Each part is the amount its own check expects for the months billed (`invoices.contract_fee_expected`,
`added_fee_lines.added_fee_expected`), with its arithmetic and clause; the line is over-charged only
by what it bills beyond their sum, both clauses its evidence. A part per unit beside a flat one is
priced for the units the line's quantity states it counts (one reading of them). Lines in the same
words but for their part markers ("... (part 1/2)", "(part 2/2)"; each marked) are one charge: priced
once on their sum, the verdict naming each (parts per unit each stating the same quantity: not
checked, each may restate the whole). Below the rates agreed with a part's change linked to an index
that may fall: not checked. When either part cannot be priced (a fee per unit whose units
the line does not state, or both per unit; the period, the day the fee was agreed or, at or above
the rates agreed, the increase allowed not known), or another line bills either fee too (what part
of this one is each's is then not known), the line is not checked, with why: a wrong value is worse
than a missing one. On a quarter of a monthly rate, a part per unit is priced for the units the line's
unit word says its quantity counts ("120 User-months": 40 Users x 3 months). Its amounts are net of
tax, and of the credits against it (`beside_combined`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from .added_fee_lines import (
    PART,
    Unpriced,
    added_fee_expected,
    index_lowers,
    parts_marked,
    repeated_parts,
    said_of_lines,
    stated_units,
    together,
    version_billed,
)
from .amended_fees import LineAddedFees, first_version, line_added_fees
from .amounts import Money, cents, format_amount
from .beside_combined import lines_beside, net_note
from .invoices import (
    ContractMoney,
    Expected,
    Finding,
    Invoice,
    InvoiceLine,
    NotPriced,
    _fee_lines,
    _months,
    added_fees_of,
    agreed_names,
    contract_fee_expected,
    index_may_lower,
)
from .taxes import is_tax_line, tax_included, tax_or_fee


def combined_fee_findings(invoice: Invoice, terms: ContractMoney) -> list[Finding]:
    """A finding for each line (or lines split in parts) that bills the contract's fee and one added
    fee together and is over-charged, under-charged or cannot be priced (none within the two fees
    summed); its amounts net of tax, and of the credits against it (`beside_combined`)."""
    names = agreed_names(terms)
    groups = _combined_charges([li for li in invoice.lines if li.amount >= 0 and not is_tax_line(li.description, names)],
                               terms)
    if not groups:
        return []
    beside = lines_beside(invoice, terms, set(groups))
    charges = replace(invoice, lines=beside.charges)  # what is priced: no tax line, no negative line
    out = []
    for key, found in groups.items():
        credits, unclear = beside.credits.get(key, []), beside.unclear.get(key, [])
        out += [f if f.kind == "not_checked" else  # nothing compared: no amount said to be net
                replace(f, derivation=f.derivation + net_note(invoice, beside.taxes, [li for li, _ in found]))
                for f in _charge_findings(charges, terms, found, credits, unclear)]
    return out


def _combined_charges(lines: list[InvoiceLine], terms: ContractMoney
                      ) -> dict[int, list[tuple[InvoiceLine, LineAddedFees]]]:
    """The lines that bill the contract's fee and one added fee together, by the added fee (its first
    version's id)."""
    added = added_fees_of(terms)
    every = tuple(a.fee for a in added)
    groups: dict[int, list[tuple[InvoiceLine, LineAddedFees]]] = {}
    for li in lines:
        named = line_added_fees(li.description, terms.fees, added, terms.counterparty)
        if named is None or not named.names_contract_fee_too or not named.added_versions:
            continue  # the contract's fee's line, an added fee's alone, or two added fees named as much
        groups.setdefault(id(first_version(named.added_versions[0].fee, every)), []).append((li, named))
    return groups


def _charge_findings(invoice: Invoice, terms: ContractMoney, found: list[tuple[InvoiceLine, LineAddedFees]],
                     credits: list[InvoiceLine], unclear: list[tuple[InvoiceLine, str]]) -> list[Finding]:
    """The findings on one combined charge: its line, or its parts priced as one, net of ``credits``
    (``unclear``: negative lines that may be against it, so it is not checked)."""
    lines = [li for li, _ in found]
    one = _parts_of_one_line(lines, found[0][1], terms)
    if one is None and len(lines) > 1:
        if credits or unclear:
            unclear = unclear + [(c, f"line {c.line_id} ({c.description}) credits it, and which of its lines is not "
                                     "known") for c in credits]
        return [f for li, named in found
                if (f := _combined_line(invoice, li, named, terms, [li], _why_unclear(unclear))) is not None]
    why = one if isinstance(one, str) else _why_unclear(unclear)
    line = together(lines, Decimal(1)) if isinstance(one, str) else one if one is not None else lines[0]
    credited = -sum((c.amount for c in credits), Decimal(0))
    if why is None and credits and credited >= line.amount:
        why = (f"the credits on line {' + '.join(c.line_id for c in credits)} ({format_amount(credited)}) are as "
               "much as or more than the "
               f"{format_amount(line.amount)} charged for it: what they are against is not known")
    said = [li for li in lines if tax_included(li.description, agreed_names(terms))]
    if why is None and said:
        why = f"line {said[0].line_id} ({said[0].description}) says its amount includes tax: its net is not known"
    either = [(li, fee) for li in lines if (fee := tax_or_fee(li.description, agreed_names(terms)))]
    if why is None and either:
        why = (f"line {either[0][0].line_id} ({either[0][0].description}) names a tax or the {either[0][1]}: "
               "which is not known")
    net = _net_of(line, credits) if credits and why is None else line
    finding = _combined_line(invoice, net, found[0][1], terms, lines, why)
    if finding is None:
        return []
    if net is not line:
        finding = _credited(finding, line, net, credits)
    if len(lines) > 1:
        finding = replace(said_of_lines(finding, line, lines), line_ids=finding.line_ids or tuple(li.line_id
                                                                                                  for li in lines))
    return [finding]


def _why_unclear(unclear: list[tuple[InvoiceLine, str]]) -> str | None:
    return "; ".join(why for _, why in unclear) or None


def _net_of(line: InvoiceLine, credits: list[InvoiceLine]) -> InvoiceLine:
    """The charge's line less the credits against it: what was charged for it."""
    return replace(line, amount=line.amount + sum((c.amount for c in credits), Decimal(0)))


def _credited(finding: Finding, line: InvoiceLine, net: InvoiceLine, credits: list[InvoiceLine]) -> Finding:
    """A finding on a charge net of its credits: the credits named in its arithmetic and its lines
    (``line_ids``, so a total counts the money once)."""
    less = " ".join(f"- {format_amount(-c.amount)} (line {c.line_id}, {c.description})" for c in credits)
    said = f"charged {format_amount(line.amount)} {less} = {format_amount(net.amount)} for it, net of its credits; "
    ids = tuple(line.line_id.split(" + ")) + tuple(c.line_id for c in credits)
    where = f"line {line.line_id} ({line.description})"
    net_of = f"net of the credit on line {' + '.join(c.line_id for c in credits)}"
    return replace(finding, line_id=None, line_ids=ids, derivation=said + finding.derivation,
                   summary=finding.summary.replace(where, f"lines {' + '.join(ids)} ({line.description}, {net_of})", 1))


def _parts_of_one_line(lines: list[InvoiceLine], named: LineAddedFees, terms: ContractMoney
                       ) -> InvoiceLine | str | None:
    """Lines that each bill the same two fees, in the same words but for their part markers ("...
    (part 1/2)", "(part 2/2)"; the invoice's one period), as one line: their amounts summed, and
    their quantities when each counts the units of a part per unit (the added fee's or the
    contract's) in one unit code; None when one line, lines not each marked as a part (alike lines,
    or "Instalment 2", may bill successive periods) or the lines differ (what part of each is each
    fee's is then not known); why not priced when parts per unit each state the same quantity."""
    if len(lines) < 2 or not parts_marked(lines) or len({" ".join(re.findall(r"\w+", PART.sub(" ", li.description)
                                                                           .lower())) for li in lines}) > 1:
        return None
    fees = terms.fees or {}
    per_unit = _per_unit(named) or (fees if fees.get("unit_price") is not None else None)
    if per_unit is None:
        return together(lines, Decimal(1)) if all(li.quantity == 1 for li in lines) else None
    if len({li.unit for li in lines}) > 1:
        return None
    return repeated_parts(lines, per_unit.get("unit") or "unit") or together(
        lines, sum((li.quantity for li in lines), Decimal(0)))


def _per_unit(named: LineAddedFees) -> dict | None:
    """The added fee when it is per unit (its latest version), else None."""
    fee = named.added_versions[-1].fee
    return fee if fee.get("unit_price") is not None and fee.get("unit") else None


def _combined_line(invoice: Invoice, li: InvoiceLine, named: LineAddedFees, terms: ContractMoney,
                   lines: list[InvoiceLine], unpriced: str | None = None) -> Finding | None:
    fees = terms.fees or {}
    name = named.added_versions[-1].name
    both = (f"it names both the contract's {fees.get('name') or fees.get('unit') or 'fee'} and the {name} an "
            "amendment added, billed together")
    clauses = tuple(c for c in (terms.fees_evidence, named.added_versions[-1].fee.get("evidence")) if c)
    where = f"line {li.line_id} ({li.description})"  # "lines 1 + 2 (...)" for parts: `said_of_lines`
    parts = unpriced or _parts(invoice, li, named, terms, lines)
    if isinstance(parts, str):
        return _not_checked(invoice, li, where, both, parts, terms, clauses)
    contract, added = parts
    charged = cents(li.amount)
    least = _least(contract) + _least(added)
    if isinstance(contract, Expected) and isinstance(added, Expected):
        if charged > contract.amount + added.amount:
            return _over(invoice, li, both, name, contract, added)
        if charged < least:
            return _under(invoice, li, both, name, contract.least, added.least)
        return None  # from the rates agreed up to the increases allowed: as agreed
    unknown = "; ".join(f"{whose}: {p.why}" for whose, p in (("the contract's fee", contract), (f"the {name}", added))
                        if isinstance(p, NotPriced))
    lower = [why for part, why in ((contract, index_may_lower(terms)), (added, index_lowers(terms, named.added_versions[-1])))
             if isinstance(part, NotPriced) and why]
    if charged < least and lower:
        return _not_checked(invoice, li, where, both, f"{unknown}; {lower[0]} (below the rates agreed summed, "
                            f"{format_amount(least)})", terms, clauses)
    if charged < least:
        # a cap allows increases only: below the rates agreed before any, under whatever is allowed
        return _under(invoice, li, both, name, _floor(contract), _floor(added),
                      f"; {unknown}; no increase takes them below the rates agreed: under-charged whatever increase "
                      "is allowed")
    return _not_checked(invoice, li, where, both, f"{unknown} (at or above the rates agreed summed, "
                        f"{format_amount(least)}, only the increase allowed would tell it over)", terms, clauses)


def _least(part: Expected | NotPriced) -> Decimal:
    return _floor(part).amount


def _floor(part: Expected | NotPriced) -> Expected:
    """A part at its agreed rate (``_parts`` returns a NotPriced part only with it)."""
    floor = part.least if isinstance(part, Expected) else part.agreed
    assert floor is not None
    return floor


def _not_checked(invoice: Invoice, li: InvoiceLine, where: str, both: str, why: str, terms: ContractMoney,
                 clauses: tuple[dict, ...]) -> Finding:
    return Finding("not_checked", invoice.number, f"{where} not priced: {both}, and {why}",
                   f"{both}; {why}: check the amount by hand", None, li.line_id, terms.fees_evidence, clauses)


def _over(invoice: Invoice, li: InvoiceLine, both: str, name: str, contract: Expected, added: Expected) -> Finding:
    """Above the most the two fees allow summed: over-charged by the difference, at stake."""
    total, charged = contract.amount + added.amount, cents(li.amount)
    return Finding(
        "price_above_agreed", invoice.number,
        f"line {li.line_id} ({li.description}): {format_amount(charged)} above the {format_amount(total)} agreed for "
        f"the contract's fee and the {name} together",
        f"{both}; the contract's fee: {contract.basis}; the {name} {added.basis}; expected {contract} + {added} = "
        f"{format_amount(total)}; charged {format_amount(charged)} > {format_amount(total)}: "
        f"{format_amount(charged - total)} over",
        Money(charged - total, invoice.currency), li.line_id, contract.evidence,
        tuple(c for c in (contract.evidence, added.evidence) if c))


def _under(invoice: Invoice, li: InvoiceLine, both: str, name: str, contract: Expected, added: Expected,
           unknown: str = "") -> Finding:
    """Below the two fees' agreed rates summed: under-charged, told with nothing claimed, as a line of
    an added fee alone below its rate is (``added_fee_lines._compared``)."""
    total, charged = contract.amount + added.amount, cents(li.amount)
    # a line discount is the supplier's to give: said, so the difference is not read as an error
    discount = (f", after the line's own allowances less charges of {format_amount(-li.adjustments)}"
                if li.adjustments < 0 else "")
    return Finding(
        "price_below_agreed", invoice.number,
        f"line {li.line_id} ({li.description}): {format_amount(charged)} below the {format_amount(total)} agreed for "
        f"the contract's fee and the {name} together (under-charged by {format_amount(total - charged)}{discount})",
        f"{both}; the contract's fee: {contract.basis}; the {name} {added.basis}; expected {contract} + {added} = "
        f"{format_amount(total)}; charged {format_amount(charged)} < {format_amount(total)}: "
        f"{format_amount(total - charged)} under (told, nothing claimed){unknown}",
        None, li.line_id, contract.evidence, tuple(c for c in (contract.evidence, added.evidence) if c))


def _parts(invoice: Invoice, li: InvoiceLine, named: LineAddedFees, terms: ContractMoney, lines: list[InvoiceLine]
           ) -> tuple[Expected | NotPriced, Expected | NotPriced] | str:
    """The amount each fee is expected to bill on the line (a part whose increase allowed is not
    known: at its agreed rate, in ``NotPriced.agreed``), or why one is not known."""
    other = _other_line(invoice, lines, named, terms)
    if other is not None:
        return (f"line {other.line_id} ({other.description}) bills one of them too: what part of each line is "
                "each's is not known")
    version = version_billed(invoice, li, named.added_versions)
    if isinstance(version, Unpriced):
        return version.why
    units = _units_billed(li, lines, named, terms)
    if isinstance(units, str):
        return units
    reading = _reading_said(invoice, li, lines, named, terms, units)
    if isinstance(reading, str):
        return reading
    if reading is not None:
        units = reading.units
    per_unit_contract = (terms.fees or {}).get("unit_price") is not None
    said = reading is not None
    contract = contract_fee_expected(invoice, terms, units if per_unit_contract else None, reading_said=said)
    if isinstance(contract, NotPriced) and contract.agreed is None:
        return contract.why
    added = added_fee_expected(invoice, li, version, terms, units, reading_said=said)
    if isinstance(added, NotPriced) and added.agreed is None:
        return added.why
    if _floor(contract).months != _floor(added).months:
        return (f"the contract's fee is billed for {_floor(contract).months} month(s) on it and the {version.name} "
                f"for {_floor(added).months} (the invoice states no period; each fee is invoiced as its clause says): "
                "which period the line is for is not known")
    if reading is not None and reading.said:
        contract, added = ((_with_reading(contract, reading.said), added) if per_unit_contract
                           else (contract, _with_reading(added, reading.said)))
    return contract, added


@dataclass(frozen=True)
class _Reading:
    """What the line says its per-unit quantity counts: ``units`` for every month billed, and how
    they follow from a quantity of unit-months (``said``; "" when it counts units)."""

    units: Decimal
    said: str = ""


def _reading_said(invoice: Invoice, li: InvoiceLine, lines: list[InvoiceLine], named: LineAddedFees,
                  terms: ContractMoney, units: Decimal | None) -> _Reading | str | None:
    """On an invoice for several months, whether the line says its quantity of the part per unit
    counts unit-months ("120 User-months", unit code "User-month") or, beside a rate per unit per
    month ("per user per month"), units ("40 Users"): units x months x rate; None when it does not
    say (both readings are then weighed, `unit_readings`), or why not known (unit-months that are
    not a whole number of units for each month)."""
    fee = _per_unit(named) or (terms.fees if (terms.fees or {}).get("unit_price") is not None else None)
    billed = _months(invoice)
    if fee is None or units is None or not billed or billed <= 1:
        return None
    word = re.escape(str(fee.get("unit") or "unit").split()[-1])
    text = " ".join(f"{each.description} {each.unit or ''}" for each in lines)
    # "10.00 per User-month" states the rate, not what the quantity counts
    text = re.sub(rf"(?:\bper|\ba|\beach|/)\s*{word}s?[- ]?months?\b", " ", text, flags=re.IGNORECASE)
    if re.search(rf"\b{word}s?[- ]?months?\b", text, re.IGNORECASE):
        if units % billed:
            return (f"its quantity {units} counts {fee.get('unit')}-months, not a whole number of {fee.get('unit')}s for "
                    f"each of the {billed} months billed: how many each month is not known")
        return _Reading(units / billed, f"{units} {fee.get('unit')}-months = {units / billed} {fee.get('unit')}s x "
                                        f"{billed} months")
    rate = re.compile(rf"\bper\s+{word}\s+(?:per|a|each)\s+month\b", re.IGNORECASE)
    if rate.search(text) and (re.search(rf"\b{re.escape(str(units))}\s+{word}s?\b", rate.sub(" ", li.description),
                                        re.IGNORECASE) or (li.unit and re.fullmatch(rf"{word}s?", li.unit, re.I))):
        return _Reading(units)
    return None


def _with_reading(part: Expected | NotPriced, said: str) -> Expected | NotPriced:
    """A part per unit with how its units follow from the unit-months the line states (its rate
    agreed too, the floor of a part whose increase allowed is not known)."""
    agreed = None if part.agreed is None else replace(part.agreed, arithmetic=f"{said}; {part.agreed.arithmetic}")
    if isinstance(part, NotPriced):
        return replace(part, agreed=agreed)
    return replace(part, arithmetic=f"{said}; {part.arithmetic}", agreed=agreed)


def _units_billed(li: InvoiceLine, lines: list[InvoiceLine], named: LineAddedFees,
                  terms: ContractMoney) -> Decimal | None | str:
    """The units the line bills of its part per unit (a fee per User beside a flat fee: its quantity,
    when every line it sums states it counts Users), None when both parts are flat, or why not known
    (both per unit; a quantity not said to count the fee's units, or a quantity of 1 with no unit of
    them: what a flat fee's line has)."""
    fees = terms.fees or {}
    added = _per_unit(named)
    contract = fees if fees.get("unit_price") is not None else None
    if added is not None and contract is not None:
        return (f"both are per unit ({contract.get('unit') or 'unit'}, {added['unit']}): how many of each the line "
                "bills is not known")
    fee, name = (added, named.added_versions[-1].name) if added is not None else (contract, "contract's fee")
    if fee is None:
        return None
    unit = fee.get("unit") or "unit"
    for each in lines:
        why = stated_units(each, {**fee, "unit": unit})
        if why is not None:
            return f"the {name} is per {unit}: how many {unit}s the line bills of it is not stated ({why})"
    return li.quantity


def _other_line(invoice: Invoice, lines: list[InvoiceLine], named: LineAddedFees, terms: ContractMoney
                ) -> InvoiceLine | None:
    """Another line that bills the contract's fee (as its own check takes it) or the same added fee."""
    contract_lines = _fee_lines(invoice, terms)
    if contract_lines:
        return contract_lines[0]
    added = added_fees_of(terms)
    every = tuple(a.fee for a in added)
    mine = {id(first_version(a.fee, every)) for a in named.added_versions}
    for other in invoice.lines:
        if any(other is li for li in lines):
            continue
        theirs = line_added_fees(other.description, terms.fees, added, terms.counterparty)
        if theirs is not None and mine & {id(first_version(a.fee, every)) for a in theirs.fees}:
            return other
    return None
