"""Invoice lines that bill a tax, not a fee (pure): never compared with a fee, whose amounts are net
of tax (UBL LineExtensionAmount; CSV/JSON amounts)."""

from __future__ import annotations

import re

# a line of tax: its description starts with the tax's name ("VAT 20%", "GST on services", "Sales
# tax", "Tax", "Tax 20%": its name then a rate, a mark, "on", "at", "for" or nothing; not "Tax Filing
# Module", nor a fee's line stating its rate, "Subscription Fees (VAT 20%)": its amount is the fee's, net)
_TAX = re.compile(r"^\W*(?:VAT|GST|HST|QST|PST|IVA|MwSt|TVA|(?:sales|use|value[- ]added|goods and services|"
                  r"consumption)\s+tax|tax(?:es)?)\b(?=\s*(?:$|\d|[:(@%,./-]|on\b|at\b|for\b))", re.IGNORECASE)


def is_tax_line(description: str) -> bool:
    """Whether a line in these words bills a tax (VAT, GST, sales tax), not a fee."""
    return bool(_TAX.search(description))
