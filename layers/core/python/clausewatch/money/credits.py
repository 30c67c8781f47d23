"""Service-level breaches and the credits they earn, from the contract's credit tiers and fees.

    99.4% < 99.5% -> 10% x USD 186,000.00 / 12 = USD 1,550.00

A breach is recorded whenever a measurement is below the target; the credit is computed only when
the tiers, the base and the fees it names are all known (otherwise the breach says what is
missing: a wrong amount is worse than none)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from ..dates import add_duration, business_days_words
from .amounts import Money, cents, format_amount
from .metrics import Measurement

_PERIODS_PER_YEAR = {"year": 1, "quarter": 4, "month": 12}


def window_in_hours(window: str) -> bool:
    """Whether a claim window is in hours ("PT72H"): no business day is counted in it."""
    return window.upper().startswith("PT")


_HOURS = re.compile(r"PT(\d+)H", re.IGNORECASE)


def claim_day_in_hours(period: str, window: str, time_zone: str | None = None) -> tuple[date | None, str]:
    """The day to claim by of a window in hours counted from the end of ``period`` (a day boundary: midnight
    after its last day, in the contract's ``time_zone``), with its arithmetic: "end of 2026-10 (2026-11-01
    00:00) + PT72H = 2026-11-04 00:00 -> claim by 2026-11-03". The deadline is a moment, so the claim day is
    the last whole day before it: the day before the day it falls on, even when it falls at an hour of that
    day (PT84H ends at 12:00 on 2026-11-04: by 2026-11-03; a claim day the reminder gives without the hour
    must never be late). The hours are elapsed ones: a clock set back in them (New York's on 2026-11-01) ends
    them an hour earlier on its clock (23:00 on 2026-11-03: by 2026-11-02). None when that day is not after
    the period (a window under a day: claimed by hand)."""
    hours = _HOURS.fullmatch(window)
    by_hand = f"claim window {window} (hours) from end of the measured period: no claim day is counted"
    if hours is None:
        return None, f"{by_hand}, the window is not read; check it by hand"
    zone = ZoneInfo(time_zone) if time_zone else UTC
    boundary = datetime.combine(period_end(period) + timedelta(days=1), time(), tzinfo=zone)
    deadline = (boundary.astimezone(UTC) + timedelta(hours=int(hours.group(1)))).astimezone(zone)
    claim_by = deadline.date() - timedelta(days=1)
    in_zone = f" {time_zone}" if time_zone else ""
    counted = f"end of {period} ({boundary:%Y-%m-%d %H:%M}{in_zone}) + {window} = {deadline:%Y-%m-%d %H:%M}"
    if claim_by <= period_end(period):
        return None, f"{by_hand}, the deadline is an hour of the next day ({counted}); check it by hand"
    at_hour = "" if deadline.time() == time() else (
        f" (the deadline is {deadline:%H:%M} on {deadline.date().isoformat()}: the claim day is the last whole day "
        "before it)")
    return claim_by, f"{counted} -> claim by {claim_by.isoformat()}{at_hour}"


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
    # a credit may be owed but its amount is not known ("tiers not read", "fee not read"): a person
    # checks it by hand (its claim, when the window is known, is due all the same)
    amount_unknown: str | None = None
    # a cap that may apply and is not (``cap_unclear``): the credit computed may be too much, a person checks it
    cap_unclear: str | None = None
    # a claim window read from which no claim day is counted (business hours, no start stated): why, to claim by hand
    claim_by_hand: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"period": self.period, "metric": self.metric, "actual": str(self.actual),
                "target": str(self.target), "tier": self.tier,
                "credit": None if self.credit is None else self.credit.to_dict(),
                "derivation": self.derivation,
                "claim_by": None if self.claim_by is None else self.claim_by.isoformat(),
                "claim_derivation": self.claim_derivation, "note": self.note,
                **({"amount_unknown": self.amount_unknown} if self.amount_unknown else {}),
                **({"cap_unclear": self.cap_unclear} if self.cap_unclear else {}),
                **({"claim_by_hand": self.claim_by_hand} if self.claim_by_hand else {})}


def _cap(terms: dict[str, Any], fees: dict[str, Any] | None, base: tuple[Money, str] | None,
         credited: dict[str, Money]) -> _Cap | None:
    if terms.get("cap_percent") is None:
        return None
    base_period = terms.get("cap_base_period")
    cap_base = base
    if base_period is not None:
        cap_base = credit_base(fees, {"fraction": "1", "period": base_period})  # "10% of the annual fees"
    elif base_period is None and terms.get("cap_period") not in (None, "month", "quarter"):
        cap_base = None  # "credits in any year shall not exceed 10% of the fees": of which fees is not said
    return _Cap(Decimal(str(terms["cap_percent"])), terms.get("cap_period"), cap_base, credited)


def _shorter_unit(unit: str | None, period: str, fees: dict[str, Any] | None) -> str | None:
    """The unit a claim window counts from the end of (``claim_from_unit``: "month", "billing period" as long as the
    fees' period) when it is shorter than the measured ``period`` (a month in "2026-Q3"), else None."""
    if not unit or "-Q" not in period:
        return None
    if "month" in unit:
        return "month"
    if "billing period" in unit and (fees or {}).get("period") != "quarter":
        return "billing period"
    return None


def period_start(period: str) -> date:
    """"2026-10" -> 2026-10-01; "2026-Q3" -> 2026-07-01."""
    if "-Q" in period:
        return date(int(period[:4]), int(period[-1]) * 3 - 2, 1)
    return date(int(period[:4]), int(period[5:7]), 1)


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
    if tier.get("thresholds") and tier.get("at_least") is not None:
        # a row of a table of thresholds ("Less than 99.9%: 5% / Less than 99.0%: 10%"): the lowest it is under
        return (f"{_pct(value)} < {_pct(tier['below'])}, not < {_pct(tier['at_least'])} "
                f"(the lowest \"less than\" row it is under)")
    if tier.get("thresholds"):
        return f"{_pct(value)} < {_pct(tier['below'])} (the lowest \"less than\" row)"
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


def tiers_holding(value: Decimal, tiers: list[dict[str, Any]]) -> int:
    """How many tiers' bands hold ``value`` (two: a level on the shared edge of two ranges)."""
    held = 0
    for tier in tiers:
        if tier_for(value, [tier]) is not None:
            held += 1
    return held


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


def _measured_unit(period: str) -> str:
    return "quarter" if "-Q" in period else "month"


@dataclass
class _Cap:
    """A cap on credits: ``percent`` of the fee over ``base_period``, counted over ``over`` (None:
    each measured period on its own). ``credited`` holds the credits already owed for other
    periods, so a cap over a calendar year is what is left of it for the year."""

    percent: Decimal
    over: str | None
    base: tuple[Money, str] | None
    credited: dict[str, Money]

    def limit(self, period: str, amount: Decimal, currency: str) -> tuple[Decimal, str | None, str | None]:
        """The credit after the cap, the words to add to its derivation, and a note when the cap
        could not be applied."""
        if self.base is None:
            return amount, None, f"a cap of {_pct(self.percent)} applies, but the fee it is a share of was not read"
        money, steps = self.base
        limit = cents(money.amount * self.percent / 100)
        cap_words = f"{_pct(self.percent)} x {steps} = {money.currency} {format_amount(limit)}"
        if self.over in (None, _measured_unit(period)):
            if amount > limit:
                return limit, f"; capped at {cap_words}", None
            return amount, None, None
        if self.over == "calendar year":
            year = period[:4]
            earlier = [(p, c.amount) for p, c in sorted(self.credited.items())
                       if p[:4] == year and p != period and c.currency == currency]
            used = sum((a for _, a in earlier), Decimal(0))
            left = max(limit - used, Decimal(0))
            if amount > left:
                spent = " + ".join(f"{format_amount(a)} ({p})" for p, a in earlier) or "0.00"
                return left, (f"; capped for calendar year {year} at {cap_words}, less {spent} already owed = "
                              f"{currency} {format_amount(left)}"), None
            return amount, None, None
        # a year that is not the calendar's (the contract's), or a period not read: its total is not
        # counted here, and no single credit passes the cap itself
        note = (f"credits are capped at {cap_words} per {self.over}: the {self.over}'s credits together are "
                f"not checked here")
        if amount > limit:
            return limit, f"; capped at {cap_words}", note
        return amount, None, note


def assess(measurements: list[Measurement], credit_terms: dict[str, Any] | None,
           sla_target: str | None, fees: dict[str, Any] | None,
           credited: dict[str, Money] | None = None, jurisdiction: str | None = None,
           effective: date | None = None, today: date | None = None,
           stated_credits: str | None = None, time_zone: str | None = None) -> list[Breach]:
    """Every measurement below target, with its tier, its credit and the date to claim it by.
    ``credited``: the credits already owed for other periods (by period), which a cap over a
    calendar year counts. ``jurisdiction``: whose holidays a claim window in business days skips
    (None: the default calendar, which the derivation names). A period that ends before the
    contract's ``effective`` date, or has not ended by ``today``, earns no credit, and says why.
    ``stated_credits``: the contract's ``service_credits`` term ("5% / 10% / 25% of the monthly
    fees"), quoted when its table was not read (a breach never says a contract with credits has none).
    ``time_zone``: the contract's, whose midnight a claim window in hours after the period's end counts from."""
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
    cap = _cap(credit_terms or {}, fees, base, dict(credited or {}))
    breaches: list[Breach] = []
    for m in measurements:
        if m.metric != "availability" or m.value >= target:
            continue
        tier = tier_for(m.value, tiers)
        credit, note, unknown = None, None, None
        if measured_per and ("-Q" in m.period) != (measured_per == "quarter"):
            tier, note = None, f"the credits are per {measured_per}; {m.period} is not one"
        elif effective is not None and period_end(m.period) < effective:
            tier, note = None, f"{m.period} ended before the contract's effective date {effective.isoformat()}"
        elif today is not None and period_end(m.period) >= today:
            tier, note = None, f"{m.period} has not ended (today is {today.isoformat()}): no credit for it yet"
        derivation = f"{_pct(m.value)} < target {_pct(target)}"
        if tier is None and note is None:
            # a credit may be owed whose amount is not known: its table was not read, or the level
            # is on the edge of two of its bands (a level no band holds earns none)
            if not tiers:
                unknown = "tiers not read"
            elif tiers_holding(m.value, tiers) > 1:
                unknown = "the level is in two tiers' bands"
        if tier is None:
            note = note or ("no credit tier covers this level" if tiers else
                            f"the contract states service credits ({stated_credits}) but their table was not read: "
                            "check the credit by hand" if stated_credits else
                            "no credit tiers were read from the contract: check its service credits by hand")
        elif base is None:
            derivation = f"{_band(m.value, tier)} -> {_pct(tier['credit_percent'])} credit"
            note = "credit not computed: the fee the credit is a share of was not read"
            unknown = "the fee the credit is a share of was not read"
        else:
            base_money, base_steps = base
            pct = Decimal(str(tier["credit_percent"]))
            amount = cents(base_money.amount * pct / 100)
            derivation = (f"{_band(m.value, tier)} -> {_pct(pct)} x {base_steps} = "
                          f"{base_money.currency} {format_amount(amount)}")
            if cap is not None:
                amount, capped, note = cap.limit(m.period, amount, base_money.currency)
                derivation += (capped or "") + (f"; {note}" if note else "")  # said where the amount is told
            credit = Money(amount, base_money.currency)
            if cap is not None:
                cap.credited[m.period] = credit
            if (credit_terms or {}).get("cap_unclear"):  # two caps, or one that may apply: the credit may be less
                derivation += f"; {(credit_terms or {})['cap_unclear']}: check the cap by hand"
        cap_unclear = (credit_terms or {}).get("cap_unclear") if credit is not None else None
        claim_by, claim_derivation, by_hand = None, None, None
        if credit is not None or unknown:  # a credit owed, or one that may be: its claim
            claim_by, claim_derivation, by_hand = _claim_day(m.period, credit_terms or {}, fees, jurisdiction,
                                                             time_zone)
        breaches.append(Breach(m.period, m.metric, m.value, target, tier, credit, derivation, claim_by,
                               claim_derivation, note, unknown, cap_unclear, by_hand))
    return breaches


_NOT_SAID = "end of the measured period (assumed)"  # extract.credit_claims: a window whose start is not stated
_INVOICE = "the invoice"  # extract.credit_claims: a window counted from an invoice's day


def _claim_day(period: str, credit_terms: dict[str, Any], fees: dict[str, Any] | None, jurisdiction: str | None,
               time_zone: str | None) -> tuple[date | None, str | None, str | None]:
    """The day to claim the credit of ``period`` by, its arithmetic, and why the claim is made by hand when a
    window was read but no day is counted from it and no other words say so (``Breach.claim_by_hand``):
    (None, None, None) when no window was read."""
    window, claim_from = credit_terms.get("claim_window"), credit_terms.get("claim_from")
    not_counted = credit_terms.get("claim_window_not_counted")
    claim_by, claim_derivation, by_hand = None, None, None
    from_period_end = claim_from == "end of the measured period"
    shorter = _shorter_unit(credit_terms.get("claim_from_unit"), period, fees) if from_period_end else None
    if credit_terms.get("claim_windows_apart"):
        # counted from different days (the incident, the month's end): which ends first is not known
        apart = credit_terms["claim_windows_apart"]
        claim_derivation = (f"claim windows counted from different days ({apart}): no claim day is counted, which "
                            "ends first is not known; check it by hand")
        by_hand = (f"the claim windows are counted from different days ({apart}): no claim day is counted, claim it "
                   "by hand within the first to end")
    elif claim_from == _INVOICE and (window or not_counted):
        # from an invoice's day (its issue, its receipt): no metrics file gives it
        said = f"{window or not_counted} from the invoice"
        claim_derivation = (f"claim window {said}: no claim day is counted, the window counts from an invoice's day, "
                            "which no metrics file gives; check it by hand")
        by_hand = (f"the claim window counts from an invoice's day ({said}), which no metrics file gives: no claim "
                   "day is counted, claim it by hand within it")
    elif not_counted:
        # business hours: the hours and days the contract's definition gives, which is not read
        # its start not stated: said as a window in days is ("stated without its start"), not "from ... (assumed)"
        where = "stated without its start" if claim_from == _NOT_SAID else f"from {claim_from}"
        claim_derivation = (f"claim window {not_counted} {where}: no claim day is counted, business hours are counted "
                            "by the contract's definition of them, which is not read; check it by hand")
        by_hand = (f"the claim window is in business hours ({not_counted} {where}): no claim day is counted, claim "
                   "it by hand within it")
    elif window and claim_from == _NOT_SAID:
        # counted from a day the contract does not name: a day counted from the period's end may be late
        claim_derivation = f"claim window {window} stated without its start: no claim day is counted; check it by hand"
        by_hand = (f"claim window stated without its start ({window}): check it; no claim day is counted, claim it by "
                   "hand within it")
    elif window and shorter:
        # from the end of the incident's month in a quarter: which month is not known, no day is counted
        claim_derivation = (f"claim window {window} from the incident: no claim day is counted, the window counts "
                            f"from the end of the {shorter} of the incident and {period} is longer: the "
                            f"incident's {shorter} is not known; check it by hand")
    elif window and window_in_hours(window) and from_period_end:
        # hours from a day boundary (the end of the month): a moment, whose last whole day is the claim day
        claim_by, claim_derivation = claim_day_in_hours(period, window, time_zone)
    elif window and window_in_hours(window):
        # hours from a moment (the incident): no day stands for the deadline
        claim_derivation = (f"claim window {window} (hours) from {claim_from}: no claim day is counted, the deadline "
                            "is an hour of a day; check it by hand")
    elif window and from_period_end:
        end = period_end(period)
        claim_by = add_duration(end, window, jurisdiction)
        calendar_words = business_days_words(window, jurisdiction)
        claim_derivation = f"end of {period} {end.isoformat()} + {window}{calendar_words} = {claim_by.isoformat()}"
    elif window and claim_from == "the incident":
        # days from a moment no metrics file gives (the incident, the end of a period of Downtime): said, by hand
        claim_derivation = (f"claim window {window} from the incident: no claim day is counted, the incident's day "
                            "is not known; check it by hand")
    if claim_by is not None and credit_terms.get("claim_window_why"):  # two windows stated: which binds
        claim_derivation = f"{claim_derivation} ({credit_terms['claim_window_why']})"
    return claim_by, claim_derivation, by_hand
