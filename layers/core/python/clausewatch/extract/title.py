"""The document's title: its first heading ("SAAS SUBSCRIPTION AGREEMENT" -> "SaaS Subscription
Agreement"), for people and emails; None when page 1 has no heading-like line."""

from __future__ import annotations

import re

_WORDS = re.compile(r"[A-Za-z][A-Za-z'&.-]*")
_KEEP_UPPER = {"SAAS": "SaaS", "NDA": "NDA", "SLA": "SLA", "IT": "IT", "US": "US", "UK": "UK", "LLC": "LLC"}
_SMALL = {"and", "or", "of", "to", "the", "for", "a", "an", "in", "on", "no."}
_DOCUMENT_WORDS = ("agreement", "contract", "amendment", "licence", "license", "addendum", "order",
                   "statement of work", "terms", "memorandum", "deed")


def document_title(pages: list[str], max_lines: int = 12) -> str | None:
    """The first upper-case line among page 1's first lines that names a kind of document."""
    if not pages:
        return None
    for line in pages[0].splitlines()[:max_lines]:
        text = " ".join(line.split())
        letters = [c for c in text if c.isalpha()]
        if not (8 <= len(text) <= 90) or not letters:
            continue
        upper_share = sum(c.isupper() for c in letters) / len(letters)
        if upper_share >= 0.8 and any(w in text.lower() for w in _DOCUMENT_WORDS):
            return _title_case(text)
    return None


# a Roman numeral up to XXXIX ("AMENDMENT NO. II", "SCHEDULE IV"): kept upper case ("No. II", not
# "No. Ii"); a one-letter one only after "No." (a lone "I" or "A" elsewhere is a word)
_ROMAN = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})", re.I)


def _title_case(text: str) -> str:
    def word(match: re.Match) -> str:
        raw = match.group(0)
        if raw.upper() in _KEEP_UPPER:
            return _KEEP_UPPER[raw.upper()]
        if _ROMAN.fullmatch(raw) and raw.isupper() and (
                len(raw) > 1 or text[:match.start()].rstrip().lower().endswith("no.")):
            return raw
        lower = raw.lower()
        if lower in _SMALL and match.start() > 0:
            return lower if lower != "no." else "No."
        return lower[:1].upper() + lower[1:]

    return _WORDS.sub(word, text)
