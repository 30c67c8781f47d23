"""The renewal recommendation (pure): RENEW, RENEGOTIATE or TERMINATE, each with its reasons, from
the evidence of the term and the rules in ``config.RENEWAL_RULES``."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from ..config import RENEWAL_RULES, RenewalRules


class Decision(StrEnum):
    RENEW = "renew"
    RENEGOTIATE = "renegotiate"
    TERMINATE = "terminate"


@dataclass(frozen=True)
class Evidence:
    """What is known about the term that is ending (gathered by the workflow's first step)."""

    contract_type: str | None = None
    auto_renew: bool | None = None
    notice_deadline: str | None = None
    term_end: str | None = None
    days_left_to_give_notice: int | None = None
    obligations_met: list[dict] = field(default_factory=list)
    obligations_missed: list[dict] = field(default_factory=list)
    obligations_open: list[dict] = field(default_factory=list)
    alerts_sent: int = 0
    alerts_acknowledged: int = 0
    price_increase_cap: str | None = None  # "5%" or "CPI"
    payment_terms: str | None = None
    minimum_commitment: str | None = None
    commitment_used: float | None = None  # spend / minimum commitment, when recorded
    sla_breaches: int = 0
    credits: int = 0
    invoice_findings: int = 0
    clauses: dict[str, dict] = field(default_factory=dict)  # term name -> evidence (page, quote)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Evidence:
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Recommendation:
    decision: Decision
    reasons: list[str]

    def to_dict(self) -> dict:
        return {"decision": self.decision.value, "reasons": list(self.reasons)}


def _percent(cap: str | None) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", cap or "")
    return float(match.group(1)) if match else None


def recommend(evidence: Evidence, rules: RenewalRules = RENEWAL_RULES) -> Recommendation:
    """TERMINATE when the term went badly (many missed obligations or breaches), RENEGOTIATE when
    something should change (a missed obligation, a breach, an invoice finding, an unused
    commitment, a price increase above the rule, a contract type reviewed every term), else RENEW.
    Every rule that fired is a reason; RENEW says what it was checked against."""
    missed, breaches = len(evidence.obligations_missed), evidence.sla_breaches
    terminate: list[str] = []
    if missed >= rules.missed_to_terminate:
        terminate.append(f"{missed} obligations missed this term (terminate from {rules.missed_to_terminate})")
    if breaches >= rules.breaches_to_terminate:
        terminate.append(f"{breaches} SLA breaches this term (terminate from {rules.breaches_to_terminate})")
    if terminate:
        return Recommendation(Decision.TERMINATE, terminate)
    renegotiate: list[str] = []
    if missed >= rules.missed_to_renegotiate:
        names = "; ".join(o.get("summary", o.get("id", "?"))[:60] for o in evidence.obligations_missed[:3])
        renegotiate.append(f"{missed} obligation(s) missed this term: {names}")
    if breaches >= rules.breaches_to_renegotiate:
        renegotiate.append(f"{breaches} SLA breach(es) this term ({evidence.credits} credit(s))")
    if evidence.invoice_findings >= rules.findings_to_renegotiate:
        renegotiate.append(f"{evidence.invoice_findings} invoice finding(s) this term")
    if evidence.commitment_used is not None and evidence.commitment_used < rules.min_commitment_use:
        renegotiate.append(f"minimum commitment {evidence.minimum_commitment or ''} used "
                           f"{evidence.commitment_used:.0%} (< {rules.min_commitment_use:.0%}): unused commitment")
    cap = _percent(evidence.price_increase_cap)
    if cap is not None and cap > rules.max_price_increase_percent:
        renegotiate.append(f"the renewal allows a price increase of up to {cap:g}% "
                           f"(> {rules.max_price_increase_percent:g}%)")
    if (evidence.contract_type or "").lower() in rules.review_every_term:
        renegotiate.append(f"contract type {evidence.contract_type!r} is reviewed every term: "
                           "it never renews without a review of its terms")
    if renegotiate:
        return Recommendation(Decision.RENEGOTIATE, renegotiate)
    met = len(evidence.obligations_met)
    reasons = [f"{met} obligation(s) met, none missed; no SLA breach or invoice finding recorded"]
    if evidence.price_increase_cap:
        reasons.append(f"price increase at renewal capped at {evidence.price_increase_cap}")
    return Recommendation(Decision.RENEW, reasons)
