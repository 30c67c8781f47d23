"""An invoice line billing the contract's fee and a fee an amendment added together ("Subscription
Fees incl. Premium Support", 6,500.00), priced against the two agreed fees summed (pure: no store,
no AWS): above the most they allow summed, over-charged; below their agreed rates summed,
under-charged (told, nothing claimed), as a line of an added fee alone below its rate is.

Each part is the amount its own check expects for the months billed (`invoices.contract_fee_expected`,
`added_fee_lines.added_fee_expected`), with its arithmetic and clause; the line is over-charged only
by what it bills beyond their sum, both clauses its evidence. When either part cannot be priced (a
fee per unit: how many units the line bills of it is not stated; the period, the day the fee was
agreed or the increase allowed not known), or another line bills either fee too (what part of this
one is each's is then not known), the line is not checked, with why: a wrong value is worse than a
missing one."""

from __future__ import annotations

from .added_fee_lines import Unpriced, added_fee_expected, version_billed
from .amended_fees import LineAddedFees, first_version, line_added_fees
from .amounts import Money, cents, format_amount
from .invoices import (
    ContractMoney,
    Expected,
    Finding,
    Invoice,
    InvoiceLine,
    NotPriced,
    _fee_lines,
    added_fees_of,
    contract_fee_expected,
)


def combined_fee_findings(invoice: Invoice, terms: ContractMoney) -> list[Finding]:
    """A finding for each line that bills the contract's fee and one added fee together and is
    over-charged, under-charged or cannot be priced (none for a line within the two fees summed)."""
    added = added_fees_of(terms)
    out = []
    for li in invoice.lines:
        named = line_added_fees(li.description, terms.fees, added, terms.counterparty)
        if named is None or not named.names_contract_fee_too or not named.added_versions:
            continue  # the contract's fee's line, an added fee's alone, or two added fees named as much
        finding = _combined_line(invoice, li, named, terms)
        if finding is not None:
            out.append(finding)
    return out


def _combined_line(invoice: Invoice, li: InvoiceLine, named: LineAddedFees, terms: ContractMoney) -> Finding | None:
    fees = terms.fees or {}
    name = named.added_versions[-1].name
    both = (f"it names both the contract's {fees.get('name') or fees.get('unit') or 'fee'} and the {name} an "
            "amendment added, billed together")
    clauses = tuple(c for c in (terms.fees_evidence, named.added_versions[-1].fee.get("evidence")) if c)
    parts = _parts(invoice, li, named, terms)
    if isinstance(parts, str):
        return Finding("not_checked", invoice.number, f"line {li.line_id} ({li.description}) not priced: {both}, "
                       f"and {parts}", f"{both}; {parts}: check the amount by hand", None, li.line_id,
                       terms.fees_evidence, clauses)
    contract, added = parts
    charged = cents(li.amount)
    if charged > contract.amount + added.amount:
        return _over(invoice, li, both, name, contract, added)
    if charged < contract.least.amount + added.least.amount:
        return _under(invoice, li, both, name, contract.least, added.least)
    return None  # from the rates agreed up to the increases allowed: as agreed


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


def _under(invoice: Invoice, li: InvoiceLine, both: str, name: str, contract: Expected, added: Expected) -> Finding:
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
        f"{format_amount(total - charged)} under (told, nothing claimed)",
        None, li.line_id, contract.evidence, tuple(c for c in (contract.evidence, added.evidence) if c))


def _parts(invoice: Invoice, li: InvoiceLine, named: LineAddedFees,
           terms: ContractMoney) -> tuple[Expected, Expected] | str:
    """The amount each fee is expected to bill on the line, or why one is not known."""
    other = _other_line(invoice, li, named, terms)
    if other is not None:
        return (f"line {other.line_id} ({other.description}) bills one of them too: what part of each line is "
                "each's is not known")
    contract = contract_fee_expected(invoice, terms)
    if isinstance(contract, NotPriced):
        return contract.why
    version = version_billed(invoice, li, named.added_versions)
    if isinstance(version, Unpriced):
        return version.why
    added = added_fee_expected(invoice, li, version, terms)
    if isinstance(added, str):
        return added
    if contract.months != added.months:
        return (f"the contract's fee is billed for {contract.months} month(s) on it and the {version.name} for "
                f"{added.months} (the invoice states no period; each fee is invoiced as its clause says): which "
                "period the line is for is not known")
    return contract, added


def _other_line(invoice: Invoice, li: InvoiceLine, named: LineAddedFees, terms: ContractMoney) -> InvoiceLine | None:
    """Another line that bills the contract's fee (as its own check takes it) or the same added fee."""
    contract_lines = _fee_lines(invoice, terms)
    if contract_lines:
        return contract_lines[0]
    added = added_fees_of(terms)
    every = tuple(a.fee for a in added)
    mine = {id(first_version(a.fee, every)) for a in named.added_versions}
    for other in invoice.lines:
        if other is li:
            continue
        theirs = line_added_fees(other.description, terms.fees, added, terms.counterparty)
        if theirs is not None and mine & {id(first_version(a.fee, every)) for a in theirs.fees}:
            return other
    return None


