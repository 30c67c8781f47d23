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
# a line of tax is only the tax's name ("VAT", "Sales tax"), with a rate ("VAT 20%", "VAT: 20%", "Sales tax
# (8.25%)"), a region ("Sales Tax - CA"), "at standard rate", or on what it taxes ("VAT 20% on Subscription Fees");
# a line with other words ("Tax advisory services", "Subscription Fees - VAT") is priced as any other
_TAX = re.compile(rf"^\W*{_NAME}(?:\s*[-:]?{_RATE}(?:\s*[-–:,]\s*\S.*)?|(?:\s*[-:]?{_RATE})?(?:\s*[-–:,]\s*[A-Z]{{2,3}}|"
                  rf"\s+at\s+(?:the\s+)?(?:standard|reduced|zero)\s+rate|\s*(?:[-:,]\s*)?(?:on|for)\b.*)?)\W*$",
                  re.IGNORECASE)
# the name a line begins with, a tax's ("VAT Compliance", "Tax-Filing Module" as an agreed fee's name)
_LEADS = re.compile(rf"^\W*({_NAME})\b", re.IGNORECASE)
# a tax named after what it taxes ("Subscription Fees - VAT", "Subscription Fees: VAT 20%"): the line is priced,
# but its tax word may be the tax of the fee or an agreed fee's name
_TAX_OF = re.compile(rf"(?:\s[-–]|:)\s*({_NAME})(?:{_RATE})?\W*$", re.IGNORECASE)
# a line whose amount may hold its tax ("incl. VAT", "VAT included"): not known net
_WITH_TAX = re.compile(rf"\b(?:incl(?:\.|uding|usive(?:\s+of)?)?|with)\s+({_NAME})\b|\b({_NAME})\s+(?:incl(?:\.|uded)?|"
                       r"inclusive)", re.IGNORECASE)
def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]


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


def is_tax_line(description: str, fee_names: Iterable[str | None] = ()) -> bool:
    """Whether a line in these words bills a tax (VAT, GST, sales tax), not a fee (``fee_names``: the
    agreed fees' names, the contract's and those amendments added)."""
    names = tuple(fee_names)
    if _bills_a_fee(description, names):
        return False
    return _TAX.search(description) is not None


def tax_included(description: str, fee_names: Iterable[str | None] = ()) -> bool:
    """Whether a line says its amount may include tax ("incl. VAT", "VAT included"): not when the tax
    word starts an agreed fee's name ("incl. VAT Compliance")."""
    names = tuple(fee_names)
    return any(not _starts_a_fee(m.group(1) or m.group(2), names) for m in _WITH_TAX.finditer(description))


def tax_or_fee(description: str, fee_names: Iterable[str | None] = ()) -> str | None:
    """The agreed fee whose name's first word, a tax's, a line says as a tax ("incl. VAT", "Subscription
    Fees - VAT" beside an agreed "VAT Compliance") without naming that fee whole: the word may be the tax or that fee,
    so an over-charge on the line is not known (None: no such words; a tax word elsewhere on a line,
    "Tax filing - Nov 2026", is the line's name, priced as any other)."""
    said = " ".join(_words(description))
    for m in (*_WITH_TAX.finditer(description), *_TAX_OF.finditer(description)):
        tax = " ".join(_words(m.group(1) or m.group(2)))
        for name in fee_names:
            whole = " ".join(_words(name or ""))
            if whole.startswith(tax + " ") and not re.search(rf"\b{whole}\b", said):
                return name
    return None


def tax_named_after(description: str) -> bool:
    """Whether a line ends with a tax's name after what it bills ("Subscription Fees - VAT"): alone, it is
    priced as that fee; summed with another line of the fee, it may be that fee's tax."""
    return _TAX_OF.search(description) is not None
