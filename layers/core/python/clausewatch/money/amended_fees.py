"""An amendment's fee merged into the fee it amends (pure: no store, no AWS).

An amendment that re-prices one fee changes that fee only: its amount, currency, period and unit
price come from the amendment; what it does not state (the fee's name, how it is invoiced, the
quantity included, the overage rate, the not-to-exceed amount) stays as the earlier document
stated it. Each value keeps its own evidence: the amount's is the term's evidence (the amendment's
clause); every value kept from the earlier document carries that document's clause and name in
its own ``*_evidence`` (or, for the overage rate and the not-to-exceed amount, in their
``evidence``).

An amendment that states another fee ("adds the Analytics Module at USD 500 per month") does not
change the contract's fee: it is kept beside it under ``additional_fees`` with its clause, and the
invoice lines that name it are not priced as the main fee: they are the added fee's
(``line_added_fees``), priced at its own rate from the day it was agreed (``added_fee_lines``). A
later amendment that re-prices an added fee (the same name, a clause that does not add another) is
kept beside it with ``reprices`` naming the amendment whose price it replaces: one fee, two prices,
each in force from its own amendment's day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

# the amount itself and what it is counted by: stated together, replaced together (an old unit price
# beside a new amount would be a wrong value)
_CORE = ("amount", "currency", "period", "unit", "unit_price")
# words of a fee's name that do not tell one fee from another
_GENERIC = {"fee", "fees", "charge", "charges", "price", "prices", "pricing", "monthly", "annual", "yearly",
            "quarterly", "total", "recurring", "base", "amount", "the", "this", "such", "payable", "sum", "rate"}
_REPLACES = re.compile(r"\b(?:amend\w*|replac\w*|increas\w*|decreas\w*|reduc\w*|chang\w*|revis\w*|adjust\w*|"
                       r"restat\w*|supersed\w*|substitut\w*|in\s+lieu|instead)\b", re.IGNORECASE)
_ADDS = re.compile(r"\b(?:add(?:s|ed|ing)?|additional|in\s+addition|further)\b", re.IGNORECASE)


def name_words(*names: str | None) -> set[str]:
    """The words that tell a fee apart ("Subscription Fees" -> {"subscription"}; "licence" and
    "license" are one word)."""
    words = set()
    for name in names:
        for w in re.findall(r"[A-Za-z]{3,}", name or ""):
            w = w.lower().replace("licence", "license")
            w = w[:-1] if w.endswith("s") and not w.endswith("ss") else w
            if w not in _GENERIC and w + "s" not in _GENERIC:
                words.add(w)
    return words


def _compared_words(earlier: dict[str, Any], amended: dict[str, Any]) -> tuple[set[str], set[str], str]:
    """What tells the two fees apart: their names when both have one, else their units when both
    have one (never a name against a unit: "Premium Support" per User is not the "Subscription
    Fees" per Authorized User), else nothing (the clause decides)."""
    if name_words(earlier.get("name")) and name_words(amended.get("name")):
        return name_words(earlier.get("name")), name_words(amended.get("name")), "names"
    if not earlier.get("name") and not amended.get("name"):
        return name_words(earlier.get("unit")), name_words(amended.get("unit")), "units"
    return set(), set(), ""


def same_fee(earlier: dict[str, Any], amended: dict[str, Any], clause: str) -> tuple[bool, str]:
    """Whether the amendment's fee is the earlier fee re-priced, with why: the names it gives
    the fees (when both name one; the units when neither does), else what its clause says (amends,
    replaces, increases; or adds a fee), else the same period or unit. A clause that adds a fee and
    changes none is never read as re-pricing the contract's, even under the same name ("adds
    Subscription users at USD 10 per month"): kept beside it, its lines told as not checked."""
    before, after, what = _compared_words(earlier, amended)
    adds = bool(_ADDS.search(clause)) and not _REPLACES.search(clause)
    if before and after:
        if before & after:
            if adds:
                return False, (f"the amendment's clause adds a fee ({amended.get('name') or amended.get('unit')}) "
                               "and changes none")
            shared = ", ".join(sorted(before & after))
            return True, (f"the amendment's fee names {shared} as the earlier one does" if what == "names" else
                          f"the amendment's fee is counted per {shared} as the earlier one is")
        if _REPLACES.search(clause) and before & name_words(clause):
            # "the Subscription Fees are replaced by a Platform Fee of USD 6,000 per month"
            return True, (f"the amendment's clause replaces the contract's fee "
                          f"({earlier.get('name') or earlier.get('unit')}) by {amended.get('name') or amended.get('unit')}")
        return False, (f"the amendment's fee ({amended.get('name') or amended.get('unit')}) is not the "
                       f"contract's ({earlier.get('name') or earlier.get('unit')})")
    if adds:
        return False, "the amendment's clause adds a fee"
    if _REPLACES.search(clause):
        return True, "the amendment's clause changes the fee"
    if amended.get("period") == earlier.get("period") and bool(amended.get("unit")) == bool(earlier.get("unit")):
        return True, f"the amendment states a fee for the same period ({amended.get('period')})"
    return False, "the amendment's fee is not for the contract fee's period or unit"


def _sourced(evidence: dict | None, document: dict[str, str]) -> dict | None:
    """The clause, with the document it is in (unless it says so already: a value an earlier
    amendment set keeps that amendment's name)."""
    if evidence is None:
        return None
    return {**evidence, **{k: v for k, v in document.items() if k not in evidence}}


def merge_amended_fee(earlier: dict[str, Any] | None, earlier_evidence: dict | None, earlier_document: dict[str, str],
                      amended: dict[str, Any], amended_evidence: dict | None, amended_document: dict[str, str]
                      ) -> tuple[dict[str, Any], bool, str]:
    """The fee in force after the amendment, whether the amendment re-prices the earlier fee
    (False: it states another fee, kept under ``additional_fees``), and why. ``*_document``:
    {"document": file name, "contract_id": id} of each side."""
    if not earlier or not earlier.get("amount"):
        return dict(amended), True, "no fee was read before the amendment"
    clause = (amended_evidence or {}).get("text") or ""
    same, why = same_fee(earlier, amended, clause)
    if not same:
        others = [f for f in earlier.get("additional_fees", [])  # applied again: listed once
                  if (f.get("evidence") or {}).get("contract_id") != amended_document.get("contract_id")]
        prior = _added_fee_repriced(others, amended, clause)
        if prior is not None:
            extra, why = _repriced_added_fee(prior, amended, amended_evidence, amended_document)
        else:
            extra = {**amended, "evidence": _sourced(amended_evidence, amended_document), "why": why}
        return {**earlier, "additional_fees": [*others, extra]}, False, why
    # the amount and what it is counted by (_CORE) are the amendment's alone: never its new amount
    # beside the earlier unit price
    merged = dict(amended)
    for key in ("overage", "not_to_exceed"):
        if key in merged and isinstance(merged[key], dict):
            merged[key] = {**merged[key], "evidence": _sourced(merged[key].get("evidence"), amended_document)}
        elif isinstance(earlier.get(key), dict):
            merged[key] = {**earlier[key], "evidence": _sourced(earlier[key].get("evidence"), earlier_document)}
    if "quantity" not in amended and earlier.get("quantity"):
        for key in ("quantity", "quantity_unit"):
            if earlier.get(key) is not None:
                merged[key] = earlier[key]
        merged["quantity_evidence"] = _sourced(earlier.get("quantity_evidence"), earlier_document)
    elif "quantity" in amended:
        merged["quantity_evidence"] = _sourced(amended.get("quantity_evidence"), amended_document)
    # the fee's name, and how it is invoiced when the period is the same: the earlier clause's
    if not amended.get("name") and earlier.get("name"):
        merged["name"] = earlier["name"]
        merged["name_evidence"] = earlier.get("name_evidence") or _sourced(earlier_evidence, earlier_document)
    if not amended.get("billing") and earlier.get("billing") and amended.get("period") == earlier.get("period"):
        merged["billing"] = earlier["billing"]
        merged["billing_evidence"] = earlier.get("billing_evidence") or _sourced(earlier_evidence, earlier_document)
    if earlier.get("additional_fees"):
        merged["additional_fees"] = earlier["additional_fees"]
    return merged, True, why


def _added_fee_repriced(added: list[dict[str, Any]], amended: dict[str, Any], clause: str) -> dict[str, Any] | None:
    """The fee an earlier amendment added that this one re-prices ("the Analytics Module Fee is
    increased to GBP 650 per month"): the latest one named as the amendment names its fee (both
    named: a fee with no name is never taken for an add-on's new price), the clause not adding
    another beside it."""
    wanted = name_words(amended.get("name"))
    for fee in reversed(added):
        if wanted & name_words(fee.get("name")) and same_fee(fee, amended, clause)[0]:
            return fee
    return None


def _repriced_added_fee(prior: dict[str, Any], amended: dict[str, Any], evidence: dict | None,
                        document: dict[str, str]) -> tuple[dict[str, Any], str]:
    """The added fee at the later amendment's price: the amount and what it is counted by are the
    amendment's alone (``_CORE``), how it is invoiced stays the earlier amendment's for the same
    period; ``reprices`` names the earlier amendment, whose price holds before this one's day."""
    earlier = prior.get("evidence") or {}
    why = (f"the amendment re-prices the {prior.get('name')} "
           f"{earlier.get('document') or 'an earlier amendment'} added")
    fee = {**amended, "evidence": _sourced(evidence, document), "why": why,
           "reprices": {k: earlier[k] for k in ("document", "contract_id") if k in earlier}}
    if not amended.get("billing") and prior.get("billing") and amended.get("period") == prior.get("period"):
        fee["billing"] = prior["billing"]
    return fee, why


def first_version(fee: dict[str, Any], fees: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    """The fee as the amendment that added it first stated it, following the later amendments that
    re-priced it back (``reprices``): the versions of one added fee share it."""
    by_id = {cid: f for f in fees if (cid := (f.get("evidence") or {}).get("contract_id"))}
    seen: set[str] = set()
    current = fee
    while True:
        earlier = str((current.get("reprices") or {}).get("contract_id") or "")
        if earlier not in by_id or earlier in seen:
            return current
        seen.add(earlier)
        current = by_id[earlier]


@dataclass(frozen=True)
class AddedFee:
    """A fee an amendment added beside the contract's (one of ``additional_fees``), with the day it
    is agreed from: the amendment's effective date, else the day it was signed (None: neither was
    read, and its lines are not priced)."""

    fee: dict[str, Any]  # as merge_amended_fee keeps it: its clause and document in fee["evidence"]
    agreed_from: date | None = None
    agreed_from_derivation: str = "the day the amendment that added it took effect was not read"

    @property
    def name(self) -> str:
        return str(self.fee.get("name") or self.fee.get("unit") or "fee")

    @property
    def document(self) -> str | None:
        return (self.fee.get("evidence") or {}).get("document")


@dataclass(frozen=True)
class LineAddedFees:
    """What an invoice line names of the fees amendments added: the added fees it names most (one:
    its fee; more: which it bills is not known), and whether it names the contract's fee too
    ("Subscription Fees incl. Premium Support": a combined line, priced against the two summed)."""

    fees: tuple[AddedFee, ...]
    names_contract_fee_too: bool
    one_fee: bool = True  # the fees named most are one added fee's versions (re-priced by a later amendment)

    @property
    def versions(self) -> tuple[AddedFee, ...]:
        """The versions of the one added fee the line bills, and it alone, oldest first (one unless a
        later amendment re-priced it); none when which fee it bills is not known, or it names the
        contract's fee too."""
        return () if self.names_contract_fee_too else self.added_versions

    @property
    def added_versions(self) -> tuple[AddedFee, ...]:
        """The versions of the one added fee the line names, oldest first, also beside the contract's
        fee (a combined line: `combined_fee_lines`); none when two added fees are named as much."""
        if not self.one_fee:
            return ()
        return tuple(sorted(self.fees, key=lambda a: a.agreed_from or date.min))


def line_added_fees(description: str, fees: dict[str, Any] | None, added: tuple[AddedFee, ...],
                    counterparty: str | None) -> LineAddedFees | None:
    """The fees an amendment added that an invoice line bills (None: the contract's fee's line).
    Words are the fees' distinctive ones, the counterparty's left aside ("Northwind Analytics
    subscription" is the subscription of a contract with Northwind Analytics, not the "Analytics
    Module" an amendment added); the added fees it names most are kept (two tied: not known which),
    widened to every version of that fee when they are one fee's; a line that also names a word of
    the contract's fee that is not the added fee's own names both (a combined line)."""
    party = name_words(counterparty)
    own = name_words((fees or {}).get("name"), (fees or {}).get("unit")) - party
    words = name_words(description) - party
    mine = own & words
    named = [(len((name_words(a.fee.get("name") or a.fee.get("unit")) - own - party) & words), a) for a in added]
    most = max((n for n, _ in named), default=0)
    if not most:
        return None
    tied = tuple(a for n, a in named if n == most)
    every = tuple(a.fee for a in added)
    first = {id(first_version(a.fee, every)) for a in tied}
    if len(first) == 1:
        # every version of that one fee, also one whose later name has a word more or less ("Analytics
        # Module Add-on" re-pricing the "Analytics Module"): the price in force is chosen by date
        tied = tuple(a for a in added if id(first_version(a.fee, every)) in first)
    # a word of the contract's fee that is not one of the added fee's own ("Subscription Fees incl.
    # Premium Support"): the line names both, whichever it names more
    theirs = set().union(*(name_words(a.fee.get("name") or a.fee.get("unit")) for a in tied))
    return LineAddedFees(tied, bool(mine - theirs), len(first) == 1)
