"""Invoice lines that bill a tax, not a fee (pure): never compared with a fee, whose amounts are net
of tax (UBL LineExtensionAmount; CSV/JSON amounts)."""

from __future__ import annotations

import re

_NAME = (r"(?:VAT|GST|HST|QST|PST|IVA|MwSt|TVA|(?:sales|use|value[- ]added|goods and services|consumption)\s+tax|"
         r"tax(?:es)?)")
_RATE = r"\s*[(\[]?\s*(?:@|at\b)?\s*\d{1,2}(?:[.,]\d{1,3})?\s*%\s*[)\]]?"
# a line of tax: the tax's name alone ("VAT", "Sales tax"), with a rate ("VAT 20%", "Sales tax (8.25%)"),
# then anything ("VAT 20% - Subscription Fees"), or on what it taxes ("Tax on services"); nothing else
# follows the name alone: "Tax-Filing Module", "VAT/GST Filing Service", "GST: Compliance Module",
# "Tax 2026 Subscription" are fees, and so is a fee's line stating its rate ("Subscription Fees (VAT 20%)": its amount is net)
_TAX = re.compile(rf"^\W*{_NAME}(?:{_RATE}(?:\W.*)?|\s*(?:[-:,]\s*)?(?:(?:on|for)\b.*)?)$", re.IGNORECASE)
# the tax of a fee named after it ("Subscription Fees - VAT", "Subscription Fees: VAT 20%")
_TAX_OF = re.compile(rf"(?:\s[-–]|:)\s*{_NAME}(?:{_RATE})?\W*$", re.IGNORECASE)
# a line whose amount may hold its tax ("incl. VAT", "VAT included", "gross"): not known net
_WITH_TAX = re.compile(rf"\b(?:incl(?:\.|uding|usive(?:\s+of)?)?|with)\s+{_NAME}\b|\b{_NAME}\s+(?:incl(?:\.|uded)?|"
                       r"inclusive)|\bgross\b", re.IGNORECASE)


def is_tax_line(description: str) -> bool:
    """Whether a line in these words bills a tax (VAT, GST, sales tax), not a fee."""
    return bool(_TAX.search(description) or _TAX_OF.search(description))


def tax_included(description: str) -> bool:
    """Whether a line says its amount may include tax ("incl. VAT", "VAT included")."""
    return bool(_WITH_TAX.search(description))
