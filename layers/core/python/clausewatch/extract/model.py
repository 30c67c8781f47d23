"""The typed result of extraction: terms, parties, obligations, each with the clause it came from."""

from __future__ import annotations

from collections.abc import Mapping
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
# governing_law a jurisdiction name ("New York", "England and Wales"); fees a dict (amount, currency,
# period, name, billing, unit/unit_price, quantity/quantity_unit, overage, not_to_exceed: see
# extract/fees.py); service_credit_tiers a dict (metric, tiers of {below, at_least,
# credit_percent}, base {fraction, of, period}, claim_window, cap_percent: see extract/credits.py);
# service_credit_claim {claim_window, claim_from, claim_from_unit?} when credits are in prose (no table: the
# tiers' own claim window otherwise; claim_from "end of the measured period", "the incident", "the invoice" or
# "end of the measured period (assumed)", a deadline counted from the first only; claim_from_unit "month",
# "quarter" or "billing period" when the words name the unit whose end it counts from ("the affected month", "the
# end of the calendar quarter"); claim_window_not_counted "48 business hours" instead of claim_window for a window
# read that no day is counted from; claim_windows_apart "P30D from end of the measured period; P10D from the
# incident" for windows counted from different days: see extract/credit_claims.py).
TERM_NAMES = (
    "agreement_date", "effective_date", "initial_term", "expiration_date", "auto_renewal",
    "renewal_term", "notice_period", "notice_deadline", "termination_for_convenience",
    "payment_terms", "price_increase_cap", "minimum_commitment", "sla_availability",
    "sla_response_times", "service_credits", "survival_period", "governing_law",
    "fees", "service_credit_tiers", "service_credit_claim",
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
    # score the clause of the six scored terms with the trained clause finder (extract/finder.py):
    # the score is the term's confidence, and a term below its field's threshold is left out
    clause_finder: bool = True

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

    @classmethod
    def from_dict(cls, data: Any) -> Evidence | None:
        """The evidence in ``data`` (as ``to_dict`` wrote it), or None when there is none."""
        if not isinstance(data, Mapping):
            return None
        return cls(page=int(data.get("page") or 0), start=int(data.get("start") or 0),
                   end=int(data.get("end") or 0), text=str(data.get("text") or ""))


# the keys of ``Term.extra`` that are stored with the term (``Term.to_dict``)
STORED_EXTRA = ("takes_effect", "takes_effect_unclear", "earlier", "from_event")


@dataclass(frozen=True)
class Term:
    """One extracted term: its value (ISO date/duration, bool, string or list), its clause and,
    for computed dates, the arithmetic that produced it.

    Renewal conventions: ``auto_renewal`` true with a ``renewal_term`` renews for that period;
    true without one is evergreen (continues until terminated, ``extra["evergreen"]``); false
    with a ``renewal_term`` is a unilateral option to renew; false without one means renewal
    only by mutual agreement.

    ``moved_to_business_day`` records that a computed date was moved back from a weekend or
    holiday (the derivation says so in words; code reads this). ``amended_by`` is the id of the
    amendment (a contract of its own) that set this value on the contract it amends.

    Of ``extra``, only the keys in ``STORED_EXTRA`` are stored (the rest stays on the object):
    ``takes_effect`` (on an amendment's term: the date its own clause says the change takes
    effect, with the words, ``extract/amendments.own_effective_dates``) and ``earlier`` (on a
    contract's term an amendment changed: the earlier values, each in force for the terms that
    begin before its ``until``, ``pipeline/record.apply_amendment``; the planner reads them)."""

    value: Any
    evidence: Evidence | None
    derivation: str | None = None
    confidence: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    moved_to_business_day: bool = False
    amended_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value}
        if self.derivation is not None:
            out["derivation"] = self.derivation
        out["evidence"] = None if self.evidence is None else self.evidence.to_dict()
        if self.confidence is not None:
            out["confidence"] = self.confidence
        if self.moved_to_business_day:
            out["moved_to_business_day"] = True
        if self.amended_by is not None:
            out["amended_by"] = self.amended_by
        # the rest of ``extra`` (e.g. evergreen) stays on the object: the JSON shape is fixed
        stored = {key: self.extra[key] for key in STORED_EXTRA if self.extra.get(key)}
        if stored:
            out["extra"] = stored
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Term | None:
        """The term ``to_dict`` wrote, or None for an absent one (null, or a null value)."""
        if not isinstance(data, Mapping) or data.get("value") in (None, ""):
            return None
        confidence = data.get("confidence")
        return cls(value=data["value"], evidence=Evidence.from_dict(data.get("evidence")),
                   derivation=data.get("derivation"),
                   confidence=None if confidence is None else float(confidence),
                   moved_to_business_day=bool(data.get("moved_to_business_day")),
                   amended_by=data.get("amended_by"),
                   extra={key: value for key, value in (data.get("extra") or {}).items() if key in STORED_EXTRA}
                   if isinstance(data.get("extra"), Mapping) else {})


@dataclass(frozen=True)
class Party:
    name: str
    role: str | None
    evidence: Evidence | None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "role": self.role,
                "evidence": None if self.evidence is None else self.evidence.to_dict()}

    @classmethod
    def from_dict(cls, data: Any) -> Party | None:
        if not isinstance(data, Mapping) or not data.get("name"):
            return None
        return cls(name=str(data["name"]), role=data.get("role"),
                   evidence=Evidence.from_dict(data.get("evidence")))


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
    evidence: Evidence | None
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
        out["evidence"] = None if self.evidence is None else self.evidence.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Obligation | None:
        """The obligation ``to_dict`` wrote; None for one without an id (nothing can refer to it)."""
        if not isinstance(data, Mapping) or not data.get("id"):
            return None
        kind = data.get("kind") or "other"
        return cls(id=str(data["id"]), party=data.get("party"), kind=kind,
                   summary=data.get("summary") or "", evidence=Evidence.from_dict(data.get("evidence")),
                   due_date=data.get("due_date"), recurrence=data.get("recurrence"),
                   offset=data.get("offset"), derivation=data.get("derivation"))


@dataclass(frozen=True)
class Amendment:
    number: int | None
    amends: str | None
    original_date: str | None
    evidence: Evidence | None
    # ``original_date`` is an earlier amendment's date, not an agreement's ("as amended by the First
    # Amendment thereto, dated March 10, 2026"): no agreement of that day is the one amended
    original_is_amendment: bool = False
    # the terms its headings and named sections say it changes (``extract.amended_terms``), each one an
    # entry of which enters what it changes (all entered: settled; stored before 2026-12-07, a heading's
    # every term): () not known
    names_terms: tuple[str, ...] = ()
    # when the upgrade read ``names_terms`` of one stored without them (``pipeline.amendment_names``):
    # only an entry made since settles it
    names_read_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "amends": self.amends, "original_date": self.original_date,
                "evidence": None if self.evidence is None else self.evidence.to_dict(),
                **({"original_is_amendment": True} if self.original_is_amendment else {}),
                **({"names_terms": list(self.names_terms)} if self.names_terms else {}),
                **({"names_read_at": self.names_read_at} if self.names_read_at else {})}

    @classmethod
    def from_dict(cls, data: Any) -> Amendment | None:
        if not isinstance(data, Mapping):
            return None
        return cls(number=data.get("number"), amends=data.get("amends"),
                   original_date=data.get("original_date"),
                   evidence=Evidence.from_dict(data.get("evidence")),
                   original_is_amendment=data.get("original_is_amendment") is True,
                   names_terms=tuple(n for n in data.get("names_terms") or () if isinstance(n, str)),
                   names_read_at=data.get("names_read_at") if isinstance(data.get("names_read_at"), str) else None)


@dataclass
class ContractExtraction:
    """One document's extraction. Stored as ``to_dict()`` (the contract record's ``extraction``);
    every reader of a stored one goes through ``from_dict`` and the accessors below.

    ``title`` is the document's title line when one was found (set by the pipeline)."""

    source: str | None
    pages: int
    document_type: str = "contract"
    amendment: Amendment | None = None
    terms: dict[str, Term | None] = field(default_factory=lambda: {n: None for n in TERM_NAMES})
    parties: list[Party] = field(default_factory=list)
    obligations: list[Obligation] = field(default_factory=list)
    title: str | None = None
    # flags for review ("needs attention"): dates left out rather than guessed (extract/review.py)
    attention: list[dict[str, Any]] = field(default_factory=list)
    # terms a reader found but the clause finder left out, with the reason (stored when any)
    abstained: dict[str, str] = field(default_factory=dict)

    @property
    def is_amendment(self) -> bool:
        return self.document_type == "amendment"

    def term(self, name: str) -> Term | None:
        """Term ``name``, or None when it is absent."""
        return self.terms.get(name)

    def value(self, name: str) -> Any:
        """The value of term ``name``, or None when it is absent."""
        term = self.terms.get(name)
        return None if term is None else term.value

    def renewal_summary(self) -> dict[str, Any]:
        """What a list of renewals shows of the terms, as it shows them: ``auto_renewal`` (a bool or
        None), ``renewal_term`` and ``notice_period`` (their values as text, or None). Kept on the
        contract item (``ContractItem.renewal_terms``) so a list reads it without the extraction."""
        auto = self.value("auto_renewal")
        return {"auto_renewal": auto if isinstance(auto, bool) else None,
                **{name: None if (value := self.value(name)) is None else str(value)
                   for name in ("renewal_term", "notice_period")}}

    def present_terms(self) -> dict[str, Term]:
        """The terms that have a value, by name, in ``TERM_NAMES`` order (then any others)."""
        return {name: term for name, term in self.terms.items() if term is not None}

    def to_dict(self) -> dict[str, Any]:
        names = list(TERM_NAMES) + [n for n in self.terms if n not in TERM_NAMES]
        out: dict[str, Any] = {
            "source": self.source,
            "pages": self.pages,
            "document_type": self.document_type,
            "amendment": None if self.amendment is None else self.amendment.to_dict(),
            "terms": {n: (None if (t := self.terms.get(n)) is None else t.to_dict()) for n in names},
            "parties": [p.to_dict() for p in self.parties],
            "obligations": [o.to_dict() for o in self.obligations],
        }
        if self.title is not None:
            out["title"] = self.title
        if self.attention:
            out["attention"] = [dict(a) for a in self.attention]
        if self.abstained:
            out["abstained"] = dict(self.abstained)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ContractExtraction:
        """The extraction ``to_dict`` wrote (or an older or partial one: what is missing is
        absent, never guessed)."""
        data = data or {}
        terms: dict[str, Term | None] = {n: None for n in TERM_NAMES}
        for name, term in (data.get("terms") or {}).items():
            terms[name] = Term.from_dict(term)
        return cls(
            source=data.get("source"), pages=int(data.get("pages") or 0),
            document_type=data.get("document_type") or "contract",
            amendment=Amendment.from_dict(data.get("amendment")), terms=terms,
            parties=[p for p in map(Party.from_dict, data.get("parties") or []) if p is not None],
            obligations=[o for o in map(Obligation.from_dict, data.get("obligations") or [])
                         if o is not None],
            title=data.get("title"),
            attention=[dict(a) for a in data.get("attention") or [] if isinstance(a, Mapping)],
            abstained={str(k): str(v) for k, v in (data.get("abstained") or {}).items()})

    @classmethod
    def of(cls, extraction: ContractExtraction | Mapping[str, Any] | None) -> ContractExtraction:
        """``extraction`` itself, or read from its stored form."""
        return extraction if isinstance(extraction, ContractExtraction) else cls.from_dict(extraction)
