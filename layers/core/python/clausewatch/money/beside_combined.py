"""The lines beside a combined charge (a line billing the contract's fee and an added fee together,
`combined_fee_lines`) that bill no fee (pure: no store, no AWS): tax lines ("VAT 20%", "GST",
"Sales tax"), never compared with a fee, and negative lines. A negative line that credits the
combined charge ("Credit - Subscription Fees incl. Premium Support", a "discount" or "adjustment"
naming it and nothing else) reduces what was charged for it; one naming something else (a service
credit, a charge billed on another line) is not netted; one that may or may not be against it
("Discount" or "Goodwill credit" alone, a credit naming the charge with a period, a reference, a
reason or another fee, or one of its two fees alone) leaves the charge not checked, with why: a wrong
value is worse than a missing one."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .amended_fees import first_version, line_added_fees, name_words
from .amounts import format_amount
from .invoices import ContractMoney, Invoice, InvoiceLine, added_fees_of, agreed_names
from .taxes import is_tax_line

CREDIT = re.compile(r"\b(?:credit(?:ed|s)?|discount(?:ed|s)?|adjust(?:ment|ments|ed)?|rebate|refund(?:ed)?|"
                     r"less|reduction|allowance|cr)\b", re.IGNORECASE)
# credits that are not a price of the charge: service level credits
SERVICE_CREDIT = re.compile(r"\b(?:service(?:\s+level)?|SLA|uptime|availability|downtime)\s+credits?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Beside:
    """An invoice's lines sorted for the combined check: ``charges`` bill something; ``taxes`` are tax;
    ``credits`` and ``unclear`` are negative lines against a combined charge, by the added fee's key
    (its first version's id), the unclear ones with why."""

    charges: tuple[InvoiceLine, ...]
    taxes: tuple[InvoiceLine, ...] = ()
    credits: dict[int, list[InvoiceLine]] = field(default_factory=dict)
    unclear: dict[int, list[tuple[InvoiceLine, str]]] = field(default_factory=dict)


def lines_beside(invoice: Invoice, terms: ContractMoney, keys: set[int]) -> Beside:
    """The invoice's lines with its tax lines and its negative lines set apart (``keys``: the
    combined charges on it, by their added fee's key)."""
    charges, taxes = [], []
    credits: dict[int, list[InvoiceLine]] = {}
    unclear: dict[int, list[tuple[InvoiceLine, str]]] = {}
    names = agreed_names(terms)
    for li in invoice.lines:
        if is_tax_line(li.description, names):
            taxes.append(li)
        elif li.amount < 0:
            against, why = _credited(invoice, li, terms, keys)
            for key in against:  # none: a credit for something else, not this charge's price
                (unclear.setdefault(key, []).append((li, why)) if why else credits.setdefault(key, []).append(li))
        else:
            charges.append(li)
    return Beside(tuple(charges), tuple(taxes), credits, unclear)


def _credited(invoice: Invoice, li: InvoiceLine, terms: ContractMoney, keys: set[int]) -> tuple[set[int], str]:
    """The combined charges a negative line may credit (their keys), with why it is not known to be
    against them ("" when it is: it names the charge, both its fees, as a credit, and nothing else);
    none when it names something else (a service credit, a charge billed on another line)."""
    if SERVICE_CREDIT.search(li.description):
        return set(), ""
    what = f"line {li.line_id} ({li.description}, {format_amount(li.amount)})"
    rest = CREDIT.sub(" ", li.description)
    added = added_fees_of(terms)
    named = line_added_fees(rest, terms.fees, added, terms.counterparty)
    every = tuple(a.fee for a in added)
    fee = terms.fees or {}
    if named is not None:
        key = {id(first_version(a.fee, every)) for a in named.added_versions} & keys
        if not key:
            ours = {id(first_version(a.fee, every)) for a in named.fees} & keys
            if ours:  # this charge's added fee and another named as much
                return ours, (f"{what} names the {' and the '.join(a.name for a in named.fees)}: what part of it "
                              "credits this charge is not known")
            if any(name_words(a.name) <= _billed_elsewhere(invoice, li, terms, ours=False) for a in named.fees):
                return set(), ""  # another added fee, billed on another line
            return keys, f"{what} names no charge billed on the invoice: whether it is against this one is not known"
        if not named.names_contract_fee_too:
            return key, (f"{what} credits the {named.added_versions[-1].name} alone: what part of the charge it "
                         "reduces is not known")
        if not CREDIT.search(li.description):
            return key, f"{what} names the charge but not as a credit, discount or adjustment"
        beyond = words_beyond(rest, (fee.get("name"), fee.get("unit"), *(a.name for a in named.added_versions)))
        if beyond:
            return key, (f"{what} names {beyond} beside the charge (a period, a reference or a reason): whether "
                         "it reduces this invoice's price of the charge is not known")
        return key, ""
    if name_words(rest) & name_words(fee.get("name"), fee.get("unit")):
        return keys, f"{what} credits the contract's fee alone: what part of the charge it reduces is not known"
    if name_words(rest) & _billed_elsewhere(invoice, li, terms):
        return set(), ""  # it names another charge billed on the invoice ("Credit - Professional services")
    return keys, f"{what} names no charge billed on the invoice: whether it is against this one is not known"


# words a credit of a charge may hold beside the charge's name and its credit word
_LINKS = {"incl", "including", "inclusive", "inc", "with", "and", "for", "on", "against", "of", "the", "to", "a", "an",
          "fee", "fees", "charge", "charges"}


def words_beyond(rest: str, names: tuple[str | None, ...]) -> str:
    """What a credit's words (its credit word left out) say beyond the charge's names: "" when nothing."""
    own = {w.lower().rstrip("s") for name in names for w in re.findall(r"[A-Za-z0-9]+", name or "")}
    said = " ".join(w for w in re.findall(r"[A-Za-z0-9]+", rest)
                    if w.lower() not in _LINKS and w.lower().rstrip("s") not in own)
    # any mark beyond a separator ("#", "/", "&", "*") may say more: counted beyond
    marks = " ".join(dict.fromkeys(re.findall(r"[^\sA-Za-z0-9:,.()\-–]", rest)))
    return " ".join(filter(None, (said, marks)))


def _billed_elsewhere(invoice: Invoice, li: InvoiceLine, terms: ContractMoney, ours: bool = True) -> set[str]:
    """The words of the charges billed on the invoice's other lines (``ours`` False: every one; else
    those naming neither the contract's fee nor an added one): a credit naming one of them is against it."""
    fee = terms.fees or {}
    fees = name_words(fee.get("name"), fee.get("unit"), *(a.name for a in added_fees_of(terms))) if ours else set()
    words: set[str] = set()
    for other in invoice.lines:
        mine = name_words(other.description)
        if other is not li and other.amount > 0 and not is_tax_line(other.description, agreed_names(terms)) and not mine & fees:
            words |= mine
    return words


def net_note(invoice: Invoice, taxes: tuple[InvoiceLine, ...], lines: list[InvoiceLine]) -> str:
    """What the amounts compared are net of ("" when the invoice states no tax)."""
    said = [f"line {t.line_id} ({t.description}) {format_amount(t.amount)}" for t in taxes]
    said += [f"line {li.line_id}'s own tax {format_amount(li.tax)}" for li in lines if li.tax]
    total = ""
    if invoice.tax:  # the invoice's whole tax, those of its lines among it: not more tax
        total = (f"; the invoice's tax total {format_amount(invoice.tax)}, theirs among it" if said else
                 f"the invoice's tax total {format_amount(invoice.tax)}")
    return f"; amounts net of tax ({', '.join(said)}{total}: tax, not compared with the fees)" if said or total else ""
