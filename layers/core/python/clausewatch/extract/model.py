"""The typed result of extraction: terms, parties, obligations, each with the clause it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..dates import TermEndConvention

# The terms every extraction reports, in this order; an absent term is reported as null.
# Values: dates ISO ("2025-03-01"), or ISO reduced precision ("2025", "2025-03") when the signed
# copy left part of the date blank ("this ___ day of March, 2025": derivation says so; such a date
# is shown but never counted from, except whole years or months under the anniversary convention);
# periods ISO 8601 durations ("P36M", "P60D", business days "P10BD"); auto_renewal a bool;
# price_increase_cap "5%" or an index ("CPI"); minimum_commitment "$2,400,000 per contract year";
# sla_availability "99.9%"; sla_response_times a list of {"level": "Severity 1", "response":
# "PT1H"}; service_credits "10% of monthly fees";
# governing_law a jurisdiction name ("New York", "England and Wales").
TERM_NAMES = (
    "agreement_date", "effective_date", "initial_term", "expiration_date", "auto_renewal",
    "renewal_term", "notice_period", "notice_deadline", "termination_for_convenience",
    "payment_terms", "price_increase_cap", "minimum_commitment", "sla_availability",
    "sla_response_times", "service_credits", "survival_period", "governing_law",
)

OBLIGATION_KINDS = ("report", "forecast", "deliverable", "payment", "notice", "other")


@dataclass(frozen=True)
class ExtractOptions:
    """How to read ambiguous text.

    ``date_order`` decides what 03/01/2025 means: "US" (month first, March 1) or "DMY" (1 March).
    A numeric date whose first number is above 12 is read day-first whatever the setting.
    ``term_end_convention`` decides the last day of a term given as a duration.
    """

    date_order: str = "US"
    term_end_convention: TermEndConvention = TermEndConvention.DAY_BEFORE_ANNIVERSARY

    def __post_init__(self) -> None:
        if self.date_order not in ("US", "DMY"):
            raise ValueError(f"date_order must be 'US' or 'DMY', not {self.date_order!r}")


@dataclass(frozen=True)
class Evidence:
    """Where a value was read: ``pages[page - 1][start:end] == text`` (page is 1-based)."""

    page: int
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"page": self.page, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Term:
    """One extracted term: its value (ISO date/duration, bool, string or list), its clause and,
    for computed dates, the arithmetic that produced it.

    Renewal conventions: ``auto_renewal`` true with a ``renewal_term`` renews for that period;
    true without one is evergreen (continues until terminated, ``extra["evergreen"]``); false
    with a ``renewal_term`` is a unilateral option to renew; false without one means renewal
    only by mutual agreement."""

    value: Any
    evidence: Evidence
    derivation: str | None = None
    confidence: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        if self.derivation is not None:
            out["derivation"] = self.derivation
        out["evidence"] = self.evidence.to_dict()
        if self.confidence is not None:
            out["confidence"] = self.confidence
        # ``extra`` (e.g. evergreen) stays on the object: the JSON shape is fixed
        return out


@dataclass(frozen=True)
class Party:
    name: str
    role: str | None
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role, "evidence": self.evidence.to_dict()}


@dataclass(frozen=True)
class Obligation:
    """A duty of one party: one-off (``due_date``) or recurring (``recurrence`` RRULE + ``offset``).

    Recurrence convention: the RRULE marks the period boundary (e.g. the first day of each month
    for "after the end of each month") and ``offset`` is the time allowed after it ("+P10BD").
    """

    id: str
    party: str | None
    kind: str
    summary: str
    evidence: Evidence
    due_date: str | None = None
    recurrence: str | None = None
    offset: str | None = None
    derivation: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "party": self.party, "kind": self.kind,
                               "summary": self.summary, "due_date": self.due_date,
                               "recurrence": self.recurrence, "offset": self.offset}
        if self.derivation is not None:
            out["derivation"] = self.derivation
        out["evidence"] = self.evidence.to_dict()
        return out


@dataclass(frozen=True)
class Amendment:
    number: int | None
    amends: str | None
    original_date: str | None
    evidence: Evidence

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "amends": self.amends, "original_date": self.original_date,
                "evidence": self.evidence.to_dict()}


@dataclass
class ContractExtraction:
    source: str | None
    pages: int
    document_type: str = "contract"
    amendment: Amendment | None = None
    terms: dict[str, Term | None] = field(default_factory=lambda: {n: None for n in TERM_NAMES})
    parties: list[Party] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)

    def value(self, name: str) -> Any:
        """The value of term ``name``, or None when it is absent."""
        term = self.terms.get(name)
        return None if term is None else term.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "pages": self.pages,
            "document_type": self.document_type,
            "amendment": None if self.amendment is None else self.amendment.to_dict(),
            "terms": {n: (None if self.terms.get(n) is None else self.terms[n].to_dict())
                      for n in TERM_NAMES},
            "parties": [p.to_dict() for p in self.parties],
            "obligations": [o.to_dict() for o in self.obligations],
        }
