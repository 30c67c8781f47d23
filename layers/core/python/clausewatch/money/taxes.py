"""Invoice lines that bill a tax, not a fee (pure): never compared with a fee, whose amounts are net
of tax (UBL LineExtensionAmount; CSV/JSON amounts). A line naming an agreed fee is that fee's, whatever
tax word it holds: a tax word that starts an agreed fee's name ("VAT Compliance", "Tax-Filing Module")
is that fee's name, never the tax."""

from __future__ import annotations

import re
from collections.abc import Iterable

_NAME = (r"(?:VAT|GST|HST|QST|PST|IVA|MwSt|TVA|(?:sales|use|value[- ]added|goods and services|consumption)\s+tax|"
         r"tax(?:es)?)")
_RATE = r"\s*[(\[]?\s*(?:@|at\b)?\s*\d{1,2}(?:[.,]\d{1,3})?\s*%\s*[)\]]?"
# a line of tax: the tax's name alone ("VAT", "Sales tax"), with a rate ("VAT 20%", "Sales tax (8.25%)"),
# then anything ("VAT 20% - Subscription Fees"), or on what it taxes ("Tax on services")
_TAX = re.compile(rf"^\W*{_NAME}(?:{_RATE}(?:\W.*)?|\s*(?:[-:,]\s*)?(?:(?:on|for)\b.*)?)$", re.IGNORECASE)
# a line beginning with a tax's name ("VAT: 20%", "Sales Tax - CA", "VAT at standard rate"): tax, unless
# its other words name an agreed fee
_LEADS = re.compile(rf"^\W*({_NAME})\b", re.IGNORECASE)
# the tax of a fee named after it ("Subscription Fees - VAT", "Subscription Fees: VAT 20%")
_TAX_OF = re.compile(rf"(?:\s[-–]|:)\s*({_NAME})(?:{_RATE})?\W*$", re.IGNORECASE)
# a line whose amount may hold its tax ("incl. VAT", "VAT included"): not known net
_WITH_TAX = re.compile(rf"\b(?:incl(?:\.|uding|usive(?:\s+of)?)?|with)\s+({_NAME})\b|\b({_NAME})\s+(?:incl(?:\.|uded)?|"
                       r"inclusive)", re.IGNORECASE)
# words that say nothing of what a line bills
_PLAIN = {"on", "for", "at", "of", "the", "a", "an", "and", "rate", "standard", "reduced", "zero", "exempt", "tax",
          "taxes", "fee", "fees", "charge", "charges", "amount", "total"}


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]


def _stem(w: str) -> str:
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _starts_a_fee(tax: str, fee_names: Iterable[str | None]) -> bool:
    """Whether the tax word ``tax`` ("VAT") is the start of an agreed fee's name ("VAT Compliance")."""
    said = _words(tax)
    return any(len(fw := _words(name or "")) > len(said) and fw[:len(said)] == said for name in fee_names)


def _bills_a_fee(text: str, fee_names: Iterable[str | None]) -> bool:
    """Whether ``text`` begins with an agreed fee's name whose first word is a tax's ("VAT Compliance
    Service", "Tax-Filing Module"): that fee's line."""
    said = _words(text)
    return any(len(fw := _words(name or "")) > 1 and _LEADS.match(name or "") and said[:len(fw)] == fw
               for name in fee_names)


def _names_a_fee(text: str, fee_names: Iterable[str | None]) -> bool:
    """Whether ``text``'s words (the tax's own left out) name an agreed fee."""
    agreed = {_stem(w) for name in fee_names for w in _words(name or "") if not w.isdigit()} - _PLAIN
    return bool(({_stem(w) for w in _words(text)} - _PLAIN) & agreed)


def is_tax_line(description: str, fee_names: Iterable[str | None] = ()) -> bool:
    """Whether a line in these words bills a tax (VAT, GST, sales tax), not a fee (``fee_names``: the
    agreed fees' names, the contract's and those amendments added)."""
    names = tuple(fee_names)
    if _bills_a_fee(description, names):
        return False
    of = _TAX_OF.search(description)
    if of and not _starts_a_fee(of.group(1), names):
        return True
    if _TAX.search(description):
        return True
    leads = _LEADS.search(description)
    return leads is not None and not _names_a_fee(description[leads.end():], names)


def tax_included(description: str, fee_names: Iterable[str | None] = ()) -> bool:
    """Whether a line says its amount may include tax ("incl. VAT", "VAT included"): not when the tax
    word starts an agreed fee's name ("incl. VAT Compliance")."""
    names = tuple(fee_names)
    return any(not _starts_a_fee(m.group(1) or m.group(2), names) for m in _WITH_TAX.finditer(description))


def tax_or_fee(description: str, fee_names: Iterable[str | None] = ()) -> str | None:
    """The agreed fee whose name's first word, a tax's, a line holds without naming that fee whole
    ("Subscription Fees - VAT", "incl. VAT" beside an agreed "VAT Compliance"): the word may be the tax
    or that fee, so an over-charge on the line is not known (None: no such word)."""
    said = " ".join(_words(description))
    for name in fee_names:
        lead = _LEADS.match(name or "")
        tax, whole = " ".join(_words(lead.group(1))) if lead else "", " ".join(_words(name or ""))
        if tax and tax != whole and re.search(rf"\b{tax}\b", said) and not re.search(rf"\b{whole}\b", said):
            return name
    return None
