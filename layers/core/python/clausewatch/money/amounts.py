"""Amounts of money as contracts and invoices write them, as exact decimals with their currency.

"$186,000", "One Hundred Eighty-Six Thousand Dollars ($186,000)", "USD 1.5 million"; "EUR 12.500,00",
"$1,5 million" and "CHF 1'200.00" are not read (a comma is a thousands separator here; another
convention is left out rather than misread). "$" alone is read as USD and the reading says
so; a contract that names another dollar ("Canadian dollars", "CAD") makes "$" that currency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")

_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}
_CODES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "NZD", "SGD", "INR", "CNY", "SEK", "NOK", "DKK")
_SCALE = {"million": Decimal(1_000_000), "thousand": Decimal(1000), "k": Decimal(1000),
          "billion": Decimal(1_000_000_000)}
# the amount itself: a symbol or code, then digits with thousands commas and optional decimals
AMOUNT = (r"(?P<cur>US\s?\$|\$|€|£|(?:" + "|".join(_CODES) + r")\b\s?)\s?"
          r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,4})?|\d+(?:\.\d{1,4})?)"
          # a number written another way ("12.500,00", "1,5", "1'200.00") is not read, never misread
          r"(?![.,'’]?\d)"
          r"(?:\s?(?P<scale>million|thousand|billion|k)\b)?")
AMOUNT_RE = re.compile(AMOUNT, re.IGNORECASE)
# "U.S. dollars", "Canadian dollars": the dollar a contract means by "$"
_DOLLAR_NAMES = {"canadian": "CAD", "australian": "AUD", "new zealand": "NZD", "singapore": "SGD",
                 "u.s.": "USD", "us": "USD", "united states": "USD", "american": "USD"}
_DOLLAR_NAME_RE = re.compile(r"\b(?P<name>canadian|australian|new\s+zealand|singapore|u\.s\.|us|united\s+states|"
                             r"american)\s+dollars?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.currency} {format_amount(self.amount)}"

    def to_dict(self) -> dict[str, str]:
        return {"amount": str(self.amount.quantize(CENT)), "currency": self.currency}


def format_amount(amount: Decimal) -> str:
    """Decimal('1550') -> "1,550.00" (rounded half up to the cent)."""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def dollar_currency(text: str) -> str:
    """The currency "$" stands for in ``text``: the dollar it names, USD when it names none or
    only US dollars."""
    named = {_DOLLAR_NAMES[re.sub(r"\s+", " ", m.group("name").lower())] for m in _DOLLAR_NAME_RE.finditer(text)}
    named |= {code for code in ("CAD", "AUD", "NZD", "SGD") if re.search(rf"\b{code}\b", text)}
    foreign = named - {"USD"}
    return foreign.pop() if len(foreign) == 1 and "USD" not in named else "USD"


def money_of(match: re.Match, dollar: str = "USD") -> Money:
    """The money an ``AMOUNT_RE`` match holds; ``dollar`` is what a bare "$" means."""
    symbol = re.sub(r"\s+", "", match.group("cur")).upper()
    currency = dollar if symbol == "$" else _SYMBOLS.get(symbol, symbol)
    value = Decimal(match.group("num").replace(",", ""))
    scale = match.group("scale")
    if scale:
        value *= _SCALE[scale.lower()]
    return Money(value, currency)


def parse_money(text: str, dollar: str = "USD") -> Money | None:
    """The first amount in ``text``, or None."""
    m = AMOUNT_RE.search(text)
    return money_of(m, dollar) if m else None


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
MAX_AMOUNT = Decimal(10) ** 15  # larger in a file is a slip (or an attack), never an amount or a level


def parse_decimal(text: str | int | float | Decimal) -> Decimal:
    """A number from a file ("1,550.00", "99.4%", 0.994): ValueError when it is none, is not finite
    (NaN, Infinity: JSON and OpenMetrics allow them) or is 10^15 or more in size."""
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int | float):
        value = Decimal(str(text))
    else:
        raw = str(text).strip().rstrip("%").strip()
        # a comma only as a thousands separator ("1,550.00"): "195.300,00" or "99,4" is another
        # convention, refused rather than misread (195.30 for 195,300.00)
        if "," in raw and not _THOUSANDS.fullmatch(raw):
            raise ValueError(f"not a number written with a comma for thousands and a point for decimals: {text!r}")
        cleaned = raw.replace(",", "")
        if not re.fullmatch(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d{1,4})?", cleaned):
            raise ValueError(f"not a number: {text!r}")
        value = Decimal(cleaned)
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    if abs(value) >= MAX_AMOUNT:
        raise ValueError(f"{text!r} is too large to be an amount or a level")
    return value


# an amount a person types ("GBP 1,500.00", "GBP 500"): a comma only between groups of three, at most
# two decimals; "EUR 500,00" (500 or 50000?), "GBP 500.999" (rounded how?) are refused, never guessed
_TYPED_AMOUNT = re.compile(r"(?P<cur>[A-Za-z]{3})\s+(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)",
                           re.ASCII)  # digits 0-9 only: "GBP ١٢٣" is not read as GBP 123


def parse_typed_amount(text: str) -> Money:
    """The currency and amount a person typed, exactly ("gbp 1,500.5" -> GBP 1500.50): ValueError, saying
    why, for anything else (a decimal comma, a comma not between groups of three, more than two decimals,
    no currency code, 10^15 or more): the one reading of a typed amount (API, CLI, web)."""
    raw = " ".join(str(text or "").split())
    m = _TYPED_AMOUNT.fullmatch(raw)
    if m is None:
        number = raw.partition(" ")[2]
        why = ("more than two decimals: say it to the cent" if re.fullmatch(r"[\d,]*\.\d{3,}", number) else
               "a comma is a thousands separator only between groups of three digits (1,500.00), a point the "
               "decimals" if "," in number else "say a currency code and an amount")
        raise ValueError(f"the amount {raw!r}: {why}, e.g. 'GBP 1,500.00'")
    value = Decimal(m.group("num").replace(",", ""))
    if value >= MAX_AMOUNT:
        raise ValueError(f"the amount {raw!r} is too large")
    return Money(value.quantize(CENT), m.group("cur").upper())


def at_stake_totals(entries) -> dict[str, Decimal]:
    """The money at stake per currency, each sum of money once: ``entries`` are (currency, amount,
    line) with ``line`` naming the invoice line the amount is on (None: an amount of its own, such
    as a credit owed; a frozenset of lines: a verdict on several lines summed, a fee split over
    them). Findings on one line tell the same charge from different sides (quantity x price is not
    the line amount; the line is above the agreed rate): the line counts the largest of them, never
    their sum. A verdict on lines summed tells the same money as their own findings: the lines it
    sums (with those of any other summed verdict sharing one) count the larger of their own
    findings' total and the largest summed verdict on them, never both."""
    totals: dict[str, Decimal] = {}
    largest: dict[tuple[str, object], Decimal] = {}
    summed: list[tuple[str, frozenset, Decimal]] = []
    for currency, amount, line in entries:
        if amount is None or not currency:
            continue
        value = Decimal(amount)
        if line is None:
            totals[currency] = totals.get(currency, Decimal(0)) + value
        elif isinstance(line, frozenset):
            summed.append((currency, line, value))
        else:
            key = (currency, line)
            largest[key] = max(largest.get(key, value), value)
    groups: list[tuple[str, set, Decimal]] = []  # lines summed together (overlapping verdicts merged)
    for currency, lines, value in summed:
        joined = [g for g in groups if g[0] == currency and g[1] & lines]
        groups = [g for g in groups if not any(g is j for j in joined)]
        groups.append((currency, set(lines).union(*(g[1] for g in joined)), max([value, *(g[2] for g in joined)])))
    for currency, members, value in groups:
        own = sum((largest.pop((currency, line), Decimal(0)) for line in members), Decimal(0))
        totals[currency] = totals.get(currency, Decimal(0)) + max(own, value)
    for (currency, _), value in largest.items():
        totals[currency] = totals.get(currency, Decimal(0)) + value
    return totals
