"""Fees and rates: the recurring fee with its period, a unit price, the quantity included, the
overage rate, how it is invoiced, and a not-to-exceed amount ("an annual subscription fee of
$186,000 (the "Subscription Fees"), invoiced annually in advance"; "USD 95 per hour, not to exceed
USD 40,000"). The value is a dict; amounts are exact decimals as strings with their currency."""

from __future__ import annotations

import re
from typing import Any

from ..money.amounts import AMOUNT_RE, Money, dollar_currency, money_of
from .context import Context, F
from .numbers import NUMBER, number_value

# a sentence about what is paid: fees, prices, charges, rates
_FEE_WORDS = re.compile(r"\b(?:fees?|price|pricing|charges?|charged|billed|rates?|subscription|royalt(?:y|ies)|compensation|"
                        r"shall\s+pay|will\s+pay|agrees?\s+to\s+pay)\b", F)
# sentences about other money: caps on liability, insurance, damages, interest, commitments
_NOT_A_FEE = re.compile(r"\b(?:liabilit|insur|indemn|damages|penalt|interest|late\s+(?:payment|fee)|minimum|"
                        r"purchase\s+order|revenue|net\s+worth|capitali[sz]|shares?\b|stock|loan|"
                        r"guarantee|deposit|bond|reimburs|expenses)", F)
_PERIODS = (
    (r"annual(?:ly)?|yearly|per\s+(?:year|annum)|(?:each|every|a)\s+(?:contract\s+|calendar\s+)?year", "year"),
    (r"monthly|per\s+(?:calendar\s+)?month|(?:each|every|a)\s+(?:calendar\s+)?month", "month"),
    (r"quarterly|per\s+(?:calendar\s+)?quarter|(?:each|every|a)\s+(?:calendar\s+)?quarter", "quarter"),
    (r"one[-\s]time|one[-\s]off|non[-\s]recurring|upfront|up-front", "one-off"),
)
_PERIOD_RE = [(re.compile(rf"\b(?:{pattern})\b", F), period) for pattern, period in _PERIODS]
_PERIOD_WORD = re.compile(r"(?:year|annum|month|quarter|week|day)s?$", F)
# the period of a rate per unit: "... per Authorized User per month", "... each month", "... per annum"
_RATE_PERIOD = re.compile(r"\s*(?:,\s*)?(?:per|a|each|every|/)\s+(?:(?P<month>(?i:calendar\s+)?month)|year|annum)\b|"
                          r"\s*(?:,\s*)?(?:(?P<month2>monthly)|annually|yearly)\b", F)
# "$95 per hour", "USD 744 per Authorized User per year"
_PER_UNIT = re.compile(r"^\s*(?:\(\s*[^)]{0,30}\)\s*)?(?i:per|for\s+each|each|/)\s+(?i:additional\s+|extra\s+)?"
                       r"(?P<unit>[A-Za-z][a-z-]+(?:\s+[A-Z][a-z]+)?)")
# the name the contract gives the fee: (the "Subscription Fees")
_DEFINED = re.compile(r"\(\s*(?:the\s+|each\s+(?:a|an)\s+)?[\"“”']+(?P<name>[A-Z][^\"“”']{1,40})[\"“”']+", F)
_NAMED_FEE = re.compile(r"\b(?P<name>(?:[a-z]+\s+){0,2}(?:fees?|charges?|price))\b", F)
_BILLING = re.compile(r"\b(?:invoiced|billed|payable|paid|(?:shall|will|may)\s+(?:invoice|bill)(?:\s+(?:it|them|"
                      r"the\s+\w+(?:\s+\w+)?))?)\s+(?P<when>annually|monthly|quarterly|yearly)"
                      r"(?:\s+in\s+(?P<how>advance|arrears))?", F)
_UP_TO_QUANTITY = re.compile(rf"(?i:\bup\s+to)\s+(?:{NUMBER})\s+(?P<qunit>(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+s|"
                             rf"(?i:users|seats|licen[cs]es|named\s+users|devices|locations|sites))\b")
_OVERAGE_CUE = re.compile(r"\b(?:in\s+excess\s+of|additional|above|beyond|overage|exceeding)\b", F)
_NTE = re.compile(r"\b(?:not\s+to\s+exceed|shall\s+not\s+exceed|will\s+not\s+exceed|in\s+no\s+event\s+exceed|"
                  r"capped\s+at)\s+", F)
_SKIP_UNITS = {"the", "each", "any", "all", "such", "cent", "percent"}


def read_fees(ctx: Context) -> None:
    """The contract's main fee: the first fee sentence that states an amount and the period it is
    for (or a unit price); the other facts are read from the sentences around it or, for the
    quantity included, from the clause that grants it."""
    doc = ctx.doc
    dollar = dollar_currency(doc.text)
    for span in doc.sentences():
        text = doc.text[span.start:span.end]
        if len(text) > 900 or not _FEE_WORDS.search(text) or _NOT_A_FEE.search(text):
            continue
        amounts = [m for m in AMOUNT_RE.finditer(text) if not _is_percentage_context(text, m)]
        if not amounts:
            continue
        value = _fee_of(text, amounts[0], dollar)
        if value is None:
            continue
        _add_billing(value, text)
        _add_quantity(ctx, value)
        _add_overage_and_cap(ctx, value, dollar)
        derivation = ('"$" read as ' + value["currency"]) if amounts[0].group("cur").strip() == "$" else None
        ctx.terms["fees"] = ctx.term(value, span, derivation=derivation)
        return


def _is_percentage_context(text: str, m: re.Match) -> bool:
    return text[m.end():m.end() + 2].lstrip().startswith("%")


def _fee_of(text: str, m: re.Match, dollar: str) -> dict[str, Any] | None:
    money = money_of(m, dollar)
    if money.amount <= 0:
        return None
    after = text[m.end():m.end() + 80]
    per = _PER_UNIT.search(after)
    unit = None
    if per and not _PERIOD_WORD.search(per.group("unit")) and per.group("unit").lower() not in _SKIP_UNITS:
        unit = re.sub(r"\s+", " ", per.group("unit"))
    period = _period_of(text)
    if period is None and unit is None:
        return None
    name_match = _DEFINED.search(text, m.end(), min(len(text), m.end() + 120))
    name = name_match.group("name").strip() if name_match else None
    if name is None:
        named = _NAMED_FEE.search(text[:m.start()][-60:]) or _NAMED_FEE.search(text)
        name = re.sub(r"^(?:an?|the|of|pay|shall|will)\s+", "", named.group("name"), flags=F).strip() if named else None
    value: dict[str, Any] = {"amount": money.to_dict()["amount"], "currency": money.currency, "period": period,
                             "name": name}
    if unit:
        value["unit"], value["unit_price"] = unit, money.to_dict()["amount"]
    return value


def _period_of(text: str) -> str | None:
    found = {period for pattern, period in _PERIOD_RE if pattern.search(text)}
    return found.pop() if len(found) == 1 else None


def _add_billing(value: dict[str, Any], text: str) -> None:
    m = _BILLING.search(text)
    if m:
        value["billing"] = " ".join(filter(None, (m.group("when").lower().replace("yearly", "annually"),
                                                   m.group("how") and f"in {m.group('how').lower()}")))


def _add_quantity(ctx: Context, value: dict[str, Any]) -> None:
    """"up to two hundred fifty (250) Authorized Users": the quantity the fee includes."""
    doc = ctx.doc
    for m in _UP_TO_QUANTITY.finditer(doc.text):
        n = number_value(m)
        span = doc.sentence(m.start(), m.end())
        sentence = doc.text[span.start:span.end]
        if n and re.search(r"\b(?:right|licen[cs]e|subscri|access|use)\w*", sentence, F):
            value["quantity"], value["quantity_unit"] = n, re.sub(r"\s+", " ", m.group("qunit"))
            value["quantity_evidence"] = doc.evidence(span.start, span.end).to_dict()
            return


def _add_overage_and_cap(ctx: Context, value: dict[str, Any], dollar: str) -> None:
    """An overage rate ("$60 per additional Authorized User per month") and a not-to-exceed amount
    for the fees ("fees under this SOW shall not exceed $40,000")."""
    doc = ctx.doc
    for span in doc.sentences():
        text = doc.text[span.start:span.end]
        if len(text) > 900 or _NOT_A_FEE.search(text) or not _FEE_WORDS.search(text):
            continue
        for m in AMOUNT_RE.finditer(text):
            if "overage" not in value and _OVERAGE_CUE.search(text):
                per = _PER_UNIT.search(text[m.end():m.end() + 80])
                if per and not _PERIOD_WORD.search(per.group("unit")):
                    rate = money_of(m, dollar)
                    value["overage"] = {**rate.to_dict(), "unit": re.sub(r"\s+", " ", per.group("unit")),
                                        "evidence": doc.evidence(span.start, span.end).to_dict()}
                    # "... per additional Authorized User per month": the period the rate is for
                    after = text[m.end() + per.end():m.end() + per.end() + 30]
                    period = _RATE_PERIOD.match(after)
                    if period:
                        value["overage"]["period"] = "month" if period.group("month") or period.group("month2") else "year"
            if "not_to_exceed" not in value and _NTE.search(text[max(0, m.start() - 40):m.start()]):
                cap: Money = money_of(m, dollar)
                value["not_to_exceed"] = {**cap.to_dict(),
                                          "evidence": doc.evidence(span.start, span.end).to_dict()}
