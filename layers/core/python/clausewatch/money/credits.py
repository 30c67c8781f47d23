"""Service-level breaches and the credits they earn, from the contract's credit tiers and fees.

    99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00

A breach is recorded whenever a measurement is below the target; the credit is computed only when
the tiers, the base and the fees it names are all known (otherwise the breach says what is
missing: a wrong amount is worse than none)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..dates import add_duration
from .amounts import Money, cents, format_amount
from .metrics import Measurement

_PERIODS_PER_YEAR = {"year": 1, "quarter": 4, "month": 12}


@dataclass(frozen=True)
class Breach:
    period: str
    metric: str
    actual: Decimal
    target: Decimal
    tier: dict[str, Any] | None  # the band the measurement fell in
    credit: Money | None
    derivation: str  # the comparison and the arithmetic, in words and numbers
    claim_by: date | None
    claim_derivation: str | None
    note: str | None = None  # why no credit was computed

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "metric": self.metric, "actual": str(self.actual),
                "target": str(self.target), "tier": self.tier,
                "credit": None if self.credit is None else self.credit.to_dict(),
                "derivation": self.derivation,
                "claim_by": None if self.claim_by is None else self.claim_by.isoformat(),
                "claim_derivation": self.claim_derivation, "note": self.note}


def period_end(period: str) -> date:
    """"2026-10" -> 2026-10-31; "2026-Q3" -> 2026-09-30."""
    if "-Q" in period:
        year, q = int(period[:4]), int(period[-1])
        month = q * 3
    else:
        year, month = int(period[:4]), int(period[5:7])
    return date(year, month, calendar.monthrange(year, month)[1])


def _pct(value: Decimal | str) -> str:
    text = f"{Decimal(value).normalize():f}"
    return f"{text}%"


def _band(value: Decimal, tier: dict[str, Any]) -> str:
    if tier.get("at_most") is not None:
        return f"{_pct(tier['at_least'])} <= {_pct(value)} <= {_pct(tier['at_most'])}"
    return f"{_pct(value)} < {_pct(tier['below'])}"


def tier_for(value: Decimal, tiers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The one tier whose band holds ``value``: below ``below`` (exclusive) or up to ``at_most``
    (inclusive), and at or above ``at_least``. None when no band holds it, or two do (a level on
    the shared edge of two ranges: which credit applies is not guessed)."""
    found = []
    for tier in tiers:
        at_least = None if tier.get("at_least") is None else Decimal(str(tier["at_least"]))
        if tier.get("at_most") is not None:  # a range row "99.0% - 99.49%": both ends inclusive
            inside = value <= Decimal(str(tier["at_most"]))
        else:
            inside = value < Decimal(str(tier["below"]))
        if inside and (at_least is None or value >= at_least):
            found.append(tier)
    return found[0] if len(found) == 1 else None


def credit_base(fees: dict[str, Any] | None, base: dict[str, Any] | None) -> tuple[Money, str] | None:
    """The amount the credit percentage applies to, with its arithmetic: the base's fraction of the
    fee, converted between periods when the base names another period than the fee's."""
    if not fees or not base or not fees.get("amount") or fees.get("period") not in _PERIODS_PER_YEAR:
        return None
    if fees.get("unit_price") is not None:
        # a price per user (per hour...): the fee is that times the quantity, when it is known
        if not fees.get("quantity"):
            return None
        fee = Money(Decimal(fees["unit_price"]) * int(fees["quantity"]), fees["currency"])
        priced = f"{fees['currency']} {format_amount(Decimal(fees['unit_price']))} x {fees['quantity']}"
    else:
        fee = Money(Decimal(fees["amount"]), fees["currency"])
        priced = str(fee)
    fraction = Fraction(base.get("fraction") or "1")
    base_period = base.get("period") or fees["period"]
    if base_period not in _PERIODS_PER_YEAR:
        return None
    # per-period fee expressed in the base's period: a monthly base of an annual fee is fee / 12
    ratio = Fraction(_PERIODS_PER_YEAR[fees["period"]], _PERIODS_PER_YEAR[base_period])
    factor = fraction * ratio
    amount = fee.amount * factor.numerator / factor.denominator
    steps = priced
    if factor != 1:
        steps += f" x {factor.numerator}/{factor.denominator}" if factor.numerator != 1 else f" / {factor.denominator}"
    return Money(amount, fee.currency), steps


def assess(measurements: list[Measurement], credit_terms: dict[str, Any] | None,
           sla_target: str | None, fees: dict[str, Any] | None) -> list[Breach]:
    """Every measurement below target, with its tier, its credit and the date to claim it by."""
    tiers = (credit_terms or {}).get("tiers") or []
    # the current SLA target (a person may have corrected it) before the one the tiers were read with
    target_text = (sla_target or "").strip().rstrip("%").strip() or (credit_terms or {}).get("target")
    if target_text is None:
        return []
    try:
        target = Decimal(str(target_text))
    except ArithmeticError:
        raise ValueError(f"the SLA target {sla_target!r} is not a percentage") from None
    measured_per = (credit_terms or {}).get("measured_per")
    base = credit_base(fees, (credit_terms or {}).get("base"))
    cap = (credit_terms or {}).get("cap_percent")
    window = (credit_terms or {}).get("claim_window")
    breaches: list[Breach] = []
    for m in measurements:
        if m.metric != "availability" or m.value >= target:
            continue
        tier = tier_for(m.value, tiers)
        credit, note = None, None
        if measured_per and ("-Q" in m.period) != (measured_per == "quarter"):
            tier, note = None, f"the credits are per {measured_per}; {m.period} is not one"
        derivation = f"{_pct(m.value)} < target {_pct(target)}"
        if tier is None:
            note = note or ("no credit tier covers this level" if tiers else "the contract states no credit tiers")
        elif base is None:
            derivation = f"{_band(m.value, tier)} -> {_pct(tier['credit_percent'])} credit"
            note = "credit not computed: the fee the credit is a share of was not read"
        else:
            base_money, base_steps = base
            pct = Decimal(str(tier["credit_percent"]))
            amount = cents(base_money.amount * pct / 100)
            derivation = (f"{_band(m.value, tier)} -> {_pct(pct)} x {base_steps} = "
                          f"{base_money.currency} {format_amount(amount)}")
            if cap is not None:
                limit = cents(base_money.amount * Decimal(str(cap)) / 100)
                if amount > limit:
                    derivation += f"; capped at {_pct(cap)} = {base_money.currency} {format_amount(limit)}"
                    amount = limit
            credit = Money(amount, base_money.currency)
        claim_by, claim_derivation = None, None
        if window and credit is not None and (credit_terms or {}).get("claim_from") == "end of the measured period":
            end = period_end(m.period)
            claim_by = add_duration(end, window)
            claim_derivation = f"end of {m.period} {end.isoformat()} + {window} = {claim_by.isoformat()}"
        breaches.append(Breach(m.period, m.metric, m.value, target, tier, credit, derivation, claim_by,
                               claim_derivation, note))
    return breaches
